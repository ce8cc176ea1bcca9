"""Commands for workbooks that travel by email: consolidate, merge, share."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from salesxl.core.issues import WorkbookError, json_value

sharing_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Share, merge and consolidate workbooks.")
console = Console()
errors = Console(stderr=True)

OpenPassword = Annotated[Optional[str], typer.Option(
    "--open-password", envvar="SALESXL_PASSWORD", help="password of encrypted input workbooks")]


def _print_json_line(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n")


def _fail(error: WorkbookError) -> None:
    errors.print(f"[red]✗[/red] {error.message()}", highlight=False)
    raise typer.Exit(2)


@sharing_app.command()
def consolidate(
    master: Path,
    inbox: Path,
    password: OpenPassword = None,
    recalc: Annotated[bool, typer.Option("--recalc/--no-recalc", help="recalculate the master afterwards")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print each decision as a JSON line")] = False,
) -> None:
    """Bring the workbooks salespeople sent back (a folder) into the master workbook."""
    from salesxl.sharing.consolidate import consolidate as run

    try:
        report = run(master, inbox, password=password, recalc=recalc)
    except WorkbookError as error:
        _fail(error)
    if as_json:  # the conventions of `recalc --json`: JSON Lines, cell values as plain JSON (dates ISO, blanks null)
        for entry in report.log:
            decision = {k: v for k, v in vars(entry).items() if k != "change"} | {"row": entry.excel_row}
            _print_json_line(json_value(decision))
    else:
        console.print(f"{master.name}: {len(report.files)} 个文件 / files, "
                      f"{report.count(True)} 项接受 / accepted, {report.count(False)} 项拒绝 / refused "
                      f"({report.seconds:.1f} s)")
    raise typer.Exit(0)


@sharing_app.command()
def merge(
    base: Path,
    mine: Path,
    theirs: Path,
    out: Annotated[Path, typer.Option("--out", "-o", help="the merged workbook")],
    password: OpenPassword = None,
) -> None:
    """Three-way merge of two edited copies of one workbook; conflicts go to the Conflicts sheet."""
    from salesxl.sharing.merge import merge_files

    try:
        report = merge_files(base, mine, theirs, out, password=password)
    except WorkbookError as error:
        _fail(error)
    console.print(f"{out}: {report.changes} 处合并 / changes merged, {len(report.conflicts)} 个冲突 / conflicts")
    raise typer.Exit(1 if report.conflicts else 0)


@sharing_app.command()
def share(
    path: Path,
    salesperson: Annotated[str, typer.Option("--for", help="the salesperson ID the copy is for")],
    out: Annotated[Path, typer.Option("--out", "-o", help="the copy to send")],
    redact: Annotated[bool, typer.Option("--redact", help="mask personal data (mobiles, home addresses, birthdays...)")] = False,
    password: Annotated[Optional[str], typer.Option("--password", help="encrypt the copy with this password")] = None,
    open_password: OpenPassword = None,
    as_json: Annotated[bool, typer.Option("--json", help="print what was written as one JSON line")] = False,
) -> None:
    """Write a copy for one salesperson: only their customers and rows."""
    from salesxl.sharing.share import share_file

    try:
        report = share_file(path, salesperson, out, redact_personal=redact, password=password,
                            source_password=open_password)
    except WorkbookError as error:
        _fail(error)
    if as_json:
        _print_json_line(report.model_dump(mode="json"))
        return
    rows = ", ".join(f"{k} {n}" for k, n in report.rows.items())
    console.print(f"{out} ({salesperson}): {rows}", highlight=False)
