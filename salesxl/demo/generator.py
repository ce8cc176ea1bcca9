"""A whole demo sales office: a Guangzhou FMCG distributor with two years of business.

`generate_office` returns every input table as a frame of canonical values
(enum codes, bools, timestamps, floats, text IDs) plus settings and the list
of mistakes planted on purpose. The same size and seed always give the same
office. Writing it into a workbook is the template writer's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesxl.demo import cards, complaints, deals, defects, plans, trade, visits
from salesxl.demo.catalogue import price_list, products
from salesxl.demo.days import office_days
from salesxl.demo.geo import territory_names
from salesxl.demo.identifiers import landlines, mobiles
from salesxl.demo.people import population, team
from salesxl.schema import TABLES

COMPANY = "广州穗丰商贸有限公司"
MONTHS = 24


@dataclass(frozen=True)
class Size:
    salespeople: int
    customers: int
    order_lines: int


SIZES: dict[str, Size] = {
    "S": Size(8, 1_500, 100_000),
    "M": Size(25, 5_000, 500_000),
    "L": Size(80, 20_000, 1_000_000),
}


@dataclass
class DemoOffice:
    tables: dict[str, pd.DataFrame]  # table key -> rows keyed by the schema's column keys
    settings: dict[str, Any]
    defects: dict[str, list[str]]  # issue code -> customer / contact IDs planted with it


def _net_sales(orders: pd.DataFrame, customer_ids: np.ndarray, since: pd.Timestamp | None = None) -> np.ndarray:
    live = orders["status"] != "cancelled"
    if since is not None:
        live &= orders["date"] > since
    totals = orders[live].groupby("customer_id")["amount"].sum()
    return totals.reindex(customer_ids).fillna(0.0).to_numpy()


def generate_office(size: str = "S", seed: int = 7, *, end: dt.date = dt.date(2026, 10, 31)) -> DemoOffice:
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    spec = SIZES[size]
    rng = np.random.default_rng(seed)
    month = end.year * 12 + end.month - 1 - (MONTHS - 1)
    days = office_days(dt.date(month // 12, month % 12 + 1, 1), end)

    n = spec.customers
    phones = mobiles(rng, spec.salespeople + 4 * n)
    squad = team(rng, spec.salespeople, phones[: spec.salespeople], days.start)
    pop = population(rng, n, squad, days)
    items = products()

    ledger = trade.orders(rng, pop, days, items, spec.order_lines)
    as_of = pd.Timestamp(end)
    recent = _net_sales(ledger.orders, pop.ids, as_of - pd.Timedelta(days=365))
    landline = rng.random(n) < np.where(pop.shop, 0.4, 0.9)
    customer_phones = np.where(landline, landlines(rng, n), phones[spec.salespeople: spec.salespeople + n])
    card = cards.cards(rng, pop, days, customer_phones, recent, territory_names(squad.territories))
    people = cards.contacts(rng, pop, card, phones[spec.salespeople + n:])
    contact_customer = pd.Index(pop.ids).get_indexer(people["customer_id"])
    reports = visits.visits(rng, pop, squad, days, contact_customer, people["contact_id"].to_numpy())
    paid = trade.payments(rng, pop, days, ledger.invoices)
    yearly = _net_sales(ledger.orders, pop.ids) * 365 / len(days.dates)
    years = (end.year - 1, end.year)
    budget = plans.budget(rng, squad, years)

    tables = {
        "salespeople": squad.frame,
        "customers": card,
        "contacts": people,
        "visits": reports,
        "orders": ledger.orders,
        "payments": paid,
        "targets": plans.targets(rng, squad, years, np.bincount(pop.owner, weights=yearly, minlength=len(squad.ids))),
        "budget": budget,
        "expenses": plans.expenses(rng, squad, pop, days, budget),
        "price_list": price_list(items, np.datetime64(f"{years[0]}-01-01")),
        "contracts": deals.contracts(rng, pop, days, yearly),
        "inquiries": deals.inquiries(rng, pop, days, items),
    }
    planted = defects.plant(rng, tables, pop, days, recent, spec.salespeople)
    heard = np.random.default_rng([seed, 18])  # its own stream: the tables above stay as they were
    first = pd.Timestamp(days.start).date()
    tables["complaints"] = complaints.complaints(heard, card, recent, reports, ledger.orders, first, end)
    tables["market"] = complaints.market(heard, squad.frame, card, items, first, end)
    for table in TABLES:
        if table.key in tables:
            keys = [c.key for c in table.columns]
            frame = tables[table.key]
            if set(frame.columns) != set(keys):
                raise AssertionError(f"{table.key}: columns {sorted(set(frame.columns) ^ set(keys))} do not match the schema")
            tables[table.key] = frame[keys].reset_index(drop=True)
    settings = {"company_name": COMPANY, "as_of_date": end, "language": "zh"}
    return DemoOffice(tables, settings, planted)
