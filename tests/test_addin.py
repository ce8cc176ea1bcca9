"""The salesxl.xlam add-in built from macros/: its VBA read back, its wiring, its callbacks run in LibreOffice."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from oletools.olevba import VBA_Parser
from typer.testing import CliRunner

from salesxl import excel
from salesxl.addin import build as building
from salesxl.addin import install as installing
from salesxl.addin.cli import addin_app
from salesxl.io.libreoffice import soffice
from support import needs_libreoffice

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
COMMAND_CELL = "A20"
#: Stands in for xlwings' module in LibreOffice, which runs nothing while xlwings' own VBA is in the project.
RUNPYTHON_STUB = (
    'Attribute VB_Name = "xlwings"\n'
    "Public Function RunPython(PythonCommand As String)\n"
    f'    Worksheets(1).Range("{COMMAND_CELL}").Value = PythonCommand\n'
    "End Function\n"
)
EMPTY_CLASS = 'VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  \'True\nEND\nAttribute VB_Name = "Dictionary"\n'


@pytest.fixture(scope="module")
def sources() -> building.Sources:
    return building.Sources.load()


@pytest.fixture(scope="module")
def addin(tmp_path_factory, sources) -> Path:
    return building.build(tmp_path_factory.mktemp("addin") / "salesxl.xlam", sources)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")


def _body(text: str) -> list[str]:
    """A class module's code below its header (VERSION/BEGIN/END and Attribute lines)."""
    lines = _lines(text)
    skip = 0
    for i, line in enumerate(lines):
        if line.startswith(("VERSION ", "BEGIN", "  MultiUse", "END", "Attribute ")):
            skip = i + 1
        else:
            break
    return lines[skip:]


def test_olevba_reads_back_every_module_exactly(addin, sources):
    modules = {name: code for _, _, name, code in VBA_Parser(str(addin)).extract_macros()}
    assert _lines(modules["RibbonSalesxl.bas"]) == _lines(sources.ribbon_bas)
    assert _lines(modules["xlwings.bas"]) == _lines(building.xlwings_module())
    assert _body(modules["Dictionary.cls"]) == _body(sources.dictionary_cls)
    assert "RibbonMyAddin.bas" not in modules


def test_the_xlwings_module_looks_for_salesxl_settings(sources):
    assert 'Public Const PROJECT_NAME As String = "salesxl"' in sources.runtime_bas
    assert "myaddin" not in sources.runtime_bas


def test_every_ribbon_action_names_a_callback_that_runs_an_entry_point(sources):
    callbacks = building.ribbon_callbacks(sources.ribbon_bas)
    for xml in sources.custom_ui.values():
        actions = building.ribbon_actions(xml)
        assert actions and len(set(actions)) == len(actions)
        assert {a.removeprefix("RibbonSalesxl.") for a in actions} == set(callbacks)
    assert set(callbacks.values()) == set(excel.ENTRY_POINTS)
    assert building.check_wiring(sources) == []


def test_a_broken_wiring_is_refused(tmp_path, sources):
    broken = dataclasses.replace(sources, ribbon_bas=sources.ribbon_bas.replace("x.grades()", "x.gradez()"))
    assert any("gradez" in p for p in building.check_wiring(broken))
    with pytest.raises(building.AddinSourceError):
        building.build(tmp_path / "x.xlam", broken)
    missing = dataclasses.replace(sources, ribbon_bas=sources.ribbon_bas.replace("Sub Routes(", "Sub Routez("))
    assert any("Routes" in p for p in building.check_wiring(missing))


def test_both_ribbons_have_the_same_buttons_in_their_own_namespace(sources):
    roots = {part: etree.fromstring(xml.encode()) for part, xml in sources.custom_ui.items()}
    assert etree.QName(roots["customUI/customUI.xml"]).namespace == building.NS_UI_2006
    assert etree.QName(roots["customUI/customUI14.xml"]).namespace == building.NS_UI_2009
    shapes = [[(etree.QName(e).localname, dict(e.attrib)) for e in root.iter()] for root in roots.values()]
    assert shapes[0] == shapes[1]
    tab = next(e for e in roots["customUI/customUI.xml"].iter() if etree.QName(e).localname == "tab")
    assert tab.get("label") == "销售 SalesXL"


def test_package_parts_types_and_relationships(addin, sources):
    with zipfile.ZipFile(addin) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        rels = etree.fromstring(package.read("_rels/.rels"))
        workbook_rels = package.read("xl/_rels/workbook.xml.rels").decode()
        workbook = package.read("xl/workbook.xml").decode()
        ui = {part: package.read(part).decode("utf-8") for part, _, _ in building.CUSTOM_UI}
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT_NS}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT_NS}Default")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    assert defaults["xml"] == "application/xml"  # the customUI parts
    assert 'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"' in workbook_rels
    by_type = {r.get("Type"): r.get("Target") for r in rels}
    assert by_type[building.RT_UI_2006] == "customUI/customUI.xml"
    assert by_type[building.RT_UI_2007] == "customUI/customUI14.xml"
    assert len([r for r in rels if "ui/extensibility" in r.get("Type")]) == 2
    assert len({r.get("Id") for r in rels}) == len(rels)
    assert {"customUI/customUI.xml", "customUI/customUI14.xml", "xl/vbaProject.bin"} <= names
    assert ui == sources.custom_ui
    assert 'name="_salesxl.conf"' in workbook and "myaddin" not in workbook


def test_everything_else_is_kept_from_excels_template(addin):
    with zipfile.ZipFile(building.template_path()) as template, zipfile.ZipFile(addin) as built:
        kept = [n for n in template.namelist()
                if n not in ("xl/vbaProject.bin", "_rels/.rels", "xl/workbook.xml", "customUI/customUI.xml")]
        for name in kept:
            assert built.read(name) == template.read(name), name


def _press_buttons(xlam: Path, subs: list[str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="sxl_ribbon_") as work:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["SALESXL_LO_PROFILE"] = (Path(work) / "profile").as_uri()
        env["SALESXL_SOFFICE"] = soffice() or "soffice"
        script = Path(building.__file__).with_name("lo_ribbon.py")
        done = subprocess.run(["/usr/bin/python3", str(script), str(xlam), COMMAND_CELL, *subs], check=True,
                              capture_output=True, text=True, timeout=180, env=env, cwd=work)
    return json.loads(done.stdout)


@needs_libreoffice
def test_libreoffice_runs_every_ribbon_callback_with_its_exact_command(tmp_path, sources):
    stubbed = dataclasses.replace(sources, runtime_bas=RUNPYTHON_STUB, dictionary_cls=EMPTY_CLASS)
    xlam = building.build(tmp_path / "stub.xlam", stubbed)
    callbacks = building.ribbon_callbacks(sources.ribbon_bas)
    seen = _press_buttons(xlam, list(callbacks))
    assert seen == {sub: f"import salesxl.excel as x; x.{entry}()" for sub, entry in callbacks.items()}


def test_install_dry_run_prints_windows_and_mac_paths_and_touches_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("APPDATA", r"C:\Users\li\AppData\Roaming")
    monkeypatch.setenv("USERPROFILE", r"C:\Users\li")
    for command in ("install", "uninstall"):
        result = CliRunner().invoke(addin_app, [command, "--dry-run"], env={"COLUMNS": "300"})
        assert result.exit_code == 0, result.output
        out = result.output
        assert r"C:\Users\li\AppData\Roaming\Microsoft\Excel\XLSTART\salesxl.xlam" in out
        assert r"C:\Users\li\.salesxl\salesxl.conf" in out
        mac = Path(tmp_path, "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel")
        assert str(mac / "salesxl.xlam") in out
        assert str(tmp_path / "Library/Containers/com.microsoft.Excel/Data/salesxl.conf") in out
    assert list(tmp_path.iterdir()) == []


def test_install_and_uninstall_put_back_what_they_found(tmp_path, addin):
    windows = installing.windows_places("C:/Roaming", "C:/me")  # Windows' layout, in folders of this machine
    places = installing.Places("windows", tmp_path / "Roaming" / Path(*windows.xlstart.parts[1:]),
                               tmp_path / "me" / Path(*windows.conf.parts[1:]))
    done = installing.install(addin, places)
    assert Path(places.addin).read_bytes() == addin.read_bytes()
    conf = Path(places.conf).read_bytes().decode()
    assert conf.startswith('"INTERPRETER_WIN","') and conf.endswith('"\r\n') and len(done) == 2
    installing.uninstall(places)
    assert not Path(places.addin).exists() and not Path(places.conf).parent.exists()
    assert installing.conf_text("mac", "/usr/bin/python3", prefix="/usr") == (
        '"INTERPRETER_MAC","/usr/bin/python3"\r\n"ADD_WORKBOOK_TO_PYTHONPATH","False"\r\n')


def test_build_command_writes_the_addin(tmp_path):
    out = tmp_path / "out" / "salesxl.xlam"
    result = CliRunner().invoke(addin_app, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        assert "customUI/customUI14.xml" in package.namelist()


def test_the_conf_activates_a_conda_env_and_keeps_the_workbook_folder_off_the_path(tmp_path):
    env = tmp_path / "miniconda3" / "envs" / "sales"
    (env / "conda-meta").mkdir(parents=True)
    (tmp_path / "miniconda3" / "conda-meta").mkdir()
    lines = installing.conf_text("windows", str(env / "python.exe"), prefix=str(env)).splitlines()
    assert f'"CONDA PATH","{tmp_path / "miniconda3"}"' in lines and '"CONDA ENV","sales"' in lines
    assert '"ADD_WORKBOOK_TO_PYTHONPATH","False"' in lines
    base = installing.conf_text("mac", "/x/bin/python", prefix=str(tmp_path / "miniconda3")).splitlines()
    assert '"CONDA ENV","base"' in base
    assert not any("CONDA" in line for line in installing.conf_text("mac", "/usr/bin/python3", prefix="/usr").splitlines())


def test_a_build_that_cannot_find_its_sources_says_so_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(building, "MACROS", tmp_path / "nowhere")
    result = CliRunner().invoke(addin_app, ["build", "-o", str(tmp_path / "a.xlam")])
    assert result.exit_code == 2 and "Traceback" not in result.output and "nowhere" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_new_workbook_button_opens_a_workbook_before_runpython_needs_one(sources):
    body = sources.ribbon_bas.split("Sub NewFromTemplate", 1)[1].split("End Sub", 1)[0]
    guard, run = body.index("If ActiveWorkbook Is Nothing Then Workbooks.Add"), body.index('RunPython "')
    assert guard < run


@pytest.mark.slow
def test_a_wheel_install_builds_and_installs_the_addin_without_a_checkout(tmp_path):
    """The whole path a user takes: a wheel into a fresh venv, run from a folder with no checkout."""
    import site
    import subprocess
    import venv

    import shutil

    checkout, root = Path(__file__).resolve().parents[1], tmp_path / "source"
    shutil.copytree(checkout / "salesxl", root / "salesxl", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(checkout / name, root / name)  # built from a copy: the checkout gets no build/ folder
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(wheels), str(root)], check=True, capture_output=True)
    wheel = next(wheels.glob("salesxl-*.whl"))
    with zipfile.ZipFile(wheel) as package:
        assert {"salesxl/addin/macros/RibbonSalesxl.bas", "salesxl/addin/macros/customUI14.xml"} <= set(package.namelist())
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    # The installed dependencies, reused as plain path entries: the .pth files there (the editable install of
    # a checkout among them) are not run, so only the wheel provides salesxl.
    site_dir = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
    Path(site_dir, "installed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # --ignore-installed: the checkout's own install is visible through the dependencies and must stay untouched
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--ignore-installed",
                    "-q", str(wheel)], check=True, capture_output=True, env=clean)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cli = [str(env / "bin" / "salesxl"), "addin"]
    where = subprocess.run([str(python), "-c", "import salesxl; print(salesxl.__file__)"], cwd=elsewhere,
                           env=clean, capture_output=True, text=True)
    assert str(env) in where.stdout, where.stderr  # the wheel's code, not a checkout's
    built = subprocess.run(cli + ["build", "-o", "salesxl.xlam"], cwd=elsewhere, env=clean, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    modules = {name for _, _, name, _ in VBA_Parser(str(elsewhere / "salesxl.xlam")).extract_macros()}
    assert {"RibbonSalesxl", "xlwings"} <= {Path(m).stem for m in modules}
    dry = subprocess.run(cli + ["install", "--dry-run"], cwd=elsewhere, env=clean, capture_output=True, text=True)
    assert dry.returncode == 0 and "XLSTART" in dry.stdout and "ADD_WORKBOOK_TO_PYTHONPATH" in dry.stdout, dry.stdout


def test_the_vba_project_is_named_salesxl(addin):
    import struct

    from pyopenvba.cfb import CFB
    from pyopenvba.vba import decompress

    with zipfile.ZipFile(addin) as package:
        cfb = CFB.from_bytes(package.read("xl/vbaProject.bin"))
    directory = decompress(cfb.get_stream_in_storage("VBA", "dir"))
    assert struct.pack("<HI", 4, 7) + b"salesxl" in directory and b"MyAddin" not in directory
    assert b'Name="salesxl"' in cfb.get_stream("PROJECT") and b"MyAddin" not in cfb.get_stream("PROJECT")
