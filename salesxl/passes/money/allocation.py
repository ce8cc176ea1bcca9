"""Settling a customer's invoices with payments and credit notes, first in first out, in whole cents.

Credits are applied in the order given (the caller sorts them by date, then
ID). A credit that names one of the customer's invoices pays that invoice
first; whatever is left, and every credit that names none, pays the open
invoices oldest due date first (ties by invoice number). Every invoice of the
customer is in the queue whatever the credit's date, so a prepayment pays the
invoice issued after it; what no invoice can take stays with the customer as
credit.
Every amount is an integer number of cents, so nothing is lost to rounding:
for each customer, sum(open) - sum(unused) == sum(debts) - sum(credits).

`allocate` is the rule, one customer at a time. `allocate_fifo` gives the
same settlement for many customers at once, with numpy, where no credit
names an invoice ahead of the queue (`names_ahead`): first in first out is
then the overlap of two running sums, the credits' and the debts' in queue
order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd


def to_cents(values: pd.Series | np.ndarray) -> np.ndarray:
    """Amounts in yuan as integer cents, rounded half away from zero (blank counts as 0)."""
    number = np.nan_to_num(np.asarray(values, dtype="float64"))
    return (np.sign(number) * np.floor(np.abs(number) * 100 + 0.5 + 1e-7)).astype("int64")


def yuan(cents: Any) -> float:
    return round(int(cents) / 100, 2)


@dataclass(frozen=True)
class Debt:
    """An invoice to be paid: `due` orders the queue (oldest first), `number` (any sortable key) breaks ties."""

    number: Any
    cents: int
    due: Any


@dataclass(frozen=True)
class Credit:
    """Money the customer has paid or been credited; `names` is the invoice it is meant for."""

    ref: str
    date: Any
    cents: int
    names: Any = None  # the number of the invoice it is meant for


@dataclass(frozen=True)
class Allocation:
    credit: int  # index of the credit in the list given
    number: Any  # the invoice it paid
    cents: int


@dataclass
class Settlement:
    open: dict[Any, int]  # invoice number -> cents still owed
    allocations: list[Allocation]
    unused: list[int]  # per credit: cents no invoice took
    cleared: dict[Any, int]  # invoice number -> index of the credit that paid its last cent


def allocate(debts: Sequence[Debt], credits: Sequence[Credit]) -> Settlement:
    """Apply `credits` in order to `debts`: the named invoice first, then oldest due first."""
    queue = [d.number for d in sorted(debts, key=lambda d: (d.due, d.number))]
    balance = {d.number: d.cents for d in debts}
    allocations: list[Allocation] = []
    unused: list[int] = []
    cleared: dict[Any, int] = {}
    head = 0  # invoices before `head` in the queue are paid
    for index, credit in enumerate(credits):
        left = credit.cents
        if credit.names is not None and balance.get(credit.names, 0) > 0:
            left = _pay(credit.names, left, index, balance, allocations, cleared)
        position = head
        while left > 0 and position < len(queue):
            number = queue[position]
            if balance[number] > 0:
                left = _pay(number, left, index, balance, allocations, cleared)
            position += 1
        while head < len(queue) and balance[queue[head]] <= 0:
            head += 1
        unused.append(left)
    return Settlement(balance, allocations, unused, cleared)


@dataclass
class Flows:
    """Settlements of many customers (`allocate_fifo`): positions index the debts and credits given."""

    credit: np.ndarray  # per allocation, in `allocate`'s order: the credit that paid
    debt: np.ndarray  # per allocation: the debt it paid
    cents: np.ndarray  # per allocation: how much
    open: np.ndarray  # per debt: cents still owed
    unused: np.ndarray  # per credit: cents no debt took
    cleared: np.ndarray  # per debt: the credit that paid its last cent, -1 while it is open


def allocate_fifo(debt_group: np.ndarray, debt_cents: np.ndarray, credit_group: np.ndarray,
                  credit_cents: np.ndarray) -> Flows:
    """`allocate` for many customers at once when no credit names an invoice.

    Groups (customers) are integer codes; debts come sorted by group, then in
    queue order (oldest due first), credits sorted by group, then in settling
    order; no amount is negative. Each group is laid on its own stretch of one
    number line: debt j covers [start, end) of its group's running sum of
    debts, credit k the same of the credits, and credit k pays debt j exactly
    where the two overlap (the cuts between all these bounds are the
    allocations, in credit then queue order, as `allocate` makes them).
    """
    debt_group, credit_group = np.asarray(debt_group, dtype="int64"), np.asarray(credit_group, dtype="int64")
    debt_cents, credit_cents = np.asarray(debt_cents, dtype="int64"), np.asarray(credit_cents, dtype="int64")
    groups = int(max(debt_group.max(initial=-1), credit_group.max(initial=-1))) + 1
    owed, given = _totals(debt_group, debt_cents, groups), _totals(credit_group, credit_cents, groups)
    base = np.cumsum(np.maximum(owed, given)) - np.maximum(owed, given)  # where each group's stretch begins
    debt_end = base[debt_group] + np.cumsum(debt_cents) - (np.cumsum(owed) - owed)[debt_group]
    credit_end = base[credit_group] + np.cumsum(credit_cents) - (np.cumsum(given) - given)[credit_group]
    debt_start, credit_start = debt_end - debt_cents, credit_end - credit_cents
    cuts = np.unique(np.concatenate([debt_start, debt_end, credit_start, credit_end]))
    left, width = cuts[:-1], np.diff(cuts)
    debt, in_debt = _covering(debt_start, debt_end, left)
    credit, in_credit = _covering(credit_start, credit_end, left)
    paying = in_debt & in_credit & (width > 0)
    debt, credit, cents = debt[paying], credit[paying], width[paying]
    paid = np.zeros(len(debt_cents), dtype="int64")
    np.add.at(paid, debt, cents)
    used = np.zeros(len(credit_cents), dtype="int64")
    np.add.at(used, credit, cents)
    left_open = debt_cents - paid
    last, _ = _covering(credit_start, credit_end, debt_end - 1)
    cleared = np.where((debt_cents > 0) & (left_open == 0), last, -1)
    return Flows(credit, debt, cents, left_open, credit_cents - used, cleared)


def names_ahead(debt_group: np.ndarray, debt_cents: np.ndarray, credit_group: np.ndarray, credit_cents: np.ndarray,
                named: np.ndarray) -> np.ndarray:
    """Per credit (arranged as for `allocate_fifo`; `named`: the position of the debt it names, -1 for none):
    whether it names a debt first in first out has not reached when the credit comes. Only such a name changes
    the settlement: a named debt already paid is skipped, and one that is next in the queue is paid first
    anyway. So where no credit of a customer is True, `allocate_fifo` is `allocate` for that customer."""
    named = np.asarray(named, dtype="int64")
    debt_group, credit_group = np.asarray(debt_group, dtype="int64"), np.asarray(credit_group, dtype="int64")
    debt_cents, credit_cents = np.asarray(debt_cents, dtype="int64"), np.asarray(credit_cents, dtype="int64")
    groups = int(max(debt_group.max(initial=-1), credit_group.max(initial=-1))) + 1
    owed, given = _totals(debt_group, debt_cents, groups), _totals(credit_group, credit_cents, groups)
    debt_before = np.cumsum(debt_cents) - debt_cents - (np.cumsum(owed) - owed)[debt_group]
    credit_before = np.cumsum(credit_cents) - credit_cents - (np.cumsum(given) - given)[credit_group]
    names = named >= 0
    ahead = np.zeros(len(named), dtype=bool)
    ahead[names] = debt_before[named[names]] > credit_before[names]
    return ahead


def _totals(group: np.ndarray, cents: np.ndarray, groups: int) -> np.ndarray:
    total = np.zeros(groups, dtype="int64")
    np.add.at(total, group, cents)
    return total


def _covering(start: np.ndarray, end: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the interval [start, end) holding it (ends ascending) and whether there is one."""
    if not len(end):
        return np.zeros(len(points), dtype="int64"), np.zeros(len(points), dtype=bool)
    at = np.searchsorted(end, points, side="right")
    inside = at < len(end)
    at = np.where(inside, at, 0)
    return at, inside & (start[at] <= points)


def _pay(number: Any, left: int, index: int, balance: dict[Any, int], allocations: list[Allocation],
         cleared: dict[Any, int]) -> int:
    used = min(left, balance[number])
    balance[number] -= used
    allocations.append(Allocation(index, number, used))
    if balance[number] == 0:
        cleared[number] = index
    return left - used
