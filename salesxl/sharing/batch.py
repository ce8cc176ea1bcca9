"""Recalculate many workbooks at once, one process per core, each file on its own.

A failure stays with its file: whatever goes wrong becomes that file's report
(failed, with a message) and the other files go on. A workbook open in Excel
(its owner file ~$name beside it) is skipped and reported, not waited for.
Reports come back in the order the files were given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Iterable

from salesxl.core.issues import WorkbookError
from salesxl.core.run_report import RunReport
from salesxl.files import recalc_file
from salesxl.io.opening import OLE_MAGIC, lock_owner_file


def recalc_one(path: Path | str, out: Path | str | None = None, password: str | None = None,
               outputs: list[str] | None = None) -> RunReport:
    """Recalculate one workbook (decrypted and encrypted again when it has a password), all reports or the
    chosen `outputs`; never raises."""
    path = Path(path)
    target = Path(out) if out else None
    try:
        owner = lock_owner_file(path)
        if owner is not None:
            return RunReport.failed(str(path), "FILE_LOCKED", (
                f"{path.name} 正在被 Excel/WPS 打开（{owner.name}），已跳过 / "
                f"{path.name} is open in Excel/WPS ({owner.name}); skipped"))
        if path.is_file() and _encrypted(path):
            return _recalc_encrypted(path, target, password, outputs)
        return recalc_file(path, out=target, outputs=outputs)
    except WorkbookError as error:
        return RunReport.failed(str(path), error.code, error.message())
    except Exception as error:  # one file's bug must not stop the batch
        return RunReport.failed(str(path), "INTERNAL_ERROR", f"{type(error).__name__}: {error}")


def _encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == OLE_MAGIC


def _recalc_encrypted(path: Path, target: Path | None, password: str | None,
                      outputs: list[str] | None) -> RunReport:
    from salesxl.sharing.share import decrypt_to, encrypt_file

    target = target or path
    folder = tempfile.mkdtemp(prefix=".salesxl-", dir=target.parent)
    try:
        plain = Path(folder) / path.name
        decrypt_to(path, password, plain)
        report = recalc_file(plain, outputs=outputs)
        if report.ok:
            if target.exists():
                shutil.copy2(target, target.with_name(target.stem + ".bak" + target.suffix))
            encrypt_file(plain, password, target)
        report.workbook = str(path)
        return report
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_batch(paths: Iterable[Path | str], workers: int | None = None, out_dir: Path | str | None = None, *,
              password: str | None = None, outputs: list[str] | None = None,
              on_done: Callable[[RunReport], None] | None = None) -> list[RunReport]:
    """Recalculate `paths` with `workers` processes (default: one per core), in place or into `out_dir`.
    `on_done` is called in this process as each file finishes (for a progress bar)."""
    paths = [Path(p) for p in paths]
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths) or 1))
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    outs = [Path(out_dir) / p.name if out_dir is not None else None for p in paths]
    reports: list[RunReport | None] = [None] * len(paths)
    if workers == 1:
        for i, (path, out) in enumerate(zip(paths, outs)):
            reports[i] = recalc_one(path, out, password, outputs)
            if on_done:
                on_done(reports[i])
        return reports  # type: ignore[return-value]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(recalc_one, path, out, password, outputs): i for i, (path, out) in enumerate(zip(paths, outs))}
        for future in as_completed(futures):
            i = futures[future]
            try:
                reports[i] = future.result()
            except Exception as error:  # the worker process itself died
                reports[i] = RunReport.failed(str(paths[i]), "INTERNAL_ERROR", f"{type(error).__name__}: {error}")
            if on_done:
                on_done(reports[i])
    return reports  # type: ignore[return-value]
