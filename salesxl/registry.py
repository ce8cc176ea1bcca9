"""Passes and report builders register themselves here; adapters only run the registry.

A pass is a pure function `(book, results) -> (result, issues)`. A report
builder turns the book and the pass results into SheetSpecs. Adding a
capability means adding a pass module under `salesxl/passes/` and a builder
under `salesxl/reports/`; every module there is discovered on first use, so
the pipeline, the CLI and each ribbon button see it without being edited.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from salesxl.core.book import Book
from salesxl.core.issues import Issue, Lang
from salesxl.core.sheetspec import SheetSpec
from salesxl.schema import Settings

PassFunction = Callable[[Book, dict[str, Any]], tuple[Any, list[Issue]]]


@dataclass(frozen=True)
class Pass:
    name: str
    run: PassFunction
    requires: tuple[str, ...] = ()
    order: int = 100  # lower runs first among passes whose requirements are met


@dataclass
class ReportContext:
    """What a report builder may use: the inputs, every pass result and every issue."""

    book: Book
    results: dict[str, Any]
    issues: list[Issue]
    header_line: str
    started: dt.datetime | None = None  # when the run began (only the run log shows it)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per pass so far
    settings: Settings = field(init=False)

    def __post_init__(self) -> None:
        self.settings = self.book.settings

    @property
    def lang(self) -> Lang:
        return self.book.lang


ReportFunction = Callable[[ReportContext], SheetSpec | Sequence[SheetSpec] | None]


@dataclass(frozen=True)
class Report:
    output: str  # key in salesxl.schema.OUTPUTS
    build: ReportFunction
    requires: tuple[str, ...] = ()
    last: bool = False  # built after every other report (the Validation sheet lists all issues)


PASSES: dict[str, Pass] = {}
REPORTS: dict[str, Report] = {}
_loaded = False


def register_pass(name: str, *, requires: Sequence[str] = (), order: int = 100) -> Callable[[PassFunction], PassFunction]:
    def decorate(func: PassFunction) -> PassFunction:
        PASSES[name] = Pass(name, func, tuple(requires), order)
        return func

    return decorate


def register_report(output: str, *, requires: Sequence[str] = (), last: bool = False) -> Callable[[ReportFunction], ReportFunction]:
    def decorate(func: ReportFunction) -> ReportFunction:
        REPORTS[output] = Report(output, func, tuple(requires), last)
        return func

    return decorate


def load_all() -> None:
    """Import every module of salesxl.passes and salesxl.reports so they register."""
    global _loaded
    if _loaded:
        return
    for package_name in ("salesxl.passes", "salesxl.reports"):
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.walk_packages(package.__path__, package_name + "."), key=lambda i: i.name):
            importlib.import_module(info.name)
    _loaded = True
