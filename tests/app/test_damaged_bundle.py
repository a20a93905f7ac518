"""A bundle holding figures that cannot be real (astronomic, infinite, text) never breaks a
page: the figures show as "no data", every page says so, and the rest of the page is drawn.
A bundle that cannot be read at all gets one plain message instead of a traceback.

The app reads the bundle named by ``EQUITY_BUNDLE``; each test points it at a damaged copy
and clears Streamlit's caches before and after, so no other test sees the copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from equity import ui
from equity.ui import cache
from equity.ui.pages import theme
from tests.app.sent import components

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
WARD = "E05011118"  # Acocks Green, Birmingham
PAGES = ["app_pages/overview.py", "app_pages/health.py", "app_pages/jobs.py",
         "app_pages/skills.py", "app_pages/youth_unemployment.py",
         "app_pages/ward_profile.py", "app_pages/impact.py", "app_pages/group_gaps.py",
         "app_pages/trends.py", "app_pages/about.py"]


@pytest.fixture
def serve_bundle(monkeypatch):
    """Point the app at a bundle folder for one test, with fresh caches either side."""
    def _serve(folder: Path) -> None:
        monkeypatch.setenv(cache.BUNDLE_ENV, str(folder))
        st.cache_resource.clear()
        st.cache_data.clear()

    yield _serve
    st.cache_resource.clear()
    st.cache_data.clear()


def _damaged_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", folder)
    values = pd.read_csv(folder / "values.csv", dtype=str, keep_default_na=False)
    imd = (values.indicator == "imd_score") & (values.area_code == WARD)
    values.loc[imd, ["numerator", "value"]] = ["inf", "1e308"]
    # the authority's score is a sum over its wards, so it overflows too
    values.loc[(values.indicator == "imd_score") & (values.level == "authority")
               & (values.area_code == "E08000025"), "value"] = "inf"
    claim = (values.indicator == "claimant_rate") & (values.level == "ward")
    first_claim = values.index[claim][0]
    values.loc[first_claim, "numerator"] = "1e308"
    values.loc[values.index[values.indicator == "aged_16_24"][3], "lower"] = "not a number"
    values.to_csv(folder / "values.csv", index=False)
    change = pd.read_csv(folder / "imd_change.csv", dtype=str, keep_default_na=False)
    change.loc[0, "pct_most_deprived_2025"] = "1e308"
    change.to_csv(folder / "imd_change.csv", index=False)
    return folder


def _page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def _components(at: AppTest, name: str) -> list[dict]:
    return components(at, name)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_with_implausible_figures_in_the_bundle(serve_bundle, tmp_path, page):
    serve_bundle(_damaged_copy(tmp_path))
    at = _page(page, {"ward": WARD, "char": "imd_score", "wards": f"{WARD},E05011120"})
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("values.csv" in w and "“no data”" in w for w in warnings), warnings
    assert any("imd_change.csv" in w for w in warnings), warnings
    assert _components(at, "equity_table"), f"{page} drew no table"
    if page not in ("app_pages/about.py", "app_pages/group_gaps.py"):
        assert _components(at, "equity_chart") or page == "app_pages/impact.py"


def test_the_damaged_ward_shows_no_data_and_its_neighbours_their_figures(serve_bundle,
                                                                        tmp_path):
    serve_bundle(_damaged_copy(tmp_path))
    at = _page("app_pages/overview.py")
    assert not at.exception
    at.switch_page("app_pages/ward_profile.py").run()
    bundle = ui.load_bundle()
    wards = bundle.ward_values("imd_score").set_index("ward_code")
    assert pd.isna(wards.value[WARD]) and pd.isna(wards.numerator[WARD])
    assert wards.value.notna().sum() == 191
    # every other figure is kept as it was
    real = pd.read_csv(ROOT / "geodata" / "values.csv")
    kept = bundle.values.merge(real, on=["area_code", "indicator"], suffixes=("", "_real"))
    blank = kept.value.isna() & kept.value_real.notna()
    assert set(kept.indicator[blank]) == {"imd_score", "claimant_rate", "aged_16_24"}
    assert blank.sum() == 4


def test_a_characteristic_without_any_drawable_value_leaves_the_filter_out(serve_bundle,
                                                                          tmp_path):
    folder = tmp_path / "geodata"
    shutil.copytree(ROOT / "geodata", folder)
    values = pd.read_csv(folder / "values.csv", dtype=str, keep_default_na=False)
    values.loc[(values.indicator == "imd_score") & (values.level == "ward"), "value"] = "1e308"
    values.to_csv(folder / "values.csv", index=False)
    serve_bundle(folder)
    at = _page("app_pages/health.py", {"char": "imd_score", "min": "10"})
    assert not at.exception
    assert "imd_score" not in at.selectbox(key="f_char").options
    assert any("192 figures" in w.value for w in at.warning)


def test_a_missing_bundle_gets_one_plain_message(serve_bundle, tmp_path):
    (tmp_path / "empty").mkdir()
    serve_bundle(tmp_path / "empty")
    at = _page("app_pages/health.py")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "could not be loaded" in errors[0], errors
    assert "python -m equity ingest" in errors[0]
    assert str(tmp_path) not in errors[0]  # no server path shown to visitors


def test_a_part_that_cannot_be_drawn_leaves_the_rest_of_the_page(serve_bundle, monkeypatch):
    serve_bundle(ROOT / "geodata")

    def broken(*args, **kwargs):
        raise OverflowError("cannot convert float infinity to integer")

    monkeypatch.setattr(theme, "ward_map", broken)
    at = _page("app_pages/health.py")
    assert not at.exception
    assert any("map could not be drawn" in w.value for w in at.warning)
    labels = [t["label"] for t in _components(at, "equity_table")]
    assert any(label.endswith(", by ward") for label in labels), labels
