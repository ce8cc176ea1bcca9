"""How long the demo office generator takes for each size.

Usage: python benchmarks/bench_demo.py [SIZE ...]   (default: S M)
"""

from __future__ import annotations

import sys
import time

from salesxl.demo import SIZES, generate_office


def main(sizes: list[str]) -> None:
    for size in sizes:
        started = time.perf_counter()
        office = generate_office(size)
        seconds = time.perf_counter() - started
        rows = {key: len(frame) for key, frame in office.tables.items()}
        print(f"{size}: {seconds:.1f} s  customers={rows['customers']:,}  order lines={rows['orders']:,}  "
              f"visits={rows['visits']:,}  payments={rows['payments']:,}  (spec {SIZES[size]})")


if __name__ == "__main__":
    main(sys.argv[1:] or ["S", "M"])
