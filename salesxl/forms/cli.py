"""Commands for the forms people carry: customer forms out and back in, printable route sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from salesxl.core.issues import Lang, WorkbookError

forms_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Customer forms and route sheets.")
console = Console()
errors = Console(stderr=True)


def _t(lang: Lang | None, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _fail(error: WorkbookError) -> None:
    errors.print(f"[red]✗[/red] {error.message()}", highlight=False)
    raise typer.Exit(2)


@forms_app.command("customer")
def customer_form(
    office: Path,
    out: Annotated[Path, typer.Option("-o", "--out", help="the form file to write")],
    customer: Annotated[Optional[str], typer.Option("--for", help="customer ID (blank form when omitted)")] = None,
) -> None:
    """Write a customer information form (pre-filled for --for CUSTOMER_ID)."""
    from salesxl.forms.writer import write_customer_form

    try:
        form_id = write_customer_form(office, out, customer)
    except WorkbookError as error:
        _fail(error)
    console.print(f"{out} ({form_id})", highlight=False)


def import_form(office: Path, forms: list[Path]) -> None:
    """Read returned customer forms into the office workbook's customer cards."""
    from salesxl.forms.importer import import_forms

    try:
        result = import_forms(office, forms)
    except WorkbookError as error:
        _fail(error)
    lang = result.lang
    for form in result.forms:
        if form.imported:
            verb = _t(lang, "新建", "created") if form.created else \
                _t(lang, "更新", "updated") if form.changed else _t(lang, "无变化", "unchanged")
            fields = ", ".join(f"{c.label}: {c.old or '-'} → {c.new}" for c in form.changed) or "-"
            console.print(f"✓ {Path(form.path).name}: {form.customer_id} {verb} — {fields}", highlight=False)
            for c in form.conflicts:
                console.print(_t(lang, f"  ! {c.label}：档案“{c.old}”，客户填写“{c.new}”，见校验结果表",
                                 f'  ! {c.label}: card "{c.old}", form "{c.new}" — see the Validation sheet'),
                              highlight=False)
        for message in form.messages:
            errors.print(f"[yellow]![/yellow] {message}", highlight=False)
    if not all(f.imported for f in result.forms):
        raise typer.Exit(1)


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


forms_app.command("import-form")(import_form)
forms_app.command("route-sheets")(route_sheets)
