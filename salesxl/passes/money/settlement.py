"""Settled commission statements, kept in the hidden tool-owned sheet CommissionSettled.

The sheet holds one row per statement line of every settled month (a
statement without lines keeps one row with a blank reference, so its target
and achievement survive). A month with any row in the sheet is settled: its
statements are read back as recorded and never recalculated. The sheet is
read in either language; rows that cannot be read are skipped.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import pandas as pd

from salesxl.passes.money.allocation import to_cents
from salesxl.passes.state import cell_date, cell_number, cell_text, state_records
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY

SETTLED_KEY = "commission_settled"
SETTLED_SHEET = {"zh": STATE_SHEETS_BY_KEY[SETTLED_KEY].zh, "en": STATE_SHEETS_BY_KEY[SETTLED_KEY].en}
#: (key, zh header, en header, kind) of the sheet's columns, in order; money columns hold yuan.
SETTLED_COLUMNS = (
    ("month", "月份", "Month", "text"),
    ("salesperson_id", "销售员", "Salesperson", "text"),
    ("basis_kind", "提成基数", "Basis", "text"),
    ("target", "月目标", "Target", "money"),
    ("net_sales", "月净销售额", "Net sales", "money"),
    ("achievement", "达成率", "Achievement", "percent"),
    ("rate", "提成比例", "Rate", "number"),
    ("reference", "单号", "Reference", "text"),
    ("payment_id", "回款编号", "Payment ID", "text"),
    ("customer_id", "客户编号", "Customer ID", "text"),
    ("date", "日期", "Date", "date"),
    ("product_line", "产品线", "Product line", "text"),
    ("basis", "基数金额", "Basis amount", "money"),
    ("multiplier", "系数", "Multiplier", "number"),
    ("commission", "佣金", "Commission", "money"),
    ("settled_on", "结算日期", "Settled on", "date"),
)
KEYS = [key for key, _, _, _ in SETTLED_COLUMNS]
MONEY = [key for key, _, _, kind in SETTLED_COLUMNS if kind == "money"]
TEXT = [key for key, _, _, kind in SETTLED_COLUMNS if kind == "text"]
#: What a line is made of: changes to these after settlement are late edits.
LINE_KEY = ["reference", "payment_id", "customer_id", "product_line", "basis_cents"]
_MONTH = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def settled_rows(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Parse the raw cell rows of the sheet; money also as integer cents (`<column>_cents`)."""
    records = []
    for record in state_records(rows, SETTLED_COLUMNS, {"month", "salesperson_id", "commission"}):
        month, person = _month(record.get("month")), cell_text(record.get("salesperson_id"))
        if month is None or person is None:
            continue
        records.append({**{key: cell_text(record.get(key)) or "" for key in TEXT}, "month": month,
                        "salesperson_id": person, **{key: cell_number(record.get(key)) for key in MONEY},
                        "achievement": cell_number(record.get("achievement")), "rate": cell_number(record.get("rate")),
                        "multiplier": cell_number(record.get("multiplier")),
                        "date": cell_date(record.get("date")), "settled_on": cell_date(record.get("settled_on"))})
    return settled_frame(records)


def settled_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=KEYS)
    for key in MONEY:
        frame[key] = pd.to_numeric(frame[key], errors="coerce").astype("float64")
        frame[f"{key}_cents"] = to_cents(frame[key])
    for key in ("date", "settled_on"):
        frame[key] = pd.to_datetime(frame[key])
    return frame


def line_keys(lines: pd.DataFrame) -> list[tuple]:
    """The sorted make-up of a statement's lines (rows with a blank reference carry no line)."""
    real = lines[lines["reference"] != ""]
    return sorted(map(tuple, real[LINE_KEY].astype(object).to_numpy().tolist()))






def _month(value: Any) -> str | None:
    """"2026-03" from the text (also "2026/3", "2026年3月"), or from a date Excel made of it."""
    if isinstance(value, str):
        match = _MONTH.match(value)
        return month_key(int(match[1]), int(match[2])) if match and 1 <= int(match[2]) <= 12 else None
    day = cell_date(value)
    return None if day is None else month_key(day.year, day.month)
