"""Change rows of user-owned input sheets in place: update fields, append rows, lose nothing else.

Merging and consolidating must write into sheets that belong to the user. Only
the `<row>` elements that change are rewritten, as bytes, inside their worksheet
part; every other row keeps its exact XML, shared strings are left alone (new
text goes in as inline strings), and every other part of the package stays
byte-identical. An appended row takes the cell styles of the row above (or of
the nearest row that has a cell in that column) and the row above's plain
formulas, shifted to the new row. The sheet's Excel Table and dimension are
extended to cover appended rows. Cells holding a formula are never overwritten:
they are reported back, because the formula recomputes from the other fields.
Rows are never deleted here.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Mapping

from salesxl.core.book import ROW, Book, column_letter
from salesxl.core.issues import WorkbookError
from salesxl.io.lock import writing
from salesxl.io.xlsx.opc import RT_OFFICE_DOC, RT_STYLES, RT_TABLE, Rels, XmlPart
from salesxl.io.xlsx.package import Package
from salesxl.io.xlsx.sheetxml import _Writer
from salesxl.io.xlsx.styles import CellStyle, Styles
from salesxl.io.xlsx.workbook import Workbook
from salesxl.schema import TABLES_BY_KEY, ColType
from salesxl.io.display import display_value

_ROW = re.compile(rb"<(?:(\w+):)?row\b([^>]*?)(/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_SHEET_DATA = re.compile(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>")
_DIMENSION = re.compile(rb'(<(?:\w+:)?dimension\b[^>]*?\bref=")([^"]*)(")')
_ATTR = re.compile(rb'\s([\w:]+)="([^"]*)"')
_PLAIN_FORMULA = re.compile(rb"^<(?:\w+:)?f>(.*?)</(?:\w+:)?f>", re.S)
_CELL_TAGS = re.compile(rb"<(/?)(c|is|t|v|f)\b")
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
#: A relative A1 reference in formula text outside quotes (column and row may be absolute).
_FORMULA_REF = re.compile(r"(?<![A-Za-z0-9_.$!])(\$?[A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(!])")
_SAMPLE_ROWS = 50  # rows searched upwards for a column's cell style


@dataclass
class TableChanges:
    """What to change in one input table: fields of existing rows and new rows (canonical values)."""

    updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # Excel row -> {column key: value}
    appends: list[dict[str, Any]] = field(default_factory=list)  # {column key: value}

    def __bool__(self) -> bool:
        return bool(self.updates or self.appends)


@dataclass
class RowsResult:
    """Where each appended row went, and the fields left alone because their cell holds a formula."""

    path: Path
    appended: dict[str, list[int]] = field(default_factory=dict)  # table key -> Excel rows, in append order
    formula_kept: list[tuple[str, int, str]] = field(default_factory=list)  # (table key, Excel row, column key)
    backup: Path | None = None
    seconds: float = 0.0


def apply_row_changes(path: Path | str, changes: Mapping[str, TableChanges], *, book: Book | None = None,
                      out: Path | str | None = None, backup: bool = True) -> RowsResult:
    """Apply `changes` (table key -> TableChanges) to the workbook at `path`, saved atomically in place
    (keeping a backup) or into `out`. `book` is the workbook as read (read again when not given)."""
    from salesxl.io.reader import read_book

    start = time.perf_counter()
    path = Path(path)
    result = RowsResult(Path(out) if out else path)
    with writing(result.path):
        if book is None:
            book = read_book(path)
        pkg = Package.open(path)
        editor = _PackageEditor(pkg, path)
        for key, change in changes.items():
            if change:
                editor.apply(book, key, change, result)
        editor.finish()
        result.backup = pkg.save(result.path, backup=backup)
    result.seconds = time.perf_counter() - start
    return result


class _PackageEditor:
    """The workbook's wiring, found once: sheet parts by name, styles, calculation settings."""

    def __init__(self, pkg: Package, path: Path):
        self.pkg, self.path = pkg, path
        root = Rels(pkg, "")
        self.wb_part = next((p for t, p in root.parts() if t == RT_OFFICE_DOC), "xl/workbook.xml")
        self.wb = Workbook(pkg, self.wb_part)
        self.wb_rels = Rels(pkg, self.wb_part)
        self._styles: Styles | None = None
        self.formulas_added = False

    @property
    def styles(self) -> Styles:
        if self._styles is None:
            part = next(p for t, p in self.wb_rels.parts() if t == RT_STYLES)
            self._styles = Styles(self.pkg, part)
        return self._styles

    def sheet_part(self, name: str) -> str:
        for entry in self.wb.sheets():
            if entry.name == name:
                rel = self.wb_rels.by_id(entry.rid)
                part = self.wb_rels.target(rel) if rel is not None else None
                if part is not None and part in self.pkg:
                    return self.pkg.actual(part) or part
        raise WorkbookError("FILE_DAMAGED", f"{self.path.name} 中找不到工作表“{name}”。",
                            f'Sheet "{name}" is missing from {self.path.name}.', path=str(self.path))

    def apply(self, book: Book, key: str, change: TableChanges, result: RowsResult) -> None:
        data = book.table(key)
        if data.sheet is None or data.header_row is None:
            raise WorkbookError("FILE_SHEET_MISSING", f"{self.path.name} 没有“{TABLES_BY_KEY[key].zh}”表，无法写入行。",
                                f"{self.path.name} has no {TABLES_BY_KEY[key].en} table to write rows into.",
                                path=str(self.path))
        part = self.sheet_part(data.sheet)
        sheet = _SheetRows(self.pkg.read(part), data.header_row, self.wb.date1904)
        table = TABLES_BY_KEY[key]
        letters = data.letters
        lang = book.lang
        for row, values in sorted(change.updates.items()):
            cells = {letters[c]: display_value(table.column(c), v, lang) for c, v in values.items() if c in letters}
            kept = sheet.update(row, cells, self._fallback_styles(table, letters))
            result.formula_kept.extend((key, row, c) for c, letter in letters.items() if letter in kept)
        last = max([data.header_row, *data.frame[ROW].tolist()]) if len(data.frame) else data.header_row
        rows = []
        for n, values in enumerate(change.appends, start=last + 1):
            cells = {letters[c]: display_value(table.column(c), v, lang) for c, v in values.items() if c in letters}
            self.formulas_added |= sheet.append(n, cells, self._fallback_styles(table, letters))
            rows.append(n)
        if rows:
            result.appended.setdefault(key, []).extend(rows)
            self._extend_table(part, data.header_row, max(rows))
        self.pkg.write(part, sheet.to_bytes())

    def _fallback_styles(self, table, letters: dict[str, str]) -> dict[str, int]:
        """Number/date formats for columns whose sheet has no styled cell yet (an empty table)."""
        out = {}
        for column in table.columns:
            if column.key in letters and column.type not in (ColType.TEXT, ColType.ID, ColType.ENUM, ColType.BOOL):
                out[letters[column.key]] = _LazyStyle(self, column.number_format)
        return out

    def _extend_table(self, sheet_part: str, header_row: int, last_row: int) -> None:
        rels = Rels(self.pkg, sheet_part)
        for rtype, part in rels.parts():
            if rtype != RT_TABLE or part not in self.pkg:
                continue
            table = XmlPart(self.pkg, part)
            ref = table.root.get("ref", "")
            bounds = _bounds(ref)
            if bounds is None or bounds[1] != header_row or bounds[3] >= last_row:
                continue
            grown = f"{column_letter(bounds[0])}{bounds[1]}:{column_letter(bounds[2])}{last_row}"
            table.root.set("ref", grown)
            for child in table.root:
                if isinstance(child.tag, str) and child.tag.endswith("}autoFilter") and child.get("ref") == ref:
                    child.set("ref", grown)
            table.save()

    def finish(self) -> None:
        if self.formulas_added:
            self.wb.full_calc_on_load()
            self.wb.save()
        if self._styles is not None:
            self._styles.save()


class _LazyStyle:
    """A cellXfs index added to styles.xml only when a cell really needs it."""

    def __init__(self, editor: _PackageEditor, num_format: str | None):
        self.editor, self.num_format = editor, num_format

    def index(self) -> int:
        return self.editor.styles.xf(CellStyle(num_format=self.num_format)) if self.num_format else 0


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(first col, first row, last col, last row) of "A1:K20"."""
    ends = ref.split(":")
    found = [_REF.match(e) for e in ends]
    if len(ends) != 2 or not all(found):
        return None
    (c1, r1), (c2, r2) = ((_col_index(m.group(1)), int(m.group(2))) for m in found)
    return c1, r1, c2, r2


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class _Row:
    number: int
    start: int
    end: int
    prefix: bytes
    attrs: bytes
    inner: bytes


@dataclass
class _Cell:
    col: int
    xml: bytes
    style: int | None
    formula: bytes | None  # text of a plain (unshared) formula


class _SheetRows:
    """The rows of one worksheet part, edited as bytes; only changed rows are rebuilt."""

    def __init__(self, data: bytes, header_row: int, date1904: bool):
        self.data, self.header_row = data, header_row
        self.writer = _Writer(None, None, date1904)  # type: ignore[arg-type]
        found = _SHEET_DATA.search(data)
        if found is None:
            raise WorkbookError("FILE_DAMAGED", "工作表缺少 sheetData。", "A worksheet has no sheetData.")
        self.prefix = found.group(1)
        self.empty = found.group(2) == b"/"
        self.open_span = found.span()
        self.rows: list[_Row] = []
        self.numbers: list[int] = []
        if not self.empty:
            close = data.index(b"</" + self.prefix + b"sheetData>", found.end())
            previous = 0
            for m in _ROW.finditer(data, found.end(), close):
                attrs = m.group(2)
                r = _attr(attrs, b"r")
                number = int(r) if r else previous + 1
                previous = number
                self.rows.append(_Row(number, m.start(), m.end(), (m.group(1) or b""), attrs, m.group(4) or b""))
                self.numbers.append(number)
            self.close = close
        self.edits: dict[int, tuple[int, int, bytes]] = {}  # row number -> (start, end, new bytes)
        self.inserts: dict[int, bytes] = {}  # new row number -> bytes
        self.max_row = 0

    # -- looking up ------------------------------------------------------------------------

    def row(self, number: int) -> _Row | None:
        i = bisect.bisect_left(self.numbers, number)
        return self.rows[i] if i < len(self.numbers) and self.numbers[i] == number else None

    def cells(self, row: _Row | None) -> list[_Cell]:
        if row is None:
            return []
        out, col = [], 0
        for m in _CELL.finditer(row.inner):
            attrs = m.group(1)
            ref = _attr(attrs, b"r")
            found = _REF.match(ref.decode()) if ref else None
            col = _col_index(found.group(1)) if found else col + 1
            xml = m.group(0)
            if not ref:  # give the cell its address, so inserting cells before it cannot move it
                xml = re.sub(rb"^(<(?:\w+:)?c)\b", rb'\1 r="' + f"{column_letter(col)}{row.number}".encode() + b'"', xml)
            style = _attr(attrs, b"s")
            plain = _PLAIN_FORMULA.match(m.group(2) or b"")
            out.append(_Cell(col, xml, int(style) if style else None, plain.group(1) if plain else None))
            if m.group(2) and b"<" in m.group(2) and plain is None and re.search(rb"<(?:\w+:)?f\b", m.group(2)):
                out[-1].formula = b""  # shared or array formula: never copied, never overwritten
        return out

    def _style_above(self, number: int, col: int) -> int | None:
        """The style of the nearest cell in column `col` above row `number` (data rows only)."""
        i = bisect.bisect_left(self.numbers, number) - 1
        for row in self.rows[max(0, i - _SAMPLE_ROWS + 1): i + 1][::-1]:
            if row.number <= self.header_row:
                break
            for cell in self.cells(row):
                if cell.col == col and cell.style is not None:
                    return cell.style
        return None

    # -- changing --------------------------------------------------------------------------

    def _cell_xml(self, ref: str, value: Any, style: int) -> bytes:
        if value is None:
            return f'<c r="{ref}" s="{style}"/>'.encode()
        kept = SimpleNamespace(value=style, date=style, datetime=style, time=style, link=style)
        xml = self.writer.other_cell(ref, value, kept) or f'<c r="{ref}" s="{style}"/>'
        return xml.encode("utf-8")

    def _style(self, number: int, col: int, letter: str, fallback: dict, existing: int | None) -> int:
        if existing is not None:
            return existing
        above = self._style_above(number, col)
        if above is not None:
            return above
        lazy = fallback.get(letter)
        return lazy.index() if lazy is not None else 0

    def update(self, number: int, values: dict[str, Any], fallback: dict) -> set[str]:
        """Set cells of an existing row; returns the letters left alone because they hold a formula."""
        row = self.row(number)
        cells = {c.col: c for c in self.cells(row)}
        kept = set()
        for letter, value in values.items():
            col = _col_index(letter)
            old = cells.get(col)
            if old is not None and old.formula is not None:
                kept.add(letter)
                continue
            style = self._style(number, col, letter, fallback, old.style if old else None)
            cells[col] = _Cell(col, self._cell_xml(f"{letter}{number}", value, style), style, None)
        self._put(number, row, cells)
        return kept

    def append(self, number: int, values: dict[str, Any], fallback: dict) -> bool:
        """Write a new row (merging into an existing row element of that number); True when formulas were copied."""
        row = self.row(number)
        cells = {c.col: c for c in self.cells(row)}
        above_row = self.rows[bisect.bisect_left(self.numbers, number) - 1] \
            if bisect.bisect_left(self.numbers, number) > 0 else None
        if above_row is not None and above_row.number <= self.header_row:
            above_row = None
        above = {c.col: c for c in self.cells(above_row)}
        copied = False
        for letter, value in values.items():
            col = _col_index(letter)
            old = cells.get(col)
            if old is not None and old.formula is not None:
                continue
            style = old.style if old and old.style is not None else (
                above[col].style if col in above and above[col].style is not None else None)
            style = self._style(number, col, letter, fallback, style)
            cells[col] = _Cell(col, self._cell_xml(f"{letter}{number}", value, style), style, None)
        for col, cell in above.items():
            if col in cells or not cell.formula or above_row is None:
                continue
            text = _shift_formula(cell.formula.decode("utf-8"), number - above_row.number)
            style = f' s="{cell.style}"' if cell.style is not None else ""
            xml = f'<c r="{column_letter(col)}{number}"{style}><f>{text}</f></c>'.encode("utf-8")
            cells[col] = _Cell(col, xml, cell.style, None)
            copied = True
        self._put(number, row, cells, template=above_row)
        return copied

    def _put(self, number: int, row: _Row | None, cells: dict[int, _Cell], template: _Row | None = None) -> None:
        source = row or template
        prefix = source.prefix if source else self.prefix.rstrip(b":")
        attrs = _strip_attrs(source.attrs) if source else b""
        tag = (prefix + b":" if prefix else b"") + b"row"
        body = b"".join(_prefixed(cells[c].xml, prefix) if cells[c].xml.startswith(b"<c") else cells[c].xml
                        for c in sorted(cells))
        xml = b"<" + tag + b' r="' + str(number).encode() + b'"' + attrs + b">" + body + b"</" + tag + b">"
        if row is not None:
            self.edits[number] = (row.start, row.end, xml)
        else:
            self.inserts[number] = xml
        self.max_row = max(self.max_row, number)

    def to_bytes(self) -> bytes:
        data = self.data
        if self.empty:
            start, end = self.open_span
            tag = self.prefix + b"sheetData"
            body = b"".join(self.inserts[n] for n in sorted(self.inserts))
            return self._dimension(data[:start] + b"<" + tag + b">" + body + b"</" + tag + b">" + data[end:])
        pieces: list[tuple[int, int, bytes]] = list(self.edits.values())
        for number, xml in self.inserts.items():
            i = bisect.bisect_right(self.numbers, number)
            at = self.rows[i].start if i < len(self.rows) else self.close
            pieces.append((at, at, xml))
        pieces.sort(key=lambda p: (p[0], p[1]))
        out, pos = [], 0
        for start, end, xml in pieces:
            out.append(data[pos:start])
            out.append(xml)
            pos = end
        out.append(data[pos:])
        return self._dimension(b"".join(out))

    def _dimension(self, data: bytes) -> bytes:
        """Grow the dimension's last row to cover appended rows."""
        m = _DIMENSION.search(data)
        if m is None or not self.inserts:
            return data
        bounds = _bounds(m.group(2).decode())
        if bounds is None or bounds[3] >= max(self.inserts):
            return data
        grown = f"{column_letter(bounds[0])}{bounds[1]}:{column_letter(bounds[2])}{max(self.inserts)}".encode()
        return data[:m.start(2)] + grown + data[m.end(2):]


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    for key, value in _ATTR.findall(attrs):
        if key == name:
            return value
    return None


def _strip_attrs(attrs: bytes) -> bytes:
    """A row's attributes without its number and cell span (both are rewritten or optional)."""
    kept = [(k, v) for k, v in _ATTR.findall(attrs) if k not in (b"r", b"spans")]
    return b"".join(b" " + k + b'="' + v + b'"' for k, v in kept)


def _prefixed(xml: bytes, prefix: bytes) -> bytes:
    """Cell XML in a sheet whose main namespace has a prefix (cells we generate are unprefixed)."""
    if not prefix or xml.startswith(b"<" + prefix + b":"):
        return xml
    return _CELL_TAGS.sub(rb"<\1" + prefix + rb":\2", xml)


def _shift_formula(text: str, rows: int) -> str:
    """A formula copied `rows` rows down: relative row numbers move, text in quotes does not."""
    parts = re.split(r"(\"[^\"]*\"|'[^']*')", text)
    for i in range(0, len(parts), 2):
        parts[i] = _FORMULA_REF.sub(
            lambda m: m.group(0) if m.group(2) else f"{m.group(1)}{int(m.group(3)) + rows}", parts[i])
    return "".join(parts)
