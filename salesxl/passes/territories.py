"""Territory proposal: which salesperson should look after each customer (划区), as a proposal only.

Workload is what the visit plan would ask: each customer's visits per plan
(its grade's interval, or its development visits, exactly as the routes pass
counts them) times the visit minutes, plus the drive of each day region (片区)
from the salesperson's start point. Each customer is also given a region: the
one on its card when filled, else its day region's name (the most common filled
region among its region-mates, else a numbered zone of its salesperson). Not a
registered pass: it runs only when the office asks for a proposal (`salesxl
territories`), never on a recalculation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import WorkbookError
from salesxl.passes.grade import GradeResult
from salesxl.passes.common import as_of_date
from salesxl.passes.routes import plan_weeks, salespeople_by_id, visited_customers
from salesxl.passes.routing.cluster import local_xy
from salesxl.passes.routing.frequency import visit_weeks
from salesxl.passes.routing.territories import Workload, cut_regions, measured, propose, seed_centres, starts
from salesxl.passes.routing.workdays import first_working_day_after, working_days

PEOPLE_COLUMNS = ["salesperson_id", "name", "customers_before", "customers_after", "visits_before", "visits_after",
                  "km_before", "km_after", "minutes_before", "minutes_after", "share_before", "share_after"]


@dataclass
class TerritoryProposal:
    """Per customer the current and proposed salesperson; per salesperson the workload before and after."""

    customers: pd.DataFrame  # customer_id, name, grade, status, ROW, current, proposed, visits, located,
    #                          region (on the card), proposed_region
    people: pd.DataFrame  # PEOPLE_COLUMNS
    unassigned_only: bool
    tolerance: float  # the territory_tolerance setting the proposal kept

    @property
    def changed(self) -> pd.DataFrame:
        c = self.customers
        return c[c["located"] & (c["proposed"] != c["current"])]

    @property
    def regions_filled(self) -> pd.DataFrame:
        """Customers whose blank region the proposal fills."""
        c = self.customers
        return c[c["located"] & (c["region"] == "") & (c["proposed_region"] != "")]

    @property
    def no_coords(self) -> pd.DataFrame:
        return self.customers[~self.customers["located"]]

    def ratio(self, when: str) -> float | None:
        """Largest over smallest workload of the salespeople ("before" or "after")."""
        minutes = self.people[f"minutes_{when}"]
        return round(float(minutes.max() / minutes.min()), 3) if len(minutes) and minutes.min() > 0 else None


def no_customers_error(book: Book) -> WorkbookError:
    return WorkbookError("TERRITORY_NO_CUSTOMERS", "工作簿没有“客户档案”表，无法划分区域。",
                         "The workbook has no Customers sheet, so no territories can be proposed.")


def chosen_people(book: Book, wanted: list[str] | None) -> list[str]:
    """The salespeople to share the customers: those named (each must be an active salesperson on the
    Salespeople sheet), else every active one."""
    people = salespeople_by_id(book)
    active = [sp for sp, p in people.items() if p.get("active") is not False]
    if not wanted:
        if not active:
            raise WorkbookError("TERRITORY_NO_SALESPEOPLE", "销售员表中没有在职的销售员，无法划分区域。",
                                "The Salespeople sheet has no active salesperson to give customers to.")
        return active
    unknown = [sp for sp in wanted if sp not in people]
    if unknown:
        raise WorkbookError("TERRITORY_UNKNOWN_SALESPERSON",
                            f"销售员表中没有 {', '.join(unknown)}（--salespeople 应为销售员表中的工号，如 "
                            f"{', '.join(list(people)[:3])}）。",
                            f"{', '.join(unknown)} is not on the Salespeople sheet (--salespeople takes IDs from "
                            f"that sheet, e.g. {', '.join(list(people)[:3])}).")
    inactive = [sp for sp in wanted if people[sp].get("active") is False]
    if inactive:
        raise WorkbookError("TERRITORY_SALESPERSON_INACTIVE", f"销售员 {', '.join(inactive)} 已不在职，不能分配客户。",
                            f"Salesperson {', '.join(inactive)} is not active and cannot take customers.")
    return list(dict.fromkeys(wanted))


def territory_proposal(book: Book, graded: GradeResult, *, salespeople: list[str] | None = None,
                       unassigned_only: bool = False) -> TerritoryProposal:
    """Propose territories for the visited customers of `salespeople` and those without a salesperson
    (with `unassigned_only`, only the latter move)."""
    if not book.table("customers").present:
        raise no_customers_error(book)
    chosen = chosen_people(book, salespeople)
    people = salespeople_by_id(book)
    settings = book.settings.routes
    n_weeks = plan_weeks(book)
    customers, located = visited_customers(book, graded, n_weeks)
    active = {sp for sp, p in people.items() if p.get("active") is not False}
    current_sp = customers["salesperson_id"]
    # customers of another active salesperson (one not chosen) are not part of this proposal; nor, when
    # only unassigned customers are placed, those of an unknown or inactive salesperson
    open_ = (current_sp == "") if unassigned_only else ~current_sp.isin(active)
    pool = customers[current_sp.isin(chosen) | open_].copy()
    pool["located"] = located.loc[pool.index].to_numpy()
    pool["visits"] = [len(visit_weeks(int(i), n_weeks)) for i in pool["interval"]]
    index = {sp: t for t, sp in enumerate(chosen)}
    current = pool["salesperson_id"].map(index).fillna(-1).astype(int).to_numpy()
    blank = (pool["salesperson_id"] == "").to_numpy()

    where = pool["located"].to_numpy()
    lat, lon = pool["lat"].to_numpy(float), pool["lon"].to_numpy(float)
    proposed = pool["salesperson_id"].to_numpy(object).copy()
    region_names = pool["region"].to_numpy(object).copy()
    day_visits = [int(people[sp].get("max_visits") or settings.max_visits_per_day) for sp in chosen]
    start = settings.plan_start or first_working_day_after(as_of_date(book))
    n_days = len(working_days(start, settings.plan_weeks)[0])
    work = Workload(pool["visits"].to_numpy(float)[where], float(settings.visit_minutes),
                    60.0 / settings.travel_speed_kmh, n_weeks, round(float(np.mean(day_visits))),
                    np.array(day_visits, dtype=float) * n_days, float(settings.working_minutes), n_days,
                    pool["interval"].to_numpy(int)[where])
    before = after = None
    if where.any():
        lat0, lon0 = float(np.mean(lat[where])), float(np.mean(lon[where]))
        xy = local_xy(lat[where], lon[where], lat0, lon0)
        bases = [_base_xy(people[sp], lat0, lon0) for sp in chosen]
        movable = blank[where] if unassigned_only else np.ones(int(where.sum()), dtype=bool)
        found = propose(xy, work, current[where], len(chosen), movable=movable, bases=bases,
                        road_factor=settings.road_factor, tolerance=settings.territory_tolerance,
                        move_penalty_km=settings.territory_move_km)
        proposed[where] = np.array(chosen, dtype=object)[found.assign]
        old_centres = seed_centres(xy, work.visits, current[where], len(chosen), bases)
        old_starts = starts(bases, old_centres)
        was = measured(cut_regions(xy, work, current[where], old_starts, settings.road_factor), xy, work, old_starts,
                       settings.road_factor)  # the km before, as the day planner drives them, like the km after
        before = _loads(work, current[where], was, len(chosen))
        after = _loads(work, found.assign, found.regions, len(chosen))
        region_names[where] = name_regions(found.regions, pool["region"].to_numpy(object)[where], chosen,
                                           "{sp}-片区{n}" if book.lang == "zh" else "{sp} zone {n}")
    pool["current"], pool["proposed"], pool["proposed_region"] = pool["salesperson_id"], proposed, region_names
    table = pool[["customer_id", "name", "grade", "status", ROW, "current", "proposed", "visits", "located",
                  "region", "proposed_region"]]
    rows = []
    for t, sp in enumerate(chosen):
        row = {"salesperson_id": sp, "name": people[sp].get("name") or sp}
        for when, loads in (("before", before), ("after", after)):
            count, visits, km, minutes = (loads[t] if loads is not None else (0, 0, 0.0, 0.0))
            row.update({f"customers_{when}": count, f"visits_{when}": visits, f"km_{when}": round(km, 1),
                        f"minutes_{when}": round(minutes)})
        rows.append(row)
    frame = pd.DataFrame(rows, columns=PEOPLE_COLUMNS)
    for when in ("before", "after"):
        total = frame[f"minutes_{when}"].sum()
        frame[f"share_{when}"] = (frame[f"minutes_{when}"] / total).round(3) if total else 0.0
    return TerritoryProposal(table.reset_index(drop=True), frame, unassigned_only, settings.territory_tolerance)


def name_regions(regions, on_card: np.ndarray, chosen: list[str], pattern: str) -> np.ndarray:
    """Each customer's proposed region: its card's when filled, else its day region's name: the most common
    filled region among its members (the first by name on a tie), else the next numbered zone of its
    salesperson."""
    names = []
    count = dict.fromkeys(range(len(chosen)), 0)
    for r, t in enumerate(regions.owner):
        filled = pd.Series([v for v in on_card[regions.label == r] if v], dtype=object)
        if len(filled):
            tally = filled.value_counts()
            names.append(sorted(tally[tally == tally.max()].index)[0])
        else:
            count[int(t)] += 1
            names.append(pattern.format(sp=chosen[t], n=count[int(t)]))
    out = on_card.copy()
    blank = (on_card == "") & (regions.label >= 0)
    out[blank] = np.array(names, dtype=object)[regions.label[blank]]
    return out


def _base_xy(person: dict, lat0: float, lon0: float) -> np.ndarray | None:
    if pd.isna(person.get("lat", np.nan)) or pd.isna(person.get("lon", np.nan)):
        return None
    return local_xy(np.array([float(person["lat"])]), np.array([float(person["lon"])]), lat0, lon0)[0]


def _loads(work: Workload, assign: np.ndarray, regions, k: int) -> list[tuple[int, int, float, float]]:
    """(customers, visits, km per plan, workload minutes) per territory (-1: in none), the km being each day
    region's drive from the territory's start point, as the proposer counts them (scaled to what the day
    planner drives)."""
    km = np.zeros(k)
    np.add.at(km, regions.owner, regions.km[np.arange(len(regions.owner)), regions.owner])
    out = []
    for t in range(k):
        members = assign == t
        visits = float(work.visits[members].sum())
        out.append((int(members.sum()), int(visits), float(km[t]),
                    float(visits * work.visit_minutes + km[t] * work.minutes_per_km)))
    return out
