"""Census 2011 by 2011 MSOA, and how 2011 MSOAs become 2021 MSOAs.

The five files of ``census2011/`` (ONS Census 2011, filtered to WMCA's 356 MSOAs) give the
2011 side of the change from 2011 to 2021 (:mod:`equity.change`). Counts in some columns carry
thousands separators ("7,019"), which are removed before the numbers are checked.

General health comes only as percentages of usual residents (one decimal place), so a 2011
count of residents in bad or very bad health is rebuilt as percentage x residents: it is
approximate (about +-0.05 points of the rate), and said so wherever it is shown.

:func:`read_msoa11_of_lsoa11` places each 2011 LSOA in its 2011 MSOA by ONS's naming rule
(an LSOA's name is its MSOA's name and a letter), with the MSOA codes of the 2011 files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from equity.sources._read import (
    PERCENTAGE,
    IngestError,
    Plausible,
    check_adds_up,
    check_plausible,
    count,
    read_table,
)

HEALTH = "census2011/census2011_msoa11_health_limitation_unpaidcare_pct_wmca.csv"
QUALIFICATION = "census2011/census2011_msoa11_highest_qualification_counts_wmca.csv"
NSSEC = "census2011/census2011_msoa11_nssec_16_74_counts_wmca.csv"
HOUSEHOLD_DEPRIVATION = "census2011/census2011_msoa11_household_deprivation_dimensions_counts_wmca.csv"
AGE = "census2011/census2011_msoa11_age_single_year_counts_wmca.csv"
FILES = (HEALTH, QUALIFICATION, NSSEC, HOUSEHOLD_DEPRIVATION, AGE)
LSOA11_LSOA21 = "lookups/lookup_lsoa11_lsoa21_lad22_wmca.csv"

# MSOAs are built for 5,000-15,000 residents (2,000-6,000 households); 50,000 is far above
# any real one and far below anything that would overflow.
MSOA_PEOPLE_MAX = 50_000
NSSEC_CLASSES = (
    "Higher_managerial_administrative_and_professional_occupations",
    "Lower_managerial_administrative_and_professional_occupations",
    "Intermediate_occupations", "Small_employers_and_own_account_workers",
    "Lower_supervisory_and_technical_occupations", "Semi_routine_occupations",
    "Routine_occupations", "Never_worked_and_long_term_unemployed", "Not_classified",
)
DEPRIVATION_DIMENSIONS = ("No_dimension", "One_dimension", "Two_dimensions",
                          "Three_dimensions", "Four_dimensions")
HEALTH_BANDS = ("Very good health", "Good health", "Fair health", "Bad health",
                "Very bad health")
RANGES = {
    HEALTH: {band: PERCENTAGE for band in HEALTH_BANDS},
    QUALIFICATION: {"All levels": count(MSOA_PEOPLE_MAX),
                    **{c: count(MSOA_PEOPLE_MAX, within="All levels")
                       for c in ("No qualifications", "Level 2 qualifications",
                                 "Level 3 qualifications",
                                 "Level 4 qualifications and above")}},
    NSSEC: {"total_usual_residents_16_74": count(MSOA_PEOPLE_MAX),
            **{c: count(MSOA_PEOPLE_MAX, within="total_usual_residents_16_74")
               for c in NSSEC_CLASSES}},
    HOUSEHOLD_DEPRIVATION: {"Total": count(MSOA_PEOPLE_MAX),
                            **{c: count(MSOA_PEOPLE_MAX, within="Total")
                               for c in DEPRIVATION_DIMENSIONS}},
    AGE: {"Total": count(MSOA_PEOPLE_MAX)},
}
# Percentages rounded to one decimal place: five bands may miss 100 by a few tenths.
PERCENT_SUM_TOLERANCE = 0.5


def _read_counts(raw: Path, relative: str, code: str, ranges: dict[str, Plausible]
                 ) -> pd.DataFrame:
    """Read a 2011 MSOA file whose numbers may carry thousands separators, checking ranges."""
    frame = read_table(raw, relative, [code, *ranges], key=[code])
    parsed = {col: pd.to_numeric(frame[col].str.replace(",", "", regex=False).str.strip(),
                                 errors="coerce").astype(float) for col in ranges}
    for col, allowed in ranges.items():
        check_plausible(relative, col, frame[col], parsed[col], allowed,
                        parsed[allowed.within] if allowed.within else None)
    out = pd.DataFrame(parsed)
    out.index = frame[code].to_numpy()
    out.index.name = "msoa11_code"
    return out


def _check_same_msoas(frames: dict[str, pd.DataFrame]) -> None:
    """Every 2011 file must describe the same MSOAs."""
    first_name, first = next(iter(frames.items()))
    for name, frame in frames.items():
        differ = sorted(set(frame.index) ^ set(first.index))
        if differ:
            raise IngestError(f"{name}: MSOA {differ[0]} is in only one of {name} and "
                              f"{first_name}")


def read_census2011(raw: Path) -> pd.DataFrame:
    """The 2011 counts behind the five change measures, one row per 2011 MSOA.

    Returns
    -------
    DataFrame
        Indexed by 2011 MSOA code: ``residents``; ``bad_health`` (approximate: bad plus very
        bad health percentage x residents) and ``bad_health_pct``; ``no_qualifications``,
        ``level4_plus`` and ``qual_total`` (residents 16+); ``nssec_l14`` and ``nssec_total``
        (residents 16-74); ``hh_deprived_1plus`` and ``households``.

    Raises
    ------
    IngestError
        Naming file, row and column: a missing file or column, a number outside its range,
        categories that do not add up, or files that disagree on the MSOAs.
    """
    health = read_table(raw, HEALTH, ["MSOA11CD"], numeric=RANGES[HEALTH], key=["MSOA11CD"])
    sums = health[list(HEALTH_BANDS)].sum(axis=1)
    bad = (sums - 100).abs() > PERCENT_SUM_TOLERANCE
    if bad.any():
        idx = int(np.flatnonzero(bad.to_numpy())[0])
        raise IngestError(f"{HEALTH}: row {idx + 2}: health percentages add up to "
                          f"{sums.iloc[idx]:g}, not 100")
    health = health.set_index("MSOA11CD")
    qual = _read_counts(raw, QUALIFICATION, "MSOA11CD", RANGES[QUALIFICATION])
    nssec = _read_counts(raw, NSSEC, "MSOA11CD", RANGES[NSSEC])
    check_adds_up(nssec, NSSEC, list(NSSEC_CLASSES), "total_usual_residents_16_74")
    households = _read_counts(raw, HOUSEHOLD_DEPRIVATION, "MSOA11CD",
                              RANGES[HOUSEHOLD_DEPRIVATION])
    check_adds_up(households, HOUSEHOLD_DEPRIVATION, list(DEPRIVATION_DIMENSIONS), "Total")
    age = _read_counts(raw, AGE, "msoa11cd", RANGES[AGE])
    _check_same_msoas({AGE: age, HEALTH: health, QUALIFICATION: qual, NSSEC: nssec,
                       HOUSEHOLD_DEPRIVATION: households})
    index = age.index.sort_values()
    bad_pct = (health["Bad health"] + health["Very bad health"]).reindex(index)
    out = pd.DataFrame({
        "residents": age.Total.reindex(index),
        "bad_health_pct": bad_pct,
        "no_qualifications": qual["No qualifications"].reindex(index),
        "level4_plus": qual["Level 4 qualifications and above"].reindex(index),
        "qual_total": qual["All levels"].reindex(index),
        "nssec_l14": nssec.Never_worked_and_long_term_unemployed.reindex(index),
        "nssec_total": nssec.total_usual_residents_16_74.reindex(index),
        "hh_deprived_1plus": households[list(DEPRIVATION_DIMENSIONS[1:])].sum(axis=1)
        .reindex(index),
        "households": households.Total.reindex(index),
    }, index=index)
    out["bad_health"] = out.bad_health_pct / 100 * out.residents
    return out


def read_msoa11_names(raw: Path) -> pd.Series:
    """2011 MSOA names, indexed by 2011 MSOA code (from the 2011 age file)."""
    frame = read_table(raw, AGE, ["msoa11cd", "msoa11nm"], key=["msoa11cd"])
    if frame.msoa11nm.duplicated().any():
        name = frame.msoa11nm[frame.msoa11nm.duplicated()].iloc[0]
        raise IngestError(f"{AGE}: MSOA name {name!r} appears twice")
    return pd.Series(frame.msoa11nm.to_numpy(), index=frame.msoa11cd.to_numpy(),
                     name="msoa11_name")


def read_lsoa11_lsoa21(raw: Path, lsoas21: set[str], msoa11_names: pd.Series) -> pd.DataFrame:
    """Each 2011 to 2021 LSOA pair of the ONS lookup with the 2011 LSOA's 2011 MSOA.

    Returns
    -------
    DataFrame
        ``lsoa11_code, lsoa21_code, change`` (U, S, M or X) and ``msoa11_code`` (by ONS's naming
        rule: the LSOA's name without its final letter is its MSOA's name).

    Raises
    ------
    IngestError
        If a 2021 LSOA is unknown or missing, or a 2011 LSOA's name names no 2011 MSOA.
    """
    frame = read_table(raw, LSOA11_LSOA21, ["LSOA11CD", "LSOA11NM", "LSOA21CD", "CHGIND"],
                       key=["LSOA11CD", "LSOA21CD"])
    unknown = ~frame.LSOA21CD.isin(lsoas21)
    if unknown.any():
        idx = int(np.flatnonzero(unknown.to_numpy())[0])
        raise IngestError(f"{LSOA11_LSOA21}: row {idx + 2}, column 'LSOA21CD': unknown LSOA "
                          f"2021 code {frame.LSOA21CD.iloc[idx]!r}")
    absent = sorted(lsoas21 - set(frame.LSOA21CD))
    if absent:
        raise IngestError(f"{LSOA11_LSOA21}: column 'LSOA21CD': no rows for LSOA {absent[0]}")
    code_of = pd.Series(msoa11_names.index, index=msoa11_names.to_numpy())
    msoa = frame.LSOA11NM.str.strip().str[:-1].str.strip().map(code_of)
    if msoa.isna().any():
        idx = int(np.flatnonzero(msoa.isna().to_numpy())[0])
        raise IngestError(f"{LSOA11_LSOA21}: row {idx + 2}, column 'LSOA11NM': "
                          f"{frame.LSOA11NM.iloc[idx]!r} names no 2011 MSOA of {AGE}")
    return pd.DataFrame({"lsoa11_code": frame.LSOA11CD, "lsoa21_code": frame.LSOA21CD,
                         "change": frame.CHGIND, "msoa11_code": msoa}).reset_index(drop=True)
