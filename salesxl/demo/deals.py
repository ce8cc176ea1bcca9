"""Contracts and price inquiries of the demo office.

Credit customers and large accounts have yearly supply contracts, some about
to expire; inquiries are mostly quoted within half an hour, a few take days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.demo.catalogue import Product
from salesxl.demo.days import Days
from salesxl.demo.identifiers import numbered
from salesxl.demo.people import Population


def contracts(rng: np.random.Generator, pop: Population, days: Days, yearly_sales: np.ndarray) -> pd.DataFrame:
    d = len(days.dates)
    n = len(pop.ids)
    big = pop.weight > np.quantile(pop.weight, 0.6)
    signs = ((pop.status == "active") & ((pop.terms != "cash") | big) & (rng.random(n) < 0.6)) | \
            ((pop.status == "lost") & (rng.random(n) < 0.4)) | ((pop.status == "intent") & (rng.random(n) < 0.1))
    who = np.flatnonzero(signs)
    status = pop.status[who]
    # the current contract started within the last year; many had one the year before
    start = np.where(status == "lost", pop.last_day[who] - rng.integers(100, 300, len(who)),
                     d - rng.integers(1, 366, len(who)))
    renewed = (status == "active") & (rng.random(len(who)) < 0.6)
    cust = np.r_[who, who[renewed]]
    start = np.r_[start, start[renewed] - 365]
    end = start + 364
    signed = start - rng.integers(0, 16, len(cust))
    st = pop.status[cust]
    contract_status = np.select([st == "intent", st == "lost", end < d], ["draft", "terminated", "expired"], "active")
    amount = np.round(np.maximum(yearly_sales[cust] * rng.uniform(0.9, 1.3, len(cust)), 5e4), -4)
    order = np.lexsort((cust, signed))
    cust, start, end, signed, contract_status, amount = (a[order] for a in (cust, start, end, signed, contract_status, amount))
    base = days.start
    notes = np.where(contract_status == "terminated", "客户转向竞品，提前终止", None)
    return pd.DataFrame({
        "contract_id": np.char.add("HT", np.char.add(days.dates[np.clip(signed, 0, d - 1)].astype("datetime64[Y]").astype(str),
                                                    np.char.zfill(np.arange(1, len(cust) + 1).astype(str), 5))),
        "customer_id": pop.ids[cust],
        "salesperson_id": numbered("S", pop.owner[cust] + 1, 2),
        "signed_date": pd.to_datetime(base + signed.astype("timedelta64[D]")),
        "start_date": pd.to_datetime(base + start.astype("timedelta64[D]")),
        "end_date": pd.to_datetime(base + end.astype("timedelta64[D]")),
        "amount": amount,
        "status": contract_status,
        "notes": notes,
    })


def inquiries(rng: np.random.Generator, pop: Population, days: Days, items: tuple[Product, ...]) -> pd.DataFrame:
    d = len(days.dates)
    n = len(pop.ids)
    asking = np.flatnonzero(np.isin(pop.status, ["active", "intent"]))
    count = int(1.25 * n * d / 365)
    cust = asking[rng.choice(len(asking), size=count, p=pop.weight[asking] / pop.weight[asking].sum())]
    day = days.workday_on_or_after(rng.integers(0, d, count))
    day = np.sort(day)
    received = days.dates[day].astype("datetime64[m]") + rng.integers(8 * 60 + 30, 18 * 60, count).astype("timedelta64[m]")
    slow = rng.random(count) < 0.08
    minutes = np.where(slow, rng.integers(120, 48 * 60, count), np.minimum(rng.lognormal(np.log(12), 0.7, count), 29).astype(int) + 1)
    quoted = received + minutes.astype("timedelta64[m]")
    unquoted = (rng.random(count) < 0.03) | (quoted > days.dates[-1] + np.timedelta64(1, "D"))
    product = rng.integers(0, len(items), count)
    price = np.array([x.list_price for x in items])[product]
    recent = day > d - 15
    result = np.where(recent | unquoted, "pending",
                      np.array(["won", "lost", "pending"])[rng.choice(3, size=count, p=[0.5, 0.35, 0.15])])
    return pd.DataFrame({
        "inquiry_id": numbered("XJ", np.arange(1, count + 1), 6),
        "customer_id": pop.ids[cust],
        "salesperson_id": numbered("S", pop.owner[cust] + 1, 2),
        "received_at": pd.to_datetime(received),
        "quoted_at": pd.to_datetime(np.where(unquoted, np.datetime64("NaT"), quoted)),
        "product_id": np.array([x.product_id for x in items])[product],
        "quantity": np.round(np.array([x.typical_qty for x in items])[product] * rng.uniform(1, 10, count)),
        "quoted_price": np.where(unquoted, np.nan, np.round(price * (1 - rng.uniform(0, 0.08, count)), 2)),
        "result": result,
    })
