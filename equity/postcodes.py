"""Postcodes to wards: each postcode's centroid placed in the full-resolution 2024 ward shapes.

The ingest places every postcode of the B, CV, DY, WS and WV areas (ONS centroids) in the raw
ward shapes (not the simplified display shapes) and keeps those inside WMCA, with the nearest
other ward where the point lies within :data:`NEAR_M` metres of its ward's boundary: there a
centroid can fall on the wrong side, so the app offers the neighbour. The bundle keeps this
compactly as ``postcodes.csv``: ``postcode, ward, near`` with wards as their row in
``wards.geojson`` (``near`` empty when not near a boundary).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from equity.sources.postcodes import normalise

NEAR_M = 50.0
POSTCODE_COLUMNS = ["postcode", "ward", "near"]


def place(centroids: pd.DataFrame, wards: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ward of each postcode inside WMCA, and its neighbour where near a boundary.

    Parameters
    ----------
    centroids : DataFrame
        ``postcode, lat, lon`` (WGS 84).
    wards : GeoDataFrame
        ``ward_code`` and full-resolution shapes.

    Returns
    -------
    DataFrame
        ``postcode, ward_code, near_ward_code`` (empty where not within :data:`NEAR_M` m of
        another ward), one row per postcode inside a ward, in ``centroids`` order.
    """
    missing = [c for c in ("postcode", "lat", "lon") if c not in centroids.columns]
    if missing or "ward_code" not in wards.columns:
        raise ValueError(f"place: missing column(s) {missing or ['ward_code']}")
    shapes = wards[["ward_code", "geometry"]].to_crs(27700).reset_index(drop=True)
    points = gpd.GeoDataFrame(centroids[["postcode"]].reset_index(drop=True),
                              geometry=gpd.points_from_xy(centroids.lon, centroids.lat),
                              crs=4326).to_crs(27700)
    inside = gpd.sjoin(points, shapes, predicate="within", how="inner")
    inside = inside[~inside.index.duplicated(keep="first")].sort_index()
    own = shapes.geometry.iloc[inside.index_right.to_numpy()].boundary.to_numpy()
    distance = shapely.distance(inside.geometry.to_numpy(), own)
    out = pd.DataFrame({"postcode": inside.postcode.to_numpy(),
                        "ward_code": inside.ward_code.to_numpy(), "near_ward_code": ""},
                       index=inside.index)
    near = inside[distance <= NEAR_M]
    if not near.empty:
        buffered = gpd.GeoDataFrame({"own": near.index_right.to_numpy()},
                                    geometry=near.geometry.buffer(NEAR_M).to_numpy(),
                                    index=near.index, crs=27700)
        pairs = gpd.sjoin(buffered, shapes, predicate="intersects", how="inner")
        pairs = pairs[pairs.index_right != pairs.own]
        if not pairs.empty:
            pairs = pairs.assign(distance=shapely.distance(
                near.geometry.reindex(pairs.index).to_numpy(),
                shapes.geometry.iloc[pairs.index_right.to_numpy()].to_numpy()))
            nearest = pairs.sort_values("distance").groupby(level=0).first()
            out.loc[nearest.index, "near_ward_code"] = nearest.ward_code.to_numpy()
    return out.reset_index(drop=True)


def to_bundle(placed: pd.DataFrame, ward_codes: list[str]) -> pd.DataFrame:
    """The compact table the bundle keeps: wards as their row in ``wards.geojson``."""
    row = {code: i for i, code in enumerate(ward_codes)}
    near = placed.near_ward_code.map(lambda c: row.get(c, -1) if c else -1)
    return pd.DataFrame({"postcode": placed.postcode,
                         "ward": placed.ward_code.map(row).astype(int),
                         "near": near.astype(int).replace(-1, pd.NA).astype("Int64")})


@dataclass(frozen=True)
class Found:
    """Where a postcode is, or why it could not be found."""

    postcode: str
    ward_code: str | None = None
    near_ward_code: str | None = None
    error: str | None = None


class PostcodeIndex:
    """Postcode to ward look-ups over the bundle's table, built once."""

    def __init__(self, table: pd.DataFrame, ward_codes: list[str]) -> None:
        codes = np.asarray(ward_codes, dtype=object)
        near = table.near.to_numpy()
        self._ward = dict(zip(table.postcode, codes[table.ward.to_numpy(dtype=int)],
                              strict=True))
        self._near = {pc: codes[int(n)] for pc, n in zip(table.postcode, near, strict=True)
                      if not pd.isna(n)}
        self._districts = {pc.split(" ")[0] for pc in self._ward}

    def find(self, text: str) -> Found:
        """The ward of ``text`` read as a postcode, with the neighbour or a plain error."""
        postcode = normalise(text)
        if postcode is None:
            return Found(str(text).strip()[:20], error="not a postcode")
        ward = self._ward.get(postcode)
        if ward is None:
            outward = postcode.split(" ")[0]
            reason = ("not in WMCA, or not in the May 2025 postcode lookup"
                      if outward not in self._districts else
                      "not in the May 2025 postcode lookup (a new or retired postcode?)")
            return Found(postcode, error=reason)
        return Found(postcode, ward_code=ward, near_ward_code=self._near.get(postcode))
