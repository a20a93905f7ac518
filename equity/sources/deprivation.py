"""MHCLG English Indices of Deprivation readers (LSOA 2021)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from equity.sources._read import (
    PROPORTION,
    Plausible,
    check_codes,
    check_complete,
    read_table,
)

IMD2025 = "deprivation/imd2025_lsoa21_wmca.csv"
IMD2025_SUBDOMAINS = "deprivation/imd2025_subdomains_lsoa21_wmca.csv"
IMD2019 = "deprivation/imd2019_lsoa11_wmca.csv"
LSOA11_LSOA21 = "lookups/lookup_lsoa11_lsoa21_lad22_wmca.csv"
DOMAINS = ("IMD", "Income", "Employment", "Education", "Health", "Crime",
           "Housing_and_Services", "Environment")
SUBDOMAINS = ("children_and_young_people", "adult_skills")
# Number of LSOAs each edition ranks (MHCLG technical reports): ranks are turned into national
# percentiles so that the two editions, which rank different numbers of areas, can be compared.
LSOAS_RANKED = {2019: 32_844, 2025: 33_755}

# The published range of each score (English Indices of Deprivation 2025, technical report):
# Income and Employment are the share of residents deprived (0-1), as is the Adult Skills
# sub-domain; the IMD, Education, Barriers to Housing and Services and Living Environment
# scores lie in 0-100; Health, Crime and the Children and Young People sub-domain are
# standardised scores (mean 0, standard deviation 1 across England's LSOAs), published within
# about -4 to +4, so a value beyond +-10 cannot be real.
STANDARDISED = Plausible(-10, 10)
SCORE_0_100 = Plausible(0, 100)
SCORE_RANGES = {
    "IMD_score": SCORE_0_100, "Income_score": PROPORTION, "Employment_score": PROPORTION,
    "Education_score": SCORE_0_100, "Health_score": STANDARDISED, "Crime_score": STANDARDISED,
    "Housing_and_Services_score": SCORE_0_100, "Environment_score": SCORE_0_100,
    "children_and_young_people_score": STANDARDISED, "adult_skills_score": PROPORTION,
}
DECILE = Plausible(1, 10, whole=True)
RANGES = {
    IMD2025: {"IMD_decile": DECILE, "IMD_rank": Plausible(1, LSOAS_RANKED[2025], whole=True),
              **{f"{d}_score": SCORE_RANGES[f"{d}_score"] for d in DOMAINS}},
    IMD2025_SUBDOMAINS: {f"{s}_score": SCORE_RANGES[f"{s}_score"] for s in SUBDOMAINS},
    IMD2019: {"IMD_decile": DECILE, "IMD_rank": Plausible(1, LSOAS_RANKED[2019], whole=True)},
}


def read_imd2025(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """IoD 2025 scores and deciles per LSOA, with the two education sub-domain scores.

    Returns
    -------
    DataFrame
        Indexed by LSOA code: ``<domain>_score`` for the IMD and its seven domains,
        ``IMD_decile``, ``children_and_young_people_score``, ``adult_skills_score``.
    """
    score_cols = [f"{d}_score" for d in DOMAINS]
    main = read_table(raw, IMD2025, ["lsoa21_code"], numeric=RANGES[IMD2025],
                      key=["lsoa21_code"])
    check_codes(main, IMD2025, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(main.lsoa21_code, IMD2025, "lsoa21_code", lsoas, "LSOA")
    sub_cols = [f"{s}_score" for s in SUBDOMAINS]
    sub = read_table(raw, IMD2025_SUBDOMAINS, ["lsoa21_code"],
                     numeric=RANGES[IMD2025_SUBDOMAINS], key=["lsoa21_code"])
    check_codes(sub, IMD2025_SUBDOMAINS, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(sub.lsoa21_code, IMD2025_SUBDOMAINS, "lsoa21_code", lsoas, "LSOA")
    main["percentile_2025"] = main.IMD_rank / LSOAS_RANKED[2025]
    out = main.set_index("lsoa21_code")[["IMD_decile", "percentile_2025", *score_cols]].join(
        sub.set_index("lsoa21_code")[sub_cols]
    )
    out.index.name = "lsoa_code"
    return out


def read_imd2019_on_lsoa21(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """IMD 2019 (LSOA 2011) carried onto 2021 LSOAs through the ONS LSOA 2011 to 2021 lookup.

    An unchanged or split 2021 LSOA inherits its 2011 parent's values; a merged one takes the
    mean of its parents (``in_decile1`` then becomes the share of parents in decile 1).

    Returns
    -------
    DataFrame
        Indexed by LSOA 2021 code: ``in_decile1_2019`` (0-1) and ``percentile_2019`` (national
        rank / LSOAs ranked; small = more deprived).
    """
    imd = read_table(raw, IMD2019, ["lsoa11_code"], numeric=RANGES[IMD2019],
                     key=["lsoa11_code"])
    lookup = read_table(raw, LSOA11_LSOA21, ["LSOA11CD", "LSOA21CD", "CHGIND"],
                        key=["LSOA11CD", "LSOA21CD"])
    check_codes(lookup, LSOA11_LSOA21, "LSOA21CD", lsoas, "LSOA 2021")
    check_codes(lookup, LSOA11_LSOA21, "LSOA11CD", set(imd.lsoa11_code), "LSOA 2011")
    check_complete(lookup.LSOA21CD, LSOA11_LSOA21, "LSOA21CD", lsoas, "LSOA")
    joined = lookup.merge(imd, left_on="LSOA11CD", right_on="lsoa11_code")
    joined["in_decile1_2019"] = (joined.IMD_decile == 1).astype(float)
    joined["percentile_2019"] = joined.IMD_rank / LSOAS_RANKED[2019]
    out = joined.groupby("LSOA21CD")[["in_decile1_2019", "percentile_2019"]].mean()
    out.index.name = "lsoa_code"
    return out
