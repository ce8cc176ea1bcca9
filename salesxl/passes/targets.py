"""The targets pass: annual targets decomposed to quarters, months, ISO weeks and salespeople.

How a plan is made (for each product line; a blank line means all products):
- A salesperson target is used as given. A region target is shared by the
  region's salespeople that have none; the company target by the rest.
  Targets at two levels that disagree are reported; the lower level wins.
- A shared target goes year -> quarter -> month by the seasonality index and
  each month -> salespeople by the weights chosen in Settings (a salesperson
  without a basis for a weight gets an equal share); see `share_months`. A salesperson's own
  target goes year -> quarter -> month by the same index. A salesperson with
  no target above them is planned at last year's net sales x (1 + growth).
- Each month goes to its ISO-week parts by working days; a week crossing a
  month end has one part per month and each part carries its month.
Every figure is an integer number of the currency unit, and every level adds
up exactly to its parent (`apportion`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_numbers
from salesxl.passes.planning.calendar import calendar_known, week_parts
from salesxl.passes.planning.rounding import apportion
from salesxl.passes.planning.sales import ids
from salesxl.passes.sales import SalesLines
from salesxl.passes.planning.seasonality import Seasonality, seasonality
from salesxl.registry import register_pass

TARGET_NEGATIVE = define(
    "TARGET_NEGATIVE", "error",
    "目标金额不能为负数：{value}；该行未参与分解",
    "A target must not be negative: {value}; the row is left out of the plan",
    title_zh="目标为负数", title_en="Negative target",
)
TARGET_UNKNOWN_SALESPERSON = define(
    "TARGET_UNKNOWN_SALESPERSON", "error",
    "销售员「{value}」不在销售员表中；该目标未参与分解",
    "Salesperson {value} is not on the Salespeople sheet; the target is left out of the plan",
    title_zh="目标的销售员不存在", title_en="Target for an unknown salesperson",
)
TARGET_UNKNOWN_REGION = define(
    "TARGET_UNKNOWN_REGION", "error",
    "区域「{value}」没有销售员；该目标未参与分解",
    "No salesperson works in region {value}; the target is left out of the plan",
    title_zh="目标的区域无销售员", title_en="Target for a region without salespeople",
)
TARGET_DUPLICATE = define(
    "TARGET_DUPLICATE", "error",
    "{year}年同一{level}目标重复（另见 {first}）；采用先出现的一行",
    "The same {level} target for {year} appears twice (first at {first}); the first row is used",
    title_zh="目标重复", title_en="Duplicate target",
)
TARGET_SUM_MISMATCH = define(
    "TARGET_SUM_MISMATCH", "warning",
    "{level}目标 {parent} 与下级目标之和 {children} 不一致（{cells}）；计划采用下级目标",
    "The {level} target {parent} differs from the sum of the targets below it, {children} ({cells}); "
    "the plan uses the lower-level targets",
    title_zh="上下级目标不一致", title_en="Targets at two levels disagree",
)
TARGET_WEIGHTS_SUM = define(
    "TARGET_WEIGHTS_SUM", "warning",
    "分解权重之和为 {total}，不等于 1（{cells}）；已按比例归一",
    "The weights add up to {total}, not 1 ({cells}); they were scaled to add up to 1",
    title_zh="权重之和不为1", title_en="Weights do not add up to 1",
)
TARGET_NO_BASIS = define(
    "TARGET_NO_BASIS", "info",
    "销售员「{value}」没有{basis}，按平均份额分配目标",
    "Salesperson {value} has no {basis}; they get an equal share of the target",
    title_zh="无分配依据，平均分配", title_en="No basis for a weight: equal share",
)
TARGET_FROM_HISTORY = define(
    "TARGET_FROM_HISTORY", "info",
    "销售员「{value}」{year}年没有上级目标，按上年净销售额 {last} ×（1+{growth}）定为 {amount}",
    "Salesperson {value} has no target above them for {year}; planned at last year's net sales {last} "
    "x (1 + {growth}) = {amount}",
    title_zh="按上年销售额定目标", title_en="Target from last year's sales",
)
TARGET_NOT_UNIT = define(
    "TARGET_NOT_UNIT", "info",
    "目标金额 {value} 不是金额单位 {unit} 的整数倍，按 {rounded} 分解",
    "The target {value} is not a whole number of the currency unit {unit}; {rounded} is decomposed",
    title_zh="目标按金额单位取整", title_en="Target rounded to the currency unit",
)
TARGET_CALENDAR_YEAR = define(
    "TARGET_CALENDAR_YEAR", "warning",
    "节假日日历不含 {year} 年，工作日按周一至周五计算（法定节假日和调休未计入）",
    "The holiday calendar does not cover {year}; working days are taken as Monday to Friday "
    "(public holidays and make-up working days are not known)",
    title_zh="节假日日历未覆盖该年", title_en="Holiday calendar does not cover the year",
)
TARGET_NONE = define(
    "TARGET_NONE", "info",
    "目标表中没有 {year} 年的目标",
    "Targets has no target for {year}",
    title_zh="无本年度目标", title_en="No targets for the year",
)

LEVELS = {
    "zh": {"company": "公司", "region": "区域", "salesperson": "销售员"},
    "en": {"company": "company", "region": "region", "salesperson": "salesperson"},
}
BASES = {
    "zh": {"history": "上年销售额", "revenue": "成交客户年营业额", "customers": "成交客户", "manual": "分解权重"},
    "en": {"history": "sales last year", "revenue": "revenue of active customers", "customers": "active customers",
           "manual": "weight"},
}
ANNUAL_COLUMNS = ["product_line", "salesperson_id", "name", "region", "amount", "source"]
MONTH_COLUMNS = ["product_line", "salesperson_id", "name", "region", "quarter", "month", "amount"]
WEEK_COLUMNS = ["product_line", "salesperson_id", "name", "region", "month", "iso_year", "iso_week", "start", "end",
                "working_days", "amount"]
PARENT_COLUMNS = ["product_line", "level", "region", "target", "planned"]  # level: company / region


@dataclass(frozen=True)
class Member:
    """A salesperson who can carry a target, in Salespeople sheet order."""

    salesperson_id: str
    name: str
    region: str
    active: bool
    row: int | None  # Excel row on Salespeople


@dataclass(frozen=True)
class Given:
    """A target row of the plan year, in currency units."""

    units: int
    row: int


@dataclass
class LineTargets:
    company: Given | None = None
    regions: dict[str, Given] = field(default_factory=dict)
    people: dict[str, Given] = field(default_factory=dict)
    weights: dict[str, tuple[float, int]] = field(default_factory=dict)  # manual weight and its row


@dataclass
class TargetPlan:
    """The decomposed plan of one year; amounts are whole multiples of `unit` (yuan)."""

    year: int
    unit: int
    seasonality: Seasonality
    weights_method: str
    calendar_known: bool
    annual: pd.DataFrame  # ANNUAL_COLUMNS; source: given / share / history
    months: pd.DataFrame  # MONTH_COLUMNS
    weeks: pd.DataFrame  # WEEK_COLUMNS; each row is one ISO-week part of a month
    #: PARENT_COLUMNS: each company and region target against what the plan gives out under it
    parents: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PARENT_COLUMNS))

    @property
    def unallocated(self) -> pd.DataFrame:
        """The parent targets the plan does not add up to (target - planned != 0)."""
        parents = self.parents
        return parents[parents["target"] != parents["planned"]]

    @property
    def lines(self) -> list[str]:
        return sorted(self.annual["product_line"].unique().tolist())

    def week_rows(self, day: dt.date) -> pd.DataFrame:
        """The measured plan's parts of the ISO week holding `day` (two per person when it crosses a month end)."""
        weeks = self.measured(self.weeks)
        iso_year, iso_week, _ = day.isocalendar()
        return weeks[(weeks["iso_year"] == iso_year) & (weeks["iso_week"] == iso_week)]

    def measured(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows performance is measured against: the all-products plan, else every product line."""
        if "" in set(frame["product_line"]):
            return frame[frame["product_line"] == ""]
        return frame


@register_pass("targets")
def targets(book: Book, sold: SalesLines) -> tuple[TargetPlan, list[Issue]]:
    """Decompose the plan year's targets; problems in Targets become issues with their cells."""
    return Planner(book, sold).plan()


class Planner:
    """One decomposition run: the book's inputs read once, issues collected on the way."""

    def __init__(self, book: Book, sold: SalesLines):
        self.book = book
        self.lang = book.lang
        self.issues: list[Issue] = []
        settings = book.settings.targets
        self.year = settings.plan_year or as_of_date(book).year
        self.unit = book.settings.general.currency_unit
        self.method = settings.target_weights.value
        self.growth = settings.target_growth
        self.sales = sold.lines
        self._last_year: dict[str, dict[str, float]] = {}
        self.members = self._members()
        self.season = seasonality(self.sales, self.year, book.settings.targets.seasonality_index)
        self.known = calendar_known(self.year)
        if not self.known:
            self.issues.append(book.issue_at(TARGET_CALENDAR_YEAR, "targets", None, "year", value=self.year,
                                             year=self.year))
        self.parts = {m: week_parts(self.year, m) for m in range(1, 13)}

    # -- inputs ---------------------------------------------------------------

    def _members(self) -> list[Member]:
        people = self.book.frame("salespeople")
        active = people["active"].astype(object)
        members = []
        seen = set()
        for sp, name, region, flag, row in zip(ids(people["salesperson_id"]), people["name"], ids(people["region"]),
                                              active, people["_row"]):
            if sp and sp not in seen:
                seen.add(sp)
                members.append(Member(sp, "" if pd.isna(name) else str(name), region, flag is not False, int(row)))
        if not members:  # no Salespeople sheet: whoever has a target or sold last year
            targets = self.book.frame("targets")
            found = ids(targets.loc[targets["scope"].astype(object) == "salesperson", "salesperson_id"]).tolist()
            found += self.sales.loc[self.sales["date"].dt.year == self.year - 1, "salesperson_id"].tolist()
            members = [Member(sp, "", "", True, None) for sp in dict.fromkeys(found) if sp]
        return members

    def _targets(self) -> dict[str, LineTargets]:
        frame = self.book.frame("targets")
        years = to_numbers(frame["year"])
        rows = frame[years == self.year]
        known = {m.salesperson_id for m in self.members}
        regions = {m.region for m in self.members}
        lines: dict[str, LineTargets] = {}
        first: dict[tuple, int] = {}
        amounts, weights = to_numbers(rows["amount"]), to_numbers(rows["weight"])
        for (_, record), amount, weight, sp, region, line in zip(
                rows.iterrows(), amounts, weights, ids(rows["salesperson_id"]), ids(rows["region"]),
                ids(rows["product_line"])):
            row, scope = int(record["_row"]), record["scope"]
            plan = lines.setdefault(line, LineTargets())
            if scope == "salesperson" and sp not in known:
                self._issue(TARGET_UNKNOWN_SALESPERSON, row, "salesperson_id", sp)
                continue
            if scope == "salesperson" and pd.isna(amount) and not pd.isna(weight):
                plan.weights[sp] = (float(weight), row)
                continue
            if pd.isna(amount) or scope not in LEVELS["en"]:
                continue  # blank amount or scope: the validation pass reports it
            if amount < 0:
                self._issue(TARGET_NEGATIVE, row, "amount", amount)
                continue
            if scope == "region" and region not in regions:
                self._issue(TARGET_UNKNOWN_REGION, row, "region", region)
                continue
            key = (line, scope, region if scope == "region" else sp if scope == "salesperson" else "")
            if key in first:
                self._issue(TARGET_DUPLICATE, row, "amount", amount, year=self.year,
                            level=LEVELS[self.lang][scope], first=self._cell(first[key]))
                continue
            first[key] = row
            given = Given(self._units(amount, row), row)
            if scope == "company":
                plan.company = given
            elif scope == "region":
                plan.regions[region] = given
            else:
                plan.people[sp] = given
                if not pd.isna(weight):
                    plan.weights[sp] = (float(weight), row)
        return lines

    def _units(self, amount: float, row: int) -> int:
        units = math.floor(amount / self.unit + 0.5)
        if abs(units * self.unit - amount) > 1e-6:
            self._issue(TARGET_NOT_UNIT, row, "amount", amount, unit=self.unit, rounded=units * self.unit)
        return units

    # -- decomposition --------------------------------------------------------

    def plan(self) -> tuple[TargetPlan, list[Issue]]:
        lines = self._targets()
        if not any(t.company or t.regions or t.people for t in lines.values()):
            self.issues.append(self.book.issue_at(TARGET_NONE, "targets", None, "year", value=self.year,
                                                  year=self.year))
        if not lines:
            lines[""] = LineTargets()
        annual, months, weeks, parents = [], [], [], []
        for line in sorted(lines):
            if self.method == "manual":
                self._check_weight_sum(lines[line])
            planned = self._plan_line(line, lines[line])
            parents += self._parent_rows(line, lines[line], planned)
            for member, (vector, source) in planned.items():
                info = [line, member.salesperson_id, member.name, member.region]
                annual.append(info + [sum(vector) * self.unit, source])
                for month, units in enumerate(vector, start=1):
                    months.append(info + [(month - 1) // 3 + 1, month, units * self.unit])
                    parts = self.parts[month]
                    for part, share in zip(parts, apportion(units, [p.working_days for p in parts])):
                        weeks.append(info + [month, part.iso_year, part.iso_week, part.start, part.end,
                                             part.working_days, share * self.unit])
        plan = TargetPlan(
            self.year, self.unit, self.season, self.method, self.known,
            pd.DataFrame(annual, columns=ANNUAL_COLUMNS), pd.DataFrame(months, columns=MONTH_COLUMNS),
            pd.DataFrame(weeks, columns=WEEK_COLUMNS), pd.DataFrame(parents, columns=PARENT_COLUMNS),
        )
        return plan, sorted(self.issues, key=Issue.sort_key)

    def _parent_rows(self, line: str, given: LineTargets, planned: dict[Member, tuple[list[int], str]]) -> list[list]:
        """Each given company or region target of a line and the sum of the plan under it (in yuan)."""
        def total(region: str | None) -> int:
            return sum(sum(v) for m, (v, _) in planned.items() if region is None or m.region == region) * self.unit

        rows = [[line, "company", "", given.company.units * self.unit, total(None)]] if given.company else []
        rows += [[line, "region", region, target.units * self.unit, total(region)]
                 for region, target in sorted(given.regions.items())]
        return rows

    def spread(self, units: int) -> list[int]:
        """A year's units to 12 months, through quarters, by the seasonality index."""
        shares = self.season.shares
        quarters = apportion(units, self.season.quarter_shares())
        return [m for q, total in enumerate(quarters) for m in apportion(total, shares[q * 3:q * 3 + 3])]

    def _plan_line(self, line: str, given: LineTargets) -> dict[Member, tuple[list[int], str]]:
        plan: dict[Member, tuple[list[int], str]] = {}
        regional = set(given.regions)
        for region, target in given.regions.items():
            inside = [m for m in self.members if m.region == region]
            plan.update(self._allocate(line, given, "region", target, inside, []))
        outside = [m for m in self.members if m.region not in regional]
        plan.update(self._allocate(line, given, "company", given.company, outside, list(given.regions.values())))
        return {m: plan[m] for m in self.members if m in plan}

    def _allocate(self, line: str, given: LineTargets, level: str, parent: Given | None, scope: list[Member],
                  child_targets: list[Given]) -> dict[Member, tuple[list[int], str]]:
        """Plans for `scope`: own targets as given, the rest share what the parent target leaves."""
        plan: dict[Member, tuple[list[int], str]] = {}
        children = list(child_targets)
        for member in scope:
            own = given.people.get(member.salesperson_id)
            if own is not None:
                plan[member] = (self.spread(own.units), "given")
                children.append(own)
        rest = [m for m in scope if m.active and m not in plan]
        if parent is None:
            for member in rest:
                plan[member] = (self.spread(self._from_history(line, member)), "history")
            return plan
        pool = parent.units - sum(c.units for c in children)
        if children and (pool < 0 or (pool and not rest)):
            self.issues.append(self.book.issue_at(
                TARGET_SUM_MISMATCH, "targets", parent.row, "amount", value=parent.units * self.unit,
                level=LEVELS[self.lang][level], parent=parent.units * self.unit,
                children=sum(c.units for c in children) * self.unit,
                cells=", ".join(self._cell(c.row) for c in sorted(children, key=lambda c: c.row))))
        if rest:
            for member, months in zip(rest, self.share_months(max(pool, 0), self._weights(line, given, rest))):
                plan[member] = (months, "share")
        return plan

    def share_months(self, pool: int, weights: list[float]) -> list[list[int]]:
        """Each member's 12 months of a shared target.

        The year goes to members by weight and to months by seasonality; each
        month then goes to members in proportion to what is left of their
        year, so rows add up to the members' shares and columns to the months.
        """
        left = apportion(pool, weights)
        columns = []
        for units in self.spread(pool):
            split = apportion(units, left)
            left = [a - b for a, b in zip(left, split)]
            columns.append(split)
        return [list(row) for row in zip(*columns)]

    def _from_history(self, line: str, member: Member) -> int:
        last = self._history(line).get(member.salesperson_id, 0.0)
        units = max(0, math.floor(last * (1 + self.growth) / self.unit + 0.5))
        self.issues.append(self.book.issue_at(
            TARGET_FROM_HISTORY, "salespeople", member.row, "salesperson_id", value=member.salesperson_id,
            year=self.year, last=round(last, 2), growth=self.growth, amount=units * self.unit))
        return units

    def _history(self, line: str) -> dict[str, float]:
        """Last year's net sales per salesperson (of the product line when one is given)."""
        if line not in self._last_year:
            sales = self.sales[self.sales["date"].dt.year == self.year - 1]
            if line:
                sales = sales[sales["product_line"] == line]
            self._last_year[line] = sales.groupby("salesperson_id")["net"].sum().to_dict()
        return self._last_year[line]

    def _weights(self, line: str, given: LineTargets, rest: list[Member]) -> list[float]:
        """Each member's share; members without a basis get 1/n and the others share the remainder."""
        basis = self._basis(line, given)
        found = {m.salesperson_id: basis[m.salesperson_id] for m in rest if basis.get(m.salesperson_id, 0) > 0}
        for member in rest:
            if member.salesperson_id not in found:
                self.issues.append(self.book.issue_at(
                    TARGET_NO_BASIS, "salespeople", member.row, "salesperson_id", value=member.salesperson_id,
                    basis=BASES[self.lang][self.method]))
        n, total = len(rest), sum(found.values())
        left = 1 - (n - len(found)) / n
        return [left * found[m.salesperson_id] / total if m.salesperson_id in found else 1 / n for m in rest]

    def _basis(self, line: str, given: LineTargets) -> dict[str, float]:
        if self.method == "manual":
            return {sp: weight for sp, (weight, _) in given.weights.items()}
        if self.method in ("revenue", "customers"):
            cards = self.book.frame("customers")
            active = cards[cards["status"].astype(object) == "active"]
            values = to_numbers(active["annual_revenue"]).fillna(0.0) if self.method == "revenue" else \
                pd.Series(1.0, index=active.index)
            return values.groupby(ids(active["salesperson_id"])).sum().to_dict()
        return self._history(line)

    def _check_weight_sum(self, given: LineTargets) -> None:
        if not given.weights:
            return
        total = sum(weight for weight, _ in given.weights.values())
        if abs(total - 1) > 1e-6:
            rows = sorted(row for _, row in given.weights.values())
            self.issues.append(self.book.issue_at(
                TARGET_WEIGHTS_SUM, "targets", rows[0], "weight", value=round(total, 6), total=round(total, 6),
                cells=", ".join(self.book.cell("targets", r, "weight") or str(r) for r in rows)))

    def _issue(self, kind, row: int, column: str, value: Any, **params: Any) -> None:
        self.issues.append(self.book.issue_at(kind, "targets", row, column, value=value, **params))

    def _cell(self, row: int) -> str:
        return self.book.cell("targets", row, "amount") or str(row)
