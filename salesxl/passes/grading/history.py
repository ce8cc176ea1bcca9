"""Grade history: what earlier runs graded, kept in the hidden tool-owned sheet GradeHistory.

The sheet holds one row per customer per run in which that customer's grade
changed, so rewriting it loses nothing: the latest row of a customer is the
grade the previous run gave. A run is dated by its as-of date, which keeps
the result a pure function of the workbook.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import pandas as pd

from salesxl.passes.grading.abc import ABC_LABELS
from salesxl.passes.grading.composite import TIER_LABELS
from salesxl.schema.grades import GRADES
from salesxl.schema.types import normalise_name
from salesxl.passes.state import cell_date, cell_number, cell_text, state_records
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY

#: Key under which adapters put the raw rows of the history sheet in `Book.state`.
HISTORY_KEY = "grade_history"
HISTORY_SHEET = {"zh": STATE_SHEETS_BY_KEY[HISTORY_KEY].zh, "en": STATE_SHEETS_BY_KEY[HISTORY_KEY].en}
#: (key, zh header, en header) of the history sheet's columns, in order.
HISTORY_COLUMNS = (
    ("run_date", "运行日期", "Run date"),
    ("customer_id", "客户编号", "Customer ID"),
    ("name", "客户名称", "Customer name"),
    ("grade", "综合等级", "Grade"),
    ("previous_grade", "原等级", "Previous grade"),
    ("score", "综合得分", "Score"),
    ("abc", "ABC分类", "ABC class"),
    ("tier", "客户类别", "Tier"),
)
KEYS = [key for key, _, _ in HISTORY_COLUMNS]


def previous_grades(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Parse the raw cell rows of the history sheet (either language); unreadable rows are skipped."""
    records = []
    for record in state_records(rows, HISTORY_COLUMNS, {"customer_id", "grade", "run_date"}):
        customer = cell_text(record.get("customer_id"))
        grade = cell_text(record.get("grade"))
        run_date = cell_date(record.get("run_date"))
        if customer is None or grade not in GRADES or run_date is None:
            continue
        previous = cell_text(record.get("previous_grade"))
        records.append({
            "run_date": run_date, "customer_id": customer, "name": cell_text(record.get("name")),
            "grade": grade, "previous_grade": previous if previous in GRADES else None,
            "score": cell_number(record.get("score")),
            "abc": _code(record.get("abc"), ABC_LABELS), "tier": _code(record.get("tier"), TIER_LABELS),
        })
    return history_frame(records)


def history_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=KEYS)
    frame["run_date"] = pd.to_datetime(frame["run_date"])
    frame["score"] = frame["score"].astype(float)
    return frame


def latest(history: pd.DataFrame) -> pd.DataFrame:
    """Each customer's grade as of the last run that recorded it, indexed by customer ID."""
    ordered = history.sort_values("run_date", kind="mergesort")
    return ordered.groupby("customer_id", sort=True).tail(1).set_index("customer_id")[["grade", "run_date"]]


def record_run(history: pd.DataFrame, current: pd.DataFrame, run_date: dt.date) -> pd.DataFrame:
    """The history plus one row for every customer of `current` whose grade is new or changed."""
    before = latest(history)["grade"].reindex(current["customer_id"]).to_numpy()
    changed = before != current["grade"].to_numpy()
    added = current[changed].assign(run_date=pd.Timestamp(run_date), previous_grade=before[changed])
    added = added.sort_values("customer_id", kind="mergesort")[KEYS]
    if history.empty:
        return history_frame(added.to_dict("records"))
    return history_frame(history[KEYS].to_dict("records") + added.to_dict("records"))






def _code(value: Any, labels: dict[str, tuple[str, str]]) -> str | None:
    """An ABC class or tier code from its code or its label in either language."""
    text = cell_text(value)
    if text is None:
        return None
    folded = normalise_name(text)
    return next((code for code, names in labels.items()
                 if folded in {normalise_name(code), *(normalise_name(n) for n in names)}), None)
