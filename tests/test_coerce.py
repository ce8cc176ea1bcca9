"""Column-at-a-time coercion gives each cell what that cell alone would give.

`coerce` takes fast paths by what a column holds (all text, all numbers, mixed,
repeated values); a cell's result must not depend on its neighbours.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from salesxl.io import coerce as coerce_module
from salesxl.io.coerce import EXCEL_ERRORS, coerce
from salesxl.schema import TABLES, ColType

#: One column of every declared type (enum and percent columns carry their choices and maximum).
_COLUMNS = list({c.type: c for table in TABLES for c in table.columns if not c.personal}.values())
_SPACE = st.sampled_from([" ", "\t", "\n", "\u3000", "\u00a0", "\r"])

_cells = st.one_of(
    st.just(""),
    st.text(_SPACE, min_size=1, max_size=3),  # whitespace only: blank
    st.floats(-1e12, 1e12, allow_nan=False),
    st.integers(-10**6, 10**6).map(float),
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
    st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2040, 12, 31)),
    st.sampled_from(["1,234.50", "１２３", "¥1,200", "(1,200)", "15%", "1.2万", "2024-03-05", "2024年3月5日",
                     "05/03/2024", "20240305", "45000", "是", "否", "yes", "N", "√", "×", "TRUE", "false"]),
    st.sampled_from(["=SUM(A1:A3)", "=1+1", "+86 138", "-", "@home", "'007"]),  # formula-looking text stays text
    st.tuples(st.sampled_from(sorted(EXCEL_ERRORS)), _SPACE | st.just("")).map(
        lambda e: e[1] + (e[0].lower() if len(e[0]) % 2 else e[0]) + e[1]),  # error literal pasted as text
    st.text(max_size=6).filter(lambda s: "\x00" not in s),  # no workbook cell holds a NUL
)
_padded = st.tuples(_SPACE | st.just(""), _cells, _SPACE | st.just("")).map(
    lambda t: t[0] + t[1] + t[2] if isinstance(t[1], str) else t[1])


def _alone(cells: list, column, lang: str) -> tuple[pd.Series, list, np.ndarray]:
    """Each cell coerced as a column of its own, put back together."""
    parts = [coerce(np.array([cell], dtype=object), column, lang=lang) for cell in cells]
    values = pd.concat([p.values for p in parts], ignore_index=True)
    bad = [(i, b.kind.code, b.raw, b.params) for i, p in enumerate(parts) for b in p.bad]
    return values, bad, np.concatenate([p.filled for p in parts])


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(_COLUMNS), st.lists(_padded, min_size=1, max_size=12), st.sampled_from(["zh", "en"]),
       st.integers(0, 3), st.integers(1, 8))
def test_a_column_is_read_as_its_cells_one_by_one(column, cells, lang, repeat, block):
    cells = cells * (repeat + 1)  # repeated values take the once-per-distinct-value path
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coerce_module, "_BLOCK", block)  # a column of several blocks, as a long sheet's is
        whole = coerce(np.array(cells, dtype=object), column, lang=lang)
    values, bad, filled = _alone(cells, column, lang)
    pd.testing.assert_series_equal(whole.values, values.astype(whole.values.dtype), check_dtype=True)
    assert whole.values.dtype == coerce(np.empty(0, dtype=object), column).values.dtype
    assert [(b.pos, b.kind.code, b.raw, b.params) for b in whole.bad] == bad
    assert (whole.filled == filled).all()


@settings(max_examples=100, deadline=None)
@given(st.lists(_padded, min_size=1, max_size=20))
def test_text_keeps_every_character_but_the_outer_whitespace(cells):
    text = next(c for c in _COLUMNS if c.type is ColType.TEXT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coerce_module, "_BLOCK", 3)  # a column of several blocks, as a long sheet's is
        got = coerce(np.array(cells, dtype=object), text)
    strings = [i for i, c in enumerate(cells) if isinstance(c, str)]
    errors = {b.pos for b in got.bad}
    for i in strings:
        stripped = cells[i].strip()
        if stripped.upper() in EXCEL_ERRORS:
            assert i in errors and got.values[i] is None
        elif stripped == "":
            assert got.values[i] is None and not got.filled[i]
        else:
            assert got.values[i] == stripped  # "=SUM(A1:A3)" stays the text it is
