"""Read, write and validate the ward data bundle in ``geodata/``.

The bundle is the only thing the app and the command line read. Its files:

``wards.geojson``
    The 192 wards (2024 codes), simplified with topology preserved. Properties ``ward_code``,
    ``ward_name``, ``authority_code``, ``authority``.
``authorities.geojson``
    The seven local authority outlines, dissolved from the simplified wards, and ``region.geojson``
    the WMCA outline.
``values.csv``
    The tidy table: one row per area and indicator, with ``area_code, area_name, level``
    (ward / authority / wmca / england), ``authority_code, indicator, numerator, denominator,
    value, lower, upper, method``. Percentages are stored as 0-100.
``values_wd22.csv``
    The published 2022-ward values behind the apportioned indicators, same columns.
``claimant_monthly.csv``
    Monthly claimant counts for Birmingham wards (``ward_code, month, claimants``).
``context.csv``
    Authority, region and England context figures that have no ward breakdown.
``group_gaps.csv``
    Rates for groups of people (for example qualifications by ethnic group) by authority,
    WMCA and England, from published cross-tabulations.
``imd_change.csv``
    Deprivation in IMD 2019 and IMD 2025 by ward, authority and WMCA.
``catalogue.json`` and ``manifest.json``
    The indicator catalogue as built, and sources, vintages, checksums and attribution.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from equity.catalogue import AUTHORITIES, CATALOGUE, WMCA_CODE, Indicator
from equity.plausible import screen_bundle

LEVELS = ("ward", "authority", "wmca", "england")
VALUE_COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "authority_code",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "method",
]
CONTEXT_COLUMNS = [
    "measure",
    "title",
    "area_code",
    "area_name",
    "level",
    "period",
    "numerator",
    "denominator",
    "value",
    "lower",
    "upper",
    "unit",
    "source",
]
BUNDLE_FILES = (
    "wards.geojson",
    "authorities.geojson",
    "region.geojson",
    "values.csv",
    "values_wd22.csv",
    "claimant_monthly.csv",
    "context.csv",
    "group_gaps.csv",
    "imd_change.csv",
    "catalogue.json",
    "manifest.json",
)
EXPECTED_WARDS = 192
DEFAULT_BUNDLE = Path(__file__).resolve().parent.parent / "geodata"


class BundleError(ValueError):
    """The bundle on disk is missing, incomplete or inconsistent."""


@dataclass
class Bundle:
    """Everything the app shows, loaded from ``geodata/``."""

    wards: gpd.GeoDataFrame
    authorities: gpd.GeoDataFrame
    region: gpd.GeoDataFrame
    values: pd.DataFrame
    values_wd22: pd.DataFrame
    claimant_monthly: pd.DataFrame
    context: pd.DataFrame
    group_gaps: pd.DataFrame
    imd_change: pd.DataFrame
    catalogue: dict[str, Indicator]
    manifest: dict
    # What read_bundle left out because it could not be real (equity.plausible); every page
    # shows these.
    notices: list[str] = field(default_factory=list)
    # The bundle is read-only once loaded, so per-indicator lookups are memoised here.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: tuple, build):
        """Return ``build()`` computed once per key for this bundle (which never changes)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def _area_index(self) -> dict[tuple[str, str], pd.Series]:
        def build():
            finite = self.values[np.isfinite(self.values.value)]
            return {(row.indicator, row.area_code): row
                    for _, row in finite.iterrows()}
        return self.memo(("area_index",), build)

    def indicator(self, indicator_id: str) -> Indicator:
        """Return a catalogue entry, raising ``ValueError`` for an unknown id."""
        if indicator_id not in self.catalogue:
            raise ValueError(f"unknown indicator {indicator_id!r}")
        return self.catalogue[indicator_id]

    def ward_values(self, indicator_id: str) -> pd.DataFrame:
        """One row per ward (all 192, in ward order) for one indicator.

        Wards without data keep NaN in ``value``, ``lower``, ``upper``, ``numerator`` and
        ``denominator``; they are never filled with zero.
        """
        self.indicator(indicator_id)
        return self.memo(("ward_values", indicator_id),
                         lambda: self._ward_values(indicator_id)).copy()

    def _ward_values(self, indicator_id: str) -> pd.DataFrame:
        rows = self.values[(self.values.level == "ward") & (self.values.indicator == indicator_id)]
        base = pd.DataFrame(
            self.wards[["ward_code", "ward_name", "authority_code", "authority"]]
        ).reset_index(drop=True)
        cols = ["area_code", "numerator", "denominator", "value", "lower", "upper", "method"]
        out = base.merge(rows[cols], left_on="ward_code", right_on="area_code", how="left")
        out = out.drop(columns="area_code")
        out["method"] = out["method"].fillna("no data")
        return out

    def area_value(self, indicator_id: str, area_code: str) -> pd.Series | None:
        """The row of ``values`` for one indicator and area, or ``None`` where there is none."""
        return self._area_index().get((indicator_id, area_code))

    def comparators(self, indicator_id: str) -> pd.DataFrame:
        """Authority, WMCA and England rows for one indicator."""
        rows = self.values[
            (self.values.indicator == indicator_id) & (self.values.level != "ward")
        ]
        return rows.reset_index(drop=True)

    def wide(self, indicator_ids: list[str] | None = None) -> pd.DataFrame:
        """Ward by indicator table of values (wards as rows, indicator ids as columns)."""
        ids = indicator_ids or list(self.catalogue)
        rows = self.values[(self.values.level == "ward") & self.values.indicator.isin(ids)]
        table = rows.pivot(index="area_code", columns="indicator", values="value")
        table = table.reindex(index=self.wards.ward_code, columns=ids)
        table.index.name = "ward_code"
        return table


def _atomic_replace(tmp_dir: Path, out_dir: Path) -> None:
    """Swap ``tmp_dir`` into place as ``out_dir`` so a reader never sees a half-written bundle."""
    backup = out_dir.with_name(out_dir.name + ".old")
    if backup.exists():
        shutil.rmtree(backup)
    if out_dir.exists():
        os.replace(out_dir, backup)
    os.replace(tmp_dir, out_dir)
    if backup.exists():
        shutil.rmtree(backup)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


def write_bundle(bundle: Bundle, out_dir: Path | str, extra_files: dict[str, str] | None = None) -> None:
    """Validate ``bundle`` and write it to ``out_dir`` atomically.

    The files are written to a temporary folder beside ``out_dir`` and swapped in only when all
    are written, so a failure leaves any existing bundle exactly as it was.
    """
    validate_bundle(bundle)
    out = Path(out_dir).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".tmp", dir=out.parent))
    try:
        tmp.chmod(0o755)
        bundle.wards.to_file(tmp / "wards.geojson", driver="GeoJSON", COORDINATE_PRECISION=5)
        bundle.authorities.to_file(
            tmp / "authorities.geojson", driver="GeoJSON", COORDINATE_PRECISION=5
        )
        bundle.region.to_file(tmp / "region.geojson", driver="GeoJSON", COORDINATE_PRECISION=5)
        _write_csv(bundle.values[VALUE_COLUMNS], tmp / "values.csv")
        _write_csv(bundle.values_wd22[VALUE_COLUMNS], tmp / "values_wd22.csv")
        _write_csv(bundle.claimant_monthly, tmp / "claimant_monthly.csv")
        _write_csv(bundle.context[CONTEXT_COLUMNS], tmp / "context.csv")
        _write_csv(bundle.group_gaps, tmp / "group_gaps.csv")
        _write_csv(bundle.imd_change, tmp / "imd_change.csv")
        records = [ind.to_record() for ind in bundle.catalogue.values()]
        (tmp / "catalogue.json").write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")
        (tmp / "manifest.json").write_text(
            json.dumps(bundle.manifest, indent=1, ensure_ascii=False) + "\n"
        )
        for name, text in (extra_files or {}).items():
            (tmp / name).write_text(text)
        _atomic_replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def read_bundle(path: Path | str = DEFAULT_BUNDLE) -> Bundle:
    """Load and validate the bundle.

    Raises
    ------
    BundleError
        If a file is missing or unreadable, or the contents fail validation.
    """
    folder = Path(path)
    missing = [name for name in BUNDLE_FILES if not (folder / name).is_file()]
    if missing:
        raise BundleError(
            f"bundle at {folder} is incomplete: missing {', '.join(missing)}. "
            "Rebuild it with: python -m equity ingest --raw ../shared/data"
        )
    try:
        wards = gpd.read_file(folder / "wards.geojson")
        authorities = gpd.read_file(folder / "authorities.geojson")
        region = gpd.read_file(folder / "region.geojson")
        dtypes = {"area_code": str, "area_name": str, "level": str, "authority_code": str,
                  "indicator": str, "method": str}
        values = pd.read_csv(folder / "values.csv", dtype=dtypes, keep_default_na=False,
                             na_values={c: [""] for c in ("numerator", "denominator", "value",
                                                          "lower", "upper")})
        values_wd22 = pd.read_csv(folder / "values_wd22.csv", dtype=dtypes,
                                  keep_default_na=False,
                                  na_values={c: [""] for c in ("numerator", "denominator",
                                                               "value", "lower", "upper")})
        monthly = pd.read_csv(folder / "claimant_monthly.csv", dtype={"ward_code": str,
                                                                       "month": str})
        context = pd.read_csv(folder / "context.csv", dtype={"area_code": str, "period": str})
        group_gaps = pd.read_csv(folder / "group_gaps.csv", dtype={"area_code": str})
        imd_change = pd.read_csv(folder / "imd_change.csv", dtype={"area_code": str})
        manifest = json.loads((folder / "manifest.json").read_text())
        json.loads((folder / "catalogue.json").read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(f"bundle at {folder} could not be read: {exc}") from exc
    bundle = Bundle(
        wards=wards,
        authorities=authorities,
        region=region,
        values=values,
        values_wd22=values_wd22,
        claimant_monthly=monthly,
        context=context,
        group_gaps=group_gaps,
        imd_change=imd_change,
        catalogue=dict(CATALOGUE),
        manifest=manifest,
    )
    bundle.notices = screen_bundle(bundle)
    validate_bundle(bundle)
    return bundle


def validate_bundle(bundle: Bundle) -> None:
    """Check the bundle's invariants, raising :class:`BundleError` on the first failure."""
    wards = bundle.wards
    for col in ("ward_code", "ward_name", "authority_code", "authority"):
        if col not in wards.columns:
            raise BundleError(f"wards has no column {col!r}")
    if len(wards) != EXPECTED_WARDS or wards.ward_code.duplicated().any():
        raise BundleError(f"wards must hold {EXPECTED_WARDS} distinct wards, found {len(wards)}")
    if not set(wards.authority_code) <= set(AUTHORITIES):
        raise BundleError("wards include an authority outside WMCA")
    if not wards.geometry.is_valid.all():
        raise BundleError("wards include an invalid geometry")
    values = bundle.values
    missing_cols = [c for c in VALUE_COLUMNS if c not in values.columns]
    if missing_cols:
        raise BundleError(f"values has no column(s) {missing_cols}")
    if values.duplicated(["area_code", "indicator"]).any():
        dup = values[values.duplicated(["area_code", "indicator"])].iloc[0]
        raise BundleError(f"values has a duplicate row for {dup.area_code} / {dup.indicator}")
    unknown = set(values.indicator) - set(bundle.catalogue)
    if unknown:
        raise BundleError(f"values name indicators not in the catalogue: {sorted(unknown)}")
    bad_levels = set(values.level) - set(LEVELS)
    if bad_levels:
        raise BundleError(f"values have unknown levels {sorted(bad_levels)}")
    ward_rows = values[values.level == "ward"]
    if not set(ward_rows.area_code) <= set(wards.ward_code):
        raise BundleError("values name a ward that is not in wards.geojson")
    if not (values.level == "wmca").any() or WMCA_CODE not in set(values.area_code):
        raise BundleError("values hold no WMCA rows")
    finite = values[np.isfinite(values.value)]
    bad_ci = finite[(finite.lower > finite.value + 1e-9) | (finite.upper < finite.value - 1e-9)]
    if not bad_ci.empty:
        row = bad_ci.iloc[0]
        raise BundleError(f"interval does not contain the value for {row.area_code} / {row.indicator}")
