"""A copy of the office workbook for one salesperson: only their rows, optionally redacted and encrypted.

The copy keeps that salesperson's customers and the rows that hang off them
(contacts, visits, orders, payments, contracts, inquiries, complaints), their own
targets, budget, expenses and market reports, their own line of Salespeople, the whole price list and the
settings, with `owner_salesperson` set so consolidation knows whose copy comes
back. It is a new workbook built from the reduced tables (the office's file is
only read); its report sheets are computed from the reduced data, so no total
of another salesperson leaks. Redaction (`sharing.redact`) masks what the schema
declares personal before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from salesxl.core.book import Book
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.sheetspec import SheetSpec, Validation
from salesxl.schema import TABLES, TABLES_BY_KEY
from salesxl.schema.tables import COPY_RIGHTS, OFFICE_ONLY_ROWS
from salesxl.sharing.diff import user_frame
from salesxl.sharing.redact import redact, redact_value  # noqa: F401  (redact_value: consolidation's unmasking)

#: Tables kept whole in a copy.
WHOLE = frozenset({"price_list"})
#: Tables whose rows belong to a salesperson through their own salesperson column only.
BY_SALESPERSON = frozenset({"salespeople", "customers", "targets", "budget", "expenses", "market"})


class ShareReport(BaseModel):
    """What `share` wrote: a contract the CLI prints and scripts read (JSON-serialisable)."""

    out: Path
    salesperson: str
    rows: dict[str, int]
    redacted: bool
    encrypted: bool


def reduce_frames(book: Book, salesperson: str) -> dict[str, pd.DataFrame]:
    """The rows of every input table that belong to `salesperson` (what typed cells hold, kept as typed)."""
    customers = book.frame("customers")
    ids = set(customers.loc[customers["salesperson_id"] == salesperson, "customer_id"].dropna())
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        if table.key_value or not book.table(table.key).present:
            continue
        frame = user_frame(book, table.key)
        if table.key in WHOLE:
            keep = pd.Series(True, index=frame.index)
        elif table.key in BY_SALESPERSON:
            keep = frame["salesperson_id"] == salesperson
        elif table.has("customer_id"):
            keep = frame["customer_id"].isin(ids)
        else:
            keep = frame["salesperson_id"] == salesperson
        if table.key in OFFICE_ONLY_ROWS:  # e.g. staff-conduct complaints: the manager's only
            column, values = OFFICE_ONLY_ROWS[table.key]
            keep &= ~frame[column].isin(values)
        frames[table.key] = frame[keep.fillna(False).astype(bool)].reset_index(drop=True)
    return frames


#: The hint on a column a salesperson may not change in their copy (consolidation refuses it whatever the copy says).
OFFICE_KEEPS = {"zh": "由办公室维护：在此副本中修改不会被合并。", "en": "Kept by the office: a change in this copy is not taken back."}


def show_copy_rights(sheets: list[SheetSpec], lang: Lang) -> list[SheetSpec]:
    """Show the schema's copy rights in the copy: tables only the office changes are protected (no
    password); a column the salesperson may not change carries an input hint saying so. Sheets where
    rows are added stay unprotected, because Excel cannot grow a Table on a protected sheet."""
    for spec in sheets:
        if spec.key not in COPY_RIGHTS:
            continue
        rows, locked = COPY_RIGHTS[spec.key]
        if rows == "none":
            spec.protected = True
            continue
        block, table = spec.blocks[0], TABLES_BY_KEY[spec.key]
        hinted = {v.column: v for v in block.validations}
        for index, column in enumerate(table.columns):
            if column.key not in locked:
                continue
            hint = hinted.get(index)
            if hint is None:
                block.validations.append(Validation(index, "custom", formula1="TRUE", prompt_title=column.header(lang),
                                                    prompt=OFFICE_KEEPS[lang]))
            else:
                prompt = f"{hint.prompt} {OFFICE_KEEPS[lang]}".strip()
                block.validations[block.validations.index(hint)] = replace(hint, prompt=prompt[:255])
    return sheets


def share_file(path: Path, salesperson: str, out: Path, *, redact_personal: bool = False,
               password: str | None = None, source_password: str | None = None, book: Book | None = None) -> ShareReport:
    """Write the copy for `salesperson` to `out` (recalculated; encrypted when `password` is given).
    `book` is the office workbook as already read, to share several copies with one read."""
    from salesxl.files import recalc_file
    from salesxl.io.reader import read_book
    from salesxl.io.xlsx import new_workbook
    from salesxl.workbook.template import input_sheets

    book = book if book is not None else read_book(path, password=source_password)
    known = set(book.frame("salespeople")["salesperson_id"].dropna())
    if salesperson not in known:
        raise WorkbookError("SHARE_UNKNOWN_SALESPERSON",
                            f"{Path(path).name} 的销售员表中没有工号 {salesperson}。",
                            f"There is no salesperson {salesperson} in the Salespeople sheet of {Path(path).name}.",
                            path=str(path))
    frames = reduce_frames(book, salesperson)
    if redact_personal:
        frames = redact(frames, {t.key: user_frame(book, t.key) for t in TABLES
                                 if not t.key_value and book.table(t.key).present})
    settings = book.settings.given_values()
    settings["owner_salesperson"] = salesperson
    out = Path(out)
    fd, name = tempfile.mkstemp(prefix="." + out.stem + ".", suffix=".xlsx", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()
        new_workbook(tmp, show_copy_rights(input_sheets(book.lang, frames, settings), book.lang))
        report = recalc_file(tmp)
        if not report.ok:
            raise WorkbookError(next(iter(report.codes), "FILE_DAMAGED"), report.message, report.message,
                                path=str(out))
        sign_copy(Path(path), tmp, book, salesperson, source_password)
        if password:
            encrypt_file(tmp, password, out)
        else:
            os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.stem + ".bak" + tmp.suffix).unlink(missing_ok=True)
    return ShareReport(out=out, salesperson=salesperson, rows={k: len(f) for k, f in frames.items()},
                       redacted=redact_personal, encrypted=bool(password))


def sign_copy(master: Path, copy: Path, book: Book, salesperson: str, password: str | None) -> None:
    """Record in `copy` what it holds as sent (its signed base) and, in the master, the sequence and the
    secret that signs it (created on first share)."""
    import datetime as dt

    from salesxl.io.reader import read_book
    from salesxl.io.xlsx import write_sheets
    from salesxl.schema.outputs import header_line, stamp
    from salesxl.sharing.base import REGISTER_KEY, ShareRegister, base_sheet
    from salesxl.sharing.diff import records
    from salesxl.sharing.merge import finish

    sent = read_book(copy)
    tables = {t.key: records(sent, t.key) for t in TABLES if sent.table(t.key).present}
    register = ShareRegister.of(book.state)
    when = dt.datetime.now()
    line = header_line(book.lang, when)
    spec, _ = base_sheet(register, salesperson, tables, book.lang, when)
    stamp(spec, line)
    write_sheets(copy, [spec], backup=False)
    finish(master, master, {}, book, lambda: [register.sheet(book.lang)], lambda written: None, line=line,
           password=password, recalc=False, backup=False)
    book.state[REGISTER_KEY] = register.state()


def encrypt_file(plain: Path, password: str, out: Path) -> None:
    """Encrypt a workbook with a password Excel and WPS ask for (ECMA-376 agile), replacing `out` atomically."""
    from msoffcrypto.format.ooxml import OOXMLFile

    fd, name = tempfile.mkstemp(prefix="." + out.stem + ".", suffix=".tmp", dir=out.parent)
    try:
        with open(plain, "rb") as source, os.fdopen(fd, "wb") as target:
            OOXMLFile(source).encrypt(password, target)
        os.replace(name, out)
    finally:
        if os.path.exists(name):
            os.unlink(name)


def decrypt_to(path: Path, password: str | None, out: Path) -> None:
    """The plain package of an encrypted workbook written to `out` (WorkbookError when the password is
    missing or wrong)."""
    from salesxl.io.opening import open_package_bytes

    out.write_bytes(open_package_bytes(path, password))
