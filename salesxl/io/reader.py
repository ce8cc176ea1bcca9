"""Read every input table of a workbook file into a Book, in one pass, never raising for bad cells.

The file is checked (`open_package_bytes`), each input sheet is found by name
(or, failing that, by its headers), read once with python-calamine, and each
column coerced to its declared type. Everything odd about the workbook becomes
an Issue that names the sheet and cell in the workbook's language; only an
unusable file raises WorkbookError.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import io
import itertools
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook, SheetTypeEnum

from salesxl.core.book import ROW, Book, TableData, column_letter, quote_sheet
from salesxl.core.issues import Issue, IssueKind, Lang
from salesxl.io.coerce import choice_lookup, coerce, text_of
from salesxl.io.grid import GridSource, SheetCells
from salesxl.io.headers import HEADER_SCAN_ROWS, HeaderMatch, Merged, find_header
from salesxl.io.opening import file_error, open_package_bytes
from salesxl.io.package_xml import PackageIndex, error_cells, index_package, odd_names, readable_package
from salesxl.io.read_issues import (
    CELL_ERROR_VALUE,
    CELL_NOT_A_DATE,
    FILE_DAMAGED,
    READ_COLUMN_MISSING,
    READ_COLUMNS_UNKNOWN,
    READ_HEADER_BLANK,
    READ_HEADER_DUPLICATE,
    READ_HEADER_NOT_FOUND,
    READ_SHEET_BY_HEADERS,
    READ_SHEET_DUPLICATE,
    READ_SHEET_MISSING,
    SETTING_BAD_VALUE,
    SETTING_CONFLICT,
    SETTING_UNKNOWN,
)
from salesxl.schema.outputs import STATE_SHEETS
from salesxl.schema import (
    OUTPUTS, SETTINGS_BY_KEY, SETTINGS_DECLARED, TABLES, TABLES_BY_KEY, Setting, Settings, Table, normalise_name,
)
from salesxl.schema.settings import parse_settings
from salesxl.schema.types import ColType

ESSENTIAL_TABLES = frozenset({"customers", "salespeople"})
#: A sheet part this large (uncompressed XML; ~100k order lines are ~90 MB) is parsed on a second core.
PARSE_AHEAD_BYTES = 8_000_000
_CJK = re.compile(r"[\u3400-\u9fff]")
_OUTPUT_NAMES = frozenset(normalise_name(name) for sheet in OUTPUTS for name in sheet.names())


def read_book(path: Path | str, *, password: str | None = None) -> Book:
    """Every input table of the workbook at `path`, its settings, and the issues met while reading."""
    path = Path(path)
    data = open_package_bytes(path, password)
    workbook, data = _calamine(path, data)
    worksheets = [m.name for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    with _gc_paused():
        return _BookReader(path, data, CalamineGrids(workbook), worksheets).read()


def _calamine(path: Path, data: bytes) -> tuple[CalamineWorkbook, bytes]:
    """calamine's workbook and the bytes it read. Packages Excel opens but calamine cannot detect (directory
    entries, backslashes, macro sheets without a relationship) are read from a clean in-memory copy."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        odd = odd_names(package.namelist())
    attempts = [None] if odd else [data, None]
    first: Exception | None = None
    for attempt in attempts:
        try:
            attempt = readable_package(data) if attempt is None else attempt
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(attempt))
            workbook.sheets_metadata  # noqa: B018 - fails here, not later, on a broken sheet list
            return workbook, attempt
        except Exception as exc:  # calamine raises several exception types for broken packages
            first = first or exc
    raise file_error(FILE_DAMAGED, path, reason=f"{type(first).__name__}: {first}") from None


def read_grids(grids: GridSource, *, source: Path | None = None) -> Book:
    """Every input table of a workbook given as grids of cells, e.g. the live workbook (no package: error
    cells are their text in the grid, the 1900 date system); `source` is the file it was saved as, if any."""
    return _BookReader(source, b"", grids, list(grids.sheet_names)).read()


class CalamineGrids:
    """python-calamine's workbook as a `GridSource`."""

    def __init__(self, workbook: CalamineWorkbook):
        self.workbook = workbook
        self.sheet_names = workbook.sheet_names
        self._ahead: dict[str, Future] = {}

    def parse_ahead(self, data: bytes, name: str) -> None:
        """Start parsing sheet `name` on another core. calamine releases the GIL while it parses, so a second
        workbook object over the same bytes parses the largest sheet while this thread reads the others."""
        pool = ThreadPoolExecutor(max_workers=1)
        self._ahead[name] = pool.submit(
            lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name))
        pool.shutdown(wait=False)  # its thread ends with its one job

    def cells(self, name: str, nrows: int | None = None) -> SheetCells:
        ahead = self._ahead.pop(name, None) if nrows is None else None
        sheet = ahead.result() if ahead is not None else self.workbook.get_sheet_by_name(name)
        rows = sheet.to_python(nrows=nrows) if nrows else sheet.to_python()
        return SheetCells(rows, sheet.start or (0, 0), sheet.merged_cell_ranges or ())


@contextmanager
def _gc_paused():
    """Millions of fresh cell objects make the cycle collector rescan everything many times over;
    reading creates no reference cycles, so collection waits until the read is done."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Sheet:
    """One sheet as read: a 2-D object grid starting at (row0, col0) of the sheet, its merges and error cells."""

    name: str
    grid: np.ndarray
    row0: int = 0
    col0: int = 0
    merged: list[Merged] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # grid (row, col) -> "#N/A"

    def excel_row(self, grid_row: int) -> int:
        return self.row0 + grid_row + 1

    def letter(self, grid_col: int) -> str:
        return column_letter(self.col0 + grid_col + 1)


@dataclass
class _Found:
    """A table located in a sheet, before its cells are coerced."""

    table: Table
    sheet: _Sheet
    header: HeaderMatch | None = None
    by_headers: bool = False


class _BookReader:
    """One read of one workbook: finds the tables, then coerces them in the book's language."""

    def __init__(self, path: Path | None, data: bytes, workbook: GridSource, worksheets: list[str]):
        self.path = path
        self.data = data
        self.workbook = workbook
        self.worksheets = worksheets
        self.index: PackageIndex = index_package(data)
        self.issues: list[Issue] = []
        self.lang: Lang = "zh"

    def read(self) -> Book:
        by_name, duplicates = self._match_by_name()
        named = set(by_name.values()) | {ignored for _used, ignored in duplicates.values()}
        if not self.data:  # grids without a package (live Excel, where threads may not exist) carry errors as text
            found = {key: self._locate(key, name, dict) for key, name in by_name.items()}
            found.update(self._match_by_headers(set(found), named))
            return self._book(found, duplicates)
        # the package's error cells are scanned while calamine reads the values; the largest sheet is parsed
        # on another core meanwhile, and taken last, once every other table is coerced
        ahead = self._parse_largest_ahead(name for key, name in by_name.items() if key != "settings")
        with ThreadPoolExecutor(max_workers=1) as pool:
            scans = {name: pool.submit(self._error_cells, name) for name in by_name.values()}
            found = {key: self._locate(key, name, scans[name].result) for key, name in by_name.items()
                     if name != ahead}
            later = {key: (lambda key=key, name=name: self._locate(key, name, scans[name].result))
                     for key, name in by_name.items() if name == ahead}
            found.update(self._match_by_headers(set(found) | set(later), named))
            return self._book(found, duplicates, later, ahead)

    def _book(self, found: dict[str, _Found], duplicates: dict[str, tuple[str, str]],
              later: dict[str, Callable[[], _Found]] | None = None, later_sheet: str | None = None) -> Book:
        """The book of the located tables; `later` locates the tables of `later_sheet`, coerced last."""
        later = later or {}
        self.lang = self._language(found, [later_sheet] if later else [])
        for key, (used, ignored) in duplicates.items():
            self._issue(READ_SHEET_DUPLICATE, key, ignored, value=ignored, used=used, ignored=ignored)
        tables: dict[str, TableData] = {}
        marks: dict[str, int] = {}  # where a later table's issues go, so the issues keep the tables' order
        for table in TABLES:
            item = found.get(table.key)
            if item is not None:
                tables[table.key] = self._table(item)
            elif table.key in later:
                marks[table.key] = len(self.issues)
            else:
                self._missing(table)
        settings = self._settings(found.get("settings"), tables.get("settings"))
        state = self._state()
        for key, locate in reversed(later.items()):
            start = len(self.issues)
            tables[key] = self._table(locate())
            made = self.issues[start:]
            del self.issues[start:]
            self.issues[marks[key]:marks[key]] = made
        return Book(
            tables={table.key: tables[table.key] for table in TABLES if table.key in tables},
            settings=settings,
            issues=self.issues,
            source=self.path,
            sheet_names=list(self.workbook.sheet_names),
            state=state,
        )

    def _state(self) -> dict[str, list[list]]:
        """Raw rows of the hidden tool sheets that carry state between runs (the book's language first)."""
        state: dict[str, list[list]] = {}
        for sheet in STATE_SHEETS:
            preferred = (sheet.zh, sheet.en) if self.lang == "zh" else (sheet.en, sheet.zh)
            name = next((n for n in preferred if n in self.worksheets), None)
            if name is None:
                continue
            try:
                state[sheet.key] = self.workbook.cells(name).rows
            except Exception:  # an unreadable state sheet means starting afresh; the pass says so
                state[sheet.key] = []
        return state

    # ---- finding sheets ------------------------------------------------------------------

    def _match_by_name(self) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
        """Table key -> sheet name for sheets named like a table; extra sheets for the same table."""
        matched: dict[str, str] = {}
        duplicates: dict[str, tuple[str, str]] = {}
        for table in TABLES:
            names = {normalise_name(n) for n in table.names()}
            hits = [s for s in self.worksheets if normalise_name(s) in names]
            if hits:
                matched[table.key] = hits[0]
                if len(hits) > 1:
                    duplicates[table.key] = (hits[0], hits[1])
        return matched, duplicates

    def _match_by_headers(self, matched: set[str], taken: set[str]) -> dict[str, _Found]:
        """Tables without a sheet of their name: the unclaimed sheet whose header names most of the
        table's required columns (ties go to the earlier sheet)."""
        found: dict[str, _Found] = {}
        candidates = [s for s in self.worksheets if s not in taken and normalise_name(s) not in _OUTPUT_NAMES]
        heads: dict[str, _Sheet | None] = {}
        for table in TABLES:
            if table.key in matched or not candidates:
                continue
            required = sum(1 for c in table.columns if c.required is True)
            best: tuple[int, int, str] | None = None
            for name in candidates:
                if name not in heads:
                    heads[name] = self._load(name, nrows=HEADER_SCAN_ROWS)
                head = heads[name]
                match = find_header(head.grid, table, head.merged) if head is not None else None
                if match is None or match.score < 2 or 2 * match.required_found(table) <= required:
                    continue
                score = (match.required_found(table), match.score)
                if best is None or score > best[:2]:
                    best = (*score, name)
            if best is not None:
                name = best[2]
                candidates.remove(name)
                located = self._locate(table.key, name, lambda n=name: self._error_cells(n))
                located.by_headers = True
                found[table.key] = located
        return found

    def _locate(self, key: str, name: str, errors) -> _Found:
        table = TABLES_BY_KEY[key]
        sheet = self._load(name)
        assert sheet is not None
        height, width = sheet.grid.shape
        sheet.errors = {
            (r - sheet.row0, c - sheet.col0): text for (r, c), text in errors().items()
            if 0 <= r - sheet.row0 < height and 0 <= c - sheet.col0 < width
        }
        return _Found(table, sheet, find_header(sheet.grid, table, sheet.merged))

    def _load(self, name: str, nrows: int | None = None) -> _Sheet | None:
        """Read one sheet (or its first rows) into an object grid; a sheet calamine cannot read
        makes the file damaged, except while probing other sheets for headers."""
        try:
            cells = self.workbook.cells(name, nrows)
            rows, start, merged = cells.rows, cells.start, cells.merged
        except Exception as exc:  # calamine raises several exception types for a broken sheet
            if nrows:
                return None  # only probing for headers: an unreadable sheet holds none
            raise file_error(FILE_DAMAGED, self.path, reason=f"“{name}”: {type(exc).__name__}: {exc}") from None
        grid = _grid(rows)
        del rows
        row0, col0 = start
        merged = [((r1 - row0, c1 - col0), (r2 - row0, c2 - col0)) for (r1, c1), (r2, c2) in merged]
        return _Sheet(name, grid, row0, col0, merged)

    def _parse_largest_ahead(self, names: Iterable[str]) -> str | None:
        """The largest sheet, when big enough to be worth a second core, starts parsing now (and is read last)."""
        if not isinstance(self.workbook, CalamineGrids):
            return None
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            sizes = {name: package.getinfo(part).file_size for name in names
                     if (part := self.index.sheet_parts.get(name)) in package.NameToInfo}
        largest = max(sizes, key=sizes.__getitem__, default=None)
        if largest is None or sizes[largest] < PARSE_AHEAD_BYTES:
            return None
        self.workbook.parse_ahead(self.data, largest)
        return largest

    def _error_cells(self, name: str) -> dict[tuple[int, int], str]:
        part = self.index.sheet_parts.get(name)
        return error_cells(self.data, part) if part else {}

    def _language(self, found: dict[str, _Found], more: list[str]) -> Lang:
        """The `language` setting when given; else the language most matched sheet names (those found and
        `more`) are in."""
        settings = found.get("settings")
        if settings is not None and settings.header is not None:
            language = _raw_setting(settings, "language")
            code = choice_lookup(SETTINGS_BY_KEY["language"].choices).get(normalise_name(language))
            if code in ("zh", "en"):
                return code  # type: ignore[return-value]
        names = [item.sheet.name for item in found.values() if not item.by_headers] + more
        names = names or self.worksheets
        zh = sum(1 for n in names if _CJK.search(n))
        return "zh" if zh * 2 >= len(names) and zh else "en"

    # ---- building tables -----------------------------------------------------------------

    def _missing(self, table: Table) -> None:
        expected = table.sheet_name(self.lang)
        severity = "warning" if table.key in ESSENTIAL_TABLES else None
        self._issue(READ_SHEET_MISSING, table.key, value=expected, expected=expected, severity=severity)

    def _table(self, item: _Found) -> TableData:
        table, sheet, header = item.table, item.sheet, item.header
        lang = self.lang
        if item.by_headers:
            self._issue(READ_SHEET_BY_HEADERS, table.key, sheet.name, value=sheet.name)
        if header is None:
            if sheet.grid.size:
                self._issue(READ_HEADER_NOT_FOUND, table.key, sheet.name, value=sheet.name,
                            rows=HEADER_SCAN_ROWS, expected=table.columns[0].header(lang))
            return TableData(table.key, _empty(table), sheet=sheet.name)
        header_row = sheet.excel_row(header.row)
        data = TableData(
            table.key, _empty(table), sheet=sheet.name, header_row=header_row,
            letters={key: sheet.letter(col) for key, col in header.columns.items()},
        )
        body = sheet.grid[header.row + 1:]
        first = header.row + 1
        self._header_issues(data, sheet, header, body)
        columns: dict[str, pd.Series] = {}
        keep = np.zeros(len(body), dtype=bool)
        errors: dict[int, list[tuple[int, str]]] = {}
        for (r, c), text in sorted(sheet.errors.items()):
            if r >= first:
                errors.setdefault(c, []).append((r - first, text))
        for column in table.columns:
            col = header.columns.get(column.key)
            if col is None:
                if column.required is True:
                    self._issue(READ_COLUMN_MISSING, table.key, sheet.name, column=column.key,
                                value=column.header(lang), expected=column.header(lang), header_row=header_row)
                columns[column.key] = coerce(np.full(len(body), "", dtype=object), column).values
                continue
            coerced = coerce(body[:, col], column, lang=lang, date1904=self.index.date1904)
            columns[column.key] = coerced.values
            keep |= coerced.filled
            for b in coerced.bad:
                self._cell_issue(data, b.kind, sheet.excel_row(first + b.pos), column.key, b.raw, **b.params)
            for pos, text in errors.get(col, ()):
                keep[pos] = True
                self._cell_issue(data, CELL_ERROR_VALUE, sheet.excel_row(first + pos), column.key, text)
        frame = pd.DataFrame(columns)
        frame[ROW] = np.arange(first, first + len(body), dtype=np.int64) + sheet.row0 + 1
        data.frame = frame if keep.all() else frame[keep].reset_index(drop=True)
        return data

    def _header_issues(self, data: TableData, sheet: _Sheet, header: HeaderMatch, body: np.ndarray) -> None:
        row = sheet.excel_row(header.row)

        def at(col: int) -> str:
            return f"{quote_sheet(sheet.name)}!{sheet.letter(col)}{row}"

        for col in range(body.shape[1]):
            if not header.labels[col] and (body[:, col] != "").any():
                self._issue(READ_HEADER_BLANK, data.key, sheet.name, row=row, cell=at(col))
        for col, first in header.duplicates:
            self._issue(READ_HEADER_DUPLICATE, data.key, sheet.name, row=row, cell=at(col),
                        value=header.labels[col], first=sheet.letter(first))
        if header.unknown:
            listed = ("、" if self.lang == "zh" else ", ").join(header.labels[c] for c in header.unknown)
            self._issue(READ_COLUMNS_UNKNOWN, data.key, sheet.name, row=row, value=listed, columns=listed)

    def _cell_issue(self, data: TableData, kind: IssueKind, row: int, key: str, raw: Any, **params: Any) -> None:
        column = TABLES_BY_KEY[data.key].column(key)
        header = column.header(self.lang)
        if kind is CELL_NOT_A_DATE:  # a date-time column's example shows the time it wants too
            params.setdefault("example", "2024-03-05 14:30" if column.type is ColType.DATETIME else "2024-03-05")
        self._issue(kind, data.key, data.sheet, row=row, column=key, cell=data.cell(row, key), value=raw,
                    header=header, **params)

    def _issue(self, kind: IssueKind, key: str, sheet: str | None = None, *, row: int | None = None,
               column: str | None = None, cell: str | None = None, value: Any = None, **params: Any) -> None:
        """Record an issue in the book's language; messages may name the sheet, table and cell."""
        self.issues.append(kind(
            self.lang, table=key, sheet=sheet, row=row, column=column, cell=cell, value=value,
            sheet_name=sheet, table_name=_table_title(key, self.lang), at=cell, **params))

    # ---- settings ------------------------------------------------------------------------

    def _settings(self, item: _Found | None, data: TableData | None) -> Settings:
        """The Settings sheet parsed once into the model: each row matched by key or name, its cell typed by
        its declared column type, then validated; every refused value is an issue at its cell and uses its default."""
        values: dict[str, Any] = {"language": self.lang}
        rows: dict[str, int] = {}
        if item is None or item.header is None or data is None:
            return parse_settings(values)[0]
        for row, key_text, name_text, raw in _setting_rows(item):
            setting = _find_setting(key_text, name_text)
            if setting is None:
                if key_text or name_text:
                    where = "key" if key_text else "name"
                    self._setting_issue(data, SETTING_UNKNOWN, row, where, key_text or name_text)
                continue
            if setting.key in rows:
                continue
            rows[setting.key] = row
            if text_of(raw) == "":
                continue
            value, reason = _setting_value(setting, raw, self.lang, self.index.date1904)
            if reason is None:
                values[setting.key] = value
            else:
                self._setting_issue(
                    data, SETTING_BAD_VALUE, row, "value", raw, name=setting.name(self.lang), reason=reason,
                    default=_default_text(setting, self.lang))
        cells = {key: data.cell(row, "value") for key, row in rows.items()}
        settings, problems = parse_settings(values, rows, cells)
        for problem in problems:
            setting = SETTINGS_BY_KEY[problem.key]
            params = dict(name=setting.name(self.lang), reason=problem.reason(self.lang),
                          default=_default_text(setting, self.lang))
            if problem.others:
                kind = SETTING_CONFLICT
                params["others"] = "、".join(SETTINGS_BY_KEY[k].name(self.lang) for k in problem.others)
            else:
                kind = SETTING_BAD_VALUE
            row = rows.get(problem.key)
            self._issue(kind, "settings", data.sheet, row=row, column="value",
                        cell=data.cell(row, "value") if row is not None else None, value=problem.value, **params)
        return settings

    def _setting_issue(self, data: TableData, kind: IssueKind, row: int, key: str, raw: Any, **params: Any) -> None:
        self._issue(kind, "settings", data.sheet, row=row, column=key, cell=data.cell(row, key), value=raw, **params)


def _grid(rows: list[list]) -> np.ndarray:
    """calamine's rows as a 2-D object array (rows are all as wide as the sheet's used range)."""
    if not rows:
        return np.empty((0, 0), dtype=object)
    width = len(rows[0])
    if all(len(row) == width for row in rows):  # one flat pass: np.array(rows) takes 3x as long
        cells = itertools.chain.from_iterable(rows)
        return np.fromiter(cells, dtype=object, count=len(rows) * width).reshape(len(rows), width)
    grid = np.full((len(rows), max(len(r) for r in rows)), "", dtype=object)
    for i, row in enumerate(rows):
        grid[i, : len(row)] = row
    return grid


def _table_title(key: str, lang: Lang) -> str:
    return TABLES_BY_KEY[key].sheet_name(lang)


def _empty(table: Table) -> pd.DataFrame:
    """A frame of the table's columns and dtypes without rows (each read gets its own copy)."""
    return _empty_frame(table.key).copy()


@functools.cache
def _empty_frame(key: str) -> pd.DataFrame:
    """Built once per table: every read of every table starts from one."""
    frame = pd.DataFrame({c.key: coerce(np.empty(0, dtype=object), c).values for c in TABLES_BY_KEY[key].columns})
    frame[ROW] = pd.Series(dtype="int64")
    return frame


def _setting_rows(item: _Found):
    """(Excel row, key text, name text, raw value) of each Settings row below the header."""
    sheet, header = item.sheet, item.header
    assert header is not None
    cols = header.columns
    for index in range(header.row + 1, len(sheet.grid)):
        cells = sheet.grid[index]
        key_text = text_of(cells[cols["key"]]) if "key" in cols else ""
        name_text = text_of(cells[cols["name"]]) if "name" in cols else ""
        raw = cells[cols["value"]] if "value" in cols else ""
        yield sheet.excel_row(index), key_text, name_text, raw


def _raw_setting(item: _Found, key: str) -> Any:
    setting = SETTINGS_BY_KEY[key]
    for _row, key_text, name_text, raw in _setting_rows(item):
        if _find_setting(key_text, name_text) is setting:
            return raw
    return None


_SETTING_KEYS = {normalise_name(s.key): s for s in SETTINGS_DECLARED}
_SETTING_NAMES = {normalise_name(n): s for s in SETTINGS_DECLARED for n in (s.zh, s.en)}


def _find_setting(key_text: str, name_text: str) -> Setting | None:
    key, name = normalise_name(key_text), normalise_name(name_text)
    return _SETTING_KEYS.get(key) or _SETTING_NAMES.get(key) or _SETTING_NAMES.get(name) or _SETTING_KEYS.get(name)


def _setting_value(setting: Setting, raw: Any, lang: Lang, date1904: bool) -> tuple[Any, str | None]:
    """One setting's cell as a plain value of its declared column type (the model checks ranges and rules),
    or why the cell is not of that type; a `raw` setting goes to the model as the cell holds it."""
    if setting.raw:
        return raw, None
    coerced = coerce(np.array([raw], dtype=object), setting, lang=lang, date1904=date1904)
    if coerced.bad:
        return None, coerced.bad[0].kind.title(lang)
    value = coerced.values.iloc[0]
    if pd.isna(value):
        return None, None
    if setting.type is ColType.DATE:
        return value.date(), None
    if setting.type is ColType.DATETIME:
        return value.to_pydatetime(), None
    if setting.type is ColType.INT:
        return int(value), None
    if setting.type in (ColType.NUMBER, ColType.MONEY, ColType.PERCENT, ColType.LAT, ColType.LON):
        return float(value), None
    if setting.type is ColType.BOOL:
        return bool(value), None
    return str(value), None


def _default_text(setting: Setting, lang: Lang) -> str:
    default = setting.default
    if default is None or default == "":
        return "（空）" if lang == "zh" else "(blank)"
    if isinstance(default, dt.date):
        return default.isoformat()
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        return text_of(float(default))
    return str(default)
