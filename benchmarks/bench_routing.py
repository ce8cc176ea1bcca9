"""Route quality and speed: TSPLIB gaps to optimum, demo day routes against OR-Tools, planning time.

Run: python benchmarks/bench_routing.py [--gls-seconds 5] [--day-routes 12]
Prints three tables; nothing here is a test (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import os
import csv
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book, TableData
from salesxl.passes.routing.geo import metres, road_matrix
from salesxl.passes.routing.solver import (
    available, nearest_neighbour_tour, ortools_tour, solve_tour, tour_length, vroom_tour,
)
from salesxl.schema import Settings

ROOT = Path(__file__).resolve().parents[1]
#: shared/ lies beside the checkout; SALESXL_SHARED points elsewhere.
FIXTURES = Path(os.environ.get("SALESXL_SHARED", ROOT.parent / "shared")) / "fixtures" / "routing"


def tsplib_matrix(path: Path) -> np.ndarray:
    """The instance's integer distance matrix by its EDGE_WEIGHT_TYPE, as TSPLIB 95 defines each one
    (EUC_2D, CEIL_2D, ATT, GEO), so gaps to the published optima are measured on the published distances."""
    header, points, reading = {}, [], False
    for line in path.read_text().splitlines():
        text = line.strip()
        if text.startswith("NODE_COORD_SECTION"):
            reading = True
        elif text == "EOF":
            break
        elif reading and text:
            _, x, y = text.split()[:3]
            points.append((float(x), float(y)))
        elif ":" in text:
            key, value = text.split(":", 1)
            header[key.strip().upper()] = value.strip()
    kind = header.get("EDGE_WEIGHT_TYPE", "EUC_2D").upper()
    if kind not in DISTANCES:
        raise ValueError(f"{path.name}: EDGE_WEIGHT_TYPE {kind} is not one of {', '.join(DISTANCES)}")
    return DISTANCES[kind](np.array(points))


def _nint(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5).astype(np.int64)


def _euclid(p: np.ndarray) -> np.ndarray:
    return np.hypot(*(p[:, None] - p[None]).transpose(2, 0, 1))


def _att(p: np.ndarray) -> np.ndarray:
    """Pseudo-Euclidean: sqrt(d²/10), rounded up whenever rounding to the nearest would go below it."""
    r = np.sqrt(((p[:, None] - p[None]) ** 2).sum(axis=2) / 10.0)
    t = _nint(r)
    return np.where(t < r, t + 1, t)


def _geo(p: np.ndarray) -> np.ndarray:
    """Geographical: DDD.MM coordinates (degrees, minutes), an idealised sphere of radius 6378.388 km."""
    degrees = np.trunc(p)
    rad = 3.141592 * (degrees + 5.0 * (p - degrees) / 3.0) / 180.0  # TSPLIB's own value of pi
    lat, lon = rad[:, 0], rad[:, 1]
    q1 = np.cos(lon[:, None] - lon[None])
    q2 = np.cos(lat[:, None] - lat[None])
    q3 = np.cos(lat[:, None] + lat[None])
    d = (6378.388 * np.arccos(np.clip(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3), -1.0, 1.0)) + 1.0).astype(np.int64)
    np.fill_diagonal(d, 0)
    return d


DISTANCES = {
    "EUC_2D": lambda p: _nint(_euclid(p)),
    "CEIL_2D": lambda p: np.ceil(_euclid(p)).astype(np.int64),
    "ATT": _att,
    "GEO": _geo,
}


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def methods(gls_seconds: float) -> dict[str, callable]:
    found = {"numpy NN (raw)": nearest_neighbour_tour, "salesxl numpy": lambda m: solve_tour(m, "numpy")}
    if available("vroom"):
        found["VROOM (raw)"] = vroom_tour
        found["salesxl auto (VROOM+ILS)"] = lambda m: solve_tour(m, "auto")
    if available("ortools"):
        found["OR-Tools greedy (raw)"] = ortools_tour
        found["salesxl ortools"] = lambda m: solve_tour(m, "ortools")
        found[f"OR-Tools GLS {gls_seconds:g}s"] = lambda m: ortools_tour(m, gls_seconds)
    return found


def tsplib_table(gls_seconds: float) -> None:
    with open(FIXTURES / "instances.tsv") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    solvers = methods(gls_seconds)
    gaps: dict[str, list[float]] = {name: [] for name in solvers}
    print("\nTSPLIB: gap to optimum % (seconds)")
    print(f"{'instance':10} {'n':>4} " + " ".join(f"{name:>26}" for name in solvers))
    for row in rows:
        matrix = tsplib_matrix(FIXTURES / f"{row['name']}.tsp")
        optimum = float(row["optimum_or_bks"])
        cells = []
        for name, solve in solvers.items():
            tour, seconds = timed(solve, matrix)
            gap = (tour_length(matrix, tour) / optimum - 1) * 100
            if len(matrix) <= 150:
                gaps[name].append(gap)
            cells.append(f"{gap:7.2f}% ({seconds:6.3f}s)")
        print(f"{row['name']:10} {len(matrix):>4} " + " ".join(f"{c:>26}" for c in cells))
    print(f"{'median ≤150':15} " + " ".join(f"{statistics.median(g):25.2f}%" for g in gaps.values()))


def demo_book(**settings) -> Book:
    from salesxl.demo import generate_office

    office = generate_office("S", 7)
    tables = {}
    for key, frame in office.tables.items():
        frame = frame.copy()
        frame[ROW] = range(2, len(frame) + 2)
        tables[key] = TableData(key, frame, sheet=key, header_row=1, letters={})
    return Book(tables=tables, settings=Settings({**office.settings, **settings}))


def plan_demo():
    from salesxl.passes.grade import grade
    from salesxl.passes.routes import routes

    book = demo_book()
    grades, grade_seconds = timed(grade, book, {})
    (plan, _), first = timed(routes, book, {"grade": grades[0]})
    (again, _), second = timed(routes, book, {"grade": grades[0]})
    same = plan.stops.equals(again.stops)
    s = plan.summary
    print(f"\nPlanning the S demo office ({len(s)} salespeople, {int(s['customers'].sum())} planned customers, "
          f"{len(plan.days)} working days from {plan.start}):")
    print(f"  grade pass {grade_seconds:.2f}s; "
          f"routes pass {first:.2f}s, again {second:.2f}s; identical routes: {same}")
    print(s[["salesperson_id", "customers", "required", "visits", "unplanned", "km", "minutes",
             "max_day_minutes", "min_day_minutes", "workload_ratio"]].to_string(index=False))
    return book, plan


def day_routes_table(book: Book, plan, count: int, gls_seconds: float) -> None:
    factor = float(book.settings["road_factor"])
    groups = sorted(plan.stops.groupby(["salesperson_id", "date"]), key=lambda kv: (-len(kv[1]), kv[0]))[:count]
    solvers = {k: v for k, v in methods(gls_seconds).items() if "raw" not in k}
    totals = {name: [0.0, []] for name in solvers}
    for (sp, _), stops in groups:
        base = plan.bases[sp]
        lat = np.concatenate([[base[0]], stops["lat"].to_numpy(float)])
        lon = np.concatenate([[base[1]], stops["lon"].to_numpy(float)])
        matrix = metres(road_matrix(lat, lon, factor))
        for name, solve in solvers.items():
            tour, seconds = timed(solve, matrix)
            totals[name][0] += tour_length(matrix, tour)
            totals[name][1].append(seconds)
    reference = next(v for k, v in totals.items() if k.startswith("OR-Tools GLS"))
    sizes = [len(s) for _, s in groups]
    print(f"\nDemo day routes: the {len(groups)} longest ({min(sizes)}-{max(sizes)} stops)")
    print(f"{'method':28} {'total km':>10} {'vs GLS':>8} {'median s':>9} {'time vs GLS':>12}")
    for name, (length, seconds) in totals.items():
        print(f"{name:28} {length / 1000:10.2f} {(length / reference[0] - 1) * 100:7.2f}% "
              f"{statistics.median(seconds):9.4f} {statistics.median(seconds) / statistics.median(reference[1]):11.4f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gls-seconds", type=float, default=5.0)
    parser.add_argument("--day-routes", type=int, default=12)
    args = parser.parse_args()
    tsplib_table(args.gls_seconds)
    book, plan = plan_demo()
    day_routes_table(book, plan, args.day_routes, args.gls_seconds)


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main()
