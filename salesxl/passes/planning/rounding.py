"""Largest-remainder rounding: integer parts that add up exactly to their whole.

Every split of the sales plan (year to quarters, quarter to months, month to
weeks, a total to salespeople) goes through `apportion`, so children always
sum to their parent in the workbook's currency unit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split the integer `total` into non-negative integers proportional to `weights`.

    Each part first gets the whole part of its exact quota (total × weight / sum
    of weights); the units left over go one each to the parts with the larger
    fractional remainder, ties broken by the larger weight, then by the earlier
    position. When every weight is zero the total is split equally (same rule).
    The arithmetic is exact (fractions), so equal inputs give equal outputs.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative total ({total})")
    if not weights:
        if total:
            raise ValueError("cannot apportion a non-zero total over no parts")
        return []
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    if sum(exact) == 0:
        exact = [Fraction(1)] * len(exact)
    whole = sum(exact)
    quotas = [total * w / whole for w in exact]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-(quotas[i] - parts[i]), -exact[i], i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def round_to_total(total: int, quotas: Sequence[Fraction]) -> list[int]:
    """Integers that add up exactly to `total`, each next to its exact (signed) quota.

    Each part starts from the whole part (floor) of its quota; the units still
    missing go by largest remainder through `apportion` (surplus units are
    taken back from the smallest remainders). When `total` is the quotas'
    sum rounded, every part is within two units of its quota (usually one).
    """
    floors = [q.numerator // q.denominator for q in quotas]
    left = total - sum(floors)
    if left == 0:
        return floors
    rests = [q - f for q, f in zip(quotas, floors)]
    weights = rests if left > 0 else [1 - r for r in rests]
    sign = 1 if left > 0 else -1
    return [f + sign * extra for f, extra in zip(floors, apportion(abs(left), weights))]
