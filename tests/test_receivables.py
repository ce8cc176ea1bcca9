"""Receivables: FIFO settlement to the cent, ageing on both bases, dunning levels, the collection list and its sheet."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.passes.money.ageing import ACTIONS, LEVEL_NAMES, bucket_labels, dunning_level
from salesxl.passes.money.allocation import Credit, Debt, allocate
from salesxl.reports.receivables import receivables_sheet
from tests.books import make_book, run_pass
from tests.support import WORKBOOKS, needs_libreoffice

_ids = itertools.count(1)


def card(cid: str, days: int = 30, **fields) -> dict:
    return {"customer_id": cid, "name": f"客户{cid}", "status": "active", "region": "天河区", "salesperson_id": "S1",
            "payment_terms": "credit", "payment_days": days, **fields}


def sale(cid: str, amount: float, invoice: str | None, day: str, **fields) -> dict:
    n = next(_ids)
    return {"line_id": f"L{n}", "order_id": fields.pop("order_id", f"O{n}"), "date": day, "customer_id": cid,
            "salesperson_id": "S1", "product_id": "P1", "quantity": 1.0, "unit_price": abs(amount), "amount": amount,
            "type": "sale", "status": "invoiced" if invoice else "shipped", "invoice_no": invoice,
            "invoice_date": day if invoice else None, **fields}


def paid(cid: str, amount: float, day: str, invoice: str | None = None, pid: str | None = None) -> dict:
    return {"payment_id": pid or f"P{next(_ids):04d}", "date": day, "customer_id": cid, "amount": amount,
            "invoice_no": invoice}


def run(cards, orders, payments=(), **settings):
    book = make_book({"customers": cards, "orders": orders, "payments": list(payments),
                      "salespeople": [{"salesperson_id": "S1", "name": "张三", "region": "天河区"},
                                      {"salesperson_id": "S2", "name": "李四", "region": "越秀区"}]},
                     settings=settings)
    return run_pass(book, "receivables")


def cents(value: float) -> int:
    return round(value * 100)


# -- FIFO ------------------------------------------------------------------------------------------

def test_payments_settle_oldest_first_a_named_invoice_first_and_overpayment_stays_as_credit():
    orders = [sale("C1", 1000.0, "F1", "2026-01-05"), sale("C1", 500.0, "F2", "2026-02-10"),
              sale("C1", 300.0, "F3", "2026-03-01"), sale("C2", 100.0, "G1", "2026-03-01")]
    payments = [paid("C1", 600.0, "2026-02-01", pid="P1"), paid("C1", 300.0, "2026-03-05", "F3", pid="P2"),
                paid("C1", 700.0, "2026-03-20", pid="P3"), paid("C2", 150.0, "2026-03-10", pid="P4")]
    result, issues = run([card("C1"), card("C2")], orders, payments, as_of_date=dt.date(2026, 4, 30))
    assert issues == []
    moves = [(r.ref, r.invoice, r.amount) for r in result.allocations.itertuples()]
    assert moves == [("P1", "F1", 600.0), ("P2", "F3", 300.0), ("P3", "F1", 400.0), ("P3", "F2", 300.0),
                     ("P4", "G1", 100.0)]
    bills = result.invoices.set_index("invoice")
    assert bills.loc["F2", ["amount", "paid", "open"]].tolist() == [500.0, 300.0, 200.0]
    assert bills.loc["F1", "paid_date"] == pd.Timestamp("2026-03-20")
    assert bills.loc["F3", "paid_date"] == pd.Timestamp("2026-03-05")
    assert pd.isna(bills.loc["F2", "paid_date"])
    customers = result.customers.set_index("customer_id")
    assert customers.loc["C1", ["open", "credit"]].tolist() == [200.0, 0.0]
    assert customers.loc["C2", ["open", "credit"]].tolist() == [0.0, 50.0]


def test_a_payment_naming_a_paid_invoice_goes_first_in_first_out_and_unknown_names_are_reported():
    settled = allocate([Debt("A", 100, 1), Debt("B", 100, 2), Debt("C", 100, 3)],
                       [Credit("p1", 1, 100), Credit("p2", 2, 150, names="A"), Credit("p3", 3, 80, names="C")])
    assert [(a.credit, a.number, a.cents) for a in settled.allocations] == [
        (0, "A", 100), (1, "B", 100), (1, "C", 50), (2, "C", 50)]
    assert settled.open == {"A": 0, "B": 0, "C": 0} and settled.unused == [0, 0, 30]

    result, issues = run([card("C1")], [sale("C1", 100.0, "F1", "2026-01-05")],
                         [paid("C1", 40.0, "2026-01-20", "F9")], as_of_date=dt.date(2026, 2, 1))
    assert [(i.code, i.cell) for i in issues] == [("RECEIVABLE_INVOICE_UNKNOWN", "回款!F2")]
    assert "F9" in issues[0].message and "C1" in issues[0].message
    assert result.invoices["open"].tolist() == [60.0]


def test_where_orders_are_invoices_uninvoiced_orders_are_billed_at_the_order_date_and_returns_reduce_or_credit():
    orders = [sale("C1", 200.0, None, "2026-01-10", order_id="O1"), sale("C1", 50.0, None, "2026-01-10", order_id="O1"),
              sale("C1", 80.0, None, "2026-01-12", order_id="O2", status="open"),
              sale("C1", 70.0, None, "2026-01-12", order_id="O3", status="cancelled"),
              sale("C1", 500.0, "F1", "2026-01-15"), sale("C1", 100.0, "F1", "2026-01-20", type="return"),
              sale("C1", 30.0, "R1", "2026-01-25", type="return")]
    result, _ = run([card("C1", days=0, payment_terms="cash")], orders, as_of_date=dt.date(2026, 2, 1),
                    orders_are_invoices=True)
    bills = result.invoices.set_index("invoice")
    assert sorted(bills.index) == ["F1", "O1", "R1"]
    assert bills.loc["O1", ["kind", "amount"]].tolist() == ["order", 250.0]
    assert bills.loc["O1", "due_date"] == pd.Timestamp("2026-01-10")
    assert bills.loc["F1", "amount"] == 400.0
    assert bills.loc["R1", ["amount", "open"]].tolist() == [-30.0, 0.0]
    assert bills.loc["O1", "open"] == 220.0  # the credit note settles the oldest due invoice
    assert result.customers["open"].tolist() == [620.0]
    assert result.customers["uninvoiced"].tolist() == [0.0]


def test_shipped_orders_not_yet_invoiced_are_a_column_of_their_own_outside_the_buckets():
    orders = [sale("C1", 200.0, None, "2026-01-10", order_id="O1"), sale("C1", 50.0, None, "2026-01-10", order_id="O1"),
              sale("C1", 80.0, None, "2026-01-12", order_id="O2", status="open"),
              sale("C1", 500.0, "F1", "2026-01-15"), sale("C2", 90.0, None, "2026-01-02", order_id="O4")]
    payments = [paid("C1", 100.0, "2026-01-20")]
    result, _ = run([card("C1", days=10), card("C2", days=10)], orders, payments, as_of_date=dt.date(2026, 3, 1))
    assert sorted(result.invoices["invoice"]) == ["F1"]  # the orders are not owed until invoiced
    customers = result.customers.set_index("customer_id")
    assert customers.loc["C1", ["open", "overdue", "uninvoiced"]].tolist() == [400.0, 400.0, 250.0]
    assert customers.loc["C2", ["open", "overdue", "uninvoiced"]].tolist() == [0.0, 0.0, 90.0]
    assert result.buckets["amount"].sum() == result.totals()["open"] == 400.0
    assert result.totals()["uninvoiced"] == 340.0
    assert result.salespeople.set_index("salesperson_id").loc["S1", "uninvoiced"] == 340.0
    assert result.collection["customer_id"].tolist() == ["C1"]  # C2 owes nothing yet, so nobody chases it
    sheet = receivables_sheet(result, "en")
    summary = sheet.blocks[0]
    assert summary.rows[0][[c.header for c in summary.columns].index("Shipped, not invoiced")] == 340.0


def test_the_collection_list_names_the_earliest_overdue_invoice_never_an_order():
    orders = [sale("C1", 300.0, None, "2026-01-05", order_id="O7"),  # shipped in January, never invoiced
              sale("C1", 500.0, "F9", "2026-02-10"), sale("C1", 200.0, "F10", "2026-03-01")]
    result, _ = run([card("C1", days=30)], orders, as_of_date=dt.date(2026, 5, 31))
    row = result.collection.iloc[0]
    assert (row["oldest_invoice"], row["oldest_invoice_date"]) == ("F9", pd.Timestamp("2026-02-10"))
    assert row["oldest_due"] == pd.Timestamp("2026-03-12") and row["days_past_due"] == 80
    sheet = receivables_sheet(result, "zh")
    collection = sheet.blocks[-1]
    headers = [c.header for c in collection.columns]
    assert collection.rows[0][headers.index("最早逾期发票")] == "F9"
    assert collection.rows[0][headers.index("开票日期")] == dt.date(2026, 2, 10)


# -- ageing -----------------------------------------------------------------------------------------

AGEING_ORDERS = [("A", 100.0, "2026-01-01"), ("B", 200.0, "2026-03-01"), ("C", 400.0, "2026-04-20"),
                 ("D", 800.0, "2025-10-01")]


@pytest.mark.parametrize("basis, expected", [
    # due dates (30 days): A 01-31 (99 days late), B 03-31 (40), C 05-20 (not due), D 2025-10-31 (191)
    ("due", [400.0, 0.0, 200.0, 0.0, 100.0, 750.0]),
    # since invoicing: A 129 days, B 70, C 20, D 221
    ("invoice", [0.0, 400.0, 0.0, 200.0, 100.0, 750.0]),
])
def test_ageing_buckets_on_both_bases(basis, expected):
    orders = [sale("C1", amount, number, day) for number, amount, day in AGEING_ORDERS]
    result, _ = run([card("C1")], orders, [paid("C1", 50.0, "2026-02-01")], as_of_date=dt.date(2026, 5, 10),
                    ageing_basis=basis)
    customer = result.customers.iloc[0]
    assert [customer[c] for c in result.bucket_columns] == expected
    assert result.buckets["amount"].tolist() == expected
    assert customer["overdue"] == 1050.0  # overdue always counts from the due date
    assert customer["open"] == 1450.0
    assert (customer["oldest_invoice"], customer["days_past_due"]) == ("D", 191)


def test_bucket_limits_come_from_settings():
    orders = [sale("C1", amount, number, day) for number, amount, day in AGEING_ORDERS]
    result, _ = run([card("C1")], orders, as_of_date=dt.date(2026, 5, 10), ageing_buckets="0,60,120")
    assert result.buckets["amount"].tolist() == [400.0, 200.0, 100.0, 800.0]
    assert bucket_labels(result.edges, "due", "en") == ["Current", "1–60 days", "61–120 days", "over 120 days"]


def test_dso_and_credit_limit_use_per_customer_and_salesperson():
    orders = [sale("C1", 900.0, "F1", "2026-04-01"), sale("C1", 600.0, "F0", "2025-12-01"),
              sale("C2", 400.0, "G1", "2026-04-15")]
    cards = [card("C1", credit_limit=3000.0), card("C2", credit_limit=1000.0, salesperson_id="S2")]
    result, _ = run(cards, orders, [paid("C1", 600.0, "2026-01-05")], as_of_date=dt.date(2026, 4, 30))
    customers = result.customers.set_index("customer_id")
    assert customers.loc["C1", "sales_90"] == 900.0  # F0 is older than 90 days
    assert customers.loc["C1", "dso"] == pytest.approx(900 / 900 * 90)
    assert customers.loc["C1", "limit_used"] == pytest.approx(0.3)
    people = result.salespeople.set_index("salesperson_id")
    assert people.loc["S2", ["name", "open"]].tolist() == ["李四", 400.0]
    assert people.loc["S1", "limit_used"] == pytest.approx(900 / 3000)


# -- FIFO invariant -----------------------------------------------------------------------------------

money = st.integers(min_value=1, max_value=500_000).map(lambda c: c / 100)
days = st.integers(min_value=0, max_value=150).map(lambda d: (dt.date(2026, 1, 1) + dt.timedelta(days=d)).isoformat())


@st.composite
def ledgers(draw):
    orders = []
    for n in range(draw(st.integers(min_value=0, max_value=8))):
        customer = draw(st.sampled_from(["C1", "C2"]))
        kind = draw(st.sampled_from(["sale", "sale", "sale", "return"]))
        invoiced = draw(st.sampled_from([True, True, False]))  # else shipped, waiting for its invoice
        orders.append(sale(customer, draw(money), f"F{n}" if invoiced else None, draw(days), type=kind))
    payments = [paid(draw(st.sampled_from(["C1", "C2", "C3"])), draw(money), draw(days),
                     draw(st.sampled_from([None, "F0", "F1", "F5"])))
                for _ in range(draw(st.integers(min_value=0, max_value=8)))]
    return orders, payments, draw(st.booleans())


@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_open_receivables_minus_credit_equal_invoiced_minus_paid_to_the_cent(ledger):
    """Invariant: sum(open of invoices) - sum(customer credit) == sum(invoice amounts, credit notes negative) - sum(payments).

    Credit is what no invoice could take: unallocated payments plus unused credit notes. Shipped lines waiting
    for their invoice are the shipped-not-invoiced column, in no bucket (or invoices, where orders are invoices):
    open + shipped not invoiced - credit == everything shipped - payments.
    """
    orders, payments, by_order = ledger
    result, _ = run([card("C1"), card("C2"), card("C3")], orders, payments, as_of_date=dt.date(2026, 12, 31),
                    orders_are_invoices=by_order)
    bills = result.invoices
    debts = bills[bills["amount"] > 0]
    open_cents = sum(cents(v) for v in debts["open"])
    credit_cents = sum(cents(v) for v in result.customers["credit"])
    invoiced = sum(cents(v) for v in bills["amount"])
    received = sum(cents(p["amount"]) for p in payments)
    assert open_cents - credit_cents == invoiced - received
    assert all(0 <= cents(o) <= cents(a) for o, a in zip(debts["open"], debts["amount"]))
    signed = [(-1 if o["type"] == "return" else 1) * cents(o["amount"]) for o in orders]
    waiting = sum(c for c, o in zip(signed, orders) if o["invoice_no"] is None and not by_order)
    uninvoiced = sum(cents(v) for v in result.customers["uninvoiced"])
    assert uninvoiced == waiting
    assert open_cents + uninvoiced - credit_cents == sum(signed) - received
    assert sum(cents(v) for v in result.buckets["amount"]) == open_cents  # the buckets hold invoices only
    for customer in result.customers.itertuples():
        assert customer.open == 0 or customer.credit == 0  # credit is never left while an invoice is open


# -- dunning ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days, level", [(1, 0), (9, 0), (10, 1), (29, 1), (30, 2), (44, 2), (45, 3), (89, 3),
                                         (90, 4), (400, 4)])
def test_dunning_levels_at_their_thresholds(days, level):
    assert dunning_level(days, (10, 30, 45, 90)) == level


def test_collection_list_is_sorted_by_risk_with_level_action_and_owner():
    as_of = dt.date(2026, 6, 30)

    def due_ago(days: int) -> str:
        return (as_of - dt.timedelta(days=days + 30)).isoformat()

    orders = [sale("C1", 500.0, "F1", due_ago(10)), sale("C2", 900.0, "F2", due_ago(45)),
              sale("C3", 300.0, "F3", due_ago(90)), sale("C4", 2000.0, "F4", due_ago(44)),
              sale("C5", 100.0, "F5", due_ago(-5)), sale("C6", 50.0, "F6", due_ago(3))]
    cards = [card(c) for c in ("C1", "C2", "C3", "C5", "C6")] + [card("C4", salesperson_id="S2")]
    result, _ = run(cards, orders, as_of_date=as_of)
    listed = result.collection
    assert listed["customer_id"].tolist() == ["C3", "C2", "C4", "C1", "C6"]
    assert listed["level"].tolist() == [4, 3, 2, 1, 0]
    assert listed["days_past_due"].tolist() == [90, 45, 44, 10, 3]
    assert listed.set_index("customer_id").loc["C4", "owner"] == "S2"
    sheet = receivables_sheet(result, "en")
    rows = sheet.blocks[-1].rows
    assert [r[1] for r in rows] == [LEVEL_NAMES["en"][n] for n in (4, 3, 2, 1, 0)]
    assert rows[0][-1] == ACTIONS["en"][4] and rows[2][6] == "李四"
    moved, _ = run(cards, orders, as_of_date=as_of, dunning_reminder_days=3)
    assert moved.collection.set_index("customer_id").loc["C6", "level"] == 1


# -- sheet --------------------------------------------------------------------------------------------

def ageing_result():
    orders = [sale("C1", amount, number, day) for number, amount, day in AGEING_ORDERS]
    orders.append(sale("C2", 1234.5, "G1", "2026-05-01"))
    return run([card("C1"), card("C2", salesperson_id="S2")], orders, [paid("C1", 50.0, "2026-02-01")],
               as_of_date=dt.date(2026, 5, 10))[0]


def test_sheet_has_bucket_summary_with_its_chart_tables_and_the_collection_list():
    sheet = receivables_sheet(ageing_result(), "zh")
    summary, buckets, people, customers, collection = sheet.blocks
    assert summary.rows[0][2:4] == [2684.5, 1050.0]
    assert [r[0] for r in buckets.rows] == ["未到期", "1–30天", "31–60天", "61–90天", "91–180天", "180天以上"]
    assert [r[1] for r in buckets.rows] == [1634.5, 0.0, 200.0, 0.0, 100.0, 750.0]
    (chart,) = sheet.charts
    assert chart.kind == "column" and chart.series[0].block == 1 and chart.series[0].values_column == 1
    chart_row = int(chart.anchor[1:])
    assert chart_row == sheet.block_origin(1)[0] - 1 and chart_row + chart.height_cells < sheet.block_origin(2)[0]
    assert customers.table_name and collection.table_name and customers.table_name != collection.table_name
    assert [r[0] for r in people.rows] == ["S1", "S2"]
    assert [r[2] for r in collection.rows] == ["C1"]


@needs_libreoffice
def test_libreoffice_shows_the_receivables_sheet(tmp_path):
    sheet = receivables_sheet(ageing_result(), "en")
    path = tmp_path / "receivables.xlsx"
    new_workbook(path, [sheet])
    shown = libreoffice.sheets_as_csv(path)["Receivables"]
    top, _ = sheet.block_origin(0)
    assert shown[top - 1][2] == "Open receivables"
    assert shown[top][2:4] == ["2684.5", "1050"]
    first, _ = sheet.block_origin(1)
    assert [r[:2] for r in shown[first:first + 6]] == [
        ["Current", "1634.5"], ["1–30 days", "0"], ["31–60 days", "200"], ["61–90 days", "0"],
        ["91–180 days", "100"], ["over 180 days", "750"]]
    last, _ = sheet.block_origin(4)
    assert shown[last][1:4] == ["Collection agency", "C1", "客户C1"]


# -- the demo office ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    book = read_book(WORKBOOKS / "demo.xlsx")
    return book, run_pass(book, "receivables")[0]


@pytest.mark.slow
def test_demo_shipped_not_invoiced_is_its_own_column_outside_the_ageing(demo):
    book, result = demo
    orders = book.frame("orders")
    stamp = pd.Timestamp(result.as_of)
    waiting = orders[(orders["status"] == "shipped") & orders["invoice_no"].isna() & orders["invoice_date"].isna()
                     & (pd.to_datetime(orders["date"]) <= stamp)]
    signed = waiting["amount"].abs().where(~((waiting["type"] == "return") | (waiting["quantity"] < 0)),
                                           -waiting["amount"].abs())
    expected = sum(cents(v) for v in signed)
    assert expected > 0
    billed = set(result.invoices["invoice"])
    assert not billed & set(waiting["order_id"])  # no shipment waiting for its invoice is aged or due
    assert cents(result.totals()["uninvoiced"]) == expected
    assert sum(cents(v) for v in result.buckets["amount"]) == cents(result.totals()["open"])
    assert sum(cents(v) for v in result.salespeople["uninvoiced"]) == expected


@pytest.mark.slow
def test_demo_collection_list_names_real_invoices_with_their_dates(demo):
    book, result = demo
    orders = book.frame("orders")
    numbers = set(orders["invoice_no"].dropna().astype(str))
    dates = {(str(n), pd.Timestamp(d)) for n, d in zip(orders["invoice_no"], orders["invoice_date"]) if pd.notna(n)}
    listed = result.collection
    assert len(listed) > 0
    assert set(listed["oldest_invoice"]) <= numbers
    assert set(zip(listed["oldest_invoice"], listed["oldest_invoice_date"])) <= dates


def test_a_shipment_waiting_for_its_invoice_still_counts_against_the_credit_limit():
    orders = [sale("C1", 800.0, None, "2026-05-20", order_id="O1"), sale("C1", 300.0, "F1", "2026-05-25")]
    book = make_book({"customers": [card("C1", credit_limit=1000.0)], "orders": orders, "payments": [],
                      "salespeople": [{"salesperson_id": "S1", "name": "张三", "region": "天河区"}]},
                     settings={"as_of_date": dt.date(2026, 6, 1)})
    graded = run_pass(book, "grade")[0].customers.set_index("customer_id").loc["C1"]
    assert (graded["open_receivable"], graded["open_orders"], graded["exposure"]) == (300.0, 800.0, 1100.0)
    assert bool(graded["over_limit"])


def test_an_office_without_any_invoice_data_is_told_about_the_orders_are_invoices_setting():
    orders = [sale("C1", 200.0, None, "2026-01-10"), sale("C1", 50.0, None, "2026-02-10")]
    result, issues = run([card("C1")], orders, as_of_date=dt.date(2026, 6, 30))
    assert [i.code for i in issues] == ["RECEIVABLE_NO_INVOICES"]
    assert "250.00" in issues[0].message and "订单即发票" in issues[0].message
    assert result.totals()["uninvoiced"] == 250.0
    billed, issues = run([card("C1")], orders, as_of_date=dt.date(2026, 6, 30), orders_are_invoices=True)
    assert issues == [] and billed.totals()["open"] == 250.0 and billed.totals()["uninvoiced"] == 0.0
