"""What the ribbon buttons run (through xlwings' RunPython): one function per button.

Each takes the calling workbook (`xw.Book.caller()` when called from Excel),
reads it, runs the shared pipeline, writes the tool-owned sheets and shows a
message box in the workbook's language. Nothing here computes anything.
"""

from __future__ import annotations

import datetime as dt
import platform
import re
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

from salesxl import __version__, pipeline
from salesxl.core.book import Book
from salesxl.core.issues import Lang, WorkbookError
from salesxl.excel_adapter import ForeignSheetError, read_live_book, user_sheet_names, write_specs
from salesxl.excel_adapter.reading import sheet_cells
from salesxl.schema import OUTPUTS, OUTPUTS_BY_KEY

TITLE = "salesxl"
LOG_FILE = Path(tempfile.gettempdir()) / "salesxl-excel.log"
OWN_BUTTONS = ("validation", "grades", "routes", "target_plan", "performance", "territories")
#: The report sheets the Reports button writes: every output without a button of its own.
REPORT_OUTPUTS = [o.key for o in OUTPUTS if o.key not in OWN_BUTTONS]
_CJK = re.compile(r"[\u3400-\u9fff]")


def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _guess_lang(book: Any) -> Lang:
    """The workbook's language before its Settings are read: Chinese sheet names mean zh."""
    return "zh" if any(_CJK.search(sheet.name) for sheet in book.sheets) else "en"


def _failed(book: Any, lang: Lang, action: str) -> None:
    """Log the traceback and say where it went; never show a traceback window."""
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOG_FILE.open("a", encoding="utf-8") as log:
        log.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {action} (salesxl {__version__})\n")
        log.write(traceback.format_exc())
    book.app.alert(_t(lang, f"运行“{action}”时出错，详细信息已写入：\n{LOG_FILE}",
                      f"“{action}” failed; the details were written to:\n{LOG_FILE}"), title=TITLE, mode="critical")


def _button(action: str, book: Any, work: Callable[[Any, Book, float], str]) -> None:
    """Run one ribbon button: read the open workbook, `work(book, live, start)` writes and returns the message
    shown when done; every failure is an alert in the workbook's language, never a traceback."""
    book = _caller(book)
    lang = _guess_lang(book)
    start = time.perf_counter()
    try:
        live = read_live_book(book)
        lang = live.lang
        message = work(book, live, start)
    except WorkbookError as error:
        book.app.alert(error.message(lang), title=TITLE, mode="critical")
        return
    except ForeignSheetError as error:
        book.app.alert(str(error), title=TITLE, mode="critical")
        return
    except Exception:
        _failed(book, lang, action)
        return
    book.app.alert(message, title=TITLE, mode="info")


def _run(action: str, outputs: list[str] | None, book: Any) -> None:
    def work(book: Any, live: Book, start: float) -> str:
        taken = user_sheet_names(book)  # a result sheet never takes the name of one of the user's
        result = pipeline.run(live, outputs, taken=taken)
        written = write_specs(book, result.sheets, live.lang, taken=taken)
        seconds = time.perf_counter() - start
        errors, warnings, infos = (result.count(s) for s in ("error", "warning", "info"))
        sheets = ("、" if live.lang == "zh" else ", ").join(written) or _t(live.lang, "（无）", "(none)")
        return _t(
            live.lang,
            f"完成：错误 {errors} 条，警告 {warnings} 条，提示 {infos} 条。\n已写入工作表：{sheets}\n用时 {seconds:.1f} 秒",
            f"Done: {errors} errors, {warnings} warnings, {infos} notes.\nSheets written: {sheets}\nTook {seconds:.1f} s")

    _button(action, book, work)


def validate_cards(book: Any = None) -> None:
    """Check the customer cards and every input sheet; write the Validation sheet."""
    _run("validate_cards", ["validation"], book)


def recalc_all(book: Any = None) -> None:
    """Rewrite every tool-owned sheet."""
    _run("recalc_all", None, book)


def grades(book: Any = None) -> None:
    _run("grades", ["grades"], book)


def routes(book: Any = None) -> None:
    _run("routes", ["routes"], book)


def territories(book: Any = None) -> None:
    """Propose balanced territories for every customer as the TerritoryProposal sheet; Customers is not
    changed (the office applies a proposal with `salesxl territories --apply`)."""
    from salesxl.reports.territories import territory_sheet
    from salesxl.schema.outputs import header_line, stamp
    from salesxl.sharing.territories import propose

    def work(book: Any, live: Book, start: float) -> str:
        proposal = propose(live)
        spec = territory_sheet(proposal, live)
        stamp(spec, header_line(live.lang, dt.datetime.now()))
        written = write_specs(book, [spec], live.lang, taken=user_sheet_names(book))
        return _t(
            live.lang, f"已写入“{written[0]}”：{len(proposal.changed)} 个客户建议变更负责销售员，工作量最大/最小 "
                       f"{proposal.ratio('before')} → {proposal.ratio('after')}。客户档案未改动。",
            f"Written to “{written[0]}”: {len(proposal.changed)} customers would change salesperson, workload max/min "
            f"{proposal.ratio('before')} → {proposal.ratio('after')}. Customers is unchanged.")

    _button("territories", book, work)


def target_plan(book: Any = None) -> None:
    _run("target_plan", ["target_plan", "performance"], book)


def reports(book: Any = None) -> None:
    """Daily and weekly reports, receivables, composition, expenses, commission, prices, reminders, run log."""
    _run("reports", REPORT_OUTPUTS, book)


def _issue_targets(values: list[list[Any]], lang: Lang) -> list[tuple[int, str, str]]:
    """(sheet row, target sheet, target cell) of every issue row of a Validation sheet's cells."""
    from salesxl.reports.validation import WORDS

    words = WORDS[lang]
    for index, row in enumerate(values):
        if words["sheet"] in row and words["cell"] in row:
            sheet_col, cell_col = row.index(words["sheet"]), row.index(words["cell"])
            return [(index + 1 + offset, r[sheet_col], r[cell_col])
                    for offset, r in enumerate(values[index + 1:], start=1)
                    if isinstance(r[cell_col], str) and r[cell_col] and isinstance(r[sheet_col], str) and r[sheet_col]]
    return []


def _next_target(targets: list[tuple[int, str, str]], selection: Any, validation_sheet: str) -> int:
    """On the Validation sheet: the issue of the selected row (or the next one below it); on an issue's
    cell: the following issue; anywhere else: the first issue."""
    if selection is None:
        return 0
    if selection.sheet.name == validation_sheet:
        return next((i for i, (row, _, _) in enumerate(targets) if row >= selection.row), 0)
    here = (selection.sheet.name, selection.get_address(False, False))
    for i, (_, sheet, cell) in enumerate(targets):
        if (sheet, cell) == here:
            return (i + 1) % len(targets)
    return 0


def next_issue(book: Any = None) -> None:
    """Select the cell of the next issue listed on the Validation sheet after the current selection."""
    book = _caller(book)
    lang = _guess_lang(book)
    try:
        names = {sheet.name: sheet for sheet in book.sheets}
        name = OUTPUTS_BY_KEY["validation"].sheet_name(lang)
        if name not in names:
            book.app.alert(_t(lang, f"还没有“{name}”工作表，请先点“校验客户卡”。",
                              f"There is no “{name}” sheet yet; press Validate first."), title=TITLE, mode="info")
            return
        (values, (row0, _)) = sheet_cells(names[name])
        targets = [(row + row0, sheet, cell) for row, sheet, cell in _issue_targets(values, lang) if sheet in names]
        if not targets:
            book.app.alert(_t(lang, "没有需要处理的问题。", "There are no issues to visit."), title=TITLE, mode="info")
            return
        choice = _next_target(targets, book.selection, name)
        _, sheet, cell = targets[choice]
        names[sheet].activate()
        names[sheet].range(cell).select()
    except Exception:
        _failed(book, lang, "next_issue")


def _new_path(folder: Path, lang: Lang) -> Path:
    stem = _t(lang, "销售工作簿", "SalesOffice")
    path, n = folder / f"{stem}.xlsx", 1
    while path.exists():
        n += 1
        path = folder / f"{stem} ({n}).xlsx"
    return path


def new_from_template(book: Any = None) -> None:
    """Create an empty office workbook beside the calling one (or in Documents) and open it."""
    from salesxl.files import new_template

    book = _caller(book)
    lang = _guess_lang(book)
    try:
        here = Path(book.fullname) if getattr(book, "fullname", None) else None
        folder = here.parent if here is not None and here.parent.is_dir() and here.is_file() else Path.home() / "Documents"
        folder.mkdir(parents=True, exist_ok=True)
        path = _new_path(folder, lang)
        new_template(path, lang)
        book.app.books.open(str(path))
    except Exception:
        _failed(book, lang, "new_from_template")
        return
    book.app.alert(_t(lang, f"已新建工作簿：\n{path}", f"New workbook created:\n{path}"), title=TITLE, mode="info")


def about(book: Any = None) -> None:
    """Versions and the Python that runs the buttons."""
    import pandas
    import xlwings

    book = _caller(book)
    book.app.alert(
        f"salesxl {__version__}\nxlwings {xlwings.__version__}\npandas {pandas.__version__}\n"
        f"Python {platform.python_version()} ({sys.executable})",
        title=TITLE, mode="info")


ENTRY_POINTS: dict[str, Callable[..., None]] = {
    f.__name__: f for f in (validate_cards, next_issue, recalc_all, grades, routes, territories, target_plan,
                            reports, new_from_template, about)
}
