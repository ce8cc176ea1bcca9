"""The engine's contract: passes get their inputs by type, and net sales mean one thing on every sheet."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from pydantic import BaseModel

from salesxl import pipeline
from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.schema import Settings
from tests.books import make_book

AS_OF = dt.date(2025, 12, 31)


# -- the resolver, on passes of its own -------------------------------------------------


@dataclass
class Counted:
    value: int


@dataclass
class Doubled:
    value: int


@dataclass
class Said:
    text: str


class RouteGroup(BaseModel):
    speed: float = 30.0


class GroupedSettings(BaseModel):
    """A settings model with a group, as the typed Settings has them."""

    lang: str = "en"
    route: RouteGroup = RouteGroup(speed=42.0)


def _registry(*steps):
    from salesxl.registry import Pass

    return {name: Pass(name, func) for name, func in steps}


def count(book: Book) -> tuple[Counted, list[Issue]]:
    return Counted(len(book.frame("customers"))), []


def double(counted: Counted, settings: Settings) -> tuple[Doubled, list[Issue]]:
    assert isinstance(settings, Settings)
    return Doubled(counted.value * 2), []


def say(doubled: Doubled, counted: Counted | None) -> tuple[Said, list[Issue]]:
    return Said(f"{doubled.value} from {counted.value if counted else None}"), []


def _book() -> Book:
    return make_book({"customers": [{"customer_id": "C1"}, {"customer_id": "C2"}]}, lang="en")


def test_inputs_are_injected_by_type_and_requirements_come_from_the_signature():
    # registered in the wrong order, with names whose alphabetical order is wrong too
    passes = _registry(("a_say", say), ("b_double", double), ("z_count", count))
    results = pipeline.run_passes(_book(), ["a_say"], passes=passes)
    assert list(results) == ["z_count", "b_double", "a_say"]
    assert results.of(Doubled) == Doubled(4) and results["a_say"] == Said("4 from 2")
    assert set(results.timings) == set(results)


def test_an_optional_input_is_given_only_when_that_pass_runs_anyway():
    def bare(doubled: Doubled | None) -> tuple[Said, list[Issue]]:
        return Said(str(doubled)), []

    passes = _registry(("say", bare), ("double", double), ("count", count))
    assert list(pipeline.run_passes(_book(), ["say"], passes=passes)) == ["say"]
    assert pipeline.run_passes(_book(), ["say"], passes=passes)["say"] == Said("None")
    both = pipeline.run_passes(_book(), ["say", "double"], passes=passes)
    assert list(both) == ["count", "double", "say"] and both["say"] == Said("Doubled(value=4)")


def test_a_settings_group_is_injected_by_its_type():
    def route(group: RouteGroup) -> tuple[Said, list[Issue]]:
        return Said(f"{group.speed:.0f} km/h"), []

    book = Book(tables={}, settings=GroupedSettings())
    assert pipeline.run_passes(book, ["route"], passes=_registry(("route", route)))["route"] == Said("42 km/h")


def test_a_cycle_is_refused_before_any_pass_runs():
    ran = []

    def first(said: Said) -> tuple[Counted, list[Issue]]:
        ran.append("first")
        return Counted(1), []

    def second(counted: Counted) -> tuple[Said, list[Issue]]:
        ran.append("second")
        return Said("x"), []

    with pytest.raises(pipeline.ContractError, match=r"cycle: (first -> second -> first|second -> first -> second)"):
        pipeline.run_passes(_book(), ["first"], passes=_registry(("first", first), ("second", second)))
    assert ran == []


def test_an_input_no_pass_makes_is_a_clear_error():
    with pytest.raises(pipeline.ContractError, match=r"pass 'double'.*'counted'.*Counted.*neither"):
        pipeline.run_passes(_book(), ["double"], passes=_registry(("double", double)))

    def untyped(book, counted) -> tuple[Said, list[Issue]]:
        return Said(""), []

    with pytest.raises(pipeline.ContractError, match=r"'book' has no type annotation"):
        pipeline.run_passes(_book(), ["untyped"], passes=_registry(("untyped", untyped)))
    with pytest.raises(pipeline.ContractError, match=r"no pass named 'nothing'"):
        pipeline.run_passes(_book(), ["nothing"], passes=_registry(("count", count)))


def test_two_passes_with_one_result_type_are_refused():
    with pytest.raises(pipeline.ContractError, match=r"'one' and 'two' both declare the result type Counted"):
        pipeline.run_passes(_book(), ["one"], passes=_registry(("one", count), ("two", count)))


def test_every_registered_pass_and_report_has_inputs_the_resolver_can_satisfy():
    from salesxl.registry import PASSES, REPORTS, load_all

    load_all()
    made = pipeline.producers(PASSES)
    ordered, found = pipeline.plan_passes(list(PASSES), PASSES, made)
    assert sorted(ordered) == sorted(PASSES)
    for name, step in PASSES.items():
        assert made[step.result_type] == name
        for item in found[name]:  # every input comes before the pass that takes it
            assert item.kind in ("book", "settings", "group", "pass"), (name, item)
            if item.kind == "pass":
                assert ordered.index(item.source) < ordered.index(name), (name, item)
    for output in REPORTS:
        kinds = {item.kind for item in pipeline.report_inputs(output)}
        assert kinds <= {"context", "book", "settings", "group", "pass"}, output


def test_route_sheets_and_the_routes_sheet_come_from_one_run_of_the_passes():
    from salesxl.passes.routes import RoutePlan
    from salesxl.reports.route_sheets import plan_routes, route_sheet
    from tests.test_routes import small_office

    book, _ = small_office(n=24)
    run = pipeline.run(book, ["routes"])
    plan = run.results.of(RoutePlan)
    start, end = plan.days[0], plan.days[4]
    printed = route_sheet(book, plan_routes(book, start, end), "S1", start, end)
    again = route_sheet(book, run.results, "S1", start, end)
    assert [b.rows for b in printed.blocks] == [b.rows for b in again.blocks] and printed.blocks
    routes_sheet = next(s for s in run.sheets if s.key == "routes")
    shown = {}
    for block in routes_sheet.blocks:
        found = re.match(r"S1 .*：(\d{4}-\d{2}-\d{2})（周", block.title or "")
        if found and start <= dt.date.fromisoformat(found.group(1)) <= end:
            shown[found.group(1)] = [row[1] for row in block.rows if row[1]]
    on_paper = {re.search(r"\d{4}-\d{2}-\d{2}", b.title).group(0): [r[1] for r in b.rows] for b in printed.blocks}
    assert on_paper == shown


# -- one definition of net sales ----------------------------------------------------------

LINE = st.fixed_dictionaries({
    "amount": st.integers(1, 5000),
    "negative_quantity": st.booleans(),
    "negative_amount": st.booleans(),
    "type": st.sampled_from(["sale", "return", None]),
    "status": st.sampled_from(["invoiced", "shipped", "cancelled"]),
    "month": st.integers(1, 12),
})


def _office(lines: list[dict], **settings) -> Book:
    orders = []
    for i, line in enumerate(lines, start=1):
        quantity = -2 if line["negative_quantity"] else 2
        amount = -line["amount"] if line["negative_amount"] else line["amount"]
        orders.append({"line_id": f"L{i}", "order_id": f"O{i}", "date": dt.date(2025, line["month"], 10),
                       "customer_id": "C1", "salesperson_id": "S1", "product_id": "P1", "quantity": quantity,
                       "unit_price": abs(amount) / 2, "amount": amount, "type": line["type"],
                       "status": line["status"], "invoice_no": f"F{i}", "invoice_date": dt.date(2025, line["month"], 10)})
    return make_book({
        "salespeople": [{"salesperson_id": "S1", "name": "张三", "region": "华南", "active": True}],
        "customers": [{"customer_id": "C1", "name": "客户一", "salesperson_id": "S1", "status": "active",
                       "created": dt.date(2020, 1, 1)}],
        "orders": orders,
    }, settings={"as_of_date": AS_OF, **settings})


def _net_sales_on_every_sheet(lines: list[dict]) -> dict[str, float]:
    """C1's (the only customer of S1) net sales of 2025 as Grades, Performance, Commission and TargetPlan see them."""
    results = pipeline.run_passes(_office(lines), ["grade", "performance", "commission"])
    graded = results["grade"].customers.set_index("customer_id")
    year = results["performance"].period("year").set_index("salesperson_id")
    statements = results["commission"].statements
    # next year's plan, with no target given, is last year's net sales (growth 0)
    planned = pipeline.run_passes(_office(lines, plan_year=2026), ["targets"])["targets"]
    annual = planned.measured(planned.annual).set_index("salesperson_id")
    return {"grades": float(graded.loc["C1", "net_sales"]), "performance": float(year.loc["S1", "actual"]),
            "commission": float(statements.loc[statements["salesperson_id"] == "S1", "net_sales"].sum()),
            "target_plan": float(annual.loc["S1", "amount"]) if "S1" in annual.index else 0.0}


def test_a_sale_line_with_a_negative_quantity_is_a_return_on_every_sheet():
    lines = [{"amount": 1000, "negative_quantity": False, "negative_amount": False, "type": "sale",
              "status": "invoiced", "month": 3},
             {"amount": 200, "negative_quantity": True, "negative_amount": False, "type": "sale",
              "status": "invoiced", "month": 5}]
    figures = _net_sales_on_every_sheet(lines)
    assert figures == {"grades": 800.0, "performance": 800.0, "commission": 800.0, "target_plan": 800.0}


@hsettings(max_examples=5)
@given(st.lists(LINE, min_size=1, max_size=5).filter(
    lambda lines: sum(-l["amount"] if l["negative_quantity"] or l["negative_amount"] or l["type"] == "return"
                      else l["amount"] for l in lines if l["status"] != "cancelled") > 0))
def test_net_sales_agree_on_grades_performance_commission_and_target_plan(lines):
    figures = _net_sales_on_every_sheet(lines)
    expected = sum(-l["amount"] if l["negative_quantity"] or l["negative_amount"] or l["type"] == "return"
                   else l["amount"] for l in lines if l["status"] != "cancelled")
    assert figures == {key: pytest.approx(expected) for key in figures}


def test_commission_measures_the_as_of_month_as_the_performance_sheet_does():
    lines = [{"amount": 900, "negative_quantity": False, "negative_amount": False, "type": "sale",
              "status": "invoiced", "month": 12},
             {"amount": 100, "negative_quantity": True, "negative_amount": False, "type": "sale",
              "status": "invoiced", "month": 12}]
    book = _office(lines)
    book.tables.update(make_book({"targets": [{"target_id": "T1", "year": 2025, "scope": "salesperson",
                                               "salesperson_id": "S1", "amount": 12_000}]}).tables)
    run = pipeline.run(book, ["performance", "commission"])
    month = run.results["performance"].period("month").set_index("salesperson_id").loc["S1"]
    statements = run.results["commission"].statements
    december = statements[(statements["salesperson_id"] == "S1") & (statements["month"] == "2025-12")].iloc[0]
    assert (december["target"], december["net_sales"]) == (month["target"], month["actual"])
    assert december["net_sales"] == 800 and december["target"] > 0
    assert december["achievement"] == pytest.approx(month["achievement"])


def test_only_the_sales_pass_reads_the_order_lines():
    """Every other pass and report takes SalesLines, so no second definition of net sales can creep back."""
    from pathlib import Path

    import salesxl

    root = Path(salesxl.__file__).parent
    readers = sorted(str(path.relative_to(root)) for folder in ("passes", "reports") for path in (root / folder).rglob("*.py")
                     if re.search(r"""frame\(\s*["']orders["']\s*\)""", path.read_text(encoding="utf-8")))
    # the complaint checks read the order IDs only, to check what a complaint links to
    assert readers == ["passes/sales.py", "passes/validate/events.py"]
