"""The Commission sheet (statements, then the lines behind them) and the hidden record of settled months."""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.passes.commission import Commission
from salesxl.passes.money.settlement import SETTLED_COLUMNS, SETTLED_KEY, SETTLED_SHEET
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY

STATEMENT_TABLE = "tblCommission"
LINE_TABLE = "tblCommissionLines"
RATE_FORMAT = "0.00%"
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"as_of": "数据截止日期", "year": "计划年度", "basis_kind": "提成基数", "sales": "销售额", "cash": "回款额",
           "through": "已结算至", "none": "无", "total": "佣金合计", "settled_total": "其中已结算",
           "statements": "佣金结算单（每位销售员每月一张）", "month": "月份", "id": "工号", "name": "姓名",
           "target": "月目标", "net_sales": "月净销售额", "achievement": "达成率", "rate": "提成比例",
           "basis": "基数金额", "commission": "佣金", "status": "状态", "settled": "已结算", "open": "未结算",
           "lines": "结算单明细", "reference_sales": "订单号", "reference_cash": "发票号", "payment": "回款编号",
           "customer": "客户编号", "date_sales": "订单日期", "date_cash": "回款日期", "line": "产品线",
           "multiplier": "系数", "line_count": "明细行数",
           "detail_off": "明细未写出：如需明细，请把设置“写出佣金明细”设为是"},
    "en": {"as_of": "As of", "year": "Plan year", "basis_kind": "Basis", "sales": "Net sales", "cash": "Cash collected",
           "through": "Settled through", "none": "none", "total": "Total commission", "settled_total": "Of which settled",
           "statements": "Commission statements (one per salesperson per month)", "month": "Month", "id": "ID",
           "name": "Name", "target": "Month target", "net_sales": "Month net sales", "achievement": "Achievement",
           "rate": "Rate", "basis": "Basis amount", "commission": "Commission", "status": "Status",
           "settled": "Settled", "open": "Open", "lines": "Statement lines", "reference_sales": "Order no.",
           "reference_cash": "Invoice no.", "payment": "Payment ID", "customer": "Customer ID",
           "date_sales": "Order date", "date_cash": "Payment date", "line": "Product line", "multiplier": "Multiplier",
           "line_count": "Lines", "detail_off": "Lines not written: set \"Write commission detail\" to yes to see them"},
}


@register_report("commission")
def build(ctx: ReportContext, result: Commission) -> list[SheetSpec]:
    wanted = ctx.settings.commission.commission_detail
    # a detail sheet left by an earlier run is emptied, so no stale lines stand next to today's statements
    stale = not wanted and set(OUTPUTS_BY_KEY["commission_detail"].names()) & set(ctx.book.sheet_names)
    detail = [detail_sheet(result, ctx.lang, empty=not wanted)] if wanted or stale else []
    return [commission_sheet(result, ctx.lang), *detail,
            settled_sheet(result, ctx.lang)]


def commission_sheet(result: Commission, lang: Lang) -> SheetSpec:
    """What payroll needs: the totals, then one statement per salesperson and month (lines only on request)."""
    blocks = [summary_block(result, lang), statement_block(result, lang)]
    return SheetSpec(key="commission", name=OUTPUTS_BY_KEY["commission"].sheet_name(lang), blocks=blocks)


def detail_sheet(result: Commission, lang: Lang, empty: bool = False) -> SheetSpec:
    """Every line behind the statements, written when Settings asks for it (it runs to one row per order line)."""
    block = line_block(result, lang)
    if empty:
        block.rows, block.title = [], WORDS[lang]["detail_off"]
    return SheetSpec(key="commission_detail", name=OUTPUTS_BY_KEY["commission_detail"].sheet_name(lang),
                     blocks=[block])


def summary_block(result: Commission, lang: Lang) -> Block:
    w = WORDS[lang]
    statements = result.statements
    total = round(float(statements["commission"].sum()), 2)
    settled = round(float(statements.loc[statements["settled"], "commission"].sum()), 2)
    columns = [ColumnSpec(w["as_of"], "date", 12), ColumnSpec(w["year"], "int", 10), ColumnSpec(w["basis_kind"], width=12),
               ColumnSpec(w["through"], width=12), ColumnSpec(w["total"], "money", 14),
               ColumnSpec(w["settled_total"], "money", 14)]
    return Block(columns, [[result.as_of, result.year, w[result.basis], result.settled_through or w["none"], total,
                            settled]])


def statement_block(result: Commission, lang: Lang) -> Block:
    w = WORDS[lang]
    columns = [ColumnSpec(w["month"], width=9), ColumnSpec(w["id"], width=9), ColumnSpec(w["name"], width=10),
               ColumnSpec(w["target"], "money", 14), ColumnSpec(w["net_sales"], "money", 14),
               ColumnSpec(w["achievement"], "percent", 10), ColumnSpec(w["rate"], "percent", 9, RATE_FORMAT),
               ColumnSpec(w["basis"], "money", 14), ColumnSpec(w["commission"], "money", 12),
               ColumnSpec(w["status"], width=8), ColumnSpec(w["line_count"], "int", 8)]
    rows = [[r["month"], r["salesperson_id"], r["name"], _money(r["target"]), _money(r["net_sales"]),
             cell(r["achievement"]), cell(r["rate"]), _money(r["basis"]), _money(r["commission"]),
             w["settled"] if r["settled"] else w["open"], int(r["lines"])]
            for r in result.statements.to_dict("records")]
    return Block(columns, rows, title=w["statements"], table_name=STATEMENT_TABLE)


def line_block(result: Commission, lang: Lang) -> Block:
    w = WORDS[lang]
    cash = result.basis == "cash"
    columns = [ColumnSpec(w["month"], width=9), ColumnSpec(w["id"], width=9),
               ColumnSpec(w["reference_cash" if cash else "reference_sales"], width=16)]
    columns += [ColumnSpec(w["payment"], width=12)] if cash else []
    columns += [ColumnSpec(w["customer"], width=10), ColumnSpec(w["date_cash" if cash else "date_sales"], "date", 12),
                ColumnSpec(w["line"], width=12), ColumnSpec(w["basis"], "money", 13),
                ColumnSpec(w["rate"], "percent", 9, RATE_FORMAT), ColumnSpec(w["multiplier"], "number", 8, "0.00"),
                ColumnSpec(w["commission"], "money", 12), ColumnSpec(w["status"], width=8)]
    rows = []
    for r in result.lines.to_dict("records"):
        row = [r["month"], r["salesperson_id"], r["reference"]]
        row += [r["payment_id"]] if cash else []
        row += [r["customer_id"], cell(r["date"]), r["product_line"] or None, _money(r["basis"]), cell(r["rate"]),
                cell(r["multiplier"]), _money(r["commission"]), w["settled"] if r["settled"] else w["open"]]
        rows.append(row)
    return Block(columns, rows, title=w["lines"], table_name=LINE_TABLE)


def settled_sheet(result: Commission, lang: Lang) -> SheetSpec:
    """Hidden: one row per settled statement (with its lines' fingerprint), read back by the next run."""
    columns = [ColumnSpec(zh if lang == "zh" else en, kind, 12) for _, zh, en, kind in SETTLED_COLUMNS]
    rows = [[_text_or_value(record[key]) for key, _, _, _ in SETTLED_COLUMNS]
            for record in result.settled.to_dict("records")]
    return SheetSpec(key=SETTLED_KEY, name=SETTLED_SHEET[lang], blocks=[Block(columns, rows)], hidden=True)


def _text_or_value(value: Any) -> Any:
    value = cell(value)
    return None if value == "" else value


def _money(value: Any) -> float | None:
    number = cell(value)
    return None if number is None else round(float(number), 2)
