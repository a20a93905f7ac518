"""ONS lookups: LSOA 2021 to 2022 and 2024 wards (best fit), output area to LSOA."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from equity.catalogue import AUTHORITIES
from equity.sources._read import IngestError, check_codes, read_table

LSOA_WD24 = "lookups/lookup_lsoa21_wd24_lad24_wmca.csv"
LSOA_WD22 = "lookups/lookup_lsoa21_wd22_lad22_wmca.csv"
OA_LSOA = "lookups/lookup_oa21_lsoa21_wmca.csv"
WARD_PCON = "lookups/lookup_ward_wd18_pcon18_lad18_wmca.csv"


def read_lsoa_ward(raw: Path, vintage: str) -> pd.DataFrame:
    """LSOA 2021 to ward best-fit lookup.

    Parameters
    ----------
    raw : Path
        Raw data folder.
    vintage : {"24", "22"}
        Ward vintage.

    Returns
    -------
    DataFrame
        Columns ``lsoa_code, lsoa_name, ward_code, ward_name, authority_code, authority``,
        one row per LSOA.
    """
    if vintage not in {"22", "24"}:
        raise ValueError(f"unknown ward vintage {vintage!r}")
    relative = LSOA_WD24 if vintage == "24" else LSOA_WD22
    cols = ["LSOA21CD", "LSOA21NM", f"WD{vintage}CD", f"WD{vintage}NM", f"LAD{vintage}CD",
            f"LAD{vintage}NM"]
    frame = read_table(raw, relative, cols, key=["LSOA21CD"])
    check_codes(frame, relative, f"LAD{vintage}CD", AUTHORITIES, "local authority")
    out = frame[cols].copy()
    out.columns = ["lsoa_code", "lsoa_name", "ward_code", "ward_name", "authority_code",
                   "authority"]
    wards_per_code = out.groupby("ward_code").authority_code.nunique()
    if (wards_per_code > 1).any():
        code = wards_per_code[wards_per_code > 1].index[0]
        raise IngestError(f"{relative}: ward {code} is assigned to more than one authority")
    return out


def read_oa_lsoa(raw: Path, lsoa_codes: set[str]) -> pd.DataFrame:
    """Output area 2021 to LSOA 2021 lookup (exact fit): columns ``oa_code, lsoa_code``."""
    frame = read_table(raw, OA_LSOA, ["OA21CD", "LSOA21CD"], key=["OA21CD"])
    check_codes(frame, OA_LSOA, "LSOA21CD", lsoa_codes, "LSOA 2021")
    return frame.rename(columns={"OA21CD": "oa_code", "LSOA21CD": "lsoa_code"})[
        ["oa_code", "lsoa_code"]
    ]


def read_ward_constituencies(raw: Path, wards22: set[str]) -> pd.DataFrame:
    """ONS December 2018 ward to 2010-set constituency lookup, by ward part.

    A ward split between constituencies has a row for each. December 2018 ward codes are the
    2022 ward codes in WMCA.

    Returns
    -------
    DataFrame
        ``ward_code, pcon_code, pcon_name``, one row per ward part.
    """
    frame = read_table(raw, WARD_PCON, ["WD18CD", "PCON18CD", "PCON18NM", "LAD18CD"],
                       key=["WD18CD", "PCON18CD"])
    check_codes(frame, WARD_PCON, "LAD18CD", AUTHORITIES, "local authority")
    check_codes(frame, WARD_PCON, "WD18CD", wards22, "2022 ward")
    absent = sorted(wards22 - set(frame.WD18CD))
    if absent:
        raise IngestError(f"{WARD_PCON}: no constituency for ward {absent[0]}")
    return frame.rename(columns={"WD18CD": "ward_code", "PCON18CD": "pcon_code",
                                 "PCON18NM": "pcon_name"})[["ward_code", "pcon_code",
                                                             "pcon_name"]]
