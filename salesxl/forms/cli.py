"""Commands for customer forms: out and back in (`salesxl form customer|import|accept`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from salesxl.core.issues import Lang, WorkbookError

forms_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Customer forms: write one, import the filled ones.")
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


Recalc = Annotated[bool, typer.Option("--recalc/--no-recalc", help="rebuild the report sheets (Validation) afterwards")]


def _recalc(office: Path, lang: Lang) -> bool:
    """Rebuild the report sheets, so Validation lists what the command just did; False when it failed."""
    from salesxl.files import recalc_file

    report = recalc_file(office)
    if not report.ok:
        errors.print(f"[red]✗[/red] {report.message}", highlight=False)
    return report.ok


@forms_app.command("import")
def import_form(office: Path, forms: list[Path], recalc: Recalc = True) -> None:
    """Read returned customer forms into the office workbook's customer cards."""
    from salesxl.forms.importer import import_forms

    try:
        result = import_forms(office, forms)
    except WorkbookError as error:
        _fail(error)
    lang = result.lang
    listed = recalc and result.written and _recalc(office, lang)
    for form in result.forms:
        if form.imported:
            verb = _t(lang, "新建", "created") if form.created else \
                _t(lang, "更新", "updated") if form.changed else _t(lang, "无变化", "unchanged")
            fields = ", ".join(f"{c.label}: {c.old or '-'} → {c.new}" for c in form.changed) or "-"
            console.print(f"✓ {Path(form.path).name}: {form.customer_id} {verb} — {fields}", highlight=False)
            where = _t(lang, "见校验结果表", "see the Validation sheet") if listed else \
                _t(lang, "运行 salesxl recalc 后列在校验结果表", "listed on the Validation sheet after salesxl recalc")
            for c in form.conflicts:
                console.print(_t(lang, f"  ! {c.label}：档案“{c.old or '-'}”，客户填写“{c.new}”，档案未改，{where}"
                                       f"（salesxl form accept {office.name} {form.customer_id} 接受）",
                                 f'  ! {c.label}: card "{c.old or "-"}", form "{c.new}", card not changed — {where} '
                                 f"(salesxl form accept {office.name} {form.customer_id} accepts it)"),
                              highlight=False)
        for message in form.messages:
            errors.print(f"[yellow]![/yellow] {message}", highlight=False)
    if not all(f.imported for f in result.forms):
        raise typer.Exit(1)


@forms_app.command("accept")
def accept_form(
    office: Path,
    customer: str,
    fields: Annotated[Optional[list[str]], typer.Option("--field", help="only this card field (repeatable)")] = None,
    reject: Annotated[bool, typer.Option("--reject", help="keep the card's values and close the differences")] = False,
    recalc: Recalc = True,
) -> None:
    """Accept (or reject) a customer's form answers that differ from the card: writes them into the card."""
    from salesxl.forms.accept import decide_form

    try:
        decision = decide_form(office, customer, fields or (), accept=not reject)
    except WorkbookError as error:
        _fail(error)
    lang = decision.lang
    listed = recalc and _recalc(office, lang)
    for label, card, form in decision.fields:
        if decision.accepted:
            console.print(_t(lang, f"✓ {customer} {label}：{card or '-'} → {form}，已写入档案",
                             f"✓ {customer} {label}: {card or '-'} → {form}, written to the card"), highlight=False)
        else:
            console.print(_t(lang, f"✓ {customer} {label}：保留档案“{card or '-'}”，不采用客户填写“{form}”",
                             f'✓ {customer} {label}: card keeps "{card or "-"}", form value "{form}" rejected'),
                          highlight=False)
    console.print(_t(lang, "决定已记入客户自填冲突表" + ("，校验结果表已更新。" if listed else "；运行 salesxl recalc 更新校验结果表。"),
                     "The decision is recorded on the FormConflicts sheet" +
                     ("; the Validation sheet is updated." if listed else "; run salesxl recalc to update Validation.")),
                  highlight=False)
