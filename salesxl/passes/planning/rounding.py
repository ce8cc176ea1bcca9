"""Largest-remainder rounding: integer parts that add up exactly to their whole.

Every split of the sales plan (year to quarters, quarter to months, month to
weeks, a total to salespeople) goes through `apportion`, so children always
sum to their parent in the workbook's currency unit.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np

_SAFE = 2 ** 62  # int64 products below this cannot overflow


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


def round_to_totals(group: np.ndarray, numerators: np.ndarray, denominators: np.ndarray,
                    totals: np.ndarray) -> np.ndarray:
    """`round_to_total` for many wholes at once, with numpy: part i belongs to whole `group[i]` (codes 0..n-1,
    any order) and its exact quota is numerators[i] / denominators[group[i]] (denominators positive).

    The same rule, step for step: floors, then the units still missing (or in
    surplus) by largest remainder, ties by the larger weight, then the earlier
    position. Integers too large for int64 go whole by whole through
    `round_to_total`.
    """
    group = np.asarray(group, dtype="int64")
    count = len(totals)
    if not _fits(numerators, denominators, group):
        return _one_by_one(group, numerators, denominators, totals)
    numerators = np.asarray(numerators, dtype="int64")
    denominator = np.asarray(denominators, dtype="int64")[group]
    floors = numerators // denominator
    rests = numerators - floors * denominator
    left = np.asarray(totals, dtype="int64") - _sums(floors, group, count)
    sign = np.sign(left)[group]
    weights = np.where(sign > 0, rests, denominator - rests)
    return floors + sign * apportion_many(group, np.abs(left), weights)


def apportion_many(group: np.ndarray, totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`apportion` for many wholes at once, with numpy: part i of whole `group[i]` (codes 0..len(totals)-1)
    weighs `weights[i]`; totals and weights are non-negative int64 whose products stay below 2**62."""
    group, weights = np.asarray(group, dtype="int64"), np.asarray(weights, dtype="int64")
    totals = np.asarray(totals, dtype="int64")
    count = len(totals)
    whole = _sums(weights, group, count)
    weights = np.where((whole == 0)[group], 1, weights)  # every weight zero: split equally
    whole = _sums(weights, group, count)
    need = totals[group]
    parts = need * weights // whole[group]
    rest = need * weights - parts * whole[group]
    short = totals - _sums(parts, group, count)
    order = np.lexsort((np.arange(len(group)), -weights, -rest, group))
    sizes = np.bincount(group, minlength=count)
    rank = np.empty(len(group), dtype="int64")
    rank[order] = np.arange(len(group)) - (np.cumsum(sizes) - sizes)[group[order]]
    return parts + (rank < short[group])


def _fits(numerators: np.ndarray, denominators: np.ndarray, group: np.ndarray) -> bool:
    """Whether every step of `round_to_totals` stays inside int64 (each product below 2**62)."""
    if not len(group):
        return True
    top = max(abs(int(np.max(numerators))), abs(int(np.min(numerators))))
    widest = max(int(np.max(denominators)), 1)
    return top < _SAFE and widest * len(group) * (len(group) + 1) < _SAFE


def _one_by_one(group: np.ndarray, numerators: np.ndarray, denominators: np.ndarray,
                totals: np.ndarray) -> np.ndarray:
    parts = np.zeros(len(group), dtype=object)
    for whole, total in enumerate(totals):
        at = np.flatnonzero(group == whole)
        quotas = [Fraction(int(numerators[i]), int(denominators[whole])) for i in at]
        parts[at] = round_to_total(int(total), quotas)
    return parts


def _sums(values: np.ndarray, group: np.ndarray, count: int) -> np.ndarray:
    total = np.zeros(count, dtype="int64")
    np.add.at(total, group, values)
    return total


def _numerators(values: Sequence) -> tuple[list[int], int]:
    """The exact values as integers over their smallest common denominator (returned too): scaling every
    weight by the same positive number changes neither quotas nor their order."""
    if all(isinstance(v, int) for v in values):
        return [int(v) for v in values], 1
    exact = [Fraction(v) for v in values]
    denominator = math.lcm(*(f.denominator for f in exact))
    return [f.numerator * (denominator // f.denominator) for f in exact], denominator
