"""The `salesxl` command line: new, demo, init, validate, recalc, docs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from salesxl import __version__
from salesxl.addin.cli import addin_app
from salesxl.forms.cli import forms_app
from salesxl.workbook.cli import route_sheets
from salesxl.sharing.cli import sharing_app
from salesxl.core.issues import SEVERITY_LABELS, Lang, WorkbookError
from salesxl.core.run_report import RunReport

app = typer.Typer(add_completion=False, no_args_is_help=True, help="salesxl — the sales office workbook as a system of record.")

Password = Annotated[Optional[str], typer.Option(
    "--password", envvar="SALESXL_PASSWORD", help="password of encrypted workbooks (or SALESXL_PASSWORD)")]
console = Console()
errors = Console(stderr=True)


def _t(lang: Lang | None, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _fail(error: WorkbookError, lang: Lang | None = None) -> None:
    errors.print(f"[red]✗[/red] {error.message(lang)}", highlight=False)
    raise typer.Exit(2)


def _workbooks(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to their .xlsx/.xlsm files (owner files and backups skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.iterdir())
                if p.suffix.lower() in (".xlsx", ".xlsm") and not p.name.startswith(("~$", ".~lock")) and ".bak" not in p.suffixes
            )
        else:
            found.append(path)
    return found


@app.command()
def new(
    path: Path,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
) -> None:
    """Write an empty office workbook (the template)."""
    from salesxl.files import new_template

    lang = "en" if lang == "en" else "zh"
    try:
        new_template(path, lang)
    except WorkbookError as error:
        _fail(error, lang)
    console.print(_t(lang, f"已生成模板：{path}", f"Template written: {path}"))


@app.command()
def demo(
    path: Path,
    size: Annotated[str, typer.Option("--size", help="S, M or L")] = "S",
    seed: Annotated[int, typer.Option("--seed")] = 7,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
) -> None:
    """Generate a demo office workbook (deterministic for a size and seed)."""
    from salesxl.files import make_demo

    lang = "en" if lang == "en" else "zh"
    size = size.upper()
    if size not in ("S", "M", "L"):
        errors.print(_t(lang, "--size 只能是 S、M 或 L", "--size must be S, M or L"))
        raise typer.Exit(2)
    with console.status(_t(lang, "正在生成演示数据…", "Generating the demo office…")):
        try:
            make_demo(path, size=size, seed=seed, lang=lang)
        except WorkbookError as error:
            _fail(error, lang)
    console.print(_t(lang, f"已生成演示工作簿：{path}", f"Demo workbook written: {path}"))


@app.command()
def init(
    path: Path,
    lang: Annotated[Optional[str], typer.Option("--lang", help="zh or en (default: guessed from the workbook)")] = None,
) -> None:
    """Add the template's missing input sheets to an existing workbook, losing nothing."""
    from salesxl.files import init_workbook

    chosen: Lang | None = None if lang is None else ("en" if lang == "en" else "zh")
    try:
        added = init_workbook(path, chosen)
    except WorkbookError as error:
        _fail(error, chosen)
    if added:
        console.print(_t(chosen, "已添加工作表：", "Sheets added: ") + ", ".join(added))
    else:
        console.print(_t(chosen, "所有输入表都已存在，无需添加。", "Every input sheet is already there."))


@app.command()
def validate(
    path: Path,
    show: Annotated[int, typer.Option("--show", help="how many issues to list")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="print the run report (every issue) as one JSON line")] = False,
    password: Password = None,
) -> None:
    """Check the customer cards and every input table; exit 1 when there are errors."""
    from salesxl import pipeline
    from salesxl.io.reader import read_book

    start = time.perf_counter()
    try:
        book = read_book(path, password=password)
    except WorkbookError as error:
        if as_json:
            _print_json([RunReport.failed(str(path), error.code, error.message(), seconds=time.perf_counter() - start)])
            raise typer.Exit(2)
        _fail(error)
    result = pipeline.run(book, ["validation"])
    if as_json:
        _print_json([RunReport.of_run(str(path), book, result.issues, result.timings,
                                      seconds=time.perf_counter() - start)])
        raise typer.Exit(1 if result.count("error") else 0)
    lang = book.lang
    counts: dict[tuple[str, str], int] = {}
    for issue in result.issues:
        counts[(issue.severity, issue.code)] = counts.get((issue.severity, issue.code), 0) + 1
    summary = RichTable(title=_t(lang, f"{path.name} 校验汇总", f"{path.name} — validation summary"))
    summary.add_column(_t(lang, "级别", "Severity"))
    summary.add_column(_t(lang, "代码", "Code"))
    summary.add_column(_t(lang, "数量", "Count"), justify="right")
    for (severity, code), count in counts.items():
        summary.add_row(SEVERITY_LABELS[lang][severity], code, str(count))
    console.print(summary)
    for issue in result.issues[:show]:
        console.print(_issue_line(issue, lang), highlight=False)
    if len(result.issues) > show:
        console.print(_t(lang, f"…… 另有 {len(result.issues) - show} 条，运行 recalc 查看校验结果表。",
                         f"… {len(result.issues) - show} more; run recalc to get the Validation sheet."))
    raise typer.Exit(1 if result.count("error") else 0)


def _issue_line(issue, lang: Lang) -> str:
    """"错误 CODE 客户档案!C2: message", the address once even when the message starts with it."""
    where = issue.cell or issue.sheet or ""
    message = issue.message
    if where and message.startswith(where):
        message = message[len(where):].lstrip("：:，, ")
    return f"{SEVERITY_LABELS[lang][issue.severity]} {issue.code} {where}: {message}"


@app.command()
def recalc(
    paths: Annotated[list[Path], typer.Argument(help="workbooks or folders of workbooks")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="write the result here (one input file) or into this folder")] = None,
    only: Annotated[Optional[str], typer.Option("--only", help="comma-separated outputs, e.g. validation,grades")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print each workbook's run report (every issue) as a JSON line")] = False,
    password: Password = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="parallel processes (default: one per core)")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="run on a Dask cluster: its scheduler's address, e.g. tcp://HOST:8786 (salesxl[cluster])")] = None,
) -> None:
    """Recalculate: run every pass and rewrite the tool-owned sheets of each workbook (folders in parallel,
    on this machine's cores or on a Dask cluster)."""
    from salesxl.sharing.batch import recalc_one, run_batch

    files = _workbooks(paths)
    if not files:
        errors.print("没有找到工作簿 / no workbook found")
        raise typer.Exit(2)
    outputs = [o.strip() for o in only.split(",")] if only else None
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=errors, transient=True, disable=as_json) as progress:
        task = progress.add_task("recalc", total=len(files))
        if out is not None and len(files) == 1 and not out.is_dir() and scheduler is None:
            out.parent.mkdir(parents=True, exist_ok=True)
            reports = [recalc_one(files[0], out, password, outputs)]
        else:
            try:
                reports = run_batch(files, workers=workers, out_dir=out, password=password, outputs=outputs,
                                    on_done=lambda report: progress.advance(task), scheduler=scheduler)
            except WorkbookError as error:  # the cluster cannot be reached: nothing was touched
                progress.stop()
                _fail(error)
    if as_json:
        _print_json(reports)
    else:
        _print_reports(reports)
    raise typer.Exit(0 if all(r.ok for r in reports) else 1)


def _print_json(reports: list[RunReport]) -> None:
    """JSON Lines: one run report per workbook, in the order given (schema: docs/run-report.schema.json)."""
    for report in reports:
        sys.stdout.write(report.model_dump_json() + "\n")
    sys.stdout.flush()


def _print_reports(reports) -> None:
    lang = next((r.lang for r in reports if r.lang), None)
    table = RichTable(title=_t(lang, "重算结果", "Recalculation"))
    table.add_column(_t(lang, "文件", "File"))
    table.add_column(_t(lang, "状态", "Status"))
    for header in (_t(lang, "工作表", "Sheets"), _t(lang, "错误", "Errors"), _t(lang, "警告", "Warnings"),
                   _t(lang, "提示", "Notes"), _t(lang, "秒", "Seconds")):
        table.add_column(header, justify="right")
    for r in reports:
        status = "[green]OK[/green]" if r.ok else "[red]" + _t(lang, "失败", "failed") + "[/red]"
        table.add_row(Path(r.path).name, status, str(len(r.sheets)), str(r.errors), str(r.warnings), str(r.infos),
                      f"{r.seconds:.1f}")
    console.print(table)
    if len(reports) == 1 and reports[0].sheets:
        console.print(_t(lang, "写入工作表：", "Sheets written: ") + ", ".join(reports[0].sheets), highlight=False)
    for r in reports:
        if not r.ok:
            errors.print(f"[red]✗[/red] {r.message}", highlight=False)


@app.command()
def territories(
    path: Path,
    unassigned: Annotated[bool, typer.Option("--unassigned", help="place only customers without a salesperson")] = False,
    salespeople: Annotated[Optional[str], typer.Option(
        "--salespeople", help="comma-separated salesperson IDs to share the customers (default: every active one)")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="write here instead of into the workbook")] = None,
    apply: Annotated[bool, typer.Option("--apply", help="write the proposed salespeople into Customers (logged in MergeLog)")] = False,
    password: Password = None,
) -> None:
    """Propose compact, workload-balanced territories (the TerritoryProposal sheet); --apply writes them."""
    from salesxl.sharing.territories import write_territories

    wanted = [s.strip() for s in salespeople.split(",") if s.strip()] if salespeople else None
    try:
        run = write_territories(path, out, salespeople=wanted, unassigned_only=unassigned, apply=apply,
                                password=password)
    except WorkbookError as error:
        _fail(error)
    p, lang = run.proposal, run.lang
    before, after = p.ratio("before"), p.ratio("after")
    km = (float(p.people["km_before"].sum()), float(p.people["km_after"].sum()))
    console.print(_t(lang, f"{run.out}：{len(p.changed)} 个客户建议变更负责销售员，工作量最大/最小 {before} → {after}，"
                           f"估计里程 {km[0]:.0f} → {km[1]:.0f} 公里；{len(p.no_coords)} 个客户缺少经纬度未调整。",
                     f"{run.out}: {len(p.changed)} customers would change salesperson, workload max/min {before} → "
                     f"{after}, est. km {km[0]:.0f} → {km[1]:.0f}; {len(p.no_coords)} without coordinates not moved."),
                  highlight=False)
    if apply:
        console.print(_t(lang, f"已写入客户档案 {len(run.applied)} 处，见合并记录表；运行 salesxl recalc 重排拜访路线。",
                         f"{len(run.applied)} Customers cells written (see MergeLog); run salesxl recalc to replan routes."),
                      highlight=False)


@app.command()
def docs(out: Annotated[Path, typer.Argument()] = Path("docs/schema.md")) -> None:
    """Write the schema reference (every table, column, setting and issue code) as markdown,
    and beside it the JSON schema of the `--json` run report."""
    from salesxl.core.run_report import SCHEMA_FILE_NAME, run_report_schema_text
    from salesxl.docs import schema_markdown

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(schema_markdown(), encoding="utf-8")
    schema = out.parent / SCHEMA_FILE_NAME
    schema.write_text(run_report_schema_text(), encoding="utf-8")
    console.print(f"{out}\n{schema}")


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"salesxl {__version__}")


# Commands that live with their features, each in one place: route sheets, sharing, forms, the Excel add-in.
app.command("route-sheets")(route_sheets)
app.registered_commands.extend(sharing_app.registered_commands)  # consolidate, merge, share
app.add_typer(forms_app, name="form")
app.add_typer(addin_app, name="addin")


def main() -> None:
    try:
        app()
    except WorkbookError as error:  # a file problem that escaped a command: still a message, not a traceback
        errors.print(error.message())
        sys.exit(2)


if __name__ == "__main__":
    main()
