"""Visit routes: every required visit planned once, limits kept, holidays free, deterministic."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from salesxl.core.book import ROW, Book, TableData
from salesxl.passes.routes import routes
from salesxl.passes.routing.cluster import balanced_zones
from salesxl.passes.routing.frequency import interval_weeks, visit_weeks
from salesxl.passes.routing.geo import metres, road_matrix
from salesxl.passes.routing.improve import improve
from salesxl.passes.routing.solver import nearest_neighbour_tour, solve_tour, tour_length
from salesxl.reports.routes import routes_sheet
from salesxl.schema import Settings
from tests.books import make_book

HOLIDAY_START = "2025-09-22"  # four weeks over National Day 2025 (Oct 1-8 off, Sep 28 and Oct 11 worked)


def small_office(n: int = 60, seed: int = 3, **settings) -> tuple[Book, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    centres = np.array([[23.13, 113.32], [23.10, 113.27], [23.20, 113.40]])
    hub = rng.integers(0, 3, n)
    lat = centres[hub, 0] + rng.normal(0, 0.02, n)
    lon = centres[hub, 1] + rng.normal(0, 0.02, n)
    status = rng.choice(["active", "active", "intent", "prospect", "lost"], n)
    customers = [
        {"customer_id": f"C{i:03d}", "name": f"客户{i}", "address": f"天河路{i}号", "region": ["天河区", "越秀区", ""][hub[i]],
         "lat": lat[i], "lon": lon[i], "salesperson_id": "S1" if i % 2 else "S2", "status": status[i]}
        for i in range(n)
    ]
    customers[0].update(lat=None, lon=None, status="active")
    customers[1].update(name="=HYPERLINK(\"x\")", status="active")
    people = [
        {"salesperson_id": "S1", "name": "张三", "region": "天河区", "base_lat": 23.137, "base_lon": 113.322,
         "max_visits_per_day": 6, "active": True},
        {"salesperson_id": "S2", "name": "李四", "region": "越秀区", "active": True},
    ]
    book = make_book({"customers": customers, "salespeople": people},
                     settings={"plan_start": dt.date.fromisoformat(HOLIDAY_START), **settings})
    grades = pd.DataFrame({"customer_id": [c["customer_id"] for c in customers],
                           "grade": rng.choice(list("ABCD"), n)})
    grades.loc[1, "grade"] = "A"
    return book, grades


def by_hand(grades: pd.DataFrame) -> SimpleNamespace:
    """Grades made by hand in the shape of the grade pass's result."""
    return SimpleNamespace(customers=grades)


def required_visits(book: Book, grades: pd.DataFrame, plan) -> set[tuple[str, int]]:
    """(customer card row, visit number) for every visit the plan owes, from grades and the settings alone: graded
    customers by their grade, intent customers on demand by the development interval, prospects once."""
    settings = book.settings.routes
    assert settings.prospect_visits_per_plan == 1
    customers = book.frame("customers")
    customers = customers[customers["status"].isin(["active", "intent", "prospect"])]
    grade = customers["customer_id"].map(dict(zip(grades["customer_id"], grades["grade"])))
    weeks = interval_weeks(grade, settings)
    owed = set()
    for cid, w, status in zip(customers[ROW], weeks, customers["status"]):
        if w == 0 and status == "intent":
            w = settings.visit_every_weeks_intent
        if status == "prospect":
            owed.add((cid, 1))
            continue
        owed |= {(cid, j) for j in range(1, len(visit_weeks(int(w), len(plan.weeks))) + 1)}
    return owed


def check_plan(book: Book, grades: pd.DataFrame, plan, max_visits: dict[str, int]) -> None:
    owed = required_visits(book, grades, plan)
    planned = list(zip(plan.stops[ROW], plan.stops["visit_no"]))
    left = plan.unplanned.dropna(subset=["visit_no"])
    left_pairs = list(zip(left[ROW], left["visit_no"].astype(int)))
    whole = plan.unplanned[plan.unplanned["visit_no"].isna()][ROW]
    # every owed visit exactly once: on a route, or listed as not fitting, or its customer listed as unplannable
    assert len(planned) == len(set(planned))
    assert not set(planned) & set(left_pairs)
    assert set(planned) | set(left_pairs) | {v for v in owed if v[0] in set(whole)} == owed
    for date in plan.stops["date"].unique():
        assert chinese_calendar.is_workday(date)
    days = plan.day_totals
    assert (days["minutes"] <= book.settings.routes.working_minutes + 1e-6).all()
    for sp, limit in max_visits.items():
        assert (days[days["salesperson_id"] == sp]["visits"] <= limit).all()
    # a customer is seen at most once per working week
    week_of = {day: w for w, ds in enumerate(plan.weeks) for day in (plan.days[i] for i in ds)}
    weeks = plan.stops.assign(week=plan.stops["date"].map(week_of))
    assert not weeks.duplicated([ROW, "week"]).any()


def test_small_office_over_national_day_plans_every_visit_once_within_limits():
    book, grades = small_office()
    plan, issues = routes(book, by_hand(grades))
    check_plan(book, grades, plan, {"S1": 6, "S2": book.settings.routes.max_visits_per_day})
    assert dt.date(2025, 9, 28) in plan.days and dt.date(2025, 10, 11) in plan.days  # make-up working days
    assert not any(dt.date(2025, 10, 1) <= d <= dt.date(2025, 10, 8) for d in plan.days)
    assert len(plan.stops) > 0
    # the customer without coordinates is listed and reported, never dropped silently
    assert "C000" in set(plan.unplanned.query("reason == 'no_coords'")["customer_id"])
    assert any(i.code == "ROUTE_NO_COORDS" and i.cell.endswith("2") for i in issues)
    # lost customers are not visited; prospects only to develop them
    status = dict(zip(book.frame("customers")["customer_id"], book.frame("customers")["status"]))
    assert {status[c] for c in plan.stops["customer_id"]} <= {"active", "intent", "prospect"}
    assert set(plan.stops[plan.stops["customer_id"].map(status) == "prospect"]["purpose"]) == {"prospect"}
    # S2 has no start point: the centre of their customers is used and said so
    assert any(i.code == "ROUTE_NO_BASE" for i in issues)


def test_arrival_times_follow_the_route():
    book, grades = small_office()
    plan, _ = routes(book, by_hand(grades))
    speed, stay = book.settings.routes.travel_speed_kmh, book.settings.routes.visit_minutes
    for _, day in plan.stops.groupby(["salesperson_id", "date"]):
        clock = [int(a[:2]) * 60 + int(a[3:]) for a in day["arrival"]]
        expected = 9 * 60 + np.cumsum(day["km"].to_numpy() / speed * 60) + stay * np.arange(len(day))
        assert np.allclose(clock, expected, atol=1)
        assert list(day["stop"]) == list(range(1, len(day) + 1))


def test_tight_limits_leave_visits_listed_not_lost():
    book, grades = small_office(n=80, max_visits_per_day=2, working_minutes=120)
    plan, issues = routes(book, by_hand(grades))
    check_plan(book, grades, plan, {"S1": 6, "S2": 2})  # S1's own limit on the Salespeople sheet wins
    assert (plan.unplanned["reason"] == "no_room").any()
    assert any(i.code == "ROUTE_NO_ROOM" for i in issues)
    # the lower grades give way first: a smaller share of A visits is left out than of C visits
    left = plan.unplanned.query("reason == 'no_room'")["grade"].value_counts()
    kept = plan.stops["grade"].value_counts()
    share = {g: left.get(g, 0) / (left.get(g, 0) + kept.get(g, 0)) for g in "AC"}
    assert share["A"] < share["C"]


def test_blank_regions_become_balanced_stable_zones():
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.normal(c, 1.0, (30, 2)) for c in ((0, 0), (10, 0), (0, 10))])
    zones = balanced_zones(xy, 5)
    assert np.bincount(zones).max() - np.bincount(zones).min() <= 1
    assert np.array_equal(zones, balanced_zones(xy.copy(), 5))


@hsettings(max_examples=25, deadline=None)
@given(st.integers(5, 30), st.integers(0, 10_000))
def test_tours_visit_every_stop_once_and_beat_nearest_neighbour(n, seed):
    points = np.random.default_rng(seed).random((n, 2)) * 10_000
    matrix = np.rint(np.hypot(*(points[:, None] - points[None]).transpose(2, 0, 1))).astype(np.int64)
    start = nearest_neighbour_tour(matrix)
    for method in ("numpy", "auto"):
        tour = solve_tour(matrix, method)
        assert tour[0] == 0 and sorted(tour) == list(range(n))
        assert tour_length(matrix, tour) <= tour_length(matrix, start)
    assert tour_length(matrix, improve(matrix, start, kicks=0)) <= tour_length(matrix, start)


def test_routes_sheet_lists_days_and_places_a_deterministic_map_per_salesperson():
    book, grades = small_office()
    plan, _ = routes(book, by_hand(grades))
    sheet = routes_sheet(plan, "zh")
    again = routes_sheet(plan, "zh")
    assert sheet.key == "routes" and sheet.name == "拜访路线"
    assert [p.description for p in sheet.pictures] == ["S1 拜访路线图", "S2 拜访路线图"]
    assert all(p.png.startswith(b"\x89PNG") for p in sheet.pictures)
    assert [p.png for p in sheet.pictures] == [p.png for p in again.pictures]
    summary = sheet.blocks[0]
    graded = (plan.stops["purpose"] == "grade").sum()
    assert summary.rows[-1][5] == graded and summary.rows[-1][-1] == len(plan.stops) - graded  # visits planned
    titles = [b.title for b in sheet.blocks]
    first_days = [i for i, t in enumerate(titles) if t and "每日工作量" in t]
    assert [p.anchor for p in sheet.pictures] == [f"L{sheet.block_origin(i)[0]}" for i in first_days]
    names = [row[2] for b in sheet.blocks for row in b.rows if len(row) > 2]
    assert "=HYPERLINK(\"x\")" in names  # hostile text stays a plain string value


def demo_book(**settings) -> Book:
    from salesxl.demo import generate_office

    office = generate_office("S", 7)
    tables = {}
    for key, frame in office.tables.items():
        frame = frame.copy()
        frame[ROW] = range(2, len(frame) + 2)
        tables[key] = TableData(key, frame, sheet=key, header_row=1, letters={})
    return Book(tables=tables, settings=Settings.from_values({**office.settings, **settings}))


@pytest.mark.slow
def test_demo_office_four_weeks_over_national_day_for_every_salesperson_twice_identical():
    book = demo_book(plan_start=dt.date.fromisoformat(HOLIDAY_START))
    people = book.frame("salespeople")
    grades = pd.DataFrame({"customer_id": book.frame("customers")["customer_id"],
                           "grade": np.random.default_rng(1).choice(list("ABCD"), len(book.frame("customers")))})
    plan, _ = routes(book, by_hand(grades))
    check_plan(book, grades, plan, dict(zip(people["salesperson_id"], people["max_visits_per_day"].astype(int))))
    assert set(plan.summary["salesperson_id"]) == set(people["salesperson_id"])
    assert (plan.summary["visits"] > 0).all()
    again, _ = routes(book, by_hand(grades))
    pd.testing.assert_frame_equal(plan.stops, again.stops)


def visit_rank(grade, purpose) -> int:
    """Graded visits by grade (A first), then intent development visits, then prospects."""
    return {"grade": "ABCD".find(grade) if isinstance(grade, str) and grade in "ABCD" else 3,
            "intent": 4, "prospect": 5}[purpose]


def priority_violations(book: Book, plan) -> list[str]:
    """Visits left out for room that would fit a day of their window once that day's lower-grade visits go."""
    settings = book.settings.routes
    per_metre = 60.0 / (settings.travel_speed_kmh * 1000.0)
    limit = dict(zip(book.frame("salespeople")["salesperson_id"], book.frame("salespeople")["max_visits_per_day"]))
    found = []
    cards = book.frame("customers").set_index(ROW)
    by_day = {key: day for key, day in plan.stops.groupby(["salesperson_id", "date"])}
    for miss in plan.unplanned.query("reason == 'no_room'").to_dict("records"):
        sp, own = miss["salesperson_id"], visit_rank(miss["grade"], miss["purpose"])
        customer = cards.loc[miss[ROW]]
        interval = {"grade": int(interval_weeks(pd.Series([miss["grade"]]), settings).iloc[0]),
                    "intent": settings.visit_every_weeks_intent, "prospect": len(plan.weeks)}[miss["purpose"]]
        group = visit_weeks(interval, len(plan.weeks))[int(miss["visit_no"]) - 1]
        max_visits = limit.get(sp)
        max_visits = int(max_visits) if max_visits == max_visits and max_visits is not None else settings.max_visits_per_day
        for day in (plan.days[i] for w in group for i in plan.weeks[w]):
            stops = by_day.get((sp, day), plan.stops.iloc[:0])
            kept = stops[[visit_rank(g, p) <= own for g, p in zip(stops["grade"], stops["purpose"])]]
            if len(kept) + 1 > max_visits:
                continue
            lat = np.array([plan.bases[sp][0], *kept["lat"], float(customer["lat"])])
            lon = np.array([plan.bases[sp][1], *kept["lon"], float(customer["lon"])])
            m = metres(road_matrix(lat, lon, settings.road_factor))
            tour = np.arange(len(kept) + 1)
            after = np.roll(tour, -1)
            new = len(lat) - 1
            length = m[tour, after].sum() + (m[tour, new] + m[new, after] - m[tour, after]).min()
            if length * per_metre + settings.visit_minutes * (len(kept) + 1) <= settings.working_minutes + 1e-6:
                found.append(f"{sp} {miss['customer_id']} ({miss['grade']}) week {miss['week']} fits {day}")
    return found


@hsettings(max_examples=10, deadline=None)
@given(st.integers(0, 10_000), st.integers(80, 130), st.integers(3, 6), st.sampled_from([240, 300, 480]))
def test_no_visit_is_left_out_for_room_that_lower_grades_hold(seed, n, max_visits, minutes):
    """Over-full offices (mostly A and B customers): a visit is left out only when the days it may take hold
    no room even after every lower-grade visit there is taken off."""
    book, grades = small_office(n=n, seed=seed, max_visits_per_day=max_visits, working_minutes=minutes)
    grades["grade"] = np.random.default_rng(seed).choice(list("ABCD"), n, p=[0.45, 0.35, 0.15, 0.05])
    plan, _ = routes(book, by_hand(grades))
    check_plan(book, grades, plan, {"S1": 6, "S2": max_visits})
    assert priority_violations(book, plan) == []


TSPLIB = Path(__file__).parent / "data" / "tsplib"


def test_tsplib_benchmark_measures_on_each_instance_type_own_distances():
    """Published optima hold under the benchmark's matrices: ATT (att48: 10628), GEO (ulysses16: 6859)."""
    from benchmarks.bench_routing import tsplib_matrix

    att = tsplib_matrix(TSPLIB / "att48.tsp")
    lines = (TSPLIB / "att48.opt.tour").read_text().split("TOUR_SECTION")[1].split()
    optimal = [int(t) - 1 for t in lines if t not in ("-1", "EOF")]
    assert tour_length(att, optimal) == 10628
    geo = tsplib_matrix(TSPLIB / "ulysses16.tsp")
    assert tour_length(geo, solve_tour(geo, "numpy")) == 6859


def test_ceil_2d_rounds_every_distance_up(tmp_path):
    from benchmarks.bench_routing import tsplib_matrix

    (tmp_path / "two.tsp").write_text("NAME: two\nEDGE_WEIGHT_TYPE : CEIL_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n")
    (tmp_path / "two_euc.tsp").write_text("NAME: two\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n")
    assert tsplib_matrix(tmp_path / "two.tsp")[0, 1] == 2  # ceil(1.414)
    assert tsplib_matrix(tmp_path / "two_euc.tsp")[0, 1] == 1  # nearest integer


def test_ortools_always_runs_under_a_time_limit():
    from salesxl.passes.routing.solver import ORTOOLS_TIME_LIMIT_S, ortools_parameters

    assert 0 < ortools_parameters().time_limit.ToMilliseconds() <= ORTOOLS_TIME_LIMIT_S * 1000
    assert ortools_parameters(2.0).time_limit.ToMilliseconds() == 2000


def test_routes_sheet_states_the_distances_speed_and_frequencies_it_planned_with():
    book, grades = small_office(plan_weeks=3, road_factor=1.45, travel_speed_kmh=30, visit_minutes=40,
                                plan_start=dt.date(2025, 11, 3))  # three plain working weeks
    plan, _ = routes(book, by_hand(grades))
    assert len(plan.weeks) == 3
    sheet = routes_sheet(plan, "en")
    values = {row[0]: row[1] for b in sheet.blocks if b.title == "Settings this plan was made with" for row in b.rows}
    assert values["Road circuity factor (straight line × factor)"] == 1.45
    assert values["Average speed (km/h)"] == 30 and values["Minutes per visit"] == 40
    frequency = next(b for b in sheet.blocks if b.title == "Visit frequency in effect per grade")
    by_grade = {row[0]: row for row in frequency.rows}
    # a fortnightly B customer is seen once in a three-week plan: every 3 weeks in effect
    assert by_grade["B"][1:4] == [2, 1, 3.0]
    assert by_grade["A"][1:4] == [1, 3, 1.0]
    owed = required_visits(book, grades, plan)
    assert sum(row[5] for row in frequency.rows) == len(owed)


def test_capacity_planning_says_who_is_short_and_what_would_make_the_plan_fit():
    book, grades = small_office(n=120, seed=5, max_visits_per_day=3, working_minutes=300)
    grades["grade"] = np.random.default_rng(5).choice(list("ABC"), 120, p=[0.5, 0.3, 0.2])
    people = book.frame("salespeople")
    people.loc[people["salesperson_id"] == "S1", "max_visits_per_day"] = 12  # S1 has room to spare
    plan, _ = routes(book, by_hand(grades))
    capacity = plan.capacity.set_index("salesperson_id")
    summary = plan.summary.set_index("salesperson_id")
    assert list(capacity.index) == list(summary.index)
    assert (capacity["required"] == summary["required"]).all()
    assert (capacity["visit_capacity"] == capacity["days"] * capacity["max_visits"]).all()
    short = capacity.loc["S2"]
    assert summary.loc["S2", "unplanned"] > 0 and short["shortfall"] > 0 and short["extra_days"] > 0
    assert short["lower_grade"] in {"A", "B", "C"} and short["lower_saves"] > 0
    # the handover names S2's own customers, nearest to S1's start point first, and stays within S1's room
    assert short["hand_to"] == "S1"
    named = short["hand_customers"].replace(" …", "").split(", ")
    mine = set(book.frame("customers").query("salesperson_id == 'S2'")["customer_id"])
    assert named and set(named) <= mine
    assert capacity.loc["S1", "shortfall"] == 0
    sheet = routes_sheet(plan, "zh")
    block = next(b for b in sheet.blocks if b.table_name == "tblRouteCapacity")
    advice = {row[0]: row[-1] for row in block.rows}
    assert advice["S1"] == "排得下" and "S1" in advice["S2"] and "周拜访一次" in advice["S2"]


@pytest.fixture(scope="module")
def demo_plan():
    """The demo office planned at its own (default) settings, grades from the grade pass."""
    from salesxl.pipeline import run_passes

    book = demo_book()
    return book, run_passes(book, ["routes"])["routes"]


def test_demo_office_default_plan_fits_and_what_is_left_is_explained(demo_plan):
    book, plan = demo_plan
    summary, capacity = plan.summary.set_index("salesperson_id"), plan.capacity.set_index("salesperson_id")
    assert summary["visits"].sum() >= 0.9 * summary["required"].sum()
    short = summary.index[summary["unplanned"] > 0]
    assert (capacity.loc[short, "shortfall"] > 0).all() and (capacity.loc[short, "extra_days"] > 0).all()
    assert capacity.loc[short, "lower_grade"].notna().all()
    assert priority_violations(book, plan) == []
    purposes = set(plan.stops["purpose"])
    assert {"intent", "prospect"} <= purposes
