"""Small Books built from rows of canonical values, laid out as the reader would."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd

from salesxl.core.book import ROW, Book, TableData, column_letter
from salesxl.core.issues import Lang
from salesxl.schema import TABLES_BY_KEY, ColType, Settings

DATE_TYPES = (ColType.DATE, ColType.DATETIME)
NUMBER_TYPES = (ColType.INT, ColType.NUMBER, ColType.MONEY, ColType.PERCENT, ColType.LAT, ColType.LON)


def table_data(key: str, rows: Sequence[Mapping[str, Any]], lang: Lang = "zh", *, header_row: int = 1,
               order: Sequence[str] | None = None) -> TableData:
    """A table whose sheet has the declared columns in `order` (default: declared order) from column A."""
    table = TABLES_BY_KEY[key]
    order = list(order) if order is not None else [c.key for c in table.columns]
    columns = {}
    for column in table.columns:
        values = [row.get(column.key) for row in rows]
        if column.type in DATE_TYPES:
            columns[column.key] = pd.to_datetime(pd.Series(values, dtype=object))
        elif column.type in NUMBER_TYPES:
            columns[column.key] = pd.Series(values, dtype="float64")
        else:
            columns[column.key] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(columns)
    frame[ROW] = range(header_row + 1, header_row + 1 + len(rows))
    letters = {k: column_letter(i + 1) for i, k in enumerate(order)}
    return TableData(key, frame, sheet=table.sheet_name(lang), header_row=header_row, letters=letters)


def make_book(tables: Mapping[str, Sequence[Mapping[str, Any]]], *, lang: Lang = "zh",
              settings: Mapping[str, Any] | None = None, order: Mapping[str, Sequence[str]] | None = None,
              issues: list | None = None) -> Book:
    """A Book holding `tables` (table key -> rows); settings default except the language."""
    data = {key: table_data(key, rows, lang, order=(order or {}).get(key)) for key, rows in tables.items()}
    return Book(tables=data, settings=Settings.from_values({"language": lang, **(settings or {})}), issues=list(issues or []),
                sheet_names=[d.sheet for d in data.values()])


def frames_book(frames: Mapping[str, pd.DataFrame], settings: Mapping[str, Any], lang: Lang = "zh") -> Book:
    """A Book over canonical frames (the demo office), each table from row 2 of its sheet."""
    data = {}
    for key, frame in frames.items():
        table = TABLES_BY_KEY[key]
        framed = frame.assign(**{ROW: range(2, len(frame) + 2)})
        letters = {c.key: column_letter(i + 1) for i, c in enumerate(table.columns)}
        data[key] = TableData(key, framed, sheet=table.sheet_name(lang), header_row=1, letters=letters)
    return Book(tables=data, settings=Settings.from_values({**settings, "language": lang}), sheet_names=[d.sheet for d in data.values()])


def run_pass(book: Book, name: str, **given: Any) -> tuple[Any, list]:
    """Pass `name`'s result and its own issues, its inputs resolved as a recalculation resolves them.

    `given` maps a pass name to a result to use instead of running that pass (e.g. grades made by hand).
    """
    from salesxl import pipeline
    from salesxl.registry import PASSES, call, inputs, load_all, producers, requirements

    load_all()
    found = inputs(PASSES[name].run, name, producers(PASSES), type(book.settings))
    needed = [p for p in requirements(found)[0] if p not in given]
    results = {**(pipeline.run_passes(book, needed) if needed else {}), **given}
    return call(PASSES[name].run, found, book, results)
