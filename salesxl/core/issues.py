"""Errors as data: every problem salesxl finds is an `Issue` that names its cell.

Passes never raise for bad input; they return issues. Each issue code is
declared once with `define()`, which keeps the catalogue (code, severity,
zh and en message templates) in one place for the Validation sheet and docs.
An `Issue` is a pydantic model so that `--json` can hand it to scripts: its
value and message parameters are cell values (numpy scalars, pandas
timestamps, NaN, Decimal...) and serialise as plain JSON through `json_value`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_serializer

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
        """Make an issue of this kind; `params` fill the message template and travel with it.

        Validated, not `model_construct`: pydantic's validator is as fast (about 5 µs an issue) and also
        turns a numpy row number into an int.
        """
        return Issue(
            severity or self.severity,
            self.code,
            self.text(lang, value=value, **params),
            table=table,
            sheet=sheet,
            row=row,
            column=column,
            cell=cell,
            value=value,
            params=params,
        )


CATALOGUE: dict[str, IssueKind] = {}


def define(code: str, severity: Severity, zh: str, en: str, *, title_zh: str = "", title_en: str = "") -> IssueKind:
    """Declare an issue code once; declaring the same code twice is a bug."""
    if code in CATALOGUE:
        raise ValueError(f"issue code {code} declared twice")
    kind = IssueKind(code, severity, zh, en, title_zh, title_en)
    CATALOGUE[code] = kind
    return kind


def json_value(value: Any) -> Any:
    """A cell value as plain JSON: numbers as numbers, dates and times as ISO text, durations as seconds,
    blanks (None, NaN, NaT, NA) and infinities as null.

    The one conversion every `--json` output uses. Unknown objects become their text, so writing never fails.
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, Enum):
        return json_value(value.value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return json_value(pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value))
    if isinstance(value, np.generic):
        return json_value(value.item())
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().isoformat()
    if isinstance(value, pd.Timedelta):
        return value.to_pytimedelta().total_seconds()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, (dt.date, dt.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index)):
        return [json_value(item) for item in value]
    return str(value)


#: the fields that make two issues the same issue (the value and parameters only explain it)
_IDENTITY = ("severity", "code", "message", "table", "sheet", "row", "column", "cell")


class Issue(BaseModel):
    """One problem, addressable in the workbook (cell like "客户档案!F12")."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    severity: Severity
    code: str = Field(description="stable issue code, declared once in the catalogue")
    message: str = Field(description="the message in the workbook's language")
    table: str | None = Field(None, description="input table key")
    sheet: str | None = Field(None, description="sheet name as found in the workbook")
    row: int | None = Field(None, description="1-based Excel row")
    column: str | None = Field(None, description="column key")
    cell: str | None = Field(None, description='the address, e.g. "客户档案!F12"')
    value: Any = Field(None, description="the offending value as JSON (dates ISO, blanks null)")
    params: dict[str, Any] = Field(default_factory=dict, description="the values the message was filled with")

    def __init__(self, severity: Severity, code: str, message: str, table: str | None = None,
                 sheet: str | None = None, row: int | None = None, column: str | None = None,
                 cell: str | None = None, value: Any = None, params: dict[str, Any] | None = None) -> None:
        super().__init__(severity=severity, code=code, message=message, table=table, sheet=sheet, row=row,
                         column=column, cell=cell, value=value, params=params or {})

    @field_serializer("value", "params", when_used="json")
    def _plain(self, value: Any) -> Any:
        return json_value(value)

    def _identity(self) -> tuple:
        return tuple(getattr(self, name) for name in _IDENTITY)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Issue):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

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
