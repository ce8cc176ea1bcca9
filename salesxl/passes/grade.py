"""The customer grading pass: ABC class, composite grade, key/ordinary/scattered, credit flags, history.

The rule book asks for customers graded by volume and market position, to
steer product, sales and collection work. Every threshold and weight comes
from Settings; the previous run's grades come from the hidden history sheet
(`Book.state["grade_history"]`, raw rows) so upgrades and downgrades can be
reported and the history keeps growing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, blank_mask, to_numbers
from salesxl.passes.grading.abc import Windows, abc_classes, customer_sales, idle_classes
from salesxl.passes.grading.composite import (
    COMPONENTS, GradeParams, growth_scores, grade_letters, payment_scores, potential_scores,
    rfm_buckets, rfm_scores, tiers, volume_scores, weighted_scores,
)
from salesxl.passes.planning.sales import ids
from salesxl.passes.receivables import Receivables
from salesxl.passes.sales import SalesLines
from salesxl.passes.grading.complaints import complaint_deduction
from salesxl.passes.grading.credit import BEHAVIOUR_COLUMNS, credit_flags, open_orders, payment_behaviour, suggested_limits
from salesxl.passes.grading.history import HISTORY_KEY, HISTORY_SHEET, latest, previous_grades, record_run
from salesxl.registry import register_pass
from salesxl.schema.grades import Grade

GRADE_HISTORY_UNREADABLE = define(
    "GRADE_HISTORY_UNREADABLE", "info",
    "隐藏工作表“{history}”中没有可识别的分级历史，本次按首次分级处理，该表将被重写。",
    "The hidden sheet “{history}” holds no readable grade history; this run grades as if for the first time and rewrites it.",
    title_zh="分级历史不可读", title_en="Grade history unreadable")



@dataclass
class GradeResult:
    """One row per customer (customer ID unique), the whole grade history and the previous run's date."""

    as_of: dt.date
    customers: pd.DataFrame
    history: pd.DataFrame
    previous_run: dt.date | None
    rfm_buckets: int  # 5 (quintiles) or 4 (quartiles, for a small customer base)

    @property
    def changes(self) -> pd.DataFrame:
        """Customers whose grade went up or down since the previous run."""
        return self.customers[self.customers["change"].isin(["up", "down"])]


@register_pass("grade")
def grade(book: Book, sold: SalesLines, owed: Receivables) -> tuple[GradeResult, list[Issue]]:
    """Grade every customer card once; see the modules of salesxl.passes.grading for each rule."""
    windows = Windows.ending(as_of_date(book))
    params, shares = grade_settings(book)
    cards = customer_cards(book)
    lines = sold.lines[sold.lines["customer_id"] != ""]
    sales = customer_sales(lines, cards.index, windows)
    behaviour = payment_behaviour(owed.invoices, cards.index, windows)

    frame = cards[["customer_id", "name", "salesperson_id", "salesperson_name", "region"]].copy()
    frame[["net_sales", "prev_sales", "orders"]] = sales[["net_sales", "prev_sales", "orders"]]
    new_days = book.settings.grades.grade_new_days
    idle = idle_classes(cards, sales["last_sale"].notna(), windows.as_of.date(), new_days)
    frame["abc"] = abc_classes(sales["net_sales"], *shares).fillna(idle)

    buckets = rfm_buckets(int((sales["orders"] > 0).sum()), params.rfm_min_buyers)
    frame["volume"] = volume_scores(sales["net_sales"])
    frame["growth"] = growth_scores(sales["net_sales"], sales["prev_sales"], params.growth_cap)
    frame["payment"] = payment_scores(behaviour["avg_days_late"], behaviour["late_share"], params.late_days_cap)
    frame["rfm"] = rfm_scores(sales["last_sale"], sales["orders"], windows.as_of, buckets)
    frame["potential"] = potential_scores(cards)
    frame["complaints"] = complaint_deduction(book.frame("complaints"), cards.index, windows.as_of)
    deduction = book.settings.grades.grade_weight_complaints * frame["complaints"]
    frame["score"] = (weighted_scores(frame[list(COMPONENTS)], params.weights) - deduction).clip(lower=0.0)
    frame["grade"] = grade_letters(frame["score"], params.cut_offs)
    frame["tier"] = tiers(frame["abc"], frame["grade"])

    frame[list(BEHAVIOUR_COLUMNS)] = behaviour[list(BEHAVIOUR_COLUMNS)]
    shipped = owed.customers.set_index("customer_id")["uninvoiced"]  # shipped, not invoiced yet
    frame["open_orders"] = (open_orders(lines, windows.as_of).reindex(cards.index).fillna(0.0)
                            + shipped.reindex(cards.index).fillna(0.0)).round(2)
    frame["exposure"] = (frame["open_receivable"] + frame["open_orders"]).round(2)
    frame["credit_limit"] = to_numbers(cards["credit_limit"])
    frame["payment_days"] = to_numbers(cards["payment_days"])
    flags = credit_flags(cards, frame["exposure"], frame["max_days_overdue"], book.settings.grades.credit_overdue_days)
    frame[list(flags.columns)] = flags
    frame["suggested_limit"] = suggested_limits(frame["net_sales"], frame["payment_days"], frame["payment"],
                                                book.settings.grades.credit_limit_rounding)

    history, previous_run, history_issues = _previous(book)
    before = latest(history)["grade"].reindex(frame.index)
    frame["previous_grade"] = before
    frame["change"] = [_change(old, new, not history.empty) for old, new in zip(before, frame["grade"])]
    frame = frame.sort_values(["score", "customer_id"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    history = record_run(history, frame, windows.as_of.date())
    result = GradeResult(windows.as_of.date(), frame, history, previous_run, buckets)
    return result, history_issues


def customer_cards(book: Book) -> pd.DataFrame:
    """Cards with a customer ID, the first card of a repeated ID only, indexed by the ID."""
    cards = book.frame("customers")
    cards = cards[~blank_mask(cards["customer_id"])].copy()
    cards["customer_id"] = ids(cards["customer_id"])
    cards = cards.drop_duplicates("customer_id", keep="first").set_index("customer_id", drop=False)
    cards.index.name = None
    people = book.frame("salespeople")
    names = dict(zip(people["salesperson_id"].astype(object), people["name"].astype(object)))
    cards["salesperson_name"] = [names.get(sid) or sid for sid in cards["salesperson_id"].astype(object)]
    return cards


def grade_settings(book: Book) -> tuple[GradeParams, tuple[float, float]]:
    """Weights, cut-offs and ABC shares from Settings (the model has checked that they fit together)."""
    settings = book.settings.grades
    params = GradeParams(settings.weights, settings.cut_offs, settings.grade_growth_cap,
                         float(settings.grade_late_days_cap), settings.grade_rfm_min_buyers)
    return params, (settings.grade_abc_a_share, settings.grade_abc_b_share)


def _previous(book: Book) -> tuple[pd.DataFrame, dt.date | None, list[Issue]]:
    rows = book.state.get(HISTORY_KEY) or []
    history = previous_grades(rows)
    issues = []
    if history.empty and any(cell not in (None, "") for row in rows for cell in row):
        name = HISTORY_SHEET[book.lang]
        issues.append(GRADE_HISTORY_UNREADABLE(book.lang, table=HISTORY_KEY, sheet=name, history=name))
    previous_run = history["run_date"].max().date() if not history.empty else None
    return history, previous_run, issues


def _change(old: Any, new: str, has_history: bool) -> str | None:
    """up / down / same against the previous run; "new" for a customer graded for the first time."""
    if not has_history:
        return None
    if not isinstance(old, str):
        return "new"
    if old == new:
        return "same"
    return "up" if Grade(new).rank < Grade(old).rank else "down"
