"""Read returned customer forms back into the office workbook.

A form updates its customer's card (or makes a new card for a blank form),
marks it self-filled and not audited, and lists every field it changed. A
field a salesperson or an agency recorded, and any field of an audited card,
is never overwritten: the two values go to the form-conflicts state sheet and
show in Validation until the office accepts or rejects them (`forms.accept`).
Forms whose marker is missing or belongs to another office, and forms
lacking fields the customer's status requires, are refused with a message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from python_calamine import CalamineWorkbook

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Lang
from salesxl.passes.forms.conflicts import KEY, Conflict, conflicts_sheet, parse_conflicts
from salesxl.passes.forms.fields import FORM_FIELDS, RECORDED_SOURCES, blank, required_for, value_text
from salesxl.forms.writer import FORM_SHEET, MARKER_SHEET, office_mark
from salesxl.io.coerce import coerce
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.io.xlsx import write_sheets
from salesxl.schema.outputs import header_line, stamp
from salesxl.schema import Column

_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_ID = re.compile(r"^(.*?)(\d+)$")
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"unreadable": "{form}：无法打开（{reason}）。",
           "no_marker": "{form}：缺少 salesxl 表单标记，可能不是本系统生成的客户信息表或已被改动，未导入。",
           "other_office": "{form}：表单不属于本工作簿（公司或客户编号不符），未导入。",
           "no_sheet": "{form}：找不到工作表“{sheet}”，未导入。",
           "unknown": "{form}：客户档案中已没有客户 {customer}，未导入。",
           "bad": "{form}：{cell}（{field}）的值“{value}”无法识别。",
           "missing": "{form}：客户 {customer} 的必填项未填写：{fields}，未导入。",
           "sep": "、"},
    "en": {"unreadable": "{form}: cannot be opened ({reason}).",
           "no_marker": "{form}: the salesxl form marker is missing; this is not a customer form made by salesxl "
                        "or it was altered. Not imported.",
           "other_office": "{form}: the form belongs to another office workbook (company or customer does not match). "
                           "Not imported.",
           "no_sheet": '{form}: sheet "{sheet}" is missing. Not imported.',
           "unknown": "{form}: customer {customer} is no longer on the Customers sheet. Not imported.",
           "bad": '{form}: {cell} ({field}) holds "{value}", which cannot be read.',
           "missing": "{form}: required fields of customer {customer} are blank: {fields}. Not imported.",
           "sep": ", "},
}


@dataclass(frozen=True)
class FieldChange:
    field: str  # card column key
    label: str  # header in the workbook's language
    old: str
    new: str


@dataclass
class FormOutcome:
    """What one returned form did."""

    path: str
    imported: bool
    customer_id: str | None = None
    created: bool = False
    changed: list[FieldChange] = field(default_factory=list)
    conflicts: list[FieldChange] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    forms: list[FormOutcome]
    lang: Lang = "zh"
    written: bool = False

    @property
    def messages(self) -> list[str]:
        return [m for form in self.forms for m in form.messages]


def import_forms(office_path: Path | str, form_paths: Sequence[Path | str], *, today: dt.date | None = None,
                 backup: bool = True) -> ImportResult:
    """Apply returned forms to the office workbook at `office_path` (in place, losslessly)."""
    office_path = Path(office_path)
    today = today or dt.date.today()
    book = read_book(office_path)
    importer = _Importer(book, today)
    outcomes = [importer.form(Path(p)) for p in form_paths]
    result = ImportResult(outcomes, book.lang)
    if importer.changes:
        apply_row_changes(office_path, {"customers": importer.changes}, book=book, backup=backup)
        result.written = True
    if importer.new_conflicts:
        recorded = parse_conflicts(book.state.get(KEY, []))
        sheet = conflicts_sheet([*recorded, *importer.new_conflicts], book.lang)
        stamp(sheet, header_line(book.lang, dt.datetime.now()))
        write_sheets(office_path, [sheet], backup=backup and not result.written)
        result.written = True
    return result


class _Importer:
    def __init__(self, book: Book, today: dt.date):
        self.book, self.today, self.lang = book, today, book.lang
        self.words = WORDS[book.lang]
        cards = book.frame("customers")
        self.cards = {str(r["customer_id"]): r for r in cards.to_dict("records") if isinstance(r["customer_id"], str)}
        self.company = book.settings.general.company_name
        self.changes = TableChanges()
        self.new_conflicts: list[Conflict] = []
        self._taken = set(self.cards)

    def form(self, path: Path) -> FormOutcome:
        outcome = FormOutcome(str(path), False)
        say = lambda key, **kw: outcome.messages.append(self.words[key].format(form=path.name, **kw))  # noqa: E731
        try:
            workbook = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises several types for files it cannot open
            say("unreadable", reason=f"{type(exc).__name__}: {exc}")
            return outcome
        marker = _marker(workbook)
        if marker is None or not marker.get("form_id"):
            say("no_marker")
            return outcome
        customer = marker.get("customer_id", "")
        if marker.get("office") != office_mark(self.company, customer, marker["form_id"]):
            say("other_office")
            return outcome
        sheet_name = next((n for n in FORM_SHEET.values() if n in workbook.sheet_names), None)
        if sheet_name is None:
            say("no_sheet", sheet=FORM_SHEET[self.lang])
            return outcome
        if customer and customer not in self.cards:
            say("unknown", customer=customer)
            return outcome
        values = self._values(workbook, sheet_name, marker, say)
        card = self.cards.get(customer, {})
        status = card.get("status") if customer else "prospect"
        missing = [c.header(self.lang) for c in FORM_FIELDS
                   if required_for(c, status) and blank(values.get(c.key)) and blank(card.get(c.key))]
        if missing:
            say("missing", customer=customer or "-", fields=self.words["sep"].join(missing))
            return outcome
        outcome.customer_id = customer or self._new_id()
        self._apply(outcome, card, values, marker["form_id"])
        outcome.imported = True
        return outcome

    def _values(self, workbook: CalamineWorkbook, sheet_name: str, marker: dict[str, str], say) -> dict[str, Any]:
        """Each form field's canonical value (None when blank or unreadable)."""
        sheet = workbook.get_sheet_by_name(sheet_name)
        grid = sheet.to_python()
        row0, col0 = sheet.start or (0, 0)
        values: dict[str, Any] = {}
        for column in FORM_FIELDS:
            found = _CELL.match(marker.get(column.key, ""))
            if found is None:
                continue
            r, c = int(found.group(2)) - 1 - row0, _col(found.group(1)) - 1 - col0
            raw = grid[r][c] if 0 <= r < len(grid) and 0 <= c < len(grid[r]) else ""
            coerced = coerce(np.array([raw], dtype=object), column, lang=self.lang)
            if coerced.bad:
                say("bad", cell=f"{sheet_name}!{found.group(0)}", field=column.header(self.lang), value=raw)
                continue
            value = coerced.values.iloc[0]
            values[column.key] = None if blank(value) else value
        return values

    def _apply(self, outcome: FormOutcome, card: dict[str, Any], values: dict[str, Any], form_id: str) -> None:
        audited = not blank(card.get("audited")) and bool(card.get("audited"))
        recorded = card.get("data_source") in RECORDED_SOURCES
        update: dict[str, Any] = {}
        for column in FORM_FIELDS:
            new = values.get(column.key)
            if blank(new):
                continue
            old_text, new_text = value_text(column, card.get(column.key), self.lang), value_text(column, new, self.lang)
            if old_text == new_text:
                continue
            change = FieldChange(column.key, column.header(self.lang), old_text, new_text)
            if audited or (old_text and recorded):  # the office decides: salesxl form accept
                outcome.conflicts.append(change)
                self.new_conflicts.append(Conflict(self.today, form_id, outcome.customer_id, column.key, old_text, new_text))
            else:
                outcome.changed.append(change)
                update[column.key] = cell_value(column, new)
        if not update and card:
            return
        update.update(data_source="self_filled", audited=False, updated=self.today)
        if card:
            self.changes.updates.setdefault(int(card[ROW]), {}).update(update)
        else:
            outcome.created = True
            self.changes.appends.append({"customer_id": outcome.customer_id, "status": "prospect",
                                         "created": self.today, **update})

    def _new_id(self) -> str:
        """The next free ID in the office's numbering (prefix and width of the highest numbered ID)."""
        numbered = [(int(m.group(2)), m.group(1), len(m.group(2))) for c in self._taken if (m := _ID.match(c))]
        number, prefix, width = max(numbered, default=(0, "C", 5))
        new = f"{prefix}{number + 1:0{width}d}"
        self._taken.add(new)
        return new


def _marker(workbook: CalamineWorkbook) -> dict[str, str] | None:
    if MARKER_SHEET not in workbook.sheet_names:
        return None
    rows = workbook.get_sheet_by_name(MARKER_SHEET).to_python()
    return {str(r[0]).strip(): str(r[1]).strip() for r in rows[1:] if len(r) >= 2 and r[0] != ""}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_value(column: Column, value: Any) -> Any:
    """A canonical value as apply_row_changes takes it (plain Python dates and numbers)."""
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value
