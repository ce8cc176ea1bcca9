"""The template: generated from the schema, shipped in workbooks/, read back cleanly."""

from __future__ import annotations


import openpyxl
import pytest

from salesxl.files import new_template
from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.schema import TABLES, ColType
from salesxl.docs import schema_markdown
from tests.support import ROOT, WORKBOOKS, needs_libreoffice, parts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shipped_template_is_what_the_schema_generates(lang, tmp_path):
    fresh = tmp_path / f"template-{lang}.xlsx"
    new_template(fresh, lang)
    assert parts(fresh) == parts(WORKBOOKS / f"template-{lang}.xlsx"), "run: salesxl new workbooks/template-LANG.xlsx --lang LANG"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_template_reads_back_as_an_empty_office(lang):
    book = read_book(WORKBOOKS / f"template-{lang}.xlsx")
    assert book.lang == lang
    assert [i for i in book.issues if i.severity == "error"] == []
    for table in TABLES:
        data = book.table(table.key)
        assert data.sheet == table.sheet_name(lang)
        if not table.key_value:
            assert len(data.frame) == 0, table.key


def test_template_sheets_are_tables_with_dropdowns_and_hints():
    # openpyxl only inspects a file salesxl wrote; it never saves a user's workbook
    book = openpyxl.load_workbook(WORKBOOKS / "template-zh.xlsx")
    for table in TABLES:
        sheet = book[table.zh]
        assert table.excel_table_name() in sheet.tables
        headers = [cell.value for cell in sheet[1]]
        assert headers[: len(table.columns)] == [c.zh for c in table.columns]
        assert sheet.freeze_panes == "A2"
        lists = {next(iter(dv.sqref.ranges)).min_col: dv for dv in sheet.data_validations.dataValidation if dv.type == "list"}
        for index, column in enumerate(table.columns, start=1):
            if column.type == ColType.ENUM:
                assert index in lists, f"{table.zh}.{column.zh} has no dropdown"
                assert lists[index].formula1.strip('"').split(",") == [c.zh for c in column.choices]
        hinted = [dv for dv in sheet.data_validations.dataValidation if dv.prompt]
        assert len(hinted) >= sum(1 for c in table.columns if c.hint_zh)
    settings = book["设置"]
    keys = [row[0].value for row in settings.iter_rows(min_row=2)]
    assert "stale_card_days" in keys and "language" in keys


@needs_libreoffice
def test_libreoffice_opens_the_template():
    shown = libreoffice.sheets_as_csv(WORKBOOKS / "template-en.xlsx")
    assert set(t.en for t in TABLES) <= set(shown)
    assert shown["Customers"][0][0] == "Customer ID"


def test_schema_reference_is_current():
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == schema_markdown(), "run: salesxl docs"
