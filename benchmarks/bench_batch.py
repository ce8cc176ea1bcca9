"""Batch recalculation speed: files per second over copies of the S demo, with 1 and 2 processes.

    python benchmarks/bench_batch.py [--copies 50] [--workers 1,2]

The result cache (plans, route maps) is switched off for the run: the copies are one office, and a folder of
real offices shares no plan, so every file is recalculated as if it were new.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from salesxl.sharing.batch import run_batch

DEMO = Path(__file__).resolve().parents[1] / "workbooks" / "demo.xlsx"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sxl_bench_") as folder:
        no_cache = Path(folder) / "no-cache"
        no_cache.write_text("a file where the cache folder would be: nothing is kept")
        os.environ["SALESXL_CACHE_DIR"] = str(no_cache)  # the worker processes inherit it
        source = Path(folder) / "in"
        source.mkdir()
        paths = [source / f"office{i:03d}.xlsx" for i in range(args.copies)]
        for path in paths:
            shutil.copyfile(DEMO, path)
        for workers in (int(w) for w in args.workers.split(",")):
            out = Path(folder) / f"out{workers}"
            start = time.perf_counter()
            reports = run_batch(paths, workers=workers, out_dir=out)
            seconds = time.perf_counter() - start
            failed = sum(1 for r in reports if not r.ok)
            print(f"{workers} process(es): {len(paths)} files in {seconds:.1f} s = {len(paths) / seconds:.2f} files/s"
                  f" ({seconds / len(paths):.1f} s per file){f', {failed} failed' if failed else ''}", flush=True)
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
