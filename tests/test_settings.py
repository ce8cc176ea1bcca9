"""Settings: one typed model, read once from the Settings sheet; bad values are reported at their cell and
fall back to their default; good values reach the passes; what the template writes reads back equal."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings as hyp_settings, strategies as st

from salesxl import pipeline
from salesxl.io.reader import read_book
from salesxl.io.xlsx import new_workbook
from salesxl.passes.common import as_of_date
from salesxl.passes.routes import routes
from salesxl.reports.run_log import KEY as RUN_LOG
from salesxl.schema import SETTINGS_BY_KEY, SETTINGS_DECLARED, ColType, Settings
from salesxl.schema.grades import Grade
from salesxl.schema.settings import parse_settings
from salesxl.workbook.template import input_sheets
from tests.books import make_book, run_pass
from tests.test_reader import write_book
from tests.test_receivables import card, sale

FREE_TEXT = {"company_name", "owner_salesperson"}  # any text is a good value
#: A value of the wrong type per cell type, and per setting typed as short text.
WRONG_BY_TYPE = {ColType.INT: "abc", ColType.NUMBER: "abc", ColType.PERCENT: "abc", ColType.DATE: "someday",
                 ColType.BOOL: "maybe", ColType.ENUM: "nonsense", ColType.LAT: "north", ColType.LON: "east"}
WRONG_TEXT = {"china_bounds": "18,53,73", "seasonality_index": "1,2,3", "ageing_buckets": "30,10",
              "commission_tiers": "0.6:abc", "commission_grade_multipliers": "X:1.2",
              "commission_line_multipliers": "粮油", "day_start": "25:00",
              "work_day_hours": "18-9", "complaint_resolve_days": "urgent:1"}
CHECKED = [s.key for s in SETTINGS_DECLARED if s.key not in FREE_TEXT]


def wrong_value(key: str):
    setting = SETTINGS_BY_KEY[key]
    return WRONG_TEXT[key] if key in WRONG_TEXT else WRONG_BY_TYPE[setting.type]


def settings_book(tmp_path, values: dict, name: str = "x.xlsx"):
    """A workbook whose Settings sheet (English) holds `values` in order from row 2; returns (book, row of key)."""
    rows = [["Key", "Name", "Value"]] + [[key, None, value] for key, value in values.items()]
    book = read_book(write_book(tmp_path / name, {"Settings": rows}))
    return book, {key: n + 2 for n, key in enumerate(values)}


def settings_issues(book, key: str, code: str):
    return [i for i in book.issues if i.code == code and i.cell == book.settings.cell(key)]


@pytest.fixture(scope="module")
def wrong_book(tmp_path_factory):
    """One workbook with a value of the wrong type for every setting that has one."""
    return settings_book(tmp_path_factory.mktemp("wrong"), {key: wrong_value(key) for key in CHECKED})


@pytest.fixture(scope="module")
def out_of_range_book(tmp_path_factory):
    """One workbook with every bounded setting just outside its range."""
    values = {}
    for s in SETTINGS_DECLARED:
        if s.minimum is not None:
            values[s.key] = s.minimum - 1
        elif s.maximum is not None:
            values[s.key] = s.maximum + 1
    return settings_book(tmp_path_factory.mktemp("range"), values)


def _assert_default_with_issue(book, rows, key, code="SETTING_BAD_VALUE"):
    found = [i for i in book.issues if i.code == code and i.cell == f"Settings!C{rows[key]}"]
    assert len(found) == 1, f"{key}: {[(i.code, i.cell) for i in book.issues]}"
    assert SETTINGS_BY_KEY[key].en in found[0].message and "default" in found[0].message
    if key == "language":  # without a valid language setting, the language of the sheet names counts
        assert book.settings.general.language == book.lang == "en"
    else:
        assert book.settings.sheet_values()[key] == SETTINGS_BY_KEY[key].default
        assert not book.settings.is_set(key) and book.settings.source(key) == "default"
    assert book.settings.cell(key) == f"Settings!C{rows[key]}"


@pytest.mark.parametrize("key", CHECKED)
def test_a_value_of_the_wrong_type_is_reported_at_its_cell_and_the_default_is_used(wrong_book, key):
    book, rows = wrong_book
    _assert_default_with_issue(book, rows, key)


@pytest.mark.parametrize("key", [s.key for s in SETTINGS_DECLARED if s.minimum is not None or s.maximum is not None])
def test_a_value_out_of_range_is_reported_at_its_cell_and_the_default_is_used(out_of_range_book, key):
    book, rows = out_of_range_book
    _assert_default_with_issue(book, rows, key)
    assert "out of range" in settings_issues(book, key, "SETTING_BAD_VALUE")[0].message


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    book, _ = settings_book(tmp_path, {"company_name": "=HYPERLINK(\"x\")", "owner_salesperson": "0012"})
    assert book.settings.general.company_name == "=HYPERLINK(\"x\")"
    assert book.settings.sharing.owner_salesperson == "0012" and book.settings.is_set("owner_salesperson")
    assert not [i for i in book.issues if i.table == "settings"]


RULES = [  # (values, the setting the issue sits at, the setting it names)
    ({"grade_score_b": 80}, "grade_score_b", "grade_score_a"),
    ({"grade_score_c": 60}, "grade_score_c", "grade_score_b"),
    ({"grade_abc_a_share": 0.97}, "grade_abc_a_share", "grade_abc_b_share"),
    ({f"grade_weight_{n}": 0 for n in ("volume", "growth", "payment", "rfm", "potential")},
     "grade_weight_potential", "grade_weight_volume"),
    ({"dunning_second_days": 50}, "dunning_second_days", "dunning_final_days"),
    ({"dunning_reminder_days": 30}, "dunning_reminder_days", "dunning_second_days"),
    ({"plan_year": 2025, "plan_start": dt.date(2024, 3, 1)}, "plan_start", "plan_year"),
    ({"office_lat": 23.1}, "office_lat", "office_lon"),
]


@pytest.mark.parametrize("values, at, other", RULES, ids=[r[1] for r in RULES])
def test_a_broken_rule_between_settings_is_reported_at_the_later_setting_naming_the_other(tmp_path, values, at, other):
    book, rows = settings_book(tmp_path, values)
    _assert_default_with_issue(book, rows, at, "SETTING_CONFLICT")
    message = settings_issues(book, at, "SETTING_CONFLICT")[0].message
    assert SETTINGS_BY_KEY[other].en in message
    assert [i.code for i in book.issues if i.table == "settings"] == ["SETTING_CONFLICT"]
    for key in set(values) - {at}:
        assert book.settings.is_set(key)  # only the later setting falls back


def test_commission_tiers_must_be_written_in_ascending_order(tmp_path):
    book, rows = settings_book(tmp_path, {"commission_tiers": "0:0,0.8:0.02,0.6:0.01"})
    _assert_default_with_issue(book, rows, "commission_tiers")
    assert "ascending" in settings_issues(book, "commission_tiers", "SETTING_BAD_VALUE")[0].message


def test_a_bad_day_start_is_reported_not_silently_replaced_by_nine(tmp_path):
    book, rows = settings_book(tmp_path, {"day_start": "9h30"})
    issues = settings_issues(book, "day_start", "SETTING_BAD_VALUE")
    assert [i.cell for i in issues] == [f"Settings!C{rows['day_start']}"]
    assert "09:00" in issues[0].message


def test_dunning_thresholds_out_of_order_are_reported(tmp_path):
    book, rows = settings_book(tmp_path, {"dunning_final_days": 20})
    issues = settings_issues(book, "dunning_final_days", "SETTING_CONFLICT")
    assert [i.cell for i in issues] == [f"Settings!C{rows['dunning_final_days']}"]
    assert book.settings.money.dunning_thresholds == (10, 30, 45, 90)


def test_messages_are_in_the_workbook_language(tmp_path):
    rows = [["设置键", "名称", "值"], ["language", None, "中文"], ["grade_score_b", None, 90], ["day_start", None, "早上"]]
    book = read_book(write_book(tmp_path / "zh.xlsx", {"设置": rows}))
    messages = {i.code: i.message for i in book.issues if i.table == "settings"}
    assert "“A级分数线”" in messages["SETTING_CONFLICT"] and "设置!C3" in messages["SETTING_CONFLICT"]
    assert "时:分" in messages["SETTING_BAD_VALUE"] and "设置!C4" in messages["SETTING_BAD_VALUE"]


def test_a_time_typed_as_an_excel_time_is_read(tmp_path):
    book, _ = settings_book(tmp_path, {"day_start": 8.5 / 24})
    assert book.settings.routes.day_start == dt.time(8, 30) and book.settings.is_set("day_start")


# -- good values reach the passes that use them ---------------------------------------------------

def _office(**values):
    """Six active customers, each with one invoice of 2026-03-01 due in 30 days; as of 2026-05-01."""
    cards = [card(f"C{i}", lat=23.1 + i / 100, lon=113.3 + i / 100) for i in range(6)]
    orders = [sale(f"C{i}", 100.0 * (i + 1), f"F{i}", "2026-03-01") for i in range(6)]
    people = [{"salesperson_id": "S1", "name": "张三", "region": "天河区", "active": True}]
    return make_book({"customers": cards, "salespeople": people, "orders": orders},
                     settings={"as_of_date": dt.date(2026, 5, 1), **values})


def test_general_as_of_date_reaches_the_passes():
    assert as_of_date(_office(as_of_date=dt.date(2026, 4, 2))) == dt.date(2026, 4, 2)


def test_routes_plan_weeks_changes_the_days_of_the_plan():
    grades = pd.DataFrame({"customer_id": [f"C{i}" for i in range(6)], "grade": list("AABBCD")})
    graded = type("G", (), {"customers": grades})()
    start = {"plan_start": dt.date(2026, 6, 1)}  # no holidays in June 2026 but the Dragon Boat Festival
    two = routes(_office(plan_weeks=2, **start), graded)[0]
    four = routes(_office(plan_weeks=4, **start), graded)[0]
    assert len(four.weeks) == 2 * len(two.weeks) == 4


def test_routes_visit_intervals_come_by_grade():
    settings = Settings().with_values(visit_every_weeks_b=3)
    assert settings.routes.visit_every_weeks == {Grade.A: 1, Grade.B: 3, Grade.C: 4, Grade.D: 0}


def test_money_dunning_thresholds_change_the_levels():
    def levels(**values):
        return set(run_pass(_office(**values), "receivables")[0].collection["level"])
    # every invoice is 31 days overdue on the as-of date: a second notice by default, the agency with these days
    assert levels() == {2}
    assert levels(dunning_reminder_days=5, dunning_second_days=10, dunning_final_days=20, dunning_agency_days=30) == {4}


def test_grades_cut_offs_change_the_grades():
    from tests.test_grade import graded, pareto_book
    easy, _ = graded(pareto_book(grade_score_a=1, grade_score_b=0.5, grade_score_c=0))
    assert set(easy.customers.loc[easy.customers["score"] >= 1, "grade"]) == {"A"}


def test_targets_plan_year_and_currency_unit_reach_the_plan():
    plan = run_pass(_office(plan_year=2027, currency_unit=100), "targets")[0]
    assert (plan.year, plan.unit) == (2027, 100)


def test_cards_china_bounds_reach_the_card_checks():
    from tests.test_validate import SETTINGS as CLEAN, codes_of, office
    assert codes_of(office())["CUST_LATLON_RANGE"] == 0
    assert codes_of(office(), settings={**CLEAN, "china_bounds": "30,50,100,130"})["CUST_LATLON_RANGE"] == 1


def test_reports_inquiry_reply_limit_reaches_the_contracts_pass():
    from tests.test_contracts import run
    def in_time(**values):
        return run(**values)[0].reply_by_salesperson().set_index("salesperson_id").loc["S1", "in_time"]
    assert in_time(inquiry_reply_minutes=60) > in_time()


def test_commission_tiers_reach_the_statements():
    from tests.test_commission import book_of, by_month, office, run, sale as commission_sale
    spec = office([commission_sale(1000.0, "2026-01-10")], commission_tiers="0:0.05")
    assert by_month(run(book_of(spec))[0])["2026-01"] == 50.0  # 1,000 sold x 5 %, whatever the target


# -- the template writes what the reader reads ----------------------------------------------------

def _value(setting):
    """Cell values a user may type for one setting (within its declared range)."""
    low, high = setting.minimum, setting.maximum
    if setting.choices:
        return st.sampled_from([c.code for c in setting.choices])
    if setting.key in WRONG_TEXT:
        return {
            "china_bounds": st.just("18,53.6,73.5,135.1"),
            "seasonality_index": st.lists(st.integers(1, 20), min_size=12, max_size=12).map(
                lambda xs: ",".join(map(str, xs))),
            "ageing_buckets": st.lists(st.integers(0, 400), min_size=1, max_size=6, unique=True).map(
                lambda xs: ",".join(map(str, sorted(xs)))),
            "commission_tiers": st.just("0:0,0.5:0.015,1:0.03"),
            "commission_grade_multipliers": st.just("A:1.2,D:0.5"),
            "commission_line_multipliers": st.just("粮油调味:1.25"),
            "day_start": st.times().map(lambda t: t.strftime("%H:%M")),
            "work_day_hours": st.tuples(st.integers(0, 12), st.integers(13, 24)).map(lambda h: f"{h[0]}-{h[1]}"),
            "complaint_resolve_days": st.just("high:1,medium:3,low:7"),
        }[setting.key]
    if setting.type is ColType.INT:
        return st.integers(int(low if low is not None else 0), int(high if high is not None else 10_000))
    if setting.type in (ColType.NUMBER, ColType.PERCENT):
        return st.integers(int((low or 0) * 100), int((high if high is not None else 50) * 100)).map(lambda n: n / 100)
    if setting.type is ColType.DATE:
        return st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    if setting.type is ColType.BOOL:
        return st.booleans()
    if setting.type in (ColType.LAT, ColType.LON):
        return st.just(23.125 if setting.type is ColType.LAT else 113.25)
    return st.sampled_from(["广州穗丰", "=SUM(A1)", "S01", "0012"])


@st.composite
def sheet_values(draw):
    keys = draw(st.sets(st.sampled_from([s.key for s in SETTINGS_DECLARED]), min_size=1, max_size=12))
    values = {key: draw(_value(SETTINGS_BY_KEY[key])) for key in sorted(keys)}
    if "office_lat" in values or "office_lon" in values:
        values.update(office_lat=23.125, office_lon=113.25)
    return values


@hyp_settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.filter_too_much])
@given(values=sheet_values(), lang=st.sampled_from(["zh", "en"]))
def test_settings_written_by_the_template_read_back_equal(tmp_path, values, lang):
    model, problems = parse_settings({**values, "language": lang})
    assume(not problems)
    path = tmp_path / "round.xlsx"
    new_workbook(path, input_sheets(lang, settings=model.given_values(), only=["settings"]))
    book = read_book(path)
    assert not [i for i in book.issues if i.table == "settings"]
    assert book.settings.model_dump() == model.model_dump()
    assert {k for k in values if book.settings.is_set(k)} == set(values)


# -- the settings used reach the run log ----------------------------------------------------------

def test_the_run_log_lists_every_setting_with_its_value_and_source():
    book = _office(plan_weeks=2, ageing_basis="invoice")
    sheet = next(s for s in pipeline.run(book, now=dt.datetime(2026, 5, 2, 9, 0)).sheets if s.key == RUN_LOG)
    listed = {row[0]: row for row in sheet.blocks[1].rows}
    assert list(listed) == [s.key for s in SETTINGS_DECLARED]
    assert listed["plan_weeks"][2:] == [2, "工作簿"]
    assert listed["ageing_basis"][2:] == ["开票日", "工作簿"]
    assert listed["visit_minutes"][2:] == [30, "默认值"]


def test_the_run_log_history_survives_the_settings_block():
    first = next(s for s in pipeline.run(_office(), now=dt.datetime(2026, 5, 2, 9, 0)).sheets if s.key == RUN_LOG)
    written = [[first.header_line], []]
    for block in first.blocks:
        written += ([[block.title]] if block.title else []) + [[c.header for c in block.columns], *block.rows, []]
    book = _office()
    book.state = {RUN_LOG: written}
    second = next(s for s in pipeline.run(book, now=dt.datetime(2026, 5, 3, 9, 0)).sheets if s.key == RUN_LOG)
    assert [row[0] for row in second.blocks[0].rows] == [dt.datetime(2026, 5, 3, 9, 0), dt.datetime(2026, 5, 2, 9, 0)]
    assert second.page.print_title_rows == first.page.print_title_rows  # the runs' header, run after run
