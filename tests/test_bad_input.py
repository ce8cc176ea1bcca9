"""Bad input never shows a traceback and never changes the file: a clear message instead."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile
import openpyxl
import pytest
from typer.testing import CliRunner

from salesxl.cli import app
from python_calamine import CalamineWorkbook

from salesxl.files import new_template
from tests.support import sheet_rows

runner = CliRunner()


def _office(path: Path, rows: list[list], header: list[str] | None = None, merge: str | None = None) -> Path:
    """A small zh office: a Customers sheet with the given rows under the given header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "销售员"
    sheet.append(["工号", "姓名", "区域"])
    sheet.append(["S01", "王伟", "天河"])
    cards = book.create_sheet("客户档案")
    if merge:
        cards.append(["基础资料", None, None, "分类", None, None, None])
        cards.merge_cells(merge)
    cards.append(header or ["客户编号", "客户名称", "成立日期", "客户状态", "区域", "负责销售员", "员工人数"])
    for row in rows:
        cards.append(row)
    book.save(path)  # a file the test makes, not a user's workbook
    return path


def _recalc(path: Path):
    before = path.read_bytes()
    result = runner.invoke(app, ["recalc", str(path)])
    return result, before


def _validate(path: Path):
    return runner.invoke(app, ["validate", str(path), "--show", "200"])


def test_wrong_typed_cells_are_named_by_sheet_and_cell(tmp_path):
    path = _office(tmp_path / "typed.xlsx", [
        ["C001", "甲公司", "去年春天", "成交", "天河", "S01", "很多"],
        ["C002", "乙公司", dt.date(2020, 1, 1), "大客户", "天河", "S01", 12],
    ])
    result = _validate(path)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "客户档案!C2" in result.output and "去年春天" in result.output
    assert "客户档案!G2" in result.output
    assert "客户档案!D3" in result.output  # 大客户 is not an allowed status


def test_validate_names_each_cell_once_per_line(tmp_path):
    path = _office(tmp_path / "typed.xlsx", [
        ["C001", "甲公司", "去年春天", "成交", "天河", "S01", "很多"],
        ["C002", "乙公司", dt.date(2020, 1, 1), "大客户", "天河", "S01", 12],
    ])
    lines = [line for line in _validate(path).output.splitlines() if re.search(r"客户档案!\w+\d", line)]
    assert len(lines) >= 3
    for line in lines:
        cells = re.findall(r"客户档案!([A-Z]+\d+)", line)
        assert len(cells) == 1, line


def test_error_values_blank_and_merged_headers(tmp_path):
    path = _office(tmp_path / "na.xlsx", [["C001", "#N/A", "#N/A", "成交", "天河", "S01", 99]],
                   header=["客户编号", "客户名称", "成立日期", "客户状态", "区域", "负责销售员", None], merge="A1:C1")
    result, before = _recalc(path)
    assert result.exit_code == 0, result.output
    validation = _validate(path)
    assert "客户档案!C3" in validation.output  # #N/A in a date column, under a merged group header
    assert "客户档案!G2" in validation.output  # a blank header over data (the header is row 2)
    assert "客户档案!B3" in validation.output and "#N/A" in validation.output


@pytest.mark.parametrize("case", ["truncated", "encrypted", "locked", "not_a_workbook", "missing"])
def test_unusable_files_are_refused_and_left_unchanged(case, tmp_path):
    path = tmp_path / "office.xlsx"
    new_template(path, "zh")
    if case == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif case == "encrypted":
        plain = tmp_path / "plain.xlsx"
        path.rename(plain)
        with plain.open("rb") as source, path.open("wb") as target:
            office = OOXMLFile(source)
            office.encrypt("secret", target)
    elif case == "locked":
        (tmp_path / "~$office.xlsx").write_bytes(b"\x05Alice")
    elif case == "not_a_workbook":
        path.write_text("name,phone\nA,1\n", encoding="utf-8")
    elif case == "missing":
        path.unlink()
    before = path.read_bytes() if path.exists() else None
    result = runner.invoke(app, ["recalc", str(path)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "office.xlsx" in result.output
    expected = {"truncated": "损坏", "encrypted": "密码", "locked": "~$office.xlsx", "not_a_workbook": "不是", "missing": "找不到"}[case]
    assert expected in result.output
    assert (path.read_bytes() if path.exists() else None) == before
    assert not list(tmp_path.glob("*.bak.xlsx"))


def test_a_users_sheet_with_a_tool_sheet_name_is_never_overwritten(tmp_path):
    path = tmp_path / "office.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "客户档案"
    book.active.append(["客户编号", "客户名称", "客户状态", "区域", "负责销售员"])
    mine = book.create_sheet("校验结果")
    mine["A1"] = "my own notes"
    book.save(path)  # a file the test makes
    for _ in range(2):  # the second run finds its own renamed sheet and replaces it
        result, before = _recalc(path)
        assert result.exit_code == 0, result.output
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert names.count("校验结果 (salesxl)") == 1
    assert sheet_rows(path, "校验结果")[0][0] == "my own notes"
    rows = sheet_rows(path, "校验结果 (salesxl)")
    assert any("OUTPUT_NAME_TAKEN" in row for row in rows)
