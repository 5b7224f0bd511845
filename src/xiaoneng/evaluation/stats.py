"""Mean scores with a 95 % confidence interval on Student's t-distribution.

The two-sided quantile is found by bisection on the exact distribution function for an integer
number of degrees of freedom (the finite series of Abramowitz and Stegun 26.7.3/26.7.4), so no
statistics package is needed and the numbers can be checked against any t table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _central_probability(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with ``df`` degrees of freedom (t ≥ 0)."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2:  # odd
        if df == 1:
            return 2 * theta / math.pi
        term, total = 1.0, 1.0
        for k in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0
    for k in range(1, (df - 2) // 2 + 1):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


def t_quantile(df: int, confidence: float = 0.95) -> float:
    """The t such that P(|T| < t) = ``confidence`` (2.776 for 4 degrees of freedom)."""
    if df < 1:
        raise ValueError("at least one degree of freedom")
    low, high = 0.0, 1000.0
    for _step in range(100):
        middle = (low + high) / 2
        if _central_probability(middle, df) < confidence:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@dataclass(frozen=True)
class MeanInterval:
    n: int
    mean: float
    low: float
    high: float


def mean_interval(values: list[int] | list[float]) -> MeanInterval | None:
    """The mean and its 95 % interval (mean ± t·s/√n); None without two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    half = t_quantile(n - 1) * math.sqrt(variance / n)
    return MeanInterval(
        n=n, mean=round(mean, 2), low=round(mean - half, 2), high=round(mean + half, 2)
    )


def score_of_mean(mean: float) -> float:
    """A mean on the 1–5 scale as a score out of 100 (1 → 0, 5 → 100)."""
    return round((mean - 1) * 25, 1)
