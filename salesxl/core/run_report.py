"""The run report: what one run did to one workbook, for people (the CLI table) and scripts (`--json`).

The summary (counts by severity and by code) is computed from the issues the
report carries, so the two can never disagree. A file that could not be used
still gets a report, with its one issue. The JSON form is published as a JSON
schema (`docs/run-report.schema.json`, written by `salesxl docs`).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

from pydantic import BaseModel, Field

from salesxl import __version__
from salesxl.core.book import Book
from salesxl.core.issues import Issue, Lang

SCHEMA_FILE_NAME = "run-report.schema.json"


class RunReport(BaseModel):
    """One workbook's run: the summary, the sheets written, where time went, and every issue."""

    workbook: str = Field(description="the workbook's path as given")
    ok: bool = Field(description="false when the file could not be read or written (see message)")
    lang: Lang | None = Field(None, description="the workbook's language")
    version: str = Field(__version__, description="salesxl version")
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    codes: dict[str, int] = Field(default_factory=dict, description="issue count per code")
    sheets: list[str] = Field(default_factory=list, description="tool sheets written")
    seconds: float = Field(0.0, description="wall time of the whole run")
    timings: dict[str, float] = Field(default_factory=dict, description='seconds per pass and per "report:<name>"')
    settings_sheet: str | None = Field(None, description="the sheet the settings were read from (null: defaults)")
    settings_set: list[str] = Field(default_factory=list, description="settings the workbook sets (others: defaults)")
    message: str = Field("", description="why the file failed, in Chinese and English")
    issues: list[Issue] = Field(default_factory=list, description="every issue, in the Validation sheet's order")

    @property
    def path(self) -> str:
        """The workbook's path (the name earlier callers used)."""
        return self.workbook

    @classmethod
    def of_run(cls, workbook: str, book: Book, issues: Iterable[Issue], timings: dict[str, float], *,
               sheets: Iterable[str] = (), seconds: float = 0.0) -> "RunReport":
        """The report of a run that read `book` and found `issues`."""
        settings = book.table("settings").sheet
        return cls(workbook=workbook, ok=True, lang=book.lang, sheets=list(sheets), seconds=seconds,
                   timings=dict(timings), settings_sheet=settings,
                   settings_set=list(book.settings.given_values()) if settings else [],
                   **_summary(issues))

    @classmethod
    def failed(cls, workbook: str, code: str, message: str, *, seconds: float = 0.0) -> "RunReport":
        """A file that could not be used: not ok, and its one issue says why."""
        issue = Issue("error", code, message)
        return cls(workbook=workbook, ok=False, seconds=seconds, message=message, **_summary([issue]))


def _summary(issues: Iterable[Issue]) -> dict:
    issues = list(issues)
    severities = Counter(issue.severity for issue in issues)
    codes = Counter(issue.code for issue in issues)
    return {"errors": severities["error"], "warnings": severities["warning"], "infos": severities["info"],
            "codes": dict(sorted(codes.items())), "issues": issues}


def run_report_schema_text() -> str:
    """The JSON schema of a `--json` report line, as shipped in docs/."""
    schema = RunReport.model_json_schema(mode="serialization")
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
