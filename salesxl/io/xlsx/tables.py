"""Excel Table parts: unique ids and names across the workbook."""

from __future__ import annotations

import re

from salesxl.io.xlsx import cells
from salesxl.io.xlsx.opc import CT_TABLE, ContentTypes, parse
from salesxl.io.xlsx.package import Package

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d*[Cc]\d*|[RrCc])$")


def safe_name(name: str) -> str:
    """A valid table name: letters, digits, _ and . only, not starting with a digit or looking like a cell."""
    out = re.sub(r"[^\w.]", "_", name.strip()) or "Table"
    if not (out[0].isalpha() or out[0] == "_") or _CELL_LIKE.match(out):
        out = "_" + out
    return out[:255]


class TableRegistry:
    """Names and ids already taken by tables and defined names in the workbook."""

    def __init__(self, pkg: Package, ct: ContentTypes, defined_names: list[str]):
        self.names = {n.casefold() for n in defined_names}
        self.max_id = 0
        for part in ct.parts_of_type(CT_TABLE):
            if part not in pkg:
                continue
            root = parse(pkg.read(part))
            self.max_id = max(self.max_id, int(root.get("id", "0")))
            for attr in ("name", "displayName"):
                if root.get(attr):
                    self.names.add(root.get(attr).casefold())

    def claim(self, wanted: str) -> tuple[int, str]:
        base = safe_name(wanted)
        name, n = base, 1
        while name.casefold() in self.names:
            n += 1
            name = f"{base}_{n}"
        self.names.add(name.casefold())
        self.max_id += 1
        return self.max_id, name


def table_xml(table_id: int, name: str, ref: str, headers: list[str]) -> bytes:
    columns = "".join(f'<tableColumn id="{j + 1}" name="{cells.attr(h)}"/>' for j, h in enumerate(headers))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<table xmlns="{MAIN_NS}" id="{table_id}" name="{name}" displayName="{name}" ref="{ref}" '
            f'totalsRowShown="0"><autoFilter ref="{ref}"/>'
            f'<tableColumns count="{len(headers)}">{columns}</tableColumns>'
            f'<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" '
            f'showRowStripes="1" showColumnStripes="0"/></table>').encode("utf-8")
