"""A salesperson's day plan is solved once per input: a recalc whose planning inputs did not change takes the
kept plan, which is the very plan solving would give; one salesperson's change replans that salesperson only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from salesxl.passes.routes import routes
from salesxl.passes.routing import assign
from tests.test_routes import by_hand, small_office


@pytest.fixture
def solved(monkeypatch) -> list[int]:
    """How many salesperson plans were solved (not taken from the cache)."""
    calls: list[int] = []
    first_days = assign.first_days
    monkeypatch.setattr(assign, "first_days", lambda plan, position: calls.append(1) or first_days(plan, position))
    return calls


def _plan(book, grades):
    plan, issues = routes(book, by_hand(grades))
    return plan, sorted(str(i.message) for i in issues)


def test_an_unchanged_plan_is_taken_not_solved_and_equals_the_solved_plan(tmp_path: Path, monkeypatch, solved):
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "cache"))
    book, grades = small_office()
    first, first_issues = _plan(book, grades)
    assert len(solved) == 2  # S1 and S2 solved
    again, again_issues = _plan(book, grades)
    assert len(solved) == 2  # nothing solved again
    pd.testing.assert_frame_equal(again.stops, first.stops)
    pd.testing.assert_frame_equal(again.day_totals, first.day_totals)
    pd.testing.assert_frame_equal(again.unplanned, first.unplanned)
    assert again_issues == first_issues

    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "empty"))
    fresh, fresh_issues = _plan(book, grades)
    assert len(solved) == 4
    pd.testing.assert_frame_equal(fresh.stops, first.stops)
    assert fresh_issues == first_issues


def test_a_change_to_one_salespersons_customers_replans_that_salesperson_only(tmp_path: Path, monkeypatch, solved):
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "cache"))
    book, grades = small_office()
    first, _ = _plan(book, grades)
    visited = first.stops.groupby("salesperson_id")["customer_id"].first()  # one planned customer of each
    moved = book.frame("customers").copy()
    at = moved["customer_id"] == visited["S1"]
    moved.loc[at, "lat"] = moved.loc[at, "lat"].astype(float) + 0.05
    book.tables["customers"] = dataclasses.replace(book.tables["customers"], frame=moved)
    solved.clear()
    changed, _ = _plan(book, grades)
    assert len(solved) == 1  # S1 only
    s2_before = first.stops[first.stops["salesperson_id"] == "S2"].reset_index(drop=True)
    s2_after = changed.stops[changed.stops["salesperson_id"] == "S2"].reset_index(drop=True)
    pd.testing.assert_frame_equal(s2_after, s2_before)

    grades = grades.copy()
    regraded = grades["customer_id"] == visited["S2"]
    grades.loc[regraded, "grade"] = "B" if grades.loc[regraded, "grade"].iloc[0] == "A" else "A"
    solved.clear()
    _plan(book, grades)
    assert len(solved) == 1  # a grade changed for S2: S2 only


def test_a_damaged_or_unwritable_cache_only_means_solving_again(tmp_path: Path, monkeypatch, solved):
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "cache"))
    book, grades = small_office()
    first, _ = _plan(book, grades)
    for entry in (tmp_path / "cache" / "plans").iterdir():
        entry.write_bytes(b'{"routes": [[99999]], "unplaced": []}')
    again, _ = _plan(book, grades)
    assert len(solved) == 4
    pd.testing.assert_frame_equal(again.stops, first.stops)

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(blocked))
    blocked_plan, _ = _plan(book, grades)
    pd.testing.assert_frame_equal(blocked_plan.stops, first.stops)
