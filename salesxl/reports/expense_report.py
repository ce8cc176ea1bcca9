"""The ExpenseReport sheet: budget against spending by category, month, salesperson and budget line."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, Highlight, SheetSpec
from salesxl.passes.expenses import OFFICE, ExpenseResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

TABLE_NAME = "tblExpenseReport"
OVER_FILL = "FFFFC7CE"  # light red
MONTH_BLOCK = 1
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"title": "费用预算执行：{year} 年，截至 {as_of}（至今 = 1 至 {month} 月，当月按全月预算）",
           "category": "费用类别", "year_budget": "全年预算", "budget": "预算（至今）", "actual": "实际（至今）",
           "used": "使用率", "over": "超支", "remaining": "全年剩余预算", "total": "合计",
           "months": "按月：预算与实际", "month": "月份", "month_budget": "预算", "month_actual": "实际",
           "people": "按销售员（至今；实际 = 计入本人预算行的费用）", "salesperson": "销售员", "name": "姓名",
           "office_charged": "计入全公司预算", "unbudgeted": "无预算费用", "office": "（全公司预算）",
           "lines": "预算行明细", "chart": "{year} 年各月费用预算与实际"},
    "en": {"title": "Expense budget {year} as of {as_of} (to date = months 1 to {month}, this month's whole budget)",
           "category": "Category", "year_budget": "Budget for the year", "budget": "Budget to date",
           "actual": "Actual to date", "used": "Used", "over": "Over budget", "remaining": "Budget left this year",
           "total": "Total", "months": "By month: budget and actual", "month": "Month", "month_budget": "Budget",
           "month_actual": "Actual",
           "people": "By salesperson (to date; actual = spending charged to their own budget lines)",
           "salesperson": "Salesperson", "name": "Name", "office_charged": "Charged to office-wide budget",
           "unbudgeted": "Without budget", "office": "(office-wide budget)", "lines": "Budget lines",
           "chart": "Expense budget and actual by month, {year}"},
}
OVER_LABEL = {"zh": "超支", "en": "over"}


@register_report("expense_report")
def build(ctx: ReportContext, result: ExpenseResult) -> SheetSpec:
    return expense_sheet(result, ctx.lang)


def expense_sheet(result: ExpenseResult, lang: Lang) -> SheetSpec:
    words = WORDS[lang]
    blocks = [category_block(result, lang), month_block(result, lang), people_block(result, lang),
              lines_block(result, lang)]
    chart = ChartSpec("column", words["chart"].format(year=result.year),
                      (ChartSeries(words["month_budget"], MONTH_BLOCK, 1), ChartSeries(words["month_actual"], MONTH_BLOCK, 2)),
                      anchor="K1", width_cells=9, height_cells=18)
    return SheetSpec(key="expense_report", name=OUTPUTS_BY_KEY["expense_report"].sheet_name(lang), blocks=blocks,
                     charts=[chart])


def category_label(code: str, lang: Lang) -> str:
    return TABLES_BY_KEY["expenses"].column("category").label(code, lang)


def _over(flag: Any, lang: Lang) -> str | None:
    return OVER_LABEL[lang] if flag else None


def _money(value: Any) -> float:
    return round(float(value), 2)


def category_block(result: ExpenseResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.by_category()
    rows = [[category_label(r["category"], lang), _money(r["year_budget"]), _money(r["budget"]), _money(r["actual"]),
             cell(r["used"]), _over(r["over"], lang), _money(r["remaining"])] for r in frame.to_dict("records")]
    totals = frame[["year_budget", "budget", "actual", "remaining"]].sum()
    used = float(totals["actual"] / totals["budget"]) if totals["budget"] > 0 else None
    rows.append([words["total"], _money(totals["year_budget"]), _money(totals["budget"]), _money(totals["actual"]),
                 used, _over(totals["actual"] > totals["budget"] + 0.005, lang), _money(totals["remaining"])])
    return Block(
        title=words["title"].format(year=result.year, as_of=result.as_of.isoformat(), month=result.as_of.month),
        columns=[ColumnSpec(words["category"], width=14), ColumnSpec(words["year_budget"], "money", 14),
                 ColumnSpec(words["budget"], "money", 14), ColumnSpec(words["actual"], "money", 14),
                 ColumnSpec(words["used"], "percent", 9), ColumnSpec(words["over"], width=8),
                 ColumnSpec(words["remaining"], "money", 14)],
        rows=rows, highlights=[Highlight(5, OVER_LABEL[lang], OVER_FILL, whole_row=True)],
    )


def month_block(result: ExpenseResult, lang: Lang) -> Block:
    """Months 1-12 of the year: label, budget (column 1), actual (column 2), used, over."""
    words = WORDS[lang]
    rows = [[f"{result.year}-{int(r['month']):02d}", _money(r["budget"]), _money(r["actual"]), cell(r["used"]),
             _over(r["over"], lang)] for r in result.by_month().to_dict("records")]
    return Block(
        title=words["months"],
        columns=[ColumnSpec(words["month"], width=10), ColumnSpec(words["month_budget"], "money", 14),
                 ColumnSpec(words["month_actual"], "money", 14), ColumnSpec(words["used"], "percent", 9),
                 ColumnSpec(words["over"], width=8)],
        rows=rows, highlights=[Highlight(4, OVER_LABEL[lang], OVER_FILL, whole_row=True)],
    )


def people_block(result: ExpenseResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.by_salesperson()
    rows = [[sp or words["office"], result.names.get(sp, "") if sp != OFFICE else None, _money(r["budget"]),
             _money(r["actual"]), cell(r["used"]), _over(r["over"], lang), _money(r["office_charged"]),
             _money(r["unbudgeted"])] for sp, r in zip(frame["salesperson_id"], frame.to_dict("records"))]
    return Block(
        title=words["people"],
        columns=[ColumnSpec(words["salesperson"], width=16), ColumnSpec(words["name"], width=10),
                 ColumnSpec(words["budget"], "money", 14), ColumnSpec(words["actual"], "money", 14),
                 ColumnSpec(words["used"], "percent", 9), ColumnSpec(words["over"], width=8),
                 ColumnSpec(words["office_charged"], "money", 14), ColumnSpec(words["unbudgeted"], "money", 14)],
        rows=rows, highlights=[Highlight(5, OVER_LABEL[lang], OVER_FILL, whole_row=True)],
    )


def lines_block(result: ExpenseResult, lang: Lang) -> Block:
    """Every budget line of the year (and spending without one, budget 0), over-budget lines flagged."""
    words = WORDS[lang]
    lines: pd.DataFrame = result.lines
    rows = [[f"{result.year}-{int(r['month']):02d}", category_label(r["category"], lang),
             r["salesperson_id"] or words["office"], result.names.get(r["salesperson_id"]) if r["salesperson_id"] else None,
             _money(r["budget"]), _money(r["actual"]), cell(r["used"]), _over(r["over"], lang)]
            for r in lines.to_dict("records")]
    return Block(
        title=words["lines"], table_name=TABLE_NAME,
        columns=[ColumnSpec(words["month"], width=10), ColumnSpec(words["category"], width=14),
                 ColumnSpec(words["salesperson"], width=16), ColumnSpec(words["name"], width=10),
                 ColumnSpec(words["month_budget"], "money", 14), ColumnSpec(words["month_actual"], "money", 14),
                 ColumnSpec(words["used"], "percent", 9), ColumnSpec(words["over"], width=8)],
        rows=rows, highlights=[Highlight(7, OVER_LABEL[lang], OVER_FILL, whole_row=True)],
    )
