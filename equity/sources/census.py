"""ONS Census 2021 readers.

LSOA and output-area tables become one LSOA count table (``read_lsoa_counts``); the tables ONS
published for 2022 wards become one ward count table (``read_ward22_counts``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from equity.sources._read import (
    LSOA_PEOPLE_MAX,
    OA_PEOPLE_MAX,
    PERCENTAGE,
    WARD_PEOPLE_MAX,
    IngestError,
    check_adds_up,
    check_codes,
    check_complete,
    count,
    read_table,
)

TS021 = "census2021/ts021_ethnic_group_lsoa21_wmca.csv"
TS038 = "census2021/ts038_disability_lsoa21_wmca.csv"
TS011 = "census2021/ts011_household_deprivation_lsoa21_wmca.csv"
AGE6 = "census2021/age6_usual_residents_lsoa21_wmca.csv"
TS037_OA = "census2021/ts037_general_health_oa21_wmca.csv"
TS038_OA = "census2021/ts038_disability_full_oa21_wmca.csv"
TS039_OA = "census2021/ts039_unpaid_care_oa21_wmca.csv"
TS062_OA = "census2021/ts062_nssec_oa21_wmca.csv"
TS067_OA = "census2021/ts067_qualification_oa21_wmca.csv"
TS066_OA_PCT = "census2021/ts066_economic_activity_3cat_pct_oa21_wmca.csv"
EMPLOYMENT_WD22 = "census2021/employment_status_3cat_ward_wd22_wmca.csv"
TS067_WD22 = "census2021/ts067_qualification_ward_wd22_wmca.csv"

# Plausible ranges of every numeric column read (equity.sources._read.Plausible): counts are
# whole, at least 0, at most the ceiling for their kind of area and at most the total they are
# part of; percentages lie in 0-100. Output-area tables: each count at most OA_PEOPLE_MAX and
# each category at most the table's total (see _oa_table).
RANGES = {
    TS021: {"total_residents": count(LSOA_PEOPLE_MAX),
            "n": count(LSOA_PEOPLE_MAX, within="total_residents")},
    TS038: {"total_residents": count(LSOA_PEOPLE_MAX),
            "n": count(LSOA_PEOPLE_MAX, within="total_residents")},
    TS011: {"total_households": count(LSOA_PEOPLE_MAX),
            "n": count(LSOA_PEOPLE_MAX, within="total_households")},
    AGE6: {"usual_residents": count(LSOA_PEOPLE_MAX)},
    TS066_OA_PCT: {c: PERCENTAGE for c in ("pct_16plus_in_employment_incl_ft_students",
                                           "pct_16plus_unemployed_incl_ft_students",
                                           "pct_16plus_economically_inactive")},
    EMPLOYMENT_WD22: {"Observation": count(WARD_PEOPLE_MAX)},
    TS067_WD22: {"total_16plus": count(WARD_PEOPLE_MAX),
                 **{c: count(WARD_PEOPLE_MAX, within="total_16plus")
                    for c in ("no_qualifications", "level1_and_entry_level", "level2",
                              "apprenticeship", "level3", "level4_and_above",
                              "other_qualifications")}},
}

ETHNIC_GROUPS = {
    "Asian, Asian British or Asian Welsh": "eth_asian",
    "Black, Black British, Black Welsh, Caribbean or African": "eth_black",
    "Mixed or Multiple ethnic groups": "eth_mixed",
    "White": "eth_white",
    "Other ethnic group": "eth_other",
}
AGE_GROUPS = {
    "Aged 15 years and under": "age_0_15",
    "Aged 16 to 24 years": "age_16_24",
    "Aged 25 to 34 years": "age_25_34",
    "Aged 35 to 49 years": "age_35_49",
    "Aged 50 to 64 years": "age_50_64",
    "Aged 65 years and over": "age_65_plus",
}
HOUSEHOLD_DIMENSIONS = {
    "Household is not deprived in any dimension": "hh_dep0",
    "Household is deprived in one dimension": "hh_dep1",
    "Household is deprived in two dimensions": "hh_dep2",
    "Household is deprived in three dimensions": "hh_dep3",
    "Household is deprived in four dimensions": "hh_dep4",
}


def _long_to_wide(frame: pd.DataFrame, relative: str, code: str, category: str, value: str,
                  names: dict[str, str], lsoas: set[str]) -> pd.DataFrame:
    """Pivot a long LSOA x category table, checking codes, categories and completeness."""
    check_codes(frame, relative, code, lsoas, "LSOA 2021")
    check_codes(frame, relative, category, names, "category")
    check_complete(frame[code], relative, code, lsoas, "LSOA")
    wide = frame.pivot(index=code, columns=category, values=value).rename(columns=names)
    missing = wide.isna().any(axis=1)
    if missing.any():
        lsoa = wide.index[missing][0]
        raise IngestError(f"{relative}: LSOA {lsoa} lacks a row for one of the categories")
    return wide


def _first_lines(frame: pd.DataFrame, code: str, index: pd.Index) -> pd.Series:
    """Return the file line (header = line 1) of each code's first row, aligned to ``index``."""
    lines = pd.Series(range(2, len(frame) + 2), index=frame[code].to_numpy())
    return lines.groupby(level=0).min().reindex(index)


def read_ts021(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """TS021 ethnic group: residents and the five high-level groups per LSOA."""
    frame = read_table(raw, TS021, ["lsoa21_code", "ethnic_group"], numeric=RANGES[TS021],
                       key=["lsoa21_code", "ethnic_group"])
    wide = _long_to_wide(frame, TS021, "lsoa21_code", "ethnic_group", "n", ETHNIC_GROUPS, lsoas)
    wide["residents"] = frame.groupby("lsoa21_code").total_residents.max()
    check_adds_up(wide, TS021, list(ETHNIC_GROUPS.values()), "residents",
                  _first_lines(frame, "lsoa21_code", wide.index), "total_residents")
    return wide


def read_ts038(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """TS038 disability (two Equality Act categories) per LSOA."""
    names = {"Disabled under the Equality Act": "disabled",
             "Not disabled under the Equality Act": "not_disabled"}
    frame = read_table(raw, TS038, ["lsoa21_code", "disability"], numeric=RANGES[TS038],
                       key=["lsoa21_code", "disability"])
    wide = _long_to_wide(frame, TS038, "lsoa21_code", "disability", "n", names, lsoas)
    wide["disability_total"] = wide["disabled"] + wide["not_disabled"]
    wide["published_total"] = frame.groupby("lsoa21_code").total_residents.max()
    check_adds_up(wide, TS038, ["disabled", "not_disabled"], "published_total",
                  _first_lines(frame, "lsoa21_code", wide.index), "total_residents")
    return wide.drop(columns=["published_total"])


def read_ts011(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """TS011 households by deprivation dimensions per LSOA."""
    frame = read_table(raw, TS011, ["lsoa21_code", "deprivation_dimensions"],
                       numeric=RANGES[TS011], key=["lsoa21_code", "deprivation_dimensions"])
    wide = _long_to_wide(frame, TS011, "lsoa21_code", "deprivation_dimensions", "n",
                         HOUSEHOLD_DIMENSIONS, lsoas)
    wide["households"] = frame.groupby("lsoa21_code").total_households.max()
    check_adds_up(wide, TS011, list(HOUSEHOLD_DIMENSIONS.values()), "households",
                  _first_lines(frame, "lsoa21_code", wide.index), "total_households")
    wide["hh_deprived_1plus"] = wide[["hh_dep1", "hh_dep2", "hh_dep3", "hh_dep4"]].sum(axis=1)
    return wide


def read_age6(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """Age in six bands per LSOA, with ``age_total`` and ``age_16_64``."""
    frame = read_table(raw, AGE6, ["lsoa21_code", "age_group"], numeric=RANGES[AGE6],
                       key=["lsoa21_code", "age_group"])
    wide = _long_to_wide(frame, AGE6, "lsoa21_code", "age_group", "usual_residents",
                         AGE_GROUPS, lsoas)
    wide["age_total"] = wide[list(AGE_GROUPS.values())].sum(axis=1)
    wide["age_16_64"] = wide[["age_16_24", "age_25_34", "age_35_49", "age_50_64"]].sum(axis=1)
    return wide


def _oa_table(raw: Path, relative: str, total: str, parts: list[str], keep: dict[str, str],
              oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """Read an output-area count table, check it adds up, and sum it to LSOAs."""
    ranges = {total: count(OA_PEOPLE_MAX),
              **{c: count(OA_PEOPLE_MAX, within=total) for c in [*parts, *keep] if c != total}}
    frame = read_table(raw, relative, ["OA21CD"], numeric=ranges, key=["OA21CD"])
    check_codes(frame, relative, "OA21CD", oa_lookup.oa_code, "output area 2021")
    check_complete(frame.OA21CD, relative, "OA21CD", oa_lookup.oa_code, "output area")
    check_adds_up(frame, relative, parts, total)
    frame = frame.merge(oa_lookup, left_on="OA21CD", right_on="oa_code")
    return frame.groupby("lsoa_code")[list(keep)].sum().rename(columns=keep)


def read_ts037_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """TS037 general health summed from output areas: ``bad_health``, ``health_total``."""
    p = "General health: "
    total = f"{p}Total: All usual residents"
    parts = [f"{p}{x} health" for x in ("Very good", "Good", "Fair", "Bad", "Very bad")]
    counts = _oa_table(raw, TS037_OA, total, parts,
                       {total: "health_total", parts[3]: "bad", parts[4]: "very_bad"}, oa_lookup)
    counts["bad_health"] = counts.pop("bad") + counts.pop("very_bad")
    return counts


def read_ts038_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """TS038 disability (full) from output areas: ``limited_a_lot``, ``disability_full_total``."""
    p = "Disability: "
    total = f"{p}Total: All usual residents"
    disabled = f"{p}Disabled under the Equality Act"
    not_disabled = f"{p}Not disabled under the Equality Act"
    lot = f"{disabled}: Day-to-day activities limited a lot"
    return _oa_table(raw, TS038_OA, total, [disabled, not_disabled],
                     {total: "disability_full_total", lot: "limited_a_lot"}, oa_lookup)


def read_ts039_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """TS039 unpaid care from output areas: ``care_50h``, ``care_total``."""
    p = "Provision of unpaid care: "
    total = f"{p}Total: All usual residents aged 5 and over"
    parts = [f"{p}Provides no unpaid care",
             f"{p}Provides 19 hours or less unpaid care a week",
             f"{p}Provides 20 to 49 hours unpaid care a week",
             f"{p}Provides 50 or more hours unpaid care a week"]
    return _oa_table(raw, TS039_OA, total, parts,
                     {total: "care_total", parts[3]: "care_50h"}, oa_lookup)


def read_ts062_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """TS062 NS-SeC from output areas: ``nssec_l14``, ``nssec_students`` (L15), ``nssec_total``."""
    p = "National Statistics Socio-economic Classification (NS-SEC): "
    total = f"{p}Total: All usual residents aged 16 years and over"
    parts = [
        f"{p}L1, L2 and L3 Higher managerial, administrative and professional occupations",
        f"{p}L4, L5 and L6 Lower managerial, administrative and professional occupations",
        f"{p}L7 Intermediate occupations",
        f"{p}L8 and L9 Small employers and own account workers",
        f"{p}L10 and L11 Lower supervisory and technical occupations",
        f"{p}L12 Semi-routine occupations",
        f"{p}L13 Routine occupations",
        f"{p}L14.1 and L14.2 Never worked and long-term unemployed",
        f"{p}L15 Full-time students",
    ]
    return _oa_table(raw, TS062_OA, total, parts,
                     {total: "nssec_total", parts[7]: "nssec_l14", parts[8]: "nssec_students"},
                     oa_lookup)


def read_ts067_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """TS067 qualifications from output areas: ``no_qualifications``, ``level4_plus``, ``qual_total``."""
    p = "Highest level of qualification: "
    total = f"{p}Total: All usual residents aged 16 years and over"
    parts = [f"{p}{x}" for x in (
        "No qualifications", "Level 1 and entry level qualifications",
        "Level 2 qualifications", "Apprenticeship", "Level 3 qualifications",
        "Level 4 qualifications and above", "Other qualifications")]
    return _oa_table(raw, TS067_OA, total, parts,
                     {total: "qual_total", parts[0]: "no_qualifications",
                      parts[5]: "level4_plus"}, oa_lookup)


def read_unemployment_oa(raw: Path, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """Estimated unemployed residents 16+ per LSOA from TS066 output-area percentages.

    ONS publishes the output-area split only as percentages (0.1 precision), so each output
    area's count is estimated as percentage x its TS067 residents aged 16+ (the same base), and
    the estimates are summed to LSOAs.
    """
    pct_col = "pct_16plus_unemployed_incl_ft_students"
    cols = ["pct_16plus_in_employment_incl_ft_students", pct_col,
            "pct_16plus_economically_inactive"]
    pct = read_table(raw, TS066_OA_PCT, ["OA21CD"], numeric=RANGES[TS066_OA_PCT],
                     key=["OA21CD"])
    check_codes(pct, TS066_OA_PCT, "OA21CD", oa_lookup.oa_code, "output area 2021")
    sums = pct[cols].sum(axis=1)
    bad = (sums - 100).abs() > 0.5
    if bad.any():
        idx = int(bad.to_numpy().nonzero()[0][0])
        raise IngestError(f"{TS066_OA_PCT}: row {idx + 2}: percentages add up to "
                          f"{sums.iloc[idx]:g}, not 100")
    total = "Highest level of qualification: Total: All usual residents aged 16 years and over"
    base = read_table(raw, TS067_OA, ["OA21CD"], numeric={total: count(OA_PEOPLE_MAX)},
                      key=["OA21CD"])
    check_codes(base, TS067_OA, "OA21CD", oa_lookup.oa_code, "output area 2021")
    merged = pct.merge(base, on="OA21CD", how="inner").merge(
        oa_lookup, left_on="OA21CD", right_on="oa_code"
    )
    check_complete(merged.OA21CD, TS066_OA_PCT, "OA21CD", oa_lookup.oa_code, "output area")
    merged["unemployed_est"] = merged[pct_col] / 100 * merged[total]
    merged["aged_16_plus_oa"] = merged[total]
    return merged.groupby("lsoa_code")[["unemployed_est", "aged_16_plus_oa"]].sum()


def read_lsoa_counts(raw: Path, lsoas: set[str], oa_lookup: pd.DataFrame,
                     progress: Callable[[str], None] = lambda _: None) -> pd.DataFrame:
    """All Census LSOA counts in one table indexed by LSOA code."""
    parts = []
    for reader, label in ((read_ts021, TS021), (read_ts038, TS038), (read_ts011, TS011),
                          (read_age6, AGE6)):
        progress(f"reading {label}")
        parts.append(reader(raw, lsoas))
    for oa_reader, label in ((read_ts037_oa, TS037_OA), (read_ts038_oa, TS038_OA),
                             (read_ts039_oa, TS039_OA), (read_ts062_oa, TS062_OA),
                             (read_unemployment_oa, TS066_OA_PCT)):
        progress(f"reading {label} (output areas)")
        parts.append(oa_reader(raw, oa_lookup))
    table = pd.concat(parts, axis=1)
    table.index.name = "lsoa_code"
    return table.reindex(sorted(lsoas))


def read_ward22_counts(raw: Path, wards22: set[str]) -> pd.DataFrame:
    """Counts ONS published for 2022 wards: employment and qualifications.

    Returns
    -------
    DataFrame
        Indexed by 2022 ward code: ``employed, aged_16_plus, no_qualifications, level4_plus,
        qual_total``.
    """
    code = "Electoral wards and divisions Code"
    cat = "Economic activity status last week (3 categories) Code"
    emp = read_table(raw, EMPLOYMENT_WD22, [code, cat], numeric=RANGES[EMPLOYMENT_WD22],
                     key=[code, cat])
    check_codes(emp, EMPLOYMENT_WD22, code, wards22, "2022 ward")
    check_codes(emp, EMPLOYMENT_WD22, cat, {"-8", "1", "2"}, "economic activity category")
    check_complete(emp[code], EMPLOYMENT_WD22, code, wards22, "ward")
    wide = emp.pivot(index=code, columns=cat, values="Observation")
    if wide.isna().any().any():
        ward = wide.index[wide.isna().any(axis=1)][0]
        raise IngestError(f"{EMPLOYMENT_WD22}: ward {ward} lacks one of the three categories")
    out = pd.DataFrame({"employed": wide["1"], "aged_16_plus": wide["1"] + wide["2"]})

    parts = ["no_qualifications", "level1_and_entry_level", "level2", "apprenticeship",
             "level3", "level4_and_above", "other_qualifications"]
    qual = read_table(raw, TS067_WD22, ["WD22CD"], numeric=RANGES[TS067_WD22],
                      key=["WD22CD"])
    check_codes(qual, TS067_WD22, "WD22CD", wards22, "2022 ward")
    check_complete(qual.WD22CD, TS067_WD22, "WD22CD", wards22, "ward")
    check_adds_up(qual, TS067_WD22, parts, "total_16plus")
    qual = qual.set_index("WD22CD")
    out["no_qualifications"] = qual["no_qualifications"]
    out["level4_plus"] = qual["level4_and_above"]
    out["qual_total"] = qual["total_16plus"]
    out.index.name = "ward_code"
    return out


def read_oa_shares(raw: Path, oa_lookup: pd.DataFrame, indicators) -> pd.DataFrame:
    """Counts for every catalogue share of an output-area table, summed to LSOAs.

    Each file is read once, for all the indicators that draw on it: every column used is a
    whole count within an output area's size, every category within the table's total, and
    the categories must add up to the total within census perturbation tolerance.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    oa_lookup : DataFrame
        ``oa_code, lsoa_code``.
    indicators : iterable of Indicator
        Catalogue entries with an ``oa_share``.

    Returns
    -------
    DataFrame
        Indexed by LSOA code: each indicator's ``numerator_column`` and its table's
        ``denominator_column``.
    """
    by_file: dict[str, list] = {}
    for ind in indicators:
        by_file.setdefault(ind.oa_share.file, []).append(ind)
    parts = []
    for relative, inds in by_file.items():
        share = inds[0].oa_share
        keep = {share.total: inds[0].denominator_column}
        columns = [share.total, *share.parts]
        for ind in inds:
            columns += list(ind.oa_share.numerator)
        ranges = {share.total: count(OA_PEOPLE_MAX),
                  **{c: count(OA_PEOPLE_MAX, within=share.total)
                     for c in dict.fromkeys(columns) if c != share.total}}
        frame = read_table(raw, relative, ["OA21CD"], numeric=ranges, key=["OA21CD"])
        check_codes(frame, relative, "OA21CD", oa_lookup.oa_code, "output area 2021")
        check_complete(frame.OA21CD, relative, "OA21CD", oa_lookup.oa_code, "output area")
        if share.parts:
            check_adds_up(frame, relative, list(share.parts), share.total)
        for ind in inds:
            frame[ind.numerator_column] = frame[list(ind.oa_share.numerator)].sum(axis=1)
        frame = frame.rename(columns=keep).merge(oa_lookup, left_on="OA21CD",
                                                 right_on="oa_code")
        wanted = [inds[0].denominator_column, *(ind.numerator_column for ind in inds)]
        parts.append(frame.groupby("lsoa_code")[wanted].sum())
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="lsoa_code"))
    return pd.concat(parts, axis=1)
