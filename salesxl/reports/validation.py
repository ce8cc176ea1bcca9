"""The Validation sheet: counts per salesperson and per code, then every issue with a link to its cell.

Each issue row names the salesperson whose row it is, so a supervisor can hand
out the fixes (and filter the table by person).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any, Mapping, Sequence

import pandas as pd

from salesxl.core.issues import CATALOGUE, SEVERITIES, SEVERITY_LABELS, Issue, Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Highlight, Link, SheetSpec
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.validate import CardChecks
from salesxl.passes.validate.owners import issue_owners
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY

TABLE_NAME = "tblValidation"
FILLS = {"error": "FFFFC7CE", "warning": "FFFFEB9C"}  # light red, light yellow
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "汇总", "issues": "问题明细", "severity": "级别", "code": "代码", "title": "说明",
           "count": "数量", "total": "合计", "no": "序号", "message": "问题描述", "sheet": "工作表",
           "cell": "单元格", "value": "问题值", "table": "表", "salesperson": "销售员", "by_salesperson": "按销售员",
           "unowned": "未分配"},
    "en": {"summary": "Summary", "issues": "Issues", "severity": "Severity", "code": "Code", "title": "Description",
           "count": "Count", "total": "Total", "no": "No.", "message": "Message", "sheet": "Sheet",
           "cell": "Cell", "value": "Value", "table": "Table", "salesperson": "Salesperson",
           "by_salesperson": "By salesperson", "unowned": "unassigned"},
}
_FIRST_WORDS = re.compile(r"[^：:，,;；（(]{1,40}")


@register_report("validation", last=True)
def build(ctx: ReportContext, checked: CardChecks) -> SheetSpec:
    """Every issue of the run: reading, validation and every other pass (the card checks always run)."""
    return validation_sheet(ctx.issues, ctx.lang,
                            owners=issue_owners(ctx.book, ctx.issues), names=salesperson_names(ctx.book))


def validation_sheet(issues: Sequence[Issue], lang: Lang, *, owners: Mapping[Issue, str] | None = None,
                     names: Mapping[str, str] | None = None) -> SheetSpec:
    """The whole Validation sheet for these issues; identical issues give identical rows.

    `owners` maps an issue to the salesperson ID whose row it is; `names` gives their names.
    """
    words = WORDS[lang]
    ordered = sorted(issues, key=Issue.sort_key)
    owners, names = owners or {}, names or {}
    who = {issue: person_label(owners[issue], names) for issue in ordered if issue in owners}
    summary = Block(
        title=words["summary"],
        columns=[ColumnSpec(words["severity"], width=10), ColumnSpec(words["code"], width=26),
                 ColumnSpec(words["title"], width=28), ColumnSpec(words["count"], "int", width=10)],
        rows=summary_rows(ordered, lang),
        highlights=_severity_fills(0, lang),
    )
    details = Block(
        title=words["issues"],
        table_name=TABLE_NAME,
        columns=[ColumnSpec(words["no"], "int", width=7), ColumnSpec(words["severity"], width=10),
                 ColumnSpec(words["code"], width=26), ColumnSpec(words["message"], width=80),
                 ColumnSpec(words["sheet"], width=14), ColumnSpec(words["cell"], width=10),
                 ColumnSpec(words["value"], width=28), ColumnSpec(words["table"], width=14),
                 ColumnSpec(words["salesperson"], width=14)],
        rows=[issue_row(n, issue, lang) + [who.get(issue)] for n, issue in enumerate(ordered, start=1)],
        highlights=_severity_fills(1, lang),
    )
    by_person = Block(
        title=words["by_salesperson"],
        columns=[ColumnSpec(words["salesperson"], width=14),
                 *(ColumnSpec(SEVERITY_LABELS[lang][severity], "int", width=10) for severity in SEVERITIES),
                 ColumnSpec(words["total"], "int", width=10)],
        rows=salesperson_rows(ordered, who, lang),
    )
    return SheetSpec(key="validation", name=OUTPUTS_BY_KEY["validation"].sheet_name(lang),
                     blocks=[by_person, summary, details])


def person_label(salesperson_id: str, names: Mapping[str, str]) -> str:
    """"S01 王强": the ID people file by and the name they read."""
    name = names.get(salesperson_id)
    return f"{salesperson_id} {name}" if name else salesperson_id


def salesperson_rows(ordered: Sequence[Issue], who: Mapping[Issue, str], lang: Lang) -> list[list[Any]]:
    """Per salesperson (by ID), then the issues nobody owns: counts by severity and in all."""
    counts: dict[str, Counter] = {}
    for issue in ordered:
        counts.setdefault(who.get(issue, ""), Counter())[issue.severity] += 1
    people = sorted(p for p in counts if p) + ([""] if "" in counts else [])
    return [[person or WORDS[lang]["unowned"], *(counts[person][s] for s in SEVERITIES), sum(counts[person].values())]
            for person in people]


def summary_rows(ordered: Sequence[Issue], lang: Lang) -> list[list[Any]]:
    """Counts per (severity, code), sorted by severity then code, and a total row."""
    counts = Counter((i.severity, i.code) for i in ordered)
    first = {}
    for issue in ordered:
        first.setdefault(issue.code, issue)
    rows: list[list[Any]] = [
        [SEVERITY_LABELS[lang][severity], code, code_title(code, first[code], lang), count]
        for (severity, code), count in sorted(counts.items(), key=lambda kv: (SEVERITIES.index(kv[0][0]), kv[0][1]))
    ]
    rows.append([WORDS[lang]["total"], None, None, len(ordered)])
    return rows


def code_title(code: str, example: Issue, lang: Lang) -> str:
    """The catalogued title of a code, else the first words of one of its messages."""
    kind = CATALOGUE.get(code)
    if kind is not None and (kind.title_zh if lang == "zh" else kind.title_en):
        return kind.title(lang)
    match = _FIRST_WORDS.match(example.message.strip())
    return match.group(0).strip() if match else code


def issue_row(number: int, issue: Issue, lang: Lang) -> list[Any]:
    return [number, SEVERITY_LABELS[lang][issue.severity], issue.code, issue.message, issue.sheet,
            cell_link(issue), value_text(issue.value), issue.table]


def cell_link(issue: Issue) -> Link | str | None:
    """A link to the issue's cell whose text is its A1 address; plain text when no sheet is known."""
    if not issue.cell:
        return None
    sheet_part, _, address = issue.cell.rpartition("!")
    sheet = issue.sheet or _unquote(sheet_part)
    if not sheet:
        return address
    return Link(address, "'" + sheet.replace("'", "''") + "'!" + address)


def _unquote(reference: str) -> str:
    if reference.startswith("'") and reference.endswith("'"):
        return reference[1:-1].replace("''", "'")
    return reference


def value_text(value: Any) -> str | None:
    """The offending value as text: never a number, date or formula in this sheet."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat(sep=" ")
    return str(value)


def _severity_fills(column: int, lang: Lang) -> list[Highlight]:
    return [Highlight(column, SEVERITY_LABELS[lang][severity], fill) for severity, fill in FILLS.items()]
