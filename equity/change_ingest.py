"""The ingest's step for the change from Census 2011 to 2021 by neighbourhood (MSOA).

Reads the 2011 MSOA files and builds the same counts for 2021 MSOAs from the output-area and
LSOA tables the ingest has already read, joins split or merged MSOAs into comparable areas
(:mod:`equity.change`), ranks the areas by deprivation in each year, fits the slope index of
inequality in each year with its change (:mod:`equity.inequality.change`), dissolves the LSOA
shapes into MSOAs for the map, and records which areas share LSOAs with each ward.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from equity import ethnicity_detail, geography
from equity.change import (
    CHANGE_MEASURES,
    RANKING,
    area_counts,
    area_deprivation,
    change_rows,
    comparison_areas,
)
from equity.inequality.change import SII_COLUMNS, sii_change
from equity.sources import boundaries, census, census2011, deprivation
from equity.sources import ethnicity_detail as ethnicity_source
from equity.sources._read import IngestError

# The MSOA map's shapes: LSOA shapes (already generalised by ONS) dissolved into MSOAs, then
# simplified together so neighbours keep their shared edges.
MSOA_TOLERANCE_M = 40.0
FILES = (*census2011.FILES, census2011.LSOA11_LSOA21, census.TS067_OA, boundaries.LSOA_SHAPES,
         ethnicity_source.TS021_MSOA, deprivation.IMD2019)


@dataclass(frozen=True)
class NeighbourhoodChange:
    """What the bundle keeps of the 2011 to 2021 comparison."""

    rows: pd.DataFrame
    sii: pd.DataFrame
    shapes: gpd.GeoDataFrame
    ward_areas: pd.DataFrame
    summary: dict


def msoa21_of_lsoa(raw: Path, lookup24: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each 2021 LSOA's 2021 MSOA (ONS naming rule), and the 2021 MSOA names by code."""
    lsoa_names = lookup24.set_index("lsoa_code").lsoa_name
    names21 = ethnicity_source.read_ts021_msoa(raw, lsoa_names).msoa_name
    return ethnicity_detail.assign_msoas(lsoa_names, names21), names21


def neighbourhood_change(raw: Path, lsoa: pd.DataFrame, lookup24: pd.DataFrame,
                         oa_lookup: pd.DataFrame) -> NeighbourhoodChange:
    """Build the 2011 to 2021 comparison by MSOA (see the module docstring).

    Parameters
    ----------
    raw : Path
        The raw data folder.
    lsoa : DataFrame
        The ingest's LSOA table (Census 2021 counts and IoD 2025), by 2021 LSOA code.
    lookup24, oa_lookup : DataFrame
        The LSOA to ward lookup and the output area to LSOA lookup.

    Raises
    ------
    IngestError
        For a malformed input, naming file, row and column.
    """
    msoa_of, names21 = msoa21_of_lsoa(raw, lookup24)
    names11 = census2011.read_msoa11_names(raw)
    counts11 = census2011.read_census2011(raw)
    link = census2011.read_lsoa11_lsoa21(raw, set(lsoa.index), names11)
    link["msoa21_code"] = msoa_of.reindex(link.lsoa21_code).to_numpy()
    authority21 = (lookup24.assign(msoa=msoa_of.reindex(lookup24.lsoa_code).to_numpy())
                   .groupby("msoa").authority_code.first())
    try:
        areas = comparison_areas(link, names11, names21, authority21)
    except ValueError as exc:
        raise IngestError(f"{census2011.LSOA11_LSOA21}: {exc}") from exc
    missing = sorted(set(counts11.index) - set(link.msoa11_code))
    if missing:
        raise IngestError(f"{census2011.AGE}: 2011 MSOA {missing[0]} has no LSOA in "
                          f"{census2011.LSOA11_LSOA21}")
    area_of21 = areas.set_index("msoa21_code").area_code
    area_of11 = link.drop_duplicates("msoa11_code").set_index("msoa11_code").msoa21_code.map(
        area_of21)
    msoa_counts21 = _counts_2021(raw, lsoa, oa_lookup).groupby(msoa_of).sum()
    area_of_lsoa = msoa_of.map(area_of21)
    lsoa_imd = lsoa[["residents", "percentile_2025"]].join(
        deprivation.read_imd2019_on_lsoa21(raw, set(lsoa.index)).percentile_2019)
    rows = change_rows(area_counts(counts11, area_of11), area_counts(msoa_counts21, area_of21),
                       areas, area_deprivation(lsoa_imd, area_of_lsoa))
    sii = pd.DataFrame([{"indicator": ind, **sii_change(rows[(rows.level == "msoa")
                                                             & (rows.indicator == ind)])}
                        for ind in CHANGE_MEASURES])[SII_COLUMNS]
    ward_areas = _ward_areas(lsoa.residents, lookup24, area_of_lsoa)
    shapes = _msoa_shapes(raw, msoa_of, names21, areas)
    joined = areas[areas.geography != "unchanged"]
    summary = {
        "msoa21": int(len(areas)), "msoa11": int(len(counts11)),
        "comparison_areas": int(areas.area_code.nunique()),
        "joined_areas": sorted(set(joined.geography)),
        "ranking": {str(k): v for k, v in RANKING.items()},
        "change_interval": "Newcombe hybrid score interval for the difference of two "
                           "independent proportions",
        "sii": "OHID slope index of inequality across comparison areas ranked by each year's "
               "deprivation, weighted by population; interval and change interval from 10,000 "
               "Monte Carlo draws a year",
        "shapes": f"{boundaries.LSOA_SHAPES} dissolved into 2021 MSOAs, "
                  f"coverage-simplified at {MSOA_TOLERANCE_M:g} m",
    }
    return NeighbourhoodChange(rows=rows, sii=sii, shapes=shapes, ward_areas=ward_areas,
                               summary=summary)


def _counts_2021(raw: Path, lsoa: pd.DataFrame, oa_lookup: pd.DataFrame) -> pd.DataFrame:
    """Census 2021 counts by LSOA, named as :data:`equity.change.CHANGE_MEASURES` names them.

    General health's denominator is TS037's own total (not TS021 residents), so numerator and
    denominator come from one table.
    """
    qualifications = census.read_ts067_oa(raw, oa_lookup).reindex(lsoa.index)
    return pd.DataFrame({
        "bad_health": lsoa.bad_health, "residents": lsoa.health_total,
        "no_qualifications": qualifications.no_qualifications,
        "level4_plus": qualifications.level4_plus, "qual_total": qualifications.qual_total,
        "nssec_l14": lsoa.nssec_l14, "nssec_total": lsoa.nssec_total,
        "hh_deprived_1plus": lsoa.hh_deprived_1plus, "households": lsoa.households,
    }, index=lsoa.index)


def _ward_areas(residents: pd.Series, lookup24: pd.DataFrame, area_of_lsoa: pd.Series
                ) -> pd.DataFrame:
    """Which comparison areas share LSOAs with each ward, and the ward's residents in each."""
    frame = pd.DataFrame({"ward_code": lookup24.set_index("lsoa_code").ward_code
                          .reindex(residents.index), "area_code": area_of_lsoa
                          .reindex(residents.index), "residents": residents})
    shared = frame.groupby(["ward_code", "area_code"], as_index=False).residents.sum()
    shared["share_of_ward"] = 100 * shared.residents / shared.groupby(
        "ward_code").residents.transform("sum")
    return shared.sort_values(["ward_code", "share_of_ward"], ascending=[True, False]
                              ).reset_index(drop=True)


def _msoa_shapes(raw: Path, msoa_of: pd.Series, names21: pd.Series, areas: pd.DataFrame
                 ) -> gpd.GeoDataFrame:
    """The 2021 MSOAs as shapes (EPSG:4326) with their comparison area and authority."""
    lsoa_shapes = boundaries.read_lsoa_shapes(raw, set(msoa_of.index))
    groups = lsoa_shapes.groupby(msoa_of.reindex(lsoa_shapes.index).to_numpy())
    dissolved = gpd.GeoDataFrame(
        {"msoa_code": list(groups.groups)},
        geometry=[shapely.union_all(part.to_numpy()) for _, part in groups],
        crs=lsoa_shapes.crs)
    shapes = geography.simplify_wards(dissolved, MSOA_TOLERANCE_M)
    info = areas.set_index("msoa21_code")
    shapes["msoa_name"] = names21.reindex(shapes.msoa_code).to_numpy()
    shapes["area_code"] = info.area_code.reindex(shapes.msoa_code).to_numpy()
    shapes["authority_code"] = info.authority_code.reindex(shapes.msoa_code).to_numpy()
    return shapes[["msoa_code", "msoa_name", "area_code", "authority_code", "geometry"]
                  ].sort_values("msoa_code").reset_index(drop=True)
