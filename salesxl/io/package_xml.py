"""What calamine does not tell: the date system, where each sheet lives, and error cells.

calamine returns Excel error values (#N/A, #DIV/0!...) as empty cells, so the
reader scans the worksheet XML of the sheets it reads for `t="e"` cells.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

OFFICE_DOCUMENT = "/officeDocument"
CHUNK = 1 << 24
OVERLAP = 1 << 16  # longer than any one cell element (formulas stop at 8,192 characters)
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\b([^>/]*\bt=["']e["'][^>/]*)>(.*?)</(?:\w+:)?c>""",
    re.DOTALL,
)
_REF = re.compile(rb"""\br=["']([A-Z]{1,3})(\d+)["']""")
_VALUE = re.compile(rb"""<(?:\w+:)?v>([^<]*)<""")


@dataclass
class PackageIndex:
    """The date system of the workbook and the zip member of each worksheet, by sheet name."""

    date1904: bool = False
    sheet_parts: dict[str, str] = field(default_factory=dict)


def main_part(package: zipfile.ZipFile) -> str | None:
    """The zip member the package's officeDocument relationship points at."""
    root = etree.fromstring(package.read("_rels/.rels"))
    for rel in root:
        if str(rel.get("Type", "")).endswith(OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return None


def index_package(data: bytes) -> PackageIndex:
    """Read workbook.xml and its relationships; an odd package gives an empty index, never an error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            workbook = main_part(package)
            if workbook is None:
                return PackageIndex()
            root = etree.fromstring(package.read(workbook))
            folder, name = posixpath.split(workbook)
            rels_name = posixpath.join(folder, "_rels", name + ".rels")
            targets = _targets(package.read(rels_name), folder) if rels_name in package.namelist() else {}
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError):
        return PackageIndex()
    index = PackageIndex()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        if tag == "workbookPr":
            index.date1904 = element.get("date1904", "0").lower() in ("1", "true")
        elif tag == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if etree.QName(k).localname == "id"), None)
            if rel_id in targets:
                index.sheet_parts[element.get("name", "")] = targets[rel_id]
    return index


def _targets(rels_xml: bytes, folder: str) -> dict[str, str]:
    targets = {}
    for rel in etree.fromstring(rels_xml):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    return targets


def error_cells(data: bytes, part: str) -> dict[tuple[int, int], str]:
    """Error cells of one worksheet part: 0-based (row, column) -> the error text, e.g. "#N/A"."""
    found: dict[tuple[int, int], str] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package, package.open(part) as stream:
            tail = b""
            while True:
                chunk = stream.read(CHUNK)
                text = tail + chunk
                end = len(text) if not chunk else max(0, len(text) - OVERLAP)
                if b't="e"' in text or b"t='e'" in text:
                    _collect(text, end, found)
                if not chunk:
                    return found
                tail = text[end:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return found


def _collect(text: bytes, end: int, found: dict[tuple[int, int], str]) -> None:
    """Record the error cells that start before `end` (the rest is seen again with the next chunk)."""
    for match in _ERROR_CELL.finditer(text):
        if match.start() >= end:
            break
        ref = _REF.search(match.group(1))
        value = _VALUE.search(match.group(2))
        if ref is None:
            continue
        letters, row = ref.group(1).decode(), int(ref.group(2))
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        found[(row - 1, column - 1)] = value.group(1).decode("utf-8", "replace") if value else "#VALUE!"
