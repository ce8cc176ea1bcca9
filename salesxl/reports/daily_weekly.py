"""The DailyReport and WeeklyReport sheets, for the morning or evening meeting.

Daily: urgent visits not yet followed up and overdue complaints at the top,
then each salesperson's day. Weekly: the week's sales against the week's
target first (what a manager reads first), then intent customers with their
latest visit and next step and key customers with open matters, and the
salespeople's market reporting (定期报备) with those short of it flagged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Highlight, SheetSpec
from salesxl.passes.activity import Activity
from salesxl.passes.complaints import ComplaintResult
from salesxl.passes.market import MarketResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.complaints import overdue_complaints_block
from salesxl.reports.market import compliance_block
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

ALERT_FILL = "FFFFC7CE"  # light red
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"date": "日期", "urgent": "紧急拜访（未跟进）", "visit_date": "拜访日期", "id": "工号", "name": "姓名",
           "customer": "客户编号", "customer_name": "客户名称", "urgent_type": "紧急类型", "result": "拜访结果",
           "next_step": "下一步", "days_open": "已过天数", "daily": "销售员日报", "visits": "拜访数",
           "new_cards": "新建档客户", "intent_visits": "有意向拜访", "orders": "订单数", "order_amount": "订单金额",
           "collected": "回款", "inquiries": "询价数", "quoted": "已报价", "median": "报价用时中位数（分钟）",
           "within": "{minutes}分钟内报价占比", "total": "合计", "week": "周", "intent": "意向客户",
           "last_visit": "最近拜访", "intent_level": "意向程度", "next_date": "下次拜访日期",
           "key": "重点客户", "key_grade": "（按客户分级）", "key_sales": "（按近12个月销售额）",
           "sales_12m": "近12个月销售额", "overdue": "回访逾期", "urgent_open": "未跟进紧急事项",
           "performance": "本周业绩", "target": "周目标", "actual": "实际销售", "achievement": "达成率",
           "yes": "是", "no": "否", "report_date": "报告日期", "week_span": "周一", "week_end": "周日"},
    "en": {"date": "Date", "urgent": "Urgent visits not followed up", "visit_date": "Visit date", "id": "ID",
           "name": "Name", "customer": "Customer ID", "customer_name": "Customer", "urgent_type": "Urgent type",
           "result": "Result", "next_step": "Next step", "days_open": "Days open", "daily": "Salespeople today",
           "visits": "Visits", "new_cards": "New cards", "intent_visits": "Visits with intent", "orders": "Orders",
           "order_amount": "Order amount", "collected": "Collected", "inquiries": "Inquiries", "quoted": "Quoted",
           "median": "Median minutes to quote", "within": "Quoted within {minutes} min", "total": "Total",
           "week": "Week", "intent": "Intent customers", "last_visit": "Latest visit", "intent_level": "Intent level",
           "next_date": "Next visit date", "key": "Key customers", "key_grade": " (by grade)",
           "key_sales": " (by trailing 12-month sales)", "sales_12m": "Sales, last 12 months", "overdue": "Visit overdue",
           "urgent_open": "Urgent matters open", "performance": "This week's sales", "target": "Week target",
           "actual": "Actual", "achievement": "Achievement", "yes": "yes", "no": "no", "report_date": "Report date",
           "week_span": "Monday", "week_end": "Sunday"},
}


@register_report("daily_report")
def build_daily(ctx: ReportContext, act: Activity, complaints: ComplaintResult) -> SheetSpec:
    lang = ctx.lang
    w = WORDS[lang]
    blocks = [Block([ColumnSpec(w["report_date"], "date", width=12)], [[act.date]]), urgent_block(act, lang),
              overdue_complaints_block(complaints, lang), daily_block(act, lang)]
    return SheetSpec(key="daily_report", name=OUTPUTS_BY_KEY["daily_report"].sheet_name(lang), blocks=blocks)


@register_report("weekly_report")
def build_weekly(ctx: ReportContext, act: Activity, market: MarketResult) -> SheetSpec:
    lang = ctx.lang
    w = WORDS[lang]
    iso_year, iso_week, _ = act.week_start.isocalendar()
    heading = Block([ColumnSpec(w["week"], width=11), ColumnSpec(w["week_span"], "date", width=12),
                     ColumnSpec(w["week_end"], "date", width=12)],
                    [[f"{iso_year}-W{iso_week:02d}", act.week_start, act.week_end]])
    blocks = [heading, week_block(act, lang), intent_block(act, lang), key_block(act, lang),  # the result first
              compliance_block(market, lang)]
    return SheetSpec(key="weekly_report", name=OUTPUTS_BY_KEY["weekly_report"].sheet_name(lang), blocks=blocks)


def _label(table: str, column: str, code: Any, lang: Lang) -> Any:
    """An enum code as the user reads it."""
    return None if _blank(code) else TABLES_BY_KEY[table].column(column).label(code, lang)


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value: Any) -> Any:
    return None if _blank(value) else str(value)


def _number(value: Any) -> float | None:
    return None if _blank(value) else round(float(value), 2)


def urgent_block(act: Activity, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r.date, r.salesperson_id, r.name or None, r.customer_id, _text(r.customer_name),
             _label("visits", "urgent_type", r.urgent_type, lang), _text(r.result), _text(r.next_step), r.days_open]
            for r in act.urgent.itertuples()]
    columns = [ColumnSpec(w["visit_date"], "date", width=11), ColumnSpec(w["id"], width=9),
               ColumnSpec(w["name"], width=9), ColumnSpec(w["customer"], width=11),
               ColumnSpec(w["customer_name"], width=22), ColumnSpec(w["urgent_type"], width=12),
               ColumnSpec(w["result"], width=24), ColumnSpec(w["next_step"], width=24),
               ColumnSpec(w["days_open"], "int", width=9)]
    return Block(columns, rows, title=w["urgent"])


def daily_block(act: Activity, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r.salesperson_id, r.name or None, r.visits, r.new_cards, r.intent_visits, r.orders,
             _number(r.order_amount), _number(r.collected), r.inquiries, r.quoted, _number(r.median_minutes),
             _number(r.within_limit)] for r in act.daily.itertuples()]
    counted = ("visits", "new_cards", "intent_visits", "orders", "order_amount", "collected", "inquiries", "quoted")
    totals = [round(float(act.daily[c].sum()), 2) if c in ("order_amount", "collected") else int(act.daily[c].sum())
              for c in counted]
    rows.append([w["total"], None, *totals, None, None])
    columns = [ColumnSpec(w["id"], width=9), ColumnSpec(w["name"], width=9), ColumnSpec(w["visits"], "int", width=8),
               ColumnSpec(w["new_cards"], "int", width=10), ColumnSpec(w["intent_visits"], "int", width=10),
               ColumnSpec(w["orders"], "int", width=8), ColumnSpec(w["order_amount"], "money"),
               ColumnSpec(w["collected"], "money"), ColumnSpec(w["inquiries"], "int", width=8),
               ColumnSpec(w["quoted"], "int", width=8), ColumnSpec(w["median"], "number", width=12),
               ColumnSpec(w["within"].format(minutes=act.reply_minutes), "percent", width=12)]
    return Block(columns, rows, title=w["daily"])


def intent_block(act: Activity, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r.salesperson_id, r.name or None, r.customer_id, _text(r.customer_name), r.last_visit,
             _label("visits", "intent_level", r.intent_level, lang), _text(r.result), _text(r.next_step), r.next_date]
            for r in act.intent.itertuples()]
    columns = [ColumnSpec(w["id"], width=9), ColumnSpec(w["name"], width=9), ColumnSpec(w["customer"], width=11),
               ColumnSpec(w["customer_name"], width=22), ColumnSpec(w["last_visit"], "date", width=11),
               ColumnSpec(w["intent_level"], width=9), ColumnSpec(w["result"], width=24),
               ColumnSpec(w["next_step"], width=24), ColumnSpec(w["next_date"], "date", width=12)]
    return Block(columns, rows, title=w["intent"])


def key_block(act: Activity, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r.customer_id, _text(r.customer_name), r.salesperson_id or None, r.name or None, _number(r.sales_12m),
             r.last_visit, r.next_date, w["yes"] if r.overdue else w["no"], r.urgent_open]
            for r in act.key_customers.itertuples()]
    columns = [ColumnSpec(w["customer"], width=11), ColumnSpec(w["customer_name"], width=22),
               ColumnSpec(w["id"], width=9), ColumnSpec(w["name"], width=9), ColumnSpec(w["sales_12m"], "money"),
               ColumnSpec(w["last_visit"], "date", width=11), ColumnSpec(w["next_date"], "date", width=12),
               ColumnSpec(w["overdue"], width=9), ColumnSpec(w["urgent_open"], "int", width=10)]
    title = w["key"] + (w["key_grade"] if act.key_basis == "grade" else w["key_sales"])
    return Block(columns, rows, title=title, highlights=[Highlight(7, w["yes"], ALERT_FILL, whole_row=True)])


def week_block(act: Activity, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r.salesperson_id, r.name or None, r.target, _number(r.actual), _number(r.achievement), r.visits, r.orders]
            for r in act.week.itertuples()]
    target, actual = int(act.week["target"].sum()), float(act.week["actual"].sum())
    rows.append([w["total"], None, target, round(actual, 2), actual / target if target else None,
                 int(act.week["visits"].sum()), int(act.week["orders"].sum())])
    columns = [ColumnSpec(w["id"], width=9), ColumnSpec(w["name"], width=9), ColumnSpec(w["target"], "money"),
               ColumnSpec(w["actual"], "money"), ColumnSpec(w["achievement"], "percent", width=10),
               ColumnSpec(w["visits"], "int", width=8), ColumnSpec(w["orders"], "int", width=8)]
    return Block(columns, rows, title=w["performance"])
