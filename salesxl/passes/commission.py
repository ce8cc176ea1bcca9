"""The commission pass: a statement per salesperson per month of the plan year, line by line.

- Basis "sales": the net sales of the month (the sales pass's lines by order
  date), one line per order and product line.
  Basis "cash": the payments of the month as allocated to invoices (first in
  first out, see the receivables pass); a payment on an invoice counts for
  the invoice's salespeople and product lines in proportion to their share
  of it (parts with a negative net take none), so a partial payment earns
  its paid share in the month the cash came in. Credit notes and unused
  credit earn nothing.
- Rate: the tier of Settings reached by the salesperson's achievement of
  that month's target: the measured plan of the targets pass against the
  sales pass's net sales, the same two figures the Performance sheet shows
  for the month. No target counts as 0 % achievement. A line's multiplier is the customer grade's
  multiplier x the product line's multiplier.
- Rounding, once per statement and multiplier: the lines of a statement with
  the same multiplier earn sum(basis) x rate x multiplier rounded to the
  cent half away from zero; the statement is the sum of these groups (with
  no multipliers: basis x rate, rounded once). The lines share their group's
  amount by largest remainder, so they add up to the statement exactly.
- Settlement: a month is settled once it is at or before Settings
  commission_settled_through (blank: before the as-of date's month) or is
  already in the hidden sheet CommissionSettled. A settled month's statements
  are recorded there the first time (one row each, with a fingerprint of its
  lines) and read back unchanged afterwards; when the orders or payments
  behind one have changed since, the statement stays as settled and
  COMMISSION_SETTLED_CHANGED names the month and salesperson.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date
from salesxl.passes.money.allocation import to_cents
from salesxl.passes.money.rules import rate_for
from salesxl.passes.money.settlement import (KEYS, LINE_KEY, MONEY, SETTLED_KEY, fingerprint, fingerprints,
                                             month_key, month_keys, settled_frame, settled_rows)
from salesxl.passes.planning.rounding import apportion_many, round_to_total, round_to_totals
from salesxl.passes.grade import GradeResult
from salesxl.passes.planning.sales import ids
from salesxl.passes.receivables import Receivables
from salesxl.passes.sales import SalesLines
from salesxl.passes.targets import TargetPlan
from salesxl.registry import register_pass

COMMISSION_SETTLED_CHANGED = define(
    "COMMISSION_SETTLED_CHANGED", "warning",
    "{month} 已结算的销售员 {salesperson} 佣金结算单与现有{source}不符（结算时基数 {settled}、{lines_then} 行，"
    "现为 {now}、{lines_now} 行）；已结算的结算单保持不变，请核对该月的事后修改",
    "The settled commission statement of {salesperson} for {month} no longer matches the {source} "
    "(basis {settled} in {lines_then} lines when settled, {now} in {lines_now} lines now); the settled statement "
    "stands, check the late edits",
    title_zh="已结算月份的数据被修改", title_en="Settled month edited later",
)

STATEMENT_COLUMNS = ["month", "salesperson_id", "name", "target", "net_sales", "achievement", "rate", "basis",
                     "commission", "lines", "settled"]
LINE_COLUMNS = ["month", "salesperson_id", "reference", "payment_id", "customer_id", "date", "product_line", "basis",
                "rate", "multiplier", "commission", "settled"]
@dataclass
class Commission:
    as_of: dt.date
    year: int
    basis: str  # "sales" or "cash"
    settled_through: str | None  # last settled month "YYYY-MM" of the plan year, None when none is
    statements: pd.DataFrame  # STATEMENT_COLUMNS, by month then salesperson
    lines: pd.DataFrame  # LINE_COLUMNS, the lines behind each statement (adding up to it exactly)
    settled: pd.DataFrame  # one row per settled statement (money/settlement.py KEYS), written to CommissionSettled


@register_pass("commission")
def commission(book: Book, sold: SalesLines, plan: TargetPlan, owed: Receivables,
               graded: GradeResult) -> tuple[Commission, list[Issue]]:
    as_of = as_of_date(book)
    settings = book.settings.commission
    basis = settings.commission_basis.value
    tiers, by_grade, by_line = (settings.commission_tiers, settings.commission_grade_multipliers,
                                settings.commission_line_multipliers)
    months = _months(plan.year, as_of)
    sales = sold.lines
    sales = sales[(sales["date"].dt.year == plan.year) & (sales["date"] <= pd.Timestamp(as_of))].copy()
    sales["month"] = month_keys(sales["date"])
    sales["cents"] = to_cents(sales["net"])
    figures = _figures(plan, sales)
    lines = _sales_lines(sales) if basis == "sales" else _cash_lines(owed, plan.year, as_of)
    grades = dict(zip(graded.customers["customer_id"], graded.customers["grade"].astype(object)))
    computed, lines = _statements(figures, lines, months, basis, tiers, by_grade, by_line, grades)
    previous = settled_rows(book.state.get(SETTLED_KEY) or [])
    last = _settled_through(book, as_of, plan.year)
    rows, settled, issues = _settle(computed, previous, months, last, as_of, basis, book)
    names = dict(zip(ids(book.frame("salespeople")["salesperson_id"]), book.frame("salespeople")["name"].astype(object)))
    statements, detail = _frames(rows, lines, names)
    through = max((m for m in months if m <= last or m in set(previous["month"])), default=None)
    return Commission(as_of, plan.year, basis, through, statements, detail, settled), issues


def _months(year: int, as_of: dt.date) -> list[str]:
    """The plan year's months up to the as-of date's month."""
    last = 12 if as_of.year > year else as_of.month if as_of.year == year else 0
    return [month_key(year, m) for m in range(1, last + 1)]


def _settled_through(book: Book, as_of: dt.date, year: int) -> str:
    """The last month settled by Settings: its date's month, else the month before the as-of month."""
    day = book.settings.commission.commission_settled_through
    if day is not None and not pd.isna(day):
        return month_key(day.year, day.month)
    before = as_of.replace(day=1) - dt.timedelta(days=1)
    return month_key(before.year, before.month)


def _figures(plan: TargetPlan, sales: pd.DataFrame) -> dict[tuple, tuple[int, int]]:
    """(salesperson, month) -> (target cents, net sales cents) for the plan year up to the as-of date."""
    targets = plan.measured(plan.months)
    figures: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (person, month), amount in targets.groupby(["salesperson_id", "month"])["amount"].sum().items():
        figures[(person, month_key(plan.year, int(month)))][0] = int(round(float(amount) * 100))
    for (person, month), cents in sales.groupby(["salesperson_id", "month"])["cents"].sum().items():
        figures[(person, month)][1] = int(cents)
    return {key: (target, net) for key, (target, net) in figures.items() if key[0]}


def _sales_lines(sales: pd.DataFrame) -> pd.DataFrame:
    """One line per (month, salesperson, order, customer, product line): net cents, first order date."""
    grouped = sales.groupby(["month", "salesperson_id", "order_id", "customer_id", "product_line"], sort=True).agg(
        basis_cents=("cents", "sum"), date=("date", "min")).reset_index()
    grouped = grouped.rename(columns={"order_id": "reference"}).assign(payment_id="")
    return grouped[grouped["salesperson_id"] != ""]


def _cash_lines(result: Receivables, year: int, as_of: dt.date) -> pd.DataFrame:
    """Each payment's allocations in the plan year, split over the invoice's salespeople and product lines
    (by `apportion`, all allocations at once)."""
    paid = result.allocations[(result.allocations["source"] == "payment") & (result.allocations["date"].dt.year == year)
                              & (result.allocations["date"] <= pd.Timestamp(as_of))]
    invoice = ["customer_id", "invoice", "kind"]
    parts = result.lines.groupby([*invoice, "salesperson_id", "product_line"], sort=True)["cents"].sum().reset_index()
    split = paid[[*invoice, "ref", "date", "cents"]].assign(allocation=np.arange(len(paid))).merge(
        parts.rename(columns={"cents": "weight"}).assign(part=np.arange(len(parts))), how="inner", on=invoice)
    split = split.iloc[np.lexsort((split["part"].to_numpy(), split["allocation"].to_numpy()))]
    group, _ = pd.factorize(split["allocation"])
    totals = split.drop_duplicates("allocation")["cents"].to_numpy(dtype="int64")
    cents = apportion_many(group, totals, np.maximum(split["weight"].to_numpy(dtype="int64"), 0))
    kept = (cents != 0) & (split["salesperson_id"] != "").to_numpy()
    split = split[kept]
    frame = pd.DataFrame({"month": month_keys(split["date"]), "salesperson_id": split["salesperson_id"].to_numpy(),
                          "reference": split["invoice"].to_numpy(), "payment_id": split["ref"].to_numpy(),
                          "customer_id": split["customer_id"].to_numpy(), "date": pd.to_datetime(split["date"]).to_numpy(),
                          "product_line": split["product_line"].to_numpy(), "basis_cents": cents[kept]})
    return frame.groupby(["month", "salesperson_id", "reference", "payment_id", "customer_id", "product_line"],
                         sort=True).agg(basis_cents=("basis_cents", "sum"), date=("date", "min")).reset_index()


def _statements(figures: dict[tuple, tuple[int, int]], lines: pd.DataFrame, months: list[str], basis: str,
                tiers: list, by_grade: dict, by_line: dict,
                grades: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every statement of `months` (recorded shape, money/settlement.py KEYS) and its lines, each line's multiplier."""
    lines = lines[lines["month"].isin(months)].copy()
    lines["multiplier"] = _multipliers(lines, grades, by_grade, by_line)
    groups = lines.groupby(["salesperson_id", "month"], sort=True)
    sizes, bases = groups.size(), groups["basis_cents"].sum()
    prints = fingerprints(lines, ["salesperson_id", "month"])
    keys = sorted({k for k in figures if k[1] in months and figures[k][0] > 0} | set(sizes.index),
                  key=lambda k: (k[1], k[0]))
    heads = [figures.get(key, (0, 0)) for key in keys]  # (target, net sales) cents
    achieved = [Fraction(net, target) if target > 0 else None for target, net in heads]
    rates = [rate_for(achievement, tiers) for achievement in achieved]
    index = {key: i for i, key in enumerate(keys)}
    statement = np.array([index[k] for k in sizes.index], dtype="int64")[groups.ngroup().to_numpy()]
    totals, _ = price_all(statement, lines, rates, shares=False)
    empty = fingerprint(lines.iloc[0:0])
    records = []
    for (person, month), (target, net), achievement, rate, total in zip(keys, heads, achieved, rates, totals):
        records.append({"month": month, "salesperson_id": person, "basis_kind": basis, "target": target / 100,
                        "net_sales": net / 100, "achievement": None if achievement is None else float(achievement),
                        "rate": float(rate), "basis": int(bases.get((person, month), 0)) / 100,
                        "commission": total / 100, "lines": int(sizes.get((person, month), 0)),
                        "fingerprint": prints.get((person, month), empty), "settled_on": None})
    return settled_frame(records), lines


def _multipliers(lines: pd.DataFrame, grades: dict[str, str], by_grade: dict, by_line: dict) -> np.ndarray:
    """Per line: the customer grade's multiplier x the product line's (1 where none is set), once per
    distinct customer and product line."""
    customer, customers = pd.factorize(lines["customer_id"].to_numpy(dtype=object), use_na_sentinel=False)
    product, products = pd.factorize(lines["product_line"].to_numpy(dtype=object), use_na_sentinel=False)
    width = max(len(products), 1)
    pair, pairs = pd.factorize(customer.astype("int64") * width + product)
    of_customer = [by_grade.get(grades.get(c, ""), Decimal(1)) for c in customers]
    of_product = [by_line.get(p, Decimal(1)) for p in products]
    made = [of_customer[p // width] * of_product[p % width] for p in pairs.tolist()]
    return np.array(made, dtype=object)[pair]


def price(lines: pd.DataFrame, rate: Decimal, *, shares: bool = True) -> tuple[int, list[int]]:
    """One statement's commission in cents and its lines' shares (`price_all` of a single statement)."""
    totals, parts = price_all(np.zeros(len(lines), dtype="int64"), lines, [rate], shares=shares)
    return totals[0], [int(p) for p in parts]


def price_all(statement: np.ndarray, lines: pd.DataFrame, rates: list[Decimal], *,
              shares: bool = True) -> tuple[list[int], np.ndarray]:
    """The commission of many statements at once, in whole columns: line i belongs to statement
    `statement[i]`, whose rate is `rates[statement[i]]`. Returns each statement's cents and, with `shares`,
    each line's share, which add up to it exactly.

    Lines of one statement and multiplier form a group; a group earns
    sum(basis) x rate x multiplier rounded once, to the cent, half away from
    zero (ROUND_HALF_UP); the statement is the sum of its groups (without
    multipliers: basis x rate, rounded once). Each line gets its exact share
    of its group (basis x rate x multiplier) by largest remainder, so a
    group's lines add up to the group to the cent.
    """
    bases = lines["basis_cents"].to_numpy(dtype="int64")
    kind, multipliers = pd.factorize(lines["multiplier"].to_numpy(dtype=object))
    width = max(len(multipliers), 1)
    group, pairs = pd.factorize(np.asarray(statement, dtype="int64") * width + kind)
    top = int(np.abs(bases).max(initial=0))
    owed = np.zeros(len(pairs), dtype="int64" if top * len(bases) < 2 ** 63 else object)  # sums stay exact
    np.add.at(owed, group, bases if owed.dtype != object else bases.astype(object))
    totals = [0] * len(rates)
    cents, factors = [], []
    for whole, basis in zip(pairs.tolist(), owed.tolist()):
        rate, multiplier = rates[whole // width], multipliers[whole % width]
        amount = int((Decimal(basis) * rate * multiplier).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        totals[whole // width] += amount
        cents.append(amount)
        factors.append(Fraction(rate) * Fraction(multiplier))
    if not shares:
        return totals, np.zeros(0, dtype="int64")
    scale = np.array([f.numerator for f in factors], dtype=object)[group]
    top *= max((abs(f.numerator) for f in factors), default=0)
    numerators = bases * scale.astype("int64") if top < 2 ** 62 else bases.astype(object) * scale
    parts = round_to_totals(group, numerators, np.array([f.denominator for f in factors], dtype="int64"),
                            np.array(cents, dtype=object))
    return totals, parts


def _settle(computed: pd.DataFrame, previous: pd.DataFrame, months: list[str], last: str, as_of: dt.date,
            basis: str, book: Book) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """The statements to show (settled ones as recorded) with a `settled` flag, every recorded row, late-edit issues."""
    recorded = set(previous["month"])
    newly = [m for m in months if m <= last and m not in recorded]
    fresh = computed[computed["month"].isin(newly)].assign(settled_on=pd.Timestamp(as_of))
    issues = _late_edits(computed[computed["month"].isin(recorded)], previous[previous["month"].isin(months)],
                         basis, book)
    shown = pd.concat([previous[previous["month"].isin(months)].assign(settled=True), fresh.assign(settled=True),
                       computed[~computed["month"].isin(recorded | set(newly))].assign(settled=False)],
                      ignore_index=True)
    kept = pd.concat([previous, fresh], ignore_index=True)[KEYS + [f"{k}_cents" for k in MONEY]]
    return shown, kept, issues


def _late_edits(now: pd.DataFrame, then: pd.DataFrame, basis: str, book: Book) -> list[Issue]:
    """COMMISSION_SETTLED_CHANGED for each settled statement whose lines' fingerprint differs from the data now."""
    issues = []
    then = then[then["basis_kind"] == basis]
    recorded = {(r.month, r.salesperson_id): r for r in then.itertuples(index=False)}
    current = {(r.month, r.salesperson_id): r for r in now.itertuples(index=False)}
    empty = fingerprint(pd.DataFrame(columns=LINE_KEY))
    words = {"sales": ("销售明细", "orders"), "cash": ("回款记录", "payments")}[basis]
    months = set(then["month"])
    for key in sorted(k for k in set(recorded) | set(current) if k[0] in months):
        before, after = recorded.get(key), current.get(key)
        if (before.fingerprint if before else empty) == (after.fingerprint if after else empty):
            continue
        issues.append(book.issue_at(
            COMMISSION_SETTLED_CHANGED, "orders" if basis == "sales" else "payments", None, None,
            value=f"{key[0]} {key[1]}", month=key[0], salesperson=key[1], source=words[0 if book.lang == "zh" else 1],
            settled=f"{(before.basis_cents if before else 0) / 100:,.2f}",
            now=f"{(after.basis_cents if after else 0) / 100:,.2f}",
            lines_then=before.lines if before else 0, lines_now=after.lines if after else 0))
    return issues


def _frames(rows: pd.DataFrame, lines: pd.DataFrame, names: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements (one row per month and salesperson) and their lines, which add up to each statement.

    A settled statement's lines are today's lines at its settled rate, shared
    out so they add up to its settled amount (the fingerprint tells whether
    they are still the lines it was settled on).
    """
    rows = rows.sort_values(["month", "salesperson_id"], kind="mergesort").reset_index(drop=True)
    named = [None if pd.isna(names.get(p)) else str(names.get(p)) for p in rows["salesperson_id"]]
    statements = rows.assign(name=named, settled=rows["settled"].astype(bool))
    found = lines.groupby(["month", "salesperson_id"], sort=True).indices if len(lines) else {}
    taken, rates, flags, recorded = [], [], [], []
    for r in statements.itertuples(index=False):
        at = found.get((r.month, r.salesperson_id))
        if at is None or not len(at):
            continue
        taken.append(at)
        rates.append(Decimal(str(r.rate if r.rate == r.rate and r.rate is not None else 0)))
        flags.append(bool(r.settled))
        recorded.append(int(r.commission_cents))
    if not taken:
        return statements[STATEMENT_COLUMNS], pd.DataFrame(columns=LINE_COLUMNS)
    statement = np.repeat(np.arange(len(taken)), [len(at) for at in taken])
    detail = lines.iloc[np.concatenate(taken)]
    totals, shares = price_all(statement, detail, rates)
    shares = shares.astype(object)
    for whole, (total, settled) in enumerate(zip(totals, recorded)):
        if total != settled:  # settled at another amount: today's lines share the settled one
            at = np.flatnonzero(statement == whole)
            exact = [Fraction(int(s)) for s in shares[at]] if any(shares[at]) else [Fraction(1)] * len(at)
            shares[at] = round_to_total(settled, _scaled(exact, settled))
    kind, multipliers = pd.factorize(detail["multiplier"].to_numpy(dtype=object))
    detail = detail.assign(rate=np.array([float(r) for r in rates])[statement],
                           multiplier=np.array([float(m) for m in multipliers], dtype="float64")[kind],
                           basis=detail["basis_cents"] / 100,
                           commission=np.array([int(c) for c in shares], dtype="int64") / 100,
                           settled=np.array(flags, dtype=bool)[statement])
    detail = detail.sort_values(["month", "salesperson_id", "reference", "payment_id", "customer_id", "product_line"],
                                kind="mergesort")
    return statements[STATEMENT_COLUMNS], detail[LINE_COLUMNS].reset_index(drop=True)


def _scaled(exact: list[Fraction], total: int) -> list[Fraction]:
    """`exact` rescaled to add up to `total` (evenly when they add up to nothing)."""
    whole = sum(exact)
    if whole == 0:
        return [Fraction(total, len(exact))] * len(exact)
    return [q * total / whole for q in exact]
