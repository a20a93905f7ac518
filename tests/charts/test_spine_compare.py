"""The side-by-side spine chart: a marker per ward on one shared scale."""

from __future__ import annotations

import numpy as np
import pytest

from equity import views
from equity.bundle import read_bundle
from equity.charts import spine_chart, spine_compare_chart
from equity.charts.spine import COMPARE_MARKERS

CODES = {"Acocks Green": "E05011118", "Abbey": "E05001260", "Blackheath": "E05001261"}


@pytest.fixture(scope="module")
def frames():
    bundle = read_bundle()
    return {label: views.spine_frame(views.profile_frame(bundle, code))
            for label, code in CODES.items()}


def test_one_trace_per_ward_with_its_own_colour_and_marker(frames):
    fig = spine_compare_chart(frames)
    wards = [t for t in fig.data if t.name in frames]
    assert [t.name for t in wards] == list(frames)
    styles = [(t.marker.color, t.marker.symbol) for t in wards]
    assert styles == list(COMPARE_MARKERS[:3])
    assert len({c for c, _ in styles}) == 3 and len({s for _, s in styles}) == 3
    assert fig.layout.showlegend is not False


def test_markers_sit_on_their_rows_and_the_single_ward_scale(frames):
    fig = spine_compare_chart(frames)
    acocks = next(t for t in fig.data if t.name == "Acocks Green")
    rows = np.asarray(acocks.y)
    assert np.all(np.abs(rows - np.round(rows)) <= 0.23)
    # Where no interval runs past the wards' range, the shared scale is the single ward's.
    single = spine_chart(frames["Acocks Green"])
    dots = {y: x for t in single.data if t.name.startswith("Ward:")
            for y, x in zip(t.y, t.x, strict=True)}
    ids = list(frames["Acocks Green"].indicator)
    row = ids.index("no_qualifications")
    here = dict(zip(np.round(rows).astype(int), acocks.x, strict=True))[row]
    assert here == pytest.approx(dots["no_qualifications"], rel=0.05)
    # Worse is on the left: Acocks Green has more people without qualifications than WMCA.
    assert here < 0


def test_a_ward_without_data_has_no_marker_on_that_row(frames):
    fig = spine_compare_chart(frames)
    abbey = next(t for t in fig.data if t.name == "Abbey")
    claimant_row = list(frames["Abbey"].indicator).index("claimant_rate")
    assert claimant_row not in set(np.round(np.asarray(abbey.y)).astype(int))


def test_two_to_four_wards_only(frames):
    one = {"Abbey": frames["Abbey"]}
    with pytest.raises(ValueError, match="2 to 4"):
        spine_compare_chart(one)
    five = {f"w{i}": frames["Abbey"] for i in range(5)}
    with pytest.raises(ValueError, match="2 to 4"):
        spine_compare_chart(five)
    with pytest.raises(ValueError, match="other indicators"):
        spine_compare_chart({"a": frames["Abbey"], "b": frames["Abbey"].iloc[:-1]})


def test_compare_table_and_labels():
    bundle = read_bundle()
    frames = views.compare_frames(bundle, ["E05011118", "E05001260"])
    table = views.compare_table(bundle, frames)
    assert list(table.columns) == ["Theme", "Indicator", "Acocks Green", "Abbey", "WMCA",
                                   "England", "Method"]
    claimant = table[table.Indicator == "Claimant rate (%)"].iloc[0]
    assert claimant.Abbey == "no data for this authority"
    assert claimant["Acocks Green"].endswith("similar (vs Birmingham)")
    with pytest.raises(ValueError, match="2 to 4"):
        views.compare_frames(bundle, ["E05011118"])
    with pytest.raises(ValueError, match="2 to 4"):
        views.compare_frames(bundle, ["E05011118", "E05011118"])
