"""The live workbook in, a Book out: one `range.value` read per sheet, then the file reader's own logic.

Each sheet is read once through its used range with explicit conversion
options, shaped like python-calamine's rows (blank cells as "", error cells
as "#N/A" text, dates as datetime), and handed to the reader, which finds the
headers, coerces the cells and reports issues exactly as it does for files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from salesxl.core.book import Book
from salesxl.io.reader import _BookReader

Cells = tuple[list[list[Any]], tuple[int, int]]

#: How a sheet's cells are read: always a list of rows, blanks as "" (as calamine gives them),
#: dates as datetime, numbers as float, error cells as their text so the reader reports them.
READ_OPTIONS: dict[str, Any] = dict(ndim=2, dates=dt.datetime, empty="", numbers=float, err_to_str=True)


def sheet_cells(sheet: Any) -> tuple[list[list[Any]], tuple[int, int]]:
    """A sheet's used cells (one read) and the 0-based (row, column) of the first one."""
    used = sheet.used_range
    return used.options(**READ_OPTIONS).value, (used.row - 1, used.column - 1)


def read_live_book(book: Any) -> Book:
    """The Book the file reader would build from this workbook, read from Excel."""
    sheets = book.sheets
    names = [sheet.name for sheet in sheets]
    full_name = getattr(book, "fullname", None)
    return read_grids(names, lambda name: sheet_cells(sheets[name]), source=Path(full_name) if full_name else None)


def read_grids(sheet_names: Sequence[str], load: Callable[[str], Cells], *, source: Path | None = None) -> Book:
    """The file reader run on cells read elsewhere: `load(name)` gives a sheet's rows and their origin,
    and is called at most once per sheet (only for the sheets the reader looks at)."""
    return _BookReader(source, b"", _Grids(list(sheet_names), load), list(sheet_names)).read()


class _Grids:
    """Sheets as rows, looking to the reader like a python-calamine workbook."""

    def __init__(self, sheet_names: list[str], load: Callable[[str], Cells]):
        self.sheet_names = sheet_names
        self._load = load
        self._read: dict[str, _GridSheet] = {}

    def get_sheet_by_name(self, name: str) -> "_GridSheet":
        if name not in self._read:
            self._read[name] = _GridSheet(*self._load(name))
        return self._read[name]


@dataclass
class _GridSheet:
    rows: list[list[Any]]
    start: tuple[int, int]
    merged_cell_ranges: tuple = ()

    def to_python(self, nrows: int | None = None) -> list[list[Any]]:
        return self.rows if nrows is None else self.rows[:nrows]
