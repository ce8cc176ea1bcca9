"""Customer composition: breakdowns that add up, labels in the book's language, Pareto curve, weak spots."""

from __future__ import annotations

import pandas as pd
import pytest

from salesxl.passes.composition import DIMENSIONS, pareto
from salesxl.reports.composition import SALES_COLUMN, composition_sheet
from tests.books import run_pass
from tests.test_grade import book, card, line


def office(lang="zh", **settings):
    """Six customers: two wholesalers sell most; four retailers (one without a channel) sell little."""
    cards = [
        card("W1", channel_type="wholesaler", ownership_type="private", region="天河区", industry="批发业"),
        card("W2", channel_type="wholesaler", ownership_type="state", region="越秀区", industry="批发业"),
        card("R1", channel_type="retailer", ownership_type="private", region="天河区", industry="零售业"),
        card("R2", channel_type="retailer", ownership_type="individual", region="天河区", industry="零售业"),
        card("R3", channel_type="retailer", ownership_type="individual", region="越秀区"),
        card("X1", region="越秀区", salesperson_id="S9"),
    ]
    orders = [line("W1", 6000.0), line("W2", 3000.0), line("R1", 500.0), line("R2", 400.0), line("R3", 100.0),
              line("W1", 4000.0, "2024-03-01"), line("R1", 1000.0, "2024-03-01")]
    return book(cards, orders, lang=lang, **settings)


def run(b):
    graded, _ = run_pass(b, "grade")
    result, issues = run_pass(b, "composition", grade=graded)
    assert issues == []
    return result


def test_every_dimension_adds_up_to_the_totals():
    result = run(office())
    assert (result.customers, result.buyers, result.sales, result.prev_sales) == (6, 5, 10000.0, 5000.0)
    assert result.change == pytest.approx(1.0)
    assert [d.key for d in result.dimensions] == list(DIMENSIONS)
    for dimension in result.dimensions:
        groups = dimension.groups
        assert groups["customers"].sum() == 6, dimension.key
        assert groups["sales"].sum() == pytest.approx(10000.0), dimension.key
        assert groups["prev_sales"].sum() == pytest.approx(5000.0), dimension.key
        assert groups["customer_share"].sum() == pytest.approx(1.0)
        assert groups["sales_share"].sum() == pytest.approx(1.0)


def test_channel_breakdown_by_hand():
    channel = next(d for d in run(office()).dimensions if d.key == "channel_type").groups
    rows = {r["label"]: r for r in channel.to_dict("records")}
    assert list(rows) == ["批发商", "零售商", "（未填）"]
    assert rows["批发商"]["customers"] == 2 and rows["批发商"]["sales"] == 9000.0
    assert rows["批发商"]["sales_share"] == pytest.approx(0.9) and rows["批发商"]["change"] == pytest.approx(1.25)
    assert rows["零售商"]["customer_share"] == pytest.approx(0.5) and rows["零售商"]["change"] == pytest.approx(0.0)
    assert rows["（未填）"]["sales"] == 0 and pd.isna(rows["（未填）"]["change"])


def test_labels_follow_the_book_language():
    result = run(office(lang="en"))
    labels = {d.key: set(d.groups["label"]) for d in result.dimensions}
    assert labels["channel_type"] == {"Wholesaler", "Retailer", "(blank)"}
    assert labels["ownership_type"] == {"Private", "State-owned", "Sole trader", "(blank)"}
    assert labels["salesperson_id"] == {"王伟", "S9"}  # a salesperson's name, else the ID
    sheet = composition_sheet(result, "en")
    headers = [b.columns[0].header for b in sheet.blocks]
    assert "Channel type" in headers and "Grade" in headers and sheet.name == "Composition"
    assert "By Channel type" in [b.title for b in sheet.blocks]
    zh = composition_sheet(run(office()), "zh")
    assert "渠道类型" in [b.columns[0].header for b in zh.blocks] and zh.name == "客户构成"


def test_pareto_curve_interpolates_between_customers():
    curve = pareto(pd.Series([10.0, 0.0, 60.0, 30.0]))
    assert len(curve) == 20
    shares = dict(zip(curve["customer_share"].round(2), curve["sales_share"]))
    assert shares[0.25] == pytest.approx(0.6) and shares[0.5] == pytest.approx(0.9)
    assert shares[0.05] == pytest.approx(0.12) and shares[1.0] == pytest.approx(1.0)
    assert list(curve["sales_share"]) == sorted(curve["sales_share"])


def test_weak_spots_follow_the_ratio_setting():
    weak = run(office()).weak
    found = set(zip(weak["dimension"], weak["label"]))
    # retailers: 50 % of customers, 10 % of sales -> ratio 5
    assert ("渠道类型", "零售商") in found and ("渠道类型", "批发商") not in found
    assert weak.iloc[0]["ratio"] >= weak.iloc[-1]["ratio"]
    retail = weak[(weak["dimension"] == "渠道类型") & (weak["label"] == "零售商")].iloc[0]
    assert retail["ratio"] == pytest.approx(5.0)
    relaxed = run(office(composition_weak_ratio=6.0)).weak
    assert ("渠道类型", "零售商") not in set(zip(relaxed["dimension"], relaxed["label"]))


def test_charts_point_at_the_right_blocks():
    result = run(office())
    sheet = composition_sheet(result, "zh")
    kinds = [c.kind for c in sheet.charts]
    assert kinds == ["pie", "bar", "line"]
    pie, bar, line_chart = sheet.charts
    channel = sheet.blocks[pie.series[0].block]
    assert channel.columns[0].header == "渠道类型" and channel.columns[SALES_COLUMN].header == "近12个月净销售额"
    assert sum(r[SALES_COLUMN] for r in channel.rows) == pytest.approx(result.sales)
    assert sheet.blocks[bar.series[0].block].columns[0].header == "区域"
    curve = sheet.blocks[line_chart.series[0].block]
    assert len(curve.rows) == 20 and curve.rows[-1][line_chart.series[0].values_column] == pytest.approx(1.0)
    anchors = [int(c.anchor[1:]) for c in sheet.charts]
    assert all(b - a >= c.height_cells for a, b, c in zip(anchors, anchors[1:], sheet.charts))
