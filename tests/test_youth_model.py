"""The youth unemployment estimate: calibration, placement, validation and its labels.

Tiny in-memory areas test the arithmetic; the raw files (../shared/data) test that the
committed bundle's figures are what the published files give.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from equity import charts, views, youth_model
from equity.bundle import read_bundle
from equity.report import ward_pack_html
from tests.charts.shared import hover_text

REPO = Path(__file__).resolve().parents[1]
MODELLED = "youth_unemployed_modelled"


def _lsoas() -> pd.DataFrame:
    """Six LSOAs in two authorities with different unemployment and student shares."""
    return pd.DataFrame({
        "unemployed_est": [50.0, 100.0, 150.0, 40.0, 80.0, 60.0],
        "aged_16_plus_oa": [1000.0] * 6,
        "nssec_students": [10.0, 50.0, 300.0, 0.0, 20.0, 100.0],
        "age_16_24": [200.0, 250.0, 400.0, 150.0, 150.0, 300.0],
        "authority_code": ["A", "A", "A", "B", "B", "B"],
    }, index=[f"L{i}" for i in range(6)])


def test_each_authority_reproduces_its_published_rate():
    lsoa = _lsoas()
    published = pd.Series({"A": 0.06, "B": 0.09})
    for estimator in youth_model.ESTIMATORS:
        rates = youth_model.lsoa_rates(lsoa, published, estimator)
        for authority, rows in lsoa.groupby("authority_code"):
            weighted = (rates[rows.index] * rows.age_16_24).sum() / rows.age_16_24.sum()
            assert weighted == pytest.approx(published[authority], rel=1e-12)


def test_the_chosen_estimator_follows_unemployment_and_leaves_out_students():
    lsoa = _lsoas()
    rates = youth_model.lsoa_rates(lsoa, pd.Series({"A": 0.06, "B": 0.09}))
    p = (lsoa.unemployed_est / lsoa.aged_16_plus_oa) * (
        1 - (lsoa.nssec_students / lsoa.age_16_24).clip(0, 1))
    # within an authority, rates are proportional to the predictor
    assert rates["L1"] / rates["L0"] == pytest.approx(p["L1"] / p["L0"])
    assert rates["L4"] / rates["L3"] == pytest.approx(p["L4"] / p["L3"])
    # an LSOA whose 16-24s are mostly full-time students gets a low rate despite high
    # all-age unemployment
    assert rates["L2"] < rates["L1"]


def test_bad_inputs_are_refused():
    lsoa = _lsoas()
    with pytest.raises(ValueError, match="no published rate for authority B"):
        youth_model.lsoa_rates(lsoa, pd.Series({"A": 0.06}))
    with pytest.raises(ValueError, match="unknown estimator"):
        youth_model.lsoa_rates(lsoa, pd.Series({"A": 0.06, "B": 0.09}), "guess")
    with pytest.raises(ValueError, match="no column"):
        youth_model.lsoa_rates(lsoa.drop(columns="nssec_students"),
                               pd.Series({"A": 0.06, "B": 0.09}))


def test_lsoas_of_a_split_ward_go_to_the_constituency_holding_them():
    shapes = gpd.GeoDataFrame({"pcon_code": ["P1", "P2"]},
                              geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=27700)
    points = gpd.GeoSeries([Point(5, 5), Point(15, 5), Point(25, 5), Point(2, 2)],
                           index=["L0", "L1", "L2", "L3"], crs=27700)
    wards = pd.Series({"L0": "W1", "L1": "W1", "L2": "W1", "L3": "W2"})
    parts = pd.DataFrame({"ward_code": ["W1", "W1", "W2"], "pcon_code": ["P1", "P2", "P2"]})
    placed = youth_model.place_in_constituencies(wards, parts, points, shapes)
    # L2 lies outside both generalised shapes: it goes to the nearest of its ward's options;
    # L3's ward lies in one constituency, whatever its point says.
    assert placed.to_dict() == {"L0": "P1", "L1": "P2", "L2": "P2", "L3": "P2"}


def test_validation_and_intervals_follow_the_stated_rules():
    rates = pd.Series({"L0": 0.05, "L1": 0.10, "L2": 0.08, "L3": 0.04})
    youth = pd.Series({"L0": 100.0, "L1": 300.0, "L2": 400.0, "L3": 400.0})
    placement = pd.Series({"L0": "P1", "L1": "P1", "L2": "P2", "L3": "P2"})
    published = pd.DataFrame({"name": ["One", "Two"], "rate": [9.0, 5.0]}, index=["P1", "P2"])
    ward_of = pd.Series({"L0": "W1", "L1": "W1", "L2": "W2", "L3": "W3"})
    claimants = pd.Series({"W1": 40.0, "W2": 20.0, "W3": 8.0})
    result = youth_model.validate(rates, youth, placement, published, ward_of, claimants)
    table = result.constituencies.set_index("pcon_code")
    assert table.estimate["P1"] == pytest.approx(100 * (5 + 30) / 400)  # 8.75
    assert table.estimate["P2"] == pytest.approx(100 * (32 + 16) / 800)  # 6.0
    assert result.mae == pytest.approx((0.25 + 1.0) / 2)
    assert result.rmse == pytest.approx(np.sqrt((0.25 ** 2 + 1.0) / 2))
    assert result.max_error == pytest.approx(1.0)
    wards = youth_model.ward_estimates(rates, youth, ward_of, result)
    reference = table.residents_16_24.median()  # 600
    half = youth_model.Z95 * result.rmse * np.sqrt(reference / wards.denominator)
    assert (wards.upper - wards.value).to_numpy() == pytest.approx(half.to_numpy())
    assert wards.value["W1"] == pytest.approx(8.75)
    assert (wards.lower >= 0).all()


# ------------------------------------------------------------------ the committed bundle


@pytest.fixture(scope="module")
def bundle():
    return read_bundle(REPO / "geodata")


@pytest.mark.rawdata
def test_every_authority_of_the_bundle_is_its_published_rate(bundle, shared):
    from equity.sources import labour_market

    rm024 = labour_market.read_rm024(shared)
    wards = bundle.ward_values(MODELLED)
    assert wards.value.notna().all() and len(wards) == 192
    for code, rows in wards.groupby("authority_code"):
        published = rm024.unemployed[code] / rm024.total[code]
        assert rows.numerator.sum() / rows.denominator.sum() == pytest.approx(published,
                                                                               rel=1e-9)
        row = bundle.area_value(MODELLED, code)
        assert row.numerator == rm024.unemployed[code] and row.method == "published_counts"


@pytest.mark.rawdata
def test_validation_figures_are_what_the_published_files_give(bundle, shared):
    """The constituency test recomputed from the raw files, by a route of its own."""
    published = pd.read_csv(shared / "census2021/"
                            "yff_census2021_econ_activity_by_age_sex_pcon2010_wmca.csv")
    published = published[(published.age == "Aged 16 to 24 years")
                          & (published.gender == "All persons")
                          & published.variable_name.str.startswith("Economically active")]
    truth = published.set_index("geography_code").rate
    table = bundle.youth_validation.set_index("pcon_code")
    assert set(table.index) == set(truth.index) and len(table) == 28
    assert table.published.to_dict() == pytest.approx(truth.reindex(table.index).to_dict())
    # every LSOA's residents aged 16-24 are counted once, in one constituency
    age = pd.read_csv(shared / "census2021/age6_usual_residents_lsoa21_wmca.csv")
    youth = age[age.age_group == "Aged 16 to 24 years"].usual_residents.sum()
    assert table.residents_16_24.sum() == youth
    error = table.estimate - truth.reindex(table.index)
    summary = bundle.manifest["youth_unemployment_model"]
    assert summary["mae_pp"] == pytest.approx(error.abs().mean(), abs=5e-4)
    assert summary["rmse_pp"] == pytest.approx(np.sqrt((error ** 2).mean()), abs=5e-4)
    assert summary["mae_pp"] < 1.0  # fit to show: well under the flat estimator's 1.04
    chosen = [e for e in summary["estimators_compared"] if e["chosen"]][0]
    others = [e for e in summary["estimators_compared"] if not e["chosen"]]
    assert all(chosen["mae"] < e["mae"] and chosen["spearman"] > e["spearman"] for e in others)


@pytest.mark.rawdata
def test_birmingham_rank_check_is_what_the_claimant_file_gives(bundle, shared):
    from scipy.stats import spearmanr

    claimants = pd.read_csv(shared / "labour_market/claimant_count_birmingham_wards_2026-04.csv")
    claimants = claimants.set_index("ward_code")
    wards = bundle.ward_values(MODELLED).set_index("ward_code").reindex(claimants.index)
    claimant_rate = claimants.age_16_24.clip(upper=claimants.claimant_count) / wards.denominator
    rho = spearmanr(wards.value, claimant_rate).statistic
    summary = bundle.manifest["youth_unemployment_model"]
    assert summary["birmingham_spearman"] == pytest.approx(rho, abs=5e-4)
    assert summary["birmingham_wards"] == 69


def test_worse_than_wmca_only_where_the_interval_excludes_it(bundle):
    ind = bundle.indicator(MODELLED)
    frame = views.ward_frame(bundle, ind)
    wmca = views.benchmark(bundle, ind)[2]
    worse = frame.vs_benchmark == "worse"
    assert worse.any() and (frame.lower[worse] > wmca).all()
    similar = frame.vs_benchmark == "similar"
    assert ((frame.lower[similar] <= wmca) & (frame.upper[similar] >= wmca)).all()
    half = frame.upper - frame.value
    # wider than a Wilson interval on the same counts: the model's error, not counting's
    assert (half > 0.5).all()


def test_modelled_is_said_wherever_the_estimate_is_shown(bundle):
    ind = bundle.indicator(MODELLED)
    assert "Estimate (modelled)" in ind.title and "modelled" in ind.short_title
    frame = views.ward_frame(bundle, ind)
    fig = charts.choropleth(bundle.wards, frame, ind, "quantiles")
    assert "modelled" in fig.layout.legend.title.text  # legend
    hover = [hover_text(trace.hovertemplate, row) for trace in fig.data
             if trace.type == "choropleth" and trace.hoverinfo != "skip"
             for row in trace.customdata]
    assert len(hover) == len(bundle.wards)
    assert all("modelled 95% interval" in text for text in hover
               if "Rank: no data" not in text)  # tooltip
    table = views.indicator_table(bundle, ind)
    assert set(table.Method) == {"Estimate (modelled)"}  # table and its CSV download
    assert "Lower 95% interval (modelled)" in table.columns
    profile = views.profile_table(views.profile_frame(bundle, "E05011118"))
    row = profile[profile.Indicator == ind.short_title].iloc[0]  # ward profile
    assert row.Method == "Estimate (modelled)"
    pack = ward_pack_html(bundle, "E05011118")  # ward pack
    assert ind.title in pack and "Estimate (modelled): from the validation error" in pack
    comparison = views.benchmark_comparison(bundle, ind, bundle.wards.ward_code)
    gap = charts.gap_to_benchmark(comparison.wards, ind, comparison.benchmark_value,
                                  comparison.authority_values, comparison.england_value)
    assert "Estimate (modelled)" in gap.layout.title.subtitle.text
    assert "Estimate (modelled)" in views.modelled_headline_note(bundle)  # Overview
    record = json.loads((REPO / "geodata" / "catalogue.json").read_text())
    assert [r for r in record if r["id"] == MODELLED][0]["modelled"] is True
