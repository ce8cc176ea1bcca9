"""How much the reader adds to a bare calamine read, on a 500,000-line Orders sheet.

Usage: python benchmarks/bench_reader.py [--rows N] [--file PATH]
The generated workbook is kept (default in the temp folder) and reused by later runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

import python_calamine
import xlsxwriter

from salesxl.io.reader import read_book
from salesxl.schema import TABLES_BY_KEY

ORDERS = TABLES_BY_KEY["orders"]


def generate(path: Path, rows: int) -> None:
    """An Orders sheet of `rows` lines in 16 columns, mostly clean, with a few messy cells."""
    rng = random.Random(7)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(ORDERS.zh)
    for col, column in enumerate(ORDERS.columns):
        sheet.write_string(0, col, column.zh)
    start = dt.date(2023, 1, 1)
    statuses = [c.zh for c in ORDERS.column("status").choices]
    for r in range(1, rows + 1):
        day = start + dt.timedelta(days=rng.randrange(730))
        quantity = rng.randrange(1, 200)
        price = round(rng.uniform(1, 500), 2)
        messy = rng.random() < 0.001
        sheet.write_string(r, 0, f"L{r:07d}")
        sheet.write_string(r, 1, f"SO{r // 3:06d}")
        if messy:
            sheet.write_string(r, 2, day.strftime("%Y年%m月%d日"))
        else:
            sheet.write_datetime(r, 2, dt.datetime.combine(day, dt.time()), date_format)
        sheet.write_number(r, 3, 100000 + rng.randrange(5000))
        sheet.write_string(r, 4, f"S{rng.randrange(40):03d}")
        sheet.write_string(r, 5, f"P{rng.randrange(800):04d}")
        sheet.write_string(r, 6, f"产品{rng.randrange(800)}")
        sheet.write_string(r, 7, rng.choice(["五金", "电料", "工具", "耗材"]))
        sheet.write_number(r, 8, quantity)
        if messy:
            sheet.write_string(r, 9, f"¥{price:,.2f}")
        else:
            sheet.write_number(r, 9, price)
        sheet.write_number(r, 10, round(quantity * price, 2))
        sheet.write_string(r, 11, "销售")
        sheet.write_string(r, 12, rng.choice(statuses))
        if rng.random() < 0.7:
            sheet.write_string(r, 13, f"INV{r:08d}")
            sheet.write_datetime(r, 14, dt.datetime.combine(day, dt.time()), date_format)
        sheet.write_datetime(r, 15, dt.datetime.combine(day + dt.timedelta(days=30), dt.time()), date_format)
    book.close()


def bare_read(path: Path) -> int:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = 0
    for name in book.sheet_names:
        rows += len(book.get_sheet_by_name(name).to_python())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = args.file or Path(tempfile.gettempdir()) / f"salesxl-bench-orders-{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")

    bare, bare_no_gc, full = [], [], []
    for _ in range(args.repeat):
        bare.append(timed(bare_read, path))
        gc.disable()
        bare_no_gc.append(timed(bare_read, path))
        gc.enable()
        full.append(timed(read_book, path))
    book = read_book(path)
    bare_s, full_s = statistics.median(bare), statistics.median(full)
    print(f"rows read: {len(book.frame('orders')):,}; issues: {len(book.issues):,}")
    print(f"bare calamine read:             {bare_s:.2f} s")
    print(f"bare calamine read, GC paused:  {statistics.median(bare_no_gc):.2f} s")
    print(f"read_book:                      {full_s:.2f} s")
    print(f"ratio read_book / bare:         {full_s / bare_s:.2f}")


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
