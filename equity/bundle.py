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
``postcodes.csv``
    Every postcode inside WMCA with its ward (``ward``, the ward's row in ``wards.geojson``)
    and, within 50 m of a boundary, the nearest other ward (``near``; ``equity.postcodes``).
``constituencies.geojson`` and ``youth_model_validation.csv``
    The 28 2010-set constituencies, and for each the published Census youth unemployment rate
    against the modelled estimate summed from its LSOAs (``equity.youth_model``).
``msoa_change.csv``, ``change_sii.csv``, ``msoas.geojson`` and ``ward_msoa.csv``
    Census 2011 to 2021 by neighbourhood (``equity.change``): five measures for every
    comparison area (a 2021 MSOA, or split or merged MSOAs joined), authority and WMCA in
    both years with the change and its interval; the slope index of inequality in each year
    and its change; the 357 2021 MSOA shapes (kept apart from the wards so the MSOA map's
    geometry can be delivered on its own); and the areas sharing LSOAs with each ward.
``catalogue.json`` and ``manifest.json``
    The indicator catalogue as built, and sources, vintages, checksums and attribution.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from equity import atomic
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
    "constituencies.geojson",
    "youth_model_validation.csv",
    "postcodes.csv",
    "msoa_change.csv",
    "change_sii.csv",
    "msoas.geojson",
    "ward_msoa.csv",
    "catalogue.json",
    "manifest.json",
)
_CHANGE_NUMBERS = [f"{kind}_{year}" for kind in ("numerator", "denominator", "value", "lower",
                                                  "upper", "imd_percentile")
                   for year in (2011, 2021)] + ["change", "change_lower", "change_upper"]
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
    constituencies: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    youth_validation: pd.DataFrame = field(default_factory=pd.DataFrame)
    postcodes: pd.DataFrame = field(default_factory=pd.DataFrame)
    msoa_change: pd.DataFrame = field(default_factory=pd.DataFrame)
    change_sii: pd.DataFrame = field(default_factory=pd.DataFrame)
    msoas: gpd.GeoDataFrame = field(default_factory=gpd.GeoDataFrame)
    ward_msoa: pd.DataFrame = field(default_factory=pd.DataFrame)
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


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")


def _bundle_files(bundle: Bundle, extra_files: dict[str, str]) -> list[tuple[str, object]]:
    """Each file of the bundle with the function that writes it into a folder."""
    def geojson(frame: gpd.GeoDataFrame):
        return lambda path: frame.to_file(path, driver="GeoJSON", COORDINATE_PRECISION=5)

    def csv(frame: pd.DataFrame):
        return lambda path: _write_csv(frame, path)

    def text(content: str):
        return lambda path: path.write_text(content)

    records = [ind.to_record() for ind in bundle.catalogue.values()]
    return [
        ("wards.geojson", geojson(bundle.wards)),
        ("authorities.geojson", geojson(bundle.authorities)),
        ("region.geojson", geojson(bundle.region)),
        ("values.csv", csv(bundle.values[VALUE_COLUMNS])),
        ("values_wd22.csv", csv(bundle.values_wd22[VALUE_COLUMNS])),
        ("claimant_monthly.csv", csv(bundle.claimant_monthly)),
        ("context.csv", csv(bundle.context[CONTEXT_COLUMNS])),
        ("group_gaps.csv", csv(bundle.group_gaps)),
        ("imd_change.csv", csv(bundle.imd_change)),
        ("constituencies.geojson", geojson(bundle.constituencies)),
        ("youth_model_validation.csv", csv(bundle.youth_validation)),
        ("postcodes.csv", csv(bundle.postcodes)),
        ("msoa_change.csv", csv(bundle.msoa_change)),
        ("change_sii.csv", csv(bundle.change_sii)),
        ("msoas.geojson", geojson(bundle.msoas)),
        ("ward_msoa.csv", csv(bundle.ward_msoa)),
        ("catalogue.json", text(json.dumps(records, indent=1, ensure_ascii=False) + "\n")),
        ("manifest.json", text(json.dumps(bundle.manifest, indent=1, ensure_ascii=False)
                               + "\n")),
        *((name, text(content)) for name, content in extra_files.items()),
    ]


def write_bundle(bundle: Bundle, out_dir: Path | str, extra_files: dict[str, str] | None = None,
                 step: Callable[[str], None] = lambda _: None) -> None:
    """Validate ``bundle`` and write it to ``out_dir`` in one atomic switch.

    The files are written to a temporary folder beside ``out_dir``, flushed to disk and then
    exchanged with ``out_dir`` in one system call (:mod:`equity.atomic`), so a reader, or a
    process killed at any moment, finds either the whole previous bundle or the whole new
    one. Temporary folders left by earlier interrupted runs are removed first.

    Parameters
    ----------
    bundle : Bundle
        What to write.
    out_dir : Path or str
        The bundle folder.
    extra_files : dict of str to str, optional
        More text files to put in the folder (``ATTRIBUTION.md``).
    step : callable, optional
        Called with a short name before each step of the write and the switch (for progress,
        and for the tests that interrupt the write at every step).

    Raises
    ------
    BundleError
        If the bundle is invalid, or the folder cannot be written (full disk, no permission,
        a file where a folder should be): one line naming the folder and the reason. The
        existing bundle is then left as it was.
    """
    validate_bundle(bundle)
    out = Path(out_dir).absolute()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic.locked(out):
            step("remove leftovers")
            atomic.remove_leftovers(out)
            step("create temporary folder")
            tmp = Path(tempfile.mkdtemp(prefix=out.name + atomic.TEMP_MARK, dir=out.parent))
            try:
                tmp.chmod(0o755)
                for name, write in _bundle_files(bundle, extra_files or {}):
                    step(f"write {name}")
                    write(tmp / name)
                step("flush to disk")
                atomic.fsync_tree(tmp)
                atomic.replace_folder(tmp, out, step)
                step("flush folder")
                atomic.fsync_folder(out.parent)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BundleError(f"cannot write the bundle to {out}: {reason}"
                          f"{f' ({exc.filename})' if exc.filename else ''}") from exc


def read_bundle(path: Path | str = DEFAULT_BUNDLE) -> Bundle:
    """Load and validate the bundle.

    Raises
    ------
    BundleError
        If a file is missing or unreadable, or the contents fail validation.
    """
    folder = Path(path)
    # An ingest may switch the folder while it is being read: the manifest, read before and
    # after, tells whether every file came from the same bundle.
    for _ in range(3):
        before = _manifest_bytes(folder)
        bundle = _read_files(folder)
        if _manifest_bytes(folder) == before:
            break
    bundle.notices = screen_bundle(bundle)
    validate_bundle(bundle)
    return bundle


def _manifest_bytes(folder: Path) -> bytes | None:
    try:
        return (folder / "manifest.json").read_bytes()
    except OSError:
        return None


def _read_files(folder: Path) -> Bundle:
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
        constituencies = gpd.read_file(folder / "constituencies.geojson")
        youth_validation = pd.read_csv(folder / "youth_model_validation.csv",
                                       dtype={"pcon_code": str, "pcon_name": str})
        postcodes = pd.read_csv(folder / "postcodes.csv",
                                dtype={"postcode": str, "ward": "Int64", "near": "Int64"})
        text_columns = {c: str for c in ("area_code", "area_name", "level", "authority_code",
                                         "authority", "indicator", "geography",
                                         "msoa21_codes", "msoa11_codes")}
        msoa_change = pd.read_csv(folder / "msoa_change.csv", dtype=text_columns,
                                  keep_default_na=False,
                                  na_values={c: [""] for c in _CHANGE_NUMBERS})
        change_sii = pd.read_csv(folder / "change_sii.csv", dtype={"indicator": str})
        msoas = gpd.read_file(folder / "msoas.geojson")
        ward_msoa = pd.read_csv(folder / "ward_msoa.csv", dtype={"ward_code": str,
                                                                 "area_code": str})
        manifest = json.loads((folder / "manifest.json").read_text())
        json.loads((folder / "catalogue.json").read_text())
    except (OSError, ValueError, RuntimeError) as exc:  # pyogrio's errors are RuntimeErrors
        raise BundleError(f"bundle at {folder} could not be read: "
                          f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                          ) from exc
    for name, frame in (("values.csv", values), ("values_wd22.csv", values_wd22)):
        absent = [c for c in VALUE_COLUMNS if c not in frame.columns]
        if absent:
            raise BundleError(f"bundle at {folder}: {name} has no column(s) {absent}")
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
        constituencies=constituencies,
        youth_validation=youth_validation,
        postcodes=postcodes,
        msoa_change=msoa_change,
        change_sii=change_sii,
        msoas=msoas,
        ward_msoa=ward_msoa,
    )
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
    if not bundle.postcodes.empty:
        rows = pd.concat([bundle.postcodes.ward, bundle.postcodes.near]).dropna()
        if ((rows < 0) | (rows >= len(wards))).any():
            raise BundleError("postcodes name a ward row that is not in wards.geojson")
    _validate_change(bundle.msoa_change)
    finite = values[np.isfinite(values.value)]
    bad_ci = finite[(finite.lower > finite.value + 1e-9) | (finite.upper < finite.value - 1e-9)]
    if not bad_ci.empty:
        row = bad_ci.iloc[0]
        raise BundleError(f"interval does not contain the value for {row.area_code} / {row.indicator}")


def _validate_change(change: pd.DataFrame) -> None:
    """Every 2011 to 2021 change lies inside its own interval (when the bundle has any)."""
    if change.empty:
        return
    absent = [c for c in ("area_code", "indicator", "change", "change_lower", "change_upper")
              if c not in change.columns]
    if absent:
        raise BundleError(f"msoa_change has no column(s) {absent}")
    finite = change[np.isfinite(change.change.astype(float))]
    bad = finite[(finite.change_lower > finite.change + 1e-9)
                 | (finite.change_upper < finite.change - 1e-9)]
    if not bad.empty:
        row = bad.iloc[0]
        raise BundleError(f"msoa_change: the interval does not contain the change for "
                          f"{row.area_code} / {row.indicator}")
