"""How a report prints on A4: landscape, header rows repeated, never shrunk below a readable font.

Fit-to-width shrinks everything by one factor; a sheet wider than the page at
that factor would print under 8 pt, so such a sheet keeps its size and breaks
into column groups, each as wide as a page, instead.
"""

from __future__ import annotations

from salesxl.core.sheetspec import PageSetup, SheetSpec
from salesxl.core.widths import sheet_widths

BASE_FONT_PT = 11.0  # the workbook's default font size
MIN_FONT_PT = 8.0
#: Printable width of A4 landscape (297 mm) between the writer's 0.7 in margins, in points.
LANDSCAPE_WIDTH_PT = 297 / 25.4 * 72 - 2 * 0.7 * 72
LONG_BLOCK_ROWS = 30  # a block longer than about a page gets its header repeated on every page


def column_points(width: float) -> float:
    """Printed width of a column `width` characters wide (7 px per character plus 5 px padding, 96 dpi)."""
    return (width * 7 + 5) * 0.75


def print_scale(widths: dict[int, float], page_width: float = LANDSCAPE_WIDTH_PT) -> float:
    """The factor fit-to-width would print columns of these widths at (1.0 when they already fit)."""
    total = sum(column_points(w) for w in widths.values())
    return min(1.0, page_width / total) if total else 1.0


def column_groups(widths: dict[int, float], page_width: float = LANDSCAPE_WIDTH_PT) -> tuple[int, ...]:
    """1-based columns after which a page breaks, so each group of columns fits a page at full size."""
    breaks, used = [], 0.0
    for col in sorted(widths):
        points = column_points(widths[col])
        if used and used + points > page_width:
            breaks.append(col - 1)
            used = 0.0
        used += points
    return tuple(breaks)


def title_rows(spec: SheetSpec) -> str | None:
    """The header row of the sheet's longest block, when it runs over a page ("$r:$r")."""
    if not spec.blocks:
        return None
    index = max(range(len(spec.blocks)), key=lambda i: len(spec.blocks[i].rows))
    if len(spec.blocks[index].rows) < LONG_BLOCK_ROWS:
        return None
    row = spec.block_origin(index)[0]
    return f"${row}:${row}"


def report_page(spec: SheetSpec) -> PageSetup:
    """A4 landscape; fit to one page wide only while the font stays readable, else column groups."""
    widths = sheet_widths(spec)
    readable = print_scale(widths) * BASE_FONT_PT >= MIN_FONT_PT
    return PageSetup(orientation="landscape", fit_width=1 if readable else None, fit_height=None,
                     col_breaks=() if readable else column_groups(widths), print_title_rows=title_rows(spec))
