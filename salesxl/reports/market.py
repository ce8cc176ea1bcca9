"""The market information sheet: reports per week, urgent items, region by type, competitor prices against
ours, promotions seen, and who reports enough (the weekly report shows the last part too)."""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, Highlight, Link, SheetSpec
from salesxl.passes.market import PROMOTION, MarketResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY
from salesxl.schema.tables import MARKET

ALERT_FILL = "FFFFC7CE"  # light red
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"weeks": "近{weeks}周市场信息报备（截至 {as_of}）", "week": "周", "reports": "报备条数", "urgent_n": "紧急",
           "prices": "竞品价格", "urgent": "紧急市场信息（近{weeks}周，{count} 条）", "date": "日期", "salesperson": "销售员",
           "name": "姓名", "region": "区域", "type": "类型", "competitor": "竞争对手", "customer": "客户编号",
           "product_line": "产品线", "note": "内容", "regions": "近{weeks}周按区域和类型", "total": "合计",
           "index": "竞品价格指数（近12个月；指数 = 竞品价格 ÷ 我方同产品线同单位标准价）", "unit": "单位",
           "comparable": "可比条数", "competitors": "竞争对手数", "our_price": "我方标准价", "index_min": "指数最低",
           "index_median": "指数中位数", "index_max": "指数最高",
           "promotions": "竞品促销（近{weeks}周，{count} 条）",
           "compliance": "市场信息报备达标情况（每人每月至少 {required} 条）", "last_month": "{month} 报备",
           "this_month": "{month} 至今", "pace": "至今应报", "flag": "提示", "short": "上月未达标",
           "behind": "本月进度落后", "both": "上月未达标，本月进度落后", "ok": "达标", "none": "无",
           "chart_weeks": "每周市场信息报备条数", "chart_index": "竞品价格指数中位数"},
    "en": {"weeks": "Market reports in the {weeks} weeks up to {as_of}", "week": "Week", "reports": "Reports",
           "urgent_n": "Urgent", "prices": "Competitor prices",
           "urgent": "Urgent market information (last {weeks} weeks, {count})", "date": "Date",
           "salesperson": "Salesperson", "name": "Name", "region": "Region", "type": "Type", "competitor": "Competitor",
           "customer": "Customer ID", "product_line": "Product line", "note": "Note",
           "regions": "By region and type, last {weeks} weeks", "total": "Total",
           "index": "Competitor price index, last 12 months (index = competitor price / our list price for the same "
                    "product line and unit)",
           "unit": "Unit", "comparable": "Comparable", "competitors": "Competitors", "our_price": "Our list price",
           "index_min": "Index min", "index_median": "Index median", "index_max": "Index max",
           "promotions": "Competitor promotions seen (last {weeks} weeks, {count})",
           "compliance": "Market reporting: at least {required} reports a month each", "last_month": "Reports {month}",
           "this_month": "{month} so far", "pace": "Due so far", "flag": "Flag", "short": "Short last month",
           "behind": "Behind this month", "both": "Short last month, behind this month", "ok": "OK", "none": "none",
           "chart_weeks": "Market reports per week", "chart_index": "Competitor price index (median)"},
}


@register_report("market")
def build(ctx: ReportContext, result: MarketResult) -> SheetSpec:
    return market_sheet(result, ctx.lang)


def market_sheet(result: MarketResult, lang: Lang) -> SheetSpec:
    w = WORDS[lang]
    blocks = [week_block(result, lang), index_block(result, lang), urgent_block(result, lang),
              region_block(result, lang), promotion_block(result, lang), compliance_block(result, lang)]
    charts = [ChartSpec("column", w["chart_weeks"], (ChartSeries(w["reports"], 0, 1),), anchor="L1",
                        width_cells=8, height_cells=14),
              ChartSpec("bar", w["chart_index"], (ChartSeries(w["index_median"], 1, 7),), anchor="T1",
                        width_cells=7, height_cells=14)]
    return SheetSpec(key="market", name=OUTPUTS_BY_KEY["market"].sheet_name(lang), blocks=blocks, charts=charts)


def _label(column: str, code: Any, lang: Lang) -> Any:
    return MARKET.column(column).label(code, lang) if code else None


def week_block(result: MarketResult, lang: Lang) -> Block:
    """Every week of the window (the chart's axis), no total row."""
    w = WORDS[lang]
    rows = [[r["week"], int(r["reports"]), int(r["urgent"]), int(r["prices"])] for r in result.by_week().to_dict("records")]
    return Block(title=w["weeks"].format(weeks=len(result.weeks), as_of=result.as_of.isoformat()),
                 columns=[ColumnSpec(w["week"], width=10), ColumnSpec(w["reports"], "int", 9),
                          ColumnSpec(w["urgent_n"], "int", 8), ColumnSpec(w["prices"], "int", 9)], rows=rows)


def _detail(result: MarketResult, frame, lang: Lang) -> list[list[Any]]:
    return [[r["date"].date(), r["salesperson_id"] or None, result.names.get(r["salesperson_id"]), r["region"] or None,
             _label("type", r["type"], lang), r["competitor"] or None, r["product_line"] or None,
             r["customer_id"] or None, Link(cell(r["note"]) or r["cell"], r["cell"]) if r["cell"] else cell(r["note"])]
            for r in frame.to_dict("records")]


def _detail_columns(lang: Lang) -> list[ColumnSpec]:
    w = WORDS[lang]
    return [ColumnSpec(w["date"], "date", 11), ColumnSpec(w["salesperson"], width=9), ColumnSpec(w["name"], width=9),
            ColumnSpec(w["region"], width=10), ColumnSpec(w["type"], width=13), ColumnSpec(w["competitor"], width=14),
            ColumnSpec(w["product_line"], width=12), ColumnSpec(w["customer"], width=11), ColumnSpec(w["note"], width=40)]


def urgent_block(result: MarketResult, lang: Lang) -> Block:
    w = WORDS[lang]
    urgent = result.window[result.window["urgent"]]
    return Block(title=w["urgent"].format(weeks=len(result.weeks), count=len(urgent)), columns=_detail_columns(lang),
                 rows=_detail(result, urgent, lang) or [[w["none"], *([None] * 8)]])


def promotion_block(result: MarketResult, lang: Lang) -> Block:
    w = WORDS[lang]
    seen = result.window[result.window["type"] == PROMOTION].sort_values(["date", "row"], ascending=[False, True],
                                                                          kind="mergesort")
    return Block(title=w["promotions"].format(weeks=len(result.weeks), count=len(seen)), columns=_detail_columns(lang),
                 rows=_detail(result, seen, lang) or [[w["none"], *([None] * 8)]])


def region_block(result: MarketResult, lang: Lang) -> Block:
    """One row per region, one column per declared type, and totals both ways."""
    w = WORDS[lang]
    table = result.by_region_type()
    types = [c.code for c in MARKET.column("type").choices]
    rows = [[region or None, *(int(table.at[region, t]) if t in table.columns else 0 for t in types),
             int(table.loc[region].sum())] for region in table.index]
    rows.append([w["total"], *(int(table[t].sum()) if t in table.columns else 0 for t in types), int(table.values.sum())])
    return Block(title=w["regions"].format(weeks=len(result.weeks)),
                 columns=[ColumnSpec(w["region"], width=10),
                          *(ColumnSpec(_label("type", t, lang), "int", 10) for t in types),
                          ColumnSpec(w["total"], "int", 8)], rows=rows)


def index_block(result: MarketResult, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[r["product_line"] or None, r["unit"] or None, int(r["reports"]), int(r["comparable"]),
             int(r["competitors"]), cell(r["our_price"]), cell(r["index_min"]), cell(r["index_median"]),
             cell(r["index_max"])] for r in result.prices.to_dict("records")]
    return Block(title=w["index"],
                 columns=[ColumnSpec(w["product_line"], width=12), ColumnSpec(w["unit"], width=7),
                          ColumnSpec(w["reports"], "int", 8), ColumnSpec(w["comparable"], "int", 8),
                          ColumnSpec(w["competitors"], "int", 9), ColumnSpec(w["our_price"], "money", 11),
                          ColumnSpec(w["index_min"], "number", 9, "0.00"),
                          ColumnSpec(w["index_median"], "number", 9, "0.00"),
                          ColumnSpec(w["index_max"], "number", 9, "0.00")],
                 rows=rows or [[w["none"], *([None] * 8)]])


def compliance_flag(short: bool, behind: bool, lang: Lang) -> str:
    w = WORDS[lang]
    return w["both"] if short and behind else w["short"] if short else w["behind"] if behind else w["ok"]


def compliance_block(result: MarketResult, lang: Lang) -> Block:
    """Per active salesperson: last full month, this month so far against the pace, and the flag."""
    w = WORDS[lang]
    rows = [[r["salesperson_id"], result.names.get(r["salesperson_id"]), int(r["last_month"]), int(r["this_month"]),
             int(r["pace"]), compliance_flag(bool(r["short"]), bool(r["behind"]), lang)]
            for r in result.compliance.to_dict("records")]
    highlights = [Highlight(5, compliance_flag(s, b, lang), ALERT_FILL, whole_row=True)
                  for s, b in ((True, False), (False, True), (True, True))]
    return Block(title=w["compliance"].format(required=result.required),
                 columns=[ColumnSpec(w["salesperson"], width=9), ColumnSpec(w["name"], width=9),
                          ColumnSpec(w["last_month"].format(month=result.last_month), "int", 11),
                          ColumnSpec(w["this_month"].format(month=result.this_month), "int", 11),
                          ColumnSpec(w["pace"], "int", 9), ColumnSpec(w["flag"], width=20)],
                 rows=rows, highlights=highlights)
