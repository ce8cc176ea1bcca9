"""Who fixes an issue: the salesperson a flagged row belongs to.

A row's own salesperson column comes first (who typed the visit, booked the
order); otherwise the card owner of the row's customer. A supervisor hands
each salesperson the issues of their rows.
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue
from salesxl.passes.planning.sales import ids


def issue_owners(book: Book, issues: Iterable[Issue]) -> dict[Issue, str]:
    """Issue -> salesperson ID, for the issues whose row has one (sheet-level issues have none)."""
    cards = book.frame("customers")
    card_owner = dict(zip(ids(cards["customer_id"]), ids(cards["salesperson_id"])))
    by_table: dict[str, dict[int, str]] = {}
    owners: dict[Issue, str] = {}
    for issue in issues:
        if not issue.table or issue.row is None or issue.table not in book.tables:
            continue
        if issue.table not in by_table:
            by_table[issue.table] = _row_owners(book.frame(issue.table), card_owner)
        owner = by_table[issue.table].get(int(issue.row))
        if owner:
            owners[issue] = owner
    return owners


def _row_owners(frame: pd.DataFrame, card_owner: dict[str, str]) -> dict[int, str]:
    """Excel row -> salesperson ID of one table."""
    blank = pd.Series("", index=frame.index, dtype=object)
    own = ids(frame["salesperson_id"]) if "salesperson_id" in frame.columns else blank
    via_card = ids(frame["customer_id"]).map(lambda c: card_owner.get(c, "")) if "customer_id" in frame.columns else blank
    owner = own.where(own != "", via_card)
    return {int(row): who for row, who in zip(frame[ROW], owner) if who}
