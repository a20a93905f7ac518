"""Tests for equity.filters on the tiny bundle."""

from __future__ import annotations

import pytest

from equity.catalogue import CATALOGUE
from equity.filters import WardFilter, apply_filter, describe_filter

BHAM, COV = "E08000025", "E08000026"


def matched(mask):
    return [code for code, ok in mask.items() if ok]


def test_empty_filter_matches_every_ward(tiny_bundle):
    mask = apply_filter(tiny_bundle, WardFilter())
    assert mask.dtype == bool
    assert mask.index.name == "ward_code"
    assert mask.index.tolist() == tiny_bundle.wards.ward_code.tolist()
    assert mask.all()


def test_authority_filter(tiny_bundle):
    mask = apply_filter(tiny_bundle, WardFilter(authorities=(COV,)))
    assert matched(mask) == ["E05000006", "E05000007", "E05000008"]


def test_range_filter_is_inclusive_and_skips_missing(tiny_bundle):
    f = WardFilter(characteristic="aged_16_24", min_value=30, max_value=60)
    assert matched(apply_filter(tiny_bundle, f)) == ["E05000003", "E05000004", "E05000005",
                                                     "E05000006"]
    # Ward 8 has no aged_16_24 data, so an open-ended range still leaves it out.
    f = WardFilter(characteristic="aged_16_24", min_value=0)
    assert "E05000008" not in matched(apply_filter(tiny_bundle, f))
    # A characteristic with no bounds does not restrict.
    assert apply_filter(tiny_bundle, WardFilter(characteristic="aged_16_24")).all()


def test_combined_filter(tiny_bundle):
    f = WardFilter(authorities=[BHAM, COV], characteristic="aged_16_24", max_value=45,
                   deciles=[4, 2, 3])
    assert f.deciles == (2, 3, 4) and f.authorities == (BHAM, COV)
    assert matched(apply_filter(tiny_bundle, f)) == ["E05000002", "E05000003", "E05000004"]
    assert hash(f) == hash(WardFilter(authorities=(BHAM, COV), characteristic="aged_16_24",
                                      max_value=45.0, deciles=(2, 3, 4)))


def test_decile_filter(tiny_bundle):
    mask = apply_filter(tiny_bundle, WardFilter(deciles=(1, 8)))
    assert matched(mask) == ["E05000001", "E05000008"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"characteristic": "aged_16_24", "min_value": 5, "max_value": 1}, "greater than"),
        ({"deciles": (0,)}, "whole number in 1..10"),
        ({"deciles": (11,)}, "whole number in 1..10"),
        ({"deciles": (2.5,)}, "whole number in 1..10"),
        ({"authorities": ("E08000999",)}, "unknown authority"),
        ({"min_value": 3}, "need a characteristic"),
        ({"characteristic": "aged_16_24", "min_value": float("nan")}, "finite"),
        ({"characteristic": "aged_16_24", "max_value": "5"}, "finite"),
    ],
)
def test_invalid_filters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        WardFilter(**kwargs)


def test_unknown_characteristic_raises(tiny_bundle):
    f = WardFilter(characteristic="no_such_indicator", min_value=1)
    with pytest.raises(ValueError, match="unknown characteristic"):
        apply_filter(tiny_bundle, f)
    with pytest.raises(ValueError, match="unknown characteristic"):
        describe_filter(f, CATALOGUE)


@pytest.mark.parametrize(
    "ward_filter, text",
    [
        (WardFilter(), "All wards"),
        (WardFilter(authorities=(BHAM, COV), characteristic="aged_16_24", min_value=15),
         "Wards in Birmingham, Coventry where Aged 16-24 (%) is at least 15"),
        (WardFilter(characteristic="aged_16_24", max_value=20.5),
         "Wards where Aged 16-24 (%) is at most 20.5"),
        (WardFilter(authorities=(COV,), characteristic="imd_score", min_value=10, max_value=30,
                    deciles=(1, 2, 3)),
         ("Wards in Coventry where IMD 2025 score is between 10 and 30 and the WMCA "
          "deprivation decile is 1, 2 or 3")),
        (WardFilter(deciles=(1,)), "Wards where the WMCA deprivation decile is 1"),
        (WardFilter(authorities=(BHAM,), characteristic="aged_16_24"), "Wards in Birmingham"),
    ],
)
def test_describe_filter(ward_filter, text):
    assert describe_filter(ward_filter, CATALOGUE) == text
