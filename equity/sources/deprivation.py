"""MHCLG English Indices of Deprivation readers (LSOA 2021)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from equity.sources._read import IngestError, check_codes, check_complete, read_table

IMD2025 = "deprivation/imd2025_lsoa21_wmca.csv"
IMD2025_SUBDOMAINS = "deprivation/imd2025_subdomains_lsoa21_wmca.csv"
DOMAINS = ("IMD", "Income", "Employment", "Education", "Health", "Crime",
           "Housing_and_Services", "Environment")
SUBDOMAINS = ("children_and_young_people", "adult_skills")


def read_imd2025(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """IoD 2025 scores and deciles per LSOA, with the two education sub-domain scores.

    Returns
    -------
    DataFrame
        Indexed by LSOA code: ``<domain>_score`` for the IMD and its seven domains,
        ``IMD_decile``, ``children_and_young_people_score``, ``adult_skills_score``.
    """
    score_cols = [f"{d}_score" for d in DOMAINS]
    main = read_table(raw, IMD2025, ["lsoa21_code", "IMD_decile", *score_cols],
                      numeric=["IMD_decile"], signed=score_cols, key=["lsoa21_code"])
    check_codes(main, IMD2025, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(main.lsoa21_code, IMD2025, "lsoa21_code", lsoas, "LSOA")
    bad = ~main.IMD_decile.isin(range(1, 11))
    if bad.any():
        idx = int(bad.to_numpy().nonzero()[0][0])
        raise IngestError(f"{IMD2025}: row {idx + 2}, column 'IMD_decile': "
                          f"expected 1-10, found {main.IMD_decile.iloc[idx]:g}")
    sub_cols = [f"{s}_score" for s in SUBDOMAINS]
    sub = read_table(raw, IMD2025_SUBDOMAINS, ["lsoa21_code", *sub_cols], signed=sub_cols,
                     key=["lsoa21_code"])
    check_codes(sub, IMD2025_SUBDOMAINS, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(sub.lsoa21_code, IMD2025_SUBDOMAINS, "lsoa21_code", lsoas, "LSOA")
    out = main.set_index("lsoa21_code")[["IMD_decile", *score_cols]].join(
        sub.set_index("lsoa21_code")[sub_cols]
    )
    out.index.name = "lsoa_code"
    return out
