"""The main job end to end: recalculating the shipped demo office."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from salesxl import pipeline
from salesxl.files import make_demo, recalc_file
from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.passes.validate import ITEM7_CODES
from tests.support import WORKBOOKS, copy_to, needs_libreoffice, parts, sheet_part, sheet_rows

pytestmark = pytest.mark.slow  # every test works on the recalculated 11 MB demo

MONDAY = dt.datetime(2026, 11, 2, 9, 0, 0)
TUESDAY = dt.datetime(2026, 11, 3, 17, 30, 5)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    demo = copy_to(WORKBOOKS / "demo.xlsx", folder)
    report = recalc_file(demo, now=MONDAY)
    assert report.ok, report.message
    return demo


def test_every_card_check_fires_on_the_demo(recalculated):
    rows = sheet_rows(recalculated, "校验结果")
    codes = {cell for row in rows for cell in row if isinstance(cell, str) and re.fullmatch(r"[A-Z0-9_]+", cell)}
    missing = (set(ITEM7_CODES) | {"CELL_BAD_CHOICE"}) - codes  # CELL_BAD_CHOICE: the reader's enum check
    assert not missing, f"checks that found nothing on the demo: {sorted(missing)}"


def test_validation_rows_link_to_their_cells(recalculated):
    book = read_book(recalculated)
    issues = pipeline.run(book, ["validation"]).issues
    rows = sheet_rows(recalculated, "校验结果")
    codes = {i.code for i in issues}
    listed = {f"{row[4]}!{row[5]}" for row in rows if len(row) > 5 and row[2] in codes and row[5]}
    assert {i.cell for i in issues if i.cell} == listed


def test_second_run_rewrites_identical_sheets(recalculated, tmp_path):
    first = sheet_part(recalculated, "校验结果")
    again = copy_to(recalculated, tmp_path)
    assert recalc_file(again, now=TUESDAY).ok
    second = sheet_part(again, "校验结果")
    stamp = re.compile(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
    assert first != second  # the header line carries the run time
    assert stamp.sub(b"T", first) == stamp.sub(b"T", second)
    untouched = {k: v for k, v in parts(recalculated).items()}
    for name, data in parts(again).items():
        if name in untouched and not name.startswith("xl/worksheets/sheet_sxl_"):
            assert data == untouched[name], name


@needs_libreoffice
def test_libreoffice_reads_the_validation_sheet_we_expect(recalculated):
    book = read_book(recalculated)
    issues = pipeline.run(book, ["validation"]).issues
    shown = libreoffice.sheets_as_csv(recalculated)["校验结果"]
    detail = [row for row in shown if len(row) > 3 and row[2] in {i.code for i in issues} and row[0].isdigit()]
    assert [(row[2], row[3]) for row in detail] == [(i.code, i.message) for i in issues]
    assert shown[0][0].startswith("由 salesxl")


def test_shipped_demo_is_what_the_generator_makes(tmp_path):
    fresh = tmp_path / "demo.xlsx"
    make_demo(fresh)
    assert parts(fresh) == parts(WORKBOOKS / "demo.xlsx"), "run: salesxl demo workbooks/demo.xlsx"


def test_editing_one_customers_orders_reports_exactly_that_grade_change(recalculated, tmp_path):
    from salesxl.io.rows import TableChanges, apply_row_changes

    office = copy_to(recalculated, tmp_path)
    before = pipeline.run(read_book(office), ["grades"], now=MONDAY).results["grade"].customers.set_index("customer_id")
    assert before["change"].isin(["up", "down"]).sum() == 0  # the first run's grades were read back
    book = read_book(office)
    orders = book.frame("orders")
    as_of = book.settings.general.as_of_date
    buyer = before[(before["grade"] == "D") & (before["net_sales"] > 0)].index[0]
    template = orders[(orders["customer_id"] == buyer) & (orders["type"] == "sale")].iloc[-1]  # a sale, not a return
    line = {key: template[key] for key in ("order_id", "customer_id", "salesperson_id", "product_id", "product_name",
                                           "product_line", "type", "status")}
    big = float(before["net_sales"].max())
    line.update(line_id="L9999999", date=dt.datetime.combine(as_of, dt.time()), quantity=1.0, unit_price=big, amount=big,
                invoice_no=None, invoice_date=None, due_date=None, status="shipped")
    apply_row_changes(office, {"orders": TableChanges(appends=[line])})
    assert recalc_file(office, now=TUESDAY).ok
    after = read_book(office)
    changed = pipeline.run(after, ["grades"], now=TUESDAY).results["grade"]
    rows = sheet_rows(office, "客户分级")
    header = next(i for i, row in enumerate(rows) if "较上次变化" in row)
    id_col, change_col = rows[header].index("客户编号"), rows[header].index("较上次变化")
    reported = {row[id_col]: row[change_col] for row in rows[header + 1:] if row[change_col] not in ("", None)}
    movers = {k: v for k, v in reported.items() if "↑" in str(v) or "↓" in str(v)}
    # grades rank customers against each other, so a customer on a grade line may move with the buyer; the
    # sheet reports exactly the changes the pass made, the buyer's among them, and only a handful besides
    now_graded = changed.customers.set_index("customer_id")["grade"]
    assert set(movers) == set(now_graded.index[now_graded != before["grade"].reindex(now_graded.index)]), movers
    assert "↑" in movers[buyer] and len(movers) <= 1 + (len(rows) - header - 1) // 100, movers
    assert changed.customers.set_index("customer_id").loc[buyer, "grade"] < "D"
