"""Detailed ethnic group (19 categories) in every ward: an estimate split from MSOAs.

ONS publishes Census 2021 TS021's 19 detailed ethnic groups for 2021 MSOAs (here), but only
its five high-level groups for LSOAs. Each LSOA's measured count of a high-level group is split
in its MSOA's proportions within that group; the LSOA estimates are then summed to wards by best
fit like any LSOA count. Every figure made this way is labelled
"Estimate: detailed groups split from MSOA" (method key ``msoa_split``).

What the estimate keeps, by construction:

* each LSOA's (hence each ward's) detailed groups add up exactly to its measured high-level
  group, because the proportions within a group add up to 1;
* each MSOA's estimates add up to its published detailed count, scaled by the ratio of its
  LSOAs' high-level count to its own published high-level count. The two files are perturbed
  independently by ONS, so the ratio is not exactly 1: the gap in a detailed category is its
  share of the high-level group's gap (a few people).

What it assumes: that within an MSOA every LSOA has the same mix of detailed groups within a
high-level group (the Pakistani share of Asian residents, say). Where one LSOA of an MSOA has a
different mix, its estimate is wrong even though the MSOA's total is right, so a ward is only as
good as that assumption over the MSOAs it draws on. An MSOA holds four to nine LSOAs here.

The MSOA of an LSOA comes from ONS's naming rule (an LSOA's name is its MSOA's name followed by
one letter: "Birmingham 078D" is in MSOA "Birmingham 078"), not from a derived lookup.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

METHOD = "msoa_split"
METHOD_LABEL = "Estimate: detailed groups split from MSOA"
METHOD_DESCRIPTION = (
    "Estimate: detailed groups split from MSOA. ONS publishes Census 2021's 19 detailed ethnic "
    "groups for MSOAs (about 5,000-16,000 residents) but only the five high-level groups for "
    "LSOAs. Each LSOA's measured count of a high-level group (Asian, say) is split in its "
    "MSOA's proportions within that group (Pakistani, Indian, Bangladeshi, Chinese, Other "
    "Asian), and the LSOA estimates are added up to 2024 wards with the ONS best-fit lookup. "
    "A ward's detailed groups add up exactly to its measured high-level group, and each MSOA's "
    "estimates to its published counts within a few people (the two tables are perturbed "
    "separately by ONS). It assumes every LSOA of an MSOA has the same mix within each "
    "high-level group, so a ward's figure is an estimate, not a count."
)

BROAD_GROUPS: dict[str, tuple[str, ...]] = {
    "eth_asian": ("eth_bangladeshi", "eth_chinese", "eth_indian", "eth_pakistani",
                  "eth_other_asian"),
    "eth_black": ("eth_black_african", "eth_black_caribbean", "eth_other_black"),
    "eth_mixed": ("eth_mixed_white_asian", "eth_mixed_white_black_african",
                  "eth_mixed_white_black_caribbean", "eth_other_mixed"),
    "eth_white": ("eth_white_british", "eth_irish", "eth_gypsy_irish_traveller", "eth_roma",
                  "eth_other_white"),
    "eth_other": ("eth_arab", "eth_any_other"),
}
"""The five high-level groups (the LSOA table's columns) and the detailed groups in each, as
ONS nests them in TS021."""

DETAILED_COLUMNS: tuple[str, ...] = tuple(c for parts in BROAD_GROUPS.values() for c in parts)
"""The 19 detailed groups, in ONS's order."""

GROUP_OF: dict[str, str] = {d: g for g, parts in BROAD_GROUPS.items() for d in parts}
"""The high-level group of each detailed group."""

_LSOA_NAME = re.compile(r"^(.+ \d{3})[A-Z]$")


def msoa_name(lsoa_name: str) -> str:
    """The name of the 2021 MSOA an LSOA is in, by ONS's naming rule.

    Parameters
    ----------
    lsoa_name : str
        A 2021 LSOA name: its authority's name, a space, its MSOA's three-digit number and one
        capital letter ("Birmingham 078D").

    Returns
    -------
    str
        The name without its final letter ("Birmingham 078").

    Raises
    ------
    ValueError
        If the name does not follow the rule.
    """
    match = _LSOA_NAME.match(str(lsoa_name))
    if match is None:
        raise ValueError(f"LSOA name {lsoa_name!r} does not end in a three-digit MSOA number "
                         "and one capital letter")
    return match.group(1)


def assign_msoas(lsoa_names: pd.Series, msoa_names: pd.Series) -> pd.Series:
    """Place each LSOA in its 2021 MSOA by ONS's naming rule.

    Parameters
    ----------
    lsoa_names : Series
        LSOA 2021 name, indexed by LSOA 2021 code.
    msoa_names : Series
        MSOA 2021 name, indexed by MSOA 2021 code (the MSOA table's own codes and names).

    Returns
    -------
    Series
        MSOA 2021 code, indexed by LSOA 2021 code (named ``msoa_code``).

    Raises
    ------
    ValueError
        If an LSOA name breaks the naming rule, an LSOA code repeats, an MSOA name or code
        repeats, an LSOA's MSOA is not among ``msoa_names``, or an MSOA has no LSOA.
    """
    if lsoa_names.index.duplicated().any():
        raise ValueError(f"assign_msoas: LSOA {lsoa_names.index[lsoa_names.index.duplicated()][0]} "
                         "appears twice")
    if msoa_names.index.duplicated().any():
        raise ValueError(f"assign_msoas: MSOA code {msoa_names.index[msoa_names.index.duplicated()][0]} "
                         "appears twice")
    if msoa_names.duplicated().any():
        raise ValueError(f"assign_msoas: MSOA name {msoa_names[msoa_names.duplicated()].iloc[0]!r} "
                         "appears twice")
    code_of = pd.Series(msoa_names.index, index=msoa_names.to_numpy())
    derived = lsoa_names.map(msoa_name)
    unknown = ~derived.isin(code_of.index)
    if unknown.any():
        lsoa = derived.index[unknown][0]
        raise ValueError(f"assign_msoas: LSOA {lsoa} ({lsoa_names[lsoa]}) is in MSOA "
                         f"{derived[lsoa]!r}, which is not in the MSOA table")
    out = pd.Series(code_of.reindex(derived.to_numpy()).to_numpy(), index=lsoa_names.index,
                    name="msoa_code")
    empty = sorted(set(msoa_names.index) - set(out))
    if empty:
        raise ValueError(f"assign_msoas: MSOA {empty[0]} ({msoa_names[empty[0]]}) has no LSOA")
    return out


def _check_counts(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Raise ValueError unless ``frame`` has ``columns``, each finite and at least 0."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"split_to_lsoas: {what} has no column {missing[0]!r}")
    values = frame[columns].to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row, col = (int(i[0]) for i in np.nonzero(bad))
        raise ValueError(f"split_to_lsoas: {what} {frame.index[row]}, column {columns[col]!r}: "
                         f"expected a finite count of at least 0, found {values[row, col]!r}")
    if frame.index.duplicated().any():
        raise ValueError(f"split_to_lsoas: {what} {frame.index[frame.index.duplicated()][0]} "
                         "appears twice")


def split_to_lsoas(lsoa_broad: pd.DataFrame, lsoa_msoa: pd.Series,
                   msoa_detailed: pd.DataFrame) -> pd.DataFrame:
    """Split each LSOA's high-level ethnic group counts in its MSOA's detailed proportions.

    For an LSOA *l* in MSOA *m* and a detailed group *d* of high-level group *g*, the estimate
    is ``broad[l, g] * detailed[m, d] / sum of detailed[m, d']`` over the detailed groups *d'*
    of *g*. The proportions come from the MSOA's detailed counts (not its published high-level
    count), so they add up to exactly 1 and an LSOA's detailed estimates add up to exactly its
    high-level count.

    Where an MSOA has no one in a high-level group (its detailed counts in the group are all
    0), there are no proportions to split by. An LSOA of that MSOA with 0 in the group gets 0 in
    each of its detailed groups, which is exact. An LSOA with people in the group (possible only
    through ONS's separate perturbation of the two tables) gets NaN in each of them: the split
    is unknown, and no even split or other mix is invented. No WMCA MSOA has an empty
    high-level group in 2021 (the smallest is Other ethnic group, 13 residents), so this does
    not arise in the published data.

    Parameters
    ----------
    lsoa_broad : DataFrame
        Indexed by LSOA code: the high-level group counts ``eth_asian, eth_black, eth_mixed,
        eth_white, eth_other`` (other columns are ignored).
    lsoa_msoa : Series
        MSOA code, indexed by LSOA code (:func:`assign_msoas`); must cover every LSOA of
        ``lsoa_broad``.
    msoa_detailed : DataFrame
        Indexed by MSOA code: the 19 detailed counts (:data:`DETAILED_COLUMNS`; other columns
        are ignored); must cover every MSOA an LSOA is in.

    Returns
    -------
    DataFrame
        Indexed like ``lsoa_broad``, one float column per detailed group
        (:data:`DETAILED_COLUMNS`): estimated counts, not whole numbers.

    Raises
    ------
    ValueError
        If a column is missing, a count is negative, not finite or missing, a code repeats, an
        LSOA has no MSOA or an MSOA has no detailed counts.
    """
    _check_counts(lsoa_broad, list(BROAD_GROUPS), "LSOA")
    _check_counts(msoa_detailed, list(DETAILED_COLUMNS), "MSOA")
    if lsoa_msoa.index.duplicated().any():
        raise ValueError(f"split_to_lsoas: LSOA {lsoa_msoa.index[lsoa_msoa.index.duplicated()][0]} "
                         "has more than one MSOA")
    msoa_of = lsoa_msoa.reindex(lsoa_broad.index)
    if msoa_of.isna().any():
        raise ValueError(f"split_to_lsoas: LSOA {msoa_of.index[msoa_of.isna()][0]} has no MSOA")
    unknown = ~msoa_of.isin(msoa_detailed.index)
    if unknown.any():
        lsoa = msoa_of.index[unknown][0]
        raise ValueError(f"split_to_lsoas: LSOA {lsoa} is in MSOA {msoa_of[lsoa]}, which has no "
                         "detailed counts")
    parts = []
    for group, detailed in BROAD_GROUPS.items():
        counts = msoa_detailed[list(detailed)].astype(float)
        total = counts.sum(axis=1)
        shares = counts.div(total.where(total > 0), axis=0)  # NaN where the MSOA group is empty
        per_lsoa = shares.reindex(msoa_of.to_numpy()).set_axis(lsoa_broad.index)
        broad = lsoa_broad[group].astype(float)
        estimate = per_lsoa.mul(broad, axis=0)
        nobody = per_lsoa.isna().all(axis=1) & (broad == 0)  # an empty group split: 0 each
        estimate.loc[nobody] = 0.0
        parts.append(estimate)
    out = pd.concat(parts, axis=1)[list(DETAILED_COLUMNS)]
    out.index.name = lsoa_broad.index.name
    return out


def sum_to_msoas(lsoa_detailed: pd.DataFrame, lsoa_msoa: pd.Series) -> pd.DataFrame:
    """Add LSOA estimates up to their MSOAs.

    Parameters
    ----------
    lsoa_detailed : DataFrame
        Indexed by LSOA code (:func:`split_to_lsoas`).
    lsoa_msoa : Series
        MSOA code, indexed by LSOA code; must cover every LSOA of ``lsoa_detailed``.

    Returns
    -------
    DataFrame
        Indexed by MSOA code (``msoa_code``), the same columns summed. NaN stays NaN.

    Raises
    ------
    ValueError
        If an LSOA has no MSOA.
    """
    msoa_of = lsoa_msoa.reindex(lsoa_detailed.index)
    if msoa_of.isna().any():
        raise ValueError(f"sum_to_msoas: LSOA {msoa_of.index[msoa_of.isna()][0]} has no MSOA")
    out = lsoa_detailed.groupby(msoa_of.to_numpy()).sum(min_count=1)
    out.index.name = "msoa_code"
    return out


def sum_back_gaps(lsoa_detailed: pd.DataFrame, lsoa_msoa: pd.Series,
                  msoa_detailed: pd.DataFrame) -> pd.DataFrame:
    """How far each MSOA's estimates are from its published detailed counts.

    Parameters
    ----------
    lsoa_detailed : DataFrame
        Indexed by LSOA code (:func:`split_to_lsoas`).
    lsoa_msoa : Series
        MSOA code, indexed by LSOA code.
    msoa_detailed : DataFrame
        Indexed by MSOA code: the published detailed counts.

    Returns
    -------
    DataFrame
        Indexed by MSOA code, one column per detailed group: the LSOA estimates summed to the
        MSOA minus the published count, in people. It is the detailed group's share of the gap
        between the MSOA's LSOAs' high-level count and its published one (ONS perturbs the two
        tables separately).

    Raises
    ------
    ValueError
        If an LSOA has no MSOA, or the MSOAs of the estimates and the published table differ.
    """
    summed = sum_to_msoas(lsoa_detailed, lsoa_msoa)
    if set(summed.index) != set(msoa_detailed.index):
        diff = sorted(set(summed.index) ^ set(msoa_detailed.index))
        raise ValueError(f"sum_back_gaps: MSOA {diff[0]} is in one of the tables only")
    columns = list(lsoa_detailed.columns)
    return summed[columns] - msoa_detailed.reindex(summed.index)[columns].astype(float)
