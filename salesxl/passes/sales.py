"""The sales pass: the one definition of which order lines count and with what sign.

Every pass that speaks of sales (grades, performance, commission, targets,
composition, pricing, receivables, routes, card checks, the daily reports)
takes `SalesLines` instead of reading Orders itself, so "net sales" is the
same number on every sheet. The rule:

- A cancelled line never counts; a line without an order date is left out.
- A line is a return when its type is "return" or its quantity or amount is
  negative, however the office writes returns; a return counts -|amount|,
  every other line +|amount| (`net`). A return on its own invoice number is
  a credit note (see money/invoices.py); it is a return here all the same.
- A blank amount counts 0. IDs are compared as stripped text ("" when blank;
  the reader strips every text cell).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue
from salesxl.passes.common import to_dates, to_numbers
from salesxl.passes.planning.sales import read_ids
from salesxl.registry import register_pass

#: Columns of `SalesLines.lines`: the order line's own columns (IDs as text, dates as Timestamps) plus
#: `is_return` and the signed `net`.
COLUMNS = [ROW, "date", "line_id", "order_id", "customer_id", "salesperson_id", "product_id", "product_name", "product_line",
           "quantity", "unit_price", "amount", "is_return", "net", "status", "invoice_no", "invoice_date", "due_date"]
_ID_COLUMNS = ("line_id", "order_id", "customer_id", "salesperson_id", "product_id", "product_line", "invoice_no")
_DATES = ("date", "invoice_date", "due_date")


@dataclass(frozen=True)
class SalesLines:
    """The order lines that count, in sheet order (COLUMNS)."""

    lines: pd.DataFrame

    def between(self, start: dt.date | pd.Timestamp | None, end: dt.date | pd.Timestamp) -> pd.DataFrame:
        """Lines dated after `start` (exclusive; None: from the first) up to `end` (inclusive)."""
        dates = self.lines["date"]
        inside = dates <= pd.Timestamp(end)
        if start is not None:
            inside &= dates > pd.Timestamp(start)
        return self.lines[inside]

    def net_by(self, key: str, start: dt.date | pd.Timestamp | None, end: dt.date | pd.Timestamp) -> pd.Series:
        """Net sales per `key` (e.g. customer_id) for (start, end]."""
        return self.between(start, end).groupby(key)["net"].sum()


@register_pass("sales")
def sales(book: Book) -> tuple[SalesLines, list[Issue]]:
    """The order lines that count, signed by the one return rule (the validation pass reports bad cells)."""
    return sales_lines(book), []


def sales_lines(book: Book) -> SalesLines:
    orders = book.frame("orders")
    amount = to_numbers(orders["amount"])
    quantity = to_numbers(orders["quantity"])
    is_return = ((orders["type"].astype(object) == "return").to_numpy() | (quantity < 0).to_numpy()
                 | (amount < 0).to_numpy())
    size = amount.abs().fillna(0.0).to_numpy()
    frame = pd.DataFrame({
        ROW: orders[ROW].to_numpy(),
        **{key: to_dates(orders[key]).dt.normalize().to_numpy() for key in _DATES},
        **{key: read_ids(orders[key]) for key in _ID_COLUMNS},
        "product_name": orders["product_name"].astype(object).to_numpy(),
        "quantity": quantity.to_numpy(), "unit_price": to_numbers(orders["unit_price"]).to_numpy(),
        "amount": size, "is_return": is_return, "net": np.where(is_return, -size, size),
        "status": orders["status"].astype(object).to_numpy(),
    })
    frame = frame[COLUMNS]
    for key in _DATES:
        frame[key] = pd.to_datetime(frame[key])
    keep = (frame["status"] != "cancelled").to_numpy() & frame["date"].notna().to_numpy()
    return SalesLines(frame[keep].reset_index(drop=True))
