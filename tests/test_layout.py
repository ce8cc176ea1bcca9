"""What a manager reads first and what prints: widths that fit, report dates, summaries on top."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.io.xlsx.sheetxml import _widths, layout
from salesxl.registry import ReportContext
from salesxl.reports.daily_weekly import WORDS as DW, build_daily, build_weekly
from salesxl.reports.monthly_customer import monthly_sheet
from salesxl.reports.target_plan import build as build_target_plan
from tests.books import make_book, run_pass

FRIDAY, SATURDAY = dt.date(2026, 10, 30), dt.date(2026, 10, 31)
PEOPLE = [{"salesperson_id": "S1", "name": "甲", "region": "华南", "active": True},
          {"salesperson_id": "S2", "name": "乙", "region": "华北", "active": True}]


def _shown(value: float, kind: str) -> str:
    """The text a spreadsheet shows for the formats salesxl writes (written apart from the code under test)."""
    return f"{value * 100:.1f}%" if kind == "percent" else f"{value:,.2f}" if kind == "money" else str(int(value))


@settings(max_examples=60)
@given(st.lists(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False), min_size=1, max_size=20),
       st.sampled_from(["money", "percent", "int"]), st.integers(min_value=6, max_value=14))
def test_a_column_is_wide_enough_for_each_formatted_number(values, kind, given_width):
    """The 差额 column of 业绩达成 was 10 wide: every gap of 100,000 or more printed as ###."""
    values = [round(v) if kind == "int" else v for v in values]
    spec = SheetSpec("performance", "业绩达成", [Block([ColumnSpec("差额", kind, width=given_width)], [[v] for v in values])])
    width = _widths(spec, layout(spec))[1]
    assert width >= max(len(_shown(v, kind)) for v in values) + 1


def test_a_column_of_wide_text_counts_chinese_characters_double():
    spec = SheetSpec("x", "x", [Block([ColumnSpec("日期", "date")], [[dt.date(2026, 10, 31)]]),
                                Block([ColumnSpec("客户名称")], [["广州市天河区某某贸易有限公司"]])])
    widths = _widths(spec, layout(spec))
    assert widths[1] >= 2 * len("广州市天河区某某贸易有限公司")


def _office(**extra_settings):
    """Friday: visits, orders; Saturday (the latest record, so the as-of date): one order only."""
    visits = [{"visit_id": f"V{n}", "date": FRIDAY, "salesperson_id": "S1", "customer_id": "C1"} for n in range(3)]
    orders = [{"line_id": f"L{n}", "order_id": f"O{n}", "date": day, "customer_id": "C1", "salesperson_id": "S1",
               "product_id": "P1", "quantity": 1, "unit_price": 100, "amount": 100}
              for n, day in enumerate([FRIDAY, SATURDAY])]
    return make_book({"salespeople": PEOPLE, "customers": [{"customer_id": "C1", "name": "客户一", "salesperson_id": "S1",
                                                            "status": "active"}],
                      "visits": visits, "orders": orders,
                      "targets": [{"target_id": "T1", "year": 2026, "scope": "company", "amount": 1_000_000}]},
                     settings={"plan_year": 2026, **extra_settings})


def _activity(book):
    plan, _ = run_pass(book, "targets")
    act, _ = run_pass(book, "activity", targets=plan)
    return ReportContext(book, {"targets": plan, "activity": act}, []), act


def test_daily_report_of_a_saturday_as_of_date_is_the_last_working_day_with_data():
    ctx, act = _activity(_office())
    assert act.date == FRIDAY
    sheet = build_daily(ctx, act, run_pass(ctx.book, "complaints")[0])
    assert sheet.blocks[0].rows == [[FRIDAY]]
    total = sheet.blocks[-1].rows[-1]
    assert total[0] == DW["zh"]["total"] and total[2] == 3  # Friday's three visits, not Saturday's none


def test_a_report_date_set_in_settings_is_kept_even_on_a_saturday():
    _, act = _activity(_office(report_date=SATURDAY))
    assert act.date == SATURDAY


def test_weekly_report_opens_with_the_week_against_its_target():
    ctx, act = _activity(_office())
    titles = [b.title for b in build_weekly(ctx, act, run_pass(ctx.book, "market")[0]).blocks]
    assert titles.index(DW["zh"]["performance"]) == 1  # right under the week's dates
    assert titles.index(DW["zh"]["performance"]) < titles.index(DW["zh"]["intent"])


def test_target_plan_shows_the_company_target_that_is_not_allocated():
    book = make_book({"salespeople": PEOPLE, "targets": [
        {"target_id": "T1", "year": 2026, "scope": "company", "amount": 1_000_000},
        {"target_id": "T2", "year": 2026, "scope": "salesperson", "salesperson_id": "S1", "amount": 400_000},
        {"target_id": "T3", "year": 2026, "scope": "salesperson", "salesperson_id": "S2", "amount": 450_000}]},
        lang="en", settings={"plan_year": 2026})
    plan, _ = run_pass(book, "targets")
    sheet = build_target_plan(ReportContext(book, {"targets": plan}, []), plan)
    first = sheet.blocks[0]
    planned = int(plan.months["amount"].sum())
    assert planned == 850_000
    row = next(r for r in first.rows if 1_000_000 in r)
    assert 1_000_000 - planned in row  # 150,000 not allocated, on the sheet's first block


def test_monthly_report_opens_with_a_summary_and_lists_as_filterable_tables():
    day = dt.date(2026, 10, 20)
    book = make_book({"salespeople": PEOPLE,
                      "customers": [{"customer_id": f"C{n}", "name": f"客户{n}", "salesperson_id": sp, "status": "active"}
                                    for n, sp in ((1, "S1"), (2, "S1"), (3, "S2"))],
                      "visits": [{"visit_id": "V1", "date": day, "salesperson_id": "S1", "customer_id": "C1"}],
                      "orders": [{"line_id": f"L{n}", "order_id": f"O{n}", "date": day, "customer_id": c,
                                  "salesperson_id": sp, "product_id": "P1", "quantity": 1, "unit_price": 50,
                                  "amount": 50} for n, (c, sp) in enumerate((("C1", "S1"), ("C2", "S1"), ("C3", "S2")))]})
    sheet = monthly_sheet(book, run_pass(book, "sales")[0])
    summary, details = sheet.blocks[1], sheet.blocks[2:]
    assert summary.table_name is None and len(summary.rows) == 3  # S1, S2, total
    by_person = {r[0]: r for r in summary.rows}
    assert by_person["S1"][2:5] == [2, 1, 100.0] and by_person["S1"][-1] == 1  # C2 bought without a visit
    assert by_person["S2"][-1] == 1
    assert details and all(d.table_name for d in details)
    assert sum(len(d.rows) - 1 for d in details) == by_person[summary.rows[-1][0]][2]  # every customer listed once
