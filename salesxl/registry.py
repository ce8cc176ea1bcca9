"""Passes and report builders register themselves here; adapters only run the registry.

The pass contract. A pass is a pure function whose parameters say what it
reads and whose return annotation says what it makes:

    @register_pass("routes")
    def routes(book: Book, grades: GradeResult) -> tuple[RoutePlan, list[Issue]]: ...

Each parameter is resolved by its annotation (`typing.get_type_hints`):
`Book` is the book; `Settings` is `book.settings`; a type that is the type of
a field of the settings model (a settings group) is that field's value; the
declared result type of another pass is that pass's result, which makes it a
requirement, so `requires` is derived from the signature and there is no list
to keep in step. `X | None` is an optional input: that pass's result if it is
run anyway, else None, without making it run. Each result type belongs to one
pass. A report builder declares its inputs the same way, plus `ReportContext`
for the header line, the issues and the run's timings. Nothing looks a result
up by name; `pipeline.run_passes` is the one resolver.

Adding a capability means adding a pass module under `salesxl/passes/` and a
builder under `salesxl/reports/`; every module there is discovered on first
use, so the pipeline, the CLI and each ribbon button see it without being edited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import inspect
import pkgutil
import types
import typing
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Mapping, Sequence

from salesxl.core.book import Book
from salesxl.core.issues import Issue, Lang
from salesxl.core.sheetspec import SheetSpec
from salesxl.schema import Settings


class ContractError(TypeError):
    """A pass or report whose signature the registry cannot satisfy: a programming error, named precisely."""


@dataclass(frozen=True)
class Input:
    """One parameter of a pass or report and where its value comes from."""

    parameter: str
    kind: str  # "book", "settings", "group" (a field of the settings), "pass", "context"
    source: str | None = None  # the settings field or the pass name
    optional: bool = False  # `X | None`: the pass's result when it runs anyway, else None


@dataclass(frozen=True)
class Pass:
    name: str
    run: Callable[..., tuple[Any, list[Issue]]]
    order: int = 100  # lower runs first among passes whose requirements are met

    @cached_property
    def result_type(self) -> type:
        """R of the declared `-> tuple[R, list[Issue]]`."""
        hint = _hints(self.run, self.name).get("return")
        args = typing.get_args(hint) if typing.get_origin(hint) is tuple else ()
        if len(args) != 2 or not isinstance(args[0], type):
            raise ContractError(f"pass {self.name!r} must declare its result as -> tuple[ResultType, list[Issue]], "
                                f"not {hint!r}")
        return args[0]


@dataclass
class ReportContext:
    """What every report builder may ask for: the inputs, the run's issues and timings (the pipeline stamps the
    header line afterwards, so builders lay out their content from row 1)."""

    book: Book
    results: dict[str, Any]  # every pass result of the run (the run log lists which passes ran)
    issues: list[Issue]
    started: dt.datetime | None = None  # when the run began (only the run log shows it)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per pass so far
    settings: Settings = field(init=False)

    def __post_init__(self) -> None:
        self.settings = self.book.settings

    @property
    def lang(self) -> Lang:
        return self.book.lang


ReportFunction = Callable[..., SheetSpec | Sequence[SheetSpec] | None]


@dataclass(frozen=True)
class Report:
    output: str  # key in salesxl.schema.OUTPUTS
    build: ReportFunction
    last: bool = False  # built after every other report (the Validation sheet lists all issues)


PASSES: dict[str, Pass] = {}
REPORTS: dict[str, Report] = {}
_loaded = False


def register_pass(name: str, *, order: int = 100) -> Callable[[Callable], Callable]:
    def decorate(func: Callable) -> Callable:
        PASSES[name] = Pass(name, func, order)
        return func

    return decorate


def register_report(output: str, *, last: bool = False) -> Callable[[ReportFunction], ReportFunction]:
    def decorate(func: ReportFunction) -> ReportFunction:
        REPORTS[output] = Report(output, func, last)
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


# -- resolving signatures --------------------------------------------------------


def producers(passes: Mapping[str, Pass]) -> dict[type, str]:
    """Result type -> the one pass that makes it; two passes with one result type are refused."""
    made: dict[type, str] = {}
    for name, step in passes.items():
        kind = step.result_type
        if kind in made:
            raise ContractError(f"passes {made[kind]!r} and {name!r} both declare the result type {kind.__name__}")
        made[kind] = name
    return made


def settings_groups(settings_type: type) -> dict[type, str]:
    """Group type -> field name, for every field of the settings model that is itself a model or dataclass."""
    try:
        hints = typing.get_type_hints(settings_type)
    except Exception:  # a settings class without resolvable annotations has no groups
        return {}
    groups: dict[type, str] = {}
    for name, hint in hints.items():
        if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or hasattr(hint, "model_fields")):
            groups.setdefault(hint, name)
    return groups


def inputs(func: Callable, owner: str, made: Mapping[type, str], settings_type: type = Settings,
           *, report: bool = False) -> list[Input]:
    """Where each parameter of `func` comes from; a parameter nothing can give is a ContractError."""
    hints = _hints(func, owner)
    groups = settings_groups(settings_type)
    found = []
    for parameter in inspect.signature(func).parameters:
        hint = hints.get(parameter)
        if hint is None:
            raise ContractError(f"{owner}: parameter {parameter!r} has no type annotation")
        kind, optional = _strip_none(hint)
        if kind is Book:
            found.append(Input(parameter, "book"))
        elif kind is ReportContext and report:
            found.append(Input(parameter, "context"))
        elif isinstance(kind, type) and issubclass(settings_type, kind) and kind is not object:
            found.append(Input(parameter, "settings"))
        elif kind in groups:
            found.append(Input(parameter, "group", groups[kind]))
        elif kind in made:
            found.append(Input(parameter, "pass", made[kind], optional))
        else:
            raise ContractError(f"{owner}: parameter {parameter!r}: {_name(hint)} is neither Book, the settings, "
                                f"a settings group nor the result type of a registered pass")
    return found


def requirements(found: Sequence[Input]) -> tuple[list[str], list[str]]:
    """(passes that must run first, passes used only if they run anyway) of resolved inputs."""
    return ([i.source for i in found if i.kind == "pass" and not i.optional],
            [i.source for i in found if i.kind == "pass" and i.optional])


def call(func: Callable, found: Sequence[Input], book: Book, results: Mapping[str, Any],
         context: ReportContext | None = None) -> Any:
    """Call `func` with each input resolved from the book, its settings and the results so far."""
    values = {}
    for item in found:
        if item.kind == "book":
            values[item.parameter] = book
        elif item.kind == "context":
            values[item.parameter] = context
        elif item.kind == "settings":
            values[item.parameter] = book.settings
        elif item.kind == "group":
            values[item.parameter] = getattr(book.settings, item.source)
        else:
            values[item.parameter] = results.get(item.source)
    return func(**values)


def _hints(func: Callable, owner: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(func)
    except Exception as error:  # an annotation naming something the module does not import
        raise ContractError(f"{owner}: its annotations cannot be resolved ({error})") from error


def _strip_none(hint: Any) -> tuple[Any, bool]:
    """(T, True) for `T | None` or Optional[T]; (hint, False) otherwise."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(rest) == 1 and len(rest) < len(typing.get_args(hint)):
            return rest[0], True
    return hint, False


def _name(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else repr(hint)
