"""Stable row IDs: every input table has an identity column; blank IDs get the next free number.

An ID is the table's prefix plus a zero-padded number ("V0020477"). The prefix
and width are those most IDs of the table already use (a default per table when
it has none). The highest number ever handed out per table is kept in the
hidden tool-owned sheet IdRegister, so a deleted row's ID is never given to
another row: the next number is above both the register and every ID in the
table. A typed ID with the table's prefix and a number at or below that mark
that is not in the table is treated as used before.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from python_calamine import CalamineWorkbook

from salesxl.core.book import Book
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.io.opening import open_package_bytes
from salesxl.schema import TABLES, TABLES_BY_KEY, normalise_name
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY

REGISTER_KEY = "id_register"
DEFAULT_PREFIX = {
    "salespeople": ("S", 2), "customers": ("C", 5), "contacts": ("LX", 6), "visits": ("V", 7),
    "orders": ("L", 7), "payments": ("PM", 7), "targets": ("MB", 4), "budget": ("YS", 5),
    "expenses": ("FY", 6), "price_list": ("JG", 4), "contracts": ("HT", 9), "inquiries": ("XJ", 6),
}
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
#: (key, zh header, en header) of the register's columns.
REGISTER_COLUMNS = (
    ("table", "表", "Table"),
    ("prefix", "前缀", "Prefix"),
    ("width", "位数", "Digits"),
    ("last", "已用最大号", "Highest number used"),
)
_HEADERS = {normalise_name(n): key for key, zh, en in REGISTER_COLUMNS for n in (key, zh, en)}


def id_column(table_key: str) -> str | None:
    """The column that identifies a row: the identity column, or the key of the Settings sheet."""
    table = TABLES_BY_KEY[table_key]
    if table.id_column is not None:
        return table.id_column.key
    return "key" if table.key_value else None


def split_id(value: str) -> tuple[str, int, int] | None:
    """("V", 20477, 7) for "V0020477"; None for an ID that does not end in digits."""
    m = _NUMBERED.match(value)
    return (m.group(1), int(m.group(2)), len(m.group(2))) if m else None


@dataclass
class IdSequence:
    """The ID sequence of one table."""

    prefix: str
    width: int
    last: int = 0
    taken: set[str] = field(default_factory=set)

    def next(self) -> str:
        self.last += 1
        while (candidate := f"{self.prefix}{self.last:0{self.width}d}") in self.taken:
            self.last += 1
        self.taken.add(candidate)
        return candidate

    def used(self, value: str) -> bool:
        """Is `value` in the table, or a number of this sequence handed out before?"""
        if value in self.taken:
            return True
        parts = split_id(value)
        return parts is not None and parts[0] == self.prefix and parts[1] <= self.last

    def claim(self, value: str) -> None:
        """Record an ID kept as typed (a new row's own ID)."""
        self.taken.add(value)
        parts = split_id(value)
        if parts is not None and parts[0] == self.prefix:
            self.last = max(self.last, parts[1])


class IdRegister:
    """Every table's sequence, from the IDs in a book and the register sheet's marks."""

    def __init__(self, sequences: dict[str, IdSequence]):
        self.sequences = sequences

    @classmethod
    def of(cls, book: Book, marks: dict[str, tuple[str, int, int]] | None = None) -> "IdRegister":
        marks = marks or {}
        sequences = {}
        for table in TABLES:
            key = id_column(table.key)
            if key is None or table.key_value:
                continue
            ids = [v for v in book.frame(table.key)[key].tolist() if isinstance(v, str) and v]
            prefix, width = _usual_form(ids, DEFAULT_PREFIX.get(table.key, (table.key[:2].upper(), 6)))
            last = max((p[1] for p in map(split_id, ids) if p and p[0] == prefix), default=0)
            mark = marks.get(table.key)
            if mark and mark[0] == prefix:
                last = max(last, mark[2])
            sequences[table.key] = IdSequence(prefix, width, last, set(ids))
        return cls(sequences)

    def get(self, table_key: str) -> IdSequence | None:
        """The table's sequence; None for Settings, whose keys are not numbered."""
        return self.sequences.get(table_key)

    def sheet(self, lang: Lang) -> SheetSpec:
        """The hidden register sheet (tool-owned, rewritten whole)."""
        columns = [ColumnSpec(zh if lang == "zh" else en, "int" if key in ("width", "last") else "text", 14)
                   for key, zh, en in REGISTER_COLUMNS]
        rows = [[key, s.prefix, s.width, s.last] for key, s in self.sequences.items()]
        out = STATE_SHEETS_BY_KEY[REGISTER_KEY]
        return SheetSpec(key=REGISTER_KEY, name=out.sheet_name(lang), blocks=[Block(columns=columns, rows=rows)],
                         hidden=True)


def _usual_form(ids: Iterable[str], default: tuple[str, int]) -> tuple[str, int]:
    forms = Counter((p[0], p[2]) for p in map(split_id, ids) if p)
    return forms.most_common(1)[0][0] if forms else default


def register_marks(rows: list[list[Any]]) -> dict[str, tuple[str, int, int]]:
    """Table key -> (prefix, width, last) from the raw rows of the register sheet (either language)."""
    columns: dict[str, int] | None = None
    marks = {}
    for row in rows:
        if columns is None:
            found = {_HEADERS[normalise_name(v)]: i for i, v in enumerate(row) if normalise_name(v) in _HEADERS}
            if len(found) == len(REGISTER_COLUMNS):
                columns = found
            continue
        cells = {k: row[i] if i < len(row) else None for k, i in columns.items()}
        table, prefix = str(cells["table"] or ""), str(cells["prefix"] or "")
        try:
            width, last = int(cells["width"]), int(cells["last"])
        except (TypeError, ValueError):
            continue
        if table in TABLES_BY_KEY:
            marks[table] = (prefix, width, last)
    return marks


def read_register(book: Book, password: str | None = None) -> IdRegister:
    """The register of a workbook as read: its sheet's marks (from `book.state` or the file) and its IDs."""
    rows = book.state.get(REGISTER_KEY)
    if rows is None and book.source is not None:
        rows = _sheet_rows(Path(book.source), password)
    return IdRegister.of(book, register_marks(rows or []))


def _sheet_rows(path: Path, password: str | None) -> list[list[Any]]:
    names = {normalise_name(n) for n in STATE_SHEETS_BY_KEY[REGISTER_KEY].names()}
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(open_package_bytes(path, password)))
    for name in workbook.sheet_names:
        if normalise_name(name) in names:
            return workbook.get_sheet_by_name(name).to_python()
    return []
