"""ONS postcode centroids (National Statistics Postcode Lookup, May 2025) for WMCA's areas."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from equity.sources._read import IngestError, Plausible, check_plausible, raw_path

AREAS = ("B", "CV", "DY", "WS", "WV")
CENTROIDS = {area: f"lookups/postcodes/{area}.csv" for area in AREAS}
# A centroid in or near the West Midlands: the five postcode areas reach into Staffordshire,
# Warwickshire and Worcestershire, but not beyond these bounds.
LATITUDE = Plausible(51.5, 53.5)
LONGITUDE = Plausible(-3.5, -0.5)
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def normalise(text: str) -> str | None:
    """A UK postcode written as ONS writes it ("B27 6AA"), or None if ``text`` is not one.

    Any case and spacing is accepted: "b27 6aa", "B276AA" and " b27  6AA " all give "B27 6AA".
    """
    compact = re.sub(r"\s+", "", str(text)).upper()
    if not 5 <= len(compact) <= 7:
        return None
    spaced = f"{compact[:-3]} {compact[-3:]}"
    return spaced if POSTCODE.match(spaced) else None


def read_centroids(raw: Path) -> tuple[pd.DataFrame, int]:
    """Every postcode of the five areas with a centroid, and how many have none.

    Returns
    -------
    tuple
        A DataFrame of ``postcode, lat, lon`` (postcodes as ONS writes them), and the number
        of postcodes without coordinates (blank or 0 in the file), which are left out.

    Raises
    ------
    IngestError
        For a missing file or column, a row that is not a postcode, a duplicate, or a
        coordinate outside the region.
    """
    frames, missing = [], 0
    for area, relative in CENTROIDS.items():
        path = raw_path(raw, relative)
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise IngestError(f"{relative}: not a readable CSV ({exc})") from exc
        absent = [c for c in ("Postcode", "lat", "long") if c not in frame.columns]
        if absent:
            raise IngestError(f"{relative}: missing column(s) {absent}")
        postcodes = frame.Postcode.map(normalise)
        bad = postcodes.isna() | ~postcodes.fillna("").str.startswith(area)
        if bad.any():
            idx = int(np.flatnonzero(bad.to_numpy())[0])
            raise IngestError(f"{relative}: row {idx + 2}, column 'Postcode': not a postcode "
                              f"of the {area} area: {frame.Postcode.iloc[idx][:20]!r}")
        dup = postcodes.duplicated()
        if dup.any():
            idx = int(np.flatnonzero(dup.to_numpy())[0])
            raise IngestError(f"{relative}: row {idx + 2}: duplicate postcode {postcodes.iloc[idx]}")
        lat = pd.to_numeric(frame.lat.str.strip(), errors="coerce").astype(float)
        lon = pd.to_numeric(frame.long.str.strip(), errors="coerce").astype(float)
        # ONS leaves a few postcodes without coordinates (blank or 0): counted, not placed.
        none = (lat.isna() & (frame.lat.str.strip() == "")) | ((lat == 0) & (lon == 0))
        missing += int(none.sum())
        # Rows without coordinates stand in at a valid value; any other row must be in range.
        check_plausible(relative, "lat", frame.lat, lat.mask(none, LATITUDE.low), LATITUDE)
        check_plausible(relative, "long", frame.long, lon.mask(none, LONGITUDE.low), LONGITUDE)
        frames.append(pd.DataFrame({"postcode": postcodes[~none], "lat": lat[~none],
                                    "lon": lon[~none]}))
    return pd.concat(frames, ignore_index=True), missing
