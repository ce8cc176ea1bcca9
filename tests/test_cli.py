"""The command line: every command has one place, and the places the README names exist."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from salesxl.cli import app

runner = CliRunner()


def _leaves(command, path: tuple[str, ...] = ()):
    """(path, command) of every runnable command under a group (typer may bring its own click)."""
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _leaves(sub, path + (name,))
    else:
        yield path, command


def test_no_command_is_reachable_in_two_places():
    seen: dict[object, tuple[str, ...]] = {}
    for path, command in _leaves(typer.main.get_command(app)):
        function = getattr(command.callback, "__wrapped__", command.callback)  # typer wraps each registration
        assert function not in seen, f"salesxl {' '.join(path)} repeats salesxl {' '.join(seen[function])}"
        seen[function] = path


def test_forms_and_route_sheets_live_where_the_readme_says():
    for args in (["form", "customer"], ["form", "import"], ["form", "accept"], ["route-sheets"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
    for args in (["import-form"], ["accept-form"], ["form", "route-sheets"], ["form", "import-form"]):
        assert runner.invoke(app, [*args, "--help"]).exit_code != 0, args
