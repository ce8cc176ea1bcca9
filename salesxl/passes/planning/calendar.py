"""Working days in mainland China and the ISO-week parts of a month.

Working days come from the `chinese_calendar` module (package chinesecalendar):
public holidays are off and make-up working days (调休, often a Saturday or
Sunday) are on. For a year the module does not know, Monday to Friday are
taken as working days and `calendar_known` says so, so the caller can warn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=None)
def calendar_known(year: int) -> bool:
    """Whether chinese_calendar has the holidays and make-up days of `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=None)
def _workdays(year: int) -> frozenset[dt.date]:
    day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    known = calendar_known(year)
    found = set()
    while day <= end:
        if chinese_calendar.is_workday(day) if known else day.weekday() < 5:
            found.add(day)
        day += ONE_DAY
    return frozenset(found)


def is_workday(day: dt.date) -> bool:
    return day in _workdays(day.year)


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end`, both included (0 when end < start)."""
    count, day = 0, start
    while day <= end:
        count += is_workday(day)
        day += ONE_DAY
    return count


@dataclass(frozen=True)
class WeekPart:
    """The days of one ISO week (Monday start) that fall in one month.

    A week that crosses a month end is split into two parts, one per month;
    each part belongs to the month its days are in.
    """

    iso_year: int
    iso_week: int
    month: int
    start: dt.date
    end: dt.date
    working_days: int


def month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - ONE_DAY


def week_parts(year: int, month: int) -> list[WeekPart]:
    """The ISO-week parts of a month, in date order."""
    parts: list[WeekPart] = []
    start, last = dt.date(year, month, 1), month_end(year, month)
    while start <= last:
        end = min(start + dt.timedelta(days=6 - start.weekday()), last)
        iso_year, iso_week, _ = start.isocalendar()
        parts.append(WeekPart(iso_year, iso_week, month, start, end, working_days(start, end)))
        start = end + ONE_DAY
    return parts


def month_working_days(year: int) -> list[int]:
    """Working days of each month of `year` (12 numbers)."""
    return [working_days(dt.date(year, m, 1), month_end(year, m)) for m in range(1, 13)]


def iso_week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the ISO week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)
