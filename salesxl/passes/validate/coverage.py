"""Input tables that have no rows yet, and what they leave without data.

An office's first day has customers but no visits, orders or payments. Every
report is still written; this check says, once per empty table, why some of
them are empty, so nobody reads a blank report as a fault.
"""

from __future__ import annotations

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.validate.wording import join
from salesxl.schema import OUTPUTS_BY_KEY, TABLES

TABLE_EMPTY = define(
    "TABLE_EMPTY", "info",
    "工作表“{sheet_name}”还没有数据行：{feeds}暂时没有可计算的内容，填入数据后重新运行即可。",
    "Sheet “{sheet_name}” has no rows yet: {feeds} have nothing to work from until it is filled and the workbook "
    "is recalculated.",
    title_zh="输入表为空", title_en="Input table empty",
)

#: The result sheets each input table feeds (the ones a reader would find empty without it).
FEEDS: dict[str, tuple[str, ...]] = {
    "salespeople": ("routes", "target_plan", "performance", "commission", "expense_report"),
    "customers": ("grades", "routes", "composition", "receivables", "monthly_report"),
    "contacts": ("reminders",),
    "visits": ("daily_report", "weekly_report", "routes", "reminders"),
    "orders": ("grades", "performance", "receivables", "commission", "composition", "price_check", "monthly_report"),
    "payments": ("receivables", "commission"),
    "targets": ("target_plan", "performance"),
    "budget": ("expense_report",),
    "expenses": ("expense_report",),
    "price_list": ("price_check",),
    "contracts": ("contracts", "reminders"),
    "inquiries": ("contracts",),
    "complaints": ("complaints", "reminders", "daily_report", "grades"),
    "market": ("market", "weekly_report"),
}


def empty_tables(book: Book) -> list[Issue]:
    """One info per input sheet that is there but holds no rows (a missing sheet is reported by the reader)."""
    lang = book.lang
    issues = []
    for table in TABLES:
        data = book.tables.get(table.key)
        if table.key_value or data is None or not data.present or not data.frame.empty:
            continue
        feeds = join([OUTPUTS_BY_KEY[key].sheet_name(lang) for key in FEEDS.get(table.key, ())], lang)
        first_row = (data.header_row or 1) + 1
        issues.append(book.issue_at(TABLE_EMPTY, table.key, first_row, None, sheet_name=data.sheet, feeds=feeds))
    return issues
