"""Reminders: holidays, birthdays across the year end, follow-ups, urgent visits, card reviews, contract ends."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from salesxl.core.sheetspec import Link
from salesxl.passes.reminders import next_birthday
from salesxl.reports.reminders import reminders_sheet
from tests.books import make_book, run_pass

PEOPLE = [{"salesperson_id": "S1", "name": "张三", "region": "天河"}]


def card(cid, status="active", updated="2025-09-01"):
    return {"customer_id": cid, "name": "客户" + cid, "salesperson_id": "S1", "status": status, "updated": updated}


def visit(vid, date, customer, next_date=None, **extra):
    return {"visit_id": vid, "date": date, "salesperson_id": "S1", "customer_id": customer, "next_date": next_date,
            "next_step": "送报价单", **extra}


CUSTOMERS = [card("C1"), card("C2"), card("C3"), card("C4", status="lost"), card("C5", updated="2025-01-01"),
             card("C6", updated="2025-03-20")]
VISITS = [
    visit("V1", "2025-09-01", "C1", "2025-09-15"),  # overdue, nobody went back
    visit("V2", "2025-09-01", "C2", "2025-09-10"),  # done: C2 was visited again on 09-12
    visit("V3", "2025-09-12", "C2"),
    visit("V4", "2025-09-01", "C3", "2025-11-30"),  # beyond the window
    visit("V5", "2025-08-01", "C4", "2025-08-15"),  # lost customer
    visit("V6", "2025-09-20", "C3", "2025-10-20", urgent=True, urgent_type="complaint", result="投诉送货延迟",
          followed_up=False),
    visit("V7", "2025-09-18", "C5", urgent=True, urgent_type="credit", followed_up=True),
]
CONTRACTS = [{"contract_id": "K1", "customer_id": "C1", "signed_date": "2024-10-01", "end_date": "2025-10-05",
              "amount": 50000, "status": "active"},
             {"contract_id": "K2", "customer_id": "C2", "signed_date": "2024-12-01", "end_date": "2025-11-30",
              "amount": 50000, "status": "active"}]


def remind(tables, as_of, lang="zh", **settings):
    book = make_book({"salespeople": PEOPLE, **tables}, lang=lang, settings={"as_of_date": as_of, **settings})
    found, _ = run_pass(book, "contracts")
    return run_pass(book, "reminders", contracts=found)


def kinds(result, kind):
    return result.rows[result.rows["kind"] == kind]


def test_national_day_is_reminded_a_few_days_before():
    result, issues = remind({}, dt.date(2025, 9, 25))
    holidays = kinds(result, "holiday")
    assert holidays["date"].tolist() == [dt.date(2025, 10, 1)]
    text = holidays["text"].iloc[0]
    assert text.startswith("国庆节") and "2025-10-08" in text and "8 天" in text
    assert issues == []


def test_holidays_in_english_and_outside_the_window():
    result, _ = remind({}, dt.date(2025, 9, 25), lang="en", reminder_days=5)
    assert kinds(result, "holiday").empty
    result, _ = remind({}, dt.date(2025, 9, 25), lang="en")
    assert kinds(result, "holiday")["text"].iloc[0].startswith("National Day, Mid-autumn Festival: off 2025-10-01")


def test_birthday_across_the_year_end():
    contacts = [{"contact_id": "L1", "customer_id": "C1", "name": "王五", "title": "经理", "birthday": "1990-01-03"},
                {"contact_id": "L2", "customer_id": "C1", "name": "赵六", "birthday": "1985-12-27"},  # just passed
                {"contact_id": "L3", "customer_id": "C4", "name": "钱七", "birthday": "1980-12-30"}]  # lost customer
    result, _ = remind({"customers": CUSTOMERS, "contacts": contacts}, dt.date(2025, 12, 28))
    birthdays = kinds(result, "birthday")
    assert birthdays["date"].tolist() == [dt.date(2026, 1, 3)]
    assert birthdays["text"].iloc[0] == "联系人 王五（经理） 生日" and birthdays["customer_id"].iloc[0] == "C1"
    assert birthdays["salesperson_id"].iloc[0] == "S1" and birthdays["cell"].iloc[0] == "联系人!I2"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2005, 12, 31)),
       st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_next_birthday_is_the_first_anniversary_on_or_after(birthday, day):
    found = next_birthday(birthday, day)
    assert day <= found < day + dt.timedelta(days=366)
    assert (found.month, found.day) == (birthday.month, birthday.day) or (birthday.month, birthday.day) == (2, 29)


def test_follow_ups_urgent_visits_card_reviews_and_contract_ends():
    tables = {"customers": CUSTOMERS, "visits": VISITS, "contracts": CONTRACTS}
    result, _ = remind(tables, dt.date(2025, 9, 25))
    follow = kinds(result, "follow_up")
    assert follow[["date", "customer_id"]].values.tolist() == [[dt.date(2025, 9, 15), "C1"]]
    assert follow["cell"].iloc[0] == "拜访记录!L2"
    urgent = kinds(result, "urgent")
    assert urgent["customer_id"].tolist() == ["C3"] and urgent["text"].iloc[0] == "客户投诉：投诉送货延迟"
    reviews = kinds(result, "card_review")  # updated 2025-01-01 + 180 days = 2025-06-30; C6 due 2025-09-16
    assert reviews[["date", "customer_id"]].values.tolist() == [[dt.date(2025, 6, 30), "C5"], [dt.date(2025, 9, 16), "C6"]]
    ends = kinds(result, "contract_end")
    assert ends[["date", "customer_id"]].values.tolist() == [[dt.date(2025, 10, 5), "C1"]]
    assert result.rows["kind"].iloc[0] == "urgent"  # at the top, though dated after other reminders
    rest = result.rows.iloc[1:]
    assert list(rest["date"]) == sorted(rest["date"])
    assert list(rest["kind"]) == ["card_review", "follow_up", "card_review", "holiday", "contract_end"]


def test_card_review_days_come_from_settings():
    result, _ = remind({"customers": CUSTOMERS}, dt.date(2025, 9, 25), card_review_days=400)
    assert kinds(result, "card_review").empty


def test_sheet_puts_urgent_first_and_links_the_source_cell():
    tables = {"customers": CUSTOMERS, "visits": VISITS, "contracts": CONTRACTS}
    result, _ = remind(tables, dt.date(2025, 9, 25), lang="en")
    spec = reminders_sheet(result, "en")
    summary, table = spec.blocks
    assert spec.name == "Reminders"
    assert summary.rows[-1] == ["Total", 6, 4]
    first = table.rows[0]
    assert first[:6] == [dt.date(2025, 9, 20), -5, "Urgent, not followed up", "S1", "张三", "C3"]
    assert first[-1] == Link("Visits!O7", "Visits!O7")
    holiday = next(r for r in table.rows if r[2] == "Public holiday")
    assert holiday[3] is None and holiday[5] is None and holiday[-1] is None
