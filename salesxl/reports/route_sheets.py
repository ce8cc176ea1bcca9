"""Printable daily route sheets (拜访路线单): one A4 page per day for one salesperson.

Each day lists the route's stops in order with what the salesperson needs at
the door (address, contact, grade, open receivables, the last visit's next
step) and empty columns, in rows tall enough to write in, for the visit report
written by hand. The days are those of the workbook's own visit plan (the one
the Routes sheet shows), so what is printed is what was planned; a paper sheet
carries no "do not edit" line.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.sheetspec import Block, ColumnSpec, PageSetup, SheetSpec
from salesxl.passes.common import to_dates
from salesxl.passes.grade import GradeResult
from salesxl.passes.planning.sales import ids
from salesxl.passes.routes import RoutePlan
from salesxl.pipeline import Results, run_passes
from salesxl.schema.outputs import TOOL_TAB_COLOR

PAGE_POINTS = 600.0  # data rows one landscape A4 page holds at the sheet's print width, in sheet points
ROW_POINTS = (24.0, 60.0)  # a stop's row: at least room for a line of handwriting, at most a quarter page
WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
SHEET: dict[Lang, str] = {"zh": "拜访路线单", "en": "RouteSheets"}
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"day": "{sp} {name} — {date}（周{weekday}）拜访路线单", "stop": "顺序", "customer": "客户编号",
           "customer_name": "客户名称", "address": "地址", "contact": "联系人 / 电话", "grade": "等级",
           "open": "应收余额", "last_step": "上次约定下一步", "result": "拜访结果", "intent": "意向程度（高/中/低）",
           "order": "是否下单", "next_step": "下一步", "next_date": "下次拜访日期", "signature": "客户签字"},
    "en": {"day": "{sp} {name} — route sheet for {date} ({weekday})", "stop": "Stop", "customer": "Customer ID",
           "customer_name": "Customer", "address": "Address", "contact": "Contact / phone", "grade": "Grade",
           "open": "Open receivables", "last_step": "Agreed next step", "result": "Result",
           "intent": "Intent (high/med/low)", "order": "Order taken", "next_step": "Next step",
           "next_date": "Next visit date", "signature": "Signature"},
}


def plan_routes(book: Book, start: dt.date, end: dt.date) -> Results:
    """The route pass and what it needs, run as a recalculation runs them, so the plan is the Routes sheet's;
    `start`..`end` must lie inside its horizon (a clear error naming the plan settings otherwise)."""
    results = run_passes(book, ["routes"])
    plan = results.of(RoutePlan)
    if start > end or start < plan.start or end > plan.end:
        raise WorkbookError(
            "ROUTE_SHEETS_OUTSIDE_PLAN",
            f"拜访计划覆盖 {plan.start} 至 {plan.end}（设置表“路线计划开始日期”“路线计划周数”），"
            f"所选 {start} 至 {end} 不在其中。",
            f"The visit plan covers {plan.start} to {plan.end} (Settings: Route plan start, Route plan weeks); "
            f"{start} to {end} is not inside it.")
    return results


def route_sheet(book: Book, results: Results, salesperson: str, start: dt.date, end: dt.date) -> SheetSpec:
    """One sheet, one page per route day of `salesperson` between `start` and `end`, from a run's results."""
    lang = book.lang
    w = WORDS[lang]
    stops = results.of(RoutePlan).stops
    stops = stops[(stops["salesperson_id"] == salesperson) & (to_dates(stops["date"]).dt.date >= start)
                  & (to_dates(stops["date"]).dt.date <= end)].sort_values(["date", "stop"])
    names = dict(zip(ids(book.frame("salespeople")["salesperson_id"]), book.frame("salespeople")["name"].astype(object)))
    contacts, steps = _first_contacts(book), _last_steps(book, start)
    owed = _open_receivables(results.of(GradeResult))
    columns = [ColumnSpec(w["stop"], "int", 6), ColumnSpec(w["customer"], width=10), ColumnSpec(w["customer_name"], width=20),
               ColumnSpec(w["address"], width=26), ColumnSpec(w["contact"], width=20), ColumnSpec(w["grade"], width=6),
               ColumnSpec(w["open"], "money", 12), ColumnSpec(w["last_step"], width=18), ColumnSpec(w["result"], width=22),
               ColumnSpec(w["intent"], width=12), ColumnSpec(w["order"], width=8), ColumnSpec(w["next_step"], width=18),
               ColumnSpec(w["next_date"], width=12), ColumnSpec(w["signature"], width=12)]
    blocks = []
    for day, group in stops.groupby(to_dates(stops["date"]).dt.date, sort=True):
        rows = [[int(r.stop), r.customer_id, _text(r.name), _text(r.address), contacts.get(r.customer_id),
                 _text(r.grade), owed.get(r.customer_id), steps.get(r.customer_id)] + [None] * 6
                for r in group.itertuples()]
        title = w["day"].format(sp=salesperson, name=_text(names.get(salesperson)) or "", date=day.isoformat(),
                                weekday=WEEKDAYS[lang][day.weekday()])
        blocks.append(Block(list(columns), rows, title=title, row_height=_row_points(len(rows)),
                            table_name=f"tblRoute{_safe(salesperson)}_{day:%Y%m%d}"))
    spec = SheetSpec(key="route_sheets", name=SHEET[lang], blocks=blocks, tab_color=TOOL_TAB_COLOR)
    breaks = tuple(spec.block_origin(i)[0] + len(b.rows) for i, b in enumerate(blocks[:-1]))
    spec.page = PageSetup(orientation="landscape", fit_width=1, fit_height=None, row_breaks=breaks)
    return spec


def _row_points(stops: int) -> float:
    """Rows as tall as one page allows for the day's stops, within the writing range."""
    low, high = ROW_POINTS
    return round(min(high, max(low, PAGE_POINTS / max(stops, 1))), 1)


def _first_contacts(book: Book) -> dict[str, str]:
    """Customer ID -> "name phone" of the first contact listed for the customer."""
    contacts = book.frame("contacts")
    found: dict[str, str] = {}
    for customer, name, phone in zip(ids(contacts["customer_id"]), contacts["name"], contacts["office_phone"]):
        if customer and customer not in found:
            found[customer] = " ".join(t for t in (_text(name), _text(phone)) if t)
    return found


def _last_steps(book: Book, before: dt.date) -> dict[str, str]:
    """Customer ID -> the next step written at the latest visit before `before`."""
    visits = book.frame("visits")
    frame = pd.DataFrame({"customer": ids(visits["customer_id"]), "date": to_dates(visits["date"]),
                          "step": visits["next_step"].astype(object)})
    frame = frame[(frame["date"] < pd.Timestamp(before)) & frame["customer"].ne("")].sort_values("date", kind="stable")
    latest = frame.groupby("customer").tail(1)
    return {c: text for c, step in zip(latest["customer"], latest["step"]) if (text := _text(step))}


def _open_receivables(graded: GradeResult) -> dict[str, float]:
    """Customer ID -> open receivables as the grade pass found them (invoices minus payments, first in first out)."""
    customers = graded.customers
    return {c: round(float(v), 2) for c, v in zip(customers["customer_id"], customers["open_receivable"]) if v and v == v}


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)
