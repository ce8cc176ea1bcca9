"""workbook.xml: the sheet list, defined names and calculation settings, edited in place."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from salesxl.io.package_xml import STRICT_NS
from salesxl.io.xlsx.opc import REL, XmlPart
from salesxl.io.xlsx.package import Package

#: Order of CT_Workbook's children (insertion points for elements we may add).
ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
         "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize",
         "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing",
         "fileRecoveryPr", "webPublishObjects", "extLst")
PRINT_TITLES = "_xlnm.Print_Titles"


@dataclass
class SheetEntry:
    element: etree._Element
    name: str
    sheet_id: int
    rid: str
    position: int


class Workbook(XmlPart):
    def __init__(self, pkg: Package, name: str):
        super().__init__(pkg, name)
        self.ns = etree.QName(self.root).namespace
        self.rid_attr = f"{{{REL}}}id"

    @property
    def strict(self) -> bool:
        return self.ns == STRICT_NS

    def _q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _child(self, local: str, create: bool = False) -> etree._Element | None:
        for el in self.root:
            if isinstance(el.tag, str) and etree.QName(el).localname == local:
                return el
        if not create:
            return None
        new = etree.Element(self._q(local))
        rank = ORDER.index(local)
        for i, el in enumerate(self.root):
            if isinstance(el.tag, str) and etree.QName(el).localname in ORDER and \
                    ORDER.index(etree.QName(el).localname) > rank:
                self.root.insert(i, new)
                break
        else:
            self.root.append(new)
        return new

    @property
    def date1904(self) -> bool:
        pr = self._child("workbookPr")
        return pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    def sheets(self) -> list[SheetEntry]:
        sheets = self._child("sheets")
        if sheets is None:
            return []
        out = []
        for el in sheets:
            if isinstance(el.tag, str) and etree.QName(el).localname == "sheet":
                out.append(SheetEntry(el, el.get("name", ""), int(el.get("sheetId", "0")),
                                      el.get(self.rid_attr, ""), len(out)))
        return out

    def add_sheet(self, name: str, rid: str) -> SheetEntry:
        sheets = self._child("sheets", create=True)
        existing = self.sheets()
        sheet_id = max((s.sheet_id for s in existing), default=0) + 1
        el = etree.SubElement(sheets, self._q("sheet"), nsmap={"r": REL})
        el.set("name", name)
        el.set("sheetId", str(sheet_id))
        el.set(self.rid_attr, rid)
        return SheetEntry(el, name, sheet_id, rid, len(existing))

    @staticmethod
    def set_hidden(entry: SheetEntry, hidden: bool) -> None:
        if hidden:
            entry.element.set("state", "hidden")
        elif entry.element.get("state") == "hidden":
            del entry.element.attrib["state"]

    def defined_names(self) -> list[str]:
        names = self._child("definedNames")
        return [] if names is None else [el.get("name", "") for el in names if isinstance(el.tag, str)]

    def set_print_titles(self, position: int, value: str | None) -> None:
        """Set or clear the _xlnm.Print_Titles name of the sheet at `position`."""
        names = self._child("definedNames")
        current = None
        if names is not None:
            for el in names:
                if isinstance(el.tag, str) and el.get("name") == PRINT_TITLES and \
                        el.get("localSheetId") == str(position):
                    current = el
        if value is None:
            if current is not None:
                names.remove(current)
                if not len(names):
                    self.root.remove(names)
            return
        if current is None:
            names = self._child("definedNames", create=True)
            current = etree.SubElement(names, self._q("definedName"))
            current.set("name", PRINT_TITLES)
            current.set("localSheetId", str(position))
        current.text = value

    def full_calc_on_load(self) -> None:
        calc = self._child("calcPr", create=True)
        calc.set("fullCalcOnLoad", "1")
