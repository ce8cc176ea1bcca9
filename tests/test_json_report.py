"""`--json`: scripts get every issue and the summary, as JSON that follows the published schema."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from salesxl.cli import app
from salesxl.core.issues import CATALOGUE, Issue, IssueKind, define
from salesxl.core.run_report import RunReport, run_report_schema_text
from tests.support import ROOT, WORKBOOKS, copy_to
from tests.test_merge import _office

runner = CliRunner()
SCHEMA_FILE = ROOT / "docs" / "run-report.schema.json"
ISSUE_KEYS = {"code", "severity", "sheet", "cell", "value", "message", "params"}


def _reports(stdout: str) -> list[dict]:
    """One report per line (JSON Lines)."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _check_summary(report: dict) -> None:
    """The issues listed are the issues counted, by severity and by code."""
    issues = report["issues"]
    assert len(issues) == report["errors"] + report["warnings"] + report["infos"]
    for severity, key in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        assert sum(1 for i in issues if i["severity"] == severity) == report[key]
    assert sum(report["codes"].values()) == len(issues)
    for code, count in report["codes"].items():
        assert sum(1 for i in issues if i["code"] == code) == count
    for issue in issues:
        assert ISSUE_KEYS <= set(issue)


@pytest.fixture(scope="module")
def demo_validated(tmp_path_factory) -> tuple[Path, bytes, "object"]:
    """`validate demo.xlsx --json` run once on a copy of the shipped demo."""
    demo = copy_to(WORKBOOKS / "demo.xlsx", tmp_path_factory.mktemp("demo"))
    before = demo.read_bytes()
    result = runner.invoke(app, ["validate", str(demo), "--json"])
    return demo, before, result


@pytest.mark.slow
def test_validate_demo_json_lists_every_issue_and_matches_the_summary(demo_validated):
    from salesxl import pipeline
    from salesxl.io.reader import read_book

    demo, before, result = demo_validated
    assert result.exit_code in (0, 1), result.output
    [report] = _reports(result.stdout)
    _check_summary(report)
    assert report["workbook"] == str(demo) and report["ok"] is True and report["lang"] == "zh"
    expected = pipeline.run(read_book(demo), ["validation"]).issues
    assert len(report["issues"]) == len(expected) > 100
    assert [(i["code"], i["cell"], i["message"]) for i in report["issues"]] == [
        (i.code, i.cell, i.message) for i in expected]
    assert result.exit_code == (1 if report["errors"] else 0)
    assert demo.read_bytes() == before  # validate writes nothing


@pytest.mark.slow
def test_validate_json_follows_the_published_schema(demo_validated):
    _, _, result = demo_validated
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    [report] = _reports(result.stdout)
    jsonschema.validate(report, schema)
    assert RunReport.model_validate_json(json.dumps(report)).errors == report["errors"]


def test_recalc_folder_json_prints_one_report_per_workbook(tmp_path: Path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        _office(folder / name)
    (folder / "c.xlsx").write_text("not a workbook", encoding="utf-8")

    result = runner.invoke(app, ["recalc", str(folder), "--json", "--workers", "1", "--out", str(tmp_path / "out")])

    reports = _reports(result.stdout)
    assert [Path(r["workbook"]).name for r in reports] == ["a.xlsx", "b.xlsx", "c.xlsx"]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for report in reports:
        jsonschema.validate(report, schema)
        _check_summary(report)
    good, _, broken = reports
    assert good["ok"] and good["sheets"] and "validate" in good["timings"]
    assert good["settings_sheet"] and "as_of_date" in good["settings_set"]
    assert not broken["ok"] and broken["errors"] == 1 and broken["issues"][0]["message"] == broken["message"]
    assert result.exit_code == 1


def test_shipped_schema_is_the_generated_one(tmp_path: Path):
    assert SCHEMA_FILE.read_text(encoding="utf-8") == run_report_schema_text()
    result = runner.invoke(app, ["docs", str(tmp_path / "schema.md")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run-report.schema.json").read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


#: a kind of the tests' own, kept out of the catalogue (docs/schema.md lists the catalogue)
KIND = IssueKind("TEST_JSON_VALUE", "warning", "值 {value} 不对（{limit}）", "value {value} is wrong ({limit})")


def _json(issue: Issue) -> dict:
    return json.loads(issue.model_dump_json())


@pytest.mark.parametrize(("value", "expected"), [
    (np.int64(7), 7), (np.float32(2.5), 2.5), (np.bool_(True), True), (Decimal("12.50"), 12.5), (Decimal("3"), 3),
    (float("nan"), None), (np.float64("nan"), None), (pd.NaT, None), (None, None), (pd.NA, None),
    (float("inf"), None), (pd.Timestamp("2025-03-31 08:30"), "2025-03-31T08:30:00"),
    (np.datetime64("2025-03-31"), "2025-03-31T00:00:00"), (dt.date(2025, 3, 31), "2025-03-31"),
    (dt.time(9, 15), "09:15:00"), (dt.datetime(2025, 3, 31, 17, 5, 1), "2025-03-31T17:05:01"),
    ("=SUM(A1:A3)", "=SUM(A1:A3)"), ([np.int64(1), pd.NaT, "x"], [1, None, "x"]),
])
def test_issue_values_of_every_kind_serialise(value, expected):
    issue = KIND("en", table="orders", sheet="Orders", row=5, column="qty", cell="Orders!F5", value=value,
                 limit=np.float64(1.5))
    shown = _json(issue)
    assert shown["value"] == expected and type(shown["value"]) is type(expected)
    assert shown["params"] == {"limit": 1.5}
    assert shown["cell"] == "Orders!F5" and shown["row"] == 5


@settings(max_examples=60)
@given(st.one_of(
    st.integers(-2**53, 2**53).map(np.int64), st.floats(allow_nan=True, allow_infinity=True).map(np.float64),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(pd.Timestamp),
    st.dates().map(lambda d: d), st.times(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**9, max_value=10**9),
))
def test_any_cell_value_serialises_as_its_plain_json(value):
    """Numbers stay numbers (NaN and infinity become null), dates and times become ISO text."""
    shown = _json(KIND("zh", value=value))["value"]
    if isinstance(value, (pd.Timestamp, dt.date, dt.time)):
        plain = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        assert shown == plain.isoformat()
    elif isinstance(value, Decimal):
        assert isinstance(shown, (int, float)) and math.isclose(shown, float(value), rel_tol=1e-12)
    elif not math.isfinite(float(value)):
        assert shown is None
    else:
        assert shown == value.item() and type(shown) is type(value.item())


def test_issue_round_trips_through_json():
    issue = KIND("zh", table="orders", sheet="订单", row=12, column="qty", cell="订单!F12",
                 value=pd.Timestamp("2025-01-02"), limit=np.int64(3))
    back = Issue.model_validate_json(issue.model_dump_json())
    assert back == issue and hash(back) == hash(issue)
    assert back.sort_key() == issue.sort_key()
    assert back.value == "2025-01-02T00:00:00" and back.params == {"limit": 3}
    assert Issue.model_validate_json(back.model_dump_json()).model_dump() == back.model_dump()


def test_issue_keeps_its_constructor_and_its_codes_stay_unique():
    made = Issue("error", "CELL_NOT_A_NUMBER", "not a number", table="customers", row=2, column="lat", value=[1])
    assert (made.severity, made.code, made.message, made.row) == ("error", "CELL_NOT_A_NUMBER", "not a number", 2)
    assert made == Issue("error", "CELL_NOT_A_NUMBER", "not a number", table="customers", row=2, column="lat")
    assert {made: 1}[made] == 1  # hashable even when its value is not
    from salesxl.io.read_issues import CELL_NOT_A_NUMBER as NOT_A_NUMBER

    with pytest.raises(ValueError):
        define(NOT_A_NUMBER.code, "error", "x", "x")
    assert CATALOGUE[NOT_A_NUMBER.code] is NOT_A_NUMBER
    with pytest.raises(Exception):
        made.code = "OTHER"  # issues are values


def test_share_and_consolidate_json_follow_the_same_conventions(tmp_path: Path):
    """JSON Lines with plain JSON values: a date stays a date (ISO text), a blank is null, never NaN."""
    from salesxl.io.reader import read_book
    from salesxl.io.rows import TableChanges, apply_row_changes

    master, inbox = tmp_path / "master.xlsx", tmp_path / "inbox"
    inbox.mkdir()
    _office(master)
    copy = inbox / "拜访_S01.xlsx"
    shared = runner.invoke(app, ["share", str(master), "--for", "S01", "-o", str(copy), "--json"])
    assert shared.exit_code == 0, shared.output
    [written] = _reports(shared.stdout)
    assert written["salesperson"] == "S01" and written["rows"]["customers"] == 2 and written["out"] == str(copy)
    day = pd.Timestamp("2025-03-20")
    visits = read_book(copy).frame("visits")
    row = int(visits.loc[visits["visit_id"] == "V0000001", "_row"].iloc[0])
    apply_row_changes(copy, {"visits": TableChanges(updates={row: {"date": day, "purpose": None}})}, backup=False)

    result = runner.invoke(app, ["consolidate", str(master), str(inbox), "--no-recalc", "--json"])

    assert result.exit_code == 0, result.output
    decisions = [json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
                 for line in result.stdout.splitlines() if line.strip()]
    by_column = {d["column"]: d for d in decisions if d["row_id"] == "V0000001"}
    assert by_column["date"]["new"] == day.to_pydatetime().isoformat()
    assert by_column["date"]["old"] == dt.datetime(2025, 3, 1).isoformat()  # what _office wrote
    assert by_column["purpose"]["new"] is None and by_column["purpose"]["row"] == row
