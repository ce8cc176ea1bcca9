"""The file adapter: workbooks on disk in, the same workbooks with tool sheets out.

Reads with the fast reader, runs the shared pipeline, writes through the
lossless splice writer. Nothing is written when the inputs cannot be read.
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Iterable

from salesxl import pipeline
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.run_report import RunReport
from salesxl.io.reader import read_book
from salesxl.io.lock import writing
from salesxl.io.xlsx import check_workbook, new_workbook, user_sheet_names, write_sheets
from salesxl.schema import TABLES
from salesxl.workbook.template import input_sheets


def recalc_file(
    path: Path,
    *,
    out: Path | None = None,
    outputs: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    write: bool = True,
) -> RunReport:
    """Read, run every registered pass (or the chosen outputs) and write the tool sheets."""
    start = time.perf_counter()
    try:
        with writing(out or path) if write else nullcontext():
            if write:
                check_workbook(path)  # refuse before computing: the file stays as it was
            book = read_book(path)
            result = pipeline.run(book, outputs, now=now, taken=user_sheet_names(path))
            if write:
                write_sheets(path, result.sheets, out=out)
    except WorkbookError as error:
        return RunReport.failed(str(path), error.code, error.message(), seconds=time.perf_counter() - start)
    return RunReport.of_run(str(path), book, result.issues, result.timings,
                            sheets=[sheet.name for sheet in result.sheets] if write else [],
                            seconds=time.perf_counter() - start)


def new_template(path: Path, lang: Lang) -> None:
    """An empty office workbook: every input sheet with its dropdowns and hints."""
    new_workbook(path, input_sheets(lang))


def make_demo(path: Path, *, size: str = "S", seed: int = 7, lang: Lang = "zh") -> None:
    """A generated office, deterministic for a size and seed."""
    from salesxl.demo import generate_office

    office = generate_office(size, seed)
    new_workbook(path, input_sheets(lang, office.tables, office.settings))


def init_workbook(path: Path, lang: Lang | None = None, *, out: Path | None = None) -> list[str]:
    """Add the template's input sheets a workbook lacks, losslessly; returns the names added."""
    with writing(out or path):
        book = read_book(path)
        lang = lang or book.lang
        missing = [t.key for t in TABLES if not book.table(t.key).present]
        if missing:
            write_sheets(path, input_sheets(lang, only=missing), out=out)
    return [t.sheet_name(lang) for t in TABLES if t.key in missing]
