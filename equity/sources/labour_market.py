"""Claimant count and youth labour-market readers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from equity.catalogue import AUTHORITIES
from equity.sources._read import (
    AUTHORITY_PEOPLE_MAX,
    CONSTITUENCY_PEOPLE_MAX,
    ENGLAND_PEOPLE_MAX,
    PERCENTAGE,
    WARD_PEOPLE_MAX,
    IngestError,
    check_codes,
    check_complete,
    check_plausible,
    count,
    read_table,
    show_number,
)
from equity.stats import wilson_interval

CLAIMANTS_WARD = "labour_market/claimant_count_birmingham_wards_2026-04.csv"
CLAIMANTS_MONTHLY = "labour_market/claimant_count_birmingham_wards_monthly_2021-05_2026-04.csv"
YOUTH_CLAIMANTS_PCON = "labour_market/yff_claimant_count_16plus_16_24_pcon2010_wmca_2024-12.csv"
RM024_LA = "census2021/census2021_rm024_age16_24_economic_activity_lad_wmca.csv"
NEET_LA = "labour_market/dfe_neet_16_17_la_wmca_2021_2025.csv"
ELS_LA = "labour_market/ons_els_la_indicators_wmca.csv"

YOUTH_CENSUS_PCON = "census2021/yff_census2021_econ_activity_by_age_sex_pcon2010_wmca.csv"
YOUTH_UNEMPLOYED_VARIABLE = "Economically active (excluding full-time students): Unemployed"
RM024_PERSON = ["Employed_2021", "Unemployed_2021", "Employed (full-time students)_2021",
                "Unemployed (full-time students)_2021", "Inactive_2021",
                "Inactive (full-time students)_2021"]
RM024_COUNTS = [c.replace("_2021", f"{sex}_2021") for sex in ("", ": Female", ": Male")
                for c in RM024_PERSON]
# Plausible ranges of every numeric column read (equity.sources._read.Plausible). Claimant
# counts are whole (DWP rounds them to 5) and at most a ward's or constituency's residents;
# rates are percentages. RM024 holds England and region rows beside the authorities.
RANGES = {
    CLAIMANTS_WARD: {"claimant_count": count(WARD_PEOPLE_MAX),
                     "age_16_24": count(WARD_PEOPLE_MAX),
                     "claimants_pct_of_residents_16_64": PERCENTAGE},
    CLAIMANTS_MONTHLY: {"claimant_count_all_ages": count(WARD_PEOPLE_MAX)},
    RM024_LA: {c: count(ENGLAND_PEOPLE_MAX) for c in RM024_COUNTS},
    YOUTH_CENSUS_PCON: {"rate": PERCENTAGE},
    NEET_LA: {"NEET_percent": PERCENTAGE, "NEET_not_known_percent": PERCENTAGE},
    YOUTH_CLAIMANTS_PCON: {"Population estimate": count(CONSTITUENCY_PEOPLE_MAX),
                           "Claimant count": count(CONSTITUENCY_PEOPLE_MAX,
                                                   within="Population estimate")},
    ELS_LA: {"observation": PERCENTAGE},
}
# Authority rows of RM024 must also be within an authority's population.
RM024_AUTHORITY = count(AUTHORITY_PEOPLE_MAX)


def read_claimants_ward(raw: Path, wards24: set[str]) -> pd.DataFrame:
    """Birmingham ward claimants, April 2026.

    Returns
    -------
    DataFrame
        Indexed by ward code: ``claimants``, ``claimants_16_24`` and
        ``residents_16_64_implied`` (claimants / published rate x 100).
    """
    cols = ["ward_code", "claimant_count", "age_16_24", "claimants_pct_of_residents_16_64"]
    frame = read_table(raw, CLAIMANTS_WARD, [*cols, "period"], numeric=RANGES[CLAIMANTS_WARD],
                       key=["ward_code"])
    check_codes(frame, CLAIMANTS_WARD, "ward_code", wards24, "2024 ward")
    over = frame.age_16_24 > frame.claimant_count + 5
    if over.any():
        idx = int(over.to_numpy().nonzero()[0][0])
        raise IngestError(f"{CLAIMANTS_WARD}: row {idx + 2}, column 'age_16_24': more claimants "
                          "aged 16-24 than claimants of all ages")
    rate = frame.claimants_pct_of_residents_16_64
    implied = np.where(rate > 0, frame.claimant_count / rate.where(rate > 0) * 100, np.nan)
    out = pd.DataFrame({
        "claimants": frame.claimant_count.to_numpy(),
        # DWP rounds each count to 5, so the 16-24 count can exceed the total by a little.
        "claimants_16_24": np.minimum(frame.age_16_24, frame.claimant_count).to_numpy(),
        "residents_16_64_implied": np.round(implied),
    }, index=pd.Index(frame.ward_code, name="ward_code"))
    return out


def read_claimants_monthly(raw: Path, wards24: set[str]) -> pd.DataFrame:
    """Monthly all-age claimant counts for Birmingham wards: ``ward_code, month, claimants``."""
    frame = read_table(raw, CLAIMANTS_MONTHLY, ["ward_code", "month"],
                       numeric=RANGES[CLAIMANTS_MONTHLY], key=["ward_code", "month"])
    check_codes(frame, CLAIMANTS_MONTHLY, "ward_code", wards24, "2024 ward")
    bad = ~frame.month.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    if bad.any():
        idx = int(bad.to_numpy().nonzero()[0][0])
        raise IngestError(f"{CLAIMANTS_MONTHLY}: row {idx + 2}, column 'month': expected "
                          f"YYYY-MM, found {frame.month.iloc[idx]!r}")
    out = frame.rename(columns={"claimant_count_all_ages": "claimants"})
    return out[["ward_code", "month", "claimants"]].sort_values(["ward_code", "month"])


def _context_rows(measure: str, title: str, frame: pd.DataFrame, period: str, unit: str,
                  source: str) -> pd.DataFrame:
    """Context rows with a Wilson interval where numerator and denominator are known."""
    out = frame.copy()
    has_counts = out.denominator.notna()
    lower, upper = wilson_interval(out.numerator.fillna(0), out.denominator)
    out["value"] = np.where(has_counts, 100 * out.numerator / out.denominator, out.get("value"))
    out["lower"] = np.where(has_counts, 100 * lower, np.nan)
    out["upper"] = np.where(has_counts, 100 * upper, np.nan)
    out["measure"], out["title"], out["unit"], out["source"] = measure, title, unit, source
    if "period" not in out:
        out["period"] = period
    return out


def read_youth_context(raw: Path) -> pd.DataFrame:
    """Youth labour-market figures for authorities, WMCA and England.

    Three sources, none of which has a ward breakdown: Census 2021 economic activity of
    residents aged 16-24 (RM024, by authority), DfE NEET rates for 16-17 year olds, and youth
    claimants by 2010 constituency.
    """
    return pd.concat([_census_youth_unemployment(raw), *_census_youth_unemployment_by_sex(raw),
                      _census_youth_unemployment_pcon(raw), *_neet_rows(raw),
                      _youth_claimant_rows(raw), _claimant_rate_rows(raw)], ignore_index=True)


def _census_youth_unemployment_by_sex(raw: Path) -> list[pd.DataFrame]:
    """RM024's youth unemployment for women and for men, authorities and WMCA (counts)."""
    rm = read_rm024(raw)
    rows = []
    for sex in ("female", "male"):
        la = pd.DataFrame({"area_code": rm.index, "area_name": rm.area_name,
                           "level": "authority", "numerator": rm[f"unemployed_{sex}"],
                           "denominator": rm[f"total_{sex}"]})
        wmca = pd.DataFrame([{"area_code": "E47000007", "area_name": "WMCA", "level": "wmca",
                              "numerator": la.numerator.sum(),
                              "denominator": la.denominator.sum()}])
        rows.append(_context_rows(
            f"census_16_24_unemployed_{sex}", f"{sex.capitalize()} residents aged 16-24 "
            f"unemployed, excluding full-time students (% of all {sex} residents aged 16-24)",
            pd.concat([la, wmca]), "March 2021", "%", "ONS Census 2021 RM024 (by local authority)"))
    return rows


def _census_youth_unemployment_pcon(raw: Path) -> pd.DataFrame:
    """RM024's youth unemployment by 2010 constituency, all and by sex, as published rates."""
    pcon = read_census_youth_pcon(raw)
    rows = []
    for suffix, who in (("", "Residents"), ("_female", "Female residents"),
                        ("_male", "Male residents")):
        frame = pd.DataFrame({"area_code": pcon.index,
                              "area_name": pcon.name + " (" + pcon.authority + ")",
                              "level": "constituency", "value": pcon[f"rate{suffix}"],
                              "numerator": np.nan, "denominator": np.nan})
        rows.append(_context_rows(
            f"census_16_24_unemployed_pcon{suffix}", f"{who} aged 16-24 unemployed, "
            "excluding full-time students (% of all of them aged 16-24), by 2010 constituency",
            frame, "March 2021", "%", "ONS Census 2021 RM024 by 2010 constituency, via Youth "
            "Futures Foundation (published rates, rounded to 0.1, no counts)"))
    return pd.concat(rows, ignore_index=True)


def read_rm024(raw: Path) -> pd.DataFrame:
    """Census 2021 residents aged 16-24 by economic activity and sex, for the seven authorities.

    Returns
    -------
    DataFrame
        Indexed by authority code: ``area_name``, ``unemployed`` (economically active, not
        full-time students, unemployed) and ``total`` (all residents aged 16-24), and the same
        for each sex as ``unemployed_female``, ``total_female``, ``unemployed_male``,
        ``total_male``.
    """
    rm = read_table(raw, RM024_LA, ["area_code", "area_name", "row_type"],
                    numeric=RANGES[RM024_LA], key=["area_code"])
    authority_rows = rm.row_type == "source row"
    for col in RM024_COUNTS:
        check_plausible(RM024_LA, col, rm[col].map(show_number),
                        rm[col].where(authority_rows, 0.0), RM024_AUTHORITY)
    rm = rm[authority_rows]
    check_codes(rm, RM024_LA, "area_code", AUTHORITIES, "local authority")
    check_complete(rm.area_code, RM024_LA, "area_code", AUTHORITIES, "authority")
    out = pd.DataFrame({"area_name": rm.area_name.to_numpy()},
                       index=pd.Index(rm.area_code, name="area_code"))
    for suffix, sex in (("", ""), ("_female", ": Female"), ("_male", ": Male")):
        columns = [c.replace("_2021", f"{sex}_2021") for c in RM024_PERSON]
        out[f"unemployed{suffix}"] = rm[f"Unemployed{sex}_2021"].to_numpy()
        out[f"total{suffix}"] = rm[columns].sum(axis=1).to_numpy()
    return out


def read_census_youth_pcon(raw: Path) -> pd.DataFrame:
    """Census 2021 unemployment of residents aged 16-24 by 2010 constituency, as published.

    Returns
    -------
    DataFrame
        Indexed by constituency code: ``name``, ``authority`` (as the file gives it) and
        ``rate``, ``rate_female``, ``rate_male``: unemployed residents (economically active,
        not full-time students) as a percentage of all residents aged 16-24 of that sex.
    """
    cols = ["geography_code", "geography_name", "age", "gender", "variable_name",
            "lad_added_here"]
    frame = read_table(raw, YOUTH_CENSUS_PCON, cols, numeric=RANGES[YOUTH_CENSUS_PCON],
                       key=["geography_code", "age", "gender", "variable_name"])
    youth = frame[(frame.age == "Aged 16 to 24 years")
                  & frame.variable_name.str.startswith(YOUTH_UNEMPLOYED_VARIABLE)]
    wide = youth.pivot(index="geography_code", columns="gender", values="rate")
    missing = [g for g in ("All persons", "Female", "Male") if g not in wide.columns]
    if missing or wide.isna().any().any() or len(wide) == 0:
        raise IngestError(f"{YOUTH_CENSUS_PCON}: the 16-24 unemployment rate is missing for "
                          "a constituency or a sex")
    names = youth.drop_duplicates("geography_code").set_index("geography_code")
    out = pd.DataFrame({"name": names.geography_name, "authority": names.lad_added_here,
                        "rate": wide["All persons"], "rate_female": wide["Female"],
                        "rate_male": wide["Male"]})
    out.index.name = "pcon_code"
    return out


def _census_youth_unemployment(raw: Path) -> pd.DataFrame:
    """Residents aged 16-24 unemployed (not full-time students), RM024, authorities and WMCA."""
    rm = read_rm024(raw)
    la = pd.DataFrame({"area_code": rm.index, "area_name": rm.area_name,
                       "level": "authority", "numerator": rm.unemployed,
                       "denominator": rm.total})
    wmca = pd.DataFrame([{"area_code": "E47000007", "area_name": "WMCA", "level": "wmca",
                          "numerator": la.numerator.sum(), "denominator": la.denominator.sum()}])
    return _context_rows(
        "census_16_24_unemployed", "Residents aged 16-24 unemployed, excluding full-time "
        "students (% of all residents aged 16-24)", pd.concat([la, wmca]), "March 2021", "%",
        "ONS Census 2021 RM024 (by local authority)")


def _neet_rows(raw: Path) -> list[pd.DataFrame]:
    """DfE NEET and NEET-or-not-known rates of 16-17 year olds, by year and area."""
    rows = []
    neet_cols = ["time_period", "geographic_level", "new_la_code", "la_name", "NEET_percent",
                 "NEET_not_known_percent"]
    neet = read_table(raw, NEET_LA, neet_cols, key=["time_period", "geographic_level",
                                                    "new_la_code"])
    for col in ("NEET_percent", "NEET_not_known_percent"):
        # Suppressed or unpublished cells ("x", "c", "z") are read as missing, not refused.
        parsed = pd.to_numeric(neet[col].str.strip(), errors="coerce").astype(float)
        check_plausible(NEET_LA, col, neet[col], parsed, RANGES[NEET_LA][col], missing_ok=True)
        neet[col] = parsed
    level = neet.geographic_level.map({"National": "england", "Regional": "region",
                                       "Local authority": "authority"})
    if level.isna().any():
        idx = int(level.isna().to_numpy().nonzero()[0][0])
        raise IngestError(f"{NEET_LA}: row {idx + 2}, column 'geographic_level': unknown level "
                          f"{neet.geographic_level.iloc[idx]!r}")
    code = neet.new_la_code.where(level == "authority",
                                  level.map({"england": "E92000001", "region": "E12000005"}))
    name = neet.la_name.where(level == "authority",
                              level.map({"england": "England",
                                         "region": "West Midlands region"}))
    for col, measure, title in (
        ("NEET_percent", "neet_16_17", "16-17 year olds not in education, employment or "
         "training (NEET, %)"),
        ("NEET_not_known_percent", "neet_or_not_known_16_17", "16-17 year olds NEET or whose "
         "activity is not known (%)"),
    ):
        frame = pd.DataFrame({"area_code": code, "area_name": name, "level": level,
                              "period": neet.time_period, "value": neet[col],
                              "numerator": np.nan, "denominator": np.nan})
        frame = frame[frame.value.notna()]
        rows.append(_context_rows(measure, title, frame, "", "%",
                                  "DfE Participation in education, training and NEET age 16 "
                                  "to 17 by local authority (NCCIS)"))
    return rows


def _youth_claimant_rows(raw: Path) -> pd.DataFrame:
    """Claimants aged 16-24 per resident aged 16-24, by 2010 constituency."""
    ycols = ["geography_code", "geography_name", "age", "Claimant count",
             "Population estimate", "lad_added_here"]
    yc = read_table(raw, YOUTH_CLAIMANTS_PCON, ycols, numeric=RANGES[YOUTH_CLAIMANTS_PCON],
                    key=["geography_code", "age"])
    yc = yc[yc.age == "Aged 16-24"]
    frame = pd.DataFrame({"area_code": yc.geography_code,
                          "area_name": yc.geography_name + " (" + yc.lad_added_here + ")",
                          "level": "constituency", "numerator": yc["Claimant count"],
                          "denominator": yc["Population estimate"]})
    return _context_rows(
        "youth_claimant_rate_pcon", "Claimants aged 16-24 as % of residents aged 16-24, by "
        "2010 constituency", frame, "December 2024", "%",
        "DWP/ONS Claimant Count and ONS mid-year estimates, via Youth Futures Foundation")


def _claimant_rate_rows(raw: Path) -> pd.DataFrame:
    """All-age claimant rates (annual average) from ONS Explore local statistics."""
    els_cols = ["els_dataset", "areacd", "areanm", "geography", "indicator", "period",
                "observation", "lci_95", "uci_95"]
    els = read_table(raw, ELS_LA, els_cols)
    claimant_rows = els.els_dataset == "claimant-count"
    parsed = pd.to_numeric(els.observation.str.strip(), errors="coerce").astype(float)
    # Only the claimant-count rows are used (the file's other datasets have other units).
    check_plausible(ELS_LA, "observation", els.observation, parsed.where(claimant_rows),
                    RANGES[ELS_LA]["observation"], missing_ok=True)
    els, obs = els[claimant_rows], parsed[claimant_rows]
    frame = pd.DataFrame({
        "area_code": els.areacd, "area_name": els.areanm,
        "level": els.areacd.map(lambda c: "england" if c == "E92000001" else "wmca"
                                if c == "E47000007" else "region" if c == "E12000005"
                                else "authority"),
        "period": els.period.str[:4], "value": obs, "numerator": np.nan, "denominator": np.nan})
    return _context_rows(
        "claimant_rate_all_ages", "Claimant count, all ages, as % of residents aged 16-64 "
        "(annual average)", frame[frame.value.notna()], "", "%",
        "ONS Explore local statistics: Claimant Count (DWP)")
