"""The Reminders sheet: counts per kind, then one row per reminder (urgent first, then by date and kind)."""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Highlight, Link, SheetSpec
from salesxl.passes.reminders import KINDS, Reminders
from salesxl.registry import ReportContext, register_report
from salesxl.reports.grades import cell
from salesxl.schema import OUTPUTS_BY_KEY

TABLE_NAME = "tblReminders"
URGENT_FILL = "FFFFC7CE"  # light red
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "提醒：截至 {as_of}，未来 {days} 天内到期及已逾期的事项", "kind": "类型", "count": "条数",
           "overdue": "已逾期", "total": "合计", "list": "提醒明细", "date": "日期", "days": "距今天数",
           "salesperson": "销售员", "name": "姓名", "customer": "客户编号", "customer_name": "客户名称",
           "text": "内容", "source": "来源单元格"},
    "en": {"summary": "Reminders as of {as_of}: due within {days} days, or overdue", "kind": "Kind", "count": "Count",
           "overdue": "Overdue", "total": "Total", "list": "Reminders", "date": "Date", "days": "Days from now",
           "salesperson": "Salesperson", "name": "Name", "customer": "Customer ID", "customer_name": "Customer",
           "text": "Text", "source": "Source cell"},
}


def kind_label(kind: str, lang: Lang) -> str:
    zh, en = KINDS[kind]
    return zh if lang == "zh" else en


@register_report("reminders")
def build(ctx: ReportContext, result: Reminders) -> SheetSpec:
    return reminders_sheet(result, ctx.lang)


def reminders_sheet(result: Reminders, lang: Lang) -> SheetSpec:
    spec = SheetSpec(key="reminders", name=OUTPUTS_BY_KEY["reminders"].sheet_name(lang),
                     blocks=[summary_block(result, lang), list_block(result, lang)])
    spec.freeze_rows = spec.block_origin(1)[0]
    return spec


def summary_block(result: Reminders, lang: Lang) -> Block:
    words = WORDS[lang]
    rows = result.rows
    overdue = rows["date"] < result.as_of
    table: list[list[Any]] = [[kind_label(kind, lang), int((rows["kind"] == kind).sum()),
                               int(((rows["kind"] == kind) & overdue).sum())] for kind in KINDS]
    table.append([words["total"], len(rows), int(overdue.sum())])
    return Block(title=words["summary"].format(as_of=result.as_of.isoformat(), days=result.days),
                 columns=[ColumnSpec(words["kind"], width=16), ColumnSpec(words["count"], "int", 8),
                          ColumnSpec(words["overdue"], "int", 8)],
                 rows=table)


def list_block(result: Reminders, lang: Lang) -> Block:
    words = WORDS[lang]
    urgent = kind_label("urgent", lang)
    rows = [[r["date"], (r["date"] - result.as_of).days, kind_label(r["kind"], lang), r["salesperson_id"] or None,
             result.names.get(r["salesperson_id"]), r["customer_id"] or None, cell(r["customer_name"]), r["text"],
             Link(r["cell"], r["cell"]) if r["cell"] else None]
            for r in result.rows.to_dict("records")]
    return Block(
        title=words["list"], table_name=TABLE_NAME,
        columns=[ColumnSpec(words["date"], "date", 11), ColumnSpec(words["days"], "int", 9),
                 ColumnSpec(words["kind"], width=14), ColumnSpec(words["salesperson"], width=10),
                 ColumnSpec(words["name"], width=10), ColumnSpec(words["customer"], width=11),
                 ColumnSpec(words["customer_name"], width=24), ColumnSpec(words["text"], width=48),
                 ColumnSpec(words["source"], width=16)],
        rows=rows, highlights=[Highlight(2, urgent, URGENT_FILL, whole_row=True),
                               Highlight(2, kind_label("complaint", lang), URGENT_FILL, whole_row=True)],
    )
