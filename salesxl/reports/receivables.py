"""The Receivables sheet: ageing by bucket (with its column chart), per salesperson, per customer, the collection list."""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, Highlight, SheetSpec
from salesxl.passes.money.ageing import ACTIONS, LEVEL_NAMES, bucket_labels
from salesxl.passes.receivables import Receivables
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY

CUSTOMER_TABLE = "tblReceivables"
COLLECTION_TABLE = "tblCollection"
CHART_HEIGHT = 15  # rows the ageing chart takes beside the bucket summary
LEVEL_FILLS = {4: "FFF4B6B6", 3: "FFFAD7A0"}
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"as_of": "数据截止日期", "basis": "账龄依据", "due": "到期日", "invoice": "开票日", "open": "应收余额",
           "overdue": "逾期金额", "overdue_share": "逾期占比", "credit": "客户预收/贷方余额",
           "late_customers": "逾期客户数", "buckets": "账龄分布", "bucket": "账龄", "amount": "金额",
           "invoices": "发票数", "share": "占比", "people": "按销售员", "id": "工号", "name": "姓名",
           "customers": "欠款客户数", "sales_90": "近90天销售", "dso": "应收周转天数(DSO)",
           "limit_used": "信用额度使用率", "by_customer": "按客户", "customer_id": "客户编号",
           "customer": "客户名称", "owner": "负责销售员", "owner_name": "销售员姓名", "limit": "信用额度",
           "oldest": "最早逾期发票", "oldest_due": "到期日", "days": "逾期天数", "collection": "催收清单（按风险排序）",
           "rank": "序号", "level": "催收级别", "action": "建议措施", "phone": "电话", "chart": "应收账龄分布",
           "uninvoiced": "已发货未开票", "oldest_date": "开票日期"},
    "en": {"as_of": "As of", "basis": "Ageing basis", "due": "Due date", "invoice": "Invoice date",
           "open": "Open receivables", "overdue": "Overdue", "overdue_share": "Overdue share",
           "credit": "Customer credit", "late_customers": "Customers overdue", "buckets": "Ageing",
           "bucket": "Age", "amount": "Amount", "invoices": "Invoices", "share": "Share", "people": "By salesperson",
           "id": "ID", "name": "Name", "customers": "Customers owing", "sales_90": "Sales last 90 days",
           "dso": "DSO (days)", "limit_used": "Credit limit used", "by_customer": "By customer",
           "customer_id": "Customer ID", "customer": "Customer", "owner": "Salesperson", "owner_name": "Salesperson name",
           "limit": "Credit limit", "oldest": "Oldest overdue invoice", "oldest_due": "Due date",
           "days": "Days past due", "collection": "Collection list (riskiest first)", "rank": "No.",
           "level": "Dunning level", "action": "Suggested action", "phone": "Phone", "chart": "Receivables ageing",
           "uninvoiced": "Shipped, not invoiced", "oldest_date": "Invoice date"},
}


@register_report("receivables")
def build(ctx: ReportContext, result: Receivables) -> SheetSpec:
    return receivables_sheet(result, ctx.lang)


def receivables_sheet(result: Receivables, lang: Lang) -> SheetSpec:
    w = WORDS[lang]
    labels = bucket_labels(result.edges, result.basis, lang)
    buckets = bucket_block(result, labels, lang)
    buckets.gap_after = max(1, CHART_HEIGHT - len(buckets.rows) - 1)
    blocks = [summary_block(result, lang), buckets, people_block(result, labels, lang),
              customer_block(result, labels, lang), collection_block(result, lang)]
    spec = SheetSpec(key="receivables", name=OUTPUTS_BY_KEY["receivables"].sheet_name(lang), blocks=blocks)
    row, _ = spec.block_origin(1)
    spec.charts = [ChartSpec("column", w["chart"], (ChartSeries(w["amount"], 1, 1, categories_column=0),),
                             anchor=f"F{row - 1}", width_cells=8, height_cells=CHART_HEIGHT,
                             y_title=w["amount"], x_title=w["bucket"])]
    return spec


def summary_block(result: Receivables, lang: Lang) -> Block:
    w = WORDS[lang]
    totals = result.totals()
    share = totals["overdue"] / totals["open"] if totals["open"] else None
    columns = [ColumnSpec(w["as_of"], "date", 12), ColumnSpec(w["basis"], width=10), ColumnSpec(w["open"], "money", 16),
               ColumnSpec(w["overdue"], "money", 16), ColumnSpec(w["overdue_share"], "percent", 10),
               ColumnSpec(w["credit"], "money", 16), ColumnSpec(w["late_customers"], "int", 12),
               ColumnSpec(w["uninvoiced"], "money", 16)]
    return Block(columns, [[result.as_of, w[result.basis], totals["open"], totals["overdue"], share,
                            totals["credit"], len(result.collection), totals["uninvoiced"]]])


def bucket_block(result: Receivables, labels: list[str], lang: Lang) -> Block:
    """Open amount per bucket: the source of the chart."""
    w = WORDS[lang]
    rows = [[labels[r.bucket], _money(r.amount), int(r.invoices), cell(r.share)] for r in result.buckets.itertuples()]
    columns = [ColumnSpec(w["bucket"], width=14), ColumnSpec(w["amount"], "money", 16), ColumnSpec(w["invoices"], "int", 10),
               ColumnSpec(w["share"], "percent", 10)]
    return Block(columns, rows, title=w["buckets"])


def people_block(result: Receivables, labels: list[str], lang: Lang) -> Block:
    w = WORDS[lang]
    columns = [ColumnSpec(w["id"], width=10), ColumnSpec(w["name"], width=10), ColumnSpec(w["customers"], "int", 10),
               ColumnSpec(w["late_customers"], "int", 10), ColumnSpec(w["open"], "money", 14),
               ColumnSpec(w["overdue"], "money", 14), *[ColumnSpec(label, "money", 13) for label in labels],
               ColumnSpec(w["uninvoiced"], "money", 14), ColumnSpec(w["dso"], "number", 12, "0.0"),
               ColumnSpec(w["limit_used"], "percent", 12)]
    rows = [[r["salesperson_id"], r["name"], int(r["customers"]), int(r["overdue_customers"]), _money(r["open"]),
             _money(r["overdue"]), *[_money(r[c]) for c in result.bucket_columns], _money(r["uninvoiced"]),
             _round(r["dso"], 1), cell(r["limit_used"])] for r in result.salespeople.to_dict("records")]
    return Block(columns, rows, title=w["people"])


def customer_block(result: Receivables, labels: list[str], lang: Lang) -> Block:
    w = WORDS[lang]
    columns = [ColumnSpec(w["customer_id"], width=12), ColumnSpec(w["customer"], width=26), ColumnSpec(w["owner"], width=10),
               ColumnSpec(w["open"], "money", 14), ColumnSpec(w["overdue"], "money", 14),
               *[ColumnSpec(label, "money", 13) for label in labels], ColumnSpec(w["uninvoiced"], "money", 14),
               ColumnSpec(w["credit"], "money", 12), ColumnSpec(w["sales_90"], "money", 14),
               ColumnSpec(w["dso"], "number", 12, "0.0"), ColumnSpec(w["limit"], "money", 12),
               ColumnSpec(w["limit_used"], "percent", 12),
               ColumnSpec(w["oldest"], width=16), ColumnSpec(w["days"], "int", 10)]
    rows = [[r["customer_id"], r["name"], r["owner"], _money(r["open"]), _money(r["overdue"]),
             *[_money(r[c]) for c in result.bucket_columns], _money(r["uninvoiced"]), _money(r["credit"]),
             _money(r["sales_90"]), _round(r["dso"], 1), _money(r["credit_limit"]), cell(r["limit_used"]),
             cell(r["oldest_invoice"]), _int(r["days_past_due"])] for r in result.customers.to_dict("records")]
    return Block(columns, rows, title=w["by_customer"], table_name=CUSTOMER_TABLE)


def collection_block(result: Receivables, lang: Lang) -> Block:
    """Every overdue customer, riskiest first, with the level reached and what to do next."""
    w = WORDS[lang]
    names = dict(zip(result.salespeople["salesperson_id"], result.salespeople["name"]))
    columns = [ColumnSpec(w["rank"], "int", 6), ColumnSpec(w["level"], width=12), ColumnSpec(w["customer_id"], width=12),
               ColumnSpec(w["customer"], width=26), ColumnSpec(w["phone"], width=14), ColumnSpec(w["owner"], width=10),
               ColumnSpec(w["owner_name"], width=10), ColumnSpec(w["overdue"], "money", 14),
               ColumnSpec(w["open"], "money", 14), ColumnSpec(w["oldest"], width=16),
               ColumnSpec(w["oldest_date"], "date", 12), ColumnSpec(w["oldest_due"], "date", 12),
               ColumnSpec(w["days"], "int", 10), ColumnSpec(w["action"], width=40)]
    rows = [[n, LEVEL_NAMES[lang][r["level"]], r["customer_id"], r["name"], r["phone"], r["owner"],
             cell(names.get(r["owner"])), _money(r["overdue"]), _money(r["open"]), r["oldest_invoice"],
             cell(r["oldest_invoice_date"]), cell(r["oldest_due"]), int(r["days_past_due"]), ACTIONS[lang][r["level"]]]
            for n, r in enumerate(result.collection.to_dict("records"), start=1)]
    highlights = [Highlight(1, LEVEL_NAMES[lang][level], fill, whole_row=True) for level, fill in LEVEL_FILLS.items()]
    return Block(columns, rows, title=w["collection"], table_name=COLLECTION_TABLE, highlights=highlights)


def _money(value: Any) -> float | None:
    return _round(value, 2)


def _round(value: Any, digits: int) -> float | None:
    number = cell(value)
    return None if number is None else round(float(number), digits)


def _int(value: Any) -> int | None:
    number = cell(value)
    return None if number is None else int(number)
