"""The Trends page's 2011 to 2021 section and the ward profile's neighbourhood change, in AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from equity.bundle import read_bundle
from tests.app.sent import components
from tests.app.test_pages import _tables

ROOT = Path(__file__).resolve().parents[2]
ACOCKS_GREEN = "E05011118"


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ROOT / "geodata")


def _page(page: str, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def _charts(at: AppTest) -> list[dict]:
    return [spec["figure"] for spec in components(at, "equity_chart")]


def test_trends_shows_the_msoa_change_map_table_and_gap_sentences(bundle):
    at = _page("app_pages/trends.py")
    assert not at.exception
    assert "Is the gap closing? Census 2011 to 2021 by neighbourhood" in [h.value
                                                                         for h in at.header]
    maps = [f for f in _charts(at) if any(t["type"] == "choropleth" for t in f["data"])]
    imd_map, msoa_map = maps
    msoas = sorted(loc for t in msoa_map["data"] if t["type"] == "choropleth"
                   and t.get("hoverinfo") != "skip" for loc in t["locations"])
    assert msoas == sorted(bundle.msoas.msoa_code)
    names = [t["name"] for t in msoa_map["data"]]
    assert "Interval includes 0: no clear change" in names
    assert any(n.startswith("Fall") for n in names)
    assert "centred on no change" in msoa_map["layout"]["meta"]["description"]
    # The IMD map is on the same diverging scale, centred on no change.
    assert "No change" in [t["name"] for t in imd_map["data"]]
    tables = _tables(at)
    change = next(t for t in tables if "MSOA code" in t.columns)
    assert len(change) == 355
    rows = bundle.msoa_change[(bundle.msoa_change.level == "msoa")
                              & (bundle.msoa_change.indicator == "bad_health")]
    expected = rows.set_index("area_code").loc["E02001827"]
    shown = change.set_index("MSOA code").loc["E02001827"]
    assert shown["2021 (%)"] == pytest.approx(expected.value_2021, abs=0.005)
    assert shown["Change (points)"] == pytest.approx(expected.change, abs=0.005)
    summary = next(t for t in tables if "Area" in t.columns and "2011 (%)" in t.columns)
    assert summary.Area.tolist()[-1] == "WMCA" and len(summary) == 8
    gaps = next(t for t in tables if "SII 2011 (points)" in t.columns)
    assert len(gaps) == 5
    text = " ".join(m.value for m in at.markdown)
    assert text.count("The gap in ") >= 6  # the chosen measure's sentence, then all five
    captions = " ".join(c.value for c in at.caption)
    assert "IMD 2019" in captions and "IMD 2025" in captions
    assert "approximate" in captions  # the 2011 health caveat, shown with the measure


def test_choosing_a_measure_redraws_the_map_and_states_the_age_difference(bundle):
    at = _page("app_pages/trends.py")
    at.selectbox(key="change_measure").set_value("never_worked").run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "16-74" in captions and "16 and over" in captions
    change = next(t for t in _tables(at) if "MSOA code" in t.columns)
    rows = bundle.msoa_change[(bundle.msoa_change.level == "msoa")
                              & (bundle.msoa_change.indicator == "never_worked")]
    assert change["Change (points)"].max() == pytest.approx(rows.change.max(), abs=0.005)


def test_ward_profile_shows_neighbourhood_change_labelled_as_msoa_figures():
    at = _page("app_pages/ward_profile.py", {"ward": ACOCKS_GREEN})
    assert not at.exception
    assert any("MSOA figures, not ward figures" in s.value for s in at.subheader)
    table = next(t for t in _tables(at) if "MSOA (neighbourhood)" in t.columns)
    assert set(table.Measure) == {"Bad or very bad health (%)", "No qualifications (%)",
                                  "Level 4+ (%)", "Never worked / long-term unemployed (%)",
                                  "Households deprived (%)"}


def test_the_chosen_measure_is_in_the_link_and_a_link_chooses_it():
    at = _page("app_pages/trends.py")
    assert at.query_params["indicator"] == "bad_health"
    at = _page("app_pages/trends.py", {"indicator": "level4_plus"})
    assert not at.exception
    assert at.selectbox(key="change_measure").value == "level4_plus"
    headers = [t for t in _tables(at) if "MSOA code" in t.columns]
    assert headers and len(headers[0]) == 355
    at = _page("app_pages/trends.py", {"indicator": "imd_score"})
    assert not at.exception
    assert at.selectbox(key="change_measure").value == "bad_health"
    assert any("not one of the measures compared" in i.value for i in at.info)
