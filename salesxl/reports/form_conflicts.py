"""Writes back the hidden form-conflicts state sheet; built on every run (like Validation) so open
conflicts are checked whatever outputs are chosen."""

from __future__ import annotations

from salesxl.core.sheetspec import SheetSpec
from salesxl.passes.forms.conflicts import KEY, conflicts_sheet
from salesxl.passes.form_conflicts import FormConflicts
from salesxl.registry import ReportContext, register_report


@register_report(KEY, last=True)
def build(ctx: ReportContext, found: FormConflicts) -> SheetSpec | None:
    if not found.checked:
        return None
    return conflicts_sheet([conflict for conflict, _ in found.checked], ctx.lang)
