"""Three-way merge: every one-sided edit kept, every clash reported, no row lost or doubled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from hypothesis import given, settings, strategies as st

from salesxl.core.book import ROW
from salesxl.io.reader import read_book
from salesxl.io.rows import TableChanges, apply_row_changes
from salesxl.io.xlsx import new_workbook
from salesxl.sharing.diff import Records, content, same
from salesxl.sharing.identity import IdRegister, IdSequence, register_marks
from salesxl.sharing.merge import merge_files, merge_records
from salesxl.workbook.template import input_sheets
from tests.support import sheet_rows

FIELDS = ["purpose", "result"]
VALUES = st.sampled_from(["a", "b", "c", None])


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["visit_id", *FIELDS]) if rows else pd.DataFrame(columns=["visit_id", *FIELDS])
    out[ROW] = range(2, len(out) + 2)
    return out


@st.composite
def sides(draw):
    """A base table and two edited versions of it (edits, deletions, new rows, rows without ID, clashing IDs)."""
    n = draw(st.integers(0, 6))
    base = [{"visit_id": f"V{i:04d}", "purpose": draw(VALUES), "result": draw(VALUES)} for i in range(1, n + 1)]

    def edited():
        rows = []
        for row in base:
            action = draw(st.sampled_from(["keep", "edit", "edit", "delete"]))
            if action == "delete":
                continue
            row = dict(row)
            if action == "edit":
                row[draw(st.sampled_from(FIELDS))] = draw(VALUES)
            rows.append(row)
        for _ in range(draw(st.integers(0, 3))):
            key = draw(st.sampled_from(["V0050", "V0051", "V0003", None]))
            rows.append({"visit_id": key, "purpose": draw(VALUES), "result": draw(VALUES)})
        return rows

    return base, edited(), edited()


def apply(mine: pd.DataFrame, merge) -> list[dict]:
    """MINE's rows with the merge's updates and appends, as rows.py writes them."""
    changes = merge.table_changes()
    rows = []
    for record in mine.to_dict("records"):
        rows.append({**record, **changes.updates.get(record[ROW], {})})
    return rows + [dict(r) for r in changes.appends]


@settings(max_examples=300, deadline=None)
@given(sides())
def test_merge_keeps_every_edit_and_reports_every_clash(case):
    base_rows, mine_rows, theirs_rows = case
    base, mine, theirs = (Records.from_frame("visits", frame(r), ["visit_id", *FIELDS])
                          for r in (base_rows, mine_rows, theirs_rows))
    sequence = IdSequence("V", 4, max([len(base_rows), 3]), {r["visit_id"] for r in mine_rows if r["visit_id"]})
    merge = merge_records(base, mine, theirs, sequence)
    out = apply(frame(mine_rows), merge)
    conflicts = {(c.row_id, c.column, c.kind) for c in merge.conflicts}

    ids = [r["visit_id"] for r in out]
    assert all(ids), "every row has an ID"
    # no row lost: every row of MINE is still there, where it was
    assert [r[ROW] for r in out if ROW in r] == list(range(2, len(mine_rows) + 2))
    by_id = {}
    for r in out:
        by_id.setdefault(r["visit_id"], []).append(r)
    base_ids = {r["visit_id"]: r for r in base_rows}
    for key, b in base_ids.items():
        m, t = mine.rows.get(key), theirs.rows.get(key)
        if m is not None and t is not None:
            row = next(r for r in out if r.get(ROW) == m[ROW])
            for f in FIELDS:
                if same(m[f], t[f]) or same(b[f], t[f]):
                    assert same(row[f], m[f])
                elif same(b[f], m[f]):
                    assert same(row[f], t[f]), "THEIRS' one-sided edit is in the output"
                else:
                    assert same(row[f], m[f]) and (key, f, "field") in conflicts
        elif m is not None:
            assert key in by_id and (key, None, "deleted_in_theirs") in conflicts
        elif t is not None:
            edited = any(not same(b[f], t[f]) for f in FIELDS)
            assert (key in by_id) == edited
            if edited:
                assert (key, None, "deleted_in_mine") in conflicts
                assert all(same(by_id[key][0][f], t[f]) for f in FIELDS)
    # rows THEIRS added are in the output (under their ID or a new one), exactly once unless MINE had them too
    out_content = [content(r, FIELDS) for r in out]
    for key, row in theirs.rows.items():
        if key not in base_ids:
            assert content(row, FIELDS) in out_content
    for row in theirs.unkeyed:
        if row["visit_id"] is None:
            assert content(row, FIELDS) in out_content
    # keyed rows of MINE keep their ID; IDs in the output are unique except where MINE itself repeated one
    repeated_in_mine = {k for k in ids if sum(1 for r in mine_rows if r["visit_id"] == k) > 1}
    assert all(len(v) == 1 for k, v in by_id.items() if k not in repeated_in_mine)


# ---- end to end, on real files ---------------------------------------------------------------------

PEOPLE = pd.DataFrame({"salesperson_id": ["S01", "S02"], "name": ["甲", "乙"], "region": ["天河区", "海珠区"]})


def _office(path: Path) -> None:
    customers = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(1, 5)], "name": ["一号", "二号", "三号", "四号"],
        "region": ["天河区"] * 4, "salesperson_id": ["S01", "S01", "S02", "S02"], "status": ["active"] * 4,
        "credit_limit": [1000.0, 2000.0, 3000.0, 4000.0]})
    visits = pd.DataFrame({
        "visit_id": ["V0000001", "V0000002"], "date": pd.to_datetime(["2025-03-01", "2025-03-02"]),
        "salesperson_id": ["S01", "S02"], "customer_id": ["C00001", "C00003"], "purpose": ["介绍", "回访"]})
    new_workbook(path, input_sheets("zh", {"salespeople": PEOPLE, "customers": customers, "visits": visits},
                                    {"as_of_date": dt.date(2025, 3, 31)}))


def test_merge_files_end_to_end(tmp_path: Path):
    base, mine, theirs, out = (tmp_path / n for n in ("base.xlsx", "mine.xlsx", "theirs.xlsx", "out.xlsx"))
    _office(base)
    for copy in (mine, theirs):
        copy.write_bytes(base.read_bytes())
    book = read_book(mine)
    apply_row_changes(mine, {"customers": TableChanges(updates={2: {"credit_limit": 1500.0}, 4: {"name": "三号甲"}}),
                             "visits": TableChanges(appends=[{"visit_id": "V0000003", "date": pd.Timestamp("2025-03-05"),
                                                              "salesperson_id": "S01", "customer_id": "C00002"}])},
                      book=book, backup=False)
    book = read_book(theirs)
    apply_row_changes(theirs, {"customers": TableChanges(updates={3: {"credit_limit": 2500.0}, 4: {"name": "三号乙"}}),
                               "visits": TableChanges(appends=[
                                   {"visit_id": "V0000003", "date": pd.Timestamp("2025-03-06"), "salesperson_id": "S02",
                                    "customer_id": "C00004"},
                                   {"date": pd.Timestamp("2025-03-07"), "salesperson_id": "S02", "customer_id": "C00003"}])},
                      book=book, backup=False)

    report = merge_files(base, mine, theirs, out, now=dt.datetime(2025, 4, 1))

    merged = read_book(out)
    customers = merged.frame("customers").set_index("customer_id")
    assert customers.loc["C00001", "credit_limit"] == 1500.0  # MINE's edit
    assert customers.loc["C00002", "credit_limit"] == 2500.0  # THEIRS' edit
    assert customers.loc["C00003", "name"] == "三号甲"  # clash: MINE's value stays ...
    assert [(c.row_id, c.column, c.theirs) for c in report.conflicts] == [("C00003", "name", "三号乙"), ("V0000003", None, None)]
    visits = merged.frame("visits")
    assert len(visits) == 5 and visits["visit_id"].is_unique  # 2 old + MINE's + THEIRS' two (one renumbered)
    assert set(visits["customer_id"]) == {"C00001", "C00002", "C00003", "C00004"}
    conflicts = sheet_rows(out, "冲突")
    text = [str(v) for row in conflicts for v in row]
    assert "三号乙" in text and "三号甲" in text  # ... and both values are listed
    assert any("客户档案!A4" == v for v in text)  # with a link to the row
    assert "客户分级" in merged.sheet_names  # recalculated


def test_ids_are_never_reused(tmp_path: Path):
    path = tmp_path / "office.xlsx"
    _office(path)
    book = read_book(path)
    marks = register_marks([["由 salesxl 生成"], [], ["表", "前缀", "位数", "已用最大号"], ["visits", "V", 7, 9]])
    visits = IdRegister.of(book, marks).get("visits")
    assert visits.used("V0000005")  # deleted before: never handed out again
    assert not visits.used("V0000010")
    assert visits.next() == "V0000010"
    customers = IdRegister.of(book).get("customers")  # no register yet: above the highest ID in the table
    assert customers.next() == "C00005"
    assert IdRegister.of(book).get("settings") is None
