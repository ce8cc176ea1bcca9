"""Canonical values back to what a person types in the sheet: the inverse of `io.coerce`.

Coercion turns "是", "2024年3月5日" or an enum label into canonical values;
writing a value back into a user's sheet (template rows, card updates, forms)
goes the other way, with the labels of the workbook's language.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.issues import Lang
from salesxl.schema import ColType, Column

#: How a yes/no cell is written (coercion reads these and many more).
BOOL_LABELS: dict[Lang, tuple[str, str]] = {"zh": ("是", "否"), "en": ("Yes", "No")}


def display_value(column: Column, value: Any, lang: Lang) -> Any:
    """A canonical value as a person types it in the sheet: enum labels, 是/否, plain dates."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if column.type == ColType.DATE and isinstance(value, dt.datetime):
        return value.date()
    if column.type == ColType.ENUM:
        return column.label(value, lang)
    if column.type == ColType.BOOL and isinstance(value, (bool, np.bool_)):
        yes, no = BOOL_LABELS[lang]
        return yes if value else no
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
