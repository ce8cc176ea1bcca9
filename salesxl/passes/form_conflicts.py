"""Open conflicts between customers' self-filled forms and the cards, as issues on every run."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, Lang, define
from salesxl.passes.forms.conflicts import KEY, Conflict, parse_conflicts
from salesxl.passes.forms.fields import CUSTOMERS, value_text
from salesxl.registry import register_pass

FORM_CONFLICT = define(
    "FORM_CONFLICT", "warning",
    "客户 {customer} 在自填表中把“{field}”填为“{form}”，与档案的“{card}”不同，档案未改动。"
    "核实后用 salesxl form accept 接受（或 --reject 拒绝），或直接在档案中改正。",
    'Customer {customer} wrote "{form}" for "{field}" on their form, which differs from the card\'s "{card}"; '
    "the card was not changed. Check it, then accept it with salesxl form accept (or --reject it), "
    "or correct the card.",
    title_zh="客户自填与档案不一致", title_en="Self-filled form disagrees with the card")


@dataclass(frozen=True)
class FormConflicts:
    """Every recorded conflict with whether it is still open."""

    checked: list[tuple[Conflict, bool]]


@register_pass("form_conflicts")
def form_conflicts(book: Book) -> tuple[FormConflicts, list[Issue]]:
    """Every recorded conflict and whether it is still open; an issue for each open one."""
    cards = book.frame("customers")
    by_id = {str(c): i for i, c in enumerate(cards["customer_id"].tolist()) if isinstance(c, str)}
    recorded = parse_conflicts(book.state.get(KEY, []))
    checked, issues = [], []
    for conflict in recorded:
        at = by_id.get(conflict.customer_id)
        open_ = is_open(conflict, cards, at, book.lang)
        checked.append((conflict, open_))
        if open_:
            column = CUSTOMERS.column(conflict.field)
            issues.append(book.issue_at(FORM_CONFLICT, "customers", int(cards[ROW].iloc[at]), conflict.field,
                                        value=conflict.form_value, customer=conflict.customer_id,
                                        field=column.header(book.lang), form=conflict.form_value,
                                        card=conflict.card_value))
    return FormConflicts(checked), issues


def is_open(conflict: Conflict, cards: pd.DataFrame, at: int | None, lang: Lang) -> bool:
    """Undecided, and the card still holds the value the form disagreed with (nobody settled it by hand)."""
    return at is not None and not conflict.decision and CUSTOMERS.has(conflict.field) \
        and value_text(CUSTOMERS.column(conflict.field), cards[conflict.field].iloc[at], lang) == conflict.card_value
