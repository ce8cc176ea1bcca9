"""Workbooks as grids of cell values: what the reader needs from a source of cells, file or live.

The file reader gets its grids from python-calamine; the Excel adapter gets
them from `Range.value`. Both go through the same reader, so the same cells
give the same coercion and the same issues. Live values are first made to
look like calamine's (`live_cell`): Excel's own types differ by platform, and
the reader must not see the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from salesxl.core.book import Book
from salesxl.io.coerce import EXCEL_ERRORS

Rows = list[list[Any]]
Cells = tuple[Rows, tuple[int, int]]  # rows and the 0-based (row, column) of the first cell
#: Excel's day zero: a time-only cell read live is a datetime on this day (COM's VT_DATE, AppleScript's date).
TIME_ONLY_DAY = dt.date(1899, 12, 30)


class SheetGrid(Protocol):
    """One sheet's used cells, as python-calamine's `CalamineSheet` offers them."""

    start: tuple[int, int] | None
    merged_cell_ranges: Any

    def to_python(self, nrows: int | None = None) -> Rows: ...


class GridBook(Protocol):
    """A workbook as sheets of cells, as python-calamine's `CalamineWorkbook` offers them."""

    sheet_names: list[str]

    def get_sheet_by_name(self, name: str) -> SheetGrid: ...


def live_cell(value: Any) -> Any:
    """A cell read from Excel as python-calamine reads the same cell from the file.

    Currency/Accounting cells come as `Decimal` on Windows (VT_CY), time-only cells as a datetime on
    1899-12-30, blanks as None; calamine gives float, `time` and "". Error cells are their text
    ("#N/A"), which the reader reports as an error value."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.date() == TIME_ONLY_DAY:
        return value.time()
    return value


def live_rows(rows: Rows, errors: Rows | None = None) -> Rows:
    """`live_cell` over a 2-D block; where `errors` (the cells' shown texts) names an Excel error,
    the cell becomes that error's text."""
    out = [[live_cell(v) for v in row] for row in rows]
    if errors is not None:
        for i, row in enumerate(errors[:len(out)]):
            for j, text in enumerate(row[:len(out[i])]):
                if isinstance(text, str) and text in EXCEL_ERRORS:
                    out[i][j] = text
    return out


@dataclass
class _LoadedSheet:
    rows: Rows
    start: tuple[int, int]
    merged_cell_ranges: tuple = ()

    def to_python(self, nrows: int | None = None) -> Rows:
        return self.rows if nrows is None else self.rows[:nrows]


class LoadedGrids:
    """A `GridBook` whose sheets come from `load(name)`, called at most once per sheet and only for the
    sheets the reader looks at."""

    def __init__(self, sheet_names: Sequence[str], load: Callable[[str], Cells]):
        self.sheet_names = list(sheet_names)
        self._load = load
        self._read: dict[str, _LoadedSheet] = {}

    def get_sheet_by_name(self, name: str) -> _LoadedSheet:
        if name not in self._read:
            self._read[name] = _LoadedSheet(*self._load(name))
        return self._read[name]


def read_grids(sheet_names: Sequence[str], load: Callable[[str], Cells], *, source: Path | None = None) -> Book:
    """The file reader run on cells read elsewhere (the live workbook): same tables, coercion and issues."""
    from salesxl.io.reader import read_grid_book

    return read_grid_book(LoadedGrids(sheet_names, load), source=source)
