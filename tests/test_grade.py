"""Customer grading: ABC classes, composite grades, credit flags, history, and the Grades sheet."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from salesxl.schema.outputs import header_line, stamp
from salesxl.core.book import column_letter
from salesxl.core.sheetspec import Formula, SheetSpec
from salesxl.io import libreoffice
from salesxl.io.xlsx import new_workbook
from salesxl.schema.grades import GRADES
from salesxl.passes.grading.history import HISTORY_KEY, previous_grades
from salesxl.reports.grades import GRADE_COLUMNS, TABLE_NAME, grade_formula, grades_sheet, history_sheet
from salesxl.workbook.template import input_sheets
from tests.books import make_book, run_pass
from tests.support import needs_libreoffice

AS_OF = dt.date(2025, 6, 30)
_ids = itertools.count(1)


def card(cid: str, **fields) -> dict:
    return {"customer_id": cid, "name": f"客户{cid}", "status": "active", "region": "天河区",
            "salesperson_id": "S1", "created": "2020-01-01", **fields}


def line(cid: str, amount: float, date: str = "2025-03-01", **fields) -> dict:
    n = next(_ids)
    return {"line_id": f"L{n}", "order_id": fields.pop("order_id", f"O{n}"), "date": date, "customer_id": cid,
            "salesperson_id": "S1", "product_id": "P1", "quantity": 1.0, "unit_price": abs(amount),
            "amount": amount, "type": "sale", "status": "shipped", **fields}


def invoiced(cid: str, amount: float, number: str, issued: str, due: str, **fields) -> dict:
    return line(cid, amount, issued, status="invoiced", invoice_no=number, invoice_date=issued, due_date=due, **fields)


def paid(cid: str, amount: float, date: str, invoice: str | None = None) -> dict:
    return {"payment_id": f"P{next(_ids)}", "date": date, "customer_id": cid, "amount": amount, "invoice_no": invoice}


def book(cards, orders=(), payments=(), lang="zh", **settings):
    return make_book({"customers": list(cards), "orders": list(orders), "payments": list(payments),
                      "salespeople": [{"salesperson_id": "S1", "name": "王伟", "region": "天河区"}]},
                     lang=lang, settings={"as_of_date": AS_OF, **settings})


def graded(b):
    result, issues = run_pass(b, "grade")
    return result, issues


def by_id(result, column):
    return dict(zip(result.customers["customer_id"], result.customers[column]))


# -- ABC ---------------------------------------------------------------------------------------

#: Net sales of the last 12 months; total 1,000. Cumulative share before each customer:
#: C01 0 % A, C02 40 % A, C03 65 % A (reaches 82 %: the one crossing 80 % is A), C04 82 % B,
#: C05 88 % B, K1 92 % B (tie with K2, lower ID first), K2 95 % exactly: C, C08 98 % C.
PARETO_SALES = {"C01": 400, "C02": 250, "C03": 170, "C04": 60, "C05": 40, "K2": 30, "K1": 30, "C08": 20}


def pareto_book(**settings):
    orders = [line(cid, float(amount)) for cid, amount in PARETO_SALES.items()]
    orders += [
        line("C01", 50.0, type="return"),  # net 400 = 450 - 50
        line("C01", 50.0),
        line("C02", 9000.0, status="cancelled"),  # never counts
        line("C08", 5000.0, "2024-03-01"),  # before the window: previous year only
        line("D1", 800.0, "2023-05-01"),  # bought before, nothing in the window
    ]
    cards = [card(cid) for cid in PARETO_SALES]
    cards += [
        card("N1", created="2025-06-01", status="intent"),  # created 29 days ago
        card("N2", first_trade="2025-04-15"),  # first trade 76 days ago
        card("D1"),
        card("P1", status="prospect"),
        card("P2", status="intent", created="2024-01-10"),
    ]
    return book(cards, orders, **settings)


def test_abc_classes_follow_the_pareto_rule_with_ties_by_id():
    result, issues = graded(pareto_book())
    assert issues == []
    assert by_id(result, "abc") == {
        "C01": "A", "C02": "A", "C03": "A", "C04": "B", "C05": "B", "K1": "B", "K2": "C", "C08": "C",
        "N1": "new", "N2": "new", "D1": "dormant", "P1": "prospect", "P2": "prospect",
    }
    sales = by_id(result, "net_sales")
    assert sales["C01"] == 400 and sales["C02"] == 250 and sales["D1"] == 0
    assert by_id(result, "prev_sales")["C08"] == 5000


def test_changing_the_a_share_in_settings_changes_the_classes():
    result, _ = graded(pareto_book(grade_abc_a_share=0.5))
    classes = by_id(result, "abc")
    assert sorted(cid for cid, cls in classes.items() if cls == "A") == ["C01", "C02"]
    assert classes["C03"] == "B" and classes["K2"] == "C"


def test_new_customer_days_come_from_settings():
    result, _ = graded(pareto_book(grade_new_days=20))
    classes = by_id(result, "abc")
    assert classes["N1"] == "prospect" and classes["N2"] == "prospect"


def test_every_customer_is_graded_exactly_once_even_with_a_repeated_id():
    b = pareto_book()
    cards = b.frame("customers")
    b.tables["customers"].frame = pd.concat([cards, cards.iloc[[0]]], ignore_index=True)
    result, _ = graded(b)
    ids = list(result.customers["customer_id"])
    assert sorted(ids) == sorted(set(cards["customer_id"]))
    spec = grades_sheet(result, "zh", 30)
    table = spec.blocks[1]
    assert table.table_name == TABLE_NAME
    assert sorted(row[0] for row in table.rows) == sorted(set(cards["customer_id"]))


# -- composite grade ---------------------------------------------------------------------------

def test_score_thresholds_and_weights_come_from_settings():
    base, _ = graded(pareto_book())
    only_volume = {f"grade_weight_{n}": 0.0 for n in ("growth", "payment", "rfm", "potential")}
    result, _ = graded(pareto_book(grade_weight_volume=1.0, **only_volume))
    scores = by_id(result, "score")
    # volume alone: the percentile of net sales among the 8 buyers
    assert scores["C01"] == pytest.approx(100.0) and scores["C08"] == pytest.approx(100 / 8)
    assert scores["K1"] == scores["K2"] == pytest.approx(300 / 8)
    assert scores["N1"] == 0
    strict, _ = graded(pareto_book(grade_weight_volume=1.0, grade_score_a=100, **only_volume))
    top = {c for c, g in by_id(strict, "grade").items() if g == "A"}
    assert top == {c for c, s in scores.items() if s >= 100}
    assert top < {c for c, g in by_id(result, "grade").items() if g == "A"}
    assert by_id(base, "score") != scores


def test_rfm_uses_quartiles_for_a_small_customer_base():
    small, _ = graded(pareto_book())
    assert small.rfm_buckets == 4
    rfm = by_id(small, "rfm")
    # the eight buyers bought on the same day and share the top bucket; D1 bought long ago only:
    # lowest recency bucket, no orders in the window
    assert rfm["C08"] == 100 and rfm["P1"] == 0 and rfm["D1"] == pytest.approx(100 * (1 + 0) / (2 * 4))
    large, _ = graded(pareto_book(grade_rfm_min_buyers=8))
    assert large.rfm_buckets == 5 and by_id(large, "rfm")["D1"] == pytest.approx(100 * (1 + 0) / (2 * 5))


def test_key_ordinary_scattered_follow_the_table():
    result, _ = graded(pareto_book())
    tiers = by_id(result, "tier")
    grades = by_id(result, "grade")
    classes = by_id(result, "abc")
    for cid, tier in tiers.items():
        if classes[cid] in ("new", "dormant", "prospect"):
            assert tier == "scattered"
        elif classes[cid] == "A" and grades[cid] in "AB":
            assert tier == "key"


def _random_book(data):
    """Customers buying in the window, each line invoiced and paid with some delay (negative = early)."""
    customers = data.draw(st.integers(2, 7))
    orders, payments, cards = [], [], []
    for c in range(customers):
        cid = f"C{c}"
        cards.append(card(cid, payment_days=30, growth_potential=data.draw(st.sampled_from(["high", "low", None]))))
        for k in range(data.draw(st.integers(0, 3))):
            issued = dt.date(2024, 8, 1) + dt.timedelta(days=data.draw(st.integers(0, 300)))
            due = issued + dt.timedelta(days=30)
            amount = float(data.draw(st.integers(1, 500)) * 10)
            number = f"I{c}-{k}"
            orders.append(invoiced(cid, amount, number, issued.isoformat(), due.isoformat()))
            delay = data.draw(st.integers(-20, 90))
            payments.append(paid(cid, amount, (due + dt.timedelta(days=delay)).isoformat(), number))
    return cards, orders, payments


@hyp_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_more_sales_never_give_a_worse_grade(data):
    cards, orders, payments = _random_book(data)
    target = data.draw(st.sampled_from([c["customer_id"] for c in cards]))
    factor = data.draw(st.sampled_from([1.5, 3.0, 20.0]))
    before, _ = graded(book(cards, orders, payments))
    more = [{**o, "amount": o["amount"] * factor} if o["customer_id"] == target else o for o in orders]
    more_paid = [{**p, "amount": p["amount"] * factor} if p["customer_id"] == target else p for p in payments]
    after, _ = graded(book(cards, more, more_paid))
    assert GRADES.index(by_id(after, "grade")[target]) <= GRADES.index(by_id(before, "grade")[target])
    assert by_id(after, "score")[target] >= by_id(before, "score")[target] - 1e-9


@hyp_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_paying_on_time_never_gives_a_worse_grade(data):
    cards, orders, payments = _random_book(data)
    target = data.draw(st.sampled_from([c["customer_id"] for c in cards]))
    due = {o["invoice_no"]: o["due_date"] for o in orders}
    before, _ = graded(book(cards, orders, payments))
    on_time = [{**p, "date": min(p["date"], due[p["invoice_no"]])} if p["customer_id"] == target else p for p in payments]
    after, _ = graded(book(cards, orders, on_time))
    assert GRADES.index(by_id(after, "grade")[target]) <= GRADES.index(by_id(before, "grade")[target])
    assert by_id(after, "payment")[target] >= by_id(before, "payment")[target]


# -- payments and credit -----------------------------------------------------------------------

def test_payments_settle_the_named_invoice_first_then_the_oldest():
    orders = [invoiced("X", 100.0, "I1", "2025-01-05", "2025-02-01"),
              invoiced("X", 100.0, "I2", "2025-02-05", "2025-03-01"),
              invoiced("Y", 100.0, "J1", "2025-01-05", "2025-02-01"),
              invoiced("Y", 100.0, "J2", "2025-02-05", "2025-03-01")]
    payments = [paid("X", 100.0, "2025-02-20", "I2"),  # X: I2 on time, I1 still open
                paid("Y", 100.0, "2025-02-20")]  # Y: FIFO settles J1, 19 days late; J2 open
    result, _ = graded(book([card("X"), card("Y")], orders, payments))
    overdue = by_id(result, "max_days_overdue")
    assert overdue == {"X": (AS_OF - dt.date(2025, 2, 1)).days, "Y": (AS_OF - dt.date(2025, 3, 1)).days}
    assert by_id(result, "open_receivable") == {"X": 100.0, "Y": 100.0}
    # Y: J1 paid 19 days late, J2 open 121 days past due
    assert by_id(result, "avg_days_late")["Y"] == pytest.approx((19 + 121) / 2)
    assert by_id(result, "late_share")["X"] == pytest.approx(0.5)


def test_credit_flags():
    cards = [
        card("OVER", credit_limit=1000.0),
        card("UNDER", credit_limit=2000.0),
        card("NOLIMIT"),
        card("LATE", credit_limit=100000.0),
        card("SLIGHTLY", credit_limit=100000.0),
        card("HISTORY", credit_problems="2023年拖欠货款"),
        card("POOR", credit_standing="poor"),
        card("BLANK", credit_problems="   ", credit_standing="good"),
    ]
    orders = []
    for cid in ("OVER", "UNDER", "NOLIMIT"):
        orders += [invoiced(cid, 800.0, f"{cid}-1", "2025-06-10", "2025-07-10"),
                   line(cid, 300.0, "2025-06-20", status="open"),
                   line(cid, 5000.0, "2025-06-21", status="cancelled")]
    orders += [invoiced("LATE", 500.0, "L-1", "2025-04-01", "2025-05-21"),  # 40 days overdue
               invoiced("SLIGHTLY", 500.0, "S-1", "2025-05-01", "2025-06-10")]  # 20 days overdue
    result, _ = graded(book(cards, orders))
    assert by_id(result, "exposure")["OVER"] == 1100.0
    flagged = {flag: sorted(cid for cid, on in by_id(result, flag).items() if on)
               for flag in ("over_limit", "overdue", "past_problems")}
    assert flagged == {"over_limit": ["OVER"], "overdue": ["LATE"], "past_problems": ["HISTORY", "POOR"]}
    stricter, _ = graded(book(cards, orders, credit_overdue_days=10))
    assert sorted(cid for cid, on in by_id(stricter, "overdue").items() if on) == ["LATE", "SLIGHTLY"]
    row = next(r for r in grades_sheet(result, "zh", 30).blocks[1].rows if r[0] == "OVER")
    flags_at = [c[0] for c in GRADE_COLUMNS].index("flags")
    assert row[flags_at] == "超信用额度" and row[flags_at + 1] is True


def test_suggested_limit():
    """Monthly net sales x (payment days / 30 + 1) x (0.5 + payment score / 200), rounded half up to 1,000."""
    orders = [invoiced("ON", 120000.0, "A1", "2025-01-10", "2025-03-11"),
              invoiced("LATE", 120000.0, "B1", "2025-01-10", "2025-02-09")]
    payments = [paid("ON", 120000.0, "2025-03-01"), paid("LATE", 120000.0, "2025-03-11")]  # LATE: 30 days late
    cards = [card("ON", payment_days=60, credit_limit=50000.0), card("LATE", payment_days=30)]
    result, _ = graded(book(cards, orders, payments))
    assert by_id(result, "payment") == {"ON": 100.0, "LATE": 25.0}
    # ON: 10,000 x 3 x 1.0; LATE: 10,000 x 2 x 0.625 = 12,500 -> 13,000
    assert by_id(result, "suggested_limit") == {"ON": 30000.0, "LATE": 13000.0}
    coarse, _ = graded(book(cards, orders, payments, credit_limit_rounding=10000))
    assert by_id(coarse, "suggested_limit") == {"ON": 30000.0, "LATE": 10000.0}


# -- history -----------------------------------------------------------------------------------

def sheet_rows(spec: SheetSpec) -> list[list]:
    """The cell rows of a one-block sheet as a reader returns them (header line, blank row, header, data)."""
    block = spec.blocks[0]
    return [[header_line("zh", dt.datetime(2026, 1, 1))], [], [c.header for c in block.columns], *[list(r) for r in block.rows]]


def history_book(orders, payments, rows=None, lang="zh"):
    b = book([card(cid) for cid in ("A1", "B1", "C1")], orders, payments, lang=lang)
    if rows is not None:
        b.state[HISTORY_KEY] = rows
    return b


def history_orders():
    return [invoiced("A1", 5000.0, "IA", "2025-03-01", "2025-04-01"),
            invoiced("B1", 800.0, "IB", "2025-03-01", "2025-04-01"),
            invoiced("C1", 100.0, "IC", "2025-03-01", "2025-04-01")]


HISTORY_PAYMENTS = [paid("A1", 5000.0, "2025-03-25"), paid("B1", 800.0, "2025-03-25"), paid("C1", 100.0, "2025-03-25")]


def test_a_second_run_without_changes_reports_none_and_adds_no_history():
    first, _ = graded(history_book(history_orders(), HISTORY_PAYMENTS))
    assert len(first.history) == 3 and first.previous_run is None
    rows = sheet_rows(history_sheet(first, "zh"))
    second, issues = graded(history_book(history_orders(), HISTORY_PAYMENTS, rows))
    assert issues == []
    assert second.previous_run == AS_OF
    assert second.changes.empty and set(second.customers["change"]) == {"same"}
    assert len(second.history) == 3
    third, _ = graded(history_book(history_orders(), HISTORY_PAYMENTS, sheet_rows(history_sheet(second, "zh"))))
    assert len(third.history) == 3 and third.changes.empty


def test_one_customer_paying_late_is_the_only_change_reported():
    first, _ = graded(history_book(history_orders(), HISTORY_PAYMENTS))
    late = [o if o["customer_id"] != "B1" else {**o, "due_date": "2025-03-05"} for o in history_orders()]
    rows = sheet_rows(history_sheet(first, "en"))  # written in English, read back in Chinese
    second, _ = graded(history_book(late, HISTORY_PAYMENTS, rows))
    changes = second.changes
    assert list(changes["customer_id"]) == ["B1"]
    assert changes.iloc[0]["previous_grade"] == by_id(first, "grade")["B1"]
    assert changes.iloc[0]["change"] == "down"
    assert len(second.history) == 4
    added = second.history.iloc[-1]
    assert added["customer_id"] == "B1" and added["previous_grade"] == by_id(first, "grade")["B1"]
    row = next(r for r in grades_sheet(second, "zh", 30).blocks[1].rows if r[0] == "B1")
    assert row[-1] == f"{by_id(first, 'grade')['B1']}→{by_id(second, 'grade')['B1']} ↓"
    assert "升级 0 户，降级 1 户" in grades_sheet(second, "zh", 30).blocks[0].title


def test_history_survives_a_real_file_round_trip(tmp_path):
    first, _ = graded(history_book(history_orders(), HISTORY_PAYMENTS))
    path = tmp_path / "office.xlsx"
    sheets = [grades_sheet(first, "zh", 30), history_sheet(first, "zh")]
    for sheet in sheets:
        stamp(sheet, header_line("zh", dt.datetime(2026, 1, 1)))
    new_workbook(path, sheets)
    workbook = CalamineWorkbook.from_path(str(path))
    assert [s.name for s in workbook.sheets_metadata if s.visible == SheetVisibleEnum.Hidden] == ["客户分级历史"]
    rows = workbook.get_sheet_by_name("客户分级历史").to_python()
    parsed = previous_grades(rows)
    assert list(parsed["customer_id"]) == ["A1", "B1", "C1"]
    assert list(parsed["grade"]) == [by_id(first, "grade")[c] for c in ("A1", "B1", "C1")]
    assert set(parsed["abc"]) <= {"A", "B", "C"} and parsed["run_date"].dt.date.eq(AS_OF).all()
    second, _ = graded(history_book(history_orders(), HISTORY_PAYMENTS, rows))
    assert second.changes.empty and len(second.history) == 3


def test_unreadable_history_is_reported_and_grading_starts_afresh():
    result, issues = graded(history_book(history_orders(), HISTORY_PAYMENTS, [["something else"], [1, 2, 3]]))
    assert [i.code for i in issues] == ["GRADE_HISTORY_UNREADABLE"] and "客户分级历史" in issues[0].message
    assert result.previous_run is None and len(result.history) == 3


# -- the sheet and the card formula ------------------------------------------------------------

def test_grades_sheet_layout_and_colours():
    result, _ = graded(pareto_book())
    spec = grades_sheet(result, "en", 30)
    summary, table = spec.blocks
    assert summary.rows[-1][-1] == len(result.customers) == len(table.rows)
    grade_at = [c[0] for c in GRADE_COLUMNS].index("grade")
    assert {(h.column, h.equals) for h in table.highlights} == {(grade_at, g) for g in GRADES}
    assert table.columns[grade_at].header == "Grade" and table.columns[0].header == "Customer ID"
    assert spec.freeze_rows == spec.block_origin(1)[0]
    labels = {row[[c[0] for c in GRADE_COLUMNS].index("abc")] for row in table.rows}
    assert {"New", "Dormant", "Prospect"} <= labels
    hidden = history_sheet(result, "en")
    assert hidden.hidden and hidden.name == "GradeHistory" and hidden.key == HISTORY_KEY


def test_card_formula_points_at_the_id_and_grade_columns():
    formula = grade_formula(7, "zh")
    grade_letter = column_letter(1 + [c[0] for c in GRADE_COLUMNS].index("grade"))
    id_letter = column_letter(1 + [c[0] for c in GRADE_COLUMNS].index("customer_id"))
    assert formula.text == (f"IFERROR(INDEX('客户分级'!${grade_letter}:${grade_letter},"
                            f"MATCH($A7,'客户分级'!${id_letter}:${id_letter},0)),\"\")")
    assert not re.search(r"XLOOKUP|FILTER|LET\(", formula.text)
    customers = next(s for s in input_sheets("en") if s.key == "customers")
    block = customers.blocks[0]
    assert block.columns[-1].header == "Grade"
    assert isinstance(block.rows[0][-1], Formula) and "$A2" in block.rows[0][-1].text


@needs_libreoffice
def test_libreoffice_shows_each_cards_grade(tmp_path):
    b = pareto_book()
    result, _ = graded(b)
    frames = {"customers": b.frame("customers").drop(columns="_row")}
    sheets = [s for s in input_sheets("zh", frames) if s.key == "customers"]
    sheets.append(grades_sheet(result, "zh", 30))
    stamp(sheets[-1], header_line("zh", dt.datetime(2026, 1, 1)))
    path = tmp_path / "cards.xlsx"
    new_workbook(path, sheets)
    shown = libreoffice.sheets_as_csv(path)["客户档案"]
    assert shown[0][-1] == "客户等级"
    expected = by_id(result, "grade")
    assert {row[0]: row[-1] for row in shown[1:] if row[0]} == expected


@pytest.mark.slow
def test_demo_office_end_to_end():
    from salesxl import pipeline
    from salesxl.demo import generate_office
    from tests.books import frames_book

    demo = generate_office("S", 7)
    office = frames_book(demo.tables, demo.settings)
    first = pipeline.run(office, ["grades", "composition"])
    graded_ = first.results["grade"]
    ids = set(demo.tables["customers"]["customer_id"].dropna())
    assert sorted(graded_.customers["customer_id"]) == sorted(ids)
    assert set(graded_.customers["grade"]) == set(GRADES)
    assert first.results["composition"].sales == pytest.approx(graded_.customers["net_sales"].sum())
    history = next(s for s in first.sheets if s.key == HISTORY_KEY)
    assert history.hidden and len(history.blocks[0].rows) == len(ids)
    office.state[HISTORY_KEY] = sheet_rows(history)
    second = pipeline.run(office, ["grades"])
    assert second.results["grade"].changes.empty and len(second.results["grade"].history) == len(ids)
