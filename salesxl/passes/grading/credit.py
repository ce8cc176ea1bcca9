"""Payment behaviour from invoices and payments (first-in-first-out), credit flags and suggested limits.

`payment_behaviour` is the one place that knows how receivables are settled;
grading reads only its per-customer columns.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from salesxl.passes.common import blank_mask, to_dates, to_numbers
from salesxl.passes.grading.abc import Windows

CENT = 0.005
BEHAVIOUR_COLUMNS = ("open_receivable", "max_days_overdue", "avg_days_late", "late_share")
FLAGS = ("over_limit", "overdue", "past_problems")


def invoices(lines: pd.DataFrame, payment_days: pd.Series) -> pd.DataFrame:
    """One row per (customer, invoice no.): signed total, invoice date and due date.

    A missing invoice date is the order date; a missing due date is the invoice
    date plus the card's payment days.
    """
    billed = lines[~blank_mask(lines["invoice_no"])].copy()
    billed["invoice_no"] = billed["invoice_no"].astype(str).str.strip()
    billed["invoice_date"] = billed["invoice_date"].fillna(billed["date"])
    grouped = billed.groupby(["customer_id", "invoice_no"], sort=True).agg(
        amount=("amount", "sum"), invoice_date=("invoice_date", "min"), due_date=("due_date", "min")).reset_index()
    days = grouped["customer_id"].map(payment_days).fillna(0).astype(float)
    grouped["due_date"] = grouped["due_date"].fillna(grouped["invoice_date"] + pd.to_timedelta(days, unit="D"))
    return grouped


def payment_behaviour(lines: pd.DataFrame, payments: pd.DataFrame, cards: pd.DataFrame, windows: Windows) -> pd.DataFrame:
    """Per customer: open receivable, worst days overdue, average days late and share paid late.

    Payments naming an invoice settle it first; the rest settle the oldest
    invoices first. A credit note (negative invoice) counts as a payment on its
    date. Invoices scored for behaviour: those issued in the current window
    that are paid or past due, and every invoice still open and past due.
    """
    as_of = windows.as_of
    bills = invoices(lines[lines["date"] <= as_of], to_numbers(cards["payment_days"]))
    bills = bills[bills["invoice_date"] <= as_of]
    credits = _credits(payments, bills, as_of)
    debts = bills[bills["amount"] > 0].sort_values(["customer_id", "invoice_date", "due_date", "invoice_no"], kind="mergesort")
    by_customer: dict[str, list[tuple]] = defaultdict(list)
    for row in debts.itertuples(index=False):
        by_customer[row.customer_id].append((row.invoice_no, float(row.amount), row.invoice_date, row.due_date))
    rows = {customer: _settle(by_customer.get(customer, []), credits.get(customer, []), windows) for customer in cards.index}
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(BEHAVIOUR_COLUMNS)).reindex(cards.index)


def _credits(payments: pd.DataFrame, bills: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, list[tuple]]:
    """(date, amount, invoice no. or None) per customer in settling order: by date, then payment ID."""
    frame = pd.DataFrame({
        "customer_id": payments["customer_id"].astype(object),
        "date": to_dates(payments["date"]),
        "amount": to_numbers(payments["amount"]),
        "invoice_no": payments["invoice_no"].astype(object),
        "payment_id": payments["payment_id"].astype(object),
    })
    frame = frame[~blank_mask(frame["customer_id"]) & (frame["date"] <= as_of) & (frame["amount"] > 0)]
    credits: dict[str, list[tuple]] = defaultdict(list)
    notes = bills[bills["amount"] < 0]
    for row in notes.itertuples(index=False):
        credits[row.customer_id].append((row.invoice_date, "", -row.amount, None))
    for row in frame.itertuples(index=False):
        named = None if row.invoice_no is None or pd.isna(row.invoice_no) else str(row.invoice_no).strip() or None
        credits[str(row.customer_id).strip()].append((row.date, str(row.payment_id), row.amount, named))
    return {k: [(d, a, n) for d, _, a, n in sorted(v, key=lambda c: (c[0], c[1]))] for k, v in credits.items()}


def _settle(debts: list[tuple], credits: list[tuple], windows: Windows) -> tuple:
    """Apply credits to (invoice no., amount, invoice date, due date) oldest first; return the behaviour row."""
    as_of = windows.as_of
    balance = {number: amount for number, amount, _, _ in debts}
    order = list(balance)
    paid_on: dict[str, pd.Timestamp] = {}
    for date, amount, named in credits:
        for number in ([named] if named in balance else []) + order:
            if amount <= CENT:
                break
            if balance[number] <= CENT:
                continue
            used = min(amount, balance[number])
            balance[number] -= used
            amount -= used
            if balance[number] <= CENT:
                paid_on[number] = date
    late_days = []
    worst = 0
    for number, _, issued, due in debts:
        if number in paid_on:
            if issued > windows.start:
                late_days.append(max(0, (paid_on[number] - due).days))
        elif due < as_of:
            worst = max(worst, (as_of - due).days)
            late_days.append((as_of - due).days)
    open_amount = round(sum(b for b in balance.values() if b > CENT), 2)
    if not late_days:
        return open_amount, worst, np.nan, np.nan
    late = np.array(late_days, dtype=float)
    return open_amount, worst, float(late.mean()), float((late > 0).mean())


def open_orders(lines: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    """Amount ordered but not yet invoiced, per customer (cancelled lines are already gone)."""
    pending = lines[(lines["date"] <= as_of) & blank_mask(lines["invoice_no"])
                    & ~lines["status"].eq("invoiced").fillna(False).astype(bool)]
    return pending.groupby("customer_id")["amount"].sum()


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
