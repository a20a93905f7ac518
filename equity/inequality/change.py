"""Is the gap closing? The slope index of inequality across areas in two years, and its change.

For each year the areas are ordered by that year's deprivation ranking (most deprived first)
and the OHID slope index of inequality is fitted across them, each area weighted by its
population (:mod:`equity.inequality.slope`). The change is the 2021 SII minus the 2011 SII;
its 95% interval comes from the difference of the two years' independent Monte Carlo draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from equity.checks import require_columns
from equity.inequality.slope import DEFAULT_N_SIM, DEFAULT_SEED, simulated_sii
from equity.stats import proportion_se

SII_COLUMNS = ["indicator", "sii_2011", "sii_lower_2011", "sii_upper_2011", "sii_2021",
               "sii_lower_2021", "sii_upper_2021", "sii_change", "sii_change_lower",
               "sii_change_upper", "areas"]


def year_groups(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """One year's areas as slope-index groups, ordered by that year's deprivation.

    Parameters
    ----------
    rows : DataFrame
        One measure's area rows with ``numerator_<year>``, ``denominator_<year>`` and
        ``imd_percentile_<year>`` (small = more deprived).
    year : int
        2011 or 2021.

    Returns
    -------
    DataFrame
        ``order`` (1 = most deprived), ``denominator``, ``value`` and ``se`` (proportions).
    """
    cols = [f"numerator_{year}", f"denominator_{year}", f"imd_percentile_{year}"]
    require_columns(rows, cols, "year_groups")
    num, den, rank_by = (rows[c].to_numpy(dtype=float) for c in cols)
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0) & np.isfinite(rank_by)
    order = pd.Series(rank_by[usable]).rank(method="first").to_numpy()
    return pd.DataFrame({"order": order, "denominator": den[usable],
                         "value": num[usable] / den[usable],
                         "se": proportion_se(num[usable], den[usable])})


def sii_change(rows: pd.DataFrame, n_sim: int = DEFAULT_N_SIM, seed: int = DEFAULT_SEED
               ) -> dict:
    """The SII in 2011 and 2021 across areas ranked by each year's deprivation, and its change.

    Parameters
    ----------
    rows : DataFrame
        One measure's area rows (as :func:`equity.change.change_rows` makes them).
    n_sim : int
        Monte Carlo draws for each year.
    seed : int
        Seed of the 2011 draws; the 2021 draws use ``seed + 1``, so the two are independent.

    Returns
    -------
    dict
        ``sii_<year>`` with ``sii_lower_<year>`` and ``sii_upper_<year>`` for each year, and
        ``sii_change`` (2021 minus 2011) with its limits, in percentage points; ``areas``,
        the areas used. A positive SII means higher values in more deprived areas.
    """
    out: dict = {}
    draws = {}
    areas = set()
    for offset, year in enumerate((2011, 2021)):
        groups = year_groups(rows, year)
        areas.add(len(groups))
        sii, draws[year] = simulated_sii(groups, n_sim=n_sim, seed=seed + offset,
                                         decile_col="order")
        out[f"sii_{year}"] = sii
        out[f"sii_lower_{year}"], out[f"sii_upper_{year}"] = (
            float(v) for v in np.quantile(draws[year], [0.025, 0.975]))
    difference = draws[2021] - draws[2011]
    out["sii_change"] = out["sii_2021"] - out["sii_2011"]
    out["sii_change_lower"], out["sii_change_upper"] = (
        float(v) for v in np.quantile(difference, [0.025, 0.975]))
    out["areas"] = min(areas)
    return out


def gap_sentence(title: str, result: dict, unit: str = "points") -> str:
    """The change in the gap as one plain sentence.

    The gap is the SII's size in the direction it had in 2011 (the most deprived areas'
    disadvantage, whichever way the measure runs), so "narrowed" means closer to no gap.
    It is called narrowed or widened only where the change's interval excludes zero.
    """
    direction = 1.0 if result["sii_2011"] >= 0 else -1.0
    before, after = direction * result["sii_2011"], direction * result["sii_2021"]
    change = direction * result["sii_change"]
    low, high = sorted((direction * result["sii_change_lower"],
                        direction * result["sii_change_upper"]))
    interval = f"change {change:+.1f} {unit}, 95% CI {low:+.1f} to {high:+.1f}"
    subject = f"The gap in {title} between the most and least deprived neighbourhoods"
    if high < 0:
        verb = "narrowed"
    elif low > 0:
        verb = "widened"
    else:
        return (f"{subject} went from {before:.1f} to {after:.1f} {unit}: no clear change "
                f"({interval}, which includes zero).")
    return f"{subject} {verb} from {before:.1f} to {after:.1f} {unit} ({interval})."
