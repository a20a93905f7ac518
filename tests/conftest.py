"""Shared fixtures: a tiny in-memory bundle of eight square wards in two authorities."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from equity.bundle import VALUE_COLUMNS, Bundle
from equity.catalogue import CATALOGUE, WMCA_CODE
from equity.stats import wilson_interval

BHAM, COV = "E08000025", "E08000026"
WARD_CODES = [f"E0500000{i}" for i in range(1, 9)]
WARD_AUTHORITY = [BHAM] * 5 + [COV] * 3
# aged_16_24 counts per ward; ward 8 has no data (no row in values).
AGED_NUM = [10, 20, 30, 40, 50, 60, 70, np.nan]
AGED_DEN = [100, 100, 100, 100, 100, 100, 100, np.nan]
IMD_DECILE = [1, 2, 3, 4, 5, 6, 7, 8]
IMD_SCORE = [50.0, 45.0, 40.0, 35.0, 30.0, 25.0, 20.0, 15.0]


def _wards() -> gpd.GeoDataFrame:
    geoms = [box(-1.95 + 0.02 * (i % 4), 52.44 + 0.02 * (i // 4),
                 -1.93 + 0.02 * (i % 4), 52.46 + 0.02 * (i // 4)) for i in range(8)]
    return gpd.GeoDataFrame(
        {
            "ward_code": WARD_CODES,
            "ward_name": [f"Ward {i}" for i in range(1, 9)],
            "authority_code": WARD_AUTHORITY,
            "authority": ["Birmingham" if a == BHAM else "Coventry" for a in WARD_AUTHORITY],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def _row(code, name, level, authority, indicator, num, den, value, lower, upper, method):
    return dict(zip(VALUE_COLUMNS, [code, name, level, authority, indicator, num, den, value,
                                    lower, upper, method], strict=True))


def _values(wards: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = []
    for i, ward in wards.iterrows():
        if np.isfinite(AGED_NUM[i]):
            lo, hi = wilson_interval(AGED_NUM[i], AGED_DEN[i])
            rows.append(_row(ward.ward_code, ward.ward_name, "ward", ward.authority_code,
                             "aged_16_24", AGED_NUM[i], AGED_DEN[i],
                             100 * AGED_NUM[i] / AGED_DEN[i], 100 * float(lo), 100 * float(hi),
                             "lsoa_bestfit"))
        rows.append(_row(ward.ward_code, ward.ward_name, "ward", ward.authority_code,
                         "imd_decile", np.nan, np.nan, IMD_DECILE[i], np.nan, np.nan,
                         "ward_rank"))
        rows.append(_row(ward.ward_code, ward.ward_name, "ward", ward.authority_code,
                         "imd_score", IMD_SCORE[i] * 1000, 1000, IMD_SCORE[i], np.nan, np.nan,
                         "lsoa_popweighted"))
    rows.append(_row(BHAM, "Birmingham", "authority", BHAM, "aged_16_24", 150, 500, 30.0,
                     np.nan, np.nan, "lsoa_bestfit"))
    rows.append(_row(COV, "Coventry", "authority", COV, "aged_16_24", 130, 200, 65.0,
                     np.nan, np.nan, "lsoa_bestfit"))
    rows.append(_row(WMCA_CODE, "WMCA", "wmca", "", "aged_16_24", 280, 700, 40.0,
                     np.nan, np.nan, "lsoa_bestfit"))
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


SHARED_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The raw published files (../shared/data); tests that need them skip, saying why, without."""
    if not (SHARED_DATA / "lookups").is_dir():
        pytest.skip(f"raw published data not found at {SHARED_DATA.resolve()}")
    return SHARED_DATA


@pytest.fixture(scope="module")
def lookup24(shared) -> pd.DataFrame:
    """ONS's LSOA 2021 to 2024 ward best-fit lookup, read by the ingest's own reader."""
    from equity.sources import lookups

    return lookups.read_lsoa_ward(shared, "24")


@pytest.fixture(scope="module")
def lsoas(lookup24) -> set[str]:
    """The 1,719 WMCA LSOA 2021 codes."""
    return set(lookup24.lsoa_code)


@pytest.fixture
def tiny_bundle() -> Bundle:
    """Eight 0.02-degree square wards: wards 1-5 in Birmingham, 6-8 in Coventry.

    ``aged_16_24`` is 10%, 20%, ... 70% (denominator 100) for wards 1-7 and missing for ward 8;
    ``imd_decile`` is 1..8 and ``imd_score`` 50, 45, ... 15.
    """
    wards = _wards()
    authorities = wards.dissolve(by="authority_code", as_index=False)[
        ["authority_code", "authority", "geometry"]
    ]
    region = gpd.GeoDataFrame({"name": ["WMCA"]}, geometry=[wards.union_all()], crs="EPSG:4326")
    empty = pd.DataFrame(columns=VALUE_COLUMNS)
    return Bundle(
        wards=wards,
        authorities=authorities,
        region=region,
        values=_values(wards),
        values_wd22=empty,
        claimant_monthly=pd.DataFrame(columns=["ward_code", "month", "claimants"]),
        context=pd.DataFrame(),
        group_gaps=pd.DataFrame(),
        imd_change=pd.DataFrame(),
        catalogue=dict(CATALOGUE),
        manifest={},
    )
