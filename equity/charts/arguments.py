"""Checks of the arguments every chart builder is given, with messages naming the builder."""

from __future__ import annotations

import numbers

import numpy as np

from equity.catalogue import Indicator
from equity.stats import POLARITIES


def _check_indicator(indicator: Indicator, where: str) -> None:
    if not isinstance(indicator, Indicator):
        raise TypeError(f"{where}: expected a catalogue Indicator, not {type(indicator).__name__}")
    if indicator.polarity not in POLARITIES:
        raise ValueError(f"{where}: indicator {indicator.id!r} has unknown polarity "
                         f"{indicator.polarity!r}")


def _finite(value: object, name: str, where: str, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{where}: {name} must be a finite number, not {value!r}")
    return float(value)

