"""Recalculate many workbooks at once, one process per core or on a Dask cluster, each file on its own.

One job, `recalc_bytes`, serves both: a workbook's bytes (and password) in, its
new bytes and report out, touching nothing but a private temporary folder of the
process that runs it. So a worker needs no shared drive; this process keeps
every file's write lock from reading it to storing the result, and stores it
atomically with its backup. A failure stays with its file: whatever goes wrong
becomes that file's report (failed, with a message), the file is left as it was
and the other files go on. A workbook open in Excel (its owner file ~$name
beside it) is skipped and reported, not waited for. Reports come back in the
order the files were given.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Iterable

from salesxl.core.issues import WorkbookError
from salesxl.core.run_report import RunReport
from salesxl.files import recalc_file
from salesxl.io.lock import writing
from salesxl.io.opening import OLE_MAGIC, file_error, lock_owner_file
from salesxl.io.read_issues import FILE_MISSING
from salesxl.io.xlsx.package import replace_file
from salesxl.passes.routing.vrp import THREADS_VARIABLE


def recalc_one(path: Path | str, out: Path | str | None = None, password: str | None = None,
               outputs: list[str] | None = None) -> RunReport:
    """Recalculate one workbook (decrypted and encrypted again when it has a password), all reports or the
    chosen `outputs`; never raises."""
    path = Path(path)
    target = Path(out) if out else None
    try:
        _refuse_if_open(path)
        if path.is_file() and _encrypted(path):
            return _recalc_encrypted(path, target, password, outputs)
        return recalc_file(path, out=target, outputs=outputs)
    except Exception as error:  # one file's bug must not stop the batch
        return _failed(path, error)


def _refuse_if_open(path: Path) -> None:
    """A workbook open in Excel/WPS is skipped, not waited for."""
    owner = lock_owner_file(path)
    if owner is not None:
        raise WorkbookError("FILE_LOCKED", f"{path.name} 正在被 Excel/WPS 打开（{owner.name}），已跳过",
                            f"{path.name} is open in Excel/WPS ({owner.name}); skipped", path=str(path))


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


def recalc_bytes(name: str, data: bytes, password: str | None = None,
                 outputs: list[str] | None = None) -> tuple[bytes | None, RunReport]:
    """The per-workbook job of a batch, on a pool process or a cluster worker: the recalculated bytes
    (None when it failed) and the report. Runs `recalc_one` on a copy in a private temporary folder, so
    a worker needs nothing but the bytes it was sent; never raises."""
    with tempfile.TemporaryDirectory(prefix="salesxl-job-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        report = recalc_one(path, password=password, outputs=outputs)
        new = path.read_bytes() if report.ok else None
    private = str(path)  # the worker's folder stays private: messages name the file as the client knows it
    report.workbook, report.message = name, report.message.replace(private, name)
    report.issues = [issue.model_copy(update={"message": issue.message.replace(private, name)})
                     if private in issue.message else issue for issue in report.issues]
    return new, report


def _failed(path: Path, error: BaseException) -> RunReport:
    if isinstance(error, WorkbookError):
        return RunReport.failed(str(path), error.code, error.message())
    return RunReport.failed(str(path), "INTERNAL_ERROR", f"{type(error).__name__}: {error}")


class _Inline:
    """The one-process "pool": runs each job when it is submitted."""

    class Done:
        def __init__(self, value: Any):
            self.value = value

        def result(self) -> Any:
            return self.value

    def submit(self, job: Callable, *args: Any) -> "_Inline.Done":
        return self.Done(job(*args))

    @staticmethod
    def first_done(pending: Iterable) -> set:
        return set(pending)


class _Pool:
    """A process pool: one process per core on this machine."""

    def __init__(self, pool: ProcessPoolExecutor):
        self.pool = pool

    def submit(self, job: Callable, *args: Any):
        return self.pool.submit(job, *args)

    @staticmethod
    def first_done(pending: Iterable) -> set:
        return wait(list(pending), return_when=FIRST_COMPLETED).done


class _Cluster:
    """A Dask distributed cluster: the bytes go to a worker once (scattered), the job follows them there.
    A worker that dies mid-job is rescheduled by the scheduler; a job that raises is retried once."""

    def __init__(self, client: Any):
        self.client = client

    def submit(self, job: Callable, name: str, data: bytes, *args: Any):
        [remote] = self.client.scatter([data], hash=False)
        return self.client.submit(job, name, remote, *args, pure=False, retries=1)

    @staticmethod
    def first_done(pending: Iterable) -> set:
        from distributed import wait as dask_wait

        return dask_wait(list(pending), return_when="FIRST_COMPLETED").done


def connect(scheduler: str) -> Any:
    """A Dask client of the scheduler at `scheduler` (tcp://HOST:8786), or a clear WorkbookError."""
    try:
        from distributed import Client
    except ImportError:
        raise WorkbookError(
            "CLUSTER_UNAVAILABLE", "未安装集群组件：请运行 pip install \"salesxl[cluster]\"。",
            'The cluster extra is not installed: run pip install "salesxl[cluster]".') from None
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise WorkbookError(
            "CLUSTER_UNAVAILABLE", f"无法连接集群调度器 {scheduler}：{error}",
            f"Cannot reach the cluster scheduler {scheduler}: {error}") from None


def run_batch(paths: Iterable[Path | str], workers: int | None = None, out_dir: Path | str | None = None, *,
              password: str | None = None, outputs: list[str] | None = None,
              on_done: Callable[[RunReport], None] | None = None, scheduler: str | None = None) -> list[RunReport]:
    """Recalculate `paths` with `workers` processes (default: one per core), or on the Dask cluster whose
    scheduler is at `scheduler`, in place or into `out_dir`. `on_done` is called in this process as each
    file finishes (for a progress bar)."""
    paths = [Path(p) for p in paths]
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    if scheduler is not None:
        client = connect(scheduler)
        try:
            return _Batch(paths, out_dir, password, outputs, on_done).run(_Cluster(client), 2 * _cores(client))
        finally:
            client.close()
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths) or 1))
    if workers == 1:
        return _Batch(paths, out_dir, password, outputs, on_done).run(_Inline(), 1)
    with ProcessPoolExecutor(max_workers=workers, initializer=_one_solver_thread) as pool:
        return _Batch(paths, out_dir, password, outputs, on_done).run(_Pool(pool), 2 * workers)


def _one_solver_thread() -> None:
    """A pool's processes already use every core: the route solver in each takes one thread."""
    os.environ[THREADS_VARIABLE] = "1"


def _cores(client: Any) -> int:
    return max(1, sum(client.nthreads().values()))


class _Batch:
    """Files through an executor: at most `window` in flight (their bytes are held in memory), each file's
    write lock held from reading its bytes to storing its result."""

    def __init__(self, paths: list[Path], out_dir: Path | str | None, password: str | None,
                 outputs: list[str] | None, on_done: Callable[[RunReport], None] | None):
        self.paths, self.password, self.outputs, self.on_done = paths, password, outputs, on_done
        self.targets = [Path(out_dir) / p.name if out_dir is not None else p for p in paths]
        self.reports: list[RunReport | None] = [None] * len(paths)

    def run(self, executor: Any, window: int) -> list[RunReport]:
        pending: dict[Any, tuple[int, ExitStack]] = {}
        queue = iter(range(len(self.paths)))
        while True:
            while len(pending) < window and (i := next(queue, None)) is not None:
                self._start(executor, i, pending)
            if not pending:
                return self.reports  # type: ignore[return-value]
            for future in executor.first_done(pending):
                i, lock = pending.pop(future)
                with lock:
                    self._finish(i, future)

    def _start(self, executor: Any, i: int, pending: dict) -> None:
        path = self.paths[i]
        lock = ExitStack()
        try:
            _refuse_if_open(path)
            lock.enter_context(writing(self.targets[i]))
            try:
                data = path.read_bytes()
            except (FileNotFoundError, IsADirectoryError):
                raise file_error(FILE_MISSING, path) from None
            future = executor.submit(recalc_bytes, str(path), data, self.password, self.outputs)
        except BaseException as error:
            lock.close()
            if not isinstance(error, Exception):
                raise
            self._report(i, _failed(path, error))
            return
        pending[future] = (i, lock)

    def _finish(self, i: int, future: Any) -> None:
        try:
            data, report = future.result()
            if data is not None:
                replace_file(self.targets[i], data, backup=True)
        except Exception as error:  # the worker died for good, or the result could not be stored
            report = _failed(self.paths[i], error)
        self._report(i, report)

    def _report(self, i: int, report: RunReport) -> None:
        report.workbook = str(self.paths[i])
        self.reports[i] = report
        if self.on_done:
            self.on_done(report)
