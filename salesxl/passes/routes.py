"""The visit-route pass (客户路序): regions, visit frequency by grade, balanced day routes.

Every active or intent customer is seen as often as its grade asks, on the
working days of the horizon (Chinese public holidays off, make-up days on),
each day a route from the salesperson's start point and back; intent and
prospect customers the grades leave out get development visits in the room
that is left. Priority is strict: a visit is left out for room only when the
days it may take are full of visits of its own or a higher priority. Customers
that cannot be planned (no coordinates, no salesperson, no room left) are
listed with a reason and an issue, never dropped; the capacity table says
what would make the plan fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_numbers
from salesxl.passes.grade import GradeResult
from salesxl.passes.routing.assign import DayLimits, sweep_positions
from salesxl.passes.routing.kept import kept_plan_days
from salesxl.passes.routing.cluster import fill_regions, local_xy
from salesxl.passes.routing.frequency import (
    development_visits, grade_rank, interval_weeks, visit_number, visit_weeks,
)
from salesxl.passes.routing.geo import bearing, haversine_matrix, metres, road_matrix
from salesxl.schema.settings import RouteSettings
from salesxl.passes.routing.workdays import WORKDAYS_PER_WEEK, first_working_day_after, split_weeks, working_days
from salesxl.registry import register_pass
from salesxl.schema.grades import GRADES

VISITED_STATUSES = ("active", "intent", "prospect")  # prospects only for development visits

NO_COORDS = define(
    "ROUTE_NO_COORDS", "warning",
    "客户 {customer} 没有可用的经纬度，未排入拜访路线。",
    "Customer {customer} has no usable coordinates and is on no visit route.",
    title_zh="客户缺少经纬度", title_en="Customer without coordinates")
NO_SALESPERSON = define(
    "ROUTE_NO_SALESPERSON", "warning",
    "客户 {customer} 没有负责销售员，未排入拜访路线。",
    "Customer {customer} has no salesperson and is on no visit route.",
    title_zh="客户无负责销售员", title_en="Customer without salesperson")
INACTIVE = define(
    "ROUTE_SALESPERSON_INACTIVE", "warning",
    "销售员 {salesperson} 已不在职，其 {count} 个客户未排入拜访路线。",
    "Salesperson {salesperson} is not active; their {count} customers are on no visit route.",
    title_zh="销售员不在职", title_en="Salesperson not active")
UNKNOWN_SALESPERSON = define(
    "ROUTE_SALESPERSON_UNKNOWN", "warning",
    "销售员 {salesperson} 不在销售员表中，其 {count} 个客户未排入拜访路线。",
    "Salesperson {salesperson} is not on the Salespeople sheet; their {count} customers are on no visit route.",
    title_zh="销售员不存在", title_en="Unknown salesperson")
NO_ROOM = define(
    "ROUTE_NO_ROOM", "warning",
    "销售员 {salesperson} 需拜访 {required} 次，{count} 次超出每日拜访数或工作时长未排入（先舍低等级客户），明细见拜访路线表。",
    "Salesperson {salesperson} needs {required} visits; {count} exceed the daily visit or time limits and are not planned "
    "(lower grades first); see the Routes sheet.",
    title_zh="拜访排不下", title_en="Visits do not fit")
DEVELOPMENT_LEFT = define(
    "ROUTE_DEVELOPMENT_NO_ROOM", "info",
    "销售员 {salesperson} 的 {count} 次开发拜访（意向/潜在客户）在分级客户之后排不下，明细见拜访路线表。",
    "{count} development visits (intent and prospect customers) of salesperson {salesperson} do not fit after "
    "the graded customers; see the Routes sheet.",
    title_zh="开发拜访排不下", title_en="Development visits do not fit")
NO_BASE = define(
    "ROUTE_NO_BASE", "info",
    "销售员 {salesperson} 没有出发点坐标，路线从{origin}出发。",
    "Salesperson {salesperson} has no start coordinates; routes start from {origin}.",
    title_zh="无出发点", title_en="No start point")
REGIONS_FILLED = define(
    "ROUTE_REGIONS_FILLED", "info",
    "销售员 {salesperson} 的 {count} 个客户区域为空，已按位置归入片区。",
    "{count} customers of salesperson {salesperson} have no region and were grouped by location.",
    title_zh="区域按位置划分", title_en="Regions from location")
CALENDAR_UNKNOWN = define(
    "ROUTE_CALENDAR_UNKNOWN", "info",
    "节假日日历不含 {years} 年，这些年份按周一至周五为工作日。",
    "The holiday calendar does not cover {years}; Monday to Friday are working days there.",
    title_zh="节假日日历缺年份", title_en="Holiday calendar missing years")

STOP_COLUMNS = ["salesperson_id", "date", "stop", "customer_id", "name", "address", "grade", "region",
                "lat", "lon", "km", "arrival", "visit_no", ROW, "purpose"]
DAY_COLUMNS = ["salesperson_id", "date", "visits", "km", "travel_minutes", "visit_minutes", "minutes", "start", "end"]
SUMMARY_COLUMNS = ["salesperson_id", "name", "base_lat", "base_lon", "customers", "on_demand", "required", "visits",
                   "unplanned", "days",
                   "km", "minutes", "max_day_minutes", "min_day_minutes", "workload_ratio",
                   "development_required", "development_visits"]
CAPACITY_COLUMNS = ["salesperson_id", "days", "max_visits", "visit_capacity", "minutes_capacity", "required",
                    "minutes_needed", "shortfall", "extra_days", "lower_grade", "lower_to_weeks", "lower_saves",
                    "hand_to", "hand_visits", "hand_customers"]
FREQUENCY_COLUMNS = ["grade", "interval_weeks", "visits_each", "every_weeks", "customers", "required"]
UNPLANNED_COLUMNS = ["customer_id", "name", "salesperson_id", "grade", "visit_no", "week", "reason", ROW, "purpose"]


@dataclass
class RoutePlan:
    """The visit plan: stops in order, day and salesperson totals, and what could not be planned."""

    start: dt.date
    end: dt.date  # last calendar day of the horizon
    days: list[dt.date]
    weeks: list[list[int]]
    stops: pd.DataFrame
    day_totals: pd.DataFrame
    summary: pd.DataFrame
    unplanned: pd.DataFrame
    bases: dict[str, tuple[float, float]] = field(default_factory=dict)
    params: Params | None = None  # the distances, speeds and limits the plan was made with
    frequency: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FREQUENCY_COLUMNS))
    capacity: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAPACITY_COLUMNS))


@dataclass(frozen=True)
class Params:
    visit_minutes: float
    speed_kmh: float
    road_factor: float
    working_minutes: float
    max_visits: int
    day_start: int  # minutes after midnight
    method: str

    @classmethod
    def from_settings(cls, settings: RouteSettings) -> "Params":
        day_start = settings.day_start.hour * 60 + settings.day_start.minute
        return cls(float(settings.visit_minutes), settings.travel_speed_kmh, settings.road_factor,
                   float(settings.working_minutes), settings.max_visits_per_day, day_start,
                   settings.route_solver.value)

    def limits(self, max_visits: int) -> DayLimits:
        return DayLimits(max_visits, self.working_minutes, self.visit_minutes, 60.0 / (self.speed_kmh * 1000.0))


def clock_text(minutes: float) -> str:
    total = int(round(minutes))
    return f"{total // 60:02d}:{total % 60:02d}"


@register_pass("routes")
def routes(book: Book, graded: GradeResult) -> tuple[RoutePlan, list[Issue]]:
    """Plan every salesperson's visits over the horizon; issues list what was left out and why."""
    settings = book.settings.routes
    params = Params.from_settings(settings)
    start = settings.plan_start or first_working_day_after(as_of_date(book))
    weeks_setting = settings.plan_weeks
    days, unknown_years = working_days(start, weeks_setting)
    weeks = split_weeks(len(days))
    issues: list[Issue] = []
    if unknown_years:
        issues.append(CALENDAR_UNKNOWN(book.lang, years=", ".join(map(str, unknown_years))))

    customers, located = visited_customers(book, graded, len(weeks))

    unplanned: list[dict[str, Any]] = []
    planned = customers[customers["interval"] > 0]

    def leave_out(frame: pd.DataFrame, reason: str) -> None:
        for rec in frame[["customer_id", "name", "salesperson_id", "grade", ROW, "purpose"]].to_dict("records"):
            unplanned.append({"customer_id": rec["customer_id"], "name": rec["name"],
                              "salesperson_id": rec["salesperson_id"], "grade": rec["grade"], "visit_no": None,
                              "week": None, "reason": reason, ROW: int(rec[ROW]), "purpose": rec["purpose"]})

    no_coords = planned[~located.loc[planned.index]]
    for rec in no_coords[["customer_id", "lat", ROW]].to_dict("records"):
        issues.append(book.issue_at(NO_COORDS, "customers", int(rec[ROW]), "lat", value=rec["lat"],
                                    customer=rec["customer_id"]))
    leave_out(no_coords, "no_coords")
    planned = planned[located.loc[planned.index]]
    orphans = planned[planned["salesperson_id"] == ""]
    for rec in orphans[["customer_id", ROW]].to_dict("records"):
        issues.append(book.issue_at(NO_SALESPERSON, "customers", int(rec[ROW]), "salesperson_id",
                                    customer=rec["customer_id"]))
    leave_out(orphans, "no_salesperson")
    planned = planned[planned["salesperson_id"] != ""]

    people = salespeople_by_id(book)
    stops, day_rows, summary, bases, loads = [], [], [], {}, []
    for sp in sorted(set(customers["salesperson_id"]) - {""}):
        person = people.get(sp)
        mine = planned[planned["salesperson_id"] == sp]
        if person is None:
            if len(mine):
                first = int(mine[ROW].min())
                issues.append(book.issue_at(UNKNOWN_SALESPERSON, "customers", first, "salesperson_id",
                                            value=sp, salesperson=sp, count=len(mine)))
                leave_out(mine, "unknown_salesperson")
            continue
        if person.get("active") is False:
            if len(mine):
                issues.append(book.issue_at(INACTIVE, "salespeople", person.get(ROW), "active", salesperson=sp,
                                            count=len(mine)))
                leave_out(mine, "inactive")
            continue
        if mine.empty:
            continue
        base, origin = start_point(person, mine, settings)
        if origin != "base":
            words = {"office": ("公司", "the office"), "centre": ("客户中心", "the centre of their customers")}[origin]
            issues.append(book.issue_at(NO_BASE, "salespeople", person.get(ROW), "base_lat", salesperson=sp,
                                        origin=words[0] if book.lang == "zh" else words[1]))
        bases[sp] = base
        blank = int((mine["region"] == "").sum())
        if blank:
            issues.append(book.issue_at(REGIONS_FILLED, "salespeople", person.get(ROW), "region", salesperson=sp,
                                        count=blank))
        result = plan_salesperson(mine, base, weeks, params, int(person.get("max_visits") or params.max_visits),
                                  "片区{n}" if book.lang == "zh" else "Zone {n}")
        sp_stops, sp_days, leftover = result
        graded = [s["purpose"] == "grade" for day in sp_stops for s in day]
        planned_visits, developed = sum(graded), len(graded) - sum(graded)
        purposes = mine["purpose"].tolist()
        left_graded = sum(purposes[c] == "grade" for _, _, c in leftover)
        if left_graded:
            issues.append(book.issue_at(NO_ROOM, "salespeople", person.get(ROW), "max_visits_per_day", salesperson=sp,
                                        required=planned_visits + left_graded, count=left_graded))
        if len(leftover) > left_graded:
            issues.append(book.issue_at(DEVELOPMENT_LEFT, "salespeople", person.get(ROW), "max_visits_per_day",
                                        salesperson=sp, count=len(leftover) - left_graded))
        records = mine[["customer_id", "name", "grade", ROW, "purpose"]].to_dict("records") if leftover else []
        for number, week, c in leftover:
            rec = records[c]
            unplanned.append({"customer_id": rec["customer_id"], "name": rec["name"], "salesperson_id": sp,
                              "grade": rec["grade"], "visit_no": number, "week": week + 1, "reason": "no_room",
                              ROW: int(rec[ROW]), "purpose": rec["purpose"]})
        for day_index, (day_stops, totals) in enumerate(zip(sp_stops, sp_days)):
            date = days[day_index]
            stops.extend({**s, "salesperson_id": sp, "date": date} for s in day_stops)
            day_rows.append({"salesperson_id": sp, "date": date, **totals})
        worked = [d["minutes"] for d in sp_days if d["visits"]]
        loads.append(Load(sp, base, mine[mine["purpose"] == "grade"], len(days),
                          int(person.get("max_visits") or params.max_visits), planned_visits + left_graded,
                          sum(d["travel_minutes"] for d in sp_days) / max(1, sum(d["visits"] for d in sp_days)),
                          left_graded))
        summary.append({
            "salesperson_id": sp, "name": person.get("name") or sp, "base_lat": base[0], "base_lon": base[1],
            "customers": len(mine), "on_demand": int(((customers["salesperson_id"] == sp) & (customers["interval"] <= 0)
                                                    & (customers["status"].astype(object) != "prospect")).sum()),
            "required": planned_visits + left_graded, "visits": planned_visits, "unplanned": left_graded,
            "development_required": developed + len(leftover) - left_graded, "development_visits": developed,
            "days": len(worked),
            "km": round(sum(d["km"] for d in sp_days), 1), "minutes": round(sum(d["minutes"] for d in sp_days)),
            "max_day_minutes": round(max(worked)) if worked else None,
            "min_day_minutes": round(min(worked)) if worked else None,
            "workload_ratio": round(max(worked) / min(worked), 3) if worked and min(worked) > 0 else None,
        })
    plan = RoutePlan(
        start=start, end=start + dt.timedelta(days=7 * weeks_setting - 1), days=days, weeks=weeks,
        stops=pd.DataFrame(stops, columns=STOP_COLUMNS),
        day_totals=pd.DataFrame(day_rows, columns=DAY_COLUMNS),
        summary=pd.DataFrame(summary, columns=SUMMARY_COLUMNS),
        unplanned=pd.DataFrame(unplanned, columns=UNPLANNED_COLUMNS).sort_values(
            ["salesperson_id", "customer_id", "visit_no"], kind="stable", na_position="first").reset_index(drop=True),
        bases=bases, params=params, frequency=frequency_table(customers, len(weeks)),
        capacity=capacity_table(loads, params, len(weeks)),
    )
    return plan, issues


@dataclass(frozen=True)
class Load:
    """One salesperson's graded workload against the days they have."""

    salesperson_id: str
    base: tuple[float, float]
    graded: pd.DataFrame  # their graded customers (grade, interval, lat, lon)
    days: int
    max_visits: int
    required: int
    travel_per_visit: float  # minutes, as driven in the plan
    left_out: int = 0  # graded visits the plan itself could not fit


HANDOVER_LISTED = 12  # customer IDs named per proposed handover


def capacity_table(loads: list[Load], params: Params, n_weeks: int) -> pd.DataFrame:
    """Per salesperson: graded visits required against what their days hold, and what would make it fit:
    more salesperson-days, a lower frequency for one grade, or customers handed to the one with most slack."""
    rows = []
    for load in loads:
        per_visit = params.visit_minutes + load.travel_per_visit
        per_day = max(1, min(load.max_visits, int(params.working_minutes // per_visit)))
        fits = min(load.days * load.max_visits, int(load.days * params.working_minutes // per_visit))
        if load.left_out:  # the plan's own count when its days hold fewer visits than the average suggests
            fits = min(fits, load.required - load.left_out)
        rows.append({"salesperson_id": load.salesperson_id, "days": load.days, "max_visits": load.max_visits,
                     "visit_capacity": load.days * load.max_visits,
                     "minutes_capacity": round(load.days * params.working_minutes),
                     "required": load.required, "minutes_needed": round(load.required * per_visit),
                     "shortfall": max(0, load.required - fits), "slack": max(0, fits - load.required),
                     "extra_days": -(-max(0, load.required - fits) // per_day)})
    for row, load in zip(rows, loads):
        row.update(lower_grade=None, lower_to_weeks=None, lower_saves=None, hand_to=None, hand_visits=None,
                   hand_customers=None)
        if not row["shortfall"]:
            continue
        options = []
        for grade in reversed(GRADES):
            mine = load.graded[load.graded["grade"].astype(object) == grade]
            if mine.empty or int(mine["interval"].iloc[0]) <= 0:
                continue
            interval = int(mine["interval"].iloc[0])
            saves = len(mine) * (len(visit_weeks(interval, n_weeks)) - len(visit_weeks(2 * interval, n_weeks)))
            options.append((saves >= row["shortfall"], grade, 2 * interval, saves))
        enough = [o for o in options if o[0]]
        if enough or options:
            _, row["lower_grade"], row["lower_to_weeks"], row["lower_saves"] = (enough or
                                                                              [max(options, key=lambda o: o[3])])[0]
        helper = max(zip(rows, loads), key=lambda rl: (rl[0]["slack"], rl[0]["salesperson_id"] == row["salesperson_id"]))
        if helper[0]["slack"] <= 0 or helper[1] is load:
            continue
        room = min(row["shortfall"], helper[0]["slack"])
        graded = load.graded.assign(
            each=[len(visit_weeks(int(i), n_weeks)) for i in load.graded["interval"]],
            away=haversine_to(helper[1].base, load.graded["lat"], load.graded["lon"]))
        nearest = graded.sort_values(["away", "customer_id"], kind="stable")
        taken = nearest[nearest["each"].cumsum().shift(fill_value=0) < room]
        helper[0]["slack"] -= int(taken["each"].sum())
        ids = list(taken["customer_id"])
        row.update(hand_to=helper[1].salesperson_id, hand_visits=int(taken["each"].sum()),
                   hand_customers=", ".join(ids[:HANDOVER_LISTED]) + (" …" if len(ids) > HANDOVER_LISTED else ""))
    return pd.DataFrame(rows, columns=CAPACITY_COLUMNS)


def haversine_to(point: tuple[float, float], lat: pd.Series, lon: pd.Series) -> np.ndarray:
    """Straight-line kilometres from `point` to each customer."""
    return haversine_matrix(np.r_[point[0], lat.to_numpy(float)], np.r_[point[1], lon.to_numpy(float)])[0, 1:]


def frequency_table(customers: pd.DataFrame, n_weeks: int) -> pd.DataFrame:
    """Per grade, then intent and prospect development: the interval set, the visits it gives each customer in
    this horizon and so the frequency in effect (a 3-week plan sees a fortnightly customer once), the visits owed."""
    rows = []
    graded = customers[customers["purpose"] == "grade"]
    rank = grade_rank(graded["grade"])
    groups = [(g, graded[rank == i]) for i, g in enumerate(GRADES)]
    groups += [(p, customers[customers["purpose"] == p]) for p in ("intent", "prospect")]
    for label, mine in groups:
        if mine.empty:
            continue
        interval = int(mine["interval"].iloc[0])
        each = len(visit_weeks(interval, n_weeks))
        rows.append({"grade": label, "interval_weeks": interval, "visits_each": each,
                     "every_weeks": round(n_weeks / each, 2) if each else None, "customers": len(mine),
                     "required": each * len(mine)})
    return pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)


def plan_weeks(book: Book) -> int:
    """Working weeks in the plan's horizon (a holiday week counts as its working days)."""
    settings = book.settings.routes
    start = settings.plan_start or first_working_day_after(as_of_date(book))
    return len(split_weeks(len(working_days(start, settings.plan_weeks)[0])))


def visited_customers(book: Book, graded: GradeResult, n_weeks: int) -> tuple[pd.DataFrame, pd.Series]:
    """The customers the plan visits, with grade, interval, purpose and rank and IDs as text, and
    whether each has usable coordinates."""
    settings = book.settings.routes
    customers = book.frame("customers")
    customers = customers[customers["status"].astype(object).isin(VISITED_STATUSES)].copy()
    grades = customer_grades(graded, customers)
    customers["grade"] = grades
    customers["interval"], customers["purpose"], customers["rank"] = development_visits(
        customers["status"], customers.get("created", pd.Series(None, index=customers.index, dtype=object)),
        interval_weeks(grades, settings).astype(int), grade_rank(grades), settings, n_weeks)
    customers["customer_id"] = customers["customer_id"].astype(object).map(_text)
    customers["salesperson_id"] = customers["salesperson_id"].astype(object).map(_text)
    customers["region"] = customers["region"].astype(object).map(_text)
    customers["lat"], customers["lon"] = to_numbers(customers["lat"]), to_numbers(customers["lon"])
    lat_min, lat_max, lon_min, lon_max = book.settings.cards.china_bounds
    located = customers["lat"].between(lat_min, lat_max) & customers["lon"].between(lon_min, lon_max)
    return customers, located


#: The customer columns a stop repeats.
STOP_SOURCE = ("customer_id", "name", "address", "grade", ROW, "purpose")


def plan_salesperson(mine: pd.DataFrame, base: tuple[float, float], weeks: list[list[int]], params: Params,
                     max_visits: int, zone_name: str):
    """Stops and totals per working day for one salesperson, and the visits that fit no day."""
    lat = np.concatenate([[base[0]], mine["lat"].to_numpy(float)])
    lon = np.concatenate([[base[1]], mine["lon"].to_numpy(float)])
    km = road_matrix(lat, lon, params.road_factor)
    xy = local_xy(lat[1:], lon[1:], base[0], base[1])
    regions = fill_regions([r or None for r in mine["region"].tolist()], xy, zone_name, WORKDAYS_PER_WEEK)
    zone = pd.factorize(pd.Series(regions), sort=True)[0]
    interval = mine["interval"].to_numpy(int)
    position = sweep_positions(bearing(base[0], base[1], lat[1:], lon[1:]), zone, 1.0 / interval)
    limits = params.limits(max_visits)
    rank = mine["rank"].to_numpy(float)
    routes, leftover = kept_plan_days(metres(km), position, interval, weeks, limits, params.method, rank)
    all_stops, all_days = [], []
    # one conversion of the columns a stop shows, not a pandas row lookup per stop
    records = mine[[c for c in STOP_SOURCE if c in mine.columns]].to_dict("records")
    for day, route in enumerate(routes):
        clock, travel, day_stops, prev = float(params.day_start), 0.0, [], 0
        for n, c in enumerate(route, start=1):
            leg = float(km[prev, c + 1])
            clock += leg / params.speed_kmh * 60
            travel += leg
            rec = records[c]
            day_stops.append({"stop": n, "customer_id": rec["customer_id"], "name": rec["name"],
                              "address": rec.get("address"), "grade": rec["grade"], "region": regions[c],
                              "lat": float(lat[c + 1]), "lon": float(lon[c + 1]), "km": round(leg, 2),
                              "arrival": clock_text(clock), "visit_no": visit_number(int(interval[c]), len(weeks), _week_of(weeks, day)), ROW: int(rec[ROW]),
                              "purpose": rec["purpose"]})
            clock += params.visit_minutes
            prev = c + 1
        back = float(km[prev, 0]) if route else 0.0
        travel += back
        travel_minutes = travel / params.speed_kmh * 60
        all_stops.append(day_stops)
        all_days.append({"visits": len(route), "km": round(travel, 2), "travel_minutes": round(travel_minutes, 1),
                         "visit_minutes": params.visit_minutes * len(route),
                         "minutes": round(travel_minutes + params.visit_minutes * len(route), 1),
                         "start": clock_text(params.day_start) if route else None,
                         "end": clock_text(clock + back / params.speed_kmh * 60) if route else None})
    return all_stops, all_days, [(u.number, u.week, u.customer) for u in leftover]


def _week_of(weeks: list[list[int]], day: int) -> int:
    return next(w for w, days in enumerate(weeks) if day in days)


def customer_grades(graded: GradeResult, customers: pd.DataFrame) -> pd.Series:
    """Each customer's composite grade from the grade pass (NaN for a card it did not grade)."""
    lookup = dict(zip(graded.customers["customer_id"], graded.customers["grade"]))
    return customers["customer_id"].astype(object).map(_text).map(lookup).astype(object)


def salespeople_by_id(book: Book) -> dict[str, dict[str, Any]]:
    """First row of each salesperson: name, start point, visit limit, active flag and Excel row."""
    frame = book.frame("salespeople")
    people: dict[str, dict[str, Any]] = {}
    lat, lon = to_numbers(frame["base_lat"]), to_numbers(frame["base_lon"])
    limit = to_numbers(frame["max_visits_per_day"])
    for i, rec in enumerate(frame.to_dict("records")):
        key = _text(rec["salesperson_id"])
        if key and key not in people:
            active = rec["active"]
            people[key] = {"name": _text(rec["name"]), "lat": lat.iloc[i], "lon": lon.iloc[i],
                           "max_visits": None if pd.isna(limit.iloc[i]) else int(limit.iloc[i]),
                           "active": None if active is None or pd.isna(active) else bool(active),
                           ROW: int(rec[ROW])}
    return people


def start_point(person: dict[str, Any], mine: pd.DataFrame, settings: RouteSettings) -> tuple[tuple[float, float], str]:
    """The salesperson's base, else the office, else the centre of their customers."""
    if not (pd.isna(person.get("lat", np.nan)) or pd.isna(person.get("lon", np.nan))):
        return (float(person["lat"]), float(person["lon"])), "base"
    if settings.office_lat is not None and settings.office_lon is not None:
        return (settings.office_lat, settings.office_lon), "office"
    return (float(mine["lat"].mean()), float(mine["lon"].mean())), "centre"


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()
