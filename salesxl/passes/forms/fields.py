"""Which card fields the customer fills in, and card values as comparable text.

`INTERNAL` is the one declaration of what the office keeps to itself: who
looks after the customer, status, our own assessments of the customer (sales
capacity, potential, attitude, competitors, credit standing), the trade terms
we grant, coordinates, audit marks and internal notes. None of it is shown on,
or read back from, the customer's form.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.schema import TABLES_BY_KEY, Column, RequiredWhen
from salesxl.io.display import display_value

CUSTOMERS = TABLES_BY_KEY["customers"]
INTERNAL = frozenset({
    "customer_id", "sales_capacity", "growth_potential", "cooperation_attitude", "competitor_relation",
    "credit_standing", "payment_terms", "payment_days", "credit_limit", "credit_problems",
    "region", "lat", "lon", "salesperson_id", "status", "data_source", "audited", "created", "updated", "notes",
})
#: The card fields on the customer form, in card order.
FORM_FIELDS: tuple[Column, ...] = tuple(c for c in CUSTOMERS.columns if c.key not in INTERNAL)
#: Card data sources whose values a customer's own figures may not overwrite.
RECORDED_SOURCES = ("visit", "agency")


def blank(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def value_text(column: Column, value: Any, lang: Lang) -> str:
    """A canonical card value as the text a person reads ("" when blank): labels, plain dates, plain numbers."""
    if blank(value):
        return ""
    shown = display_value(column, value, lang)
    if isinstance(shown, dt.datetime):
        shown = shown.date()
    if isinstance(shown, dt.date):
        return shown.isoformat()
    if isinstance(shown, float):
        return str(int(shown)) if shown.is_integer() else f"{shown:.6f}".rstrip("0").rstrip(".")
    return str(shown).strip()


def required_for(column: Column, status: str | None) -> bool:
    """Whether a card field must be filled for a customer of this status."""
    if column.required is True:
        return True
    if isinstance(column.required, RequiredWhen) and column.required.column == "status":
        return status in column.required.values
    return False
