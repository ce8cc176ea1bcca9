"""Book in, SheetSpecs out: runs the registered passes and report builders.

The pipeline is the one thing the CLI, batch recalculation and the Excel
ribbon share. It never touches a file or Excel itself.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.core.printing import report_page
from salesxl.core.sheetspec import SheetSpec
from salesxl.registry import PASSES, REPORTS, ReportContext, load_all
from salesxl.schema.outputs import OUTPUTS, STATE_SHEETS, header_line, stamp


@dataclass
class RunResult:
    book: Book
    results: dict[str, Any]
    issues: list[Issue]
    sheets: list[SheetSpec]
    timings: dict[str, float] = field(default_factory=dict)

    def count(self, severity: str) -> int:
        return sum(1 for issue in self.issues if issue.severity == severity)


OUTPUT_NAME_TAKEN = define(
    "OUTPUT_NAME_TAKEN", "warning",
    "工作表名“{name}”已被一张不是 salesxl 生成的工作表占用，本次结果写入“{renamed}”；该表不会被改动。",
    'The sheet name "{name}" belongs to a sheet salesxl did not make; the results went to "{renamed}" and that sheet was left alone.',
    title_zh="结果表改名", title_en="Result sheet renamed",
)


def available_outputs() -> list[str]:
    load_all()
    return list(REPORTS)


def _passes_needed(outputs: Iterable[str]) -> list[str]:
    """The passes the chosen reports need, with their prerequisites, in run order."""
    wanted: set[str] = set()
    stack = [name for output in outputs for name in REPORTS[output].requires]
    while stack:
        name = stack.pop()
        if name not in wanted and name in PASSES:
            wanted.add(name)
            stack.extend(PASSES[name].requires)
    ordered: list[str] = []
    remaining = sorted(wanted, key=lambda n: (PASSES[n].order, n))
    while remaining:
        ready = [n for n in remaining if all(r in ordered or r not in PASSES for r in PASSES[n].requires)]
        if not ready:  # a cycle is a programming error
            raise RuntimeError(f"pass requirements form a cycle: {remaining}")
        ordered.append(ready[0])
        remaining.remove(ready[0])
    return ordered


def run(
    book: Book,
    outputs: Iterable[str] | None = None,
    *,
    now: dt.datetime | None = None,
    taken: Collection[str] = (),
) -> RunResult:
    """Run the passes behind `outputs` (default: every report) and build their sheets.

    `taken` names the workbook's sheets that salesxl did not make: a result
    sheet whose name is among them is written under another name instead.
    """
    load_all()
    chosen = list(REPORTS) if outputs is None else [o for o in outputs if o in REPORTS]
    chosen += [name for name, report in REPORTS.items() if report.last and name not in chosen]
    results: dict[str, Any] = {}
    issues: list[Issue] = list(book.issues)
    timings: dict[str, float] = {}
    for name in _passes_needed(chosen):
        start = time.perf_counter()
        result, found = PASSES[name].run(book, results)
        results[name] = result
        issues.extend(found)
        timings[name] = time.perf_counter() - start
    issues.sort(key=Issue.sort_key)
    started = now or dt.datetime.now()
    context = ReportContext(book, results, issues, header_line(book.lang, started), started, timings)
    order = sorted(chosen, key=lambda n: (REPORTS[n].last, _output_position(n)))
    built = _build(order, context, timings)
    renamed = _avoid_taken_names(built, taken, book)
    if renamed:  # the reports that list every issue must list these too
        issues.extend(renamed)
        issues.sort(key=Issue.sort_key)
        last = [n for n in order if REPORTS[n].last]
        built = {n: specs for n, specs in built.items() if n not in last} | _build(last, context, timings)
        _avoid_taken_names(built, taken, book)
    sheets = [spec for specs in built.values() for spec in specs]
    for sheet in sheets:  # every tool-owned sheet carries the run's marker; printed: A4, header rows repeated
        stamp(sheet, context.header_line)
        if sheet.page is None:
            sheet.page = report_page(sheet)
    sheets.sort(key=lambda sheet: _output_position(sheet.key))  # stable: a report's own sheets keep their order
    return RunResult(book, results, issues, sheets, timings)


def _build(names: list[str], context: ReportContext, timings: dict[str, float]) -> dict[str, list[SheetSpec]]:
    built: dict[str, list[SheetSpec]] = {}
    for name in names:
        start = time.perf_counter()
        made = REPORTS[name].build(context)
        if made is not None:
            built[name] = [made] if isinstance(made, SheetSpec) else list(made)
        timings[f"report:{name}"] = time.perf_counter() - start
    return built


_RENAMED = re.compile(r" \(salesxl(?: \d+)?\)$")  # the suffix `_avoid_taken_names` gives
_RESULT_NAMES = frozenset(name.casefold() for sheet in (*OUTPUTS, *STATE_SHEETS) for name in sheet.names())


def may_write(name: str) -> bool:
    """Whether a run may write a sheet of this name (a result or state sheet's own, or renamed): only such
    a sheet of the user's needs to be in `run(taken=...)`."""
    return _RENAMED.sub("", name).casefold() in _RESULT_NAMES


def _avoid_taken_names(built: dict[str, list[SheetSpec]], taken: Collection[str], book: Book) -> list[Issue]:
    """Give a result sheet another name when a sheet of the user's already has it."""
    used = {name.casefold() for name in taken}
    if not used:
        return []
    issues = []
    for specs in built.values():
        for spec in specs:
            if spec.name.casefold() not in used:
                continue
            base, number = spec.name, 1
            while spec.name.casefold() in used:
                suffix = " (salesxl)" if number == 1 else f" (salesxl {number})"
                spec.name = base[: 31 - len(suffix)] + suffix
                number += 1
            issues.append(OUTPUT_NAME_TAKEN(book.lang, name=base, renamed=spec.name, value=base))
    return issues


def _output_position(key: str) -> int:
    from salesxl.schema import OUTPUTS

    keys = [o.key for o in OUTPUTS]
    return keys.index(key) if key in keys else len(keys)
