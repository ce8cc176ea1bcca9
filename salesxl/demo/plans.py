"""Annual targets, the monthly expense budget and the expenses booked against it.

Targets are set from what each salesperson actually sells (some will beat
them, some will not); a few salesperson-month-category cells overspend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.demo.days import Days
from salesxl.demo.identifiers import numbered
from salesxl.demo.people import Population, Team

#: Monthly budget per salesperson by category (yuan); advertising is the office's own.
BUDGET_BASE = {"travel": 1500.0, "entertainment": 3000.0, "transport": 800.0, "communication": 300.0,
               "samples": 1000.0, "advertising": 20000.0}
ROWS_PER_MONTH = {"travel": (1, 4), "entertainment": (2, 7), "transport": (4, 13), "communication": (1, 2),
                  "samples": (1, 4), "advertising": (1, 3)}
DESCRIPTIONS = {"travel": "外出拜访差旅", "entertainment": "客户招待餐费", "transport": "拜访客户打车/油费",
                "communication": "手机话费", "samples": "新品样品", "advertising": "门店促销物料"}
OVERSPEND = 0.05


def targets(rng: np.random.Generator, squad: Team, years: tuple[int, int], sales_by_sp: np.ndarray) -> pd.DataFrame:
    """Company and salesperson targets for last year and this year; `sales_by_sp` is a yearly run rate."""
    rows = []
    for year, growth in zip(years, ((0.95, 1.1), (1.08, 1.2))):
        amount = np.round(sales_by_sp * rng.uniform(*growth, len(sales_by_sp)), -4)
        rows.append(pd.DataFrame({"year": year, "scope": "company", "salesperson_id": [None],
                                  "amount": [np.round(amount.sum() * 1.02, -5)], "notes": ["公司年度销售目标"]}))
        rows.append(pd.DataFrame({"year": year, "scope": "salesperson", "salesperson_id": squad.ids,
                                  "amount": amount, "notes": None}))
    frame = pd.concat(rows, ignore_index=True)
    n = len(frame)
    return pd.DataFrame({
        "target_id": numbered("MB", np.arange(1, n + 1), 4),
        "year": frame["year"].to_numpy(),
        "scope": frame["scope"].to_numpy(),
        "region": None,
        "salesperson_id": frame["salesperson_id"].to_numpy(),
        "product_line": None,
        "amount": frame["amount"].to_numpy(dtype=float),
        "quantity": np.nan,
        "weight": np.nan,
        "notes": frame["notes"].to_numpy(),
    })


def budget(rng: np.random.Generator, squad: Team, years: tuple[int, int]) -> pd.DataFrame:
    n_sp = len(squad.ids)
    level = rng.uniform(0.8, 1.3, n_sp)
    rows = []
    for category, base in BUDGET_BASE.items():
        owners = [None] if category == "advertising" else list(range(n_sp))
        for s in owners:
            for year in years:
                month = np.arange(1, 13)
                festive = np.isin(month, [1, 9, 12]) if category in ("entertainment", "advertising") else np.zeros(12, bool)
                amount = np.round(base * (1 if s is None else level[s]) * np.where(festive, 1.4, 1.0), -2)
                rows.append(pd.DataFrame({"year": year, "month": month, "category": category,
                                          "salesperson_id": None if s is None else squad.ids[s], "amount": amount}))
    frame = pd.concat(rows, ignore_index=True).sort_values(["year", "month", "salesperson_id", "category"],
                                                           na_position="first", kind="stable").reset_index(drop=True)
    frame.insert(0, "budget_id", numbered("YS", np.arange(1, len(frame) + 1), 5))
    return frame


def expenses(rng: np.random.Generator, squad: Team, pop: Population, days: Days, plan: pd.DataFrame) -> pd.DataFrame:
    """Spending against each budget cell up to the end date, a few cells overspent."""
    month_start = pd.to_datetime(dict(year=plan["year"], month=plan["month"], day=1)).to_numpy().astype("datetime64[D]")
    cells = plan[month_start <= days.end].reset_index(drop=True)
    first = days.index(month_start[month_start <= days.end])
    following = days.index((month_start[month_start <= days.end].astype("datetime64[M]") + 1).astype("datetime64[D]"))
    d = len(days.dates)
    n = len(cells)
    elapsed = (np.minimum(following, d) - first) / (following - first)
    spend = cells["amount"].to_numpy() * elapsed * np.where(rng.random(n) < OVERSPEND, rng.uniform(1.12, 1.5, n),
                                                            rng.uniform(0.55, 0.98, n))
    low = np.array([ROWS_PER_MONTH[c][0] for c in cells["category"]])
    high = np.array([ROWS_PER_MONTH[c][1] for c in cells["category"]])
    cell = np.repeat(np.arange(n), rng.integers(low, high))
    share = rng.gamma(2.0, 1.0, len(cell))
    share /= np.bincount(cell, weights=share)[cell]
    amount = np.round(spend[cell] * share, 2)

    # on a working day of the month, not after the end date
    work = np.flatnonzero(days.working)
    ws = np.searchsorted(work, first)[cell]
    we = np.searchsorted(work, np.minimum(following, d))[cell]
    has_day = we > ws
    cell, amount, ws, we = cell[has_day], amount[has_day], ws[has_day], we[has_day]
    m = len(cell)
    day = work[ws + np.floor(rng.random(m) * (we - ws)).astype(int)]

    category = cells["category"].to_numpy()[cell]
    sp_id = cells["salesperson_id"].to_numpy()[cell]
    sp_index = np.array([int(s[1:]) - 1 if isinstance(s, str) else -1 for s in sp_id])
    booked_by = np.where(sp_index >= 0, sp_id, squad.ids[0])
    # entertainment and samples name an active customer of the salesperson
    active = np.flatnonzero(pop.status == "active")
    owner_of_active = pop.owner[active]
    by_owner = np.argsort(owner_of_active, kind="stable")
    bounds = np.searchsorted(owner_of_active[by_owner], np.arange(len(squad.ids) + 1))
    lo, hi = bounds[sp_index.clip(0)], bounds[sp_index.clip(0) + 1]
    pick = active[by_owner[np.minimum(lo + np.floor(rng.random(m) * (hi - lo)).astype(int), len(active) - 1)]]
    names_customer = np.isin(category, ["entertainment", "samples"]) & (sp_index >= 0) & (hi > lo)
    order = np.lexsort((booked_by, day))
    recent = day > len(days.dates) - 10
    frame = pd.DataFrame({
        "expense_id": numbered("FY", np.arange(1, m + 1), 6),
        "date": pd.to_datetime(days.dates[day][order]),
        "salesperson_id": booked_by[order],
        "category": category[order],
        "amount": amount[order],
        "customer_id": np.where(names_customer, pop.ids[pick], None)[order],
        "description": np.array([DESCRIPTIONS[c] for c in category])[order],
        "receipt_no": np.char.zfill(rng.integers(1, 10**8, m).astype(str), 8)[order],
        "approved": np.where(recent, rng.random(m) < 0.4, rng.random(m) < 0.98)[order],
    })
    return frame
