"""Contracts signed and ending, inquiry reply times, and their sheet."""

from __future__ import annotations

import datetime as dt

import pytest

from salesxl.core.sheetspec import Link
from salesxl.reports.contracts import contracts_sheet
from salesxl.schema import OUTPUTS, TABLES
from tests.books import make_book, run_pass

PEOPLE = [{"salesperson_id": "S1", "name": "张三", "region": "天河"}, {"salesperson_id": "S2", "name": "李四", "region": "越秀"}]
CUSTOMERS = [
    {"customer_id": f"C{i}", "name": f"客户{i}", "salesperson_id": "S1" if i % 2 else "S2", "status": "active",
     "channel_type": "retailer" if i < 4 else "wholesaler"}
    for i in range(1, 8)
]


def contract(cid, customer, signed, end, amount=10000, status="active", salesperson=None):
    return {"contract_id": cid, "customer_id": customer, "salesperson_id": salesperson, "signed_date": signed,
            "end_date": end, "amount": amount, "status": status}


CONTRACTS = [
    contract("K1", "C1", "2024-07-10", "2025-07-15"),  # 15 days left
    contract("K2", "C2", "2025-01-05", "2025-08-20", 20000),  # 51 days
    contract("K3", "C3", "2025-01-20", "2025-09-20", 30000, salesperson="S2"),  # 82 days, signed by S2 for S1's card
    contract("K4", "C4", "2025-03-01", "2025-10-20", 40000),  # 112 days: beyond 90
    contract("K5", "C5", "2025-03-02", "2025-07-10", status="terminated"),
    contract("K6", "C6", "2024-07-01", "2025-07-05"),  # renewed by K7
    contract("K7", "C6", "2025-06-01", "2026-07-04", 50000),
    contract("K8", "C7", "2025-02-01", "2026-01-31", status="draft"),
]


def inquiry(qid, salesperson, received, quoted=None):
    return {"inquiry_id": qid, "customer_id": "C1", "salesperson_id": salesperson, "received_at": received,
            "quoted_at": quoted}


INQUIRIES = [
    inquiry("Q1", "S1", "2025-06-01 09:00", "2025-06-01 09:20"),  # 20 minutes: in time
    inquiry("Q2", "S1", "2025-06-01 09:00", "2025-06-01 09:45"),  # 45: late
    inquiry("Q3", "S1", "2025-06-02 10:00", "2025-06-02 10:30"),  # 30: just in time
    inquiry("Q4", "S1", "2025-06-20 15:00"),  # unanswered
    inquiry("Q5", "S2", "2025-05-01 08:00", "2025-05-01 08:05"),
    inquiry("Q6", "S2", "2024-12-30 11:00"),  # last year, still unanswered
    inquiry("Q7", "S2", "2025-04-01 12:00", "2025-04-01 11:00"),  # quoted before received
]


def run(lang="zh", **settings):
    book = make_book({"salespeople": PEOPLE, "customers": CUSTOMERS, "contracts": CONTRACTS, "inquiries": INQUIRIES},
                     lang=lang, settings={"as_of_date": dt.date(2025, 6, 30), **settings})
    return run_pass(book, "contracts")


def test_contracts_ending_in_30_60_90_days():
    result, _ = run()
    ending = result.ending.set_index("contract_id")
    assert ending["within"].to_dict() == {"K1": 30, "K2": 60, "K3": 90}
    assert ending["days_left"].to_dict() == {"K1": 15, "K2": 51, "K3": 82}
    assert ending.loc["K1", "cell"] == "合同!F2"


def test_contracts_signed_by_month_salesperson_and_channel():
    result, _ = run()
    months = result.signed_by("month").set_index("month")
    assert months.loc[1, "contracts"] == 2 and months.loc[1, "amount"] == 50000
    assert months.loc[3, "contracts"] == 2 and months.loc[6, "contracts"] == 1
    assert months.loc[2, "contracts"] == 0  # the draft is not signed
    assert months["contracts"].sum() == 5  # 2024 contracts are not this year's
    people = result.signed_by("salesperson_id").set_index("salesperson_id")
    assert people["contracts"].to_dict() == {"S1": 1, "S2": 4}  # C2, C4, C6 belong to S2; K3 is S2's own
    channels = result.signed_by("channel").set_index("channel")
    assert channels["amount"].to_dict() == {"retailer": 50000, "wholesaler": 100000}


def test_inquiry_reply_minutes_and_share_in_time():
    result, issues = run()
    replies = result.reply_by_salesperson().set_index("salesperson_id")
    assert replies.loc["S1", ["inquiries", "quoted", "in_time"]].tolist() == [4, 3, 2]
    assert replies.loc["S1", "share"] == pytest.approx(0.5)
    assert replies.loc["S1", "median_minutes"] == 30 and replies.loc["S1", "max_minutes"] == 45
    assert replies.loc["S2", ["inquiries", "in_time"]].tolist() == [2, 1]  # Q7 cannot count as in time
    assert list(result.unanswered["inquiry_id"]) == ["Q6", "Q4"]
    assert result.unanswered["age_days"].tolist() == [182, 10]
    assert [(i.code, i.cell) for i in issues] == [("INQUIRY_QUOTED_EARLY", "询价!E8")]


def test_reply_limit_comes_from_settings():
    result, _ = run(inquiry_reply_minutes=60)
    assert result.reply_by_salesperson().set_index("salesperson_id").loc["S1", "in_time"] == 3


def test_sheet_name_is_unique_and_the_sheet_lists_what_needs_doing():
    names = {n.casefold() for t in TABLES for n in t.names()}
    ours = next(o for o in OUTPUTS if o.key == "contracts")
    assert not {ours.zh.casefold(), ours.en.casefold()} & names
    assert all(len(n) <= 31 for n in ours.names())
    result, _ = run("en")
    spec = contracts_sheet(result, "en")
    assert spec.name == "ContractStats"
    ending = spec.blocks[3]
    assert "1 within 30 days, 2 within 60, 3 within 90" in ending.title
    assert [r[0] for r in ending.rows] == ["30 days", "31-60 days", "61-90 days"]
    assert ending.rows[0][1] == Link("K1", "Contracts!F2")
    reply = spec.blocks[4]
    assert reply.rows[-1][:6] == ["Total", None, 6, 4, 3, 0.5]
    assert "within 30 minutes" in reply.title
    open_ = spec.blocks[5]
    assert [r[0] for r in open_.rows] == [Link("Q6", "Inquiries!E7"), Link("Q4", "Inquiries!E5")]
    assert spec.charts[0].series[0].block == 0
