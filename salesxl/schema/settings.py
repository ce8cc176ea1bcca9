"""Every setting salesxl understands: one pydantic model, grouped, typed, each field declared once.

`Settings` has one sub-model per group (`settings.routes.plan_weeks`,
`settings.routes.visit_every_weeks[Grade.A]`). Each field carries its sheet
declaration (`S`: cell type, zh/en name and meaning); the Settings sheet of the
template, docs/schema.md and the reader all work from `SETTINGS_DECLARED`,
which is walked out of the model. The sheet keys are the field names (a
per-grade field has one key per grade, declared with `PerGrade`).

`parse_settings` turns the sheet's values into a model: a value the model
rejects (a field constraint or a cross-field rule) is dropped, so its default
is used, and comes back as a `SettingProblem` for the reader to report at the
setting's cell. Nothing falls back silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any, Iterable, Literal, Mapping

import annotated_types
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PrivateAttr, ValidationError, \
    model_validator
from pydantic_core import PydanticCustomError

from salesxl.core.issues import Lang
from salesxl.schema import setting_text as text
from salesxl.schema.grades import Grade
from salesxl.schema.types import Choice, ColType as T


@dataclass(frozen=True)
class Setting:
    """How one setting sits on the Settings sheet: key, cell type, names, meaning; default and range in cell terms."""

    type: T
    zh: str
    en: str
    description_zh: str
    description_en: str
    choices: tuple[Choice, ...] = ()
    raw: bool = False  # the model reads the cell's own value (a time typed as 9:00), not its text
    key: str = ""
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    path: tuple[str, str, Grade | None] = ("", "", None)  # (group, field, grade) in the model

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def description(self, lang: Lang) -> str:
        return self.description_zh if lang == "zh" else self.description_en


S = Setting


@dataclass(frozen=True)
class PerGrade:
    """A `dict[Grade, …]` field written as one sheet row per grade."""

    rows: Mapping[Grade, Setting]


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


class TargetWeights(StrEnum):
    HISTORY = "history"
    REVENUE = "revenue"
    CUSTOMERS = "customers"
    MANUAL = "manual"


class RouteSolver(StrEnum):
    AUTO = "auto"
    VROOM = "vroom"
    ORTOOLS = "ortools"
    NUMPY = "numpy"


class AgeingBasis(StrEnum):
    DUE = "due"
    INVOICE = "invoice"


class ComplaintClock(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


class CommissionBasis(StrEnum):
    SALES = "sales"
    CASH = "cash"


LANGUAGES = (Choice("zh", "中文", "Chinese"), Choice("en", "英文", "English"))

#: Types of settings typed as short text in one cell (parsed on the way in, written back as text).
Bounds = Annotated[tuple[float, float, float, float], BeforeValidator(text.parse_bounds),
                   PlainSerializer(text.numbers_text)]
Index = Annotated[tuple[float, ...] | None, BeforeValidator(text.parse_index), PlainSerializer(text.numbers_text)]
Edges = Annotated[tuple[int, ...], BeforeValidator(text.parse_edges), PlainSerializer(text.numbers_text)]
Tiers = Annotated[tuple[tuple[Fraction, Decimal], ...], BeforeValidator(text.parse_tiers),
                  PlainSerializer(text.tiers_text)]
GradeMultipliers = Annotated[dict[Grade, Decimal], BeforeValidator(text.parse_grade_multipliers),
                             PlainSerializer(text.pairs_text)]
LineMultipliers = Annotated[dict[str, Decimal], BeforeValidator(text.parse_line_multipliers),
                            PlainSerializer(text.pairs_text)]
Clock = Annotated[dt.time, BeforeValidator(text.parse_clock), PlainSerializer(text.clock_text)]
Weeks = Annotated[int, Field(ge=0, le=26)]
DayHours = Annotated[tuple[int, int], BeforeValidator(text.parse_day_hours), PlainSerializer(text.day_hours_text)]
ResolveDays = Annotated[dict[str, int], BeforeValidator(text.parse_resolve_days), PlainSerializer(text.pairs_text)]


def rule(holds: bool, keys: Iterable[str], zh: str, en: str) -> None:
    """A cross-field rule of a model validator: when it fails, the issue sits at the last of `keys` (in sheet
    order) the workbook sets, names the others, and that setting falls back to its default (then the rule is
    checked again, so an earlier setting that still breaks it gets an issue of its own)."""
    if not holds:
        raise PydanticCustomError("setting_rule", "{en}", {"keys": tuple(keys), "zh": zh, "en": en})


def ascending(values: Mapping[str, float], zh: str, en: str) -> None:
    """Each setting strictly above the one before it (in the order given)."""
    items = list(values.items())
    for (k1, v1), (k2, v2) in zip(items, items[1:]):
        rule(v1 < v2, (k1, k2), zh, en)


class SettingsGroup(BaseModel):
    """One group of settings; immutable, defaults validated like any workbook value."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class GeneralSettings(SettingsGroup):
    """Workbook-wide: language, company, as-of date, money unit."""

    language: Annotated[Language, S(
        T.ENUM, "工作簿语言", "Workbook language",
        "生成的工作表和提示所用语言：zh 或 en。",
        "Language of generated sheets and messages: zh or en.", choices=LANGUAGES)] = "zh"
    company_name: Annotated[str, S(
        T.TEXT, "公司名称", "Company name",
        "报表和客户卡片标题中显示的公司名称。",
        "Company name shown in report and card titles.")] = ""
    as_of_date: Annotated[dt.date | None, S(
        T.DATE, "数据截止日期", "As-of date",
        "分析所依据的日期；留空则取数据中最晚的日期。",
        "Date the analysis is made as of; blank means the latest date in the data.")] = None
    currency_unit: Annotated[int, Field(ge=1), S(
        T.INT, "金额单位（元）", "Currency unit (yuan)",
        "目标分解取整的单位：1 为元，100 为百元。",
        "Unit targets are rounded to: 1 = yuan, 100 = hundreds.")] = 1


class CardSettings(SettingsGroup):
    """Customer card checks and reviews."""

    stale_card_days: Annotated[int, Field(ge=1), S(
        T.INT, "档案过期天数", "Stale card days",
        "成交客户超过此天数无拜访记录即提示档案过期。",
        "An active customer with no visit for this many days has a stale card.")] = 90
    completeness_min: Annotated[float, Field(ge=0, le=1), S(
        T.PERCENT, "档案完整度下限", "Minimum card completeness",
        "成交客户档案完整度低于此值时提示。",
        "Warn when an active customer's card is less complete than this.")] = 0.8
    revenue_audit_ratio: Annotated[float, Field(ge=0), S(
        T.PERCENT, "自报营业额审核比例", "Reported revenue audit ratio",
        "客户自报年营业额低于我方上年销售额乘以此比例时需审核。",
        "Audit when the reported annual revenue is below last year's sales to the customer times this ratio.")] = 1.0
    china_bounds: Annotated[Bounds, S(
        T.TEXT, "中国范围（纬度下限,上限,经度下限,上限）", "China bounds (lat min,max, lon min,max)",
        "经纬度须落在此范围内。",
        "Coordinates must fall inside this box.")] = "18.0,53.6,73.5,135.1"
    card_review_days: Annotated[int, Field(ge=1), S(
        T.INT, "档案复核天数", "Card review days",
        "客户档案超过此天数未更新即提醒复核。",
        "Remind to review a customer card not updated for this many days.")] = 180


class GradeSettings(SettingsGroup):
    """Customer grading: ABC shares, score weights and cut-offs, credit flags."""

    grade_abc_a_share: Annotated[float, Field(ge=0, le=1), S(
        T.PERCENT, "A类累计销售占比", "ABC: A cumulative share",
        "近12个月净销售额从高到低累计，累计占比达到此值之前的客户（含越过此值的那位）为A类。",
        "Customers sorted by trailing-12-month net sales are class A until their cumulative share reaches this (the one crossing it is A).")] = 0.8
    grade_abc_b_share: Annotated[float, Field(ge=0, le=1), S(
        T.PERCENT, "B类累计销售占比", "ABC: B cumulative share",
        "A类之后累计占比达到此值之前的客户（含越过此值的那位）为B类，其余有销售的为C类。",
        "After class A, customers are class B until the cumulative share reaches this (the crossing one is B); the rest with sales are C.")] = 0.95
    grade_new_days: Annotated[int, Field(ge=1), S(
        T.INT, "新客户天数", "New customer days",
        "近12个月无销售、但建档或首次交易在此天数内的客户记为新客户。",
        "A customer without sales in the last 12 months whose card was created or first trade happened within this many days is new.")] = 90
    grade_weight_volume: Annotated[float, Field(ge=0), S(
        T.NUMBER, "权重：销量", "Weight: volume",
        "综合等级中销量得分（近12个月净销售额百分位）的权重。",
        "Weight of the volume score (percentile of trailing-12-month net sales).")] = 0.35
    grade_weight_growth: Annotated[float, Field(ge=0), S(
        T.NUMBER, "权重：增长", "Weight: growth",
        "综合等级中增长得分（近12个月对比之前12个月）的权重。",
        "Weight of the growth score (last 12 months against the 12 before).")] = 0.15
    grade_weight_payment: Annotated[float, Field(ge=0), S(
        T.NUMBER, "权重：回款", "Weight: payment",
        "综合等级中回款得分（平均逾期天数和逾期发票占比）的权重。",
        "Weight of the payment score (average days late and share of invoices paid late).")] = 0.2
    grade_weight_rfm: Annotated[float, Field(ge=0), S(
        T.NUMBER, "权重：购买频率与近度", "Weight: recency and frequency",
        "综合等级中RFM得分（最近购买和购买次数的五分位）的权重。",
        "Weight of the RFM score (quintiles of recency and order frequency).")] = 0.2
    grade_weight_potential: Annotated[float, Field(ge=0), S(
        T.NUMBER, "权重：潜力", "Weight: potential",
        "综合等级中潜力得分（档案中的发展潜力、销售能力、合作态度、年营业额）的权重。",
        "Weight of the potential score (growth potential, sales capacity, cooperation attitude and annual revenue on the card).")] = 0.1
    grade_weight_complaints: Annotated[float, Field(ge=0, le=1), S(
        T.NUMBER, "权重：投诉扣分", "Weight: complaint deduction",
        "综合分减去投诉扣分（近12个月投诉按严重程度计 0–100）乘以此权重；为 0 则投诉不影响等级。",
        "The composite score loses the complaint deduction (last 12 months' complaints by severity, 0-100) times this weight; 0 leaves grades untouched by complaints.")] = 0.05
    grade_growth_cap: Annotated[float, Field(ge=0.01), S(
        T.PERCENT, "增长封顶", "Growth cap",
        "增长率超过正负此值按此值计分；增长+此值得100分，-此值得0分。",
        "Growth beyond plus or minus this counts as this; +cap scores 100, -cap scores 0.")] = 1.0
    grade_late_days_cap: Annotated[int, Field(ge=1), S(
        T.INT, "逾期天数满扣", "Days late for zero",
        "平均逾期天数达到此值时，回款得分中天数部分为0分。",
        "Average days late at which the days half of the payment score is 0.")] = 60
    grade_rfm_min_buyers: Annotated[int, Field(ge=1), S(
        T.INT, "五分位最少客户数", "Buyers for quintiles",
        "有购买的客户少于此数时，RFM按四分位而不是五分位计分。",
        "With fewer buyers than this, RFM scores use quartiles instead of quintiles.")] = 50
    grade_score_a: Annotated[float, Field(ge=0, le=100), S(
        T.NUMBER, "A级分数线", "Grade A score",
        "综合得分达到此值为A级。",
        "A weighted score of at least this is grade A.")] = 75
    grade_score_b: Annotated[float, Field(ge=0, le=100), S(
        T.NUMBER, "B级分数线", "Grade B score",
        "综合得分达到此值为B级。",
        "A weighted score of at least this is grade B.")] = 55
    grade_score_c: Annotated[float, Field(ge=0, le=100), S(
        T.NUMBER, "C级分数线", "Grade C score",
        "综合得分达到此值为C级，低于此值为D级。",
        "A weighted score of at least this is grade C; below it, D.")] = 35
    credit_overdue_days: Annotated[int, Field(ge=0), S(
        T.INT, "逾期提示天数", "Overdue flag days",
        "应收款逾期超过此天数时标记信用提示。",
        "Flag a customer whose receivables are overdue by more than this many days.")] = 30
    credit_limit_rounding: Annotated[int, Field(ge=1), S(
        T.INT, "建议额度取整", "Suggested limit rounding",
        "建议信用额度四舍五入到此金额的整数倍。",
        "The suggested credit limit is rounded to a multiple of this.")] = 1000

    @model_validator(mode="after")
    def _rules(self) -> "GradeSettings":
        ascending({"grade_abc_a_share": self.grade_abc_a_share, "grade_abc_b_share": self.grade_abc_b_share},
                  "A类累计占比须小于B类", "the A cumulative share must be below the B share")
        ascending({"grade_score_c": self.grade_score_c, "grade_score_b": self.grade_score_b,
                   "grade_score_a": self.grade_score_a},
                  "A、B、C 级分数线须从高到低", "the A, B and C score cut-offs must go from high to low")
        rule(sum(self.weights.values()) > 0, ("grade_weight_volume", "grade_weight_growth", "grade_weight_payment",
                                              "grade_weight_rfm", "grade_weight_potential"),
             "综合等级各项权重之和不能为 0", "the weights of the composite grade cannot add up to 0")
        return self

    @property
    def weights(self) -> dict[str, float]:
        """Weight of each score component, by component name."""
        return {"volume": self.grade_weight_volume, "growth": self.grade_weight_growth,
                "payment": self.grade_weight_payment, "rfm": self.grade_weight_rfm,
                "potential": self.grade_weight_potential}

    @property
    def cut_offs(self) -> tuple[float, float, float]:
        """Lowest score of grades A, B and C."""
        return self.grade_score_a, self.grade_score_b, self.grade_score_c


class CompositionSettings(SettingsGroup):
    """Customer composition: when a group is a weak spot."""

    composition_weak_ratio: Annotated[float, Field(ge=1), S(
        T.NUMBER, "薄弱环节倍数", "Weak spot ratio",
        "某类客户数占比达到其销售额占比的此倍数时列为销售薄弱环节。",
        "A group whose share of customers is at least this many times its share of sales is listed as a weak spot.")] = 2.0
    composition_weak_min_share: Annotated[float, Field(ge=0, le=1), S(
        T.PERCENT, "薄弱环节最小客户占比", "Weak spot minimum customer share",
        "客户数占比低于此值的类别不列为薄弱环节。",
        "Groups with a smaller share of customers than this are not listed as weak spots.")] = 0.05


class TargetSettings(SettingsGroup):
    """Target decomposition and performance."""

    plan_year: Annotated[int | None, Field(ge=2000, le=2100), S(
        T.INT, "计划年度", "Plan year",
        "分解哪一年的目标；留空则取数据截止日期所在年份。",
        "Year whose targets are decomposed; blank means the as-of date's year.")] = None
    seasonality_index: Annotated[Index, S(
        T.TEXT, "季节指数（12个月）", "Seasonality index (12 months)",
        "12个逗号分隔的非负数，按比例把年度目标分到各月；留空则按前三个完整年度的月度销售占比，无历史时按工作日。",
        "12 comma-separated non-negative numbers that split the year by month; blank means the monthly shares of the last three full years of sales, or working days when there is no history.")] = ""
    target_weights: Annotated[TargetWeights, S(
        T.ENUM, "目标分配依据", "Target weights",
        "未单独设定目标的销售员按此分摊上级目标：history 上年销售占比，revenue 成交客户年营业额，customers 成交客户数，manual 目标表中销售员行的分解权重。",
        "How salespeople without a target of their own share their parent's target: history = last year's share of net sales, revenue = annual revenue of their active customers, customers = number of active customers, manual = the Weight column of their rows in Targets.",
        choices=(Choice("history", "上年销售占比", "Last year's sales"), Choice("revenue", "客户年营业额", "Customer revenue"),
                 Choice("customers", "成交客户数", "Active customers"), Choice("manual", "手工权重", "Manual weights")))] = "history"
    target_growth: Annotated[float, S(
        T.PERCENT, "目标增长率", "Target growth",
        "没有任何上级目标的销售员，目标取上年净销售额乘以（1+增长率）。",
        "A salesperson with no target above them is planned at last year's net sales times (1 + growth).")] = 0.0
    performance_collections: Annotated[bool, S(
        T.BOOL, "业绩含回款", "Performance with collections",
        "是否在业绩达成表中同时列出回款额及其达成率。",
        "Also show collections and their achievement in Performance.")] = False


class ReportSettings(SettingsGroup):
    """Daily and weekly reports and reminders."""

    report_date: Annotated[dt.date | None, S(
        T.DATE, "日报日期", "Report date",
        "日报、周报所针对的日期；留空则取数据截止日期。",
        "Date of the daily and weekly report; blank means the as-of date.")] = None
    inquiry_reply_minutes: Annotated[int, Field(ge=1), S(
        T.INT, "询价响应时限（分钟）", "Inquiry reply limit (minutes)",
        "询价在此分钟数内报价视为及时。",
        "An inquiry quoted within this many minutes counts as answered in time.")] = 30
    key_customers_top: Annotated[int, Field(ge=1), S(
        T.INT, "重点客户数", "Key customers",
        "无分级结果时，周报取近12个月销售额最高的这些客户作为重点客户。",
        "Without grades, the weekly report takes this many customers with the highest trailing 12-month sales as key.")] = 10
    reminder_days: Annotated[int, Field(ge=1, le=366), S(
        T.INT, "提醒天数", "Reminder days",
        "提醒未来这些天内到期的回访、生日、节假日、档案复核和合同到期。",
        "Remind of follow-ups, birthdays, holidays, card reviews and contract ends due within this many days.")] = 14
    market_reports_per_month: Annotated[int, Field(ge=0, le=100), S(
        T.INT, "每月市场信息报备数", "Market reports a month",
        "每位销售员每月至少报备的市场信息条数；不足的在周报中标出。",
        "Each salesperson reports at least this many market items a month; those short of it are flagged on the weekly report.")] = 4


class RouteSettings(SettingsGroup):
    """The visit plan: horizon, visit intervals, the working day, the solver."""

    office_lat: Annotated[float | None, S(
        T.LAT, "公司纬度", "Office latitude",
        "销售员未填出发点时，从公司出发拜访；留空则取其客户的中心。",
        "Salespeople without a start point leave from the office; blank means the centre of their customers.")] = None
    office_lon: Annotated[float | None, S(
        T.LON, "公司经度", "Office longitude",
        "与公司纬度配合使用。",
        "Used together with the office latitude.")] = None
    plan_start: Annotated[dt.date | None, S(
        T.DATE, "路线计划开始日期", "Route plan start",
        "留空则从数据截止日期后的第一个工作日开始。",
        "Blank means the first working day after the as-of date.")] = None
    plan_weeks: Annotated[int, Field(ge=1, le=26), S(
        T.INT, "路线计划周数", "Route plan weeks",
        "拜访路线覆盖的日历周数；法定节假日不安排拜访，调休上班日安排。",
        "Calendar weeks the visit plan covers; public holidays get no visits, make-up working days do.")] = 4
    visit_every_weeks: Annotated[dict[Grade, Weeks], PerGrade({
        Grade.A: S(
            T.INT, "A级客户拜访间隔（周）", "Grade A visit interval (weeks)",
            "每隔几个工作周拜访一次（一个工作周为5个工作日）；0 为按需拜访，不排入计划。",
            "Working weeks (five working days each) between visits; 0 means on demand, not planned.",
            key="visit_every_weeks_a"),
        Grade.B: S(
            T.INT, "B级客户拜访间隔（周）", "Grade B visit interval (weeks)",
            "默认每两周一次。",
            "Default: every two weeks.",
            key="visit_every_weeks_b"),
        Grade.C: S(
            T.INT, "C级客户拜访间隔（周）", "Grade C visit interval (weeks)",
            "默认每月（四周）一次。",
            "Default: monthly (every four weeks).",
            key="visit_every_weeks_c"),
        Grade.D: S(
            T.INT, "D级客户拜访间隔（周）", "Grade D visit interval (weeks)",
            "默认按需拜访（0），不排入计划。",
            "Default: on demand (0), not planned.",
            key="visit_every_weeks_d"),
    })] = {Grade.A: 1, Grade.B: 2, Grade.C: 4, Grade.D: 0}
    visit_every_weeks_intent: Annotated[Weeks, S(
        T.INT, "意向客户开发拜访间隔（周）", "Intent customer development visit interval (weeks)",
        "未按等级排入的意向客户每隔几个工作周开发拜访一次，排在分级客户之后；0 为不安排。",
        "Working weeks between development visits to intent customers their grade does not plan; planned after the graded customers; 0 means none.")] = 2
    prospect_visits_per_plan: Annotated[Weeks, S(
        T.INT, "潜在客户每期开发拜访次数", "Prospect development visits per plan",
        "每个潜在客户在一期拜访计划内的开发拜访次数，排在意向客户之后，新建档的优先；0 为不安排。",
        "Development visits per prospect in one visit plan, after the intent customers, newest cards first; 0 means none.")] = 1
    max_visits_per_day: Annotated[int, Field(ge=1, le=40), S(
        T.INT, "每日最多拜访", "Max visits per day",
        "销售员表未填时使用。",
        "Used when the Salespeople sheet gives none.")] = 10
    visit_minutes: Annotated[int, Field(ge=1, le=480), S(
        T.INT, "每次拜访时长（分钟）", "Minutes per visit",
        "在客户处停留的时间。",
        "Time spent at each customer.")] = 30
    travel_speed_kmh: Annotated[float, Field(ge=1, le=120), S(
        T.NUMBER, "平均车速（公里/小时）", "Average travel speed (km/h)",
        "市内平均行驶速度。",
        "Average speed of travel in town.")] = 25
    road_factor: Annotated[float, Field(ge=1, le=3), S(
        T.NUMBER, "道路绕行系数", "Road circuity factor",
        "道路里程与直线距离之比。",
        "Road distance divided by straight-line distance.")] = 1.3
    working_minutes: Annotated[int, Field(ge=60, le=720), S(
        T.INT, "每日工作时长（分钟）", "Working minutes per day",
        "含路上时间和拜访时间。",
        "Travel and visits together.")] = 480
    day_start: Annotated[Clock, S(
        T.TEXT, "出发时间", "Day start time",
        "每天从出发点出发的时间，如 09:00。",
        "Time of leaving the start point each day, e.g. 09:00.", raw=True)] = "09:00"
    route_solver: Annotated[RouteSolver, S(
        T.ENUM, "路线求解器", "Route solver",
        "auto 自动选择；vroom、ortools 需安装相应软件包；numpy 无需额外软件包。",
        "auto chooses; vroom and ortools need their packages; numpy needs none.",
        choices=(Choice("auto", "自动", "Automatic"), Choice("vroom", "VROOM", "VROOM"),
                 Choice("ortools", "OR-Tools", "OR-Tools"), Choice("numpy", "内置", "Built-in")))] = "auto"
    territory_tolerance: Annotated[float, Field(ge=0.01, le=0.5), S(
        T.PERCENT, "划区工作量允许偏差", "Territory workload tolerance",
        "划区建议使每位销售员的工作量（拜访时长加各片区从出发点往返的路程）在平均值上下此比例以内。",
        "Territory proposals keep each salesperson's workload (visit time plus each day region's drive from the "
        "start point) within plus or minus this share of the mean.")] = 0.10
    territory_move_km: Annotated[float, Field(ge=0, le=100), S(
        T.NUMBER, "划区换人门槛（公里/次）", "Territory move threshold (km per visit)",
        "划区建议中客户须每次拜访至少少跑此公里数才换销售员，多数客户因此留在原销售员名下。",
        "In a territory proposal a customer changes salesperson only when that saves at least this many km per "
        "visit, so most customers keep theirs.")] = 3.0

    @model_validator(mode="after")
    def _office(self) -> "RouteSettings":
        rule((self.office_lat is None) == (self.office_lon is None), ("office_lat", "office_lon"),
             "公司纬度和经度须同时填写或同时留空", "the office latitude and longitude go together: give both or neither")
        return self


DUNNING_KEYS = ("dunning_reminder_days", "dunning_second_days", "dunning_final_days", "dunning_agency_days")


class MoneySettings(SettingsGroup):
    """Receivables: ageing, dunning, billing by order."""

    ageing_buckets: Annotated[Edges, S(
        T.TEXT, "账龄分段（天）", "Ageing buckets (days)",
        "逗号分隔、由小到大的天数上限；默认分为未到期、1–30、31–60、61–90、91–180 和 180 天以上。",
        "Comma-separated upper day limits, ascending; the default gives current, 1–30, 31–60, 61–90, 91–180 and over 180 days.")] = "0,30,60,90,180"
    ageing_basis: Annotated[AgeingBasis, S(
        T.ENUM, "账龄计算依据", "Ageing basis",
        "due 按到期日起算逾期天数；invoice 按开票日起算账龄。逾期金额始终按到期日计算。",
        "due: days past the due date; invoice: days since the invoice date. Overdue amounts always count from the due date.",
        choices=(Choice("due", "到期日", "Due date"), Choice("invoice", "开票日", "Invoice date")))] = "due"
    orders_are_invoices: Annotated[bool, S(
        T.BOOL, "订单即发票", "Orders are invoices",
        "是：已发货的订单即使没有发票号也按订单日期计为应收（不单独开票的客户）；否：已发货未开票的订单单列，不计入账龄和逾期。",
        "Yes: a shipped order without an invoice number is owed from its order date (offices that do not issue separate invoices); no: shipped orders not yet invoiced are shown apart, outside the ageing and overdue amounts.")] = False
    dunning_reminder_days: Annotated[int, Field(ge=1), S(
        T.INT, "催收：提醒天数", "Dunning: reminder after (days)",
        "客户最早一笔欠款逾期达到此天数时发付款提醒。",
        "Send a payment reminder when the customer's oldest overdue invoice is this many days late.")] = 10
    dunning_second_days: Annotated[int, Field(ge=1), S(
        T.INT, "催收：二次催款天数", "Dunning: second notice after (days)",
        "逾期达到此天数时发第二次催款通知并上门催收。",
        "Send a second notice and visit when the oldest overdue invoice is this many days late.")] = 30
    dunning_final_days: Annotated[int, Field(ge=1), S(
        T.INT, "催收：最后通知天数", "Dunning: final letter after (days)",
        "逾期达到此天数时发最后催款函并停止发货。",
        "Send the final letter and stop deliveries at this many days late.")] = 45
    dunning_agency_days: Annotated[int, Field(ge=1), S(
        T.INT, "催收：委外天数", "Dunning: collection agency after (days)",
        "逾期达到此天数时移交催收机构或法律程序。",
        "Hand the debt to a collection agency or lawyer at this many days late.")] = 90

    @model_validator(mode="after")
    def _dunning_order(self) -> "MoneySettings":
        ascending(dict(zip(DUNNING_KEYS, self.dunning_thresholds)),
                  "催收天数须逐级增大：提醒 < 二次催款 < 最后通知 < 委外",
                  "dunning days must rise level by level: reminder < second notice < final letter < agency")
        return self

    @property
    def dunning_thresholds(self) -> tuple[int, int, int, int]:
        """Days late of the reminder, second notice, final letter and agency levels."""
        return self.dunning_reminder_days, self.dunning_second_days, self.dunning_final_days, self.dunning_agency_days


class CommissionSettings(SettingsGroup):
    """Commission: tiers, basis, multipliers, settlement."""

    commission_tiers: Annotated[Tiers, S(
        T.TEXT, "提成比例阶梯", "Commission tiers",
        "“月度目标达成率:提成比例”，逗号分隔；达成率达到某门槛即按该档比例，最高一档封顶；无月度目标按达成率 0 计。",
        "“monthly achievement:rate” pairs, comma-separated; reaching a threshold earns its rate, the top tier is the cap; a month without a target counts as 0 % achievement.")] = "0:0,0.6:0.01,0.8:0.02,1.0:0.03,1.2:0.04"
    commission_basis: Annotated[CommissionBasis, S(
        T.ENUM, "提成基数", "Commission basis",
        "sales 按订单月份的净销售额；cash 按回款月份实际收回的发票金额（部分回款按比例）。",
        "sales: net sales in the order's month; cash: invoice amounts actually collected, in the month the cash came in (partial payments pro rata).",
        choices=(Choice("sales", "销售额", "Net sales"), Choice("cash", "回款额", "Cash collected")))] = "sales"
    commission_grade_multipliers: Annotated[GradeMultipliers, S(
        T.TEXT, "客户等级提成系数", "Commission multipliers by grade",
        "如 A:1.2,B:1.0,C:0.8,D:0.5；留空或未列出的等级系数为 1。",
        "E.g. A:1.2,B:1.0,C:0.8,D:0.5; blank or unlisted grades multiply by 1.")] = ""
    commission_line_multipliers: Annotated[LineMultipliers, S(
        T.TEXT, "产品线提成系数", "Commission multipliers by product line",
        "如 粮油调味:1.2,日化清洁:0.8；留空或未列出的产品线系数为 1。",
        "E.g. Food:1.2,Household:0.8; blank or unlisted product lines multiply by 1.")] = ""
    commission_settled_through: Annotated[dt.date | None, S(
        T.DATE, "佣金结算至", "Commission settled through",
        "此日期所在月及以前各月的佣金已结算，以后不再变动；留空则数据截止日期所在月之前的月份均视为已结算。",
        "Commission of this date's month and every month before is settled and never changes again; blank means every month before the as-of date's month is settled.")] = None
    commission_detail: Annotated[bool, S(
        T.BOOL, "写出佣金明细", "Write commission detail",
        "是则把每张结算单的明细行（每个订单、产品线一行）写入“佣金明细”表；否则只写结算单。",
        "Yes writes the lines behind every statement (one per order and product line) to the sheet CommissionDetail; no writes the statements only.")] = False


class PricingSettings(SettingsGroup):
    """Price checks."""

    price_check_months: Annotated[int, Field(ge=1, le=120), S(
        T.INT, "价格检查月数", "Price check months",
        "检查截至数据截止日期的最近这些个月的订单价格。",
        "Order lines of this many months up to the as-of date are checked against the price list.")] = 12


class ComplaintSettings(SettingsGroup):
    """Complaint deadlines: the clock they run on, acknowledge and resolve limits, repeat customers."""

    complaint_sla_clock: Annotated[ComplaintClock, S(
        T.ENUM, "投诉时限计时方式", "Complaint deadline clock",
        "working：只计工作日的工作时间（按中国法定节假日和调休）；calendar：按自然时间。",
        "working: only working hours of working days count (Chinese public holidays and make-up days); calendar: every hour counts.",
        choices=(Choice("working", "工作时间", "Working hours"), Choice("calendar", "自然时间", "Calendar time")))] = "working"
    work_day_hours: Annotated[DayHours, S(
        T.TEXT, "每日工作时间", "Working hours of a day",
        "工作日的上班和下班整点，如 9-18；投诉时限按工作时间计时时使用。",
        "The hours a working day starts and ends, e.g. 9-18; used when complaint deadlines run on working hours.")] = "9-18"
    complaint_ack_hours: Annotated[int, Field(ge=1, le=720), S(
        T.INT, "投诉受理时限（小时）", "Complaint acknowledge limit (hours)",
        "收到投诉后须在此小时数内受理（回应客户）。",
        "A complaint must be acknowledged (the customer answered) within this many hours.")] = 4
    complaint_resolve_days: Annotated[ResolveDays, S(
        T.TEXT, "投诉解决时限（天，按严重程度）", "Complaint resolve limit (days by severity)",
        "如 high:2,medium:5,low:10（严重、一般、轻微）；未列出的严重程度用最长的时限。",
        "E.g. high:2,medium:5,low:10; a severity not listed gets the longest limit.")] = "high:2,medium:5,low:10"
    complaint_repeat_count: Annotated[int, Field(ge=2), S(
        T.INT, "重复投诉次数", "Repeated complaints count",
        "客户在最近 12 个月内投诉达到此次数即列为重复投诉客户。",
        "A customer with this many complaints in the last 12 months is listed as a repeated-complaint customer.")] = 2


class SharingSettings(SettingsGroup):
    """Salesperson copies."""

    owner_salesperson: Annotated[str, S(
        T.ID, "副本所属销售员", "Copy made for salesperson",
        "由 salesxl share 填写：本副本发给哪位销售员（工号）；合并回总表时据此检查修改权限。",
        "Filled in by salesxl share: the salesperson (ID) this copy was made for; consolidation checks edits against it.")] = ""


class Settings(BaseModel):
    """Typed setting values: what the workbook says, else the declared default; each knows its cell.

    Build one with `parse_settings` (the reader) or `Settings.from_values` (tests, code);
    read it by group: `settings.routes.plan_weeks`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    general: GeneralSettings = GeneralSettings()
    cards: CardSettings = CardSettings()
    grades: GradeSettings = GradeSettings()
    composition: CompositionSettings = CompositionSettings()
    targets: TargetSettings = TargetSettings()
    reports: ReportSettings = ReportSettings()
    routes: RouteSettings = RouteSettings()
    money: MoneySettings = MoneySettings()
    commission: CommissionSettings = CommissionSettings()
    pricing: PricingSettings = PricingSettings()
    complaints: ComplaintSettings = ComplaintSettings()
    sharing: SharingSettings = SharingSettings()

    _given: frozenset[str] = PrivateAttr(default=frozenset())
    _rows: dict[str, int] = PrivateAttr(default_factory=dict)
    _cells: dict[str, str] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _plan_start_in_plan_year(self) -> "Settings":
        start, year = self.routes.plan_start, self.targets.plan_year
        rule(start is None or year is None or start.year == year, ("plan_year", "plan_start"),
             "路线计划开始日期须在计划年度之内", "the route plan start must lie in the plan year")
        return self

    @property
    def lang(self) -> Lang:
        return "en" if self.general.language == Language.EN else "zh"

    def is_set(self, key: str) -> bool:
        """True when the workbook gives this setting a value of its own (and the model took it)."""
        return key in self._given

    def source(self, key: str) -> Literal["workbook", "default"]:
        return "workbook" if key in self._given else "default"

    def row(self, key: str) -> int | None:
        """The Excel row of the setting on the Settings sheet; None when the sheet has no row for it."""
        return self._rows.get(key)

    def cell(self, key: str) -> str | None:
        """The address of the setting's value cell ("设置!C12"); None when the sheet has no row for it."""
        return self._cells.get(key)

    def sheet_values(self) -> dict[str, Any]:
        """Every setting by sheet key, as its cell would hold it (codes, numbers, dates, short text)."""
        return _flat(self)

    def given_values(self) -> dict[str, Any]:
        """The settings the workbook sets, by sheet key, as cells hold them."""
        return {key: value for key, value in _flat(self).items() if key in self._given}

    @classmethod
    def from_values(cls, values: Mapping[str, Any] | None = None) -> "Settings":
        """Settings from sheet keys and values (blank or None means the default); a bad value raises ValueError."""
        settings, problems = parse_settings(values or {})
        if problems:
            raise ValueError("; ".join(f"{p.key}: {p.en}" for p in problems))
        return settings

    def with_values(self, **changes: Any) -> "Settings":
        """A copy with some settings changed by sheet key (`with_values(plan_weeks=2)`); bad values raise."""
        return Settings.from_values({**self.given_values(), **changes})


GROUPS: dict[str, type[SettingsGroup]] = {name: field.annotation for name, field in Settings.model_fields.items()}


def _bounds(metadata: Iterable[Any]) -> tuple[float | None, float | None]:
    low = high = None
    for item in metadata:
        if isinstance(item, (annotated_types.Ge, annotated_types.Gt)):
            low = getattr(item, "ge", getattr(item, "gt", None))
        elif isinstance(item, (annotated_types.Le, annotated_types.Lt)):
            high = getattr(item, "le", getattr(item, "lt", None))
        elif hasattr(item, "metadata"):
            low, high = _bounds(item.metadata)
    return low, high


def _cell_form(value: Any) -> Any:
    return value.value if isinstance(value, StrEnum) else value


def _declarations() -> tuple[Setting, ...]:
    """Every sheet row, in sheet order, walked out of the model with defaults and ranges in cell terms."""
    defaults = Settings().model_dump()
    found = []
    for group, model in GROUPS.items():
        for name, info in model.model_fields.items():
            declared = [m for m in info.metadata if isinstance(m, (Setting, PerGrade))]
            assert len(declared) == 1, f"setting {group}.{name} needs exactly one declaration"
            default = defaults[group][name]
            if isinstance(declared[0], PerGrade):
                value_type = info.annotation.__args__[1]  # dict[Grade, Weeks]
                low, high = _bounds(getattr(value_type, "__metadata__", ()))
                for grade, setting in declared[0].rows.items():
                    found.append(replace(setting, default=_cell_form(default[grade]), minimum=low, maximum=high,
                                         path=(group, name, grade)))
            else:
                setting = declared[0]
                low, high = _bounds(info.metadata)
                found.append(replace(setting, key=name, default=_cell_form(default), minimum=low, maximum=high,
                                     path=(group, name, None)))
                if setting.choices:
                    enum = info.annotation
                    assert {c.code for c in setting.choices} == {e.value for e in enum}, f"choices of {name}"
    keys = [s.key for s in found]
    assert len(set(keys)) == len(keys), "a setting key is declared twice"
    return tuple(found)


SETTINGS_DECLARED: tuple[Setting, ...] = _declarations()
SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS_DECLARED}
_ORDER = {s.key: i for i, s in enumerate(SETTINGS_DECLARED)}


def _flat(settings: Settings) -> dict[str, Any]:
    dump = settings.model_dump()
    flat = {}
    for s in SETTINGS_DECLARED:
        group, name, grade = s.path
        value = dump[group][name]
        flat[s.key] = _cell_form(value[grade] if grade is not None else value)
    return flat


_DEFAULTS: dict[str, Any] = _flat(Settings())


def _nest(flat: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    nested: dict[str, dict[str, Any]] = {group: {} for group in GROUPS}
    for key, value in flat.items():
        group, name, grade = SETTINGS_BY_KEY[key].path
        if grade is None:
            nested[group][name] = value
        else:
            nested[group].setdefault(name, {})[grade] = value
    return nested


@dataclass(frozen=True)
class SettingProblem:
    """A setting value the model refused: where it sits (`key`), why (zh/en), which other settings a broken
    cross-field rule involves, and the refused value. The setting falls back to its default."""

    key: str
    zh: str
    en: str
    others: tuple[str, ...] = ()
    value: Any = None

    def reason(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def parse_settings(values: Mapping[str, Any], rows: Mapping[str, int] | None = None,
                   cells: Mapping[str, str] | None = None) -> tuple[Settings, list[SettingProblem]]:
    """The model of the sheet's values (by key; None means blank); each refused value becomes a problem
    and falls back to its default. `rows`/`cells` say where each setting sits on the sheet."""
    given = {key: value for key, value in values.items() if value is not None}
    problems: list[SettingProblem] = []
    while True:
        try:
            settings = Settings.model_validate(_nest({**_DEFAULTS, **given}))
            break
        except ValidationError as error:
            dropped = False
            for found in error.errors():
                for problem in _problems(found, given):
                    problems.append(problem)
                    dropped |= given.pop(problem.key, _MISSING) is not _MISSING
            if not dropped:
                raise  # the defaults themselves break a rule: a declaration bug
    settings._given = frozenset(given)
    settings._rows = dict(rows or {})
    settings._cells = dict(cells or {})
    return settings, problems


_MISSING = object()


def _problems(error: Any, given: Mapping[str, Any]) -> list[SettingProblem]:
    """The problem(s) of one pydantic error, at the key(s) it is about."""
    ctx = error.get("ctx") or {}
    if error["type"] == "setting_rule":
        keys = sorted(ctx["keys"], key=_ORDER.__getitem__)
        mine = [k for k in keys if k in given]
        if not mine:
            return []
        at = mine[-1]
        return [SettingProblem(at, ctx["zh"], ctx["en"], tuple(k for k in keys if k != at), given[at])]
    keys = _keys_at(error["loc"])
    found = []
    for key in (k for k in keys if k in given):
        if error["type"] == "setting_invalid":
            zh, en = ctx["zh"], ctx["en"]
        elif error["type"] in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            setting = SETTINGS_BY_KEY[key]
            span = f"{_num(setting.minimum)}–{_num(setting.maximum)}"
            zh, en = f"超出范围 {span}", f"out of range {span}"
        else:
            zh = en = error["msg"]
        found.append(SettingProblem(key, zh, en, (), given[key]))
    return found


def _num(value: float | None) -> str:
    return "" if value is None else text.number_text(value)


def _keys_at(loc: tuple) -> list[str]:
    """The sheet keys a pydantic error location (group, field[, grade]) points at."""
    if len(loc) < 2:
        return []
    group, name = loc[0], loc[1]
    grade = Grade.parse(loc[2]) if len(loc) > 2 else None
    return [s.key for s in SETTINGS_DECLARED if s.path[:2] == (group, name) and (grade is None or s.path[2] == grade)]
