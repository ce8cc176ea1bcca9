"""The monthly customer report: each customer's visits, sales, payments and card changes of the as-of month."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from salesxl.reports.monthly_customer import monthly_frame, monthly_sheet
from tests.books import make_book, run_pass

D = dt.date


def _sold(book):
    """The book and its sales pass result, what the monthly report is built from."""
    return book, run_pass(book, "sales")[0]


def _book(lang="zh"):
    customers = [
        {"customer_id": "C1", "name": "甲商行", "salesperson_id": "S1", "status": "active", "updated": D(2025, 3, 9)},
        {"customer_id": "C2", "name": "乙超市", "salesperson_id": "S1", "status": "intent", "updated": D(2025, 1, 2)},
        {"customer_id": "C3", "name": "丙批发", "salesperson_id": "S2", "status": "active", "updated": D(2025, 2, 27)},
        {"customer_id": "C4", "name": "丁便利", "salesperson_id": "S2", "status": "prospect", "updated": D(2025, 3, 1)},
    ]
    visits = [
        {"visit_id": "V1", "date": D(2025, 3, 3), "salesperson_id": "S1", "customer_id": "C1", "result": "谈价格"},
        {"visit_id": "V2", "date": D(2025, 3, 20), "salesperson_id": "S1", "customer_id": "C1", "result": "已下单",
         "next_step": "安排送货"},
        {"visit_id": "V3", "date": D(2025, 2, 28), "salesperson_id": "S1", "customer_id": "C2", "result": "上月"},
        {"visit_id": "V4", "date": D(2025, 3, 5), "salesperson_id": "S9", "customer_id": "C3", "result": "代访"},
    ]
    orders = [
        {"line_id": "L1", "order_id": "O1", "date": D(2025, 3, 20), "customer_id": "C1", "salesperson_id": "S1",
         "product_id": "P", "quantity": 10, "unit_price": 100, "amount": 1000, "type": "sale"},
        {"line_id": "L2", "order_id": "O2", "date": D(2025, 3, 25), "customer_id": "C1", "salesperson_id": "S1",
         "product_id": "P", "quantity": -2, "unit_price": 100, "amount": -200, "type": "return"},
        {"line_id": "L3", "order_id": "O3", "date": D(2025, 3, 26), "customer_id": "C1", "salesperson_id": "S1",
         "product_id": "P", "quantity": 5, "unit_price": 100, "amount": 500, "status": "cancelled"},
        {"line_id": "L4", "order_id": "O4", "date": D(2025, 2, 26), "customer_id": "C2", "salesperson_id": "S1",
         "product_id": "P", "quantity": 5, "unit_price": 100, "amount": 500},
    ]
    payments = [
        {"payment_id": "P1", "date": D(2025, 3, 10), "customer_id": "C2", "amount": 300},
        {"payment_id": "P2", "date": D(2025, 4, 1), "customer_id": "C1", "amount": 800},
    ]
    people = [{"salesperson_id": "S1", "name": "张三"}, {"salesperson_id": "S2", "name": "李四"}]
    return make_book({"customers": customers, "visits": visits, "orders": orders, "payments": payments,
                      "salespeople": people}, lang=lang, settings={"as_of_date": dt.datetime(2025, 3, 31)})


def test_each_customer_shows_the_months_visits_sales_payments_and_card_changes():
    frame = monthly_frame(*_sold(_book())).set_index("customer_id")
    assert list(frame.index) == ["C1", "C2", "C3", "C4"]  # C1 and C2 under S1 (sales first), then S2
    c1 = frame.loc["C1"]
    assert (c1.visits, c1.last_visit.date(), c1.result, c1.next_step) == (2, D(2025, 3, 20), "已下单", "安排送货")
    assert c1.sales == 800 and c1.paid == 0  # the return counts, the cancelled line and April's payment do not
    assert c1.updated.date() == D(2025, 3, 9)
    c2 = frame.loc["C2"]
    assert (c2.visits, c2.sales, c2.paid) == (0, 0, 300) and pd.isna(c2.updated)
    assert frame.loc["C3", "salesperson_id"] == "S2" and frame.loc["C3", "visits"] == 1  # the card owner's, not the visitor's
    assert frame.loc["C4", "visits"] == 0 and frame.loc["C4", "updated"].date() == D(2025, 3, 1)


def test_sheet_has_one_block_per_salesperson_with_totals_in_the_books_language():
    sheet = monthly_sheet(*_sold(_book("en")))
    assert sheet.name == "MonthlyReport" and sheet.blocks[0].rows == [["2025-03"]]
    s1, s2 = sheet.blocks[2:]
    assert s1.title == "S1 张三 — customer report 2025-03" and s2.title.startswith("S2 李四")
    assert [r[0] for r in s1.rows] == ["C1", "C2", "Total"]
    assert s1.rows[0][2] == "Active" and s1.rows[-1][3] == 2 and s1.rows[-1][7] == 800 and s1.rows[-1][8] == 300


def test_a_month_without_activity_gives_just_the_month_line():
    book = make_book({"customers": [], "visits": []}, settings={"as_of_date": dt.datetime(2025, 3, 31)})
    assert monthly_sheet(*_sold(book)).blocks[2:] == []


def test_a_repeated_customer_id_still_gives_one_row_and_a_sheet():
    book = _book()
    cards = book.tables["customers"].frame
    twin = cards.iloc[[0]].copy()
    twin["_row"] = 99
    book.tables["customers"].frame = pd.concat([cards, twin], ignore_index=True)
    frame = monthly_frame(*_sold(book))
    assert list(frame["customer_id"]).count("C1") == 1
    assert monthly_sheet(*_sold(book)).blocks
