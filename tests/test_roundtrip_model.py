"""Model-based check of the merge engine consolidation uses: random office, copies, edits on both sides."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from salesxl.schema.tables import copy_may_edit
from salesxl.sharing.diff import Records, same
from salesxl.sharing.merge import merge_records

COLUMNS = ["customer_id", "name", "address", "credit_limit", "notes"]
VALUES = st.one_of(st.none(), st.sampled_from(["甲", "乙", "丙"]), st.integers(0, 3).map(float))


@st.composite
def office(draw):
    n = draw(st.integers(1, 5))
    base = {f"C{i:05d}": {"customer_id": f"C{i:05d}", **{c: draw(VALUES) for c in COLUMNS[1:]}} for i in range(n)}
    edit = st.tuples(st.sampled_from(sorted(base)), st.sampled_from(COLUMNS[1:]), VALUES)
    master_edits = draw(st.lists(edit, max_size=6))
    copies = draw(st.lists(st.lists(edit, max_size=6), min_size=1, max_size=3))
    order = draw(st.lists(st.integers(0, len(copies) - 1), min_size=1, max_size=6))
    return base, master_edits, copies, order


def _records(rows):
    return Records("customers", "customer_id", COLUMNS, {k: dict(v) for k, v in rows.items()})


def _edited(base, edits):
    rows = {k: dict(v) for k, v in base.items()}
    for key, column, value in edits:
        rows[key][column] = value
    return rows


@settings(max_examples=300)
@given(office())
def test_every_edit_ends_applied_kept_or_reported(case):
    base, master_edits, copies, order = case
    master = _edited(base, master_edits)
    master_changed = {(k, c) for k, c, _ in master_edits if not same(master[k][c], base[k][c])}
    done = set()
    for index in order:
        theirs = _edited(base, copies[index])
        merge = merge_records(_records(base), _records(master), _records(theirs), None, deletions=False,
                              number_mine=False)
        before = {k: dict(v) for k, v in master.items()}
        refused = set()
        for change in merge.changes:
            for column, (_, new) in change.fields.items():
                if copy_may_edit("customers", column):
                    master[change.row_id][column] = new
                else:
                    refused.add((change.row_id, column))
        conflicts = {(c.row_id, c.column) for c in merge.conflicts}
        for key, column in {(k, c) for k, c, _ in copies[index]}:
            wanted = theirs[key][column]
            if same(wanted, base[key][column]):
                continue  # edited back to what was sent: no edit
            assert same(master[key][column], wanted) or (key, column) in conflicts | refused, (key, column)
        for key, column in master_changed:  # the office's own edits are never overwritten by a conflict
            if (key, column) in conflicts:
                assert same(master[key][column], before[key][column])
        if index in done:
            assert master == before  # the same copy twice changes nothing
        done.add(index)


def test_an_edited_base_is_not_trusted():
    import datetime as dt

    from salesxl.sharing.base import BASE_KEY, ShareRegister, base_sheet, read_base

    register = ShareRegister.of({})
    register.fresh = False  # as the master holds it after the first share
    tables = {"customers": _records({"C00001": {"customer_id": "C00001", "name": "甲", "address": None,
                                                 "credit_limit": 5.0, "notes": None}})}
    spec, copy_id = base_sheet(register, "S01", tables, "zh", dt.datetime(2026, 7, 1))
    state = [[c.header for c in spec.blocks[0].columns], *spec.blocks[0].rows]
    base = read_base({BASE_KEY: state}, register)
    assert base is not None and base.copy_id == copy_id and base.tables["customers"].rows["C00001"]["credit_limit"] == 5
    tampered = [list(r) for r in state]
    row = next(r for r in tampered if r[0] == "customers")
    row[3] = row[3].replace("5", "999999")
    assert read_base({BASE_KEY: tampered}, register) is None
    assert read_base({BASE_KEY: state}, ShareRegister.of({})) is None  # another master's secret
