"""Open conflicts between customers' self-filled forms and the cards, as issues on every run."""

from __future__ import annotations

from typing import Any

import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, define
from salesxl.forms.conflicts import KEY, Conflict, parse_conflicts
from salesxl.forms.fields import CUSTOMERS, value_text
from salesxl.registry import register_pass

FORM_CONFLICT = define(
    "FORM_CONFLICT", "warning",
    "客户 {customer} 在自填表中把“{field}”填为“{form}”，与业务员/调查记录的“{card}”不同，未覆盖。请核实后在档案中改正，或将“已审核”设为是。",
    'Customer {customer} wrote "{form}" for "{field}" on their form, which differs from the recorded "{card}" '
    "and was not copied. Check it, then correct the card or mark the card audited.",
    title_zh="客户自填与档案不一致", title_en="Self-filled form disagrees with the card")


@register_pass("form_conflicts")
def form_conflicts(book: Book, results: dict[str, Any]) -> tuple[list[tuple[Conflict, bool]], list[Issue]]:
    """Every recorded conflict and whether it is still open; an issue for each open one."""
    cards = book.frame("customers")
    by_id = {str(c): i for i, c in enumerate(cards["customer_id"].tolist()) if isinstance(c, str)}
    recorded = parse_conflicts(book.state.get(KEY, []))
    checked, issues = [], []
    for conflict in recorded:
        at = by_id.get(conflict.customer_id)
        open_ = at is not None and CUSTOMERS.has(conflict.field) and not _audited(cards["audited"].iloc[at]) \
            and value_text(CUSTOMERS.column(conflict.field), cards[conflict.field].iloc[at], book.lang) == conflict.card_value
        checked.append((conflict, open_))
        if open_:
            column = CUSTOMERS.column(conflict.field)
            issues.append(book.issue_at(FORM_CONFLICT, "customers", int(cards[ROW].iloc[at]), conflict.field,
                                        value=conflict.form_value, customer=conflict.customer_id,
                                        field=column.header(book.lang), form=conflict.form_value,
                                        card=conflict.card_value))
    return checked, issues


def _audited(value: Any) -> bool:
    return value is not None and value is not pd.NA and bool(value)
