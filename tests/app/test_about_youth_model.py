"""The About page's section on the modelled youth unemployment estimate shows the bundle's
validation: the headline figures, the estimators compared and every constituency."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from equity import views
from equity.bundle import read_bundle
from tests.app.sent import component_data

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
SECTION = "Youth unemployment in every ward: an estimate (modelled)"
ESTIMATORS_LABEL = "Youth unemployment estimators compared"
CONSTITUENCIES_LABEL = ("Youth unemployment by constituency: published rate against the "
                        "estimate (modelled)")


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(ROOT / "geodata")


@pytest.fixture(scope="module")
def summary(bundle) -> dict:
    return bundle.manifest["youth_unemployment_model"]


@pytest.fixture(scope="module")
def about() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    return at


def _tables(at: AppTest) -> dict[str, pd.DataFrame]:
    """Every table of the page by its accessible name, rebuilt as in tests/app/test_pages.py."""
    tables = {}
    for element in at.get("bidi_component"):
        if element.proto.component_name != "equity_table":
            continue
        spec = component_data(element)
        tables[spec["label"]] = pd.DataFrame({
            column["name"]: (np.array([np.nan if v is None else v for v in column["value"]],
                                      dtype=float)
                             if column["numeric"] else column["text"])
            for column in spec["table"]["columns"]})
    return tables


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text.replace(",", ""))]


def test_the_section_is_there_and_says_estimate_modelled(about):
    assert SECTION in [h.value for h in about.header]
    text = " ".join(m.value for m in about.markdown)
    assert "Estimate (modelled)" in text
    assert "RM024" in text and "No count is published for wards" in text
    for part in ("What is measured", "How it is made", "Calibration", "Validation",
                 "Interval", "Limits"):
        assert f"**{part}.**" in text, part


def test_headline_validation_figures_are_the_bundles(about, summary):
    headline = next(m.value for m in about.markdown if "percentage points on average" in m.value)
    numbers = _numbers(headline)
    for key in ("mae_pp", "rmse_pp", "max_error_pp", "birmingham_spearman"):
        assert round(summary[key], 2) in numbers, key
    assert summary["constituencies"] in numbers
    assert (f"{summary['birmingham_same_fifth']} of {summary['birmingham_wards']} wards"
            in headline)


def test_estimator_table_has_every_estimator_and_marks_the_chosen(about, summary):
    table = _tables(about)[ESTIMATORS_LABEL]
    compared = pd.DataFrame(summary["estimators_compared"])
    assert len(table) == len(compared) == 3
    assert list(table.Estimator) == list(compared.label)
    for column, key in [("Mean absolute error (pp)", "mae"),
                        ("Root-mean-square error (pp)", "rmse"),
                        ("Largest error (pp)", "max_error"),
                        ("Birmingham rank correlation (Spearman)", "spearman")]:
        np.testing.assert_allclose(table[column], compared[key].round(2), atol=1e-9,
                                   err_msg=column)
    assert list(table["Birmingham wards in the same fifth"]) == [
        f"{s} of {n}" for s, n in zip(compared.same_fifth, compared.n_birmingham, strict=True)]
    chosen = table[table.Chosen == "Yes"]
    assert len(chosen) == 1 and (table.Chosen == "No").sum() == 2
    row = chosen.iloc[0]
    assert row.Estimator == summary["estimator"]
    assert row["Mean absolute error (pp)"] == pytest.approx(round(summary["mae_pp"], 2))
    assert row["Birmingham wards in the same fifth"] == (
        f"{summary['birmingham_same_fifth']} of {summary['birmingham_wards']}")


def test_interval_sentence_uses_the_bundles_error(about, summary):
    interval = next(m.value for m in about.markdown if m.value.startswith("**Interval.**"))
    assert f"{summary['rmse_pp']:.2f} percentage points" in interval


def test_constituency_table_has_every_constituency_and_a_download(about, bundle, summary):
    table = _tables(about)[CONSTITUENCIES_LABEL]
    expected = bundle.youth_validation.sort_values("pcon_code").reset_index(drop=True)
    assert len(table) == len(expected) == summary["constituencies"] == 28
    table = table.sort_values("Constituency code").reset_index(drop=True)
    assert list(table["Constituency code"]) == list(expected.pcon_code)
    np.testing.assert_allclose(table["Published rate, %"], expected.published)
    np.testing.assert_allclose(table["Estimate (modelled), %"], expected.estimate.round(2))
    np.testing.assert_allclose(table["Error (pp)"], expected.error.round(2))
    mae = np.abs(expected.error).mean()
    assert mae == pytest.approx(summary["mae_pp"], abs=5e-4)
    keys = [button.proto.id for button in about.get("download_button")]
    assert any(key.endswith("youth_model_validation_csv") for key in keys)


def test_a_bundle_without_the_model_gives_empty_figures(bundle):
    assert views.youth_model_summary({}) is None
    assert views.youth_model_estimators_table({}).empty
    assert views.youth_model_headline(bundle) != ""
    stripped = dataclasses.replace(bundle, manifest={})
    assert views.youth_model_headline(stripped) == ""
    assert views.youth_model_interval_sentence(stripped, "youth_unemployed_modelled") == ""
