"""Balanced territories: customers to salespeople, compact, workloads within a band, few moves.

A capacitated k-medoids seeded from the current territories. Each territory
has a centre (its weighted medoid); a customer costs the kilometres from it to
its territory's centre per visit, plus a penalty when it leaves its current
salesperson, so the office keeps most assignments. Workloads (visit minutes
plus the travel to the centre) are pushed into the band of ±`tolerance` around
the mean by moving the cheapest customers off the heaviest territory (or onto
the lightest); then relocations and pairwise swaps that lower the cost are
made while both territories stay in the band. No territory takes more visits
than its salesperson's days hold (`Workload.capacity`).

The centre distance counts a territory as one blob, which a salesperson's week
is not: each day covers one region. So with `Workload.day_visits` the k-medoids
only shapes compact territories (no band), then each territory is cut into day
regions (`day_regions`) and whole regions, then single customers, move or swap
between territories until every workload, now with each region's real day drive
from the salesperson's start point, is in the band: a far region and some near
ones make a week as long as a middle territory's. Once the workloads are in the
band, the exchanges that lower the heaviest by more than they add (driving and
moves) go on until the drive too is within ±`tolerance` (`drive_band`): visit
minutes are alike wherever a customer goes, so equal workloads alone would let
the km differ by a third. With `Workload.working_minutes` and `days`, each
territory is then planned by the day planner (`assign.plan_days`, the routes
pass's own) and the region drives are scaled to what it really drives, then
balanced again, a couple of rounds (`measure_and_rebalance`): region tours miss
the planner's km by up to a fifth, and a day too long drops visits. Everything
is ordered by index on ties, so the same data gives the same territories.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesxl.passes.routing import day_regions
from salesxl.passes.routing.assign import DayLimits, plan_days, sweep_positions
from salesxl.passes.routing.workdays import split_weeks

ROUNDS = 8  # centre updates
MEASURE_ROUNDS = 2  # day-planner measurements the day regions are rebalanced on
SWAP_CANDIDATES = 40  # customers per territory pair tried for swaps


@dataclass(frozen=True)
class Workload:
    """What one customer costs: visits per plan, minutes per visit, minutes per km of travel."""

    visits: np.ndarray  # visits per plan per customer (0: on demand)
    visit_minutes: float
    minutes_per_km: float
    weeks: int = 1  # working weeks in the plan
    day_visits: int = 0  # visits a salesperson makes in a day; 0: no day regions, centre distance only
    capacity: np.ndarray | None = None  # visits per plan each territory's days hold (None: no limit; scaled
    #                                     up alike when the office needs more visits than all of them hold)
    working_minutes: float = 0.0  # a day's length; with `days`, territories are measured by the day planner
    days: int = 0  # working days in the plan
    interval: np.ndarray | None = None  # weeks between visits per customer (None: from the visits per plan)


def centre_km(xy: np.ndarray, centres: np.ndarray, road_factor: float) -> np.ndarray:
    """Road km from every customer (rows) to every centre (columns)."""
    return np.sqrt(((xy[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)) * road_factor


def medoid(xy: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The member point with the least weighted distance to the others (the mean point when there are many)."""
    if len(xy) > 1500:
        mean = (xy * weight[:, None]).sum(axis=0) / weight.sum()
        return xy[int(np.argmin(((xy - mean) ** 2).sum(axis=1)))]
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return xy[int(np.argmin(d @ weight))]


class Territories:
    """The assignment being improved and the loads and costs it implies."""

    def __init__(self, xy: np.ndarray, work: Workload, current: np.ndarray, centres: np.ndarray,
                 free: np.ndarray, road_factor: float, tolerance: float, move_penalty_km: float):
        self.xy, self.work, self.current, self.free = xy, work, current, free
        self.road, self.tolerance, self.penalty = road_factor, tolerance, move_penalty_km
        self.k = len(centres)
        self.weight = np.maximum(work.visits, 0).astype(float)
        self.cap = np.full(self.k, np.inf) if work.capacity is None else np.asarray(work.capacity, dtype=float)
        if np.isfinite(self.cap).all() and self.cap.sum() > 0:  # an office over its capacity: all equally over
            self.cap = self.cap * max(1.0, self.weight.sum() / self.cap.sum())
        self.assign = current.copy()
        self.set_centres(centres)

    def set_centres(self, centres: np.ndarray) -> None:
        self.centres = centres
        self.km = centre_km(self.xy, centres, self.road)
        moved = np.ones((len(self.xy), self.k), dtype=bool)
        valid = self.current >= 0
        moved[np.flatnonzero(valid), self.current[valid]] = False
        # cost per customer per territory: km per plan, plus the move penalty (a customer with no
        # planned visit still counts one visit, so it joins a near territory too)
        self.cost = (self.km + self.penalty * moved) * np.maximum(self.weight, 1.0)[:, None]
        self.load_of = self.weight[:, None] * (self.work.visit_minutes + self.km * self.work.minutes_per_km)

    def loads(self) -> np.ndarray:
        out = np.zeros(self.k)
        np.add.at(out, self.assign, self.load_of[np.arange(len(self.assign)), self.assign])
        return out

    def visit_totals(self) -> np.ndarray:
        out = np.zeros(self.k)
        np.add.at(out, self.assign[self.assign >= 0], self.weight[self.assign >= 0])
        return out

    def band(self) -> tuple[float, float]:
        mean = self.loads().sum() / self.k
        return mean * (1 - self.tolerance), mean * (1 + self.tolerance)

    def update_centres(self) -> None:
        centres = self.centres.copy()
        for t in range(self.k):
            members = np.flatnonzero(self.assign == t)
            if len(members):
                centres[t] = medoid(self.xy[members], np.maximum(self.weight[members], 1.0))
        self.set_centres(centres)

    def balance(self) -> None:
        """Move customers off territories above the band and onto those below it, cheapest first."""
        rows = np.arange(len(self.assign))
        for _ in range(4 * len(self.assign) + 10):
            loads = self.loads()
            low, high = self.band()
            heavy, light = int(np.argmax(loads)), int(np.argmin(loads))
            here = self.load_of[rows, self.assign]
            delta = self.cost - self.cost[rows, self.assign][:, None]
            if loads[heavy] > high:  # out of the heaviest, into any territory that stays under the band top
                ok = (self.assign == heavy)[:, None] & self.free[:, None] & (loads[None, :] + self.load_of <= high)
                ok[:, heavy] = False
            elif loads[light] < low:  # into the lightest, from any territory that stays above the band bottom
                ok = np.zeros_like(delta, dtype=bool)
                ok[:, light] = self.free & (self.assign != light) & (loads[self.assign] - here >= low)
            else:
                return
            ok &= self.weight[:, None] > 0
            ok &= self.visit_totals()[None, :] + self.weight[:, None] <= self.cap[None, :]
            if not ok.any():
                return
            score = np.where(ok, delta, np.inf)
            i, t = np.unravel_index(int(np.argmin(score)), score.shape)
            self.assign[i] = t

    def relocate(self) -> bool:
        """Move single customers to a territory that costs less, when both loads stay in the band."""
        improved = False
        low, high = self.band()
        loads = self.loads()
        visits = self.visit_totals()
        for i in np.flatnonzero(self.free):
            a = self.assign[i]
            gain = self.cost[i, a] - self.cost[i]
            for t in np.argsort(-gain, kind="stable"):
                if gain[t] <= 1e-9:
                    break
                if (loads[t] + self.load_of[i, t] <= high and loads[a] - self.load_of[i, a] >= low
                        and visits[t] + self.weight[i] <= self.cap[t]):
                    loads[t] += self.load_of[i, t]
                    loads[a] -= self.load_of[i, a]
                    visits[t] += self.weight[i]
                    visits[a] -= self.weight[i]
                    self.assign[i] = t
                    improved = True
                    break
        return improved

    def swap(self) -> bool:
        """Exchange two customers between territories when that lowers the cost and keeps both in the band."""
        improved = False
        low, high = self.band()
        loads = self.loads()
        visits = self.visit_totals()
        for a in range(self.k):
            for b in range(a + 1, self.k):
                ia = np.flatnonzero((self.assign == a) & self.free)
                ib = np.flatnonzero((self.assign == b) & self.free)
                if not len(ia) or not len(ib):
                    continue
                ga = self.cost[ia, a] - self.cost[ia, b]  # what moving each to the other side saves
                gb = self.cost[ib, b] - self.cost[ib, a]
                ia = ia[np.argsort(-ga, kind="stable")[:SWAP_CANDIDATES]]
                ib = ib[np.argsort(-gb, kind="stable")[:SWAP_CANDIDATES]]
                for i in ia:
                    for j in ib:
                        if self.assign[i] != a or self.assign[j] != b:
                            continue
                        gain = (self.cost[i, a] + self.cost[j, b]) - (self.cost[i, b] + self.cost[j, a])
                        if gain <= 1e-9:
                            continue
                        new_a = loads[a] - self.load_of[i, a] + self.load_of[j, a]
                        new_b = loads[b] - self.load_of[j, b] + self.load_of[i, b]
                        shift = self.weight[j] - self.weight[i]  # visits territory a gains
                        if (low <= new_a <= high and low <= new_b <= high
                                and visits[a] + shift <= self.cap[a] and visits[b] - shift <= self.cap[b]):
                            self.assign[i], self.assign[j] = b, a
                            loads[a], loads[b] = new_a, new_b
                            visits[a], visits[b] = visits[a] + shift, visits[b] - shift
                            improved = True
        return improved


def seed_centres(xy: np.ndarray, weight: np.ndarray, current: np.ndarray, k: int,
                 bases: list[np.ndarray | None]) -> np.ndarray:
    """A centre per territory: the medoid of its current customers, else the salesperson's base, else the
    customer farthest from every centre so far."""
    centres = np.full((k, 2), np.nan)
    for t in range(k):
        members = np.flatnonzero(current == t)
        if len(members):
            centres[t] = medoid(xy[members], np.maximum(weight[members], 1.0))
        elif bases[t] is not None:
            centres[t] = bases[t]
    for t in range(k):
        if np.isnan(centres[t]).any():
            known = centres[~np.isnan(centres).any(axis=1)]
            if len(known) == 0:
                centres[t] = xy[int(np.argmax(weight))] if len(xy) else (0.0, 0.0)
            else:
                far = np.sqrt(((xy[:, None, :] - known[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
                centres[t] = xy[int(np.argmax(far))]
    return centres


def assign_open(state: Territories) -> None:
    """Give each customer without a territory one: most-constrained first (largest regret), nearest
    territory with room whose load stays under the band top (when every territory is full, the nearest under
    the band top), else the least loaded."""
    open_ = np.flatnonzero(state.assign < 0)
    if not len(open_):
        return
    fixed = state.assign >= 0
    rows = np.arange(len(state.assign))
    loads = np.zeros(state.k)
    np.add.at(loads, state.assign[fixed], state.load_of[rows[fixed], state.assign[fixed]])
    visits = state.visit_totals()
    total = loads.sum() + state.load_of[open_].min(axis=1).sum()
    high = total / state.k * (1 + state.tolerance)
    ranked = np.sort(state.cost[open_], axis=1)
    regret = ranked[:, 1] - ranked[:, 0] if state.k > 1 else np.zeros(len(open_))
    for i in open_[np.lexsort((open_, -regret))]:
        order = np.argsort(state.cost[i], kind="stable")
        room = visits + state.weight[i] <= state.cap
        under = [t for t in order if loads[t] + state.load_of[i, t] <= high]
        fit = [t for t in under if room[t]] or ([] if room.any() else under)  # all full: the nearest in band
        t = fit[0] if fit else int(np.argmin(np.where(room, 0, 1) * 1e12 + loads + state.load_of[i]))
        state.assign[i] = t
        loads[t] += state.load_of[i, t]
        visits[t] += state.weight[i]


@dataclass
class Regions:
    """Day regions of a territory plan: which region each customer is in, whose each region is, and what a
    region costs in each territory (from that territory's start point)."""

    label: np.ndarray  # region per customer (-1: in none)
    owner: np.ndarray  # territory per region
    visits: np.ndarray  # visits per plan per region
    km: np.ndarray  # regions × territories: road km per plan
    load: np.ndarray  # regions × territories: workload minutes per plan
    rings: list[np.ndarray]  # each region's customers in the order of its closed tour
    scale: np.ndarray | None = None  # per region: km the day planner drives per km of the region's tour

    def loads(self) -> np.ndarray:
        out = np.zeros(self.km.shape[1])
        np.add.at(out, self.owner, self.load[np.arange(len(self.owner)), self.owner])
        return out

    def recost(self, r: int, xy: np.ndarray, work: Workload, starts: np.ndarray, road_factor: float) -> None:
        """Cost region `r` again after its members changed."""
        weight = np.maximum(work.visits, 0).astype(float)
        ring = self.rings[r]
        self.visits[r] = weight[ring].sum()
        driven = min(float(work.weeks), self.visits[r])  # a region is driven once in each week it has visits
        scale = 1.0 if self.scale is None else self.scale[r]
        self.km[r] = day_regions.ring_km(xy[ring], starts, road_factor) * driven * scale
        self.load[r] = self.visits[r] * work.visit_minutes + self.km[r] * work.minutes_per_km


def cut_regions(xy: np.ndarray, work: Workload, assign: np.ndarray, starts: np.ndarray,
                road_factor: float) -> Regions:
    """Each territory's customers cut into day regions, each costed from every territory's start point."""
    k = len(starts)
    weight = np.maximum(work.visits, 0).astype(float)
    label = np.full(len(assign), -1)
    owner, rings = [], []
    for t in range(k):
        members = np.flatnonzero(assign == t)
        local = day_regions.split(xy[members], weight[members] / max(1, work.weeks), work.day_visits)
        for z in np.unique(local):
            chosen = members[local == z]
            label[chosen] = len(owner)
            owner.append(t)
            _, order = day_regions.closed_tour(xy[chosen], road_factor)
            rings.append(chosen[order])
    n = len(owner)
    regions = Regions(label, np.asarray(owner, dtype=int), np.zeros(n), np.zeros((n, k)), np.zeros((n, k)), rings)
    for r in range(n):
        regions.recost(r, xy, work, starts, road_factor)
    return regions


def refine(regions: Regions, xy: np.ndarray, work: Workload, starts: np.ndarray, road_factor: float,
           free: np.ndarray, capacity: np.ndarray, tolerance: float, current: np.ndarray,
           move_minutes: float = 0.0, candidates: int = 12, paid: bool = False) -> None:
    """Single customers off the heaviest territory into a region of another (the nearest `candidates` of
    each, put into the region's tour where it adds least), while a workload is out of the band: each time the
    move that lowers the heaviest with the least larger resulting workload plus added workload (driving and
    moves). The fine steps whole regions are too coarse for."""
    weight = np.maximum(work.visits, 0).astype(float)
    k = len(starts)
    for _ in range(4 * len(regions.label) + 10):
        loads = regions.loads()
        mean = loads.sum() / k
        if loads.max() <= mean * (1 + tolerance) and loads.min() >= mean * (1 - tolerance):
            return
        h = int(np.argmax(loads))
        visits = np.zeros(k)
        np.add.at(visits, regions.owner, regions.visits)
        mine = np.flatnonzero(free & (regions.label >= 0) & (regions.owner[np.maximum(regions.label, 0)] == h))
        best = None
        for q in range(len(regions.owner)):
            t = regions.owner[q]
            ring = regions.rings[q]
            if t == h or not len(ring) or visits[t] >= capacity[t]:
                continue
            near = mine[np.argsort(np.sqrt(((xy[mine][:, None, :] - xy[ring][None, :, :]) ** 2).sum(axis=2))
                                   .min(axis=1), kind="stable")[:candidates]]
            for i in near:
                if visits[t] + weight[i] > capacity[t]:
                    continue
                r = regions.label[i]
                new_r = np.delete(regions.rings[r], np.flatnonzero(regions.rings[r] == i))
                extra, at = day_regions.insertion_km(xy[ring], xy[i])
                new_q = np.insert(ring, at, i)
                old_r, old_q = regions.load[r, h], regions.load[q, t]
                sr, sq = (1.0, 1.0) if regions.scale is None else (regions.scale[r], regions.scale[q])
                lr = _ring_load(new_r, xy, work, starts[h:h + 1], road_factor, sr)
                lq = _ring_load(new_q, xy, work, starts[t:t + 1], road_factor, sq)
                worst = max(loads[h] - old_r + lr, loads[t] - old_q + lq)
                score = (worst + lr + lq - old_r - old_q  # the workload left on the heavier, plus what the move adds
                         + move_minutes * weight[i] * (int(current[i] == h) - int(current[i] == t)))
                if (worst < loads[h] - 1e-6 and (not paid or score < loads[h] - 1e-6)
                        and (best is None or (score, i, q) < best[:3])):
                    best = (score, int(i), q, new_r, new_q, r)
        if best is None:
            return
        _, i, q, new_r, new_q, r = best
        regions.rings[r], regions.rings[q] = new_r, new_q
        regions.label[i] = q
        for changed in (r, q):
            regions.recost(changed, xy, work, starts, road_factor)


def _ring_load(ring: np.ndarray, xy: np.ndarray, work: Workload, start: np.ndarray, road_factor: float,
               scale: float = 1.0) -> float:
    weight = np.maximum(work.visits, 0).astype(float)
    visits = float(weight[ring].sum())
    km = float(day_regions.ring_km(xy[ring], start, road_factor)[0]) * min(float(work.weeks), visits) * scale
    return visits * work.visit_minutes + km * work.minutes_per_km


def rebalance(regions: Regions, movable: np.ndarray, capacity: np.ndarray, tolerance: float,
              home: np.ndarray | None = None, move_minutes: float = 0.0, paid: bool = False) -> None:
    """Move or swap whole regions off the heaviest territory (onto the lightest when that one is under the
    band), among the exchanges that lower the heaviest (raise the lightest) the one whose larger resulting
    workload plus the workload it adds in all (driving and moves) is least, until every workload is in the
    band or no exchange helps.

    `movable` says which regions may change territory; no territory goes over its visit capacity. `home`
    (regions × territories) holds the visits of each region now with each territory: every visit taken from
    its salesperson adds `move_minutes` to an exchange's score, every visit given back takes them off."""
    n, k = regions.load.shape
    home = np.zeros((n, k)) if home is None else home
    if n < 2 or k < 2:
        return
    L, v, owner = regions.load, regions.visits, regions.owner
    rows = np.arange(n)
    for _ in range(4 * n + 10):
        loads = regions.loads()
        visits = np.zeros(k)
        np.add.at(visits, owner, v)
        mean = loads.sum() / k
        heavy = loads.max() > mean * (1 + tolerance)
        if not heavy and loads.min() >= mean * (1 - tolerance):
            return
        h = int(np.argmax(loads)) if heavy else int(np.argmin(loads))
        sign = 1.0 if heavy else -1.0  # compare maxima when unloading the heaviest, minima when loading the lightest
        own = L[rows, owner]
        mine = movable & (owner == h)
        # moves: a region of h to t (heaviest), or a region of t to h (lightest)
        if heavy:
            new_h, new_t = loads[h] - own[:, None], loads[None, :] + L
            ok = mine[:, None] & (visits[None, :] + v[:, None] <= capacity[None, :])
        else:
            new_h, new_t = loads[h] + L[:, h][:, None], (loads[owner] - own)[:, None] + np.zeros((1, k))
            ok = (movable & (owner != h))[:, None] & (np.arange(k)[None, :] == owner[:, None]) & (
                visits[h] + v[:, None] <= capacity[h])
        ok &= np.arange(k)[None, :] != h
        worst = np.maximum(sign * new_h, sign * new_t)
        away = home[rows, owner][:, None] - (home if heavy else home[:, h][:, None])  # visits leaving home
        grown = (L if heavy else L[:, h][:, None]) - own[:, None]  # the workload the exchange adds in all
        added = np.broadcast_to(grown + away * move_minutes, worst.shape)
        options = [(float(added[r, t] + worst[r, t]), float(worst[r, t]), 0, r, t)
                   for r, t in zip(*np.nonzero(ok & (worst < sign * loads[h] - 1e-6)))]
        # swaps: region r of h with region s of another territory
        others = movable & (owner != h)
        for r in np.flatnonzero(mine):
            s_ = np.flatnonzero(others)
            t = owner[s_]
            nh = loads[h] - own[r] + L[s_, h]
            nt = loads[t] - own[s_] + L[r, t]
            fits = (visits[h] - v[r] + v[s_] <= capacity[h]) & (visits[t] - v[s_] + v[r] <= capacity[t])
            w = np.maximum(sign * nh, sign * nt)
            away = home[r, h] - home[r, t] + home[s_, t] - home[s_, h]
            grown = L[s_, h] + L[r, t] - own[r] - own[s_]
            for j in np.flatnonzero(fits & (w < sign * loads[h] - 1e-6)):
                options.append((float(grown[j] + away[j] * move_minutes + w[j]), float(w[j]), 1, int(r), int(s_[j])))
        if paid:  # only the exchanges that lower the heaviest by more than they add
            options = [o for o in options if o[0] < sign * loads[h] - 1e-6]
        if not options:
            return
        _, _, kind, r, x = min(options)
        if kind == 0:
            owner[r] = x if heavy else h
        else:
            owner[r], owner[x] = owner[x], owner[r]


@dataclass
class Proposed:
    """Territory and day region per customer, and the territory centres."""

    assign: np.ndarray
    centres: np.ndarray
    regions: Regions | None = None


def propose(xy: np.ndarray, work: Workload, current: np.ndarray, k: int, *, movable: np.ndarray,
            bases: list[np.ndarray | None] | None = None, road_factor: float = 1.3,
            tolerance: float, move_penalty_km: float) -> Proposed:
    """Territory (0..k-1) per customer, the territory centres and (with `work.day_visits`) the day regions.

    `current` is each customer's territory now (-1: none); `movable` says which customers may change
    (the others keep `current`, which must then be set). Customers without a territory always get one.
    Workloads are kept within ±`tolerance` of the mean; a customer leaving its salesperson must save
    `move_penalty_km` per visit (the settings `territory_tolerance` and `territory_move_km`).
    """
    current = np.asarray(current, dtype=int)
    weight = np.maximum(work.visits, 0).astype(float)
    bases = bases or [None] * k
    centres = seed_centres(xy, weight, current, k, bases)
    free = np.asarray(movable, dtype=bool) | (current < 0)
    # with day regions the centre distance only shapes compact territories; the band is kept on the regions'
    # real driving afterwards (a band on the centre distance would tear compact territories apart)
    band = np.inf if work.day_visits else tolerance
    state = Territories(xy, work, current, centres, free, road_factor, band, move_penalty_km)
    assign_open(state)
    for _ in range(ROUNDS):
        before = state.assign.copy()
        state.balance()
        while state.relocate() | state.swap():
            pass
        state.update_centres()
        if np.array_equal(before, state.assign):
            break
    state.balance()  # the final centres may have shifted loads a little
    while state.relocate() | state.swap():
        pass
    if not work.day_visits:
        return Proposed(state.assign, state.centres)
    start = starts(bases, state.centres)
    regions = cut_regions(xy, work, state.assign, start, road_factor)
    move_minutes = move_penalty_km * work.minutes_per_km

    def balance_regions(band: float, paid: bool) -> None:
        fixed = np.zeros(len(regions.owner), dtype=bool)
        np.logical_or.at(fixed, regions.label[~free], True)
        home = np.zeros((len(regions.owner), k))
        had = (regions.label >= 0) & (current >= 0)
        np.add.at(home, (regions.label[had], current[had]), np.maximum(weight[had], 1.0))
        rebalance(regions, ~fixed, state.cap, band, home, move_minutes, paid)
        refine(regions, xy, work, start, road_factor, free, state.cap, band, current, move_minutes, paid=paid)

    balance_regions(tolerance, False)  # every workload into the band, whatever it takes
    band = drive_band(regions, work, tolerance)
    balance_regions(band, True)  # then the drive too, by the exchanges worth what they add and move
    if work.working_minutes and work.days:
        regions = measure_and_rebalance(regions, xy, work, start, road_factor, band,
                                        lambda: balance_regions(band, True))
    return Proposed(regions.owner[regions.label], state.centres, regions)


def drive_band(regions: Regions, work: Workload, tolerance: float) -> float:
    """The workload band that keeps the drive, not only the workload, within ±`tolerance` of the mean: the
    tolerance times the drive's share of the workload (visit minutes are the same wherever a customer goes,
    so a band on the whole workload would let the km of equal-visit territories differ by far more)."""
    rows = np.arange(len(regions.owner))
    total = float(regions.load[rows, regions.owner].sum())
    drive = float(regions.km[rows, regions.owner].sum()) * work.minutes_per_km
    return tolerance * (drive / total) if total > 0 and drive > 0 else tolerance


def driven(regions: Regions, xy: np.ndarray, work: Workload, start: np.ndarray, road_factor: float,
           seen: dict) -> tuple[np.ndarray, np.ndarray]:
    """Road km per plan the day planner drives in each territory from its start point, and the visits it
    leaves out (days too long or too full); `seen` keeps the territories already planned."""
    k = len(start)
    weight = np.maximum(work.visits, 0).astype(float)
    interval = (np.maximum(1, np.rint(work.weeks / np.maximum(weight, 1))).astype(int)
                if work.interval is None else np.asarray(work.interval, dtype=int))
    weeks = split_weeks(work.days)
    per_day = (np.full(k, work.day_visits) if work.capacity is None
               else np.maximum(1, np.rint(np.asarray(work.capacity, dtype=float) / work.days)).astype(int))
    km, left = np.zeros(k), np.zeros(k)
    for t in range(k if len(regions.owner) else 0):  # no regions: nobody drives
        members = np.flatnonzero((regions.label >= 0) & (regions.owner[np.maximum(regions.label, 0)] == t)
                                 & (weight > 0))
        key = (t, members.tobytes())
        if key in seen:  # the same customers plan the same days
            km[t], left[t] = seen[key]
            continue
        if not len(members):
            continue
        points = np.vstack([start[t:t + 1], xy[members]])
        matrix = np.rint(np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
                         * road_factor * 1000).astype(np.int64)
        angle = np.arctan2(xy[members, 1] - start[t, 1], xy[members, 0] - start[t, 0])
        position = sweep_positions(angle, np.zeros(len(members), dtype=int), weight[members])
        limits = DayLimits(int(per_day[t]), work.working_minutes, work.visit_minutes, work.minutes_per_km / 1000)
        routes, unplaced = plan_days(matrix, position, interval[members], weeks, limits)
        for route in routes:
            nodes = np.asarray([0, *[c + 1 for c in route], 0])
            km[t] += matrix[nodes[:-1], nodes[1:]].sum() / 1000
        left[t] = len(unplaced)
        seen[key] = km[t], left[t]
    return km, left


def measure_and_rebalance(regions: Regions, xy: np.ndarray, work: Workload, start: np.ndarray,
                          road_factor: float, band: float, balance_regions) -> Regions:
    """Measure every territory by the day planner, scale each region's drive by what its territory really
    drives per km estimated, and balance the regions again on that, a few rounds; the regions whose measured
    workloads (a left-out visit counting as its visit and its share of the drive) are most even are kept.

    The region tours only estimate a week: the planner regroups the visits into its own days, and a day too
    long for the working minutes loses visits, which lowers its km while the salesperson is the busiest."""
    weight = np.maximum(work.visits, 0).astype(float)
    k = len(start)
    regions.scale = np.ones(len(regions.owner))
    best, seen = None, {}
    rows = np.arange(len(regions.owner))
    for round_ in range(MEASURE_ROUNDS + 1):
        km, left = driven(regions, xy, work, start, road_factor, seen)
        visits = np.zeros(k)
        np.add.at(visits, regions.owner[regions.label[regions.label >= 0]], weight[regions.label >= 0])
        placed = np.maximum(visits - left, 1.0)
        full_km = km * np.where(visits > 0, visits / placed, 1.0)  # the left-out visits' share of the drive too
        loads = visits * work.visit_minutes + full_km * work.minutes_per_km
        spread = float(loads.max() / loads.min()) if loads.min() > 0 else np.inf
        estimated = np.zeros(k)
        np.add.at(estimated, regions.owner, regions.km[rows, regions.owner])
        factor = np.where(estimated > 0, full_km / np.maximum(estimated, 1e-9), 1.0)
        if best is None or spread < best[0] - 1e-9:
            best = (spread, scaled_to(_copy(regions), km, xy, work, start, road_factor))
        if round_ == MEASURE_ROUNDS or spread <= (1 + band) / (1 - band):
            break  # in the band as measured: the fewer moves of the earlier rounds are kept
        regions.scale = regions.scale * factor[regions.owner]
        for r in rows:
            regions.recost(r, xy, work, start, road_factor)
        label, owner = regions.label.copy(), regions.owner.copy()
        balance_regions()
        if np.array_equal(label, regions.label) and np.array_equal(owner, regions.owner):
            break  # nothing moved: the next measurement would be the same
    return best[1]


def scaled_to(regions: Regions, km: np.ndarray, xy: np.ndarray, work: Workload, start: np.ndarray,
              road_factor: float) -> Regions:
    """The regions with their drives scaled so that each territory's km are `km` (what the planner drives)."""
    rows = np.arange(len(regions.owner))
    estimated = np.zeros(len(start))
    np.add.at(estimated, regions.owner, regions.km[rows, regions.owner])
    factor = np.where(estimated > 0, km / np.maximum(estimated, 1e-9), 1.0)
    regions.scale = (np.ones(len(rows)) if regions.scale is None else regions.scale) * factor[regions.owner]
    for r in rows:
        regions.recost(r, xy, work, start, road_factor)
    return regions


def measured(regions: Regions, xy: np.ndarray, work: Workload, start: np.ndarray, road_factor: float) -> Regions:
    """The regions costed with what the day planner drives in each territory (as they are without the
    working minutes and days to plan them)."""
    if not (work.working_minutes and work.days):
        return regions
    return scaled_to(regions, driven(regions, xy, work, start, road_factor, {})[0], xy, work, start, road_factor)


def _copy(regions: Regions) -> Regions:
    return Regions(regions.label.copy(), regions.owner.copy(), regions.visits.copy(), regions.km.copy(),
                   regions.load.copy(), [ring.copy() for ring in regions.rings],
                   None if regions.scale is None else regions.scale.copy())


def starts(bases: list[np.ndarray | None], centres: np.ndarray) -> np.ndarray:
    """Each territory's start point: its salesperson's base, else its centre."""
    return np.array([centres[t] if b is None else b for t, b in enumerate(bases)], dtype=float).reshape(-1, 2)
