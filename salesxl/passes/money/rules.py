"""Commission tiers at work, and issues about a setting at its cell (the Settings model parses the text)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from salesxl.core.book import Book
from salesxl.core.issues import Issue, IssueKind


def rate_for(achievement: Fraction | None, tiers: list[tuple[Fraction, Decimal]]) -> Decimal:
    """The rate of the highest threshold reached (no target counts as 0 achievement); below every threshold, 0."""
    reached = achievement if achievement is not None else Fraction(0)
    return max(((t, r) for t, r in tiers if reached >= t), default=(Fraction(0), Decimal(0)))[1]


def setting_issue(book: Book, kind: IssueKind, key: str, **params) -> Issue:
    """An issue at the Value cell of setting `key` on the Settings sheet (the sheet only when the row is missing)."""
    return book.issue_at(kind, "settings", book.settings.row(key), "value", value=book.settings.sheet_values()[key],
                         **params)
