"""The test tiers: every marker the tests use is registered, and the shared helpers run on any machine."""

from __future__ import annotations

import ast
import re
import tomllib

from tests.support import ROOT

MACHINE_PATH = re.compile(r"^(/(home|work|tmp|usr|opt|root|Users|mnt|var)\b|[A-Za-z]:[\\/])")


def _marks_used() -> set[str]:
    used = set()
    for path in (ROOT / "tests").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "mark":
                used.add(node.attr)
    return used - {"parametrize", "skip", "skipif", "xfail", "usefixtures", "filterwarnings"}


def test_every_marker_the_tests_use_is_registered():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    registered = {line.split(":")[0].strip() for line in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert {"slow", "libreoffice"} <= registered
    assert _marks_used() <= registered


def test_the_shared_test_helpers_name_no_machine_path():
    for name in ("support.py", "conftest.py", "books.py"):
        tree = ast.parse((ROOT / "tests" / name).read_text(encoding="utf-8"))
        found = [node.value for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str) and MACHINE_PATH.match(node.value)]
        assert not found, f"tests/{name} names machine paths: {found}"
