"""Relationships and content types: the package's wiring, edited in place.

Both are parsed with lxml and written back with their own prefixes; only the
elements we add or remove change.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from salesxl.io.package_xml import parse
from salesxl.io.xlsx.package import Package

PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT_OFFICE_DOC = REL + "/officeDocument"
RT_WORKSHEET = REL + "/worksheet"
RT_STYLES = REL + "/styles"
RT_CALC_CHAIN = REL + "/calcChain"
RT_SHARED_STRINGS = REL + "/sharedStrings"
RT_HYPERLINK = REL + "/hyperlink"
RT_TABLE = REL + "/table"
RT_DRAWING = REL + "/drawing"
RT_CHART = REL + "/chart"
RT_IMAGE = REL + "/image"
RT_PRINTER = REL + "/printerSettings"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"



def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class XmlPart:
    """An XML part edited as a tree and written back only when its content changed."""

    def __init__(self, pkg: Package, name: str, empty: bytes | None = None):
        self.pkg, self.name = pkg, name
        self.existed = name in pkg
        self.root = parse(pkg.read(name) if self.existed else empty)
        self._original = etree.tostring(self.root, method="c14n") if self.existed else None

    def save(self) -> None:
        if self._original is None or etree.tostring(self.root, method="c14n") != self._original:
            self.pkg.write(self.name, serialize(self.root))


def rels_name(part: str) -> str:
    """xl/workbook.xml -> xl/_rels/workbook.xml.rels"""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve(source: str, target: str) -> str:
    """A relationship target as a package part name (no leading slash)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


class Rels(XmlPart):
    """The relationships of one part."""

    def __init__(self, pkg: Package, source: str):
        super().__init__(pkg, rels_name(source), f'<Relationships xmlns="{PKG_RELS_NS}"/>'.encode())
        self.source = source
        self.ns = etree.QName(self.root).namespace

    def items(self) -> list[etree._Element]:
        return [el for el in self.root if etree.QName(el).localname == "Relationship"]

    def by_id(self, rid: str) -> etree._Element | None:
        for el in self.items():
            if el.get("Id") == rid:
                return el
        return None

    def target(self, el: etree._Element) -> str | None:
        """The part a relationship points at, or None for an external target."""
        if el.get("TargetMode") == "External" or not el.get("Target"):
            return None
        return resolve(self.source, el.get("Target"))

    def parts(self) -> list[tuple[str, str]]:
        """(type, part) for every internal relationship."""
        out = []
        for el in self.items():
            part = self.target(el)
            if part is not None:
                out.append((el.get("Type", ""), part))
        return out

    def next_id(self) -> str:
        used = {el.get("Id") for el in self.items()}
        numbers = [int(m.group(1)) for rid in used if rid and (m := re.fullmatch(r"rId(\d+)", rid))]
        n = max(numbers, default=0) + 1
        while f"rId{n}" in used:
            n += 1
        return f"rId{n}"

    def add(self, rtype: str, target: str, *, external: bool = False, rid: str | None = None) -> str:
        rid = rid or self.next_id()
        el = etree.SubElement(self.root, f"{{{self.ns}}}Relationship")
        el.set("Id", rid)
        el.set("Type", rtype)
        el.set("Target", target)
        if external:
            el.set("TargetMode", "External")
        return rid

    def remove(self, el: etree._Element) -> None:
        self.root.remove(el)

    def save(self) -> None:
        if self.existed or self.items():
            super().save()


class ContentTypes(XmlPart):
    """[Content_Types].xml"""

    def __init__(self, pkg: Package):
        super().__init__(pkg, "[Content_Types].xml")
        self.ns = etree.QName(self.root).namespace

    def _children(self, local: str) -> list[etree._Element]:
        return [el for el in self.root if etree.QName(el).localname == local]

    def of(self, part: str) -> str | None:
        key = "/" + part.lower()
        for el in self._children("Override"):
            if el.get("PartName", "").lower() == key:
                return el.get("ContentType")
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        for el in self._children("Default"):
            if el.get("Extension", "").lower() == ext:
                return el.get("ContentType")
        return None

    def parts_of_type(self, content_type: str) -> list[str]:
        return [el.get("PartName", "").lstrip("/") for el in self._children("Override")
                if el.get("ContentType") == content_type]

    def override(self, part: str, content_type: str) -> None:
        key = "/" + part.lower()
        for el in self._children("Override"):
            if el.get("PartName", "").lower() == key:
                el.set("ContentType", content_type)
                return
        el = etree.SubElement(self.root, f"{{{self.ns}}}Override")
        el.set("PartName", "/" + part)
        el.set("ContentType", content_type)

    def default(self, ext: str, content_type: str) -> None:
        if any(el.get("Extension", "").lower() == ext for el in self._children("Default")):
            return
        el = etree.Element(f"{{{self.ns}}}Default")
        el.set("Extension", ext)
        el.set("ContentType", content_type)
        defaults = self._children("Default")
        if defaults:
            defaults[-1].addnext(el)
        else:
            self.root.insert(0, el)

    def remove(self, part: str) -> None:
        key = "/" + part.lower()
        for el in self._children("Override"):
            if el.get("PartName", "").lower() == key:
                self.root.remove(el)
