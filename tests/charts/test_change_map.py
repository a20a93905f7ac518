"""Change maps: a diverging, colour-blind-safe scale centred on zero, intervals made visible."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from equity.charts.change_map import (
    DIVERGING_SCALE,
    area_geojson,
    change_map,
    diverging_classes,
)

ORANGE_DARK, NEUTRAL, PURPLE_DARK = DIVERGING_SCALE[0], DIVERGING_SCALE[3], DIVERGING_SCALE[6]


def _areas(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": [f"A{i}" for i in range(n)]},
                            geometry=[box(-2 + 0.01 * i, 52.4, -1.99 + 0.01 * i, 52.41)
                                      for i in range(n)], crs=4326)


def _frame(changes, clear) -> pd.DataFrame:
    n = len(changes)
    return pd.DataFrame({"code": [f"A{i}" for i in range(n)], "change": changes,
                         "clear": clear, "name": [f"Area {i}" for i in range(n)],
                         "authority": "Birmingham", "detail": "x"})


def test_classes_are_centred_on_zero_with_the_same_sizes_either_side():
    values = np.array([-6.0, -3.0, -1.0, 0.0, 1.0, 3.0, 6.0, np.nan])
    classes, (low, high) = diverging_classes(values)
    assert classes.tolist() == [-3, -2, -1, 0, 1, 2, 3, -9]
    assert 1 <= low < 3 <= high < 6


def test_a_change_whose_interval_includes_zero_goes_in_the_middle_class_whatever_its_size():
    values = np.array([-8.0, -2.0, 2.0, 8.0])
    classes, _ = diverging_classes(values, clear=np.array([True, False, True, False]))
    assert classes[1] == 0 and classes[3] == 0
    assert classes[0] < 0 < classes[2]


def test_palette_is_colorbrewer_puor_with_a_near_white_middle():
    assert DIVERGING_SCALE == ("#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb",
                               "#998ec3", "#542788")


@pytest.mark.parametrize(("polarity", "rise_colour"), [
    ("higher_is_worse", ORANGE_DARK), ("higher_is_better", PURPLE_DARK)])
def test_rises_are_orange_where_worse_and_purple_where_better(polarity, rise_colour):
    changes = [-9.0, -5.0, -1.0, 0.5, 1.0, 5.0, 9.0]
    fig = change_map(_areas(7), "code", _frame(changes, [True, True, True, False, True, True,
                                                          True]),
                     title="t", unit="points", polarity=polarity, areas=("area", "areas"),
                     with_intervals=True)
    traces = {t.name: t for t in fig.data}
    rise = next(t for name, t in traces.items() if name.startswith("Rise over"))
    assert rise.colorscale[0][1] == rise_colour and list(rise.locations) == ["A6"]
    middle = traces["Interval includes 0: no clear change"]
    assert middle.colorscale[0][1] == NEUTRAL and list(middle.locations) == ["A3"]
    assert middle.marker.line.color != rise.marker.line.color  # a visible grey edge
    judged = "(worse)" if polarity == "higher_is_worse" else "(better)"
    assert rise.name.endswith(judged)
    assert "centred on no change" in fig.layout.meta["description"]
    drawn = sorted(loc for t in fig.data if t.type == "choropleth" for loc in t.locations)
    assert drawn == [f"A{i}" for i in range(7)]


def test_without_intervals_only_zero_is_no_change_and_geojson_keeps_only_codes():
    shapes = _areas(3)
    fig = change_map(shapes, "code", _frame([-1.0, 0.0, 2.0], [False] * 3), title="t",
                     unit="points", polarity="higher_is_worse", areas=("ward", "wards"),
                     with_intervals=False, selected="A2")
    names = [t.name for t in fig.data]
    assert "No change" in names and names[-1] == "Selected: Area 2"
    selected = fig.data[-2]  # the unfilled outline; the last trace is its legend entry
    assert list(selected.locations) == ["A2"] and selected.hoverinfo == "skip"
    geojson = area_geojson(shapes, "code")
    assert [f["id"] for f in geojson["features"]] == ["A0", "A1", "A2"]
    url = "/app/static/geo/msoas.0123456789abcdef.json"
    by_url = change_map(shapes, "code", _frame([-1.0, 0.0, 2.0], [False] * 3), title="t",
                        unit="points", polarity="higher_is_worse", areas=("ward", "wards"),
                        with_intervals=False, selected="A2", geojson=url)
    assert {t.geojson for t in by_url.data if t.type == "choropleth"} == {url}
    with pytest.raises(ValueError, match="no 'msoa_code' column"):
        area_geojson(shapes, "msoa_code")
    with pytest.raises(ValueError, match="polarity"):
        change_map(shapes, "code", _frame([1.0] * 3, [True] * 3), title="t", unit="points",
                   polarity="up", areas=("a", "b"), with_intervals=True)
