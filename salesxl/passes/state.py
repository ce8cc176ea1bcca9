"""Reading back the hidden state sheets an earlier run wrote (grade history, settled months).

A state sheet is a header row (any of each column's key, zh or en name) and
records under it; `Book.state[key]` holds its raw cells as the reader found
them. Unreadable cells become None, so a damaged row is skipped, never fatal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import pandas as pd

from salesxl.schema.types import normalise_name

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_HEADER_SEARCH_ROWS = 10


def state_records(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[Sequence[str]],
    required: set[str],
) -> list[dict[str, Any]]:
    """Raw values per column key of every row under the header; `columns` are (key, zh, en, ...)."""
    names = {normalise_name(name): column[0] for column in columns for name in column[:3]}
    for at, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for index, value in enumerate(row):
            key = names.get(normalise_name(value)) if isinstance(value, str) else None
            if key is not None and key not in found:
                found[key] = index
        if required <= found.keys():
            return [{key: (line[i] if i < len(line) else None) for key, i in found.items()} for line in rows[at + 1:]]
    return []


def cell_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def cell_number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def cell_date(value: Any) -> pd.Timestamp | None:
    """A date from a datetime, an Excel serial number or ISO text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2958466:
        return (_EXCEL_EPOCH + pd.Timedelta(days=int(value))).normalize()
    if isinstance(value, str):
        stamp = pd.to_datetime(value.strip(), errors="coerce")
        return None if pd.isna(stamp) else stamp.normalize()
    return None
