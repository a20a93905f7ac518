"""Slope and relative index of inequality (SII, RII) across deprivation groups.

:func:`slope_index` fits the OHID Fingertips slope index of inequality to groups such as
those of :func:`equity.inequality.deciles.decile_groups`, following the method of the
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
from numbers import Real

import numpy as np
import pandas as pd

from equity.checks import require_columns
from equity.inequality.inputs import check_poolable_kind

DEFAULT_SEED = 20251030
DEFAULT_N_SIM = 10_000
MIN_GROUPS = 3
MIN_SIM = 1_000
SLOPE_INDEX_KEYS = ("sii", "sii_lower", "sii_upper", "rii", "rii_lower", "rii_upper", "mean", "n_groups")


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
        One row per group, as returned by :func:`~equity.inequality.decile_groups`: columns
        ``decile_col``, ``denominator`` (the population, used for the weights), ``value``
        (unscaled) and, for proportions, ``se`` (unscaled standard error).
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
    check_poolable_kind(kind, "slope_index")
    needed = [decile_col, "denominator", "value"] + (["se"] if kind == "proportion" else [])
    require_columns(groups, needed, "slope_index")
    _check_scale_and_draws(scale, n_sim)
    data = _fittable_groups(groups, decile_col)
    # Mean scores are already in their own units; only proportions are rescaled.
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
        result.update(_simulated_intervals(x, a, y, se, n_sim, seed))
    return result


def _check_scale_and_draws(scale: float, n_sim: int) -> None:
    """Refuse a non-positive or non-numeric scale and too few (or non-integer) draws."""
    # bool is a Real and an int, but True as a scale or draw count is surely a mistake.
    if isinstance(scale, bool) or not isinstance(scale, Real) or not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"slope_index: scale must be a positive number, not {scale!r}")
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < MIN_SIM:
        raise ValueError(f"slope_index: n_sim must be an integer of at least {MIN_SIM}, not {n_sim!r}")


def _fittable_groups(groups: pd.DataFrame, decile_col: str) -> pd.DataFrame:
    """Groups with an order, a value and a positive population, most deprived first.

    Columns ``order, pop, value, se`` as floats (``se`` NaN when ``groups`` has none).
    Raises ValueError if a group appears twice or fewer than :data:`MIN_GROUPS` remain.
    """
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
    return data.sort_values("order")


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


def _simulated_intervals(
    x: np.ndarray, a: np.ndarray, y: np.ndarray, se: np.ndarray, n_sim: int, seed: int | None
) -> dict[str, float]:
    """Monte Carlo 95% limits of the SII and, when every draw's mean is positive, of the RII.

    Returns ``sii_lower`` and ``sii_upper``, plus ``rii_lower`` and ``rii_upper`` only when
    every simulated RII is finite (otherwise the caller's NaN limits stand).
    """
    if not np.all(np.isfinite(se) & (se >= 0)):
        raise ValueError("slope_index: every proportion group needs a finite, non-negative 'se'")
    rng = np.random.default_rng(seed)
    draws = y + se * rng.standard_normal((int(n_sim), len(y)))
    sim_sii, sim_mean = _sii_and_mean(x, a, draws)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim_rii = np.where(sim_mean > 0, sim_sii / sim_mean, np.nan)
    lo_q, hi_q = (1 - 0.95) / 2, 1 - (1 - 0.95) / 2
    limits = {}
    limits["sii_lower"], limits["sii_upper"] = (float(v) for v in np.quantile(sim_sii, [lo_q, hi_q]))
    if np.all(np.isfinite(sim_rii)):
        limits["rii_lower"], limits["rii_upper"] = (float(v) for v in np.quantile(sim_rii, [lo_q, hi_q]))
    return limits


def simulated_sii(groups: pd.DataFrame, scale: float = 100.0, n_sim: int = DEFAULT_N_SIM,
                  seed: int | None = DEFAULT_SEED, decile_col: str = "decile"
                  ) -> tuple[float, np.ndarray]:
    """The SII of proportions and its Monte Carlo draws, as :func:`slope_index` makes them.

    For comparing two SIIs (say two years'): the difference of two independent sets of draws
    gives the difference's interval.

    Parameters
    ----------
    groups : pandas.DataFrame
        As for :func:`slope_index` with ``kind="proportion"`` (``se`` required).
    scale, n_sim, seed, decile_col
        As for :func:`slope_index`.

    Returns
    -------
    tuple
        The SII (scaled units) and an array of ``n_sim`` simulated SIIs.

    Raises
    ------
    ValueError
        As :func:`slope_index` does.
    """
    require_columns(groups, [decile_col, "denominator", "value", "se"], "simulated_sii")
    _check_scale_and_draws(scale, n_sim)
    data = _fittable_groups(groups, decile_col)
    y = data["value"].to_numpy() * scale
    se = data["se"].to_numpy() * scale
    if not np.all(np.isfinite(se) & (se >= 0)):
        raise ValueError("simulated_sii: every group needs a finite, non-negative 'se'")
    a = data["pop"].to_numpy() / data["pop"].sum()
    x = _relative_rank(a)
    sii, _ = _sii_and_mean(x, a, y)
    rng = np.random.default_rng(seed)
    draws, _ = _sii_and_mean(x, a, y + se * rng.standard_normal((int(n_sim), len(y))))
    return float(sii), np.asarray(draws)
