"""A deadline clock in working hours: only the office hours of Chinese working days count.

Working days are the planning calendar's (chinese_calendar: public holidays
off, make-up working days on). A `Clock` measures the time between two moments
and finds the moment a number of hours after a start, either in working hours
(`working=True`) or in plain calendar hours, so one rule serves both settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from salesxl.passes.planning.calendar import ONE_DAY, is_workday

HOUR = dt.timedelta(hours=1)
MAX_DAYS = 3660  # a deadline further away than ten years is not a deadline


@dataclass(frozen=True)
class Clock:
    """Working hours `start`..`end` of each working day, or every hour when `working` is False."""

    working: bool = True
    start: int = 9
    end: int = 18

    @property
    def hours_per_day(self) -> int:
        """Hours in one day of the clock (what "resolve within N days" multiplies)."""
        return self.end - self.start if self.working else 24

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        if not is_workday(day):
            return None
        midnight = dt.datetime.combine(day, dt.time())
        return midnight + self.start * HOUR, midnight + self.end * HOUR

    def hours_between(self, begin: dt.datetime, finish: dt.datetime) -> float:
        """Clock hours from `begin` to `finish` (0 when `finish` is not later)."""
        if finish <= begin:
            return 0.0
        if not self.working:
            return (finish - begin) / HOUR
        total, day = dt.timedelta(), begin.date()
        while day <= finish.date():
            window = self._window(day)
            if window is not None:
                low, high = max(window[0], begin), min(window[1], finish)
                if high > low:
                    total += high - low
            day += ONE_DAY
        return total / HOUR

    def add_hours(self, begin: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` clock hours after `begin`."""
        if not self.working:
            return begin + hours * HOUR
        if hours <= 0:  # due at once, even outside working hours
            return begin
        left, day = dt.timedelta(hours=hours), begin.date()
        for _ in range(MAX_DAYS):
            window = self._window(day)
            if window is not None:
                low = max(window[0], begin)
                if low < window[1]:
                    if low + left <= window[1]:
                        return low + left
                    left -= window[1] - low
            day += ONE_DAY
        return begin + hours * HOUR  # unreachable for real limits: fall back to the calendar
