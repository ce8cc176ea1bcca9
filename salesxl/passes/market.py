"""Market information: what the salespeople report, competitor prices against ours, and who reports enough.

The rule book asks for market information collected regularly and reported
to the company (定期报备), and for market crises to be foreseen.

- Window: the WEEKS ISO weeks up to the as-of date (counts per week, region
  and type; urgent items and promotions seen).
- Price index: a competitor price report divided by our list price for the
  same product line and unit (the median over the price list's general rows,
  customer type blank or all, valid on the report's date), per report; per
  product line and unit the number of reports and the index's min, median
  and max over the last 12 months. A report with no such list price is
  counted as not comparable.
- Compliance: each active salesperson's reports per month against
  `market_reports_per_month`: the last full month falls short or not, and the
  month so far is on pace when it has at least that many reports times the
  share of the month's working days gone by (rounded down).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.passes.common import as_of_date, to_dates, to_numbers
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.planning.calendar import month_end, working_days
from salesxl.passes.planning.sales import ids
from salesxl.registry import register_pass

WEEKS = 12
PRICE = "competitor_price"
PROMOTION = "competitor_promotion"


@dataclass
class MarketResult:
    as_of: dt.date
    weeks: list[str]  # the window's ISO weeks, oldest first ("2026-W41")
    reports: pd.DataFrame  # every dated report up to the as-of date, newest first; in_window, week, index
    prices: pd.DataFrame  # per product_line, unit: reports, comparable, our_price, index_min/median/max
    compliance: pd.DataFrame  # per salesperson: last_month, this_month, pace, short, behind, flagged
    required: int  # reports a month per salesperson
    last_month: str  # "YYYY-MM", the last full month
    this_month: str  # the as-of date's month
    names: dict[str, str]

    @property
    def window(self) -> pd.DataFrame:
        return self.reports[self.reports["in_window"]]

    def by_week(self) -> pd.DataFrame:
        """Reports per week of the window (every week listed), urgent ones and price reports."""
        frame = self.window.assign(is_urgent=lambda f: f["urgent"], is_price=lambda f: f["type"] == PRICE)
        grouped = frame.groupby("week").agg(reports=("report_id", "size"), urgent=("is_urgent", "sum"),
                                            prices=("is_price", "sum"))
        return grouped.reindex(self.weeks, fill_value=0).rename_axis("week").reset_index()

    def by_region_type(self) -> pd.DataFrame:
        """Reports of the window per region (rows) and type (columns)."""
        return pd.crosstab(self.window["region"], self.window["type"])


@register_pass("market")
def market(book: Book) -> tuple[MarketResult, list[Issue]]:
    as_of = as_of_date(book)
    reports = report_frame(book, as_of)
    last_monday = as_of - dt.timedelta(days=as_of.weekday())
    first = last_monday - dt.timedelta(weeks=WEEKS - 1)
    weeks = [_week(first + dt.timedelta(weeks=n)) for n in range(WEEKS)]
    reports["in_window"] = (reports["date"] >= pd.Timestamp(first)).astype(bool)
    ours = price_ranges(list_prices(book))
    reports["our_price"] = [our_price(ours, line, unit, day) if kind == PRICE else math.nan for line, unit, day, kind
                            in zip(reports["product_line"].tolist(), reports["unit"].tolist(), reports["date"].tolist(),
                                   reports["type"].tolist())]
    reports["index"] = [p / o if o and p == p else math.nan for p, o in zip(reports["observed_price"], reports["our_price"])]
    year = reports[(reports["type"] == PRICE) & (reports["date"] > pd.Timestamp(as_of) - pd.DateOffset(years=1))]
    required = book.settings.reports.market_reports_per_month
    last_month = (as_of.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    result = MarketResult(as_of, weeks, reports, price_index(year), compliance(book, reports, as_of, required),
                          required, last_month, as_of.strftime("%Y-%m"), salesperson_names(book))
    return result, []


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def report_frame(book: Book, as_of: dt.date) -> pd.DataFrame:
    """Dated reports up to the as-of date, urgent first then newest first."""
    data = book.frame("market")
    date = to_dates(data["date"]).dt.normalize()
    frame = pd.DataFrame({
        "report_id": ids(data["report_id"]), "date": date, "salesperson_id": ids(data["salesperson_id"]),
        "region": ids(data["region"]), "customer_id": ids(data["customer_id"]), "type": ids(data["type"]),
        "competitor": ids(data["competitor"]), "product_line": ids(data["product_line"]), "unit": ids(data["unit"]),
        "observed_price": to_numbers(data["observed_price"]), "source": data["source"].astype(object),
        "note": data["note"].astype(object), "urgent": data["urgent"].astype("boolean").fillna(False).astype(bool),
        "row": data["_row"],
    })
    frame = frame[date.notna().to_numpy() & (frame["date"] <= pd.Timestamp(as_of)).to_numpy()].copy()
    frame["week"] = [_week(d.date()) for d in frame["date"]]
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["cell"] = [book.cell("market", int(row), "note") for row in frame["row"]]
    frame = frame.sort_values(["urgent", "date", "row"], ascending=[False, False, True], kind="mergesort")
    return frame.reset_index(drop=True)


def list_prices(book: Book) -> pd.DataFrame:
    """Our general list prices (customer type blank or all) with their product line, unit and validity."""
    frame = book.frame("price_list")
    kind = ids(frame["customer_type"]).replace("", "all")
    prices = pd.DataFrame({
        "product_line": ids(frame["product_line"]), "unit": ids(frame["unit"]), "list_price": to_numbers(frame["list_price"]),
        "valid_from": to_dates(frame["valid_from"]).dt.normalize(), "valid_to": to_dates(frame["valid_to"]).dt.normalize(),
    })
    return prices[(kind == "all").to_numpy() & (prices["list_price"] > 0).to_numpy() & (prices["product_line"] != "").to_numpy()]


Ranges = dict[tuple[str, str], list[tuple[pd.Timestamp, pd.Timestamp, float]]]


def price_ranges(prices: pd.DataFrame) -> Ranges:
    """(product line, unit) -> (valid from, valid to, list price), a blank bound open."""
    ranges: Ranges = {}
    for line, unit, low, high, price in zip(prices["product_line"], prices["unit"], prices["valid_from"],
                                            prices["valid_to"], prices["list_price"]):
        ranges.setdefault((line, unit), []).append((low, high, float(price)))
    return ranges


def our_price(ranges: Ranges, line: str, unit: str, day: pd.Timestamp) -> float:
    """The median list price of a product line and unit valid on `day` (NaN when there is none)."""
    valid = [price for low, high, price in ranges.get((line, unit), ())
             if (pd.isna(low) or low <= day) and (pd.isna(high) or high >= day)]
    return float(np.median(valid)) if valid else math.nan


def price_index(reports: pd.DataFrame) -> pd.DataFrame:
    """Per product line and unit: price reports, comparable ones, our median price and the index's spread."""
    columns = ["product_line", "unit", "reports", "comparable", "competitors", "our_price", "index_min",
               "index_median", "index_max"]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    grouped = reports.groupby(["product_line", "unit"], sort=True).agg(
        reports=("report_id", "size"), comparable=("index", "count"),
        competitors=("competitor", lambda c: len({x for x in c if x})), our_price=("our_price", "median"),
        index_min=("index", "min"), index_median=("index", "median"), index_max=("index", "max")).reset_index()
    return grouped[columns]


def compliance(book: Book, reports: pd.DataFrame, as_of: dt.date, required: int) -> pd.DataFrame:
    """Reports last full month and this month so far per active salesperson, with the pace and the flags."""
    people = book.frame("salespeople")
    active = people["active"].astype("boolean").fillna(True).astype(bool).to_numpy()
    roster = [p for p in dict.fromkeys(ids(people["salesperson_id"])[active]) if p]
    start = as_of.replace(day=1)
    previous = (start - dt.timedelta(days=1)).strftime("%Y-%m")
    gone, total = working_days(start, as_of), working_days(start, month_end(as_of.year, as_of.month))
    pace = math.floor(required * gone / total) if total else 0
    counts = reports.groupby(["salesperson_id", "month"]).size()
    rows = []
    for person in roster:
        last, now = int(counts.get((person, previous), 0)), int(counts.get((person, start.strftime("%Y-%m")), 0))
        rows.append([person, last, now, pace, last < required, now < pace])
    frame = pd.DataFrame(rows, columns=["salesperson_id", "last_month", "this_month", "pace", "short", "behind"])
    frame["flagged"] = frame["short"] | frame["behind"]
    return frame
