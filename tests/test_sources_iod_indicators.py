"""The IoD 2025 underlying-indicator and fuel-poverty readers (equity.sources.iod_indicators).

The readers run on the real files in ``../shared/data`` (skipped, saying why, without them);
the refusals copy a real file, put one implausible value in it and call the reader.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from equity import geography
from equity.sources import iod_indicators as iod
from equity.sources._read import IngestError

pytestmark = pytest.mark.rawdata

RATE = {"income_base": "Income_score", "employment_base": "Employment_score"}
NUMERATOR = {"income_base": "income_deprived", "employment_base": "employment_deprived"}


@pytest.fixture(scope="module")
def indicators(shared, lsoas) -> pd.DataFrame:
    return iod.read_iod_indicators(shared, lsoas)


@pytest.fixture(scope="module")
def published(shared) -> pd.DataFrame:
    """The two files as text, indexed by LSOA code, to compare the reader with."""
    under = pd.read_csv(shared / iod.UNDERLYING, dtype=str, keep_default_na=False)
    rates = pd.read_csv(shared / iod.RATES, dtype=str, keep_default_na=False)
    return under.set_index("lsoa21_code").join(rates.set_index("lsoa21_code"))


# ------------------------------------------------------------------ the real files


def test_every_lsoa_is_read_with_every_column(indicators, lsoas):
    assert set(indicators.index) == lsoas and len(indicators) == 1719
    assert list(indicators.columns) == [
        "income_deprived", "income_base", "employment_deprived", "employment_base",
        "idaci_children", "idaopi_older", "ypll", "acute_morbidity", "cidr", "mental_health"]
    assert indicators.index.name == "lsoa_code"


@pytest.mark.parametrize("base", ["income_base", "employment_base"])
def test_recovered_denominators_reproduce_every_published_rate(indicators, published, base):
    rate_text = published[RATE[base]].reindex(indicators.index)
    # Published to 3 decimal places: the half-unit tolerance is the right one.
    assert rate_text.str.fullmatch(r"0(\.\d{1,3})?|1(\.0{1,3})?").all()
    rate = rate_text.astype(float)
    den = indicators[base]
    assert (den == np.round(den)).all() and (den > 0).all()
    assert (indicators[NUMERATOR[base]] <= den).all()
    reproduced = np.round(indicators[NUMERATOR[base]] / den, 3)
    assert np.allclose(reproduced, rate, atol=1e-9, rtol=0)


@pytest.mark.parametrize("code, income, income_base, employment, employment_base", [
    # Numbers from the two files, divided by hand:
    # 885 / 0.494 = 1791.5 -> 1791 (885 / 1791 = 0.4941); 235 / 0.219 = 1073.1 -> 1073.
    ("E01008881", 885, 1791, 235, 1073),
    # 30 / 0.025 = 1200 exactly; 20 / 0.027 = 740.7 -> 741 (20 / 741 = 0.02699).
    ("E01010187", 30, 1200, 20, 741),
    # 145 / 0.095 = 1526.3 -> 1526; 85 / 0.063 = 1349.2 -> 1349.
    ("E01033615", 145, 1526, 85, 1349),
    # 40 / 0.035 = 1142.9 -> 1143; 15 / 0.017 = 882.4 -> 882.
    ("E01034950", 40, 1143, 15, 882),
])
def test_a_few_lsoas_by_hand(indicators, code, income, income_base, employment,
                             employment_base):
    row = indicators.loc[code]
    assert (row.income_deprived, row.income_base) == (income, income_base)
    assert (row.employment_deprived, row.employment_base) == (employment, employment_base)


def test_health_outcomes_are_the_published_values(indicators):
    row = indicators.loc["E01008881"]
    assert (row.ypll, row.acute_morbidity, row.cidr, row.mental_health) == (
        63.922, 146.054, 140.307, -0.014)
    row = indicators.loc["E01010187"]
    assert (row.ypll, row.acute_morbidity, row.cidr, row.mental_health) == (
        42.194, 77.529, 52.89, -0.979)
    assert indicators[list(iod.HEALTH_COLUMNS)].notna().all().all()
    assert (indicators.mental_health < 0).any()  # a standardised score, not a ratio


def test_recovered_income_base_agrees_with_census_residents(shared, indicators):
    """An independent check: MHCLG's total population (mid-2022) against Census 2021."""
    ts021 = pd.read_csv(shared / "census2021/ts021_ethnic_group_lsoa21_wmca.csv")
    residents = ts021.groupby("lsoa21_code").total_residents.first()
    ratio = indicators.income_base / residents.reindex(indicators.index)
    assert 0.99 < ratio.median() < 1.02
    # The widest gaps are new-build LSOAs (growth after March 2021) and LSOAs with so few
    # income-deprived people that the rounded numerator pins the denominator down loosely.
    assert ratio.between(0.8, 1.4).all()
    assert 0.99 < indicators.income_base.sum() / residents.sum() < 1.02
    # Working-age people are part of the whole population, about three in five of it.
    share = indicators.employment_base / indicators.income_base
    assert share.between(0.3, 1.0).all() and 0.55 < share.median() < 0.7


def test_blank_numerators_stay_missing_never_zero(indicators, published):
    for col, name, blanks in [(iod.IDACI, "idaci_children", 11),
                              (iod.IDAOPI, "idaopi_older", 17)]:
        empty = published[col].reindex(indicators.index) == ""
        assert empty.sum() == blanks
        assert indicators.loc[empty, name].isna().all()
        assert indicators.loc[~empty, name].notna().all()
        assert (indicators[name].dropna() >= 10).all()  # no count was turned into 0
    assert np.isnan(indicators.loc["E01034950", "idaci_children"])
    assert np.isnan(indicators.loc["E01034950", "idaopi_older"])
    assert indicators.loc["E01010187", "idaopi_older"] == 10
    for name in ("income_deprived", "employment_deprived", "income_base", "employment_base"):
        assert indicators[name].notna().all()


def test_wards_with_a_blank_lsoa_get_no_value(indicators, lookup24):
    idaci = iod.incomplete_wards(indicators.idaci_children, lookup24)
    idaopi = iod.incomplete_wards(indicators.idaopi_older, lookup24)
    assert len(idaci) == 7 and len(idaopi) == 13 and len(set(idaci) | set(idaopi)) == 18
    assert "E05011168" in idaci and "E05011168" in idaopi  # Soho & Jewellery Quarter
    sums = geography.aggregate_bestfit(indicators[["idaci_children", "idaopi_older"]], lookup24)
    # aggregate_bestfit adds up the LSOAs that have a count, which would undercount these wards.
    assert sums.loc[idaci, "idaci_children"].notna().all()
    blanked = iod.blank_incomplete_wards(sums, indicators, lookup24,
                                         ["idaci_children", "idaopi_older"])
    assert blanked.loc[idaci, "idaci_children"].isna().all()
    assert blanked.loc[idaopi, "idaopi_older"].isna().all()
    assert blanked.idaci_children.notna().sum() == 192 - 7
    assert blanked.idaopi_older.notna().sum() == 192 - 13
    kept = blanked.index.difference(idaci)
    assert blanked.loc[kept, "idaci_children"].equals(sums.loc[kept, "idaci_children"])


def test_ward_rates_from_the_recovered_counts(indicators, lookup24):
    wards = geography.aggregate_bestfit(indicators[["income_deprived", "income_base",
                                                    "employment_deprived",
                                                    "employment_base"]], lookup24)
    assert len(wards) == 192 and wards.notna().all().all()
    income = wards.income_deprived / wards.income_base
    employment = wards.employment_deprived / wards.employment_base
    assert income.between(0, 1).all() and employment.between(0, 1).all()
    total = wards.sum()
    assert round(100 * total.income_deprived / total.income_base, 1) == 35.4
    assert round(100 * total.employment_deprived / total.employment_base, 1) == 19.3


def test_fuel_poverty_reads_192_wards(shared, lookup24):
    fuel = iod.read_fuel_poverty(shared, set(lookup24.ward_code))
    assert len(fuel) == 192 and set(fuel.index) == set(lookup24.ward_code)
    assert list(fuel.columns) == ["fuel_poverty_pct"] and fuel.index.name == "ward_code"
    # As PROVENANCE.md gives them: 6.0% (Blythe) to 42.3% (Bournbrook & Selly Park), mean 17.8%.
    assert fuel.loc["E05001285", "fuel_poverty_pct"] == 6.0
    assert fuel.loc["E05011128", "fuel_poverty_pct"] == 42.3
    assert fuel.fuel_poverty_pct.min() == 6.0 and fuel.fuel_poverty_pct.max() == 42.3
    assert round(fuel.fuel_poverty_pct.mean(), 1) == 17.8


def test_every_value_range_is_declared(indicators):
    for column in iod.HEALTH_COLUMNS:
        allowed = iod.VALUE_RANGES[column]
        assert indicators[column].between(allowed.low, allowed.high).all()
    assert (iod.VALUE_RANGES["fuel_poverty_pct"].low,
            iod.VALUE_RANGES["fuel_poverty_pct"].high) == (0, 100)


# ------------------------------------------------------------------ refusals


def _copy(shared: Path, raw: Path, relative: str) -> Path:
    target = raw / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / relative, target)
    return target


def _break(shared: Path, raw: Path, relative: str, code: str, column: str, value: str) -> int:
    """Copy both IoD files (and fuel poverty) with ``value`` in one cell; return its line."""
    for other in (iod.UNDERLYING, iod.RATES, iod.FUEL_POVERTY):
        _copy(shared, raw, other)
    path = raw / relative
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    key = "WD24CD" if relative == iod.FUEL_POVERTY else "lsoa21_code"
    row = int(np.flatnonzero(frame[key] == code)[0])
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)
    return row + 2


def _message(call) -> str:
    with pytest.raises(IngestError) as exc:
        call()
    message = str(exc.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("column", list(iod.RANGES[iod.UNDERLYING]))
def test_astronomic_value_in_any_column_is_refused(shared, lsoas, tmp_path, column):
    line = _break(shared, tmp_path, iod.UNDERLYING, "E01009000", column, "1e308")
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message.startswith(f"{iod.UNDERLYING}: row {line}, column {column!r}: expected ")
    assert re.search(r"from -?[\d,.]+ to [\d,.]+", message) and "'1e308'" in message


@pytest.mark.parametrize("column, value, allowed", [
    (iod.INCOME, "-5", "a whole number from 0 to 20,000"),
    (iod.EMPLOYMENT, "12.5", "a whole number from 0 to 20,000"),
    (iod.INCOME, "", "a whole number from 0 to 20,000"),
    (iod.IDACI, "-5", "a whole number from 0 to 20,000, at most column "
                      f"{iod.INCOME!r}"),
    # A numerator above what it is part of: children in income-deprived families are among
    # the income-deprived people (885 in this LSOA).
    (iod.IDACI, "900", f"at most column {iod.INCOME!r}"),
    (iod.IDAOPI, "5000", f"at most column {iod.INCOME!r}"),
    (iod.IDAOPI, "n/a", "or an empty cell"),
    ("comparative_illness_and_disability_ratio_indicator", "-1", "a number from 0 to 1,000"),
    ("years_of_potential_life_lost_indicator", "inf", "a number from 0 to 1,000"),
    ("mental_health_indicator", "-11", "a number from -10 to 10"),
])
def test_implausible_counts_and_values_are_refused(shared, lsoas, tmp_path, column, value,
                                                   allowed):
    line = _break(shared, tmp_path, iod.UNDERLYING, "E01008881", column, value)
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message.startswith(f"{iod.UNDERLYING}: row {line}, column {column!r}: expected ")
    assert allowed in message and repr(value) in message


@pytest.mark.parametrize("column, value, why", [
    ("Income_score", "1.2", "expected a number from 0 to 1"),
    ("Employment_score", "-0.1", "expected a number from 0 to 1"),
    # 885 / 0.02 = 44,250 people: more than an LSOA holds.
    ("Income_score", "0.02", "implies a denominator of 44,250 people; expected a whole "
                             "number from 0 to 20,000"),
    ("Income_score", "0", "cannot be recovered from a numerator or rate of 0"),
    # 235 / 0.973 = 241.5 -> 242, and 235 / 242 = 0.9711, not 0.973: no whole number works.
    ("Employment_score", "0.973", "no whole-number denominator reproduces the published rate"),
])
def test_a_rate_no_denominator_reproduces_is_refused(shared, lsoas, tmp_path, column, value,
                                                     why):
    line = _break(shared, tmp_path, iod.RATES, "E01008881", column, value)
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message.startswith(f"{iod.RATES}: row {line}, column {column!r}: "), message
    assert why in message
    if "expected a number" not in why:  # refused by the recovery, which names both files
        assert f"{iod.UNDERLYING} row 2, column " in message


def test_more_working_age_people_than_residents_is_refused(shared, lsoas, tmp_path):
    # 235 / 0.1 = 2,350 people of working age, against 1,791 residents.
    line = _break(shared, tmp_path, iod.RATES, "E01008881", "Employment_score", "0.1")
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message == (f"{iod.RATES}: row {line}, column 'Employment_score': implies 2,350 "
                       "people of working age, more than the 1,791 residents implied by "
                       "column 'Income_score'")


def test_unknown_duplicated_or_missing_lsoas_are_refused(shared, lsoas, tmp_path):
    line = _break(shared, tmp_path, iod.UNDERLYING, "E01008881", "lsoa21_code", "E01999999")
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message.startswith(f"{iod.UNDERLYING}: row {line}, column 'lsoa21_code': unknown")
    line = _break(shared, tmp_path, iod.UNDERLYING, "E01008881", "lsoa21_code", "E01008882")
    message = _message(lambda: iod.read_iod_indicators(tmp_path, lsoas))
    assert message.startswith(f"{iod.UNDERLYING}: row {line + 1}: duplicate row")
    message = _message(lambda: iod.read_iod_indicators(shared, lsoas | {"E01999998"}))
    assert "no rows for LSOA E01999998" in message


@pytest.mark.parametrize("column, value, why", [
    ("fuel_poverty_households_pct", "150", "expected a number from 0 to 100"),
    ("fuel_poverty_households_pct", "1e308", "expected a number from 0 to 100"),
    ("fuel_poverty_households_pct", "", "expected a number from 0 to 100"),
    ("fuel_poverty_households_pct_period", "2022", "expected '2023', found '2022'"),
    ("WD24CD", "E05999999", "unknown 2024 ward code"),
    ("LAD24CD", "E08000099", "unknown local authority code"),
])
def test_implausible_fuel_poverty_is_refused(shared, lookup24, tmp_path, column, value, why):
    line = _break(shared, tmp_path, iod.FUEL_POVERTY, "E05011128", column, value)
    message = _message(lambda: iod.read_fuel_poverty(tmp_path, set(lookup24.ward_code)))
    assert message.startswith(f"{iod.FUEL_POVERTY}: row {line}, column {column!r}: "), message
    assert why in message
