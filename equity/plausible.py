"""Bundle figures the app can draw: anything outside its plausible range becomes "no data".

The ingest refuses implausible raw values (``equity.sources``), so a bundle it wrote never
needs this. A bundle edited by hand, damaged on disk or written by another tool might: one
astronomic or infinite figure would otherwise break every page (a slider's bounds overflow, a
colour scale spans nothing). :func:`screen_bundle` blanks such figures, keeps every other, and
returns notices that say plainly what was left out, which every page shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from equity.catalogue import Indicator
from equity.sources._read import ENGLAND_PEOPLE_MAX
from equity.sources.deprivation import SCORE_RANGES
from equity.sources.iod_indicators import VALUE_RANGES as IOD_VALUE_RANGES

if TYPE_CHECKING:  # pragma: no cover
    from equity.bundle import Bundle

FIGURES = ["numerator", "denominator", "value", "lower", "upper"]
# A numerator or denominator is a count of people (or, for a score, score x residents, so
# up to 100 times a count); nothing real comes near this.
COUNT_CEILING = 100.0 * ENGLAND_PEOPLE_MAX
# Rounding in the written CSV (10 significant figures) must not make a bound look broken.
SLACK = 1e-6


def value_range(ind: Indicator) -> tuple[float, float]:
    """The range a ward, authority or WMCA value of ``ind`` can take.

    Parameters
    ----------
    ind : Indicator
        A catalogue entry.

    Returns
    -------
    tuple of float
        ``(low, high)``: 0-100 for a percentage, 1-10 for a decile, and a score's published
        range (``equity.sources.deprivation.SCORE_RANGES``) for a population-weighted score.
    """
    if ind.kind == "proportion":
        return 0.0, 100.0
    if ind.kind == "rank_decile":
        return 1.0, 10.0
    allowed = SCORE_RANGES.get(ind.numerator_column, IOD_VALUE_RANGES.get(ind.numerator_column))
    if allowed is None:
        raise ValueError(f"indicator {ind.id!r} has no declared range for its score "
                         f"{ind.numerator_column!r}")
    return float(allowed.low), float(allowed.high)


def as_numbers(frame: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """``frame`` with ``columns`` as floats; text that is not a number becomes NaN.

    Returns
    -------
    tuple
        The new frame, and a boolean Series marking the rows that held such text.
    """
    out = frame.copy()
    text = pd.Series(False, index=out.index)
    for col in columns:
        if col not in out.columns:
            continue
        parsed = pd.to_numeric(out[col], errors="coerce").astype(float)
        text |= parsed.isna() & out[col].notna()
        out[col] = parsed
    return out, text


def undrawable_values(values: pd.DataFrame, catalogue: dict[str, Indicator]) -> pd.Series:
    """Rows of a ``values`` table whose figures cannot be real.

    A row is undrawable if any figure is infinite, a count is negative or astronomic, the
    value lies outside :func:`value_range`, a proportion's numerator exceeds its denominator,
    or its interval does not contain the value.

    Parameters
    ----------
    values : DataFrame
        Columns ``indicator`` and :data:`FIGURES`, as floats.
    catalogue : dict of str to Indicator
        The indicators the rows name.

    Returns
    -------
    Series of bool
        Aligned to ``values``.
    """
    missing = [c for c in ["indicator", *FIGURES] if c not in values.columns]
    if missing:
        raise ValueError(f"values has no column(s) {missing}")
    figures = values[FIGURES].to_numpy(dtype=float)
    bad = np.isinf(figures).any(axis=1)
    low = values.indicator.map(lambda i: value_range(catalogue[i])[0] if i in catalogue
                               else -np.inf).to_numpy(dtype=float)
    high = values.indicator.map(lambda i: value_range(catalogue[i])[1] if i in catalogue
                                else np.inf).to_numpy(dtype=float)
    num, den, value, lower, upper = figures.T
    span = np.maximum(high - low, 1.0) * SLACK
    proportion = values.indicator.map(
        lambda i: i in catalogue and catalogue[i].kind == "proportion").to_numpy(bool)
    with np.errstate(invalid="ignore"):
        # A score's numerator (score x residents) may be negative; a count may not.
        bad |= (den < 0) | (proportion & (num < 0))
        bad |= (np.abs(num) > COUNT_CEILING) | (np.abs(den) > COUNT_CEILING)
        for figure in (value, lower, upper):
            bad |= (figure < low - span) | (figure > high + span)
        bad |= proportion & (num > den * (1 + SLACK))
        bad |= (lower > value + span) | (upper < value - span)
    return pd.Series(bad, index=values.index)


def _blank(frame: pd.DataFrame, rows: pd.Series, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    out.loc[rows.to_numpy(), [c for c in columns if c in out.columns]] = np.nan
    return out


# Other tables: per column, the range a figure can take (None: any finite number).
PERCENT = (0.0, 100.0)
TABLE_RANGES: dict[str, dict[str, tuple[float, float] | None]] = {
    "claimant_monthly": {"claimants": (0.0, ENGLAND_PEOPLE_MAX)},
    "imd_change": {"residents": (0.0, ENGLAND_PEOPLE_MAX),
                   "pct_most_deprived_2019": PERCENT, "pct_most_deprived_2025": PERCENT,
                   "change_pp": (-100.0, 100.0), "percentile_2019": PERCENT,
                   "percentile_2025": PERCENT, "percentile_change": (-100.0, 100.0)},
    "context": {"numerator": (0.0, ENGLAND_PEOPLE_MAX), "denominator": (0.0, ENGLAND_PEOPLE_MAX),
                "value": PERCENT, "lower": PERCENT, "upper": PERCENT},
    "youth_validation": {"residents_16_24": (0.0, ENGLAND_PEOPLE_MAX), "published": PERCENT,
                         "estimate": PERCENT, "error": (-100.0, 100.0)},
    "group_gaps": {"numerator": (0.0, ENGLAND_PEOPLE_MAX),
                   "denominator": (0.0, ENGLAND_PEOPLE_MAX),
                   "value": PERCENT, "lower": PERCENT, "upper": PERCENT},
}


def _screen_table(frame: pd.DataFrame, ranges: dict[str, tuple[float, float] | None]
                  ) -> tuple[pd.DataFrame, int]:
    """Blank the figures of rows with a figure outside its range; return the frame and count."""
    columns = [c for c in ranges if c in frame.columns]
    out, bad = as_numbers(frame, columns)
    for col in columns:
        low, high = ranges[col] or (-np.inf, np.inf)
        with np.errstate(invalid="ignore"):
            bad |= np.isinf(out[col]) | (out[col] < low) | (out[col] > high)
    return _blank(out, bad, columns), int(bad.sum())


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def screen_bundle(bundle: Bundle) -> list[str]:
    """Blank every figure of ``bundle`` that cannot be real, in place; return notices.

    Parameters
    ----------
    bundle : Bundle
        A bundle as read from disk.

    Returns
    -------
    list of str
        One plain sentence per table with blanked figures (empty for a sound bundle).
    """
    notices = []
    for name in ("values", "values_wd22"):
        frame, text = as_numbers(getattr(bundle, name), FIGURES)
        if frame.empty:
            setattr(bundle, name, frame)
            continue
        # A row with one figure that is text keeps none: a value without its interval, or
        # an interval without its value, would be drawn as if it were whole.
        bad = undrawable_values(frame, bundle.catalogue) | text
        setattr(bundle, name, _blank(frame, bad, FIGURES))
        if bad.any():
            titles = sorted({bundle.catalogue[i].short_title if i in bundle.catalogue else i
                             for i in frame.indicator[bad]})
            what = f" ({'; '.join(titles[:4])}{' …' if len(titles) > 4 else ''})"
            n_bad = int(bad.sum())
            notices.append(
                f"{_plural(n_bad, 'figure', 'figures')} in the data bundle's {name}.csv{what} "
                "could not be real (outside the possible range, or not a number) and "
                f"{'is' if n_bad == 1 else 'are'} shown as “no data”. Rebuilding the bundle "
                "from the published files (python -m equity ingest) restores them.")
    for name, ranges in TABLE_RANGES.items():
        frame = getattr(bundle, name)
        if frame.empty:
            continue
        screened, n_bad = _screen_table(frame, ranges)
        setattr(bundle, name, screened)
        if n_bad:
            notices.append(
                f"{_plural(n_bad, 'row', 'rows')} of the data bundle's {name}.csv could not be "
                f"real and {'is' if n_bad == 1 else 'are'} shown as “no data”.")
    return notices
