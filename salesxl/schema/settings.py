"""Every setting salesxl understands, with its type, default and meaning.

The Settings sheet of the template lists these; a blank value means the
default. Passes read their settings through `Settings`, never with literals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from salesxl.core.issues import Lang
from salesxl.schema.types import Choice, ColType as T


@dataclass(frozen=True)
class Setting:
    key: str
    type: T
    default: Any
    zh: str
    en: str
    description_zh: str
    description_en: str
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def description(self, lang: Lang) -> str:
        return self.description_zh if lang == "zh" else self.description_en


S = Setting
LANGUAGES = (Choice("zh", "中文", "Chinese"), Choice("en", "英文", "English"))

SETTINGS_DECLARED: tuple[Setting, ...] = (
    S("language", T.ENUM, "zh", "工作簿语言", "Workbook language",
      "生成的工作表和提示所用语言：zh 或 en。", "Language of generated sheets and messages: zh or en.",
      choices=LANGUAGES),
    S("company_name", T.TEXT, "", "公司名称", "Company name",
      "报表和客户卡片标题中显示的公司名称。", "Company name shown in report and card titles."),
    S("as_of_date", T.DATE, None, "数据截止日期", "As-of date",
      "分析所依据的日期；留空则取数据中最晚的日期。", "Date the analysis is made as of; blank means the latest date in the data."),
    S("currency_unit", T.INT, 1, "金额单位（元）", "Currency unit (yuan)",
      "目标分解取整的单位：1 为元，100 为百元。", "Unit targets are rounded to: 1 = yuan, 100 = hundreds.",
      minimum=1),
    S("stale_card_days", T.INT, 90, "档案过期天数", "Stale card days",
      "成交客户超过此天数无拜访记录即提示档案过期。", "An active customer with no visit for this many days has a stale card.",
      minimum=1),
    S("completeness_min", T.PERCENT, 0.8, "档案完整度下限", "Minimum card completeness",
      "成交客户档案完整度低于此值时提示。", "Warn when an active customer's card is less complete than this.",
      minimum=0, maximum=1),
    S("revenue_audit_ratio", T.PERCENT, 1.0, "自报营业额审核比例", "Reported revenue audit ratio",
      "客户自报年营业额低于我方上年销售额乘以此比例时需审核。",
      "Audit when the reported annual revenue is below last year's sales to the customer times this ratio.",
      minimum=0),
    S("china_bounds", T.TEXT, "18.0,53.6,73.5,135.1", "中国范围（纬度下限,上限,经度下限,上限）",
      "China bounds (lat min,max, lon min,max)",
      "经纬度须落在此范围内。", "Coordinates must fall inside this box."),
    # -- grades settings --
    S("grade_abc_a_share", T.PERCENT, 0.8, "A类累计销售占比", "ABC: A cumulative share",
      "近12个月净销售额从高到低累计，累计占比达到此值之前的客户（含越过此值的那位）为A类。",
      "Customers sorted by trailing-12-month net sales are class A until their cumulative share reaches this (the one crossing it is A).",
      minimum=0, maximum=1),
    S("grade_abc_b_share", T.PERCENT, 0.95, "B类累计销售占比", "ABC: B cumulative share",
      "A类之后累计占比达到此值之前的客户（含越过此值的那位）为B类，其余有销售的为C类。",
      "After class A, customers are class B until the cumulative share reaches this (the crossing one is B); the rest with sales are C.",
      minimum=0, maximum=1),
    S("grade_new_days", T.INT, 90, "新客户天数", "New customer days",
      "近12个月无销售、但建档或首次交易在此天数内的客户记为新客户。",
      "A customer without sales in the last 12 months whose card was created or first trade happened within this many days is new.",
      minimum=1),
    S("grade_weight_volume", T.NUMBER, 0.35, "权重：销量", "Weight: volume",
      "综合等级中销量得分（近12个月净销售额百分位）的权重。", "Weight of the volume score (percentile of trailing-12-month net sales).",
      minimum=0),
    S("grade_weight_growth", T.NUMBER, 0.15, "权重：增长", "Weight: growth",
      "综合等级中增长得分（近12个月对比之前12个月）的权重。", "Weight of the growth score (last 12 months against the 12 before).",
      minimum=0),
    S("grade_weight_payment", T.NUMBER, 0.2, "权重：回款", "Weight: payment",
      "综合等级中回款得分（平均逾期天数和逾期发票占比）的权重。", "Weight of the payment score (average days late and share of invoices paid late).",
      minimum=0),
    S("grade_weight_rfm", T.NUMBER, 0.2, "权重：购买频率与近度", "Weight: recency and frequency",
      "综合等级中RFM得分（最近购买和购买次数的五分位）的权重。", "Weight of the RFM score (quintiles of recency and order frequency).",
      minimum=0),
    S("grade_weight_potential", T.NUMBER, 0.1, "权重：潜力", "Weight: potential",
      "综合等级中潜力得分（档案中的发展潜力、销售能力、合作态度、年营业额）的权重。",
      "Weight of the potential score (growth potential, sales capacity, cooperation attitude and annual revenue on the card).",
      minimum=0),
    S("grade_growth_cap", T.PERCENT, 1.0, "增长封顶", "Growth cap",
      "增长率超过正负此值按此值计分；增长+此值得100分，-此值得0分。",
      "Growth beyond plus or minus this counts as this; +cap scores 100, -cap scores 0.",
      minimum=0.01),
    S("grade_late_days_cap", T.INT, 60, "逾期天数满扣", "Days late for zero",
      "平均逾期天数达到此值时，回款得分中天数部分为0分。", "Average days late at which the days half of the payment score is 0.",
      minimum=1),
    S("grade_rfm_min_buyers", T.INT, 50, "五分位最少客户数", "Buyers for quintiles",
      "有购买的客户少于此数时，RFM按四分位而不是五分位计分。", "With fewer buyers than this, RFM scores use quartiles instead of quintiles.",
      minimum=1),
    S("grade_score_a", T.NUMBER, 75, "A级分数线", "Grade A score",
      "综合得分达到此值为A级。", "A weighted score of at least this is grade A.", minimum=0, maximum=100),
    S("grade_score_b", T.NUMBER, 55, "B级分数线", "Grade B score",
      "综合得分达到此值为B级。", "A weighted score of at least this is grade B.", minimum=0, maximum=100),
    S("grade_score_c", T.NUMBER, 35, "C级分数线", "Grade C score",
      "综合得分达到此值为C级，低于此值为D级。", "A weighted score of at least this is grade C; below it, D.", minimum=0, maximum=100),
    S("credit_overdue_days", T.INT, 30, "逾期提示天数", "Overdue flag days",
      "应收款逾期超过此天数时标记信用提示。", "Flag a customer whose receivables are overdue by more than this many days.",
      minimum=0),
    S("credit_limit_rounding", T.INT, 1000, "建议额度取整", "Suggested limit rounding",
      "建议信用额度四舍五入到此金额的整数倍。", "The suggested credit limit is rounded to a multiple of this.",
      minimum=1),
    S("composition_weak_ratio", T.NUMBER, 2.0, "薄弱环节倍数", "Weak spot ratio",
      "某类客户数占比达到其销售额占比的此倍数时列为销售薄弱环节。",
      "A group whose share of customers is at least this many times its share of sales is listed as a weak spot.",
      minimum=1),
    S("composition_weak_min_share", T.PERCENT, 0.05, "薄弱环节最小客户占比", "Weak spot minimum customer share",
      "客户数占比低于此值的类别不列为薄弱环节。", "Groups with a smaller share of customers than this are not listed as weak spots.",
      minimum=0, maximum=1),
    # -- targets settings --
    S("plan_year", T.INT, None, "计划年度", "Plan year",
      "分解哪一年的目标；留空则取数据截止日期所在年份。", "Year whose targets are decomposed; blank means the as-of date's year.",
      minimum=2000, maximum=2100),
    S("seasonality_index", T.TEXT, "", "季节指数（12个月）", "Seasonality index (12 months)",
      "12个逗号分隔的非负数，按比例把年度目标分到各月；留空则按前三个完整年度的月度销售占比，无历史时按工作日。",
      "12 comma-separated non-negative numbers that split the year by month; blank means the monthly shares "
      "of the last three full years of sales, or working days when there is no history."),
    S("target_weights", T.ENUM, "history", "目标分配依据", "Target weights",
      "未单独设定目标的销售员按此分摊上级目标：history 上年销售占比，revenue 成交客户年营业额，"
      "customers 成交客户数，manual 目标表中销售员行的分解权重。",
      "How salespeople without a target of their own share their parent's target: history = last year's share "
      "of net sales, revenue = annual revenue of their active customers, customers = number of active customers, "
      "manual = the Weight column of their rows in Targets.",
      choices=(Choice("history", "上年销售占比", "Last year's sales"), Choice("revenue", "客户年营业额", "Customer revenue"),
               Choice("customers", "成交客户数", "Active customers"), Choice("manual", "手工权重", "Manual weights"))),
    S("target_growth", T.PERCENT, 0.0, "目标增长率", "Target growth",
      "没有任何上级目标的销售员，目标取上年净销售额乘以（1+增长率）。",
      "A salesperson with no target above them is planned at last year's net sales times (1 + growth)."),
    S("performance_collections", T.BOOL, False, "业绩含回款", "Performance with collections",
      "是否在业绩达成表中同时列出回款额及其达成率。", "Also show collections and their achievement in Performance."),
    S("report_date", T.DATE, None, "日报日期", "Report date",
      "日报、周报所针对的日期；留空则取数据截止日期。", "Date of the daily and weekly report; blank means the as-of date."),
    S("inquiry_reply_minutes", T.INT, 30, "询价响应时限（分钟）", "Inquiry reply limit (minutes)",
      "询价在此分钟数内报价视为及时。", "An inquiry quoted within this many minutes counts as answered in time.",
      minimum=1),
    S("key_customers_top", T.INT, 10, "重点客户数", "Key customers",
      "无分级结果时，周报取近12个月销售额最高的这些客户作为重点客户。",
      "Without grades, the weekly report takes this many customers with the highest trailing 12-month sales as key.",
      minimum=1),
    # -- routes settings --
    S("office_lat", T.LAT, None, "公司纬度", "Office latitude",
      "销售员未填出发点时，从公司出发拜访；留空则取其客户的中心。",
      "Salespeople without a start point leave from the office; blank means the centre of their customers."),
    S("office_lon", T.LON, None, "公司经度", "Office longitude",
      "与公司纬度配合使用。", "Used together with the office latitude."),
    S("plan_start", T.DATE, None, "路线计划开始日期", "Route plan start",
      "留空则从数据截止日期后的第一个工作日开始。", "Blank means the first working day after the as-of date."),
    S("plan_weeks", T.INT, 4, "路线计划周数", "Route plan weeks",
      "拜访路线覆盖的日历周数；法定节假日不安排拜访，调休上班日安排。",
      "Calendar weeks the visit plan covers; public holidays get no visits, make-up working days do.",
      minimum=1, maximum=26),
    S("visit_every_weeks_a", T.INT, 1, "A级客户拜访间隔（周）", "Grade A visit interval (weeks)",
      "每隔几个工作周拜访一次（一个工作周为5个工作日）；0 为按需拜访，不排入计划。",
      "Working weeks (five working days each) between visits; 0 means on demand, not planned.",
      minimum=0, maximum=26),
    S("visit_every_weeks_b", T.INT, 2, "B级客户拜访间隔（周）", "Grade B visit interval (weeks)",
      "默认每两周一次。", "Default: every two weeks.", minimum=0, maximum=26),
    S("visit_every_weeks_c", T.INT, 4, "C级客户拜访间隔（周）", "Grade C visit interval (weeks)",
      "默认每月（四周）一次。", "Default: monthly (every four weeks).", minimum=0, maximum=26),
    S("visit_every_weeks_d", T.INT, 0, "D级客户拜访间隔（周）", "Grade D visit interval (weeks)",
      "默认按需拜访（0），不排入计划。", "Default: on demand (0), not planned.", minimum=0, maximum=26),
    S("visit_every_weeks_intent", T.INT, 2, "意向客户开发拜访间隔（周）", "Intent customer development visit interval (weeks)",
      "未按等级排入的意向客户每隔几个工作周开发拜访一次，排在分级客户之后；0 为不安排。",
      "Working weeks between development visits to intent customers their grade does not plan; "
      "planned after the graded customers; 0 means none.", minimum=0, maximum=26),
    S("prospect_visits_per_plan", T.INT, 1, "潜在客户每期开发拜访次数", "Prospect development visits per plan",
      "每个潜在客户在一期拜访计划内的开发拜访次数，排在意向客户之后，新建档的优先；0 为不安排。",
      "Development visits per prospect in one visit plan, after the intent customers, newest cards first; "
      "0 means none.", minimum=0, maximum=26),
    S("max_visits_per_day", T.INT, 10, "每日最多拜访", "Max visits per day",
      "销售员表未填时使用。", "Used when the Salespeople sheet gives none.", minimum=1, maximum=40),
    S("visit_minutes", T.INT, 30, "每次拜访时长（分钟）", "Minutes per visit",
      "在客户处停留的时间。", "Time spent at each customer.", minimum=1, maximum=480),
    S("travel_speed_kmh", T.NUMBER, 25, "平均车速（公里/小时）", "Average travel speed (km/h)",
      "市内平均行驶速度。", "Average speed of travel in town.", minimum=1, maximum=120),
    S("road_factor", T.NUMBER, 1.3, "道路绕行系数", "Road circuity factor",
      "道路里程与直线距离之比。", "Road distance divided by straight-line distance.", minimum=1, maximum=3),
    S("working_minutes", T.INT, 480, "每日工作时长（分钟）", "Working minutes per day",
      "含路上时间和拜访时间。", "Travel and visits together.", minimum=60, maximum=720),
    S("day_start", T.TEXT, "09:00", "出发时间", "Day start time",
      "每天从出发点出发的时间，如 09:00。", "Time of leaving the start point each day, e.g. 09:00."),
    S("route_solver", T.ENUM, "auto", "路线求解器", "Route solver",
      "auto 自动选择；vroom、ortools 需安装相应软件包；numpy 无需额外软件包。",
      "auto chooses; vroom and ortools need their packages; numpy needs none.",
      choices=(Choice("auto", "自动", "Automatic"), Choice("vroom", "VROOM", "VROOM"),
               Choice("ortools", "OR-Tools", "OR-Tools"), Choice("numpy", "内置", "Built-in"))),
    # -- money settings --
    S("ageing_buckets", T.TEXT, "0,30,60,90,180", "账龄分段（天）", "Ageing buckets (days)",
      "逗号分隔、由小到大的天数上限；默认分为未到期、1–30、31–60、61–90、91–180 和 180 天以上。",
      "Comma-separated upper day limits, ascending; the default gives current, 1–30, 31–60, 61–90, 91–180 and over 180 days."),
    S("ageing_basis", T.ENUM, "due", "账龄计算依据", "Ageing basis",
      "due 按到期日起算逾期天数；invoice 按开票日起算账龄。逾期金额始终按到期日计算。",
      "due: days past the due date; invoice: days since the invoice date. Overdue amounts always count from the due date.",
      choices=(Choice("due", "到期日", "Due date"), Choice("invoice", "开票日", "Invoice date"))),
    S("orders_are_invoices", T.BOOL, False, "订单即发票", "Orders are invoices",
      "是：已发货的订单即使没有发票号也按订单日期计为应收（不单独开票的客户）；否：已发货未开票的订单单列，不计入账龄和逾期。",
      "Yes: a shipped order without an invoice number is owed from its order date (offices that do not issue separate "
      "invoices); no: shipped orders not yet invoiced are shown apart, outside the ageing and overdue amounts."),
    S("dunning_reminder_days", T.INT, 10, "催收：提醒天数", "Dunning: reminder after (days)",
      "客户最早一笔欠款逾期达到此天数时发付款提醒。", "Send a payment reminder when the customer's oldest overdue invoice is this many days late.",
      minimum=1),
    S("dunning_second_days", T.INT, 30, "催收：二次催款天数", "Dunning: second notice after (days)",
      "逾期达到此天数时发第二次催款通知并上门催收。", "Send a second notice and visit when the oldest overdue invoice is this many days late.",
      minimum=1),
    S("dunning_final_days", T.INT, 45, "催收：最后通知天数", "Dunning: final letter after (days)",
      "逾期达到此天数时发最后催款函并停止发货。", "Send the final letter and stop deliveries at this many days late.",
      minimum=1),
    S("dunning_agency_days", T.INT, 90, "催收：委外天数", "Dunning: collection agency after (days)",
      "逾期达到此天数时移交催收机构或法律程序。", "Hand the debt to a collection agency or lawyer at this many days late.",
      minimum=1),
    S("commission_tiers", T.TEXT, "0:0,0.6:0.01,0.8:0.02,1.0:0.03,1.2:0.04", "提成比例阶梯", "Commission tiers",
      "“月度目标达成率:提成比例”，逗号分隔；达成率达到某门槛即按该档比例，最高一档封顶；无月度目标按达成率 0 计。",
      "“monthly achievement:rate” pairs, comma-separated; reaching a threshold earns its rate, the top tier is the cap; "
      "a month without a target counts as 0 % achievement."),
    S("commission_basis", T.ENUM, "sales", "提成基数", "Commission basis",
      "sales 按订单月份的净销售额；cash 按回款月份实际收回的发票金额（部分回款按比例）。",
      "sales: net sales in the order's month; cash: invoice amounts actually collected, in the month the cash came in "
      "(partial payments pro rata).",
      choices=(Choice("sales", "销售额", "Net sales"), Choice("cash", "回款额", "Cash collected"))),
    S("commission_grade_multipliers", T.TEXT, "", "客户等级提成系数", "Commission multipliers by grade",
      "如 A:1.2,B:1.0,C:0.8,D:0.5；留空或未列出的等级系数为 1。", "E.g. A:1.2,B:1.0,C:0.8,D:0.5; blank or unlisted grades multiply by 1."),
    S("commission_line_multipliers", T.TEXT, "", "产品线提成系数", "Commission multipliers by product line",
      "如 粮油调味:1.2,日化清洁:0.8；留空或未列出的产品线系数为 1。",
      "E.g. Food:1.2,Household:0.8; blank or unlisted product lines multiply by 1."),
    S("commission_settled_through", T.DATE, None, "佣金结算至", "Commission settled through",
      "此日期所在月及以前各月的佣金已结算，以后不再变动；留空则数据截止日期所在月之前的月份均视为已结算。",
      "Commission of this date's month and every month before is settled and never changes again; "
      "blank means every month before the as-of date's month is settled."),
    S("commission_detail", T.BOOL, False, "写出佣金明细", "Write commission detail",
      "是则把每张结算单的明细行（每个订单、产品线一行）写入“佣金明细”表；否则只写结算单。",
      "Yes writes the lines behind every statement (one per order and product line) to the sheet CommissionDetail; "
      "no writes the statements only."),
    S("price_check_months", T.INT, 12, "价格检查月数", "Price check months",
      "检查截至数据截止日期的最近这些个月的订单价格。", "Order lines of this many months up to the as-of date are checked against the price list.",
      minimum=1, maximum=120),
    S("reminder_days", T.INT, 14, "提醒天数", "Reminder days",
      "提醒未来这些天内到期的回访、生日、节假日、档案复核和合同到期。",
      "Remind of follow-ups, birthdays, holidays, card reviews and contract ends due within this many days.",
      minimum=1, maximum=366),
    S("card_review_days", T.INT, 180, "档案复核天数", "Card review days",
      "客户档案超过此天数未更新即提醒复核。", "Remind to review a customer card not updated for this many days.",
      minimum=1),
    S("owner_salesperson", T.ID, "", "副本所属销售员", "Copy made for salesperson",
      "由 salesxl share 填写：本副本发给哪位销售员（工号）；合并回总表时据此检查修改权限。",
      "Filled in by salesxl share: the salesperson (ID) this copy was made for; consolidation checks edits against it."),
    # -- complaints and market information settings (issue 18) --
    S("complaint_sla_clock", T.ENUM, "working", "投诉时限计时方式", "Complaint deadline clock",
      "working：只计工作日的工作时间（按中国法定节假日和调休）；calendar：按自然时间。",
      "working: only working hours of working days count (Chinese public holidays and make-up days); "
      "calendar: every hour counts.",
      choices=(Choice("working", "工作时间", "Working hours"), Choice("calendar", "自然时间", "Calendar time"))),
    S("work_day_hours", T.TEXT, "9-18", "每日工作时间", "Working hours of a day",
      "工作日的上班和下班整点，如 9-18；投诉时限按工作时间计时时使用。",
      "The hours a working day starts and ends, e.g. 9-18; used when complaint deadlines run on working hours."),
    S("complaint_ack_hours", T.INT, 4, "投诉受理时限（小时）", "Complaint acknowledge limit (hours)",
      "收到投诉后须在此小时数内受理（回应客户）。", "A complaint must be acknowledged (the customer answered) within this many hours.",
      minimum=1, maximum=720),
    S("complaint_resolve_days", T.TEXT, "high:2,medium:5,low:10", "投诉解决时限（天，按严重程度）",
      "Complaint resolve limit (days by severity)",
      "如 high:2,medium:5,low:10（严重、一般、轻微）；未列出的严重程度用最长的时限。",
      "E.g. high:2,medium:5,low:10; a severity not listed gets the longest limit."),
    S("complaint_repeat_count", T.INT, 2, "重复投诉次数", "Repeated complaints count",
      "客户在最近 12 个月内投诉达到此次数即列为重复投诉客户。",
      "A customer with this many complaints in the last 12 months is listed as a repeated-complaint customer.",
      minimum=2),
    S("grade_weight_complaints", T.NUMBER, 0.05, "权重：投诉扣分", "Weight: complaint deduction",
      "综合分减去投诉扣分（近12个月投诉按严重程度计 0–100）乘以此权重；为 0 则投诉不影响等级。",
      "The composite score loses the complaint deduction (last 12 months' complaints by severity, 0-100) times this "
      "weight; 0 leaves grades untouched by complaints.",
      minimum=0, maximum=1),
    S("market_reports_per_month", T.INT, 4, "每月市场信息报备数", "Market reports a month",
      "每位销售员每月至少报备的市场信息条数；不足的在周报中标出。",
      "Each salesperson reports at least this many market items a month; those short of it are flagged on the weekly report.",
      minimum=0, maximum=100),
)

SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS_DECLARED}


class Settings(Mapping[str, Any]):
    """Typed setting values: what the workbook says, else the declared default."""

    def __init__(self, values: Mapping[str, Any] | None = None):
        self._values = {s.key: s.default for s in SETTINGS_DECLARED}
        self._explicit: set[str] = set()
        for key, value in (values or {}).items():
            if value is not None:
                self._values[key] = value
                self._explicit.add(key)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def is_set(self, key: str) -> bool:
        """True when the workbook gives this setting a value of its own."""
        return key in self._explicit

    def replace(self, **changes: Any) -> "Settings":
        merged = {k: self._values[k] for k in self._explicit}
        merged.update(changes)
        return Settings(merged)

    @property
    def lang(self) -> Lang:
        return "en" if self._values.get("language") == "en" else "zh"

    def date(self, key: str) -> dt.date | None:
        value = self._values.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        return value
