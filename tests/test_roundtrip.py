"""The email round trip: a copy carries its signed base, consolidation merges three ways and enforces rights."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.sharing.consolidate import consolidate
from salesxl.sharing.share import share_file
from salesxl.io import libreoffice
from tests.support import WORKBOOKS, needs_libreoffice, sheet_rows

DEMO = WORKBOOKS / "demo.xlsx"
NEW_ADDRESS = "广州市天河区体育东路1号"


def _row(book, table, column, value) -> int:
    frame = book.frame(table)
    return int(frame.loc[frame[column] == value, "_row"].iloc[0])


def _first(book, table, column, value, key):
    frame = book.frame(table)
    return frame.loc[frame[column] == value].iloc[0][key]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rt")
    master, inbox = folder / "master.xlsx", folder / "inbox"
    inbox.mkdir()
    shutil.copyfile(DEMO, master)
    copy = inbox / "S01.xlsx"
    share_file(master, "S01", copy)
    before = read_book(master)
    # the office changes S01's customer C00009 after sending the copy
    apply_row_changes(master, {"customers": TableChanges(
        updates={_row(before, "customers", "customer_id", "C00009"): {"address": NEW_ADDRESS}})}, backup=False)
    theirs = read_book(copy)
    line = _first(theirs, "orders", "status", "invoiced", "line_id")
    payment = theirs.frame("payments").iloc[0]["payment_id"]
    customer = _first(theirs, "customers", "customer_id", "C00012", "customer_id") \
        if "C00012" in set(theirs.frame("customers")["customer_id"]) else theirs.frame("customers").iloc[1]["customer_id"]
    target = theirs.frame("targets").iloc[0]["target_id"]
    apply_row_changes(copy, {
        "orders": TableChanges(updates={_row(theirs, "orders", "line_id", line): {"unit_price": 1.0, "amount": 3.0}}),
        "payments": TableChanges(updates={_row(theirs, "payments", "payment_id", payment): {"amount": 1.0}}),
        "customers": TableChanges(updates={_row(theirs, "customers", "customer_id", customer): {
            "credit_limit": 999999.0, "payment_days": 180, "notes": "周三上午拜访"}}),
        "targets": TableChanges(updates={_row(theirs, "targets", "target_id", target): {"amount": 1.0}}),
        "settings": TableChanges(updates={_row(theirs, "settings", "key", "company_name"): {"value": "改名公司"}}),
    }, backup=False)
    report = consolidate(master, inbox, now=dt.datetime(2026, 7, 31, 18, 0), recalc=False)
    return master, before, dict(line=line, payment=payment, customer=customer, target=target), report, inbox


@pytest.mark.slow
def test_an_untouched_field_of_a_stale_copy_keeps_the_offices_edit(office):
    master, before, ids, report, _ = office
    after = read_book(master)
    assert _first(after, "customers", "customer_id", "C00009", "address") == NEW_ADDRESS
    # the permitted edit of the same copy was applied
    assert _first(after, "customers", "customer_id", ids["customer"], "notes") == "周三上午拜访"


@pytest.mark.parametrize("table,key,column", [
    ("orders", "line", "unit_price"), ("orders", "line", "amount"), ("payments", "payment", "amount"),
    ("customers", "customer", "credit_limit"), ("customers", "customer", "payment_days"),
    ("targets", "target", "amount"), ("settings", None, "value")])
@pytest.mark.slow
def test_money_targets_and_settings_edits_are_refused_and_logged(office, table, key, column):
    master, before, ids, report, _ = office
    after = read_book(master)
    id_key = {"orders": "line_id", "payments": "payment_id", "customers": "customer_id", "targets": "target_id",
              "settings": "key"}[table]
    row_id = ids[key] if key else "company_name"
    assert _first(after, table, id_key, row_id, column) == _first(before, table, id_key, row_id, column)
    refused = [e for e in report.log if e.table == table and e.row_id == row_id and e.column == column]
    assert len(refused) == 1 and not refused[0].accepted and refused[0].row is not None
    log = sheet_rows(master, "合并记录")
    header = next(i for i, r in enumerate(log) if r[0] == "时间")
    rows = [dict(zip(log[header], r)) for r in log[header + 1:]]
    assert any(r["编号"] == row_id and r["结果"] == "拒绝" and r["原因"] and r["位置"] for r in rows)


@pytest.mark.slow
def test_the_same_copy_twice_applies_nothing_again(office, tmp_path):
    master, before, ids, report, inbox = office
    again = tmp_path / "master.xlsx"
    shutil.copyfile(master, again)
    second = consolidate(again, inbox, now=dt.datetime(2026, 8, 1, 9, 0), recalc=False)
    assert [e.reason for e in second.log] == ["duplicate"]
    assert len(read_book(again).frame("customers")) == len(read_book(master).frame("customers"))


@needs_libreoffice
def test_a_copy_resaved_by_libreoffice_still_consolidates(tmp_path):
    master, inbox, saved = tmp_path / "master.xlsx", tmp_path / "inbox", tmp_path / "saved"
    inbox.mkdir()
    saved.mkdir()
    shutil.copyfile(DEMO, master)
    copy = saved / "S02.xlsx"
    share_file(master, "S02", copy)
    theirs = read_book(copy)
    customer = theirs.frame("customers").iloc[0]["customer_id"]
    apply_row_changes(copy, {"customers": TableChanges(
        updates={_row(theirs, "customers", "customer_id", customer): {"notes": "LibreOffice 另存", "credit_limit": 5.0}})},
        backup=False)
    libreoffice.convert(copy, "xlsx", inbox)
    report = consolidate(master, inbox, now=dt.datetime(2026, 7, 31, 18, 0), recalc=False)
    reasons = {(e.column, e.accepted, e.reason) for e in report.log}
    assert reasons == {("notes", True, "ok"), ("credit_limit", False, "locked")}  # the base verified: no conflicts
    assert _first(read_book(master), "customers", "customer_id", customer, "notes") == "LibreOffice 另存"


@pytest.mark.slow
def test_the_copy_shows_what_the_office_keeps(office):
    """Office-only sheets are protected (no password) and locked columns say the office keeps them;
    the sheets where the salesperson adds rows stay unprotected so their Tables can grow."""
    from tests.support import sheet_part

    copy = office[4] / "S01.xlsx"
    for sheet in ("销售明细", "回款", "销售目标", "设置", "价格表"):
        assert b"<sheetProtection " in sheet_part(copy, sheet), sheet
        assert b'password' not in sheet_part(copy, sheet)
    for sheet in ("客户档案", "拜访记录", "联系人"):
        assert b"<sheetProtection " not in sheet_part(copy, sheet), sheet
    cards = sheet_part(copy, "客户档案").decode("utf-8")
    assert cards.count("由办公室维护") >= 5  # credit limit, payment days, terms, standing, salesperson…
    # and the copy still consolidates its permitted edit (the notes) while refusing the locked ones
    master = read_book(office[0])
    assert _first(master, "customers", "customer_id", office[2]["customer"], "notes") == "周三上午拜访"
