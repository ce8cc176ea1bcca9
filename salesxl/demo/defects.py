"""Mistakes planted on purpose, so that every check of the validation pass fires.

Each kind lands on its own customers (about 3 % of the cards each; a few
contacts per kind), so a test can tell exactly which cards must be flagged.
Reader-level mistakes (a label that is not an allowed choice, a date typed as
text) are raw strings in the frames, as a person would type them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.demo import geo
from salesxl.demo.days import Days
from salesxl.demo.identifiers import USCC_ALPHABET
from salesxl.demo.people import Population

RATE = 0.03  # share of customer cards per kind
ID_DUPLICATE_RATE = 0.015
READER_RATE = 0.005  # labels and dates typed wrongly: a few
CONTACT_RATE = 0.005

#: Codes planted on customer cards at about RATE each (pairs count both cards).
CARD_CODES = (
    "FIELD_REQUIRED", "FIELD_USCC_FORMAT", "FIELD_USCC_CHECKSUM", "FIELD_PHONE", "FIELD_EMAIL", "FIELD_REF",
    "FIELD_RANGE", "FIELD_ID_DUPLICATE", "CUST_LATLON_RANGE", "CUST_REGION_UNKNOWN", "CUST_DUP_USCC",
    "CUST_DUP_NAME", "CUST_DUP_PHONE", "CUST_DATES_ORDER", "CUST_INCOMPLETE", "CUST_AUDIT_SELF_FILLED",
    "CUST_AUDIT_REVENUE", "CUST_STALE",
)
REQUIRED_WHEN_SIGNED = ("uscc", "legal_rep", "credit_standing", "payment_terms")
OPTIONAL = ("email", "owner", "manager", "founded", "industry", "registered_capital", "total_assets", "service_area",
            "sales_capacity", "growth_potential", "employees", "annual_revenue", "competitor_relation",
            "cooperation_attitude", "credit_limit", "ownership_type", "location_type", "data_source", "updated",
            "org_form")
INCOMPLETE_BLANKS = 12
BAD_CHANNEL = "超市"
BAD_FOUNDED = ("2019-02-30", "2015年", "不详", "2018.13.05", "去年三月")
BAD_BIRTHDAY = ("5月20日", "农历八月十五", "1980-02-30")
BAD_MOBILES = ("1381234567", "12812345678", "020-87654321")


class _Picker:
    """Draws disjoint sets of rows so that each planted card carries one kind of mistake."""

    def __init__(self, rng: np.random.Generator, n: int):
        self.rng = rng
        self.used = np.zeros(n, dtype=bool)

    def take(self, pool: np.ndarray, k: int) -> np.ndarray:
        candidates = np.flatnonzero(pool & ~self.used)
        chosen = np.sort(self.rng.choice(candidates, size=min(k, len(candidates)), replace=False))
        self.used[chosen] = True
        return chosen


def _as_object(frame: pd.DataFrame, column: str) -> None:
    frame[column] = frame[column].astype(object)


def plant(rng: np.random.Generator, tables: dict[str, pd.DataFrame], pop: Population, days: Days,
          recent_sales: np.ndarray, n_salespeople: int) -> dict[str, list[str]]:
    cust = tables["customers"]
    n = len(cust)
    k = max(3, round(RATE * n))
    pairs = max(2, k // 2)
    few = max(3, round(READER_RATE * n))
    pick = _Picker(rng, n)
    ids = cust["customer_id"].to_numpy().copy()
    status = pop.status
    active = status == "active"
    has = {c: cust[c].notna().to_numpy() for c in ("uscc", "phone", "email", "first_trade", "founded")}
    out: dict[str, list[str]] = {}

    def mark(code: str, rows: np.ndarray) -> None:
        out.setdefault(code, []).extend(ids[rows].tolist())

    # a card typed over an existing customer's ID: only untouched survey leads, so nothing else points at them,
    # over customers without recent sales, so the repeated ID changes no other check
    dup = pick.take(pop.quiet, max(2, round(ID_DUPLICATE_RATE * n)))
    original = pick.take(~pop.quiet & (recent_sales == 0), len(dup))
    cust.loc[dup, "customer_id"] = ids[original]
    mark("FIELD_ID_DUPLICATE", original)

    rows = pick.take(active, k)
    for row, column in zip(rows, rng.choice(REQUIRED_WHEN_SIGNED, len(rows))):
        cust.loc[row, column] = None
    mark("FIELD_REQUIRED", rows)

    rows = pick.take(active, k)
    for row in rows:
        cust.loc[row, list(rng.choice(OPTIONAL, INCOMPLETE_BLANKS, replace=False))] = None
    mark("CUST_INCOMPLETE", rows)

    rows = pick.take(active, k)
    gap = np.where(rng.random(len(rows)) < 0.2, 36_500, rng.integers(100, 400, len(rows)))
    cutoff = pd.Series(days.end - gap.astype("timedelta64[D]"), index=ids[rows])
    visits = tables["visits"]
    limit = visits["customer_id"].map(cutoff)
    visits = visits[~(limit.notna() & (visits["date"] > limit))].reset_index(drop=True)
    visits["visit_id"] = [f"V{i:07d}" for i in range(1, len(visits) + 1)]
    tables["visits"] = visits
    mark("CUST_STALE", rows)

    rows = pick.take(active & (recent_sales >= 50_000), k)
    cust.loc[rows, "annual_revenue"] = np.round(recent_sales[rows] * rng.uniform(0.3, 0.8, len(rows)), -3)
    mark("CUST_AUDIT_REVENUE", rows)

    rows = pick.take(has["first_trade"] & has["founded"], k)
    late_founding = rng.random(len(rows)) < 0.5
    first_trade = cust.loc[rows, "first_trade"].to_numpy()
    cust.loc[rows[late_founding], "founded"] = first_trade[late_founding] + rng.integers(
        30, 900, late_founding.sum()).astype("timedelta64[D]")
    cust.loc[rows[~late_founding], "first_trade"] = pd.Timestamp(days.end) + pd.to_timedelta(
        rng.integers(30, 400, (~late_founding).sum()), unit="D")
    mark("CUST_DATES_ORDER", rows)

    rows = pick.take(np.isin(status, ["prospect", "lost"]), few)
    cust.loc[rows, "channel_type"] = BAD_CHANNEL
    mark("CELL_BAD_CHOICE", rows)

    rows = pick.take(has["founded"], few)
    _as_object(cust, "founded")
    cust.loc[rows, "founded"] = rng.choice(BAD_FOUNDED, len(rows))
    mark("CELL_NOT_A_DATE", rows)

    rows = pick.take(has["uscc"], k)
    codes = cust.loc[rows, "uscc"].to_numpy()
    variant = rng.integers(0, 3, len(rows))
    cust.loc[rows, "uscc"] = [c[:17] if v == 0 else (c[:10] + "O" + c[11:] if v == 1 else "440" + c[2:8] + c[9:15])
                              for c, v in zip(codes, variant)]
    mark("FIELD_USCC_FORMAT", rows)

    rows = pick.take(has["uscc"], k)
    cust.loc[rows, "uscc"] = [c[:17] + USCC_ALPHABET[(USCC_ALPHABET.index(c[17]) + int(s)) % 31]
                              for c, s in zip(cust.loc[rows, "uscc"], rng.integers(1, 31, len(rows)))]
    mark("FIELD_USCC_CHECKSUM", rows)

    rows = pick.take(has["phone"], k)
    cust.loc[rows, "phone"] = _bad_phones(rng, cust.loc[rows, "phone"].to_numpy())
    mark("FIELD_PHONE", rows)

    rows = pick.take(has["email"], k)
    cust.loc[rows, "email"] = _bad_emails(rng, cust.loc[rows, "email"].to_numpy())
    mark("FIELD_EMAIL", rows)

    rows = pick.take(np.ones(n, bool), k)
    cust.loc[rows, "salesperson_id"] = [f"S{n_salespeople + i:02d}" for i in rng.integers(1, 4, len(rows))]
    mark("FIELD_REF", rows)

    rows = pick.take(np.ones(n, bool), k)
    days_known = cust.loc[rows, "payment_days"].notna().to_numpy() & (rng.random(len(rows)) < 0.5)
    cust.loc[rows[days_known], "payment_days"] = rng.choice([400.0, 720.0, 999.0], days_known.sum())
    cust.loc[rows[~days_known], "employees"] = -rng.integers(1, 50, (~days_known).sum()).astype(float)
    mark("FIELD_RANGE", rows)

    rows = pick.take(np.ones(n, bool), k)
    lat, lon = cust.loc[rows, "lat"].to_numpy(), cust.loc[rows, "lon"].to_numpy()
    variant = rng.integers(0, 3, len(rows))
    cust.loc[rows, "lat"] = np.round(np.select([variant == 0, variant == 1], [lon, lat / 10], lat), 6)
    cust.loc[rows, "lon"] = np.round(np.select([variant == 0, variant == 1], [lat, lon], lon / 10), 6)
    mark("CUST_LATLON_RANGE", rows)

    rows = pick.take(np.ones(n, bool), k)
    cust.loc[rows, "region"] = rng.choice(geo.OLD_REGIONS, len(rows))
    mark("CUST_REGION_UNKNOWN", rows)

    rows = pick.take(has["uscc"], 2 * pairs)
    cust.loc[rows[1::2], "uscc"] = cust.loc[rows[0::2], "uscc"].to_numpy()
    mark("CUST_DUP_USCC", rows)

    rows = pick.take(np.ones(n, bool), 2 * pairs)
    cust.loc[rows[1::2], "name"] = [_renamed(x, int(v)) for x, v in
                                    zip(cust.loc[rows[0::2], "name"], rng.integers(0, 2, pairs))]
    mark("CUST_DUP_NAME", rows)

    rows = pick.take(has["phone"], 2 * pairs)
    cust.loc[rows[1::2], "phone"] = cust.loc[rows[0::2], "phone"].to_numpy()
    mark("CUST_DUP_PHONE", rows)

    rows = pick.take(np.ones(n, bool), k)
    cust.loc[rows, "data_source"] = "self_filled"
    cust.loc[rows, "audited"] = False
    mark("CUST_AUDIT_SELF_FILLED", rows)

    _contact_defects(rng, tables["contacts"], n, out)
    return out


def _bad_phones(rng: np.random.Generator, good: np.ndarray) -> list[str]:
    """A digit too many, sometimes spaced out: still distinct, so no card shares the broken number."""
    extra = rng.integers(0, 10, len(good))
    spaced = rng.random(len(good)) < 0.3
    out = []
    for phone, digit, space in zip(good, extra, spaced):
        broken = f"{phone}{digit}"
        out.append(f"{broken[:3]} {broken[3:7]} {broken[7:]}" if space and not phone.startswith("0") else broken)
    return out


def _bad_emails(rng: np.random.Generator, good: np.ndarray) -> list[str]:
    variant = rng.integers(0, 3, len(good))
    return [g.replace("@", "#") if v == 0 else (g.replace("@", "@@") if v == 1 else g.replace(".com", ",com"))
            for g, v in zip(good, variant)]


def _renamed(name: str, variant: int) -> str:
    """The same company typed differently: another legal-form suffix, or spaces."""
    if variant == 0:
        for a, b in (("股份有限公司", "有限公司"), ("有限公司", "有限责任公司"), ("商行", "店"), ("店", "商行")):
            if name.endswith(a):
                return name[: -len(a)] + b
    if name.startswith("广州市"):
        return "广州市 " + name[3:]
    return name[:2] + " " + name[2:]


def _contact_defects(rng: np.random.Generator, contacts: pd.DataFrame, n_customers: int,
                     out: dict[str, list[str]]) -> None:
    m = len(contacts)
    few = max(3, round(CONTACT_RATE * m))
    pick = _Picker(rng, m)
    ids = contacts["contact_id"].to_numpy()

    rows = pick.take(np.ones(m, bool), few)
    contacts.loc[rows, "mobile"] = rng.choice(BAD_MOBILES, len(rows))
    out.setdefault("FIELD_MOBILE", []).extend(ids[rows].tolist())

    rows = pick.take(contacts["email"].notna().to_numpy(), few)
    contacts.loc[rows, "email"] = _bad_emails(rng, contacts.loc[rows, "email"].to_numpy())
    out.setdefault("FIELD_EMAIL", []).extend(ids[rows].tolist())

    rows = pick.take(contacts["office_phone"].notna().to_numpy(), few)
    contacts.loc[rows, "office_phone"] = _bad_phones(rng, contacts.loc[rows, "office_phone"].to_numpy())
    out.setdefault("FIELD_PHONE", []).extend(ids[rows].tolist())

    rows = pick.take(np.ones(m, bool), few)
    contacts.loc[rows, "customer_id"] = [f"C{n_customers + 100 + i:05d}" for i in range(len(rows))]
    out.setdefault("FIELD_REF", []).extend(ids[rows].tolist())

    rows = pick.take(contacts["birthday"].notna().to_numpy(), few)
    _as_object(contacts, "birthday")
    contacts.loc[rows, "birthday"] = rng.choice(BAD_BIRTHDAY, len(rows))
    out.setdefault("CELL_NOT_A_DATE", []).extend(ids[rows].tolist())
