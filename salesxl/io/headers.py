"""Find a table's header row in the top of a sheet and map its cells to column keys.

Headers are recognised by any of a column's names (zh, en, key, aliases) with
width, case, spaces and brackets ignored. The header row is the row, among
the first rows of the sheet, that names the most columns; this also picks the
sub-header row of a two-row header with merged group titles above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from salesxl.io.coerce import text_of
from salesxl.schema import Table, normalise_name

HEADER_SCAN_ROWS = 30

Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col)), grid-relative


@dataclass
class HeaderMatch:
    """Where the header is (grid row index) and which grid column holds each column key."""

    row: int
    columns: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # header text of every grid column
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (grid column, first grid column of that key)
    unknown: list[int] = field(default_factory=list)  # grid columns with a header that names no column

    @property
    def score(self) -> int:
        return len(self.columns)

    def required_found(self, table: Table) -> int:
        return sum(1 for c in table.columns if c.required is True and c.key in self.columns)


def column_names(table: Table) -> dict[str, str]:
    """Normalised header name -> column key, for every name of every column."""
    names: dict[str, str] = {}
    for column in table.columns:
        for name in column.names():
            names.setdefault(normalise_name(name), column.key)
    return names


def header_labels(rows: Sequence[Sequence], row: int, merged: Sequence[Merged]) -> list[str]:
    """The header text of each column of `row`; a cell covered by a merge taller than one row
    takes the merge's text when the merge starts in that column (a header merged over two rows)."""
    labels = [text_of(value) if value != "" else "" for value in rows[row]]
    for (top, left), (bottom, _right) in merged:
        if top < row <= bottom and 0 <= left < len(labels) and not labels[left]:
            labels[left] = text_of(rows[top][left])
    return labels


def match_header(labels: list[str], names: dict[str, str], row: int) -> HeaderMatch:
    match = HeaderMatch(row=row, labels=labels)
    for index, label in enumerate(labels):
        if not label:
            continue
        key = names.get(normalise_name(label))
        if key is None:
            match.unknown.append(index)
        elif key in match.columns:
            match.duplicates.append((index, match.columns[key]))
        else:
            match.columns[key] = index
    return match


def find_header(rows: Sequence[Sequence], table: Table, merged: Sequence[Merged] = ()) -> HeaderMatch | None:
    """The row among the first HEADER_SCAN_ROWS that names most of the table's columns (first on ties)."""
    names = column_names(table)
    best: HeaderMatch | None = None
    for row in range(min(HEADER_SCAN_ROWS, len(rows))):
        match = match_header(header_labels(rows, row, merged), names, row)
        if match.score and (best is None or match.score > best.score):
            best = match
    return best
