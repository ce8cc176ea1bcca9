"""The customer card view: pick an ID, and plain formulas show that customer's whole card on one page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesxl.workbook.cardview import ID_CELL, SHEET, card_view_sheet
from salesxl.core.sheetspec import Formula
from salesxl.files import new_template, recalc_file
from salesxl.io import libreoffice
from salesxl.io.reader import read_book
from salesxl.io.xlsx import user_sheet_names, write_sheets
from salesxl.reports.grades import column_of
from salesxl.workbook.template import input_sheets
from tests.support import WORKBOOKS, needs_libreoffice, sheet_rows

SECOND = "卡片2"


def test_template_ends_with_the_card_view_a_printable_user_sheet():
    sheets = input_sheets("en")
    card = sheets[-1]
    assert card.name == "CustomerCard" and not card.tool_owned and card.page.fit_height == card.page.fit_width == 1
    pick = card.blocks[0].validations[0]
    assert pick.kind == "list" and "Customers!$A$2" in pick.source and card.block_origin(0) == (2, 1)
    formulas = [v.text for b in card.blocks for r in b.rows for v in r if isinstance(v, Formula)]
    assert any(f"Grades!${column_of('grade')}:${column_of('grade')}" in f for f in formulas)
    assert not any(name in f for f in formulas for name in ("MAXIFS", "XLOOKUP", "FILTER(", "SORT("))


def test_the_reader_does_not_take_the_card_view_for_an_input_table(tmp_path: Path):
    path = tmp_path / "t.xlsx"
    new_template(path, "zh")
    book = read_book(path)
    assert SHEET["zh"] in user_sheet_names(path)
    assert not [i for i in book.issues if SHEET["zh"] in (i.message or "")]


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    """The demo office with two card views, recalculated by salesxl then by LibreOffice (C00002 picked on the first)."""
    folder = tmp_path_factory.mktemp("card")
    book = read_book(WORKBOOKS / "demo.xlsx")
    visits, contacts = book.frame("visits"), book.frame("contacts")
    busy = set(visits["customer_id"].value_counts().loc[lambda s: s >= 6].index) & \
        set(contacts["customer_id"].value_counts().loc[lambda s: s >= 3].index)
    second = sorted(busy)[0]
    path = folder / "office.xlsx"
    specs = [card_view_sheet("zh", second, SECOND)]
    if SHEET["zh"] not in user_sheet_names(WORKBOOKS / "demo.xlsx"):
        specs.insert(0, card_view_sheet("zh"))
    write_sheets(WORKBOOKS / "demo.xlsx", specs, out=path, backup=False)
    assert recalc_file(path, outputs=["grades"]).ok  # the card reads the Grades sheet
    out = folder / "lo.xlsx"
    libreoffice.recalculate(path, out, set_cells={f"{SHEET['zh']}!{ID_CELL.replace('$', '')}": "C00002"})
    return book, out, {"C00002": sheet_rows(out, SHEET["zh"]), second: sheet_rows(out, SECOND)}


def _pairs(rows) -> dict[str, object]:
    """Label -> value over the card's label/value columns."""
    found = {}
    for row in rows:
        for i in (0, 2):
            if i + 1 < len(row) and isinstance(row[i], str) and row[i] and row[i] not in found:
                found[row[i]] = row[i + 1]
    return found


def _section(rows, title: str, count: int) -> list[list]:
    at = next(i for i, r in enumerate(rows) if r[0] == title)
    return [r for r in rows[at + 2: at + 2 + count] if any(v not in ("", None) for v in r[:4])]


@needs_libreoffice
def test_libreoffice_shows_each_chosen_customers_card(shown):
    book, out, cards = shown
    customers = book.frame("customers").set_index("customer_id")
    grades = {r[0]: r for r in sheet_rows(out, "客户分级") if r and isinstance(r[0], str)}
    for customer, rows in cards.items():
        card = customers.loc[customer]
        assert rows[2][2] == customer and rows[2][3] == card["name"] and rows[2][4] == int(card["_row"])
        pairs = _pairs(rows[4:])
        assert pairs["统一社会信用代码"] == card["uscc"] and pairs["地址"] == card["address"]
        assert pairs["客户状态"] == {"active": "成交", "intent": "意向", "prospect": "潜在", "lost": "流失"}[card["status"]]
        assert pairs["建档日期"] == card["created"].strftime("%Y-%m-%d")
        assert pairs["信用额度"] == ("" if pd.isna(card["credit_limit"]) else f"{card['credit_limit']:,.2f}")
        assert pairs["综合等级"] == grades[customer][4] and pairs["ABC分类"] == grades[customer][5]

        orders, payments = book.frame("orders"), book.frame("payments")
        mine = orders[(orders["customer_id"] == customer) & (orders["status"] != "cancelled")]
        paid = payments.loc[payments["customer_id"] == customer, "amount"].sum()
        assert float(pairs["应收余额（估算）"].replace(",", "")) == pytest.approx(mine["amount"].sum() - paid, abs=0.01)
        due = mine.loc[mine["due_date"] < pd.Timestamp(rows[2][1]), "amount"].sum()
        assert float(pairs["逾期金额（估算）"].replace(",", "")) == pytest.approx(max(0.0, due - paid), abs=0.01)

        visits = book.frame("visits")
        latest = visits[visits["customer_id"] == customer].sort_values(["date", "_row"], ascending=False).head(5)
        shown_visits = _section(rows, "最近五次拜访", 5)
        assert [r[0] for r in shown_visits] == [d.strftime("%Y-%m-%d") for d in latest["date"]]
        assert [(r[2], r[3], r[4]) for r in shown_visits] == \
            [(_text(res), _text(step), float(row)) for res, step, row in zip(latest["result"], latest["next_step"], latest["_row"])]

        contacts = book.frame("contacts")
        first = contacts[contacts["customer_id"] == customer].head(3)
        assert [(r[0], r[1], r[2]) for r in _section(rows, "联系人", 3)] == \
            [(_text(c.name), _text(c.title), _text(c.office_phone)) for c in first.itertuples()]
