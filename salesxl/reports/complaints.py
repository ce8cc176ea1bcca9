"""The complaints sheet: open complaints against their deadlines (overdue on top), statistics, repeat
complainants, and the staff-conduct complaints the manager alone reads."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, Highlight, Link, SheetSpec
from salesxl.passes.complaints import STAFF, ComplaintResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY
from salesxl.schema.tables import COMPLAINTS

ALERT_FILL = "FFFFC7CE"  # light red
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"months": "近12个月投诉统计（截至 {as_of}）", "month": "月份", "complaints": "投诉数", "resolved": "已解决",
           "open_n": "未结", "overdue_n": "逾期未结", "late": "超时处理", "median": "解决用时中位数（天）",
           "longest": "最长解决用时（天）",
           "open": "未结投诉 {count} 条，其中逾期 {overdue} 条（受理时限 {ack} 小时；解决时限 {days}；按{clock}计）",
           "clock_working": "工作时间", "clock_calendar": "自然时间", "days": "{label}{n}天",
           "complaint": "投诉编号", "overdue": "逾期", "ack": "受理逾期", "resolve": "解决逾期",
           "customer": "客户编号", "customer_name": "客户名称", "grade": "客户等级", "owner": "处理人", "name": "姓名",
           "category": "类别", "severity": "严重程度", "status": "状态", "received": "投诉时间", "age": "已过天数",
           "due": "应完成时间", "by_category": "按投诉类别", "by_owner": "按处理人", "total": "合计",
           "repeated": "重复投诉客户（近12个月 {count} 次及以上）", "categories": "投诉类别", "latest": "最近投诉",
           "staff": "员工行为类投诉（仅供经理查阅，不进入销售员副本）", "salesperson": "负责销售员",
           "said": "客户反映", "none": "无", "daily": "逾期未结的投诉（{count} 条）", "chart_month": "近12个月各月投诉数", "chart_category": "近12个月投诉类别"},
    "en": {"months": "Complaints in the 12 months up to {as_of}", "month": "Month", "complaints": "Complaints",
           "resolved": "Resolved", "open_n": "Open", "overdue_n": "Overdue", "late": "Handled late",
           "median": "Median days to resolve", "longest": "Longest days to resolve",
           "open": "Open complaints: {count}, {overdue} overdue (acknowledge within {ack} hours; resolve within {days}; "
                   "{clock})",
           "clock_working": "working hours", "clock_calendar": "calendar time", "days": "{label} {n} days",
           "complaint": "Complaint ID", "overdue": "Overdue", "ack": "Acknowledge overdue", "resolve": "Resolve overdue",
           "customer": "Customer ID", "customer_name": "Customer", "grade": "Grade", "owner": "Owner", "name": "Name",
           "category": "Category", "severity": "Severity", "status": "Status", "received": "Received",
           "age": "Days open", "due": "Due by", "by_category": "By category", "by_owner": "By owner", "total": "Total",
           "repeated": "Customers with {count} or more complaints in 12 months", "categories": "Categories",
           "latest": "Latest complaint",
           "staff": "Complaints about staff conduct (for the manager only; never in a salesperson's copy)",
           "salesperson": "Customer's salesperson", "said": "What the customer said", "none": "none", "daily": "Overdue complaints ({count})",
           "chart_month": "Complaints by month, last 12 months", "chart_category": "Complaints by category, last 12 months"},
}


@register_report("complaints")
def build(ctx: ReportContext, result: ComplaintResult) -> SheetSpec:
    return complaints_sheet(result, ctx.book.frame("complaints"), ctx.lang)


def complaints_sheet(result: ComplaintResult, rows: pd.DataFrame, lang: Lang) -> SheetSpec:
    words = WORDS[lang]
    blocks = [month_block(result, lang), counts_block(result, "category", lang), open_block(result, lang),
              counts_block(result, "owner", lang), repeated_block(result, lang), staff_block(result, rows, lang)]
    charts = [ChartSpec("column", words["chart_month"], (ChartSeries(words["complaints"], 0, 1),),
                        anchor="J1", width_cells=8, height_cells=14),
              ChartSpec("bar", words["chart_category"], (ChartSeries(words["complaints"], 1, 1),),
                        anchor="R1", width_cells=7, height_cells=14)]
    return SheetSpec(key="complaints", name=OUTPUTS_BY_KEY["complaints"].sheet_name(lang), blocks=blocks,
                     charts=charts)


def _label(column: str, code: Any, lang: Lang) -> Any:
    return COMPLAINTS.column(column).label(code, lang) if code else None


def _count_columns(lang: Lang) -> list[ColumnSpec]:
    w = WORDS[lang]
    return [ColumnSpec(w["complaints"], "int", 9), ColumnSpec(w["resolved"], "int", 9),
            ColumnSpec(w["open_n"], "int", 8), ColumnSpec(w["overdue_n"], "int", 9), ColumnSpec(w["late"], "int", 9),
            ColumnSpec(w["median"], "number", 12, "0.0"), ColumnSpec(w["longest"], "number", 12, "0.0")]


def _counts(r: dict) -> list[Any]:
    return [int(r["complaints"]), int(r["resolved"]), int(r["open"]), int(r["overdue"]), int(r["late"]),
            cell(r["median_days"]), cell(r["max_days"])]


def month_block(result: ComplaintResult, lang: Lang) -> Block:
    """Every one of the 12 months (none left out, so the chart's axis is even); no total row under the chart."""
    w = WORDS[lang]
    end = pd.Period(result.as_of, "M")
    months = [str(end - n) for n in range(11, -1, -1)]
    frame = result.counts_by("month").set_index("month")
    empty = {"complaints": 0, "resolved": 0, "open": 0, "overdue": 0, "late": 0, "median_days": None, "max_days": None}
    rows = [[m, *_counts(frame.loc[m].to_dict() if m in frame.index else empty)] for m in months]
    return Block(title=w["months"].format(as_of=result.as_of.isoformat()),
                 columns=[ColumnSpec(w["month"], width=10), *_count_columns(lang)], rows=rows)


def counts_block(result: ComplaintResult, key: str, lang: Lang) -> Block:
    """Counts by category (every category, in declared order: the bar chart's rows) or by owner (with a total)."""
    w = WORDS[lang]
    frame = result.counts_by(key)
    if key == "category":
        known = frame.set_index("category")
        empty = {"complaints": 0, "resolved": 0, "open": 0, "overdue": 0, "late": 0, "median_days": None, "max_days": None}
        rows = [[choice.label(lang), *_counts(known.loc[choice.code].to_dict() if choice.code in known.index else empty)]
                for choice in COMPLAINTS.column("category").choices]
        return Block(title=w["by_category"], columns=[ColumnSpec(w["category"], width=14), *_count_columns(lang)],
                     rows=rows)
    rows = [[r["owner"] or None, result.names.get(r["owner"]), *_counts(r)] for r in frame.to_dict("records")]
    recent = result.recent
    rows.append([w["total"], None, len(recent), int(recent["done"].sum()), int((~recent["done"]).sum()),
                 int((recent["overdue"] != "").sum()), int((recent["ack_late"] | recent["resolve_late"]).sum()),
                 cell(recent["resolve_days"].median()), cell(recent["resolve_days"].max())])
    return Block(title=w["by_owner"], columns=[ColumnSpec(w["owner"], width=10), ColumnSpec(w["name"], width=10),
                                               *_count_columns(lang)], rows=rows)


def _id(r: dict) -> Any:
    return Link(r["complaint_id"] or r["cell"], r["cell"]) if r["cell"] else r["complaint_id"]


def open_rows(result: ComplaintResult, lang: Lang, frame: pd.DataFrame | None = None) -> list[list[Any]]:
    """Open complaints (not staff conduct), overdue first: what the sheet, the daily report and reminders show."""
    w = WORDS[lang]
    frame = result.open if frame is None else frame
    frame = frame[frame["category"] != STAFF]
    return [[_id(r), w[r["overdue"]] if r["overdue"] else None, r["customer_id"], cell(r["customer_name"]),
             cell(r["grade"]), r["owner"] or None, result.names.get(r["owner"]), _label("category", r["category"], lang),
             _label("severity", r["severity"], lang), _label("status", r["status"], lang),
             r["received_at"].to_pydatetime(), cell(round(r["age_days"], 1)),
             _moment(r["resolve_due"] if r["acknowledged"] or r["overdue"] == "resolve" else r["ack_due"])]
            for r in frame.to_dict("records")]


def _moment(value: Any) -> Any:
    """A date and time cell (cell() keeps the date only)."""
    return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value


def open_columns(lang: Lang) -> list[ColumnSpec]:
    w = WORDS[lang]
    return [ColumnSpec(w["complaint"], width=12), ColumnSpec(w["overdue"], width=12), ColumnSpec(w["customer"], width=11),
            ColumnSpec(w["customer_name"], width=22), ColumnSpec(w["grade"], width=8), ColumnSpec(w["owner"], width=9),
            ColumnSpec(w["name"], width=9), ColumnSpec(w["category"], width=10), ColumnSpec(w["severity"], width=8),
            ColumnSpec(w["status"], width=8), ColumnSpec(w["received"], "datetime", 16),
            ColumnSpec(w["age"], "number", 8, "0.0"), ColumnSpec(w["due"], "datetime", 16)]


def overdue_highlights(lang: Lang) -> list[Highlight]:
    w = WORDS[lang]
    return [Highlight(1, w["resolve"], ALERT_FILL, whole_row=True), Highlight(1, w["ack"], ALERT_FILL, whole_row=True)]


def open_block(result: ComplaintResult, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = open_rows(result, lang)
    listed = result.open[result.open["category"] != STAFF]
    severity = COMPLAINTS.column("severity")
    days = ", ".join(w["days"].format(label=severity.label(s, lang), n=n) for s, n in result.resolve_days.items())
    title = w["open"].format(count=len(listed), overdue=int((listed["overdue"] != "").sum()), ack=result.ack_hours,
                             days=days, clock=w["clock_working" if result.clock.working else "clock_calendar"])
    return Block(title=title, columns=open_columns(lang), rows=rows or [[w["none"], *([None] * 12)]],
                 highlights=overdue_highlights(lang))


def overdue_complaints_block(result: ComplaintResult, lang: Lang) -> Block:
    """The overdue open complaints alone (the daily report's second block)."""
    w = WORDS[lang]
    rows = open_rows(result, lang, result.overdue)
    return Block(title=w["daily"].format(count=len(rows)), columns=open_columns(lang),
                 rows=rows or [[w["none"], *([None] * 12)]], highlights=overdue_highlights(lang))


def repeated_block(result: ComplaintResult, lang: Lang) -> Block:
    w = WORDS[lang]
    sep = "、" if lang == "zh" else ", "
    rows = [[r["customer_id"], cell(r["customer_name"]), cell(r["grade"]), r["salesperson_id"] or None,
             result.names.get(r["salesperson_id"]), int(r["complaints"]), int(r["open"]),
             sep.join(_label("category", c, lang) for c in r["categories"]), r["latest"].to_pydatetime()]
            for r in result.repeated().to_dict("records")] or [[w["none"], *([None] * 8)]]
    return Block(title=w["repeated"].format(count=result.repeat_count),
                 columns=[ColumnSpec(w["customer"], width=11), ColumnSpec(w["customer_name"], width=22),
                          ColumnSpec(w["grade"], width=8), ColumnSpec(w["salesperson"], width=10),
                          ColumnSpec(w["name"], width=9), ColumnSpec(w["complaints"], "int", 8),
                          ColumnSpec(w["open_n"], "int", 8), ColumnSpec(w["categories"], width=24),
                          ColumnSpec(w["latest"], "datetime", 16)],
                 rows=rows)


def staff_block(result: ComplaintResult, rows: pd.DataFrame, lang: Lang) -> Block:
    """Every staff-conduct complaint, open or not (a salesperson's copy never holds any)."""
    w = WORDS[lang]
    said = dict(zip(rows["_row"], rows["description"].astype(object)))
    staff = result.complaints[result.complaints["category"] == STAFF]
    body = [[_id(r), w[r["overdue"]] if r["overdue"] else None, r["received_at"].to_pydatetime(), r["customer_id"],
             cell(r["customer_name"]), r["salesperson_id"] or None, result.names.get(r["salesperson_id"]),
             _label("severity", r["severity"], lang), _label("status", r["status"], lang), cell(said.get(r["row"]))]
            for r in staff.to_dict("records")] or [[w["none"], *([None] * 9)]]
    return Block(title=w["staff"],
                 columns=[ColumnSpec(w["complaint"], width=12), ColumnSpec(w["overdue"], width=12),
                          ColumnSpec(w["received"], "datetime", 16), ColumnSpec(w["customer"], width=11),
                          ColumnSpec(w["customer_name"], width=22), ColumnSpec(w["salesperson"], width=10),
                          ColumnSpec(w["name"], width=9), ColumnSpec(w["severity"], width=8),
                          ColumnSpec(w["status"], width=8), ColumnSpec(w["said"], width=30)],
                 rows=body, highlights=overdue_highlights(lang))
