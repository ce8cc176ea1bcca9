"""The planning horizon's working days, from China's official holiday calendar.

Public holidays carry no visits and make-up working days (调休) do. Years the
calendar does not know fall back to Monday to Friday, and the caller says so.
"""

from __future__ import annotations

import datetime as dt

from salesxl.passes.planning.calendar import calendar_known, is_workday

#: A "working week" of the plan is this many working days, so holiday weeks do not crowd their few days.
WORKDAYS_PER_WEEK = 5


def working_days(start: dt.date, weeks: int) -> tuple[list[dt.date], list[int]]:
    """Working days of the `weeks` calendar weeks from `start`, and the years the calendar did not cover."""
    span = [start + dt.timedelta(days=offset) for offset in range(7 * weeks)]
    unknown = sorted({day.year for day in span if not calendar_known(day.year)})
    return [day for day in span if is_workday(day)], unknown


def first_working_day_after(day: dt.date) -> dt.date:
    """The first working day strictly after `day` (Monday to Friday beyond the calendar's years)."""
    candidate = day + dt.timedelta(days=1)
    while not is_workday(candidate):
        candidate += dt.timedelta(days=1)
    return candidate


def split_weeks(n_days: int) -> list[list[int]]:
    """Consecutive groups of day indices, one per working week (near-equal sizes)."""
    n_weeks = max(1, round(n_days / WORKDAYS_PER_WEEK)) if n_days else 0
    bounds = [round(i * n_days / n_weeks) for i in range(n_weeks + 1)] if n_weeks else [0]
    return [list(range(bounds[i], bounds[i + 1])) for i in range(n_weeks)]
