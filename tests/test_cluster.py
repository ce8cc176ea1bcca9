"""A folder recalculated on a real Dask cluster gives the process pool's sheets; a broken file stays as it was."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesxl.cli import app
from salesxl.io.reader import read_book
from salesxl.sharing.batch import run_batch
from tests.support import sheet_part
from tests.test_merge import _office

distributed = pytest.importorskip("distributed")  # the optional extra salesxl[cluster]; CI installs it

STAMP = re.compile(rb"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")  # the run time in each sheet's header line


@pytest.fixture(scope="module")
def scheduler():
    """Two worker processes, one thread each: real serialisation, real scheduling, no mocks."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _folder(folder: Path) -> list[Path]:
    folder.mkdir()
    offices = [folder / f"office{i}.xlsx" for i in range(3)]
    for path in offices:
        _office(path)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    return offices


def _result_sheets(path: Path) -> dict[str, bytes]:
    """Each tool sheet's XML, the header line's run time blanked. RunLog is left out: it records the
    run's wall clock and durations by design."""
    names = [n for n in read_book(path).sheet_names if n not in ("运行记录", "RunLog")]
    tool = [n for n in names if b"salesxl" in sheet_part(path, n)]
    return {name: STAMP.sub(b"<time>", sheet_part(path, name)) for name in tool}


def test_cluster_writes_the_pool_s_sheets_and_leaves_a_broken_file_untouched(tmp_path: Path, scheduler: str):
    pool_files = _folder(tmp_path / "pool")
    cluster_files = _folder(tmp_path / "cluster")
    before = {p.name: p.read_bytes() for p in cluster_files}
    broken = tmp_path / "cluster" / "broken.xlsx"
    broken_bytes = broken.read_bytes()

    pool = run_batch(sorted((tmp_path / "pool").iterdir()), workers=2)
    run = CliRunner().invoke(app, ["recalc", str(tmp_path / "cluster"), "--scheduler", scheduler, "--json"])

    assert run.exit_code == 1, run.output  # one file failed
    reports = {Path(r["workbook"]).name: r for r in map(json.loads, run.stdout.splitlines())}  # JSON Lines
    assert set(reports) == {"broken.xlsx", "office0.xlsx", "office1.xlsx", "office2.xlsx"}
    assert not reports["broken.xlsx"]["ok"] and "broken.xlsx" in reports["broken.xlsx"]["message"]
    assert "salesxl-job-" not in reports["broken.xlsx"]["message"]  # the worker's private folder stays private
    assert broken.read_bytes() == broken_bytes and not broken.with_name("broken.bak.xlsx").exists()
    assert [r.ok for r in pool] == [False, True, True, True]
    for pool_path, path in zip(pool_files, cluster_files):
        assert reports[path.name]["ok"], reports[path.name]["message"]
        assert reports[path.name]["sheets"] == next(r.sheets for r in pool if r.path == str(pool_path))
        assert path.with_name(path.stem + ".bak.xlsx").read_bytes() == before[path.name]
        sheets = _result_sheets(path)
        assert sheets and sheets == _result_sheets(pool_path)
    assert not [p.name for p in (tmp_path / "cluster").iterdir() if ".salesxl" in p.name]  # no lock or temp left


def test_unreachable_scheduler_is_a_message_not_a_traceback(tmp_path: Path):
    folder = tmp_path / "office"
    folder.mkdir()
    _office(folder / "a.xlsx")
    before = (folder / "a.xlsx").read_bytes()

    run = CliRunner().invoke(app, ["recalc", str(folder), "--scheduler", "tcp://127.0.0.1:9"])

    assert run.exit_code == 2 and "Traceback" not in run.output
    assert "tcp://127.0.0.1:9" in run.output
    assert (folder / "a.xlsx").read_bytes() == before
