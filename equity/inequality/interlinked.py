"""How disadvantage interlinks across wards: correlations and counts of worst-fifth themes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats as sps

from equity.bundle import Bundle
from equity.catalogue import Indicator
from equity.inequality.inputs import covers_part_of_wmca, ward_values_by_code
from equity.stats import Z95, fisher_z_interval, rank_wards

MIN_CORRELATION_WARDS = 4
CORRELATION_COLUMNS = ["outcome", "characteristic", "n", "r", "lower", "upper", "p_value"]
WARD_COLUMNS = ["ward_code", "ward_name", "authority"]


def correlations(
    bundle: Bundle,
    outcome_ids: Iterable[str],
    characteristic_ids: Iterable[str],
) -> pd.DataFrame:
    """Pearson correlations between outcomes and population characteristics across wards.

    Each pair uses the wards with a value for both indicators. The coefficient is the plain
    (unweighted) Pearson correlation of ward values: every ward counts once whatever its
    population, so it describes wards, not residents. The 95% interval uses Fisher's z
    (:func:`equity.stats.fisher_z_interval`) and the two-sided p-value comes from
    :func:`scipy.stats.pearsonr`. Being ecological, a correlation between wards says nothing
    directly about individuals.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    outcome_ids, characteristic_ids : iterable of str
        Indicator ids; every outcome is paired with every characteristic.

    Returns
    -------
    pandas.DataFrame
        One row per (outcome, characteristic) pair, outcomes in the order given, with
        columns ``outcome, characteristic, n, r, lower, upper, p_value``. Where either
        indicator has the same value in every ward used, ``r``, the interval and the
        p-value are NaN.

    Raises
    ------
    ValueError
        If either list is empty, an id is unknown, or a pair has fewer than four wards with
        data (Fisher's interval needs ``n - 3 > 0``).
    """
    outcomes = [outcome_ids] if isinstance(outcome_ids, str) else list(outcome_ids)
    chars = [characteristic_ids] if isinstance(characteristic_ids, str) else list(characteristic_ids)
    if not outcomes or not chars:
        raise ValueError("correlations: give at least one outcome and one characteristic")
    for ident in outcomes + chars:
        bundle.indicator(ident)
    values = {ident: ward_values_by_code(bundle, ident)["value"].astype(float)
              for ident in set(outcomes + chars)}
    rows = [
        _pair_correlation(values[out_id], values[char_id], out_id, char_id)
        for out_id in outcomes
        for char_id in chars
    ]
    return pd.DataFrame(rows, columns=CORRELATION_COLUMNS)


def _pair_correlation(outcome: pd.Series, characteristic: pd.Series, out_id: str, char_id: str) -> dict:
    """One row of :func:`correlations`: Pearson's r over the wards with both values."""
    pair = pd.concat([outcome, characteristic], axis=1, keys=["y", "x"])
    pair = pair[np.isfinite(pair["x"]) & np.isfinite(pair["y"])]
    n = len(pair)
    if n < MIN_CORRELATION_WARDS:
        raise ValueError(
            f"correlations: {out_id!r} and {char_id!r} share {n} ward(s) with data; "
            f"need at least {MIN_CORRELATION_WARDS}"
        )
    # pearsonr warns and returns NaN for a constant input; say NaN directly instead.
    if pair["x"].nunique() < 2 or pair["y"].nunique() < 2:
        r = p_value = math.nan
    else:
        test = sps.pearsonr(pair["x"].to_numpy(), pair["y"].to_numpy())
        r, p_value = float(test.statistic), float(test.pvalue)
    lower, upper = fisher_z_interval(r, n, z=Z95)
    return {
        "outcome": out_id,
        "characteristic": char_id,
        "n": n,
        "r": r,
        "lower": float(lower),
        "upper": float(upper),
        "p_value": p_value,
    }


def worst_fifth_counts(bundle: Bundle, headline: Mapping[str, str]) -> pd.DataFrame:
    """Count, for each ward, the themes on which it is among WMCA's worst fifth of wards.

    For each theme's headline indicator the wards with data are ranked worst first with
    :func:`equity.stats.rank_wards` (highest first for ``higher_is_worse``, lowest first for
    ``higher_is_better``). With ``n`` wards ranked, a ward is in the worst fifth when its
    rank is at most ``ceil(n / 5)``. Tied wards share the lowest rank (``method="min"``), so
    a tie across the cut-off puts every tied ward in the worst fifth and the group can hold
    more than ``ceil(n / 5)`` wards; it never holds fewer.

    An indicator that does not cover all seven authorities has no WMCA-wide ranking: its
    column is False for every ward and it is not counted in ``themes_assessed``.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    headline : mapping of str to str
        Theme name (used as the column name) to headline indicator id.

    Returns
    -------
    pandas.DataFrame
        One row per ward in bundle order, with columns ``ward_code, ward_name, authority``,
        one boolean column per theme (True when the ward is in the worst fifth),
        ``themes_assessed`` (themes whose indicator covers all authorities and has data for
        the ward) and ``worst_fifth_count`` (number of True theme columns).

    Raises
    ------
    ValueError
        If ``headline`` is empty, a theme name clashes with an output column, an id is
        unknown, or an indicator has polarity ``"neither"`` (no "worst" end).
    """
    _check_headline(bundle, headline)
    base = pd.DataFrame(bundle.wards[WARD_COLUMNS]).reset_index(drop=True)
    out = base.copy()
    assessed = np.zeros(len(base), dtype=int)
    for theme, ident in headline.items():
        ind = bundle.indicator(ident)
        values = ward_values_by_code(bundle, ident)["value"].reindex(base["ward_code"]).astype(float)
        values = values.reset_index(drop=True)
        if covers_part_of_wmca(ind.coverage):
            out[theme] = False
            continue
        out[theme] = _in_worst_fifth(values, ind)
        assessed += np.isfinite(values.to_numpy()).astype(int)
    out["themes_assessed"] = assessed
    out["worst_fifth_count"] = out[list(headline)].sum(axis=1).astype(int)
    return out


def _check_headline(bundle: Bundle, headline: Mapping[str, str]) -> None:
    """Refuse an empty mapping, a theme name that clashes with an output column, or no worse end."""
    if not isinstance(headline, Mapping) or not headline:
        raise ValueError("worst_fifth_counts: headline must be a non-empty mapping of theme to indicator id")
    reserved = set(WARD_COLUMNS) | {"themes_assessed", "worst_fifth_count"}
    for theme, ident in headline.items():
        if not isinstance(theme, str) or not theme or theme in reserved:
            raise ValueError(f"worst_fifth_counts: {theme!r} cannot be used as a theme column name")
        ind = bundle.indicator(ident)
        if ind.polarity == "neither":
            raise ValueError(
                f"worst_fifth_counts: {ident!r} (theme {theme!r}) has no better or worse direction"
            )


def _in_worst_fifth(values: pd.Series, ind: Indicator) -> pd.Series:
    """True for wards ranked within the worst ``ceil(n / 5)`` of the ``n`` with data."""
    ranks = rank_wards(values, ind.polarity)
    n = int(ranks.notna().sum())
    cutoff = math.ceil(n / 5)
    return (ranks <= cutoff).fillna(False).astype(bool)
