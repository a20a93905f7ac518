"""Differential-impact check: who lives in a chosen set of wards, compared with all of WMCA.

An officer screening a programme under the WMCA Equity and Inclusion Scheme chooses the wards
the programme covers (on the page, or as a CSV read by :func:`equity.ward_list.read_ward_list`)
and :func:`impact_table` sets out, for each protected or socio-economic characteristic group,
the share of the chosen wards' residents in the group against the WMCA share.

Comparing a part with the whole
-------------------------------
The chosen wards are part of WMCA, so their share and the WMCA share are not independent:
treating them as two separate samples double-counts the chosen wards and gives intervals that
are too wide. Write ``c`` for the chosen wards, ``r`` for the rest of WMCA (WMCA minus the
chosen wards, counts subtracted) and ``n`` for bases (residents or households). Because
``p_wmca = (n_c p_c + n_r p_r) / N`` with ``N = n_c + n_r``,

    p_c - p_wmca = (n_r / N) * (p_c - p_r)

and the chosen wards and the rest share no residents, so ``p_c - p_r`` is a difference of two
independent proportions. Its 95% interval comes from
:func:`equity.stats.difference_interval` on the two :func:`equity.stats.proportion_se` values,
and the interval for ``p_c - p_wmca`` is that interval multiplied by ``n_r / N``. A group is
flagged over- or under-represented only when that interval excludes zero. When every ward is
chosen the difference is zero by definition and there is no interval.

The counts are Census 2021 and Indices of Deprivation counts for every resident, not a
survey sample; the interval (like the Wilson intervals elsewhere in the dashboard) treats them
as a draw from the underlying rate. With bases in the tens of thousands, differences of one
percentage point or less are often flagged, so read the size of the difference as well as the
flag.

All counts are summed from the bundle's ward numerators and denominators (and the WMCA row);
ward percentages are never averaged.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import WMCA_CODE, characteristics
from equity.stats import Z95, difference_interval, proportion_se

# (indicator id, plain-English group, what is counted)
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("eth_asian", "Asian, Asian British or Asian Welsh", "residents"),
    ("eth_black", "Black, Black British, Black Welsh, Caribbean or African", "residents"),
    ("eth_mixed", "Mixed or Multiple ethnic groups", "residents"),
    ("eth_white", "White", "residents"),
    ("eth_other", "Other ethnic group", "residents"),
    ("disabled", "Disabled under the Equality Act", "residents"),
    ("aged_16_24", "Aged 16-24", "residents"),
    ("aged_65_plus", "Aged 65 and over", "residents"),
    ("imd_most_deprived_10pc", "Living in England's most deprived 10% of neighbourhoods",
     "residents"),
    ("hh_deprived", "Households deprived in at least one dimension", "households"),
    # Every further characteristic of the catalogue counted in people or households: its
    # group and short title name it ("Religion: Muslim"), so adding one to the catalogue adds
    # it here.
    *((ind.id, f"{ind.group}: {re.sub(r' [(]%[^)]*[)]$', '', ind.short_title)}",
       "households" if "household" in ind.denominator.lower() else "residents")
      for ind in characteristics()
      if ind.kind == "proportion" and not ind.modelled
      and (ind.oa_share is not None or ind.table == "msoa_split")),
)
IMPACT_COLUMNS = [
    "group",
    "indicator",
    "counted",
    "residents_in_group",
    "base_in_chosen",
    "share_chosen",
    "wmca_in_group",
    "wmca_base",
    "share_wmca",
    "difference",
    "lower",
    "upper",
    "flag",
]
def part_of_whole_interval(x_c: float, n_c: float, x_all: float, n_all: float,
                           z: float = Z95) -> tuple[float, float]:
    """95% interval, in percentage points, of a part's share minus its whole's share.

    The method of the module docstring: the part (``x_c`` of ``n_c``) against the rest of
    the whole (``x_all - x_c`` of ``n_all - n_c``), two independent proportions, with the
    interval of their difference scaled by the rest's share of the whole's base.

    Returns
    -------
    tuple of float
        (lower, upper); both NaN where the whole does not hold the part's counts (no rest,
        or a rest with a count outside 0 to its base).
    """
    n_r, x_r = n_all - n_c, x_all - x_c
    if not (n_c > 0 and n_r > 0 and 0 <= x_r <= n_r):
        return np.nan, np.nan
    _, lo, hi = difference_interval(x_c / n_c, proportion_se(x_c, n_c), x_r / n_r,
                                    proportion_se(x_r, n_r), z=z)
    scale = 100 * n_r / n_all
    return float(lo) * scale, float(hi) * scale


def check_ward_codes(bundle: Bundle, codes) -> list[str]:
    """The chosen ward codes in order, repeats dropped; ValueError if none or any unknown."""
    if isinstance(codes, str):
        codes = [codes]
    chosen = list(dict.fromkeys(str(c) for c in codes))
    if not chosen:
        raise ValueError("impact_table: no wards chosen")
    known = set(bundle.wards.ward_code.astype(str))
    missing = [c for c in chosen if c not in known]
    if missing:
        raise ValueError(f"impact_table: unknown ward code(s): {', '.join(missing)}")
    return chosen


def impact_table(bundle: Bundle, codes, z: float = Z95) -> pd.DataFrame:
    """Who lives in the chosen wards, by characteristic group, against WMCA.

    Parameters
    ----------
    bundle : Bundle
        The ward bundle.
    codes : iterable of str
        2024 ward codes of the chosen wards. Repeats count once.
    z : float
        Normal quantile; the default gives 95% intervals.

    Returns
    -------
    pandas.DataFrame
        One row per group in :data:`GROUPS` order, with columns :data:`IMPACT_COLUMNS`:
        ``group`` (plain English), ``indicator`` (catalogue id), ``counted`` ("residents" or
        "households": ``hh_deprived`` counts households, so its base differs),
        ``residents_in_group`` and ``base_in_chosen`` (the chosen wards' numerators and
        denominators summed), ``share_chosen`` (%), ``wmca_in_group``, ``wmca_base`` and
        ``share_wmca`` (%) from the bundle's WMCA row, ``difference`` (percentage points,
        chosen minus WMCA) with ``lower`` and ``upper`` (its 95% interval, computed as set out
        in the module docstring), and ``flag``: "over-represented" or "under-represented" when
        the interval excludes zero, "similar" when it does not, "all of WMCA" when every ward
        is chosen (difference 0, no interval) and "no data" when a chosen ward or WMCA lacks
        counts for the group.

    Raises
    ------
    ValueError
        If ``codes`` is empty or names a ward not in the bundle.
    """
    chosen = check_ward_codes(bundle, codes)
    all_wards = set(chosen) == set(bundle.wards.ward_code.astype(str))
    values = bundle.values
    rows = []
    for indicator, label, counted in GROUPS:
        row = dict.fromkeys(IMPACT_COLUMNS, np.nan)
        row.update(group=label, indicator=indicator, counted=counted, flag="no data")
        rows.append(row)
        of_indicator = values[values.indicator == indicator]
        wards = of_indicator[(of_indicator.level == "ward")
                             & of_indicator.area_code.isin(chosen)]
        wmca = of_indicator[(of_indicator.level == "wmca")
                            & (of_indicator.area_code == WMCA_CODE)]
        num = pd.to_numeric(wards.numerator, errors="coerce")
        den = pd.to_numeric(wards.denominator, errors="coerce")
        complete = (len(wards) == len(chosen) and np.isfinite(num).all()
                    and np.isfinite(den).all())
        if complete and float(den.sum()) > 0:
            row.update(residents_in_group=float(num.sum()), base_in_chosen=float(den.sum()))
            row["share_chosen"] = 100 * row["residents_in_group"] / row["base_in_chosen"]
        if len(wmca) == 1:
            w_num, w_den = (float(pd.to_numeric(wmca.iloc[0][c], errors="coerce"))
                            for c in ("numerator", "denominator"))
            if np.isfinite(w_num) and np.isfinite(w_den) and w_den > 0:
                row.update(wmca_in_group=w_num, wmca_base=w_den,
                           share_wmca=100 * w_num / w_den)
        if not (np.isfinite(row["share_chosen"]) and np.isfinite(row["share_wmca"])):
            continue
        if all_wards:
            row.update(difference=0.0, flag="all of WMCA")
            continue
        row["difference"] = row["share_chosen"] - row["share_wmca"]
        lower, upper = part_of_whole_interval(
            row["residents_in_group"], row["base_in_chosen"], row["wmca_in_group"],
            row["wmca_base"], z=z)
        if not np.isfinite(lower):
            # The WMCA row does not cover the chosen wards' counts; no honest interval.
            continue
        row.update(lower=lower, upper=upper)
        if row["lower"] > 0:
            row["flag"] = "over-represented"
        elif row["upper"] < 0:
            row["flag"] = "under-represented"
        else:
            row["flag"] = "similar"
    return pd.DataFrame(rows, columns=IMPACT_COLUMNS)
