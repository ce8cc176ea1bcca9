"""Form conflicts kept between runs: a customer's figure that differs from the card.

The importer never overwrites a field a salesperson or an agency recorded, nor
any field of a card the office audited; it lists the two values in the hidden
state sheet 客户自填冲突 / FormConflicts (fields named as the card's headers).
A conflict stays open, and shows in Validation on every run, until the office
decides it (`salesxl form accept`: accepted or rejected, with the date) or
someone types another value into the card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.schema import TABLES_BY_KEY, normalise_name
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY

KEY = "form_conflicts"
SHEET = STATE_SHEETS_BY_KEY[KEY]
#: (key, zh header, en header) of the state sheet's columns, in order.
COLUMNS = (
    ("imported", "导入日期", "Imported"),
    ("form_id", "表单编号", "Form ID"),
    ("customer_id", "客户编号", "Customer ID"),
    ("field", "字段", "Field"),
    ("card_value", "档案原值", "Card value"),
    ("form_value", "客户填写", "Form value"),
    ("decided", "处理日期", "Decided"),
    ("decision", "处理结果", "Decision"),
)
#: The office's decisions on a conflict and their labels.
DECISIONS: dict[str, tuple[str, str]] = {"accepted": ("接受", "Accepted"), "rejected": ("拒绝", "Rejected")}
_REQUIRED = 6  # sheets written before decisions were recorded have the first six columns
_HEADERS = {normalise_name(name): key for key, zh, en in COLUMNS for name in (key, zh, en)}
_DECISION_NAMES = {normalise_name(n): code for code, labels in DECISIONS.items() for n in (code, *labels)}
_CARD = TABLES_BY_KEY["customers"]
_FIELD_NAMES = {normalise_name(n): c.key for c in _CARD.columns for n in (c.key, c.zh, c.en)}


@dataclass(frozen=True)
class Conflict:
    imported: dt.date | None
    form_id: str
    customer_id: str
    field: str  # card column key
    card_value: str  # as text, see passes.forms.fields.value_text
    form_value: str
    decided: dt.date | None = None
    decision: str = ""  # "", or a key of DECISIONS

    def row(self, lang: Lang) -> list[Any]:
        field = _CARD.column(self.field).header(lang) if _CARD.has(self.field) else self.field
        label = DECISIONS[self.decision][0 if lang == "zh" else 1] if self.decision in DECISIONS else ""
        return [self.imported, self.form_id, self.customer_id, field, self.card_value, self.form_value,
                self.decided, label]


def parse_conflicts(rows: Sequence[Sequence[Any]]) -> list[Conflict]:
    """The raw cell rows of the state sheet (either language); rows without a customer or field are skipped."""
    header_at = next((i for i, row in enumerate(rows[:10])
                      if sum(normalise_name(v) in _HEADERS for v in row) >= _REQUIRED - 1), None)
    if header_at is None:
        return []
    columns = {_HEADERS[normalise_name(v)]: i for i, v in enumerate(rows[header_at]) if normalise_name(v) in _HEADERS}
    found = []
    for row in rows[header_at + 1:]:
        values = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
        texts = {key: _text(values.get(key)) for key in ("form_id", "customer_id", "field", "card_value", "form_value")}
        if not texts["customer_id"] or not texts["field"]:
            continue
        texts["field"] = _FIELD_NAMES.get(normalise_name(texts["field"]), texts["field"])
        imported, decided = values.get("imported"), values.get("decided")
        found.append(Conflict(imported if isinstance(imported, dt.date) else None, **texts,
                              decided=decided if isinstance(decided, dt.date) else None,
                              decision=_DECISION_NAMES.get(normalise_name(_text(values.get("decision"))), "")))
    return found


def conflicts_sheet(conflicts: Sequence[Conflict], lang: Lang) -> SheetSpec:
    """The hidden state sheet with every conflict recorded so far."""
    kinds = {"imported": "date", "decided": "date"}
    columns = [ColumnSpec(zh if lang == "zh" else en, kinds.get(key, "text"), 14) for key, zh, en in COLUMNS]
    return SheetSpec(key=KEY, name=SHEET.sheet_name(lang), blocks=[Block(columns, [c.row(lang) for c in conflicts])], hidden=True)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
