"""Commission: tiers at their boundaries, cash basis with partial payments, multipliers, stable settled months."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings as hyp_settings, strategies as st

from salesxl import pipeline
from salesxl.io import libreoffice
from salesxl.io.xlsx import new_workbook
from salesxl.io.reader import read_book
from salesxl.passes.commission import price
from salesxl.passes.money.rules import rate_for
from salesxl.schema.setting_text import parse_tiers
from salesxl.passes.money.settlement import SETTLED_KEY, SETTLED_SHEET
from salesxl.reports.commission import commission_sheet
from tests.books import make_book, run_pass
from tests.support import WORKBOOKS, needs_libreoffice, sheet_rows

_ids = itertools.count(1)
FLAT = ",".join(["1"] * 12)  # every month gets 1/12 of the annual target: 1,000.00


def sale(amount: float, day: str, line: str = "粮油", customer: str = "C1", **fields) -> dict:
    n = next(_ids)
    return {"line_id": f"L{n}", "order_id": fields.pop("order_id", f"O{n}"), "date": day, "customer_id": customer,
            "salesperson_id": "S01", "product_id": "P1", "product_line": line, "quantity": 1.0,
            "unit_price": abs(amount), "amount": amount, "type": "sale", "status": "invoiced",
            "invoice_no": fields.pop("invoice_no", f"F{n}"), "invoice_date": day, **fields}


def office(orders, payments=(), **settings) -> dict:
    return {"tables": {
        "salespeople": [{"salesperson_id": "S01", "name": "张三", "region": "天河区"}],
        "customers": [{"customer_id": "C1", "name": "客户甲", "status": "active", "region": "天河区",
                       "salesperson_id": "S01", "payment_terms": "credit", "payment_days": 30}],
        "targets": [{"target_id": "T1", "year": 2026, "scope": "salesperson", "salesperson_id": "S01",
                     "amount": 12000.0}],
        "orders": list(orders), "payments": list(payments)},
        "settings": {"plan_year": 2026, "seasonality_index": FLAT, "as_of_date": dt.date(2026, 6, 30), **settings}}


def book_of(spec: dict, state: list[list] | None = None):
    book = make_book(spec["tables"], settings=spec["settings"])
    if state is not None:
        book.state[SETTLED_KEY] = state
    return book


NO_GRADES = SimpleNamespace(customers=pd.DataFrame({"customer_id": [], "grade": []}))


def run(book):
    """The commission pass with grades left out, so multipliers are under the test's control."""
    return run_pass(book, "commission", grade=NO_GRADES)


def by_month(result) -> dict[str, float]:
    return dict(zip(result.statements["month"], result.statements["commission"]))


# -- tiers ----------------------------------------------------------------------------------------

BOUNDARY_SALES = [("2026-01-10", 600.0), ("2026-02-10", 800.0), ("2026-03-10", 1000.0), ("2026-04-10", 1200.0),
                  ("2026-05-10", 599.99), ("2026-06-10", 1500.0)]


def test_rates_at_exact_tier_boundaries():
    tiers = parse_tiers("0:0,0.6:0.01,0.8:0.02,1.0:0.03,1.2:0.04")
    assert [rate_for(Fraction(a), tiers) for a in ("0.5999", "0.6", "0.8", "1", "1.2", "3")] == [
        Decimal("0"), Decimal("0.01"), Decimal("0.02"), Decimal("0.03"), Decimal("0.04"), Decimal("0.04")]
    assert rate_for(None, tiers) == Decimal("0")


def test_monthly_statements_pay_the_tier_reached_exactly_at_60_80_100_120_percent():
    spec = office([sale(amount, day) for day, amount in BOUNDARY_SALES])
    result, issues = run(book_of(spec))
    assert issues == []
    statements = result.statements.set_index("month")
    assert statements["target"].tolist() == [1000.0] * 6
    assert statements["achievement"].tolist() == pytest.approx([0.6, 0.8, 1.0, 1.2, 0.59999, 1.5])
    assert statements["rate"].tolist() == [0.01, 0.02, 0.03, 0.04, 0.0, 0.04]
    assert by_month(result) == {"2026-01": 6.0, "2026-02": 16.0, "2026-03": 30.0, "2026-04": 48.0,
                                "2026-05": 0.0, "2026-06": 60.0}
    assert statements["settled"].tolist() == [True] * 5 + [False]
    assert result.settled_through == "2026-05"


def test_grade_and_product_line_multipliers_scale_each_line():
    spec = office([sale(600.0, "2026-01-10", "粮油"), sale(400.0, "2026-01-12", "日化")],
                  commission_grade_multipliers="A:1.5,B:1.0", commission_line_multipliers="日化:0.5")
    book = book_of(spec)
    grades = SimpleNamespace(customers=pd.DataFrame({"customer_id": ["C1"], "grade": ["A"]}))
    result, _ = run_pass(book, "commission", grade=grades)
    lines = result.lines.set_index("product_line")
    # January: 1,000 of 1,000 = 100 % -> 3 %; 600 x 3 % x 1.5 = 27.00; 400 x 3 % x 1.5 x 0.5 = 9.00
    assert lines.loc["粮油", ["multiplier", "commission"]].tolist() == [1.5, 27.0]
    assert lines.loc["日化", ["multiplier", "commission"]].tolist() == [0.75, 9.0]
    assert by_month(result)["2026-01"] == 36.0


# -- cash basis -----------------------------------------------------------------------------------

def test_cash_basis_pays_the_paid_share_pro_rata_in_the_month_the_cash_came_in():
    orders = [sale(600.0, "2026-01-10", "粮油", invoice_no="F1"), sale(400.0, "2026-01-10", "日化", invoice_no="F1"),
              sale(1000.0, "2026-03-10", "粮油", invoice_no="F2")]
    payments = [{"payment_id": "P1", "date": "2026-02-10", "customer_id": "C1", "amount": 250.0},
                {"payment_id": "P2", "date": "2026-04-05", "customer_id": "C1", "amount": 1000.0}]
    spec = office(orders, payments, commission_basis="cash", commission_tiers="0:0.01,1.0:0.03",
                  commission_line_multipliers="粮油:2")
    result, _ = run(book_of(spec))
    lines = [(r.month, r.reference, r.payment_id, r.product_line, r.basis, r.rate, r.commission)
             for r in result.lines.itertuples()]
    assert lines == [
        # February: no sales (0 % -> 1 %); 250 of invoice F1 split 60 / 40
        ("2026-02", "F1", "P1", "日化", 100.0, 0.01, 1.0),
        ("2026-02", "F1", "P1", "粮油", 150.0, 0.01, 3.0),
        # April: the rest of F1 (750) first in first out, then 250 of F2; no April sales -> 1 %
        ("2026-04", "F1", "P2", "日化", 300.0, 0.01, 3.0),
        ("2026-04", "F1", "P2", "粮油", 450.0, 0.01, 9.0),
        ("2026-04", "F2", "P2", "粮油", 250.0, 0.01, 5.0),
    ]
    statements = result.statements.set_index("month")
    assert statements.loc["2026-01", ["basis", "commission"]].tolist() == [0.0, 0.0]  # sold, but nothing collected
    assert statements.loc["2026-04", ["basis", "commission"]].tolist() == [1000.0, 17.0]


# -- settlement -------------------------------------------------------------------------------------

def state_of(result, tmp_path) -> list[list]:
    """The hidden sheet written to a real file and read back as the reader hands it to the next run."""
    from salesxl.reports.commission import settled_sheet

    path = tmp_path / "state.xlsx"
    sheet = settled_sheet(result, "zh")
    assert sheet.hidden
    new_workbook(path, [sheet])
    return sheet_rows(path, SETTLED_SHEET["zh"])


def test_a_settled_month_keeps_its_statement_after_late_edits_and_says_so(tmp_path):
    orders = [sale(amount, day) for day, amount in BOUNDARY_SALES]
    first, _ = run(book_of(office(orders)))
    state = state_of(first, tmp_path)
    edited = [dict(o) for o in orders]
    edited[0]["amount"] = 900.0  # January (settled): 600 -> 900
    edited[5]["amount"] = 1000.0  # June (still open): 1,500 -> 1,000
    second, issues = run(book_of(office(edited, commission_tiers="0:0.05"), state))
    january = lambda r: r.statements.set_index("month").loc["2026-01"].to_dict()  # noqa: E731
    assert january(second) == january(first)
    january_lines = second.lines[second.lines["month"] == "2026-01"]
    assert january_lines["basis"].tolist() == [900.0]  # today's line, shown against the settled statement
    assert january_lines["commission"].sum() == january(first)["commission"]  # still adds up to what was settled
    assert [(i.code, i.severity) for i in issues] == [("COMMISSION_SETTLED_CHANGED", "warning")]
    assert "2026-01" in issues[0].message and "S01" in issues[0].message
    assert "600.00" in issues[0].message and "900.00" in issues[0].message
    assert by_month(second)["2026-06"] == 50.0  # open months follow the data and today's tiers
    assert len(second.settled) == len(first.settled)  # nothing settled twice, nothing lost

    later, issues = run(book_of(office(edited, as_of_date=dt.date(2026, 7, 31)), state))
    assert later.settled_through == "2026-06" and by_month(later)["2026-06"] == 30.0
    assert len(later.settled) == len(first.settled) + 1
    assert [i.code for i in issues] == ["COMMISSION_SETTLED_CHANGED"]


def test_settled_through_setting_controls_which_months_are_settled():
    orders = [sale(amount, day) for day, amount in BOUNDARY_SALES]
    result, _ = run(book_of(office(orders, commission_settled_through=dt.date(2026, 2, 14))))
    assert result.statements["settled"].tolist() == [True, True, False, False, False, False]
    assert sorted(set(result.settled["month"])) == ["2026-01", "2026-02"]


def test_pipeline_builds_the_sheet_and_the_hidden_state():
    spec = office([sale(amount, day) for day, amount in BOUNDARY_SALES])
    run_ = pipeline.run(book_of(spec), ["commission"])
    sheets = {s.key: s for s in run_.sheets}
    assert sheets[SETTLED_KEY].hidden and not sheets["commission"].hidden
    summary, statements = sheets["commission"].blocks
    assert summary.rows[0][4:] == [160.0, 100.0]
    assert [r[8] for r in statements.rows] == [6.0, 16.0, 30.0, 48.0, 0.0, 60.0]
    assert "commission_detail" not in sheets  # the lines only on request
    asked = {s.key: s for s in pipeline.run(book_of(office(spec["tables"]["orders"], commission_detail=True)),
                                            ["commission"]).sheets}
    (lines,) = asked["commission_detail"].blocks
    assert len(lines.rows) == 6 and statements.table_name != lines.table_name
    later = book_of(spec)
    later.sheet_names = ["佣金明细"]  # written by an earlier run, now switched off: emptied, not left stale
    (emptied,) = {s.key: s for s in pipeline.run(later, ["commission"]).sheets}["commission_detail"].blocks
    assert emptied.rows == [] and "写出佣金明细" in emptied.title


@needs_libreoffice
def test_libreoffice_shows_the_commission_sheet(tmp_path):
    spec = office([sale(amount, day) for day, amount in BOUNDARY_SALES])
    result, _ = run(book_of(spec))
    sheet = commission_sheet(result, "en")
    path = tmp_path / "commission.xlsx"
    new_workbook(path, [sheet])
    shown = libreoffice.sheets_as_csv(path)["Commission"]
    top, _ = sheet.block_origin(1)
    assert shown[top - 1][:3] == ["Month", "ID", "Name"]
    assert [(r[0], r[8], r[9]) for r in shown[top:top + 6]] == [
        ("2026-01", "6", "Settled"), ("2026-02", "16", "Settled"), ("2026-03", "30", "Settled"),
        ("2026-04", "48", "Settled"), ("2026-05", "0", "Settled"), ("2026-06", "60", "Open")]


# -- rounding once per statement ------------------------------------------------------------------

def _cents(value) -> int:
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_a_statement_is_its_basis_times_rate_rounded_once_and_its_lines_add_up_to_it():
    # three lines of 0.10: per line 0.10 x 5 % = 0.005 -> 0.01 each (0.03); once: 0.30 x 5 % = 0.015 -> 0.02
    spec = office([sale(0.1, "2026-01-10"), sale(0.1, "2026-01-11"), sale(0.1, "2026-01-12")],
                  commission_tiers="0:0.05")
    result, _ = run(book_of(spec))
    assert by_month(result)["2026-01"] == 0.02
    january = result.lines[result.lines["month"] == "2026-01"]
    assert round(january["commission"].sum(), 2) == 0.02 and len(january) == 3


def test_multipliers_round_once_per_multiplier_group_then_add():
    spec = office([sale(0.1, "2026-01-10", "粮油"), sale(0.1, "2026-01-11", "粮油"), sale(0.1, "2026-01-12", "日化")],
                  commission_tiers="0:0.05", commission_line_multipliers="日化:3")
    result, _ = run(book_of(spec))
    # 粮油: 0.20 x 5 % = 0.01; 日化: 0.10 x 5 % x 3 = 0.015 -> 0.02; statement 0.03 (not 0.045 -> 0.05 nor 0.04)
    assert by_month(result)["2026-01"] == 0.03
    january = result.lines[result.lines["month"] == "2026-01"].groupby("product_line")["commission"].sum().round(2)
    assert january.to_dict() == {"日化": 0.02, "粮油": 0.01}


LINE = st.tuples(st.integers(-500_000, 5_000_000), st.sampled_from(["1", "0.8", "1.2", "1.5", "0.75", "0"]))


@hyp_settings(max_examples=150)
@given(lines=st.lists(LINE, max_size=25), rate=st.sampled_from(["0", "0.01", "0.025", "0.03", "0.0375", "0.04"]))
def test_property_statement_is_rounded_once_per_group_and_the_lines_add_up_exactly(lines, rate):
    frame = pd.DataFrame({"basis_cents": [b for b, _ in lines], "multiplier": [Decimal(m) for _, m in lines]})
    total, shares = price(frame, Decimal(rate))
    groups = defaultdict(int)
    for basis, multiplier in lines:
        groups[multiplier] += basis
    assert total == sum(_cents(Decimal(b) * Decimal(rate) * Decimal(m)) for m, b in groups.items())
    assert sum(shares) == total
    for (basis, multiplier), share in zip(lines, shares):
        assert abs(share - Decimal(basis) * Decimal(rate) * Decimal(multiplier)) < 2


# -- the demo office ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo():
    book = read_book(WORKBOOKS / "demo.xlsx")
    return book, pipeline.run(book, ["commission"])


@pytest.mark.slow
def test_demo_statements_are_basis_times_rate_and_the_sheet_is_statements_only(demo):
    _, run_ = demo
    result = run_.results["commission"]
    statements = result.statements
    off = [r for r in statements.itertuples()
           if round(r.commission * 100) != _cents(Decimal(str(r.basis)) * 100 * Decimal(str(r.rate)))]
    assert off == []
    s02 = statements[(statements["salesperson_id"] == "S02") & (statements["month"] == "2026-01")].iloc[0]
    assert round(s02.commission * 100) == _cents(Decimal(str(s02.basis)) * 100 * Decimal(str(s02.rate)))
    sums = result.lines.groupby(["month", "salesperson_id"])["commission"].sum().mul(100).round().astype(int)
    assert (sums == statements.set_index(["month", "salesperson_id"])["commission"].mul(100).round().astype(int)
            .reindex(sums.index)).all()
    sheets = {s.key: s for s in run_.sheets}
    assert "commission_detail" not in sheets
    assert sum(len(b.rows) for b in sheets["commission"].blocks) == len(statements) + 1
    assert len(sheets[SETTLED_KEY].blocks[0].rows) == int(statements["settled"].sum())  # one row per statement


# -- the settled record ------------------------------------------------------------------------------

LEGACY_HEADER = ["月份", "销售员", "提成基数", "月目标", "月净销售额", "达成率", "提成比例", "单号", "回款编号", "客户编号",
                 "日期", "产品线", "基数金额", "系数", "佣金", "结算日期"]


def test_a_record_in_the_old_line_layout_is_read_folded_and_late_edits_still_found():
    orders = [sale(amount, day) for day, amount in BOUNDARY_SALES]
    first, _ = run(book_of(office(orders)))
    old = [LEGACY_HEADER]
    for r in first.lines[first.lines["settled"]].itertuples():  # the lines as the old layout recorded them
        statement = first.statements.set_index(["month", "salesperson_id"]).loc[(r.month, r.salesperson_id)]
        old.append([r.month, r.salesperson_id, "sales", statement.target, statement.net_sales, statement.achievement,
                    r.rate, r.reference, None, r.customer_id, r.date.to_pydatetime(), r.product_line, r.basis, 1.0,
                    r.commission + 0.01, dt.datetime(2026, 6, 30)])
    unchanged, issues = run(book_of(office(orders), old))
    assert issues == []
    settled = unchanged.statements[unchanged.statements["settled"]]
    assert settled["commission"].round(2).tolist() == [6.01, 16.01, 30.01, 48.01, 0.01]  # as recorded, kept
    assert len(unchanged.settled) == 5 and set(unchanged.settled["fingerprint"]) != {""}  # one row per statement
    edited = [dict(o) for o in orders]
    edited[1]["amount"] = 700.0
    _, issues = run(book_of(office(edited), old))
    assert [(i.code, "2026-02" in i.message) for i in issues] == [("COMMISSION_SETTLED_CHANGED", True)]
