"""Route maps are drawn only when what they show changed; a cached map is the map that would be drawn."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace
from pathlib import Path

from salesxl.passes.routes import routes
from salesxl.reports import routes as report
from tests.test_routes import small_office


def _pictures(plan) -> dict[str, bytes]:
    sheet = report.routes_sheet(plan, "zh")
    return {p.description.split()[0]: p.png for p in sheet.pictures}


def test_maps_are_drawn_once_per_plan_and_again_only_for_whose_stops_changed(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "cache"))
    book, grades = small_office()
    plan, _ = routes(book, SimpleNamespace(customers=grades))  # grades made by hand
    drawn: list[str] = []
    draw = report._draw_map
    monkeypatch.setattr(report, "_draw_map", lambda base, stops, sp: drawn.append(sp) or draw(base, stops, sp))

    first = _pictures(plan)
    assert drawn == ["S1", "S2"]
    assert _pictures(plan) == first and drawn == ["S1", "S2"]  # same plan: nothing drawn again

    monkeypatch.setenv("SALESXL_CACHE_DIR", str(tmp_path / "empty"))
    assert _pictures(plan) == first and drawn == ["S1", "S2"] * 2  # drawn afresh: the very same bytes

    stops = plan.stops.copy()
    stops.loc[stops.index[stops["salesperson_id"] == "S1"][0], "lat"] += 0.01
    moved = _pictures(dataclasses.replace(plan, stops=stops))
    assert drawn[4:] == ["S1"]
    assert moved["S1"] != first["S1"] and moved["S2"] == first["S2"]


def test_a_cache_that_cannot_be_written_still_gives_every_map(tmp_path: Path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("SALESXL_CACHE_DIR", str(blocked))
    book, grades = small_office()
    plan, _ = routes(book, SimpleNamespace(customers=grades))  # grades made by hand
    pictures = _pictures(plan)
    assert set(pictures) == {"S1", "S2"} and all(p.startswith(b"\x89PNG") for p in pictures.values())
