"""Ward filters: which wards match a choice of authorities, a characteristic range and deciles.

A :class:`WardFilter` is a frozen, hashable description of the user's choice, so it can key a
cache. :func:`apply_filter` turns it into a boolean mask over the bundle's wards and
:func:`describe_filter` into a plain-English sentence.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from equity.catalogue import AUTHORITIES, Indicator

DECILE_INDICATOR = "imd_decile"
"""Indicator id whose ward values the decile filter reads (1 = most deprived WMCA tenth)."""


def _as_bound(name: str, value: object) -> float | None:
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not math.isfinite(float(value))):
        raise ValueError(f"WardFilter: {name} must be a finite number or None, not {value!r}")
    return float(value)


@dataclass(frozen=True)
class WardFilter:
    """A choice of wards.

    Parameters
    ----------
    authorities : tuple of str
        Local authority codes (for example ``"E08000025"``); empty means every authority.
    characteristic : str or None
        Indicator id whose ward value the range applies to.
    min_value, max_value : float or None
        Inclusive bounds on the characteristic, in the indicator's units (percentages 0-100);
        ``None`` leaves that side open.
    deciles : tuple of int
        WMCA deprivation deciles (1 = most deprived, 10 = least); empty means all.

    Lists are accepted and stored as tuples, so the filter stays hashable.

    Raises
    ------
    ValueError
        For an authority code outside WMCA, a bound without a characteristic, a non-finite
        bound, ``min_value > max_value`` or a decile outside 1..10.
    """

    authorities: tuple[str, ...] = ()
    characteristic: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    deciles: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        authorities = tuple(self.authorities or ())
        unknown = [code for code in authorities if code not in AUTHORITIES]
        if unknown:
            raise ValueError(
                f"WardFilter: unknown authority code(s) {unknown}; expected codes from "
                f"{sorted(AUTHORITIES)}"
            )
        if self.characteristic is not None and not isinstance(self.characteristic, str):
            raise ValueError(
                f"WardFilter: characteristic must be an indicator id or None, not "
                f"{self.characteristic!r}"
            )
        low = _as_bound("min_value", self.min_value)
        high = _as_bound("max_value", self.max_value)
        if (low is not None or high is not None) and self.characteristic is None:
            raise ValueError("WardFilter: min_value/max_value need a characteristic")
        if low is not None and high is not None and low > high:
            raise ValueError(f"WardFilter: min_value {low:g} is greater than max_value {high:g}")
        deciles = tuple(self.deciles or ())
        for decile in deciles:
            if (isinstance(decile, bool) or not isinstance(decile, numbers.Integral)
                    or not 1 <= int(decile) <= 10):
                raise ValueError(f"WardFilter: decile {decile!r} is not a whole number in 1..10")
        deciles = tuple(sorted({int(d) for d in deciles}))
        object.__setattr__(self, "authorities", authorities)
        object.__setattr__(self, "min_value", low)
        object.__setattr__(self, "max_value", high)
        object.__setattr__(self, "deciles", deciles)

    @property
    def is_empty(self) -> bool:
        """Whether the filter lets every ward through."""
        return (
            not self.authorities
            and self.min_value is None
            and self.max_value is None
            and not self.deciles
        )


def apply_filter(bundle, ward_filter: WardFilter) -> pd.Series:
    """Say which wards match a filter.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        Anything with ``wards`` (a frame with ``ward_code`` and ``authority_code``),
        ``catalogue`` (a mapping of indicator ids) and ``ward_values(indicator_id)``.
    ward_filter : WardFilter
        The choice to apply.

    Returns
    -------
    pandas.Series of bool
        Indexed by ``ward_code`` in the bundle's ward order, named ``"match"``. A ward with no
        data for the characteristic does not match a range; a ward with no decile does not
        match a decile choice.

    Raises
    ------
    ValueError
        If the characteristic (or, with deciles chosen, ``imd_decile``) is not in the bundle's
        catalogue.
    TypeError
        If ``ward_filter`` is not a :class:`WardFilter`.
    """
    if not isinstance(ward_filter, WardFilter):
        raise TypeError(f"apply_filter: expected a WardFilter, not {type(ward_filter).__name__}")
    wards = pd.DataFrame(bundle.wards[["ward_code", "authority_code"]]).reset_index(drop=True)
    codes = pd.Index(wards["ward_code"], name="ward_code")
    match = pd.Series(True, index=codes, name="match")
    if ward_filter.authorities:
        match &= wards["authority_code"].isin(ward_filter.authorities).to_numpy()
    if ward_filter.characteristic is not None:
        if ward_filter.characteristic not in bundle.catalogue:
            raise ValueError(f"apply_filter: unknown characteristic {ward_filter.characteristic!r}")
        if ward_filter.min_value is not None or ward_filter.max_value is not None:
            values = _values_by_ward(bundle, ward_filter.characteristic, codes)
            in_range = values.notna()
            if ward_filter.min_value is not None:
                in_range &= values >= ward_filter.min_value
            if ward_filter.max_value is not None:
                in_range &= values <= ward_filter.max_value
            match &= in_range.to_numpy()
    if ward_filter.deciles:
        if DECILE_INDICATOR not in bundle.catalogue:
            raise ValueError(f"apply_filter: the bundle has no {DECILE_INDICATOR!r} indicator")
        deciles = _values_by_ward(bundle, DECILE_INDICATOR, codes)
        match &= deciles.isin(ward_filter.deciles).to_numpy()
    return match


def _values_by_ward(bundle, indicator_id: str, codes: pd.Index) -> pd.Series:
    rows = bundle.ward_values(indicator_id)
    values = pd.Series(pd.to_numeric(rows["value"], errors="coerce").to_numpy(),
                       index=rows["ward_code"].to_numpy())
    return values.reindex(codes)


def _number(value: float) -> str:
    return format(value, ",.10g")


def _join_or(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def describe_filter(ward_filter: WardFilter, catalogue: Mapping[str, Indicator]) -> str:
    """Describe a filter in one plain-English sentence.

    Parameters
    ----------
    ward_filter : WardFilter
        The choice to describe.
    catalogue : mapping of str to Indicator
        Indicator catalogue, used for the characteristic's short title.

    Returns
    -------
    str
        For example ``"Wards in Birmingham, Coventry where Aged 16-24 (%) is at least 15"``,
        or ``"All wards"`` for an empty filter.

    Raises
    ------
    ValueError
        If the filter's characteristic is not in ``catalogue``.
    TypeError
        If ``ward_filter`` is not a :class:`WardFilter`.

    Examples
    --------
    >>> from equity.catalogue import CATALOGUE
    >>> describe_filter(WardFilter(deciles=(1, 2)), CATALOGUE)
    'Wards where the WMCA deprivation decile is 1 or 2'
    """
    if not isinstance(ward_filter, WardFilter):
        raise TypeError(f"describe_filter: expected a WardFilter, not {type(ward_filter).__name__}")
    if ward_filter.characteristic is not None and ward_filter.characteristic not in catalogue:
        raise ValueError(f"describe_filter: unknown characteristic {ward_filter.characteristic!r}")
    if ward_filter.is_empty:
        return "All wards"
    text = "Wards"
    if ward_filter.authorities:
        text += " in " + ", ".join(AUTHORITIES[code] for code in ward_filter.authorities)
    conditions = []
    low, high = ward_filter.min_value, ward_filter.max_value
    if low is not None or high is not None:
        name = catalogue[ward_filter.characteristic].short_title
        if low is not None and high is not None:
            conditions.append(f"{name} is between {_number(low)} and {_number(high)}")
        elif low is not None:
            conditions.append(f"{name} is at least {_number(low)}")
        else:
            conditions.append(f"{name} is at most {_number(high)}")
    if ward_filter.deciles:
        deciles = [str(d) for d in ward_filter.deciles]
        conditions.append(f"the WMCA deprivation decile is {_join_or(deciles)}")
    if conditions:
        text += " where " + " and ".join(conditions)
    return text
