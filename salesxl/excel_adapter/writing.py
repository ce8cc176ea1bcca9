"""SheetSpecs into the live workbook: one `.value =` write per sheet, then formats in bulk.

Links are HYPERLINK formulas inside that one write; fonts, fills, number
formats and widths are set once per distinct format on a union of ranges;
highlights are conditional formats and validations rules, one call each;
charts, pictures, tab colour, frozen panes and page setup follow the spec, so
a sheet costs about the same number of Excel calls whatever its row count.

Tool-owned sheets are cleared and rewritten in place (formulas elsewhere that
point at them keep working); missing ones are added after the last sheet.
A sheet that carries a tool sheet's name but not salesxl's header line in A1
belongs to the user: the pipeline writes that result under another name
(`user_sheet_names` tells it which), as the file adapter does; handed a spec
for such a sheet anyway, `write_specs` writes nothing and refuses. Strings are
written with Excel's text prefix (') so that "=1+1", "00123" or "3/4" stay
text; only `Formula` values become formulas.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Collection, Iterator

from salesxl.core.book import column_letter, quote_sheet
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import ChartSpec, Formula, Highlight, Link, Picture, SheetSpec, Validation
from salesxl.excel_adapter.native import (
    page_setup, set_alt_text, set_print_title_rows, set_tab_color, set_validation_messages,
)
from salesxl.io.xlsx import cells
from salesxl.io.xlsx.sheetxml import MAX_ROW, _widths, layout
from salesxl.pipeline import may_write
from salesxl.schema.outputs import is_tool_sheet_marker

HEADER_FILL = (0xD9, 0xE1, 0xF2)
HEADER_LINE_COLOR = (0x80, 0x80, 0x80)
TABLE_STYLE = "TableStyleLight9"


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
    links: list[tuple[int, int, Link]]  # 1-based row, column: links too long for a HYPERLINK formula


#: Excel's limit on a text literal inside a formula.
_FORMULA_TEXT_LIMIT = 255


def link_formula(link: Link) -> str | None:
    """A link as a HYPERLINK formula written with the values (no call per cell); None when too long.
    The shown text is a string literal, so it stays text whatever it looks like."""
    address = "#" + link.target if link.internal else link.target
    if max(len(address), len(link.text)) > _FORMULA_TEXT_LIMIT:
        return None
    quoted = [part.replace('"', '""') for part in (address, link.text)]
    return f'=HYPERLINK("{quoted[0]}","{quoted[1]}")'


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
            for j, value in enumerate(row[:n], col0 - 1):
                t = type(value)  # the common kinds inline (what `excel_value` does with them), the rest through it
                if t is str:
                    target[j] = "'" + value
                elif t is float:
                    target[j] = value if value - value == 0 else None
                elif t is int:
                    target[j] = value
                elif value is None:
                    continue
                elif t is Link:
                    formula = link_formula(value)
                    target[j] = formula or excel_value(value)
                    if formula is None:
                        links.append((row0 + 1 + i, j + 1, value))
                else:
                    target[j] = excel_value(value)
    return Grid(values, links)


def _argb(fill: str) -> tuple[int, int, int]:
    return int(fill[-6:-4], 16), int(fill[-4:-2], 16), int(fill[-2:], 16)


#: Excel's limit on the address of a range given as text.
_ADDRESS_LIMIT = 255


def _union(sheet: Any, areas: list[str]) -> Iterator[Any]:
    """Ranges covering `areas` ("A3:F3"), as few as Excel's address limit allows (one call each)."""
    chunk: list[str] = []
    for area in areas:
        if chunk and len(",".join(chunk + [area])) > _ADDRESS_LIMIT:
            yield sheet.range(",".join(chunk))
            chunk = []
        chunk.append(area)
    if chunk:
        yield sheet.range(",".join(chunk))


def _area(r1: int, c1: int, r2: int, c2: int) -> str:
    first, last = f"{column_letter(c1)}{r1}", f"{column_letter(c2)}{r2}"
    return first if first == last else f"{first}:{last}"


def _grouped(pairs: Iterator[tuple[Any, str]]) -> dict[Any, list[str]]:
    groups: dict[Any, list[str]] = {}
    for key, area in pairs:
        groups.setdefault(key, []).append(area)
    return groups


def _format_runs(columns: list[Any]) -> Iterator[tuple[str | None, int, int]]:
    """(number format, first, last column index) of each run of neighbouring columns sharing a format:
    one area per run, so a block's money columns cost one address, not one each."""
    first = 0
    for j in range(1, len(columns) + 1):
        if j == len(columns) or columns[j].format != columns[first].format:
            yield columns[first].format, first, j - 1
            first = j


_CHART_TYPES = {"bar": "bar_clustered", "column": "column_clustered", "line": "line", "pie": "pie"}
_PX_TO_POINTS = 0.75


def format_sheet(sheet: Any, spec: SheetSpec, grid: Grid) -> None:
    """What the file writer renders besides the values, with calls per kind of format, not per cell:
    fonts, fills and number formats on unions of ranges, one rule per highlight and validation."""
    lay = layout(spec)
    blocks = list(zip(spec.blocks, lay.origins))
    if spec.tab_color:
        set_tab_color(sheet, _argb(spec.tab_color))
    if spec.header_line:
        font = sheet.range("A1").font
        font.italic = True
        font.color = HEADER_LINE_COLOR
    titles = [_area(row0 - 1, col0, row0 - 1, col0) for block, (row0, col0) in blocks if block.title]
    headers = [_area(row0, col0, row0, col0 + len(block.columns) - 1) for block, (row0, col0) in blocks]
    for rng in _union(sheet, titles + headers):
        rng.font.bold = True
    for rng in _union(sheet, headers):
        rng.color = HEADER_FILL
    formats = _grouped((number_format, _area(row0 + 1, col0 + first, row0 + len(block.rows), col0 + last))
                       for block, (row0, col0) in blocks if block.rows
                       for number_format, first, last in _format_runs(block.columns) if number_format)
    for number_format, areas in formats.items():
        for rng in _union(sheet, areas):
            rng.number_format = number_format
    widths = _grouped((width, f"{column_letter(c)}1") for c, width in sorted(_widths(spec, lay).items()))
    for width, areas in widths.items():
        for rng in _union(sheet, areas):
            rng.column_width = width
    for index, (block, (row0, col0)) in enumerate(blocks):
        last_col = col0 + len(block.columns) - 1
        last_row = row0 + len(block.rows) if block.rows else MAX_ROW
        for highlight in block.highlights:
            _highlight(sheet, highlight, row0, col0, last_row, last_col)
        for validation in block.validations:
            _validate(sheet, validation, row0, col0)
        if lay.tables[index]:
            extent = sheet.range((row0, col0), (row0 + max(len(block.rows), 1), last_col))
            sheet.tables.add(source=extent, name=block.table_name, table_style_name=TABLE_STYLE)
    for row, column, link in grid.links:
        address = "#" + link.target if link.internal else link.target
        sheet.range((row, column)).add_hyperlink(address, link.text, link.target)
    for chart in spec.charts:
        _chart(sheet, spec, lay, chart)
    for picture in spec.pictures:
        _picture(sheet, picture)
    if spec.freeze_rows:
        sheet.freeze_panes.freeze_at(f"{spec.freeze_rows}:{spec.freeze_rows}")
    if spec.page:
        page_setup(sheet, spec.page)
        titles_rows = spec.page.print_title_rows
        if titles_rows:
            set_print_title_rows(sheet, titles_rows)
    if spec.hidden:
        sheet.visible = False


def _highlight(sheet: Any, highlight: Highlight, row0: int, col0: int, last_row: int, last_col: int) -> None:
    """A conditional format, as the file writer writes it: the fill follows the values when they change."""
    letter = column_letter(col0 + highlight.column)
    literal = '"' + highlight.equals.replace('"', '""') + '"'
    fill = _argb(highlight.fill)
    if highlight.whole_row:
        rng = sheet.range((row0 + 1, col0), (last_row, last_col))
        rng.conditional_formats.add_custom(f"=${letter}{row0 + 1}={literal}", fill_color=fill)
    else:
        rng = sheet.range((row0 + 1, col0 + highlight.column), (last_row, col0 + highlight.column))
        rng.conditional_formats.add_cell_value("equal_to", literal, fill_color=fill)


_OPERATORS = {"between": "between", "notBetween": "not_between", "equal": "equal_to", "notEqual": "not_equal_to",
              "greaterThan": "greater_than", "lessThan": "less_than",
              "greaterThanOrEqual": "greater_than_or_equal", "lessThanOrEqual": "less_than_or_equal"}


def _validate(sheet: Any, v: Validation, row0: int, col0: int) -> None:
    """A data-validation rule through xlwings' own API; prompts and alerts through `.api`."""
    last = MAX_ROW if v.rows is None else min(MAX_ROW, row0 + v.rows)
    rng = sheet.range((row0 + 1, col0 + v.column), (last, col0 + v.column))
    rule = rng.data_validation
    if v.kind == "list":
        rule.set_list(list(v.values) if v.source is None else _source_range(sheet, v.source))
    elif v.kind == "custom":
        rule.set_custom(v.formula1 or "")
    else:
        setter = {"date": rule.set_date, "decimal": rule.set_decimal, "whole": rule.set_whole_number,
                  "textLength": rule.set_text_length}[v.kind]
        operator = _OPERATORS.get(v.operator or "between", "between")
        setter(operator, v.formula1 or "", v.formula2) if operator in ("between", "not_between") \
            else setter(operator, v.formula1 or "")
    if any((v.prompt_title, v.prompt, v.error_title, v.error)) or not v.allow_blank:
        set_validation_messages(rng, v)


def _source_range(sheet: Any, source: str) -> Any:
    """A list source "=Lists!$A$1:$A$9" (or "=$A$1:$A$9") as a Range of the book."""
    ref = source.removeprefix("=")
    name, _, address = ref.rpartition("!")
    target = sheet.book.sheets[name.strip("'").replace("''", "'")] if name else sheet
    return target.range(address.replace("$", ""))


def _chart(sheet: Any, spec: SheetSpec, lay: Any, chart: ChartSpec) -> None:
    """A native chart over the block's cells, where the file writer anchors it."""
    area = sheet.range(chart.anchor).resize(chart.height_cells, chart.width_cells)
    block_index = chart.series[0].block
    block, (row0, col0) = spec.blocks[block_index], lay.origins[block_index]
    last = row0 + max(len(block.rows), 1)
    columns = [chart.series[0].categories_column] + [s.values_column for s in chart.series]
    source = ",".join(_area(row0, col0 + c, last, col0 + c) for c in columns)
    made = sheet.charts.add(area.left, area.top, area.width, area.height,
                            chart_type=_CHART_TYPES[chart.kind], source=sheet.range(source))
    made.title = chart.title
    if chart.y_title and chart.kind != "pie":
        made.value_axis.title = chart.y_title
    if chart.x_title and chart.kind != "pie":
        made.category_axis.title = chart.x_title


def _picture(sheet: Any, picture: Picture) -> None:
    """A picture through a temporary PNG file (xlwings adds pictures from files)."""
    cell = sheet.range(picture.anchor)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "picture.png"
        path.write_bytes(picture.png)
        added = sheet.pictures.add(str(path), left=cell.left, top=cell.top,
                                   width=picture.width_px * _PX_TO_POINTS, height=picture.height_px * _PX_TO_POINTS)
    if picture.description:
        set_alt_text(added, picture.description)


def _find(sheets: Any, name: str) -> Any | None:
    wanted = name.casefold()
    return next((sheet for sheet in sheets if sheet.name.casefold() == wanted), None)


def user_sheet_names(book: Any) -> list[str]:
    """The live book's sheets that salesxl did not make and a run might write to, as the file adapter's
    `io.xlsx.user_sheet_names` finds them: one A1 read for each sheet with a result sheet's name, none for others."""
    return [sheet.name for sheet in book.sheets
            if may_write(sheet.name) and not is_tool_sheet_marker(sheet.range("A1").value)]


def write_specs(book: Any, specs: list[SheetSpec], lang: Lang, *, taken: Collection[str] | None = None) -> list[str]:
    """Write every spec into the live book; refuse before writing anything if a target sheet is the user's.
    `taken`: the user's sheets when already known (`user_sheet_names`), so A1 is not read again."""
    sheets = book.sheets
    existing = {}
    foreign = None if taken is None else {name.casefold() for name in taken}
    for spec in specs:
        sheet = _find(sheets, spec.name)
        if sheet is not None and (sheet.name.casefold() in foreign if foreign is not None
                                  else not is_tool_sheet_marker(sheet.range("A1").value)):
            raise ForeignSheetError(sheet.name, lang)
        existing[spec.name] = sheet
    app = book.app
    calculation, screen_updating = _readable(app, "calculation"), _readable(app, "screen_updating")
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
    finally:  # what could not be read back goes to Excel's default
        app.calculation = calculation or "automatic"
        app.screen_updating = True if screen_updating is None else screen_updating
    return [spec.name for spec in specs]


def _readable(app: Any, name: str) -> Any | None:
    """An app setting, or None where the engine cannot read it (xlwings' remote engine: Server, Lite)."""
    try:
        return getattr(app, name)
    except Exception:  # the remote engine raises its own NotImplemented-style errors
        return None
