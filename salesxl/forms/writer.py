"""The customer information form (客户信息表): one friendly sheet the customer fills in and sends back.

Fields are grouped by the card's blocks, three to a line (label above the
input cell), with the template's dropdowns and hints; pre-filled from the card
when the form is for a known customer. A hidden sheet holds the marker the
importer checks: the form's ID, the customer's ID, the office it came from and
where each field sits.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from pathlib import Path

import pandas as pd

from salesxl.core.book import Book, column_letter
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.sheetspec import Block, ColumnSpec, PageSetup, SheetSpec
from salesxl.io.display import display_value
from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.passes.forms.fields import FORM_FIELDS, required_for
from salesxl.schema import CARD_BLOCKS, Column
from salesxl.workbook.template import column_spec, column_validation

FORM_SHEET: dict[Lang, str] = {"zh": "客户信息表", "en": "CustomerForm"}
MARKER_SHEET = "salesxl_form"
PER_LINE = 3
FIELD_WIDTH = 30.0
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"title": "{company}客户信息表", "about": "填写说明",
           "intro": "请填写或更正以下资料（带 * 的为必填项），保存后发回给我们。请勿改动表格结构。",
           "for": "客户编号：{customer}", "new": "新客户"},
    "en": {"title": "{company} customer information form", "about": "How to fill in",
           "intro": "Please fill in or correct the fields below (* = required), save and send the file back. "
                    "Do not change the layout.",
           "for": "Customer ID: {customer}", "new": "New customer"},
}


def office_mark(company: str, customer_id: str, form_id: str) -> str:
    """The identity a form carries of the office workbook it belongs to."""
    return hashlib.sha256(f"{company}\x1f{customer_id}\x1f{form_id}".encode("utf-8")).hexdigest()[:20]


def write_customer_form(office_path: Path | str, out_path: Path | str, customer_id: str | None = None) -> str:
    """Write the form for `customer_id` (or a blank one for a new customer); returns the form's ID."""
    book = read_book(office_path)
    lang = book.lang
    card = _card(book, customer_id) if customer_id else None
    form_id = uuid.uuid4().hex[:12]
    company = book.settings.general.company_name
    status = card.get("status") if card is not None else None
    blocks = [_intro(lang, company, customer_id)]
    lines: list[list[Column]] = []
    for block_key, titles in CARD_BLOCKS.items():
        fields = [c for c in FORM_FIELDS if c.block == block_key]
        for start in range(0, len(fields), PER_LINE):
            line = fields[start:start + PER_LINE]
            lines.append(line)
            columns = [dataclasses.replace(column_spec(c, lang), header=c.header(lang) + (" *" if required_for(c, status) else ""),
                                           width=FIELD_WIDTH) for c in line]
            values = [display_value(c, card.get(c.key), lang) if card is not None else None for c in line]
            checks = [dataclasses.replace(v, rows=1) for i, c in enumerate(line) if (v := column_validation(i, c, lang))]
            last = start + PER_LINE >= len(fields)
            blocks.append(Block(columns, [values], title=(titles[0] if lang == "zh" else titles[1]) if start == 0 else None,
                                validations=checks, gap_after=1 if last else 0))
    spec = SheetSpec(key="customer_form", name=FORM_SHEET[lang], blocks=blocks, tool_owned=False,
                     page=PageSetup(orientation="portrait", fit_width=1, fit_height=1))  # one A4 page
    cells = [(c.key, f"{column_letter(spec.block_origin(i)[1] + j)}{spec.block_origin(i)[0] + 1}")
             for i, line in enumerate(lines, start=1) for j, c in enumerate(line)]
    marker = [["form_id", form_id], ["office", office_mark(company, customer_id or "", form_id)],
              ["customer_id", customer_id or ""], ["language", lang], *[[key, cell] for key, cell in cells]]
    hidden = SheetSpec(key="form_marker", name=MARKER_SHEET, blocks=[Block([ColumnSpec("key"), ColumnSpec("value")], marker)],
                       tool_owned=False, hidden=True)
    new_workbook(Path(out_path), [spec, hidden])
    return form_id


def _intro(lang: Lang, company: str, customer_id: str | None) -> Block:
    w = WORDS[lang]
    who = w["for"].format(customer=customer_id) if customer_id else w["new"]
    return Block([ColumnSpec(w["about"], width=FIELD_WIDTH)], [[w["intro"]], [who]],
                 title=w["title"].format(company=company).strip())


def _card(book: Book, customer_id: str) -> dict:
    frame = book.frame("customers")
    found = frame[frame["customer_id"].astype(object) == customer_id]
    if found.empty:
        raise WorkbookError("FORM_UNKNOWN_CUSTOMER",
                            f"客户档案中没有客户编号 {customer_id}。", f"No customer {customer_id} on the Customers sheet.")
    return {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in found.iloc[0].items()}
