"""Customer complaints: the deadline clock, the sheet, validation, reminders, the grade and shared copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from salesxl import pipeline
from salesxl.files import new_template
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.passes.planning.workhours import Clock
from salesxl.sharing.consolidate import consolidate
from salesxl.sharing.share import share_file
from tests.books import make_book
from tests.support import copy_to, sheet_charts, sheet_rows

WORKING, CALENDAR = Clock(True, 9, 18), Clock(False)
T = dt.datetime
BEFORE_NATIONAL_DAY = T(2026, 9, 30, 17, 0)  # Wednesday 17:00; 1-7 October 2026 are off, Saturday 10 October is worked


# ---- the clock ------------------------------------------------------------------------------------

def test_working_clock_skips_the_national_day_break_and_counts_the_make_up_saturday():
    # 30 Sep 17-18 (1 h), 8 Oct and 9 Oct (9 h each), Sat 10 Oct make-up day 9-10 (1 h); Sun 11 Oct is off
    assert WORKING.hours_between(BEFORE_NATIONAL_DAY, T(2026, 10, 10, 10, 0)) == 20
    assert WORKING.hours_between(BEFORE_NATIONAL_DAY, T(2026, 10, 11, 23, 0)) == 28
    assert WORKING.add_hours(BEFORE_NATIONAL_DAY, 4) == T(2026, 10, 8, 12, 0)
    assert WORKING.add_hours(BEFORE_NATIONAL_DAY, 19.5) == T(2026, 10, 10, 9, 30)  # lands on the make-up Saturday


def test_calendar_clock_counts_every_hour_of_the_holiday():
    assert CALENDAR.hours_between(BEFORE_NATIONAL_DAY, T(2026, 10, 10, 10, 0)) == 9 * 24 + 17
    assert CALENDAR.add_hours(BEFORE_NATIONAL_DAY, 4) == T(2026, 9, 30, 21, 0)


@settings(max_examples=60)
@given(start=st.datetimes(min_value=T(2025, 1, 1), max_value=T(2026, 12, 20)),
       hours=st.integers(min_value=0, max_value=80), working=st.booleans())
def test_a_deadline_is_exactly_its_limit_away_on_either_clock(start, hours, working):
    clock = WORKING if working else CALENDAR
    due = clock.add_hours(start, hours)
    assert due >= start
    assert clock.hours_between(start, due) == pytest.approx(hours)
    assert clock.hours_between(start, due + dt.timedelta(hours=1)) >= hours  # never runs backwards


# ---- the pass and the sheet -----------------------------------------------------------------------

PEOPLE = [{"salesperson_id": "S01", "name": "王伟", "region": "天河"},
          {"salesperson_id": "S02", "name": "李娜", "region": "海珠"}]
CARDS = [{"customer_id": "C1", "name": "甲商行", "region": "天河", "salesperson_id": "S01", "status": "active"},
         {"customer_id": "C2", "name": "乙超市", "region": "海珠", "salesperson_id": "S02", "status": "active"}]


def _complaint(cid, customer, received, **more):
    return {"complaint_id": cid, "customer_id": customer, "received_at": received, "category": "quality",
            "severity": "high", "status": "open", **more}


def _book(complaints, as_of=dt.date(2026, 10, 7), **settings_):
    return make_book({"salespeople": PEOPLE, "customers": CARDS, "complaints": complaints},
                     settings={"as_of_date": as_of, **settings_})


def test_a_complaint_waiting_out_the_holiday_is_overdue_only_on_the_calendar_clock():
    waiting = [_complaint("K1", "C1", BEFORE_NATIONAL_DAY)]
    working = pipeline.run(_book(waiting), ["complaints"]).results["complaints"]
    calendar = pipeline.run(_book(waiting, complaint_sla_clock="calendar"), ["complaints"]).results["complaints"]
    assert working.overdue.empty  # one working hour has gone by
    assert calendar.overdue["complaint_id"].tolist() == ["K1"]
    assert calendar.overdue["overdue"].tolist() == ["resolve"]  # high: 2 days, long gone by 7 October


def test_overdue_complaints_come_first_with_their_owner_and_grade():
    rows = [_complaint("K1", "C1", T(2026, 10, 6, 9, 0), severity="low", status="acknowledged",
                       acknowledged_at=T(2026, 10, 6, 9, 30)),  # low: 10 days, not due
            _complaint("K2", "C2", T(2026, 9, 1, 10, 0), owner="S01"),  # long overdue, handled by S01
            _complaint("K3", "C1", T(2026, 9, 20, 10, 0), severity="medium")]
    result = pipeline.run(_book(rows, as_of=dt.date(2026, 9, 29)), ["complaints"])
    sheet = next(s for s in result.sheets if s.key == "complaints")
    listing = next(b for b in sheet.blocks if b.title.startswith("未结投诉"))
    ids = [r[0].text for r in listing.rows]
    assert ids[:2] == ["K2", "K3"] and set(ids) == {"K1", "K2", "K3"}
    first = dict(zip([c.header for c in listing.columns], listing.rows[0]))
    assert first["逾期"] == "解决逾期" and first["处理人"] == "S01" and first["姓名"] == "王伟"
    grades = pipeline.run(_book(rows), ["grades"]).results["grade"].customers.set_index("customer_id")["grade"]
    assert first["客户等级"] == grades["C2"]
    assert listing.rows[-1][1] is None  # K1 is in time


def test_counts_by_category_and_month_feed_the_charts():
    rows = [_complaint("K1", "C1", T(2026, 8, 3, 10, 0), category="delivery", status="closed",
                       acknowledged_at=T(2026, 8, 3, 11, 0), resolved_at=T(2026, 8, 4, 10, 0), resolution="补送"),
            _complaint("K2", "C1", T(2026, 9, 3, 10, 0), category="delivery"),
            _complaint("K3", "C2", T(2026, 9, 4, 10, 0), category="billing")]
    sheet = next(s for s in pipeline.run(_book(rows), ["complaints"]).sheets if s.key == "complaints")
    month_chart, category_chart = sheet.charts
    months = sheet.blocks[month_chart.series[0].block]
    by_month = {r[0]: r[month_chart.series[0].values_column] for r in months.rows}
    assert len(months.rows) == 12 and by_month["2026-08"] == 1 and by_month["2026-09"] == 2
    categories = sheet.blocks[category_chart.series[0].block]
    by_category = {r[0]: r[category_chart.series[0].values_column] for r in categories.rows}
    assert by_category["交货"] == 2 and by_category["价格或账款"] == 1 and sum(by_category.values()) == 3
    repeated = next(b for b in sheet.blocks if b.title.startswith("重复投诉"))
    assert [r[0] for r in repeated.rows] == ["C1"]


def test_staff_conduct_is_listed_apart_for_the_manager_and_kept_off_reminders_and_the_daily_report():
    rows = [_complaint("K1", "C1", T(2026, 9, 1, 10, 0), category="staff_conduct", description="态度生硬"),
            _complaint("K2", "C1", T(2026, 9, 2, 10, 0))]
    result = pipeline.run(_book(rows), ["complaints", "reminders", "daily_report"])
    sheets = {s.key: s for s in result.sheets}
    listing = next(b for b in sheets["complaints"].blocks if b.title.startswith("未结投诉"))
    staff = next(b for b in sheets["complaints"].blocks if b.title.startswith("员工行为"))
    assert [r[0].text for r in listing.rows] == ["K2"]
    assert [r[0].text for r in staff.rows] == ["K1"] and staff.rows[0][-1] == "态度生硬"
    reminders = result.results["reminders"].rows
    overdue = reminders[reminders["kind"] == "complaint"]
    assert overdue["cell"].tolist() == ["客户投诉!I3"]  # K2's status cell, on top with the urgent visits
    assert reminders.index[reminders["kind"] == "complaint"][0] == 0 and overdue["salesperson_id"].tolist() == ["S01"]
    daily = next(b for b in sheets["daily_report"].blocks if b.title and b.title.startswith("逾期未结的投诉"))
    assert [r[0].text for r in daily.rows] == ["K2"]


def test_complaints_lower_the_composite_score_by_the_weight_and_no_complaint_changes_nothing():
    rows = [_complaint("K1", "C1", T(2026, 9, 1, 10, 0)),  # high: 3 points
            _complaint("K2", "C1", T(2026, 9, 5, 10, 0), severity="low", status="closed", satisfied=False,
                       acknowledged_at=T(2026, 9, 5, 11, 0), resolved_at=T(2026, 9, 6, 10, 0), resolution="退货")]
    plain = pipeline.run(_book([]), ["grades"]).results["grade"].customers.set_index("customer_id")
    hit = pipeline.run(_book(rows), ["grades"]).results["grade"].customers.set_index("customer_id")
    heavy = pipeline.run(_book(rows, grade_weight_complaints=0.2), ["grades"]).results["grade"].customers
    heavy = heavy.set_index("customer_id")
    assert hit.at["C2", "score"] == plain.at["C2", "score"]
    deduction = (3 + 2 * 1) / 6 * 100  # high 3 + low 1 doubled (not satisfied), of 6 points for the full 100
    assert plain.at["C1", "score"] - hit.at["C1", "score"] == pytest.approx(0.05 * deduction)
    assert plain.at["C1", "score"] - heavy.at["C1", "score"] == pytest.approx(min(0.2 * deduction, plain.at["C1", "score"]))
    assert heavy.at["C1", "score"] >= 0


# ---- validation, through the reader ---------------------------------------------------------------

def _workbook(path: Path, lang: str = "zh") -> Path:
    """A small office file made by the test (never a user's workbook)."""
    zh = lang == "zh"
    book = openpyxl.Workbook()
    people = book.active
    people.title = "销售员" if zh else "Salespeople"
    people.append(["工号", "姓名", "区域"] if zh else ["Salesperson ID", "Name", "Region"])
    people.append(["S01", "王伟", "天河"])
    cards = book.create_sheet("客户档案" if zh else "Customers")
    cards.append(["客户编号", "客户名称", "客户状态", "区域", "负责销售员"] if zh
                 else ["Customer ID", "Customer name", "Status", "Region", "Salesperson"])
    cards.append(["C1", "甲商行", "潜在" if zh else "Prospect", "天河", "S01"])
    sheet = book.create_sheet("客户投诉" if zh else "Complaints")
    sheet.append(["投诉编号", "客户编号", "投诉时间", "投诉类别", "严重程度", "处理人", "处理状态", "受理时间", "解决时间",
                  "处理结果"] if zh else
                 ["Complaint ID", "Customer ID", "Received at", "Category", "Severity", "Owner", "Status",
                  "Acknowledged at", "Resolved at", "Resolution"])
    quality, high = ("产品质量", "严重") if zh else ("Product quality", "High")
    sheet.append(["K1", "C1", "2026-13-45 10:00", quality, high, None, "待处理" if zh else "Open"])
    sheet.append(["K2", "C1", T(2026, 9, 2, 10), quality, high, "S99", "已受理" if zh else "Acknowledged",
                  T(2026, 9, 1, 10)])
    sheet.append(["K3", "C9", T(2026, 9, 2, 10), quality, high, None, "已结案" if zh else "Closed",
                  T(2026, 9, 2, 11), T(2026, 9, 1, 9), None])
    sheet.append(["K4", "C1", T(2026, 9, 3, 10), quality, high, None, "@SUM(A1)", None, None, None])
    news = book.create_sheet("市场信息" if zh else "MarketInfo")
    news.append(["信息编号", "日期", "销售员", "区域", "信息类型", "产品线", "观察价格", "单位"] if zh else
                ["Report ID", "Date", "Salesperson", "Region", "Type", "Product line", "Observed price", "Unit"])
    news.append(["M1", T(2026, 9, 2), "S07", "天河", "竞品价格" if zh else "Competitor price", "饮料", None, "箱"])
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_complaint_and_market_rows_are_named_by_cell_in_the_workbook_language(tmp_path, lang):
    book = read_book(_workbook(tmp_path / "office.xlsx", lang))
    issues = pipeline.run(book, ["validation"]).issues
    found = {(i.code, i.cell) for i in issues if i.table in ("complaints", "market")}
    sheet, news = ("客户投诉", "市场信息") if lang == "zh" else ("Complaints", "MarketInfo")
    expected = {
        f"{sheet}!C2",  # received at: not a date
        f"{sheet}!H3",  # acknowledged before received
        f"{sheet}!F3",  # unknown owner
        f"{sheet}!B4",  # unknown customer
        f"{sheet}!I4",  # resolved before received
        f"{sheet}!J4",  # closed without a resolution
        f"{sheet}!G5",  # text that looks like a formula is not a status
        f"{news}!C2",  # unknown salesperson
        f"{news}!G2",  # a competitor price without the price
    }
    assert expected <= {cell for _, cell in found}
    codes = {cell: code for code, cell in found}
    assert codes[f"{sheet}!H3"] == codes[f"{sheet}!I4"] == "COMPLAINT_BEFORE_RECEIVED"
    assert codes[f"{sheet}!J4"] == "FIELD_REQUIRED" and codes[f"{news}!C2"] == "FIELD_REF"
    message = next(i.message for i in issues if i.cell == f"{sheet}!H3")
    assert ("早于投诉时间" if lang == "zh" else "before it was received") in message
    shown = next(i.value for i in issues if i.cell == f"{sheet}!G5")
    assert shown == "@SUM(A1)"  # kept as the text it is


# ---- shared copies --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    master = tmp_path_factory.mktemp("office") / "master.xlsx"
    new_template(master, "zh")
    apply_row_changes(master, {
        "salespeople": TableChanges(appends=PEOPLE),
        "customers": TableChanges(appends=CARDS),
        "complaints": TableChanges(appends=[
            _complaint("K1", "C1", T(2026, 9, 1, 10, 0)),
            _complaint("K2", "C1", T(2026, 9, 2, 10, 0), category="staff_conduct", description="态度生硬"),
            _complaint("K3", "C2", T(2026, 9, 3, 10, 0))]),
    }, backup=False)
    return master


def test_a_salespersons_copy_holds_no_staff_conduct_complaint(office, tmp_path):
    copy = tmp_path / "copy_S01.xlsx"
    share_file(office, "S01", copy)
    assert read_book(copy).frame("complaints")["complaint_id"].tolist() == ["K1"]
    everywhere = [cell for name in ("投诉处理", "提醒", "日报", "客户投诉")
                  for row in sheet_rows(copy, name) for cell in row]
    assert "K2" not in everywhere and "态度生硬" not in everywhere


def test_complaints_come_back_only_for_the_salespersons_own_customers(office, tmp_path):
    master = copy_to(office, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    copy = inbox / "copy_S01.xlsx"
    share_file(master, "S01", copy)
    apply_row_changes(copy, {"complaints": TableChanges(appends=[
        _complaint("K7", "C1", T(2026, 9, 20, 9, 0), description="少送两箱"),
        _complaint("K8", "C2", T(2026, 9, 20, 9, 30), description="别人的客户")])}, backup=False)
    report = consolidate(master, inbox, now=T(2026, 9, 30, 18, 0), recalc=False)
    rows = read_book(master).frame("complaints")
    assert "少送两箱" in rows["description"].tolist() and "别人的客户" not in rows["description"].tolist()
    refused = [e for e in report.log if e.table == "complaints" and not e.accepted]
    assert [e.reason for e in refused] == ["not_owner"]
    log = sheet_rows(master, "合并记录")
    assert any("客户投诉" in row and "拒绝" in row for row in log)


# ---- the demo -------------------------------------------------------------------------------------

def test_the_demo_writes_the_complaints_sheet_with_its_charts_and_overdue_ones_reach_reminders(recalculated_demo):
    assert sheet_charts(recalculated_demo, "投诉处理") == 2
    rows = sheet_rows(recalculated_demo, "投诉处理")
    overdue = [r for r in rows if "解决逾期" in r or "受理逾期" in r]
    assert overdue
    reminders = [r for r in sheet_rows(recalculated_demo, "提醒") if "投诉逾期" in r]
    daily = [r for r in sheet_rows(recalculated_demo, "日报") if "解决逾期" in r or "受理逾期" in r]
    assert reminders and daily
    repeated = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("重复投诉客户"))
    assert rows[repeated + 2][0]  # at least one customer complains again and again
