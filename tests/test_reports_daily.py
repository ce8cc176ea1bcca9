"""Daily and weekly reports: counts on a small hand-made office."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from salesxl.passes.activity import grade_keys
from salesxl.registry import ReportContext
from salesxl.reports.daily_weekly import build_daily, build_weekly
from tests.books import make_book, run_pass

DAY = dt.date(2025, 3, 12)  # Wednesday of ISO week 2025-W11 (10-16 March)
T = dt.datetime


def _visit(n, day, sp, customer, **extra):
    return {"visit_id": f"V{n}", "date": day, "salesperson_id": sp, "customer_id": customer, **extra}


def _order(n, order, day, sp, customer, amount, **extra):
    return {"line_id": f"L{n}", "order_id": order, "date": day, "customer_id": customer, "salesperson_id": sp,
            "product_id": "P1", "quantity": 1, "unit_price": amount, "amount": amount, **extra}


def _inquiry(n, sp, received, minutes=None):
    quoted = received + dt.timedelta(minutes=minutes) if minutes is not None else None
    return {"inquiry_id": f"Q{n}", "salesperson_id": sp, "received_at": received, "quoted_at": quoted}


def _book(lang="zh", **settings):
    return make_book({
        "salespeople": [{"salesperson_id": "S1", "name": "甲", "region": "华南", "active": True},
                        {"salesperson_id": "S2", "name": "乙", "region": "华南", "active": True},
                        {"salesperson_id": "S3", "name": "丙", "region": "华南", "active": False}],
        "customers": [
            {"customer_id": "C1", "name": "=HYPERLINK(\"x\")", "salesperson_id": "S1", "status": "active"},
            {"customer_id": "C2", "name": "客户二", "salesperson_id": "S1", "status": "intent"},
            {"customer_id": "C3", "name": "客户三", "salesperson_id": "S2", "status": "prospect", "created": DAY},
            {"customer_id": "C4", "name": "客户四", "salesperson_id": "S2", "status": "intent"},
        ],
        "visits": [
            _visit(1, DAY, "S1", "C1", urgent=True, urgent_type="complaint", followed_up=False, result="投诉到货慢"),
            _visit(2, DAY, "S1", "C2", intent_level="high", next_step="报价", next_date=dt.date(2025, 3, 20)),
            _visit(3, DAY, "S1", "C2", intent_level="low"),
            _visit(4, dt.date(2025, 3, 11), "S1", "C1", urgent=True, urgent_type="credit", followed_up=True),
            _visit(5, dt.date(2025, 3, 1), "S1", "C1", next_date=dt.date(2025, 3, 8)),
            _visit(6, dt.date(2025, 3, 5), "S2", "C3", urgent=True, urgent_type="other"),
            _visit(7, DAY, "S2", "C3", intent_level="medium"),
            _visit(8, dt.date(2025, 3, 3), "S2", "C4", next_step="回访", next_date=dt.date(2025, 3, 10)),
        ],
        "orders": [_order(1, "O1", DAY, "S1", "C1", 1000), _order(2, "O1", DAY, "S1", "C1", 500),
                   _order(3, "O2", DAY, "S1", "C2", 300), _order(4, "O3", DAY, "S1", "C2", 200, type="return"),
                   _order(5, "O4", DAY, "S2", "C3", 900, status="cancelled"),
                   _order(6, "O5", dt.date(2025, 3, 10), "S2", "C3", 700),
                   _order(7, "O6", dt.date(2024, 6, 1), "S2", "C4", 5000)],
        "payments": [{"payment_id": "P1", "date": DAY, "customer_id": "C1", "amount": 800},
                     {"payment_id": "P2", "date": DAY, "customer_id": "C3", "amount": 50, "salesperson_id": "S1"}],
        "inquiries": [_inquiry(1, "S1", T(2025, 3, 12, 9, 0), 10), _inquiry(2, "S1", T(2025, 3, 12, 10, 0), 45),
                      _inquiry(3, "S1", T(2025, 3, 12, 11, 0)), _inquiry(4, "S2", T(2025, 3, 11, 9, 0), 5),
                      _inquiry(5, "S2", T(2025, 3, 12, 16, 0), 30)],
        "targets": [{"target_id": "T1", "year": 2025, "scope": "salesperson", "salesperson_id": "S1",
                     "amount": 1_200_000}],
    }, lang=lang, settings={"report_date": DAY, "seasonality_index": ",".join(["1"] * 12), **settings})


NOBODY_KEY = SimpleNamespace(customers=pd.DataFrame({"customer_id": [], "tier": []}))


def _run(book, grades=NOBODY_KEY):
    plan, _ = run_pass(book, "targets")
    result, _ = run_pass(book, "activity", targets=plan, grade=grades)
    return plan, result


def test_daily_counts_per_salesperson():
    _, act = _run(_book())
    daily = act.daily.set_index("salesperson_id")
    assert daily.index.tolist() == ["S1", "S2"]  # S3 is not active and did nothing
    s1, s2 = daily.loc["S1"], daily.loc["S2"]
    assert (s1["visits"], s1["intent_visits"], s1["new_cards"]) == (3, 1, 0)
    assert (s2["visits"], s2["intent_visits"], s2["new_cards"]) == (1, 1, 1)
    assert (s1["orders"], s1["order_amount"]) == (2, 1600)  # O1 and O2; the return O3 takes 200 off
    assert (s2["orders"], s2["order_amount"]) == (0, 0)  # O4 was cancelled
    assert (s1["collected"], s2["collected"]) == (850, 0)  # P1 via the card owner, P2 names S1
    assert (s1["inquiries"], s1["quoted"], s1["median_minutes"]) == (3, 2, 27.5)
    assert s1["within_limit"] == pytest.approx(1 / 3)  # 10 min only; 45 min late, one not quoted
    assert (s2["inquiries"], s2["within_limit"]) == (1, 1.0)  # exactly 30 minutes counts


def test_reply_limit_comes_from_settings():
    _, act = _run(_book(inquiry_reply_minutes=60))
    assert act.daily.set_index("salesperson_id").loc["S1", "within_limit"] == pytest.approx(2 / 3)


def test_urgent_visits_not_followed_up_are_listed_first():
    book = _book(lang="en")
    plan, act = _run(book)
    assert act.urgent[["customer_id", "urgent_type", "days_open"]].values.tolist() == [
        ["C3", "other", 7], ["C1", "complaint", 0]]
    sheet = build_daily(ReportContext(book, {"targets": plan, "activity": act}, []), act,
                        run_pass(book, "complaints")[0])
    assert sheet.name == "DailyReport"
    urgent = sheet.blocks[1]
    assert urgent.title == "Urgent visits not followed up" and [r[3] for r in urgent.rows] == ["C3", "C1"]
    assert urgent.rows[1][4] == '=HYPERLINK("x")' and urgent.rows[1][5] == "Complaint"
    daily = sheet.blocks[-1]  # under the overdue complaints
    assert daily.rows[-1][:8] == ["Total", None, 4, 1, 2, 2, 1600.0, 850.0]


def test_weekly_intent_key_customers_and_week_target():
    book = _book()
    plan, act = _run(book)
    assert (act.week_start, act.week_end) == (dt.date(2025, 3, 10), dt.date(2025, 3, 16))
    intent = act.intent.set_index("customer_id")
    assert intent.index.tolist() == ["C2", "C4"]
    assert intent.loc["C2", "last_visit"] == DAY and intent.loc["C2", "intent_level"] == "low"  # the later row
    assert (intent.loc["C4", "last_visit"], intent.loc["C4", "next_step"]) == (dt.date(2025, 3, 3), "回访")
    # nobody in the key tier: top customers by trailing 12-month net sales (C2: 300 - 200 returned)
    assert act.key_basis == "sales" and act.key_customers["customer_id"].tolist() == ["C4", "C1", "C3", "C2"]
    key = act.key_customers.set_index("customer_id")
    assert key.loc["C1", "sales_12m"] == 1500 and key.loc["C1", "urgent_open"] == 1
    assert key.loc["C3", "urgent_open"] == 1
    # S1: 100,000 in March over parts with 0,5,5,5,5,1 working days -> 23,810 for 10-16 March
    week = act.week.set_index("salesperson_id")
    assert (week.loc["S1", "target"], week.loc["S1", "actual"], week.loc["S1", "visits"]) == (23_810, 1600, 4)
    # S2 has no target: last year's 5,000 -> Q1 1,250 -> March 416 -> 0, 99, 99, 99, 99, 20 by working days
    assert (week.loc["S2", "target"], week.loc["S2", "actual"], week.loc["S2", "orders"]) == (99, 700, 1)
    sheet = build_weekly(ReportContext(book, {"targets": plan, "activity": act}, []), act,
                         run_pass(book, "market")[0])
    assert sheet.name == "周报" and sheet.blocks[0].rows == [["2025-W11", dt.date(2025, 3, 10), dt.date(2025, 3, 16)]]
    assert sheet.blocks[1].rows[-1][:4] == ["合计", None, 23_909, 2300.0]  # the week against its target first
    for block in sheet.blocks:
        assert all(len(row) == len(block.columns) for row in block.rows)


def test_overdue_next_visit_is_flagged():
    _, act = _run(_book())
    key = act.key_customers.set_index("customer_id")
    assert key.loc["C4", "next_date"] == dt.date(2025, 3, 10) and key.loc["C4", "overdue"]
    assert key.loc["C1", "next_date"] is None and not key.loc["C1", "overdue"]  # 12 March set no next date
    _, earlier = _run(_book(report_date=dt.date(2025, 3, 9)))
    key = earlier.key_customers.set_index("customer_id")
    assert key.loc["C4", "next_date"] == dt.date(2025, 3, 10) and not key.loc["C4", "overdue"]
    assert "C1" not in key.index  # nothing sold to C1 before 12 March


def test_key_customers_are_the_grades_key_tier():
    class Grades:
        def __init__(self):
            self.customers = pd.DataFrame({"customer_id": ["C2", "C3", "C1"], "tier": ["key", "ordinary", "key"]})

    assert grade_keys(Grades()) == ["C2", "C1"]
    _, act = _run(_book(), Grades())
    assert act.key_basis == "grade" and act.key_customers["customer_id"].tolist() == ["C2", "C1"]
