"""Map classes and their colours: class breaks (mapclassify), scheme names, palettes."""

from __future__ import annotations

import numbers
import warnings

import mapclassify
import numpy as np
import pandas as pd
import plotly.colors as pcolors

from equity.charts.style import NEUTRAL_SCALE, WORSE_SCALE, _to_hex
from equity.stats import POLARITIES

SCHEMES = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "fisher_jenks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}
"""Classification schemes. ``natural_breaks`` uses Fisher-Jenks, which is optimal and
deterministic (mapclassify's ``NaturalBreaks`` uses random k-means starts)."""
SCHEME_LABELS = {
    "quantiles": "quantiles",
    "natural_breaks": "natural breaks",
    "fisher_jenks": "natural breaks",
    "equal_interval": "equal interval",
}
"""The one name of each classification scheme (see :func:`scheme_label`)."""
OFFERED_SCHEMES = ("quantiles", "natural_breaks")
"""The schemes a reader can choose between on the pages."""


def scheme_label(scheme: str, k: int = 5) -> str:
    """The name of a classification into ``k`` classes, as the sidebar and the maps say it.

    Five quantile classes are quintiles (fifths), which readers know better.
    """
    if scheme not in SCHEME_LABELS:
        raise ValueError(f"scheme_label: unknown scheme {scheme!r}")
    return "quintiles" if scheme == "quantiles" and k == 5 else SCHEME_LABELS[scheme]
MAX_CLASSES = 9


def _check_class_count(k: object, where: str) -> None:
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"{where}: k must be a whole number from 1 to {MAX_CLASSES}, not {k!r}")


def class_breaks(
    values: pd.Series | np.ndarray, scheme: str = "quantiles", k: int = 5
) -> tuple[np.ndarray, pd.Series]:
    """Classify ward values into at most ``k`` classes with mapclassify.

    Parameters
    ----------
    values : pandas.Series or array-like
        One value per ward; NaN means no data and is left out of the classification.
    scheme : {"quantiles", "natural_breaks", "fisher_jenks", "equal_interval"}
        Classification scheme (see :data:`SCHEMES`).
    k : int
        Number of classes wanted, 1 to 9. Fewer are made when there are fewer distinct values,
        and classes a scheme would leave empty (quantiles over tied values) are merged away.

    Returns
    -------
    bins : numpy.ndarray
        Upper bound of each class, increasing; the last equals the largest value. Class ``i``
        holds values ``v`` with ``bins[i - 1] < v <= bins[i]``. Empty when no ward has data.
    classes : pandas.Series of int
        Class index per ward (0 = lowest values), ``-1`` for no data. Keeps the index of
        ``values`` when it is a Series.

    Raises
    ------
    ValueError
        For an unknown scheme or ``k`` outside 1..9.
    """
    if scheme not in SCHEMES:
        raise ValueError(
            f"class_breaks: unknown scheme {scheme!r}; expected one of {sorted(SCHEMES)}"
        )
    _check_class_count(k, "class_breaks")
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
    series = pd.to_numeric(series, errors="coerce").astype(float)
    y = series.to_numpy()
    finite = np.isfinite(y)
    classes = pd.Series(-1, index=series.index, dtype=int, name="class")
    if not finite.any():
        return np.array([], dtype=float), classes
    data = y[finite]
    k_used = min(int(k), int(np.unique(data).size))
    if k_used == 1:
        bins = np.array([data.max()])
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bins = np.asarray(SCHEMES[scheme](data, k=k_used).bins, dtype=float)
    bins = np.unique(bins)
    bins[-1] = data.max()
    used = np.unique(np.searchsorted(bins, data, side="left"))
    bins = bins[used]
    classes[finite] = np.searchsorted(bins, data, side="left")
    return bins, classes


def palette(polarity: str, k: int) -> list[str]:
    """Colour-blind-safe sequential colours for ``k`` map classes.

    Parameters
    ----------
    polarity : {"higher_is_worse", "higher_is_better", "neither"}
        ``higher_is_worse``: OrRd light to dark, so the highest (worst) class is darkest.
        ``higher_is_better``: the same colours reversed, so the lowest (worst) class is darkest.
        ``neither``: Blues light to dark (dark = higher, no judgement).
    k : int
        Number of classes, 1 to 9.

    Returns
    -------
    list of str
        ``k`` hex colours in class order (class 0, the lowest values, first). Wards with no
        data use :data:`NO_DATA_COLOUR` instead.

    Raises
    ------
    ValueError
        For an unknown polarity or ``k`` outside 1..9.
    """
    if polarity not in POLARITIES:
        raise ValueError(f"palette: unknown polarity {polarity!r}; expected one of {POLARITIES}")
    _check_class_count(k, "palette")
    scale = NEUTRAL_SCALE if polarity == "neither" else WORSE_SCALE
    points = [0.6] if k == 1 else list(np.linspace(0.12, 1.0, int(k)))
    colours = [_to_hex(c) for c in pcolors.sample_colorscale(list(scale), points)]
    if polarity == "higher_is_better":
        colours.reverse()
    return colours
