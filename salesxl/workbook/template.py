"""The office template: one input sheet per declared table, generated from the schema.

`input_sheets(lang)` gives the empty template; `input_sheets(lang, rows)`
fills it (the demo office). `salesxl init` adds the sheets a workbook lacks.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, PageSetup, SheetSpec, Validation
from salesxl.io.display import BOOL_LABELS, display_value
from salesxl.schema import SETTINGS_DECLARED, TABLES, ColType, Column, Table
from salesxl.reports.grades import CARD_GRADE_HEADER, grade_formula
from salesxl.workbook.cardview import card_view_sheet

_KINDS = {
    ColType.INT: "int", ColType.NUMBER: "number", ColType.MONEY: "money", ColType.PERCENT: "percent",
    ColType.DATE: "date", ColType.DATETIME: "datetime", ColType.LAT: "number", ColType.LON: "number",
}
_VALIDATION_ROWS = 5000  # data-validation rules cover this many rows below the header


def column_spec(column: Column, lang: Lang) -> ColumnSpec:
    return ColumnSpec(column.header(lang), _KINDS.get(column.type, "text"), column.display_width, column.number_format)


def column_validation(index: int, column: Column, lang: Lang) -> Validation | None:
    """Dropdowns for choices and yes/no, checks for dates and numbers, and input hints."""
    zh = lang == "zh"
    hint = column.hint(lang)
    title = column.header(lang)
    if column.type == ColType.ENUM:
        labels = tuple(choice.label(lang) for choice in column.choices)
        return Validation(index, "list", values=labels, prompt_title=title, prompt=hint or ("请从下拉列表选择" if zh else "Pick from the list"),
                          error_title=title, error=("只能选择：" if zh else "Allowed: ") + "、".join(labels), rows=_VALIDATION_ROWS)
    if column.type == ColType.BOOL:
        return Validation(index, "list", values=BOOL_LABELS[lang], prompt_title=title, prompt=hint, rows=_VALIDATION_ROWS)
    if column.type in (ColType.DATE, ColType.DATETIME):
        return Validation(index, "date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2100,12,31)",
                          prompt_title=title, prompt=hint or ("日期，如 2026-03-05" if zh else "A date such as 2026-03-05"),
                          error_title=title, error="请输入日期" if zh else "Please type a date", rows=_VALIDATION_ROWS)
    if column.type == ColType.USCC:
        return Validation(index, "textLength", operator="equal", formula1="18", prompt_title=title, prompt=hint,
                          error_title=title, error=hint, rows=_VALIDATION_ROWS)
    if hint:
        return Validation(index, "custom", formula1="TRUE", prompt_title=title, prompt=hint, rows=_VALIDATION_ROWS)
    return None


def input_sheet(table: Table, lang: Lang, rows: Sequence[Sequence[Any]] = ()) -> SheetSpec:
    """One user-owned input sheet: an Excel Table with dropdowns, hints and formats."""
    validations = [v for i, c in enumerate(table.columns) if (v := column_validation(i, c, lang))]
    block = Block(
        columns=[column_spec(c, lang) for c in table.columns],
        rows=[list(r) for r in rows],
        table_name=table.excel_table_name(),
        validations=validations,
    )
    spec = SheetSpec(key=table.key, name=table.sheet_name(lang), blocks=[block], tool_owned=False, freeze_rows=1)
    if table.key_value:  # Settings: printed on one page wide, at most two tall, header on each page
        spec.page = PageSetup(orientation="landscape", fit_width=1, fit_height=2, print_title_rows="$1:$1")
    if table.key == "customers":
        _add_grade_column(spec, lang)
    return spec


def _add_grade_column(spec: SheetSpec, lang: Lang) -> None:
    """A last column showing each card's grade from the Grades sheet (the first data row at least)."""
    block = spec.blocks[0]
    first = spec.block_origin(0)[0] + 1
    block.columns.append(ColumnSpec(CARD_GRADE_HEADER[lang], width=9))
    if not block.rows:
        block.rows.append([None] * (len(block.columns) - 1))
    for n, row in enumerate(block.rows):
        row.append(grade_formula(first + n, lang))


def settings_rows(lang: Lang, values: Mapping[str, Any] | None = None) -> list[list[Any]]:
    """Settings sheet rows: key, name, value (blank = default), default, meaning."""
    values = values or {}
    rows = []
    for setting in SETTINGS_DECLARED:
        default = setting.default
        if setting.choices and default is not None:
            default = next((c.label(lang) for c in setting.choices if c.code == default), default)
        value = values.get(setting.key)
        if setting.choices and value is not None:
            value = next((c.label(lang) for c in setting.choices if c.code == value), value)
        if isinstance(value, dt.datetime):
            value = value.date()
        rows.append([setting.key, setting.name(lang), value, default, setting.description(lang)])
    return rows


def frame_rows(table: Table, frame: pd.DataFrame, lang: Lang) -> list[list[Any]]:
    """A canonical frame (demo data) as sheet rows in the declared column order."""
    converted = [_display_column(c, frame[c.key], lang) if c.key in frame else [None] * len(frame) for c in table.columns]
    return [list(row) for row in zip(*converted)]


def _display_column(column: Column, series: pd.Series, lang: Lang) -> list[Any]:
    """`display_value` over a whole column, with fast paths for the common types."""
    if column.type in (ColType.DATE, ColType.DATETIME) and pd.api.types.is_datetime64_any_dtype(series):
        stamps = series.dt.date if column.type == ColType.DATE else series.dt.to_pydatetime()
        return [None if pd.isna(v) else v for v in stamps]
    if column.type == ColType.ENUM:
        labels = {choice.code: choice.label(lang) for choice in column.choices}
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else labels.get(v, v) for v in series.tolist()]
    if pd.api.types.is_float_dtype(series) or pd.api.types.is_integer_dtype(series):
        return [None if isinstance(v, float) and math.isnan(v) else v for v in series.tolist()]
    return [display_value(column, v, lang) for v in series.tolist()]


def input_sheets(
    lang: Lang,
    frames: Mapping[str, pd.DataFrame] | None = None,
    settings: Mapping[str, Any] | None = None,
    only: Iterable[str] | None = None,
) -> list[SheetSpec]:
    """Every input sheet of the template (filled from `frames` when given), in schema order,
    then the customer card view (unless only some sheets are asked for)."""
    keep = set(only) if only is not None else None
    sheets = []
    for table in TABLES:
        if keep is not None and table.key not in keep:
            continue
        if table.key_value:
            rows = settings_rows(lang, {"language": lang, **(settings or {})})
        elif frames is not None and table.key in frames:
            rows = frame_rows(table, frames[table.key], lang)
        else:
            rows = []
        sheets.append(input_sheet(table, lang, rows))
    if keep is None:
        sheets.append(card_view_sheet(lang))
    return sheets
