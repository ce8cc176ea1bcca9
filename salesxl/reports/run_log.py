"""RunLog: one row per run, newest first; the sheet carries its own history from run to run.

It is the only sheet where the wall clock appears besides the header lines:
when the run began and how long the passes took. Below the runs, every setting
this run used: its value and whether it came from the workbook or the default,
so the sheets it shaped can be traced back to it (the history reader skips
those rows: their first cell is a setting key, never a date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from salesxl import __version__
from salesxl.core.printing import report_page
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.passes.common import as_of_date
from salesxl.passes.state import cell_date, cell_number, cell_text, state_records
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY, SETTINGS_DECLARED, Settings

KEY = "run_log"
KEEP = 1000  # runs kept; older ones drop off the end
#: (key, zh header, en header, kind, width)
COLUMNS = (
    ("run_at", "运行时间", "Run at", "datetime", 17),
    ("version", "版本", "Version", "text", 9),
    ("as_of", "数据截止日期", "As of", "date", 12),
    ("errors", "错误", "Errors", "int", 8),
    ("warnings", "警告", "Warnings", "int", 9),
    ("infos", "提示", "Info", "int", 8),
    ("passes", "运行的计算", "Passes run", "text", 60),
    ("seconds", "计算秒数", "Seconds", "number", 10),
)


def previous_runs(rows: list[list]) -> list[list[Any]]:
    """The rows an earlier run wrote, as values in column order (unreadable rows are skipped)."""
    kinds = {key: kind for key, _, _, kind, _ in COLUMNS}
    runs = []
    for record in state_records(rows, COLUMNS, {"run_at", "version"}):
        run_at = cell_date(record.get("run_at")) if not isinstance(record.get("run_at"), dt.datetime) else record["run_at"]
        if run_at is None:
            continue
        values = []
        for key, kind in kinds.items():
            value = record.get(key)
            if key == "run_at":
                values.append(run_at if isinstance(run_at, dt.datetime) else run_at.to_pydatetime())
            elif kind == "date":
                day = cell_date(value)
                values.append(day.date() if day is not None else None)
            elif kind in ("int", "number"):
                number = cell_number(value)
                values.append(None if number is None else (int(number) if kind == "int" else number))
            else:
                values.append(cell_text(value))
        runs.append(values)
    return runs


@register_report(KEY, last=True)
def build(ctx: ReportContext) -> SheetSpec:
    lang = ctx.lang
    counts = {severity: sum(1 for i in ctx.issues if i.severity == severity) for severity in ("error", "warning", "info")}
    this_run = [
        (ctx.started or dt.datetime.now()).replace(microsecond=0), __version__, as_of_date(ctx.book),
        counts["error"], counts["warning"], counts["info"], ", ".join(ctx.results),
        round(sum(ctx.timings.values()), 2),
    ]
    rows = [this_run, *previous_runs(ctx.book.state.get(KEY) or [])][:KEEP]
    columns = [ColumnSpec(zh if lang == "zh" else en, kind, width) for _, zh, en, kind, width in COLUMNS]
    sheet = SheetSpec(key=KEY, name=OUTPUTS_BY_KEY[KEY].sheet_name(lang),
                      blocks=[Block(columns, rows), settings_block(ctx.settings, lang)])
    # the runs' header repeats on every printed page: it stays put while the settings below move down
    header = sheet.block_origin(0)[0]
    sheet.page = replace(report_page(sheet), print_title_rows=f"${header}:${header}")
    return sheet


SETTINGS_WORDS = {
    "zh": ("本次运行使用的设置", ("设置键", "名称", "值", "来源"), {"workbook": "工作簿", "default": "默认值"}),
    "en": ("Settings used by this run", ("Key", "Name", "Value", "Source"), {"workbook": "workbook", "default": "default"}),
}


def settings_block(settings: Settings, lang: str) -> Block:
    """Every setting with the value the passes used and where it came from (the workbook or the default)."""
    title, headers, sources = SETTINGS_WORDS[lang]
    values = settings.sheet_values()
    rows = []
    for setting in SETTINGS_DECLARED:
        value = values[setting.key]
        label = next((c.label(lang) for c in setting.choices if c.code == value), value)
        rows.append([setting.key, setting.name(lang), None if label in (None, "") else label,  # blank: an empty cell
                     sources[settings.source(setting.key)]])
    widths = (30, 34, 24, 10)
    return Block([ColumnSpec(h, width=w) for h, w in zip(headers, widths)], rows, title=title)
