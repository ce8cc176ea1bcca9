"""Add or replace sheets inside an existing package, touching nothing we do not own."""

from __future__ import annotations

import functools
import html
import posixpath
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lxml import etree

from salesxl.core.issues import WorkbookError
from salesxl.core.sheetspec import SheetSpec
from salesxl.io.xlsx import drawing as drawings
from salesxl.io.xlsx.blank import STYLES, blank_package
from salesxl.io.xlsx.opc import (CT_TABLE, CT_WORKSHEET, RT_CALC_CHAIN, RT_DRAWING, RT_HYPERLINK,
                                 RT_OFFICE_DOC, RT_PRINTER, RT_SHARED_STRINGS, RT_STYLES, RT_TABLE,
                                 RT_WORKSHEET, ContentTypes, Rels, parse, relative, rels_name, serialize)
from salesxl.io.lock import writing
from salesxl.io.opening import check_not_locked
from salesxl.io.xlsx.package import Package
from salesxl.io.xlsx.sheetxml import layout, print_titles, render, table_extent
from salesxl.io.xlsx.styles import Styles
from salesxl.io.xlsx.tables import TableRegistry, table_xml
from salesxl.io.xlsx.workbook import SheetEntry, Workbook
from salesxl.schema.outputs import is_tool_sheet_marker

PART_MARK = "_sxl_"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_OUR_SHEET_RELS = (RT_HYPERLINK, RT_TABLE, RT_PRINTER)


@dataclass
class WriteResult:
    path: Path
    written: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    backup: Path | None = None
    seconds: float = 0.0


def write_sheets(path: Path, specs: Sequence[SheetSpec], *, out: Path | None = None, backup: bool = True,
                 force: bool = False) -> WriteResult:
    """Add or replace `specs` in the workbook at `path` (in place, or into `out`)."""
    start = time.perf_counter()
    path = Path(path)
    result = WriteResult(Path(out) if out else path)
    with writing(result.path):
        pkg = Package.open(path)
        _Splice(pkg, path, result, force).run(specs)
        result.backup = pkg.save(result.path, backup=backup)
    result.seconds = time.perf_counter() - start
    return result


def new_workbook(path: Path, specs: Sequence[SheetSpec]) -> WriteResult:
    """A fresh workbook holding `specs` in order."""
    start = time.perf_counter()
    path = Path(path)
    if not specs:
        raise ValueError("a workbook needs at least one sheet")
    check_not_locked(path)
    pkg = blank_package()
    result = WriteResult(path)
    _Splice(pkg, path, result, force=False).run(specs)
    pkg.save(path, backup=False)  # takes the write lock
    result.seconds = time.perf_counter() - start
    return result


def user_sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook that salesxl did not make (a tool sheet must never take one's name)."""
    path = Path(path)
    splice = _Splice(Package.open(path, writing=False), path, WriteResult(path), force=False)
    splice.open()
    return splice.user_sheets()


def _check_names(specs: Sequence[SheetSpec]) -> None:
    seen: set[str] = set()
    for spec in specs:
        name = spec.name
        if not name or len(name) > 31 or _BAD_SHEET_CHARS.search(name) or name[0] == "'" or name[-1] == "'":
            raise ValueError(f"invalid sheet name {name!r}: 1-31 characters, none of []:*?/\\, no outer quotes")
        if name.casefold() in seen:
            raise ValueError(f"sheet name {name!r} appears twice")
        seen.add(name.casefold())


def _safe_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", key) or "sheet"


_A1 = re.compile(rb'<(\w+:)?c\b[^>]*?\br="A1"[^>]*?(/>|>(.*?)</(\w+:)?c>)', re.S)
_FIRST_ROW_END = re.compile(rb"</(?:\w+:)?row>|</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")


class _Splice:
    def __init__(self, pkg: Package, path: Path, result: WriteResult, force: bool):
        self.pkg, self.path, self.result, self.force = pkg, path, result, force
        self.allocated: set[str] = set()

    def error(self, code: str, zh: str, en: str) -> WorkbookError:
        return WorkbookError(code, zh, en, path=str(self.path))

    def run(self, specs: Sequence[SheetSpec]) -> None:
        _check_names(specs)
        self.open()
        plan = self.plan(specs)
        replaced_ids = {entry.sheet_id for _, entry, _ in plan if entry is not None}
        self.remove_parts([part for _, entry, part in plan if entry is not None])
        self.trim_calc_chain(replaced_ids)
        self.tables = TableRegistry(self.pkg, self.ct, self.wb.defined_names())
        formulas = False
        for spec, entry, _ in plan:
            formulas |= self.write_sheet(spec, entry)
        if formulas:
            self.wb.full_calc_on_load()
        for part in (self.styles, self.wb, self.wb_rels, self.ct):
            part.save()

    def open(self) -> None:
        """Locate workbook.xml, its relationships, content types and styles."""
        pkg = self.pkg
        self.ct = ContentTypes(pkg)
        root_rels = Rels(pkg, "")
        wb_part = next((p for t, p in root_rels.parts() if t == RT_OFFICE_DOC), "xl/workbook.xml")
        if wb_part not in pkg:
            raise self.error("FILE_DAMAGED", f"文件 {self.path.name} 已损坏：缺少 {wb_part}。",
                             f"{self.path.name} is damaged: {wb_part} is missing.")
        self.wb_part = wb_part
        self.wb = Workbook(pkg, wb_part)
        self.wb_rels = Rels(pkg, wb_part)
        self.styles = Styles(pkg, self._styles_part())

    def user_sheets(self) -> list[str]:
        """Names of the sheets salesxl did not make."""
        names = []
        for entry in self.wb.sheets():
            rel = self.wb_rels.by_id(entry.rid)
            part = self.wb_rels.target(rel) if rel is not None else None
            if part is None or part not in self.pkg or not self.owned(part):
                names.append(entry.name)
        return names

    def _styles_part(self) -> str:
        part = next((p for t, p in self.wb_rels.parts() if t == RT_STYLES), None)
        if part is None or part not in self.pkg:
            part = posixpath.join(posixpath.dirname(self.wb_part), "styles.xml")
            self.pkg.write(part, STYLES.encode("utf-8"))
            self.wb_rels.add(RT_STYLES, relative(self.wb_part, part))
            self.ct.override(part, "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        return part

    # -- deciding what happens to each spec ------------------------------------------------

    def plan(self, specs: Sequence[SheetSpec]) -> list[tuple[SheetSpec, SheetEntry | None, str | None]]:
        existing = {s.name.casefold(): s for s in self.wb.sheets()}
        plan = []
        for spec in specs:
            entry = existing.get(spec.name.casefold())
            if entry is None:
                plan.append((spec, None, None))
                continue
            if not spec.tool_owned:
                self.result.skipped.append(spec.name)
                continue
            rel = self.wb_rels.by_id(entry.rid)
            part = self.wb_rels.target(rel) if rel is not None else None
            if rel is None or rel.get("Type") != RT_WORKSHEET or part is None or part not in self.pkg \
                    or not self.owned(part):
                raise self.error(
                    "FILE_SHEET_NOT_OURS",
                    f"工作表“{entry.name}”不是 salesxl 生成的，不会被覆盖。请将它改名后再运行。",
                    f'Sheet "{entry.name}" was not made by salesxl and will not be overwritten; '
                    "rename it and run again.")
            objects = self.user_objects(part)
            if objects and not self.force:
                listed = ", ".join(objects)
                raise self.error(
                    "FILE_SHEET_HAS_USER_OBJECTS",
                    f"工作表“{entry.name}”由 salesxl 生成，但有人在其中添加了对象（{listed}），重写会丢失它们。"
                    "请把它们移到别的工作表，或使用强制选项。",
                    f'Sheet "{entry.name}" was made by salesxl but someone added objects to it ({listed}) '
                    "that rewriting would lose; move them to another sheet or use the force option.")
            plan.append((spec, entry, part))
        return plan

    def owned(self, part: str) -> bool:
        if posixpath.basename(part).startswith("sheet" + PART_MARK):
            return True
        return is_tool_sheet_marker(self.a1_text(part))

    def a1_text(self, part: str) -> str | None:
        """The text of cell A1 of a worksheet part (inline, shared or formula string). Rows come in order,
        so A1 is in the first row: the part is inflated only as far as that row's end."""
        data = self.pkg.read_head(part, lambda head: _FIRST_ROW_END.search(head) is not None)
        m = _A1.search(data)
        if not m or m.group(2) == b"/>":
            return None
        start = m.group(0)
        kind = re.search(rb'\bt="(\w+)"', start[:start.find(b">") + 1])
        body = m.group(3) or b""
        if kind and kind.group(1) == b"s":
            v = re.search(rb"<(?:\w+:)?v>(\d+)</", body)
            return self.shared_string(int(v.group(1))) if v else None
        texts = re.findall(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", body, re.S) or \
            re.findall(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", body, re.S)
        return html.unescape(b"".join(texts).decode("utf-8")) if texts else None

    def shared_string(self, index: int) -> str | None:
        items = self._shared_items
        if index >= len(items):
            return None
        return "".join(t.text or "" for t in items[index].iter()
                       if isinstance(t.tag, str) and etree.QName(t).localname == "t"
                       and etree.QName(t.getparent()).localname != "rPh")

    @functools.cached_property
    def _shared_items(self) -> list:
        """The shared strings' items, parsed once however many sheets start with a shared string."""
        part = next((p for t, p in self.wb_rels.parts() if t == RT_SHARED_STRINGS), None)
        if part is None or part not in self.pkg:
            return []
        return [el for el in parse(self.pkg.read(part))
                if isinstance(el.tag, str) and etree.QName(el).localname == "si"]

    def user_objects(self, part: str) -> list[str]:
        """What a user added to a tool-owned sheet (comments, pivots, foreign drawing objects)."""
        found = []
        rels = Rels(self.pkg, part)
        for el in rels.items():
            rtype = el.get("Type", "")
            if rtype in _OUR_SHEET_RELS:
                continue
            target = rels.target(el)
            if rtype == RT_DRAWING and target in self.pkg:
                found.extend(n for n in drawings.object_names(self.pkg.read(target))
                             if not n.startswith("salesxl"))
            else:
                found.append(rtype.rsplit("/", 1)[-1])
        return found

    # -- removing the parts of replaced sheets --------------------------------------------

    def remove_parts(self, sheet_parts: list[str]) -> None:
        """Delete replaced sheets and every part only they referenced."""
        if not sheet_parts:
            return
        doomed: set[str] = set()
        todo = list(sheet_parts)
        while todo:
            part = todo.pop()
            if part.lower() in {d.lower() for d in doomed} or part not in self.pkg:
                continue
            doomed.add(part)
            todo.extend(p for _, p in Rels(self.pkg, part).parts())
        doomed_lower = {d.lower() for d in doomed}
        referenced: set[str] = set()
        for name in self.pkg.names():
            if not name.endswith(".rels"):
                continue
            folder, base = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), base[: -len(".rels")])
            if source.lower() in doomed_lower:
                continue
            referenced.update(p.lower() for _, p in Rels(self.pkg, source).parts())
        keep_sheets = {p.lower() for p in sheet_parts}
        for part in doomed:
            if part.lower() in keep_sheets or part.lower() not in referenced:
                self.pkg.delete(part)
                self.pkg.delete(rels_name(part))
                self.ct.remove(part)

    def trim_calc_chain(self, sheet_ids: set[int]) -> None:
        """Drop calcChain entries of replaced sheets (the whole part when none remain)."""
        rel = next((el for el in self.wb_rels.items() if el.get("Type") == RT_CALC_CHAIN), None)
        part = self.wb_rels.target(rel) if rel is not None else None
        if not sheet_ids or part is None or part not in self.pkg:
            return
        root = parse(self.pkg.read(part))
        current, previous_kept, changed = None, None, False
        for el in list(root):
            if not isinstance(el.tag, str):
                continue
            if el.get("i") is not None:
                current = int(el.get("i"))
            if current in sheet_ids:
                root.remove(el)
                changed = True
                continue
            if el.get("i") is None and current != previous_kept:
                el.set("i", str(current))
            previous_kept = current
        if not changed:
            return
        if any(isinstance(el.tag, str) for el in root):
            self.pkg.write(part, serialize(root))
        else:
            self.pkg.delete(part)
            self.ct.remove(part)
            self.wb_rels.remove(rel)

    # -- writing -------------------------------------------------------------------------

    def free_name(self, pattern: str) -> str:
        n = 1
        while (name := pattern.format(n)) in self.pkg or name.lower() in self.allocated:
            n += 1
        self.allocated.add(name.lower())
        return name

    def sheet_part(self, spec: SheetSpec) -> str:
        if not spec.tool_owned:
            return self.free_name("xl/worksheets/sheet{}.xml")
        base = f"xl/worksheets/sheet{PART_MARK}{_safe_key(spec.key)}"
        name = base + ".xml"
        if name in self.pkg or name.lower() in self.allocated:
            return self.free_name(base + "_{}.xml")
        self.allocated.add(name.lower())
        return name

    def write_sheet(self, spec: SheetSpec, entry: SheetEntry | None) -> bool:
        """Write one sheet and its parts; True when it holds formulas."""
        pkg, ct = self.pkg, self.ct
        part = self.sheet_part(spec)
        lay = layout(spec)
        table_targets = {}
        for i, block in enumerate(spec.blocks):
            if not lay.tables[i]:
                continue
            table_part = self.free_name(f"xl/tables/table{PART_MARK}{{}}.xml")
            table_id, name = self.tables.claim(block.table_name)
            ref = table_extent(block, lay.origins[i])
            pkg.write(table_part, table_xml(table_id, name, ref, lay.headers[i]))
            ct.override(table_part, CT_TABLE)
            table_targets[i] = relative(part, table_part)
        drawing_target = None
        if spec.charts or spec.pictures:
            drawing_part = drawings.write(pkg, ct, spec, lay, self.free_name)
            drawing_target = relative(part, drawing_part)
        rendered = render(spec, self.styles, date1904=self.wb.date1904, tables=table_targets,
                          drawing=drawing_target)
        pkg.write(part, rendered.xml)
        ct.override(part, CT_WORKSHEET)
        rels = Rels(pkg, part)
        for el in rels.items():
            rels.remove(el)
        for rid, rtype, target, external in rendered.rels:
            rels.add(rtype, target, external=external, rid=rid)
        if rendered.rels:
            rels.save()
        else:
            pkg.delete(rels.name)
        target = relative(self.wb_part, part)
        if entry is None:
            rid = self.wb_rels.add(RT_WORKSHEET, target)
            entry = self.wb.add_sheet(spec.name, rid)
            self.result.added.append(spec.name)
        else:
            self.wb_rels.by_id(entry.rid).set("Target", target)
            entry.element.set("name", spec.name)
            self.result.replaced.append(spec.name)
        self.result.written.append(spec.name)
        self.wb.set_hidden(entry, spec.hidden)
        self.wb.set_print_titles(entry.position, print_titles(spec))
        return rendered.formulas
