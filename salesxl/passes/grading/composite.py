"""Composite grade A/B/C/D: five component scores (0-100) weighted into one score.

Every component is non-decreasing in what makes a customer better (more
sales, more growth, paying on time, buying often and recently, a stronger
card), so the grade is monotone by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.passes.common import to_numbers

COMPONENTS = ("volume", "growth", "payment", "rfm", "potential")
NEUTRAL = 50.0  # score of a component with nothing to judge by (no invoices, a blank card field)
_LEVELS = {"high": 100.0, "medium": 50.0, "low": 0.0, "strong": 100.0, "weak": 0.0,
           "positive": 100.0, "neutral": 50.0, "negative": 0.0}

#: Key (主力) / ordinary (一般) / scattered (零散) by ABC class (rows) and composite grade (columns).
#: Customers without sales in the window (new, dormant, prospect) are scattered.
TIERS: dict[str, dict[str, str]] = {
    "A": {"A": "key", "B": "key", "C": "ordinary", "D": "ordinary"},
    "B": {"A": "key", "B": "ordinary", "C": "ordinary", "D": "scattered"},
    "C": {"A": "ordinary", "B": "ordinary", "C": "scattered", "D": "scattered"},
}
#: Tier code -> (zh label, en label).
TIER_LABELS: dict[str, tuple[str, str]] = {"key": ("主力", "Key"), "ordinary": ("一般", "Ordinary"),
                                           "scattered": ("零散", "Scattered")}


@dataclass(frozen=True)
class GradeParams:
    weights: dict[str, float]
    cut_offs: tuple[float, float, float]  # weighted score needed for A, B, C
    growth_cap: float
    late_days_cap: float
    rfm_min_buyers: int


def percentile(values: pd.Series) -> pd.Series:
    """Share of the values at or below each value (ties share the higher rank), times 100."""
    return values.rank(method="max", pct=True) * 100.0


def volume_scores(net_sales: pd.Series) -> pd.Series:
    """Percentile of net sales among customers with positive net sales; 0 for the others."""
    buyers = net_sales[net_sales > 0]
    return percentile(buyers).reindex(net_sales.index).fillna(0.0)


def growth_scores(net_sales: pd.Series, prev_sales: pd.Series, cap: float) -> pd.Series:
    """50 for flat sales, 100 at +cap growth or more, 0 at -cap or less; new sales count as +cap."""
    now = net_sales.clip(lower=0).to_numpy(dtype=float)
    before = prev_sales.clip(lower=0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(before > 0, now / np.where(before > 0, before, 1) - 1, np.where(now > 0, cap, -cap))
    growth = np.clip(growth, -cap, cap)
    return pd.Series(50.0 + 50.0 * growth / cap, index=net_sales.index)


def payment_scores(avg_days_late: pd.Series, late_share: pd.Series, days_cap: float) -> pd.Series:
    """Half for the share of invoices paid on time, half for few average days late; no invoices: neutral."""
    on_time = 50.0 * (1.0 - late_share)
    days = 50.0 * (1.0 - avg_days_late / days_cap).clip(lower=0.0)
    return (on_time + days).fillna(NEUTRAL)


def rfm_buckets(buyers: int, min_buyers: int) -> int:
    """Quintiles, or quartiles when there are too few buyers for five groups."""
    return 5 if buyers >= min_buyers else 4


def rfm_scores(last_sale: pd.Series, orders: pd.Series, as_of: pd.Timestamp, buckets: int) -> pd.Series:
    """Recency and frequency bucket (1..buckets, 0 without purchases) averaged and scaled to 0-100."""
    days = (as_of - last_sale).dt.days
    recency = _bucket(-days[last_sale.notna()], buckets).reindex(last_sale.index).fillna(0)
    frequency = _bucket(orders[orders > 0], buckets).reindex(orders.index).fillna(0)
    return 100.0 * (recency + frequency) / (2 * buckets)


def _bucket(values: pd.Series, buckets: int) -> pd.Series:
    return np.ceil(values.rank(method="max", pct=True) * buckets - 1e-9).clip(1, buckets)


def potential_scores(cards: pd.DataFrame) -> pd.Series:
    """Mean of growth potential, sales capacity, cooperation attitude and annual revenue percentile."""
    parts = [cards[key].map(lambda v: _LEVELS.get(v, NEUTRAL)).astype(float)
             for key in ("growth_potential", "sales_capacity", "cooperation_attitude")]
    revenue = to_numbers(cards["annual_revenue"])
    parts.append(percentile(revenue[revenue > 0]).reindex(cards.index).fillna(NEUTRAL))
    return sum(parts) / len(parts)


def weighted_scores(scores: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    total = sum(weights.values())
    return sum(scores[name] * weight for name, weight in weights.items()) / total


def grade_letters(score: pd.Series, cut_offs: tuple[float, float, float]) -> pd.Series:
    a, b, c = cut_offs
    rounded = score.round(6)
    return pd.Series(np.where(rounded >= a, "A", np.where(rounded >= b, "B", np.where(rounded >= c, "C", "D"))),
                     index=score.index, dtype=object)


def tiers(abc: pd.Series, grade: pd.Series) -> pd.Series:
    return pd.Series([TIERS.get(cls, {}).get(g, "scattered") for cls, g in zip(abc, grade)], index=abc.index, dtype=object)
