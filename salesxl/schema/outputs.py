"""Tool-owned sheets: salesxl deletes and rewrites them on every run."""

from __future__ import annotations

from dataclasses import dataclass

from salesxl.core.issues import Lang


@dataclass(frozen=True)
class OutputSheet:
    key: str
    zh: str
    en: str

    def sheet_name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, str]:
        return (self.zh, self.en)


OUTPUTS: tuple[OutputSheet, ...] = (
    OutputSheet("validation", "校验结果", "Validation"),
    OutputSheet("grades", "客户分级", "Grades"),
    OutputSheet("routes", "拜访路线", "Routes"),
    OutputSheet("target_plan", "目标分解", "TargetPlan"),
    OutputSheet("performance", "业绩达成", "Performance"),
    OutputSheet("receivables", "应收账龄", "Receivables"),
    OutputSheet("composition", "客户构成", "Composition"),
    OutputSheet("expense_report", "费用报表", "ExpenseReport"),
    OutputSheet("commission", "佣金", "Commission"),
    OutputSheet("commission_detail", "佣金明细", "CommissionDetail"),
    OutputSheet("daily_report", "日报", "DailyReport"),
    OutputSheet("weekly_report", "周报", "WeeklyReport"),
    OutputSheet("monthly_report", "客户月报", "MonthlyReport"),
    OutputSheet("price_check", "价格执行", "PriceCheck"),
    OutputSheet("contracts", "合同询价统计", "ContractStats"),
    OutputSheet("complaints", "投诉处理", "ComplaintReport"),
    OutputSheet("market", "市场信息汇总", "MarketReport"),
    OutputSheet("reminders", "提醒", "Reminders"),
    OutputSheet("merge_log", "合并记录", "MergeLog"),
    OutputSheet("conflicts", "冲突", "Conflicts"),
    OutputSheet("run_log", "运行记录", "RunLog"),
)
OUTPUTS_BY_KEY: dict[str, OutputSheet] = {o.key: o for o in OUTPUTS}

#: Tab colour that marks a sheet as generated (do not edit).
TOOL_TAB_COLOR = "FF7F7F7F"

#: Hidden tool-owned sheets that carry state from run to run (past grades, settled months).
#: The reader hands their raw rows to the passes as `Book.state[key]`.
STATE_SHEETS: tuple[OutputSheet, ...] = (
    OUTPUTS_BY_KEY["run_log"],  # the run log and the merge log are their own history
    OUTPUTS_BY_KEY["merge_log"],
    OutputSheet("grade_history", "客户分级历史", "GradeHistory"),
    OutputSheet("commission_settled", "佣金结算记录", "CommissionSettled"),
    OutputSheet("form_conflicts", "客户自填冲突", "FormConflicts"),
    OutputSheet("id_register", "编号登记", "IdRegister"),
    OutputSheet("share_register", "共享登记", "ShareRegister"),  # the master's copy secret and copies seen
    OutputSheet("share_base", "发送基准", "ShareBase"),  # in a copy: what was sent, signed by the master
)
STATE_SHEETS_BY_KEY: dict[str, OutputSheet] = {s.key: s for s in STATE_SHEETS}
