"""The Composition sheet: totals, one block per dimension, the Pareto curve, weak spots and charts."""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, SheetSpec
from salesxl.passes.composition import CompositionResult, Dimension
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY

CHART_COLUMN = "J"
CHART_ROWS = 17  # rows each chart takes in the stack beside the blocks
SALES_COLUMN = 3  # index of the sales column in a dimension block
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"overview": "客户构成（截至 {as_of}，近12个月净销售额）", "customers": "客户数", "buyers": "有销售客户数",
           "customer_share": "客户占比", "sales": "近12个月净销售额", "sales_share": "销售占比",
           "prev_sales": "上年同期净销售额", "change": "同比变化", "pareto": "帕累托曲线：前 x% 客户贡献的销售占比",
           "top": "前 x% 客户", "cum_customers": "客户累计占比", "cum_sales": "销售累计占比",
           "weak": "销售薄弱环节：客户占比达到销售占比 {ratio:g} 倍及以上", "dimension": "维度", "group": "类别",
           "ratio": "倍数", "share_of": "{title}销售占比", "sales_by": "{title}净销售额", "none": "无",
           "by": "按{title}"},
    "en": {"overview": "Customer composition as of {as_of} (net sales of the last 12 months)", "customers": "Customers",
           "buyers": "Customers with sales", "customer_share": "Share of customers", "sales": "Net sales 12 months",
           "sales_share": "Share of sales", "prev_sales": "Net sales a year before", "change": "Change",
           "pareto": "Pareto curve: share of sales from the top x % of customers", "top": "Top x % of customers",
           "cum_customers": "Cumulative share of customers", "cum_sales": "Cumulative share of sales",
           "weak": "Where sales are weak: share of customers at least {ratio:g} times the share of sales",
           "dimension": "Dimension", "group": "Group", "ratio": "Ratio", "share_of": "Sales share by {title}",
           "sales_by": "Net sales by {title}", "none": "none",
           "by": "By {title}"},
}


@register_report("composition")
def build(ctx: ReportContext, result: CompositionResult) -> SheetSpec:
    return composition_sheet(result, ctx.lang)


def composition_sheet(result: CompositionResult, lang: Lang) -> SheetSpec:
    words = WORDS[lang]
    blocks = [overview_block(result, lang)]
    blocks += [dimension_block(d, lang) for d in result.dimensions]
    blocks.append(Block(
        title=words["pareto"],
        columns=[ColumnSpec(words["top"], width=14), ColumnSpec(words["cum_customers"], "percent", 14),
                 ColumnSpec(words["cum_sales"], "percent", 14)],
        rows=[[f"{share:.0%}", float(share), round(float(sales), 6)]
              for share, sales in zip(result.pareto["customer_share"], result.pareto["sales_share"])],
    ))
    blocks.append(weak_block(result, lang))
    index = {d.key: i + 1 for i, d in enumerate(result.dimensions)}
    by_key = {d.key: d for d in result.dimensions}
    anchors = [f"{CHART_COLUMN}{1 + n * CHART_ROWS}" for n in range(3)]
    charts = [
        ChartSpec("pie", words["share_of"].format(title=by_key["channel_type"].title),
                  (ChartSeries(words["sales"], index["channel_type"], SALES_COLUMN),),
                  anchor=anchors[0], height_cells=CHART_ROWS - 1),
        ChartSpec("bar", words["sales_by"].format(title=by_key["region"].title),
                  (ChartSeries(words["sales"], index["region"], SALES_COLUMN),),
                  anchor=anchors[1], height_cells=CHART_ROWS - 1),
        ChartSpec("line", words["pareto"], (ChartSeries(words["cum_sales"], len(blocks) - 2, 2),),
                  anchor=anchors[2], height_cells=CHART_ROWS - 1, y_title=words["cum_sales"], x_title=words["top"]),
    ]
    return SheetSpec(key="composition", name=OUTPUTS_BY_KEY["composition"].sheet_name(lang), blocks=blocks,
                     charts=charts)


def overview_block(result: CompositionResult, lang: Lang) -> Block:
    words = WORDS[lang]
    return Block(
        title=words["overview"].format(as_of=result.as_of.isoformat()),
        columns=[ColumnSpec(words["customers"], "int", 12), ColumnSpec(words["buyers"], "int", 12),
                 ColumnSpec(words["sales"], "money", 16), ColumnSpec(words["prev_sales"], "money", 16),
                 ColumnSpec(words["change"], "percent", 10)],
        rows=[[result.customers, result.buyers, result.sales, result.prev_sales, cell(result.change)]],
    )


def dimension_block(dimension: Dimension, lang: Lang) -> Block:
    """Group label, customers, share, sales, share, last year's sales, change (sales in column SALES_COLUMN)."""
    words = WORDS[lang]
    rows = [[g["label"], int(g["customers"]), float(g["customer_share"]), float(g["sales"]),
             cell(g["sales_share"]), float(g["prev_sales"]), cell(g["change"])]
            for g in dimension.groups.to_dict("records")]
    return Block(
        title=words["by"].format(title=dimension.title),
        columns=[ColumnSpec(dimension.title, width=16), ColumnSpec(words["customers"], "int", 10),
                 ColumnSpec(words["customer_share"], "percent", 10), ColumnSpec(words["sales"], "money", 16),
                 ColumnSpec(words["sales_share"], "percent", 10), ColumnSpec(words["prev_sales"], "money", 16),
                 ColumnSpec(words["change"], "percent", 10)],
        rows=rows,
    )


def weak_block(result: CompositionResult, lang: Lang) -> Block:
    words = WORDS[lang]
    rows: list[list[Any]] = [
        [w["dimension"], w["label"], float(w["customer_share"]), cell(w["sales_share"]),
         None if w["ratio"] == float("inf") else round(float(w["ratio"]), 2)]
        for w in result.weak.to_dict("records")
    ] or [[words["none"], None, None, None, None]]
    return Block(
        title=words["weak"].format(ratio=result.weak_ratio),
        columns=[ColumnSpec(words["dimension"], width=16), ColumnSpec(words["group"], width=16),
                 ColumnSpec(words["customer_share"], "percent", 10), ColumnSpec(words["sales_share"], "percent", 10),
                 ColumnSpec(words["ratio"], "number", 8)],
        rows=rows,
    )
