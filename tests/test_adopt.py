"""Adopting workbooks that real spreadsheet programs made: `init` then `recalc` loses nothing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesxl.cli import app
from salesxl.io import libreoffice
from salesxl.schema import TABLES
from tests.support import FIXTURES, copy_to, needs_libreoffice, parts

#: Parts salesxl must edit to add sheets; each keeps everything it had (checked below).
EDITED = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
#: Every Excel-made fixture, tdf111974.xlsm included (macro sheets with an empty relationship id, which Excel and
#: LibreOffice open and salesxl reads from a clean in-memory copy).
FILES = sorted(FIXTURES.glob("*.xls*"))
DAMAGED = "truncated.xlsx"


def _adopt(source: Path, folder: Path) -> tuple[Path, dict[str, bytes]]:
    copy = copy_to(source, folder)
    runner = CliRunner()
    result = runner.invoke(app, ["init", str(copy), "--lang", "en"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["recalc", str(copy)])
    assert result.exit_code == 0, result.output
    return copy, parts(source)


def _sheet_names(data: dict[str, bytes]) -> list[str]:
    return re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]+)"', data["xl/workbook.xml"].decode("utf-8"))


@pytest.mark.parametrize("source", FILES, ids=[p.name for p in FILES])
def test_init_and_recalc_keep_every_original_part(source, tmp_path):
    result, before = _adopt(source, tmp_path)
    after = parts(result)
    for name, data in before.items():
        if name in EDITED or name == "xl/calcChain.xml":
            continue
        assert after.get(name) == data, f"{name} changed"
    # the edited parts keep what they had: original sheets in order, then ours
    names = _sheet_names(after)
    assert names[: len(_sheet_names(before))] == _sheet_names(before)
    assert {t.en for t in TABLES} <= set(names) and "Validation" in names
    with zipfile.ZipFile(result) as package:
        assert package.testzip() is None
    backup = parts(tmp_path / (source.stem + ".bak" + source.suffix))
    assert all(backup.get(n) == d for n, d in before.items() if n not in EDITED and n != "xl/calcChain.xml")


@needs_libreoffice
@pytest.mark.parametrize("source", FILES, ids=[p.name for p in FILES])
def test_libreoffice_opens_the_adopted_workbook(source, tmp_path):
    result, before = _adopt(source, tmp_path)
    shown = libreoffice.sheets_as_csv(result)
    assert "Validation" in shown and "Customers" in shown
    assert shown["Customers"][0][:2] == ["Customer ID", "Customer name"]


def test_a_damaged_workbook_is_refused_clearly_and_left_alone(tmp_path):
    copy = tmp_path / DAMAGED
    copy.write_bytes((FIXTURES / "51850.xlsx").read_bytes()[:6000])  # cut off in the middle of a download
    before = copy.read_bytes()
    for command in (["init", str(copy)], ["recalc", str(copy)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code != 0
        assert DAMAGED in result.output and "Traceback" not in result.output
    assert copy.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [DAMAGED]


def test_the_excel_made_fixtures_are_there():
    # every check above runs once per fixture: an empty folder would pass them all without checking anything
    assert len(FILES) >= 20, f"no Excel-made fixtures under {FIXTURES}"
