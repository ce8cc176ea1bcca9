"""Largest-remainder rounding in integers: the same parts whatever the scale or the number type of the weights."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings, strategies as st

from salesxl.passes.planning.rounding import apportion, round_to_total

weights = st.lists(st.integers(0, 10**6), min_size=1, max_size=25)


@settings(max_examples=150)
@given(st.integers(0, 10**7), weights, st.integers(1, 999), st.integers(1, 999))
def test_apportion_depends_only_on_the_proportions(total, ints, times, over):
    parts = apportion(total, ints)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert apportion(total, [Fraction(w * times, over) for w in ints]) == parts  # same shares, other scale
    whole = sum(ints) or len(ints)
    for part, w in zip(parts, ints if sum(ints) else [1] * len(ints)):
        assert part * whole <= total * w + whole and total * w < (part + 1) * whole  # floor or floor + 1


@settings(max_examples=150)
@given(st.lists(st.tuples(st.integers(-10**9, 10**9), st.integers(1, 10**4)), min_size=1, max_size=25),
       st.integers(-3, 3))
def test_round_to_total_adds_up_and_stays_near_each_quota(raw, shift):
    quotas = [Fraction(n, d) for n, d in raw]
    total = round(sum(quotas)) + shift
    parts = round_to_total(total, quotas)
    assert sum(parts) == total
    assert all(abs(p - q) < 1 + abs(shift) + 1 for p, q in zip(parts, quotas))
    assert round_to_total(total, [int(q) if q.denominator == 1 else q for q in quotas]) == parts
