"""How values, fields and other rows are named inside issue messages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.schema import ColType, Column

MAX_LISTED = 10
BOOL_WORDS: dict[Lang, tuple[str, str]] = {"zh": ("是", "否"), "en": ("yes", "no")}


def show(value: Any, column: Column | None, lang: Lang) -> str:
    """A value as the user reads it: enum labels, yes/no, ISO dates, numbers without a stray ".0"."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return BOOL_WORDS[lang][0 if value else 1]
    if isinstance(value, (dt.date, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, (int, float)) and column is not None and column.type == ColType.PERCENT:
        return f"{value * 100:.10g}%"
    if isinstance(value, float):
        if column is not None and column.type == ColType.MONEY:
            return f"{value:,.2f}"
        return str(int(value)) if value.is_integer() else f"{value:.10g}"
    if column is not None and column.choices:
        return str(column.label(value, lang))
    return str(value)


def join(items: Iterable[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def row_ref(ident: str, row: int, lang: Lang) -> str:
    """"C002（第 5 行）" / "C002 (row 5)"; the row alone when the ID is blank."""
    if lang == "zh":
        return f"{ident}（第 {row} 行）" if ident else f"第 {row} 行"
    return f"{ident} (row {row})" if ident else f"row {row}"


def listing(refs: list[str], lang: Lang) -> str:
    """Up to MAX_LISTED references, then how many more there are."""
    shown = join(refs[:MAX_LISTED], lang)
    extra = len(refs) - MAX_LISTED
    if extra <= 0:
        return shown
    return f"{shown} 等另 {extra} 处" if lang == "zh" else f"{shown} and {extra} more"
