"""Issue 17, the writing side: a report sheet's widths are measured once, a tool sheet is recognised from the
start of its part, and the live write costs calls per block, not per cell, with the same results as before."""

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
    """Page setup and the writer both need the widths; measuring them twice cost a second per recalc."""
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
    """Which sheets are the user's is decided by A1; inflating whole sheets to read it cost 0.4 s per recalc."""
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
