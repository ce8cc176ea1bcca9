"""Largest-remainder rounding: integer parts that add up exactly to their whole.

Every split of the sales plan (year to quarters, quarter to months, month to
weeks, a total to salespeople) goes through `apportion`, so children always
sum to their parent in the workbook's currency unit.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split the integer `total` into non-negative integers proportional to `weights`.

    Each part first gets the whole part of its exact quota (total × weight / sum
    of weights); the units left over go one each to the parts with the larger
    fractional remainder, ties broken by the larger weight, then by the earlier
    position. When every weight is zero the total is split equally (same rule).
    The arithmetic is exact (integers over one common denominator), so equal
    inputs give equal outputs.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative total ({total})")
    if not weights:
        if total:
            raise ValueError("cannot apportion a non-zero total over no parts")
        return []
    exact, _ = _numerators(weights)
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    if sum(exact) == 0:
        exact = [1] * len(exact)
    whole = sum(exact)
    parts, rests = map(list, zip(*(divmod(total * w, whole) for w in exact)))  # quota = part + rest / whole
    left = total - sum(parts)
    order = sorted(range(len(parts)), key=lambda i: (-rests[i], -exact[i], i))
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
    if not quotas:
        return apportion(total, [])
    numerators, denominator = _numerators(quotas)
    floors = [n // denominator for n in numerators]
    left = total - sum(floors)
    if left == 0:
        return floors
    rests = [n - f * denominator for n, f in zip(numerators, floors)]  # (quota - floor) × denominator
    weights = rests if left > 0 else [denominator - r for r in rests]
    sign = 1 if left > 0 else -1
    return [f + sign * extra for f, extra in zip(floors, apportion(abs(left), weights))]


def _numerators(values: Sequence) -> tuple[list[int], int]:
    """The exact values as integers over their smallest common denominator (returned too): scaling every
    weight by the same positive number changes neither quotas nor their order."""
    if all(isinstance(v, int) for v in values):
        return [int(v) for v in values], 1
    exact = [Fraction(v) for v in values]
    denominator = math.lcm(*(f.denominator for f in exact))
    return [f.numerator * (denominator // f.denominator) for f in exact], denominator
