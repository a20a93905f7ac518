"""The table of inequality measures for every outcome: SII and RII by decile, quintile gap."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from equity.bundle import Bundle
from equity.catalogue import AUTHORITIES, Indicator
from equity.inequality.deciles import decile_groups
from equity.inequality.inputs import check_poolable_kind, covers_part_of_wmca, ward_values_by_code
from equity.inequality.slope import DEFAULT_N_SIM, DEFAULT_SEED, SLOPE_INDEX_KEYS, slope_index
from equity.stats import quintile_gap

INEQUALITY_COLUMNS = [
    "indicator",
    "title",
    "theme",
    "kind",
    "unit",
    "n_wards",
    "n_deciles",
    "mean",
    "sii",
    "sii_lower",
    "sii_upper",
    "rii",
    "rii_lower",
    "rii_upper",
    "gap_by",
    "gap",
    "gap_lower",
    "gap_upper",
    "note",
]


def inequality_table(
    bundle: Bundle,
    indicator_ids: Iterable[str],
    characteristic: str = "imd_score",
    decile_indicator: str = "imd_decile",
    scale: float = 100.0,
    n_sim: int = DEFAULT_N_SIM,
    seed: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """One row of inequality measures per outcome indicator.

    For each outcome, wards with no data are dropped, the rest are pooled into the WMCA
    deprivation deciles of ``decile_indicator`` (:func:`~equity.inequality.decile_groups`)
    and the SII and RII fitted (:func:`~equity.inequality.slope_index`). Wards are also cut
    into quintiles of ``characteristic`` and the Q5 minus Q1 gap taken
    (:func:`equity.stats.quintile_gap`); with the default IMD score Q5 is the most deprived
    fifth of wards.

    An indicator published for only some authorities (for example Birmingham's claimant
    rates) is computed over the wards it covers only: the deciles are still WMCA-wide, so
    the population shares across deciles follow that authority's mix, and the ``note``
    column says so.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    indicator_ids : iterable of str
        Outcome indicators, each of kind ``"proportion"`` or ``"mean_score"``.
    characteristic : str
        Indicator whose ward values define the quintiles for the gap.
    decile_indicator : str
        Indicator whose ward values are the deprivation deciles (1 = most deprived).
    scale : float
        Multiplier for proportions (100: SII, mean and gap in percentage points).
    n_sim, seed : int
        Passed to :func:`~equity.inequality.slope_index`.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, title, theme, kind, unit, n_wards, n_deciles, mean, sii,
        sii_lower, sii_upper, rii, rii_lower, rii_upper, gap_by, gap, gap_lower, gap_upper,
        note``: ``n_wards`` wards with both a decile and outcome data; ``n_deciles`` deciles
        used in the fit; ``mean`` the population-weighted mean; ``gap_by`` the
        characteristic id. Intervals are NaN for mean scores. Where there are too few
        deciles (or wards) for the SII (or the gap), those values are NaN and ``note`` gives
        the reason. The RII is also NaN, with a note, for a score that takes negative
        values in some ward (IMD domain scores such as health), whose zero point is
        arbitrary. ``note`` is otherwise empty unless coverage is partial, wards were
        excluded, or the outcome is itself part of the IMD.

    Raises
    ------
    ValueError
        If ``indicator_ids`` is empty, an id is unknown, or an outcome is a rank or decile.
    """
    indicators = _poolable_outcomes(bundle, indicator_ids)
    bundle.indicator(characteristic)
    bundle.indicator(decile_indicator)
    deciles = ward_values_by_code(bundle, decile_indicator)["value"]
    char_values = ward_values_by_code(bundle, characteristic)["value"]
    rows = []
    for ind in indicators:
        covered = _covered_wards(bundle, ind, deciles, char_values)
        used = covered[_has_outcome_data(covered) & np.isfinite(covered["decile"])]
        notes = _context_notes(ind, n_covered=len(covered), n_used=len(used))
        if ind.modelled:
            sii, sii_notes, gap, gap_notes = _not_for_modelled()
        else:
            sii, sii_notes = _slope_measures(used, ind.kind, scale, n_sim, seed)
            gap, gap_notes = _quintile_gap_measures(covered, ind.kind, scale)
        rows.append(_table_row(ind, len(used), sii, characteristic, gap, notes + sii_notes + gap_notes))
    return pd.DataFrame(rows, columns=INEQUALITY_COLUMNS)


def _poolable_outcomes(bundle: Bundle, indicator_ids: Iterable[str]) -> list[Indicator]:
    """The outcome indicators, refusing an empty list, an unknown id, or a rank or decile."""
    if isinstance(indicator_ids, str):
        indicator_ids = [indicator_ids]
    ids = list(indicator_ids)
    if not ids:
        raise ValueError("inequality_table: give at least one indicator id")
    indicators = [bundle.indicator(i) for i in ids]
    for ind in indicators:
        check_poolable_kind(ind.kind, f"inequality_table ({ind.id})")
    return indicators


def _covered_wards(
    bundle: Bundle, ind: Indicator, deciles: pd.Series, char_values: pd.Series
) -> pd.DataFrame:
    """The outcome's wards in the authorities it covers, with their decile and characteristic."""
    wards = ward_values_by_code(bundle, ind.id)
    covered = wards[wards["authority_code"].isin(ind.coverage)].copy()
    covered["decile"] = deciles.reindex(covered.index)
    covered["characteristic"] = char_values.reindex(covered.index)
    return covered


def _has_outcome_data(wards: pd.DataFrame) -> pd.Series:
    """Wards whose outcome counts are finite with a positive denominator."""
    return (
        np.isfinite(wards["numerator"]) & np.isfinite(wards["denominator"])
        & (wards["denominator"] > 0)
    )


def _context_notes(ind: Indicator, n_covered: int, n_used: int) -> list[str]:
    """Notes on partial coverage, excluded wards and an outcome that is part of the IMD."""
    notes = []
    if covers_part_of_wmca(ind.coverage):
        names = ", ".join(AUTHORITIES[c] for c in ind.coverage)
        notes.append(
            f"Covers {names} only: computed over its {n_used} wards with data, "
            "grouped by WMCA-wide deprivation deciles"
        )
    excluded = n_covered - n_used
    if excluded:
        notes.append(f"{excluded} ward(s) without data excluded")
    if "Indices of Deprivation" in ind.source:
        notes.append("part of the IMD that defines the deciles, so a gradient is built in")
    return notes


def _slope_measures(
    used: pd.DataFrame, kind: str, scale: float, n_sim: int, seed: int | None
) -> tuple[dict, list[str]]:
    """SII and RII over the wards used (NaN, with a note, where they cannot be given)."""
    notes = []
    sii = dict.fromkeys(SLOPE_INDEX_KEYS, math.nan)
    sii["n_groups"] = 0
    try:
        groups = decile_groups(used, "decile", kind=kind)
        sii = slope_index(groups, kind=kind, scale=scale, n_sim=n_sim, seed=seed)
    except ValueError as exc:
        notes.append(f"SII not calculated: {exc}")
    # A score with negative ward values has an arbitrary zero point, so a ratio to its mean is meaningless.
    if kind == "mean_score" and (used["numerator"] < 0).any():
        sii.update(rii=math.nan, rii_lower=math.nan, rii_upper=math.nan)
        notes.append("RII not given: the score takes negative values, so a ratio to its mean "
                     "means nothing")
    return sii, notes


def _not_for_modelled() -> tuple[dict, list[str], dict, list[str]]:
    """No SII or gap for a modelled estimate, and the note that says why."""
    sii = dict.fromkeys(SLOPE_INDEX_KEYS, math.nan)
    sii["n_groups"] = 0
    gap = dict.fromkeys(("value", "lower", "upper"), math.nan)
    note = ("not given for an Estimate (modelled): its ward figures follow deprivation partly "
            "by construction, and their error is the model's, which intervals built from counts "
            "would leave out")
    return sii, [note], gap, []


def _quintile_gap_measures(covered: pd.DataFrame, kind: str, scale: float) -> tuple[dict, list[str]]:
    """Q5 minus Q1 gap by the characteristic's quintiles (NaN, with a note, if it cannot be taken)."""
    gap = dict.fromkeys(("value", "lower", "upper"), math.nan)
    try:
        _, gap = quintile_gap(covered, "characteristic", kind=kind, scale=scale)
    except ValueError as exc:
        return gap, [f"quintile gap not calculated: {exc}"]
    return gap, []


def _table_row(
    ind: Indicator, n_wards: int, sii: dict, characteristic: str, gap: dict, notes: list[str]
) -> dict:
    """One outcome's row of the inequality table."""
    return {
        "indicator": ind.id,
        "title": ind.title,
        "theme": ind.theme,
        "kind": ind.kind,
        "unit": ind.unit,
        "n_wards": n_wards,
        "n_deciles": int(sii["n_groups"]),
        "mean": sii["mean"],
        "sii": sii["sii"],
        "sii_lower": sii["sii_lower"],
        "sii_upper": sii["sii_upper"],
        "rii": sii["rii"],
        "rii_lower": sii["rii_lower"],
        "rii_upper": sii["rii_upper"],
        "gap_by": characteristic,
        "gap": gap["value"],
        "gap_lower": gap["lower"],
        "gap_upper": gap["upper"],
        "note": "; ".join(notes),
    }
