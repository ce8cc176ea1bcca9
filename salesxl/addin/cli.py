"""`salesxl addin build | install | uninstall`: mounted on the main CLI as a sub-app."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console

from salesxl.addin import build as building
from salesxl.addin import install as installing

addin_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The salesxl ribbon add-in for Excel (salesxl.xlam).")
console = Console()


@addin_app.command("build")
def build_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="where to write the add-in")] = Path(installing.ADDIN_NAME),
) -> None:
    """Build salesxl.xlam from the VBA and ribbon sources."""
    with _failures("build"):
        path = building.build(out)
    console.print(f"built {path}", highlight=False)


@contextmanager
def _failures(action: str) -> Iterator[None]:
    """Every failure of building or installing as one message and exit code 2, never a traceback."""
    try:
        yield
    except building.AddinSourceError as error:
        console.print(f"[red]✗[/red] {error}", highlight=False)
        raise typer.Exit(2)
    except OSError as error:  # a missing source or template, a folder that cannot be written
        name = getattr(error, "filename", None)
        where = f" ({name})" if name else ""
        console.print(f"[red]✗[/red] could not {action} the add-in{where}: {error.strerror or error}", highlight=False)
        raise typer.Exit(2)
    except Exception as error:  # a template the VBA library cannot read, a broken install
        console.print(f"[red]✗[/red] could not {action} the add-in: {type(error).__name__}: {error}", highlight=False)
        raise typer.Exit(2)


def _dry_run(action: str) -> None:
    for places in installing.places_for_both():
        console.print(f"[bold]{places.system}[/bold]: {action} {places.addin}", highlight=False)
        console.print(f"[bold]{places.system}[/bold]: {action} {places.conf} "
                      f"({installing._one_line(installing.conf_text(places.system))})", highlight=False)
    console.print("dry run: nothing was changed")


@addin_app.command("install")
def install_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="print the Windows and Mac paths, change nothing")] = False,
    xlam: Annotated[Optional[Path], typer.Option("--xlam", help="install this add-in instead of building one")] = None,
) -> None:
    """Build the add-in, copy it into Excel's start-up folder and point it at this Python."""
    if dry_run:
        _dry_run("write")
        return
    try:
        places = installing.current_places()
    except OSError as error:
        console.print(f"[red]✗[/red] {error}", highlight=False)
        raise typer.Exit(2)
    with tempfile.TemporaryDirectory(prefix="sxl_addin_") as work, _failures("install"):
        addin = xlam or building.build(Path(work) / installing.ADDIN_NAME)
        for line in installing.install(addin, places):
            console.print(line, highlight=False)
    console.print("restart Excel to load the salesxl tab")


@addin_app.command("uninstall")
def uninstall_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="print the Windows and Mac paths, change nothing")] = False,
) -> None:
    """Remove the add-in and its settings file."""
    if dry_run:
        _dry_run("remove")
        return
    try:
        places = installing.current_places()
    except OSError as error:
        console.print(f"[red]✗[/red] {error}", highlight=False)
        raise typer.Exit(2)
    done = installing.uninstall(places)
    for line in done or ["nothing to remove"]:
        console.print(line, highlight=False)
