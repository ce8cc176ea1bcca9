"""Bring the workbooks salespeople send back into the office's master workbook.

Each returned file is merged three ways, field by field: the base is what the
copy was when sent (its signed ShareBase sheet), so a field changed only in the
copy is applied if the schema's COPY_RIGHTS permit it, one changed only in the
master is kept, and one changed on both sides is a conflict (the master's value
kept, a row on the Conflicts sheet). A copy without a valid base, or older than
one of the same salesperson already consolidated, applies no field change:
every difference is a conflict to confirm. A copy seen before applies nothing.
New rows are appended, changed fields updated, rows without an ID numbered.
A salesperson may change only their own customers and the rows that belong to
them (the copy's `owner_salesperson` setting, else a salesperson ID in the file
name, says whose file it is); everything else is refused. Masked personal
values of a redacted copy count as unchanged. Deletions in a copy mean nothing
(a copy holds only part of the office) and are never applied. Every decision
is listed in the MergeLog sheet; the master keeps its backup.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Lang, WorkbookError
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.io.rows import TableChanges
from salesxl.schema import TABLES, TABLES_BY_KEY, normalise_name
from salesxl.passes.state import state_records
from salesxl.schema.outputs import OUTPUTS_BY_KEY
from salesxl.sharing.diff import Records, records, same
from salesxl.sharing.identity import IdRegister, read_register
from salesxl.sharing.merge import Change, TableMerge, cell_text, finish, merge_records, place_appended, remap_refs, row_link
from salesxl.schema.tables import COPY_RIGHTS, copy_may_add, copy_may_edit
from salesxl.sharing.base import CopyBase, ShareRegister, read_base
from salesxl.sharing.merge import Conflict, conflicts_sheet
from salesxl.sharing.share import BY_SALESPERSON, redact_value

#: Stands for a base value nobody knows (a copy without a valid base): every difference conflicts.
_UNKNOWN = "\x00unknown"

REASONS: dict[str, tuple[str, str]] = {
    "ok": ("", ""),
    "office": ("此表只能由办公室修改", "Only the office changes this table"),
    "not_owner": ("不是该销售员的客户或记录", "Not this salesperson's customer or record"),
    "reassign": ("负责销售员只能由办公室调整", "Only the office reassigns customers"),
    "conflict": ("发出副本后办公室也修改了此字段，保留办公室的值",
                 "The office changed this field too since the copy was sent; the office's value kept"),
    "locked": ("此字段只能由办公室修改", "Only the office changes this field"),
    "no_base": ("副本没有有效的发送基准，差异需确认，保留办公室的值",
                "The copy carries no valid base; confirm the difference (the office's value kept)"),
    "duplicate": ("此副本已合并过，不再重复应用", "This copy was consolidated before; nothing applied again"),
    "stale": ("已合并过该销售员更新的副本，差异需确认", "A newer copy of this salesperson was consolidated; confirm the difference"),
    "formula": ("单元格含公式，保留公式", "The cell holds a formula, which was kept"),
    "territory": ("划区建议", "territory proposal"),
    "unreadable": ("无法读取文件", "The file cannot be read"),
    "no_owner": ("无法确定文件所属销售员：请在设置表填写 owner_salesperson，或在文件名中写上工号",
                 "Whose file is this? Set owner_salesperson in Settings or put the salesperson ID in the file name"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "update": ("修改", "changed"), "append": ("新增行", "new row"), "new_id": ("补编号", "ID assigned"),
    "renumbered": ("新增行（改编号）", "new row (renumbered)"), "file": ("文件", "file"),
}
LOG_HEADERS: dict[Lang, tuple[str, ...]] = {
    "zh": ("时间", "文件", "销售员", "表", "编号", "字段", "原值", "新值", "操作", "结果", "原因", "位置"),
    "en": ("Time", "File", "Salesperson", "Table", "ID", "Field", "Old", "New", "Action", "Decision", "Reason", "Row"),
}


@dataclass
class LogEntry:
    file: str
    salesperson: str | None
    table: str | None
    row_id: str | None
    column: str | None
    old: Any
    new: Any
    action: str
    accepted: bool
    reason: str = "ok"
    change: Change | None = None
    row: int | None = None

    @property
    def excel_row(self) -> int | None:
        return self.change.row if self.change is not None and self.change.row is not None else self.row


@dataclass
class ConsolidationReport:
    master: Path
    files: list[str]
    log: list[LogEntry] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, accepted: bool) -> int:
        return sum(1 for e in self.log if e.accepted is accepted and e.action != "file")


def returned_files(folder: Path, master: Path) -> list[Path]:
    """The workbooks in `folder` (not the master, owner/lock files or backups), sorted by name."""
    return [p for p in sorted(Path(folder).iterdir())
            if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith(("~$", ".~lock", "."))
            and ".bak" not in p.suffixes and p.resolve() != Path(master).resolve()]


def file_owner(book: Book, path: Path, salespeople: set[str]) -> str | None:
    """Whose copy: the owner_salesperson setting, else the one salesperson ID the file name contains."""
    owner = book.settings.sharing.owner_salesperson
    if book.settings.is_set("owner_salesperson") and owner in salespeople:
        return owner
    tokens = {normalise_name(t) for t in re.split(r"[^0-9A-Za-z]+", path.stem) if t}
    found = [s for s in salespeople if normalise_name(s) in tokens]
    return found[0] if len(found) == 1 else None


class _Rights:
    """What the salesperson of one returned file may change, given the master as it stands."""

    def __init__(self, owner: str, customers: Records):
        self.owner = owner
        self.customers = {k for k, r in customers.rows.items() if r.get("salesperson_id") == owner}

    def check(self, table: str, before: dict | None, after: dict) -> str:
        """"ok" or why the row (as it was and as it would be) is not this salesperson's to change."""
        if not (copy_may_add(table) if before is None else COPY_RIGHTS[table][0] != "none"):
            return "office"
        if table == "customers" and before is not None and not same(before.get("salesperson_id"),
                                                                     after.get("salesperson_id")):
            return "reassign"
        rows = [r for r in (before, after) if r is not None]
        return "ok" if all(self._owns(table, r) for r in rows) else "not_owner"

    def _owns(self, table: str, row: dict) -> bool:
        if table == "customers":
            return row.get("salesperson_id") == self.owner or (row.get("customer_id") in self.customers)
        if table == "salespeople":
            return row.get("salesperson_id") == self.owner
        spec = TABLES_BY_KEY[table]
        if table not in BY_SALESPERSON and spec.has("customer_id") and row.get("customer_id") is not None:
            return row["customer_id"] in self.customers
        return spec.has("salesperson_id") and row.get("salesperson_id") == self.owner


def consolidate(master: Path, inbox: Path, *, password: str | None = None, now: dt.datetime | None = None,
                recalc: bool = True) -> ConsolidationReport:
    """Merge every returned workbook in `inbox` into `master` (in place, backup kept)."""
    from salesxl.io.reader import read_book
    from salesxl.schema.outputs import header_line

    start = time.perf_counter()
    master = Path(master)
    book = read_book(master, password=password)
    register = read_register(book, password)
    shares = ShareRegister.of(book.state)
    base = {t.key: records(book, t.key) for t in TABLES if book.table(t.key).present}
    current = {k: Records(r.table, r.id_key, r.columns, dict(r.rows), list(r.unkeyed)) for k, r in base.items()}
    salespeople = set(current["salespeople"].rows) if "salespeople" in current else set()
    files = returned_files(Path(inbox), master)
    report = ConsolidationReport(master, [p.name for p in files])
    conflicts: list[Conflict] = []
    merges: list[TableMerge] = []
    for path in files:
        merges.extend(_one_file(path, password, base, current, register, salespeople, report.log, shares,
                                conflicts))
    merges.extend(_number_master_rows(current, register, report.log))
    lang = book.lang
    when = now or dt.datetime.now()
    line = header_line(lang, when)
    stamp = when.replace(microsecond=0)
    changes: dict[str, TableChanges] = {}
    for merge in merges:
        part = merge.table_changes()
        into = changes.setdefault(merge.table, TableChanges())
        for row, values in part.updates.items():
            into.updates.setdefault(row, {}).update(values)
        into.appends.extend(part.appends)

    def placed(written) -> None:
        by_table: dict[str, list[TableMerge]] = {}
        for merge in merges:
            by_table.setdefault(merge.table, []).append(merge)
        for table, group in by_table.items():
            combined = TableMerge(table, [c for m in group for c in m.changes])
            place_appended([combined], written)
        kept = set(written.formula_kept)
        for entry in report.log:
            if entry.accepted and entry.action == "update" and (entry.table, entry.row, entry.column) in kept:
                entry.accepted, entry.reason = False, "formula"

    def sheets() -> list[SheetSpec]:
        return [merge_log_sheet(report.log, book, lang, stamp), conflicts_sheet(conflicts, book, lang),
                register.sheet(lang)] + ([] if shares.fresh else [shares.sheet(lang)])

    finish(master, master, changes, book, sheets, placed, line=line, password=password, recalc=recalc, backup=True)
    report.seconds = time.perf_counter() - start
    return report


def _one_file(path: Path, password: str | None, base: dict[str, Records], current: dict[str, Records],
              register: IdRegister, salespeople: set[str], log: list[LogEntry], shares: ShareRegister,
              conflicts: list[Conflict]) -> list[TableMerge]:
    from salesxl.io.reader import read_book

    try:
        theirs_book = read_book(path, password=password)
    except WorkbookError as error:
        log.append(LogEntry(path.name, None, None, None, None, None, error.message(), "file", False, "unreadable"))
        return []
    owner = file_owner(theirs_book, path, salespeople)
    if owner is None:
        log.append(LogEntry(path.name, None, None, None, None, None, None, "file", False, "no_owner"))
        return []
    sent = read_base(theirs_book.state, shares)
    if sent is not None and sent.copy_id in shares.seen:
        log.append(LogEntry(path.name, owner, None, None, None, None, None, "file", False, "duplicate"))
        return []
    unknown = None if sent is None else ("stale" if sent.sequence < shares.newest(owner) else None)
    unknown = "no_base" if sent is None else unknown
    rights = _Rights(owner, current["customers"])
    accepted_merges, renumbered = [], {}
    for key, master_records in base.items():
        if not theirs_book.table(key).present:
            continue
        theirs = remap_refs(records(theirs_book, key), renumbered)
        if key == "settings":
            theirs.rows.pop("owner_salesperson", None)
        mine = current[key].rekeyed(theirs)
        if unknown:
            theirs = _unmask(theirs, master_records)
        merge = merge_records(_base_of(sent, key, theirs, mine, unknown), mine, theirs, register.get(key),
                              deletions=False, number_mine=False)
        renumbered[key] = merge.renumbered
        kept = TableMerge(key, renumbered=merge.renumbered)
        for conflict in (c for c in merge.conflicts if c.kind in ("field", "gone_in_mine")):
            conflicts.append(conflict)
            log.append(LogEntry(path.name, owner, key, conflict.row_id, conflict.column, conflict.mine,
                                conflict.theirs, "update", False, unknown or "conflict", row=conflict.row))
        for change in merge.changes:
            if _decide(change, mine, rights, path.name, owner, log):
                kept.changes.append(change)
                _record(current[key], mine, change)
                if key == "customers" and change.kind == "append":
                    rights.customers.add(change.row_id)
        accepted_merges.append(kept)
    if sent is not None:
        shares.seen[sent.copy_id] = (sent.sequence, owner)
    return accepted_merges


def _base_of(sent: CopyBase | None, key: str, theirs: Records, mine: Records, unknown: str | None) -> Records:
    """The table as the copy was sent; with no trustworthy base, a base unlike both sides (so every
    difference is a conflict) for the rows both hold."""
    if not unknown and sent is not None:
        return sent.tables.get(key) or Records(key, theirs.id_key, theirs.columns)
    rows = {k: {c: _UNKNOWN for c in theirs.columns} | {theirs.id_key: k} for k in theirs.rows if k in mine.rows}
    return Records(key, theirs.id_key, theirs.columns, rows)


def _decide(change: Change, mine: Records, rights: _Rights, file: str, owner: str, log: list[LogEntry]) -> bool:
    """Accept or refuse one change, logging each field."""
    table = change.table
    if change.kind == "append":
        values = dict(change.values or {})
        if table == "customers" and values.get("salesperson_id") is None:
            values["salesperson_id"] = owner
        reason = rights.check(table, None, values)
        if reason == "ok":
            for column, value in list(values.items()):
                if column != "salesperson_id" and not copy_may_edit(table, column) and value is not None \
                        and column != mine.id_key:
                    log.append(LogEntry(file, owner, table, change.row_id, column, None, value, "append", False,
                                        "locked", change=change))
                    values[column] = None
        change.values = values
        action = "renumbered" if change.note.startswith("renumbered:") else "append"
        old = change.note.split(":", 1)[1] if action == "renumbered" else None
        log.append(LogEntry(file, owner, table, change.row_id, None, old, change.row_id, action, reason == "ok",
                            reason, change=change))
        return reason == "ok"
    before = next((r for r in [*mine.rows.values(), *mine.unkeyed] if r.get(ROW) == change.row), None)
    after = {**(before or {}), **{c: new for c, (_, new) in change.fields.items()}}
    reason = rights.check(table, before, after) if change.kind == "update" else "ok"
    accepted = {}
    for column, (old, new) in change.fields.items():
        why = "locked" if reason == "ok" and change.kind == "update" and not copy_may_edit(table, column) else reason
        log.append(LogEntry(file, owner, table, change.row_id, column, old, new, change.kind, why == "ok",
                            why, row=change.row))
        if why == "ok":
            accepted[column] = (old, new)
    change.fields = accepted
    return bool(accepted)


def _record(current: Records, view: Records, change: Change) -> None:
    """Keep the in-memory master in step, so later files are compared with what this run accepted.
    A changed row is a new dict: the base keeps the master as it was."""
    if change.kind == "append":
        current.rows[change.row_id] = dict(change.values or {})
        return
    old = view.rows.get(change.row_id)
    if change.kind != "update" or old is None:
        return
    new = {**old, **{c: value for c, (_, value) in change.fields.items()}}
    view.rows[change.row_id] = new
    if current.rows.get(change.row_id) is old:
        current.rows[change.row_id] = new
    else:
        current.unkeyed = [new if r is old else r for r in current.unkeyed]


def _unmask(theirs: Records, base: Records) -> Records:
    """A redacted copy's masked personal values, where they mask the master's value, read as unchanged."""
    personal = [c for c in TABLES_BY_KEY[theirs.table].columns if c.personal and c.key in theirs.fields]
    for key, row in theirs.rows.items():
        original = base.rows.get(key)
        if original is None:
            continue
        for column in personal:
            value = original.get(column.key)
            if value is not None and not same(value, row.get(column.key)) \
                    and same(redact_value(column, value), row.get(column.key)):
                row[column.key] = value
    return theirs


def _number_master_rows(current: dict[str, Records], register: IdRegister, log: list[LogEntry]) -> list[TableMerge]:
    """IDs for the master's own rows that have none."""
    merges = []
    for key, table in current.items():
        sequence = register.get(key)
        blank = [r for r in table.unkeyed if r.get(table.id_key) is None]
        if sequence is None or not blank:
            continue
        merge = TableMerge(key)
        for row in blank:
            new = sequence.next()
            change = Change(key, new, "new_id", row.get(ROW), {table.id_key: (row.get(table.id_key), new)})
            merge.changes.append(change)
            log.append(LogEntry("", None, key, new, table.id_key, row.get(table.id_key), new, "new_id", True,
                                row=row.get(ROW)))
        merges.append(merge)
    return merges


def earlier_decisions(book: Book) -> list[list]:
    """The MergeLog rows of earlier consolidations, as the master holds them (links become their text)."""
    keys = [f"c{i}" for i in range(len(LOG_HEADERS["zh"]))]
    columns = list(zip(keys, LOG_HEADERS["zh"], LOG_HEADERS["en"]))
    records = state_records(book.state.get("merge_log") or [], columns, {keys[0], keys[1]})
    return [[record.get(keys[0])] + [cell_text(record.get(k)) for k in keys[1:]]
            for record in records if isinstance(record.get(keys[0]), dt.datetime)]


def merge_log_sheet(log: list[LogEntry], book: Book, lang: Lang, when: dt.datetime) -> SheetSpec:
    """Every decision of this run, then those of earlier runs: file, table, row, field, old → new,
    accepted or refused and why."""
    zh = lang == "zh"
    rows = []
    for e in log:
        table = TABLES_BY_KEY[e.table] if e.table else None
        column = table.column(e.column).header(lang) if table and e.column else None
        decision = ("接受" if zh else "accepted") if e.accepted else ("拒绝" if zh else "refused")
        rows.append([when, e.file, e.salesperson, table.sheet_name(lang) if table else None, e.row_id, column,
                     cell_text(e.old), cell_text(e.new), ACTIONS[e.action][0 if zh else 1], decision,
                     REASONS[e.reason][0 if zh else 1] or None,
                     row_link(book, e.table, e.excel_row) if e.table else None])
    rows += earlier_decisions(book)
    widths = (17, 24, 10, 10, 14, 14, 18, 18, 14, 8, 36, 16)
    kinds = ("datetime",) + ("text",) * 11
    columns = [ColumnSpec(h, k, w) for h, k, w in zip(LOG_HEADERS[lang], kinds, widths)]
    output = OUTPUTS_BY_KEY["merge_log"]
    return SheetSpec(key=output.key, name=output.sheet_name(lang),
                     blocks=[Block(columns=columns, rows=rows, table_name="tblMergeLog")],
                     freeze_rows=1)
