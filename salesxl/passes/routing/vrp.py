"""Days chosen by a vehicle-routing solver: each working week of a salesperson is one VROOM problem.

The days of the week are the vehicles (from the start point and back, at most
`max_visits` stops, inside the working minutes); each visit due that week is a
job whose skills name the days it may take. A customer's first visit of the
horizon may take any day of its week; later visits take the same weekday or
one either side, so visits stay about `interval` weeks apart. Higher grades get
a higher VROOM priority, so the solver fills the room with them first; strict
priority is enforced afterwards by the day plan (`DayPlan.place_by_priority`).
A fixed exploration level keeps the plan deterministic; the number of threads
changes only the time, not the plan (VROOM runs the same independent searches
side by side and keeps the best one), so a week uses the cores `threads()` gives.
"""

from __future__ import annotations

import math
import os

import numpy as np

EXPLORATION = 1  # VROOM search level per week: on benchmarks/bench_days.py level 0 left one week 10 % longer than
# level 5 (1.2 % over the office); level 1 is within 0.2 % of level 5 over the office in a tenth of its time
THREADS_VARIABLE = "SALESXL_SOLVER_THREADS"


def threads() -> int:
    """Cores a week's search may use: SALESXL_SOLVER_THREADS when set (a batch gives each of its processes one,
    so processes do not fight over cores), else up to four."""
    configured = os.environ.get(THREADS_VARIABLE, "")
    return max(1, int(configured)) if configured.isdigit() else max(1, min(4, os.cpu_count() or 1))
PRIORITY_STEP = 15  # VROOM priority lost per rank (A 100, B 85, ... prospects from 25)


def allowed_positions(first: int | None, n_days: int, first_week_days: int) -> list[int]:
    """Day positions inside a week a visit may take: any for a first visit, else the first visit's weekday
    (scaled to this week's length) and one either side."""
    if first is None:
        return list(range(n_days))
    centre = min(n_days - 1, round(first * (n_days - 1) / max(1, first_week_days - 1))) if n_days > 1 else 0
    return [p for p in (centre - 1, centre, centre + 1) if 0 <= p < n_days]


def priority(rank: float) -> int:
    """VROOM priority (0..100) from a visit's rank (0: grade A)."""
    return int(max(0, min(100, round(100 - PRIORITY_STEP * rank))))


def solve_week(matrix: np.ndarray, seconds_per_metre: float, visit_seconds: int, working_seconds: int,
               max_visits: int, n_days: int, jobs: list[tuple[int, list[int], int]],
               exploration: int = EXPLORATION) -> tuple[list[list[int]], list[int]]:
    """Day tours (matrix nodes, start point 0 left out) for `n_days` days and the jobs left unassigned.

    `jobs` holds (node, allowed day positions, VROOM priority); `matrix` whole metres with node 0 the start.
    """
    import vroom

    tours: list[list[int]] = [[] for _ in range(n_days)]
    if not jobs:
        return tours, []
    nodes = sorted({0, *(node for node, _, _ in jobs)})
    local = {node: i for i, node in enumerate(nodes)}
    sub = np.asarray(matrix, dtype=np.int64)[np.ix_(nodes, nodes)]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=np.ceil(sub * seconds_per_metre).astype(np.int64))
    problem.set_costs_matrix(profile="car", matrix_input=sub)
    sets = sorted({tuple(days) for _, days, _ in jobs})
    skill = {days: i for i, days in enumerate(sets)}
    for day in range(n_days):
        problem.add_vehicle(vroom.Vehicle(
            day, start=0, end=0, max_tasks=max_visits, max_distance=None,
            skills={skill[s] for s in sets if day in s}, time_window=vroom.TimeWindow(0, working_seconds)))
    problem.add_job([vroom.Job(k, location=local[node], default_service=visit_seconds,
                               skills={skill[tuple(days)]}, priority=prio)
                     for k, (node, days, prio) in enumerate(jobs)])
    routes = problem.solve(exploration_level=exploration, nb_threads=threads()).routes
    served = routes[routes["type"] == "job"]
    done = set()
    for day, job in zip(served["vehicle_id"].astype(int), served["id"].astype(int)):
        tours[day].append(jobs[job][0])
        done.add(job)
    day_skills = [frozenset(skill[s] for s in sets if day in s) for day in range(n_days)]
    need = {node: skill[tuple(days)] for node, days, _ in jobs}
    return canonical(tours, day_skills, need, matrix), [k for k in range(len(jobs)) if k not in done]


def canonical(tours: list[list[int]], day_skills: list[frozenset[int]], need: dict[int, int],
              matrix: np.ndarray) -> list[list[int]]:
    """VROOM breaks ties between a route and its reverse, and between days a route may equally take,
    differently from run to run: take the shorter direction (the smaller stops first on a tie) and give the
    routes, in order of their stops, the earliest days they may take (a bipartite matching), so a plan is the
    same every time."""
    m = np.asarray(matrix)

    def length(tour: list[int]) -> int:
        nodes = np.asarray([0, *tour, 0])
        return int(m[nodes[:-1], nodes[1:]].sum())

    routes = sorted(min((t, t[::-1]), key=lambda o: (length(o), o)) for t in tours if t)
    options = [[d for d, have in enumerate(day_skills) if {need[n] for n in r} <= have] for r in routes]
    holder: dict[int, int] = {}  # day -> route

    def take(r: int, tried: set[int]) -> bool:
        for d in options[r]:
            if d not in tried:
                tried.add(d)
                if d not in holder or take(holder[d], tried):
                    holder[d] = r
                    return True
        return False

    if not all(take(r, set()) for r in range(len(routes))):
        return tours
    out: list[list[int]] = [[] for _ in tours]
    for d, r in holder.items():
        out[d] = routes[r]
    return out


def week_seconds(minutes_per_metre: float, visit_minutes: float, working_minutes: float) -> tuple[float, int, int]:
    """Seconds per metre, per visit and per working day; rounded so a route VROOM accepts keeps the day limits."""
    return minutes_per_metre * 60.0, int(math.ceil(visit_minutes * 60)), int(math.floor(working_minutes * 60))
