"""Settings typed into one cell as short text ("0,30,60", "0.6:0.01,0.8:0.02", "A:1.2", "9:00"): parse and write back.

Each parser turns the cell into its typed value or raises `invalid(...)` with the
reason in both languages; the reader turns that into an issue at the cell. Each
writer is the parser's inverse, so a value written to the sheet reads back equal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from pydantic_core import PydanticCustomError

from salesxl.schema.grades import Grade

#: Separators a Chinese keyboard types for "," and ":".
_COMMAS = str.maketrans({"，": ",", "；": ",", ";": ",", "：": ":"})


def invalid(zh: str, en: str) -> PydanticCustomError:
    """A validation error whose reason the reader can show in the workbook's language."""
    return PydanticCustomError("setting_invalid", "{en}", {"zh": zh, "en": en})


def _text(value: Any) -> str:
    return "" if value is None else str(value).translate(_COMMAS).strip()


def _parts(value: Any) -> list[str]:
    return [p.strip() for p in _text(value).split(",") if p.strip()]


def number_text(value: float | Decimal | Fraction | int) -> str:
    """A number as the shortest text that reads back equal ("0.6", "3", "135.1")."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _numbers(value: Any, zh: str, en: str) -> list[float]:
    try:
        return [float(p) for p in _parts(value)]
    except ValueError:
        raise invalid(zh, en) from None


def pairs(value: Any, zh: str, en: str) -> list[tuple[str, str]]:
    """"a:1,b:2" -> [("a", "1"), ("b", "2")]; full-width punctuation accepted."""
    found = []
    for part in _parts(value):
        key, colon, number = part.rpartition(":")
        if not colon or not key.strip() or not number.strip():
            raise invalid(zh, en)
        found.append((key.strip(), number.strip()))
    return found


def parse_bounds(value: Any) -> tuple[float, float, float, float]:
    """(lat min, lat max, lon min, lon max) from "18.0,53.6,73.5,135.1"."""
    if isinstance(value, tuple):
        return value
    zh, en = "须为4个逗号分隔的数：纬度下限,上限,经度下限,上限，且下限小于上限", \
        "must be 4 comma-separated numbers, lat min,max, lon min,max, each min below its max"
    numbers = _numbers(value, zh, en)
    if len(numbers) != 4 or not (numbers[0] < numbers[1] and numbers[2] < numbers[3]):
        raise invalid(zh, en)
    return tuple(numbers)  # type: ignore[return-value]


def parse_edges(value: Any) -> tuple[int, ...]:
    """Ascending non-negative whole day limits from "0,30,60"."""
    if isinstance(value, tuple):
        return value
    zh, en = "须为由小到大、逗号分隔的非负整数天数", "must be comma-separated whole days, not negative, ascending"
    numbers = _numbers(value, zh, en)
    if not numbers or any(n < 0 or not n.is_integer() for n in numbers):
        raise invalid(zh, en)
    edges = tuple(int(n) for n in numbers)
    if not all(a < b for a, b in zip(edges, edges[1:])):
        raise invalid(zh, en)
    return edges


def parse_index(value: Any) -> tuple[float, ...] | None:
    """Twelve comma-separated non-negative numbers (not all zero); blank -> None."""
    if value is None or isinstance(value, tuple):
        return value
    if not _text(value):
        return None
    zh, en = "须为12个逗号分隔的非负数（不能全为0）", "must be 12 comma-separated non-negative numbers, not all 0"
    numbers = _numbers(value, zh, en)
    if len(numbers) != 12 or any(n < 0 or n != n for n in numbers) or sum(numbers) <= 0:
        raise invalid(zh, en)
    return tuple(numbers)


def parse_tiers(value: Any) -> tuple[tuple[Fraction, Decimal], ...]:
    """Achievement threshold -> rate, thresholds ascending as written, all numbers non-negative."""
    if isinstance(value, tuple):
        return value
    zh, en = "须为“达成率:提成比例”对，逗号分隔，达成率由小到大，均为非负数", \
        "must be “achievement:rate” pairs, comma-separated, achievements ascending, no negative numbers"
    found = pairs(value, zh, en)
    try:
        tiers = tuple((Fraction(key), Decimal(rate)) for key, rate in found)
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise invalid(zh, en) from None
    if not tiers or any(t < 0 or not r.is_finite() or r < 0 for t, r in tiers):
        raise invalid(zh, en)
    if not all(a < b for (a, _), (b, _) in zip(tiers, tiers[1:])):
        raise invalid(zh, en)
    return tiers


def _multipliers(value: Any, zh: str, en: str) -> dict[str, Decimal]:
    try:
        table = {key: Decimal(number) for key, number in pairs(value, zh, en)}
    except InvalidOperation:
        raise invalid(zh, en) from None
    if not all(v.is_finite() and v >= 0 for v in table.values()):
        raise invalid(zh, en)
    return table


def parse_line_multipliers(value: Any) -> dict[str, Decimal]:
    """"粮油调味:1.2,日化清洁:0.8" -> {line: multiplier}; blank -> {}."""
    if isinstance(value, dict):
        return value
    return _multipliers(value, "须为“产品线:系数”对，逗号分隔，系数为非负数",
                        "must be “product line:multiplier” pairs, comma-separated, multipliers not negative")


def parse_grade_multipliers(value: Any) -> dict[Grade, Decimal]:
    """"A:1.2,B:0.8" -> {Grade.A: 1.2, Grade.B: 0.8}; blank -> {}."""
    if isinstance(value, dict):
        return value
    zh, en = "须为“等级:系数”对（等级为 A、B、C、D），逗号分隔，系数为非负数", \
        "must be “grade:multiplier” pairs (grades A, B, C, D), comma-separated, multipliers not negative"
    table = _multipliers(value, zh, en)
    grades = {Grade.parse(key): number for key, number in table.items()}
    if None in grades:
        raise invalid(zh, en)
    return grades  # type: ignore[return-value]


def parse_clock(value: Any) -> dt.time:
    """A time of day from "9:00", an Excel time (a time or a fraction of a day) or a datetime."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    zh, en = "须为 时:分 格式的时间，如 09:00", "must be a time of day as hours:minutes, such as 09:00"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 <= value < 1:
            raise invalid(zh, en)
        minutes = int(round(value * 24 * 60)) % (24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    hours, colon, minutes = _text(value).partition(":")
    try:
        return dt.time(int(hours), int(minutes[:2]))
    except ValueError:
        raise invalid(zh, en) from None


def pairs_text(table: dict[Any, Any]) -> str:
    """{key: number} back to "key:number,…"."""
    return ",".join(f"{key}:{number_text(number)}" for key, number in table.items())


def numbers_text(numbers: tuple | None) -> str:
    return "" if numbers is None else ",".join(number_text(n) for n in numbers)


def tiers_text(tiers: tuple[tuple[Fraction, Decimal], ...]) -> str:
    return ",".join(f"{number_text(t)}:{number_text(r)}" for t, r in tiers)


def clock_text(value: dt.time) -> str:
    return value.strftime("%H:%M")


SEVERITIES = ("high", "medium", "low")  # complaint severities, most urgent first


def parse_day_hours(value: Any) -> tuple[int, int]:
    """"9-18" -> (9, 18): two whole hours 0..24, the start before the end."""
    if isinstance(value, tuple):
        return value
    cleaned = _text(value).replace("～", "-").replace("~", "-").replace("–", "-")
    start, dash, end = cleaned.partition("-")
    zh, en = "须为 上班-下班 的整点，如 9-18", "must be the whole hours a working day starts and ends, such as 9-18"
    try:
        hours = (int(start.split(":")[0]), int(end.split(":")[0]))
    except ValueError:
        raise invalid(zh, en) from None
    if not dash or not 0 <= hours[0] < hours[1] <= 24:
        raise invalid(zh, en)
    return hours


def day_hours_text(hours: tuple[int, int]) -> str:
    return f"{hours[0]}-{hours[1]}"


def parse_resolve_days(value: Any) -> dict[str, int]:
    """"high:2,medium:5" -> {"high": 2, "medium": 5, "low": 5}: a severity not listed gets the longest limit."""
    if isinstance(value, dict):
        return value
    zh, en = ("须为 严重程度:天数，如 high:2,medium:5,low:10", "must be severity:days pairs, such as high:2,medium:5,low:10")
    found = pairs(value, zh, en)
    if not found or any(k not in SEVERITIES for k, _ in found):
        raise invalid(zh, en)
    try:
        days = {k: int(v) for k, v in found}
    except ValueError:
        raise invalid(zh, en) from None
    if any(d < 1 for d in days.values()):
        raise invalid(zh, en)
    longest = max(days.values())
    return {s: days.get(s, longest) for s in SEVERITIES}
