"""The Grades sheet (one row per customer, summary on top), the hidden grade history, and the card formula.

The customer sheet of the template shows each card's grade with
`grade_formula`, an INDEX/MATCH on this sheet's ID and grade columns, whose
letters come from `GRADE_COLUMNS` so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from salesxl.core.book import column_letter
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Formula, Highlight, SheetSpec
from salesxl.passes.grade import GradeResult
from salesxl.passes.grading.abc import ABC_CLASSES, ABC_LABELS
from salesxl.passes.grading.composite import TIER_LABELS
from salesxl.schema.grades import GRADES
from salesxl.passes.grading.credit import FLAGS
from salesxl.passes.grading.history import HISTORY_COLUMNS, HISTORY_KEY, HISTORY_SHEET
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

TABLE_NAME = "tblGrades"
GRADE_FILLS = {"A": "FFC6EFCE", "B": "FFE2F0D9", "C": "FFFFEB9C", "D": "FFFFC7CE"}  # green, light green, yellow, light red
SCORE_FORMAT = "0.0"
#: Header of the formula column the template adds to the Customers sheet.
CARD_GRADE_HEADER: dict[Lang, str] = {"zh": "客户等级", "en": "Grade"}
#: (result column, zh header, en header, kind, width, number format) of the grades table, in sheet order.
GRADE_COLUMNS: tuple[tuple[str, str, str, str, float, str | None], ...] = (
    ("customer_id", "客户编号", "Customer ID", "text", 12, None),
    ("name", "客户名称", "Customer name", "text", 26, None),
    ("salesperson_name", "销售员", "Salesperson", "text", 10, None),
    ("region", "区域", "Region", "text", 10, None),
    ("grade", "综合等级", "Grade", "text", 9, None),
    ("abc", "ABC分类", "ABC class", "text", 9, None),
    ("tier", "客户类别", "Tier", "text", 9, None),
    ("score", "综合得分", "Score", "number", 9, SCORE_FORMAT),
    ("volume", "销量得分", "Volume", "number", 9, SCORE_FORMAT),
    ("growth", "增长得分", "Growth", "number", 9, SCORE_FORMAT),
    ("payment", "回款得分", "Payment", "number", 9, SCORE_FORMAT),
    ("rfm", "频率近度得分", "RFM", "number", 9, SCORE_FORMAT),
    ("potential", "潜力得分", "Potential", "number", 9, SCORE_FORMAT),
    ("net_sales", "近12个月净销售额", "Net sales 12 months", "money", 15, None),
    ("prev_sales", "前12个月净销售额", "Net sales 12 months before", "money", 15, None),
    ("open_receivable", "应收余额", "Open receivables", "money", 13, None),
    ("open_orders", "未开票订单", "Orders not invoiced", "money", 13, None),
    ("max_days_overdue", "最长逾期天数", "Most days overdue", "int", 10, None),
    ("credit_limit", "信用额度", "Credit limit", "money", 13, None),
    ("suggested_limit", "建议额度", "Suggested limit", "money", 13, None),
    ("flags", "信用提示", "Credit flags", "text", 24, None),
    ("over_limit", "超额度", "Over limit", "bool", 8, None),
    ("overdue", "逾期", "Overdue", "bool", 8, None),
    ("past_problems", "信用问题", "Past problems", "bool", 9, None),
    ("change", "较上次变化", "Change since last run", "text", 12, None),
)
_INDEX = {column[0]: i for i, column in enumerate(GRADE_COLUMNS)}
FLAG_LABELS: dict[str, tuple[str, str]] = {
    "over_limit": ("超信用额度", "over credit limit"),
    "overdue": ("逾期超过{days}天", "overdue over {days} days"),
    "past_problems": ("以往信用问题", "past credit problems"),
}
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "等级分布（截至 {as_of}）", "since": "；上次运行 {date}：升级 {up} 户，降级 {down} 户",
           "grade": "综合等级 \\ ABC", "total": "合计", "grade_label": "{grade} 级", "table": "客户分级明细",
           "first": "首次评级", "sep": "；"},
    "en": {"summary": "Grades as of {as_of}", "since": "; last run {date}: {up} up, {down} down",
           "grade": "Grade \\ ABC", "total": "Total", "grade_label": "Grade {grade}", "table": "Customer grades",
           "first": "first graded", "sep": "; "},
}


def column_of(key: str) -> str:
    """The Grades sheet's column letter of a result column (the table starts in column A)."""
    return column_letter(1 + _INDEX[key])


def grade_formula(row: int, lang: Lang) -> Formula:
    """The grade of the card in `row` of the Customers sheet, looked up on the Grades sheet ("" if none)."""
    sheet = "'" + OUTPUTS_BY_KEY["grades"].sheet_name(lang).replace("'", "''") + "'"
    id_letter = column_letter(1 + [c.key for c in TABLES_BY_KEY["customers"].columns].index("customer_id"))
    grade, ids = column_of("grade"), column_of("customer_id")
    return Formula(f'IFERROR(INDEX({sheet}!${grade}:${grade},MATCH(${id_letter}{row},{sheet}!${ids}:${ids},0)),"")')


@register_report("grades")
def build(ctx: ReportContext, result: GradeResult) -> list[SheetSpec]:
    overdue_days = ctx.settings.grades.credit_overdue_days
    return [grades_sheet(result, ctx.lang, overdue_days),
            history_sheet(result, ctx.lang)]


def grades_sheet(result: GradeResult, lang: Lang, overdue_days: int) -> SheetSpec:
    """Summary cross-tab (grade x ABC class) on top, then the filterable table of every customer."""
    words = WORDS[lang]
    table = Block(
        title=words["table"],
        columns=[ColumnSpec(zh if lang == "zh" else en, kind, width, fmt) for _, zh, en, kind, width, fmt in GRADE_COLUMNS],
        rows=[_grade_row(record, lang, overdue_days) for record in result.customers.to_dict("records")],
        table_name=TABLE_NAME,
        highlights=[Highlight(_INDEX["grade"], grade, fill) for grade, fill in GRADE_FILLS.items()],
    )
    spec = SheetSpec(key="grades", name=OUTPUTS_BY_KEY["grades"].sheet_name(lang), blocks=[summary_block(result, lang), table])
    spec.freeze_rows = spec.block_origin(1)[0]
    return spec


def summary_block(result: GradeResult, lang: Lang) -> Block:
    """Counts of customers per composite grade (rows) and ABC class (columns), with totals."""
    words = WORDS[lang]
    counts = pd.crosstab(result.customers["grade"], result.customers["abc"]).reindex(
        index=list(GRADES), columns=list(ABC_CLASSES), fill_value=0)
    rows: list[list[Any]] = [[words["grade_label"].format(grade=g), *map(int, counts.loc[g]), int(counts.loc[g].sum())]
                             for g in GRADES]
    rows.append([words["total"], *map(int, counts.sum()), int(counts.to_numpy().sum())])
    title = words["summary"].format(as_of=result.as_of.isoformat())
    if result.previous_run is not None:
        change = result.customers["change"]
        title += words["since"].format(date=result.previous_run.isoformat(), up=int((change == "up").sum()),
                                       down=int((change == "down").sum()))
    columns = [ColumnSpec(words["grade"], width=14)]
    columns += [ColumnSpec(label(ABC_LABELS, c, lang), "int", width=9) for c in ABC_CLASSES]
    columns.append(ColumnSpec(words["total"], "int", width=9))
    return Block(columns=columns, rows=rows, title=title)


def history_sheet(result: GradeResult, lang: Lang) -> SheetSpec:
    """Hidden: every earlier change plus this run's, read back by the next run."""
    kinds = {"run_date": "date", "score": "number"}
    columns = [ColumnSpec(zh if lang == "zh" else en, kinds.get(key, "text"), 12) for key, zh, en in HISTORY_COLUMNS]
    rows = []
    for record in result.history.to_dict("records"):
        values = {**record, "run_date": cell(record["run_date"]),
                  "score": None if cell(record["score"]) is None else round(record["score"], 2),
                  "abc": label(ABC_LABELS, record["abc"], lang), "tier": label(TIER_LABELS, record["tier"], lang)}
        rows.append([cell(values[key]) for key, _, _ in HISTORY_COLUMNS])
    return SheetSpec(key=HISTORY_KEY, name=HISTORY_SHEET[lang], blocks=[Block(columns=columns, rows=rows)], hidden=True)


def change_text(previous: Any, grade: str, change: str | None, lang: Lang) -> str | None:
    """"B→A ↑", "A→B ↓", nothing when unchanged, or "first graded"."""
    if change in ("up", "down"):
        return f"{previous}→{grade} {'↑' if change == 'up' else '↓'}"
    if change == "new":
        return WORDS[lang]["first"]
    return None


def flag_text(record: dict[str, Any], lang: Lang, overdue_days: int) -> str | None:
    index = 0 if lang == "zh" else 1
    found = [FLAG_LABELS[f][index].format(days=overdue_days) for f in FLAGS if record[f]]
    return WORDS[lang]["sep"].join(found) or None


def _grade_row(record: dict[str, Any], lang: Lang, overdue_days: int) -> list[Any]:
    shown = {**record,
             "abc": label(ABC_LABELS, record["abc"], lang),
             "tier": label(TIER_LABELS, record["tier"], lang),
             "flags": flag_text(record, lang, overdue_days),
             "change": change_text(record["previous_grade"], record["grade"], record["change"], lang)}
    for key in ("score", "volume", "growth", "payment", "rfm", "potential"):
        shown[key] = round(float(record[key]), 2)
    return [cell(shown[key]) for key, *_ in GRADE_COLUMNS]


def label(labels: dict[str, tuple[str, str]], code: Any, lang: Lang) -> Any:
    names = labels.get(code) if isinstance(code, str) else None
    return names[0 if lang == "zh" else 1] if names else code


def cell(value: Any) -> Any:
    """A plain Python cell value: None for NaN/NaT, dates for timestamps, Python scalars for numpy ones."""
    if type(value) in (str, int, bool):  # most cells, already plain: the tests below cost more than the rest
        return value
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value
