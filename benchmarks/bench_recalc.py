"""Read and recalc times on a generated office, as ratios to a bare python-calamine read.

    python benchmarks/bench_recalc.py --size M [--runs 3]

The office is generated once into benchmarks/.cache/ (deterministic, seed 7).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from salesxl import pipeline
from salesxl.files import make_demo, recalc_file
from salesxl.io.reader import read_book

CACHE = Path(__file__).with_name(".cache")


def bare_read(path: Path) -> int:
    """What any program must pay: every cell of every sheet through calamine."""
    book = CalamineWorkbook.from_path(str(path))
    return sum(len(book.get_sheet_by_name(name).to_python()) for name in book.sheet_names)


def timed(func, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    office = CACHE / f"office-{args.size}-{args.seed}.xlsx"
    if not office.exists():
        start = time.perf_counter()
        make_demo(office, size=args.size, seed=args.seed)
        print(f"generated {office.name} ({office.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    rows = bare_read(office)
    bare = timed(lambda: bare_read(office), args.runs)
    read = timed(lambda: read_book(office), args.runs)
    book = read_book(office)
    passes = timed(lambda: pipeline.run(book), args.runs)

    def recalc() -> None:
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / office.name
            shutil.copyfile(office, copy)
            report = recalc_file(copy)
            assert report.ok, report.message

    total = timed(recalc, args.runs)
    print(f"office {args.size}: {rows:,} rows, {office.stat().st_size / 1e6:.1f} MB, median of {args.runs}")
    print(f"{'step':<28}{'seconds':>10}{'× bare read':>14}")
    for label, seconds in [("bare calamine read", bare), ("salesxl read_book", read),
                           ("passes + reports", passes), ("recalc (read+run+write)", total)]:
        print(f"{label:<28}{seconds:>10.2f}{seconds / bare:>14.2f}")


if __name__ == "__main__":
    main()
