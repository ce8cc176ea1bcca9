"""The demo office's calendar: working days and how much business each day brings.

Demand follows the Chinese trading year: the Spring Festival dip, stocking
before Spring Festival and National Day, the run-up to 618 and Double 11, busy
Mondays and quiet Sundays. Official holidays and make-up working days come
from chinesecalendar; years it does not cover fall back to Monday–Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar
import numpy as np

#: Relative order intake per calendar month (January first).
MONTH_INDEX = np.array([1.0, 0.6, 0.9, 0.95, 1.05, 1.05, 0.85, 0.9, 1.05, 0.95, 1.25, 1.1])
#: Relative order intake per weekday (Monday first).
WEEKDAY_INDEX = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.35, 0.15])
HOLIDAY_INDEX = 0.05
STOCKING = {"Spring Festival": 1.4, "National Day": 1.3}  # the ten days before these holidays
STOCKING_DAYS = 10
CAMPAIGNS = (((5, 20), (6, 18), 1.2), ((10, 20), (11, 11), 1.3))  # 618 and Double 11
GROWTH = 0.06  # per year


@dataclass(frozen=True)
class Days:
    """Every calendar day from start to end with its working-day flag and demand weight."""

    dates: np.ndarray  # datetime64[D]
    working: np.ndarray  # bool
    demand: np.ndarray  # float, relative order intake

    @property
    def start(self) -> np.datetime64:
        return self.dates[0]

    @property
    def end(self) -> np.datetime64:
        return self.dates[-1]

    def index(self, dates: np.ndarray) -> np.ndarray:
        """Day numbers (0 = start) of datetime64 dates."""
        return (dates.astype("datetime64[D]") - self.start).astype(int)

    def workday_on_or_after(self, day: np.ndarray) -> np.ndarray:
        """The first working day at or after each day number (clipped to the last day)."""
        work = np.flatnonzero(self.working)
        pos = np.searchsorted(work, np.clip(day, 0, len(self.dates) - 1))
        return work[np.minimum(pos, len(work) - 1)]


def office_days(start: dt.date, end: dt.date) -> Days:
    dates = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
    py = dates.astype(object)
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    holiday = np.array([d in chinese_calendar.holidays for d in py])
    makeup = np.array([d in chinese_calendar.workdays for d in py])
    working = makeup | ((weekday < 5) & ~holiday)

    month = dates.astype("datetime64[M]").astype(int) % 12
    demand = MONTH_INDEX[month] * np.where(holiday, HOLIDAY_INDEX, np.where(makeup, 0.9, WEEKDAY_INDEX[weekday]))
    for name, factor in STOCKING.items():
        first_days = [i for i, d in enumerate(py) if chinese_calendar.holidays.get(d) == name
                      and chinese_calendar.holidays.get(d - dt.timedelta(days=1)) != name]
        for i in first_days:
            demand[max(0, i - STOCKING_DAYS):i] *= factor
    day_of_year = np.array([(d.month, d.day) for d in py])
    key = day_of_year[:, 0] * 100 + day_of_year[:, 1]
    for (m0, d0), (m1, d1), factor in CAMPAIGNS:
        demand[(key >= m0 * 100 + d0) & (key <= m1 * 100 + d1)] *= factor
    years = np.arange(len(dates)) / 365.25
    demand *= (1 + GROWTH) ** years
    return Days(dates, working, demand)
