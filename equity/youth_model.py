"""Youth unemployment in every ward: a small-area estimate from Census 2021, and its validation.

No count of unemployed 16-24 year olds is published below local authority and 2010
constituency. The measure is the authorities' published one (Census 2021 RM024): residents
aged 16-24 who are unemployed (economically active, not full-time students) as a percentage of
all residents aged 16-24.

The estimator
-------------
A synthetic ratio estimate, made for each 2021 LSOA and summed to wards:

    rate_lsoa = rate_authority x p_lsoa / mean_authority(p)

where ``p`` is a predictor published for every LSOA and ``mean_authority(p)`` its mean over
the authority's LSOAs weighted by residents aged 16-24. So each authority's LSOAs, weighted by
their residents aged 16-24, reproduce its published rate exactly (the calibration), and
within an authority the rate follows ``p``. The predictor is

    p = all-age unemployment rate (TS066, % of residents 16+)
        x (1 - full-time students aged 16+ (TS062 L15) / residents aged 16-24, floored at 0)

The first factor carries where unemployment is high; the second removes the 16-24s who are
full-time students, whom the measure never counts as unemployed. Simpler estimators were
validated first and did worse (see :func:`compare_estimators` and the README): the
authority's rate everywhere (flat), and the all-age ratio alone.

Validation
----------
Where the truth is published: the 28 2010-set constituencies' Census rates. Each LSOA is
placed in a constituency through ONS's ward-to-constituency lookup (December 2018 wards, the
2022 wards here); an LSOA of one of the 21 Birmingham wards split between constituencies goes
to the constituency its shape's representative point lies in. A constituency's estimate is
the sum of its LSOAs' estimated counts over their residents aged 16-24. Nothing is fitted to
the constituencies, so this is an out-of-sample test. Against a different measure and date,
Birmingham's ward claimants aged 16-24 per resident aged 16-24 (April 2026) give a rank
correlation and how often the two put a ward in the same fifth.

Uncertainty
-----------
A ward's interval is its estimate plus or minus 1.96 x the root-mean-square error of the
constituency estimates, scaled up by the square root of the median constituency's residents
aged 16-24 over the ward's: errors that average out over a constituency's several wards are
larger ward by ward (for independent errors, by that square root). It is clipped to 0-100.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import spearmanr

Z95 = 1.959963984540054
ESTIMATORS = ("flat", "all_age_ratio", "all_age_ratio_non_students")
ESTIMATOR_LABELS = {
    "flat": "Authority's rate in every ward",
    "all_age_ratio": "Ratio to all-age unemployment",
    "all_age_ratio_non_students": "Ratio to all-age unemployment x share not full-time students",
}
CHOSEN = "all_age_ratio_non_students"
LSOA_COLUMNS = ["unemployed_est", "aged_16_plus_oa", "nssec_students", "age_16_24"]


@dataclass(frozen=True)
class Validation:
    """How the estimate compares with the published and measured figures.

    Attributes
    ----------
    constituencies : DataFrame
        One row per constituency: ``pcon_code, pcon_name, residents_16_24, published,
        estimate, error`` (rates in %, error = estimate - published).
    mae, rmse, max_error : float
        Over the constituencies, in percentage points.
    spearman : float
        Rank correlation of Birmingham's ward estimates with its ward claimants aged 16-24
        per resident aged 16-24.
    same_fifth : int
        Birmingham wards the two measures put in the same fifth, of ``n_birmingham``.
    n_birmingham : int
    """

    constituencies: pd.DataFrame
    mae: float
    rmse: float
    max_error: float
    spearman: float
    same_fifth: int
    n_birmingham: int


def _check_lsoa(lsoa: pd.DataFrame) -> None:
    missing = [c for c in [*LSOA_COLUMNS, "authority_code"] if c not in lsoa.columns]
    if missing:
        raise ValueError(f"youth_model: the LSOA table has no column(s) {missing}")


def predictor(lsoa: pd.DataFrame, estimator: str = CHOSEN) -> pd.Series:
    """The LSOA predictor ``p`` of an estimator (see the module docstring)."""
    _check_lsoa(lsoa)
    if estimator not in ESTIMATORS:
        raise ValueError(f"youth_model: unknown estimator {estimator!r}; expected one of "
                         f"{list(ESTIMATORS)}")
    if estimator == "flat":
        return pd.Series(1.0, index=lsoa.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        all_age = lsoa.unemployed_est / lsoa.aged_16_plus_oa
        if estimator == "all_age_ratio":
            return all_age
        students = (lsoa.nssec_students / lsoa.age_16_24).clip(0, 1)
    return all_age * (1 - students)


def lsoa_rates(lsoa: pd.DataFrame, authority_rates: pd.Series,
               estimator: str = CHOSEN) -> pd.Series:
    """Each LSOA's estimated rate (a proportion), calibrated to its authority's rate.

    Parameters
    ----------
    lsoa : DataFrame
        Indexed by LSOA: :data:`LSOA_COLUMNS` and ``authority_code``.
    authority_rates : Series
        The published rate (a proportion) by authority code.
    estimator : str
        One of :data:`ESTIMATORS`.

    Returns
    -------
    Series
        Aligned to ``lsoa``.

    Raises
    ------
    ValueError
        For a missing column, an unknown estimator, or an authority without a rate or without
        residents aged 16-24.
    """
    p = predictor(lsoa, estimator).fillna(0.0)
    youth = lsoa.age_16_24.astype(float)
    out = pd.Series(np.nan, index=lsoa.index)
    for authority, rows in lsoa.groupby("authority_code").groups.items():
        if authority not in authority_rates.index:
            raise ValueError(f"youth_model: no published rate for authority {authority}")
        weighted_mean = float((youth[rows] * p[rows]).sum() / youth[rows].sum())
        if not np.isfinite(weighted_mean) or weighted_mean <= 0:
            raise ValueError(f"youth_model: authority {authority} has no usable predictor")
        out[rows] = authority_rates[authority] * p[rows] / weighted_mean
    return out


def place_in_constituencies(lsoa_ward22: pd.Series, ward_parts: pd.DataFrame,
                            points: gpd.GeoSeries, shapes: gpd.GeoDataFrame) -> pd.Series:
    """The 2010-set constituency of each LSOA.

    Parameters
    ----------
    lsoa_ward22 : Series
        Each LSOA's 2022 ward (ONS best fit).
    ward_parts : DataFrame
        ``ward_code, pcon_code``: ONS's ward-to-constituency lookup, a row per ward part.
    points : GeoSeries
        A point inside each LSOA, in the same CRS as ``shapes`` is projected to (EPSG:27700).
    shapes : GeoDataFrame
        ``pcon_code`` and geometry.

    Returns
    -------
    Series
        Constituency code by LSOA. An LSOA of a ward in one constituency goes there; of a
        split ward, to the one of its ward's constituencies whose shape holds its point (the
        nearest, where the generalised shapes hold none).
    """
    options = ward_parts.groupby("ward_code").pcon_code.agg(lambda c: sorted(set(c)))
    projected = shapes.to_crs(27700).set_index("pcon_code").geometry
    placed = {}
    for code, ward in lsoa_ward22.items():
        choices = options.get(ward)
        if not choices:
            raise ValueError(f"youth_model: ward {ward} of LSOA {code} is in no constituency")
        if len(choices) == 1:
            placed[code] = choices[0]
            continue
        point = points[code]
        inside = [c for c in choices if projected[c].contains(point)]
        placed[code] = inside[0] if inside else min(choices,
                                                    key=lambda c: projected[c].distance(point))
    return pd.Series(placed).reindex(lsoa_ward22.index)


def _by_area(rates: pd.Series, youth: pd.Series, area: pd.Series) -> pd.DataFrame:
    """Estimated counts and residents aged 16-24 summed by ``area``, with the rate in %."""
    frame = pd.DataFrame({"estimated": rates * youth, "residents_16_24": youth, "area": area})
    sums = frame.groupby("area")[["estimated", "residents_16_24"]].sum()
    sums["estimate"] = 100 * sums.estimated / sums.residents_16_24
    return sums


def validate(rates: pd.Series, youth: pd.Series, placement: pd.Series,
             published: pd.DataFrame, ward_of: pd.Series,
             claimants_16_24: pd.Series) -> Validation:
    """Compare LSOA estimates with the constituencies' published rates and Birmingham's claimants.

    Parameters
    ----------
    rates : Series
        LSOA estimated rates (proportions).
    youth : Series
        LSOA residents aged 16-24.
    placement : Series
        LSOA constituency (:func:`place_in_constituencies`).
    published : DataFrame
        Indexed by constituency: ``name`` and ``rate`` (%).
    ward_of : Series
        LSOA 2024 ward (best fit).
    claimants_16_24 : Series
        Birmingham ward claimants aged 16-24, by 2024 ward code.

    Returns
    -------
    Validation
    """
    pcon = _by_area(rates, youth, placement)
    missing = sorted(set(published.index) - set(pcon.index))
    if missing:
        raise ValueError(f"youth_model: no LSOA placed in constituency {missing[0]}")
    table = pd.DataFrame({
        "pcon_code": pcon.index, "pcon_name": published.name.reindex(pcon.index).to_numpy(),
        "residents_16_24": pcon.residents_16_24.to_numpy(),
        "published": published.rate.reindex(pcon.index).to_numpy(),
        "estimate": pcon.estimate.to_numpy(),
    })
    table["error"] = table.estimate - table.published
    wards = _by_area(rates, youth, ward_of)
    bham = claimants_16_24.index
    claimant_rate = claimants_16_24 / wards.residents_16_24.reindex(bham)
    estimate = wards.estimate.reindex(bham)
    fifth = pd.qcut(estimate.rank(method="first"), 5, labels=False)
    claimant_fifth = pd.qcut(claimant_rate.rank(method="first"), 5, labels=False)
    return Validation(
        constituencies=table.sort_values("pcon_code").reset_index(drop=True),
        mae=float(table.error.abs().mean()), rmse=float(np.sqrt((table.error ** 2).mean())),
        max_error=float(table.error.abs().max()),
        spearman=float(spearmanr(estimate, claimant_rate).statistic),
        same_fifth=int((fifth == claimant_fifth).sum()), n_birmingham=len(bham))


def compare_estimators(lsoa: pd.DataFrame, authority_rates: pd.Series, placement: pd.Series,
                       published: pd.DataFrame, ward_of: pd.Series,
                       claimants_16_24: pd.Series) -> pd.DataFrame:
    """The validation figures of every estimator in :data:`ESTIMATORS`, one row each."""
    rows = []
    for estimator in ESTIMATORS:
        result = validate(lsoa_rates(lsoa, authority_rates, estimator), lsoa.age_16_24,
                          placement, published, ward_of, claimants_16_24)
        rows.append({"estimator": estimator, "label": ESTIMATOR_LABELS[estimator],
                     "mae": result.mae, "rmse": result.rmse, "max_error": result.max_error,
                     "spearman": result.spearman, "same_fifth": result.same_fifth,
                     "n_birmingham": result.n_birmingham, "chosen": estimator == CHOSEN})
    return pd.DataFrame(rows)


def ward_estimates(rates: pd.Series, youth: pd.Series, ward_of: pd.Series,
                   validation: Validation) -> pd.DataFrame:
    """Each ward's estimated count and rate with its interval from the validation error.

    Returns
    -------
    DataFrame
        Indexed by ward code: ``numerator`` (estimated unemployed 16-24s), ``denominator``
        (residents aged 16-24), ``value``, ``lower``, ``upper`` (%).
    """
    wards = _by_area(rates, youth, ward_of)
    reference = float(validation.constituencies.residents_16_24.median())
    half = Z95 * validation.rmse * np.sqrt(reference / wards.residents_16_24)
    return pd.DataFrame({
        "numerator": wards.estimated, "denominator": wards.residents_16_24,
        "value": wards.estimate, "lower": (wards.estimate - half).clip(lower=0),
        "upper": (wards.estimate + half).clip(upper=100),
    })
