"""IoD 2025 underlying indicators by LSOA, and DESNZ fuel poverty by 2024 ward.

Poverty counts
    MHCLG publishes the numerators of the Income, IDACI, IDAOPI and Employment measures as
    counts of people, each rounded to a multiple of 5 (small counts are left blank). Its rate
    for each is numerator / denominator: the Income score over the total population, the
    Employment score over the working-age population (both in
    ``deprivation/imd2025_lsoa21_wmca.csv``, to 3 decimal places). The denominator is not in
    the raw folder, so it is recovered as the whole number of people for which the published
    numerator reproduces the published rate, and refused where none does. The IDACI and
    IDAOPI rates (children aged 0-15, people aged 60+) are not in the raw folder either, so
    their denominators cannot be recovered: only their numerators are read.

Health outcomes
    The four indicators of the Health Deprivation and Disability domain are age- and
    sex-standardised, shrunk values with no counts: the ingest averages them over a ward's
    LSOAs weighted by Census 2021 residents, with no interval.

Fuel poverty
    Households in fuel poverty (Low Income Low Energy Efficiency), 2023, as a percentage by
    2024 ward. No counts are published with it, so no interval.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from equity.catalogue import AUTHORITIES
from equity.sources import deprivation
from equity.sources._read import (
    LSOA_PEOPLE_MAX,
    PERCENTAGE,
    IngestError,
    Plausible,
    check_codes,
    check_complete,
    check_plausible,
    count,
    read_table,
    show_number,
)

UNDERLYING = "deprivation/iod2025_underlying_indicators_lsoa21_wmca.csv"
RATES = deprivation.IMD2025
FUEL_POVERTY = "poverty/fuel_poverty_households_pct_wd24_wmca_2023.csv"
FUEL_POVERTY_PERIOD = "2023"

# The file's count columns and the names the LSOA table gives them.
INCOME = "income_domain_numerator"
IDACI = "income_deprivation_affecting_children_index_idaci_numerator"
IDAOPI = "income_deprivation_affecting_older_people_index_idaopi_numerator"
EMPLOYMENT = "employment_domain_numerator"
NUMERATORS = {INCOME: "income_deprived", IDACI: "idaci_children", IDAOPI: "idaopi_older",
              EMPLOYMENT: "employment_deprived"}
# Counts MHCLG leaves blank for a few LSOAs (IDACI 11, IDAOPI 17 in WMCA): an empty cell is read
# as missing (NaN, never zero); any other text that is not a number is refused.
MAY_BE_BLANK = (IDACI, IDAOPI)
# Each recovered denominator: its column, the numerator and the published rate it comes from.
BASES = {"income_base": ("income_deprived", INCOME, "Income_score"),
         "employment_base": ("employment_deprived", EMPLOYMENT, "Employment_score")}
# The rates are published to 3 decimal places, so a denominator reproduces one if numerator /
# denominator is within half a unit of the third decimal place of it.
RATE_HALF_UNIT = 0.0005
# Room for floating-point error when comparing a quotient with a rate read from text.
_FLOAT_SLACK = 1e-9

HEALTH = {
    "years_of_potential_life_lost_indicator": "ypll",
    "acute_morbidity_indicator": "acute_morbidity",
    "comparative_illness_and_disability_ratio_indicator": "cidr",
    "mental_health_indicator": "mental_health",
}
HEALTH_COLUMNS: tuple[str, ...] = tuple(HEALTH.values())
"""LSOA values to be averaged over a ward (weighted by residents), never summed."""

# Plausible ranges (equity.sources._read.Plausible) of every numeric column read.
# * Counts of people are whole, from 0 to an LSOA's ceiling. Children (IDACI) and older people
#   (IDAOPI) in income-deprived families are among the income-deprived people the Income
#   domain counts, so each is at most the Income numerator (true of every WMCA LSOA).
# * Years of potential life lost: an age- and sex-standardised rate of premature death,
#   positive; WMCA's LSOAs run from 38 to 131 (England's median is 56), so 1,000 is far above
#   anything real.
# * Acute morbidity (emergency admissions) and the comparative illness and disability ratio:
#   standardised ratios with England at about 100, positive; WMCA's LSOAs run from 44 to 290,
#   so ten times England's level (1,000) cannot be real for a whole LSOA.
# * The mental health indicator is a standardised composite (mean about 0, standard deviation
#   about 1 across England; WMCA -2.3 to 2.1), so it may be negative; beyond +-10 cannot be
#   real (as for the IoD's other standardised scores).
# * Fuel poverty: a percentage of households, 0-100 (WMCA's wards 6.0-42.3).
STANDARDISED_RATE = Plausible(0, 1000)
HEALTH_RANGES = {
    "years_of_potential_life_lost_indicator": STANDARDISED_RATE,
    "acute_morbidity_indicator": STANDARDISED_RATE,
    "comparative_illness_and_disability_ratio_indicator": STANDARDISED_RATE,
    "mental_health_indicator": deprivation.STANDARDISED,
}
RANGES = {
    UNDERLYING: {
        INCOME: count(LSOA_PEOPLE_MAX),
        IDACI: count(LSOA_PEOPLE_MAX, within=INCOME),
        IDAOPI: count(LSOA_PEOPLE_MAX, within=INCOME),
        EMPLOYMENT: count(LSOA_PEOPLE_MAX),
        **HEALTH_RANGES,
    },
    FUEL_POVERTY: {"fuel_poverty_households_pct": PERCENTAGE},
}
# The published rates the denominators are recovered from (declared with their file).
RATE_RANGES = {rate: deprivation.RANGES[RATES][rate] for _, _, rate in BASES.values()}
BASE_RANGE = count(LSOA_PEOPLE_MAX)

VALUE_RANGES: dict[str, Plausible] = {
    **{HEALTH[col]: allowed for col, allowed in HEALTH_RANGES.items()},
    "fuel_poverty_pct": PERCENTAGE,
}
"""The range a ward, authority or WMCA value can take, by the column the catalogue names as
its numerator (for ``equity.plausible.value_range``, beside ``deprivation.SCORE_RANGES``)."""


def read_iod_indicators(raw: Path, lsoas: set[str]) -> pd.DataFrame:
    """IoD 2025 poverty counts (with recovered denominators) and health outcomes per LSOA.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    lsoas : set of str
        The WMCA LSOA 2021 codes: both files must have exactly these.

    Returns
    -------
    DataFrame
        Indexed by LSOA code (``lsoa_code``):

        ``income_deprived``, ``income_base``
            People in income-deprived families, and the total population MHCLG divides them
            by (recovered from the Income score).
        ``employment_deprived``, ``employment_base``
            Working-age people involuntarily out of work, and the working-age population
            (recovered from the Employment score).
        ``idaci_children``, ``idaopi_older``
            Children aged 0-15 and people aged 60+ in income-deprived families; NaN where
            MHCLG left the count blank. No denominator: their rates are not in the raw folder.
        ``ypll``, ``acute_morbidity``, ``cidr``, ``mental_health``
            The four health outcomes (standardised; no counts).

    Raises
    ------
    IngestError
        Naming the file, row and column: a missing file, column or LSOA, an unknown or
        duplicated LSOA, a number outside its plausible range, or a published rate that no
        whole-number denominator reproduces from its numerator.
    """
    ranges = RANGES[UNDERLYING]
    required = {col: allowed for col, allowed in ranges.items() if col not in MAY_BE_BLANK}
    frame = read_table(raw, UNDERLYING, ["lsoa21_code", *MAY_BE_BLANK], numeric=required,
                       key=["lsoa21_code"])
    for col in MAY_BE_BLANK:
        frame[col] = _blank_or_number(frame[col], col, ranges[col], frame[ranges[col].within])
    check_codes(frame, UNDERLYING, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(frame.lsoa21_code, UNDERLYING, "lsoa21_code", lsoas, "LSOA")
    frame["line"] = np.arange(len(frame)) + 2
    frame = frame.set_index("lsoa21_code")

    rates = read_table(raw, RATES, ["lsoa21_code"], numeric=RATE_RANGES, key=["lsoa21_code"])
    check_codes(rates, RATES, "lsoa21_code", lsoas, "LSOA 2021")
    check_complete(rates.lsoa21_code, RATES, "lsoa21_code", lsoas, "LSOA")
    rates["line"] = np.arange(len(rates)) + 2
    rates = rates.set_index("lsoa21_code").reindex(frame.index)

    out = pd.DataFrame(index=pd.Index(frame.index, name="lsoa_code"))
    for col, name in NUMERATORS.items():
        out[name] = frame[col].astype(float)
    for base, (_, file_col, rate) in BASES.items():
        out[base] = recover_base(frame[file_col], rates[rate], rate, frame.line, rates.line,
                                 file_col)
    _check_working_age_within_population(out, rates)
    for col, name in HEALTH.items():
        out[name] = frame[col].astype(float)
    columns = ["income_deprived", "income_base", "employment_deprived", "employment_base",
               "idaci_children", "idaopi_older", *HEALTH_COLUMNS]
    return out[columns]


def _blank_or_number(text: pd.Series, column: str, allowed: Plausible,
                     bound: pd.Series) -> pd.Series:
    """A count column that may be blank: empty cells become NaN, anything else is checked."""
    stripped = text.str.strip()
    parsed = pd.to_numeric(stripped, errors="coerce").astype(float)
    garbage = parsed.isna() & (stripped != "")
    if garbage.any():
        idx = int(np.flatnonzero(garbage.to_numpy())[0])
        found = str(text.iloc[idx])
        found = found if len(found) <= 40 else found[:40] + "…"
        raise IngestError(f"{UNDERLYING}: row {idx + 2}, column {column!r}: expected "
                          f"{allowed.describe()} or an empty cell (left blank by MHCLG), "
                          f"found {found!r}")
    check_plausible(UNDERLYING, column, text, parsed, allowed, bound, missing_ok=True)
    return parsed


def recover_base(numerator: pd.Series, rate: pd.Series, rate_column: str,
                 numerator_lines: pd.Series, rate_lines: pd.Series,
                 numerator_column: str) -> pd.Series:
    """The whole-number denominator for which ``numerator`` reproduces a published ``rate``.

    The denominator is ``round(numerator / rate)``; it reproduces the rate if
    ``numerator / denominator`` is within :data:`RATE_HALF_UNIT` of it (the rate is published
    to 3 decimal places). Because MHCLG rounds numerators to a multiple of 5, MHCLG's own
    denominator may differ from this one by a few people (more where the rate is small).

    Parameters
    ----------
    numerator, rate : Series
        Aligned by LSOA code: the published count and the published rate (0-1).
    rate_column : str
        The rate's column in :data:`RATES`, as messages name it.
    numerator_lines, rate_lines : Series
        Each LSOA's line in :data:`UNDERLYING` and in :data:`RATES` (header = line 1).
    numerator_column : str
        The numerator's column in :data:`UNDERLYING`, as messages name it.

    Returns
    -------
    Series
        The recovered denominator (whole numbers, as floats), aligned to ``numerator``.

    Raises
    ------
    IngestError
        Where the numerator or the rate is 0 (nothing to recover a denominator from), the
        denominator is beyond an LSOA's ceiling, or no whole number reproduces the rate.
    """
    num = numerator.to_numpy(dtype=float)
    published = rate.to_numpy(dtype=float)

    def fail(i: int, why: str) -> None:
        raise IngestError(
            f"{RATES}: row {int(rate_lines.iloc[i])}, column {rate_column!r}: {why} (numerator "
            f"{show_number(num[i])} in {UNDERLYING} row {int(numerator_lines.iloc[i])}, column "
            f"{numerator_column!r}; rate {published[i]:g})")

    usable = (num > 0) & (published > 0)
    if not usable.all():
        fail(int(np.flatnonzero(~usable)[0]), "a denominator cannot be recovered from a "
             "numerator or rate of 0")
    base = np.round(num / published)
    too_big = base > BASE_RANGE.high
    if too_big.any():
        i = int(np.flatnonzero(too_big)[0])
        fail(i, f"implies a denominator of {show_number(base[i])} people; expected "
                f"{BASE_RANGE.describe()}")
    off = np.abs(num / base - published) > RATE_HALF_UNIT + _FLOAT_SLACK
    if off.any():
        i = int(np.flatnonzero(off)[0])
        fail(i, "no whole-number denominator reproduces the published rate to 3 decimal "
                f"places (the nearest, {show_number(base[i])}, gives {num[i] / base[i]:.4f})")
    return pd.Series(base, index=numerator.index, dtype=float)


def _check_working_age_within_population(out: pd.DataFrame, rates: pd.DataFrame) -> None:
    """The working-age population (Employment) is part of the total population (Income)."""
    over = out.employment_base > out.income_base
    if over.any():
        i = int(np.flatnonzero(over.to_numpy())[0])
        raise IngestError(
            f"{RATES}: row {int(rates.line.iloc[i])}, column 'Employment_score': implies "
            f"{show_number(out.employment_base.iloc[i])} people of working age, more than the "
            f"{show_number(out.income_base.iloc[i])} residents implied by column 'Income_score'")


def incomplete_wards(values: pd.Series, lookup: pd.DataFrame) -> list[str]:
    """The wards with at least one LSOA whose value is missing.

    A ward sum over its other LSOAs would undercount it, so such a ward gets no value.

    Parameters
    ----------
    values : Series
        Indexed by LSOA code (a column of :func:`read_iod_indicators`).
    lookup : DataFrame
        ``lsoa_code, ward_code``: the best-fit lookup.

    Returns
    -------
    list of str
        Ward codes, sorted.
    """
    ward_of = lookup.set_index("lsoa_code").ward_code
    missing = values.index[values.isna()]
    return sorted(set(ward_of.reindex(missing).dropna()))


def blank_incomplete_wards(wards: pd.DataFrame, lsoa: pd.DataFrame, lookup: pd.DataFrame,
                           columns: Iterable[str]) -> pd.DataFrame:
    """``wards`` with ``columns`` set to NaN in every ward where an LSOA's value is missing.

    ``geography.aggregate_bestfit`` adds up the LSOAs that have a value (``min_count=1``), so
    without this a ward with a blank LSOA would get a sum that leaves those people out.

    Parameters
    ----------
    wards : DataFrame
        Indexed by ward code: the best-fit sums.
    lsoa : DataFrame
        Indexed by LSOA code: the values summed.
    lookup : DataFrame
        ``lsoa_code, ward_code``.
    columns : iterable of str
        The columns to blank (a numerator and its denominator together, so that authority
        and WMCA sums leave the whole ward out).

    Returns
    -------
    DataFrame
        A copy of ``wards``.
    """
    out = wards.copy()
    for col in columns:
        out.loc[out.index.isin(incomplete_wards(lsoa[col], lookup)), col] = np.nan
    return out


def read_fuel_poverty(raw: Path, wards24: set[str]) -> pd.DataFrame:
    """Households in fuel poverty in 2023 (%), by 2024 ward.

    Parameters
    ----------
    raw : Path
        The raw data folder.
    wards24 : set of str
        The 192 WMCA 2024 ward codes: the file must have exactly these.

    Returns
    -------
    DataFrame
        Indexed by ward code (``ward_code``): ``fuel_poverty_pct`` (0-100). The file has no
        counts of households, so there is nothing else to read and no interval.

    Raises
    ------
    IngestError
        Naming the file, row and column: a missing file, column or ward, an unknown or
        duplicated ward, an authority outside WMCA, a percentage outside 0-100, or a period
        other than 2023.
    """
    frame = read_table(raw, FUEL_POVERTY,
                       ["WD24CD", "WD24NM", "LAD24CD", "fuel_poverty_households_pct_period"],
                       numeric=RANGES[FUEL_POVERTY], key=["WD24CD"])
    check_codes(frame, FUEL_POVERTY, "WD24CD", wards24, "2024 ward")
    check_complete(frame.WD24CD, FUEL_POVERTY, "WD24CD", wards24, "2024 ward")
    check_codes(frame, FUEL_POVERTY, "LAD24CD", AUTHORITIES, "local authority")
    period = frame.fuel_poverty_households_pct_period.str.strip()
    wrong = period != FUEL_POVERTY_PERIOD
    if wrong.any():
        idx = int(np.flatnonzero(wrong.to_numpy())[0])
        raise IngestError(f"{FUEL_POVERTY}: row {idx + 2}, column "
                          f"'fuel_poverty_households_pct_period': expected "
                          f"{FUEL_POVERTY_PERIOD!r}, found {period.iloc[idx]!r}")
    return pd.DataFrame({"fuel_poverty_pct": frame.fuel_poverty_households_pct.to_numpy()},
                        index=pd.Index(frame.WD24CD, name="ward_code"))
