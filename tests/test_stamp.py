"""One definition of the tool-sheet marker: builders lay out from row 1, the run stamps every sheet it writes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from python_calamine import CalamineWorkbook

from salesxl import pipeline, registry
from salesxl.files import make_demo, recalc_file
from salesxl.schema.outputs import OUTPUTS, STATE_SHEETS, TOOL_TAB_COLOR, header_line
from tests.support import sheet_part

pytestmark = pytest.mark.slow  # a small office made and recalculated once (about half a minute)

NOW = dt.datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """A small office recalculated once, with what each builder returned recorded before the run stamps it."""
    folder = tmp_path_factory.mktemp("stamp")
    office, out = folder / "office.xlsx", folder / "recalculated.xlsx"
    make_demo(office, size="S")
    seen: list[tuple[str, str | None, str | None]] = []
    real = pipeline.stamp

    def watching(spec, line):
        seen.append((spec.key, spec.header_line, spec.tab_color))
        real(spec, line)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "stamp", watching)
        report = recalc_file(office, out=out, now=NOW)
    assert report.ok, report.message
    return out, seen


def test_every_builder_leaves_the_marker_and_the_tab_colour_to_the_run(recalculated):
    """Every report's sheets as their builders return them: no header line, no tab colour of their own."""
    out, seen = recalculated
    registry.load_all()
    assert len({key for key, _, _ in seen}) >= len(registry.REPORTS)  # every report built (some build two sheets)
    assert [(key, line, colour) for key, line, colour in seen if line is not None or colour is not None] == []


def test_every_tool_sheet_recalc_writes_carries_the_header_line_and_the_tool_tab_colour(recalculated):
    out, seen = recalculated
    tool_names = {n for o in (*OUTPUTS, *STATE_SHEETS) for n in o.names()}
    workbook = CalamineWorkbook.from_path(str(out))
    written = [name for name in workbook.sheet_names if name in tool_names]
    assert len(written) == len(seen)  # every sheet the run stamped is in the file
    for name in written:
        rows = workbook.get_sheet_by_name(name).to_python()
        assert rows[0][0] == header_line("zh", NOW), name
        tab = re.search(rb'<tabColor rgb="([0-9A-F]+)"', sheet_part(out, name))
        assert tab and tab.group(1).decode() == TOOL_TAB_COLOR, name
