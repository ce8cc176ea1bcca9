"""RunLog: every run adds one row on top and keeps the earlier ones."""

from __future__ import annotations

import datetime as dt

from salesxl import pipeline
from salesxl.reports.run_log import KEY
from tests.books import make_book


def _office(state=None):
    book = make_book({"customers": [{"customer_id": "C1", "name": "甲", "region": "天河", "salesperson_id": "S9",
                                     "status": "prospect"}],
                      "salespeople": [{"salesperson_id": "S1", "name": "张", "region": "天河"}]},
                     settings={"as_of_date": dt.datetime(2026, 3, 31)})
    book.state = state or {}
    return book


def _as_written(sheet) -> list[list]:
    """The sheet's cells as a reader gets them back: header line, blank row, then the block."""
    block = sheet.blocks[0]
    return [[sheet.header_line], [], [c.header for c in block.columns], *block.rows]


def test_each_run_adds_a_row_on_top_and_keeps_the_earlier_ones():
    first = next(s for s in pipeline.run(_office(), now=dt.datetime(2026, 4, 1, 9, 0)).sheets if s.key == KEY)
    assert len(first.blocks[0].rows) == 1
    run_at, version, as_of, errors = first.blocks[0].rows[0][:4]
    assert run_at == dt.datetime(2026, 4, 1, 9, 0) and as_of == dt.date(2026, 3, 31)
    assert errors >= 1  # the card's salesperson S9 does not exist
    second = next(s for s in pipeline.run(_office({KEY: _as_written(first)}), now=dt.datetime(2026, 4, 2, 9, 0)).sheets
                  if s.key == KEY)
    rows = second.blocks[0].rows
    assert [row[0] for row in rows] == [dt.datetime(2026, 4, 2, 9, 0), dt.datetime(2026, 4, 1, 9, 0)]
    assert rows[1] == first.blocks[0].rows[0]
