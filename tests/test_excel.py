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
        patch.setattr(excel.pipeline, "run", lambda b, outputs=None, **kw: runs.append(real(b, outputs, **kw)) or runs[-1])
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_app_state_is_restored_and_the_user_sees_a_summary(live):
    assert live.app.calculation == "automatic" and live.app.screen_updating is True
    alert = live.app.alerts[-1]
    assert alert["mode"] == "info" and "错误" in alert["prompt"] and OUTPUTS_BY_KEY["validation"].zh in alert["prompt"]


@pytest.mark.slow
def test_validation_links_point_at_the_issue_cells(live):
    sheet = live.sheets[OUTPUTS_BY_KEY["validation"].zh]
    assert sheet.hyperlinks
    for (row, col), address in sheet.hyperlinks.items():
        text = sheet.values()[(row, col)]
        assert address.startswith("#'") and address.endswith("!" + text)
    assert [t.name for t in sheet.tables] == ["tblValidation"]


@pytest.mark.slow
def test_a_second_run_rewrites_in_place_and_leaves_input_sheets_alone(live, runs, monkeypatch):
    before = {s.name: (s.values(), dict(s.hyperlinks), [t.name for t in s.tables]) for s in live.sheets}
    monkeypatch.setattr(excel.pipeline, "run", lambda book, outputs=None, **kw: runs[0])
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

    def spy(book, chosen=None, **_):
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


def test_a_user_sheet_with_a_tool_sheets_name_keeps_its_cells_and_the_result_goes_beside_it(small, tmp_path):
    """As the file adapter does: the user's sheet is left alone, the result is renamed and Validation says so."""
    book = small
    mine = book.sheets.add("校验结果", after=book.sheets[-1])
    mine.range("A1").value = [["我的笔记"], ["别删"]]
    excel.validate_cards(book)
    assert book.app.alerts[-1]["mode"] == "info", book.app.alerts[-1]["prompt"]
    assert book.sheets["校验结果"].values() == {(1, 1): "我的笔记", (2, 1): "别删"}
    renamed = book.sheets["校验结果 (salesxl)"]
    assert _tool_sheet(renamed) and "校验结果 (salesxl)" in book.app.alerts[-1]["prompt"]
    assert any(v == "OUTPUT_NAME_TAKEN" for v in renamed.values().values())
    assert book.app.calculation == "automatic" and book.app.screen_updating is True


def test_an_unexpected_failure_restores_excel_and_logs_the_traceback(small, tmp_path, monkeypatch):
    book = small
    log = tmp_path / "salesxl-excel.log"
    monkeypatch.setattr(excel, "LOG_FILE", log)
    cached = pipeline.run
    monkeypatch.setattr(excel.pipeline, "run", lambda b, outputs=None, **kw: cached(b, ["validation"], **kw))

    def broken(sheet, spec, grid):
        raise RuntimeError("formatting exploded")

    monkeypatch.setattr(writing, "format_sheet", broken)
    excel.validate_cards(book)
    assert book.app.calculation == "automatic" and book.app.screen_updating is True
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and str(log) in alert["prompt"]
    assert "formatting exploded" in log.read_text(encoding="utf-8")


@pytest.mark.slow
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


# ---- conformance: one SheetSpec with every feature, both adapters, the same observable sheet ---------------

def _every_feature_spec():
    from salesxl.core.sheetspec import (
        Block, ChartSeries, ChartSpec, ColumnSpec, Formula, Highlight, PageSetup, Picture, SheetSpec, Validation,
    )
    png = _tiny_png()
    rows = [[f"客户{i}", Link(f"C{i}", f"'客户档案'!B{i + 1}"), 100.5 * i, dt.date(2024, 3, i + 1),
             "逾期" if i % 3 == 0 else "正常", Formula(f"C{i + 4}*2", cached=201.0 * i)] for i in range(1, 8)]
    rows.append(["=HYPERLINK(\"http://x\",\"y\")", Link("官网", "https://example.com/a?b=\"c\""), 0, None, "正常", None])
    block = Block(
        columns=[ColumnSpec("客户"), ColumnSpec("卡片"), ColumnSpec("金额", "money"), ColumnSpec("日期", "date"),
                 ColumnSpec("状态", width=10), ColumnSpec("两倍", "number")],
        rows=rows, title="第一块", table_name="tblEvery",
        validations=[Validation(4, values=("正常", "逾期"), prompt_title="状态", prompt="选一个", rows=20)],
        highlights=[Highlight(4, "逾期", "FFFFC7CE"), Highlight(4, "正常", "FFC6EFCE", whole_row=True)],
    )
    second = Block(columns=[ColumnSpec("月份", "int"), ColumnSpec("数量", "int")], rows=[[m, m * 3] for m in range(1, 13)])
    return SheetSpec(
        key="every", name="全功能", blocks=[block, second], header_line="由 salesxl 生成 — 请勿编辑",
        tab_color="FF70AD47", freeze_rows=4,
        charts=[ChartSpec("column", "每月数量", (ChartSeries("数量", 1, 1),), anchor="J3", y_title="件")],
        pictures=[Picture(png, "J20", 120, 80, "路线图")],
        page=PageSetup(orientation="landscape", fit_width=1, row_breaks=(12,), print_title_rows="$3:$4"),
    )


def _tiny_png() -> bytes:
    import io as _io

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(1.2, 0.8), dpi=100)
    axes.plot([0, 1], [1, 0])
    buffer = _io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def _file_state(path: Path, name: str) -> dict:
    """What the file adapter wrote, read back from the package."""
    import re
    import zipfile
    from html import unescape

    package = zipfile.ZipFile(path)
    names = package.namelist()
    sheet = next(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")
                 and "全功能" in _sheet_title(package, n))
    xml = package.read(sheet).decode()
    charts = [package.read(n).decode() for n in names if n.startswith("xl/charts/chart")]
    tables = [package.read(n).decode() for n in names if n.startswith("xl/tables/")]
    fit = re.search(r'fitToWidth="(\d+)"', xml)
    return {
        "tab": re.search(r'<tabColor rgb="(\w+)"', xml).group(1),
        "frozen_rows": int(re.search(r'ySplit="(\d+)"', xml).group(1)),
        "orientation": re.search(r'orientation="(\w+)"', xml).group(1),
        "fit_width": int(fit.group(1)) if fit else None,
        "row_breaks": [int(r) for r in re.findall(r'<brk id="(\d+)"', xml)],
        "links": {ref: unescape(loc) for ref, loc in re.findall(r'<hyperlink ref="(\w+)" location="([^"]*)"', xml)},
        "external_links": sorted(re.findall(r'<hyperlink ref="(\w+)" r:id=', xml)),
        "validations": sorted((unescape(sq), t, unescape(f)) for t, sq, f in re.findall(
            r'<dataValidation type="(\w+)".*?sqref="([^"]+)"><formula1>(.*?)</formula1>', xml)),
        "conditional": sorted((sq, unescape(f)) for sq, f in re.findall(
            r'<conditionalFormatting sqref="([^"]+)">.*?<formula>(.*?)</formula>', xml)),
        "tables": sorted(re.search(r' ref="([^"]+)"', t).group(1) for t in tables),
        "charts": sorted((re.search(r'<c:barDir val="(\w+)"', c).group(1),
                          unescape(re.findall(r"<a:t>(.*?)</a:t>", c)[0])) for c in charts),
        "pictures": sorted(package.read(n) for n in names if n.startswith("xl/media/")),
    }


def _sheet_title(package, part: str) -> str:
    import re

    workbook = package.read("xl/workbook.xml").decode()
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    target = part.removeprefix("xl/")
    rid = re.search(rf'Id="(\w+)"[^>]*Target="/?(?:xl/)?{re.escape(target)}"|Target="/?(?:xl/)?{re.escape(target)}"[^>]*Id="(\w+)"', rels)
    rid = rid.group(1) or rid.group(2)
    return re.search(rf'<sheet name="([^"]+)"[^>]*r:id="{rid}"', workbook).group(1)


def _live_state(sheet) -> dict:
    """What the Excel adapter did, from the stand-in's recorded state."""
    log = dict(sheet.com_log)
    bgr = log["Tab.Color"]
    breaks = [args[0] for (path, args), following in zip(sheet.com_log, sheet.com_log[1:])
              if path == "Range()" and following[0] == "HPageBreaks.Add()"]
    fit = log.get("PageSetup.FitToPagesWide")
    return {
        "tab": f"FF{bgr & 0xFF:02X}{bgr >> 8 & 0xFF:02X}{bgr >> 16:02X}",
        "frozen_rows": int(sheet.frozen.split(":")[0]),
        "orientation": {2: "landscape", 1: "portrait"}[log["PageSetup.Orientation"]],
        "fit_width": fit or None,
        "row_breaks": [int(b[1:]) - 1 for b in breaks],
        "links": {f"{_letters(c)}{r}": a.removeprefix("#") for (r, c), a in sheet.hyperlinks.items() if a.startswith("#")},
        "external_links": sorted(f"{_letters(c)}{r}" for (r, c), a in sheet.hyperlinks.items() if not a.startswith("#")),
        "validations": sorted((v["range"], v["type"], '"' + ",".join(v["formula1"]) + '"') for v in sheet.validations),
        "conditional": sorted((f["range"], f["formula"].removeprefix("=")) for f in sheet.conditional_formats),
        "tables": sorted(t.range.get_address(False, False) for t in sheet.tables),
        "charts": sorted(({"column_clustered": "col", "bar_clustered": "bar"}[c.chart_type], c.title)
                         for c in sheet.charts),
        "pictures": sorted(p.data for p in sheet.pictures),
    }


def _letters(n: int) -> str:
    from salesxl.core.book import column_letter

    return column_letter(n)


def test_every_sheetspec_feature_gives_the_same_sheet_in_the_file_and_live(tmp_path):
    from salesxl.io.xlsx.writer import new_workbook

    spec = _every_feature_spec()
    path = tmp_path / "every.xlsx"
    new_workbook(path, [spec])
    book = Book("live.xlsx", app=App())
    book.sheets.add("Sheet1")
    writing.write_specs(book, [spec], "zh")
    live = book.sheets["全功能"]
    expected, got = _file_state(path, "全功能"), _live_state(live)
    assert got == expected
    assert expected["links"] and expected["external_links"] and expected["validations"] and expected["conditional"]
    assert got["charts"] and got["pictures"] and got["row_breaks"] == [12]
    assert ("PageSetup.PrintTitleRows", "$3:$4") in live.com_log
    from xlwings_standin import FormulaCell

    formulas = {k: v.text for k, v in live.values().items() if isinstance(v, FormulaCell)}
    assert sorted(formulas.values()) == sorted(f"=C{i + 4}*2" for i in range(1, 8))
    file_cells = {k: v for k, v in _file_cells(path, "全功能").items() if k not in formulas and k != (1, 1)}
    assert {k: _normal(v) for k, v in live.values().items() if k not in formulas and k != (1, 1)} == file_cells


def test_a_remote_engine_that_cannot_read_app_settings_still_writes(small, monkeypatch):
    """xlwings Server and Lite: `app.calculation` and `app.screen_updating` can be set, not read."""
    class Remote(type(small.app)):
        def __getattribute__(self, name):
            if name in ("calculation", "screen_updating"):
                raise NotImplementedError(f"{name} cannot be read on the remote engine")
            return super().__getattribute__(name)

    small.app.__class__ = Remote
    cached = pipeline.run
    monkeypatch.setattr(excel.pipeline, "run", lambda b, outputs=None, **kw: cached(b, ["validation"], **kw))
    excel.validate_cards(small)
    assert small.app.alerts[-1]["mode"] == "info", small.app.alerts[-1]["prompt"]
    assert OUTPUTS_BY_KEY["validation"].zh in [s.name for s in small.sheets]
    assert object.__getattribute__(small.app, "__dict__")["calculation"] == "automatic"


@pytest.mark.slow
def test_the_demo_live_carries_the_charts_pictures_and_sheet_settings_of_its_specs(live, runs):
    specs = {spec.name: spec for spec in runs[0].sheets}
    assert any(s.charts for s in specs.values()) and any(s.pictures for s in specs.values())
    for name, spec in specs.items():
        sheet = live.sheets[name]
        assert [c.title for c in sheet.charts] == [c.title for c in spec.charts], name
        assert sorted(p.data for p in sheet.pictures) == sorted(p.png for p in spec.pictures), name
        assert (("Tab.Color" in dict(sheet.com_log)) == bool(spec.tab_color)), name
        assert len(sheet.conditional_formats) == sum(len(b.highlights) for b in spec.blocks), name
        assert (sheet.frozen is not None) == bool(spec.freeze_rows), name


def test_the_live_path_reads_without_threads(odd_file, monkeypatch):
    """Pyodide (xlwings Lite) has no threads: reading the live book must not start any."""
    import concurrent.futures
    import threading

    from salesxl.excel_adapter import read_live_book
    from salesxl.io import reader

    def refuse(*args, **kwargs):
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    monkeypatch.setattr(reader, "ThreadPoolExecutor", refuse, raising=False)
    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", refuse)
    book = read_live_book(_live_odd(odd_file, "generic"))
    assert len(book.tables["orders"].frame) == len(ODD_ROWS)
