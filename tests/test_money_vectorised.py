"""The money passes at office size: the whole-column rewrites settle, price and sign exactly as the plain rules do,
and their Python work does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from salesxl.passes.commission import price_all
from salesxl.passes.money.allocation import Credit, Debt, allocate, allocate_fifo, names_ahead
from salesxl.passes.money.settlement import LINE_KEY, fingerprint, fingerprints
from salesxl.passes.planning.rounding import apportion, apportion_many, round_to_total, round_to_totals
from salesxl.passes.receivables import receivables
from salesxl.pipeline import run_passes
from salesxl.registry import PASSES, call, inputs, load_all, producers, requirements
from salesxl.schema import Settings
from tests.books import make_book
from tests.test_receivables import card, ledgers as receivable_ledgers, run as run_receivables

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


def office(invoices: int, *, customers: int = 10, named: bool = False, **settings):
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
                     settings={"as_of_date": dt.date(2026, 12, 31), **settings})


def extra_calls_per_row(name: str, small: int = 10, large: int = 60, **settings) -> float:
    """How many more calls pass `name` makes (its inputs made beforehand) per extra order line, from `small` to
    `large` invoices per customer."""
    load_all()
    found = inputs(PASSES[name].run, name, producers(PASSES), Settings)
    calls = []
    for size in (small, small, large):  # the first run pays for imports and caches, not per row
        book = office(size, **settings)
        results = run_passes(book, requirements(found)[0])
        calls.append(python_calls(lambda: call(PASSES[name].run, found, book, results)))
    return (calls[2] - calls[1]) / (10 * (large - small))


def test_order_lines_are_signed_and_their_ids_read_without_a_call_per_line():
    """The sales pass reads 600 order lines with the calls it needs for 100 (the reader strips IDs already)."""
    assert extra_calls_per_row("sales") < 0.5


def test_receivables_settle_first_in_first_out_without_a_call_per_invoice():
    """Customers whose payments name no invoice settle in whole columns: no Python work per invoice or payment."""
    assert extra_calls_per_row("receivables") < 0.5


# -- rounding many wholes at once ----------------------------------------------------------------------------------

@st.composite
def wholes(draw):
    """Groups of signed quotas over one denominator each, and totals near (or at) their rounded sums."""
    groups = draw(st.lists(st.tuples(st.lists(st.integers(-10_000, 10_000), max_size=6),
                                     st.integers(1, 1_000), st.integers(-3, 3)), max_size=5))
    return groups


@hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wholes(), st.booleans())
def test_rounding_many_wholes_at_once_gives_what_round_to_total_gives_each(groups, huge):
    """Reference: `round_to_total` per whole (also past int64, where the whole-column path hands over to it)."""
    scale = 10 ** 17 if huge else 1
    group = [g for g, (nums, _, _) in enumerate(groups) for _ in nums]
    numerators = np.array([n * scale for nums, _, _ in groups for n in nums], dtype=object if huge else "int64")
    denominators = np.array([d for _, d, _ in groups], dtype="int64")
    totals = [round(Fraction(sum(nums) * scale, d)) + shift if nums else 0 for nums, d, shift in groups]
    parts = round_to_totals(np.array(group, dtype="int64"), numerators, denominators, np.array(totals, dtype=object))
    expected = [p for (nums, d, _), total in zip(groups, totals)
                for p in round_to_total(total, [Fraction(n * scale, d) for n in nums])]
    assert [int(p) for p in parts] == expected
    for g, total in enumerate(totals):
        assert sum(int(p) for p, owner in zip(parts, group) if owner == g) == total


# -- commission ------------------------------------------------------------------------------------------------------

def test_commission_prices_and_fingerprints_statements_without_a_call_per_line():
    """Statements, their lines' shares and fingerprints come in whole columns: no Python work per order line."""
    assert extra_calls_per_row("commission") < 0.5


def test_cash_commission_splits_payments_over_invoice_lines_without_a_call_per_payment():
    """On the cash basis every payment is shared over its invoice's salespeople and product lines in whole columns."""
    assert extra_calls_per_row("commission", commission_basis="cash") < 0.5


def plain_fingerprint(lines: pd.DataFrame) -> str:
    """The fingerprint as first defined: sha256 of the repr of the sorted (text x 4, cents) tuples, 20 hex digits."""
    keys = sorted((str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]))
                  for r in lines[LINE_KEY].astype(object).to_numpy().tolist())
    return hashlib.sha256(repr(keys).encode("utf-8")).hexdigest()[:20]


_text = st.text(alphabet=st.sampled_from(["A", "a", "1", "'", '"', "\\", "é", "客", " ", "\n", "_"]), max_size=3)
_line = st.fixed_dictionaries({"who": st.sampled_from(["S1", "S2"]), "month": st.sampled_from(["2026-01", "2026-02"]),
                               "reference": _text, "payment_id": _text, "customer_id": _text, "product_line": _text,
                               "basis_cents": st.integers(-10**6, 10**6)})


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, max_size=12))
def test_fingerprints_of_all_statements_at_once_equal_each_statements_own(rows):
    """Settled statements keep their recorded fingerprints: the one-sort version hashes exactly what the plain
    per-statement definition hashed (quotes, backslashes, CJK and newlines included)."""
    frame = pd.DataFrame(rows, columns=["who", "month", *LINE_KEY])
    expected = {key: plain_fingerprint(part) for key, part in frame.groupby(["who", "month"])}
    assert fingerprints(frame, ["who", "month"]) == expected
    assert fingerprint(frame) == plain_fingerprint(frame)


def plain_price(lines: pd.DataFrame, rate: Decimal) -> tuple[int, list[int]]:
    """The pricing rule line by line: per multiplier, sum(basis) x rate x multiplier rounded half up once, shared
    by largest remainder over the lines' exact amounts."""
    parts, total = [0] * len(lines), 0
    bases, multipliers = lines["basis_cents"].tolist(), lines["multiplier"].tolist()
    for multiplier in sorted(set(multipliers)):
        at = [i for i, m in enumerate(multipliers) if m == multiplier]
        cents = int((Decimal(sum(bases[i] for i in at)) * rate * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        total += cents
        factor = Fraction(rate) * Fraction(multiplier)
        for i, share in zip(at, round_to_total(cents, [bases[i] * factor for i in at])):
            parts[i] = share
    return total, parts


_multiplier = st.sampled_from([Decimal("1"), Decimal("1.2"), Decimal("1.20"), Decimal("0.85"), Decimal("0.375")])
_rate = st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("0.025"), Decimal("0.0375")])


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-10**7, 10**9), _multiplier), max_size=15),
       st.lists(_rate, min_size=4, max_size=4), st.booleans())
def test_pricing_all_statements_at_once_equals_pricing_each_plainly(lines, rates, huge):
    """Each statement's total and every line's share as the plain rule gives them; the shares add up exactly."""
    scale = 10 ** 9 if huge else 1  # cents still int64, their sums and exact shares not: the exact path takes over
    frame = pd.DataFrame({"statement": [s for s, _, _ in lines], "basis_cents": [b * scale for _, b, _ in lines],
                          "multiplier": pd.Series([m for _, _, m in lines], dtype=object)})
    totals, shares = price_all(frame["statement"].to_numpy(), frame, rates)
    for whole, rate in enumerate(rates):
        part = frame[frame["statement"] == whole]
        total, parts = plain_price(part, rate)
        assert totals[whole] == total
        assert [int(s) for s in shares[(frame["statement"] == whole).to_numpy()]] == parts
        assert sum(parts) == total


# -- receivables: the pass against the rule, customer by customer ---------------------------------------------------

@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(receivable_ledgers())
def test_receivables_settle_every_customer_as_allocate_does_whether_payments_name_invoices_or_not(ledger):
    """Reference: `allocate` on each customer's invoices and credits (credit notes and payments up to the as-of
    date, by date, credit notes first, then ID; a named invoice of theirs first). Customers that name invoices and
    customers that do not are settled by different code: both must give what the rule gives."""
    orders, payments, by_order = ledger
    result, _ = run_receivables([card("C1"), card("C2"), card("C3")], orders, payments,
                                as_of_date=dt.date(2026, 12, 31), orders_are_invoices=by_order)
    bills = result.invoices
    for customer in ("C1", "C2", "C3"):
        mine = bills[bills["customer_id"] == customer]
        owed = mine[mine["amount"] > 0]
        numbers = {r.invoice: (r.invoice, r.kind) for r in owed.itertuples()}  # an invoice outranks an order
        notes = [(r.invoice_date, 0, r.invoice, ("credit_note", r.invoice), -round(r.amount * 100), None)
                 for r in mine[mine["amount"] < 0].itertuples()]
        paid_in = [(pd.Timestamp(p["date"]), 1, p["payment_id"], ("payment", p["payment_id"]),
                    round(p["amount"] * 100), numbers.get(p["invoice_no"]))
                   for p in payments if p["customer_id"] == customer and round(p["amount"] * 100) > 0]
        credits = sorted(notes + paid_in, key=lambda c: c[:3])
        settled = allocate([Debt((r.invoice, r.kind), round(r.amount * 100), r.due_date) for r in owed.itertuples()],
                           [Credit(c[2], c[0], c[4], c[5]) for c in credits])
        expected = [(*credits[a.credit][3], *a.number, a.cents) for a in settled.allocations]
        got = result.allocations[result.allocations["customer_id"] == customer]
        assert list(zip(got["source"], got["ref"], got["invoice"], got["kind"], got["cents"])) == expected
        assert {(r.invoice, r.kind): round(r.open * 100) for r in owed.itertuples()} == settled.open


@st.composite
def named_ledgers(draw):
    """Customers whose debts are all positive, and credits that may each name one of their customer's debts."""
    customers = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        debts = draw(st.lists(st.integers(1, 500), max_size=6))
        credits = [(c, draw(st.sampled_from([-1, *range(len(debts))])))
                   for c in draw(st.lists(st.integers(1, 500), max_size=6))]
        customers.append((debts, credits))
    return customers


@hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(named_ledgers())
def test_a_name_changes_nothing_unless_it_reaches_ahead_of_the_queue(ledger):
    """Where `names_ahead` finds no name ahead of the queue, first in first out for all customers at once settles
    each exactly as `allocate` with the names does; and a customer with a name ahead does settle otherwise."""
    debt_group = np.array([g for g, (debts, _) in enumerate(ledger) for _ in debts], dtype="int64")
    credit_group = np.array([g for g, (_, credits) in enumerate(ledger) for _ in credits], dtype="int64")
    debt_cents = np.array([c for debts, _ in ledger for c in debts], dtype="int64")
    credit_cents = np.array([c for _, credits in ledger for c, _ in credits], dtype="int64")
    starts = np.cumsum([0] + [len(debts) for debts, _ in ledger])
    named = np.array([starts[g] + n if n >= 0 else -1 for g, (_, credits) in enumerate(ledger) for _, n in credits],
                     dtype="int64")
    ahead = names_ahead(debt_group, debt_cents, credit_group, credit_cents, named)
    flows = allocate_fifo(debt_group, debt_cents, credit_group, credit_cents)
    first_credit = 0
    for g, (debts, credits) in enumerate(ledger):
        settled = allocate([Debt(starts[g] + i, c, i) for i, c in enumerate(debts)],
                           [Credit(str(k), None, c, None if n < 0 else starts[g] + n) for k, (c, n) in enumerate(credits)])
        mine = (flows.credit >= first_credit) & (flows.credit < first_credit + len(credits))
        rows = [(a.credit + first_credit, a.number, a.cents) for a in settled.allocations]
        fifo_rows = list(zip(flows.credit[mine].tolist(), flows.debt[mine].tolist(), flows.cents[mine].tolist()))
        if ahead[first_credit:first_credit + len(credits)].any():
            assert fifo_rows != rows
        else:
            assert fifo_rows == rows
        first_credit += len(credits)


@hyp_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.lists(st.integers(0, 50), max_size=6)), max_size=5))
def test_apportioning_many_wholes_at_once_gives_what_apportion_gives_each(wholes):
    """Reference: `apportion` per whole (all-zero weights split equally; ties to the larger weight, then earlier)."""
    wholes = [(total if weights else 0, weights) for total, weights in wholes]
    group = np.array([g for g, (_, weights) in enumerate(wholes) for _ in weights], dtype="int64")
    parts = apportion_many(group, np.array([t for t, _ in wholes], dtype="int64"),
                           np.array([w for _, weights in wholes for w in weights], dtype="int64"))
    assert parts.tolist() == [p for total, weights in wholes for p in apportion(total, weights)]
