"""Redaction of a copy shared outside the office, by the policy the schema declares.

A column is personal when its declaration says so: always (`personal=True`), or
on the rows a `PersonalWhen` names (an individual business's phone, any mobile
number). Personal values are masked: numbers keep their last four digits,
addresses stop after the district, dates become month-only text, other personal
text is blanked. The copy is built from the masked tables only, so its report
sheets (the collection list, the reminders) cannot show what was masked.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from salesxl.passes.common import map_unique
from salesxl.passes.validate.formats import is_mobile
from salesxl.schema import TABLES_BY_KEY, ColType, Column
from salesxl.schema.masks import mask_date, mask_number
from salesxl.schema.types import PersonalWhen

_DISTRICT = re.compile(r"^.*?(?:区|县|旗)")
_CITY = re.compile(r"^.*?市")
_NUMBERS = (ColType.MOBILE, ColType.PHONE)


def personal_rows(column: Column, frame: pd.DataFrame) -> pd.Series:
    """Where `column` holds personal data in `frame` (a table's canonical rows)."""
    rule = column.personal
    if not isinstance(rule, PersonalWhen):
        return pd.Series(bool(rule), index=frame.index)
    hit = pd.Series(False, index=frame.index)
    for other, values in rule.when:
        if other in frame:
            hit |= frame[other].astype(object).isin(values)
    if rule.mobiles and column.key in frame:
        hit |= map_unique(frame[column.key].astype(object), is_mobile).fillna(False).astype(bool)
    return hit


def redact_value(column: Column, value: Any) -> Any:
    """The masked form of one personal value (None stays None)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT or value is pd.NA:
        return None
    if column.type in (ColType.MOBILE, ColType.PHONE):
        return mask_number(value)
    if column.type in (ColType.DATE, ColType.DATETIME):
        return mask_date(value)
    if column.key.endswith("address"):
        text = str(value)
        found = _DISTRICT.match(text) or _CITY.match(text)
        return found.group(0) if found else None
    return None


def personal_numbers(frames: dict[str, pd.DataFrame]) -> frozenset[str]:
    """The digits of every personal phone or mobile in these tables: a number that is someone's own on
    one row (a sole trader's shop phone) stays hidden on every row it appears on."""
    found: set[str] = set()
    for key, frame in frames.items():
        for column in TABLES_BY_KEY[key].columns:
            if column.personal and column.type in _NUMBERS and column.key in frame:
                values = frame.loc[personal_rows(column, frame).to_numpy(), column.key].dropna()
                found.update(d for d in (_digits(v) for v in values) if len(d) >= 7)
    return frozenset(found)


def redact(frames: dict[str, pd.DataFrame], office: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Every personal value of every table masked; in a column that may hold personal numbers, also every
    number that is personal anywhere in `office` (default: these frames). The frames are not changed."""
    hidden = personal_numbers(office if office is not None else frames)
    out = {}
    for key, frame in frames.items():
        frame = frame.copy()
        for column in TABLES_BY_KEY[key].columns:
            if column.key not in frame or not column.personal:
                continue
            personal = personal_rows(column, frame).to_numpy().copy()
            values = frame[column.key].astype(object).tolist()
            if column.type in _NUMBERS:
                personal |= [v is not None and _digits(v) in hidden for v in values]
            if not personal.any():
                continue
            frame[column.key] = pd.Series([redact_value(column, v) if p else v for v, p in zip(values, personal)],
                                          index=frame.index, dtype=object)
        out[key] = frame
    return out


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))
