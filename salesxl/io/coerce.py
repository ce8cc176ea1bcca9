"""Raw cell values -> canonical column values, one whole column at a time.

Each column is split by the Python type of its cells; the common cases
(numbers in number columns, date cells in date columns, strings in text
columns) are converted with numpy/pandas in one go. Only text that has to be
parsed ("1,234.50", "2024年3月5日", "是") goes through Python, once per distinct
value. A cell that cannot be read becomes NA and a `Bad` entry naming its
position, so the reader can turn it into an Issue with the cell's address.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Protocol

import numpy as np
import pandas as pd

from salesxl.core.issues import IssueKind
from salesxl.io.read_issues import (
    CELL_AMBIGUOUS_DATE,
    CELL_BAD_CHOICE,
    CELL_ERROR_VALUE,
    CELL_NOT_A_BOOL,
    CELL_NOT_A_DATE,
    CELL_NOT_AN_INTEGER,
    CELL_NOT_A_NUMBER,
)
from salesxl.schema.masks import DATE_MASK
from salesxl.schema.types import Choice, ColType, normalise_name

EXCEL_ERRORS = frozenset({
    "#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA",
})
FOLDED_TYPES = frozenset({ColType.ID, ColType.PHONE, ColType.MOBILE, ColType.EMAIL, ColType.USCC})
NUMBER_TYPES = frozenset({ColType.INT, ColType.NUMBER, ColType.MONEY, ColType.PERCENT, ColType.LAT, ColType.LON})
DATETIME_DTYPE = "datetime64[us]"
_STRING = np.dtypes.StringDType()

# Class of a cell: blank, text, number, date-time, date, boolean, anything else
BLANK, STR, NUM, DATETIME, DATE, BOOL, OTHER = range(7)
_TYPE_CODES = {str: STR, float: NUM, int: NUM, dt.datetime: DATETIME, pd.Timestamp: DATETIME, dt.date: DATE, bool: BOOL}
_UNIFORM = {
    "string": STR, "floating": NUM, "integer": NUM, "mixed-integer-float": NUM,
    "datetime": DATETIME, "date": DATE, "boolean": BOOL,
}


class Spec(Protocol):
    """What coercion needs to know about a column or a setting."""

    type: ColType
    choices: tuple[Choice, ...]
    maximum: float | None


@dataclass(frozen=True)
class Bad:
    """A cell that could not be read: its position in the column, what went wrong, the raw value."""

    pos: int
    kind: IssueKind
    raw: Any
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Coerced:
    """One converted column: canonical values, the cells that could not be read, the non-blank cells."""

    values: pd.Series
    bad: list[Bad]
    filled: np.ndarray


def coerce(values: np.ndarray, spec: Spec, *, lang: str = "zh", date1904: bool = False) -> Coerced:
    """Convert one column of raw cells (a 1-D object array) to its canonical pandas values."""
    values = np.asarray(values, dtype=object)
    codes = type_codes(values)
    values, bad = _clean_strings(values, codes)
    col_type = spec.type
    if col_type in NUMBER_TYPES:
        series = _numbers(values, codes, spec, bad)
    elif col_type in (ColType.DATE, ColType.DATETIME):
        series = _dates(values, codes, col_type is ColType.DATE, date1904, bad)
        if getattr(spec, "personal", False):
            series = _keep_masks(series, bad)
    elif col_type is ColType.BOOL:
        series = _bools(values, codes, bad)
    elif col_type is ColType.ENUM:
        series = _choices(values, codes, spec.choices, lang, bad)
    else:
        series = pd.Series(_texts(values, codes, col_type in FOLDED_TYPES), dtype=object)
    bad.sort(key=lambda b: b.pos)
    filled = codes != BLANK
    filled[[b.pos for b in bad]] = True
    return Coerced(series, bad, filled)


def type_codes(values: np.ndarray) -> np.ndarray:
    """The class of every cell (BLANK marks "" only; whitespace is found by `_clean_strings`).
    C-level passes only, when the column holds one type apart from its blank cells."""
    uniform = _UNIFORM.get(pd.api.types.infer_dtype(values, skipna=False)) if len(values) else BLANK
    if uniform is not None:
        return np.full(len(values), uniform, dtype=np.int8)
    blank = values == ""
    filled = values[~blank]
    uniform = _UNIFORM.get(pd.api.types.infer_dtype(filled, skipna=False)) if len(filled) else BLANK
    if uniform is not None:
        return np.where(blank, BLANK, uniform).astype(np.int8)
    codes = np.fromiter((_TYPE_CODES.get(type(v), OTHER) for v in values), dtype=np.int8, count=len(values))
    codes[blank] = BLANK
    return codes


#: `str.strip` of every cell of an object array of strings, at C speed.
strip_each = np.frompyfunc(str.strip, 1, 1)
_FIRST = np.frompyfunc(operator.itemgetter(slice(None, 1)), 1, 1)
#: Cells per step: a block's strings stay in the CPU cache across the passes over them (a column's
#: cells lie a row apart in memory, so whole-column passes would fetch each string from memory again).
_BLOCK = 4096


def _clean_strings(values: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, list[Bad]]:
    """Strip the strings (in a copy of the column); blank text becomes BLANK, and text that is an
    Excel error literal ("#N/A" pasted as a value) becomes BLANK and an error cell. `str.strip` per
    cell, as `text_of` strips, at C speed (no copy into another string type)."""
    all_text = bool((codes == STR).all())
    strings = np.arange(len(values)) if all_text else np.flatnonzero(codes == STR)
    if not len(strings):
        return values, []
    text = values if all_text else values[strings]
    stripped = np.empty(len(text), dtype=object)
    changed = np.empty(len(text), dtype=bool)
    blank = np.empty(len(text), dtype=bool)
    hashes = False
    for start in range(0, len(text), _BLOCK):
        block = slice(start, start + _BLOCK)
        part = stripped[block] = strip_each(text[block])
        changed[block] = part != text[block]
        blank[block] = part == ""
        hashes = hashes or "#" in "".join(part.tolist())
    changed = np.flatnonzero(changed)
    if len(changed):
        values = values.copy()
        values[strings[changed]] = stripped[changed]
    codes[strings[blank]] = BLANK
    bad = []
    if not hashes:  # the common case: no cell can be an error literal
        return values, bad
    for pos in strings[_FIRST(stripped) == "#"]:
        if values[pos].upper() in EXCEL_ERRORS:
            bad.append(Bad(int(pos), CELL_ERROR_VALUE, values[pos]))
            codes[pos] = BLANK
    return values, bad


def _per_unique(values: np.ndarray, convert: Callable[[Any], Any]) -> np.ndarray:
    """`convert` applied once per distinct value (values all of one Python type)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.empty(len(uniques), dtype=object)
    for i, unique in enumerate(uniques):
        mapped[i] = convert(unique)
    return mapped[codes]


def _per_unique_typed(values: np.ndarray, codes: np.ndarray, convert: Callable[[Any], Any]) -> np.ndarray:
    """Like `_per_unique`, but grouping by type first (True and 1.0 hash alike)."""
    out = np.empty(len(values), dtype=object)
    for code in np.unique(codes):
        mask = codes == code
        out[mask] = _per_unique(values[mask], convert)
    return out


# ---- text ---------------------------------------------------------------------------------

def text_of(value: Any) -> str:
    """A cell as the text a person sees: 1001.0 -> "1001", a date -> "2024-03-05"."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


_IS_ASCII = np.frompyfunc(str.isascii, 1, 1)


def _texts(values: np.ndarray, codes: np.ndarray, fold: bool) -> np.ndarray:
    """Text of every cell (None for blanks); NFKC-folded when `fold` (IDs, phones, e-mail, USCC)."""
    out = values.copy()
    others = np.flatnonzero((codes != STR) & (codes != BLANK))
    if len(others):
        out[others] = _per_unique_typed(values[others], codes[others], text_of)
    blank = codes == BLANK
    out[blank] = None
    if fold and not "".join(out[~blank].tolist()).isascii():
        filled = np.flatnonzero(~blank)
        wide = filled[~_IS_ASCII(out[filled]).astype(bool)]
        out[wide] = _per_unique(out[wide], lambda s: unicodedata.normalize("NFKC", s).strip())
    return out


# ---- numbers ------------------------------------------------------------------------------

_CURRENCY = re.compile(r"^(?:RMB|CNY|USD|人民币|[¥$€£])\s*|\s*(?:元|RMB|CNY|USD)$", re.IGNORECASE)
_PLAIN = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?$|^[+-]?\.\d+$")
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_GROUP_SPACE = re.compile(r"(?<=\d)[\s\u00a0\u2009\u202f']+(?=\d{3}\b)")
_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def parse_number(text: str) -> float | None:
    """ "1,234.50", "１２３", "¥1,200", "1 200", "(1,200)", "15%", "1.2万" -> float; None when not a number."""
    s = unicodedata.normalize("NFKC", text).strip()
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s[:1] in ("+", "-") and not s[1:2].isdigit():
        negative, s = negative ^ (s[0] == "-"), s[1:].strip()
    s = _CURRENCY.sub("", s)
    scale = Decimal(1)
    if s.endswith("%"):
        scale, s = Decimal("0.01"), s[:-1].strip()
    elif s[-1:] in _SCALES:
        scale, s = _SCALES[s[-1]], s[:-1].strip()
    s = _GROUP_SPACE.sub("", s)
    if not (_PLAIN.match(s) or _SCIENTIFIC.match(s)):
        return None
    number = float(Decimal(s.replace(",", "")) * scale)
    if not math.isfinite(number):
        return None
    return -number if negative else number


def _numbers(values: np.ndarray, codes: np.ndarray, spec: Spec, bad: list[Bad]) -> pd.Series:
    out = np.full(len(values), np.nan)
    is_num = codes == NUM
    out[is_num] = values[is_num].astype(float)
    had_percent = np.zeros(len(values), dtype=bool)
    strings = np.flatnonzero(codes == STR)
    if len(strings):
        text = values[strings]
        parsed = _per_unique(text, parse_number)
        ok = np.array([p is not None for p in parsed], dtype=bool)
        out[strings[ok]] = parsed[ok].astype(float)
        text = text.astype(_STRING)
        had_percent[strings] = np.strings.endswith(text, "%") | np.strings.endswith(text, "％")
        for pos in strings[~ok]:
            bad.append(Bad(int(pos), CELL_NOT_A_NUMBER, values[pos]))
    for pos in np.flatnonzero((codes == DATETIME) | (codes == DATE) | (codes == BOOL) | (codes == OTHER)):
        bad.append(Bad(int(pos), CELL_NOT_A_NUMBER, values[pos]))
    out[~np.isfinite(out)] = np.nan
    col_type = spec.type
    if col_type is ColType.PERCENT and spec.maximum is not None and spec.maximum <= 1:
        points = (out > 1) & ~had_percent
        out[points] = out[points] / 100
    if col_type is ColType.INT:
        fractional = np.flatnonzero(np.isfinite(out) & ((out != np.round(out)) | (np.abs(out) >= 2**53)))
        for pos in fractional:
            bad.append(Bad(int(pos), CELL_NOT_AN_INTEGER, values[pos]))
        out[fractional] = np.nan
        return pd.Series(out).astype("Int64")
    return pd.Series(out)


# ---- dates --------------------------------------------------------------------------------

_YMD = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?(?:\s*[:：]?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST = re.compile(r"^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}(?:\s+.*)?$")
_SERIAL = re.compile(r"^\d+(?:\.\d+)?$")
_EPOCH_1900 = np.datetime64("1899-12-30", "us")
_EPOCH_1904 = np.datetime64("1904-01-01", "us")
_DAY_US = 86_400_000_000
_LAST_SERIAL = 2_958_466  # 9999-12-31 + 1 in the 1900 system


def parse_date_text(text: str, date1904: bool = False) -> dt.datetime | IssueKind:
    """A date written as text -> datetime, or the kind of problem (not a date / ambiguous)."""
    s = unicodedata.normalize("NFKC", text).strip()
    match = _YMD.match(s) or _COMPACT.match(s)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        try:
            return dt.datetime(*parts)
        except ValueError:
            return CELL_NOT_A_DATE
    if _DAY_FIRST.match(s):
        return CELL_AMBIGUOUS_DATE
    if _SERIAL.match(s):
        return _serial_date(float(s), date1904)
    return CELL_NOT_A_DATE


def _serial_date(number: float, date1904: bool) -> dt.datetime | IssueKind:
    """An Excel serial day number (or a yyyymmdd number) -> datetime."""
    if number.is_integer() and 1e7 <= number <= 99_991_231:
        return parse_date_text(str(int(number)))
    converted, ok = serials_to_datetime(np.array([number]), date1904)
    return pd.Timestamp(converted[0]).to_pydatetime() if ok[0] else CELL_NOT_A_DATE


def serials_to_datetime(serials: np.ndarray, date1904: bool) -> tuple[np.ndarray, np.ndarray]:
    """Excel serial numbers -> datetime64[us] and a mask of the serials that are real dates."""
    ok = np.isfinite(serials) & (serials >= (0 if date1904 else 1)) & (serials < _LAST_SERIAL)
    safe = np.where(ok, serials, 0.0)
    if date1904:
        epoch = np.full(len(safe), _EPOCH_1904)
    else:  # serials before 1900-03-01 count the phantom 1900-02-29
        epoch = np.where(safe < 61, _EPOCH_1900 + np.timedelta64(1, "D"), _EPOCH_1900)
    micros = np.round(safe * _DAY_US).astype(np.int64).astype("timedelta64[us]")
    return epoch + micros, ok


def _dates(values: np.ndarray, codes: np.ndarray, date_only: bool, date1904: bool, bad: list[Bad]) -> pd.Series:
    out = np.full(len(values), np.datetime64("NaT"), dtype=DATETIME_DTYPE)
    stamps = np.flatnonzero((codes == DATETIME) | (codes == DATE))
    if len(stamps):
        out[stamps] = pd.to_datetime(values[stamps]).as_unit("us").to_numpy()
    numbers = np.flatnonzero(codes == NUM)
    if len(numbers):
        serials = values[numbers].astype(float)
        converted, ok = serials_to_datetime(serials, date1904)
        out[numbers[ok]] = converted[ok]
        _parse_each(values, numbers[~ok], _per_unique(serials[~ok], lambda n: _serial_date(n, date1904)), out, bad)
    strings = np.flatnonzero(codes == STR)
    if len(strings):
        _parse_each(values, strings, _per_unique(values[strings], lambda s: parse_date_text(s, date1904)), out, bad)
    for pos in np.flatnonzero((codes == BOOL) | (codes == OTHER)):
        bad.append(Bad(int(pos), CELL_NOT_A_DATE, values[pos]))
    series = pd.Series(out)
    return series.dt.normalize() if date_only else series


def _keep_masks(series: pd.Series, bad: list[Bad]) -> pd.Series:
    """A redacted copy's masked dates (****-07-**) stay the text they are: no error, and no date any
    pass could act on."""
    masked = [b for b in bad if isinstance(b.raw, str) and DATE_MASK.fullmatch(b.raw)]
    if not masked:
        return series
    bad[:] = [b for b in bad if b not in masked]
    series = series.astype(object).where(series.notna(), None)
    for b in masked:
        series.iat[b.pos] = b.raw
    return series


def _parse_each(values: np.ndarray, positions: np.ndarray, parsed: np.ndarray, out: np.ndarray, bad: list[Bad]) -> None:
    """Store parsed datetimes; record the problems the parser returned instead."""
    for pos, result in zip(positions, parsed):
        if isinstance(result, dt.datetime):
            out[pos] = np.datetime64(result, "us")
        else:
            bad.append(Bad(int(pos), result, values[pos]))


# ---- booleans and choices -----------------------------------------------------------------

_TRUE = frozenset(normalise_name(s) for s in ("true", "t", "yes", "y", "是", "是的", "对", "1", "√", "✓", "✔", "☑"))
_FALSE = frozenset(normalise_name(s) for s in ("false", "f", "no", "n", "否", "不是", "错", "0", "×", "✗", "✘", "☐"))


def parse_bool(value: Any) -> bool | None:
    """TRUE/FALSE, 是/否, Y/N, yes/no, 1/0, √/× -> bool; None when it is none of these."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value in (0.0, 1.0):
        return bool(value)
    key = normalise_name(value) if isinstance(value, str) else None
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def _bools(values: np.ndarray, codes: np.ndarray, bad: list[Bad]) -> pd.Series:
    """Booleans as a nullable column, built from plain numpy arrays (NA where blank or unreadable)."""
    data = np.zeros(len(values), dtype=bool)
    known = codes == BOOL
    data[known] = values[known].astype(bool)
    rest = np.flatnonzero(~known & (codes != BLANK))
    if len(rest):
        parsed = _per_unique_typed(values[rest], codes[rest], parse_bool)
        unread = np.equal(parsed, None)
        for pos in rest[unread]:
            bad.append(Bad(int(pos), CELL_NOT_A_BOOL, values[pos]))
        read = rest[~unread]
        data[read] = parsed[~unread].astype(bool)
        known[read] = True
    return pd.Series(pd.arrays.BooleanArray(data, ~known))


def choice_lookup(choices: tuple[Choice, ...]) -> dict[str, str]:
    """Normalised code, zh label and en label -> code."""
    lookup: dict[str, str] = {}
    for choice in choices:
        for name in (choice.code, choice.zh, choice.en):
            lookup.setdefault(normalise_name(name), choice.code)
    return lookup


def _choices(
    values: np.ndarray, codes: np.ndarray, choices: tuple[Choice, ...], lang: str, bad: list[Bad],
) -> pd.Series:
    lookup = choice_lookup(choices)
    text = _texts(values, codes, fold=False)
    filled = np.flatnonzero(codes != BLANK)
    out = np.full(len(values), None, dtype=object)
    if len(filled):
        mapped = _per_unique(text[filled], lambda s: lookup.get(normalise_name(s)))
        out[filled] = mapped
        allowed = ("、" if lang == "zh" else ", ").join(c.label(lang) for c in choices)  # type: ignore[arg-type]
        for pos in filled[pd.isna(mapped)]:
            bad.append(Bad(int(pos), CELL_BAD_CHOICE, values[pos], {"allowed": allowed}))
    return pd.Series(out, dtype=object)
