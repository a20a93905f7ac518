"""What the chart tests share: catalogue entries, colour measures and a spine profile."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from equity import views
from equity.catalogue import CATALOGUE, Indicator

AGED = CATALOGUE["aged_16_24"]  # polarity "neither", proportion
IMD_SCORE = CATALOGUE["imd_score"]  # higher_is_worse, mean_score
AGED_WORSE = dataclasses.replace(AGED, polarity="higher_is_worse")
HEX = re.compile(r"^#[0-9a-f]{6}$")


def luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of ``colour`` (``#rrggbb``) against white."""
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def spine_profile() -> pd.DataFrame:
    """Three spine rows: higher worse, higher better, and a score with no interval."""
    return pd.DataFrame({
        "indicator": ["a", "b", "c"],
        "title": ["Worse-high", "Better-high", "Score"],
        "value": [60.0, 60.0, 25.0],
        "lower": [55.0, 55.0, np.nan],
        "upper": [65.0, 65.0, np.nan],
        "benchmark": [40.0, 40.0, 30.0],
        "authority": [50.0, 50.0, 35.0],
        "min": [10.0, 10.0, 20.0],
        "q25": [30.0, 30.0, 25.0],
        "q75": [50.0, 50.0, 35.0],
        "max": [70.0, 70.0, 40.0],
        "significance": ["worse", "better", "not compared"],
        "polarity": ["higher_is_worse", "higher_is_better", "higher_is_worse"],
        "unit": ["%", "%", "score"],
    })


def compared(frame: pd.DataFrame, indicator: Indicator, level: float) -> pd.DataFrame:
    """``frame`` with each ward's outcome against ``level``, as equity.views computes it."""
    return frame.assign(benchmark_outcome=views.benchmark_outcomes(frame, indicator, level))


def ranked(frame: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """``frame`` with its wards' ranks, as equity.views computes them."""
    return views.ranked(frame, indicator.polarity)


HOVER_FIELD = re.compile(r"%\{customdata\[(\d+)\](?::,\.(\d)f)?\}")


def hover_text(template: str, row) -> str:
    """``template`` filled in from one point's ``customdata`` ``row``, as plotly fills it.

    Only what the app's templates use: ``%{customdata[i]}`` and ``%{customdata[i]:,.Nf}``
    (d3's fixed-point format with thousands separators, as Python's ``,.Nf``).
    """
    def field(match: re.Match) -> str:
        value = row[int(match.group(1))]
        return str(value) if match.group(2) is None else f"{value:,.{match.group(2)}f}"
    return HOVER_FIELD.sub(field, template)
