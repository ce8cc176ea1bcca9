"""Rows keyed by their identity, and what changed between two versions of a table, field by field.

A table becomes `Records`: ID -> field values (plus the Excel row). A cell the
reader could not interpret keeps what was typed (the raw value from its read
issue), so comparing and copying rows never turns someone's text into a blank.
Rows without an ID, and second rows with an ID already seen, cannot be matched
by ID; they are kept aside as `unkeyed` and matched by their whole content.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.io.xlsx.cells import plain
from salesxl.schema import TABLES_BY_KEY
from salesxl.sharing.identity import id_column

Row = dict[str, Any]


def norm(value: Any) -> Any:
    """A cell value in comparable form: missing values as None, pandas/numpy scalars as plain Python."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if value is pd.NA or value is pd.NaT:
        return None
    value = plain(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        if a == b:
            return True
    except (TypeError, ValueError):  # pd.NA and friends refuse to be truth-tested
        pass
    a, b = norm(a), norm(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    return a == b


def content(row: Row, columns: Iterable[str]) -> tuple:
    """A row's values as a hashable key (for matching rows without an ID)."""
    out = []
    for c in columns:
        v = norm(row.get(c))
        out.append(round(v, 9) if isinstance(v, float) else v)
    return tuple(out)


@dataclass
class Records:
    """One table of one workbook, keyed by its identity column."""

    table: str
    id_key: str
    columns: list[str]  # columns present in the sheet, ID first
    rows: dict[str, Row] = field(default_factory=dict)  # ID -> values (with ROW)
    unkeyed: list[Row] = field(default_factory=list)  # rows without a usable ID (with ROW)
    duplicated: set[str] = field(default_factory=set)  # IDs on more than one row

    @classmethod
    def from_frame(cls, table: str, frame: pd.DataFrame, columns: Iterable[str] | None = None) -> "Records":
        id_key = id_column(table)
        assert id_key is not None, f"{table} has no identity column"
        cols = [c for c in (columns or [c.key for c in TABLES_BY_KEY[table].columns]) if c in frame.columns]
        if id_key not in cols:
            cols.insert(0, id_key)
        records = cls(table, id_key, [id_key] + [c for c in cols if c != id_key])
        keep = [c for c in [*records.columns, ROW] if c in frame.columns]
        values = [_plain_column(frame[c]) for c in keep]
        for cells in zip(*values):
            row = dict(zip(keep, cells))
            key = row.get(id_key)
            if key is None or key in records.rows:
                records.unkeyed.append(row)
                if key is not None:
                    records.duplicated.add(key)
            else:
                records.rows[key] = row
        return records

    @property
    def fields(self) -> list[str]:
        """The compared columns (all but the ID)."""
        return self.columns[1:]

    def all_rows(self) -> list[Row]:
        return [*self.rows.values(), *self.unkeyed]

    def rekeyed(self, reference: "Records") -> "Records":
        """A view in which each ID on several rows stands for the row most like `reference`'s row of
        that ID (the others stay unkeyed); row dicts are shared, not copied."""
        wanted = [k for k in self.duplicated if k in reference.rows]
        if not wanted:
            return self
        rows, unkeyed = dict(self.rows), list(self.unkeyed)
        for key in wanted:
            target = reference.rows[key]
            candidates = [rows[key], *(r for r in unkeyed if r.get(self.id_key) == key)]
            best = max(candidates, key=lambda r: sum(same(r.get(c), target.get(c)) for c in self.fields))
            if best is not rows[key]:
                unkeyed = [r for r in unkeyed if r is not best] + [rows[key]]
                rows[key] = best
        return Records(self.table, self.id_key, self.columns, rows, unkeyed, set(self.duplicated))


def _plain_column(series: pd.Series) -> list[Any]:
    """A column as plain Python values with None for every kind of missing value (what `norm` gives)."""
    values = series.astype(object).where(series.notna(), None).tolist()
    if series.dtype == object:
        values = [v if type(v) is str and v else norm(v) for v in values]
    elif pd.api.types.is_datetime64_any_dtype(series):
        values = [None if v is None else v.to_pydatetime() for v in values]
    return values


def user_frame(book: Book, table: str) -> pd.DataFrame:
    """The table's rows as canonical values, except cells the reader could not interpret: those keep
    what was typed."""
    data = book.table(table)
    frame = data.frame
    bad = [i for i in book.issues if i.table == table and i.row is not None and i.column in frame.columns
           and i.code.startswith("CELL_") and i.value is not None]
    if not bad:
        return frame
    frame = frame.copy()
    position = pd.Series(range(len(frame)), index=frame[ROW].to_numpy())
    for issue in bad:
        if issue.row in position.index:
            if frame[issue.column].dtype != object:
                frame[issue.column] = frame[issue.column].astype(object)
            frame.iat[int(position[issue.row]), frame.columns.get_loc(issue.column)] = issue.value
    return frame


def records(book: Book, table: str) -> Records:
    """The table of a workbook as read, keyed by ID, with only the columns its sheet has."""
    data = book.table(table)
    columns = [c.key for c in TABLES_BY_KEY[table].columns if c.key in data.letters] if data.letters else None
    return Records.from_frame(table, user_frame(book, table), columns)


@dataclass
class TableDiff:
    """What changed from `old` to `new`."""

    added: dict[str, Row] = field(default_factory=dict)  # ID -> row (IDs not in old)
    removed: set[str] = field(default_factory=set)  # IDs not in new
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)  # ID -> {column: new value}
    unkeyed_added: list[Row] = field(default_factory=list)  # rows without ID whose content old lacks


def diff(old: Records, new: Records, columns: Iterable[str] | None = None) -> TableDiff:
    """Row and field changes keyed by ID, over `columns` (default: the fields both versions have)."""
    fields = list(columns) if columns is not None else [c for c in new.fields if c in old.fields]
    out = TableDiff()
    for key, row in new.rows.items():
        before = old.rows.get(key)
        if before is row:
            continue
        if before is None:
            out.added[key] = row
            continue
        changed = {c: row.get(c) for c in fields if not same(before.get(c), row.get(c))}
        if changed:
            out.changed[key] = changed
    out.removed = {key for key in old.rows if key not in new.rows}
    out.unkeyed_added = unmatched(new.unkeyed, old.unkeyed, fields)
    return out


def unmatched(rows: list[Row], among: list[Row], fields: list[str]) -> list[Row]:
    """The rows of `rows` with no row of the same content in `among` (each row of `among` matches once)."""
    pool = Counter(content(r, fields) for r in among)
    out = []
    for row in rows:
        key = content(row, fields)
        if pool[key]:
            pool[key] -= 1
        else:
            out.append(row)
    return out
