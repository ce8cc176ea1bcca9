"""Consolidation of returned salesperson copies into the master, and the row writer it relies on."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from salesxl.files import init_workbook
from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.sharing.consolidate import consolidate
from salesxl.sharing.share import share_file
from tests.support import FIXTURES, WORKBOOKS, needs_libreoffice, parts, sheet_rows

DEMO = WORKBOOKS / "demo.xlsx"


def _edit(path: Path, changes: dict) -> None:
    apply_row_changes(path, changes, backup=False)


def _row_of(book, table: str, column: str, value) -> int:
    frame = book.frame(table)
    return int(frame.loc[frame[column] == value, "_row"].iloc[0])


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    master = folder / "master.xlsx"
    shutil.copyfile(DEMO, master)
    inbox = folder / "inbox"
    inbox.mkdir()
    office = read_book(master)
    customers = office.frame("customers")
    own = {s: customers.loc[customers["salesperson_id"] == s, "customer_id"].tolist() for s in ("S01", "S02", "S03")}
    for person in ("S01", "S02", "S03"):
        share_file(master, person, inbox / f"拜访_{person}.xlsx", redact_personal=person == "S03", book=office)

    s01 = inbox / "拜访_S01.xlsx"
    copy = read_book(s01)
    _edit(s01, {
        "visits": TableChanges(appends=[
            {"date": pd.Timestamp("2026-07-20"), "salesperson_id": "S01", "customer_id": own["S01"][0], "purpose": "新品推介"},
            {"date": pd.Timestamp("2026-07-21"), "salesperson_id": "S01", "customer_id": own["S01"][1], "purpose": "收款"}]),
        "customers": TableChanges(updates={_row_of(copy, "customers", "customer_id", own["S01"][0]): {"employees": 88}},
                                  appends=[{"customer_id": "C09001", "name": "新潜在客户乙", "region": "天河区", "status": "prospect"}]),
    })
    s02 = inbox / "拜访_S02.xlsx"
    taken = "C09001"
    _edit(s02, {
        # a new prospect with the same made-up ID as S01's: it gets a new ID, and its visit follows it
        "customers": TableChanges(appends=[{"customer_id": taken, "name": "新潜在客户甲", "region": "天河区", "status": "prospect"}]),
        "visits": TableChanges(appends=[{"date": pd.Timestamp("2026-07-22"), "salesperson_id": "S02", "customer_id": taken,
                                         "purpose": "初访"}]),
    })
    s03 = inbox / "拜访_S03.xlsx"
    copy = read_book(s03)
    row = _row_of(copy, "customers", "customer_id", own["S03"][0])
    _edit(s03, {
        "customers": TableChanges(updates={row: {"notes": "改为月结", "salesperson_id": "S01"}}),
        "visits": TableChanges(appends=[{"date": pd.Timestamp("2026-07-23"), "salesperson_id": "S03", "customer_id": own["S01"][2],
                                         "purpose": "越界拜访"}]),
    })
    report = consolidate(master, inbox, now=dt.datetime(2026, 7, 31, 18, 0), recalc=False)
    return master, office, own, report


@pytest.mark.slow
def test_accepted_rows_land_in_the_master(consolidated):
    master, office, own, report = consolidated
    after = read_book(master)
    visits = after.frame("visits")
    old = len(office.frame("visits"))
    new = visits.iloc[old:]
    assert new["purpose"].tolist() == ["新品推介", "收款", "初访"]
    highest = max(int(v[1:]) for v in office.frame("visits")["visit_id"].dropna())
    assert new["visit_id"].tolist() == [f"V{highest + n:07d}" for n in (1, 2, 3)]  # numbered after the highest ID
    customers = after.frame("customers").set_index("customer_id", drop=False)
    assert customers.loc[own["S01"][0], "employees"] == 88
    prospects = customers[customers["name"].str.startswith("新潜在客户")]
    assert prospects[["customer_id", "name", "salesperson_id"]].values.tolist() == [
        ["C09001", "新潜在客户乙", "S01"], ["C09002", "新潜在客户甲", "S02"]]
    assert new["customer_id"].iloc[2] == "C09002"  # the prospect's visit points to its new ID
    # the refused edits are not in the master
    assert "越界拜访" not in set(visits["purpose"].dropna())
    first = customers.loc[own["S03"][0]]
    assert first["salesperson_id"] == "S03"
    # a redacted copy's masked personal data did not overwrite the master's
    assert after.frame("contacts")["mobile"].tolist() == office.frame("contacts")["mobile"].tolist()
    assert after.frame("contacts")["birthday"].equals(office.frame("contacts")["birthday"])
    assert master.with_name("master.bak.xlsx").exists()


@pytest.mark.slow
def test_merge_log_lists_every_decision(consolidated):
    master, office, own, report = consolidated
    log = sheet_rows(master, "合并记录")
    header = next(i for i, r in enumerate(log) if r[0] == "时间")
    rows = [dict(zip(log[header], r)) for r in log[header + 1:]]
    decided = {(r["文件"], r["表"], r["字段"], r["结果"], r["原因"]) for r in rows}
    assert ("拜访_S01.xlsx", "客户档案", "员工人数", "接受", "") in decided
    assert ("拜访_S03.xlsx", "客户档案", "负责销售员", "拒绝", "负责销售员只能由办公室调整") in decided
    assert ("拜访_S03.xlsx", "客户档案", "备注", "拒绝", "负责销售员只能由办公室调整") in decided
    assert ("拜访_S03.xlsx", "拜访记录", "", "拒绝", "不是该销售员的客户或记录") in decided
    renumbered = [r for r in rows if r["操作"] == "新增行（改编号）"]
    assert [(r["编号"], r["原值"], r["结果"]) for r in renumbered] == [("C09002", "C09001", "接受")]
    assert sum(1 for r in rows if r["结果"] == "接受" and r["表"] == "拜访记录") == 3
    assert len(rows) == len(report.log)
    assert not any(r["文件"] == "拜访_S02.xlsx" and r["表"] == "联系人" for r in rows)


# ---- rows.py ---------------------------------------------------------------------------------------

def _changed_parts(before: Path, after: Path) -> set[str]:
    old, new = parts(before), parts(after)
    assert set(old) <= set(new)
    return {name for name in new if old.get(name) != new[name]}


@pytest.mark.slow
def test_row_changes_leave_every_other_part_byte_identical(tmp_path):
    source = tmp_path / "demo.xlsx"
    shutil.copyfile(DEMO, source)
    book = read_book(source)
    out = tmp_path / "out.xlsx"
    result = apply_row_changes(source, {
        "contacts": TableChanges(updates={2: {"mobile": "13800001111", "notes": "=HYPERLINK(\"x\")"}},
                                 appends=[{"contact_id": "LX999999", "customer_id": "C00001", "name": "新联系人",
                                           "birthday": pd.Timestamp("1990-05-06"), "key_person": True}])},
        book=book, out=out)
    assert _changed_parts(source, out) == {"xl/worksheets/sheet4.xml", "xl/tables/table_sxl_4.xml"}
    after = read_book(out)
    contacts = after.frame("contacts")
    assert contacts.loc[0, "mobile"] == "13800001111" and contacts.loc[0, "notes"] == "=HYPERLINK(\"x\")"
    assert contacts.iloc[-1]["name"] == "新联系人" and contacts.iloc[-1]["birthday"] == pd.Timestamp("1990-05-06")
    assert contacts.iloc[-1]["key_person"] is True or contacts.iloc[-1]["key_person"] == True  # noqa: E712
    assert result.appended == {"contacts": [len(contacts) + 1]}
    assert f'ref="A1:M{len(contacts) + 1}"' in parts(out)["xl/tables/table_sxl_4.xml"].decode()
    # untouched rows keep their exact XML
    old_sheet, new_sheet = parts(source)["xl/worksheets/sheet4.xml"], parts(out)["xl/worksheets/sheet4.xml"]
    row3 = old_sheet[old_sheet.index(b'<row r="3"'):old_sheet.index(b'<row r="4"')]
    assert row3 in new_sheet
    assert len(after.issues) == len(book.issues)


@pytest.mark.parametrize("name", ["63934.xlsx", "WithThreeCharts.xlsx", "ConditionalFormattingSamples.xlsx"])
def test_row_changes_on_excel_made_files(tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    init_workbook(path)
    before = tmp_path / ("before-" + name)
    shutil.copyfile(path, before)
    apply_row_changes(path, {
        "customers": TableChanges(appends=[{"customer_id": "C00001", "name": "一号", "region": "天河区", "salesperson_id": "S01",
                                            "status": "prospect", "created": pd.Timestamp("2026-01-02")},
                                           {"customer_id": "C00002", "name": "二号", "region": "海珠区", "salesperson_id": "S01",
                                            "status": "active", "credit_limit": 5000.0}]),
        "visits": TableChanges(appends=[{"visit_id": "V0000001", "date": pd.Timestamp("2026-01-03"), "salesperson_id": "S01",
                                         "customer_id": "C00001"}]),
    }, backup=False)
    changed = _changed_parts(before, path)
    allowed = {"xl/styles.xml", "xl/workbook.xml"}
    assert all(n.startswith(("xl/worksheets/sheet", "xl/tables/table")) or n in allowed for n in changed), changed
    assert len([n for n in changed if n.startswith("xl/worksheets/")]) == 2
    book = read_book(path)
    assert book.frame("customers")["customer_id"].tolist() == ["C00001", "C00002"]
    assert book.frame("customers")["created"].iloc[0] == pd.Timestamp("2026-01-02")
    assert book.frame("visits")["customer_id"].tolist() == ["C00001"]


@needs_libreoffice
def test_libreoffice_opens_a_workbook_with_written_rows(tmp_path):
    path = tmp_path / "63934.xlsx"
    shutil.copyfile(FIXTURES / "63934.xlsx", path)
    init_workbook(path)
    apply_row_changes(path, {"customers": TableChanges(appends=[
        {"customer_id": "C00001", "name": "一号 & <二>", "region": "天河区", "salesperson_id": "S01", "status": "prospect"}])},
        backup=False)
    sheets = libreoffice.sheets_as_csv(path)
    rows = sheets[read_book(path).table("customers").sheet]
    assert rows[1][:2] == ["C00001", "一号 & <二>"]


@pytest.mark.slow
def test_a_later_consolidation_keeps_the_earlier_decisions(consolidated, tmp_path):
    master, office, own, report = consolidated
    again = tmp_path / "master.xlsx"
    shutil.copyfile(master, again)
    (tmp_path / "empty").mkdir()
    second = consolidate(again, tmp_path / "empty", now=dt.datetime(2026, 8, 31, 18, 0), recalc=False)
    assert second.log == []
    before, after = sheet_rows(master, "合并记录"), sheet_rows(again, "合并记录")
    start = next(i for i, r in enumerate(after) if r[0] == "时间") + 1
    assert len(after) - start == len(report.log)
    kept = [row[:11] for row in after[start:]]
    assert kept == [row[:11] for row in before[start:]]
