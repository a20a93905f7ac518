"""Statistical helpers: Wilson intervals, significance against a comparator, gap intervals.

Every function is pure and vectorised over NumPy arrays or pandas Series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def wilson_interval(
    numerator: np.ndarray | pd.Series | float,
    denominator: np.ndarray | pd.Series | float,
    z: float = Z95,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion.

    Parameters
    ----------
    numerator, denominator : array-like or float
        Counts. The numerator may be fractional (apportioned estimates).
    z : float
        Normal quantile; 1.96 gives a 95% interval.

    Returns
    -------
    tuple of ndarray
        Lower and upper bounds as proportions (0 to 1). NaN where the denominator is not
        positive or either count is missing.

    Raises
    ------
    ValueError
        If a numerator is negative or larger than its denominator.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    valid = np.isfinite(num) & np.isfinite(den) & (den > 0)
    if np.any(valid & ((num < 0) | (num > den + 1e-9))):
        raise ValueError("wilson_interval: numerator must lie between 0 and the denominator")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.clip(num / den, 0.0, 1.0)
        z2 = z * z
        centre = p + z2 / (2 * den)
        half = z * np.sqrt(p * (1 - p) / den + z2 / (4 * den * den))
        scale = 1 + z2 / den
        lower = (centre - half) / scale
        upper = (centre + half) / scale
    lower = np.where(valid, np.clip(lower, 0.0, 1.0), np.nan)
    upper = np.where(valid, np.clip(upper, 0.0, 1.0), np.nan)
    return lower, upper


def proportion_se(numerator: np.ndarray | float, denominator: np.ndarray | float) -> np.ndarray:
    """Return the standard error of a proportion, sqrt(p(1-p)/n), NaN where n is not positive."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = num / den
        se = np.sqrt(p * (1 - p) / den)
    return np.where(den > 0, se, np.nan)


def difference_interval(
    p1: np.ndarray | float,
    se1: np.ndarray | float,
    p2: np.ndarray | float,
    se2: np.ndarray | float,
    z: float = Z95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference ``p1 - p2`` of two independent estimates with a normal-approximation interval.

    The interval is computed for the difference itself (variances add), never read off two
    overlapping intervals.

    Returns
    -------
    tuple of ndarray
        Difference, lower bound, upper bound.
    """
    diff = np.asarray(p1, dtype=float) - np.asarray(p2, dtype=float)
    se = np.sqrt(np.asarray(se1, dtype=float) ** 2 + np.asarray(se2, dtype=float) ** 2)
    return diff, diff - z * se, diff + z * se


def newcombe_difference(
    numerator1: np.ndarray | float,
    denominator1: np.ndarray | float,
    numerator2: np.ndarray | float,
    denominator2: np.ndarray | float,
    z: float = Z95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference of two independent proportions, ``p2 - p1``, with Newcombe's hybrid interval.

    Newcombe's method 10 (*Stat Med* 1998;17:873-890) combines each proportion's Wilson score
    interval: ``lower = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)`` and ``upper = d + sqrt((u2 -
    p2)^2 + (p1 - l1)^2)``. It keeps good coverage for small counts and rates near 0 or 1,
    where the plain normal interval does not.

    Returns
    -------
    tuple of ndarray
        Difference, lower bound and upper bound, as proportions (NaN where either proportion
        has no positive denominator).
    """
    n1, d1 = np.asarray(numerator1, dtype=float), np.asarray(denominator1, dtype=float)
    n2, d2 = np.asarray(numerator2, dtype=float), np.asarray(denominator2, dtype=float)
    l1, u1 = wilson_interval(n1, d1, z)
    l2, u2 = wilson_interval(n2, d2, z)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = np.where(d1 > 0, n1 / d1, np.nan)
        p2 = np.where(d2 > 0, n2 / d2, np.nan)
    diff = p2 - p1
    lower = diff - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = diff + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return diff, lower, upper


def compare_to_benchmark(
    lower: np.ndarray | pd.Series,
    upper: np.ndarray | pd.Series,
    benchmark: float,
    polarity: str,
) -> np.ndarray:
    """Classify values against a benchmark the way OHID Fingertips does.

    A value whose 95% interval lies wholly above or below the benchmark differs
    significantly; otherwise it is "similar".

    Parameters
    ----------
    lower, upper : array-like
        Interval bounds in the same units as ``benchmark``.
    benchmark : float
        The comparator value (for example WMCA).
    polarity : {"higher_is_better", "higher_is_worse", "neither"}
        How to name a significant difference.

    Returns
    -------
    ndarray of str
        "better" / "similar" / "worse" for indicators with a direction, "higher" / "similar" /
        "lower" for those without, and "no data" where the interval is missing.
    """
    if polarity not in {"higher_is_better", "higher_is_worse", "neither"}:
        raise ValueError(f"compare_to_benchmark: unknown polarity {polarity!r}")
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    above = lo > benchmark
    below = hi < benchmark
    if polarity == "higher_is_better":
        hi_word, lo_word = "better", "worse"
    elif polarity == "higher_is_worse":
        hi_word, lo_word = "worse", "better"
    else:
        hi_word, lo_word = "higher", "lower"
    out = np.where(above, hi_word, np.where(below, lo_word, "similar")).astype(object)
    out[~(np.isfinite(lo) & np.isfinite(hi)) | (not np.isfinite(benchmark))] = "no data"
    return out


POLARITIES = ("higher_is_better", "higher_is_worse", "neither")
QUINTILE_LABELS = ("Q1", "Q2", "Q3", "Q4", "Q5")
GROUP_COLUMNS = [
    "group",
    "n_wards",
    "characteristic_min",
    "characteristic_max",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
]


def quintile_gap(
    frame: pd.DataFrame,
    characteristic: str,
    numerator: str = "numerator",
    denominator: str = "denominator",
    kind: str = "proportion",
    scale: float = 100.0,
    z: float = Z95,
) -> tuple[pd.DataFrame, dict]:
    """Pool wards into quintiles of a characteristic and measure the Q5 minus Q1 gap.

    Wards are ranked on the characteristic (ties broken by row order, so the five groups are
    as equal in size as possible) and cut into five groups with :func:`pandas.qcut`: ``Q1``
    holds the wards with the lowest characteristic values, ``Q5`` the highest. Each group's
    outcome is pooled from its wards' counts, ``sum(numerator) / sum(denominator)``; ward
    rates are never averaged, so large wards weigh more, as they should.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per ward, holding the characteristic value and the outcome's numerator and
        denominator (for example :meth:`equity.bundle.Bundle.ward_values` joined to the
        characteristic's ``value``).
    characteristic : str
        Column holding the characteristic each ward is grouped by.
    numerator, denominator : str
        Columns holding the outcome's counts. For a ``"mean_score"`` outcome these are the sum
        of score x population and the population.
    kind : {"proportion", "mean_score"}
        ``"proportion"`` gives each group a Wilson 95% interval and the gap an interval for
        the difference of two independent proportions (:func:`difference_interval`).
        ``"mean_score"`` gives population-weighted mean scores with no interval (NaN).
    scale : float
        Multiplier for proportions (100 gives percentages, matching the bundle). Ignored for
        ``"mean_score"``, whose values are already in score units.
    z : float
        Normal quantile for the intervals.

    Returns
    -------
    groups : pandas.DataFrame
        Five rows, ``Q1`` to ``Q5``, with columns ``group, n_wards, characteristic_min,
        characteristic_max, numerator, denominator, value, lower, upper`` (``value``,
        ``lower`` and ``upper`` in scaled units; intervals NaN for scores).
    gap : dict
        ``{"high": "Q5", "low": "Q1", "value": float, "lower": float, "upper": float,
        "n_wards": int, "n_excluded": int}``: the Q5 minus Q1 difference and its 95% interval
        (NaN for scores), the number of wards used and the number left out because the
        characteristic or the outcome counts were missing.

    Raises
    ------
    ValueError
        If a column is missing, ``kind`` is not supported, or fewer than five wards (or fewer
        than five distinct characteristic values) have data.
    """
    if kind not in {"proportion", "mean_score"}:
        raise ValueError(
            f"quintile_gap: kind must be 'proportion' or 'mean_score', not {kind!r} "
            "(ranks and deciles cannot be pooled)"
        )
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"quintile_gap: scale must be a positive number, not {scale!r}")
    data, n_excluded = _wards_to_pool(frame, characteristic, numerator, denominator)
    groups = _pooled_quintiles(data)
    num = groups["numerator"].to_numpy(dtype=float)
    den = groups["denominator"].to_numpy(dtype=float)
    share = num / den
    if kind == "proportion":
        lower, upper = wilson_interval(num, den, z=z)
        groups["value"] = share * scale
        groups["lower"] = lower * scale
        groups["upper"] = upper * scale
        se = proportion_se(num, den)
        diff, lo, hi = difference_interval(share[-1], se[-1], share[0], se[0], z=z)
        gap_value, gap_lower, gap_upper = float(diff) * scale, float(lo) * scale, float(hi) * scale
    else:
        groups["value"] = share
        groups["lower"] = np.nan
        groups["upper"] = np.nan
        gap_value, gap_lower, gap_upper = float(share[-1] - share[0]), np.nan, np.nan
    gap = {
        "high": QUINTILE_LABELS[-1],
        "low": QUINTILE_LABELS[0],
        "value": gap_value,
        "lower": gap_lower,
        "upper": gap_upper,
        "n_wards": len(data),
        "n_excluded": n_excluded,
    }
    return groups[GROUP_COLUMNS], gap


def _wards_to_pool(frame: pd.DataFrame, characteristic: str, numerator: str,
                   denominator: str) -> tuple[pd.DataFrame, int]:
    """The wards with a characteristic and outcome counts, and how many were left out."""
    missing = [c for c in (characteristic, numerator, denominator) if c not in frame.columns]
    if missing:
        raise ValueError(f"quintile_gap: frame has no column(s) {missing}")
    data = pd.DataFrame(
        {
            "characteristic": pd.to_numeric(frame[characteristic], errors="coerce"),
            "numerator": pd.to_numeric(frame[numerator], errors="coerce"),
            "denominator": pd.to_numeric(frame[denominator], errors="coerce"),
        }
    )
    usable = (
        np.isfinite(data["characteristic"])
        & np.isfinite(data["numerator"])
        & np.isfinite(data["denominator"])
        & (data["denominator"] > 0)
    )
    data = data[usable]
    n_groups = len(QUINTILE_LABELS)
    if len(data) < n_groups:
        raise ValueError(
            f"quintile_gap: need at least {n_groups} wards with both the characteristic and the "
            f"outcome, found {len(data)}"
        )
    if data["characteristic"].nunique() < n_groups:
        raise ValueError(
            f"quintile_gap: need at least {n_groups} distinct values of {characteristic!r} to form "
            f"quintiles, found {data['characteristic'].nunique()}"
        )
    return data, int((~usable).sum())


def _pooled_quintiles(data: pd.DataFrame) -> pd.DataFrame:
    """Wards ranked on the characteristic (ties by row order), cut in five, counts summed.

    The cut is :func:`pandas.qcut`'s on the ranks (edges at the rank quantiles, each group
    closed on the right, the first also on the left), done in NumPy: in rank order the groups
    are runs, so each is summed as a slice. A pandas groupby took several times as long, on
    every filter change of a theme page.
    """
    order = np.argsort(data["characteristic"].to_numpy(dtype=float), kind="stable")
    characteristic = data["characteristic"].to_numpy(dtype=float)[order]
    numerator = data["numerator"].to_numpy(dtype=float)[order]
    denominator = data["denominator"].to_numpy(dtype=float)[order]
    ranks = np.arange(1, len(order) + 1, dtype=float)
    edges = np.quantile(ranks, np.linspace(0, 1, len(QUINTILE_LABELS) + 1))
    starts = np.concatenate([[0], np.searchsorted(ranks, edges[1:-1], side="right"),
                             [len(ranks)]])
    rows = []
    for label, start, stop in zip(QUINTILE_LABELS, starts[:-1], starts[1:], strict=True):
        rows.append({"group": label, "n_wards": int(stop - start),
                     "characteristic_min": characteristic[start] if stop > start else np.nan,
                     "characteristic_max": characteristic[stop - 1] if stop > start else np.nan,
                     "numerator": numerator[start:stop].sum(),
                     "denominator": denominator[start:stop].sum()})
    return pd.DataFrame(rows)


def rank_wards(values: pd.Series | np.ndarray, polarity: str) -> pd.Series:
    """Rank wards so that 1 is the worst (or, with no direction, the highest).

    Parameters
    ----------
    values : pandas.Series or array-like
        One value per ward; NaN means no data.
    polarity : {"higher_is_better", "higher_is_worse", "neither"}
        ``"higher_is_worse"`` and ``"neither"`` rank the highest value 1;
        ``"higher_is_better"`` ranks the lowest value 1.

    Returns
    -------
    pandas.Series of float
        Ranks 1 to n (n = wards with data), ties sharing the lowest rank (``method="min"``),
        NaN for wards with no data. Keeps the index of ``values`` when it is a Series.

    Raises
    ------
    ValueError
        If ``polarity`` is not recognised.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"rank_wards: unknown polarity {polarity!r}; expected one of {POLARITIES}")
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    series = pd.to_numeric(series, errors="coerce").astype(float)
    series = series.where(np.isfinite(series))
    ascending = polarity == "higher_is_better"
    return series.rank(method="min", ascending=ascending, na_option="keep").rename("rank")


def fisher_z_interval(
    r: np.ndarray | float, n: np.ndarray | float, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval for a Pearson correlation by Fisher's z transformation.

    The interval is ``tanh(atanh(r) -/+ z / sqrt(n - 3))``.

    Parameters
    ----------
    r : array-like or float
        Sample correlation coefficients, between -1 and 1.
    n : array-like or float
        Number of pairs behind each coefficient.
    z : float
        Normal quantile; 1.96 gives a 95% interval.

    Returns
    -------
    tuple of ndarray
        Lower and upper bounds. NaN where ``r`` is missing or ``n`` is below 4; a
        coefficient of exactly -1 or 1 gives a zero-width interval at that value.

    Raises
    ------
    ValueError
        If a coefficient lies outside [-1, 1].
    """
    rr = np.asarray(r, dtype=float)
    nn = np.asarray(n, dtype=float)
    if np.any(np.isfinite(rr) & (np.abs(rr) > 1 + 1e-12)):
        raise ValueError("fisher_z_interval: correlations must lie between -1 and 1")
    rr = np.clip(rr, -1.0, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.arctanh(rr)
        half = z / np.sqrt(nn - 3)
        lower = np.tanh(centre - half)
        upper = np.tanh(centre + half)
    valid = np.isfinite(rr) & np.isfinite(nn) & (nn >= 4)
    return np.where(valid, lower, np.nan), np.where(valid, upper, np.nan)
