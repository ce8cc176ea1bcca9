"""The printable route sheets command (`salesxl route-sheets`, registered at the top level)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from salesxl.core.issues import WorkbookError

console = Console()
errors = Console(stderr=True)


def _fail(error: WorkbookError) -> None:
    errors.print(f"[red]✗[/red] {error.message()}", highlight=False)
    raise typer.Exit(2)


def route_sheets(
    office: Path,
    salesperson: Annotated[str, typer.Option("--salesperson", help="salesperson ID, e.g. S01")],
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="first day")],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="last day")],
    out: Annotated[Path, typer.Option("-o", "--out", help="the workbook to write")],
    pdf: Annotated[bool, typer.Option("--pdf", help="also print to PDF with LibreOffice")] = False,
) -> None:
    """Printable route sheets for one salesperson: one A4 page per day."""
    try:
        written = write_route_sheets(office, out, salesperson, start.date(), end.date(), pdf=pdf)
    except WorkbookError as error:
        _fail(error)
    for path in written:
        console.print(str(path), highlight=False)


def write_route_sheets(office: Path, out: Path, salesperson: str, start: dt.date, end: dt.date, *,
                       pdf: bool = False) -> list[Path]:
    """Plan, write the route sheets workbook and, when asked and LibreOffice is there, its PDF."""
    from salesxl.io import libreoffice
    from salesxl.io.reader import read_book
    from salesxl.io.xlsx import new_workbook
    from salesxl.reports.route_sheets import plan_routes, route_sheet

    book = read_book(office)
    results = plan_routes(book, start, end)
    spec = route_sheet(book, results, salesperson, start, end)
    if not spec.blocks:
        raise WorkbookError("ROUTE_SHEETS_EMPTY", f"{start} 至 {end} 没有销售员 {salesperson} 的拜访路线。",
                            f"Salesperson {salesperson} has no route between {start} and {end}.", path=str(office))
    new_workbook(out, [spec])
    written = [out]
    if pdf:
        if not libreoffice.available():
            raise WorkbookError("PDF_NO_LIBREOFFICE", "未安装 LibreOffice，无法生成 PDF。",
                                "LibreOffice is not installed, so no PDF can be made.", path=str(out))
        written.append(libreoffice.to_pdf(out, out.parent))
    return written

