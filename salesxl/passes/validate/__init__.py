"""The customer-card validation pass: generic field rules on every table, then card checks.

`validate` is a pure function of the Book. It returns one row per customer
card (completeness, missing fields, last visit, whether figures need an audit)
and the issues, each naming its sheet cell in the book's language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.passes.common import Blanks, as_of_date
from salesxl.passes.sales import SalesLines
from salesxl.passes.validate.cards import RESULT_COLUMNS, check_cards
from salesxl.passes.validate.codes import ITEM7_CODES
from salesxl.passes.validate.coverage import empty_tables
from salesxl.passes.validate.events import check_complaint_events
from salesxl.passes.validate.fields import check_fields
from salesxl.registry import register_pass

__all__ = ["ITEM7_CODES", "RESULT_COLUMNS", "CardChecks", "validate"]


@dataclass(frozen=True)
class CardChecks:
    """One row per customer card (RESULT_COLUMNS): completeness, missing fields, last visit, audits."""

    cards: pd.DataFrame


@register_pass("validate", order=0)
def validate_pass(book: Book, sold: SalesLines) -> tuple[CardChecks, list[Issue]]:
    cards, issues = validate(book, sold)
    return CardChecks(cards), issues


def validate(book: Book, sold: SalesLines) -> tuple[pd.DataFrame, list[Issue]]:
    """Per-customer card status and every validation issue, in a stable order.

    A coordinate outside China is reported once, as CUST_LATLON_RANGE, not also as FIELD_RANGE.
    """
    rejected = {(i.table, i.row, i.column) for i in book.issues if i.table and i.row and i.column}
    blanks = Blanks()  # each column's blank cells, found once for the field rules and the card checks
    cards, card_issues = check_cards(book, as_of_date(book), sold, blanks)
    located = {(i.table, i.row, i.column) for i in card_issues if i.code == "CUST_LATLON_RANGE"}
    field_issues = [
        i for i in check_fields(book, rejected, blanks)
        if not (i.code == "FIELD_RANGE" and (i.table, i.row, i.column) in located)
    ]
    issues = sorted(field_issues + card_issues + check_complaint_events(book) + empty_tables(book), key=Issue.sort_key)
    return cards, issues
