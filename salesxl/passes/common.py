"""Helpers every pass needs: the as-of date and vectorised cell tests."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import numpy as np
import pandas as pd

from salesxl.core.book import Book, TableData
from salesxl.io.coerce import strip_each
from salesxl.passes.planning.calendar import is_workday
from salesxl.schema.masks import is_masked

#: Tables whose dates tell how far the data goes.
DATED_TABLES = ("orders", "visits", "payments")


def as_of_date(book: Book) -> dt.date:
    """The date the analysis is made as of: the setting, else the latest dated record, else today."""
    configured = book.settings.general.as_of_date
    if configured is not None:
        return configured
    latest = [
        dates.max()
        for key in DATED_TABLES
        if not (dates := to_dates(book.frame(key).get("date", pd.Series(dtype=object))).dropna()).empty
    ]
    return max(latest).date() if latest else dt.date.today()


def report_date(book: Book) -> dt.date:
    """The day the daily and weekly reports are about: Settings report_date, else the last
    working day up to the as-of date with any dated record (a Saturday as-of date reports Friday)."""
    configured = book.settings.reports.report_date
    if configured is not None:
        return configured
    as_of = as_of_date(book)
    days = set()
    for key in DATED_TABLES:
        dates = to_dates(book.frame(key).get("date", pd.Series(dtype=object))).dropna()
        days.update(dates[dates <= pd.Timestamp(as_of) + pd.Timedelta(hours=23, minutes=59)].dt.date.unique())
    return next((day for day in sorted(days, reverse=True) if is_workday(day)), as_of)


def to_dates(series: pd.Series) -> pd.Series:
    """Datetimes (NaT where the cell is blank or not a date), whatever the column's dtype."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    if series.dtype == object:  # a redacted copy's masked dates (****-07-**) are no dates
        series = series.where(~series.map(is_masked), None)
    return pd.to_datetime(series, errors="coerce")


def to_numbers(series: pd.Series) -> pd.Series:
    """Floats (NaN where the cell is blank or not a number); bools are not numbers."""
    if pd.api.types.is_bool_dtype(series):
        return pd.Series(np.nan, index=series.index)
    if pd.api.types.is_numeric_dtype(series):
        return series.astype("float64")
    return pd.to_numeric(series.map(lambda v: np.nan if isinstance(v, bool) else v), errors="coerce")


def blank_mask(series: pd.Series) -> pd.Series:
    """True where a cell holds nothing: NA, or text that is only whitespace."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        values = series.to_numpy(dtype=object)
        if pd.api.types.infer_dtype(values, skipna=True) == "string":  # text and blanks: one C-level pass
            blank = pd.isna(values)
            blank[~blank] = strip_each(values[~blank]) == ""
            return pd.Series(blank, index=series.index)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = np.asarray(uniques, dtype=object)
        blank = np.array([isinstance(u, str) and not u.strip() for u in values] + [True], dtype=bool)
        return pd.Series(blank[codes], index=series.index)
    return series.isna()


class Blanks:
    """`blank_mask` of each column of a book's tables, computed once however many checks of a run ask."""

    def __init__(self) -> None:
        self._masks: dict[tuple[str, str], pd.Series] = {}

    def of(self, data: TableData, key: str) -> pd.Series:
        """True where the table's column `key` is blank (indexed like the table's frame); a copy the
        caller may change."""
        mask = self._masks.get((data.key, key))
        if mask is None:
            mask = self._masks[(data.key, key)] = blank_mask(data.frame[key])
        return mask.copy()


def map_unique(series: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """`func` applied once per distinct value (fast on long columns with few distinct values)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in np.asarray(uniques, dtype=object)]
    mapped[-1] = None
    return pd.Series(mapped[codes], index=series.index, dtype=object)


def column_found(data: TableData, key: str) -> bool:
    """Whether the sheet has this column (a missing column is reported by the reader, not per cell)."""
    return key in data.frame.columns and (not data.letters or key in data.letters)
