"""Recalculating a folder: files run side by side, one file's failure stays its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.sharing.batch import recalc_one, run_batch
from salesxl.sharing.share import encrypt_file
from salesxl.workbook.template import input_sheets
from tests.test_merge import _office


def test_batch_isolates_failures_and_keeps_input_order(tmp_path: Path):
    good = [tmp_path / f"office{i}.xlsx" for i in range(3)]
    for path in good:
        _office(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    locked = tmp_path / "open.xlsx"
    _office(locked)
    (tmp_path / "~$open.xlsx").write_bytes(b"owner")
    paths = [good[0], broken, good[1], locked, good[2]]
    seen = []
    out = tmp_path / "out"

    reports = run_batch(paths, workers=2, out_dir=out, on_done=lambda r: seen.append(r.path))

    assert [r.path for r in reports] == [str(p) for p in paths]
    assert sorted(seen) == sorted(str(p) for p in paths)
    assert [r.ok for r in reports] == [True, False, True, False, True]
    assert "broken.xlsx" in reports[1].message
    assert reports[3].codes == {"FILE_LOCKED": 1} and "~$open.xlsx" in reports[3].message
    for path in good:
        assert "客户分级" in read_book(out / path.name).sheet_names
    assert not (out / "open.xlsx").exists()


def test_encrypted_workbook_recalculated_with_its_password(tmp_path: Path):
    plain = tmp_path / "plain.xlsx"
    new_workbook(plain, input_sheets("en", settings={"as_of_date": dt.date(2025, 3, 31)}))
    locked = tmp_path / "locked.xlsx"
    encrypt_file(plain, "pw", locked)

    wrong = recalc_one(locked, password="nope")
    assert not wrong.ok and wrong.codes == {"FILE_BAD_PASSWORD": 1}
    missing = recalc_one(locked)
    assert not missing.ok and missing.codes == {"FILE_ENCRYPTED": 1}

    report = recalc_one(locked, password="pw")
    assert report.ok, report.message
    book = read_book(locked, password="pw")
    assert "Grades" in book.sheet_names
    assert locked.with_name("locked.bak.xlsx").exists()
