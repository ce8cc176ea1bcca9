"""Market information: the price index against hand-computed cases, compliance, urgent items, copies, the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from salesxl import pipeline
from salesxl.files import new_template
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.sharing.consolidate import consolidate
from salesxl.sharing.share import share_file
from tests.books import make_book
from tests.support import copy_to, sheet_charts, sheet_rows

D = dt.date
PEOPLE = [{"salesperson_id": "S01", "name": "王伟", "region": "天河"},
          {"salesperson_id": "S02", "name": "李娜", "region": "海珠"}]
PRICES = [
    {"price_id": "P1", "product_id": "A1", "product_line": "粮油", "unit": "箱", "list_price": 100.0},
    {"price_id": "P2", "product_id": "A2", "product_line": "粮油", "unit": "箱", "list_price": 120.0, "customer_type": "all"},
    {"price_id": "P3", "product_id": "A3", "product_line": "粮油", "unit": "箱", "list_price": 80.0,
     "customer_type": "retailer"},  # a channel price is not our list price
    {"price_id": "P4", "product_id": "A4", "product_line": "粮油", "unit": "箱", "list_price": 500.0,
     "valid_to": D(2026, 6, 30)},  # no longer valid in October
    {"price_id": "P5", "product_id": "B1", "product_line": "饮料", "unit": "箱", "list_price": 50.0},
]


def _report(rid, day, person, kind="competitor_price", **more):
    region = {"S01": "天河", "S02": "海珠"}[person]
    return {"report_id": rid, "date": day, "salesperson_id": person, "region": region, "type": kind, **more}


def _price(rid, day, person, line, unit, price, competitor="甲牌"):
    return _report(rid, day, person, product_line=line, unit=unit, observed_price=price, competitor=competitor)


def _run(reports, outputs=("market",), as_of=D(2026, 10, 16), **settings_):
    book = make_book({"salespeople": PEOPLE, "price_list": PRICES, "market": reports},
                     settings={"as_of_date": as_of, **settings_})
    return pipeline.run(book, list(outputs))


def test_price_index_is_the_observed_price_over_our_general_list_price_of_the_line_and_unit():
    reports = [_price("M1", D(2026, 10, 12), "S01", "粮油", "箱", 99.0),
               _price("M2", D(2026, 10, 13), "S01", "粮油", "箱", 132.0, "乙牌"),
               _price("M3", D(2026, 10, 14), "S02", "粮油", "箱", 110.0),
               _price("M4", D(2026, 10, 14), "S02", "粮油", "瓶", 9.0),  # we sell no bottles: not comparable
               _price("M5", D(2026, 10, 15), "S02", "饮料", "箱", 45.0)]
    result = _run(reports).results["market"]
    index = result.reports.set_index("report_id")["index"]
    # our price for 粮油/箱 in October: the median of 100 and 120 (P3 is a channel price, P4 expired)
    assert index["M1"] == pytest.approx(99 / 110) and index["M2"] == pytest.approx(132 / 110)
    assert index["M3"] == pytest.approx(1.0) and index["M5"] == pytest.approx(0.9)
    assert index.isna()["M4"]
    lines = result.prices.set_index(["product_line", "unit"])
    oil = lines.loc[("粮油", "箱")]
    assert (oil["reports"], oil["comparable"], oil["competitors"], oil["our_price"]) == (3, 3, 2, 110.0)
    assert (oil["index_min"], oil["index_median"], oil["index_max"]) == pytest.approx((0.9, 1.0, 1.2))
    bottles = lines.loc[("粮油", "瓶")]
    assert bottles["reports"] == 1 and bottles["comparable"] == 0


def test_a_list_price_counts_only_on_the_days_it_is_valid():
    before = _run([_price("M1", D(2026, 6, 15), "S01", "粮油", "箱", 240.0)]).results["market"]
    # in June P4 (500) is valid too: median of 100, 120 and 500
    assert before.reports["index"].iloc[0] == pytest.approx(240 / 120)


@settings(max_examples=40)
@given(prices=st.lists(st.floats(min_value=1, max_value=1000, allow_nan=False), min_size=1, max_size=8))
def test_the_spread_brackets_the_median_and_scales_with_the_prices(prices):
    reports = [_price(f"M{i}", D(2026, 10, 12), "S01", "粮油", "箱", p) for i, p in enumerate(prices)]
    row = _run(reports).results["market"].prices.iloc[0]
    assert row["index_min"] <= row["index_median"] <= row["index_max"]
    assert row["index_min"] == pytest.approx(min(prices) / 110) and row["index_max"] == pytest.approx(max(prices) / 110)


def test_urgent_items_come_first_and_counts_go_by_region_type_and_week():
    reports = [_report("M1", D(2026, 10, 5), "S01", "competitor_promotion", note="买十送一"),
               _report("M2", D(2026, 10, 6), "S02", "credit_risk", note="两家批发商关门", urgent=True),
               _report("M3", D(2026, 10, 13), "S01", "competitor_promotion", note="满减"),
               _report("M4", D(2026, 10, 14), "S01", "new_product", note="无糖新品")]
    result = _run(reports)
    market = result.results["market"]
    assert market.reports["report_id"].tolist()[0] == "M2"
    weeks = market.by_week().set_index("week")["reports"]
    assert weeks["2026-W41"] == 2 and weeks["2026-W42"] == 2 and weeks.sum() == 4 and len(weeks) == 12
    table = market.by_region_type()
    assert table.at["天河", "competitor_promotion"] == 2 and table.at["海珠", "credit_risk"] == 1
    sheet = next(s for s in result.sheets if s.key == "market")
    urgent = next(b for b in sheet.blocks if b.title.startswith("紧急市场信息"))
    assert [r[-1].text for r in urgent.rows] == ["两家批发商关门"]
    promotions = next(b for b in sheet.blocks if b.title.startswith("竞品促销"))
    assert [r[-1].text for r in promotions.rows] == ["满减", "买十送一"]


def test_salespeople_short_of_their_monthly_reports_are_flagged_on_the_weekly_report():
    september = [_report(f"A{i}", D(2026, 9, 1 + i), "S01", "new_product") for i in range(4)]
    october = [_report(f"B{i}", D(2026, 10, 12 + i), "S01", "new_product") for i in range(3)]
    lonely = [_report("C1", D(2026, 9, 20), "S02", "policy")]
    result = _run(september + october + lonely, outputs=("weekly_report",))
    weekly = next(s for s in result.sheets if s.key == "weekly_report")
    block = next(b for b in weekly.blocks if b.title and b.title.startswith("市场信息报备达标"))
    flags = {r[0]: r[-1] for r in block.rows}
    assert flags["S01"] == "达标"
    assert flags["S02"].startswith("上月未达标")
    assert [c.header for c in block.columns][2:4] == ["2026-09 报备", "2026-10 至今"]
    assert {r[0]: (r[2], r[3]) for r in block.rows} == {"S01": (4, 3), "S02": (1, 0)}


# ---- shared copies --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    master = tmp_path_factory.mktemp("office") / "master.xlsx"
    new_template(master, "zh")
    apply_row_changes(master, {"salespeople": TableChanges(appends=PEOPLE),
                               "market": TableChanges(appends=[_report("M1", D(2026, 9, 1), "S01", "policy"),
                                                               _report("M2", D(2026, 9, 1), "S02", "policy")])},
                      backup=False)
    return master


def test_market_reports_come_back_only_as_the_salespersons_own(office, tmp_path):
    master = copy_to(office, tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    copy = inbox / "copy_S01.xlsx"
    share_file(master, "S01", copy)
    assert read_book(copy).frame("market")["report_id"].tolist() == ["M1"]
    apply_row_changes(copy, {"market": TableChanges(appends=[
        _report("M7", D(2026, 9, 20), "S01", "channel_change", note="新开便利店"),
        _report("M8", D(2026, 9, 20), "S02", "channel_change", note="替别人报")])}, backup=False)
    report = consolidate(master, inbox, now=dt.datetime(2026, 9, 30, 18, 0), recalc=False)
    notes = read_book(master).frame("market")["note"].tolist()
    assert "新开便利店" in notes and "替别人报" not in notes
    assert [e.reason for e in report.log if e.table == "market" and not e.accepted] == ["not_owner"]


# ---- the demo -------------------------------------------------------------------------------------

def test_the_demo_writes_the_market_sheet_with_its_charts_and_flags_the_quiet_salesperson(recalculated_demo):
    assert sheet_charts(recalculated_demo, "市场信息汇总") == 2
    rows = sheet_rows(recalculated_demo, "周报")
    start = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("市场信息报备达标"))
    flagged = [r for r in rows[start + 2:] if r and len(r) > 5 and r[5] not in ("达标", "", None)]
    assert flagged and len(flagged) < len(rows[start + 2:])  # someone, not everyone
    index = next(i for i, r in enumerate(sheet_rows(recalculated_demo, "市场信息汇总")) if r and str(r[0]).startswith("竞品价格指数"))
    assert index
