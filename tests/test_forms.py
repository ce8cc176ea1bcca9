"""Customer self-filled forms: written from the card, filled in by the customer, read back without losing anything."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, strategies as st

from salesxl.files import recalc_file
from salesxl.forms import import_forms, write_customer_form
from salesxl.passes.forms.conflicts import COLUMNS, Conflict, conflicts_sheet, parse_conflicts
from salesxl.forms.writer import FORM_SHEET, MARKER_SHEET
from salesxl.io.reader import read_book
from salesxl.passes.form_conflicts import form_conflicts
from tests.books import make_book, run_pass
from tests.support import WORKBOOKS, copy_to, needs_libreoffice, parts, sheet_part, sheet_rows

TODAY = dt.date(2026, 11, 3)
NEW_EMAIL = "buyer@example.com"
NEW_PHONE = "020-66668888"


def _cells(form: Path) -> dict[str, str]:
    """Field key -> cell, from the form's hidden marker."""
    return {r[0]: r[1] for r in sheet_rows(form, MARKER_SHEET)[1:]}


def _fill(form: Path, out: Path, values: dict[str, object], marker: dict[str, str] | None = None,
          drop_marker: bool = False) -> Path:
    """What a customer does: type into the form (and what a tamperer does to the marker)."""
    cells = _cells(form)
    book = openpyxl.load_workbook(form)
    sheet = book[FORM_SHEET["zh"]]
    for key, value in values.items():
        sheet[cells[key]] = value
    hidden = book[MARKER_SHEET]
    for row in hidden.iter_rows(min_row=2):
        if marker and row[0].value in marker:
            row[1].value = marker[row[0].value]
    if drop_marker:
        del book[MARKER_SHEET]
    book.save(out)
    return out


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    path = copy_to(WORKBOOKS / "demo.xlsx", folder, "office.xlsx")
    cards = read_book(path).frame("customers")
    chosen = cards[(cards["data_source"] == "agency") & cards["email"].isna() & cards["phone"].notna()
                   & (cards["status"] == "active") & ~cards["audited"].fillna(False).astype(bool)].iloc[0]
    return path, folder, chosen


@pytest.fixture(scope="module")
def round_trip(office):
    path, folder, card = office
    form = folder / "form.xlsx"
    write_customer_form(path, form, card["customer_id"])
    filled = _fill(form, folder / "filled.xlsx", {"email": NEW_EMAIL, "phone": NEW_PHONE})
    before = parts(path)
    result = import_forms(path, [filled], today=TODAY)
    return path, folder, card, form, before, result


@pytest.mark.slow
def test_form_is_prefilled_from_the_card_with_dropdowns_and_a_hidden_marker(round_trip):
    _path, _folder, card, form, _before, _result = round_trip
    cells = _cells(form)
    book = openpyxl.load_workbook(form)
    sheet = book[FORM_SHEET["zh"]]
    assert sheet[cells["name"]].value == card["name"] and sheet[cells["uscc"]].value == card["uscc"]
    assert sheet[cells["channel_type"]].value in ("批发商", "零售商", "代理商", "加盟店", "连锁店", "专卖店")
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert '"商业中心,交通枢纽,居民区,其他"' == lists[cells["location_type"]]
    assert book[MARKER_SHEET].sheet_state == "hidden" and "salesperson_id" not in cells and "status" not in cells
    assert "sales_capacity" not in cells


@pytest.mark.slow
def test_import_updates_the_card_lists_changes_and_keeps_recorded_values(round_trip):
    path, _folder, card, _form, _before, result = round_trip
    (outcome,) = result.forms
    assert outcome.imported and not outcome.created and outcome.customer_id == card["customer_id"]
    assert [(c.field, c.old, c.new) for c in outcome.changed] == [("email", "", NEW_EMAIL)]
    assert [(c.field, c.old, c.new) for c in outcome.conflicts] == [("phone", card["phone"], NEW_PHONE)]
    after = read_book(path).frame("customers").set_index("customer_id").loc[card["customer_id"]]
    assert after["email"] == NEW_EMAIL and after["phone"] == card["phone"]
    assert after["data_source"] == "self_filled" and not after["audited"]
    assert after["updated"] == pd.Timestamp(TODAY)


@pytest.mark.slow
def test_nothing_else_in_the_office_workbook_changes(round_trip):
    path, _folder, card, _form, before, _result = round_trip
    after = parts(path)
    customers = sheet_part(path, "客户档案")
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"} | \
        {name for name in after if after[name] == customers}
    assert all(name in after for name in before)
    new_parts = set(after) - set(before)
    assert all(name.startswith("xl/worksheets/sheet_sxl_form_conflicts") for name in new_parts), new_parts
    rows_before = [r for r in sheet_rows(WORKBOOKS / "demo.xlsx", "客户档案")]
    rows_after = sheet_rows(path, "客户档案")
    differing = [i for i, (a, b) in enumerate(zip(rows_before, rows_after)) if a != b]
    assert differing == [int(card["_row"]) - 1] and len(rows_before) == len(rows_after)


@pytest.mark.slow
def test_the_conflict_shows_in_validation_after_recalc(round_trip):
    path, folder, card, _form, _before, _result = round_trip
    out = folder / "recalculated.xlsx"
    assert recalc_file(path, out=out, outputs=["validation"]).ok
    lines = [" ".join(str(v) for v in row) for row in sheet_rows(out, "校验结果")]
    found = [line for line in lines if "FORM_CONFLICT" in line and card["customer_id"] in line]
    assert len(found) == 1 and NEW_PHONE in found[0] and card["phone"] in found[0]
    assert parse_conflicts(sheet_rows(out, "客户自填冲突"))[0].form_value == NEW_PHONE  # the state survives the run


@pytest.mark.slow
def test_tampered_half_filled_and_new_customer_forms(office):
    path, folder, card = office
    blank = folder / "blank.xlsx"
    write_customer_form(path, blank)
    mine = folder / "mine.xlsx"
    write_customer_form(path, mine, card["customer_id"])
    forms = [_fill(mine, folder / "no_marker.xlsx", {"email": "x@example.com"}, drop_marker=True),
             _fill(mine, folder / "other.xlsx", {"email": "x@example.com"}, marker={"office": "0" * 20}),
             _fill(blank, folder / "half.xlsx", {"email": "x@example.com"}),
             _fill(blank, folder / "new.xlsx", {"name": "新客户商行", "employees": 12, "founded": dt.date(2020, 5, 1)})]
    ids_before = set(read_book(path).frame("customers")["customer_id"])
    result = import_forms(path, forms, today=TODAY)
    no_marker, other, half, new = result.forms
    assert not no_marker.imported and "标记" in no_marker.messages[0]
    assert not other.imported and "不属于本工作簿" in other.messages[0]
    assert not half.imported and "客户名称" in half.messages[0] and "必填" in half.messages[0]
    assert new.imported and new.created and new.customer_id not in ids_before
    numbers = [int(re.sub(r"\D", "", c)) for c in ids_before]
    assert int(re.sub(r"\D", "", new.customer_id)) == max(numbers) + 1
    created = read_book(path).frame("customers").set_index("customer_id").loc[new.customer_id]
    assert created["name"] == "新客户商行" and created["employees"] == 12 and created["status"] == "prospect"
    assert created["data_source"] == "self_filled" and created["founded"] == pd.Timestamp(2020, 5, 1)


def _conflict_book(audited, phone):
    card = {"customer_id": "C1", "name": "甲", "phone": phone, "data_source": "self_filled", "audited": audited}
    state = conflicts_sheet([Conflict(TODAY, "f1", "C1", "phone", "020-11112222", NEW_PHONE)], "zh")
    rows = [["x"], [], [c.header for c in state.blocks[0].columns], *state.blocks[0].rows]
    book = make_book({"customers": [card]})
    book.state["form_conflicts"] = rows
    return book


@pytest.mark.parametrize("audited, phone, still_open", [
    (False, "020-11112222", True),   # nobody has looked at it yet
    (True, "020-11112222", True),    # an audited card: the office has not accepted the customer's value yet
    (False, NEW_PHONE, False),       # the customer's figure was taken over
    (None, "020-33334444", False),   # someone typed another value
])
def test_a_conflict_stays_open_until_settled_on_the_card(audited, phone, still_open):
    found, issues = form_conflicts(_conflict_book(audited, phone))
    assert [open_ for _, open_ in found.checked] == [still_open]
    assert len(issues) == still_open and (not issues or issues[0].cell == "客户档案!E2")


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).map(str.strip) \
    .filter(bool)


@given(st.lists(st.tuples(_texts, _texts, st.sampled_from(["phone", "email", "address"]), st.text(max_size=8),
                          st.text(max_size=8)), max_size=5))
def test_the_state_sheet_reads_back_what_was_written(items):
    conflicts = [Conflict(TODAY, f, c, field, card.strip(), form.strip()) for f, c, field, card, form in items]
    sheet = conflicts_sheet(conflicts, "en")
    rows = [["generated by salesxl"], [], [h for _, _, h in COLUMNS], *[[v if v is not None else "" for v in r]
                                                                       for r in sheet.blocks[0].rows]]
    assert parse_conflicts(rows) == conflicts


# ---- a form for an audited card (C00012): conflicts on Validation until the office accepts them ----------

AUDITED = "C00012"
ANSWERS = {"email": "purchase@lichuang.example.cn", "phone": "020-87654321", "employees": 31,
           "address": "广州市天河区天河路853号5楼"}


@pytest.fixture(scope="module")
def audited_import(tmp_path_factory):
    from typer.testing import CliRunner

    from salesxl.cli import app

    folder = tmp_path_factory.mktemp("audited")
    path = copy_to(WORKBOOKS / "demo.xlsx", folder, "office.xlsx")
    before = read_book(path).frame("customers").set_index("customer_id").loc[AUDITED]
    assert before["audited"] and all(str(before[k]) != str(v) for k, v in ANSWERS.items())
    form = folder / "form.xlsx"
    result = CliRunner().invoke(app, ["form", "customer", str(path), "--for", AUDITED, "-o", str(form)])
    assert result.exit_code == 0, result.output
    filled = _fill(form, folder / "filled.xlsx", ANSWERS)
    imported = CliRunner().invoke(app, ["form", "import", str(path), str(filled)])
    return path, folder, form, before, imported


@pytest.mark.slow
def test_differences_from_an_audited_card_are_form_conflicts_on_validation(audited_import):
    path, _folder, _form, before, imported = audited_import
    assert imported.exit_code == 0, imported.output
    card = read_book(path).frame("customers").set_index("customer_id").loc[AUDITED]
    assert card.drop("_row").equals(before.drop("_row"))  # the card waits for the office
    rows = sheet_rows(path, "校验结果")
    header = next(i for i, r in enumerate(rows) if "问题描述" in r)
    issues = [dict(zip(rows[header], r)) for r in rows[header + 1:] if "FORM_CONFLICT" in r]
    letters = read_book(path).table("customers").letters
    assert {(i["工作表"], i["单元格"]) for i in issues} == {("客户档案", f"{letters[k]}{before['_row']}") for k in ANSWERS}
    for issue in issues:
        assert AUDITED in issue["问题描述"] and "客户" in issue["问题描述"]
    shown = " ".join(i["问题描述"] for i in issues)
    assert all(str(v) in shown for v in ANSWERS.values())
    # the console said where the differences are, and they are there
    assert imported.output.count("校验结果") >= len(ANSWERS)
    state = sheet_rows(path, "客户自填冲突")
    assert "电话" in {c for r in state for c in r} and "phone" not in {c for r in state for c in r}


@pytest.mark.slow
def test_the_office_accepts_a_field_and_the_others_stay_open(audited_import, tmp_path):
    from typer.testing import CliRunner

    from salesxl.cli import app

    path, _folder, _form, before, _imported = audited_import
    office = copy_to(path, tmp_path, "office.xlsx")
    result = CliRunner().invoke(app, ["form", "accept", str(office), AUDITED, "--field", "email", "--no-recalc"])
    assert result.exit_code == 0, result.output
    assert ANSWERS["email"] in result.output
    book = read_book(office)
    card = book.frame("customers").set_index("customer_id").loc[AUDITED]
    assert card["email"] == ANSWERS["email"] and card["phone"] == before["phone"]
    _checked, issues = run_pass(book, "form_conflicts")
    assert {i.column for i in issues if AUDITED in i.message} == set(ANSWERS) - {"email"}
    state = " ".join(str(c) for r in sheet_rows(office, "客户自填冲突") for c in r)
    assert "接受" in state  # the decision is logged with the conflict
    rest = CliRunner().invoke(app, ["form", "accept", str(office), AUDITED, "--no-recalc"])
    assert rest.exit_code == 0, rest.output
    card = read_book(office).frame("customers").set_index("customer_id").loc[AUDITED]
    assert card["phone"] == ANSWERS["phone"] and card["employees"] == ANSWERS["employees"]
    assert not [i for i in form_conflicts(read_book(office))[1] if AUDITED in i.message]


@pytest.mark.slow
def test_the_form_shows_nothing_the_office_keeps_internal(audited_import):
    from salesxl.passes.forms.fields import INTERNAL
    from salesxl.schema import TABLES_BY_KEY

    _path, _folder, form, before, _imported = audited_import
    columns = TABLES_BY_KEY["customers"]
    shown = {str(c) for r in sheet_rows(form, FORM_SHEET["zh"]) for c in r}
    shown |= {str(c) for r in sheet_rows(form, MARKER_SHEET) for c in r}
    for key in ("sales_capacity", "credit_standing", "notes", "credit_limit"):
        assert key in INTERNAL
    for key in INTERNAL - {"customer_id"}:  # the customer's own ID names the form
        column = columns.column(key)
        assert column.zh not in shown and key not in shown, key
    assert "弱" not in shown  # C00012's sales capacity


@needs_libreoffice
def test_the_form_prints_on_one_a4_page(audited_import, tmp_path):
    import subprocess

    from salesxl.io import libreoffice

    _path, _folder, form, _before, _imported = audited_import
    pdf = libreoffice.to_pdf(form, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 portrait, in points


@pytest.mark.slow
def test_the_office_rejects_a_field_and_the_card_keeps_its_value(audited_import, tmp_path):
    from typer.testing import CliRunner

    from salesxl.cli import app

    path, _folder, _form, before, _imported = audited_import
    office = copy_to(path, tmp_path, "office.xlsx")
    result = CliRunner().invoke(app, ["form", "accept", str(office), AUDITED, "--field", "电话", "--reject", "--no-recalc"])
    assert result.exit_code == 0, result.output
    book = read_book(office)
    assert book.frame("customers").set_index("customer_id").loc[AUDITED, "phone"] == before["phone"]
    _checked, issues = run_pass(book, "form_conflicts")
    assert {i.column for i in issues if AUDITED in i.message} == set(ANSWERS) - {"phone"}
    again = CliRunner().invoke(app, ["form", "accept", str(office), AUDITED, "--field", "phone", "--no-recalc"])
    assert again.exit_code == 2 and "没有待处理" in again.output
