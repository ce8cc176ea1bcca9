"""Target decomposition: exact rounding, the working-day week split, and the plan's sums and issues."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from salesxl.passes.planning.calendar import calendar_known, week_parts
from salesxl.passes.planning.rounding import apportion
from tests.books import make_book, run_pass


# -- apportion ---------------------------------------------------------------

def test_apportion_ties_go_to_the_earlier_part():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(2, [1, 1, 2]) == [1, 0, 1]


def test_apportion_equal_remainders_go_to_the_larger_weight():
    # quotas 0.5 and 1.5: both remainders are .5, the larger weight wins
    assert apportion(2, [1, 3]) == [0, 2]


def test_apportion_larger_remainder_first():
    # quotas 3.3, 3.6, 3.1 -> floors 3,3,3, one unit left for the .6
    assert apportion(10, [33, 36, 31]) == [3, 4, 3]


def test_apportion_zero_weights_and_zero_total():
    assert apportion(5, [0, 1, 1]) == [0, 3, 2]
    assert apportion(7, [0, 0]) == [4, 3]  # all zero: equal split
    assert apportion(0, [1, 2, 3]) == [0, 0, 0]
    assert apportion(0, []) == []


def test_apportion_rejects_what_cannot_be_split():
    with pytest.raises(ValueError):
        apportion(-1, [1])
    with pytest.raises(ValueError):
        apportion(3, [1, -1])


@given(st.integers(0, 10**9), st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_apportion_adds_up_exactly_and_stays_near_the_quota(total, weights):
    parts = apportion(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    assert parts == apportion(total, list(weights))
    whole = sum(weights) or len(weights)
    for part, weight in zip(parts, weights if sum(weights) else [1] * len(weights)):
        assert abs(part - total * weight / whole) < 1 + 1e-6 * total


# -- the week split against a hand-worked October 2025 --------------------------

def test_october_2025_week_parts_follow_national_day_and_make_up_days():
    """National Day: 1-8 Oct off; Sat 11 Oct and Sun 28 Sep are make-up working days."""
    assert calendar_known(2025)
    parts = week_parts(2025, 10)
    assert [(p.iso_week, p.start, p.end, p.working_days) for p in parts] == [
        (40, dt.date(2025, 10, 1), dt.date(2025, 10, 5), 0),  # Wed-Sun, all holiday
        (41, dt.date(2025, 10, 6), dt.date(2025, 10, 12), 3),  # Thu 9, Fri 10, Sat 11 (make-up)
        (42, dt.date(2025, 10, 13), dt.date(2025, 10, 19), 5),
        (43, dt.date(2025, 10, 20), dt.date(2025, 10, 26), 5),
        (44, dt.date(2025, 10, 27), dt.date(2025, 10, 31), 5),  # the rest of W44 belongs to November
    ]
    september = week_parts(2025, 9)
    assert [(p.iso_week, p.working_days) for p in september[-2:]] == [(39, 6), (40, 2)]  # Sun 28 Sep works
    assert all(p.month == 10 for p in parts) and all(p.month == 9 for p in september)


def test_october_target_is_split_over_week_parts_by_working_days():
    book = make_book({
        "salespeople": [{"salesperson_id": "S1", "name": "张三", "region": "华南", "active": True}],
        "targets": [{"target_id": "T1", "year": 2025, "scope": "salesperson", "salesperson_id": "S1",
                     "amount": 18_000}],
    }, settings={"plan_year": 2025, "seasonality_index": "0,0,0,0,0,0,0,0,0,1,0,0"})
    plan, _ = run_pass(book, "targets")
    october = plan.weeks[plan.weeks["month"] == 10]
    assert october["working_days"].tolist() == [0, 3, 5, 5, 5]
    assert october["amount"].tolist() == [0, 3_000, 5_000, 5_000, 5_000]
    assert plan.months.set_index("month")["amount"].to_dict() == {**{m: 0 for m in range(1, 13)}, 10: 18_000}


# -- the plan's sums, for random inputs -----------------------------------------

def _book(year, company, people, history, manual, unit, given_people):
    salespeople = [{"salesperson_id": f"S{i}", "name": f"N{i}", "region": "R1" if i % 2 else "R2", "active": True}
                   for i in range(people)]
    rows = [{"target_id": "T0", "year": year, "scope": "company", "amount": company}]
    for i, amount in given_people.items():
        rows.append({"target_id": f"G{i}", "year": year, "scope": "salesperson", "salesperson_id": f"S{i}",
                     "amount": amount})
    for i, weight in enumerate(manual or []):
        if i not in given_people:
            rows.append({"target_id": f"W{i}", "year": year, "scope": "salesperson", "salesperson_id": f"S{i}",
                         "weight": weight})
    orders = [{"line_id": f"L{i}-{m}", "order_id": f"O{i}-{m}", "date": dt.date(year - 1, m, 15),
               "customer_id": "C1", "salesperson_id": f"S{i}", "product_id": "P1", "quantity": 1,
               "unit_price": amount, "amount": amount, "type": "sale"}
              for i, amount in enumerate(history) for m in (1, 6, 12) if amount]
    return make_book({"salespeople": salespeople, "targets": rows, "orders": orders},
                     settings={"plan_year": year, "currency_unit": unit,
                               "target_weights": "manual" if manual else "history"})


@st.composite
def plans(draw):
    year = draw(st.integers(2022, 2026))
    people = draw(st.integers(1, 6))
    unit = draw(st.sampled_from([1, 100]))
    company = draw(st.integers(0, 5_000_000)) * unit
    history = draw(st.lists(st.integers(0, 100_000), min_size=people, max_size=people))
    manual = draw(st.one_of(st.none(), st.lists(st.floats(0, 5, allow_nan=False), min_size=people, max_size=people)))
    given_people = draw(st.dictionaries(st.integers(0, people - 1), st.integers(0, 1_000_000).map(lambda a: a * unit),
                                        max_size=people))
    return year, company, people, history, manual, unit, given_people


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_level_adds_up_to_its_parent(case):
    year, company, people, history, manual, unit, given_people = case
    assert calendar_known(year)
    book = _book(*case)
    plan, issues = run_pass(book, "targets")
    annual = plan.annual.set_index("salesperson_id")["amount"]
    months = plan.months.groupby(["salesperson_id", "month"])["amount"].sum()
    weeks = plan.weeks.groupby(["salesperson_id", "month"])["amount"].sum()
    assert (plan.months["amount"] >= 0).all() and (plan.weeks["amount"] >= 0).all()
    assert (plan.months["amount"] % unit == 0).all() and (plan.weeks["amount"] % unit == 0).all()
    assert weeks.equals(months)
    assert plan.months.groupby("salesperson_id")["amount"].sum().equals(annual.sort_index())
    quarters = plan.months.groupby(["salesperson_id", "quarter"])["amount"].sum()
    assert quarters.groupby("salesperson_id").sum().equals(annual.sort_index())
    for i, amount in given_people.items():
        assert annual[f"S{i}"] == amount
    given_total = sum(given_people.values())
    if len(given_people) < people and given_total <= company:
        assert annual.sum() == company
    else:
        assert annual.sum() == given_total
        assert any(i.code == "TARGET_SUM_MISMATCH" for i in issues) == (given_total != company)
    again, _ = run_pass(book, "targets")
    assert again.weeks.equals(plan.weeks) and again.annual.equals(plan.annual)


def test_shares_follow_last_years_sales_and_the_seasonality_of_two_full_years():
    history = []
    for year, pattern in ((2023, [1] * 12), (2024, [3] + [1] * 11)):
        history += [{"line_id": f"L{year}{m}", "order_id": f"O{year}{m}", "date": dt.date(year, m, 10),
                     "customer_id": "C1", "salesperson_id": "S1" if m % 2 else "S2", "product_id": "P",
                     "quantity": 1, "unit_price": 1000 * k, "amount": 1000 * k} for m, k in enumerate(pattern, 1)]
    book = make_book({
        "salespeople": [{"salesperson_id": "S1", "name": "甲", "region": "华南", "active": True},
                        {"salesperson_id": "S2", "name": "乙", "region": "华南", "active": True}],
        "targets": [{"target_id": "T1", "year": 2025, "scope": "company", "amount": 1_200_000}],
        "orders": history,
    }, settings={"plan_year": 2025})
    plan, issues = run_pass(book, "targets")
    assert plan.seasonality.basis == "history" and set(plan.seasonality.years) == {2023, 2024}
    # January: (1/12 + 3/14) / 2 of the year
    assert plan.seasonality.shares[0] == pytest.approx((1 / 12 + 3 / 14) / 2)
    # 2024: S1 sold in odd months 3+1*5 = 8 of 14 -> 685,714.29 and 514,285.71
    assert plan.annual.set_index("salesperson_id")["amount"].to_dict() == {"S1": 685_714, "S2": 514_286}
    january = plan.months[plan.months["month"] == 1]["amount"].sum()
    assert abs(january - 1_200_000 * (1 / 12 + 3 / 14) / 2) <= 1
    assert not [i for i in issues if i.severity != "info"]


# -- issues with their cells ---------------------------------------------------

PEOPLE = [{"salesperson_id": "S1", "name": "甲", "region": "华南", "active": True},
          {"salesperson_id": "S2", "name": "乙", "region": "华北", "active": True}]


def _issues(rows, lang="zh", **settings_):
    plan, issues = run_pass(make_book({"salespeople": PEOPLE, "targets": rows}, lang=lang,
                                     settings={"plan_year": 2025, **settings_}), "targets")
    return plan, {i.code: i for i in issues}


def test_levels_that_disagree_name_their_cells():
    plan, issues = _issues([
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 1000},
        {"target_id": "T2", "year": 2025, "scope": "salesperson", "salesperson_id": "S1", "amount": 600},
        {"target_id": "T3", "year": 2025, "scope": "salesperson", "salesperson_id": "S2", "amount": 300},
    ])
    mismatch = issues["TARGET_SUM_MISMATCH"]
    assert mismatch.cell == "销售目标!G2" and "900" in mismatch.message
    assert "销售目标!G3" in mismatch.message and "销售目标!G4" in mismatch.message
    assert plan.annual["amount"].sum() == 900


def test_region_target_is_checked_against_the_company():
    plan, issues = _issues([
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 1000},
        {"target_id": "T2", "year": 2025, "scope": "region", "region": "华南", "amount": 1200},
    ], lang="en")
    assert issues["TARGET_SUM_MISMATCH"].cell == "Targets!G2" and "1200" in issues["TARGET_SUM_MISMATCH"].message
    assert plan.annual.set_index("salesperson_id")["amount"].to_dict() == {"S1": 1200, "S2": 0}


def test_bad_rows_are_reported_and_left_out():
    plan, issues = _issues([
        {"target_id": "T1", "year": 2025, "scope": "salesperson", "salesperson_id": "S1", "amount": -5},
        {"target_id": "T2", "year": 2025, "scope": "salesperson", "salesperson_id": "S9", "amount": 100},
        {"target_id": "T3", "year": 2025, "scope": "salesperson", "salesperson_id": "S2", "amount": 100},
        {"target_id": "T4", "year": 2025, "scope": "salesperson", "salesperson_id": "S2", "amount": 200},
    ])
    assert issues["TARGET_NEGATIVE"].cell == "销售目标!G2"
    assert issues["TARGET_UNKNOWN_SALESPERSON"].cell == "销售目标!E3"
    assert issues["TARGET_DUPLICATE"].cell == "销售目标!G5" and "销售目标!G4" in issues["TARGET_DUPLICATE"].message
    assert plan.annual.set_index("salesperson_id")["amount"].to_dict() == {"S1": 0, "S2": 100}


def test_manual_weights_not_adding_to_one_are_normalised():
    plan, issues = _issues([
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 800},
        {"target_id": "T2", "year": 2025, "scope": "salesperson", "salesperson_id": "S1", "weight": 0.5},
        {"target_id": "T3", "year": 2025, "scope": "salesperson", "salesperson_id": "S2", "weight": 0.3},
    ], target_weights="manual")
    warning = issues["TARGET_WEIGHTS_SUM"]
    assert warning.severity == "warning" and warning.cell == "销售目标!I3" and "销售目标!I4" in warning.message
    assert plan.annual.set_index("salesperson_id")["amount"].to_dict() == {"S1": 500, "S2": 300}


def test_salesperson_without_history_gets_an_equal_share():
    plan, found = run_pass(make_book({"salespeople": PEOPLE, "targets": [
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 1000}]}, settings={"plan_year": 2025}), "targets")
    no_basis = [i for i in found if i.code == "TARGET_NO_BASIS"]
    assert [(i.severity, i.cell) for i in no_basis] == [("info", "销售员!A2"), ("info", "销售员!A3")]
    assert plan.annual["amount"].tolist() == [500, 500]


def test_year_outside_the_holiday_calendar_warns_and_uses_weekdays():
    plan, issues = _issues([{"target_id": "T1", "year": 2099, "scope": "company", "amount": 1000}], plan_year=2099)
    assert plan.year == 2099 and not plan.calendar_known
    assert issues["TARGET_CALENDAR_YEAR"].severity == "warning" and "2099" in issues["TARGET_CALENDAR_YEAR"].message
    first = plan.weeks[(plan.weeks["salesperson_id"] == "S1") & (plan.weeks["month"] == 1)]
    assert first["working_days"].tolist() == [2, 5, 5, 5, 5]  # 1 Jan 2099 is a Thursday; no holidays known


def test_without_targets_salespeople_are_planned_at_last_years_sales_times_growth():
    orders = [{"line_id": "L1", "order_id": "O1", "date": dt.date(2024, 5, 1), "customer_id": "C1",
               "salesperson_id": "S1", "product_id": "P", "quantity": 1, "unit_price": 1000, "amount": 1000}]
    plan, issues = run_pass(make_book({"salespeople": PEOPLE, "orders": orders},
                                     settings={"plan_year": 2025, "target_growth": 0.1}), "targets")
    assert plan.annual.set_index("salesperson_id")["amount"].to_dict() == {"S1": 1100, "S2": 0}
    assert {i.code for i in issues} >= {"TARGET_NONE", "TARGET_FROM_HISTORY"}


def test_target_plan_sheet_totals_are_plain_numbers_that_add_up():
    from salesxl.core.sheetspec import Formula
    from salesxl.registry import ReportContext
    from salesxl.reports.target_plan import build

    book = make_book({"salespeople": PEOPLE, "targets": [
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 1_000_003}]},
        lang="en", settings={"plan_year": 2025})
    plan, _ = run_pass(book, "targets")
    sheet = build(ReportContext(book, {"targets": plan}, []), plan)
    titles = [b.title for b in sheet.blocks]
    assert titles[3:] == ["Targets by month — product line: all products",
                          "Targets by quarter — product line: all products",
                          "Targets by week (a week crossing a month end is split) — product line: all products",
                          "Targets by region and month"]
    months, quarters, weeks, regions = sheet.blocks[3:]
    for block in (months, quarters, regions):
        *people, total = block.rows
        numbers = [row[-len(total) + 1:] if block is regions else row[3:] for row in people]
        assert all(not isinstance(v, Formula) for row in block.rows for v in row)
        assert all(sum(row[:-1]) == row[-1] for row in numbers)
        assert total[-1] == 1_000_003
    *parts, total = weeks.rows
    assert sum(p[4] for p in parts) == 248 and total[-1] == 1_000_003
    assert sum(1 for p in parts if p[0] == "2025-W40") == 2  # 29-30 Sep and 1-5 Oct
    assert [r[0] for r in regions.rows] == ["华南", "华北", "Total"]


def test_product_lines_are_planned_apart_and_performance_uses_the_all_products_plan():
    plan, _ = run_pass(make_book({"salespeople": PEOPLE, "targets": [
        {"target_id": "T1", "year": 2025, "scope": "company", "amount": 1000},
        {"target_id": "T2", "year": 2025, "scope": "company", "product_line": "饮料", "amount": 400},
        {"target_id": "T3", "year": 2025, "scope": "salesperson", "salesperson_id": "S1", "product_line": "饮料",
         "amount": 300}]}, settings={"plan_year": 2025}), "targets")
    assert plan.lines == ["", "饮料"]
    by_line = plan.annual.groupby("product_line")["amount"].sum().to_dict()
    assert by_line == {"": 1000, "饮料": 400}
    assert plan.annual.set_index(["product_line", "salesperson_id"]).loc[("饮料", "S2"), "amount"] == 100
    assert plan.measured(plan.months)["amount"].sum() == 1000
