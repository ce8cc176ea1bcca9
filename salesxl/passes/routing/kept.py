"""A salesperson's day plan made once per input: recalculating a workbook whose planning inputs did not change
takes the plan it made last time instead of solving again.

`plan_days` is deterministic (same inputs, same plan), and solving it is most of a
recalculation's time, though a click usually changes an order or a visit report,
not who is visited when. The inputs (the distance matrix, sweep positions,
intervals, ranks, weeks, limits, method), the routing code and the VROOM version
make the key; one salesperson's edit replans that salesperson only. The plan is
kept as JSON and checked on reading, so a damaged entry only means solving again.
"""

from __future__ import annotations

import json
from dataclasses import astuple
from functools import cache as once
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from salesxl.core import cache
from salesxl.passes.routing.assign import DayLimits, Unplaced, plan_days

KEEP = 2_000  # salesperson plans kept (a few KB each); the oldest go first


@once
def _code() -> str:
    try:
        solver = version("pyvroom")
    except PackageNotFoundError:
        solver = "none"
    return cache.key_of(cache.source_digest(*Path(__file__).parent.glob("*.py")), solver)


def _array(values: np.ndarray) -> bytes:
    values = np.ascontiguousarray(values)
    return f"{values.dtype.str}{values.shape}".encode() + values.tobytes()


def kept_plan_days(matrix: np.ndarray, position: np.ndarray, interval: np.ndarray, weeks: list[list[int]],
                   limits: DayLimits, method: str = "auto",
                   rank: np.ndarray | None = None) -> tuple[list[list[int]], list[Unplaced]]:
    """`plan_days`, taken from the cache when these very inputs were planned before."""
    n = len(position)
    key = cache.key_of("plan_days 1", _code(), _array(matrix), _array(position), _array(interval),
                       b"" if rank is None else _array(rank), repr(weeks), repr(astuple(limits)), method)

    def make() -> bytes:
        routes, unplaced = plan_days(matrix, position, interval, weeks, limits, method, rank)
        return json.dumps({"routes": [[int(c) for c in route] for route in routes], "unplaced": [astuple(u) for u in unplaced]}).encode()

    def valid(data: bytes) -> bool:
        try:
            plan = json.loads(data)
            routes, unplaced = plan["routes"], plan["unplaced"]
            return (len(routes) == sum(len(w) for w in weeks)
                    and all(isinstance(c, int) and 0 <= c < n for route in routes for c in route)
                    and all(len(u) == 3 and all(isinstance(x, int) for x in u) for u in unplaced))
        except (ValueError, KeyError, TypeError):
            return False

    plan = json.loads(cache.kept("plans", key, make, valid, KEEP))
    return plan["routes"], [Unplaced(*u) for u in plan["unplaced"]]
