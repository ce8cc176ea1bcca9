"""Performance against the plan: one salesperson's figures worked out by hand, and the sheet's charts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from salesxl.core.book import ROW, Book, TableData
from salesxl.demo import generate_office
from salesxl.registry import ReportContext
from salesxl.reports.performance import build
from salesxl.schema import TABLES_BY_KEY, Settings
from tests.books import make_book, run_pass

AS_OF = dt.date(2025, 3, 12)  # a Wednesday


def _order(n, day, sp, amount, **extra):
    return {"line_id": f"L{n}", "order_id": f"O{n}", "date": day, "customer_id": "C1", "salesperson_id": sp,
            "product_id": "P1", "quantity": extra.pop("quantity", 1), "unit_price": abs(amount),
            "amount": amount, **extra}


def _book(**settings):
    return make_book({
        "salespeople": [{"salesperson_id": "S1", "name": "甲", "region": "华南", "active": True},
                        {"salesperson_id": "S2", "name": "乙", "region": "华南", "active": True}],
        "customers": [{"customer_id": "C1", "name": "客户一", "salesperson_id": "S1", "status": "active"}],
        "targets": [{"target_id": "T1", "year": 2025, "scope": "salesperson", "salesperson_id": "S1",
                     "amount": 1_200_000},
                    {"target_id": "T2", "year": 2025, "scope": "salesperson", "salesperson_id": "S2",
                     "amount": 120_000}],
        "orders": [_order(1, dt.date(2025, 1, 8), "S1", 50_000),
                   _order(2, dt.date(2025, 3, 3), "S1", 20_000),
                   _order(3, dt.date(2025, 3, 5), "S1", 99_999, status="cancelled"),
                   _order(4, dt.date(2025, 3, 11), "S1", 10_000),
                   _order(5, dt.date(2025, 3, 12), "S1", 5_000, type="return"),
                   _order(6, dt.date(2025, 3, 13), "S1", 7_000),  # after the as-of date
                   _order(7, dt.date(2025, 3, 10), "S2", 30_000)],
        "payments": [{"payment_id": "P1", "date": dt.date(2025, 3, 10), "customer_id": "C1", "amount": 40_000},
                     {"payment_id": "P2", "date": dt.date(2025, 2, 10), "customer_id": "C1", "amount": 5_000,
                      "salesperson_id": "S2"}],
    }, settings={"as_of_date": AS_OF, "seasonality_index": ",".join(["1"] * 12), **settings})


def _run(book):
    plan, _ = run_pass(book, "targets")
    result, issues = run_pass(book, "performance", targets=plan)
    return plan, result, issues


def _row(result, period, sp):
    rows = result.table[(result.table["period"] == period) & (result.table["salesperson_id"] == sp)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_one_salesperson_against_a_hand_computation():
    """S1: 100,000 a month. Working days 2025: Jan 19, Feb 19, Mar 21 (Spring Festival 28 Jan-4 Feb,
    make-up Sun 26 Jan and Sat 8 Feb); 1-12 Mar has 8; the whole year 248."""
    _, result, issues = _run(_book())
    assert issues == []
    month = _row(result, "month", "S1")
    assert month["target"] == 100_000
    assert month["actual"] == 25_000  # 20,000 + 10,000 - 5,000 returned; cancelled and later lines left out
    assert month["achievement"] == pytest.approx(0.25)
    assert month["time_elapsed"] == pytest.approx(8 / 21)
    assert month["gap"] == 75_000
    assert month["forecast"] == pytest.approx(25_000 / 8 * 21)

    quarter = _row(result, "quarter", "S1")
    assert (quarter["target"], quarter["actual"]) == (300_000, 75_000)
    assert quarter["time_elapsed"] == pytest.approx((19 + 19 + 8) / (19 + 19 + 21))
    assert quarter["forecast"] == pytest.approx(75_000 / 46 * 59)

    year = _row(result, "year", "S1")
    assert (year["target"], year["actual"]) == (1_200_000, 75_000)
    assert year["time_elapsed"] == pytest.approx(46 / 248)
    assert year["achievement"] == pytest.approx(75_000 / 1_200_000)

    # March's week parts have 0,5,5,5,5,1 working days: 100,000 -> 0, 23,810, 23,810, 23,809, 23,809, 4,762
    # (remainders .52 x4 and .90: the .90 first, then the earlier weeks)
    week = _row(result, "week", "S1")
    assert (week["start"], week["end"]) == (dt.date(2025, 3, 10), dt.date(2025, 3, 16))
    assert (week["target"], week["actual"]) == (23_810, 5_000)
    assert week["time_elapsed"] == pytest.approx(3 / 5)
    assert week["forecast"] == pytest.approx(5_000 / 3 * 5)


def test_ranking_and_totals():
    _, result, _ = _run(_book())
    year = result.period("year")
    # S2: 30,000 of 120,000 = 25 %; S1: 75,000 of 1,200,000 = 6.25 %
    assert year.set_index("salesperson_id")["rank"].to_dict() == {"S2": 1, "S1": 2}
    total = _row(result, "year", "")
    assert (total["target"], total["actual"]) == (1_320_000, 105_000)


def test_collections_when_asked():
    _, plain, _ = _run(_book())
    assert plain.table["collected"].isna().all()
    _, result, _ = _run(_book(performance_collections=True))
    year = result.period("year").set_index("salesperson_id")
    # P1 has no salesperson: it goes to the card owner S1; P2 names S2
    assert year.loc["S1", "collected"] == 40_000 and year.loc["S2", "collected"] == 5_000
    assert year.loc["S1", "collection_achievement"] == pytest.approx(40_000 / 1_200_000)
    assert _row(result, "month", "S2")["collected"] == 0


def test_cumulative_months_stop_at_the_as_of_month():
    _, result, _ = _run(_book())
    months = result.months.set_index("month")
    assert months.loc[3, "cum_target"] == 330_000 and months.loc[3, "cum_actual"] == 105_000
    assert months.loc[4, "actual"] is None and months.loc[12, "cum_target"] == 1_320_000


def test_sheet_has_the_two_charts_over_the_right_blocks():
    book = _book(language="en")
    plan, result, _ = _run(book)
    sheet = build(ReportContext(book, {"targets": plan, "performance": result}, []), result)
    bars, lines = sheet.charts
    ranking = sheet.blocks[bars.series[0].block]
    assert bars.kind == "bar" and [c.header for c in ranking.columns][bars.series[0].values_column] == "Achievement"
    assert [row[1] for row in ranking.rows] == ["S2", "S1"]
    cumulative = sheet.blocks[lines.series[0].block]
    assert lines.kind == "line" and len(cumulative.rows) == 12
    assert [cumulative.columns[s.values_column].header for s in lines.series] == ["Cumulative target",
                                                                                  "Cumulative actual"]
    assert sheet.name == "Performance" and sheet.header_line is None  # the pipeline stamps the marker
    for block in sheet.blocks:
        assert all(len(row) == len(block.columns) for row in block.rows)


@pytest.mark.slow
def test_demo_office_actuals_match_a_plain_groupby():
    """The demo office's year-to-date net sales per salesperson, recomputed with a plain groupby."""
    office = generate_office("S", 7)
    tables = {key: TableData(key, frame.assign(**{ROW: range(2, len(frame) + 2)}), sheet=TABLES_BY_KEY[key].zh,
                             header_row=1) for key, frame in office.tables.items()}
    book = Book(tables=tables, settings=Settings.from_values(office.settings))
    plan, result, _ = _run(book)
    orders = office.tables["orders"]
    lines = orders[(orders["status"] != "cancelled") & (orders["date"].dt.year == result.as_of.year)
                   & (orders["date"] <= pd.Timestamp(result.as_of))]
    returned = (lines["type"] == "return") | (lines["quantity"] < 0)
    net = lines["amount"].abs().where(~returned, -lines["amount"].abs())
    expected = net.groupby(lines["salesperson_id"]).sum()
    year = result.period("year").set_index("salesperson_id")
    assert set(expected.index) <= set(year.index)
    for sp, amount in expected.items():
        assert year.loc[sp, "actual"] == pytest.approx(amount)
    targets_given = office.tables["targets"]
    given = targets_given[(targets_given["year"] == result.year) & (targets_given["scope"] == "salesperson")]
    assert year.loc[given["salesperson_id"], "target"].tolist() == given["amount"].astype(int).tolist()
