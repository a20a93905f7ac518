"""The ingest end to end: reproducible bundle, published totals, atomic writes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity import bundle as bundle_module
from equity.bundle import read_bundle
from equity.catalogue import AUTHORITIES, WMCA_CODE
from equity.ingest import ingest
from equity.sources import census
from equity.sources._read import IngestError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared" / "data"

pytestmark = pytest.mark.rawdata
COMMITTED = REPO / "geodata"
DERIVED = "census2021/DERIVED_{}_ward_wd24_bestfit_wmca.csv"
DUDLEY, WOLVERHAMPTON = "E08000027", "E08000031"
ETHNIC = ["eth_asian", "eth_black", "eth_mixed", "eth_white", "eth_other"]


@pytest.fixture(scope="module")
def shared() -> Path:
    if not (SHARED / "lookups").is_dir():
        pytest.skip(f"raw published data not found at {SHARED.resolve()}; "
                    "the ingest tests need ../shared/data")
    return SHARED


@pytest.fixture(scope="module")
def rebuilt(shared, tmp_path_factory):
    """A fresh bundle built from ../shared/data: (folder, Bundle as returned by ingest)."""
    out = tmp_path_factory.mktemp("rebuild") / "geodata"
    return out, ingest(shared, out)


@pytest.fixture(scope="module")
def values(rebuilt) -> pd.DataFrame:
    return read_bundle(rebuilt[0]).values


def ward_rows(values: pd.DataFrame, indicator: str) -> pd.DataFrame:
    rows = values[(values.level == "ward") & (values.indicator == indicator)]
    return rows.set_index("area_code")


def area_row(values: pd.DataFrame, indicator: str, code: str) -> pd.Series:
    rows = values[(values.indicator == indicator) & (values.area_code == code)]
    assert len(rows) == 1, (indicator, code)
    return rows.iloc[0]


def derived(shared: Path, name: str) -> pd.DataFrame:
    frame = pd.read_csv(shared / DERIVED.format(name))
    assert len(frame) == 192
    return frame.set_index("WD24CD")


def sha256_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ (a) reproducible


def test_rebuild_matches_committed_bundle_byte_for_byte(rebuilt):
    out, _ = rebuilt
    committed = sorted(p.name for p in COMMITTED.iterdir() if p.is_file())
    built = sorted(p.name for p in out.iterdir() if p.is_file())
    assert built == committed
    differing = [name for name in committed
                 if (out / name).read_bytes() != (COMMITTED / name).read_bytes()]
    assert differing == [], (
        f"rebuilt bundle differs from geodata/ in {differing}; if the raw data or the ingest "
        "changed on purpose, rebuild with: python -m equity ingest --raw ../shared/data")


def test_rebuilt_bundle_reads_and_validates(rebuilt):
    out, built = rebuilt
    again = read_bundle(out)
    assert len(again.wards) == 192
    assert len(again.values) == len(built.values)
    assert set(again.values.indicator) == set(built.catalogue)


def test_manifest_checksums_match_raw_files(rebuilt, shared):
    manifest = rebuilt[1].manifest
    assert manifest["raw_files"], "manifest lists no raw files"
    for name, digest in manifest["raw_files"].items():
        assert hashlib.sha256((shared / name).read_bytes()).hexdigest() == digest, name


# ------------------------------------------------------------------ (b) published totals


def test_wmca_usual_residents(values):
    for ind in ETHNIC:
        assert area_row(values, ind, WMCA_CODE).denominator == 2_919_639
    wards = ward_rows(values, "eth_white")
    assert wards.denominator.sum() == 2_919_639
    numerators = sum(area_row(values, ind, WMCA_CODE).numerator for ind in ETHNIC)
    assert numerators == pytest.approx(2_919_639, abs=200)  # cell-key perturbation


def test_ward_counts_per_authority(rebuilt):
    _, built = rebuilt
    wards = built.wards
    assert len(wards) == 192
    assert wards.ward_code.is_unique
    assert wards.groupby("authority").size().to_dict() == {
        "Birmingham": 69, "Coventry": 18, "Dudley": 24, "Sandwell": 24, "Solihull": 17,
        "Walsall": 20, "Wolverhampton": 20,
    }
    assert built.manifest["wards"] == 192
    assert sum(built.manifest["wards_per_authority"].values()) == 192


def test_wmca_employment(values):
    row = area_row(values, "employed", WMCA_CODE)
    assert row.numerator == 1_206_042
    assert row.denominator == 2_301_042
    assert row.value == pytest.approx(100 * 1_206_042 / 2_301_042)
    assert row.lower < row.value < row.upper


def test_authority_rows_are_sums_of_their_wards(values):
    for ind in ["disabled", "employed", "bad_health", "no_qualifications", "aged_16_24"]:
        wards = ward_rows(values, ind)
        sums = wards.groupby("authority_code")[["numerator", "denominator"]].sum()
        for code in AUTHORITIES:
            row = area_row(values, ind, code)
            assert row.numerator == pytest.approx(sums.loc[code, "numerator"], rel=1e-9)
            assert row.denominator == pytest.approx(sums.loc[code, "denominator"], rel=1e-9)


def test_bestfit_counts_equal_derived_ward_summary(values, shared):
    summary = pd.read_csv(shared / "census2021/DERIVED_ward_summary_wd24_bestfit_wmca.csv")
    summary = summary.set_index("WD24CD")
    checks = [
        ("eth_asian", "denominator", summary.residents_ts021),
        ("eth_asian", "numerator", summary.eth_asian),
        ("eth_black", "numerator", summary.eth_black),
        ("eth_white", "numerator", summary.eth_white),
        ("disabled", "numerator", summary.disabled),
        ("disabled", "denominator", summary.disabled + summary.not_disabled),
        ("aged_16_24", "numerator", summary.age_16_24),
        ("aged_65_plus", "numerator", summary.age_65_plus),
        ("hh_deprived", "denominator", summary.households),
        ("hh_deprived", "numerator", summary.households - summary.hh_dep0),
    ]
    for ind, column, expected in checks:
        ours = ward_rows(values, ind)[column]
        assert len(ours) == 192, ind
        pd.testing.assert_series_equal(ours.sort_index(), expected.sort_index().astype(float),
                                       check_names=False, obj=f"{ind} {column}")
    age_total = summary[["age_0_15", "age_16_24", "age_25_34", "age_35_49", "age_50_64",
                         "age_65_plus"]].sum(axis=1)
    assert (ward_rows(values, "aged_16_24").denominator.sort_index()
            == age_total.sort_index()).all()
    scores = ward_rows(values, "imd_score").value
    assert np.abs(scores - summary.imd2025_popweighted_score.reindex(scores.index)).max() < 1e-3


def test_bad_health_equals_derived_general_health(values, shared):
    health = derived(shared, "ts037_general_health")
    p = "General health: "
    ours = ward_rows(values, "bad_health").reindex(health.index)
    expected = health[f"{p}Bad health"] + health[f"{p}Very bad health"]
    assert (ours.numerator == expected).all()
    assert (ours.denominator == health[f"{p}Total: All usual residents"]).all()


def test_output_area_indicators_equal_derived_ward_files(values, shared):
    disability = derived(shared, "ts038_disability_full")
    p = "Disability: "
    ours = ward_rows(values, "disabled_limited_a_lot").reindex(disability.index)
    lot = f"{p}Disabled under the Equality Act: Day-to-day activities limited a lot"
    assert (ours.numerator == disability[lot]).all()
    assert (ours.denominator == disability[f"{p}Total: All usual residents"]).all()

    care = derived(shared, "ts039_unpaid_care")
    p = "Provision of unpaid care: "
    ours = ward_rows(values, "unpaid_care_50h").reindex(care.index)
    assert (ours.numerator == care[f"{p}Provides 50 or more hours unpaid care a week"]).all()
    assert (ours.denominator == care[f"{p}Total: All usual residents aged 5 and over"]).all()

    nssec = derived(shared, "ts062_nssec")
    p = "National Statistics Socio-economic Classification (NS-SEC): "
    ours = ward_rows(values, "never_worked").reindex(nssec.index)
    assert (ours.numerator == nssec[f"{p}L14.1 and L14.2 Never worked and long-term "
                                    "unemployed"]).all()
    assert (ours.denominator
            == nssec[f"{p}Total: All usual residents aged 16 years and over"]).all()

    activity = derived(shared, "ts066_economic_activity_3cat")
    ours = ward_rows(values, "unemployed").reindex(activity.index)
    assert (ours.denominator == activity.ts067_total_16plus).all()
    # the derived file rounds its estimates to 0.1 person
    assert np.abs(ours.numerator - activity.est_16plus_unemployed_incl_ft_students).max() <= 0.051


def test_claimant_rate_only_for_birmingham_wards(values, rebuilt):
    rows = ward_rows(values, "claimant_rate")
    assert len(rows) == 69
    assert set(rows.authority_code) == {"E08000025"}
    assert rows.value.notna().all() and (rows.value > 0).all()
    per_ward = rebuilt[1].ward_values("claimant_rate")
    assert len(per_ward) == 192
    others = per_ward[per_ward.authority_code != "E08000025"]
    assert len(others) == 123
    for column in ("value", "numerator", "denominator", "lower", "upper"):
        assert others[column].isna().all(), column  # "no data", never 0
    assert set(others.method) == {"no data"}
    authorities = values[(values.indicator == "claimant_rate") & (values.level != "ward")]
    assert set(authorities.area_code) == {"E08000025"}  # no WMCA total from one authority


def test_apportioned_wards_keep_2022_authority_totals(rebuilt):
    built = rebuilt[1]
    new, old = built.values, built.values_wd22
    for ind in ("employed", "no_qualifications", "level4_plus"):
        wards = new[(new.level == "ward") & (new.indicator == ind)]
        wd22 = old[old.indicator == ind]
        for la in (DUDLEY, WOLVERHAMPTON):
            ours = wards[wards.authority_code == la]
            published = wd22[wd22.authority_code == la]
            assert set(ours.method) == {"wd22_apportioned"}, (ind, la)
            assert ours.numerator.sum() == pytest.approx(published.numerator.sum(), abs=1e-6)
            assert ours.denominator.sum() == pytest.approx(published.denominator.sum(),
                                                           abs=1e-6)
            assert not set(ours.area_code) & set(published.area_code)  # all new codes


def test_unchanged_wards_keep_published_2022_counts(rebuilt):
    built = rebuilt[1]
    new = built.values[(built.values.level == "ward") & (built.values.indicator == "employed")]
    old = built.values_wd22[built.values_wd22.indicator == "employed"].set_index("area_code")
    published = new[~new.authority_code.isin([DUDLEY, WOLVERHAMPTON])].set_index("area_code")
    assert len(published) == 148
    assert set(published.method) == {"ward_published"}
    assert (published.numerator == old.numerator.reindex(published.index)).all()
    assert (published.denominator == old.denominator.reindex(published.index)).all()


def test_values_have_a_wmca_row_for_every_all_authority_indicator(values, rebuilt):
    for ind in rebuilt[1].catalogue.values():
        if set(ind.coverage) == set(AUTHORITIES) and ind.kind != "rank_decile":
            area_row(values, ind.id, WMCA_CODE)


# ------------------------------------------------------------------ (c) atomic


@pytest.fixture
def corrupted_raw(shared, tmp_path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(shared, raw, copy_function=shutil.copyfile)
    for folder in [raw, *(p for p in raw.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)  # the shared copy is read-only; let pytest clean this one up
    path = raw / census.AGE6
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[500] = lines[500].rsplit(",", 1)[0] + ",twelve\n"
    path.write_text("".join(lines), encoding="utf-8")
    return raw


@pytest.fixture
def existing_bundle(tmp_path) -> Path:
    out = tmp_path / "geodata"
    shutil.copytree(COMMITTED, out)
    return out


def test_failed_ingest_leaves_existing_bundle_untouched(corrupted_raw, existing_bundle,
                                                        tmp_path):
    before = sha256_tree(existing_bundle)
    with pytest.raises(IngestError, match=r"age6_usual_residents_lsoa21_wmca\.csv: row 501, "
                                          r"column 'usual_residents'"):
        ingest(corrupted_raw, existing_bundle)
    assert sha256_tree(existing_bundle) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata", "raw"]


def test_failure_while_writing_leaves_existing_bundle_untouched(shared, existing_bundle,
                                                                tmp_path, monkeypatch):
    before = sha256_tree(existing_bundle)
    calls = []

    def failing_write(frame, path):
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError("disk full")
        frame.to_csv(path, index=False)

    monkeypatch.setattr(bundle_module, "_write_csv", failing_write)
    with pytest.raises(bundle_module.BundleError, match="cannot write the bundle to .*: disk full"):
        ingest(shared, existing_bundle)
    assert len(calls) == 2
    assert sha256_tree(existing_bundle) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata"]


def test_successful_ingest_replaces_bundle_and_cleans_up(rebuilt, tmp_path):
    out = tmp_path / "geodata"
    out.mkdir()
    (out / "stale.txt").write_text("from an older bundle")
    # rewrite the already-built bundle through the same atomic path
    bundle_module.write_bundle(rebuilt[1], out)
    assert not (out / "stale.txt").exists()
    assert (out / "values.csv").read_bytes() == (rebuilt[0] / "values.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata"]


def test_missing_raw_folder_is_an_ingest_error(tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        ingest(tmp_path / "nowhere", tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.fixture
def raw_copy(shared, tmp_path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(shared, raw, copy_function=shutil.copyfile)
    for folder in [raw, *(p for p in raw.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    return raw


@pytest.mark.parametrize("relative, column, line", [
    ("deprivation/imd2025_lsoa21_wmca.csv", "IMD_score", 40),
    ("labour_market/claimant_count_birmingham_wards_2026-04.csv", "claimant_count", 12),
])
def test_astronomic_raw_value_stops_the_ingest_command(raw_copy, existing_bundle, capsys,
                                                       relative, column, line):
    from equity.__main__ import main

    path = raw_copy / relative
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = "1e308"
    frame.to_csv(path, index=False)
    before = sha256_tree(existing_bundle)
    assert main(["ingest", "--raw", str(raw_copy), "--out", str(existing_bundle)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-2].startswith(f"error: {relative}: row {line}, column {column!r}: expected a ")
    assert "from 0 to 100" in err[-2] or "from 0 to 100,000" in err[-2]
    assert err[-1] == "The existing bundle was left unchanged."
    assert sha256_tree(existing_bundle) == before
