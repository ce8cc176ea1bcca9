"""Cell values as SpreadsheetML: escaping, date serials, number text.

Strings are always inline strings: a value that starts with = + - @ is text.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

_TEXT_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4})")
_ATTR_ESCAPE = re.compile(r'[&<>"\t\n\r]')
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
             "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_PRESERVE = re.compile(r"^\s|\s$|[\t\n]")
#: Finds any string that is not safe to write verbatim as element text.
NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x1f\ufffe\uffff]|_x|^\s|\s$")

EPOCH_1900 = datetime(1899, 12, 30)
EPOCH_1900_EARLY = datetime(1899, 12, 31)  # before 1900-03-01 (Excel's phantom 1900-02-29)
EPOCH_1904 = datetime(1904, 1, 1)
LEAP_BUG_END = datetime(1900, 3, 1)


def _escape_char(m: re.Match) -> str:
    c = m.group(0)
    if c in _ENTITIES:
        return _ENTITIES[c]
    if c == "_":
        return "_x005F_"
    return f"_x{ord(c):04X}_"


def text(s: str) -> str:
    """Element text: XML-escaped, control characters and a literal _xHHHH as _xHHHH_."""
    return _TEXT_ESCAPE.sub(_escape_char, s)


def attr(s: str) -> str:
    """An attribute value (without quotes)."""
    return _ATTR_ESCAPE.sub(lambda m: _ENTITIES[m.group(0)], text(s))


def inline(s: str) -> str:
    """The <is> content of an inline-string cell."""
    if _PRESERVE.search(s):
        return f'<is><t xml:space="preserve">{text(s)}</t></is>'
    return f"<is><t>{text(s)}</t></is>"


def number(v: float | int | Decimal) -> str | None:
    """Number text for <v>, or None when the value cannot be stored (NaN, infinity)."""
    if isinstance(v, int):
        return str(v)
    f = float(v)
    if not math.isfinite(f):
        return None
    return repr(f)


def serial(v: date, date1904: bool) -> float | None:
    """Excel serial of a date/datetime, or None when the date system cannot show it."""
    if isinstance(v, datetime):
        dt = v.replace(tzinfo=None)
    else:
        dt = datetime(v.year, v.month, v.day)
    if date1904:
        epoch = EPOCH_1904
    else:
        epoch = EPOCH_1900 if dt >= LEAP_BUG_END else EPOCH_1900_EARLY
    delta: timedelta = dt - epoch
    days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    if days < (0 if date1904 else 1):
        return None
    return days


def time_serial(v: time) -> float:
    return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400


def plain(v: object) -> object:
    """numpy/pandas scalars as plain Python values; missing values (NaN, NaT, NA) as None."""
    if v is None or isinstance(v, (str, bool, int, float, Decimal, date, time)):
        pass
    elif hasattr(v, "item"):
        v = v.item()
    try:
        if v != v:
            return None
    except (TypeError, ValueError):
        return None
    return v
