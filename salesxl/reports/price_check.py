"""The PriceCheck sheet: compliance per salesperson, the flagged lines with links, realised prices per product and month."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Link, SheetSpec
from salesxl.passes.pricing import PriceCheckResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

TABLE_NAME = "tblPriceCheck"
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"title": "价格执行：{start} 至 {as_of} 的销售明细，检查 {lines} 行，违规 {flagged} 行，无适用价格 {missing} 行",
           "salesperson": "销售员", "name": "姓名", "lines": "检查行数", "flagged": "违规行数", "share": "违规占比",
           "sales": "销售额", "lost": "较标准价少收", "below_policy": "低于政策少收", "total": "合计",
           "flagged_title": "违规明细（点击单元格跳到销售明细）", "cell": "单价单元格", "date": "订单日期",
           "order": "订单号", "customer": "客户编号", "customer_name": "客户名称", "product": "产品编号",
           "product_name": "产品名称", "quantity": "数量", "unit_price": "单价", "list_price": "标准价",
           "min_price": "最低限价", "max_discount": "最大折扣", "discount": "折扣", "rule": "适用客户类型",
           "problem": "问题", "below_min": "低于最低限价", "over_discount": "超出最大折扣", "sep": "；",
           "months_title": "各产品各月平均成交价与标准价（按数量加权）", "month": "月份", "avg_price": "平均成交价",
           "avg_list": "平均标准价", "realised": "成交价/标准价",
           "missing_title": "无适用价格的产品（未检查）", "first": "第一行", "none": "无"},
    "en": {"title": "Price check: order lines {start} to {as_of}, {lines} checked, {flagged} flagged, {missing} without an applicable price",
           "salesperson": "Salesperson", "name": "Name", "lines": "Lines checked", "flagged": "Lines flagged",
           "share": "Flagged share", "sales": "Sales", "lost": "Lost against list", "below_policy": "Below policy",
           "total": "Total", "flagged_title": "Flagged lines (click a cell to go to the order line)",
           "cell": "Unit price cell", "date": "Order date", "order": "Order no.", "customer": "Customer ID",
           "customer_name": "Customer", "product": "Product ID", "product_name": "Product", "quantity": "Quantity",
           "unit_price": "Unit price", "list_price": "List price", "min_price": "Minimum price",
           "max_discount": "Max discount", "discount": "Discount", "rule": "Price for", "problem": "Problem",
           "below_min": "below minimum price", "over_discount": "discount beyond maximum", "sep": "; ",
           "months_title": "Average realised price against list per product and month (quantity-weighted)",
           "month": "Month", "avg_price": "Average price", "avg_list": "Average list price", "realised": "Realised / list",
           "missing_title": "Products without an applicable price (not checked)", "first": "First line", "none": "none"},
}


@register_report("price_check")
def build(ctx: ReportContext, result: PriceCheckResult) -> SheetSpec:
    return price_sheet(result, ctx.lang)


def price_sheet(result: PriceCheckResult, lang: Lang) -> SheetSpec:
    blocks = [people_block(result, lang), flagged_block(result, lang), months_block(result, lang)]
    if not result.missing.empty:
        blocks.append(missing_block(result, lang))
    return SheetSpec(key="price_check", name=OUTPUTS_BY_KEY["price_check"].sheet_name(lang), blocks=blocks)


def _money(value: Any) -> float:
    return round(float(value), 2)


def people_block(result: PriceCheckResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.by_salesperson()
    rows: list[list[Any]] = [
        [r["salesperson_id"], result.names.get(r["salesperson_id"]), int(r["lines"]), int(r["flagged"]),
         float(r["flagged_share"]), _money(r["sales"]), _money(r["lost"]), _money(r["below_policy"])]
        for r in frame.to_dict("records")]
    lines, flagged = int(frame["lines"].sum()), int(frame["flagged"].sum())
    rows.append([words["total"], None, lines, flagged, flagged / lines if lines else None,
                 _money(frame["sales"].sum()), _money(frame["lost"].sum()), _money(frame["below_policy"].sum())])
    title = words["title"].format(start=result.start.isoformat(), as_of=result.as_of.isoformat(), lines=lines,
                                  flagged=flagged, missing=int(result.missing["lines"].sum()))
    return Block(
        title=title,
        columns=[ColumnSpec(words["salesperson"], width=12), ColumnSpec(words["name"], width=10),
                 ColumnSpec(words["lines"], "int", 10), ColumnSpec(words["flagged"], "int", 10),
                 ColumnSpec(words["share"], "percent", 10), ColumnSpec(words["sales"], "money", 15),
                 ColumnSpec(words["lost"], "money", 15), ColumnSpec(words["below_policy"], "money", 15)],
        rows=rows,
    )


def _problem(below_min: bool, over_discount: bool, lang: Lang) -> str:
    words = WORDS[lang]
    return words["sep"].join(words[k] for k, on in (("below_min", below_min), ("over_discount", over_discount)) if on)


def _by_urgency(flagged: pd.DataFrame) -> pd.DataFrame:
    """The costliest breaches first (amount below policy), then the sheet order."""
    return flagged.assign(_cost=-flagged["below_policy"].astype(float)).sort_values(
        ["_cost", "row"] if "row" in flagged else ["_cost"], kind="mergesort")


def flagged_block(result: PriceCheckResult, lang: Lang) -> Block:
    words = WORDS[lang]
    kinds = TABLES_BY_KEY["price_list"].column("customer_type")
    rows = [[Link(r["cell"], r["cell"]), cell(r["date"]), r["order_id"], r["salesperson_id"],
             result.names.get(r["salesperson_id"]), r["customer_id"], cell(r["customer_name"]), r["product_id"],
             cell(r["product_name"]), float(r["quantity"]), float(r["unit_price"]), float(r["list_price"]),
             cell(r["min_price"]), cell(r["max_discount"]), round(float(r["discount"]), 6),
             kinds.label(r["customer_type"], lang), _problem(r["below_min"], r["over_discount"], lang),
             _money(r["below_policy"])]
            for r in _by_urgency(result.flagged).to_dict("records")]
    return Block(
        title=words["flagged_title"], table_name=TABLE_NAME,
        columns=[ColumnSpec(words["cell"], width=14), ColumnSpec(words["date"], "date", 11),
                 ColumnSpec(words["order"], width=16), ColumnSpec(words["salesperson"], width=10),
                 ColumnSpec(words["name"], width=10), ColumnSpec(words["customer"], width=11),
                 ColumnSpec(words["customer_name"], width=22), ColumnSpec(words["product"], width=10),
                 ColumnSpec(words["product_name"], width=22), ColumnSpec(words["quantity"], "number", 9),
                 ColumnSpec(words["unit_price"], "money", 10), ColumnSpec(words["list_price"], "money", 10),
                 ColumnSpec(words["min_price"], "money", 10), ColumnSpec(words["max_discount"], "percent", 9),
                 ColumnSpec(words["discount"], "percent", 9), ColumnSpec(words["rule"], width=10),
                 ColumnSpec(words["problem"], width=26), ColumnSpec(words["below_policy"], "money", 12)],
        rows=rows,
    )


def months_block(result: PriceCheckResult, lang: Lang) -> Block:
    words = WORDS[lang]
    rows = [[r["product_id"], cell(r["product_name"]), r["month"], int(r["lines"]), float(r["quantity"]),
             _money(r["avg_price"]), _money(r["avg_list"]), round(float(r["realised"]), 6), int(r["flagged"])]
            for r in result.by_product_month().to_dict("records")]
    return Block(
        title=words["months_title"], table_name=TABLE_NAME + "Months",
        columns=[ColumnSpec(words["product"], width=10), ColumnSpec(words["product_name"], width=22),
                 ColumnSpec(words["month"], width=9), ColumnSpec(words["lines"], "int", 9),
                 ColumnSpec(words["quantity"], "number", 11), ColumnSpec(words["avg_price"], "money", 11),
                 ColumnSpec(words["avg_list"], "money", 11), ColumnSpec(words["realised"], "percent", 10),
                 ColumnSpec(words["flagged"], "int", 9)],
        rows=rows,
    )


def missing_block(result: PriceCheckResult, lang: Lang) -> Block:
    words = WORDS[lang]
    rows = [[r["product_id"], cell(r["product_name"]), int(r["lines"]), Link(r["cell"], r["cell"]) if r["cell"] else None]
            for r in result.missing.to_dict("records")]
    return Block(
        title=words["missing_title"],
        columns=[ColumnSpec(words["product"], width=10), ColumnSpec(words["product_name"], width=22),
                 ColumnSpec(words["lines"], "int", 9), ColumnSpec(words["first"], width=14)],
        rows=rows,
    )
