"""The performance pass: actual net sales against the plan as of the as-of date.

For each salesperson and each period holding the as-of date (its ISO week,
month, quarter and the year), the period's full target is compared with what
was sold from the period start to the as-of date:
- achievement = actual / target; time elapsed = working days elapsed / working
  days in the period (both counted with the holiday calendar);
- gap = target - actual; run-rate forecast = actual / elapsed working days x
  working days in the period.
Periods are cut to the plan year (an ISO week may start in December). Rank 1
is the highest achievement in the period. A row with an empty salesperson ID
holds the total of all salespeople.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.passes.common import as_of_date
from salesxl.passes.planning.calendar import iso_week_bounds, month_end, working_days
from salesxl.passes.planning.sales import collections
from salesxl.passes.sales import SalesLines
from salesxl.passes.targets import TargetPlan
from salesxl.registry import register_pass

PERIODS = ("week", "month", "quarter", "year")
COLUMNS = ["period", "start", "end", "salesperson_id", "name", "region", "target", "actual", "achievement",
           "time_elapsed", "gap", "forecast", "collected", "collection_achievement", "rank"]


@dataclass
class Performance:
    as_of: dt.date
    year: int
    collections: bool  # whether collections are measured too
    table: pd.DataFrame  # COLUMNS, periods in PERIODS order, salespeople in plan order, total row last
    months: pd.DataFrame  # month, target, actual, cum_target, cum_actual (actual None after the as-of month)

    def period(self, name: str, *, totals: bool = False) -> pd.DataFrame:
        rows = self.table[self.table["period"] == name]
        return rows if totals else rows[rows["salesperson_id"] != ""]


@register_pass("performance")
def performance(book: Book, sold: SalesLines, plan: TargetPlan) -> tuple[Performance, list[Issue]]:
    as_of = min(max(as_of_date(book), dt.date(plan.year, 1, 1)), dt.date(plan.year, 12, 31))
    with_collections = book.settings.targets.performance_collections
    sales = sold.lines
    collected = collections(book) if with_collections else None
    people = _people(plan, sales, as_of)
    rows = []
    for name in PERIODS:
        start, end = period_bounds(name, as_of)
        target = _period_targets(plan, name, as_of)
        actual = _sum_between(sales, "net", start, as_of)
        paid = _sum_between(collected, "amount", start, as_of) if collected is not None else {}
        elapsed, days = working_days(start, as_of), working_days(start, end)
        block = [[name, start, end, sp, label, region, target.get(sp, 0), actual.get(sp, 0.0)]
                 for sp, label, region in people]
        block.append([name, start, end, "", "", "", sum(r[6] for r in block), sum(r[7] for r in block)])
        for row in block:
            sp = row[3]
            money = sum(paid.values()) if sp == "" else paid.get(sp, 0.0)
            row.extend(figures(row[6], row[7], elapsed, days))
            row.extend([money if with_collections else None,
                        ratio(money, row[6]) if with_collections else None])
        ranks = _ranks([r for r in block if r[3]])
        rows.extend(r + [ranks.get(r[3])] for r in block)
    table = pd.DataFrame(rows, columns=COLUMNS)
    return Performance(as_of, plan.year, with_collections, table, _cumulative(plan, sales, as_of)), []


def figures(target: float, actual: float, elapsed: int, days: int) -> list[Any]:
    """achievement, time elapsed, gap and run-rate forecast (None where a ratio has no base)."""
    forecast = actual / elapsed * days if elapsed else None
    return [ratio(actual, target), ratio(elapsed, days), target - actual, forecast]


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def period_bounds(name: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the period holding `day`, cut to its calendar year."""
    year_start, year_end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    if name == "week":
        monday, sunday = iso_week_bounds(day)
        return max(monday, year_start), min(sunday, year_end)
    if name == "month":
        return day.replace(day=1), month_end(day.year, day.month)
    if name == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return dt.date(day.year, first, 1), month_end(day.year, first + 2)
    return year_start, year_end


def _period_targets(plan: TargetPlan, name: str, day: dt.date) -> dict[str, int]:
    if name == "week":
        rows = plan.week_rows(day)
    else:
        months = plan.measured(plan.months)
        rows = {"month": months[months["month"] == day.month],
                "quarter": months[months["quarter"] == (day.month - 1) // 3 + 1],
                "year": months}[name]
    return {sp: int(v) for sp, v in rows.groupby("salesperson_id")["amount"].sum().items()}


def _sum_between(frame: pd.DataFrame, column: str, start: dt.date, end: dt.date) -> dict[str, float]:
    inside = frame[(frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))]
    return inside.groupby("salesperson_id")[column].sum().to_dict()


def _people(plan: TargetPlan, sales: pd.DataFrame, as_of: dt.date) -> list[tuple[str, str, str]]:
    """Salespeople of the plan in plan order, then anyone else who sold this year."""
    annual = plan.measured(plan.annual).drop_duplicates("salesperson_id")
    people = list(zip(annual["salesperson_id"].tolist(), annual["name"].tolist(), annual["region"].tolist()))
    planned = set(annual["salesperson_id"].tolist())
    sold = sales[(sales["date"].dt.year == as_of.year) & (sales["date"] <= pd.Timestamp(as_of))]
    people += [(sp, "", "") for sp in sorted(set(sold["salesperson_id"].tolist()) - planned) if sp]
    return people


def _ranks(rows: list[list[Any]]) -> dict[str, int]:
    """Rank 1 = highest achievement; ties by higher actual, then ID; no target ranks last."""
    ordered = sorted(rows, key=lambda r: (r[8] is None, -(r[8] or 0.0), -r[7], r[3]))
    return {r[3]: rank for rank, r in enumerate(ordered, start=1)}


def _cumulative(plan: TargetPlan, sales: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    months = plan.measured(plan.months).groupby("month")["amount"].sum().reindex(range(1, 13), fill_value=0)
    sold = sales[(sales["date"].dt.year == plan.year) & (sales["date"] <= pd.Timestamp(as_of))]
    actual = sold.groupby(sold["date"].dt.month)["net"].sum().reindex(range(1, 13), fill_value=0.0)
    frame = pd.DataFrame({"month": range(1, 13), "target": months.astype(int).to_numpy(),
                          "actual": actual.to_numpy()})
    frame["cum_target"] = frame["target"].cumsum()
    frame["cum_actual"] = frame["actual"].cumsum()
    later = frame["month"] > as_of.month
    frame["actual"] = frame["actual"].astype(object).where(~later, None)
    frame["cum_actual"] = frame["cum_actual"].astype(object).where(~later, None)
    return frame
