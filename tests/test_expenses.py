"""Expenses against the budget: own and office-wide budget lines, over-budget flags, the sheet."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings as hyp_settings, strategies as st

from salesxl.schema.outputs import stamp
from salesxl.io import libreoffice
from salesxl.io.xlsx import new_workbook
from salesxl.passes.expenses import expenses
from salesxl.reports.contracts import contracts_sheet
from salesxl.reports.expense_report import MONTH_BLOCK, expense_sheet
from salesxl.reports.price_check import price_sheet
from salesxl.reports.reminders import reminders_sheet
from tests.books import make_book
from tests.support import needs_libreoffice

PEOPLE = [{"salesperson_id": "S1", "name": "张三", "region": "天河"}, {"salesperson_id": "S2", "name": "李四", "region": "越秀"}]
BUDGET = [
    {"budget_id": "B1", "year": 2025, "month": 3, "category": "travel", "salesperson_id": "S1", "amount": 1000},
    {"budget_id": "B2", "year": 2025, "month": 3, "category": "travel", "amount": 500},  # office-wide
    {"budget_id": "B3", "year": 2025, "month": 3, "category": "entertainment", "salesperson_id": "S1", "amount": 300},
    {"budget_id": "B4", "year": 2025, "month": 4, "category": "travel", "salesperson_id": "S1", "amount": 1000},
    {"budget_id": "B5", "year": 2024, "month": 3, "category": "entertainment", "salesperson_id": "S2", "amount": 9999},
]
EXPENSES = [
    {"expense_id": "E1", "date": "2025-03-05", "salesperson_id": "S1", "category": "travel", "amount": 700},
    {"expense_id": "E2", "date": "2025-03-20", "salesperson_id": "S1", "category": "travel", "amount": 400},
    {"expense_id": "E3", "date": "2025-03-10", "salesperson_id": "S2", "category": "travel", "amount": 450},
    {"expense_id": "E4", "date": "2025-03-12", "salesperson_id": "S2", "category": "entertainment", "amount": 80},
    {"expense_id": "E5", "date": "2025-04-02", "salesperson_id": "S1", "category": "travel", "amount": 200},
    {"expense_id": "E6", "date": "2025-05-03", "salesperson_id": "S1", "category": "travel", "amount": 50},  # after as-of
    {"expense_id": "E7", "date": "2024-03-05", "salesperson_id": "S2", "category": "entertainment", "amount": 100},
]


def book(lang="zh", budget=BUDGET, spent=EXPENSES):
    return make_book({"salespeople": PEOPLE, "budget": budget, "expenses": spent}, lang=lang,
                     settings={"as_of_date": dt.date(2025, 4, 30)})


def line(result, month, category, salesperson):
    found = result.lines[(result.lines["month"] == month) & (result.lines["category"] == category)
                         & (result.lines["salesperson_id"] == salesperson)]
    assert len(found) == 1, (month, category, salesperson)
    return found.iloc[0]


def test_own_line_first_then_office_wide_and_over_budget_flag():
    result, issues = expenses(book())
    own = line(result, 3, "travel", "S1")
    assert (own["budget"], own["actual"], bool(own["over"])) == (1000, 1100, True)
    assert abs(own["used"] - 1.1) < 1e-9
    office = line(result, 3, "travel", "")  # S2 has no own travel line: charged to the office-wide one
    assert (office["budget"], office["actual"], bool(office["over"])) == (500, 450, False)
    untouched = line(result, 3, "entertainment", "S1")
    assert (untouched["budget"], untouched["actual"], bool(untouched["over"])) == (300, 0, False)
    loose = line(result, 3, "entertainment", "S2")
    assert (loose["budget"], loose["actual"], bool(loose["over"])) == (0, 80, True)
    april = line(result, 4, "travel", "S1")
    assert (april["budget"], april["actual"], bool(april["over"])) == (1000, 200, False)
    assert len(result.lines) == 5  # 2024 lines, and expenses after the as-of date, are not in the year


def test_expense_without_a_budget_line_is_reported_at_its_cell():
    _, issues = expenses(book())
    assert [(i.code, i.cell) for i in issues] == [("EXPENSE_UNBUDGETED", "费用!D5")]
    assert "E4" in issues[0].message and "招待费" in issues[0].message and "2025-03" in issues[0].message


def test_no_budget_at_all_gives_one_warning():
    _, issues = expenses(book(budget=[]))
    assert [i.code for i in issues] == ["EXPENSE_NO_BUDGET"]
    assert "2025" in issues[0].message and "5" in issues[0].message


def test_month_category_and_salesperson_totals():
    result, _ = expenses(book())
    months = result.by_month().set_index("month")
    assert (months.loc[3, "budget"], months.loc[3, "actual"]) == (1800, 1630)
    assert (months.loc[4, "budget"], months.loc[4, "actual"]) == (1000, 200)
    assert months.loc[[1, 2, 5, 12], ["budget", "actual"]].to_numpy().sum() == 0
    categories = result.by_category().set_index("category")
    assert categories.loc["travel", ["year_budget", "budget", "actual", "remaining"]].tolist() == [2500, 2500, 1750, 750]
    people = result.by_salesperson().set_index("salesperson_id")
    assert people.loc["S1", ["budget", "actual", "office_charged", "unbudgeted"]].tolist() == [2300, 1300, 0, 0]
    assert people.loc["S2", ["budget", "actual", "office_charged", "unbudgeted"]].tolist() == [0, 0, 450, 80]
    assert people.loc["", ["budget", "actual"]].tolist() == [500, 450]
    assert list(people.index) == ["S1", "S2", ""]  # the office-wide row comes last


def test_sheet_flags_over_budget_lines_and_charts_budget_against_actual():
    result, _ = expenses(book("en"))
    spec = expense_sheet(result, "en")
    assert spec.name == "ExpenseReport"
    lines = spec.blocks[3]
    flagged = [(r[0], r[1], r[2]) for r in lines.rows if r[-1] == "over"]
    assert flagged == [("2025-03", "Entertainment", "S2"), ("2025-03", "Travel", "S1")]
    assert any(h.equals == "over" and h.whole_row for h in lines.highlights)
    months = spec.blocks[MONTH_BLOCK]
    assert months.rows[2][:3] == ["2025-03", 1800.0, 1630.0]
    chart = spec.charts[0]
    assert chart.kind == "column"
    assert [(s.block, s.values_column) for s in chart.series] == [(MONTH_BLOCK, 1), (MONTH_BLOCK, 2)]
    assert [months.columns[s.values_column].header for s in chart.series] == ["Budget", "Actual"]
    total = spec.blocks[0].rows[-1]
    assert total[0] == "Total" and total[2:4] == [2800.0, 1830.0]


amounts = st.integers(min_value=0, max_value=5000)
budget_rows = st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["travel", "samples"]),
                                 st.sampled_from(["S1", "S2", None]), amounts), max_size=8)
expense_rows = st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["travel", "samples"]),
                                  st.sampled_from(["S1", "S2"]), amounts), max_size=12)


@hyp_settings(max_examples=40, deadline=None)
@given(budget_rows, expense_rows)
@example(planned=[(1, "travel", "S1", 0)], spent=[(1, "travel", "S1", 1)])  # a line budgeted at 0, then spent
def test_every_expense_is_charged_once_and_budgets_add_up(planned, spent):
    budget = [{"budget_id": f"B{i}", "year": 2025, "month": m, "category": c, "salesperson_id": sp, "amount": a}
              for i, (m, c, sp, a) in enumerate(planned)]
    rows = [{"expense_id": f"E{i}", "date": f"2025-{m:02d}-10", "salesperson_id": sp, "category": c, "amount": a}
            for i, (m, c, sp, a) in enumerate(spent)]
    result, issues = expenses(book(budget=budget, spent=rows))
    assert abs(result.lines["actual"].sum() - sum(a for *_, a in spent)) < 1e-6
    assert abs(result.lines["budget"].sum() - sum(a for *_, a in planned)) < 1e-6
    keys = {(m, c, sp) for m, c, sp, _ in planned}
    loose = [e for e in spent if (e[0], e[1], e[2]) not in keys and (e[0], e[1], None) not in keys]
    if planned:
        assert len(issues) == len(loose)
    people = result.by_salesperson()
    assert abs(people[["actual", "unbudgeted"]].to_numpy().sum() - sum(a for *_, a in spent)) < 1e-6


@needs_libreoffice
def test_libreoffice_shows_the_money_sheets(tmp_path):
    from tests.test_contracts import run as contract_run
    from tests.test_pricing import checked
    from tests.test_reminders import CONTRACTS, CUSTOMERS, VISITS, remind

    result, _ = expenses(book())
    header = "由 salesxl 生成"
    sheets = [expense_sheet(result, "zh"), price_sheet(checked()[0], "zh"),
              contracts_sheet(contract_run()[0], "zh"),
              reminders_sheet(remind({"customers": CUSTOMERS, "visits": VISITS, "contracts": CONTRACTS},
                                     dt.date(2025, 9, 25))[0], "zh")]
    for sheet in sheets:
        stamp(sheet, header)
    path = tmp_path / "money.xlsx"
    new_workbook(path, sheets)
    shown = libreoffice.sheets_as_csv(path)
    assert {"费用报表", "价格执行", "合同询价统计", "提醒"} <= set(shown)
    expense = shown["费用报表"]
    month_row = next(r for r in expense if r and r[0] == "2025-03")
    assert month_row[1:5] == ["1800", "1630", "90.5555555555556%", ""]
    over = next(r for r in expense if r and r[0] == "2025-03" and r[2] == "S1" and r[1] == "差旅费")
    assert over[4:8] == ["1000", "1100", "110%", "超支"]
    assert expense[4][:4] == ["差旅费", "2500", "2500", "1750"]  # categories in the declared order
    flagged = [r for r in shown["价格执行"] if r and r[0].startswith("销售明细!J")]
    assert [r[0] for r in flagged] == ["销售明细!J3", "销售明细!J5"] and flagged[0][16] == "低于最低限价；超出最大折扣"
    ending = next(r for r in shown["合同询价统计"] if r and r[0] == "30天内")
    assert ending[1:3] == ["K1", "C1"]
    first = next(r for r in shown["提醒"] if r and r[2] == "紧急待跟进")
    assert first[3:8] == ["S1", "张三", "C3", "客户C3", "客户投诉：投诉送货延迟"]

def test_an_empty_book_gives_an_empty_year():
    result, issues = expenses(make_book({}, settings={"as_of_date": dt.date(2025, 4, 30)}))
    assert issues == [] and result.lines.empty
    spec = expense_sheet(result, "zh")
    assert spec.blocks[MONTH_BLOCK].rows[0][:3] == ["2025-01", 0.0, 0.0]
