"""Ward counts pooled into deprivation deciles (or any whole-numbered groups, such as quintiles)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.checks import require_columns
from equity.inequality.inputs import check_poolable_kind
from equity.stats import proportion_se

DECILE_GROUP_COLUMNS = [
    "decile",
    "n_wards",
    "numerator",
    "denominator",
    "value",
    "se",
    "population_share",
]


def decile_groups(
    frame: pd.DataFrame,
    decile_col: str = "decile",
    numerator: str = "numerator",
    denominator: str = "denominator",
    kind: str = "proportion",
) -> pd.DataFrame:
    """Pool ward counts into deprivation deciles.

    Each decile's value is pooled from its wards' counts, ``sum(numerator) /
    sum(denominator)``; ward rates are never averaged. For a ``"mean_score"`` outcome, whose
    numerator is score x population and denominator population, this is the
    population-weighted mean score.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per ward with its decile and the outcome's counts. Wards whose decile is
        missing, or whose counts are missing or have a zero denominator, are left out.
    decile_col : str
        Column holding the decile: a whole number, 1 = most deprived. Any number of groups
        (quintiles, say) works the same way.
    numerator, denominator : str
        Columns holding the outcome's counts.
    kind : {"proportion", "mean_score"}
        ``"proportion"`` gives each group a binomial standard error; ``"mean_score"`` gives NaN.

    Returns
    -------
    pandas.DataFrame
        One row per decile found in ``decile_col`` (ascending, most deprived first), with
        columns ``decile, n_wards, numerator, denominator, value, se, population_share``.
        ``value`` and ``se`` are on the unscaled scale (proportions 0 to 1, not percent).
        ``population_share`` is the decile's share of the summed denominator. A decile
        whose wards have no usable counts keeps the row with ``n_wards`` 0 and NaN counts,
        value, standard error and share.

    Raises
    ------
    ValueError
        If a column is missing, ``kind`` is not supported, a decile is not a whole number
        of at least 1, a denominator is negative, or (for proportions) a numerator is
        negative or exceeds its denominator. Mean-score numerators may be negative (some IMD
        domain scores are).
    """
    require_columns(frame, (decile_col, numerator, denominator), "decile_groups")
    check_poolable_kind(kind, "decile_groups")
    data = _checked_ward_counts(frame, decile_col, numerator, denominator, kind)
    groups = _pooled_by_decile(data)
    _add_rates_and_shares(groups, kind)
    return groups[DECILE_GROUP_COLUMNS]


def _checked_ward_counts(
    frame: pd.DataFrame, decile_col: str, numerator: str, denominator: str, kind: str
) -> pd.DataFrame:
    """Wards with a decile, as floats, flagged ``usable`` when their counts can be pooled.

    Wards without a decile are dropped here; wards with a decile but no usable counts are
    kept (unflagged) so that their decile still gets a row.
    """
    data = pd.DataFrame(
        {
            "decile": pd.to_numeric(frame[decile_col], errors="coerce").astype(float),
            "numerator": pd.to_numeric(frame[numerator], errors="coerce").astype(float),
            "denominator": pd.to_numeric(frame[denominator], errors="coerce").astype(float),
        }
    )
    data = data[np.isfinite(data["decile"])]
    deciles = data["decile"].to_numpy()
    if np.any((deciles < 1) | (deciles != np.round(deciles))):
        raise ValueError(f"decile_groups: {decile_col!r} must hold whole numbers from 1 (most deprived)")
    num, den = data["numerator"].to_numpy(), data["denominator"].to_numpy()
    if np.any(den < 0) or (kind == "proportion" and np.any(num < 0)):
        raise ValueError("decile_groups: denominators (and a proportion's numerators) must not be negative")
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0)
    # The tolerance lets through counts that only exceed their denominator by rounding.
    if kind == "proportion" and np.any(usable & (num > den + 1e-9)):
        raise ValueError("decile_groups: a proportion's numerator must not exceed its denominator")
    data["usable"] = usable
    data["decile"] = data["decile"].astype(int)
    return data


def _pooled_by_decile(data: pd.DataFrame) -> pd.DataFrame:
    """Summed counts and ward numbers per decile, one row for every decile present in ``data``."""
    pooled = (
        data[data["usable"]]
        .groupby("decile")
        .agg(n_wards=("usable", "size"), numerator=("numerator", "sum"), denominator=("denominator", "sum"))
    )
    all_deciles = np.sort(data["decile"].unique())
    groups = pooled.reindex(all_deciles).rename_axis("decile").reset_index()
    groups["n_wards"] = groups["n_wards"].fillna(0).astype(int)
    return groups


def _add_rates_and_shares(groups: pd.DataFrame, kind: str) -> None:
    """Add each decile's pooled ``value``, its ``se`` and its ``population_share`` in place."""
    g_num = groups["numerator"].to_numpy(dtype=float)
    g_den = groups["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        groups["value"] = g_num / g_den
    if kind == "proportion":
        groups["se"] = proportion_se(g_num, g_den)
    else:
        groups["se"] = np.nan
    total = np.nansum(g_den)
    groups["population_share"] = g_den / total if total > 0 else np.nan
