"""Printable route sheets: one page per route day, stops in route order, blank boxes for the visit report."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesxl.cli import app
from salesxl.io.reader import read_book
from salesxl.reports.route_sheets import plan_routes, route_sheet
from tests.support import WORKBOOKS, needs_libreoffice

START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 8)  # the week after the demo's as-of date


@pytest.fixture(scope="module")
def planned():
    book = read_book(WORKBOOKS / "demo.xlsx")
    return book, plan_routes(book, START, END)


@pytest.mark.slow
def test_each_route_day_is_one_block_with_a_page_break_after_it(planned):
    book, results = planned
    sheet = route_sheet(book, results, "S01", START, END)
    stops = results["routes"].stops
    mine = stops[(stops["salesperson_id"] == "S01") & stops["date"].between(START, END)].sort_values(["date", "stop"])
    days = sorted(set(mine["date"]))
    assert len(sheet.blocks) == len(days) >= 4
    for block, day in zip(sheet.blocks, days):
        assert day.isoformat() in block.title and block.title.startswith("S01 ")
        assert [r[1] for r in block.rows] == mine[mine["date"] == day]["customer_id"].tolist()
        assert all(r[8:] == [None] * 6 for r in block.rows)  # left blank for the handwritten report
    ends = [sheet.block_origin(i)[0] + len(b.rows) for i, b in enumerate(sheet.blocks)]
    assert sheet.page.row_breaks == tuple(ends[:-1]) and sheet.page.paper == "A4"


@pytest.mark.slow
def test_stops_carry_contact_receivables_and_the_last_agreed_step(planned):
    book, results = planned
    sheet = route_sheet(book, results, "S01", START, END)
    rows = {r[1]: r for b in sheet.blocks for r in b.rows}
    grades = results["grade"].customers.set_index("customer_id")
    contacts = book.frame("contacts")
    visits = book.frame("visits")
    for customer, row in list(rows.items())[:12]:
        theirs = contacts[contacts["customer_id"] == customer]
        assert row[4] is None if theirs.empty else row[4].startswith(theirs.iloc[0]["name"])
        assert row[6] == (round(grades.loc[customer, "open_receivable"], 2) or None)
        earlier = visits[(visits["customer_id"] == customer) & (visits["date"] < str(START))].sort_values("date")
        step = earlier.iloc[-1]["next_step"] if len(earlier) else None
        assert row[7] == (step if isinstance(step, str) and step else None)


@pytest.mark.slow
def test_demo_plan_keeps_grade_priority_and_develops_intent_and_prospect_customers(planned):
    from tests.test_routes import priority_violations

    book, results = planned
    plan = results["routes"]
    assert priority_violations(book, plan) == []
    status = dict(zip(book.frame("customers")["customer_id"], book.frame("customers")["status"]))
    developed = plan.stops[plan.stops["purpose"] != "grade"]
    assert {"intent", "prospect"} <= set(developed["customer_id"].map(status))
    assert plan.summary["development_visits"].sum() == len(developed) > 0


@pytest.mark.slow
def test_unknown_salesperson_gets_a_clear_message(tmp_path: Path):
    result = CliRunner().invoke(app, ["route-sheets", str(WORKBOOKS / "demo.xlsx"), "--salesperson", "S99",
                                            "--from", "2026-11-02", "--to", "2026-11-03", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2 and "S99" in result.output and not (tmp_path / "r.xlsx").exists()


@pytest.mark.slow
def test_printed_days_are_the_routes_sheet_days_in_order_with_room_to_write(tmp_path: Path):
    """The 拜访路线 sheet of a normal run and the printed sheets show the same customers on the same days."""
    from openpyxl import load_workbook

    from salesxl.pipeline import run

    book = read_book(WORKBOOKS / "demo.xlsx")
    routes_sheet = next(s for s in run(book, ["routes"]).sheets if s.key == "routes")
    planned = {}
    for block in routes_sheet.blocks:
        found = re.match(r"S01 .*：(\d{4}-\d{2}-\d{2})（周", block.title or "")
        if found and START <= dt.date.fromisoformat(found.group(1)) <= END:
            planned[found.group(1)] = [row[1] for row in block.rows if row[1]]
    assert len(planned) >= 4
    out = tmp_path / "r.xlsx"
    result = CliRunner().invoke(app, ["route-sheets", str(WORKBOOKS / "demo.xlsx"), "--salesperson", "S01",
                                            "--from", START.isoformat(), "--to", END.isoformat(), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).worksheets[0]
    printed, day, heights = {}, None, []
    for row in sheet.iter_rows():
        text = [c.value for c in row]
        if isinstance(text[0], str) and (found := re.search(r"(\d{4}-\d{2}-\d{2})", text[0])):
            day = found.group(1)
            printed[day] = []
        elif day and isinstance(text[0], int):
            printed[day].append(text[1])
            heights.append(sheet.row_dimensions[row[0].row].height)
    assert list(printed) == sorted(printed) == list(planned)
    assert printed == planned
    assert min(heights) >= 24  # a line of handwriting per stop at least
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "请勿编辑" not in cells and "do not edit" not in cells


@pytest.mark.slow
def test_days_outside_the_plan_get_a_clear_message(tmp_path: Path):
    result = CliRunner().invoke(app, ["route-sheets", str(WORKBOOKS / "demo.xlsx"), "--salesperson", "S01",
                                            "--from", "2027-03-01", "--to", "2027-03-05", "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 2 and not (tmp_path / "r.xlsx").exists()
    assert "2026-11-02" in result.output and "路线计划开始日期" in result.output


@needs_libreoffice
def test_a_salesperson_week_prints_one_pdf_page_per_day(planned, tmp_path: Path):
    book, results = planned
    stops = results["routes"].stops
    days = set(stops[(stops["salesperson_id"] == "S01") & stops["date"].between(START, END)]["date"])
    out = tmp_path / "routes.xlsx"
    result = CliRunner().invoke(app, ["route-sheets", str(WORKBOOKS / "demo.xlsx"), "--salesperson", "S01",
                                            "--from", START.isoformat(), "--to", END.isoformat(), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "routes.pdf"
    if shutil.which("pdfinfo"):
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                 text=True).stdout).group(1))
    else:
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == len(days)
