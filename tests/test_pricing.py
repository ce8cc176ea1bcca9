"""Price-policy compliance: seasonal rows, customer types, discount limits, the PriceCheck sheet."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from salesxl.core.sheetspec import Link
from salesxl.reports.price_check import price_sheet
from tests.books import make_book, run_pass

PEOPLE = [{"salesperson_id": "S1", "name": "张三", "region": "天河"}, {"salesperson_id": "S2", "name": "李四", "region": "越秀"}]
CUSTOMERS = [
    {"customer_id": "C1", "name": "一号商店", "channel_type": "retailer", "salesperson_id": "S1", "status": "active"},
    {"customer_id": "C2", "name": "二号批发", "channel_type": "wholesaler", "salesperson_id": "S2", "status": "active"},
    {"customer_id": "C3", "name": "三号批发", "channel_type": "wholesaler", "salesperson_id": "S2", "status": "active"},
]
PRICES = [
    {"price_id": "J1", "product_id": "P1", "customer_type": "all", "list_price": 100, "min_price": 85, "max_discount": 0.15},
    {"price_id": "J2", "product_id": "P1", "customer_type": "all", "list_price": 120, "min_price": 110, "max_discount": 0.05,
     "valid_from": "2025-06-01", "valid_to": "2025-08-31", "season": "夏季"},
    {"price_id": "J3", "product_id": "P1", "customer_type": "wholesaler", "list_price": 95, "min_price": 90, "max_discount": 0.05},
    {"price_id": "J4", "product_id": "P1", "customer_type": "grade_a", "list_price": 90, "min_price": 80, "max_discount": 0.1},
]


def order(line, date, customer, salesperson, product, price, quantity=10, **extra):
    return {"line_id": line, "order_id": "O" + line, "date": date, "customer_id": customer, "salesperson_id": salesperson,
            "product_id": product, "product_name": "产品" + product, "quantity": quantity, "unit_price": price,
            "amount": price * quantity, "type": "sale", "status": "invoiced", **extra}


ORDERS = [
    order("L1", "2025-07-10", "C1", "S1", "P1", 114),  # summer row: 5 % off, at the limit
    order("L2", "2025-07-11", "C1", "S1", "P1", 108),  # summer row: 10 % off and under 110
    order("L3", "2025-01-15", "C1", "S1", "P1", 108),  # winter: the default row, above list
    order("L4", "2025-01-16", "C1", "S1", "P1", 84),  # default row: 16 % off and under 85
    order("L5", "2025-02-01", "C2", "S2", "P1", 92),  # wholesaler row
    order("L6", "2025-02-01", "C3", "S2", "P1", 82),  # grade A row beats the wholesaler row
    order("L7", "2025-03-01", "C1", "S1", "P2", 10),  # no price for P2
    order("L8", "2025-03-02", "C2", "S2", "P2", 10),
    order("L9", "2025-03-03", "C1", "S1", "P1", 1, quantity=-1, type="return"),
    order("L10", "2025-07-01", "C2", "S2", "P1", 93),  # channel row beats the seasonal all-customers row
    order("L11", "2024-07-01", "C1", "S1", "P1", 1),  # before the 12 months checked
]
GRADES = SimpleNamespace(customers=pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "grade": ["B", "C", "A"]}))


def checked(lang="zh", orders=ORDERS):
    book = make_book({"salespeople": PEOPLE, "customers": CUSTOMERS, "price_list": PRICES, "orders": orders},
                     lang=lang, settings={"as_of_date": dt.date(2025, 12, 31)})
    return run_pass(book, "pricing", grade=GRADES)


def by_line(result):
    return result.lines.set_index("line_id")


def test_seasonal_row_applies_in_summer_and_default_row_in_winter():
    result, _ = checked()
    lines = by_line(result)
    assert lines.loc["L1", "list_price"] == 120 and lines.loc["L2", "list_price"] == 120
    assert lines.loc["L3", "list_price"] == 100 and lines.loc["L4", "list_price"] == 100
    assert lines.loc["L1", "discount"] == pytest.approx(0.05)
    assert lines.loc["L3", "discount"] == pytest.approx(-0.08)


def test_grade_row_beats_channel_row_beats_all_customers_row():
    result, _ = checked()
    lines = by_line(result)
    assert lines.loc["L5", ["list_price", "customer_type"]].tolist() == [95, "wholesaler"]
    assert lines.loc["L6", ["list_price", "customer_type"]].tolist() == [90, "grade_a"]
    assert lines.loc["L10", ["list_price", "customer_type"]].tolist() == [95, "wholesaler"]


def test_without_grades_the_grade_row_does_not_apply():
    book = make_book({"customers": CUSTOMERS, "price_list": PRICES, "orders": ORDERS},
                     settings={"as_of_date": dt.date(2025, 12, 31)})
    result, _ = run_pass(book, "pricing", grade=SimpleNamespace(customers=GRADES.customers.iloc[:0]))
    assert by_line(result).loc["L6", "list_price"] == 95 and bool(by_line(result).loc["L6", "flagged"])


def test_lines_beyond_policy_are_flagged_and_lines_within_are_not():
    result, _ = checked()
    lines = by_line(result)
    assert sorted(result.flagged["line_id"]) == ["L2", "L4"]
    assert bool(lines.loc["L2", "below_min"]) and bool(lines.loc["L2", "over_discount"])
    assert not lines.loc[["L1", "L3", "L5", "L6", "L10"], "flagged"].any()
    assert set(lines.index) == {"L1", "L2", "L3", "L4", "L5", "L6", "L10"}  # returns, old lines, unpriced not checked
    assert lines.loc["L2", "below_policy"] == pytest.approx((114 - 108) * 10)  # floor: max(110, 120 x 0.95)


def test_products_without_a_price_give_one_info_issue_each():
    _, issues = checked()
    assert [(i.code, i.severity, i.cell) for i in issues] == [("PRICE_MISSING", "info", "销售明细!F8")]
    assert "P2" in issues[0].message and "2" in issues[0].message


def test_summary_per_salesperson_and_realised_prices():
    result, _ = checked()
    people = result.by_salesperson().set_index("salesperson_id")
    assert people.loc["S1", ["lines", "flagged"]].tolist() == [4, 2]
    lost_s1 = (120 - 114) * 10 + (120 - 108) * 10 + (100 - 108) * 10 + (100 - 84) * 10
    assert people.loc["S1", "lost"] == pytest.approx(lost_s1)
    assert people.loc["S2", ["lines", "flagged"]].tolist() == [3, 0]
    months = result.by_product_month().set_index(["product_id", "month"])
    july = months.loc[("P1", "2025-07")]
    assert july["avg_price"] == pytest.approx((114 + 108 + 93) / 3)
    assert july["avg_list"] == pytest.approx((120 + 120 + 95) / 3)


def test_sheet_links_each_flagged_line_to_its_unit_price_cell():
    result, _ = checked("en")
    spec = price_sheet(result, "en")
    assert spec.name == "PriceCheck"
    flagged = spec.blocks[1]
    assert [r[0] for r in flagged.rows] == [Link("Orders!J3", "Orders!J3"), Link("Orders!J5", "Orders!J5")]
    header = [c.header for c in flagged.columns]
    first = dict(zip(header, flagged.rows[0]))
    assert (first["Salesperson"], first["Name"], first["Customer ID"], first["Order no."]) == ("S1", "张三", "C1", "OL2")
    assert first["Problem"] == "below minimum price; discount beyond maximum"
    total = spec.blocks[0].rows[-1]
    assert total[:4] == ["Total", None, 7, 2]
    missing = spec.blocks[-1]
    assert missing.rows == [["P2", "产品P2", 2, Link("Orders!F8", "Orders!F8")]]


def test_an_empty_book_checks_nothing():
    result, issues = run_pass(make_book({}, settings={"as_of_date": dt.date(2025, 12, 31)}), "pricing")
    assert result.lines.empty and result.missing.empty and issues == []
    assert len(price_sheet(result, "zh").blocks[0].rows) == 1  # the total row


@pytest.mark.slow
def test_demo_office_end_to_end():
    from salesxl import pipeline
    from salesxl.demo import generate_office
    from tests.books import frames_book

    office = generate_office("S", 7)
    book = frames_book(office.tables, office.settings)
    run = pipeline.run(book, ["expense_report", "price_check", "contracts", "reminders"])
    names = {s.key: s.name for s in run.sheets}
    assert {"expense_report": "费用报表", "price_check": "价格执行", "contracts": "合同询价统计",
            "reminders": "提醒"}.items() <= names.items()
    checked = run.results["pricing"].lines
    flagged = checked[checked["flagged"]]
    assert len(flagged) > 0 and (flagged["unit_price"] < flagged["floor"] - 1e-6).all()
    assert not (checked.loc[~checked["flagged"], "unit_price"] < checked.loc[~checked["flagged"], "floor"] - 1e-6).any()
    spent = office.tables["expenses"]
    as_of = run.results["expenses"].as_of
    in_year = spent[(spent["date"].dt.year == as_of.year) & (spent["date"] <= pd.Timestamp(as_of))]
    assert run.results["expenses"].lines["actual"].sum() == pytest.approx(in_year["amount"].sum())
    rows = run.results["reminders"].rows
    rest = rows[~rows["kind"].isin(("urgent", "complaint"))]  # urgent visits and overdue complaints lead
    assert list(rest["date"]) == sorted(rest["date"])
