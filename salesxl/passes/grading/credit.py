"""Payment behaviour from invoices and payments (first-in-first-out), credit flags and suggested limits.

Payments are allocated once, by the receivables pass; `payment_behaviour`
turns its invoices into the per-customer columns grading reads.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from salesxl.passes.common import blank_mask, to_numbers
from salesxl.passes.grading.abc import Windows

CENT = 0.005
BEHAVIOUR_COLUMNS = ("open_receivable", "max_days_overdue", "avg_days_late", "late_share")
FLAGS = ("over_limit", "overdue", "past_problems")


def payment_behaviour(invoices: pd.DataFrame, customers: pd.Index, windows: Windows) -> pd.DataFrame:
    """Per customer: open receivable, worst days overdue, average days late and share paid late.

    Reads the receivables pass's invoices (payments already allocated there).
    Invoices scored for behaviour: those issued in the current window that are
    paid or past due, and every invoice still open and past due.
    """
    as_of = windows.as_of
    debts = invoices[invoices["amount"] > 0]
    open_ = debts["open"] > CENT
    past_due = open_ & (debts["due_date"] < as_of)
    paid = ~open_ & debts["paid_date"].notna() & (debts["invoice_date"] > windows.start)
    late = pd.concat([
        pd.DataFrame({"customer_id": debts.loc[paid, "customer_id"],
                      "days": (debts.loc[paid, "paid_date"] - debts.loc[paid, "due_date"]).dt.days.clip(lower=0)}),
        pd.DataFrame({"customer_id": debts.loc[past_due, "customer_id"],
                      "days": (as_of - debts.loc[past_due, "due_date"]).dt.days}),
    ])
    by_late = late.groupby("customer_id")["days"]
    frame = pd.DataFrame({
        "open_receivable": debts[open_].groupby("customer_id")["open"].sum().round(2),
        "max_days_overdue": debts[past_due].groupby("customer_id")["days_past_due"].max(),
        "avg_days_late": by_late.mean().astype(float),
        "late_share": late.assign(late=late["days"] > 0).groupby("customer_id")["late"].mean().astype(float),
    }).reindex(customers)
    frame["open_receivable"] = frame["open_receivable"].fillna(0.0)
    frame["max_days_overdue"] = frame["max_days_overdue"].fillna(0).astype(int)
    return frame[list(BEHAVIOUR_COLUMNS)]


def open_orders(lines: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Amount ordered but not yet shipped or invoiced, per customer: what receivables do not hold yet
    (cancelled lines are already gone)."""
    pending = lines[(lines["date"] <= as_of) & blank_mask(lines["invoice_no"])
                    & lines["status"].eq("open").fillna(False).astype(bool)]
    return pending.groupby("customer_id")["net"].sum()


def credit_flags(cards: pd.DataFrame, exposure: pd.Series, max_days_overdue: pd.Series, overdue_days: int) -> pd.DataFrame:
    """Over the credit limit (a blank or zero limit is no limit), overdue too long, past credit problems."""
    limit = to_numbers(cards["credit_limit"])
    problems = ~blank_mask(cards["credit_problems"]) | cards["credit_standing"].eq("poor").fillna(False).astype(bool)
    return pd.DataFrame({
        "over_limit": (limit > 0) & (exposure > limit + CENT),
        "overdue": max_days_overdue > overdue_days,
        "past_problems": problems.astype(bool),
    }, index=cards.index)


def suggested_limits(net_sales: pd.Series, payment_days: pd.Series, payment_score: pd.Series, unit: int) -> pd.Series:
    """Average monthly net sales x (payment days / 30 + 1) x (0.5 + payment score / 200), rounded half up to `unit`."""
    monthly = net_sales.clip(lower=0) / 12.0
    factor = 0.5 + payment_score / 200.0
    raw = monthly * (payment_days.fillna(0).clip(lower=0) / 30.0 + 1.0) * factor
    return (np.floor(raw / unit + 0.5 + 1e-9) * unit).astype(float)
