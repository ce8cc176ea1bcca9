"""Settled commission statements, kept in the hidden tool-owned sheet CommissionSettled.

The sheet holds one row per statement line of every settled month (a
statement without lines keeps one row with a blank reference, so its target
and achievement survive). A month with any row in the sheet is settled: its
statements are read back as recorded and never recalculated. The sheet is
read in either language; rows that cannot be read are skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import pandas as pd

from salesxl.passes.money.allocation import to_cents
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY
from salesxl.schema.types import normalise_name

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
_HEADERS = {normalise_name(name): key for key, zh, en, _ in SETTLED_COLUMNS for name in (key, zh, en)}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def settled_rows(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Parse the raw cell rows of the sheet; money also as integer cents (`<column>_cents`)."""
    header_at, columns = _find_header(rows)
    records = []
    for row in rows[header_at + 1:] if header_at is not None else ():
        record = {key: (row[i] if i < len(row) else None) for key, i in columns.items()}
        month, person = _month(record.get("month")), _text(record.get("salesperson_id"))
        if month is None or person is None:
            continue
        records.append({**{key: _text(record.get(key)) or "" for key in TEXT}, "month": month,
                        "salesperson_id": person, **{key: _number(record.get(key)) for key in MONEY},
                        "achievement": _number(record.get("achievement")), "rate": _number(record.get("rate")),
                        "multiplier": _number(record.get("multiplier")),
                        "date": _date(record.get("date")), "settled_on": _date(record.get("settled_on"))})
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


def _find_header(rows: Sequence[Sequence[Any]]) -> tuple[int | None, dict[str, int]]:
    for n, row in enumerate(rows[:10]):
        columns: dict[str, int] = {}
        for i, value in enumerate(row):
            key = _HEADERS.get(normalise_name(value)) if isinstance(value, str) else None
            if key is not None and key not in columns:
                columns[key] = i
        if {"month", "salesperson_id", "commission"} <= columns.keys():
            return n, columns
    return None, {}


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _date(value: Any) -> pd.Timestamp | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 2958466:
        return (_EXCEL_EPOCH + pd.Timedelta(days=int(value))).normalize()
    if isinstance(value, str):
        stamp = pd.to_datetime(value.strip(), errors="coerce")
        return None if pd.isna(stamp) else stamp.normalize()
    return None


def _month(value: Any) -> str | None:
    """"2026-03" from the text, or from a date Excel made of it."""
    day = _date(value) if not isinstance(value, str) else None
    if day is not None:
        return month_key(day.year, day.month)
    text = _text(value)
    if text is None:
        return None
    stamp = pd.to_datetime(text.replace("/", "-") + "-01", format="%Y-%m-%d", errors="coerce")
    return None if pd.isna(stamp) else month_key(stamp.year, stamp.month)
