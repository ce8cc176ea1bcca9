"""styles.xml, append-only: new fonts, fills, borders, formats and xfs go at the end.

Existing indices never move. An entry identical to one already present (ours
from an earlier run, or the user's) is reused, so running twice does not grow
the file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from salesxl.io.xlsx.opc import XmlPart
from salesxl.io.xlsx.package import Package

#: Order of CT_Stylesheet's children.
ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
         "dxfs", "tableStyles", "colors", "extLst")

BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "0.00E+00": 11, "@": 49}


@dataclass(frozen=True)
class CellStyle:
    """What a cell looks like, in the terms salesxl uses."""

    num_format: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    color: str | None = None  # ARGB font colour
    fill: str | None = None  # ARGB solid fill
    bottom_border: bool = False


def _key(el: etree._Element) -> tuple:
    """Structural identity of an element, ignoring prefixes and whitespace."""
    return (etree.QName(el).localname, tuple(sorted(el.attrib.items())),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))


class Styles(XmlPart):
    def __init__(self, pkg: Package, name: str):
        super().__init__(pkg, name)
        self.ns = etree.QName(self.root).namespace
        self._memo: dict[CellStyle, int] = {}
        self._dxf_memo: dict[str, int] = {}

    def _q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _section(self, local: str) -> etree._Element:
        for el in self.root:
            if isinstance(el.tag, str) and etree.QName(el).localname == local:
                return el
        new = etree.Element(self._q(local))
        new.set("count", "0")
        rank = ORDER.index(local)
        for i, el in enumerate(self.root):
            if isinstance(el.tag, str) and etree.QName(el).localname in ORDER and \
                    ORDER.index(etree.QName(el).localname) > rank:
                self.root.insert(i, new)
                break
        else:
            self.root.append(new)
        return new

    def _entries(self, section: etree._Element) -> list[etree._Element]:
        return [c for c in section if isinstance(c.tag, str)]

    def _find_or_append(self, section_name: str, el: etree._Element) -> int:
        section = self._section(section_name)
        entries = self._entries(section)
        key = _key(el)
        for i, existing in enumerate(entries):
            if _key(existing) == key:
                return i
        section.append(el)
        section.set("count", str(len(entries) + 1))
        return len(entries)

    def _el(self, local: str, children: tuple = (), **attrs: str) -> etree._Element:
        el = etree.Element(self._q(local))
        for k, v in attrs.items():
            el.set(k, v)
        for child in children:
            el.append(child)
        return el

    def _font(self, style: CellStyle) -> int:
        fonts = self._entries(self._section("fonts"))
        base = copy.deepcopy(fonts[0]) if fonts else self._el(
            "font", (self._el("sz", val="11"), self._el("name", val="Calibri")))
        for child in list(base):
            if isinstance(child.tag, str) and etree.QName(child).localname in ("b", "i", "u", "color"):
                base.remove(child)
        extra = []
        if style.bold:
            extra.append(self._el("b"))
        if style.italic:
            extra.append(self._el("i"))
        if style.underline:
            extra.append(self._el("u"))
        if style.color:
            extra.append(self._el("color", rgb=style.color))
        for i, child in enumerate(extra):
            base.insert(i, child)
        return self._find_or_append("fonts", base)

    def _fill(self, argb: str | None) -> int:
        if argb is None:
            return 0
        fill = self._el("fill", (self._el("patternFill", (self._el("fgColor", rgb=argb),
                                                          self._el("bgColor", indexed="64")),
                                          patternType="solid"),))
        return self._find_or_append("fills", fill)

    def _border(self, bottom: bool) -> int:
        if not bottom:
            return 0
        border = self._el("border", (self._el("left"), self._el("right"), self._el("top"),
                                     self._el("bottom", (self._el("color", indexed="64"),), style="thin"),
                                     self._el("diagonal")))
        return self._find_or_append("borders", border)

    def _num_format(self, code: str | None) -> int:
        if code is None:
            return 0
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        section = self._section("numFmts")
        used = set()
        for el in self._entries(section):
            if el.get("formatCode") == code:
                return int(el.get("numFmtId"))
            used.add(int(el.get("numFmtId", "0")))
        new_id = max(used | {163}) + 1
        section.append(self._el("numFmt", numFmtId=str(new_id), formatCode=code))
        section.set("count", str(len(self._entries(section))))
        return new_id

    def xf(self, style: CellStyle) -> int:
        """The cellXfs index for `style`, appended if no identical xf exists."""
        if style in self._memo:
            return self._memo[style]
        if style == CellStyle():
            self._memo[style] = 0
            return 0
        font, fill = self._font(style), self._fill(style.fill)
        border, fmt = self._border(style.bottom_border), self._num_format(style.num_format)
        attrs = {"numFmtId": str(fmt), "fontId": str(font), "fillId": str(fill),
                 "borderId": str(border), "xfId": "0"}
        if fmt:
            attrs["applyNumberFormat"] = "1"
        if font:
            attrs["applyFont"] = "1"
        if fill:
            attrs["applyFill"] = "1"
        if border:
            attrs["applyBorder"] = "1"
        index = self._find_or_append("cellXfs", self._el("xf", **attrs))
        self._memo[style] = index
        return index

    def dxf(self, fill: str) -> int:
        """A differential format (solid background `fill`) for conditional formatting."""
        if fill not in self._dxf_memo:
            dxf = self._el("dxf", (self._el("fill", (self._el("patternFill", (self._el("bgColor", rgb=fill),)),)),))
            self._dxf_memo[fill] = self._find_or_append("dxfs", dxf)
        return self._dxf_memo[fill]
