"""The receivables pass: what each customer owes as of the as-of date, how late it is, and whom to chase.

- Invoices come from order lines (see money/invoices.py for the rules on
  uninvoiced orders, returns and due dates); payments dated after the as-of
  date and invoices billed after it are left out.
- Shipped, not invoiced: shipped order lines still waiting for their invoice
  are a column of their own per customer and salesperson; they are in no
  bucket, never overdue and take no payment (Settings orders_are_invoices
  bills them at the order date instead).
- Payments and credit notes settle a customer's invoices first in first out
  in whole cents (money/allocation.py); a payment naming an invoice pays it
  first. Money no invoice takes is the customer's credit.
- Ageing: every open invoice's age is its days past the due date (basis
  "due") or since the invoice date (basis "invoice"), put in the buckets of
  Settings. Overdue always means past the due date.
- DSO = open receivables / net invoiced amount of the last 90 days x 90
  (none when that amount is not positive). Credit limit used = open / limit
  on the card; for a salesperson, the open amount of their customers with a
  limit over the sum of those limits.
- Receivables belong to the customer's salesperson on the card (who must
  collect), else to the salesperson of the customer's first invoice.
- Collection list: every customer with an overdue amount; the dunning level
  follows the oldest overdue invoice's (number and date named) days past due and the day thresholds
  in Settings. Sorted by level, then overdue amount (highest first), then ID.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_dates, to_numbers
from salesxl.passes.money.ageing import bucket_of, dunning_level
from salesxl.passes.money.allocation import Credit, Debt, allocate, allocate_fifo, names_ahead, to_cents
from salesxl.passes.money.invoices import billed_lines, invoices
from salesxl.passes.money.rules import setting_issue
from salesxl.passes.planning.sales import ids, read_ids
from salesxl.passes.sales import SalesLines
from salesxl.registry import register_pass

DSO_DAYS = 90

RECEIVABLE_INVOICE_UNKNOWN = define(
    "RECEIVABLE_INVOICE_UNKNOWN", "warning",
    "对应发票号“{value}”不是客户 {customer} 截至 {as_of} 的发票；该笔回款按先进先出冲销",
    "Invoice {value} is not an invoice of customer {customer} up to {as_of}; the payment was allocated "
    "first in first out",
    title_zh="回款对应的发票不存在", title_en="Payment names an unknown invoice",
)
RECEIVABLE_PAYMENT_NEGATIVE = define(
    "RECEIVABLE_PAYMENT_NEGATIVE", "warning",
    "回款金额 {value} 不是正数；该行未参与冲销（退款请冲减对应的回款）",
    "The payment amount {value} is not positive; the row was left out (record a refund by reducing the payment)",
    title_zh="回款金额非正数", title_en="Payment amount not positive",
)
RECEIVABLE_NO_INVOICES = define(
    "RECEIVABLE_NO_INVOICES", "warning",
    "销售明细中没有任何发票号或开票日期，{amount} 元已发货订单均按“已发货未开票”列示、不计入应收账龄；"
    "如订单即发票，请把设置“订单即发票”设为是",
    "No order line has an invoice number or date, so {amount} of shipped orders are shown as shipped, not invoiced, "
    "outside the ageing; if your orders are your invoices, set \"Orders are invoices\" to yes",
    title_zh="没有发票数据", title_en="No invoice data",
)

INVOICE_FRAME = ["invoice", "kind", "customer_id", "salesperson_id", "owner", "invoice_date", "due_date",
                 "amount", "paid", "open", "paid_date", "days_past_due", "age", "bucket", "row"]


@dataclass
class Receivables:
    """Everything owed as of `as_of`; money columns in yuan, exact to the cent."""

    as_of: dt.date
    basis: str  # "due" or "invoice"
    edges: tuple[int, ...]  # bucket day limits
    thresholds: tuple[int, ...]  # days past due of each dunning level
    invoices: pd.DataFrame  # INVOICE_FRAME: one row per invoice or credit note (negative amount)
    lines: pd.DataFrame  # billed order lines (money/invoices.py LINE_COLUMNS)
    uninvoiced: pd.DataFrame  # shipped lines waiting for their invoice (same columns), outside every bucket
    allocations: pd.DataFrame  # source (payment/credit_note), ref, date, customer_id, invoice, kind, amount
    customers: pd.DataFrame  # per customer with open receivables or credit
    salespeople: pd.DataFrame  # per owner
    buckets: pd.DataFrame  # bucket, amount, invoices, share
    collection: pd.DataFrame  # overdue customers, riskiest first

    @property
    def bucket_columns(self) -> list[str]:
        return [f"bucket_{i}" for i in range(len(self.edges) + 1)]

    def totals(self) -> dict[str, float]:
        return {"open": round(float(self.customers["open"].sum()), 2),
                "overdue": round(float(self.customers["overdue"].sum()), 2),
                "credit": round(float(self.customers["credit"].sum()), 2),
                "uninvoiced": round(float(self.customers["uninvoiced"].sum()), 2)}


@register_pass("receivables")
def receivables(book: Book, sold: SalesLines) -> tuple[Receivables, list[Issue]]:
    as_of = as_of_date(book)
    stamp = pd.Timestamp(as_of)
    issues: list[Issue] = []
    money = book.settings.money
    edges, basis, thresholds = money.ageing_buckets, money.ageing_basis.value, money.dunning_thresholds
    cards = book.frame("customers")
    lines, waiting = billed_lines(sold, stamp, book.settings.money.orders_are_invoices)
    if lines.empty and not waiting.empty:
        issues.append(setting_issue(book, RECEIVABLE_NO_INVOICES, "orders_are_invoices",
                                    amount=f"{int(waiting['cents'].sum()) / 100:,.2f}"))
    bills = invoices(lines, cards)
    credits, found = _credits(book, bills, stamp)
    issues += found
    bills, allocations, unused = _settle(bills, credits)
    owners = _owners(cards, pd.concat([bills[list(waiting.columns.intersection(bills.columns))], waiting]))
    bills["owner"] = bills["customer_id"].map(owners).fillna("")
    bills = _age(bills, stamp, basis, edges)
    customers = _customers(bills, unused, waiting, cards, owners, stamp, edges, thresholds)
    result = Receivables(
        as_of=as_of, basis=basis, edges=edges, thresholds=thresholds, invoices=bills[INVOICE_FRAME],
        lines=lines, uninvoiced=waiting, allocations=allocations, customers=customers,
        salespeople=_salespeople(customers, book, len(edges) + 1),
        buckets=_buckets(bills, len(edges) + 1), collection=_collection(customers))
    return result, issues


def _credits(book: Book, bills: pd.DataFrame, as_of: pd.Timestamp) -> tuple[pd.DataFrame, list[Issue]]:
    """Payments up to `as_of` and credit notes, per customer in settling order: date, credit notes first, then ref.
    `bill` is a credit note's position in `bills` (-1 for a payment)."""
    payments = book.frame("payments")
    frame = pd.DataFrame({
        "source": "payment", "ref": read_ids(payments["payment_id"]), "customer_id": read_ids(payments["customer_id"]),
        "date": to_dates(payments["date"]).dt.normalize(), "cents": to_cents(to_numbers(payments["amount"])),
        "names": read_ids(payments["invoice_no"]), "row": payments[ROW], "bill": -1,
    })
    frame = frame[(frame["customer_id"] != "") & frame["date"].notna() & (frame["date"] <= as_of)]
    issues = [book.issue_at(RECEIVABLE_PAYMENT_NEGATIVE, "payments", int(r), "amount", value=c / 100)
              for r, c in zip(frame["row"], frame["cents"]) if c < 0]
    frame = frame[frame["cents"] > 0]
    known = bills[["customer_id", "invoice"]].drop_duplicates().rename(columns={"invoice": "names"})
    found = frame[["customer_id", "names"]].merge(known, how="left", on=["customer_id", "names"], indicator=True)
    unknown = (frame["names"] != "").to_numpy() & (found["_merge"] == "left_only").to_numpy()
    for r in frame[unknown].itertuples():
        issues.append(book.issue_at(RECEIVABLE_INVOICE_UNKNOWN, "payments", int(r.row), "invoice_no", value=r.names,
                                    customer=r.customer_id, as_of=as_of.date().isoformat()))
    at = np.flatnonzero(bills["cents"].to_numpy() < 0)
    notes = bills.iloc[at]
    notes = pd.DataFrame({"source": "credit_note", "ref": notes["invoice"], "customer_id": notes["customer_id"],
                          "date": notes["invoice_date"], "cents": -notes["cents"], "names": "", "row": notes["row"],
                          "bill": at})
    credits = pd.concat([notes, frame], ignore_index=True)
    credits["order"] = (credits["source"] == "payment").astype(int)
    credits = credits.sort_values(["customer_id", "date", "order", "ref"], kind="mergesort").reset_index(drop=True)
    return credits, issues


def _settle(bills: pd.DataFrame, credits: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Allocate per customer; returns invoices with paid/open cents, the allocations, unused credit per customer.

    Customers whose credits name no invoice ahead of the queue settle all at once (`allocate_fifo`); the others
    one by one through `allocate`. Either way the allocations come by customer (ID order), then as settled."""
    customers = pd.Index(sorted(set(pd.unique(bills["customer_id"])) | set(pd.unique(credits["customer_id"]))))
    cents = bills["cents"].to_numpy(dtype="int64")
    debts = np.flatnonzero(cents > 0)
    queue = pd.DataFrame({"group": customers.get_indexer(bills["customer_id"].iloc[debts]),
                          "due": bills["due_date"].iloc[debts].to_numpy(), "invoice": bills["invoice"].iloc[debts].to_numpy(),
                          "kind": bills["kind"].iloc[debts].to_numpy()})
    queue = queue.sort_values(["group", "due", "invoice", "kind"], kind="mergesort")
    debts, debt_group = debts[queue.index.to_numpy()], queue["group"].to_numpy()  # in queue order per customer
    by_credit = np.argsort(customers.get_indexer(credits["customer_id"]), kind="stable")
    credits = credits.iloc[by_credit].reset_index(drop=True)
    credit_group = customers.get_indexer(credits["customer_id"])
    named = _named(bills, debts, credits)
    debt_cents, credit_cents = cents[debts], credits["cents"].to_numpy(dtype="int64")
    one_by_one = np.zeros(len(customers), dtype=bool)
    one_by_one[credit_group[names_ahead(debt_group, debt_cents, credit_group, credit_cents, named)]] = True
    fifo_debts, fifo_credits = ~one_by_one[debt_group], ~one_by_one[credit_group]
    flows = allocate_fifo(debt_group[fifo_debts], debt_cents[fifo_debts], credit_group[fifo_credits],
                          credit_cents[fifo_credits])
    open_cents, unused = debt_cents.copy(), credit_cents.copy()
    cleared = np.full(len(debts), -1, dtype="int64")
    fifo_debt_at, fifo_credit_at = np.flatnonzero(fifo_debts), np.flatnonzero(fifo_credits)
    open_cents[fifo_debt_at], unused[fifo_credit_at] = flows.open, flows.unused
    hit = flows.cleared >= 0
    cleared[fifo_debt_at[hit]] = fifo_credit_at[flows.cleared[hit]]
    pays = [(debt_group[fifo_debt_at[flows.debt]], fifo_credit_at[flows.credit], fifo_debt_at[flows.debt], flows.cents)]
    pays.append(_settle_named(np.flatnonzero(one_by_one), debt_group, debt_cents, credit_group, credit_cents, named,
                              bills["due_date"].to_numpy()[debts], open_cents, unused, cleared))
    group_of, credit_of, debt_of, paid = (np.concatenate(part) for part in zip(*pays))
    order = np.argsort(group_of, kind="stable")
    credit_of, debt_of, paid = credit_of[order], debt_of[order], paid[order]

    bills = bills.copy()
    left = np.zeros(len(bills), dtype="int64")
    left[debts] = open_cents
    note = credits["bill"].to_numpy(dtype="int64")
    payment = note < 0
    left[note[~payment]] = -unused[~payment]
    bills["open_cents"] = left
    bills["paid_cents"] = cents - left
    dates = credits["date"].to_numpy()
    paid_date = np.full(len(bills), np.datetime64("NaT"), dtype=dates.dtype)
    paid_date[debts[cleared >= 0]] = dates[cleared[cleared >= 0]]
    bills["paid_date"] = pd.to_datetime(pd.Series(paid_date, index=bills.index))
    allocations = pd.DataFrame({
        "source": credits["source"].to_numpy()[credit_of], "ref": credits["ref"].to_numpy()[credit_of],
        "date": dates[credit_of], "customer_id": credits["customer_id"].to_numpy()[credit_of],
        "invoice": bills["invoice"].to_numpy()[debts[debt_of]], "kind": bills["kind"].to_numpy()[debts[debt_of]],
        "cents": paid.astype("int64")})
    allocations["date"] = pd.to_datetime(allocations["date"])
    allocations["amount"] = allocations["cents"] / 100
    left_over = pd.Series(unused[payment]).groupby(credits["customer_id"].to_numpy()[payment]).sum()
    return bills, allocations, {str(c): int(v) for c, v in left_over.items()}


def _named(bills: pd.DataFrame, debts: np.ndarray, credits: pd.DataFrame) -> np.ndarray:
    """Per credit, the queue position (in `debts`) of the invoice of its customer it names, else -1 (of two
    invoices with one number, an order and an invoice, the later in `bills`)."""
    at = np.argsort(debts, kind="stable")  # queue positions in bills order
    owed = pd.DataFrame({"customer_id": bills["customer_id"].to_numpy()[debts[at]],
                         "names": bills["invoice"].to_numpy()[debts[at]], "at": at})
    owed = owed.drop_duplicates(["customer_id", "names"], keep="last")
    asked = credits[["customer_id", "names"]].merge(owed, how="left", on=["customer_id", "names"])
    return asked["at"].fillna(-1).to_numpy(dtype="int64")


def _settle_named(groups: np.ndarray, debt_group: np.ndarray, debt_cents: np.ndarray, credit_group: np.ndarray,
                  credit_cents: np.ndarray, named: np.ndarray, due: np.ndarray, open_cents: np.ndarray,
                  unused: np.ndarray, cleared: np.ndarray) -> tuple[np.ndarray, ...]:
    """`allocate` customer by customer for `groups` (their queue positions as invoice numbers), written into the
    per-debt and per-credit arrays; returns their allocations as (group, credit, debt, cents) arrays."""
    debts_from, debts_to = np.searchsorted(debt_group, groups), np.searchsorted(debt_group, groups + 1)
    credits_from, credits_to = np.searchsorted(credit_group, groups), np.searchsorted(credit_group, groups + 1)
    owed, days = debt_cents.tolist(), due.astype("int64").tolist()
    given, names = credit_cents.tolist(), named.tolist()
    rows = []
    for group, d0, d1, c0, c1 in zip(groups.tolist(), debts_from.tolist(), debts_to.tolist(), credits_from.tolist(),
                                     credits_to.tolist()):
        settled = allocate([Debt(q, owed[q], days[q]) for q in range(d0, d1)],
                           [Credit("", None, given[k], None if names[k] < 0 else names[k]) for k in range(c0, c1)])
        for q, cents in settled.open.items():
            open_cents[q] = cents
        for q, index in settled.cleared.items():
            cleared[q] = c0 + index
        unused[c0:c1] = settled.unused
        rows += [(group, c0 + a.credit, a.number, a.cents) for a in settled.allocations]
    return tuple(np.array(rows, dtype="int64").reshape(-1, 4).T)


def _owners(cards: pd.DataFrame, bills: pd.DataFrame) -> dict[str, str]:
    """Customer ID -> the card's salesperson, else the salesperson of the customer's first invoice or shipment."""
    customer, _ = pd.factorize(bills["customer_id"], sort=True)
    invoice, _ = pd.factorize(bills["invoice"], sort=True)
    day = bills["invoice_date"].to_numpy(dtype="datetime64[us]")
    day = np.where(np.isnat(day), np.iinfo("int64").max, day.astype("int64"))  # undated last
    order = np.lexsort((invoice, day, customer))  # stable, like sorting by customer, date, invoice
    first = order[np.r_[True, customer[order][1:] != customer[order][:-1]]] if len(order) else order
    owners = dict(zip(bills["customer_id"].to_numpy(dtype=object)[first],
                      bills["salesperson_id"].to_numpy(dtype=object)[first]))
    card = pd.DataFrame({"c": ids(cards["customer_id"]), "s": ids(cards["salesperson_id"])})
    card = card[(card["c"] != "") & (card["s"] != "")].drop_duplicates("c")
    owners.update(zip(card["c"], card["s"]))
    return owners


def _age(bills: pd.DataFrame, as_of: pd.Timestamp, basis: str, edges: tuple[int, ...]) -> pd.DataFrame:
    bills["amount"] = bills["cents"] / 100
    bills["paid"] = bills["paid_cents"] / 100
    bills["open"] = bills["open_cents"] / 100
    bills["days_past_due"] = (as_of - bills["due_date"]).dt.days.astype("int64")
    since = (as_of - bills["invoice_date"]).dt.days.astype("int64")
    bills["age"] = bills["days_past_due"] if basis == "due" else since
    bills["bucket"] = bucket_of(bills["age"].to_numpy(), edges)
    return bills


def _customers(bills: pd.DataFrame, unused: dict[str, int], waiting: pd.DataFrame, cards: pd.DataFrame,
               owners: dict[str, str], as_of: pd.Timestamp, edges: tuple[int, ...],
               thresholds: tuple[int, ...]) -> pd.DataFrame:
    """Per customer owing money, holding credit or waiting for an invoice: open, overdue, buckets, credit,
    shipped not invoiced, DSO, limit use, oldest overdue invoice."""
    debts = bills[bills["open_cents"] > 0]
    notes = bills[bills["open_cents"] < 0].groupby("customer_id")["open_cents"].sum()
    credit = pd.Series(unused, dtype="int64").add(-notes, fill_value=0)
    credit = credit[credit > 0]
    shipped = waiting.groupby("customer_id")["cents"].sum()
    shipped = shipped[shipped != 0]
    customers = sorted(set(pd.unique(debts["customer_id"])) | set(credit.index) | set(shipped.index))
    frame = pd.DataFrame({"customer_id": customers})
    by = debts.groupby("customer_id")
    open_ = by["open_cents"].sum().reindex(customers, fill_value=0)
    late = debts[debts["days_past_due"] > 0]
    overdue = late.groupby("customer_id")["open_cents"].sum().reindex(customers, fill_value=0)
    spread = debts.pivot_table(index="customer_id", columns="bucket", values="open_cents", aggfunc="sum", fill_value=0)
    spread = spread.reindex(index=customers, columns=range(len(edges) + 1), fill_value=0)
    recent = bills[bills["invoice_date"] > as_of - pd.Timedelta(days=DSO_DAYS)]
    sales = recent.groupby("customer_id")["cents"].sum().reindex(customers, fill_value=0)
    card = pd.DataFrame({"c": ids(cards["customer_id"]), "name": cards["name"].astype(object),
                         "limit": to_numbers(cards["credit_limit"]), "phone": cards["phone"].astype(object)})
    card = card[card["c"] != ""].drop_duplicates("c").set_index("c").reindex(customers)
    oldest = late.sort_values(["customer_id", "due_date", "invoice"], kind="mergesort").drop_duplicates("customer_id")
    oldest = oldest.set_index("customer_id").reindex(customers)
    frame["name"] = [None if pd.isna(v) else str(v) for v in card["name"]]
    frame["phone"] = [None if pd.isna(v) else str(v) for v in card["phone"]]
    frame["owner"] = [owners.get(c, "") for c in customers]
    frame["open"] = open_.to_numpy() / 100
    frame["overdue"] = overdue.to_numpy() / 100
    for i in range(len(edges) + 1):
        frame[f"bucket_{i}"] = spread[i].to_numpy() / 100
    frame["credit"] = credit.reindex(customers, fill_value=0).to_numpy() / 100
    frame["uninvoiced"] = shipped.reindex(customers, fill_value=0).to_numpy() / 100
    frame["sales_90"] = sales.to_numpy() / 100
    frame["dso"] = np.where(sales.to_numpy() > 0, open_.to_numpy() / np.maximum(sales.to_numpy(), 1) * DSO_DAYS, np.nan)
    limit = card["limit"].to_numpy(dtype="float64")
    frame["credit_limit"] = np.where(limit > 0, limit, np.nan)
    frame["limit_used"] = np.where(limit > 0, frame["open"] / np.where(limit > 0, limit, 1), np.nan)
    frame["oldest_invoice"] = oldest["invoice"].to_numpy()
    frame["oldest_invoice_date"] = oldest["invoice_date"].to_numpy()
    frame["oldest_due"] = oldest["due_date"].to_numpy()
    frame["days_past_due"] = oldest["days_past_due"].to_numpy()
    frame["level"] = [dunning_level(int(d), thresholds) if d == d else None for d in frame["days_past_due"]]
    return frame


def _salespeople(customers: pd.DataFrame, book: Book, buckets: int) -> pd.DataFrame:
    """Per owner: the sums of their customers, DSO over their last-90-day sales, limit use."""
    people = book.frame("salespeople")
    names = dict(zip(ids(people["salesperson_id"]), people["name"].astype(object)))
    money = ["open", "overdue", *[f"bucket_{i}" for i in range(buckets)], "credit", "uninvoiced", "sales_90"]
    frame = customers.groupby("owner", sort=True)[money].sum().round(2)
    frame["customers"] = customers.groupby("owner")["open"].apply(lambda s: int((s > 0).sum()))
    frame["overdue_customers"] = customers.groupby("owner")["overdue"].apply(lambda s: int((s > 0).sum()))
    frame["dso"] = np.where(frame["sales_90"] > 0, frame["open"] / frame["sales_90"].where(frame["sales_90"] > 0, 1)
                            * DSO_DAYS, np.nan)
    limited = customers[customers["credit_limit"] > 0].groupby("owner")[["open", "credit_limit"]].sum()
    frame["limit_used"] = (limited["open"] / limited["credit_limit"]).reindex(frame.index)
    frame = frame.reset_index().rename(columns={"owner": "salesperson_id"})
    frame.insert(1, "name", [None if pd.isna(names.get(s)) else str(names.get(s)) for s in frame["salesperson_id"]])
    return frame


def _buckets(bills: pd.DataFrame, count: int) -> pd.DataFrame:
    debts = bills[bills["open_cents"] > 0]
    cents = debts.groupby("bucket")["open_cents"].sum().reindex(range(count), fill_value=0)
    number = debts.groupby("bucket").size().reindex(range(count), fill_value=0)
    total = int(cents.sum())
    return pd.DataFrame({"bucket": range(count), "amount": cents.to_numpy() / 100, "invoices": number.to_numpy(),
                         "share": cents.to_numpy() / total if total else np.zeros(count)})


def _collection(customers: pd.DataFrame) -> pd.DataFrame:
    late = customers[customers["overdue"] > 0].copy()
    late["level"] = late["level"].astype(int)
    late["_cents"] = (late["overdue"] * 100).round().astype("int64")
    late = late.sort_values(["level", "_cents", "customer_id"], ascending=[False, False, True], kind="mergesort")
    return late.drop(columns="_cents").reset_index(drop=True)[
        ["customer_id", "name", "phone", "owner", "overdue", "open", "oldest_invoice", "oldest_invoice_date",
         "oldest_due", "days_past_due", "level"]]
