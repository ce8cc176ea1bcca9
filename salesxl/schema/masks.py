"""The masks a redacted copy shows instead of personal values, defined once.

`salesxl share --redact` writes them; the reader and the validators recognise
them, so a copy's masks are neither errors nor values any pass acts on: a
masked number keeps only its last four digits, a masked date only its month
and is text (no birthday reminder, no age can be computed from it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

NUMBER_MASK = re.compile(r"\d{3}\*{4}\d{4}|\*{4,}\d{4}")
DATE_MASK = re.compile(r"\*{4}-(?:0[1-9]|1[0-2])-\*{2}")


def mask_number(value: Any) -> str:
    """138****1234 for a mobile, ****5678 (as many stars as hidden digits) for other numbers."""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 4, 4) + digits[-4:] if len(digits) > 4 else "****"


def mask_date(value: Any) -> str | None:
    """****-07-** for any day of July (None when the value is no date)."""
    stamp = pd.Timestamp(value) if isinstance(value, (dt.date, pd.Timestamp)) else pd.NaT
    return None if pd.isna(stamp) else f"****-{stamp.month:02d}-**"


def is_masked(value: Any) -> bool:
    """Whether a cell holds one of the masks above."""
    text = value.strip() if isinstance(value, str) else ""
    return bool(NUMBER_MASK.fullmatch(text) or DATE_MASK.fullmatch(text))
