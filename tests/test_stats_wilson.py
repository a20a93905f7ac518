"""wilson_interval against the formula worked independently and published values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from equity.stats import wilson_interval

Z = 1.959963984540054  # the 97.5th percentile of the standard normal


def wilson_by_hand(x: float, n: float, z: float = Z) -> tuple[float, float]:
    """Wilson (1927) score interval, written out term by term."""
    p = x / n
    denominator = 1 + z * z / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / denominator, (centre + spread) / denominator


def test_wilson_81_of_263_matches_published_interval():
    lower, upper = wilson_interval(81, 263)
    # 81/263 = 30.8%; 95% Wilson interval 25.5% to 36.6%
    assert float(lower) == pytest.approx(0.2553, abs=5e-5)
    assert float(upper) == pytest.approx(0.3662, abs=5e-5)


@pytest.mark.parametrize("x, n", [(81, 263), (1, 2), (3, 1000), (999, 1000), (5, 7),
                                  (12345, 67890), (0.5, 3.2)])
def test_wilson_matches_formula(x, n):
    lower, upper = wilson_interval(x, n)
    expected = wilson_by_hand(x, n)
    assert float(lower) == pytest.approx(expected[0], rel=1e-12)
    assert float(upper) == pytest.approx(expected[1], rel=1e-12)


def test_wilson_zero_successes_textbook_value():
    lower, upper = wilson_interval(0, 10)
    assert float(lower) == 0.0
    # upper bound for 0/n is z^2 / (n + z^2) = 0.2775 for n = 10
    assert float(upper) == pytest.approx(0.2775, abs=5e-5)
    assert float(upper) == pytest.approx(Z**2 / (10 + Z**2), rel=1e-12)


def test_wilson_all_successes_mirrors_zero():
    lower, upper = wilson_interval(10, 10)
    assert float(upper) == pytest.approx(1.0, abs=1e-12)
    assert float(lower) == pytest.approx(1 - 0.2775, abs=5e-5)


def test_wilson_custom_z():
    lower, upper = wilson_interval(81, 263, z=2.5758293035489)  # 99%
    expected = wilson_by_hand(81, 263, 2.5758293035489)
    assert (float(lower), float(upper)) == pytest.approx(expected, rel=1e-12)
    narrow = wilson_interval(81, 263)
    assert float(lower) < float(narrow[0]) and float(upper) > float(narrow[1])


def test_wilson_is_vectorised_over_arrays_and_series():
    num = pd.Series([81, 0, 10])
    den = pd.Series([263, 10, 10])
    lower, upper = wilson_interval(num, den)
    assert isinstance(lower, np.ndarray) and lower.shape == (3,)
    assert lower[0] == pytest.approx(wilson_by_hand(81, 263)[0], rel=1e-12)
    assert upper[1] == pytest.approx(wilson_by_hand(0, 10)[1], rel=1e-12)
    assert lower[2] == pytest.approx(wilson_by_hand(10, 10)[0], rel=1e-12)


def test_wilson_nan_for_zero_denominator():
    lower, upper = wilson_interval(0, 0)
    assert np.isnan(lower) and np.isnan(upper)
    lower, upper = wilson_interval(np.array([3.0, 0.0, 5.0]), np.array([10.0, 0.0, 20.0]))
    assert np.isnan(lower[1]) and np.isnan(upper[1])
    assert np.isfinite(lower[[0, 2]]).all() and np.isfinite(upper[[0, 2]]).all()


def test_wilson_nan_for_missing_counts():
    lower, upper = wilson_interval(np.array([np.nan, 4.0]), np.array([10.0, np.nan]))
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_wilson_rejects_numerator_above_denominator():
    with pytest.raises(ValueError, match="numerator"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError):
        wilson_interval(np.array([1.0, 30.0]), np.array([10.0, 20.0]))


def test_wilson_rejects_negative_numerator():
    with pytest.raises(ValueError):
        wilson_interval(-1, 10)


def test_wilson_interval_contains_the_proportion():
    rng = np.random.default_rng(7)
    den = rng.integers(1, 5000, 500).astype(float)
    num = np.floor(rng.random(500) * (den + 1))
    lower, upper = wilson_interval(num, den)
    p = num / den
    assert (lower <= p + 1e-12).all() and (upper >= p - 1e-12).all()
    assert (lower >= 0).all() and (upper <= 1).all()
