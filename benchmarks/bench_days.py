"""Days chosen by the planner against VROOM on each salesperson-week, on a generated office.

1,000 customers clustered around Guangzhou's business hubs, 8 salespeople who
all start from the office, one working week of 5 days, at most 25 visits a day,
every customer visited once. The territories are the ones salesxl proposes
(`salesxl territories`: `passes/routing/territories.propose`, workload = visit
minutes plus each day region's drive from the office, no territory over its
125 visits, workloads and drives within ±`territory_tolerance` of the mean, the setting's default unless given,
each territory measured by the day planner with the 600-minute day), so the balance printed is the one the
product gives. Prints, per salesperson and in total: the planner's
km, VROOM's km (exploration 5, the same limits), the gap, and the time taken;
then the weekly km balance (max/min over salespeople).

Usage: PYTHONPATH=. python benchmarks/bench_days.py [SEED] [TOLERANCE]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from salesxl.demo import geo
from salesxl.passes.routing.assign import DayLimits, plan_days, sweep_positions
from salesxl.passes.routing.cluster import local_xy
from salesxl.passes.routing.geo import bearing, metres, road_matrix
from salesxl.passes.routing.territories import Workload, propose
from salesxl.passes.routing.vrp import solve_week, week_seconds
from salesxl.schema.settings import RouteSettings

CUSTOMERS, SALESPEOPLE, DAYS, VISITS = 1_000, 8, 5, 25
VISIT_MINUTES, WORKING_MINUTES, SPEED_KMH, ROAD_FACTOR = 10.0, 600.0, 25.0, 1.3
TOLERANCE, MOVE_KM = RouteSettings().territory_tolerance, RouteSettings().territory_move_km  # the defaults


def office(seed: int, tolerance: float = TOLERANCE) -> tuple[list[tuple[np.ndarray, np.ndarray]], float]:
    """Per salesperson: (lat, lon) with the office (every start point) first, then its customers, in the
    territories salesxl proposes; and the seconds the proposal took."""
    rng = np.random.default_rng(seed)
    shares = np.array([d.share for d in geo.DISTRICTS])
    lat, lon = geo.place(rng, rng.choice(len(shares), CUSTOMERS, p=shares / shares.sum()))
    _, lat0, lon0 = geo.OFFICE
    started = time.perf_counter()
    work = Workload(np.ones(CUSTOMERS), VISIT_MINUTES, 60.0 / SPEED_KMH, 1, VISITS, np.full(SALESPEOPLE, DAYS * VISITS),
                    WORKING_MINUTES, DAYS)
    zone = propose(local_xy(lat, lon, lat0, lon0), work, np.full(CUSTOMERS, -1), SALESPEOPLE,
                   movable=np.ones(CUSTOMERS, dtype=bool), bases=[np.zeros(2)] * SALESPEOPLE,
                   road_factor=ROAD_FACTOR, tolerance=tolerance, move_penalty_km=MOVE_KM).assign
    took = time.perf_counter() - started
    return [(np.r_[lat0, lat[zone == z]], np.r_[lon0, lon[zone == z]]) for z in range(SALESPEOPLE)], took


def tour_km(matrix: np.ndarray, tour: list[int]) -> float:
    nodes = np.asarray([0, *tour, 0])
    return float(matrix[nodes[:-1], nodes[1:]].sum()) / 1000


def main(seed: int = 1, tolerance: float = TOLERANCE) -> None:
    limits = DayLimits(VISITS, WORKING_MINUTES, VISIT_MINUTES, 60.0 / (SPEED_KMH * 1000.0))
    per_metre, visit_s, day_s = week_seconds(limits.minutes_per_metre, VISIT_MINUTES, WORKING_MINUTES)
    rows, ours_s, ours_cpu, vroom_s = [], 0.0, 0.0, 0.0
    territories, proposing = office(seed, tolerance)
    for lat, lon in territories:
        m = metres(road_matrix(lat, lon, ROAD_FACTOR))
        n = len(lat) - 1
        started, cpu = time.perf_counter(), time.process_time()
        position = sweep_positions(bearing(lat[0], lon[0], lat[1:], lon[1:]), np.zeros(n, dtype=int), np.ones(n))
        routes, left = plan_days(m, position, np.ones(n, dtype=int), [list(range(DAYS))], limits)
        ours_s += time.perf_counter() - started
        ours_cpu += time.process_time() - cpu
        started = time.perf_counter()
        tours, unassigned = solve_week(m, per_metre, visit_s, day_s, VISITS, DAYS,
                                       [(c, list(range(DAYS)), 0) for c in range(1, n + 1)], exploration=5)
        vroom_s += time.perf_counter() - started
        ours = sum(tour_km(m, [c + 1 for c in r]) for r in routes)
        theirs = sum(tour_km(m, t) for t in tours)
        rows.append((n, ours, theirs, len(left), len(unassigned)))
    print(f"{'salesperson':>11} {'customers':>9} {'planner km':>10} {'VROOM-5 km':>10} {'gap':>7} {'left out':>8}")
    for i, (n, ours, theirs, left, unassigned) in enumerate(rows, start=1):
        print(f"{'S%02d' % i:>11} {n:>9} {ours:>10.1f} {theirs:>10.1f} {100 * (ours / theirs - 1):>6.2f}% "
              f"{left:>4}/{unassigned:<3}")
    ours, theirs = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'total':>11} {sum(r[0] for r in rows):>9} {ours:>10.1f} {theirs:>10.1f} {100 * (ours / theirs - 1):>6.2f}%")
    weekly = [r[1] for r in rows]
    print(f"territories proposed in {proposing:.2f} s (tolerance {tolerance:.0%})")
    print(f"time: planner {ours_s:.2f} s for the office ({ours_cpu:.2f} s CPU), VROOM-5 per salesperson-week {vroom_s:.2f} s")
    print(f"weekly km balance max/min: planner {max(weekly) / min(weekly):.3f}, "
          f"VROOM-5 {max(r[2] for r in rows) / min(r[2] for r in rows):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1, float(sys.argv[2]) if len(sys.argv) > 2 else TOLERANCE)
