"""Generic field rules, checked on every input table from its schema declaration.

Required (always or by another column's value), numeric ranges, identity
duplicates, references to other tables and the formats implied by the column
type (USCC, phone, mobile, e-mail). Blank cells get only the required check;
cells the reader rejected are NA here and are not reported twice.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book, TableData
from salesxl.core.issues import Issue, IssueKind, Lang
from salesxl.io.coerce import strip_each
from salesxl.passes.common import Blanks, column_found, map_unique, to_numbers
from salesxl.passes.validate import codes
from salesxl.passes.validate.formats import (
    USCC_REGION, cell_text, is_email, is_mobile, is_phone, uscc_check_char, uscc_problem,
)
from salesxl.passes.validate.wording import BOOL_WORDS, listing, row_ref, show
from salesxl.schema import TABLES, TABLES_BY_KEY, ColType, Column, RequiredWhen, Table
from salesxl.schema.masks import is_masked

Cell = tuple[str, int, str]
NUMERIC = frozenset({ColType.INT, ColType.NUMBER, ColType.MONEY, ColType.PERCENT, ColType.LAT, ColType.LON})
FORMATS: dict[ColType, tuple[IssueKind, Callable[[Any], bool]]] = {
    ColType.PHONE: (codes.FIELD_PHONE, is_phone),
    ColType.MOBILE: (codes.FIELD_MOBILE, is_mobile),
    ColType.EMAIL: (codes.FIELD_EMAIL, is_email),
}


def check_fields(book: Book, rejected: set[Cell], blanks: Blanks | None = None) -> list[Issue]:
    """Every generic field issue of every table present in the book."""
    blanks = blanks or Blanks()
    issues: list[Issue] = []
    for table in TABLES:
        data = book.tables.get(table.key)
        if data is None or not data.present or data.frame.empty:
            continue
        for column in table.columns:
            if not column_found(data, column.key):
                continue
            issues += _required(book, table, data, column, rejected, blanks)
            issues += _range(book, table, data, column)
            issues += _format(book, table, data, column, blanks)
            if column.identity:
                issues += _duplicates(book, table, data, column, blanks)
            if column.ref:
                issues += _reference(book, table, data, column, blanks)
    return issues


def _at(book: Book, kind: IssueKind, table: Table, frame: pd.DataFrame, mask: pd.Series, column: Column,
        **params: Any) -> Iterator[Issue]:
    """One issue per flagged row, at the column's cell."""
    if not mask.any():  # the usual case: skip the two row selections
        return
    lang = book.lang
    field = column.header(lang)
    for row, value in zip(frame.loc[mask, ROW], frame.loc[mask, column.key]):
        yield book.issue_at(kind, table.key, int(row), column.key, value=value, field=field,
                            shown=show(value, column, lang), **params)


def _required(book: Book, table: Table, data: TableData, column: Column, rejected: set[Cell],
              blanks: Blanks) -> list[Issue]:
    if not column.required:
        return []
    frame = data.frame
    missing = blanks.of(data, column.key)
    when = ""
    if isinstance(column.required, RequiredWhen):
        rule = column.required
        condition = frame[rule.column] if rule.column in frame.columns else pd.Series(None, index=frame.index)
        missing &= map_unique(condition, _canonical).isin(rule.values)
        when = _when_text(table.column(rule.column), rule.values, book.lang)
    if rejected:
        flags = missing.to_numpy(dtype=bool, copy=True)
        flags[flags] = [(table.key, int(r), column.key) not in rejected for r in frame[ROW].to_numpy()[flags]]
        missing = pd.Series(flags, index=frame.index)
    return list(_at(book, codes.FIELD_REQUIRED, table, frame, missing, column, when=when))


def _canonical(value: Any) -> str:
    """A condition value as RequiredWhen lists it: enum codes as they are, bools as "true"/"false"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


def _when_text(condition: Column, values: tuple[str, ...], lang: Lang) -> str:
    yes, no = BOOL_WORDS[lang]
    labels = [yes if v == "true" else no if v == "false" else str(condition.label(v, lang)) for v in values]
    if lang == "zh":
        return f"（「{condition.header(lang)}」为“{'”或“'.join(labels)}”时必填）"
    return f" (required when {condition.header(lang)} is {' or '.join(labels)})"


def _range(book: Book, table: Table, data: TableData, column: Column) -> list[Issue]:
    low, high = column.minimum, column.maximum
    if column.type not in NUMERIC or (low is None and high is None):
        return []
    numbers = to_numbers(data.frame[column.key])
    bad = pd.Series(False, index=numbers.index)
    if low is not None:
        bad |= numbers < low
    if high is not None:
        bad |= numbers > high
    return list(_at(book, codes.FIELD_RANGE, table, data.frame, bad, column,
                    expected=_range_text(column, book.lang)))


def _range_text(column: Column, lang: Lang) -> str:
    low, high = (show(float(b), column, lang) if b is not None else None for b in (column.minimum, column.maximum))
    if low is not None and high is not None:
        return f"在 {low} 至 {high} 之间" if lang == "zh" else f"between {low} and {high}"
    if low is not None:
        return f"不小于 {low}" if lang == "zh" else f"at least {low}"
    return f"不大于 {high}" if lang == "zh" else f"at most {high}"


def _format(book: Book, table: Table, data: TableData, column: Column, blanks: Blanks) -> list[Issue]:
    if column.type != ColType.USCC and column.type not in FORMATS:
        return []
    series = data.frame[column.key]
    filled = ~blanks.of(data, column.key)
    if column.type == ColType.USCC:
        return _uscc(book, table, data, column, filled)
    kind, valid = FORMATS[column.type]
    if column.personal:  # a copy shared outside the office carries masked numbers such as 138****1234
        valid = _masked_or(valid)
    ok = map_unique(series.where(filled), valid)
    return list(_at(book, kind, table, data.frame, filled & ok.ne(True), column))


def _masked_or(valid: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A format check that also accepts the masks `salesxl share --redact` writes."""
    return lambda value: valid(value) or is_masked(cell_text(value))


def _uscc(book: Book, table: Table, data: TableData, column: Column, filled: pd.Series) -> list[Issue]:
    series = data.frame[column.key]
    problem = map_unique(series.where(filled), uscc_problem)
    flagged = problem.notna()
    field = column.header(book.lang)
    issues = []
    for row, value, kind in zip(data.frame.loc[flagged, ROW], series[flagged], problem[flagged]):
        text = str(value).strip()
        if kind == "format":
            issues.append(book.issue_at(codes.FIELD_USCC_FORMAT, table.key, int(row), column.key, value=value,
                                        field=field, shown=text, length=len(text)))
        elif kind == "region":
            issues.append(book.issue_at(codes.FIELD_USCC_REGION, table.key, int(row), column.key, value=value,
                                        field=field, shown=text, region=text[USCC_REGION]))
        else:
            issues.append(book.issue_at(codes.FIELD_USCC_CHECKSUM, table.key, int(row), column.key, value=value,
                                        field=field, expected=uscc_check_char(text[:17]), actual=text[17]))
    return issues


def _duplicates(book: Book, table: Table, data: TableData, column: Column, blanks: Blanks) -> list[Issue]:
    frame = data.frame
    keys = _cell_texts(frame[column.key])
    repeated = ~blanks.of(data, column.key) & keys.duplicated(keep=False)
    issues = []
    for _, group in frame.loc[repeated, [ROW, column.key]].groupby(keys[repeated], sort=True):
        rows = [int(r) for r in group[ROW]]
        for row, value in zip(rows, group[column.key]):
            others = listing([row_ref("", r, book.lang) for r in rows if r != row], book.lang)
            issues.append(book.issue_at(codes.FIELD_ID_DUPLICATE, table.key, row, column.key, value=value,
                                        field=column.header(book.lang), shown=show(value, column, book.lang),
                                        others=others))
    return issues


def _reference(book: Book, table: Table, data: TableData, column: Column, blanks: Blanks) -> list[Issue]:
    target_key, target_column = column.ref.split(".")
    target = book.tables.get(target_key)
    if target is None or not target.present or not column_found(target, target_column):
        return []
    known = set(_cell_texts(target.frame[target_column]).dropna()) - {""}
    series = data.frame[column.key]
    unknown = ~blanks.of(data, column.key) & ~_cell_texts(series).isin(known)
    target_table = TABLES_BY_KEY[target_key]
    return list(_at(book, codes.FIELD_REF, table, data.frame, unknown, column,
                    target_sheet=target.sheet, target_field=target_table.column(target_column).header(book.lang)))


def _cell_texts(series: pd.Series) -> pd.Series:
    """`cell_text` of every cell (None where NA). ASCII text is its own NFKC form, so a column of it (IDs,
    the usual case) is only stripped, at C speed; anything else goes through `cell_text` once per value."""
    values = series.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        na = pd.isna(values)
        text = values[~na]
        if "".join(text.tolist()).isascii():
            out = np.full(len(values), None, dtype=object)
            out[~na] = strip_each(text)
            return pd.Series(out, index=series.index, dtype=object)
    return map_unique(series, cell_text)
