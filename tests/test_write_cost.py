"""Issue 17, building and writing the report sheets: widths measured once, a tool sheet recognised from the start
of its part, report builders and the sheet XML without per-day or per-block work, the live read and write without
a call per cell or per column; each with the same results as the per-cell definition it replaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from salesxl.core import widths as widths_module
from salesxl.core.printing import report_page
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.core.widths import column_need
from salesxl.io.xlsx import new_workbook
from tests.support import sheet_part

_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10**9, max_value=10**9, places=2), st.text(max_size=12),
    st.sampled_from(["广州市天河区", "0", "FALSE"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)))


@settings(max_examples=200)
@given(st.lists(_VALUES, max_size=12), st.sampled_from(["text", "money", "int", "percent", "date"]), st.randoms())
def test_a_width_does_not_depend_on_the_order_or_repetition_of_values(values, kind, rnd):
    """Measuring each distinct value once must not let one value hide another that shows differently
    (False and 0, True and 1, 0.0 and -0.0 are equal in Python but print differently)."""
    column = ColumnSpec("列", kind)
    shuffled = values * 2
    rnd.shuffle(shuffled)
    assert column_need(column, shuffled) == column_need(column, values)


def test_false_beside_zero_is_measured_as_false():
    column = ColumnSpec("x", "int")
    assert column_need(column, [0, False]) == column_need(column, [False, 0]) >= len("FALSE") + 2


def _report() -> SheetSpec:
    rows = [[f"C{n:04d}", "广州市天河区某某贸易有限公司" if n % 3 else "客户", n * 1234.5, dt.date(2026, 1, 1 + n % 28)]
            for n in range(300)]
    columns = [ColumnSpec("客户编号"), ColumnSpec("名称"), ColumnSpec("金额", "money"), ColumnSpec("日期", "date")]
    return SheetSpec("grades", "客户分级", [Block(columns, rows, table_name="T_grades"),
                                           Block(columns[:2], rows[:5], title="小计")])


def test_a_sheet_is_measured_once_for_its_page_and_its_file(tmp_path, monkeypatch):
    """Page setup and the writer both need the widths; measuring them twice doubled that cost on every run."""
    measured = []
    real = widths_module.block_widths
    monkeypatch.setattr(widths_module, "block_widths", lambda block: measured.append(block) or real(block))
    spec = _report()
    spec.page = report_page(spec)
    new_workbook(tmp_path / "out.xlsx", [spec])
    assert len(measured) == len(spec.blocks)
    cols = sheet_part(tmp_path / "out.xlsx", "客户分级").decode()
    assert f'<col min="2" max="2" width="{2 * len("广州市天河区某某贸易有限公司") + 2:g}"' in cols


def test_telling_the_users_sheets_inflates_only_the_top_of_each_sheet(tmp_path, monkeypatch):
    """Which sheets are the user's is decided by A1; inflating whole sheets to read it cost 0.3 s per recalc
    of the demo."""
    import openpyxl

    from salesxl.io.xlsx import package, user_sheet_names, write_sheets

    path = tmp_path / "office.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "我的数据"
    for n in range(20000):
        wb.active.append([f"客户{n}", n * 1.5, "广州市天河区"])
    wb.create_sheet("客户分级").append(["我自己的表"])  # a result sheet's name, but the user's A1
    wb.save(path)
    spec = _report()
    spec.name = "拜访路线"
    write_sheets(path, [spec])
    inflated = []
    real = package._decompress
    monkeypatch.setattr(package, "_decompress", lambda entry: inflated.append(entry.info.filename) or real(entry))
    assert user_sheet_names(path) == ["我的数据", "客户分级"]
    assert not any(name.startswith("xl/worksheets/") for name in inflated)


_LIVE = st.one_of(st.none(), st.text(max_size=4), st.floats(allow_nan=False), st.integers(-5, 5), st.booleans(),
                  st.decimals(min_value=-100, max_value=100, places=2),
                  st.datetimes(min_value=dt.datetime(1899, 12, 30), max_value=dt.datetime(1900, 1, 2)),
                  st.dates(min_value=dt.date(1899, 12, 30), max_value=dt.date(1900, 1, 2)))


@settings(max_examples=150)
@given(st.integers(0, 4).flatmap(lambda w: st.lists(st.lists(_LIVE, min_size=w, max_size=w), max_size=6)),
       st.lists(st.lists(_LIVE, max_size=4), max_size=4))
def test_a_live_block_reads_cell_for_cell_as_the_file_reader_would(rectangle, ragged):
    """Converting column by column gives what `live_cell` gives for every cell (blanks, Decimal, time-only)."""
    from salesxl.io.grid import live_cell, live_rows

    for rows in (rectangle, ragged):
        expected = [[live_cell(v) for v in row] for row in rows]
        got = live_rows(rows)
        assert got == expected and [list(map(type, r)) for r in got] == [list(map(type, r)) for r in expected]


def test_a_plain_live_block_is_not_converted_cell_by_cell(monkeypatch):
    """Reading the live book converted every cell in Python (0.8 CPU s of the demo office's click)."""
    from salesxl.io import grid

    calls = []
    real = grid.live_cell
    monkeypatch.setattr(grid, "live_cell", lambda v: calls.append(v) or real(v))
    rows = [[f"C{n}", n * 1.5, None, dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 9, 30) if n % 2 else None]
            for n in range(1000)]
    out = grid.live_rows(rows)
    assert out[0] == ["C0", 0.0, "", dt.date(2026, 1, 1), ""] and out[1][4] == dt.datetime(2026, 1, 1, 9, 30)
    assert not calls  # strings, numbers, blanks and dates are taken column by column


_GRID = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["=1+1", "00123", "3/4", "@SUM(A1)"]),
                  st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15), st.booleans(),
                  st.decimals(allow_nan=False, allow_infinity=False, places=2),
                  st.dates(min_value=dt.date(1899, 1, 1)), st.times())


@settings(max_examples=100)
@given(st.lists(st.lists(_GRID, min_size=3, max_size=3), min_size=1, max_size=5))
def test_the_live_grid_holds_what_excel_must_receive_for_each_value(rows):
    """Each value as `excel_value` gives it, text with its prefix so that "=1+1" stays text."""
    from salesxl.excel_adapter.writing import excel_value, sheet_grid

    spec = SheetSpec("x", "x", [Block([ColumnSpec("a"), ColumnSpec("b"), ColumnSpec("c")], rows)])
    grid = sheet_grid(spec).values
    assert grid[1:] == [[excel_value(v) for v in row] for row in rows]


def test_the_live_grid_takes_plain_values_without_a_call_each(monkeypatch):
    from salesxl.excel_adapter import writing

    calls = []
    real = writing.excel_value
    monkeypatch.setattr(writing, "excel_value", lambda v: calls.append(v) or real(v))
    spec = _report()
    grid = writing.sheet_grid(spec).values
    assert grid[1][:3] == ["'C0000", "'客户", 0.0] and grid[2][1] == "'广州市天河区某某贸易有限公司"
    assert len(calls) <= 2 * 300 + 20  # the dates and the headers, not every cell


def test_the_routes_sheet_costs_one_table_conversion_per_salesperson_not_per_day(monkeypatch):
    """Each day's stops were filtered and converted on their own (0.4 CPU s of the demo's recalc); a day block must
    still hold exactly that day's stops in order, then the way back and the day's total."""
    import pandas as pd

    from salesxl.passes.routes import routes
    from salesxl.reports.routes import routes_sheet
    from tests.test_routes import by_hand, small_office

    book, grades = small_office()
    plan, _ = routes(book, by_hand(grades))
    conversions = []
    real = pd.DataFrame.to_dict
    monkeypatch.setattr(pd.DataFrame, "to_dict", lambda self, *a, **k: conversions.append(len(self)) or real(self, *a, **k))
    sheet = routes_sheet(plan, "zh")
    days = plan.day_totals[plan.day_totals["visits"] > 0]
    assert len(conversions) <= 6 + 2 * len(plan.summary)  # summary, capacity, settings, stops, unplanned; days
    day_blocks = [b for b in sheet.blocks if b.columns[0].kind == "int" and b.rows and b.rows[-1][2] == "合计"
                  and len(b.columns) == 9]
    assert len(day_blocks) == len(days)
    for block, (_, day) in zip(day_blocks, days.iterrows()):
        stops = plan.stops[(plan.stops["salesperson_id"] == day["salesperson_id"]) & (plan.stops["date"] == day["date"])]
        assert [r[1] for r in block.rows[:-2]] == list(stops["customer_id"])
        assert block.rows[-2][6] == round(float(day["km"]) - float(stops["km"].sum()), 2)


def test_a_sheet_of_repeated_blocks_resolves_each_columns_styles_once(tmp_path, monkeypatch):
    """Routes repeats one day block 160 times; each block looked its five styles up again."""
    from salesxl.io.xlsx import sheetxml

    made = []
    real = sheetxml._ColumnStyles.__init__
    monkeypatch.setattr(sheetxml._ColumnStyles, "__init__", lambda self, *a: made.append(a[1]) or real(self, *a))
    columns = [ColumnSpec("站"), ColumnSpec("公里", "number"), ColumnSpec("日期", "date")]
    blocks = [Block(columns, [[f"C{d}", d * 1.5, dt.date(2026, 1, 1 + d)]], title=f"第{d}天") for d in range(20)]
    new_workbook(tmp_path / "out.xlsx", [SheetSpec("routes", "拜访路线", blocks)])
    assert len(made) == len(columns)
    xml = sheet_part(tmp_path / "out.xlsx", "拜访路线").decode()
    import re

    dates = set(re.findall(r'<c r="C\d+" s="(\d+)"><v>', xml))
    assert len(dates) == 1  # every block's dates share one date style


def test_neighbouring_columns_of_one_format_cost_one_area_live():
    """Number formats go on unions of areas; a block's money columns side by side are one area, so a sheet of
    many such blocks needs fewer Excel calls, and every cell still gets its format."""
    from salesxl.excel_adapter import writing
    from xlwings_standin import App, Book

    columns = [ColumnSpec("名称")] + [ColumnSpec(f"{m}月", "money") for m in range(1, 13)]
    blocks = [Block(columns, [[f"客户{b}-{n}", *range(12)] for n in range(3)], title=f"区域{b}") for b in range(30)]
    spec = SheetSpec("x", "月度", blocks)
    book = Book("live.xlsx", app=App())
    book.sheets.add("Sheet1")
    writing.write_specs(book, [spec], "zh")
    sheet = book.sheets["月度"]
    assert book.app.calls["format", "月度"] <= 12
    for index in range(len(blocks)):
        row0, _ = spec.block_origin(index)
        # the stand-in keeps a format at the corners of each area it was set on
        assert sheet.range((row0 + 1, 2)).number_format == sheet.range((row0 + 3, 13)).number_format == columns[1].format
        assert sheet.range((row0 + 1, 1)).number_format == "General"
