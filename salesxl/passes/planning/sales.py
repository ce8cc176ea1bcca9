"""Net sales and collections per salesperson: what plans are based on and measured against."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.passes.common import to_dates, to_numbers

NET_COLUMNS = ["date", "order_id", "customer_id", "salesperson_id", "product_line", "net"]


def net_sales(book: Book) -> pd.DataFrame:
    """One row per dated order line: `net` is the amount, negative for a return; cancelled lines are left out.

    A line is a return when its type is "return" or its quantity is negative.
    """
    orders = book.frame("orders")
    if orders.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else object) for c in NET_COLUMNS})
    amount = to_numbers(orders["amount"]).fillna(0.0).abs()
    quantity = to_numbers(orders["quantity"])
    is_return = (orders["type"].astype(object) == "return").to_numpy() | (quantity < 0).to_numpy()
    frame = pd.DataFrame({
        "date": to_dates(orders["date"]).dt.normalize(),
        "order_id": ids(orders["order_id"]),
        "customer_id": ids(orders["customer_id"]),
        "salesperson_id": ids(orders["salesperson_id"]),
        "product_line": ids(orders["product_line"]),
        "net": np.where(is_return, -amount, amount),
    })
    keep = (orders["status"].astype(object) != "cancelled").to_numpy() & frame["date"].notna().to_numpy()
    return frame[keep].reset_index(drop=True)


def ids(series: pd.Series) -> pd.Series:
    """IDs as stripped text ("" when blank), so they compare equal across tables.

    Text columns (the usual case) strip each distinct value once: a column of order lines holds few IDs."""
    values = series.astype(object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(values)
        stripped = np.array([u.strip() for u in uniques] + [""], dtype=object)  # code -1 (blank) picks ""
        return pd.Series(stripped[codes], index=series.index, name=series.name)
    return values.map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())


def collections(book: Book) -> pd.DataFrame:
    """Payments (date, salesperson_id, customer_id, amount); the salesperson is the payment's own, else the card owner's."""
    payments = book.frame("payments")
    cards = book.frame("customers")
    owner = dict(zip(ids(cards["customer_id"]), ids(cards["salesperson_id"])))
    customer = ids(payments["customer_id"])
    return pd.DataFrame({
        "date": to_dates(payments["date"]).dt.normalize(),
        "salesperson_id": [sp or owner.get(c, "") for sp, c in zip(ids(payments["salesperson_id"]), customer)],
        "customer_id": customer,
        "amount": to_numbers(payments["amount"]).fillna(0.0),
    })
