"""SheetSpecs into the live workbook: one `.value =` write per sheet, then formats in bulk.

Tool-owned sheets are cleared and rewritten in place (formulas elsewhere that
point at them keep working); missing ones are added after the last sheet.
A sheet that carries a tool sheet's name but not salesxl's header line in A1
belongs to the user: nothing is written and the run is refused. Strings are
written with Excel's text prefix (') so that "=1+1", "00123" or "3/4" stay
text; only `Formula` values become formulas.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from salesxl import __version__
from salesxl.core.book import quote_sheet
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Formula, Link, SheetSpec
from salesxl.io.xlsx import cells
from salesxl.io.xlsx.sheetxml import _widths, layout
from salesxl.pipeline import header_line

HEADER_FILL = (0xD9, 0xE1, 0xF2)
HEADER_LINE_COLOR = (0x80, 0x80, 0x80)
TABLE_STYLE = "TableStyleLight9"
_MARKERS = tuple(header_line(lang, dt.datetime(2000, 1, 1)).split(__version__)[0] for lang in ("zh", "en"))


class ForeignSheetError(Exception):
    """A sheet salesxl would write already exists and belongs to the user."""

    def __init__(self, sheet: str, lang: Lang):
        self.sheet = sheet
        if lang == "zh":
            text = (f"工作表“{sheet}”与 salesxl 生成的工作表同名，但 {quote_sheet(sheet)}!A1 没有 salesxl 的标记行，"
                    f"可能是您自己的数据。请把它改名后再运行；本次没有写入任何内容。")
        else:
            text = (f"The sheet “{sheet}” has the name of a sheet salesxl writes, but {quote_sheet(sheet)}!A1 does not "
                    f"hold salesxl's header line, so it may be your own data. Rename it and run again; nothing was written.")
        super().__init__(text)


def is_tool_sheet_marker(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(_MARKERS)


def excel_value(value: Any) -> Any:
    """A SheetSpec value as Excel must receive it through `Range.value`."""
    if isinstance(value, Link):
        return "'" + value.text
    if isinstance(value, Formula):
        return "=" + value.text.removeprefix("=")
    value = cells.plain(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return "'" + value
    if isinstance(value, (int, float, Decimal)):
        return None if cells.number(value) is None else (value if isinstance(value, int) else float(value))
    if isinstance(value, dt.date):
        return value if cells.serial(value, False) is not None else "'" + value.isoformat()
    if isinstance(value, dt.time):
        return cells.time_serial(value)
    return "'" + str(value)


@dataclass
class Grid:
    """The whole content of a sheet as one rectangle of values starting at A1, and where things are."""

    values: list[list[Any]]
    links: list[tuple[int, int, Link]]  # 1-based row, column


def sheet_grid(spec: SheetSpec) -> Grid:
    lay = layout(spec)
    height = max([row0 + len(block.rows) for block, (row0, _) in zip(spec.blocks, lay.origins)] + [1])
    width = max([col0 + len(block.columns) - 1 for block, (_, col0) in zip(spec.blocks, lay.origins)] + [1])
    values: list[list[Any]] = [[None] * width for _ in range(height)]
    links: list[tuple[int, int, Link]] = []
    if spec.header_line:
        values[0][0] = excel_value(spec.header_line)
    for block, (row0, col0), headers in zip(spec.blocks, lay.origins, lay.headers):
        if block.title:
            values[row0 - 2][col0 - 1] = excel_value(block.title)
        values[row0 - 1][col0 - 1:col0 - 1 + len(headers)] = [excel_value(h) for h in headers]
        n = len(block.columns)
        for i, row in enumerate(block.rows):
            target = values[row0 + i]
            for j, value in enumerate(row[:n]):
                if value is not None:
                    target[col0 - 1 + j] = excel_value(value)
                    if isinstance(value, Link):
                        links.append((row0 + 1 + i, col0 + j, value))
    return Grid(values, links)


def _runs(flags: list[bool]) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of True."""
    start = None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            yield start, i - 1
            start = None


def _argb(fill: str) -> tuple[int, int, int]:
    return int(fill[-6:-4], 16), int(fill[-4:-2], 16), int(fill[-2:], 16)


def format_sheet(sheet: Any, spec: SheetSpec, grid: Grid) -> None:
    """Header styles, number formats, widths, tables, fills and links, a bounded number of calls per block."""
    lay = layout(spec)
    if spec.header_line:
        font = sheet.range("A1").font
        font.italic = True
        font.color = HEADER_LINE_COLOR
    for index, (block, (row0, col0)) in enumerate(zip(spec.blocks, lay.origins)):
        last_col = col0 + len(block.columns) - 1
        if block.title:
            sheet.range((row0 - 1, col0)).font.bold = True
        header = sheet.range((row0, col0), (row0, last_col))
        header.font.bold = True
        header.color = HEADER_FILL
        if block.rows:
            last_row = row0 + len(block.rows)
            for j, column in enumerate(block.columns):
                if column.format:
                    sheet.range((row0 + 1, col0 + j), (last_row, col0 + j)).number_format = column.format
            for highlight in block.highlights:
                matches = [highlight.column < len(row) and row[highlight.column] == highlight.equals
                           for row in block.rows]
                first, last = (col0, last_col) if highlight.whole_row else (col0 + highlight.column,) * 2
                for start, end in _runs(matches):
                    sheet.range((row0 + 1 + start, first), (row0 + 1 + end, last)).color = _argb(highlight.fill)
        if lay.tables[index]:
            extent = sheet.range((row0, col0), (row0 + max(len(block.rows), 1), last_col))
            sheet.tables.add(source=extent, name=block.table_name, table_style_name=TABLE_STYLE)
    for column, width in _widths(spec, lay).items():
        sheet.range((1, column)).column_width = width
    for row, column, link in grid.links:
        address = "#" + link.target if link.internal else link.target
        sheet.range((row, column)).add_hyperlink(address, link.text, link.target)
    if spec.hidden:
        sheet.visible = False


def _find(sheets: Any, name: str) -> Any | None:
    wanted = name.casefold()
    return next((sheet for sheet in sheets if sheet.name.casefold() == wanted), None)


def write_specs(book: Any, specs: list[SheetSpec], lang: Lang) -> list[str]:
    """Write every spec into the live book; refuse before writing anything if a target sheet is the user's."""
    sheets = book.sheets
    existing = {}
    for spec in specs:
        sheet = _find(sheets, spec.name)
        if sheet is not None and not is_tool_sheet_marker(sheet.range("A1").value):
            raise ForeignSheetError(sheet.name, lang)
        existing[spec.name] = sheet
    app = book.app
    calculation, screen_updating = app.calculation, app.screen_updating
    app.screen_updating = False
    app.calculation = "manual"
    try:
        for spec in specs:
            sheet = existing[spec.name]
            if sheet is None:
                sheet = sheets.add(spec.name, after=sheets[sheets.count - 1])
            else:
                sheet.clear()
            grid = sheet_grid(spec)
            sheet.range("A1").value = grid.values
            format_sheet(sheet, spec, grid)
    finally:
        app.calculation = calculation
        app.screen_updating = screen_updating
    return [spec.name for spec in specs]
