"""Settled commission statements, kept in the hidden tool-owned sheet CommissionSettled.

The sheet holds one row per settled statement (salesperson x month): its
head (target, achievement, rate), its basis and amount as settled, and a
fingerprint of the lines that made it, so a later edit of those lines is
found without keeping every line. A month with any row in the sheet is
settled: its statements are read back as recorded and never recalculated.
Sheets written in the earlier one-row-per-line layout are still read (their
lines are folded into statements and fingerprinted the same way) and are
rewritten in the new layout. The sheet is read in either language; rows
that cannot be read are skipped.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Sequence

import numpy as np
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
    ("basis", "基数金额", "Basis amount", "money"),
    ("commission", "佣金", "Commission", "money"),
    ("lines", "明细行数", "Lines", "int"),
    ("fingerprint", "明细指纹", "Fingerprint", "text"),
    ("settled_on", "结算日期", "Settled on", "date"),
)
#: Columns of the earlier one-row-per-line layout, read only to migrate it.
LEGACY_COLUMNS = (
    ("reference", "单号", "Reference", "text"),
    ("payment_id", "回款编号", "Payment ID", "text"),
    ("customer_id", "客户编号", "Customer ID", "text"),
    ("product_line", "产品线", "Product line", "text"),
)
KEYS = [key for key, _, _, _ in SETTLED_COLUMNS]
MONEY = [key for key, _, _, kind in SETTLED_COLUMNS if kind == "money"]
#: What a line is made of: changes to these after settlement are late edits.
LINE_KEY = ["reference", "payment_id", "customer_id", "product_line", "basis_cents"]
_MONTH = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_HEAD = ["basis_kind", "target", "net_sales", "achievement", "rate", "settled_on"]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_keys(dates: pd.Series) -> np.ndarray:
    """`month_key` of every date (NaT: None), computed once per distinct month."""
    stamp = pd.to_datetime(dates)
    number = (stamp.dt.year * 100 + stamp.dt.month).to_numpy(dtype="float64")
    code, months = pd.factorize(number)
    keys = np.array([month_key(int(m) // 100, int(m) % 100) for m in months] + [None], dtype=object)
    return keys[code]


def fingerprint(lines: pd.DataFrame) -> str:
    """A short hash of the sorted make-up of a statement's lines (LINE_KEY); equal lines, equal fingerprint."""
    return fingerprints(lines.assign(_one=0), ["_one"]).get(0, _digest([]))


def fingerprints(lines: pd.DataFrame, by: list[str]) -> dict[Any, str]:
    """`fingerprint` of each group of `lines` by the columns `by` (key: a value, or a tuple for several),
    sorting all lines once: the hash of the repr of the sorted (text, text, text, text, cents) tuples."""
    if lines.empty:
        return {}
    keys = pd.DataFrame({**{f"_by{i}": lines[column].to_numpy() for i, column in enumerate(by)},
                         **{key: lines[key].to_numpy(dtype=object).astype(str).astype(object) for key in LINE_KEY[:-1]},
                         LINE_KEY[-1]: lines[LINE_KEY[-1]].to_numpy(dtype="int64")})
    keys = keys.sort_values([*keys.columns[:len(by)], *LINE_KEY], kind="mergesort")
    groups = keys.groupby([f"_by{i}" for i in range(len(by))], sort=False).indices
    columns = [keys[key].tolist() for key in LINE_KEY]
    prints = {}
    for group, at in groups.items():
        start, stop = int(at[0]), int(at[-1]) + 1  # sorted by group first: each group is one run
        prints[group[0] if len(by) == 1 and isinstance(group, tuple) else group] = _digest(
            list(zip(*(column[start:stop] for column in columns))))
    return prints


def _digest(keys: list[tuple]) -> str:
    return hashlib.sha256(repr(keys).encode("utf-8")).hexdigest()[:20]


def settled_rows(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Parse the raw cell rows of the sheet (either layout); money also as integer cents (`<column>_cents`)."""
    records, legacy = [], []
    for record in state_records(rows, SETTLED_COLUMNS + LEGACY_COLUMNS, {"month", "salesperson_id", "commission"}):
        month, person = _month(record.get("month")), cell_text(record.get("salesperson_id"))
        if month is None or person is None:
            continue
        row = {"month": month, "salesperson_id": person, "basis_kind": cell_text(record.get("basis_kind")) or "",
               **{key: cell_number(record.get(key)) for key in MONEY},
               "achievement": cell_number(record.get("achievement")), "rate": cell_number(record.get("rate")),
               "lines": cell_number(record.get("lines")), "fingerprint": cell_text(record.get("fingerprint")),
               "settled_on": cell_date(record.get("settled_on"))}
        if "reference" in record and "fingerprint" not in record:
            legacy.append({**row, **{key: cell_text(record.get(key)) or "" for key, _, _, _ in LEGACY_COLUMNS}})
        else:
            records.append(row)
    return settled_frame(records + _fold(legacy))


def settled_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=KEYS)
    for key in MONEY:
        frame[key] = pd.to_numeric(frame[key], errors="coerce").astype("float64")
        frame[f"{key}_cents"] = to_cents(frame[key])
    frame["lines"] = pd.to_numeric(frame["lines"], errors="coerce").fillna(0).astype("int64")
    frame["fingerprint"] = frame["fingerprint"].fillna("").astype(object)
    frame["settled_on"] = pd.to_datetime(frame["settled_on"])
    return frame


def _fold(legacy: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Old line rows -> one statement row each: the lines' sums and fingerprint (blank-reference rows carry none)."""
    if not legacy:
        return []
    frame = pd.DataFrame.from_records(legacy)
    frame["basis_cents"] = to_cents(pd.to_numeric(frame["basis"], errors="coerce"))
    frame["commission_cents"] = to_cents(pd.to_numeric(frame["commission"], errors="coerce"))
    statements = []
    for (month, person), part in frame.groupby(["month", "salesperson_id"], sort=True):
        real = part[part["reference"] != ""]
        head = part.iloc[0]
        statements.append({"month": month, "salesperson_id": person, **{key: head[key] for key in _HEAD},
                           "basis": int(real["basis_cents"].sum()) / 100,
                           "commission": int(real["commission_cents"].sum()) / 100,
                           "lines": len(real), "fingerprint": fingerprint(real)})
    return statements


def _month(value: Any) -> str | None:
    """"2026-03" from the text (also "2026/3", "2026年3月"), or from a date Excel made of it."""
    if isinstance(value, str):
        match = _MONTH.match(value)
        return month_key(int(match[1]), int(match[2])) if match and 1 <= int(match[2]) <= 12 else None
    day = cell_date(value)
    return None if day is None else month_key(day.year, day.month)
