"""The package's layers, checked from its source: no module imports a layer above its own.

Every `import` and `from … import` counts, at the top of a module or inside a
function, so a lazy import cannot hide an upward dependency. The walk reads the
source with `ast` and imports nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "salesxl"

#: Bottom to top; a module may import its own layer and the layers below. The first four are the engine.
#: A module belongs to the layer of the longest prefix that names it ("salesxl" names only the package itself).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground", ("salesxl", "salesxl.core", "salesxl.schema")),
    ("io", ("salesxl.io",)),
    ("passes", ("salesxl.registry", "salesxl.passes")),
    ("pipeline", ("salesxl.pipeline",)),
    ("demo", ("salesxl.demo",)),
    ("reports", ("salesxl.reports",)),
    ("workbook", ("salesxl.workbook",)),
    ("forms", ("salesxl.forms",)),
    ("files", ("salesxl.files",)),
    ("sharing", ("salesxl.sharing",)),
    ("excel", ("salesxl.excel_adapter", "salesxl.excel")),
    ("addin", ("salesxl.addin",)),
    ("cli", ("salesxl.cli", "salesxl.docs", "salesxl.forms.cli", "salesxl.sharing.cli", "salesxl.addin.cli",
             "salesxl.workbook.cli")),
)
ENGINE = ("ground", "io", "passes", "pipeline")
_RANK = {name: rank for rank, (name, _) in enumerate(LAYERS)}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _names(prefix: str, module: str) -> bool:
    return module == prefix or (prefix != "salesxl" and module.startswith(prefix + "."))


def layer_of(module: str) -> str | None:
    """The layer of the longest declared prefix of `module` (None: undeclared)."""
    best: tuple[int, str] | None = None
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            if _names(prefix, module) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), name)
    return best[1] if best else None


def imported(path: Path, modules: set[str], root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, module) of every salesxl module the file imports anywhere in its body."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from salesxl import pipeline` imports the module salesxl.pipeline
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `salesxl.io.xlsx.new_workbook` -> salesxl.io.xlsx
                target = target.rpartition(".")[0]
            if target and target != name and (node.lineno, target) not in found:
                found.append((node.lineno, target))
    return found


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def upward_imports(root: Path = PACKAGE) -> list[str]:
    """Every import of a module from a higher layer, as 'module:line -> target (layer -> layer)'."""
    sources = sorted(root.rglob("*.py"))
    modules = {module_name(p, root) for p in sources}
    found = []
    for path in sources:
        here = module_name(path, root)
        for line, target in imported(path, modules, root):
            mine, theirs = layer_of(here), layer_of(target)
            if mine is not None and theirs is not None and _RANK[theirs] > _RANK[mine]:
                found.append(f"{here}:{line} -> {target} ({mine} -> {theirs})")
    return found


def test_every_module_has_a_layer():
    undeclared = [module_name(p) for p in _sources() if layer_of(module_name(p)) is None]
    assert undeclared == []


def test_every_declared_layer_names_code():
    modules = {module_name(p) for p in _sources()}
    empty = [prefix for _, prefixes in LAYERS for prefix in prefixes
             if not any(_names(prefix, m) for m in modules)]
    assert empty == []


def test_the_engine_imports_nothing_above_it():
    leaks = [line for line in upward_imports() if line.split(" (")[1].split(" -> ")[0] in ENGINE]
    assert leaks == [], "the engine reaches up:\n" + "\n".join(leaks)


def test_no_layer_imports_a_layer_above_it():
    leaks = upward_imports()
    assert leaks == [], "upward imports:\n" + "\n".join(leaks)


@pytest.mark.parametrize("source, expected", [
    ("import salesxl.reports.grades\n", ["salesxl.reports.grades"]),
    ("def f():\n    from salesxl.reports import grades\n", ["salesxl.reports.grades"]),
    ("from ..reports.grades import build\n", ["salesxl.reports.grades"]),
    ("from salesxl import cli\n", ["salesxl.cli"]),
])
def test_the_walk_sees_every_form_of_import(tmp_path, source, expected):
    """An engine module with a lazy, relative or package-level import of an upper layer is caught."""
    package = tmp_path / "salesxl"
    for module in ("__init__", "cli", "io/__init__", "io/leak", "reports/__init__", "reports/grades"):
        (package / module).with_suffix(".py").parent.mkdir(parents=True, exist_ok=True)
        (package / module).with_suffix(".py").write_text("")
    leak = package / "io" / "leak.py"
    leak.write_text(source)
    modules = {module_name(p, package) for p in package.rglob("*.py")}
    assert [target for _, target in imported(leak, modules, package)] == expected
    assert [line.split(" -> ")[0] for line in upward_imports(package)] == ["salesxl.io.leak:" + str(source.count("\n"))]
