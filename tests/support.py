"""Helpers the tests share: package parts, sheet values as calamine and LibreOffice see them."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook


ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"
#: shared/ lies beside the checkout (CI, developers); SALESXL_SHARED points elsewhere.
SHARED = next((p for p in (Path(os.environ.get("SALESXL_SHARED", ROOT.parent / "shared")), ROOT.parent / "shared",
                           ROOT.parent.parent / "shared") if (p / "fixtures").is_dir()),
              ROOT.parent / "shared")
FIXTURES = SHARED / "fixtures" / "excel-made"

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


def _shown_number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("¥", "").strip()
    scale = 1.0
    if cleaned.endswith("%"):
        cleaned, scale = cleaned[:-1], 0.01
    try:
        return float(cleaned) * scale
    except ValueError:
        return None


def assert_sheet_shows(spec, shown: list[list[str]]) -> int:
    """Every block of a SheetSpec appears where the layout puts it, as LibreOffice's CSV shows it.

    Text must match exactly, numbers to the precision their format shows, dates as yyyy-mm-dd.
    Returns how many cells were compared.
    """
    import datetime as dt
    import math

    from salesxl.core.sheetspec import Formula, Link

    compared = 0
    for index, block in enumerate(spec.blocks):
        row0, col0 = spec.block_origin(index)
        grid_row = shown[row0 - 1] if row0 - 1 < len(shown) else []
        header = grid_row[col0 - 1: col0 - 1 + len(block.columns)]
        assert header == [c.header for c in block.columns], f"{spec.name} block {index} header"
        for offset, values in enumerate(block.rows, start=1):
            line = shown[row0 - 1 + offset] if row0 - 1 + offset < len(shown) else []
            for position, (value, column) in enumerate(zip(values, block.columns)):
                text = line[col0 - 1 + position] if col0 - 1 + position < len(line) else ""
                where = f"{spec.name} block {index} row {offset} column {column.header!r}"
                if isinstance(value, Formula):
                    continue
                if isinstance(value, Link):
                    value = value.text
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    assert text == "", where
                elif isinstance(value, bool):
                    assert text.upper() in ("TRUE", "FALSE", "1", "0"), where
                elif isinstance(value, (dt.date, dt.datetime)):
                    assert text.startswith(value.isoformat()[:10]), f"{where}: {text!r} vs {value}"
                elif isinstance(value, (int, float)):
                    number = _shown_number(text)
                    assert number is not None, f"{where}: {text!r} is not a number"
                    places = (column.format or "0.00").split(".")[-1].count("0") if "." in (column.format or "0.00") else 0
                    tolerance = 0.5 * 10 ** -places * (0.01 if (column.format or "").endswith("%") else 1) + 1e-9
                    assert abs(number - float(value)) <= tolerance + abs(float(value)) * 1e-12, f"{where}: {text!r} vs {value}"
                else:
                    assert text == str(value), f"{where}: {text!r} vs {value!r}"
                compared += 1
    return compared


def sheet_charts(path: Path, name: str) -> int:
    """The charts drawn on sheet `name` of the package at `path`."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{name}"[^>]*r:id="([^"]+)"', workbook).group(1)
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
        part = (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
        sheet_rels = f"xl/{part.rsplit('/', 1)[0]}/_rels/{part.rsplit('/', 1)[1]}.rels"
        drawing = re.search(r'Target="[./]*(?:xl/)?(drawings/[^"]+)"', z.read(sheet_rels).decode()).group(1)
        drawing_rels = f"xl/drawings/_rels/{drawing.rsplit('/', 1)[1]}.rels"
        return z.read(drawing_rels).decode().count('relationships/chart"')
