"""Rules typed into Settings as short text ("0.6:0.01,0.8:0.02", "A:1.2,B:0.8") and where they sit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from salesxl.core.book import Book
from salesxl.core.issues import Issue, IssueKind
from salesxl.passes.planning.sales import ids


def pairs(text: object) -> list[tuple[str, str]] | None:
    """"a:1,b:2" -> [("a", "1"), ("b", "2")]; full-width punctuation accepted; None when malformed."""
    cleaned = str(text or "").replace("，", ",").replace("；", ",").replace(";", ",").replace("：", ":")
    found = []
    for part in (p.strip() for p in cleaned.split(",")):
        if not part:
            continue
        key, colon, value = part.rpartition(":")
        if not colon or not key.strip() or not value.strip():
            return None
        found.append((key.strip(), value.strip()))
    return found


def parse_tiers(text: object) -> list[tuple[Fraction, Decimal]] | None:
    """Achievement threshold -> rate, ascending by threshold; None unless every pair is two non-negative numbers."""
    found = pairs(text)
    if not found:
        return None
    try:
        tiers = [(Fraction(key), Decimal(value)) for key, value in found]
    except (ValueError, ZeroDivisionError, InvalidOperation):
        return None
    if any(t < 0 or not r.is_finite() or r < 0 for t, r in tiers) or len({t for t, _ in tiers}) != len(tiers):
        return None
    return sorted(tiers)


def rate_for(achievement: Fraction | None, tiers: list[tuple[Fraction, Decimal]]) -> Decimal:
    """The rate of the highest threshold reached (no target counts as 0 achievement); below every threshold, 0."""
    reached = achievement if achievement is not None else Fraction(0)
    return max(((t, r) for t, r in tiers if reached >= t), default=(Fraction(0), Decimal(0)))[1]


def parse_multipliers(text: object) -> dict[str, Decimal] | None:
    """"A:1.2,B:0.8" -> {"A": 1.2, "B": 0.8}; blank -> {}; None when malformed or negative."""
    found = pairs(text)
    if found is None:
        return None
    try:
        table = {key: Decimal(value) for key, value in found}
    except InvalidOperation:
        return None
    return table if all(v.is_finite() and v >= 0 for v in table.values()) else None


def setting_issue(book: Book, kind: IssueKind, key: str, **params) -> Issue:
    """An issue at the Value cell of setting `key` on the Settings sheet (the sheet only when the row is missing)."""
    frame = book.frame("settings")
    rows = frame.loc[ids(frame["key"]) == key, "_row"] if "key" in frame else []
    row = int(rows.iloc[0]) if len(rows) else None
    return book.issue_at(kind, "settings", row, "value", value=book.settings.get(key), **params)
