"""Sales expenses against the expense budget, by category, month and salesperson.

The rule book asks for every expense to be recorded by category against the
expense plan, with monthly reports. Budget lines are per (year, month,
category, salesperson); a line whose salesperson is blank is office-wide.
Each expense is charged to exactly one line: the salesperson's own line for
its month and category when there is one, else the office-wide line. So the
office's budget for a month and category is the sum of every line, its
spending the sum of every expense, and an office-wide line absorbs the
spending of everyone without a line of their own (e.g. advertising). Lines
repeated with the same key add up. An expense that finds no line is reported
at its category cell and still counted as unbudgeted spending.

The report covers the as-of date's year: expenses dated after the as-of date
are left out; year to date means months 1 to the as-of month, with that
month's whole budget.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_dates, to_numbers
from salesxl.passes.planning.sales import ids
from salesxl.registry import register_pass
from salesxl.schema import TABLES_BY_KEY

EXPENSE_UNBUDGETED = define(
    "EXPENSE_UNBUDGETED", "warning",
    "费用 {expense}（{month}，{category}，销售员 {salesperson}）没有对应的预算行：费用预算表中既无该销售员、也无全公司（销售员为空）的此月此类别预算。",
    "Expense {expense} ({month}, {category}, salesperson {salesperson}) has no budget line: the Budget sheet has no line "
    "for this month and category, neither the salesperson's own nor an office-wide one (blank salesperson).",
    title_zh="费用无预算", title_en="Expense without budget")
EXPENSE_NO_BUDGET = define(
    "EXPENSE_NO_BUDGET", "warning",
    "费用预算表中没有 {year} 年的预算，{count} 笔费用无法与预算对比。",
    "The Budget sheet has no lines for {year}; {count} expenses cannot be compared with a budget.",
    title_zh="缺少年度预算", title_en="No budget for the year")

OFFICE = ""  # salesperson_id of an office-wide budget line
LINE_COLUMNS = ["month", "category", "salesperson_id", "budget", "actual", "used", "over", "budgeted"]


@dataclass
class ExpenseResult:
    """Budget against spending for one year; `lines` has one row per (month, category, salesperson or office)."""

    year: int
    as_of: dt.date
    lines: pd.DataFrame  # LINE_COLUMNS; salesperson_id "" = office-wide; budgeted False = spending without a line
    expenses: pd.DataFrame  # the year's expenses up to the as-of date, with the line each is charged to
    names: dict[str, str]  # salesperson ID -> name

    def by_month(self) -> pd.DataFrame:
        """Months 1-12: budget, actual, used."""
        months = self.lines.groupby("month")[["budget", "actual"]].sum().reindex(range(1, 13), fill_value=0.0)
        return _with_use(months.rename_axis("month").reset_index())

    def by_category(self) -> pd.DataFrame:
        """Per category: the year's budget, budget and actual to date, used, remaining budget of the year."""
        lines = self.lines
        ytd = lines[lines["month"] <= self.as_of.month]
        frame = pd.DataFrame({
            "year_budget": lines.groupby("category")["budget"].sum(),
            "budget": ytd.groupby("category")["budget"].sum(),
            "actual": lines.groupby("category")["actual"].sum(),
        }).fillna(0.0).rename_axis("category").reset_index()
        frame["remaining"] = frame["year_budget"] - frame["actual"]
        declared = [c.code for c in TABLES_BY_KEY["expenses"].column("category").choices]
        frame = frame.sort_values("category", key=lambda s: s.map(lambda c: declared.index(c) if c in declared else len(declared)),
                                  kind="mergesort")
        return _with_use(frame.reset_index(drop=True))

    def by_salesperson(self) -> pd.DataFrame:
        """Year to date per budget holder (salesperson, then "" for office-wide): own lines, and spending elsewhere.

        `actual` is what was charged to the holder's own lines; a salesperson's
        `office_charged` went to office-wide lines, `unbudgeted` found no line.
        """
        ytd = self.lines[self.lines["month"] <= self.as_of.month]
        budgeted = ytd[ytd["budgeted"]]  # a line budgeted at 0 that was spent is over budget, not unbudgeted
        frame = pd.DataFrame({
            "budget": budgeted.groupby("salesperson_id")["budget"].sum(),
            "actual": budgeted.groupby("salesperson_id")["actual"].sum(),
        })
        spent = self.expenses
        office = spent[spent["charged_to"] == OFFICE].groupby("salesperson_id")["amount"].sum()
        loose = spent[spent["charged_to"].isna()].groupby("salesperson_id")["amount"].sum()
        frame = frame.join(office.rename("office_charged"), how="outer").join(loose.rename("unbudgeted"), how="outer")
        frame = frame.fillna(0.0).rename_axis("salesperson_id").reset_index()
        frame["_office"] = frame["salesperson_id"] == OFFICE
        frame = frame.sort_values(["_office", "salesperson_id"], kind="mergesort").drop(columns="_office")
        return _with_use(frame.reset_index(drop=True))


def _with_use(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["used"] = np.where(frame["budget"] > 0, frame["actual"] / frame["budget"].where(frame["budget"] > 0), np.nan)
    frame["over"] = frame["actual"] > frame["budget"] + 0.005
    return frame


@register_pass("expenses")
def expenses(book: Book) -> tuple[ExpenseResult, list[Issue]]:
    as_of = as_of_date(book)
    year = as_of.year
    budget = _budget(book, year)
    spent = _expenses(book, year, as_of)
    own = set(zip(budget["month"], budget["category"], budget["salesperson_id"]))
    keys = list(zip(spent["month"], spent["category"], spent["salesperson_id"]))
    spent["charged_to"] = [sp if (m, c, sp) in own else OFFICE if (m, c, OFFICE) in own else None
                           for m, c, sp in keys]
    lines = _lines(budget, spent)
    issues = _unbudgeted(book, spent, budget.empty, year)
    return ExpenseResult(year, as_of, lines, spent, salesperson_names(book)), issues


def salesperson_names(book: Book) -> dict[str, str]:
    """Salesperson ID -> name from the Salespeople sheet (IDs without a name are left out)."""
    people = book.frame("salespeople")
    return {sp: str(n).strip() for sp, n in zip(ids(people["salesperson_id"]), people["name"].astype(object))
            if sp and isinstance(n, str) and n.strip()}


def _budget(book: Book, year: int) -> pd.DataFrame:
    frame = book.frame("budget")
    budget = pd.DataFrame({
        "year": to_numbers(frame["year"]), "month": to_numbers(frame["month"]),
        "category": ids(frame["category"]), "salesperson_id": ids(frame["salesperson_id"]),
        "budget": to_numbers(frame["amount"]),
    })
    keep = (budget["year"] == year) & budget["month"].between(1, 12) & (budget["category"] != "") & budget["budget"].notna()
    budget = budget[keep].astype({"month": int})
    return budget.groupby(["month", "category", "salesperson_id"], as_index=False)["budget"].sum()


def _expenses(book: Book, year: int, as_of: dt.date) -> pd.DataFrame:
    frame = book.frame("expenses")
    dates = to_dates(frame["date"])
    spent = pd.DataFrame({
        "expense_id": ids(frame["expense_id"]), "date": dates, "month": dates.dt.month,
        "category": ids(frame["category"]), "salesperson_id": ids(frame["salesperson_id"]),
        "amount": to_numbers(frame["amount"]), "row": frame["_row"],
    })
    keep = (dates.dt.year == year) & (dates <= pd.Timestamp(as_of)) & (spent["category"] != "") & spent["amount"].notna()
    return spent[keep.to_numpy()].astype({"month": int}).reset_index(drop=True)


def _lines(budget: pd.DataFrame, spent: pd.DataFrame) -> pd.DataFrame:
    charged = spent.assign(holder=spent["charged_to"].fillna(spent["salesperson_id"]))
    actual = charged.groupby(["month", "category", "holder"])["amount"].sum().rename("actual")
    actual.index = actual.index.set_names("salesperson_id", level="holder")
    lines = budget.set_index(["month", "category", "salesperson_id"])["budget"].to_frame().join(actual, how="outer")
    lines["budgeted"] = lines["budget"].notna()
    lines = lines.fillna({"budget": 0.0, "actual": 0.0}).reset_index()
    lines[["budget", "actual"]] = lines[["budget", "actual"]].round(2)
    lines = _with_use(lines)
    return lines.sort_values(["month", "category", "salesperson_id"], kind="mergesort")[LINE_COLUMNS].reset_index(drop=True)


def _unbudgeted(book: Book, spent: pd.DataFrame, no_budget: bool, year: int) -> list[Issue]:
    loose = spent[spent["charged_to"].isna()]
    if loose.empty:
        return []
    if no_budget:
        return [book.issue_at(EXPENSE_NO_BUDGET, "budget", None, "year", value=year, year=year, count=len(loose))]
    labels = {c.code: c.label(book.lang) for c in TABLES_BY_KEY["expenses"].column("category").choices}
    return [book.issue_at(EXPENSE_UNBUDGETED, "expenses", int(row), "category", value=category,
                          expense=expense or f"#{row}", month=f"{year}-{month:02d}",
                          category=labels.get(category, category), salesperson=sp)
            for expense, row, month, category, sp in zip(loose["expense_id"], loose["row"], loose["month"],
                                                         loose["category"], loose["salesperson_id"])]
