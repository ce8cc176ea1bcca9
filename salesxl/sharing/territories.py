"""Writing a territory proposal: the TerritoryProposal sheet, and with `apply` the new salespeople and the
regions filled in Customers (only the cells that change, through the row writer) with one MergeLog row per
change.

Both go through the same path as a merge (`merge.finish`): under the workbook's write lock, into a
temporary copy, then an atomic replace that keeps the backup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Lang
from salesxl.io.lock import writing
from salesxl.io.rows import RowsResult, TableChanges
from salesxl.passes.territories import TerritoryProposal, no_customers_error, territory_proposal
from salesxl.sharing.consolidate import LogEntry, merge_log_sheet
from salesxl.sharing.merge import finish


def propose(book: Book, *, salespeople: list[str] | None = None, unassigned_only: bool = False) -> TerritoryProposal:
    """The proposal for a book read from a file or from Excel: its customers graded, then assigned."""
    from salesxl.passes.grade import GradeResult
    from salesxl.pipeline import run_passes

    if not book.table("customers").present:  # before grading, which needs the customers too
        raise no_customers_error(book)
    graded = run_passes(book, ["grade"]).of(GradeResult)
    return territory_proposal(book, graded, salespeople=salespeople, unassigned_only=unassigned_only)


@dataclass
class TerritoryRun:
    proposal: TerritoryProposal
    out: Path
    applied: list[LogEntry]  # one per Customers cell changed (empty without apply)
    lang: Lang = "zh"


def write_territories(office: Path, out: Path | None = None, *, salespeople: list[str] | None = None,
                      unassigned_only: bool = False, apply: bool = False, password: str | None = None,
                      now: dt.datetime | None = None) -> TerritoryRun:
    """Propose territories for `office` and write the proposal (and, with `apply`, the changes) to `out`
    (default: the office itself)."""
    from salesxl.io.reader import read_book
    from salesxl.reports.territories import territory_sheet
    from salesxl.schema.outputs import header_line

    office = Path(office)
    target = Path(out) if out is not None else office
    book = read_book(office, password=password)
    proposal = propose(book, salespeople=salespeople, unassigned_only=unassigned_only)
    when = now or dt.datetime.now()
    line = header_line(book.lang, when)
    log: list[LogEntry] = []
    changes: dict[str, TableChanges] = {}
    if apply:
        updates = TableChanges()
        for column, frame, old, new in (("salesperson_id", proposal.changed, "current", "proposed"),
                                        ("region", proposal.regions_filled, "region", "proposed_region")):
            for rec in frame.to_dict("records"):
                updates.updates.setdefault(int(rec[ROW]), {})[column] = rec[new]
                log.append(LogEntry(office.name, None, "customers", rec["customer_id"], column,
                                    rec[old] or None, rec[new], "update", True, "territory", row=int(rec[ROW])))
        changes["customers"] = updates

    def placed(written: RowsResult) -> None:
        kept = set(written.formula_kept)
        for entry in log:
            if ("customers", entry.row, entry.column) in kept:
                entry.accepted, entry.reason = False, "formula"

    def sheets():
        specs = [territory_sheet(proposal, book, applied=apply)]
        return specs + ([merge_log_sheet(log, book, book.lang, when.replace(microsecond=0))] if apply else [])

    with writing(target):
        finish(office, target, changes, book, sheets, placed, line=line, password=password, recalc=False, backup=True)
    return TerritoryRun(proposal, target, log, book.lang)
