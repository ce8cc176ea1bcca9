"""Orders, returns, invoices and payments of the demo office.

Order dates follow the calendar's demand; each order has one to eight lines
of different products at the channel's discount (a few beyond policy).
Invoiced orders fall due after the customer's payment days; customers pay on
time, late or partly, mostly in lump sums allocated first-in-first-out and
sometimes naming the invoice. Nobody pays more than they were invoiced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.demo.catalogue import Product, in_season, substitutes
from salesxl.demo.days import Days
from salesxl.demo.identifiers import numbered
from salesxl.demo.people import CHANNEL, Population

LINES_P = np.array([0.12, 0.16, 0.17, 0.16, 0.14, 0.11, 0.08, 0.06])  # 1..8 lines per order
DEDUP_KEEP = 0.93  # share of drawn lines left after removing repeated products
DISCOUNT = {"wholesaler": (0.05, 0.095), "agent": (0.04, 0.08), "chain": (0.03, 0.07),
            "franchise": (0.02, 0.05), "specialty": (0.0, 0.03), "retailer": (0.0, 0.02)}
BEYOND_POLICY = 0.012
CANCELLED = 0.008
RETURNS = 0.02
METHODS = np.array(["transfer", "acceptance", "mobile", "cash"])


@dataclass(frozen=True)
class Ledger:
    orders: pd.DataFrame
    invoices: pd.DataFrame  # invoice_no, customer (index), order_day, invoice_day, due_day, amount


def _day_ids(prefix: str, days: Days, day: np.ndarray, width: int) -> np.ndarray:
    """IDs such as SO202501060003: prefix, date, running number within the date (day must be sorted)."""
    first = np.r_[0, np.flatnonzero(np.diff(day)) + 1]
    seq = np.arange(len(day)) - np.repeat(first, np.diff(np.r_[first, len(day)]))
    stamp = np.char.replace(days.dates[day].astype(str), "-", "")
    return np.char.add(np.char.add(prefix, stamp), np.char.zfill((seq + 1).astype(str), width))


def orders(rng: np.random.Generator, pop: Population, days: Days, items: tuple[Product, ...], n_lines: int) -> Ledger:
    d = len(days.dates)
    cw = np.cumsum(days.demand)
    traders = np.flatnonzero(pop.traders)
    lo = np.where(pop.first_day[traders] > 0, cw[np.maximum(pop.first_day[traders] - 1, 0)], 0.0)
    hi = cw[pop.last_day[traders]]
    p = pop.weight[traders] * (hi - lo)
    n_orders = int(n_lines / (np.dot(LINES_P, np.arange(1, 9)) * DEDUP_KEEP * (1 + RETURNS)))
    pick = rng.choice(len(traders), size=n_orders, p=p / p.sum())
    customer = traders[pick]
    day = np.searchsorted(cw, lo[pick] + rng.random(n_orders) * (hi[pick] - lo[pick]))
    day = np.clip(day, pop.first_day[customer], pop.last_day[customer])
    order_sort = np.lexsort((customer, day))
    customer, day = customer[order_sort], day[order_sort]

    # lines: distinct products per order, seasonal products only in season
    k = rng.choice(np.arange(1, 9), size=n_orders, p=LINES_P)
    line_order = np.repeat(np.arange(n_orders), k)
    popularity = np.array([x.popularity for x in items])
    product = rng.choice(len(items), size=len(line_order), p=popularity / popularity.sum())
    month = days.dates[day].astype("datetime64[M]").astype(int) % 12 + 1
    product = np.where(in_season(items)[product, month[line_order]], product, substitutes(items)[product])
    _, first = np.unique(line_order * len(items) + product, return_index=True)
    keep = np.sort(first)
    line_order, product = line_order[keep], product[keep]
    cust = customer[line_order]

    size = np.clip((pop.weight / np.median(pop.weight[traders])) ** 0.6, 0.3, 6.0)
    typical = np.array([x.typical_qty for x in items])
    quantity = np.maximum(1, np.round(typical[product] * size[cust] * rng.lognormal(0, 0.5, len(product))))
    list_price = np.array([x.list_price for x in items])
    max_discount = np.array([x.max_discount for x in items])
    ch = pd.Index(CHANNEL).get_indexer(pop.channel)
    low = np.array([DISCOUNT[c][0] for c in CHANNEL])[ch[cust]]
    high = np.array([DISCOUNT[c][1] for c in CHANNEL])[ch[cust]]
    discount = low + rng.random(len(product)) * (high - low)
    beyond = rng.random(len(product)) < BEYOND_POLICY
    discount[beyond] = max_discount[product[beyond]] + rng.uniform(0.02, 0.08, beyond.sum())
    unit_price = np.round(list_price[product] * (1 - discount), 2)

    # order life: shipped a day or two later, invoiced within a few days, a few cancelled
    ship_day = day + rng.integers(1, 3, n_orders)
    invoice_day = ship_day + rng.integers(0, 5, n_orders)
    cancelled = rng.random(n_orders) < CANCELLED
    status = np.where(cancelled, "cancelled", np.where(ship_day >= d, "open", np.where(invoice_day >= d, "shipped", "invoiced")))

    # returns: part of an invoiced line comes back weeks later on its own order
    ret = np.flatnonzero((status[line_order] == "invoiced") & (rng.random(len(product)) < RETURNS))
    ret_day = invoice_day[line_order[ret]] + rng.integers(5, 60, len(ret))
    ret = ret[ret_day < d]
    ret_day = ret_day[ret_day < d]
    source_order, ret_order = np.unique(line_order[ret], return_inverse=True)
    first_ret_day = np.full(len(source_order), d)
    np.minimum.at(first_ret_day, ret_order, ret_day)
    ret_invoice_day = first_ret_day + rng.integers(0, 4, len(source_order))
    ret_status = np.where(ret_invoice_day >= d, "shipped", "invoiced")

    all_day = np.r_[day, first_ret_day]
    all_customer = np.r_[customer, customer[source_order]]
    all_status = np.r_[status, ret_status]
    all_invoice_day = np.r_[invoice_day, ret_invoice_day]
    is_return = np.r_[np.zeros(n_orders, bool), np.ones(len(source_order), bool)]
    sequence = np.lexsort((np.arange(len(all_day)), all_day))
    rank = np.empty(len(all_day), dtype=int)
    rank[sequence] = np.arange(len(all_day))
    order_ids = _day_ids("SO", days, all_day[sequence], 4)[rank]

    invoiced = all_status == "invoiced"
    inv_sequence = np.flatnonzero(invoiced)[np.lexsort((np.flatnonzero(invoiced), all_invoice_day[invoiced]))]
    invoice_no = np.full(len(all_day), None, dtype=object)
    invoice_no[inv_sequence] = numbered("FP", 10_000_001 + np.arange(len(inv_sequence)), 8)
    due_day = all_invoice_day + pop.pay_days[all_customer]

    line_of = np.r_[line_order, n_orders + ret_order]
    qty = np.r_[quantity, -np.ceil(quantity[ret] * rng.uniform(0.1, 1.0, len(ret)))]
    price = np.r_[unit_price, unit_price[ret]]
    prod = np.r_[product, product[ret]]
    line_sort = np.lexsort((prod, rank[line_of]))
    line_of, qty, price, prod = line_of[line_sort], qty[line_sort], price[line_sort], prod[line_sort]
    has_invoice = invoiced[line_of]
    dates = days.dates

    frame = pd.DataFrame({
        "line_id": numbered("L", np.arange(1, len(line_of) + 1), 7),
        "order_id": order_ids[line_of],
        "date": pd.to_datetime(dates[all_day[line_of]]),
        "customer_id": pop.ids[all_customer[line_of]],
        "salesperson_id": numbered("S", pop.owner[all_customer[line_of]] + 1, 2),
        "product_id": np.array([x.product_id for x in items])[prod],
        "product_name": np.array([x.name for x in items])[prod],
        "product_line": np.array([x.line for x in items])[prod],
        "quantity": qty.astype(float),
        "unit_price": price,
        "amount": np.round(qty * price, 2),
        "type": np.where(is_return[line_of], "return", "sale"),
        "status": all_status[line_of],
        "invoice_no": invoice_no[line_of],
        "invoice_date": pd.to_datetime(np.where(has_invoice, dates[np.minimum(all_invoice_day[line_of], d - 1)],
                                                np.datetime64("NaT"))),
        "due_date": pd.to_datetime(np.where(has_invoice, dates[0] + due_day[line_of].astype("timedelta64[D]"),
                                            np.datetime64("NaT"))),
    })
    amounts = np.bincount(line_of, weights=frame["amount"].to_numpy(), minlength=len(all_day))
    invoices = pd.DataFrame({
        "invoice_no": invoice_no[inv_sequence],
        "customer": all_customer[inv_sequence],
        "order_day": all_day[inv_sequence],
        "invoice_day": all_invoice_day[inv_sequence],
        "due_day": due_day[inv_sequence],
        "amount": np.round(amounts[inv_sequence], 2),
    })
    return Ledger(frame, invoices)


def payments(rng: np.random.Generator, pop: Population, days: Days, invoices: pd.DataFrame) -> pd.DataFrame:
    d = len(days.dates)
    sale = invoices[invoices["amount"] > 0]
    c = sale["customer"].to_numpy()
    amount = sale["amount"].to_numpy()
    due = sale["due_day"].to_numpy()
    payer = pop.payer[c]
    prepaid = pop.terms[c] == "prepaid"
    m = len(sale)
    delay = np.where(payer == "late", rng.integers(10, 121, m),
                     np.where(payer == "partial", rng.integers(0, 31, m), -rng.integers(0, 6, m)))
    pay_day = np.where(prepaid, sale["order_day"].to_numpy() - rng.integers(0, 4, m),
                       np.maximum(due + delay, sale["invoice_day"].to_numpy()))
    share = np.where(payer == "partial", rng.uniform(0.5, 0.9, m), 1.0)
    first_part = np.floor(amount * share)
    first_part = np.where(share < 1, first_part, amount)
    # partial payers settle half of the rest months later and leave the other half open
    rest_paid = (payer == "partial") & (rng.random(m) < 0.5)
    rest_day = due + rng.integers(90, 200, m)
    pieces = pd.DataFrame({
        "customer": np.r_[c, c[rest_paid]],
        "day": np.r_[np.maximum(pay_day, 0), rest_day[rest_paid]],
        "amount": np.r_[first_part, (amount - first_part)[rest_paid]],
        "invoice_no": np.r_[sale["invoice_no"].to_numpy(), sale["invoice_no"].to_numpy()[rest_paid]],
    })
    pieces = pieces[(pieces["day"] < d) & (pieces["amount"] > 0)]

    # most credit customers pay a month's invoices in one transfer, allocated first-in-first-out
    lump = (rng.random(len(pop.ids)) < 0.6) & (pop.terms != "cash")
    batched = lump[pieces["customer"].to_numpy()]
    month = days.dates[pieces["day"].to_numpy()].astype("datetime64[M]").astype(int)
    grouped = (pieces[batched].assign(month=month[batched])
               .groupby(["customer", "month"], sort=False)
               .agg(day=("day", "max"), amount=("amount", "sum")).reset_index()
               .drop(columns="month").assign(invoice_no=None))
    single = pieces[~batched].copy()
    single.loc[rng.random(len(single)) < 0.5, "invoice_no"] = None
    paid = pd.concat([grouped, single], ignore_index=True)

    # returns are credited: what a customer pays never exceeds what was invoiced
    billed = invoices.groupby("customer")["amount"].sum()
    paid = paid.sort_values(["customer", "day"], ascending=[True, False], kind="stable").reset_index(drop=True)
    excess = (paid.groupby("customer")["amount"].transform("sum")
              - billed.reindex(paid["customer"]).fillna(0).to_numpy()).clip(lower=0)
    later = paid.groupby("customer")["amount"].cumsum() - paid["amount"]
    paid["amount"] = np.round(paid["amount"] - (excess - later).clip(lower=0, upper=paid["amount"]), 2)
    paid = paid[paid["amount"] > 0].sort_values(["day", "customer"], kind="stable").reset_index(drop=True)

    n = len(paid)
    amt = paid["amount"].to_numpy()
    method = np.where(amt > 50_000, np.where(rng.random(n) < 0.4, "acceptance", "transfer"),
                      METHODS[rng.choice([0, 2, 3], size=n, p=[0.75, 0.15, 0.10])])
    method = np.where((method == "cash") & (amt > 5_000), "transfer", method)
    customer = paid["customer"].to_numpy()
    return pd.DataFrame({
        "payment_id": numbered("PM", np.arange(1, n + 1), 7),
        "date": pd.to_datetime(days.dates[paid["day"].to_numpy()]),
        "customer_id": pop.ids[customer],
        "amount": amt,
        "method": method,
        "invoice_no": paid["invoice_no"].to_numpy(),
        "salesperson_id": numbered("S", pop.owner[customer] + 1, 2),
        "notes": np.where(method == "acceptance", "银行承兑汇票，期限6个月", None),
    })
