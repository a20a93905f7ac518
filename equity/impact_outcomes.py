"""Does a programme reach need? Outcomes in the chosen wards against WMCA, and who is left out.

:func:`outcomes_table` pools the chosen wards for every outcome indicator of the profile's
themes (health, jobs, skills, youth unemployment, and poverty and housing) and sets the pooled
figure against WMCA; :func:`left_out_wards` lists the wards not chosen that sit in WMCA's
worst fifth on two or more themes.

Pooling
-------
A rate is pooled by summing the chosen wards' numerators and denominators from the bundle
(never by averaging ward rates). Its difference from WMCA has the 95% interval of
:func:`equity.impact.part_of_whole_interval`, which allows for the chosen wards being part of
WMCA (see :mod:`equity.impact`).

Three kinds of figure are handled differently, and the table says which applies:

* **Scores without counts** (Indices of Deprivation health, employment and education scores,
  fuel poverty's published ward percentages): the bundle keeps each ward's score times its
  residents (or households) as the numerator and the residents as the denominator, so the
  pooled figure is the population-weighted mean of the ward scores. Scores are not counts, so
  there is no interval and no test: the flag is "not tested".
* **Estimates (modelled)** (youth unemployment in every ward, :mod:`equity.youth_model`): the
  estimated counts are pooled like counts, and the interval comes from the model's validation
  error, as each ward's does: half-width 1.96 x the constituencies' RMSE x sqrt(median
  constituency residents aged 16-24 / the chosen wards' residents aged 16-24). WMCA's figure
  is the published count, to which the estimates are calibrated, so an error in the chosen
  wards is offset in the rest of WMCA and the difference's half-width is that half-width
  times the rest's share of WMCA's residents aged 16-24.
* **Partial coverage** (Birmingham's ward claimant counts): only the chosen wards the source
  covers are pooled, against the authority it covers (there is no WMCA figure).

Flags follow the indicator's direction: "worse" or "better" when the interval excludes zero
(for indicators with no better direction, "higher" or "lower"), "similar" when it does not.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, HEADLINES, THEMES, WMCA_CODE, Indicator
from equity.impact import check_ward_codes, part_of_whole_interval
from equity.inequality.interlinked import worst_fifth_counts
from equity.stats import Z95

OUTCOME_THEMES = ("health", "jobs", "skills", "youth_unemployment", "poverty")
OUTCOME_COLUMNS = [
    "indicator", "title", "theme", "unit", "polarity", "kind", "method",
    "wards_used", "wards_chosen", "numerator_chosen", "denominator_chosen",
    "value_chosen", "benchmark_name", "value_wmca", "difference", "lower", "upper", "flag",
    "note",
]
LEFT_OUT_MIN_THEMES = 2
LEFT_OUT_COLUMNS = ["ward_code", "ward_name", "authority", "worst_fifth_count",
                    "themes_assessed", "themes"]
SIGNIFICANT_FLAGS = ("worse", "better", "higher", "lower")


def outcome_indicators(bundle: Bundle) -> list[Indicator]:
    """The outcome indicators of :data:`OUTCOME_THEMES`, theme by theme (no ranks)."""
    found = [ind for ind in bundle.catalogue.values()
             if ind.theme in OUTCOME_THEMES and ind.kind != "rank_decile"]
    return sorted(found, key=lambda ind: OUTCOME_THEMES.index(ind.theme))


def _kind(ind: Indicator) -> str:
    if ind.modelled:
        return "modelled"
    return "rate" if ind.has_interval else "score"


def _benchmark(bundle: Bundle, ind: Indicator) -> tuple[str, str] | None:
    """WMCA, or the one authority a partial indicator covers; ``None`` where neither exists."""
    if bundle.area_value(ind.id, WMCA_CODE) is not None:
        return WMCA_CODE, "WMCA"
    if len(ind.coverage) == 1 and bundle.area_value(ind.id, ind.coverage[0]) is not None:
        return ind.coverage[0], AUTHORITIES[ind.coverage[0]]
    return None


def _flag(lower: float, upper: float, polarity: str) -> str:
    """The comparison word for a difference's interval, in the indicator's direction."""
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return "not tested"
    if lower <= 0 <= upper:
        return "similar"
    higher = lower > 0
    if polarity == "neither":
        return "higher" if higher else "lower"
    return "worse" if higher == (polarity == "higher_is_worse") else "better"


def _modelled_half_width(bundle: Bundle, residents: float, z: float) -> float:
    """The modelled estimate's interval half-width (points) for ``residents`` aged 16-24."""
    model = bundle.manifest.get("youth_unemployment_model", {})
    rmse = float(model.get("rmse_pp", math.nan))
    validation = bundle.youth_validation
    if validation.empty or "residents_16_24" not in validation or not residents > 0:
        return math.nan
    reference = float(pd.to_numeric(validation.residents_16_24, errors="coerce").median())
    return z * rmse * math.sqrt(reference / residents)


def _pooled_row(bundle: Bundle, ind: Indicator, chosen: list[str], z: float) -> dict:
    """One indicator's row of :func:`outcomes_table`."""
    row = dict.fromkeys(OUTCOME_COLUMNS, math.nan)
    row.update(indicator=ind.id, title=ind.short_title, theme=THEMES[ind.theme], unit=ind.unit,
               polarity=ind.polarity, kind=_kind(ind), wards_chosen=len(chosen), wards_used=0,
               flag="no data", note="", method="", benchmark_name="WMCA")
    wards = bundle.ward_values(ind.id)
    covered = wards[wards.authority_code.isin(ind.coverage) & wards.ward_code.isin(chosen)]
    num = pd.to_numeric(covered.numerator, errors="coerce")
    den = pd.to_numeric(covered.denominator, errors="coerce")
    usable = covered[np.isfinite(num) & np.isfinite(den) & (den > 0)]
    notes = []
    if len(ind.coverage) < len(AUTHORITIES):
        names = ", ".join(AUTHORITIES[c] for c in ind.coverage)
        notes.append(f"Covers {names} only: {len(usable)} of the {len(chosen)} chosen wards "
                     "pooled.")
    elif len(usable) < len(chosen):
        notes.append(f"{len(chosen) - len(usable)} chosen ward(s) have no data; pooled over "
                     f"the other {len(usable)}.")
    if ind.modelled:
        notes.append("Estimate (modelled): interval from the model's validation error.")
    elif not ind.has_interval:
        notes.append("Score without counts: population-weighted mean, no interval.")
    bench = _benchmark(bundle, ind)
    row["note"] = " ".join(notes)
    if bench is None or usable.empty:
        return row
    bench_row = bundle.area_value(ind.id, bench[0])
    x_c = float(pd.to_numeric(usable.numerator).sum())
    n_c = float(pd.to_numeric(usable.denominator).sum())
    row.update(wards_used=len(usable), numerator_chosen=x_c, denominator_chosen=n_c,
               benchmark_name=bench[1], value_chosen=100 * x_c / n_c if ind.unit == "%"
               and ind.has_interval else x_c / n_c,
               value_wmca=float(bench_row["value"]),
               method="+".join(sorted(set(usable.method.astype(str)))))
    row["difference"] = row["value_chosen"] - row["value_wmca"]
    in_bench = wards if bench[0] == WMCA_CODE else wards[wards.authority_code == bench[0]]
    if set(in_bench.ward_code) <= set(chosen):
        row.update(difference=0.0, flag=f"all of {bench[1]}")
        return row
    x_all = float(pd.to_numeric(bench_row["numerator"], errors="coerce"))
    n_all = float(pd.to_numeric(bench_row["denominator"], errors="coerce"))
    if ind.modelled:
        half = _modelled_half_width(bundle, n_c, z) * (n_all - n_c) / n_all
        lower, upper = row["difference"] - half, row["difference"] + half
    elif ind.has_interval:
        lower, upper = part_of_whole_interval(x_c, n_c, x_all, n_all, z=z)
    else:
        lower = upper = math.nan
    row.update(lower=lower, upper=upper, flag=_flag(lower, upper, ind.polarity))
    return row


def outcomes_table(bundle: Bundle, codes, z: float = Z95) -> pd.DataFrame:
    """Every outcome indicator, the chosen wards pooled against WMCA.

    Parameters
    ----------
    bundle : Bundle
        The ward bundle.
    codes : iterable of str
        2024 ward codes of the chosen wards. Repeats count once.
    z : float
        Normal quantile; the default gives 95% intervals.

    Returns
    -------
    pandas.DataFrame
        One row per indicator of :func:`outcome_indicators`, with columns
        :data:`OUTCOME_COLUMNS`: ``kind`` ("rate", "score" or "modelled"), ``method`` (the
        pooled wards' method codes, ``+``-joined), ``wards_used`` of ``wards_chosen``,
        ``numerator_chosen`` and ``denominator_chosen`` (sums over the wards used),
        ``value_chosen`` (their ratio: % for rates, the weighted mean for scores),
        ``benchmark_name`` ("WMCA", or the authority a partial indicator covers) and its
        ``value_wmca``, ``difference`` (chosen minus benchmark) with ``lower`` and ``upper``
        (95% interval, NaN for scores), ``flag`` ("worse", "better", "higher", "lower",
        "similar", "not tested", "all of WMCA" (every ward chosen: difference 0, no interval;
        "all of Birmingham" for a Birmingham-only indicator) or "no data") and ``note`` (coverage, missing
        wards, modelled estimate or score, in words).

    Raises
    ------
    ValueError
        If ``codes`` is empty or names a ward not in the bundle.
    """
    chosen = check_ward_codes(bundle, codes)
    rows = [_pooled_row(bundle, ind, chosen, z) for ind in outcome_indicators(bundle)]
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def outcomes_summary(outcomes: pd.DataFrame) -> str:
    """One plain sentence: how many outcomes are significantly worse in the chosen wards."""
    tested = outcomes[outcomes.flag.isin([*SIGNIFICANT_FLAGS, "similar"])]
    if outcomes.flag.str.startswith("all of").any() and tested.empty:
        return "Every ward is chosen, so the chosen wards are WMCA: there is nothing to compare."
    worse = int((tested.flag == "worse").sum())
    better = int((tested.flag == "better").sum())
    untested = int(outcomes.flag.eq("not tested").sum())
    sentence = (f"{worse} of the {len(tested)} outcomes tested "
                f"{'is' if worse == 1 else 'are'} significantly worse in the chosen wards than "
                f"in WMCA, and {better} significantly better")
    if untested:
        sentence += (f"; {untested} score{'s' if untested != 1 else ''} without counts "
                     f"{'has' if untested == 1 else 'have'} no interval and "
                     f"{'is' if untested == 1 else 'are'} not tested")
    return sentence + "."


def left_out_wards(bundle: Bundle, codes,
                   min_themes: int = LEFT_OUT_MIN_THEMES) -> pd.DataFrame:
    """The wards not chosen that sit in WMCA's worst fifth on ``min_themes`` or more themes.

    The themes and their headline indicators are :data:`equity.catalogue.HEADLINES`, counted
    by :func:`equity.inequality.worst_fifth_counts` (as the Overview's map of interlinked
    disadvantage counts them).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LEFT_OUT_COLUMNS`, most themes first then by ward name; ``themes`` names
        the themes on which the ward is in the worst fifth.

    Raises
    ------
    ValueError
        If ``codes`` is empty or names a ward not in the bundle.
    """
    chosen = set(check_ward_codes(bundle, codes))
    headline = {THEMES[theme]: ind for theme, ind in HEADLINES.items() if ind}
    counts = bundle.memo(("worst_fifth_counts", tuple(headline.items())),
                         lambda: worst_fifth_counts(bundle, headline))
    missed = counts[~counts.ward_code.isin(chosen)
                    & (counts.worst_fifth_count >= min_themes)].copy()
    missed["themes"] = ["; ".join(t for t in headline if row[t])
                        for _, row in missed.iterrows()]
    missed = missed.sort_values(["worst_fifth_count", "ward_name"], ascending=[False, True])
    return missed[LEFT_OUT_COLUMNS].reset_index(drop=True)
