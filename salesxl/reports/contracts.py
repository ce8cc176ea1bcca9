"""The contracts and inquiries sheet: contracts signed, contracts ending soon, reply times and open inquiries."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, Link, SheetSpec
from salesxl.passes.contracts import HORIZONS, ContractResult
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"months": "合同签订统计：{year} 年，截至 {as_of}（不含草拟）", "month": "月份", "contracts": "合同数",
           "amount": "合同金额", "total": "合计", "people": "按销售员", "salesperson": "销售员", "name": "姓名",
           "channels": "按客户渠道类型", "channel": "渠道类型", "blank": "（未填）",
           "ending": "即将到期的合同（截至 {as_of}）：30天内 {n30} 份，60天内 {n60} 份，90天内 {n90} 份",
           "window": "到期窗口", "window_label": "{low}–{high}天", "window_first": "30天内", "contract": "合同编号",
           "customer": "客户编号", "customer_name": "客户名称", "end": "结束日期", "days_left": "剩余天数",
           "reply": "询价响应：{year} 年，{minutes} 分钟内报价为及时（未报价计为不及时）", "inquiries": "询价数",
           "quoted": "已报价", "in_time": "及时报价", "share": "及时率", "median": "响应时间中位数（分钟）",
           "longest": "最长响应（分钟）", "open": "未报价的询价（{count} 条）", "inquiry": "询价编号",
           "received": "询价时间", "age": "已等待天数", "product": "产品编号", "result": "结果", "none": "无",
           "chart": "{year} 年各月签订合同金额"},
    "en": {"months": "Contracts signed in {year} up to {as_of} (drafts left out)", "month": "Month",
           "contracts": "Contracts", "amount": "Amount", "total": "Total", "people": "By salesperson",
           "salesperson": "Salesperson", "name": "Name", "channels": "By customer channel type", "channel": "Channel type",
           "blank": "(blank)",
           "ending": "Contracts ending soon (as of {as_of}): {n30} within 30 days, {n60} within 60, {n90} within 90",
           "window": "Ends within", "window_label": "{low}-{high} days", "window_first": "30 days",
           "contract": "Contract ID", "customer": "Customer ID", "customer_name": "Customer", "end": "End date",
           "days_left": "Days left",
           "reply": "Inquiry replies in {year}: quoted within {minutes} minutes is in time (unanswered counts as late)",
           "inquiries": "Inquiries", "quoted": "Quoted", "in_time": "Quoted in time", "share": "In time",
           "median": "Median reply (minutes)", "longest": "Longest reply (minutes)",
           "open": "Inquiries without a quotation ({count})", "inquiry": "Inquiry ID", "received": "Received",
           "age": "Days waiting", "product": "Product ID", "result": "Result", "none": "none",
           "chart": "Contract amounts signed by month, {year}"},
}


@register_report("contracts")
def build(ctx: ReportContext, result: ContractResult) -> SheetSpec:
    return contracts_sheet(result, ctx.lang)


def contracts_sheet(result: ContractResult, lang: Lang) -> SheetSpec:
    words = WORDS[lang]
    blocks = [month_block(result, lang), people_block(result, lang), channel_block(result, lang),
              ending_block(result, lang), reply_block(result, lang), open_block(result, lang)]
    chart = ChartSpec("column", words["chart"].format(year=result.year), (ChartSeries(words["amount"], 0, 2),),
                      anchor="L1", width_cells=9, height_cells=16)
    return SheetSpec(key="contracts", name=OUTPUTS_BY_KEY["contracts"].sheet_name(lang), blocks=blocks,
                     charts=[chart])


def _count_columns(first: ColumnSpec, lang: Lang) -> list[ColumnSpec]:
    words = WORDS[lang]
    return [first, ColumnSpec(words["contracts"], "int", 10), ColumnSpec(words["amount"], "money", 16)]


def _total(frame: pd.DataFrame, lang: Lang, width: int) -> list[Any]:
    return [WORDS[lang]["total"], *([None] * (width - 3)), int(frame["contracts"].sum()), round(float(frame["amount"].sum()), 2)]


def month_block(result: ContractResult, lang: Lang) -> Block:
    """Month label, count, amount (column 2: the chart's values, so no total row); later months are 0."""
    words = WORDS[lang]
    frame = result.signed_by("month")
    rows = [[f"{result.year}-{int(m):02d}", int(n), round(float(a), 2)]
            for m, n, a in zip(frame["month"], frame["contracts"], frame["amount"])]
    return Block(title=words["months"].format(year=result.year, as_of=result.as_of.isoformat()),
                 columns=_count_columns(ColumnSpec(words["month"], width=10), lang), rows=rows)


def people_block(result: ContractResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.signed_by("salesperson_id")
    rows = [[sp, result.names.get(sp), int(n), round(float(a), 2)]
            for sp, n, a in zip(frame["salesperson_id"], frame["contracts"], frame["amount"])]
    rows.append(_total(frame, lang, 4))
    return Block(title=words["people"],
                 columns=[ColumnSpec(words["salesperson"], width=12),
                          *_count_columns(ColumnSpec(words["name"], width=10), lang)],
                 rows=rows)


def channel_block(result: ContractResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.signed_by("channel")
    channel = TABLES_BY_KEY["customers"].column("channel_type")
    rows = [[channel.label(c, lang) if c else words["blank"], int(n), round(float(a), 2)]
            for c, n, a in zip(frame["channel"], frame["contracts"], frame["amount"])]
    rows.append(_total(frame, lang, 3))
    return Block(title=words["channels"], columns=_count_columns(ColumnSpec(words["channel"], width=12), lang), rows=rows)


def window_label(within: int, lang: Lang) -> str:
    words = WORDS[lang]
    if within == HORIZONS[0]:
        return words["window_first"]
    low = HORIZONS[HORIZONS.index(within) - 1] + 1
    return words["window_label"].format(low=low, high=within)


def ending_block(result: ContractResult, lang: Lang) -> Block:
    words = WORDS[lang]
    ending = result.ending
    counts = {f"n{h}": int((ending["days_left"] <= h).sum()) for h in HORIZONS}
    rows = [[window_label(int(r["within"]), lang), Link(r["contract_id"] or r["cell"], r["cell"]) if r["cell"] else r["contract_id"],
             r["customer_id"], cell(r["customer_name"]), r["salesperson_id"], result.names.get(r["salesperson_id"]),
             cell(r["end_date"]), int(r["days_left"]), round(float(r["amount"]), 2)]
            for r in ending.to_dict("records")] or [[words["none"], *([None] * 8)]]
    return Block(
        title=words["ending"].format(as_of=result.as_of.isoformat(), **counts),
        columns=[ColumnSpec(words["window"], width=11), ColumnSpec(words["contract"], width=14),
                 ColumnSpec(words["customer"], width=11), ColumnSpec(words["customer_name"], width=24),
                 ColumnSpec(words["salesperson"], width=10), ColumnSpec(words["name"], width=10),
                 ColumnSpec(words["end"], "date", 11), ColumnSpec(words["days_left"], "int", 9),
                 ColumnSpec(words["amount"], "money", 14)],
        rows=rows,
    )


def reply_block(result: ContractResult, lang: Lang) -> Block:
    words = WORDS[lang]
    frame = result.reply_by_salesperson()
    rows = [[r["salesperson_id"], result.names.get(r["salesperson_id"]), int(r["inquiries"]), int(r["quoted"]),
             int(r["in_time"]), float(r["share"]), cell(r["median_minutes"]), cell(r["max_minutes"])]
            for r in frame.to_dict("records")]
    everyone = result.inquiries
    total = len(everyone)
    rows.append([words["total"], None, total, int(everyone["minutes"].notna().sum()), int(everyone["in_time"].sum()),
                 float(everyone["in_time"].sum() / total) if total else None,
                 cell(everyone["minutes"].median()), cell(everyone["minutes"].max())])
    return Block(
        title=words["reply"].format(year=result.year, minutes=result.reply_minutes),
        columns=[ColumnSpec(words["salesperson"], width=12), ColumnSpec(words["name"], width=10),
                 ColumnSpec(words["inquiries"], "int", 9), ColumnSpec(words["quoted"], "int", 9),
                 ColumnSpec(words["in_time"], "int", 10), ColumnSpec(words["share"], "percent", 9),
                 ColumnSpec(words["median"], "number", 12, "0.0"), ColumnSpec(words["longest"], "number", 12, "0")],
        rows=rows,
    )


def open_block(result: ContractResult, lang: Lang) -> Block:
    words = WORDS[lang]
    results = TABLES_BY_KEY["inquiries"].column("result")
    frame = result.unanswered
    rows = [[Link(r["inquiry_id"] or r["cell"], r["cell"]) if r["cell"] else r["inquiry_id"],
             r["received_at"].to_pydatetime(), int(r["age_days"]), r["salesperson_id"],
             result.names.get(r["salesperson_id"]), r["customer_id"], cell(r["customer_name"]), r["product_id"] or None,
             results.label(r["result"], lang) if r["result"] else None]
            for r in frame.to_dict("records")] or [[words["none"], *([None] * 8)]]
    return Block(
        title=words["open"].format(count=len(frame)),
        columns=[ColumnSpec(words["inquiry"], width=12), ColumnSpec(words["received"], "datetime", 16),
                 ColumnSpec(words["age"], "int", 9), ColumnSpec(words["salesperson"], width=10),
                 ColumnSpec(words["name"], width=10), ColumnSpec(words["customer"], width=11),
                 ColumnSpec(words["customer_name"], width=24), ColumnSpec(words["product"], width=10),
                 ColumnSpec(words["result"], width=9)],
        rows=rows,
    )
