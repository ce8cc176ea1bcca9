"""Helpers the tests share: package parts, sheet values as calamine and LibreOffice see them."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook


ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"
FIXTURES = ROOT.parent / "shared" / "fixtures" / "excel-made"
if not FIXTURES.exists():  # CI lays shared/ beside the clone
    FIXTURES = ROOT.parent.parent / "shared" / "fixtures" / "excel-made"

#: LibreOffice checks never skip: CI installs soffice, and a missing one must fail loudly.
needs_libreoffice = pytest.mark.libreoffice


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry's decompressed bytes."""
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def sheet_rows(path: Path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def sheet_part(path: Path, sheet_name: str) -> bytes:
    """The worksheet XML part of a sheet, found through workbook.xml and its rels."""
    data = parts(path)
    workbook = data["xl/workbook.xml"].decode()
    rels = data["xl/_rels/workbook.xml.rels"].decode()
    match = re.search(r'<(?:\w+:)?sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(sheet_name), workbook)
    assert match, f"sheet {sheet_name} not in workbook.xml"
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="%s"' % (match.group(1), match.group(1)), rels)
    part = (target.group(1) or target.group(2)).lstrip("/")
    return data[part if part.startswith("xl/") else "xl/" + part]


def copy_to(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target
