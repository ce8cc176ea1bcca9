"""The TargetPlan sheet: the year's targets by month, quarter and ISO week for each salesperson.

Totals are plain numbers (never formulas) and add up exactly, because the plan
itself does. A week that crosses a month end appears once in each month.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.passes.planning.calendar import month_working_days
from salesxl.passes.targets import TargetPlan
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "计划说明", "item": "项目", "value": "内容", "year": "计划年度", "unit": "金额单位（元）",
           "season": "季节指数依据", "weights": "分配依据", "calendar": "节假日日历", "known": "含法定节假日和调休",
           "unknown": "未覆盖该年，按周一至周五", "history": "历史销售", "manual": "手工季节指数",
           "working_days": "工作日", "index": "季节指数", "month": "月份", "share": "占比", "workdays": "工作日数",
           "months": "月度目标", "quarters": "季度目标", "weeks": "周目标（跨月的周按月拆分）", "regions": "区域月度目标",
           "id": "工号", "name": "姓名", "region": "区域", "total": "合计", "week": "周", "start": "开始",
           "end": "结束", "all": "全部产品", "line": "产品线",
           "w_history": "上年销售占比", "w_revenue": "成交客户年营业额", "w_customers": "成交客户数",
           "w_manual": "手工权重", "check": "目标与计划（未分配 = 上级目标 - 已分解到销售员的计划）",
           "level": "层级", "target": "上级目标", "planned": "已分解", "unallocated": "未分配",
           "company": "公司", "region_level": "区域"},
    "en": {"summary": "About this plan", "item": "Item", "value": "Value", "year": "Plan year",
           "unit": "Currency unit (yuan)", "season": "Seasonality from", "weights": "Shared by",
           "calendar": "Holiday calendar", "known": "public holidays and make-up days included",
           "unknown": "year not covered; Monday to Friday", "history": "sales history",
           "manual": "manual seasonality index", "working_days": "working days", "index": "Seasonality index",
           "month": "Month", "share": "Share", "workdays": "Working days", "months": "Targets by month",
           "quarters": "Targets by quarter", "weeks": "Targets by week (a week crossing a month end is split)",
           "regions": "Targets by region and month", "id": "ID", "name": "Name", "region": "Region",
           "total": "Total", "week": "Week", "start": "Start", "end": "End", "all": "all products",
           "line": "product line", "w_history": "last year's share of sales", "w_revenue": "revenue of active customers",
           "w_customers": "number of active customers", "w_manual": "manual weights",
           "check": "Targets and plan (unallocated = the target less what the plan gives salespeople)",
           "level": "Level", "target": "Target", "planned": "Planned", "unallocated": "Unallocated",
           "company": "Company", "region_level": "Region"},
}


@register_report("target_plan")
def build(ctx: ReportContext, plan: TargetPlan) -> SheetSpec:
    lang = ctx.lang
    blocks = [allocation_block(plan, lang)] if len(plan.parents) else []
    blocks += [summary_block(plan, lang), seasonality_block(plan, lang)]
    for line in plan.lines:
        blocks += [months_block(plan, line, lang), quarters_block(plan, line, lang), weeks_block(plan, line, lang)]
    if (plan.months["region"] != "").any():
        blocks.append(regions_block(plan, lang))
    return SheetSpec(key="target_plan", name=OUTPUTS_BY_KEY["target_plan"].sheet_name(lang), blocks=blocks)


def allocation_block(plan: TargetPlan, lang: Lang) -> Block:
    """Each given company and region target against the plan under it: what is left unallocated shows here."""
    w = WORDS[lang]
    rows = [[line or w["all"], w["company"] if level == "company" else w["region_level"], region or None,
             int(target), int(planned), int(target) - int(planned)]
            for line, level, region, target, planned in plan.parents.itertuples(index=False)]
    columns = [ColumnSpec(w["line"], width=12), ColumnSpec(w["level"], width=8), ColumnSpec(w["region"], width=10),
               ColumnSpec(w["target"], "money"), ColumnSpec(w["planned"], "money"),
               ColumnSpec(w["unallocated"], "money")]
    return Block(columns, rows, title=w["check"])


def summary_block(plan: TargetPlan, lang: Lang) -> Block:
    w = WORDS[lang]
    basis = w[plan.seasonality.basis]
    if plan.seasonality.years:
        basis += " " + ", ".join(str(y) for y in sorted(plan.seasonality.years))
    rows = [[w["year"], plan.year], [w["unit"], plan.unit], [w["season"], basis],
            [w["weights"], w.get("w_" + plan.weights_method, plan.weights_method)],
            [w["calendar"], w["known"] if plan.calendar_known else w["unknown"]]]
    return Block([ColumnSpec(w["item"], width=18), ColumnSpec(w["value"], width=30)], rows, title=w["summary"])


def seasonality_block(plan: TargetPlan, lang: Lang) -> Block:
    w = WORDS[lang]
    days = month_working_days(plan.year)
    rows = [[m, share, days[m - 1]] for m, share in enumerate(plan.seasonality.shares, start=1)]
    return Block([ColumnSpec(w["month"], "int", width=8), ColumnSpec(w["share"], "percent", width=10),
                  ColumnSpec(w["workdays"], "int", width=10)], rows, title=w["index"])


def _title(key: str, line: str, lang: Lang) -> str:
    w = WORDS[lang]
    return f"{w[key]} — {w['line']}: {line or w['all']}"


def _people_columns(lang: Lang) -> list[ColumnSpec]:
    w = WORDS[lang]
    return [ColumnSpec(w["id"], width=10), ColumnSpec(w["name"], width=10), ColumnSpec(w["region"], width=10)]


def _pivot_block(frame: pd.DataFrame, column: str, labels: list[tuple[Any, str]], title: str, lang: Lang) -> Block:
    """Salespeople down, `column` values across, a total column and a total row."""
    w = WORDS[lang]
    table = frame.pivot_table(index="salesperson_id", columns=column, values="amount", aggfunc="sum", sort=False)
    people = frame.drop_duplicates("salesperson_id")
    rows = []
    for sp, name, region in zip(people["salesperson_id"], people["name"], people["region"]):
        values = [int(table.at[sp, key]) if key in table.columns else 0 for key, _ in labels]
        rows.append([sp, name, region, *values, sum(values)])
    rows.append([w["total"], None, None, *[sum(r[3 + i] for r in rows) for i in range(len(labels) + 1)]])
    columns = _people_columns(lang) + [ColumnSpec(label, "int", width=11) for _, label in labels]
    return Block(columns + [ColumnSpec(w["total"], "int", width=12)], rows, title=title)


def months_block(plan: TargetPlan, line: str, lang: Lang) -> Block:
    labels = [(m, f"{m}月" if lang == "zh" else f"M{m}") for m in range(1, 13)]
    return _pivot_block(plan.months[plan.months["product_line"] == line], "month", labels,
                        _title("months", line, lang), lang)


def quarters_block(plan: TargetPlan, line: str, lang: Lang) -> Block:
    labels = [(q, f"{q}季度" if lang == "zh" else f"Q{q}") for q in range(1, 5)]
    return _pivot_block(plan.months[plan.months["product_line"] == line], "quarter", labels,
                        _title("quarters", line, lang), lang)


def weeks_block(plan: TargetPlan, line: str, lang: Lang) -> Block:
    """One row per ISO-week part: its month, dates and working days, then each salesperson's target."""
    w = WORDS[lang]
    weeks = plan.weeks[plan.weeks["product_line"] == line]
    people = weeks.drop_duplicates("salesperson_id")
    amounts = weeks.pivot_table(index=["month", "start"], columns="salesperson_id", values="amount", aggfunc="sum")
    parts = weeks.drop_duplicates(["month", "start"]).sort_values(["month", "start"])
    rows = []
    for _, part in parts.iterrows():
        values = [int(amounts.at[(part["month"], part["start"]), sp]) for sp in people["salesperson_id"]]
        rows.append([f"{part['iso_year']}-W{part['iso_week']:02d}", int(part["month"]), part["start"], part["end"],
                     int(part["working_days"]), *values, sum(values)])
    rows.append([w["total"], None, None, None, sum(r[4] for r in rows),
                 *[sum(r[5 + i] for r in rows) for i in range(len(people) + 1)]])
    columns = [ColumnSpec(w["week"], width=11), ColumnSpec(w["month"], "int", width=7),
               ColumnSpec(w["start"], "date", width=11), ColumnSpec(w["end"], "date", width=11),
               ColumnSpec(w["workdays"], "int", width=9)]
    columns += [ColumnSpec(f"{name or sp}", "int", width=11) for sp, name in zip(people["salesperson_id"], people["name"])]
    return Block(columns + [ColumnSpec(w["total"], "int", width=12)], rows, title=_title("weeks", line, lang))


def regions_block(plan: TargetPlan, lang: Lang) -> Block:
    """Each region's monthly targets (every product line's plan measured for performance)."""
    w = WORDS[lang]
    months = plan.measured(plan.months)
    table = months.pivot_table(index="region", columns="month", values="amount", aggfunc="sum", sort=False)
    rows = []
    for region in months["region"].drop_duplicates():
        values = [int(table.at[region, m]) for m in range(1, 13)]
        rows.append([region, *values, sum(values)])
    rows.append([w["total"], *[sum(r[1 + i] for r in rows) for i in range(13)]])
    columns = [ColumnSpec(w["region"], width=12)]
    columns += [ColumnSpec(f"{m}月" if lang == "zh" else f"M{m}", "int", width=11) for m in range(1, 13)]
    return Block(columns + [ColumnSpec(w["total"], "int", width=12)], rows, title=w["regions"])
