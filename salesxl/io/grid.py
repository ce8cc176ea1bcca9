"""Workbooks as grids of cell values: what the reader needs from a source of cells, file or live.

The file reader gets its grids from python-calamine; the Excel adapter gets
them from `Range.value`. Both hand the one reader (`io.reader.read_grids`) a
`GridSource`, so the same cells give the same coercion and the same issues.
Live values are first made to look like calamine's (`live_cell`): Excel's own
types differ by platform, and the reader must not see the difference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, Sequence

from salesxl.io.coerce import EXCEL_ERRORS

Rows = list[list[Any]]
Cells = tuple[Rows, tuple[int, int]]  # rows and the 0-based (row, column) of the first cell
#: Excel's day zero: a time-only cell read live is a datetime on this day (COM's VT_DATE, AppleScript's date).
TIME_ONLY_DAY = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class SheetCells:
    """One sheet's used cells: rows of values from `start`, the 0-based (row, column) of the first cell,
    and its merged ranges ((first row, first column), (last row, last column)) in sheet coordinates."""

    rows: Rows
    start: tuple[int, int] = (0, 0)
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = ()


class GridSource(Protocol):
    """A workbook as sheets of cells: all the reader needs, whether the cells come from a file or from Excel.

    Values are as python-calamine gives them: str ("" for blank), float, int, bool, datetime, date, time,
    timedelta; an error cell is its text ("#N/A") unless the reader has the package to find it in."""

    sheet_names: Sequence[str]

    def cells(self, name: str, nrows: int | None = None) -> SheetCells:
        """The sheet's cells (only the first `nrows` rows when given); raises when the sheet cannot be read."""
        ...


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


#: Types `live_cell` gives back unchanged, then with blanks, then with datetimes (a date column read live).
_AS_CALAMINE = frozenset({str, float, int, bool, dt.date, dt.time, dt.timedelta})
_WITH_BLANKS = _AS_CALAMINE | {type(None)}
_WITH_DATETIMES = _WITH_BLANKS | {dt.datetime}


def _live_row(row: Sequence[Any]) -> list[Any]:
    """`live_cell` over one row, without a call per cell for the kinds of value Excel gives most."""
    kinds = set(map(type, row))
    if kinds <= _AS_CALAMINE:
        return list(row)
    if kinds <= _WITH_BLANKS:
        return ["" if v is None else v for v in row]
    if kinds <= _WITH_DATETIMES:
        return ["" if v is None else v.time() if type(v) is dt.datetime and v.date() == TIME_ONLY_DAY else v
                for v in row]
    return [live_cell(v) for v in row]


def live_rows(rows: Rows, errors: Rows | None = None) -> Rows:
    """`live_cell` over a 2-D block; where `errors` (the cells' shown texts) names an Excel error,
    the cell becomes that error's text."""
    out = [_live_row(row) for row in rows]
    if errors is not None:
        for i, row in enumerate(errors[:len(out)]):
            for j, text in enumerate(row[:len(out[i])]):
                if isinstance(text, str) and text in EXCEL_ERRORS:
                    out[i][j] = text
    return out
