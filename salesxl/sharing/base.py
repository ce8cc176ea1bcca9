"""What a shared copy was when sent, signed by its master, so coming back is a three-way merge.

The copy carries a hidden sheet (ShareBase, plain text cells that Excel, WPS
and LibreOffice keep on re-save): the copy ID, the master's ID, the time, a
sequence number, and per row of every table its fingerprint and the values as
sent. An HMAC over all of it, keyed with a secret only the master holds (in its
own hidden ShareRegister sheet, created on first share), makes any edit of the
base detectable: a base that does not verify is treated as no base. The
register also remembers every copy consolidated, so none is applied twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.passes.state import state_records
from salesxl.schema.outputs import STATE_SHEETS_BY_KEY
from salesxl.sharing.diff import Records, norm

BASE_KEY, REGISTER_KEY = "share_base", "share_register"
BASE_COLUMNS = (("table", "表", "Table"), ("id", "编号", "ID"), ("fingerprint", "指纹", "Fingerprint"),
                ("values", "值", "Values"))
REGISTER_COLUMNS = (("kind", "类别", "Kind"), ("key", "键", "Key"), ("value", "值", "Value"),
                    ("salesperson", "销售员", "Salesperson"))
_META, _COLUMNS, _SIGNATURE = "_meta", "_columns", "_hmac"


def _encode(value: Any) -> Any:
    value = norm(value)
    if isinstance(value, dt.datetime):
        return {"d": value.isoformat()}
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a re-saved 45 may come back as 45.0
    return value


def _decode(value: Any) -> Any:
    return dt.datetime.fromisoformat(value["d"]) if isinstance(value, dict) else value


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def fingerprint(row: dict, columns: list[str]) -> str:
    """A short hash of a row's values (as a copy would read them back)."""
    return hashlib.sha256(_dump([_encode(row.get(c)) for c in columns]).encode()).hexdigest()[:16]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


@dataclass
class ShareRegister:
    """The master's side: its ID, the signing secret, the last sequence sent, the copies consolidated."""

    master_id: str
    secret: str
    sequence: int = 0
    seen: dict[str, tuple[int, str]] = field(default_factory=dict)  # copy ID -> (sequence, salesperson)
    fresh: bool = False  # no register in the master yet

    @classmethod
    def of(cls, state: dict[str, list[list]]) -> "ShareRegister":
        rows = state_records(state.get(REGISTER_KEY) or [], REGISTER_COLUMNS, {"kind", "key"})
        out = None
        for r in rows:
            if r.get("kind") == "master" and r.get("key") and r.get("value"):
                out = cls(_text(r["key"]), _text(r["value"]))
        if out is None:
            return cls(uuid.uuid4().hex, secrets.token_hex(32), fresh=True)
        for r in rows:
            if r.get("kind") == "sequence":
                out.sequence = max(out.sequence, int(float(r.get("value") or 0)))
            elif r.get("kind") == "copy" and r.get("key"):
                out.seen[_text(r["key"])] = (int(float(r.get("value") or 0)), _text(r.get("salesperson")))
        return out

    def sign(self, text: str) -> str:
        return hmac.new(self.secret.encode(), text.encode(), hashlib.sha256).hexdigest()

    def newest(self, salesperson: str) -> int:
        """The highest sequence of this salesperson's copies consolidated so far (0: none)."""
        return max((s for s, who in self.seen.values() if who == salesperson), default=0)

    def rows(self) -> list[list[Any]]:
        return ([["master", self.master_id, self.secret, None], ["sequence", None, self.sequence, None]]
                + [["copy", k, s, who] for k, (s, who) in self.seen.items()])

    def sheet(self, lang: Lang) -> SheetSpec:
        columns = [ColumnSpec(zh if lang == "zh" else en, "text", 16) for _, zh, en in REGISTER_COLUMNS]
        rows = [[_text(v) if v is not None else None for v in r] for r in self.rows()]
        out = STATE_SHEETS_BY_KEY[REGISTER_KEY]
        return SheetSpec(key=REGISTER_KEY, name=out.sheet_name(lang), blocks=[Block(columns=columns, rows=rows)],
                         hidden=True)

    def state(self) -> list[list[Any]]:
        """The register as the reader would hand it back (to share several copies from one read)."""
        return [[k for k, _, _ in REGISTER_COLUMNS]] + [[_text(v) for v in r] for r in self.rows()]


@dataclass
class CopyBase:
    """What one copy was when sent."""

    copy_id: str
    master_id: str
    salesperson: str
    sequence: int
    sent: str
    tables: dict[str, Records]


def _lines(meta: dict[str, Any], tables: dict[str, Records]) -> list[list[str]]:
    lines = [[_META, k, "", _text(v)] for k, v in meta.items()]
    for key, recs in tables.items():
        lines.append([_COLUMNS, key, "", _dump(recs.columns)])
        for row_id, row in recs.rows.items():
            lines.append([key, row_id, fingerprint(row, recs.columns), _dump([_encode(row.get(c)) for c in recs.columns])])
    return lines


def base_sheet(register: ShareRegister, salesperson: str, tables: dict[str, Records], lang: Lang,
               when: dt.datetime) -> tuple[SheetSpec, str]:
    """The hidden base sheet of a new copy (and its copy ID); takes the master's next sequence number."""
    register.sequence += 1
    copy_id = uuid.uuid4().hex
    meta = {"copy_id": copy_id, "master_id": register.master_id, "salesperson": salesperson,
            "sequence": register.sequence, "sent": when.replace(microsecond=0).isoformat()}
    lines = _lines(meta, tables)
    lines.append([_SIGNATURE, "", "", register.sign(_dump(lines))])
    columns = [ColumnSpec(zh if lang == "zh" else en, "text", 14 if k != "values" else 60) for k, zh, en in BASE_COLUMNS]
    out = STATE_SHEETS_BY_KEY[BASE_KEY]
    return (SheetSpec(key=BASE_KEY, name=out.sheet_name(lang), blocks=[Block(columns=columns, rows=lines)],
                      hidden=True), copy_id)


def read_base(state: dict[str, list[list]], register: ShareRegister) -> CopyBase | None:
    """The copy's base when it is there and its signature is the master's; None otherwise."""
    if register.fresh:
        return None
    rows = state_records(state.get(BASE_KEY) or [], BASE_COLUMNS, {"table", "id", "values"})
    lines = [[_text(r.get(k)) for k, _, _ in BASE_COLUMNS] for r in rows if r.get("table")]
    if not lines or lines[-1][0] != _SIGNATURE:
        return None
    body, signature = lines[:-1], lines[-1][3]
    if not hmac.compare_digest(register.sign(_dump(body)), signature):
        return None
    meta = {k: v for kind, k, _, v in body if kind == _META}
    if meta.get("master_id") != register.master_id:
        return None
    tables: dict[str, Records] = {}
    for kind, key, _, values in body:
        if kind == _COLUMNS:
            columns = json.loads(values)
            tables[key] = Records(key, columns[0], columns)
        elif kind != _META and kind in tables:
            recs = tables[kind]
            recs.rows[key] = dict(zip(recs.columns, map(_decode, json.loads(values))))
    try:
        sequence = int(meta["sequence"])
    except (KeyError, ValueError):
        return None
    return CopyBase(meta.get("copy_id", ""), meta["master_id"], meta.get("salesperson", ""), sequence,
                    meta.get("sent", ""), tables)
