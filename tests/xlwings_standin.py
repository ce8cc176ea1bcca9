"""An in-memory stand-in for the xlwings objects salesxl.excel uses, following xlwings' documented behaviour.

Values come back as lists of lists (a single cell as a scalar, one row or
column as a flat list, unless `ndim=2`), numbers as float, dates as datetime,
empty cells as None (or the `empty` option). Assigning a value behaves like
Excel: a string starting with ' is text (the quote is dropped), "=..." is a
formula, a string that looks like a number becomes a number. Every read and
write is counted per sheet in `app.calls`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decimal import Decimal

import xlwings.conversion
from python_calamine import CalamineWorkbook

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str) -> tuple[int, int]:
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref}")
    return int(m.group(2)), _col_number(m.group(1))


@dataclass(frozen=True)
class FormulaCell:
    text: str  # with the leading "="


@dataclass(frozen=True)
class ErrorCell:
    text: str  # "#N/A"


#: COM's codes for error cells (xlwings._xlwindows.cell_errors).
COM_ERRORS = {"#DIV/0!": -2146826281, "#N/A": -2146826246, "#NAME?": -2146826259, "#NULL!": -2146826288,
              "#NUM!": -2146826252, "#REF!": -2146826265, "#VALUE!": -2146826273}
EXCEL_DAY_ZERO = dt.datetime(1899, 12, 30)


def _mac_module():
    """xlwings' AppleScript engine, imported over stand-ins of the Mac-only modules it needs."""
    import importlib
    import sys
    import types

    if "xlwings._xlmac" in sys.modules:
        return sys.modules["xlwings._xlmac"]

    class Keywords:
        def __getattr__(self, name):
            return ("k", name)

    stubs = {
        "aem": {}, "osax": {}, "psutil": {"process_iter": lambda *a, **k: []},
        "appscript": {"its": object(), "k": Keywords(), "mactypes": types.SimpleNamespace()},
        "appscript.reference": {"CommandError": type("CommandError", (Exception,), {}), "Reference": object},
    }
    saved = {name: sys.modules.get(name) for name in stubs}
    try:
        for name, attrs in stubs.items():
            module = types.ModuleType(name)
            module.__dict__.update(attrs)
            sys.modules[name] = module
        sys.modules["appscript"].reference = sys.modules["appscript.reference"]
        return importlib.import_module("xlwings._xlmac")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _windows_clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
    """xlwings._xlwindows.Engine.clean_value_data, which cannot be imported without pywin32."""
    def one(value):
        if value in ("", None):
            return empty_as
        if isinstance(value, (dt.date, dt.datetime)):
            return datetime_builder(month=value.month, day=value.day, year=value.year, hour=value.hour,
                                    minute=value.minute, second=value.second, microsecond=value.microsecond,
                                    tzinfo=None)
        if number_builder is not None and isinstance(value, float):
            return number_builder(value)
        if isinstance(value, int) and value in COM_ERRORS.values():
            return {v: k for k, v in COM_ERRORS.items()}[value] if err_to_str else None
        return value
    return [[one(c) for c in row] for row in data]


class Engine:
    """`app.engine` of a desktop Excel: `impl` holds the platform's value cleaning."""

    type = "desktop"

    def __init__(self, platform: str):
        self.name = "excel"
        if platform == "mac":
            self.impl = _mac_module().Engine()
        else:
            self.impl = type("WindowsEngine", (), {"clean_value_data": staticmethod(_windows_clean_value_data)})()


class _AppleScriptProperty:
    def __init__(self, get):
        self.get = get


class _AppleScriptRange:
    """The appscript reference `_xlmac.Range.xl` of a range: `value` and `string_value` as AppleScript gives them."""

    def __init__(self, rng: "Range"):
        def grid(convert):
            rows = [[convert(rng.sheet.cells_dict.get((r, c))) for c in range(rng.c1, rng.c2 + 1)]
                    for r in range(rng.r1, rng.r2 + 1)]
            return rows[0][0] if rng.shape == (1, 1) else (rows[0] if rng.shape[0] == 1 else rows)
        self.value = _AppleScriptProperty(lambda: grid(_mac_raw))
        self.string_value = _AppleScriptProperty(lambda: grid(_shown_text))


def _time_of_day(value: dt.time) -> dt.datetime:
    return EXCEL_DAY_ZERO.replace(hour=value.hour, minute=value.minute, second=value.second)


def _windows_raw(value: Any) -> Any:
    """What COM's `Range.Value` holds for a stored cell."""
    if isinstance(value, ErrorCell):
        return COM_ERRORS.get(value.text, COM_ERRORS["#VALUE!"])
    if isinstance(value, FormulaCell):
        return value.text
    if isinstance(value, dt.time):
        return _time_of_day(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _mac_raw(value: Any) -> Any:
    """What AppleScript's `value` holds for a stored cell (no Currency type: money is a float)."""
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        return ("k", "missing_value")
    if isinstance(value, Decimal):
        return float(value)
    return _windows_raw(value)


def _shown_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        return value.text
    return str(value)


_HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


def hyperlink_formula(value: Any) -> tuple[str, str] | None:
    """(address, shown text) of a `=HYPERLINK("address","text")` formula."""
    m = _HYPERLINK.match(value) if isinstance(value, str) else None
    return (m.group(1).replace('""', '"'), m.group(2).replace('""', '"')) if m else None


def excel_parse(value: Any) -> Any:
    """What Excel stores when `value` is assigned to a cell (a HYPERLINK formula shows its text)."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:]
        link = hyperlink_formula(value)
        if link is not None:
            return link[1]
        if value.startswith("=") and len(value) > 1:
            return FormulaCell(value)
        if _NUMBER.match(value.strip()):
            return float(value)
        return value if value != "" else None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    raise TypeError(f"xlwings cannot write {type(value).__name__}")


class Font:
    def __init__(self, rng: "Range"):
        self._range = rng

    def _set(self, key: str, value: Any) -> None:
        self._range.sheet._format(self._range, f"font.{key}", value)

    bold = property(lambda self: None, lambda self, v: self._set("bold", v))
    italic = property(lambda self: None, lambda self, v: self._set("italic", v))
    color = property(lambda self: None, lambda self, v: self._set("color", v))


class Com:
    """A COM object (`.api` on Windows) that records every property set and method call in `log`."""

    def __init__(self, log: list, count: Any, path: str = ""):
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_count", count)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> "Com":
        return Com(self._log, self._count, f"{self._path}.{name}".lstrip("."))

    def __setattr__(self, name: str, value: Any) -> None:
        self._count()
        self._log.append((f"{self._path}.{name}".lstrip("."), value))

    def __call__(self, *args: Any) -> "Com":
        self._count()
        self._log.append((self._path + "()", args))
        return Com(self._log, self._count, self._path + "()")


class ConditionalFormats(list):
    def __init__(self, rng: "Range"):
        super().__init__()
        self.range = rng

    def _add(self, rule: dict) -> dict:
        sheet = self.range.sheet
        sheet.book.app.calls["format", sheet.name] += 1
        rule["range"] = self.range.get_address(False, False)
        sheet.conditional_formats.append(rule)
        return rule

    def add_custom(self, formula: str, *, fill_color=None, **_):
        return self._add({"type": "expression", "formula": formula, "fill": fill_color})

    def add_cell_value(self, operator: str, formula1, formula2=None, *, fill_color=None, **_):
        return self._add({"type": "cellIs", "operator": operator, "formula": formula1, "fill": fill_color})


class DataValidation:
    def __init__(self, rng: "Range"):
        self.range = rng

    def _set(self, kind: str, **rule: Any) -> None:
        sheet = self.range.sheet
        sheet.book.app.calls["format", sheet.name] += 1
        sheet.validations.append({"range": self.range.get_address(False, False), "type": kind, **rule})

    def set_list(self, source, *, in_cell_dropdown: bool = True) -> None:
        if isinstance(source, Range):
            source = "=" + source.get_address()
        self._set("list", formula1=source if isinstance(source, str) else list(source))

    def set_custom(self, formula: str) -> None:
        self._set("custom", formula1=formula)

    def _comparison(kind):
        def setter(self, operator, formula1, formula2=None):
            self._set(kind, operator=operator, formula1=formula1, formula2=formula2)
        return setter

    set_date, set_decimal = _comparison("date"), _comparison("decimal")
    set_whole_number, set_text_length = _comparison("whole"), _comparison("textLength")


class Range:
    def __init__(self, sheet: "Sheet", r1: int, c1: int, r2: int, c2: int, options: dict | None = None,
                 areas: list[tuple[int, int, int, int]] | None = None):
        self.sheet = sheet
        self.r1, self.c1 = min(r1, r2), min(c1, c2)
        self.r2, self.c2 = max(r1, r2), max(c1, c2)
        self._options = options or {}
        self.areas = areas or [(self.r1, self.c1, self.r2, self.c2)]

    # geometry, in points: rows 15 pt high, columns as wide as their width (8.43 characters by default)
    def _column_points(self, c: int) -> float:
        return self.sheet.widths.get(c, 8.43) * 7 * 0.75

    @property
    def left(self) -> float:
        return sum(self._column_points(c) for c in range(1, self.c1))

    @property
    def top(self) -> float:
        return 15.0 * (self.r1 - 1)

    @property
    def width(self) -> float:
        return sum(self._column_points(c) for c in range(self.c1, self.c2 + 1))

    @property
    def height(self) -> float:
        return 15.0 * (self.r2 - self.r1 + 1)

    @property
    def conditional_formats(self) -> ConditionalFormats:
        return ConditionalFormats(self)

    @property
    def data_validation(self) -> DataValidation:
        return DataValidation(self)

    # geometry
    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    def get_address(self, row_absolute: bool = True, column_absolute: bool = True) -> str:
        def one(r, c):
            return f"{'$' if column_absolute else ''}{_letters(c)}{'$' if row_absolute else ''}{r}"
        first = one(self.r1, self.c1)
        return first if self.shape == (1, 1) else f"{first}:{one(self.r2, self.c2)}"

    @property
    def address(self) -> str:
        return self.get_address()

    def options(self, convert: Any = None, **options: Any) -> "Range":
        allowed = {"ndim", "dates", "empty", "numbers", "err_to_str", "expand", "chunksize"}
        unknown = set(options) - allowed
        if convert is not None or unknown:
            raise TypeError(f"stand-in does not model converter {convert} / options {unknown}")
        return Range(self.sheet, self.r1, self.c1, self.r2, self.c2, {**self._options, **options})

    def resize(self, row_size: int | None = None, column_size: int | None = None) -> "Range":
        rows, cols = self.shape
        return Range(self.sheet, self.r1, self.c1, self.r1 + (row_size or rows) - 1,
                     self.c1 + (column_size or cols) - 1, self._options)

    def offset(self, row_offset: int = 0, column_offset: int = 0) -> "Range":
        return Range(self.sheet, self.r1 + row_offset, self.c1 + column_offset,
                     self.r2 + row_offset, self.c2 + column_offset, self._options)

    def expand(self, mode: str = "table") -> "Range":
        """Down and right until the first empty cell, like Ctrl+Shift+Arrow from the top-left cell."""
        r2, c2 = self.r1, self.c1
        cells = self.sheet.cells_dict
        if mode in ("table", "down", "d"):
            while cells.get((r2 + 1, self.c1)) is not None:
                r2 += 1
        if mode in ("table", "right", "r"):
            while cells.get((self.r1, c2 + 1)) is not None:
                c2 += 1
        return Range(self.sheet, self.r1, self.c1, max(r2, self.r2), max(c2, self.c2), self._options)

    # values
    @property
    def impl(self) -> Any:
        """xlwings' platform object behind the range (a real `_xlmac.Range` on the Mac stand-in)."""
        if self.sheet.book.app.platform == "mac":
            impl = object.__new__(_mac_module().Range)
            impl.xl, impl.options, impl._coords = _AppleScriptRange(self), self._options, None
            return impl
        return type("Impl", (), {"max_cells_per_read": None, "options": self._options})()

    @property
    def api(self) -> Any:
        if self.sheet.book.app.platform == "mac":
            return self.impl.xl
        return self.sheet.com(self.get_address(False, False))

    @property
    def raw_value(self) -> Any:
        """The platform's raw values (what xlwings' ReadValueFromRangeStage reads)."""
        self.sheet.book.app.calls["read", self.sheet.name] += 1
        if self.sheet.book.app.platform == "mac":
            return self.impl.raw_value
        cells = self.sheet.cells_dict
        rows = [[_windows_raw(cells.get((r, c))) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]
        return rows[0][0] if self.shape == (1, 1) else rows

    def _read(self, value: Any) -> Any:
        opts = self._options
        if value is None:
            return opts.get("empty")
        if isinstance(value, ErrorCell):
            return value.text if opts.get("err_to_str") else None
        if isinstance(value, FormulaCell):
            return value.text
        if isinstance(value, dt.time):
            return _time_of_day(value)
        if isinstance(value, dt.datetime):
            return value
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        if isinstance(value, float) and opts.get("numbers", float) is int:
            return int(value)
        return value

    @property
    def value(self) -> Any:
        if self.sheet.book.app.platform != "generic":
            return xlwings.conversion.read(self, None, xlwings.conversion.Options(self._options))
        self.sheet.book.app.calls["read", self.sheet.name] += 1
        cells = self.sheet.cells_dict
        grid = [[self._read(cells.get((r, c))) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]
        if self._options.get("ndim") == 2:
            return grid
        rows, cols = self.shape
        if rows == 1 and cols == 1:
            return grid[0][0]
        if rows == 1:
            return grid[0]
        if cols == 1:
            return [row[0] for row in grid]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.app.calls["write", self.sheet.name] += 1
        if not isinstance(data, (list, tuple)):
            rows = [[data]]
        elif data and isinstance(data[0], (list, tuple)):
            rows = data
        else:
            rows = [list(data)]
        cells = self.sheet.cells_dict
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                stored = excel_parse(value)
                key = (self.r1 + i, self.c1 + j)
                link = hyperlink_formula(value)
                if link is not None:
                    self.sheet.hyperlinks[key] = link[0]
                if stored is None:
                    cells.pop(key, None)
                else:
                    cells[key] = stored

    def clear_contents(self) -> None:
        self.sheet.book.app.calls["write", self.sheet.name] += 1
        for key in [k for k in self.sheet.cells_dict if self._contains(k)]:
            del self.sheet.cells_dict[key]

    def _contains(self, key: tuple[int, int]) -> bool:
        return self.r1 <= key[0] <= self.r2 and self.c1 <= key[1] <= self.c2

    # formats
    @property
    def font(self) -> Font:
        return Font(self)

    def _set_format(self, key: str, value: Any) -> None:
        self.sheet._format(self, key, value)

    number_format = property(lambda self: self.sheet.formats.get((self.r1, self.c1, "number_format"), "General"),
                             lambda self, v: self._set_format("number_format", v))
    column_width = property(lambda self: self.sheet.widths.get(self.c1),
                            lambda self, v: self._set_format("column_width", v))
    color = property(lambda self: self.sheet.formats.get((self.r1, self.c1, "color")),
                     lambda self, v: self._set_format("color", v))

    def add_hyperlink(self, address: str, text_to_display: str | None = None, screen_tip: str | None = None) -> None:
        if self.shape != (1, 1):
            raise ValueError("add_hyperlink works on a single cell")
        self.sheet.book.app.calls["link", self.sheet.name] += 1
        self.sheet.hyperlinks[(self.r1, self.c1)] = address
        if text_to_display is not None:
            self.sheet.cells_dict[(self.r1, self.c1)] = text_to_display

    def select(self) -> None:
        book = self.sheet.book
        if book.active_sheet is not self.sheet:
            raise RuntimeError("select works on the active sheet only")
        book.selection = self


class Table:
    def __init__(self, sheet: "Sheet", name: str, rng: Range, style: str):
        self.parent, self.name, self.range, self.table_style = sheet, name, rng, style


class Tables(list):
    def __init__(self, sheet: "Sheet"):
        super().__init__()
        self.sheet = sheet

    def add(self, source: Range | None = None, name: str | None = None, source_type: str | None = None,
            link_source: bool | None = None, has_headers: bool = True, destination: Range | None = None,
            table_style_name: str = "TableStyleMedium2") -> Table:
        if not isinstance(source, Range):
            raise TypeError("'source' must be a Range")
        taken = {t.name.casefold() for s in self.sheet.book.sheets for t in s.tables}
        if name and name.casefold() in taken:
            raise ValueError(f"a table named {name} already exists")
        self.sheet.book.app.calls["format", self.sheet.name] += 1
        table = Table(self.sheet, name or f"Table{len(taken) + 1}", source, table_style_name)
        self.append(table)
        return table


class FreezePanes:
    def __init__(self, sheet: "Sheet"):
        self.sheet = sheet

    def freeze_at(self, frozen_range: str) -> None:
        self.sheet.book.app.calls["format", self.sheet.name] += 1
        self.sheet.frozen = frozen_range


class _Titled:
    def __init__(self, chart: "Chart", key: str):
        self._chart, self._key = chart, key

    @property
    def title(self):
        return self._chart.axis_titles.get(self._key)

    @title.setter
    def title(self, value):
        self._chart.sheet.book.app.calls["format", self._chart.sheet.name] += 1
        self._chart.axis_titles[self._key] = value


class Chart:
    def __init__(self, sheet: "Sheet", left, top, width, height, chart_type, source):
        self.sheet, self.left, self.top, self.width, self.height = sheet, left, top, width, height
        self.chart_type, self.source, self._title = chart_type, source.get_address(False, False), None
        self.axis_titles: dict[str, str] = {}
        self.value_axis, self.category_axis = _Titled(self, "value"), _Titled(self, "category")

    @property
    def title(self):
        return self._title

    @title.setter
    def title(self, value):
        self.sheet.book.app.calls["format", self.sheet.name] += 1
        self._title = value


class Charts(list):
    def __init__(self, sheet: "Sheet"):
        super().__init__()
        self.sheet = sheet

    def add(self, left=0, top=0, width=355, height=211, chart_type=None, source=None, **_):
        self.sheet.book.app.calls["format", self.sheet.name] += 1
        chart = Chart(self.sheet, left, top, width, height, chart_type, source)
        self.append(chart)
        return chart


class Picture:
    def __init__(self, sheet, data, left, top, width, height):
        self.sheet, self.data, self.left, self.top, self.width, self.height = sheet, data, left, top, width, height

    @property
    def api(self) -> Com:
        return self.sheet.com(f"picture {len(self.sheet.pictures)}")


class Pictures(list):
    def __init__(self, sheet: "Sheet"):
        super().__init__()
        self.sheet = sheet

    def add(self, image, left=None, top=None, width=None, height=None, **_):
        self.sheet.book.app.calls["format", self.sheet.name] += 1
        picture = Picture(self.sheet, Path(image).read_bytes(), left, top, width, height)
        self.append(picture)
        return picture


class Sheet:
    def __init__(self, book: "Book", name: str):
        self.book = book
        self.name = name
        self.cells_dict: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int, str], Any] = {}
        self.widths: dict[int, float] = {}
        self.hyperlinks: dict[tuple[int, int], str] = {}
        self.tables = Tables(self)
        self.visible = True
        self.conditional_formats: list[dict] = []
        self.validations: list[dict] = []
        self.charts = Charts(self)
        self.pictures = Pictures(self)
        self.frozen: str | None = None
        self.com_log: list[tuple[str, Any]] = []  # what was set through `.api`

    def com(self, address: str | None = None) -> Com:
        def count():
            self.book.app.calls["format", self.name] += 1
        return Com(self.com_log, count, f"Range({address!r})" if address else "")

    @property
    def api(self) -> Com:
        return self.com()

    @property
    def freeze_panes(self) -> "FreezePanes":
        return FreezePanes(self)

    def __repr__(self) -> str:
        return f"<Sheet [{self.book.name}]{self.name}>"

    def _format(self, rng: Range, key: str, value: Any) -> None:
        self.book.app.calls["format", self.name] += 1
        if key == "column_width":
            for _, c1, _, c2 in rng.areas:
                for c in range(c1, c2 + 1):
                    self.widths[c] = value
            return
        for r1, c1, r2, c2 in rng.areas:
            if key == "column_width":
                continue
            self.formats[(r1, c1, key)] = value
            self.formats[(r2, c2, key)] = value

    def range(self, cell1: Any, cell2: Any = None) -> Range:
        if isinstance(cell1, str) and "," in cell1:
            areas = [self.range(part) for part in cell1.split(",")]
            if len(cell1) > 255:
                raise ValueError("Excel refuses range addresses longer than 255 characters")
            return Range(self, min(a.r1 for a in areas), min(a.c1 for a in areas), max(a.r2 for a in areas),
                         max(a.c2 for a in areas), areas=[a.areas[0] for a in areas])
        if isinstance(cell1, str):
            first, _, last = cell1.partition(":")
            r1, c1 = _cell(first)
            r2, c2 = _cell(last) if last else (r1, c1)
        else:
            r1, c1 = cell1
            r2, c2 = cell1 if cell2 is None else (cell2 if isinstance(cell2, tuple) else _cell(cell2))
        return Range(self, r1, c1, r2, c2)

    def __getitem__(self, ref: str) -> Range:
        return self.range(ref)

    @property
    def cells(self) -> Range:
        return Range(self, 1, 1, 1048576, 16384)

    @property
    def used_range(self) -> Range:
        if not self.cells_dict:
            return Range(self, 1, 1, 1, 1)
        rows = [r for r, _ in self.cells_dict]
        cols = [c for _, c in self.cells_dict]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    def clear(self) -> None:
        """Content, formats, hyperlinks and tables of the whole sheet (Cells.Clear)."""
        self.book.app.calls["write", self.name] += 1
        self.cells_dict.clear()
        self.formats.clear()
        self.widths.clear()
        self.hyperlinks.clear()
        self.tables.clear()
        self.conditional_formats.clear()
        self.validations.clear()
        self.charts.clear()
        self.pictures.clear()
        self.frozen = None
        self.com_log.clear()

    def activate(self) -> None:
        self.book.active_sheet = self

    def values(self) -> dict[tuple[int, int], Any]:
        """Every non-empty cell as Excel stores it (for assertions; not part of xlwings)."""
        return dict(self.cells_dict)


class Sheets:
    def __init__(self, book: "Book"):
        self.book = book
        self._sheets: list[Sheet] = []

    def __iter__(self):
        return iter(list(self._sheets))

    def __len__(self) -> int:
        return len(self._sheets)

    @property
    def count(self) -> int:
        return len(self._sheets)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            return self._sheets[key]
        for sheet in self._sheets:
            if sheet.name.casefold() == key.casefold():
                return sheet
        raise KeyError(key)

    def add(self, name: str | None = None, before: Sheet | None = None, after: Sheet | None = None) -> Sheet:
        name = name or f"Sheet{len(self._sheets) + 1}"
        if any(s.name.casefold() == name.casefold() for s in self._sheets):
            raise ValueError(f"a sheet named {name} already exists")
        if len(name) > 31 or any(ch in name for ch in "[]:*?/\\"):
            raise ValueError(f"Excel does not allow the sheet name {name!r}")
        sheet = Sheet(self.book, name)
        if after is not None:
            self._sheets.insert(self._sheets.index(after) + 1, sheet)
        elif before is not None:
            self._sheets.insert(self._sheets.index(before), sheet)
        else:
            self._sheets.insert(self._sheets.index(self.book.active_sheet) if self.book.active_sheet else 0, sheet)
        self.book.active_sheet = sheet
        return sheet


class Books(list):
    def __init__(self, app: "App"):
        super().__init__()
        self.app = app

    def open(self, fullname: str) -> "Book":
        book = Book.from_file(Path(fullname), app=self.app)
        return book


class App:
    def __init__(self, platform: str = "generic"):
        self.platform = platform
        self.engine = Engine(platform)
        self.calculation = "automatic"
        self.screen_updating = True
        self.alerts: list[dict[str, Any]] = []
        self.calls: Counter = Counter()
        self.books = Books(self)

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None,
              callback: str | None = None) -> str:
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return "ok"


@dataclass
class Book:
    name: str
    fullname: str = ""
    app: App = field(default_factory=App)
    active_sheet: Sheet | None = None
    selection: Range | None = None

    def __post_init__(self):
        self.sheets = Sheets(self)
        self.app.books.append(self)

    @classmethod
    def from_file(cls, path: Path, app: App | None = None, platform: str = "generic") -> "Book":
        """A book holding the cell values of a workbook file, as Excel would show them."""
        book = cls(path.name, str(path), app or App(platform))
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            sheet = book.sheets.add(name, after=book.sheets[-1] if len(book.sheets) else None)
            data = workbook.get_sheet_by_name(name)
            row0, col0 = data.start or (0, 0)
            for i, row in enumerate(data.to_python()):
                for j, value in enumerate(row):
                    if value == "" or value is None:
                        continue
                    sheet.cells_dict[(row0 + i + 1, col0 + j + 1)] = float(value) if type(value) is int else value
        book.active_sheet = book.sheets[0]
        book.selection = book.sheets[0].range("A1")
        book.app.calls.clear()
        return book
