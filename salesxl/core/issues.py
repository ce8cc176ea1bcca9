"""Errors as data: every problem salesxl finds is an `Issue` that names its cell.

Passes never raise for bad input; they return issues. Each issue code is
declared once with `define()`, which keeps the catalogue (code, severity,
zh and en message templates) in one place for the Validation sheet and docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_LABELS: dict[Lang, dict[str, str]] = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@dataclass(frozen=True)
class IssueKind:
    """A catalogued issue code with its default severity and message templates."""

    code: str
    severity: Severity
    zh: str
    en: str
    title_zh: str = ""
    title_en: str = ""

    def text(self, lang: Lang, **params: Any) -> str:
        template = self.zh if lang == "zh" else self.en
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template

    def title(self, lang: Lang) -> str:
        return (self.title_zh if lang == "zh" else self.title_en) or self.code

    def __call__(
        self,
        lang: Lang,
        *,
        table: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        value: Any = None,
        severity: Severity | None = None,
        **params: Any,
    ) -> "Issue":
        """Make an issue of this kind; `params` fill the message template."""
        return Issue(
            severity=severity or self.severity,
            code=self.code,
            table=table,
            sheet=sheet,
            row=row,
            column=column,
            cell=cell,
            value=value,
            message=self.text(lang, value=value, **params),
        )


CATALOGUE: dict[str, IssueKind] = {}


def define(code: str, severity: Severity, zh: str, en: str, *, title_zh: str = "", title_en: str = "") -> IssueKind:
    """Declare an issue code once; declaring the same code twice is a bug."""
    if code in CATALOGUE:
        raise ValueError(f"issue code {code} declared twice")
    kind = IssueKind(code, severity, zh, en, title_zh, title_en)
    CATALOGUE[code] = kind
    return kind


@dataclass(frozen=True)
class Issue:
    """One problem, addressable in the workbook (cell like "客户档案!F12")."""

    severity: Severity
    code: str
    message: str
    table: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    value: Any = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        return (
            SEVERITIES.index(self.severity),
            self.code,
            self.sheet or "",
            self.row or 0,
            self.column or "",
            self.message,
        )


class WorkbookError(Exception):
    """The file itself cannot be used (not a workbook, encrypted, locked, damaged).

    This is the only error salesxl raises for bad input. It carries the message
    in both languages because an unreadable file cannot tell us its language.
    """

    def __init__(self, code: str, zh: str, en: str, *, path: str | None = None):
        self.code = code
        self.zh = zh
        self.en = en
        self.path = path
        super().__init__(f"{en} / {zh}")

    def message(self, lang: Lang | None = None) -> str:
        if lang == "zh":
            return self.zh
        if lang == "en":
            return self.en
        return f"{self.zh}\n{self.en}"
