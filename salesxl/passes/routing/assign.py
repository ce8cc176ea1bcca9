"""Visits → working days: a routing solver per week, or swept day sectors with limit repair and balance.

Each customer gets a place on a sweep around the salesperson's start point
(regions in angular order, customers by angle inside a region); customers seen
every few weeks take the phase (week) that keeps days even. With VROOM
installed, each week's days are then chosen by VROOM (see `vrp`): days are
vehicles, visits are jobs, so a day is whatever group of visits drives least,
not a bearing wedge. Without it, a day covers one slice of the sweep and
visits move between days of the same week: first out of days that break a
limit (visits, working minutes), then off the heaviest day while that lowers
it, each time the move that adds the least distance; a day whose visits all
fit into other days for less driving is emptied. A visit that fits nowhere is
returned as unplaced, never dropped. Last, left-out visits take the place of
lower-priority visits on the days they may take, so no visit waits while a
lower grade holds its room.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesxl.passes.routing.frequency import visit_number, visit_weeks
from salesxl.passes.routing.improve import improve
from salesxl.passes.routing.solver import available, nearest_neighbour_tour, solve_tour, tour_length as tour_metres
from salesxl.passes.routing.vrp import allowed_positions, priority, solve_week, week_seconds

EPS = 1e-6
MIN_GAIN_MINUTES = 1.0  # a balancing move must lower the heaviest day by at least this much


@dataclass(frozen=True)
class DayLimits:
    max_visits: int
    working_minutes: float
    visit_minutes: float
    minutes_per_metre: float


@dataclass(frozen=True)
class Unplaced:
    customer: int  # index into the salesperson's customers
    number: int  # 1-based visit number in the horizon
    week: int  # 0-based working week


def unwrap(angle: np.ndarray) -> np.ndarray:
    """Angles shifted into [0, 2π) so the widest empty gap between them falls at 0."""
    if len(angle) < 2:
        return np.zeros(len(angle))
    ordered = np.sort(angle)
    gaps = np.diff(np.append(ordered, ordered[0] + 2 * np.pi))
    cut = ordered[(int(np.argmax(gaps)) + 1) % len(ordered)]
    return np.mod(angle - cut, 2 * np.pi)


def sweep_positions(angle: np.ndarray, zone: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each customer's place in [0, 1) along the sweep, spaced by its share of the weekly workload."""
    n = len(angle)
    if n == 0:
        return np.zeros(0)
    zones = np.unique(zone)
    centre = {z: np.arctan2(np.sin(angle[zone == z]).mean(), np.cos(angle[zone == z]).mean()) for z in zones}
    zone_turn = dict(zip(zones, unwrap(np.array([centre[z] for z in zones]))))
    inner = np.empty(n)
    for z in zones:
        members = zone == z
        inner[members] = unwrap(angle[members])
    rank = np.array([zone_turn[z] for z in zone])
    order = np.lexsort((np.arange(n), inner, rank))
    cumulative = np.cumsum(weight[order]) - weight[order] / 2
    position = np.empty(n)
    position[order] = cumulative / weight.sum()
    return position


class DayPlan:
    """The tours of one salesperson's working days (nodes of the full matrix; node 0 is the start)."""

    def __init__(self, matrix: np.ndarray, weeks: list[list[int]], limits: DayLimits, interval: np.ndarray,
                 rank: np.ndarray | None = None):
        self.m = matrix
        self.limits = limits
        self.interval = interval
        self.rank = np.asarray(interval if rank is None else rank)  # priority per customer, 0 highest
        n_days = sum(len(w) for w in weeks)
        self.week_of = np.zeros(n_days, dtype=int)
        for w, days in enumerate(weeks):
            self.week_of[days] = w
        self.weeks = weeks
        self.tours: list[list[int]] = [[0] for _ in range(n_days)]
        self._window: dict[tuple[int, int], list[int]] = {}
        self._minutes: dict[int, float] = {}

    def metres(self, day: int) -> float:
        t = np.asarray(self.tours[day])
        return float(self.m[t, np.roll(t, -1)].sum())

    def minutes(self, day: int) -> float:
        if day not in self._minutes:
            lim = self.limits
            stops = len(self.tours[day]) - 1
            self._minutes[day] = self.metres(day) * lim.minutes_per_metre + lim.visit_minutes * stops
        return self._minutes[day]

    def fits(self, day: int, minutes: float, stops: int) -> bool:
        return stops <= self.limits.max_visits and minutes <= self.limits.working_minutes + EPS

    def removal(self, day: int, k: int) -> float:
        """Metres saved by taking the stop at position k out of the day's tour."""
        t = self.tours[day]
        p, x, q = t[k - 1], t[k], t[(k + 1) % len(t)]
        return float(self.m[p, x] + self.m[x, q] - self.m[p, q])

    def insertion(self, day: int, node: int) -> tuple[float, int]:
        """Cheapest extra metres to add `node` to the day's tour, and the position it goes to."""
        t = np.asarray(self.tours[day])
        nxt = np.roll(t, -1)
        extra = self.m[t, node] + self.m[node, nxt] - self.m[t, nxt]
        k = int(np.argmin(extra))
        return float(extra[k]), k + 1

    def reoptimise(self, day: int) -> None:
        """Local search without kicks: cheap enough to run after every move."""
        self._minutes.pop(day, None)
        nodes = self.tours[day]
        if len(nodes) > 4:
            order = improve(self.m[np.ix_(nodes, nodes)], list(range(len(nodes))), kicks=0)
            self.tours[day] = [nodes[i] for i in order]

    def move(self, src: int, k: int, dst: int, at: int) -> None:
        node = self.tours[src].pop(k)
        self.tours[dst].insert(at, node)
        for day in (src, dst):
            self.reoptimise(day)

    def window(self, node: int, day: int) -> list[int]:
        """The days this customer's visit on `day` may move to: every day of its group of weeks."""
        key = (node, int(self.week_of[day]))
        if key not in self._window:
            group = next(g for g in visit_weeks(int(self.interval[node - 1]), len(self.weeks)) if key[1] in g)
            self._window[key] = [d for w in group for d in self.weeks[w]]
        return self._window[key]

    def best_move(self, src: int, accept) -> tuple[float, int, int, int] | None:
        """The cheapest move of a stop from `src` to another day of its visit window that `accept` allows."""
        lim = self.limits
        before = self.minutes(src)
        best = None
        for k in range(1, len(self.tours[src])):
            saved = self.removal(src, k)
            src_after = before - saved * lim.minutes_per_metre - lim.visit_minutes
            for dst in self.window(self.tours[src][k], src):
                if (dst == src or len(self.tours[dst]) > lim.max_visits
                        or self.minutes(dst) + lim.visit_minutes > lim.working_minutes):
                    continue
                extra, at = self.insertion(dst, self.tours[src][k])
                dst_after = self.minutes(dst) + extra * lim.minutes_per_metre + lim.visit_minutes
                added = (extra - saved) * lim.minutes_per_metre
                if self.fits(dst, dst_after, len(self.tours[dst])) and accept(src_after, dst_after, added):
                    candidate = (extra - saved, k, dst, at)
                    if best is None or candidate < best:
                        best = candidate
        return best

    def repair(self, unplaced: list[tuple[int, int]]) -> None:
        """Move stops out of days over a limit; where no other day has room, the lowest-priority
        (lowest-grade) customer's visit that saves the most is taken off the plan."""
        while True:
            over = [d for d in range(len(self.tours)) if not self.fits(d, self.minutes(d), len(self.tours[d]) - 1)]
            if not over:
                return
            day = max(over, key=lambda d: (self.minutes(d), -d))
            found = self.best_move(day, lambda *_: True)
            if found is not None:
                _, k, dst, at = found
                self.move(day, k, dst, at)
                continue
            tour = self.tours[day]
            k = max(range(1, len(tour)), key=lambda i: (self.rank[tour[i] - 1], self.removal(day, i), -i))
            unplaced.append((tour.pop(k), day))
            self.reoptimise(day)

    def consolidate(self) -> None:
        """Empty a day into the other days of its visits' windows when that shortens the total distance
        and no day ends up longer than the longest day already is."""
        for day in sorted(range(len(self.tours)), key=lambda d: (len(self.tours[d]), d)):
            if len(self.tours[day]) == 1:
                continue
            ceiling = max(self.minutes(d) for d in range(len(self.tours)))
            saved_tours = [list(t) for t in self.tours]
            before = sum(self.metres(d) for d in range(len(self.tours)))
            moved = True
            while moved and len(self.tours[day]) > 1:
                found = self.best_move(day, lambda a, b, added: b <= ceiling)
                moved = found is not None
                if moved:
                    _, k, dst, at = found
                    self.move(day, k, dst, at)
            if len(self.tours[day]) > 1 or sum(self.metres(d) for d in range(len(self.tours))) >= before:
                self.tours = saved_tours
                self._minutes.clear()

    def fitting_insertion(self, day: int, node: int) -> tuple[float, int] | None:
        """Cheapest insertion of `node` into `day` that keeps both day limits, else None."""
        lim = self.limits
        if len(self.tours[day]) > lim.max_visits:
            return None
        extra, at = self.insertion(day, node)
        after = self.minutes(day) + extra * lim.minutes_per_metre + lim.visit_minutes
        return (extra, at) if after <= lim.working_minutes + EPS else None

    def make_room(self, day: int, node: int) -> list[int] | None:
        """The fewest lower-priority stops whose removal lets `node` into `day`
        (lowest priority first, then the stop that saves the most), or None when even that is not enough."""
        rank = self.rank
        own = rank[node - 1]
        saved_tour = list(self.tours[day])
        removed: list[int] = []
        try:
            while self.fitting_insertion(day, node) is None:
                tour = self.tours[day]
                lower = [k for k in range(1, len(tour)) if rank[tour[k] - 1] > own]
                if not lower:
                    return None
                k = max(lower, key=lambda i: (rank[tour[i] - 1], self.removal(day, i), -i))
                removed.append(tour.pop(k))
                self._minutes.pop(day, None)
            return removed
        finally:
            self.tours[day] = saved_tour
            self._minutes.pop(day, None)

    def place_by_priority(self, dropped: list[tuple[int, int]]) -> None:
        """Strict priority: a visit left out for room takes the place of lower-priority visits on a day of its
        window, and the visits it displaces are placed again or left out in turn, until no left-out visit fits.

        At the end every left-out visit fits no day of its window even with all lower-priority visits of that
        day taken off; displaced visits are always of a strictly lower priority, so the loop ends.
        """
        rank = self.rank
        changed: set[int] | None = None  # days that changed in the last round; None: all of them
        while changed is None or changed:
            touched: set[int] = set()
            kept = []
            for node, day in sorted(dropped, key=lambda v: (rank[v[0] - 1], self.week_of[v[1]], v[0])):
                window = self.window(node, day)
                if changed is not None and changed.isdisjoint(window):
                    kept.append((node, day))  # nothing it could take has changed since it last failed
                    continue
                placed = self.place(node, window)
                if placed is None:
                    kept.append((node, day))
                    continue
                dst, displaced = placed
                touched.add(dst)
                kept.extend((n, dst) for n in displaced)
            dropped[:] = kept
            changed = touched

    def place(self, node: int, window: list[int]) -> tuple[int, list[int]] | None:
        """Put `node` on the day of `window` where it fits for the least driving, else where it displaces only
        the lowest-priority visits; returns the day and the displaced visits, or None when it fits nowhere."""
        free = [(found[0], d, found[1]) for d in window if (found := self.fitting_insertion(d, node))]
        if free:
            _, dst, at = min(free)
            out: list[int] = []
        else:
            own = self.rank[node - 1]
            options = [(-float(self.rank[np.asarray(out) - 1].min()), len(out), d, out) for d in window
                       if (self.rank[np.asarray(self.tours[d][1:], dtype=int) - 1] > own).any()
                       and (out := self.make_room(d, node))]
            if not options:
                return None
            _, _, dst, out = min(options, key=lambda o: o[:3])
            for n in out:
                self.tours[dst].remove(n)
            self._minutes.pop(dst, None)
            _, at = self.insertion(dst, node)
        self.tours[dst].insert(at, node)
        self.reoptimise(dst)
        return dst, out

    def balance(self) -> None:
        """Move stops off the heaviest day while that lowers it by more than the extra driving it costs."""
        days = range(len(self.tours))
        for _ in range(4 * sum(len(t) for t in self.tours)):
            heaviest = max(days, key=lambda d: (self.minutes(d), -d))
            top = self.minutes(heaviest)
            found = self.best_move(
                heaviest, lambda a, b, added: max(a, b) < top - MIN_GAIN_MINUTES and added <= top - max(a, b))
            if found is None:
                return
            _, k, dst, at = found
            self.move(heaviest, k, dst, at)


def plan_days(matrix: np.ndarray, position: np.ndarray, interval: np.ndarray, weeks: list[list[int]],
              limits: DayLimits, method: str = "auto",
              rank: np.ndarray | None = None) -> tuple[list[list[int]], list[Unplaced]]:
    """Each working day's customers in visiting order, and the visits that fit no day.

    `matrix` holds whole metres between the start point (node 0) and the customers (node i + 1);
    `position` is each customer's place on the sweep, `interval` its weeks between visits, `rank` its
    priority (0 highest: grade A; the interval when not given). With VROOM installed (and a method other
    than the library-free "numpy") each week's days are chosen by VROOM; else by the sweep and local moves.
    """
    plan = DayPlan(matrix, weeks, limits, interval, rank)
    visits = first_days(plan, position)
    dropped: list[tuple[int, int]] = []
    by_solver = method != "numpy" and available("vroom")
    (solver_days if by_solver else sweep_days)(plan, visits, dropped)
    for day, nodes in enumerate(plan.tours):
        sub = matrix[np.ix_(nodes, nodes)]
        order = improve(sub, list(range(len(nodes))), kicks=0) if by_solver else solve_tour(sub, method)
        solved = [nodes[i] for i in order]
        if tour_metres(matrix, solved) < tour_metres(matrix, nodes):
            plan.tours[day] = solved
    plan._minutes.clear()
    plan.place_by_priority(dropped)
    routes = [[node - 1 for node in tour[1:]] for tour in plan.tours]
    unplaced = [Unplaced(node - 1, visit_number(int(interval[node - 1]), len(weeks), int(plan.week_of[day])),
                         int(plan.week_of[day])) for node, day in dropped]
    return routes, sorted(unplaced, key=lambda u: (u.week, u.customer))


def first_days(plan: DayPlan, position: np.ndarray) -> list[tuple[int, list[int]]]:
    """Per customer, the day of each required visit on its sweep slice, with the phase (for customers seen
    every few weeks) that keeps the estimated day loads even; the week of each visit is kept by both planners."""
    matrix, limits, interval, weeks = plan.m, plan.limits, plan.interval, plan.weeks
    load = np.zeros(len(plan.tours))  # estimated minutes: visits plus the detour to reach each one
    taken: list[list[int]] = [[0] for _ in plan.tours]
    visits = []

    def added(c: int, day: int) -> float:
        nearest = matrix[c + 1, taken[day]].min()
        return limits.visit_minutes + 2 * nearest * limits.minutes_per_metre

    for c in np.lexsort((np.arange(len(interval)), position, interval)):
        groups = visit_weeks(int(interval[c]), len(weeks))
        if not groups:
            continue
        natural = [[_slot(weeks[w], position[c]) for w in g] for g in groups]

        def score(p: int) -> tuple[float, float, int]:
            after = [load[n[p]] + added(c, n[p]) for n in natural]
            return max(after), sum(after), p

        phase = min(range(min(len(g) for g in groups)), key=score)
        for slots in natural:
            load[slots[phase]] += added(c, slots[phase])
            taken[slots[phase]].append(int(c) + 1)
        visits.append((int(c), [slots[phase] for slots in natural]))
    return visits


def sweep_days(plan: DayPlan, visits: list[tuple[int, list[int]]], dropped: list[tuple[int, int]]) -> None:
    """Days as sweep slices, then limit repair, consolidation and workload balance by moving single visits."""
    for c, slots in visits:
        for day in slots:
            plan.tours[day].append(c + 1)
    for day, nodes in enumerate(plan.tours):
        order = nearest_neighbour_tour(plan.m[np.ix_(nodes, nodes)])
        plan.tours[day] = [nodes[i] for i in order]
        plan.reoptimise(day)
    plan.repair(dropped)
    plan.consolidate()
    plan.balance()


def solver_days(plan: DayPlan, visits: list[tuple[int, list[int]]], dropped: list[tuple[int, int]]) -> None:
    """Each week's visits routed over its days by VROOM (see `vrp`); visits it cannot fit are `dropped`."""
    lim = plan.limits
    per_metre, visit_s, day_s = week_seconds(lim.minutes_per_metre, lim.visit_minutes, lim.working_minutes)
    due: list[list[int]] = [[] for _ in plan.weeks]
    for c, slots in visits:
        for day in slots:
            due[int(plan.week_of[day])].append(c)
    first: dict[int, tuple[int, int]] = {}  # customer -> (day position in its week, week length) of its first visit
    for w, days in enumerate(plan.weeks):
        jobs = []
        for c in sorted(due[w]):
            seen = first.get(c)
            allowed = allowed_positions(None if seen is None else seen[0], len(days),
                                        len(days) if seen is None else seen[1])
            jobs.append((c + 1, allowed, priority(float(plan.rank[c]))))
        tours, left = solve_week(plan.m, per_metre, visit_s, day_s, lim.max_visits, len(days), jobs)
        for p, tour in enumerate(tours):
            plan.tours[days[p]] = [0] + tour
            for node in tour:
                first.setdefault(node - 1, (p, len(days)))
        dropped.extend((jobs[k][0], days[jobs[k][1][0]]) for k in left)
    plan._minutes.clear()


def _slot(days: list[int], position: float) -> int:
    """The day of a working week whose sweep slice holds `position`."""
    return days[min(int(position * len(days)), len(days) - 1)]
