"""equity.plausible: figures that cannot be real become "no data", and nothing else changes."""

from __future__ import annotations

import numpy as np
import pytest

from equity.catalogue import CATALOGUE
from equity.plausible import screen_bundle, undrawable_values, value_range

WARD3 = "E05000003"


def test_value_ranges_follow_the_kind_of_indicator():
    assert value_range(CATALOGUE["aged_16_24"]) == (0.0, 100.0)
    assert value_range(CATALOGUE["imd_decile"]) == (1.0, 10.0)
    assert value_range(CATALOGUE["imd_score"]) == (0.0, 100.0)


def test_a_sound_bundle_is_left_exactly_as_it_was(tiny_bundle):
    before = tiny_bundle.values.copy()
    assert screen_bundle(tiny_bundle) == []
    assert tiny_bundle.values.equals(before)


@pytest.mark.parametrize("column, value", [
    ("value", 1e308), ("value", np.inf), ("value", -0.5), ("value", 100.5),
    ("numerator", 101.0), ("numerator", -1.0), ("denominator", 1e300), ("lower", 99.0),
])
def test_an_impossible_proportion_becomes_no_data(tiny_bundle, column, value):
    values = tiny_bundle.values
    row = (values.indicator == "aged_16_24") & (values.area_code == WARD3)
    values.loc[row, column] = value
    notices = screen_bundle(tiny_bundle)
    assert len(notices) == 1 and "1 figure in the data bundle's values.csv" in notices[0]
    assert "Aged 16-24" in notices[0] or "16-24" in notices[0]
    screened = tiny_bundle.values
    assert screened.loc[row, ["numerator", "denominator", "value", "lower", "upper"]].isna().all(
        axis=None)
    others = screened[~row & (screened.indicator == "aged_16_24") & (screened.level == "ward")]
    assert others.value.notna().all() and len(others) == 6


def test_scores_keep_negative_numerators_but_not_astronomic_values(tiny_bundle):
    values = tiny_bundle.values
    score = values.indicator == "imd_score"
    assert not undrawable_values(values, tiny_bundle.catalogue)[score].any()
    values.loc[score & (values.area_code == WARD3), "value"] = 1e308
    bad = undrawable_values(values, tiny_bundle.catalogue)
    assert bad.sum() == 1 and values.area_code[bad].tolist() == [WARD3]


def test_text_in_a_figure_blanks_its_row(tiny_bundle):
    values = tiny_bundle.values.astype({"lower": object})
    row = (values.indicator == "aged_16_24") & (values.area_code == WARD3)
    values.loc[row, "lower"] = "twelve"
    tiny_bundle.values = values
    assert len(screen_bundle(tiny_bundle)) == 1
    assert np.isnan(tiny_bundle.values.loc[row, "value"]).all()
