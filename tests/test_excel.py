"""The ribbon's entry points on the demo office through the in-memory xlwings stand-in."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from python_calamine import CalamineWorkbook

from salesxl import excel, pipeline
from salesxl.core.sheetspec import Link
from salesxl.excel_adapter import writing
from salesxl.files import make_demo, new_template, recalc_file
from salesxl.schema import OUTPUTS, OUTPUTS_BY_KEY, TABLES
from support import WORKBOOKS
from xlwings_standin import App, Book, excel_parse



@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    shipped = WORKBOOKS / "demo.xlsx"
    if shipped.exists():
        return shipped
    path = tmp_path_factory.mktemp("demo") / "demo.xlsx"
    make_demo(path, size="S")
    return path


@pytest.fixture(scope="module")
def file_result(demo, tmp_path_factory) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("file") / "recalculated.xlsx"
    report = recalc_file(demo, out=out)
    assert report.ok
    return out, report.sheets


@pytest.fixture(scope="module")
def runs() -> list[pipeline.RunResult]:
    return []


@pytest.fixture(scope="module")
def live(demo, runs) -> Book:
    """The demo office after the Recalculate-all button; `runs` keeps what the pipeline returned."""
    book = Book.from_file(demo)
    real = pipeline.run
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(excel.pipeline, "run", lambda b, outputs=None: runs.append(real(b, outputs)) or runs[-1])
        excel.recalc_all(book)
    return book


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "office.xlsx"
    new_template(path, "zh")
    return path


@pytest.fixture
def small(template) -> Book:
    """An office workbook with every input sheet and no rows."""
    return Book.from_file(template)


def _normal(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _file_cells(path: Path, name: str) -> dict[tuple[int, int], object]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name)
    row0, col0 = sheet.start or (0, 0)
    return {(row0 + i + 1, col0 + j + 1): _normal(v) for i, row in enumerate(sheet.to_python())
            for j, v in enumerate(row) if v != ""}


def test_recalc_all_leaves_the_same_tool_sheets_as_the_file_adapter(live, file_result):
    out, written = file_result
    assert written and [s.name for s in live.sheets][-len(written):] == written
    clock = {OUTPUTS_BY_KEY["run_log"].zh: {1, 8}}  # the run log's run time and seconds are the wall clock's
    for name in written:
        skip = clock.get(name, set())
        expected = {k: v for k, v in _file_cells(out, name).items() if k != (1, 1) and k[1] not in skip}
        got = {k: _normal(v) for k, v in live.sheets[name].values().items() if k != (1, 1) and k[1] not in skip}
        assert got == expected, name
        assert writing.is_tool_sheet_marker(live.sheets[name].range("A1").value)


def _tool_sheet(sheet) -> bool:
    return writing.is_tool_sheet_marker(sheet.values().get((1, 1)))


#: Excel calls a generated sheet may cost whatever its row count (values, fonts, fills, formats, widths, tables);
#: each chart, picture, table, page setup and rule adds a few, and each block's ranges at most one more
#: (unions are split at Excel's 255-character address limit); none of them per row.
SHEET_CALLS = 20


def _call_budget(spec) -> int:
    rules = sum(len(b.highlights) + 2 * len(b.validations) + bool(b.table_name) for b in spec.blocks)
    page = 6 + len(spec.page.row_breaks) if spec.page else 0
    return SHEET_CALLS + 4 * len(spec.charts) + 2 * len(spec.pictures) + rules + page + len(spec.blocks)


def _sheet_calls(calls, name: str) -> int:
    return sum(n for (kind, sheet), n in calls.items() if sheet == name and kind != "read")


def test_each_input_sheet_is_read_once_and_each_output_costs_a_bounded_number_of_calls(live, runs):
    calls = live.app.calls
    user_sheets = [s.name for s in live.sheets if not _tool_sheet(s)]
    input_sheets = {t.sheet_name("zh") for t in TABLES}
    assert input_sheets <= set(user_sheets)
    for name in user_sheets:  # input tables are read once; other user sheets (the card view) not at all
        assert calls["read", name] == (1 if name in input_sheets else 0), name
        assert calls["write", name] == calls["format", name] == calls["link", name] == 0, name
    for sheet in live.sheets:
        if _tool_sheet(sheet):
            assert calls["write", sheet.name] == 1, sheet.name  # new sheets: no clear, one value write
            spec = next(spec for spec in runs[0].sheets if spec.name == sheet.name)
            assert _sheet_calls(calls, sheet.name) <= _call_budget(spec), (sheet.name, _sheet_calls(calls, sheet.name))
    total = sum(n for (kind, _), n in calls.items() if kind != "read")
    print(f"\nfull recalc: {total} Excel calls for {len(runs[0].sheets)} sheets; "
          + ", ".join(f"{s.name} {_sheet_calls(calls, s.name)}" for s in runs[0].sheets))


def test_app_state_is_restored_and_the_user_sees_a_summary(live):
    assert live.app.calculation == "automatic" and live.app.screen_updating is True
    alert = live.app.alerts[-1]
    assert alert["mode"] == "info" and "错误" in alert["prompt"] and OUTPUTS_BY_KEY["validation"].zh in alert["prompt"]


def test_validation_links_point_at_the_issue_cells(live):
    sheet = live.sheets[OUTPUTS_BY_KEY["validation"].zh]
    assert sheet.hyperlinks
    for (row, col), address in sheet.hyperlinks.items():
        text = sheet.values()[(row, col)]
        assert address.startswith("#'") and address.endswith("!" + text)
    assert [t.name for t in sheet.tables] == ["tblValidation"]


def test_a_second_run_rewrites_in_place_and_leaves_input_sheets_alone(live, runs, monkeypatch):
    before = {s.name: (s.values(), dict(s.hyperlinks), [t.name for t in s.tables]) for s in live.sheets}
    monkeypatch.setattr(excel.pipeline, "run", lambda book, outputs=None: runs[0])
    live.app.calls.clear()
    excel.recalc_all(live)
    assert {s.name: (s.values(), dict(s.hyperlinks), [t.name for t in s.tables]) for s in live.sheets} == before
    written = {spec.name for spec in runs[0].sheets}
    for sheet in live.sheets:
        assert live.app.calls["write", sheet.name] == (2 if sheet.name in written else 0)  # clear + one write


@pytest.mark.parametrize("entry, outputs", [
    ("validate_cards", ["validation"]), ("recalc_all", None), ("grades", ["grades"]), ("routes", ["routes"]),
    ("target_plan", ["target_plan", "performance"]), ("reports", excel.REPORT_OUTPUTS),
])
def test_each_button_asks_the_pipeline_for_its_sheets(entry, outputs, small, monkeypatch):
    asked = []
    result = pipeline.RunResult(None, {}, [], [])

    def spy(book, chosen=None):
        asked.append(chosen)
        result.book = book
        return result

    monkeypatch.setattr(excel.pipeline, "run", spy)
    excel.ENTRY_POINTS[entry](small)
    assert asked == [outputs]
    assert small.app.alerts[-1]["mode"] == "info"


def test_reports_cover_every_output_without_a_button_of_its_own():
    assert "validation" not in excel.REPORT_OUTPUTS and "daily_report" in excel.REPORT_OUTPUTS
    assert set(excel.REPORT_OUTPUTS) | set(excel.OWN_BUTTONS) == {o.key for o in OUTPUTS}


def test_a_user_sheet_with_a_tool_sheets_name_is_refused_and_nothing_written(small):
    book = small
    mine = book.sheets.add("校验结果", after=book.sheets[-1])
    mine.range("A1").value = [["我的笔记"], ["别删"]]
    before = {s.name: s.values() for s in book.sheets}
    excel.validate_cards(book)
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and "校验结果" in alert["prompt"] and "A1" in alert["prompt"]
    assert {s.name: s.values() for s in book.sheets} == before
    assert book.app.calculation == "automatic" and book.app.screen_updating is True


def test_an_unexpected_failure_restores_excel_and_logs_the_traceback(small, tmp_path, monkeypatch):
    book = small
    log = tmp_path / "salesxl-excel.log"
    monkeypatch.setattr(excel, "LOG_FILE", log)
    cached = pipeline.run
    monkeypatch.setattr(excel.pipeline, "run", lambda b, outputs=None: cached(b, ["validation"]))

    def broken(sheet, spec, grid):
        raise RuntimeError("formatting exploded")

    monkeypatch.setattr(writing, "format_sheet", broken)
    excel.validate_cards(book)
    assert book.app.calculation == "automatic" and book.app.screen_updating is True
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and str(log) in alert["prompt"]
    assert "formatting exploded" in log.read_text(encoding="utf-8")


def test_next_issue_walks_the_validation_rows(live):
    validation = live.sheets[OUTPUTS_BY_KEY["validation"].zh]
    links = sorted(validation.hyperlinks)
    targets = [validation.hyperlinks[k].removeprefix("#") for k in links]
    live.sheets[0].activate()
    live.selection = live.sheets[0].range("A1")
    seen = []
    for _ in range(3):
        excel.next_issue(live)
        here = live.selection
        seen.append(f"'{here.sheet.name}'!{here.get_address(False, False)}")
    assert seen == targets[:3]
    validation.activate()
    live.selection = validation.range((links[5][0], 1))
    excel.next_issue(live)
    assert f"'{live.selection.sheet.name}'!{live.selection.get_address(False, False)}" == targets[5]


def test_next_issue_without_a_validation_sheet_says_what_to_do(small):
    book = small
    excel.next_issue(book)
    assert "校验" in book.app.alerts[-1]["prompt"]


def test_new_from_template_creates_and_opens_a_workbook_beside_the_caller(tmp_path, template):
    caller = tmp_path / "office.xlsx"
    caller.write_bytes(template.read_bytes())
    book = Book.from_file(caller)
    excel.new_from_template(book)
    excel.new_from_template(book)
    made = [tmp_path / "销售工作簿.xlsx", tmp_path / "销售工作簿 (2).xlsx"]
    assert all(p.exists() for p in made)
    opened = [b.fullname for b in book.app.books]
    assert [str(p) for p in made] == opened[1:]
    assert {t.sheet_name("zh") for t in TABLES} <= {s.name for s in book.app.books[1].sheets}


def test_about_names_the_versions_and_the_python(small):
    book = small
    excel.about(book)
    prompt = book.app.alerts[-1]["prompt"]
    assert "salesxl" in prompt and sys.executable in prompt


@given(st.text())
def test_text_stays_text_in_excel(text):
    assert excel_parse(writing.excel_value(text)) == text


def test_hostile_values_are_written_as_text_and_formulas_only_from_formula():
    from salesxl.core.sheetspec import Formula

    for hostile in ("=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "-2", "00123", "3/4"):
        assert excel_parse(writing.excel_value(hostile)) == hostile
    assert writing.excel_value(Formula("SUM(A1:A3)")) == "=SUM(A1:A3)"
    assert writing.excel_value(Link("B7", "'客户档案'!B7")) == "'B7"
    assert writing.excel_value(float("nan")) is None
    assert writing.excel_value(dt.date(1899, 1, 1)) == "'1899-01-01"


def test_the_standin_follows_xlwings_shapes():
    book = Book("x.xlsx", app=App())
    sheet = book.sheets.add("S")
    sheet.range("B2").value = [[1, "a"], [dt.date(2024, 3, 5), None]]
    assert sheet.range("B2").value == 1.0
    assert sheet.range("B2:C2").value == [1.0, "a"]
    assert sheet.range("B2").options(ndim=2).value == [[1.0]]
    assert sheet.used_range.get_address(False, False) == "B2:C3"
    assert sheet.range("B3").value == dt.datetime(2024, 3, 5)
    assert sheet.range("C3").options(empty="").value == ""
    assert sheet.range("B2").expand().get_address(False, False) == "B2:C3"


# ---- reading on each platform: the same cells give the file reader's tables and issues -------------------

ODD_ROWS = [  # one orders row per oddity Excel hands over differently per platform
    ["L1", "O1", dt.date(2024, 3, 5), "C1", "S1", "P1", "笔", "文具", 2, 3.5, 7.0],
    ["L2", "O2", dt.time(9, 30), "C1", "S1", "P1", "笔", "文具", 2, 3.5, 7.0],  # a time-only date
    ["L3", "O3", dt.date(2024, 3, 6), "C1", "S1", "P1", "笔", "文具", 1, 3.5, "#N/A"],  # an error cell
    ["L4", "O4", dt.date(2024, 3, 7), "C1", "S1", "P1", "笔", "文具", 4, 2.25, "#DIV/0!"],
]


@pytest.fixture(scope="module")
def odd_file(template, tmp_path_factory) -> Path:
    """The template with orders whose cells differ live: ¥ accounting money, a time, error values."""
    import openpyxl  # test input only

    path = tmp_path_factory.mktemp("odd") / "odd.xlsx"
    workbook = openpyxl.load_workbook(template)
    sheet = workbook["销售明细"]
    for i, row in enumerate(ODD_ROWS, start=2):
        for j, value in enumerate(row, start=1):
            cell = sheet.cell(i, j, value)
            if j in (10, 11):
                cell.number_format = '_-[$¥-804]* #,##0.00_-'
    workbook.save(path)
    return path


def _live_odd(path: Path, platform: str) -> Book:
    """The file as that platform's Excel holds it: money as Currency, error cells as errors."""
    from decimal import Decimal
    from xlwings_standin import ErrorCell

    book = Book.from_file(path, platform=platform)
    cells = book.sheets["销售明细"].cells_dict
    for i, row in enumerate(ODD_ROWS, start=2):
        for j in (10, 11):
            value = row[j - 1]
            cells[(i, j)] = ErrorCell(value) if isinstance(value, str) else Decimal(str(value))
    return book


def _issue_keys(book) -> list[tuple]:
    return sorted((i.code, i.cell, str(i.value)) for i in book.issues)


@pytest.mark.parametrize("platform", ["windows", "mac", "generic"])
def test_live_cells_give_the_file_readers_tables_and_issues(odd_file, platform):
    from salesxl.excel_adapter import read_live_book
    from salesxl.io.reader import read_book

    expected = read_book(odd_file)
    live = read_live_book(_live_odd(odd_file, platform))
    assert _issue_keys(live) == _issue_keys(expected)
    codes = {i.cell: i.code for i in live.issues if i.table == "orders"}
    assert codes["销售明细!C3"] == "CELL_NOT_A_DATE" and codes["销售明细!K4"] == "CELL_ERROR_VALUE"
    pd_testing = pytest.importorskip("pandas").testing
    pd_testing.assert_frame_equal(live.tables["orders"].frame, expected.tables["orders"].frame)


def test_a_mac_button_reads_many_rows_without_err_to_str(odd_file):
    book = _live_odd(odd_file, "mac")
    excel.validate_cards(book)
    alert = book.app.alerts[-1]
    assert alert["mode"] == "info", alert["prompt"]
    assert "销售明细" in book.sheets[OUTPUTS_BY_KEY["validation"].zh].values().values()
