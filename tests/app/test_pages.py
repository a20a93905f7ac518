"""Drive every page through streamlit's AppTest, from app.py, and check what it shows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from equity import static_files
from equity.bundle import read_bundle
from equity.catalogue import INDICATORS, THEMES, indicators_for_theme
from tests.app.sent import component_data, components

ROOT = Path(__file__).resolve().parents[2]
THEME_PAGES = {theme: f"app_pages/{theme}.py" for theme in THEMES if theme != "characteristic"}
TIMEOUT = 60


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ROOT / "geodata")


def _app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def _page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Open ``page`` first, as a browser opening a link to it would."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def _tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table the page shows (equity/table.js), in page order, rebuilt from what it sent.

    Numeric columns come back as floats, NaN where the table shows "no data"; the others as
    the text the table shows.
    """
    frames = []
    for element in at.get("bidi_component"):
        if element.proto.component_name != "equity_table":
            continue
        table = component_data(element)["table"]
        frames.append(pd.DataFrame({
            column["name"]: (np.array([np.nan if v is None else v for v in column["value"]],
                                      dtype=float)
                             if column["numeric"] else column["text"])
            for column in table["columns"]}))
    return frames


def _ward_table(at: AppTest) -> pd.DataFrame:
    """The sortable ward table is the last table on a theme page."""
    return _tables(at)[-1]


def _match_line(at: AppTest) -> str:
    lines = [m.value for m in at.markdown if "wards match" in m.value]
    return lines[0] if lines else ""


@pytest.mark.parametrize("page,title", [
    ("app_pages/overview.py", "West Midlands equity dashboard"),
    ("app_pages/health.py", "Health"),
    ("app_pages/jobs.py", "Jobs"),
    ("app_pages/skills.py", "Skills"),
    ("app_pages/youth_unemployment.py", "Youth unemployment"),
    ("app_pages/ward_profile.py", "Ward profile"),
    ("app_pages/about.py", "About the data"),
])
def test_every_page_loads_from_the_router(page, title):
    at = _page(page)
    assert not at.exception
    assert [t.value for t in at.title] == [title]


@pytest.mark.parametrize("page,query", [
    ("app_pages/overview.py", {}), ("app_pages/health.py", {}), ("app_pages/jobs.py", {}),
    ("app_pages/skills.py", {}), ("app_pages/youth_unemployment.py", {}),
    ("app_pages/ward_profile.py", {"ward": "E05011118"}),
    ("app_pages/impact.py", {"wards": "E05011118,E05011120"}),
    ("app_pages/group_gaps.py", {}), ("app_pages/trends.py", {}), ("app_pages/about.py", {}),
])
def test_every_table_is_a_named_html_table(page, query):
    """No page uses st.dataframe (its grid's JavaScript slowed the first map by ~0.25 s); each
    table goes to equity/table.js with an accessible name and whole columns."""
    at = _page(page, query)
    assert not at.exception
    assert not at.dataframe
    tables = components(at, "equity_table")
    assert tables, f"{page} shows no table"
    for spec in tables:
        assert spec["label"].strip() and spec["height"] > 0
        assert spec["table"]["columns"]
        for column in spec["table"]["columns"]:
            assert len(column["text"]) == spec["table"]["rows"], (spec["label"], column["name"])


@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_each_indicator_table_matches_the_bundle(theme, bundle):
    at = _page(THEME_PAGES[theme])
    picker = at.selectbox(key=f"ind_{theme}")
    assert picker.options == [ind.title for ind in indicators_for_theme(theme)]
    for ind in indicators_for_theme(theme):
        picker.set_value(ind.id).run()
        assert not at.exception, ind.id
        table = _ward_table(at).set_index("Ward code")
        expected = bundle.ward_values(ind.id).set_index("ward_code")
        assert len(table) == 192
        value_col = next(c for c in table.columns if c.startswith("Value"))
        got = table[value_col].reindex(expected.index).to_numpy(float)
        want = expected.value.round(2).to_numpy(float)
        np.testing.assert_allclose(got, want, equal_nan=True)
        # "no data" wards are never shown as zero
        no_data = ~np.isfinite(want)
        assert np.all(np.isnan(got[no_data]))
        notes = table["Note"].reindex(expected.index).to_numpy()
        assert set(notes[no_data]) <= {"no data", "no data for this authority"}
        assert set(notes[~no_data]) <= {""}
        assert at.query_params["indicator"] == ind.id


@pytest.mark.parametrize("theme", list(THEME_PAGES))
def test_theme_page_charts_reach_the_browser_component_whole(theme, bundle):
    """Each chart is an ``equity_chart`` component carrying its figure, an accessible name and
    the folder of the plotly build; only the map reports clicks back."""
    at = _page(THEME_PAGES[theme])
    elements = [e.proto for e in at.get("bidi_component")]
    charts = [e for e in elements if e.component_name == "equity_chart"]
    assert len(charts) >= 2
    assert {e.component_name for e in elements} == {"equity_chart", "equity_table"}
    specs = [component_data(c) for c in at.get("bidi_component")
             if c.proto.component_name == "equity_chart"]
    for spec in specs:
        figure = spec["figure"]
        assert figure["data"], spec["label"]
        assert spec["label"].endswith("The figures are in the table on this page.")
        assert spec["assets"] == "/app/static/"
        assert spec["config"]["displaylogo"] is False
        assert spec["config"]["showSendToCloud"] is False
        assert {"select2d", "lasso2d"} <= set(spec["config"]["modeBarButtonsToRemove"])
        assert figure["layout"]["template"]["layout"]["font"]["family"].startswith('"Source')
    ward_map = specs[0]["figure"]
    locations = [code for trace in ward_map["data"] if trace["type"] == "choropleth"
                 and trace.get("hoverinfo") != "skip" for code in trace["locations"]]
    assert sorted(locations) == sorted(bundle.wards.ward_code)
    # The shapes are one static file the figure names; the figure itself carries values only.
    shapes = {t["geojson"] for t in ward_map["data"] if t["type"] == "choropleth"}
    assert len(shapes) == 1 and static_files.HASHED_NAME.search(shapes.pop())
    assert '"coordinates"' not in json.dumps(ward_map)
    assert [spec["select"] for spec in specs] == ["points"] + [""] * (len(specs) - 1)


def test_chart_config_never_shares_to_the_cloud_and_offers_lasso_only_where_asked():
    from equity.ui.elements import chart_config

    asked = chart_config({"showSendToCloud": True, "plotlyServerURL": "https://x.example",
                          "modeBarButtonsToRemove": ["toImage"], "scrollZoom": True})
    assert asked["showSendToCloud"] is False and asked["plotlyServerURL"] == ""
    assert asked["scrollZoom"] is True and asked["displaylogo"] is False
    assert asked["modeBarButtonsToRemove"] == ["lasso2d", "select2d", "toImage"]
    assert "displayModeBar" not in asked
    lasso = chart_config(box_and_lasso=True)
    assert "modeBarButtonsToRemove" not in lasso
    assert chart_config(phone=True)["displayModeBar"] is False


def test_selected_points_reads_only_well_formed_selections(monkeypatch):
    from equity.ui import elements

    state = {"good": {"selection": {"points": [{"location": "E05011118"}, "junk"]}},
             "text": "not a result", "no_points": {"selection": {"points": "E05011118"}},
             "none": None}
    monkeypatch.setattr(elements.st, "session_state", state)
    assert elements.selected_points("good") == [{"location": "E05011118"}]
    for key in ("text", "no_points", "none", "missing"):
        assert elements.selected_points(key) == [], key


def test_impact_map_reports_boxes_and_lassos():
    at = _page("app_pages/impact.py")
    spec = component_data(at.get("bidi_component")[0])
    assert spec["select"] == "points+box+lasso"
    assert "modeBarButtonsToRemove" not in spec["config"]
    assert spec["figure"]["layout"]["dragmode"] == "lasso"


def test_authority_filter_limits_table_and_states_count(bundle):
    at = _page("app_pages/health.py")
    at.multiselect(key="f_la").set_value(["E08000029"]).run()
    table = _ward_table(at)
    solihull = (bundle.wards.authority_code == "E08000029").sum()
    assert len(table) == solihull == 17
    assert set(table.Authority) == {"Solihull"}
    assert _match_line(at).startswith(f"**{solihull} of 192 wards match")
    assert at.query_params["la"] == "E08000029"


def test_characteristic_range_filter_matches_bundle_values(bundle):
    at = _page("app_pages/jobs.py")
    at.selectbox(key="f_char").set_value("aged_16_24").run()
    slider = at.slider(key="f_range_aged_16_24")
    low, high = slider.value
    slider.set_value((15.0, high)).run()
    ages = bundle.ward_values("aged_16_24")
    expected = set(ages.ward_code[ages.value >= 15])
    table = _ward_table(at)
    assert set(table["Ward code"]) == expected
    assert _match_line(at).startswith(f"**{len(expected)} of 192 wards match")
    assert at.query_params["min"] == "15"


def test_decile_filter_uses_wmca_deciles(bundle):
    at = _page("app_pages/skills.py")
    at.multiselect(key="f_decile").set_value([1]).run()
    deciles = bundle.ward_values("imd_decile")
    expected = set(deciles.ward_code[deciles.value == 1])
    assert set(_ward_table(at)["Ward code"]) == expected
    assert len(expected) in (19, 20)


def test_filter_matching_nothing_says_so(bundle):
    at = _page("app_pages/health.py")
    at.multiselect(key="f_la").set_value(["E08000029"]).run()
    at.multiselect(key="f_decile").set_value([1]).run()
    solihull_decile1 = bundle.ward_values("imd_decile")
    solihull_decile1 = solihull_decile1[(solihull_decile1.authority_code == "E08000029")
                                        & (solihull_decile1.value == 1)]
    if not solihull_decile1.empty:
        pytest.fail("test premise broken: Solihull has a decile-1 ward")
    assert not at.exception
    assert any("No wards match" in w.value for w in at.warning)
    assert len(_ward_table(at)) == 0


def test_url_restores_the_view():
    query = {"indicator": "no_qualifications", "la": "E08000025", "char": "aged_16_24",
             "min": "15", "ward": "E05011118", "scheme": "natural_breaks"}
    at = _page("app_pages/skills.py", query)
    assert not at.exception
    assert at.selectbox(key="ind_skills").value == "no_qualifications"
    assert at.multiselect(key="f_la").value == ["E08000025"]
    assert at.selectbox(key="f_ward").value == "E05011118"
    assert at.slider(key="f_range_aged_16_24").value[0] == 15.0
    assert at.radio(key="f_scheme").value == "natural_breaks"
    assert "Acocks Green" in " ".join(m.value for m in at.markdown)
    for key, value in query.items():
        assert at.query_params[key] == value


@pytest.mark.parametrize("query", [
    {"indicator": "<script>alert(1)</script>"},
    {"indicator": "employed"},  # a real indicator, but not on the Health page
    {"ward": "E99999999"},
    {"la": "Atlantis"},
    {"char": "shoe_size"},
    {"char": "aged_16_24", "min": "abc", "max": "1e400"},
    {"decile": "0,11,x"},
    {"scheme": "rainbow"},
    {"by": "shoe_size"},
    {"min": "5"},
    {"indicator": "x" * 5000},
    {"unknown_param": "1"},
])
def test_bad_url_gets_a_notice_and_the_default_view(query):
    at = _page("app_pages/health.py", query)
    assert not at.exception
    notices = [i.value for i in at.info]
    assert notices, query
    assert all("<script" not in n for n in notices)
    assert at.selectbox(key="ind_health").value == "disabled"
    assert len(_ward_table(at)) == 192 or query.get("char") == "aged_16_24"


def test_partial_coverage_says_no_data_for_this_authority_and_shows_context(bundle):
    at = _page("app_pages/youth_unemployment.py")
    at.selectbox(key="ind_youth_unemployment").set_value("youth_claimant_share").run()
    table = _ward_table(at)
    brum = table.Authority == "Birmingham"
    assert brum.sum() == 69
    assert set(table.loc[~brum, "Note"]) == {"no data for this authority"}
    assert table.loc[~brum].iloc[:, 3].isna().all()
    assert any("Birmingham only" in i.value for i in at.info)
    context = _tables(at)[1]
    assert {"Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall",
            "Wolverhampton", "England"} <= set(context.Area)


def test_ward_profile_covers_every_theme_indicator(bundle):
    at = _page("app_pages/ward_profile.py", {"ward": "E05011118"})
    assert not at.exception
    table = _tables(at)[0]
    outcome_ids = [i for i in INDICATORS if i.theme in THEME_PAGES]
    assert len(table) == len(outcome_ids)
    assert set(table.Theme) == {"Health", "Jobs", "Skills", "Youth unemployment",
                                "Poverty and housing"}
    disabled = bundle.ward_values("disabled").set_index("ward_code").value["E05011118"]
    row = table[table.Indicator == "Disabled (%)"].iloc[0]
    assert row.Ward == f"{disabled:.1f}%"


def test_about_lists_every_indicator():
    at = _page("app_pages/about.py")
    ids = set(_tables(at)[1].Id)
    assert ids == {ind.id for ind in INDICATORS}


def test_bundle_is_loaded_once_per_process(monkeypatch):
    import streamlit as st

    from equity.ui import cache

    calls = []
    real = cache.read_bundle

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    st.cache_resource.clear()
    monkeypatch.setattr(cache, "read_bundle", counting)
    at = _app()
    for page in ("app_pages/health.py", "app_pages/jobs.py", "app_pages/ward_profile.py"):
        at.switch_page(page).run()
    second = _page("app_pages/skills.py")
    assert not second.exception
    assert len(calls) == 1


def test_clearing_the_impact_wards_empties_the_list_for_good():
    at = _page("app_pages/impact.py", {"wards": "E05011118,E05011119"})
    assert at.multiselect(key="imp_wards").value == ["E05011118", "E05011119"]
    at.button(key="imp_clear").click().run()
    assert at.multiselect(key="imp_wards").value == []
    assert any("No wards chosen yet" in i.value for i in at.info)
    at.radio(key="f_scheme").set_value("natural_breaks").run()  # any later interaction
    assert at.multiselect(key="imp_wards").value == []
    assert "wards" not in at.query_params


def test_impact_sentences_lead_with_the_group_and_match_the_table(bundle):
    from equity.impact import impact_table

    chosen = ["E05011118", "E05011119"]
    at = _page("app_pages/impact.py", {"wards": ",".join(chosen)})
    assert not at.exception
    table = impact_table(bundle, chosen)
    flagged = table[table.flag.isin(["over-represented", "under-represented"])]
    assert not flagged.empty
    sentences = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(sentences) == len(flagged)
    for sentence, row in zip(sentences, flagged.itertuples(), strict=True):
        assert sentence.startswith(f"- **{row.group}**: {row.flag} in the chosen wards, "
                                   f"{row.share_chosen:.1f}% of ")
        assert " are " not in sentence.split(":")[0]
    assert any(m.value.startswith("**2 wards chosen**") for m in at.markdown)


def test_link_range_outside_the_data_is_narrowed_with_a_notice(bundle):
    at = _page("app_pages/health.py", {"char": "disabled", "min": "50", "max": "60"})
    assert not at.exception
    assert any("narrowed" in i.value for i in at.info)


def test_headline_table_counts_worse_wards_only_against_wmca(bundle):
    at = _page("app_pages/overview.py")
    table = _tables(at)[0].set_index("Indicator")
    claimant = bundle.catalogue["claimant_rate"].title
    assert table.loc[claimant, "Wards significantly worse than WMCA"] == ""
    bad_health = bundle.catalogue["bad_health"].title
    assert int(table.loc[bad_health, "Wards significantly worse than WMCA"]) > 0


def test_trends_deprivation_table_has_readable_headings_and_the_bundles_figures(bundle):
    at = _page("app_pages/trends.py")
    assert not at.exception
    table = next(t for t in _tables(at) if "Ward code" in t.columns).set_index("Ward code")
    assert "ward_code" not in table.columns and "change_pp" not in table.columns
    change = bundle.imd_change[bundle.imd_change.level == "ward"].set_index("area_code")
    assert len(table) == len(change) == 192
    column = "Change (percentage points)"
    assert table[column].dropna().is_monotonic_increasing  # sorted by the chosen measure
    for code in ("E05011118", table.index[0]):
        assert table.loc[code, column] == pytest.approx(change.loc[code, "change_pp"], abs=0.005)
        assert table.loc[code, "Ward"] == change.loc[code, "area_name"]


def test_worst_fifth_list_shows_the_count_next_to_the_ward():
    """The list sits in a narrow column beside the map: the count must not need a sideways
    scroll, so it comes straight after the ward name, highest first."""
    at = _page("app_pages/overview.py")
    listing = next(t for t in _tables(at) if "Themes in worst fifth" in t.columns)
    assert list(listing.columns[:3]) == ["Ward", "Themes in worst fifth", "Themes assessed"]
    counts = listing["Themes in worst fifth"]
    assert counts.is_monotonic_decreasing and len(listing) == 192
    assert (counts <= listing["Themes assessed"]).all() and counts.iloc[0] > 0
