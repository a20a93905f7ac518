"""Ward boundaries (2024) from the ONS-derived geography-bits file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from equity.sources._read import IngestError, raw_path

WARDS_WD24 = "boundaries/wards_wd24_geographybits_wmca.geojson"
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
