"""The Book snapshot: every input table as a DataFrame that remembers its cells.

Adapters (file reader, live Excel) build a Book; engine passes only read it.
Each frame has one column per declared column key (canonical values: enum
codes, Python bools, pandas datetimes, floats) plus `ROW`, the 1-based Excel
row the record came from, so any issue can name its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from salesxl.core.issues import Issue, Lang
from salesxl.schema import TABLES_BY_KEY, Settings

ROW = "_row"  # column holding the source Excel row number


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a reference ('My Sheet'!A1)."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


@dataclass
class TableData:
    """One input table as found in the workbook."""

    key: str
    frame: pd.DataFrame
    sheet: str | None = None  # actual sheet name; None when the sheet is missing
    header_row: int | None = None  # 1-based
    letters: dict[str, str] = field(default_factory=dict)  # column key -> column letter

    @property
    def present(self) -> bool:
        return self.sheet is not None

    def cell(self, row: int | None, column: str | None) -> str | None:
        """"客户档案!F12" for a row number and a column key (None when unknown)."""
        if self.sheet is None:
            return None
        letter = self.letters.get(column) if column else None
        if row is None:
            return f"{quote_sheet(self.sheet)}!{letter}{self.header_row}" if letter and self.header_row else None
        if letter is None:
            return f"{quote_sheet(self.sheet)}!A{row}"
        return f"{quote_sheet(self.sheet)}!{letter}{row}"


@dataclass
class Book:
    """All input tables of one workbook, the settings, and what reading found."""

    tables: dict[str, TableData]
    settings: Settings
    issues: list[Issue] = field(default_factory=list)
    source: Path | None = None
    sheet_names: list[str] = field(default_factory=list)
    #: raw cell rows of tool-owned sheets that carry state from run to run (e.g. "grade_history")
    state: dict[str, list[list]] = field(default_factory=dict)

    @property
    def lang(self) -> Lang:
        return self.settings.lang

    def frame(self, key: str) -> pd.DataFrame:
        """The table's rows; an empty frame with the declared columns when the sheet is missing."""
        data = self.tables.get(key)
        if data is not None:
            return data.frame
        return empty_frame(key)

    def table(self, key: str) -> TableData:
        data = self.tables.get(key)
        if data is None:
            data = TableData(key, empty_frame(key))
        return data

    def cell(self, key: str, row: int | None, column: str | None) -> str | None:
        return self.table(key).cell(row, column)

    def issue_at(self, kind, key: str, row: int | None, column: str | None, value=None, **params) -> Issue:
        """Make an issue of `kind` located at a table's cell, in the book's language."""
        data = self.table(key)
        return kind(
            self.lang,
            table=key,
            sheet=data.sheet,
            row=row,
            column=column,
            cell=data.cell(row, column),
            value=value,
            **params,
        )


def empty_frame(key: str) -> pd.DataFrame:
    table = TABLES_BY_KEY[key]
    return pd.DataFrame({**{c.key: pd.Series(dtype=object) for c in table.columns}, ROW: pd.Series(dtype="int64")})
