"""An office's first day: only some input tables are filled, and every report is still written.

The gaps are explained as issues (one per empty input table), never a traceback
and never a report left out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from salesxl import pipeline
from salesxl.demo import generate_office
from salesxl.files import new_template, recalc_file
from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.schema import OUTPUTS_BY_KEY, TABLES, TABLES_BY_KEY
from salesxl.workbook.template import input_sheets

NOW = dt.datetime(2026, 11, 2, 9, 0)
INPUTS = [t.key for t in TABLES if not t.key_value]  # the tables an office types rows into


@pytest.fixture(scope="module")
def office():
    """A small slice of the demo office: every salesperson, 60 customers and their own rows."""
    demo = generate_office("S", 7)
    customers = demo.tables["customers"].head(60)
    ids = set(customers["customer_id"])
    tables = {key: (frame[frame["customer_id"].isin(ids)] if "customer_id" in frame.columns else frame)
              for key, frame in demo.tables.items()}
    tables["customers"] = customers
    return tables, demo.settings


def _write(path: Path, office, keep: set[str], lang: str) -> Path:
    tables, settings = office
    new_workbook(path, input_sheets(lang, {k: v for k, v in tables.items() if k in keep}, {**settings, "language": lang}))
    return path


def _recalculated(path: Path):
    """Recalculate the file; the run's issues and the names of the sheets now in the file."""
    report = recalc_file(path, now=NOW)
    assert report.ok, report.message
    issues = pipeline.run(read_book(path), now=NOW).issues
    return report, issues, CalamineWorkbook.from_path(str(path)).sheet_names


def _assert_first_day(path: Path, lang: str, empty: set[str]) -> list:
    report, issues, names = _recalculated(path)
    expected = {OUTPUTS_BY_KEY[key].sheet_name(lang) for key in pipeline.available_outputs() if key in OUTPUTS_BY_KEY}
    assert expected <= set(names), f"report sheets not written: {sorted(expected - set(names))}"
    explained = {i.sheet for i in issues if i.code == "TABLE_EMPTY"}
    assert explained == {TABLES_BY_KEY[key].sheet_name(lang) for key in empty}
    for issue in issues:
        if issue.code == "TABLE_EMPTY":
            assert issue.severity in ("info", "warning")
            assert issue.sheet in issue.message
    return issues


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_customers_and_salespeople_only(office, tmp_path, lang):
    keep = {"salespeople", "customers"}
    issues = _assert_first_day(_write(tmp_path / "first.xlsx", office, keep, lang), lang,
                               set(INPUTS) - keep)
    assert not [i for i in issues if i.code == "CUST_STALE"], "no visit reports yet is not 60 stale cards"


def test_customers_and_orders_without_payments(office, tmp_path):
    keep = {"salespeople", "customers", "contacts", "orders"}
    _assert_first_day(_write(tmp_path / "orders.xlsx", office, keep, "zh"), "zh",
                      set(INPUTS) - keep)


def test_visits_without_orders(office, tmp_path):
    keep = {"salespeople", "customers", "contacts", "visits", "targets"}
    _assert_first_day(_write(tmp_path / "visits.xlsx", office, keep, "en"), "en",
                      set(INPUTS) - keep)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_empty_template(tmp_path, lang):
    path = tmp_path / "new.xlsx"
    new_template(path, lang)
    _assert_first_day(path, lang, set(INPUTS))


def test_orders_typed_before_the_customer_cards(office, tmp_path):
    keep = {"salespeople", "orders", "payments"}
    _assert_first_day(_write(tmp_path / "no_cards.xlsx", office, keep, "zh"), "zh", set(INPUTS) - keep)
