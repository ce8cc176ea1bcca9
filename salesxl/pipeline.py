"""Book in, SheetSpecs out: runs the registered passes and report builders.

The pipeline is the one thing the CLI, batch recalculation, the Excel ribbon,
the route sheets and the tests share. It never touches a file or Excel itself.
`run_passes` is the one resolver of the pass contract (see `salesxl.registry`):
it takes the passes asked for, adds what their signatures require, orders them
so each runs after the passes whose results it takes, and calls each with its
inputs injected by type. `run` does that for the passes the chosen reports
declare, then builds the reports the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Mapping, TypeVar

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.core.printing import report_page
from salesxl.core.sheetspec import SheetSpec
from salesxl.schema import Settings
from salesxl.registry import (
    PASSES, REPORTS, ContractError, Pass, ReportContext, call, inputs, load_all, producers, requirements,
)
from salesxl.schema.outputs import OUTPUTS, STATE_SHEETS, header_line, stamp


R = TypeVar("R")


@dataclass
class RunResult:
    book: Book
    results: Results
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


class Results(dict[str, Any]):
    """Pass name -> result for one run, in run order, with the issues the passes found and seconds per pass."""

    def __init__(self) -> None:
        super().__init__()
        self.issues: list[Issue] = []
        self.timings: dict[str, float] = {}

    def of(self, kind: type[R]) -> R:
        """The result of type `kind` (each result type belongs to one pass); KeyError when none ran."""
        found = [value for value in self.values() if isinstance(value, kind)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} results of type {kind.__name__} in this run")
        return found[0]


def run_passes(book: Book, names: Iterable[str], *, passes: Mapping[str, Pass] | None = None) -> Results:
    """Run the passes `names` and every pass their signatures require, each once, in dependency order.

    `passes` defaults to the registry. An unknown name, an input no pass makes
    and a cycle are ContractErrors, raised before any pass runs.
    """
    if passes is None:
        load_all()
        passes = PASSES
    ordered, found = plan_passes(names, passes, producers(passes), type(book.settings))
    results = Results()
    for name in ordered:
        start = time.perf_counter()
        result, issues = call(passes[name].run, found[name], book, results)
        results[name] = result
        results.issues.extend(issues)
        results.timings[name] = time.perf_counter() - start
    return results


def plan_passes(names: Iterable[str], passes: Mapping[str, Pass], made: Mapping[type, str],
                settings_type: type = Settings) -> tuple[list[str], dict[str, list]]:
    """The run order of `names` and their requirements, and each pass's resolved inputs."""
    found: dict[str, list] = {}
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in found:
            continue
        if name not in passes:
            raise ContractError(f"no pass named {name!r} is registered")
        found[name] = inputs(passes[name].run, f"pass {name!r}", made, settings_type)
        stack.extend(requirements(found[name])[0])
    after = {name: [r for group in requirements(found[name]) for r in group if r in found] for name in found}
    ordered: list[str] = []
    remaining = sorted(found, key=lambda n: (passes[n].order, n))
    while remaining:
        ready = [n for n in remaining if all(r in ordered for r in after[n])]
        if not ready:
            raise ContractError(f"pass inputs form a cycle: {' -> '.join(_cycle(remaining, after))}")
        ordered.append(ready[0])
        remaining.remove(ready[0])
    return ordered, found


def _cycle(remaining: list[str], after: Mapping[str, list[str]]) -> list[str]:
    """One cycle among passes that cannot run, as a path that ends where it starts."""
    path = [remaining[0]]
    while True:
        step = next(r for r in after[path[-1]] if r in remaining)
        if step in path:
            return path[path.index(step):] + [step]
        path.append(step)


def report_inputs(name: str, settings_type: type = Settings) -> list:
    """The resolved inputs of a report builder."""
    load_all()
    return inputs(REPORTS[name].build, f"report {name!r}", producers(PASSES), settings_type, report=True)


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
    wiring = {name: report_inputs(name, type(book.settings)) for name in chosen}
    results = run_passes(book, [p for found in wiring.values() for p in requirements(found)[0]])
    issues: list[Issue] = list(book.issues) + results.issues
    timings = results.timings
    issues.sort(key=Issue.sort_key)
    started = now or dt.datetime.now()
    context = ReportContext(book, results, issues, started, timings)
    order = sorted(chosen, key=lambda n: (REPORTS[n].last, _output_position(n)))
    built = _build(order, wiring, context)
    renamed = _avoid_taken_names(built, taken, book)
    if renamed:  # the reports that list every issue must list these too
        issues.extend(renamed)
        issues.sort(key=Issue.sort_key)
        last = [n for n in order if REPORTS[n].last]
        built = {n: specs for n, specs in built.items() if n not in last} | _build(last, wiring, context)
        _avoid_taken_names(built, taken, book)
    sheets = [spec for specs in built.values() for spec in specs]
    line = header_line(book.lang, started)
    for sheet in sheets:  # every tool-owned sheet carries the run's marker; printed: A4, header rows repeated
        stamp(sheet, line)
        if sheet.page is None:
            sheet.page = report_page(sheet)
    sheets.sort(key=lambda sheet: _output_position(sheet.key))  # stable: a report's own sheets keep their order
    return RunResult(book, results, issues, sheets, timings)


def _build(names: list[str], wiring: Mapping[str, list], context: ReportContext) -> dict[str, list[SheetSpec]]:
    built: dict[str, list[SheetSpec]] = {}
    for name in names:
        start = time.perf_counter()
        made = call(REPORTS[name].build, wiring[name], context.book, context.results, context)
        if made is not None:
            built[name] = [made] if isinstance(made, SheetSpec) else list(made)
        context.timings[f"report:{name}"] = time.perf_counter() - start
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
