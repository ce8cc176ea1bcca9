"""The office's decision on a customer's form answers that differ from the card.

Accepting writes the customer's values into the card through the row writer
(only those cells change, the card's update date becomes today) and records
the decision and its date on the conflict in the state sheet; rejecting only
records the decision. Either way the conflict leaves Validation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from salesxl.core.book import ROW
from salesxl.core.issues import Lang, WorkbookError
from salesxl.passes.forms.conflicts import KEY, Conflict, conflicts_sheet, parse_conflicts
from salesxl.passes.forms.fields import CUSTOMERS
from salesxl.forms.importer import cell_value
from salesxl.io.coerce import coerce
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.io.xlsx import write_sheets
from salesxl.passes.form_conflicts import is_open
from salesxl.schema.outputs import header_line, stamp


@dataclass
class Decision:
    customer_id: str
    lang: Lang
    accepted: bool
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (header, card value, form value)


def decide_form(office_path: Path | str, customer_id: str, fields: Iterable[str] = (), *, accept: bool = True,
                today: dt.date | None = None, backup: bool = True) -> Decision:
    """Accept (or reject) the open form conflicts of one customer, all of them or those of `fields`
    (keys or headers); when a field has several, the latest form's value is the one accepted."""
    office_path, today = Path(office_path), today or dt.date.today()
    book = read_book(office_path)
    lang = book.lang
    wanted = {_field_key(f, lang) for f in fields}
    cards = book.frame("customers")
    at = next((i for i, c in enumerate(cards["customer_id"].tolist()) if c == customer_id), None)
    conflicts = parse_conflicts(book.state.get(KEY, []))
    chosen = [i for i, c in enumerate(conflicts) if c.customer_id == customer_id
              and (not wanted or c.field in wanted) and is_open(c, cards, at, lang)]
    if not chosen:
        raise WorkbookError("FORM_NOTHING_OPEN", f"客户 {customer_id} 没有待处理的自填表差异。",
                            f"Customer {customer_id} has no open form differences.", path=str(office_path))
    latest = {conflicts[i].field: conflicts[i] for i in chosen}  # later imports come later in the sheet
    decision = Decision(customer_id, lang, accept,
                        [(CUSTOMERS.column(k).header(lang), c.card_value, c.form_value) for k, c in latest.items()])
    code = "accepted" if accept else "rejected"
    for i in chosen:
        conflicts[i] = dataclasses.replace(conflicts[i], decided=today, decision=code)
    written = False
    if accept:
        update = {k: _card_value(k, c.form_value, lang) for k, c in latest.items()}
        update["updated"] = today
        apply_row_changes(office_path, {"customers": TableChanges(updates={int(cards[ROW].iloc[at]): update})},
                          book=book, backup=backup)
        written = True
    sheet = conflicts_sheet(conflicts, lang)
    stamp(sheet, header_line(lang, dt.datetime.now()))
    write_sheets(office_path, [sheet], backup=backup and not written)
    return decision


def _field_key(name: str, lang: Lang) -> str:
    from salesxl.schema import normalise_name

    for column in CUSTOMERS.columns:
        if normalise_name(name) in {normalise_name(n) for n in (column.key, column.zh, column.en)}:
            return column.key
    raise WorkbookError("FORM_UNKNOWN_FIELD", f"客户档案没有字段“{name}”。", f'The customer card has no field "{name}".')


def _card_value(key: str, text: str, lang: Lang):
    """The form's value (as the state sheet keeps it, text) as the card's typed value."""
    column = CUSTOMERS.column(key)
    coerced = coerce(np.array([text], dtype=object), column, lang=lang)
    if coerced.bad:  # kept as typed rather than lost
        return text
    return cell_value(column, coerced.values.iloc[0])
