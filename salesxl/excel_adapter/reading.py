"""The live workbook in, a Book out: one `range.value` read per sheet, then the file reader's own logic.

Each sheet is read once through its used range and its cells made to look
like python-calamine's (`io.grid.live_cell`); the reader gets them through
its public `GridSource` protocol, so it finds the same headers, coerces the
same way and reports the same issues as for the file.
Error cells: Windows and the other engines name them with `err_to_str`; on a
Mac that option breaks for two or more rows (xlwings 0.37.8), so the cells'
shown texts are read with one more AppleScript call instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from salesxl.core.book import Book
from salesxl.excel_adapter.native import on_mac
from salesxl.io.grid import Cells, Rows, SheetCells, live_rows
from salesxl.io.reader import read_grids

#: Values as a list of rows, dates as datetime, numbers as float (blanks are made "" by `live_cell`).
VALUE_OPTIONS: dict[str, Any] = dict(ndim=2, dates=dt.datetime, numbers=float)


def _rows_2d(values: Any) -> Rows:
    if not isinstance(values, (list, tuple)):
        return [[values]]
    if not values or not isinstance(values[0], (list, tuple)):
        return [list(values)]
    return [list(row) for row in values]


def range_cells(rng: Any) -> Rows:
    """A range's cells as python-calamine would read them from the saved file."""
    if on_mac(rng):
        values = rng.options(**VALUE_OPTIONS).value
        return live_rows(values, _rows_2d(rng.api.string_value.get()))
    return live_rows(rng.options(err_to_str=True, **VALUE_OPTIONS).value)


def sheet_cells(sheet: Any) -> Cells:
    """A sheet's used cells (one read) and the 0-based (row, column) of the first one."""
    used = sheet.used_range
    return range_cells(used), (used.row - 1, used.column - 1)


class LiveGrids:
    """The live workbook as the reader's `GridSource`: a sheet's used range is read once, when the reader
    first asks for it, and only the sheets the reader looks at are read."""

    def __init__(self, book: Any):
        self._sheets = book.sheets
        self.sheet_names = [sheet.name for sheet in self._sheets]
        self._read: dict[str, SheetCells] = {}

    def cells(self, name: str, nrows: int | None = None) -> SheetCells:
        if name not in self._read:
            self._read[name] = SheetCells(*sheet_cells(self._sheets[name]))
        cells = self._read[name]
        return cells if nrows is None else SheetCells(cells.rows[:nrows], cells.start, cells.merged)


def read_live_book(book: Any) -> Book:
    """The Book the file reader would build from this workbook, read from Excel."""
    full_name = getattr(book, "fullname", None)
    return read_grids(LiveGrids(book), source=Path(full_name) if full_name else None)
