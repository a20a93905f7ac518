"""Summary measures of inequality across wards: SII/RII by deprivation decile, correlations, worst fifths.

Every function is pure (no Streamlit, no I/O) and, in the style of PySAL's ``inequality``
module, takes a table and returns a new one; nothing passed in is modified.

Slope and relative index of inequality
--------------------------------------
:func:`decile_groups` pools ward counts into deprivation deciles and :func:`slope_index`
fits the OHID Fingertips slope index of inequality to them, following the method of the
``phe_sii`` function in OHID/UKHSA's *PHEindicatormethods* package (after Low & Low, *J Public
Health* 2004;26:388-395):

1. Order the groups from most deprived (decile 1) to least deprived.
2. Give each group its share of the population, ``a_i = denominator_i / sum(denominator)``,
   and a relative rank ``x_i``: the cumulative population share at the midpoint of its range,
   ``x_i = a_1 + ... + a_(i-1) + a_i / 2``. Ten equal deciles get 0.05, 0.15, ..., 0.95.
3. Regress the group values on ``x`` by weighted least squares with weights ``a_i``. (OHID
   fits ``y*sqrt(a) ~ sqrt(a) + x*sqrt(a)`` with no intercept, which is the same fit.)
4. Because ``x`` runs from 0 (most deprived end) to 1 (least deprived end), the fitted line's
   values at the two extremes differ by its slope.

**Sign convention.** Here ``SII = fitted(x=0) - fitted(x=1)``: the fitted value at the *most
deprived* end minus that at the least deprived end, i.e. minus the regression slope. A positive
SII therefore always means higher values among more deprived residents, whatever the
indicator's polarity (so it is "bad" for ``higher_is_worse`` indicators and "good" for
``higher_is_better`` ones). ``phe_sii`` reports the raw slope (least minus most deprived), the
opposite sign.

**RII.** ``RII = SII / mean``, where ``mean`` is the population-weighted mean of the group
values (for a proportion this is the pooled rate over all wards used). This is Pamuk's
relative index; ``phe_sii`` instead reports the ratio of the two fitted extremes. The RII is
NaN unless the mean is positive.

**Confidence intervals** are simulated as ``phe_sii`` does: each group's value is drawn from
a normal distribution centred on it with its standard error (the binomial
``sqrt(p(1-p)/n)`` for proportions, on the natural scale; ``phe_sii`` can optionally draw on
the logit scale instead), the line is refitted to each draw, and the 2.5th and 97.5th
percentiles of the simulated SII (and RII) are the 95% limits. The generator is seeded, so
results are reproducible. Mean-score outcomes (population-weighted IMD scores) carry no
sampling error here, so they get point estimates only (NaN intervals).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats as sps

from equity.bundle import Bundle
from equity.catalogue import ALL_AUTHORITIES, AUTHORITIES
from equity.checks import require_columns
from equity.stats import Z95, fisher_z_interval, proportion_se, quintile_gap, rank_wards

DEFAULT_SEED = 20251030
DEFAULT_N_SIM = 10_000
MIN_GROUPS = 3
MIN_SIM = 1_000
MIN_CORRELATION_WARDS = 4
POOLABLE_KINDS = ("proportion", "mean_score")

DECILE_GROUP_COLUMNS = [
    "decile",
    "n_wards",
    "numerator",
    "denominator",
    "value",
    "se",
    "population_share",
]
SLOPE_INDEX_KEYS = ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper", "mean", "n_groups")
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
CORRELATION_COLUMNS = ["outcome", "characteristic", "n", "r", "lower", "upper", "p_value"]
WARD_COLUMNS = ["ward_code", "ward_name", "authority"]


def _check_kind(kind: str, where: str) -> None:
    if kind not in POOLABLE_KINDS:
        raise ValueError(
            f"{where}: kind must be 'proportion' or 'mean_score', not {kind!r} "
            "(ranks and deciles cannot be pooled)"
        )


def decile_groups(
    frame: pd.DataFrame,
    decile_col: str = "decile",
    numerator: str = "numerator",
    denominator: str = "denominator",
    kind: str = "proportion",
) -> pd.DataFrame:
    """Pool ward counts into deprivation deciles.

    Each decile's value is pooled from its wards' counts, ``sum(numerator) /
    sum(denominator)``; ward rates are never averaged. For a ``"mean_score"`` outcome, whose
    numerator is score x population and denominator population, this is the
    population-weighted mean score.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per ward with its decile and the outcome's counts. Wards whose decile is
        missing, or whose counts are missing or have a zero denominator, are left out.
    decile_col : str
        Column holding the decile: a whole number, 1 = most deprived. Any number of groups
        (quintiles, say) works the same way.
    numerator, denominator : str
        Columns holding the outcome's counts.
    kind : {"proportion", "mean_score"}
        ``"proportion"`` gives each group a binomial standard error; ``"mean_score"`` gives NaN.

    Returns
    -------
    pandas.DataFrame
        One row per decile found in ``decile_col`` (ascending, most deprived first), with
        columns ``decile, n_wards, numerator, denominator, value, se, population_share``.
        ``value`` and ``se`` are on the unscaled scale (proportions 0 to 1, not percent).
        ``population_share`` is the decile's share of the summed denominator. A decile
        whose wards have no usable counts keeps the row with ``n_wards`` 0 and NaN counts,
        value, standard error and share.

    Raises
    ------
    ValueError
        If a column is missing, ``kind`` is not supported, a decile is not a whole number
        of at least 1, a denominator is negative, or (for proportions) a numerator is
        negative or exceeds its denominator. Mean-score numerators may be negative (some IMD
        domain scores are).
    """
    require_columns(frame, (decile_col, numerator, denominator), "decile_groups")
    _check_kind(kind, "decile_groups")
    data = pd.DataFrame(
        {
            "decile": pd.to_numeric(frame[decile_col], errors="coerce").astype(float),
            "numerator": pd.to_numeric(frame[numerator], errors="coerce").astype(float),
            "denominator": pd.to_numeric(frame[denominator], errors="coerce").astype(float),
        }
    )
    data = data[np.isfinite(data["decile"])]
    deciles = data["decile"].to_numpy()
    if np.any((deciles < 1) | (deciles != np.round(deciles))):
        raise ValueError(f"decile_groups: {decile_col!r} must hold whole numbers from 1 (most deprived)")
    num, den = data["numerator"].to_numpy(), data["denominator"].to_numpy()
    if np.any(den < 0) or (kind == "proportion" and np.any(num < 0)):
        raise ValueError("decile_groups: denominators (and a proportion's numerators) must not be negative")
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0)
    if kind == "proportion" and np.any(usable & (num > den + 1e-9)):
        raise ValueError("decile_groups: a proportion's numerator must not exceed its denominator")
    data["usable"] = usable
    data["decile"] = data["decile"].astype(int)
    pooled = (
        data[data["usable"]]
        .groupby("decile")
        .agg(n_wards=("usable", "size"), numerator=("numerator", "sum"), denominator=("denominator", "sum"))
    )
    all_deciles = np.sort(data["decile"].unique())
    groups = pooled.reindex(all_deciles).rename_axis("decile").reset_index()
    groups["n_wards"] = groups["n_wards"].fillna(0).astype(int)
    g_num = groups["numerator"].to_numpy(dtype=float)
    g_den = groups["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        groups["value"] = g_num / g_den
    if kind == "proportion":
        groups["se"] = proportion_se(g_num, g_den)
    else:
        groups["se"] = np.nan
    total = np.nansum(g_den)
    groups["population_share"] = g_den / total if total > 0 else np.nan
    return groups[DECILE_GROUP_COLUMNS]


def _relative_rank(share: np.ndarray) -> np.ndarray:
    """Cumulative population share at the midpoint of each group (shares summing to 1)."""
    return np.cumsum(share) - share / 2


def _sii_and_mean(x: np.ndarray, a: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares of ``y`` on ``x`` with weights ``a`` (summing to 1).

    ``y`` may be one vector of group values or a matrix with one draw per row. Returns the
    SII (fitted value at x=0 minus fitted value at x=1, i.e. minus the slope) and the
    weighted mean of ``y``.
    """
    xc = x - a @ x
    slope = (y @ (a * xc)) / (a @ (xc * xc))
    return -slope, y @ a


def slope_index(
    groups: pd.DataFrame,
    kind: str = "proportion",
    scale: float = 100.0,
    n_sim: int = DEFAULT_N_SIM,
    seed: int | None = DEFAULT_SEED,
    decile_col: str = "decile",
) -> dict:
    """Slope and relative index of inequality across deprivation groups, as OHID computes them.

    See the module docstring for the method. Groups are ordered by ``decile_col`` (1 = most
    deprived); groups without a usable value or population are dropped before the fit.

    Parameters
    ----------
    groups : pandas.DataFrame
        One row per group, as returned by :func:`decile_groups`: columns ``decile_col``,
        ``denominator`` (the population, used for the weights), ``value`` (unscaled) and,
        for proportions, ``se`` (unscaled standard error).
    kind : {"proportion", "mean_score"}
        ``"proportion"`` simulates 95% intervals; ``"mean_score"`` gives NaN intervals.
    scale : float
        Multiplier applied to proportions and their standard errors (100 gives percentages,
        so the SII is in percentage points). Ignored for ``"mean_score"``.
    n_sim : int
        Number of Monte Carlo draws for the intervals (at least 1,000).
    seed : int or None
        Seed for :func:`numpy.random.default_rng`; an int makes the intervals reproducible.
    decile_col : str
        Column giving the group order, 1 = most deprived.

    Returns
    -------
    dict
        ``sii, sii_lower, sii_upper``: fitted value at the most deprived end minus that at
        the least deprived end, with its simulated 95% interval (positive = higher values
        where deprivation is greater); ``rii, rii_lower, rii_upper``: ``sii / mean`` and its
        interval (NaN unless the mean is positive: a ratio to a zero or negative mean,
        possible for IMD domain scores, means nothing); ``mean``: the population-weighted
        mean of the group values; ``n_groups``: groups used. Values are floats
        (``n_groups`` an int), in scaled units for proportions.

    Raises
    ------
    ValueError
        If a column is missing, ``kind``, ``scale`` or ``n_sim`` is invalid, fewer than three
        groups have data, or a proportion group lacks a finite non-negative standard error.
    """
    _check_kind(kind, "slope_index")
    needed = [decile_col, "denominator", "value"] + (["se"] if kind == "proportion" else [])
    require_columns(groups, needed, "slope_index")
    if isinstance(scale, bool) or not isinstance(scale, Real) or not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"slope_index: scale must be a positive number, not {scale!r}")
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < MIN_SIM:
        raise ValueError(f"slope_index: n_sim must be an integer of at least {MIN_SIM}, not {n_sim!r}")
    data = pd.DataFrame(
        {
            "order": pd.to_numeric(groups[decile_col], errors="coerce"),
            "pop": pd.to_numeric(groups["denominator"], errors="coerce"),
            "value": pd.to_numeric(groups["value"], errors="coerce"),
            "se": pd.to_numeric(groups["se"], errors="coerce") if "se" in groups else np.nan,
        }
    ).astype(float)
    data = data[np.isfinite(data["order"]) & np.isfinite(data["value"])
                & np.isfinite(data["pop"]) & (data["pop"] > 0)]
    if data["order"].duplicated().any():
        raise ValueError(f"slope_index: {decile_col!r} holds a group more than once")
    if len(data) < MIN_GROUPS:
        raise ValueError(
            f"slope_index: need at least {MIN_GROUPS} groups with data to fit a slope, found {len(data)}"
        )
    data = data.sort_values("order")
    factor = scale if kind == "proportion" else 1.0
    y = data["value"].to_numpy() * factor
    a = data["pop"].to_numpy() / data["pop"].sum()
    x = _relative_rank(a)
    sii, mean = (float(v) for v in _sii_and_mean(x, a, y))
    rii = sii / mean if mean > 0 else math.nan
    result = {
        "sii": sii,
        "sii_lower": math.nan,
        "sii_upper": math.nan,
        "rii": rii,
        "rii_lower": math.nan,
        "rii_upper": math.nan,
        "mean": mean,
        "n_groups": len(data),
    }
    if kind == "proportion":
        se = data["se"].to_numpy() * factor
        if not np.all(np.isfinite(se) & (se >= 0)):
            raise ValueError("slope_index: every proportion group needs a finite, non-negative 'se'")
        rng = np.random.default_rng(seed)
        draws = y + se * rng.standard_normal((int(n_sim), len(y)))
        sim_sii, sim_mean = _sii_and_mean(x, a, draws)
        with np.errstate(invalid="ignore", divide="ignore"):
            sim_rii = np.where(sim_mean > 0, sim_sii / sim_mean, np.nan)
        lo_q, hi_q = (1 - 0.95) / 2, 1 - (1 - 0.95) / 2
        result["sii_lower"], result["sii_upper"] = (float(v) for v in np.quantile(sim_sii, [lo_q, hi_q]))
        if np.all(np.isfinite(sim_rii)):
            result["rii_lower"], result["rii_upper"] = (
                float(v) for v in np.quantile(sim_rii, [lo_q, hi_q])
            )
    return result


def _ward_table(bundle: Bundle, indicator_id: str) -> pd.DataFrame:
    return bundle.ward_values(indicator_id).set_index("ward_code")


def _partial_coverage(coverage: Iterable[str]) -> bool:
    return set(coverage) != set(ALL_AUTHORITIES)


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
    deprivation deciles of ``decile_indicator`` (:func:`decile_groups`) and the SII and RII
    fitted (:func:`slope_index`). Wards are also cut into quintiles of ``characteristic``
    and the Q5 minus Q1 gap taken (:func:`equity.stats.quintile_gap`); with the default IMD
    score Q5 is the most deprived fifth of wards.

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
        Passed to :func:`slope_index`.

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
    if isinstance(indicator_ids, str):
        indicator_ids = [indicator_ids]
    ids = list(indicator_ids)
    if not ids:
        raise ValueError("inequality_table: give at least one indicator id")
    indicators = [bundle.indicator(i) for i in ids]
    for ind in indicators:
        _check_kind(ind.kind, f"inequality_table ({ind.id})")
    bundle.indicator(characteristic)
    bundle.indicator(decile_indicator)
    deciles = _ward_table(bundle, decile_indicator)["value"]
    char_values = _ward_table(bundle, characteristic)["value"]
    rows = []
    for ind in indicators:
        wards = _ward_table(bundle, ind.id)
        covered = wards[wards["authority_code"].isin(ind.coverage)].copy()
        covered["decile"] = deciles.reindex(covered.index)
        covered["characteristic"] = char_values.reindex(covered.index)
        has_data = (
            np.isfinite(covered["numerator"]) & np.isfinite(covered["denominator"])
            & (covered["denominator"] > 0)
        )
        used = covered[has_data & np.isfinite(covered["decile"])]
        notes = []
        if _partial_coverage(ind.coverage):
            names = ", ".join(AUTHORITIES[c] for c in ind.coverage)
            notes.append(
                f"Covers {names} only: computed over its {len(used)} wards with data, "
                "grouped by WMCA-wide deprivation deciles"
            )
        excluded = len(covered) - len(used)
        if excluded:
            notes.append(f"{excluded} ward(s) without data excluded")
        if "Indices of Deprivation" in ind.source:
            notes.append("part of the IMD that defines the deciles, so a gradient is built in")
        sii = dict.fromkeys(SLOPE_INDEX_KEYS, math.nan)
        sii["n_groups"] = 0
        try:
            groups = decile_groups(used, "decile", kind=ind.kind)
            sii = slope_index(groups, kind=ind.kind, scale=scale, n_sim=n_sim, seed=seed)
        except ValueError as exc:
            notes.append(f"SII not calculated: {exc}")
        if ind.kind == "mean_score" and (used["numerator"] < 0).any():
            sii.update(rii=math.nan, rii_lower=math.nan, rii_upper=math.nan)
            notes.append("RII not given: the score takes negative values, so a ratio to its mean "
                         "means nothing")
        gap = dict.fromkeys(("value", "lower", "upper"), math.nan)
        try:
            _, gap = quintile_gap(covered, "characteristic", kind=ind.kind, scale=scale)
        except ValueError as exc:
            notes.append(f"quintile gap not calculated: {exc}")
        rows.append(
            {
                "indicator": ind.id,
                "title": ind.title,
                "theme": ind.theme,
                "kind": ind.kind,
                "unit": ind.unit,
                "n_wards": len(used),
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
        )
    return pd.DataFrame(rows, columns=INEQUALITY_COLUMNS)


def correlations(
    bundle: Bundle,
    outcome_ids: Iterable[str],
    characteristic_ids: Iterable[str],
) -> pd.DataFrame:
    """Pearson correlations between outcomes and population characteristics across wards.

    Each pair uses the wards with a value for both indicators. The coefficient is the plain
    (unweighted) Pearson correlation of ward values: every ward counts once whatever its
    population, so it describes wards, not residents. The 95% interval uses Fisher's z
    (:func:`equity.stats.fisher_z_interval`) and the two-sided p-value comes from
    :func:`scipy.stats.pearsonr`. Being ecological, a correlation between wards says nothing
    directly about individuals.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    outcome_ids, characteristic_ids : iterable of str
        Indicator ids; every outcome is paired with every characteristic.

    Returns
    -------
    pandas.DataFrame
        One row per (outcome, characteristic) pair, outcomes in the order given, with
        columns ``outcome, characteristic, n, r, lower, upper, p_value``. Where either
        indicator has the same value in every ward used, ``r``, the interval and the
        p-value are NaN.

    Raises
    ------
    ValueError
        If either list is empty, an id is unknown, or a pair has fewer than four wards with
        data (Fisher's interval needs ``n - 3 > 0``).
    """
    outcomes = [outcome_ids] if isinstance(outcome_ids, str) else list(outcome_ids)
    chars = [characteristic_ids] if isinstance(characteristic_ids, str) else list(characteristic_ids)
    if not outcomes or not chars:
        raise ValueError("correlations: give at least one outcome and one characteristic")
    for ident in outcomes + chars:
        bundle.indicator(ident)
    values = {ident: _ward_table(bundle, ident)["value"].astype(float) for ident in set(outcomes + chars)}
    rows = []
    for out_id in outcomes:
        for char_id in chars:
            pair = pd.concat([values[out_id], values[char_id]], axis=1, keys=["y", "x"])
            pair = pair[np.isfinite(pair["x"]) & np.isfinite(pair["y"])]
            n = len(pair)
            if n < MIN_CORRELATION_WARDS:
                raise ValueError(
                    f"correlations: {out_id!r} and {char_id!r} share {n} ward(s) with data; "
                    f"need at least {MIN_CORRELATION_WARDS}"
                )
            if pair["x"].nunique() < 2 or pair["y"].nunique() < 2:
                r = p_value = math.nan
            else:
                test = sps.pearsonr(pair["x"].to_numpy(), pair["y"].to_numpy())
                r, p_value = float(test.statistic), float(test.pvalue)
            lower, upper = fisher_z_interval(r, n, z=Z95)
            rows.append(
                {
                    "outcome": out_id,
                    "characteristic": char_id,
                    "n": n,
                    "r": r,
                    "lower": float(lower),
                    "upper": float(upper),
                    "p_value": p_value,
                }
            )
    return pd.DataFrame(rows, columns=CORRELATION_COLUMNS)


def worst_fifth_counts(bundle: Bundle, headline: Mapping[str, str]) -> pd.DataFrame:
    """Count, for each ward, the themes on which it is among WMCA's worst fifth of wards.

    For each theme's headline indicator the wards with data are ranked worst first with
    :func:`equity.stats.rank_wards` (highest first for ``higher_is_worse``, lowest first for
    ``higher_is_better``). With ``n`` wards ranked, a ward is in the worst fifth when its
    rank is at most ``ceil(n / 5)``. Tied wards share the lowest rank (``method="min"``), so
    a tie across the cut-off puts every tied ward in the worst fifth and the group can hold
    more than ``ceil(n / 5)`` wards; it never holds fewer.

    An indicator that does not cover all seven authorities has no WMCA-wide ranking: its
    column is False for every ward and it is not counted in ``themes_assessed``.

    Parameters
    ----------
    bundle : equity.bundle.Bundle
        The data bundle.
    headline : mapping of str to str
        Theme name (used as the column name) to headline indicator id.

    Returns
    -------
    pandas.DataFrame
        One row per ward in bundle order, with columns ``ward_code, ward_name, authority``,
        one boolean column per theme (True when the ward is in the worst fifth),
        ``themes_assessed`` (themes whose indicator covers all authorities and has data for
        the ward) and ``worst_fifth_count`` (number of True theme columns).

    Raises
    ------
    ValueError
        If ``headline`` is empty, a theme name clashes with an output column, an id is
        unknown, or an indicator has polarity ``"neither"`` (no "worst" end).
    """
    if not isinstance(headline, Mapping) or not headline:
        raise ValueError("worst_fifth_counts: headline must be a non-empty mapping of theme to indicator id")
    reserved = set(WARD_COLUMNS) | {"themes_assessed", "worst_fifth_count"}
    for theme, ident in headline.items():
        if not isinstance(theme, str) or not theme or theme in reserved:
            raise ValueError(f"worst_fifth_counts: {theme!r} cannot be used as a theme column name")
        ind = bundle.indicator(ident)
        if ind.polarity == "neither":
            raise ValueError(
                f"worst_fifth_counts: {ident!r} (theme {theme!r}) has no better or worse direction"
            )
    base = pd.DataFrame(bundle.wards[WARD_COLUMNS]).reset_index(drop=True)
    out = base.copy()
    assessed = np.zeros(len(base), dtype=int)
    for theme, ident in headline.items():
        ind = bundle.indicator(ident)
        values = _ward_table(bundle, ident)["value"].reindex(base["ward_code"]).astype(float)
        values = values.reset_index(drop=True)
        if _partial_coverage(ind.coverage):
            out[theme] = False
            continue
        ranks = rank_wards(values, ind.polarity)
        n = int(ranks.notna().sum())
        cutoff = math.ceil(n / 5)
        out[theme] = (ranks <= cutoff).fillna(False).astype(bool)
        assessed += np.isfinite(values.to_numpy()).astype(int)
    out["themes_assessed"] = assessed
    out["worst_fifth_count"] = out[list(headline)].sum(axis=1).astype(int)
    return out
