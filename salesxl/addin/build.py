"""Assemble salesxl.xlam from the text sources in salesxl/addin/macros/, on any OS, without Excel.

The package starts from the ribbon add-in that ships with xlwings (a file
saved by Excel): its VBA project gets xlwings' RunPython module (with
PROJECT_NAME = "salesxl"), xlwings' Dictionary class and our ribbon callbacks
(written with pyOpenVBA), and its ribbon parts are replaced by ours. Every
other part stays as Excel wrote it.
"""

from __future__ import annotations

import re
import shutil
import struct
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

PROJECT_NAME = "salesxl"
MACROS = Path(__file__).resolve().parent / "macros"  # package data: ships in the wheel
RIBBON_MODULE = "RibbonSalesxl"
RUNTIME_MODULE = "xlwings"
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"

RT_UI_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RT_UI_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
NS_UI_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
NS_UI_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOM_UI = (("customUI/customUI.xml", RT_UI_2006, NS_UI_2006), ("customUI/customUI14.xml", RT_UI_2007, NS_UI_2009))
PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_SUB = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*(?:ByRef\s+|ByVal\s+)?\w+\s+As\s+IRibbonControl\s*\)", re.I | re.M)
_RUN = re.compile(r'^\s*(?:Public\s+)?Sub\s+(\w+)\s*\([^)]*\)(.*?)^\s*End\s+Sub', re.I | re.M | re.S)
_COMMAND = re.compile(r'RunPython\s+"import salesxl\.excel as x; x\.(\w+)\(\)"')


class AddinSourceError(Exception):
    """The ribbon XML, the VBA callbacks and salesxl.excel do not fit together."""


@dataclass(frozen=True)
class Sources:
    """The text an add-in is made of."""

    ribbon_bas: str  # RibbonSalesxl.bas
    custom_ui: dict[str, str]  # part name in the package -> XML text
    runtime_bas: str  # the module that defines RunPython (xlwings' own in the real add-in)
    dictionary_cls: str

    @classmethod
    def load(cls, macros: Path | None = None, runtime_bas: str | None = None) -> "Sources":
        macros = macros or MACROS
        custom_ui = {part: (macros / Path(part).name).read_text(encoding="utf-8") for part, _, _ in CUSTOM_UI}
        return cls(
            ribbon_bas=(macros / f"{RIBBON_MODULE}.bas").read_text(encoding="ascii"),
            custom_ui=custom_ui,
            runtime_bas=runtime_bas if runtime_bas is not None else xlwings_module(),
            dictionary_cls=(xlwings_dir() / "addin" / "Dictionary.cls").read_text(encoding="utf-8"),
        )


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent


def xlwings_module() -> str:
    """xlwings' RunPython module for custom add-ins, with settings looked up under salesxl's name."""
    source = (xlwings_dir() / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    source, count = re.subn(r'(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{PROJECT_NAME}"', source)
    if count != 1:
        raise AddinSourceError("xlwings_custom_addin.bas has no PROJECT_NAME constant; this xlwings version is not supported")
    return source


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def ribbon_actions(custom_ui_xml: str) -> list[str]:
    """The onAction of every control, as written ("Module.Sub")."""
    root = etree.fromstring(custom_ui_xml.encode("utf-8"))
    return [element.get("onAction") for element in root.iter() if element.get("onAction")]


def ribbon_callbacks(bas: str) -> dict[str, str]:
    """Sub name -> the salesxl.excel entry point it runs, for every `Sub X(control As IRibbonControl)`."""
    callbacks = set(_SUB.findall(bas))
    commands = {}
    for name, body in _RUN.findall(bas):
        if name in callbacks:
            match = _COMMAND.search(body)
            commands[name] = match.group(1) if match else ""
    return commands


def check_wiring(sources: Sources) -> list[str]:
    """Every problem between the ribbon, the callbacks and the Python entry points (empty when they fit)."""
    from salesxl import excel

    problems = []
    callbacks = ribbon_callbacks(sources.ribbon_bas)
    for part, xml in sources.custom_ui.items():
        for action in ribbon_actions(xml):
            module, _, sub = action.rpartition(".")
            if module and module != RIBBON_MODULE:
                problems.append(f"{part}: onAction {action} is not in module {RIBBON_MODULE}")
            elif sub not in callbacks:
                problems.append(f"{part}: onAction {action} names no Sub {sub}(control As IRibbonControl)")
    for sub, entry in callbacks.items():
        if not entry:
            problems.append(f"{RIBBON_MODULE}.{sub} does not run an entry point of salesxl.excel")
        elif entry not in excel.ENTRY_POINTS:
            problems.append(f"{RIBBON_MODULE}.{sub} runs salesxl.excel.{entry}, which is not an entry point")
    if not sources.ribbon_bas.isascii():
        problems.append(f"{RIBBON_MODULE}.bas must be ASCII (VBA projects use the ANSI code page)")
    return problems


def template_path() -> Path:
    return xlwings_dir() / "quickstart_addin_ribbon.xlam"


def build(out: Path, sources: Sources | None = None) -> Path:
    """Write the add-in to `out` (an .xlam); refuse when the sources do not fit together."""
    from pyopenvba import ExcelFile

    sources = sources or Sources.load()
    problems = check_wiring(sources)
    if problems:
        raise AddinSourceError("\n".join(problems))
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="sxl_addin_") as work:
        start, with_vba = Path(work) / "template.xlam", Path(work) / "vba.xlam"
        shutil.copyfile(template_path(), start)
        with ExcelFile(start) as book:
            book.set_module(RUNTIME_MODULE, crlf(sources.runtime_bas))
            book.set_module("Dictionary", crlf(sources.dictionary_cls))
            project = book.vba_project()
            project.delete_module(TEMPLATE_RIBBON_MODULE)
            project.add_module(RIBBON_MODULE, crlf(sources.ribbon_bas))
            book.save(with_vba)
        out.parent.mkdir(parents=True, exist_ok=True)
        _replace_ribbon(with_vba, out, sources.custom_ui)
    return out


def _replace_ribbon(source: Path, out: Path, custom_ui: dict[str, str]) -> None:
    """Copy the package with our customUI parts and their relationships; name the settings sheet after us."""
    ui_parts = {part for part, _, _ in CUSTOM_UI} | {"customUI/customUI.xml"}
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in ui_parts:
                continue
            data = src.read(info)
            if info.filename == "_rels/.rels":
                data = _package_rels(data)
            elif info.filename == "xl/vbaProject.bin":
                data = rename_project(data)
            elif info.filename == "xl/workbook.xml":
                data = data.replace(b'name="_myaddin.conf"', f'name="_{PROJECT_NAME}.conf"'.encode())
            dst.writestr(info, data)
        for part, _, _ in CUSTOM_UI:
            dst.writestr(part, custom_ui[part].encode("utf-8"))
    tmp.replace(out)


TEMPLATE_PROJECT = "MyAddin"


def rename_project(vba_project: bytes) -> bytes:
    """The VBA project named salesxl instead of the template's MyAddin (the name Excel's VBA editor and
    `Application.Run "salesxl.xlam!…"` show): its PROJECTNAME record in `VBA/dir` and `Name=` in `PROJECT`.
    The template carries no compiled cache (`_VBA_PROJECT` version 0xFFFF), so nothing else holds the name."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, decompress

    cfb = CFB.from_bytes(vba_project)
    old, new = TEMPLATE_PROJECT.encode("ascii"), PROJECT_NAME.encode("ascii")
    record = struct.pack("<HI", 4, len(old)) + old
    directory = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    project = cfb.get_stream("PROJECT")
    if record not in directory or f'Name="{TEMPLATE_PROJECT}"'.encode() not in project:
        raise AddinSourceError(f"the xlwings add-in template has no VBA project named {TEMPLATE_PROJECT}; "
                               "this xlwings version is not supported")
    cfb.write_stream_in_storage("VBA", "dir", compress(directory.replace(record, struct.pack("<HI", 4, len(new)) + new, 1)))
    cfb.write_stream("PROJECT", project.replace(f'Name="{TEMPLATE_PROJECT}"'.encode(), f'Name="{PROJECT_NAME}"'.encode(), 1))
    return cfb.to_bytes()


def _package_rels(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for rel in list(root):
        if rel.get("Type") in (RT_UI_2006, RT_UI_2007):
            root.remove(rel)
    used = {rel.get("Id") for rel in root}
    for part, rel_type, _ in CUSTOM_UI:
        n = 1
        while f"rId{n}" in used:
            n += 1
        used.add(f"rId{n}")
        etree.SubElement(root, f"{{{PACKAGE_RELS_NS}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=part)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
