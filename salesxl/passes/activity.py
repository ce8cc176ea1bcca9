"""The activity pass: figures of the daily report and the weekly report.

Daily (the report date: Settings report_date, else the last working day with data): per
salesperson the visits made, new customer cards, visits with high or medium
intent, orders and their net amount, collections, inquiries received and how
fast they were quoted (median minutes, share quoted within the limit of
Settings inquiry_reply_minutes; an unquoted inquiry is not within it). Urgent
visits not followed up, up to the report date, are listed apart.

Weekly (the ISO week, Monday to Sunday, holding the report date): intent
customers with their latest visit and next step; key customers with open
matters (urgent visits not followed up, a next visit date that has passed with
no visit since); each salesperson's net sales against the week's target.
Key customers are those the grade pass puts in the key tier (主力); when it
puts nobody there, the customers with the highest net sales over the
trailing 12 months (Settings key_customers_top).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.passes.common import report_date, to_dates
from salesxl.passes.planning.calendar import iso_week_bounds
from salesxl.passes.grade import GradeResult
from salesxl.passes.planning.sales import collections, ids
from salesxl.passes.sales import SalesLines
from salesxl.passes.targets import TargetPlan
from salesxl.registry import register_pass

INTENT_LEVELS = ("high", "medium")
DAILY_COLUMNS = ["salesperson_id", "name", "visits", "new_cards", "intent_visits", "orders", "order_amount",
                 "collected", "inquiries", "quoted", "median_minutes", "within_limit"]
URGENT_COLUMNS = ["date", "salesperson_id", "name", "customer_id", "customer_name", "urgent_type", "result",
                  "next_step", "days_open", "row"]
VISIT_COLUMNS = ["last_visit", "intent_level", "result", "next_step", "next_date"]
INTENT_COLUMNS = ["salesperson_id", "name", "customer_id", "customer_name", *VISIT_COLUMNS]
KEY_COLUMNS = ["customer_id", "customer_name", "salesperson_id", "name", "sales_12m", "last_visit", "next_date",
               "overdue", "urgent_open"]
WEEK_COLUMNS = ["salesperson_id", "name", "target", "actual", "achievement", "visits", "orders"]


@dataclass
class Activity:
    date: dt.date
    week_start: dt.date
    week_end: dt.date
    reply_minutes: int
    daily: pd.DataFrame  # DAILY_COLUMNS, one row per salesperson
    urgent: pd.DataFrame  # URGENT_COLUMNS, oldest first
    intent: pd.DataFrame  # INTENT_COLUMNS
    key_customers: pd.DataFrame  # KEY_COLUMNS
    key_basis: str  # "grade" or "sales"
    week: pd.DataFrame  # WEEK_COLUMNS, one row per salesperson


@register_pass("activity")
def activity(book: Book, sold: SalesLines, plan: TargetPlan, graded: GradeResult) -> tuple[Activity, list[Issue]]:
    """The day's and the week's work, measured against the plan; key customers from the grades."""
    day = report_date(book)
    monday, sunday = iso_week_bounds(day)
    limit = book.settings.reports.inquiry_reply_minutes
    sales, visits = sold.lines, _visits(book)
    names = _names(book)
    cards = book.frame("customers")
    customer_names = dict(zip(ids(cards["customer_id"]), cards["name"].astype(object)))
    keys, basis = _key_customers(book, graded, sales, day)
    result = Activity(
        day, monday, sunday, limit,
        _daily(book, sales, visits, names, day, limit),
        _urgent(visits, names, customer_names, day),
        _intent(cards, visits, names, sunday),
        _key_table(keys, cards, sales, visits, names, day),
        basis,
        _week(book, plan, sales, visits, names, day, monday, sunday),
    )
    return result, []


def _names(book: Book) -> dict[str, str]:
    people = book.frame("salespeople")
    return {sp: ("" if pd.isna(n) else str(n)) for sp, n in zip(ids(people["salesperson_id"]), people["name"]) if sp}


def _visits(book: Book) -> pd.DataFrame:
    frame = book.frame("visits")
    return pd.DataFrame({
        "date": to_dates(frame["date"]).dt.normalize(),
        "salesperson_id": ids(frame["salesperson_id"]),
        "customer_id": ids(frame["customer_id"]),
        "intent_level": frame["intent_level"].astype(object),
        "result": frame["result"].astype(object),
        "next_step": frame["next_step"].astype(object),
        "next_date": to_dates(frame["next_date"]),
        "urgent": _flag(frame["urgent"]),
        "followed_up": _flag(frame["followed_up"]),
        "urgent_type": frame["urgent_type"].astype(object),
        "row": frame["_row"],
    }).dropna(subset=["date"])


def _flag(series: pd.Series) -> pd.Series:
    """True where the cell is true; blank counts as false."""
    return series.astype("boolean").fillna(False).astype(bool)


def _between(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    return frame[(frame["date"] >= pd.Timestamp(start)) & (frame["date"] <= pd.Timestamp(end))]


def _roster(book: Book, *busy: pd.Series) -> list[str]:
    """Active salespeople in sheet order, then anyone else with figures in the given ID columns."""
    people = book.frame("salespeople")
    active = [sp for sp, flag in zip(ids(people["salesperson_id"]), people["active"].astype(object))
              if sp and flag is not False]
    listed = set(active)
    found = {sp for series in busy for sp in series if sp and sp not in listed}
    return list(dict.fromkeys(active)) + sorted(found)


def _daily(book: Book, sales: pd.DataFrame, visits: pd.DataFrame, names: dict[str, str], day: dt.date,
           limit: int) -> pd.DataFrame:
    stamp = pd.Timestamp(day)
    seen = visits[visits["date"] == stamp]
    sold = sales[sales["date"] == stamp]
    paid = collections(book)
    paid = paid[paid["date"] == stamp]
    cards = book.frame("customers")
    created = ids(cards.loc[to_dates(cards["created"]).dt.normalize() == stamp, "salesperson_id"])
    asked = _inquiries(book, day)
    roster = _roster(book, seen["salesperson_id"], sold["salesperson_id"], paid["salesperson_id"],
                     asked["salesperson_id"], created)
    orders = sold[sold["net"] > 0].groupby("salesperson_id")["order_id"].nunique()
    rows = []
    for sp in roster:
        mine = asked[asked["salesperson_id"] == sp]
        minutes = mine["minutes"].dropna()
        rows.append([
            sp, names.get(sp, ""),
            int((seen["salesperson_id"] == sp).sum()),
            int((created == sp).sum()),
            int(((seen["salesperson_id"] == sp) & seen["intent_level"].isin(INTENT_LEVELS)).sum()),
            int(orders.get(sp, 0)),
            float(sold.loc[sold["salesperson_id"] == sp, "net"].sum()),
            float(paid.loc[paid["salesperson_id"] == sp, "amount"].sum()),
            len(mine), len(minutes),
            float(minutes.median()) if len(minutes) else None,
            float((minutes <= limit).sum() / len(mine)) if len(mine) else None,
        ])
    return pd.DataFrame(rows, columns=DAILY_COLUMNS)


def _inquiries(book: Book, day: dt.date) -> pd.DataFrame:
    """Inquiries received on `day` with the minutes until they were quoted (None when not quoted)."""
    frame = book.frame("inquiries")
    received, quoted = to_dates(frame["received_at"]), to_dates(frame["quoted_at"])
    minutes = (quoted - received).dt.total_seconds() / 60
    today = (received.dt.normalize() == pd.Timestamp(day)).to_numpy()
    return pd.DataFrame({"salesperson_id": ids(frame["salesperson_id"]), "minutes": minutes})[today]


def _urgent(visits: pd.DataFrame, names: dict[str, str], customers: dict[str, Any], day: dt.date) -> pd.DataFrame:
    open_ = visits[visits["urgent"] & ~visits["followed_up"] & (visits["date"] <= pd.Timestamp(day))]
    open_ = open_.sort_values(["date", "row"])
    rows = [[d.date(), sp, names.get(sp, ""), c, customers.get(c), kind, result, step, (day - d.date()).days, row]
            for d, sp, c, kind, result, step, row in zip(open_["date"], open_["salesperson_id"], open_["customer_id"],
                                                         open_["urgent_type"], open_["result"], open_["next_step"],
                                                         open_["row"])]
    return pd.DataFrame(rows, columns=URGENT_COLUMNS)


def _latest_visits(visits: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """Each customer's latest visit up to `until` (the later row wins on the same date)."""
    upto = visits[visits["date"] <= pd.Timestamp(until)].sort_values(["date", "row"])
    return upto.drop_duplicates("customer_id", keep="last").set_index("customer_id")


def _visit_fields(latest: pd.DataFrame, customer: str) -> list[Any]:
    if customer not in latest.index:
        return [None] * len(VISIT_COLUMNS)
    visit = latest.loc[customer]
    next_date = visit["next_date"]
    return [visit["date"].date(), visit["intent_level"], visit["result"], visit["next_step"],
            None if pd.isna(next_date) else next_date.date()]


def _intent(cards: pd.DataFrame, visits: pd.DataFrame, names: dict[str, str], until: dt.date) -> pd.DataFrame:
    intent = cards[cards["status"].astype(object) == "intent"]
    latest = _latest_visits(visits, until)
    rows = [[sp, names.get(sp, ""), c, name, *_visit_fields(latest, c)]
            for sp, c, name in zip(ids(intent["salesperson_id"]), ids(intent["customer_id"]), intent["name"])]
    rows.sort(key=lambda r: (r[0], r[4] is None, -(r[4].toordinal() if r[4] else 0), r[2]))
    return pd.DataFrame(rows, columns=INTENT_COLUMNS)


def _key_customers(book: Book, grades: GradeResult, sales: pd.DataFrame, day: dt.date) -> tuple[list[str], str]:
    """The grade pass's key tier; when it holds nobody, the top sellers of the trailing 12 months."""
    graded = grade_keys(grades)
    if graded:
        return graded, "grade"
    totals = trailing_sales(sales, day)
    totals = totals[totals > 0].sort_index().sort_values(ascending=False, kind="stable")
    return totals.index[: book.settings.reports.key_customers_top].tolist(), "sales"


def trailing_sales(sales: pd.DataFrame, day: dt.date) -> pd.Series:
    """Net sales per customer over the 365 days ending on `day`."""
    return _between(sales, day - dt.timedelta(days=364), day).groupby("customer_id")["net"].sum()


def grade_keys(grades: GradeResult) -> list[str]:
    """The customers the grade pass put in the key tier (主力), best first."""
    frame = grades.customers
    return frame.loc[(frame["tier"].astype(object) == "key").to_numpy(), "customer_id"].tolist()


def _key_table(keys: list[str], cards: pd.DataFrame, sales: pd.DataFrame, visits: pd.DataFrame,
               names: dict[str, str], day: dt.date) -> pd.DataFrame:
    card_ids = ids(cards["customer_id"])
    owner = dict(zip(card_ids, ids(cards["salesperson_id"])))
    titles = dict(zip(card_ids, cards["name"].astype(object)))
    totals = trailing_sales(sales, day)
    latest = _latest_visits(visits, day)
    open_urgent = visits[visits["urgent"] & ~visits["followed_up"] & (visits["date"] <= pd.Timestamp(day))]
    urgent = open_urgent.groupby("customer_id").size()
    rows = []
    for customer in keys:
        sp = owner.get(customer, "")
        last_visit, _, _, _, next_date = _visit_fields(latest, customer)
        rows.append([customer, titles.get(customer), sp, names.get(sp, ""), float(totals.get(customer, 0.0)),
                     last_visit, next_date, next_date is not None and next_date < day, int(urgent.get(customer, 0))])
    return pd.DataFrame(rows, columns=KEY_COLUMNS)


def _week(book: Book, plan: TargetPlan, sales: pd.DataFrame, visits: pd.DataFrame, names: dict[str, str], day: dt.date,
          monday: dt.date, sunday: dt.date) -> pd.DataFrame:
    sold, seen = _between(sales, monday, sunday), _between(visits, monday, sunday)
    targets = plan.week_rows(day).groupby("salesperson_id")["amount"].sum()
    roster = _roster(book, pd.Series(targets.index, dtype=object), sold["salesperson_id"], seen["salesperson_id"])
    orders = sold[sold["net"] > 0].groupby("salesperson_id")["order_id"].nunique()
    rows = []
    for sp in roster:
        target = int(targets.get(sp, 0))
        actual = float(sold.loc[sold["salesperson_id"] == sp, "net"].sum())
        rows.append([sp, names.get(sp, ""), target, actual, actual / target if target else None,
                     int((seen["salesperson_id"] == sp).sum()), int(orders.get(sp, 0))])
    return pd.DataFrame(rows, columns=WEEK_COLUMNS)
