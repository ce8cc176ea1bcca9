"""Worksheet XML from a SheetSpec, built with string joins (100k rows must be quick)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from salesxl.core.book import column_letter, quote_sheet
from salesxl.core.sheetspec import Block, ColumnSpec, Formula, Link, SheetSpec
from salesxl.core.widths import sheet_widths
from salesxl.io.xlsx import cells
from salesxl.io.xlsx.opc import RT_DRAWING, RT_HYPERLINK, RT_TABLE
from salesxl.io.xlsx.styles import CellStyle, Styles

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAX_ROW = 1048576

HEADER_LINE = CellStyle(italic=True, color="FF808080")
TITLE = CellStyle(bold=True)
HEADER = CellStyle(bold=True, fill="FFD9E1F2", bottom_border=True)
LINK_COLOR = "FF0563C1"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"


@dataclass
class Layout:
    """Where each block of a spec sits: 1-based header row and first column."""

    origins: list[tuple[int, int]]
    headers: list[list[str]]  # header texts as written (table blocks: unique names)
    tables: dict[int, bool]  # block index -> has an Excel Table


@dataclass
class Rendered:
    xml: bytes
    rels: list[tuple[str, str, str, bool]] = field(default_factory=list)  # (rId, type, target, external)
    formulas: bool = False


def unique_headers(columns: list[ColumnSpec]) -> list[str]:
    """Table column names: non-empty and unique regardless of case."""
    seen: set[str] = set()
    out = []
    for j, col in enumerate(columns):
        base = col.header.strip() or f"Column{j + 1}"
        name, n = base, 1
        while name.casefold() in seen:
            n += 1
            name = f"{base}{n}"
        seen.add(name.casefold())
        out.append(name)
    return out


def layout(spec: SheetSpec) -> Layout:
    """Block positions and which blocks become Excel Tables.

    A Table needs a data row: a block without rows gets one empty row inside its
    table (what Excel does for a header-only table), except when the next block
    starts right below it (gap_after=0); then that block is written without a table.
    """
    origins = [spec.block_origin(i) for i in range(len(spec.blocks))]
    headers, tables = [], {}
    for i, block in enumerate(spec.blocks):
        has_table = bool(block.table_name) and (
            bool(block.rows) or block.gap_after > 0 or i == len(spec.blocks) - 1)
        tables[i] = has_table
        headers.append(unique_headers(block.columns) if has_table else [c.header for c in block.columns])
    return Layout(origins, headers, tables)


def table_extent(block: Block, origin: tuple[int, int]) -> str:
    """A table's range: header row plus its data rows (one empty row when there are none)."""
    row, col = origin
    last_row = row + max(len(block.rows), 1)
    return f"{column_letter(col)}{row}:{column_letter(col + len(block.columns) - 1)}{last_row}"


def _widths(spec: SheetSpec, lay: Layout) -> dict[int, float]:
    """Column widths fitted to the formatted values (see core.widths)."""
    return sheet_widths(spec)


class _ColumnStyles:
    """Style indices one column needs, resolved once per column, not per cell."""

    def __init__(self, styles: Styles, column: ColumnSpec):
        fmt = column.format
        self.value = styles.xf(CellStyle(num_format=fmt))
        self.date = self.value if column.kind in ("date", "datetime") or column.number_format else \
            styles.xf(CellStyle(num_format=DATE_FORMAT))
        self.datetime = self.value if column.kind == "datetime" or column.number_format else \
            styles.xf(CellStyle(num_format=DATETIME_FORMAT))
        self.time = styles.xf(CellStyle(num_format=TIME_FORMAT))
        self.link = styles.xf(CellStyle(num_format=fmt, underline=True, color=LINK_COLOR))


class _Writer:
    def __init__(self, spec: SheetSpec, styles: Styles, date1904: bool):
        self.spec, self.styles, self.date1904 = spec, styles, date1904
        self.out: list[str] = []
        self.hyperlinks: list[str] = []
        self.rels: list[tuple[str, str, str, bool]] = []
        self.formulas = False
        self._column_styles: dict[ColumnSpec, _ColumnStyles] = {}

    def column_styles(self, column: ColumnSpec) -> _ColumnStyles:
        """Resolved once per distinct column: a sheet repeats its blocks' columns (Routes: one block a day)."""
        if column not in self._column_styles:
            self._column_styles[column] = _ColumnStyles(self.styles, column)
        return self._column_styles[column]

    def rid(self, rtype: str, target: str, external: bool = False) -> str:
        rid = f"rId{len(self.rels) + 1}"
        self.rels.append((rid, rtype, target, external))
        return rid

    def string_cell(self, ref: str, style: int, s: str) -> str:
        return f'<c r="{ref}" s="{style}" t="inlineStr">{cells.inline(s)}</c>'

    def other_cell(self, ref: str, v: object, cs: _ColumnStyles) -> str:
        """Values off the fast path: links, formulas, dates, Decimals, numpy scalars."""
        if isinstance(v, Link):
            if v.internal:
                self.hyperlinks.append(
                    f'<hyperlink ref="{ref}" location="{cells.attr(v.target.lstrip("#"))}" '
                    f'display="{cells.attr(v.text)}"/>')
            else:
                rid = self.rid(RT_HYPERLINK, v.target, True)
                self.hyperlinks.append(f'<hyperlink ref="{ref}" r:id="{rid}"/>')
            return self.string_cell(ref, cs.link, v.text)
        if isinstance(v, Formula):
            self.formulas = True
            body = f"<f>{cells.text(v.text.removeprefix('='))}</f>"
            cached = cells.plain(v.cached)
            if isinstance(cached, bool):
                return f'<c r="{ref}" s="{cs.value}" t="b">{body}<v>{int(cached)}</v></c>'
            if isinstance(cached, (int, float, Decimal)) and cells.number(cached) is not None:
                return f'<c r="{ref}" s="{cs.value}">{body}<v>{cells.number(cached)}</v></c>'
            if isinstance(cached, str):
                return f'<c r="{ref}" s="{cs.value}" t="str">{body}<v>{cells.text(cached)}</v></c>'
            return f'<c r="{ref}" s="{cs.value}">{body}</c>'
        v = cells.plain(v)
        if v is None:
            return ""
        if isinstance(v, str):
            return self.string_cell(ref, cs.value, v)
        if isinstance(v, bool):
            return f'<c r="{ref}" s="{cs.value}" t="b"><v>{int(v)}</v></c>'
        if isinstance(v, (int, float, Decimal)):
            num = cells.number(v)
            return "" if num is None else f'<c r="{ref}" s="{cs.value}"><v>{num}</v></c>'
        if isinstance(v, date):
            serial = cells.serial(v, self.date1904)
            if serial is None:
                return self.string_cell(ref, cs.value, v.isoformat())
            style = cs.datetime if isinstance(v, datetime) else cs.date
            return f'<c r="{ref}" s="{style}"><v>{serial!r}</v></c>'
        if isinstance(v, time):
            return f'<c r="{ref}" s="{cs.time}"><v>{cells.time_serial(v)!r}</v></c>'
        return self.string_cell(ref, cs.value, str(v))

    def block_rows(self, block: Block, origin: tuple[int, int], headers: list[str]) -> list[tuple[int, str]]:
        """(row number, cells xml) of a block: title, header, data."""
        row0, col0 = origin
        letters = [column_letter(col0 + j) for j in range(len(block.columns))]
        styles = [self.column_styles(c) for c in block.columns]
        rows = []
        if block.title:
            rows.append((row0 - 1, self.string_cell(f"{letters[0]}{row0 - 1}", self.styles.xf(TITLE), block.title)))
        head = self.styles.xf(HEADER)
        rows.append((row0, "".join(self.string_cell(f"{letters[j]}{row0}", head, h) for j, h in enumerate(headers))))
        inline, other, needs_escape = cells.inline, self.other_cell, cells.NEEDS_ESCAPE.search
        day_offset = None if self.date1904 else cells.EPOCH_1900.toordinal()
        first_plain_day = cells.LEAP_BUG_END.toordinal()
        width = len(letters)
        # each column's fixed markup, made once: a cell is then its reference, this and its value
        opens = ['<c r="' + letter for letter in letters]
        text_open = [f'" s="{cs.value}" t="inlineStr"><is><t>' for cs in styles]
        text_esc = [f'" s="{cs.value}" t="inlineStr">' for cs in styles]
        value_open = [f'" s="{cs.value}"><v>' for cs in styles]
        bool_open = [f'" s="{cs.value}" t="b"><v>' for cs in styles]
        date_open = [f'" s="{cs.date}"><v>' for cs in styles]
        datetime_open = [f'" s="{cs.datetime}"><v>' for cs in styles]
        for i, values in enumerate(block.rows):
            rn = str(row0 + 1 + i)
            parts = []
            add = parts.append
            for j, v in enumerate(values[:width]):
                if v is None:
                    continue
                t = type(v)
                if t is str:
                    if needs_escape(v) is None:
                        add(opens[j] + rn + text_open[j] + v + "</t></is></c>")
                    else:
                        add(opens[j] + rn + text_esc[j] + inline(v) + "</c>")
                elif t is int:
                    add(opens[j] + rn + value_open[j] + str(v) + "</v></c>")
                elif t is float:
                    if v - v == 0:  # finite
                        add(opens[j] + rn + value_open[j] + repr(v) + "</v></c>")
                elif t is bool:
                    add(opens[j] + rn + bool_open[j] + ("1" if v else "0") + "</v></c>")
                elif t is date and day_offset is not None and (day := v.toordinal()) >= first_plain_day:
                    add(opens[j] + rn + date_open[j] + str(day - day_offset) + "</v></c>")
                elif t is datetime and day_offset is not None and v.tzinfo is None \
                        and (day := v.toordinal()) >= first_plain_day:
                    serial = day - day_offset + (v.hour * 3600 + v.minute * 60 + v.second
                                                 + v.microsecond / 1e6) / 86400
                    add(opens[j] + rn + datetime_open[j] + repr(serial) + "</v></c>")
                else:
                    add(other(letters[j] + rn, v, styles[j]))
            rows.append((row0 + 1 + i, "".join(parts)))
        return rows


def _merge_rows(rows: list[tuple[int, str]], heights: dict[int, float] | None = None) -> list[str]:
    """Rows in ascending order; blocks side by side may share a row number; `heights` in points."""
    heights = heights or {}
    merged: dict[int, list[str]] = {rn: [] for rn in heights}
    for rn, xml in rows:
        if xml:
            merged.setdefault(rn, []).append(xml)
    return [f'<row r="{rn}"{_height(heights.get(rn))}>{"".join(merged[rn])}</row>' for rn in sorted(merged)]


def _height(points: float | None) -> str:
    return "" if points is None else f' ht="{points:g}" customHeight="1"'


def _row_heights(spec: SheetSpec, lay: Layout) -> dict[int, float]:
    """Sheet row -> height for the data rows of blocks that ask for one."""
    return {origin[0] + 1 + i: block.row_height for block, origin in zip(spec.blocks, lay.origins)
            if block.row_height for i in range(len(block.rows))}


def _validation(block: Block, origin: tuple[int, int], v) -> str:
    row0, col0 = origin
    letter = column_letter(col0 + v.column)
    last = MAX_ROW if v.rows is None else min(MAX_ROW, row0 + v.rows)
    attrs = [f'type="{v.kind}"']
    if v.operator:
        attrs.append(f'operator="{v.operator}"')
    if v.allow_blank:
        attrs.append('allowBlank="1"')
    attrs.append('showInputMessage="1" showErrorMessage="1"')
    for name, value in (("errorTitle", v.error_title), ("error", v.error),
                        ("promptTitle", v.prompt_title), ("prompt", v.prompt)):
        if value:
            attrs.append(f'{name}="{cells.attr(value)}"')
    attrs.append(f'sqref="{letter}{row0 + 1}:{letter}{last}"')
    if v.kind == "list" and v.source is None:
        formula1 = '"' + ",".join(x.replace('"', '""') for x in v.values) + '"'
        if len(formula1) > 257:
            raise ValueError(f"validation list on column {v.column} is longer than 255 characters; use a source range")
    else:
        formula1 = (v.source or v.formula1 or "").removeprefix("=")
    body = f"<formula1>{cells.text(formula1)}</formula1>"
    if v.formula2:
        body += f"<formula2>{cells.text(v.formula2.removeprefix('='))}</formula2>"
    return f'<dataValidation {" ".join(attrs)}>{body}</dataValidation>'


def _highlights(spec: SheetSpec, lay: Layout, styles: Styles) -> list[str]:
    out, priority = [], 0
    for block, (row0, col0) in zip(spec.blocks, lay.origins):
        last = row0 + len(block.rows) if block.rows else MAX_ROW
        for h in block.highlights:
            priority += 1
            dxf = styles.dxf(h.fill)
            letter = column_letter(col0 + h.column)
            literal = '"' + h.equals.replace('"', '""') + '"'
            if h.whole_row:
                sqref = f"{column_letter(col0)}{row0 + 1}:{column_letter(col0 + len(block.columns) - 1)}{last}"
                rule = (f'<cfRule type="expression" dxfId="{dxf}" priority="{priority}">'
                        f"<formula>{cells.text(f'${letter}{row0 + 1}={literal}')}</formula></cfRule>")
            else:
                sqref = f"{letter}{row0 + 1}:{letter}{last}"
                rule = (f'<cfRule type="cellIs" dxfId="{dxf}" priority="{priority}" operator="equal">'
                        f"<formula>{cells.text(literal)}</formula></cfRule>")
            out.append(f'<conditionalFormatting sqref="{sqref}">{rule}</conditionalFormatting>')
    return out


def render(spec: SheetSpec, styles: Styles, *, date1904: bool, tables: dict[int, str],
           drawing: str | None) -> Rendered:
    """The worksheet part. `tables`: block index -> table part target (relative to the sheet);
    `drawing`: the drawing part target when the sheet has charts or pictures."""
    lay = layout(spec)
    w = _Writer(spec, styles, date1904)
    rows: list[tuple[int, str]] = []
    if spec.header_line:
        rows.append((1, w.string_cell("A1", styles.xf(HEADER_LINE), spec.header_line)))
    for block, origin, headers in zip(spec.blocks, lay.origins, lay.headers):
        rows.extend(w.block_rows(block, origin, headers))
    max_row = max((rn for rn, xml in rows if xml), default=1)
    max_col = max([col0 + len(b.columns) - 1 for b, (_, col0) in zip(spec.blocks, lay.origins)] + [1])

    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{R_NS}">']
    pr = []
    if spec.tab_color:
        pr.append(f'<tabColor rgb="{spec.tab_color}"/>')
    fit = spec.page is not None and (spec.page.fit_width is not None or spec.page.fit_height is not None)
    if fit:
        pr.append('<pageSetUpPr fitToPage="1"/>')
    if pr:
        out.append(f"<sheetPr>{''.join(pr)}</sheetPr>")
    out.append(f'<dimension ref="A1:{column_letter(max_col)}{max_row}"/>')
    view = '<sheetView workbookViewId="0"' + (' rightToLeft="1"' if spec.right_to_left else "")
    if spec.freeze_rows:
        top = f"A{spec.freeze_rows + 1}"
        view += (f'><pane ySplit="{spec.freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                 f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>')
    else:
        view += "/>"
    out.append(f"<sheetViews>{view}</sheetViews>")
    widths = _widths(spec, lay)
    if widths:
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{widths[c]:g}" customWidth="1"/>'
                                      for c in sorted(widths)) + "</cols>")
    out.append("<sheetData>")
    out.extend(_merge_rows(rows, _row_heights(spec, lay)))
    out.append("</sheetData>")
    if spec.protected:  # filters and sorting stay usable; no password (a hint, not security)
        out.append('<sheetProtection sheet="1" objects="1" scenarios="1" sort="0" autoFilter="0"/>')
    out.extend(_highlights(spec, lay, styles))
    validations = [_validation(b, o, v) for b, o in zip(spec.blocks, lay.origins) for v in b.validations]
    if validations:
        out.append(f'<dataValidations count="{len(validations)}">{"".join(validations)}</dataValidations>')
    if w.hyperlinks:
        out.append(f"<hyperlinks>{''.join(w.hyperlinks)}</hyperlinks>")
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    if spec.page:
        p = spec.page
        setup = f'<pageSetup paperSize="9" orientation="{p.orientation}"'
        if fit:
            setup += f' fitToWidth="{p.fit_width or 0}" fitToHeight="{p.fit_height or 0}"'
        out.append(setup + "/>")
        if p.row_breaks:
            brks = "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in p.row_breaks)
            out.append(f'<rowBreaks count="{len(p.row_breaks)}" manualBreakCount="{len(p.row_breaks)}">{brks}</rowBreaks>')
        if p.col_breaks:
            brks = "".join(f'<brk id="{c}" max="1048575" man="1"/>' for c in p.col_breaks)
            out.append(f'<colBreaks count="{len(p.col_breaks)}" manualBreakCount="{len(p.col_breaks)}">{brks}</colBreaks>')
    if drawing:
        out.append(f'<drawing r:id="{w.rid(RT_DRAWING, drawing)}"/>')
    if tables:
        parts = "".join(f'<tablePart r:id="{w.rid(RT_TABLE, tables[i])}"/>' for i in sorted(tables))
        out.append(f'<tableParts count="{len(tables)}">{parts}</tableParts>')
    out.append("</worksheet>")
    return Rendered("".join(out).encode("utf-8"), w.rels, w.formulas)


def print_titles(spec: SheetSpec) -> str | None:
    if spec.page and spec.page.print_title_rows:
        return f"{quote_sheet(spec.name)}!{spec.page.print_title_rows}"
    return None
