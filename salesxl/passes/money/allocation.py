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


def _pay(number: Any, left: int, index: int, balance: dict[Any, int], allocations: list[Allocation],
         cleared: dict[Any, int]) -> int:
    used = min(left, balance[number])
    balance[number] -= used
    allocations.append(Allocation(index, number, used))
    if balance[number] == 0:
        cleared[number] = index
    return left - used
