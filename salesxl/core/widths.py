"""Column widths that fit the values as shown, so no number prints as `###`.

Excel and LibreOffice show `###` when a formatted number or date is wider than
its column, so a width is measured on the formatted text (thousands
separators, decimals, percent, dates), CJK characters counting double. Text
may be clipped at the column's cap; numbers and dates never are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from salesxl.core.sheetspec import Block, ColumnSpec, Formula, Link, SheetSpec

MIN_WIDTH = 6.0
MAX_TEXT_WIDTH = 50.0  # a text column wider than this is clipped, not widened
PADDING = 2.0  # cell margins and a little air, in character widths
FILTER_BUTTON = 2.0  # a table header's filter button covers the end of the header text
_DECIMALS = re.compile(r"\.(0+)")


def display_width(text: str) -> int:
    """Width in character cells: East Asian wide and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def formatted(value: Any, number_format: str | None) -> str:
    """The text a spreadsheet shows for `value` under `number_format` (the formats salesxl writes)."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Formula):
        return "" if value.cached is None else formatted(value.cached, number_format)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M" if number_format is None or "h" in number_format else "%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float, Decimal)) or hasattr(value, "dtype"):
        return _number(float(value), number_format)
    return str(value)


def _number(number: float, number_format: str | None) -> str:
    if not math.isfinite(number):
        return ""
    if not number_format or number_format == "General":
        text = f"{number:.10g}"
        return text if len(text) <= 11 else f"{number:.5E}"
    section = number_format.split(";")[0]
    if "%" in section:
        number *= 100
    match = _DECIMALS.search(section)
    decimals = len(match.group(1)) if match else 0
    text = f"{number:,.{decimals}f}" if "," in section else f"{number:.{decimals}f}"
    return text + ("%" if "%" in section else "")


#: Types whose equal values also look alike, so a column's distinct values can stand for all of them.
#: (bool is left out: True == 1 and False == 0 would hide "TRUE"/"FALSE" behind a number.)
_PLAIN_TYPES = frozenset({str, int, float, type(None), dt.date, dt.datetime, dt.time, Link, Formula})


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _measured_values(values: list[Any]) -> list[Any]:
    """Values that decide a column's width: each distinct one once when that loses nothing, else all."""
    if set(map(type, values)) <= _PLAIN_TYPES:
        try:
            return list(dict.fromkeys(values))  # hashes in C; a column repeats its names, IDs and dates
        except TypeError:  # a formula's cached value may be unhashable
            pass
    return values


def column_need(column: ColumnSpec, values: list[Any], *, table: bool = False) -> float:
    """The width one column of one block needs: its longest formatted value, within bounds."""
    fmt = column.format
    values = _measured_values(values)
    numbers = [f for v in values if _is_number(v) and math.isfinite(f := float(v))]
    other = [v for v in values if v is not None and not _is_number(v)]
    number_need = 0.0
    if numbers:  # the longest formatted number is the largest or the most negative one
        number_need = max(len(_number(v, fmt)) for v in (min(numbers), max(numbers))) + PADDING
    try:
        distinct = list(dict.fromkeys(other))  # a column repeats its values (names, IDs, dates): measure each once
    except TypeError:
        distinct = other
    text_need = max((_text_width(formatted(v, fmt)) for v in distinct), default=0) + PADDING
    if any(isinstance(v, (dt.date, dt.time)) for v in distinct):  # dates show ### too: never clip them
        number_need = max(number_need, max(display_width(formatted(v, fmt)) for v in distinct
                                           if isinstance(v, (dt.date, dt.time))) + PADDING)
    header_need = display_width(column.header) + PADDING + (FILTER_BUTTON if table else 0)
    cap = column.width if column.width and column.kind == "text" else MAX_TEXT_WIDTH
    floor = column.width if column.width and column.kind != "text" else MIN_WIDTH
    return max(number_need, floor, min(max(text_need, header_need, MIN_WIDTH), cap))


def _text_width(text: str) -> int:
    return len(text) if text.isascii() else display_width(text)


def block_widths(block: Block) -> list[float]:
    """Each column's width for one block."""
    n = len(block.columns)
    if not block.rows:
        columns: list[Any] = [()] * n
    elif min(map(len, block.rows)) >= n:  # the usual case: no row to pad
        columns = list(zip(*block.rows))
    else:
        columns = list(zip(*[row[:n] + [None] * (n - len(row)) for row in block.rows]))
    table = bool(block.table_name)
    return [column_need(c, list(vals), table=table) for c, vals in zip(block.columns, columns)]


def column_widths(spec: SheetSpec) -> dict[int, float]:
    """1-based column -> width for the whole sheet: the widest need of every block in that column."""
    widths: dict[int, float] = {}
    for i, block in enumerate(spec.blocks):
        col0 = 1 + block.column_offset
        for j, width in enumerate(block_widths(block)):
            widths[col0 + j] = max(widths.get(col0 + j, 0.0), round(width, 1))
    return widths


def sheet_widths(spec: SheetSpec) -> dict[int, float]:
    """The sheet's column widths, measured once: page setup and both writers read the same numbers."""
    if spec.widths is None:
        spec.widths = column_widths(spec)
    return spec.widths
