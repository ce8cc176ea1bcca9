"""The file reader: finding tables, headers and rows, coercing cells, and refusing unusable files."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given, settings, strategies as st
from msoffcrypto.format.ooxml import OOXMLFile

from salesxl.core.book import ROW
from salesxl.core.issues import WorkbookError
from salesxl.io import package_xml, reader
from salesxl.io.coerce import parse_date_text, parse_number
from salesxl.io.opening import check_not_locked, lock_owner_file
from salesxl.io.reader import read_book

from tests.support import FIXTURES  # noqa: E402


@dataclass(frozen=True)
class Err:
    """A formula cell whose cached result is an Excel error."""

    text: str


def write_book(path: Path, sheets: dict[str, list[list]], *, origin: str = "A1", merges=(), date_1904=False) -> Path:
    """A workbook with one sheet per entry; rows are written from `origin`; strings stay text."""
    book = xlsxwriter.Workbook(str(path), {"date_1904": date_1904, "strings_to_numbers": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    row0, col0 = xlsxwriter.utility.xl_cell_to_rowcol(origin)
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                at = (row0 + r, col0 + c)
                if value is None:
                    continue
                if isinstance(value, Err):
                    sheet.write_formula(*at, "=NA()" if value.text == "#N/A" else "=1/0", None, value.text)
                elif isinstance(value, str):
                    sheet.write_string(*at, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(*at, value)
                elif isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(*at, value, date_format)
                else:
                    sheet.write_number(*at, value)
        for first, last, text in merges:
            sheet.merge_range(f"{first}:{last}", text)
    book.close()
    return path


CUSTOMER_HEADER_ZH = ["客户编号", "客户名称", "区域", "负责销售员", "客户状态"]
CUSTOMER_HEADER_EN = ["Customer ID", "Customer name", "Region", "Salesperson", "Status"]


def codes(book, code: str):
    return [i for i in book.issues if i.code == code]


# ---- finding sheets and headers ------------------------------------------------------------


def test_zh_sheet_and_headers_give_typed_rows_in_zh(tmp_path):
    path = write_book(tmp_path / "office.xlsx", {
        "客户档案": [CUSTOMER_HEADER_ZH + ["注册资本", "成立日期", "已审核"],
                 [1001, "甲公司", "华南", "S01", "成交", 500000, dt.date(2020, 5, 1), True],
                 ["C002", "乙公司", "华北", "S02", "潜在", "1,200", "2021-07-08", "否"]],
        "销售员": [["工号", "姓名", "区域"], ["S01", "张三", "华南"]],
    })
    book = read_book(path)
    assert book.lang == "zh"
    frame = book.frame("customers")
    assert list(frame["customer_id"]) == ["1001", "C002"]
    assert list(frame["status"]) == ["active", "prospect"]
    assert list(frame["registered_capital"]) == [500000.0, 1200.0]
    assert list(frame["founded"]) == [pd.Timestamp("2020-05-01"), pd.Timestamp("2021-07-08")]
    assert list(frame["audited"]) == [True, False]
    assert list(frame[ROW]) == [2, 3]
    assert book.table("customers").letters["status"] == "E"
    assert book.frame("salespeople")["name"].tolist() == ["张三"]
    assert book.sheet_names == ["客户档案", "销售员"]
    assert not [i for i in book.issues if i.severity != "info"]


def test_en_sheets_aliases_and_language(tmp_path):
    path = write_book(tmp_path / "office.xlsx", {
        "Customer cards": [["编号", "Customer name", "Region", "Salesperson ID", "Status"],
                           ["C1", "Acme", "North", "S1", "Active"]],
        "Sales reps": [["ID", "Name", "Region"], ["S1", "Ann", "North"]],
    })
    book = read_book(path)
    assert book.lang == "en"
    assert book.table("customers").sheet == "Customer cards"
    first = book.frame("customers").iloc[0]
    assert (first["customer_id"], first["salesperson_id"], first["status"]) == ("C1", "S1", "active")
    assert book.frame("salespeople")["salesperson_id"].tolist() == ["S1"]
    missing = {i.table: i for i in codes(book, "READ_SHEET_MISSING")}
    assert missing["orders"].severity == "info" and "Orders" in missing["orders"].message
    assert "customers" not in missing and "salespeople" not in missing


def test_missing_essential_sheets_are_warnings(tmp_path):
    book = read_book(write_book(tmp_path / "x.xlsx", {"订单": [["明细编号"], ["L1"]]}))
    severities = {i.table: i.severity for i in codes(book, "READ_SHEET_MISSING")}
    assert severities["customers"] == "warning" and severities["salespeople"] == "warning"
    assert severities["visits"] == "info"
    assert book.frame("customers").empty and "customer_id" in book.frame("customers").columns


def test_header_below_a_title_and_data_from_column_c_give_true_addresses(tmp_path):
    rows = [["客户档案"], [], [], CUSTOMER_HEADER_ZH + ["注册资本"],
            ["C1", "甲", "华南", "S1", "成交", "abc"],
            [],
            ["C2", "乙", "华南", "S1", "成交", Err("#N/A")]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows}, origin="C1"))
    table = book.table("customers")
    assert table.header_row == 4
    assert table.letters["customer_id"] == "C" and table.letters["registered_capital"] == "H"
    assert book.frame("customers")[ROW].tolist() == [5, 7]
    bad = codes(book, "CELL_NOT_A_NUMBER")
    assert [(i.cell, i.row, i.column, i.value) for i in bad] == [("客户档案!H5", 5, "registered_capital", "abc")]
    assert "客户档案!H5" in bad[0].message and "注册资本" in bad[0].message
    error = codes(book, "CELL_ERROR_VALUE")
    assert [(i.cell, i.value) for i in error] == [("客户档案!H7", "#N/A")]
    assert pd.isna(book.frame("customers")["registered_capital"].iloc[1])


def test_two_row_header_with_merged_group_titles(tmp_path):
    rows = [["基础资料", None, None, "分类", None],
            [None, "客户名称", "区域", "负责销售员", "客户状态"],
            ["C1", "甲", "华南", "S1", "成交"]]
    merges = [("A1", "A2", "客户编号"), ("B1", "C1", "基础资料"), ("D1", "E1", "分类")]
    book = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows}, merges=merges))
    table = book.table("customers")
    assert table.header_row == 2
    assert table.letters["customer_id"] == "A"
    assert book.frame("customers").iloc[0][["customer_id", "name", "status"]].tolist() == ["C1", "甲", "active"]
    assert not codes(book, "READ_COLUMN_MISSING")


def test_blank_duplicate_and_unknown_headers(tmp_path):
    rows = [CUSTOMER_HEADER_ZH + [None, "客户名称", "我的备注"],
            ["C1", "甲", "华南", "S1", "成交", "孤儿数据", "重复", "n"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows}))
    assert [i.cell for i in codes(book, "READ_HEADER_BLANK")] == ["客户档案!F1"]
    duplicate = codes(book, "READ_HEADER_DUPLICATE")
    assert [i.cell for i in duplicate] == ["客户档案!G1"] and "B" in duplicate[0].message
    assert book.frame("customers")["name"].tolist() == ["甲"]
    unknown = codes(book, "READ_COLUMNS_UNKNOWN")
    assert len(unknown) == 1 and "我的备注" in unknown[0].message


def test_missing_required_column_names_sheet_and_header_in_book_language(tmp_path):
    rows = [["Customer ID", "Customer name", "Salesperson", "Status"], ["C1", "Acme", "S1", "Active"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"Customers": rows, "Salespeople": [["ID"], ["S1"]]}))
    missing = {i.column: i for i in codes(book, "READ_COLUMN_MISSING") if i.table == "customers"}
    assert set(missing) == {"region"}
    assert missing["region"].severity == "error"
    assert "Customers" in missing["region"].message and "“Region”" in missing["region"].message
    assert book.frame("customers")["region"].isna().all()


def test_table_found_by_headers_when_no_sheet_has_its_name(tmp_path):
    rows = [["Notes"], CUSTOMER_HEADER_EN, ["C1", "Acme", "North", "S1", "Lost"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"Sheet1": [["hello"]], "Data": rows}))
    assert book.table("customers").sheet == "Data"
    assert book.frame("customers")["status"].tolist() == ["lost"]
    assert [i.sheet for i in codes(book, "READ_SHEET_BY_HEADERS")] == ["Data"]


def test_duplicate_sheets_for_one_table_first_wins(tmp_path):
    book = read_book(write_book(tmp_path / "x.xlsx", {
        "客户档案": [CUSTOMER_HEADER_ZH, ["C1", "甲", "华南", "S1", "成交"]],
        "Customers": [CUSTOMER_HEADER_EN, ["X", "x", "x", "x", "Active"]],
    }))
    assert book.frame("customers")["customer_id"].tolist() == ["C1"]
    assert [i.sheet for i in codes(book, "READ_SHEET_DUPLICATE")] == ["Customers"]


# ---- rows and cells ------------------------------------------------------------------------


def test_blank_and_whitespace_rows_are_skipped_and_formula_text_stays_text(tmp_path):
    rows = [CUSTOMER_HEADER_ZH,
            ["C1", "=HYPERLINK(\"http://x\")", "华南", "S1", "成交"],
            [],
            ["  ", "\u3000", None, " ", ""],
            ["C2", "@SUM(A1)", "华南", "S1", "成交"]]
    frame = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows})).frame("customers")
    assert frame[ROW].tolist() == [2, 5]
    assert frame["name"].tolist() == ['=HYPERLINK("http://x")', "@SUM(A1)"]


def test_ids_and_phones_typed_as_numbers_and_full_width_text(tmp_path):
    rows = [CUSTOMER_HEADER_ZH + ["电话", "统一社会信用代码", "地址"],
            [1001, "甲", "华南", 7, "成交", 13800138000, "９１３５０１００Ｍ０００１００Ｙ４３", "Ｂ座１２号"]]
    row = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows})).frame("customers").iloc[0]
    assert (row["customer_id"], row["salesperson_id"], row["phone"]) == ("1001", "7", "13800138000")
    assert row["uscc"] == "91350100M000100Y43"
    assert row["address"] == "Ｂ座１２号"  # addresses keep their width


@pytest.mark.parametrize("text, expected", [
    ("1,234.50", 1234.5), ("１２３", 123.0), ("¥1,200", 1200.0), ("1 200", 1200.0),
    ("(1,200)", -1200.0), ("1.2万", 12000.0), ("-¥5", -5.0), ("￥１，２００．５", 1200.5), ("15%", 0.15),
])
def test_number_texts(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "1,23", "12..5", "nan", "inf", "1.2.3", "¥"])
def test_bad_number_texts(text):
    assert parse_number(text) is None


def test_number_cells_in_a_sheet(tmp_path):
    header = ["价格编号", "产品编号", "标准价", "最大折扣"]
    rows = [header, ["P1", "X", "¥1,200", "15%"], ["P2", "X", "(1,200)", 15], ["P3", "X", "1.2万", 0.2],
            ["P4", "X", "十块", "很多"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"价格表": rows}))
    frame = book.frame("price_list")
    assert frame["list_price"].tolist()[:3] == [1200.0, -1200.0, 12000.0]
    assert frame["max_discount"].tolist()[:3] == pytest.approx([0.15, 0.15, 0.2])
    assert [i.cell for i in codes(book, "CELL_NOT_A_NUMBER")] == ["价格表!C5", "价格表!D5"]


def test_whole_number_columns(tmp_path):
    rows = [CUSTOMER_HEADER_ZH + ["员工人数"], ["C1", "a", "r", "S", "成交", 12], ["C2", "a", "r", "S", "成交", 2.5]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows}))
    employees = book.frame("customers")["employees"]
    assert str(employees.dtype) == "Int64" and employees.iloc[0] == 12 and pd.isna(employees.iloc[1])
    assert [i.cell for i in codes(book, "CELL_NOT_AN_INTEGER")] == ["客户档案!F3"]


@pytest.mark.parametrize("text", [
    "2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日", "20240305", " 2024-3-5 ", "２０２４－０３－０５",
])
def test_date_texts(text):
    assert parse_date_text(text) == dt.datetime(2024, 3, 5)


def test_date_cells_text_serial_and_bad(tmp_path):
    header = ["拜访编号", "拜访日期", "销售员", "客户编号", "下次拜访日期"]
    rows = [header,
            ["V1", dt.datetime(2024, 3, 5, 15, 30), "S1", "C1", "2024年4月1日"],
            ["V2", 45356, "S1", "C1", "5/3/2024"],
            ["V3", "2024-02-30", "S1", "C1", "下周"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"拜访记录": rows}))
    frame = book.frame("visits")
    assert frame["date"].tolist()[:2] == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05")]
    assert frame["next_date"].iloc[0] == pd.Timestamp("2024-04-01")
    assert str(frame["date"].dtype).startswith("datetime64")
    assert [i.cell for i in codes(book, "CELL_AMBIGUOUS_DATE")] == ["拜访记录!E3"]
    assert sorted(i.cell for i in codes(book, "CELL_NOT_A_DATE")) == ["拜访记录!B4", "拜访记录!E4"]


def test_datetime_columns_keep_the_time(tmp_path):
    rows = [["询价编号", "销售员", "询价时间"], ["Q1", "S1", "2024-03-05 09:15"], ["Q2", "S1", dt.datetime(2024, 3, 5, 8, 0)]]
    frame = read_book(write_book(tmp_path / "x.xlsx", {"询价": rows})).frame("inquiries")
    assert frame["received_at"].tolist() == [pd.Timestamp("2024-03-05 09:15"), pd.Timestamp("2024-03-05 08:00")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_bad_date_time_is_shown_an_example_with_the_time(tmp_path, lang):
    sheet, header = ("询价", ["询价编号", "销售员", "询价时间", "报价时间"]) if lang == "zh" else \
        ("Inquiries", ["Inquiry ID", "Salesperson", "Received", "Quoted"])
    rows = [header, ["Q1", "S1", "下午三点", "2024-03-05 09:15"]]
    visits = ["拜访记录", ["拜访编号", "拜访日期", "销售员", "客户编号"], ["V1", "下周", "S1", "C1"]] if lang == "zh" else \
        ["Visits", ["Visit ID", "Date", "Salesperson", "Customer ID"], ["V1", "next week", "S1", "C1"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {sheet: rows, visits[0]: visits[1:]}))
    message = {i.cell: str(i.message) for i in codes(book, "CELL_NOT_A_DATE")}
    assert "2024-03-05 14:30" in message[f"{sheet}!C2"]  # a date-time column: the example has a time
    assert "2024-03-05" in message[f"{visits[0]}!B2"] and "14:30" not in message[f"{visits[0]}!B2"]


def test_1904_date_system(tmp_path):
    rows = [["拜访编号", "拜访日期", "销售员", "客户编号"], ["V1", dt.date(2024, 3, 5), "S1", "C1"], ["V2", 43894, "S1", "C1"]]
    path = write_book(tmp_path / "x.xlsx", {"拜访记录": rows}, date_1904=True)
    dates = read_book(path).frame("visits")["date"].tolist()
    assert dates == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-05")]  # 43894 days after 1904-01-01


def test_booleans(tmp_path):
    header = ["联系人编号", "客户编号", "姓名", "关键决策人"]
    values = [True, "FALSE", "是", "否", "是的", "Y", "n", "yes", "No", 1, 0, "√", "×", "✓", "也许"]
    rows = [header] + [[f"P{i}", "C1", "x", v] for i, v in enumerate(values)]
    book = read_book(write_book(tmp_path / "x.xlsx", {"联系人": rows}))
    got = book.frame("contacts")["key_person"]
    assert str(got.dtype) == "boolean"
    expected = [True, False, True, False, True, True, False, True, False, True, False, True, False, True]
    assert got.tolist()[:-1] == expected
    assert pd.isna(got.iloc[-1])
    assert [i.value for i in codes(book, "CELL_NOT_A_BOOL")] == ["也许"]


def test_choices_by_label_or_code_and_bad_ones_list_the_labels(tmp_path):
    rows = [CUSTOMER_HEADER_ZH, ["C1", "a", "r", "S", "成交"], ["C2", "a", "r", "S", "Lost"],
            ["C3", "a", "r", "S", "intent"], ["C4", "a", "r", "S", "ＡＣＴＩＶＥ"], ["C5", "a", "r", "S", "死了"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"客户档案": rows}))
    assert book.frame("customers")["status"].tolist()[:4] == ["active", "lost", "intent", "active"]
    bad = codes(book, "CELL_BAD_CHOICE")
    assert [(i.cell, i.value) for i in bad] == [("客户档案!E6", "死了")]
    assert "潜在、意向、成交、流失" in bad[0].message


def test_error_values_in_typed_columns(tmp_path):
    rows = [["明细编号", "订单号", "订单日期", "客户编号", "销售员", "产品编号", "数量", "单价", "金额"],
            ["L1", "O1", Err("#N/A"), "C1", "S1", "P1", Err("#DIV/0!"), 2, "#REF!"]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"销售明细": rows}))
    errors = {i.cell: i.value for i in codes(book, "CELL_ERROR_VALUE")}
    assert errors == {"销售明细!C2": "#N/A", "销售明细!G2": "#DIV/0!", "销售明细!I2": "#REF!"}
    row = book.frame("orders").iloc[0]
    assert pd.isna(row["date"]) and pd.isna(row["quantity"]) and pd.isna(row["amount"]) and row["unit_price"] == 2


def test_error_cells_found_across_chunk_boundaries(tmp_path, monkeypatch):
    rows = [["x"]] + [[Err("#N/A") if i % 37 == 0 else f"filler text {i}"] for i in range(2000)]
    path = write_book(tmp_path / "x.xlsx", {"S": rows})
    monkeypatch.setattr(package_xml, "CHUNK", 4096)
    monkeypatch.setattr(package_xml, "OVERLAP", 512)
    found = package_xml.error_cells(path.read_bytes(), "xl/worksheets/sheet1.xml")
    assert sorted(found) == [(i + 1, 0) for i in range(2000) if i % 37 == 0]
    assert set(found.values()) == {"#N/A"}


@pytest.mark.parametrize("quote", ['"', "'"])
def test_error_cells_found_with_either_quote(tmp_path, quote):
    q = quote
    sheet = (f"<worksheet xmlns={q}http://schemas.openxmlformats.org/spreadsheetml/2006/main{q}><sheetData>"
             f"<row r={q}3{q}><c r={q}A3{q} s={q}1{q}><v>1</v></c><c r={q}B3{q} t={q}e{q}><v>#N/A</v></c></row>"
             f"</sheetData></worksheet>")
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/worksheets/sheet1.xml", sheet)
    assert package_xml.error_cells(path.read_bytes(), "xl/worksheets/sheet1.xml") == {(2, 1): "#N/A"}


# ---- settings ------------------------------------------------------------------------------


def test_settings_good_bad_and_unknown(tmp_path):
    rows = [["设置键", "名称", "值"],
            ["language", "工作簿语言", "English"],
            ["stale_card_days", None, "60"],
            [None, "档案完整度下限", "70%"],
            ["as_of_date", None, "2024/6/30"],
            ["currency_unit", None, "很多"],
            ["no_such_thing", None, 3],
            ["company_name", None, None]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"设置": rows}))
    assert book.lang == "en"
    assert book.settings.cards.stale_card_days == 60
    assert book.settings.cards.completeness_min == pytest.approx(0.7)
    assert book.settings.general.as_of_date == dt.date(2024, 6, 30)
    assert book.settings.general.currency_unit == 1 and not book.settings.is_set("currency_unit")
    assert not book.settings.is_set("company_name")
    bad = codes(book, "SETTING_BAD_VALUE")
    assert [(i.cell, i.severity) for i in bad] == [("设置!C6", "warning")]
    assert "Currency unit" in bad[0].message
    unknown = codes(book, "SETTING_UNKNOWN")
    assert [(i.cell, i.value, i.severity) for i in unknown] == [("设置!A7", "no_such_thing", "info")]


def test_setting_out_of_range_uses_the_default(tmp_path):
    rows = [["Key", "Value"], ["stale_card_days", 0]]
    book = read_book(write_book(tmp_path / "x.xlsx", {"Settings": rows}))
    assert book.settings.cards.stale_card_days == 90
    assert [i.cell for i in codes(book, "SETTING_BAD_VALUE")] == ["Settings!B2"]


# ---- unusable files ------------------------------------------------------------------------


@pytest.fixture
def small_book(tmp_path) -> Path:
    return write_book(tmp_path / "office.xlsx", {"客户档案": [CUSTOMER_HEADER_ZH, ["C1", "甲", "华南", "S1", "成交"]]})


def encrypt(path: Path, password: str) -> Path:
    out = path.with_name("locked.xlsx")
    with path.open("rb") as source, out.open("wb") as target:
        OOXMLFile(source).encrypt(password, target)
    return out


def test_encrypted_file_needs_the_right_password(small_book):
    locked = encrypt(small_book, "秘密123")
    with pytest.raises(WorkbookError) as missing:
        read_book(locked)
    assert missing.value.code == "FILE_ENCRYPTED" and "password" in missing.value.en and "密码" in missing.value.zh
    with pytest.raises(WorkbookError) as wrong:
        read_book(locked, password="guess")
    assert wrong.value.code == "FILE_BAD_PASSWORD"
    assert read_book(locked, password="秘密123").frame("customers")["customer_id"].tolist() == ["C1"]


def test_truncated_zip_is_damaged(small_book, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(small_book.read_bytes()[:2000])
    with pytest.raises(WorkbookError) as error:
        read_book(broken)
    assert error.value.code == "FILE_DAMAGED" and str(broken) in error.value.en


@pytest.mark.parametrize("parsed_ahead", [False, True], ids=["here", "on-another-core"])
def test_corrupt_sheet_part_is_damaged(small_book, tmp_path, monkeypatch, parsed_ahead):
    monkeypatch.setattr(reader, "PARSE_AHEAD_BYTES", 1 if parsed_ahead else 10**12)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(small_book) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(WorkbookError) as error:
        read_book(damaged)
    assert error.value.code == "FILE_DAMAGED"


def test_sheet_parsed_ahead_on_another_core_reads_the_same(tmp_path, monkeypatch):
    """The largest sheet parsed on a second core gives the same frames, issues and error cells."""
    rows = [["明细编号", "订单号", "订单日期", "客户编号", "销售员", "产品编号", "数量", "单价", "金额"]]
    rows += [[f"L{i}", f"O{i // 3}", dt.date(2026, 1, 1 + i % 28), f"C{i % 7}", "S1", "P1",
              Err("#N/A") if i % 50 == 0 else i, 2.5, "x" if i % 61 == 0 else i * 2.5] for i in range(400)]
    path = write_book(tmp_path / "x.xlsx", {"客户档案": [CUSTOMER_HEADER_ZH, ["C1", "甲", "华南", "S1", "成交"]],
                                            "销售明细": rows})
    monkeypatch.setattr(reader, "PARSE_AHEAD_BYTES", 10**12)
    alone = read_book(path)
    monkeypatch.setattr(reader, "PARSE_AHEAD_BYTES", 1)
    started, real = [], reader.CalamineGrids.parse_ahead
    monkeypatch.setattr(reader.CalamineGrids, "parse_ahead",
                        lambda self, data, name: started.append(name) or real(self, data, name))
    ahead = read_book(path)
    assert started == ["销售明细"]  # the largest sheet, on the second core
    for key in ("customers", "orders"):
        pd.testing.assert_frame_equal(ahead.frame(key), alone.frame(key))
    assert [repr(i) for i in ahead.issues] == [repr(i) for i in alone.issues]
    assert len(codes(ahead, "CELL_ERROR_VALUE")) == 8


@pytest.mark.parametrize("content, name", [
    (b"name,region\nAcme,North\n", "office.xlsx"),
    (b"<html><body>not a workbook</body></html>", "office.xlsx"),
    (b"%PDF-1.4 ...", "office.pdf"),
])
def test_other_files_are_not_workbooks(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(WorkbookError) as error:
        read_book(path)
    assert error.value.code == "FILE_NOT_XLSX"


def test_a_word_document_is_not_a_workbook(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml",
                         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.wordprocessingml.document.main+xml"/></Types>')
        package.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                         '</Relationships>')
        package.writestr("word/document.xml", "<document/>")
    with pytest.raises(WorkbookError) as error:
        read_book(path)
    assert error.value.code == "FILE_NOT_XLSX"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(WorkbookError) as error:
        read_book(tmp_path / "nowhere.xlsx")
    assert error.value.code == "FILE_MISSING" and "nowhere.xlsx" in error.value.message()
    with pytest.raises(WorkbookError) as folder:
        read_book(tmp_path)
    assert folder.value.code == "FILE_NOT_XLSX"


def test_a_locked_workbook_is_still_read_but_not_writable(small_book):
    owner = small_book.with_name("~$" + small_book.name)
    owner.write_bytes(b"owner")
    assert lock_owner_file(small_book) == owner
    assert read_book(small_book).frame("customers")["customer_id"].tolist() == ["C1"]
    with pytest.raises(WorkbookError) as error:
        check_not_locked(small_book)
    assert error.value.code == "FILE_LOCKED"
    owner.unlink()
    libre = small_book.with_name(".~lock." + small_book.name + "#")
    libre.write_text("x")
    assert lock_owner_file(small_book) == libre


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.xls*")))
def test_real_excel_files_read_without_traceback(tmp_path, name):
    path = Path(shutil.copy(FIXTURES / name, tmp_path / name))
    try:
        book = read_book(path)
    except WorkbookError as error:
        assert error.code == "FILE_DAMAGED" and error.zh and error.en
        return
    assert book.sheet_names
    assert codes(book, "READ_SHEET_MISSING")
    for issue in book.issues:
        assert issue.message and "{" not in issue.message


# ---- properties ----------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2),
       st.booleans(), st.booleans(), st.booleans())
def test_formatted_numbers_parse_back(number, wide, currency, spaces):
    text = f"{number:,.2f}"
    if spaces:
        text = text.replace(",", " ")
    if currency:
        text = ("-¥" + text[1:]) if text.startswith("-") else "¥" + text
    if wide:
        text = text.translate(FULL_WIDTH)
    assert parse_number(text) == float(number)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
       st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}"]))
def test_dates_written_as_text_parse_back(day, form):
    text = form.format(y=day.year, m=day.month, d=day.day)
    assert parse_date_text(text) == dt.datetime(day.year, day.month, day.day)



@pytest.mark.libreoffice
def test_old_xls_file_is_refused_with_a_hint(small_book, tmp_path):
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "out"), str(small_book)], check=True, capture_output=True, timeout=120)
    with pytest.raises(WorkbookError) as error:
        read_book(tmp_path / "out" / "office.xls")
    assert error.value.code == "FILE_XLS" and ".xlsx" in error.value.en and ".xlsx" in error.value.zh


def test_sheet_without_header_and_empty_sheet(tmp_path):
    book = read_book(write_book(tmp_path / "x.xlsx", {"合同": [], "费用": [["随便写的"], ["没有表头"]]}))
    assert book.table("contracts").present and book.frame("contracts").empty
    not_found = codes(book, "READ_HEADER_NOT_FOUND")
    assert [(i.table, i.severity) for i in not_found] == [("expenses", "error")]
    assert "费用" in not_found[0].message and "费用编号" in not_found[0].message
