"""Contract statistics, contracts about to end, and how fast inquiries get a quotation.

The rule book asks for statistics of the contracts signed and for every
inquiry to be answered with a quotation within half an hour (Settings
inquiry_reply_minutes).

- Signed: contracts of the as-of year signed up to the as-of date; drafts are
  not signed and are left out. A contract's salesperson is its own, else the
  customer card's.
- Ending: contracts (not draft, not terminated) whose end date falls within
  the next 90 days after the as-of date, in buckets of 30/60/90 days, unless
  the customer has another such contract that ends later (already renewed).
- Inquiries: those received in the as-of year up to the as-of date; reply
  time = quoted_at - received_at in minutes; the share in time counts an
  unanswered inquiry as not in time. Unanswered inquiries of any date are
  listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_dates, to_numbers
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.planning.sales import ids
from salesxl.registry import register_pass

INQUIRY_QUOTED_EARLY = define(
    "INQUIRY_QUOTED_EARLY", "warning",
    "询价 {inquiry} 的报价时间早于询价时间（{received}），无法计算响应时间。",
    "Inquiry {inquiry} was quoted before it was received ({received}); its reply time cannot be measured.",
    title_zh="报价早于询价", title_en="Quoted before received")

HORIZONS = (30, 60, 90)
NOT_RUNNING = ("draft", "terminated")


@dataclass
class ContractResult:
    as_of: dt.date
    reply_minutes: int
    signed: pd.DataFrame  # contract_id, customer_id, customer_name, salesperson_id, channel, signed_date, month, amount
    ending: pd.DataFrame  # contract_id, customer_id, customer_name, salesperson_id, end_date, days_left, within, amount, row, cell
    inquiries: pd.DataFrame  # the year's inquiries: salesperson_id, received_at, quoted_at, minutes, in_time
    unanswered: pd.DataFrame  # inquiry_id, customer_id, customer_name, salesperson_id, received_at, age_days, product_id, result, cell
    names: dict[str, str]

    @property
    def year(self) -> int:
        return self.as_of.year

    def signed_by(self, key: str) -> pd.DataFrame:
        """Count and amount of signed contracts per value of `key` (month, salesperson_id or channel)."""
        if key == "month":
            grouped = self.signed.groupby("month").agg(contracts=("contract_id", "size"), amount=("amount", "sum"))
            return grouped.reindex(range(1, 13), fill_value=0).rename_axis("month").reset_index()
        return self.signed.groupby(key, sort=True).agg(contracts=("contract_id", "size"),
                                                       amount=("amount", "sum")).reset_index()

    def reply_by_salesperson(self) -> pd.DataFrame:
        """Inquiries, quoted, quoted in time, share in time, median and longest reply in minutes."""
        frame = self.inquiries.assign(quoted=self.inquiries["minutes"].notna())
        grouped = frame.groupby("salesperson_id", sort=True).agg(
            inquiries=("received_at", "size"), quoted=("quoted", "sum"), in_time=("in_time", "sum"),
            median_minutes=("minutes", "median"), max_minutes=("minutes", "max")).reset_index()
        grouped["share"] = grouped["in_time"] / grouped["inquiries"]
        return grouped


@register_pass("contracts")
def contracts(book: Book) -> tuple[ContractResult, list[Issue]]:
    as_of = as_of_date(book)
    cards = book.frame("customers")
    card_ids = ids(cards["customer_id"]).tolist()  # a list: iterating a text Series costs a pandas call per value
    owners = dict(zip(card_ids, ids(cards["salesperson_id"]).tolist()))
    customers = dict(zip(card_ids, cards["name"].astype(object).tolist()))
    channels = dict(zip(card_ids, ids(cards["channel_type"]).tolist()))
    frame = _contract_frame(book, owners, customers)
    signed = frame[(frame["status"] != "draft") & (frame["signed_date"].dt.year == as_of.year)
                   & (frame["signed_date"] <= pd.Timestamp(as_of))].copy()
    signed["month"] = signed["signed_date"].dt.month
    signed["channel"] = signed["customer_id"].map(channels).fillna("")
    ending = _ending(book, frame, as_of)
    minutes = book.settings.reports.inquiry_reply_minutes
    inquiries, unanswered, issues = _inquiries(book, as_of, minutes, owners, customers)
    result = ContractResult(as_of, minutes, signed.reset_index(drop=True), ending, inquiries, unanswered,
                            salesperson_names(book))
    return result, issues


def _contract_frame(book: Book, owners: dict[str, str], customers: dict[str, Any]) -> pd.DataFrame:
    data = book.frame("contracts")
    customer = ids(data["customer_id"])
    own = ids(data["salesperson_id"])
    frame = pd.DataFrame({
        "contract_id": ids(data["contract_id"]), "customer_id": customer, "customer_name": customer.map(customers),
        "salesperson_id": [sp or owners.get(c, "") for sp, c in zip(own.tolist(), customer.tolist())],
        "signed_date": to_dates(data["signed_date"]).dt.normalize(), "end_date": to_dates(data["end_date"]).dt.normalize(),
        "amount": to_numbers(data["amount"]).fillna(0.0), "status": ids(data["status"]), "row": data["_row"],
    })
    return frame


def _ending(book: Book, frame: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    running = frame[~frame["status"].isin(NOT_RUNNING) & frame["end_date"].notna()]
    latest_end = running.groupby("customer_id")["end_date"].transform("max")
    today = pd.Timestamp(as_of)
    days_left = (running["end_date"] - today).dt.days
    soon = running[(days_left > 0) & (days_left <= HORIZONS[-1]) & (running["end_date"] >= latest_end)].copy()
    soon["days_left"] = (soon["end_date"] - today).dt.days
    soon["within"] = [next(h for h in HORIZONS if d <= h) for d in soon["days_left"]]
    soon["cell"] = [book.cell("contracts", int(row), "end_date") for row in soon["row"]]
    soon = soon.sort_values(["end_date", "row"], kind="mergesort")
    return soon[["contract_id", "customer_id", "customer_name", "salesperson_id", "end_date", "days_left", "within",
                 "amount", "row", "cell"]].reset_index(drop=True)


def _inquiries(book: Book, as_of: dt.date, limit: int, owners: dict[str, str],
               customers: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    data = book.frame("inquiries")
    received, quoted = to_dates(data["received_at"]), to_dates(data["quoted_at"])
    customer = ids(data["customer_id"])
    frame = pd.DataFrame({
        "inquiry_id": ids(data["inquiry_id"]), "customer_id": customer, "customer_name": customer.map(customers),
        "salesperson_id": [sp or owners.get(c, "") for sp, c in zip(ids(data["salesperson_id"]).tolist(), customer.tolist())],
        "received_at": received, "quoted_at": quoted, "minutes": (quoted - received).dt.total_seconds() / 60,
        "product_id": ids(data["product_id"]), "result": ids(data["result"]), "row": data["_row"],
    })
    early = frame[frame["minutes"] < 0]
    issues = [book.issue_at(INQUIRY_QUOTED_EARLY, "inquiries", int(row), "quoted_at", value=q.to_pydatetime(),
                            inquiry=inquiry or f"#{row}", received=r.strftime("%Y-%m-%d %H:%M"))
              for inquiry, row, q, r in zip(early["inquiry_id"], early["row"], early["quoted_at"], early["received_at"])]
    frame.loc[frame["minutes"] < 0, "minutes"] = np.nan
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    known = frame[received.notna().to_numpy() & (frame["received_at"] < end)]
    year = known[(known["received_at"].dt.year == as_of.year)].copy()
    year["in_time"] = (year["minutes"] <= limit).fillna(False).astype(bool)
    open_ = known[known["quoted_at"].isna()].copy()
    open_["age_days"] = (pd.Timestamp(as_of) - open_["received_at"].dt.normalize()).dt.days
    open_["cell"] = [book.cell("inquiries", int(row), "quoted_at") for row in open_["row"]]
    open_ = open_.sort_values(["received_at", "row"], kind="mergesort")
    return (year.reset_index(drop=True),
            open_[["inquiry_id", "customer_id", "customer_name", "salesperson_id", "received_at", "age_days",
                   "product_id", "result", "row", "cell"]].reset_index(drop=True),
            issues)
