"""Ward boundaries (2024) from the ONS-derived geography-bits file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from equity.sources._read import IngestError, raw_path

WARDS_WD24 = "boundaries/wards_wd24_geographybits_wmca.geojson"
CONSTITUENCIES = "boundaries/pcon_dec2019_buc_2010set_wmca.geojson"
LSOA_SHAPES = "boundaries/lsoa21_bsc_wmca.geojson"
# Where a WMCA ward can lie (longitude, latitude; WGS 84): the combined authority spans about
# -2.21 to -1.42 and 52.35 to 52.66, so a shape outside this box is misplaced or corrupted.
PLAUSIBLE_BOUNDS = (-2.6, 52.1, -1.1, 52.9)


def read_wards(raw: Path, lookup24) -> gpd.GeoDataFrame:
    """The 192 current wards with codes, names and authorities checked against the lookup.

    Returns
    -------
    GeoDataFrame
        ``ward_code, ward_name, authority_code, authority, geometry`` in EPSG:4326.
    """
    path = raw_path(raw, WARDS_WD24)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a malformed file
        raise IngestError(f"{WARDS_WD24}: not readable GeoJSON ({exc})") from exc
    for col in ("WD24CD", "WD24NM", "LAD24CD", "LAD24NM"):
        if col not in frame.columns:
            raise IngestError(f"{WARDS_WD24}: missing property {col!r}")
    dup = frame.WD24CD.duplicated()
    if dup.any():
        idx = int(dup.to_numpy().nonzero()[0][0])
        raise IngestError(f"{WARDS_WD24}: feature {idx + 1}: duplicate ward {frame.WD24CD.iloc[idx]}")
    known = set(lookup24.ward_code)
    unknown = ~frame.WD24CD.isin(known)
    if unknown.any():
        idx = int(unknown.to_numpy().nonzero()[0][0])
        raise IngestError(f"{WARDS_WD24}: feature {idx + 1}, property 'WD24CD': unknown ward "
                          f"code {frame.WD24CD.iloc[idx]!r}")
    absent = sorted(known - set(frame.WD24CD))
    if absent:
        raise IngestError(f"{WARDS_WD24}: no shape for ward {absent[0]}")
    if frame.geometry.isna().any() or not frame.geometry.is_valid.all():
        idx = int((frame.geometry.isna() | ~frame.geometry.is_valid).to_numpy().nonzero()[0][0])
        raise IngestError(f"{WARDS_WD24}: feature {idx + 1}: missing or invalid geometry")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
    west, south, east, north = PLAUSIBLE_BOUNDS
    bounds = frame.geometry.bounds
    outside = ((bounds.minx < west) | (bounds.maxx > east) | (bounds.miny < south)
               | (bounds.maxy > north) | frame.geometry.is_empty)
    if outside.any():
        idx = int(outside.to_numpy().nonzero()[0][0])
        raise IngestError(f"{WARDS_WD24}: feature {idx + 1} ({frame.WD24CD.iloc[idx]}): the "
                          f"shape is empty or lies outside WMCA (longitude {west} to {east}, "
                          f"latitude {south} to {north})")
    out = frame.rename(columns={"WD24CD": "ward_code", "WD24NM": "ward_name",
                                "LAD24CD": "authority_code", "LAD24NM": "authority"})
    return out[["ward_code", "ward_name", "authority_code", "authority", "geometry"]]


def _read_shapes(raw: Path, relative: str, code: str) -> gpd.GeoDataFrame:
    """A GeoJSON of areas with a unique ``code`` property and valid shapes inside WMCA."""
    path = raw_path(raw, relative)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a malformed file
        raise IngestError(f"{relative}: not readable GeoJSON ({exc})") from exc
    if code not in frame.columns:
        raise IngestError(f"{relative}: missing property {code!r}")
    dup = frame[code].duplicated()
    if dup.any():
        idx = int(dup.to_numpy().nonzero()[0][0])
        raise IngestError(f"{relative}: feature {idx + 1}: duplicate {code} {frame[code].iloc[idx]}")
    bad = frame.geometry.isna() | ~frame.geometry.is_valid | frame.geometry.is_empty
    if bad.any():
        idx = int(bad.to_numpy().nonzero()[0][0])
        raise IngestError(f"{relative}: feature {idx + 1}: missing or invalid geometry")
    frame = frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
    west, south, east, north = PLAUSIBLE_BOUNDS
    bounds = frame.geometry.bounds
    outside = ((bounds.minx < west) | (bounds.maxx > east) | (bounds.miny < south)
               | (bounds.maxy > north))
    if outside.any():
        idx = int(outside.to_numpy().nonzero()[0][0])
        raise IngestError(f"{relative}: feature {idx + 1} ({frame[code].iloc[idx]}): the shape "
                          f"lies outside WMCA (longitude {west} to {east}, latitude {south} to "
                          f"{north})")
    return frame


def read_constituencies(raw: Path, codes: set[str]) -> gpd.GeoDataFrame:
    """The 28 2010-set Westminster constituencies (ONS December 2019, generalised to 500 m).

    Returns
    -------
    GeoDataFrame
        ``pcon_code, pcon_name, geometry`` in EPSG:4326, one row for each of ``codes``.
    """
    frame = _read_shapes(raw, CONSTITUENCIES, "pcon19cd")
    absent = sorted(codes - set(frame.pcon19cd))
    if absent:
        raise IngestError(f"{CONSTITUENCIES}: no shape for constituency {absent[0]}")
    frame = frame[frame.pcon19cd.isin(codes)].rename(columns={"pcon19cd": "pcon_code",
                                                              "pcon19nm": "pcon_name"})
    return frame[["pcon_code", "pcon_name", "geometry"]].sort_values("pcon_code").reset_index(
        drop=True)


def read_lsoa_points(raw: Path, lsoas: set[str]) -> gpd.GeoSeries:
    """A point inside each 2021 LSOA (its shape's representative point), in EPSG:27700."""
    frame = _read_shapes(raw, LSOA_SHAPES, "LSOA21CD")
    absent = sorted(lsoas - set(frame.LSOA21CD))
    if absent:
        raise IngestError(f"{LSOA_SHAPES}: no shape for LSOA {absent[0]}")
    frame = frame[frame.LSOA21CD.isin(lsoas)].set_index("LSOA21CD")
    return frame.geometry.to_crs(27700).representative_point()


def read_lsoa_shapes(raw: Path, lsoas: set[str]) -> gpd.GeoSeries:
    """Each 2021 LSOA's shape (ONS BSC: super generalised, clipped), in EPSG:27700, by code."""
    frame = _read_shapes(raw, LSOA_SHAPES, "LSOA21CD")
    absent = sorted(lsoas - set(frame.LSOA21CD))
    if absent:
        raise IngestError(f"{LSOA_SHAPES}: no shape for LSOA {absent[0]}")
    frame = frame[frame.LSOA21CD.isin(lsoas)].set_index("LSOA21CD")
    return frame.geometry.to_crs(27700)
