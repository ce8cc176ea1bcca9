"""What calamine does not tell: the date system, where each sheet lives, and error cells.

calamine returns Excel error values (#N/A, #DIV/0!...) as empty cells, so the
reader scans the worksheet XML of the sheets it reads for `t="e"` cells.

Every XML part salesxl parses goes through `parse` (no DTD loading, no entity
expansion, no network), and `dtd_part` finds a part that declares a DTD or
entities at all: Excel never writes one, so such a package is refused before
any parser (ours or calamine's) sees it.
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
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
CHUNK = 1 << 24
OVERLAP = 1 << 16  # longer than any one cell element (formulas stop at 8,192 characters)
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\b([^>/]*\bt=["']e["'][^>/]*)>(.*?)</(?:\w+:)?c>""",
    re.DOTALL,
)
_ERROR_TYPE = re.compile(rb"""t=["']e["']""")
_REF = re.compile(rb"""\br=["']([A-Z]{1,3})(\d+)["']""")
_VALUE = re.compile(rb"""<(?:\w+:)?v>([^<]*)<""")
#: Parts that hold XML: the reader, the writer or calamine parse them.
XML_SUFFIXES = (".xml", ".rels", ".vml")
PROLOG_LIMIT = 1 << 20  # a prolog (declaration, comments) longer than this is not one Excel wrote
_PROLOG_SKIP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)

PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                         remove_blank_text=False, huge_tree=True)


def parse(data: bytes) -> etree._Element:
    """Parse one package part with the hardened parser (parts with a DTD were refused on opening)."""
    return etree.fromstring(data, PARSER)


@dataclass
class PackageIndex:
    """The date system of the workbook and the zip member of each worksheet, by sheet name."""

    date1904: bool = False
    strict: bool = False  # a Strict Open XML workbook (read, never written)
    sheet_parts: dict[str, str] = field(default_factory=dict)


def main_part(package: zipfile.ZipFile) -> str | None:
    """The part the package's officeDocument relationship points at (KeyError without `_rels/.rels`)."""
    return _office_document(package.read(_member(package, "_rels/.rels")))


def _office_document(package_rels: bytes) -> str | None:
    for rel in parse(package_rels):
        if str(rel.get("Type", "")).endswith(OFFICE_DOCUMENT):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    return None


def _member(package: zipfile.ZipFile, name: str) -> str:
    """The stored name of a part (some zips use backslashes as separators)."""
    if name in package.NameToInfo:
        return name
    wanted = name.lower()
    return next((n for n in package.namelist() if n.replace("\\", "/").lower() == wanted), name)


def dtd_part(package: zipfile.ZipFile) -> str | None:
    """The first XML part whose prolog declares a DTD or entities (or is too long to be Excel's), else None."""
    for info in package.infolist():
        if info.is_dir() or not info.filename.lower().endswith(XML_SUFFIXES) and \
                info.filename != "[Content_Types].xml":
            continue
        with package.open(info) as stream:
            head = stream.read(PROLOG_LIMIT)
        if _declares_dtd(head):
            return info.filename
    return None


def _declares_dtd(head: bytes) -> bool:
    """True when the text before the root element holds `<!DOCTYPE` / `<!ENTITY`, whatever the encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        head = head.decode(encoding, "ignore").lstrip("\ufeff").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    position = 0
    while (match := _PROLOG_SKIP.match(head, position)) is not None and match.end() > position:
        position = match.end()
    rest = head[position:].lstrip()
    if rest.startswith(b"<!"):
        return True  # DOCTYPE, ENTITY or any other markup declaration
    return not rest.startswith(b"<") and len(head) >= PROLOG_LIMIT


def odd_names(names: list[str]) -> bool:
    """Directory entries or backslash separators: zips Excel opens but some readers stumble over."""
    return any(name.endswith("/") or "\\" in name for name in names)


def readable_package(data: bytes) -> bytes:
    """A clean in-memory copy for reading only: no directory entries, "/" separators, and no `<sheet>`
    whose relationship is missing (XLM macro sheets saved without one). The file itself is never changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        parts = {info.filename.replace("\\", "/"): info for info in source.infolist() if not info.is_dir()}
        workbook = _office_document(source.read(parts["_rels/.rels"])) if "_rels/.rels" in parts else None
        folder, base = posixpath.split(workbook or "")
        rels = parts.get(posixpath.join(folder, "_rels", base + ".rels"))
        rel_ids = set(_targets(source.read(rels), folder)) if rels is not None else set()
        for name, info in parts.items():
            body = source.read(info)
            target.writestr(name, _without_unwired_sheets(body, rel_ids) if name == workbook else body)
    return out.getvalue()


def _without_unwired_sheets(workbook_xml: bytes, rel_ids: set[str]) -> bytes:
    root = parse(workbook_xml)
    dropped = False
    for element in list(root.iter()):
        if isinstance(element.tag, str) and etree.QName(element).localname == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if etree.QName(k).localname == "id"), None)
            if rel_id not in rel_ids:
                element.getparent().remove(element)
                dropped = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if dropped else workbook_xml


def index_package(data: bytes) -> PackageIndex:
    """Read workbook.xml and its relationships; an odd package gives an empty index, never an error."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            workbook = main_part(package)
            if workbook is None:
                return PackageIndex()
            root = parse(package.read(workbook))
            folder, name = posixpath.split(workbook)
            rels_name = posixpath.join(folder, "_rels", name + ".rels")
            targets = _targets(package.read(rels_name), folder) if rels_name in package.namelist() else {}
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, OSError):
        return PackageIndex()
    index = PackageIndex(strict=etree.QName(root).namespace == STRICT_NS)
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
    for rel in parse(rels_xml):
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
                if _ERROR_TYPE.search(text):  # one pass over the chunk, either quote
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
