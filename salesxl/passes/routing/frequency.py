"""How often each customer is visited: grade → weeks between visits → the plan's visit weeks.

Frequencies are counted in working weeks (five working days), so a horizon
that holds a holiday asks for as many visits as it has working time for.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from salesxl.schema.grades import GRADES, Grade
from salesxl.schema.settings import RouteSettings


def interval_weeks(grades: pd.Series, settings: RouteSettings) -> pd.Series:
    """Weeks between visits per customer (0: visited on demand, not planned); a missing grade counts as D."""
    weeks = {g: settings.visit_every_weeks[g] for g in GRADES}
    return grades.map(lambda g: weeks[Grade.parse(g) or Grade.D])


def grade_rank(grades: pd.Series) -> pd.Series:
    """Visit priority per customer: 0 for A, 1 for B, ...; a missing or unknown grade ranks with D."""
    return grades.map(lambda g: (Grade.parse(g) or Grade.D).rank)


DEVELOPMENT_RANK = {"intent": len(GRADES), "prospect": len(GRADES) + 1}  # after every grade, intent first


def development_visits(status: pd.Series, created: pd.Series, interval: pd.Series, rank: pd.Series,
                       settings: RouteSettings, n_weeks: int) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Interval, purpose ("grade", "intent", "prospect") and priority with development visits added.

    Intent customers whose grade plans no visit and all prospects (who buy nothing yet, so their grade says
    nothing) are visited to develop them (开拓市场): intent customers every `visit_every_weeks_intent` weeks,
    prospects at least `prospect_visits_per_plan` times per plan, newest card first; both rank below every
    graded visit, so they only take room the graded customers leave.
    """
    intent_weeks = settings.visit_every_weeks_intent
    prospect_visits = settings.prospect_visits_per_plan
    status = status.astype(object).map(lambda v: str(v).strip().lower() if isinstance(v, str) else "")
    interval, rank = interval.copy(), rank.astype(float).copy()
    purpose = pd.Series("grade", index=status.index, dtype=object)
    open_slot = interval <= 0
    intent = open_slot & (status == "intent") & (intent_weeks > 0)
    prospect = (status == "prospect") & (prospect_visits > 0) & (n_weeks > 0)
    interval[status == "prospect"] = 0
    interval[intent] = intent_weeks
    rank[intent] = DEVELOPMENT_RANK["intent"]
    purpose[intent] = "intent"
    if prospect.any():
        interval[prospect] = max(1, n_weeks // prospect_visits)
        age = pd.to_datetime(created[prospect], errors="coerce")
        order = pd.DataFrame({"age": age}).assign(pos=range(int(prospect.sum())))
        newest = order.sort_values(["age", "pos"], ascending=[False, True], na_position="last", kind="stable")
        share = pd.Series(range(len(newest)), index=newest.index) / len(newest)
        rank[prospect] = DEVELOPMENT_RANK["prospect"] + share
        purpose[prospect] = "prospect"
    return interval, purpose, rank


def visit_weeks(interval: int, n_weeks: int) -> list[list[int]]:
    """For a customer seen every `interval` weeks: one group of candidate weeks per required visit."""
    if interval <= 0 or n_weeks <= 0:
        return []
    count = max(1, n_weeks // interval)
    return [list(map(int, group)) for group in np.array_split(np.arange(n_weeks), count)]


@functools.cache  # asked once per planned stop, of a handful of distinct arguments
def visit_number(interval: int, n_weeks: int, week: int) -> int:
    """Which of the customer's required visits (1-based) falls in `week`."""
    return next(j for j, group in enumerate(visit_weeks(interval, n_weeks), start=1) if week in group)
