"""The money passes at office size: the whole-column rewrites settle, price and sign exactly as the plain rules do,
and their Python work does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import numpy as np
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from salesxl.passes.money.allocation import Credit, Debt, allocate, allocate_fifo
from salesxl.passes.receivables import receivables
from salesxl.pipeline import run_passes
from tests.books import make_book

_cents = st.integers(min_value=0, max_value=5_000)


@st.composite
def ledgers(draw):
    """Customers, each with debts in queue order and credits in settling order (zero cents included)."""
    return [(draw(st.lists(_cents, max_size=6)), draw(st.lists(_cents, max_size=6)))
            for _ in range(draw(st.integers(min_value=0, max_value=5)))]


@hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_fifo_for_many_customers_at_once_settles_each_exactly_as_allocate(ledger):
    """Reference: `allocate` per customer. Same allocations in the same order, open, unused and clearing credit;
    every cent of every credit is either allocated once or unused."""
    debt_group = [g for g, (debts, _) in enumerate(ledger) for _ in debts]
    credit_group = [g for g, (_, credits) in enumerate(ledger) for _ in credits]
    debt_cents = [c for debts, _ in ledger for c in debts]
    credit_cents = [c for _, credits in ledger for c in credits]
    flows = allocate_fifo(np.array(debt_group), np.array(debt_cents), np.array(credit_group), np.array(credit_cents))
    expected_rows, expected_open, expected_unused, expected_cleared = [], [], [], []
    first_debt = first_credit = 0
    for debts, credits in ledger:
        settled = allocate([Debt(first_debt + i, c, 0) for i, c in enumerate(debts)],
                           [Credit(str(k), None, c) for k, c in enumerate(credits)])
        expected_rows += [(first_credit + a.credit, a.number, a.cents) for a in settled.allocations]
        expected_open += [settled.open[first_debt + i] for i in range(len(debts))]
        expected_unused += list(settled.unused)
        expected_cleared += [first_credit + settled.cleared[first_debt + i] if first_debt + i in settled.cleared
                             else -1 for i in range(len(debts))]
        first_debt, first_credit = first_debt + len(debts), first_credit + len(credits)
    assert list(zip(flows.credit.tolist(), flows.debt.tolist(), flows.cents.tolist())) == expected_rows
    assert flows.open.tolist() == expected_open
    assert flows.unused.tolist() == expected_unused
    assert flows.cleared.tolist() == expected_cleared
    assert int(flows.cents.sum()) + int(flows.unused.sum()) == sum(credit_cents)
    assert int(flows.cents.sum()) + int(flows.open.sum()) == sum(debt_cents)


# -- Python work per row -----------------------------------------------------------------------------------------

def python_calls(run) -> int:
    """Python and builtin function calls made while `run()` runs: a count, unlike a time, is the same on every
    machine, and a pass that loops row by row in Python makes more of them for every row."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def office(invoices: int, *, customers: int = 10, named: bool = False):
    """`customers` customers with `invoices` invoices each, every one of them part paid by a payment of its own."""
    cards = [{"customer_id": f"C{c}", "name": f"客户{c}", "status": "active", "region": "天河区", "salesperson_id": "S1",
              "payment_terms": "credit", "payment_days": 30} for c in range(customers)]
    orders, payments = [], []
    for c, i in itertools.product(range(customers), range(invoices)):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i % 5)  # the same dates and buckets at any size
        orders.append({"line_id": f"L{c}-{i}", "order_id": f"O{c}-{i}", "date": day, "customer_id": f"C{c}",
                       "salesperson_id": "S1", "product_id": "P1", "product_line": f"线{i % 3}", "quantity": 1.0,
                       "unit_price": 100.0 + i, "amount": 100.0 + i, "type": "sale", "status": "invoiced",
                       "invoice_no": f"F{c}-{i}", "invoice_date": day})
        payments.append({"payment_id": f"P{c}-{i}", "date": day + dt.timedelta(days=20), "customer_id": f"C{c}",
                         "amount": 80.0, "invoice_no": f"F{c}-{i}" if named else None})
    return make_book({"customers": cards, "orders": orders, "payments": payments,
                      "salespeople": [{"salesperson_id": "S1", "name": "张三", "region": "天河区"}]},
                     settings={"as_of_date": dt.date(2026, 12, 31)})


def extra_calls_per_row(measure, small: int = 10, large: int = 60) -> float:
    """How many more calls `measure(office)` makes per extra order line, from `small` to `large` invoices each."""
    few, many = office(small), office(large)
    measure(few)  # imports and caches of a first run are not per row
    return (python_calls(lambda: measure(many)) - python_calls(lambda: measure(few))) / (10 * (large - small))


def test_order_lines_are_signed_and_their_ids_read_without_a_call_per_line():
    """The sales pass reads 600 order lines with the calls it needs for 100 (the reader strips IDs already)."""
    assert extra_calls_per_row(lambda book: run_passes(book, ["sales"])) < 0.5


def test_receivables_settle_first_in_first_out_without_a_call_per_invoice():
    """Customers whose payments name no invoice settle in whole columns: no Python work per invoice or payment."""
    solds = {}

    def settle(book):
        return receivables(book, solds.setdefault(id(book), run_passes(book, ["sales"])["sales"]))

    assert extra_calls_per_row(settle) < 0.5
