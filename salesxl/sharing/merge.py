"""Three-way merge of user-owned tables: BASE, MINE and THEIRS, row by row and field by field.

MINE is the result's starting point. An edit made on one side only is kept; the
same field changed differently on both sides is a conflict and keeps MINE's
value. Deletions are never applied: a row deleted in THEIRS stays and is
reported; a row deleted in MINE but edited in THEIRS comes back with THEIRS'
values and is reported; a row deleted in MINE and untouched in THEIRS stays
deleted (nothing anyone typed is lost). New rows of THEIRS are appended; one
whose ID MINE already uses (or used before) gets a new ID, and the rows of
THEIRS that point to it are pointed to the new ID. Rows without an ID get one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from salesxl.core.book import ROW, Book, quote_sheet
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.sheetspec import Block, ColumnSpec, Link, SheetSpec
from salesxl.io.rows import RowsResult, TableChanges
from salesxl.schema import TABLES, TABLES_BY_KEY
from salesxl.schema.outputs import OUTPUTS_BY_KEY, stamp
from salesxl.sharing.diff import Records, Row, diff, norm, records, same, unmatched
from salesxl.sharing.identity import IdRegister, IdSequence

#: Conflict kinds and their wording.
KINDS: dict[str, tuple[str, str]] = {
    "field": ("双方都修改了此字段，保留本方的值", "Changed differently on both sides; MINE's value kept"),
    "deleted_in_theirs": ("对方删除了此行，本方保留", "Deleted in THEIRS; the row is kept"),
    "deleted_in_mine": ("本方删除了此行，但对方修改过，已按对方恢复", "Deleted in MINE but edited in THEIRS; restored from THEIRS"),
    "gone_in_mine": ("本方已删除此行，对方的修改未应用", "Deleted in MINE; THEIRS' edit not applied"),
    "id_taken": ("双方新增了同一编号的不同行，对方的行改用新编号", "Both sides added different rows with this ID; THEIRS' row got a new ID"),
}


@dataclass
class Change:
    """One thing the merge writes: fields of an existing row, a new row, or a new ID for a row."""

    table: str
    row_id: str
    kind: str  # "update" | "append" | "new_id"
    row: int | None = None  # Excel row (MINE's row; an appended row's once written)
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # column -> (old, new)
    values: Row | None = None  # an appended row
    note: str = ""  # "renumbered:<old ID>" when THEIRS' ID was replaced


@dataclass
class Conflict:
    table: str
    row_id: str
    kind: str  # a key of KINDS
    column: str | None = None
    base: Any = None
    mine: Any = None
    theirs: Any = None
    row: int | None = None
    change: Change | None = None  # the appended row it concerns (its Excel row is known once written)

    @property
    def excel_row(self) -> int | None:
        return self.change.row if self.change is not None and self.change.row is not None else self.row


@dataclass
class TableMerge:
    table: str
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    renumbered: dict[str, str] = field(default_factory=dict)  # THEIRS' ID -> the ID it got

    def table_changes(self, changes: list[Change] | None = None) -> TableChanges:
        """The rows.py form of `changes` (default: all of them)."""
        out = TableChanges()
        for change in self.changes if changes is None else changes:
            if change.kind == "append":
                out.appends.append({k: v for k, v in (change.values or {}).items() if k != ROW})
            else:
                out.updates.setdefault(change.row, {}).update({c: new for c, (_, new) in change.fields.items()})
        return out


def remap_refs(records: Records, renumbered: Mapping[str, Mapping[str, str]]) -> Records:
    """THEIRS' rows with references to renumbered rows of other tables pointed to the new IDs."""
    refs = {c.key: renumbered[c.ref.split(".")[0]] for c in TABLES_BY_KEY[records.table].columns
            if c.ref and c.key in records.columns and renumbered.get(c.ref.split(".")[0])}
    if not refs:
        return records

    def fix(row: Row) -> Row:
        return {k: refs[k].get(v, v) if k in refs else v for k, v in row.items()}

    return Records(records.table, records.id_key, records.columns,
                   {k: fix(r) for k, r in records.rows.items()}, [fix(r) for r in records.unkeyed])


def merge_records(base: Records, mine: Records, theirs: Records, sequence: IdSequence | None, *,
                  deletions: bool = True, number_mine: bool = True) -> TableMerge:
    """Merge one table. `sequence` numbers new and clashing rows (None: the table's keys are not numbered);
    `number_mine` also numbers MINE's rows without an ID."""
    table, id_key = mine.table, mine.id_key
    fields = [c for c in theirs.fields if c in mine.fields]
    ours, others = diff(base, mine, fields), diff(base, theirs, fields)
    out = TableMerge(table)

    for key, edits in others.changed.items():
        if key in ours.removed:
            if deletions:
                change = _append(out, theirs.rows[key], key)
                out.conflicts.append(Conflict(table, key, "deleted_in_mine", change=change))
            else:
                out.conflicts.append(Conflict(table, key, "gone_in_mine"))
            continue
        mine_row, mine_edits = mine.rows[key], ours.changed.get(key, {})
        update = {}
        for column, value in edits.items():
            if column not in mine_edits:
                update[column] = (mine_row.get(column), value)
            elif not same(mine_edits[column], value):
                out.conflicts.append(Conflict(table, key, "field", column, base.rows[key].get(column),
                                              mine_row.get(column), value, row=mine_row.get(ROW)))
        if update:
            out.changes.append(Change(table, key, "update", mine_row.get(ROW), update))

    if deletions:
        for key in sorted(others.removed - ours.removed):
            out.conflicts.append(Conflict(table, key, "deleted_in_theirs", row=mine.rows[key].get(ROW)))

    for key, row in others.added.items():
        if key in mine.rows:
            if all(same(row.get(c), mine.rows[key].get(c)) for c in fields):
                continue
            if sequence is None:
                out.conflicts.append(Conflict(table, key, "id_taken", row=mine.rows[key].get(ROW)))
                continue
            new = sequence.next()
            out.renumbered[key] = new
            change = _append(out, {**row, id_key: new}, new, note=f"renumbered:{key}")
            out.conflicts.append(Conflict(table, key, "id_taken", change=change))
        elif sequence is not None and sequence.used(key):
            new = sequence.next()
            out.renumbered[key] = new
            _append(out, {**row, id_key: new}, new, note=f"renumbered:{key}")
        else:
            if sequence is not None:
                sequence.claim(key)
            _append(out, row, key)

    for row in unmatched(others.unkeyed_added, mine.unkeyed, fields):
        new = sequence.next() if sequence is not None else None
        _append(out, {**row, id_key: new} if new else row, new or "")

    if sequence is not None and number_mine:
        for row in (r for r in mine.unkeyed if r.get(id_key) is None):
            new = sequence.next()
            out.changes.append(Change(table, new, "new_id", row.get(ROW), {id_key: (row.get(id_key), new)}))
    return out


def _append(out: TableMerge, row: Row, key: str, note: str = "") -> Change:
    change = Change(out.table, key, "append", values={k: v for k, v in row.items() if k != ROW}, note=note)
    out.changes.append(change)
    return change


def place_appended(merges: list[TableMerge], written: RowsResult) -> None:
    """Give each appended row the Excel row it was written to (rows.py appends in order)."""
    for merge in merges:
        rows = iter(written.appended.get(merge.table, []))
        for change in merge.changes:
            if change.kind == "append":
                change.row = next(rows, None)


def table_merges(base: Book, mine: Book, theirs: Book, register: IdRegister) -> list[TableMerge]:
    """Merge every input table the three workbooks share, parents before the tables pointing to them."""
    merges, renumbered = [], {}
    for table in TABLES:
        if not (mine.table(table.key).present and theirs.table(table.key).present):
            continue
        other = remap_refs(records(theirs, table.key), renumbered)
        merge = merge_records(records(base, table.key).rekeyed(other), records(mine, table.key).rekeyed(other),
                              other, register.get(table.key))
        renumbered[table.key] = merge.renumbered
        merges.append(merge)
    return merges


@dataclass
class MergeReport:
    out: Path
    changes: int
    conflicts: list[Conflict]
    seconds: float = 0.0


def merge_files(base: Path, mine: Path, theirs: Path, out: Path, *, password: str | None = None,
                now: dt.datetime | None = None, recalc: bool = True) -> MergeReport:
    """Write OUT: MINE's workbook with THEIRS' changes since BASE, a Conflicts sheet, recalculated."""
    import time

    from salesxl.io.reader import read_book
    from salesxl.schema.outputs import header_line
    from salesxl.sharing.identity import read_register

    start = time.perf_counter()
    books = [read_book(p, password=password) for p in (base, mine, theirs)]
    mine_book = books[1]
    register = read_register(mine_book, password)
    merges = table_merges(*books, register)
    conflicts = [c for m in merges for c in m.conflicts]
    lang = mine_book.lang
    line = header_line(lang, now or dt.datetime.now())

    def sheets() -> list[SheetSpec]:
        return [conflicts_sheet(conflicts, mine_book, lang), register.sheet(lang)]

    finish(Path(mine), Path(out), {m.table: m.table_changes() for m in merges}, mine_book, sheets,
           lambda written: place_appended(merges, written), line=line, password=password, recalc=recalc, backup=False)
    return MergeReport(Path(out), sum(len(m.changes) for m in merges), conflicts, time.perf_counter() - start)


def finish(source: Path, target: Path, changes: dict[str, TableChanges], book: Book, sheets, placed,
           *, line: str, password: str | None, recalc: bool, backup: bool) -> None:
    """Apply row changes to `source`, add the tool sheets `sheets()` (built once appended rows are
    placed, stamped with header `line`), recalculate, and replace `target` atomically (keeping its backup when asked); an
    encrypted source gives an encrypted target with the same password."""
    from salesxl.files import recalc_file
    from salesxl.io.rows import apply_row_changes
    from salesxl.io.xlsx import write_sheets
    from salesxl.io.xlsx.package import Package
    from salesxl.sharing.share import decrypt_to, encrypt_file

    fd, name = tempfile.mkstemp(prefix="." + target.stem + ".", suffix=".xlsx", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    encrypted = _encrypted(source)
    try:
        plain = source
        if encrypted:
            decrypt_to(source, password, tmp)
            plain = tmp
        placed(apply_row_changes(plain, changes, book=book, out=tmp, backup=False))
        built = sheets()
        for spec in built:
            stamp(spec, line)
        write_sheets(tmp, built, backup=False)
        if recalc:
            report = recalc_file(tmp)
            if not report.ok:
                raise WorkbookError(next(iter(report.codes), "FILE_DAMAGED"), report.message, report.message,
                                    path=str(target))
        if encrypted:
            if backup and target.exists():
                shutil.copy2(target, target.with_name(target.stem + ".bak" + target.suffix))
            encrypt_file(tmp, password, target)
        else:
            Package.open(tmp).save(target, backup=backup)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.stem + ".bak" + tmp.suffix).unlink(missing_ok=True)


def _encrypted(path: Path) -> bool:
    from salesxl.io.opening import OLE_MAGIC

    with open(path, "rb") as fh:
        return fh.read(8) == OLE_MAGIC


CONFLICT_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("表", "编号", "字段", "原值", "本方", "对方", "说明", "位置"),
    "en": ("Table", "ID", "Field", "Base", "Mine", "Theirs", "What happened", "Row"),
}


def cell_text(value: Any) -> Any:
    """A value as shown in a log sheet: dates without a midnight time, None as blank."""
    value = norm(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def row_link(book: Book, table: str, row: int | None) -> Link | None:
    sheet = book.table(table).sheet
    if sheet is None or row is None:
        return None
    return Link(f"{sheet}!A{row}", f"{quote_sheet(sheet)}!A{row}")


def conflicts_sheet(conflicts: list[Conflict], book: Book, lang: Lang) -> SheetSpec:
    """Every conflict with both values and a link to the row in the merged workbook."""
    rows = []
    for c in conflicts:
        table = TABLES_BY_KEY[c.table]
        column = table.column(c.column).header(lang) if c.column else None
        what = KINDS[c.kind][0 if lang == "zh" else 1]
        rows.append([table.sheet_name(lang), c.row_id, column, cell_text(c.base), cell_text(c.mine),
                     cell_text(c.theirs), what, row_link(book, c.table, c.excel_row)])
    widths = (12, 14, 14, 18, 18, 18, 40, 18)
    columns = [ColumnSpec(h, width=w) for h, w in zip(CONFLICT_HEADERS[lang], widths)]
    output = OUTPUTS_BY_KEY["conflicts"]
    return SheetSpec(key=output.key, name=output.sheet_name(lang),
                     blocks=[Block(columns=columns, rows=rows, table_name="tblConflicts")],
                     freeze_rows=1)
