"""Net sales per customer over trailing 12-month windows, and Pareto (ABC) classes.

Net sales are the `net` of the sales pass (salesxl/passes/sales.py: sale
lines minus returns, cancelled lines left out). The current window is
(as_of - 12 months, as_of]; the previous one is the 12 months before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.passes.common import to_dates

#: Classes of customers without net sales in the current window.
IDLE_CLASSES = ("new", "dormant", "prospect")
ABC_CLASSES = ("A", "B", "C", *IDLE_CLASSES)
#: Class code -> (zh label, en label).
ABC_LABELS: dict[str, tuple[str, str]] = {
    "A": ("A", "A"), "B": ("B", "B"), "C": ("C", "C"),
    "new": ("新客户", "New"), "dormant": ("休眠", "Dormant"), "prospect": ("潜在", "Prospect"),
}
_EPS = 1e-9  # cumulative shares are compared with this tolerance for float noise


@dataclass(frozen=True)
class Windows:
    as_of: pd.Timestamp
    start: pd.Timestamp  # the current window is (start, as_of]
    previous_start: pd.Timestamp  # the previous window is (previous_start, start]

    @classmethod
    def ending(cls, as_of: dt.date) -> "Windows":
        end = pd.Timestamp(as_of)
        start = end - pd.DateOffset(months=12)
        return cls(end, start, start - pd.DateOffset(months=12))


def customer_sales(lines: pd.DataFrame, customers: pd.Index, windows: Windows) -> pd.DataFrame:
    """Per customer: net sales now and in the previous window, last sale date, orders in the window.

    `lines` are the sales pass's lines (SalesLines.lines).
    """
    dated = lines[lines["date"] <= windows.as_of]
    current = dated["date"] > windows.start
    previous = (dated["date"] > windows.previous_start) & ~current
    sales = dated[~dated["is_return"] & (dated["net"] > 0)]
    in_window = sales[sales["date"] > windows.start]
    # each column reindexed explicitly: a frame with no customers would otherwise take the orders' IDs
    return pd.DataFrame({
        "net_sales": dated[current].groupby("customer_id")["net"].sum().reindex(customers).fillna(0.0).round(2),
        "prev_sales": dated[previous].groupby("customer_id")["net"].sum().reindex(customers).fillna(0.0).round(2),
        "last_sale": sales.groupby("customer_id")["date"].max().reindex(customers),
        "orders": in_window.groupby("customer_id")["order_id"].nunique().reindex(customers).fillna(0).astype(int),
    }, index=customers)


def abc_classes(net_sales: pd.Series, a_share: float, b_share: float) -> pd.Series:
    """A/B/C for customers with positive net sales (others NaN).

    Sorted by net sales descending, ties by customer ID ascending. A customer
    is A while the share of the customers before it is below `a_share`, so the
    one whose sales cross the cut-off is still A; likewise B up to `b_share`.
    """
    buyers = net_sales[net_sales > 0]
    order = pd.DataFrame({"id": buyers.index.astype(str), "net": buyers.to_numpy()}, index=buyers.index)
    order = order.sort_values(["net", "id"], ascending=[False, True], kind="mergesort")
    before = (order["net"].cumsum() - order["net"]) / order["net"].sum() if len(order) else order["net"]
    classes = np.where(before < a_share - _EPS, "A", np.where(before < b_share - _EPS, "B", "C"))
    return pd.Series(classes, index=order.index, dtype=object).reindex(net_sales.index)


def idle_classes(cards: pd.DataFrame, bought: pd.Series, as_of: dt.date, new_days: int) -> pd.Series:
    """new / dormant / prospect for customers without sales in the window, in that precedence.

    new: card created or first trade within `new_days`; dormant: bought before;
    prospect: never bought.
    """
    since = pd.Timestamp(as_of) - pd.Timedelta(days=new_days)
    end = pd.Timestamp(as_of)
    created = to_dates(cards["created"])
    first = to_dates(cards["first_trade"])
    recent = ((created > since) & (created <= end)) | ((first > since) & (first <= end))
    return pd.Series(np.where(recent, "new", np.where(bought.to_numpy(), "dormant", "prospect")),
                     index=cards.index, dtype=object)
