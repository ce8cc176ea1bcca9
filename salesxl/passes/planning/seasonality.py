"""The seasonality index: each month's share of a year's sales.

From history: the last (up to three) full years of net sales before the plan
year, each month's share of its year averaged over those years. A year is
full when the order history covers it from January to December. Without such
a year the shares follow the working days of the plan year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from salesxl.passes.planning.calendar import month_working_days

HISTORY_YEARS = 3


@dataclass(frozen=True)
class Seasonality:
    shares: tuple[float, ...]  # 12 non-negative numbers summing to 1
    basis: str  # "history", "manual" or "working_days"
    years: tuple[int, ...] = ()  # the history years used

    def quarter_shares(self) -> list[float]:
        return [sum(self.shares[q * 3:q * 3 + 3]) for q in range(4)]


def full_years(sales: pd.DataFrame, plan_year: int) -> list[int]:
    """The last full years of history before `plan_year`, newest first (at most three)."""
    if sales.empty:
        return []
    first, last = sales["date"].min().date(), sales["date"].max().date()
    years = [y for y in range(plan_year - 1, first.year - 1, -1)
             if first <= dt.date(y, 1, 31) and last >= dt.date(y, 12, 1)]
    return years[:HISTORY_YEARS]


def seasonality(sales: pd.DataFrame, plan_year: int, manual: Sequence[float] | None = None) -> Seasonality:
    """The plan year's monthly shares: the manual index, else history, else working days."""
    if manual is not None:
        return Seasonality(_normalised(manual), "manual")
    used, shares = [], [0.0] * 12
    for year in full_years(sales, plan_year):
        rows = sales[sales["date"].dt.year == year]
        by_month = rows.groupby(rows["date"].dt.month)["net"].sum().reindex(range(1, 13), fill_value=0.0).clip(lower=0)
        if by_month.sum() > 0:
            used.append(year)
            total = float(by_month.sum())
            shares = [s + float(v) / total for s, v in zip(shares, by_month.tolist())]
    if used:
        return Seasonality(_normalised(shares), "history", tuple(used))
    return Seasonality(_normalised([float(d) for d in month_working_days(plan_year)]), "working_days")


def _normalised(values: list[float]) -> tuple[float, ...]:
    total = sum(values)
    return tuple(v / total for v in values)
