"""The Performance sheet: achievement per salesperson for the week, month, quarter and year to date.

Charts: year-to-date achievement per salesperson (bars) and the cumulative
actual against the cumulative target by month (lines).
"""

from __future__ import annotations

from typing import Any

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ChartSeries, ChartSpec, ColumnSpec, SheetSpec
from salesxl.passes.performance import PERIODS, Performance
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"as_of": "数据截止日期", "year": "计划年度",
           "week": "本周", "month": "本月", "quarter": "本季度", "ytd": "本年累计",
           "rank": "排名", "id": "工号", "name": "姓名", "region": "区域", "target": "目标", "actual": "实际销售",
           "achievement": "达成率", "elapsed": "时间进度", "gap": "差额", "forecast": "预计期末",
           "collected": "回款", "collection_achievement": "回款达成率", "total": "合计", "period": "期间",
           "chart_ytd": "本年累计达成率", "mon": "月份", "cum_target": "累计目标", "cum_actual": "累计实际",
           "m_target": "当月目标", "m_actual": "当月实际", "cumulative": "按月累计目标与实际",
           "chart_cum": "累计实际与目标", "ranking": "本年累计达成排名"},
    "en": {"as_of": "As of", "year": "Plan year",
           "week": "This week", "month": "This month", "quarter": "This quarter", "ytd": "Year to date",
           "rank": "Rank", "id": "ID", "name": "Name", "region": "Region", "target": "Target", "actual": "Actual",
           "achievement": "Achievement", "elapsed": "Time elapsed", "gap": "Gap", "forecast": "Forecast",
           "collected": "Collected", "collection_achievement": "Collection achievement", "total": "Total",
           "period": "Period", "chart_ytd": "Year-to-date achievement", "mon": "Month", "cum_target": "Cumulative target",
           "cum_actual": "Cumulative actual", "m_target": "Month target", "m_actual": "Month actual",
           "cumulative": "Cumulative target and actual by month", "chart_cum": "Cumulative actual vs target",
           "ranking": "Year-to-date ranking"},
}
PERIOD_WORDS = dict(zip(PERIODS, ("week", "month", "quarter", "ytd")))


@register_report("performance")
def build(ctx: ReportContext, perf: Performance) -> SheetSpec:
    lang = ctx.lang
    w = WORDS[lang]
    blocks = [Block([ColumnSpec(w["as_of"], "date", width=12), ColumnSpec(w["year"], "int", width=10)],
                    [[perf.as_of, perf.year]])]
    blocks += [period_block(perf, name, lang) for name in PERIODS]
    ranking, cumulative = len(blocks), len(blocks) + 1
    blocks += [ranking_block(perf, lang), cumulative_block(perf, lang)]
    charts = [
        ChartSpec("bar", w["chart_ytd"], (ChartSeries(w["achievement"], ranking, 3, categories_column=2),),
                  anchor="Q1", y_title=w["achievement"]),
        ChartSpec("line", w["chart_cum"], (ChartSeries(w["cum_target"], cumulative, 3),
                                           ChartSeries(w["cum_actual"], cumulative, 4)),
                  anchor="Q19", x_title=w["mon"]),
    ]
    return SheetSpec(key="performance", name=OUTPUTS_BY_KEY["performance"].sheet_name(lang), blocks=blocks,
                     charts=charts)


def period_block(perf: Performance, period: str, lang: Lang) -> Block:
    """Every salesperson's figures for one period, the total row last."""
    w = WORDS[lang]
    columns = [ColumnSpec(w["rank"], "int", width=6), ColumnSpec(w["id"], width=10), ColumnSpec(w["name"], width=10),
               ColumnSpec(w["region"], width=10), ColumnSpec(w["target"], "money"), ColumnSpec(w["actual"], "money"),
               ColumnSpec(w["achievement"], "percent", width=10), ColumnSpec(w["elapsed"], "percent", width=10),
               ColumnSpec(w["gap"], "money"), ColumnSpec(w["forecast"], "money")]
    if perf.collections:
        columns += [ColumnSpec(w["collected"], "money"), ColumnSpec(w["collection_achievement"], "percent", width=12)]
    rows = []
    for r in perf.period(period, totals=True).itertuples():
        total = r.salesperson_id == ""
        row = [None if total else _int(r.rank), w["total"] if total else r.salesperson_id, r.name or None,
               r.region or None, _money(r.target), _money(r.actual), _num(r.achievement), _num(r.time_elapsed),
               _money(r.gap), _money(r.forecast)]
        if perf.collections:
            row += [_money(r.collected), _num(r.collection_achievement)]
        rows.append(row)
    first = perf.period(period, totals=True).iloc[0] if rows else None
    span = f" ({first['start']:%Y-%m-%d} – {first['end']:%Y-%m-%d})" if first is not None else ""
    return Block(columns, rows, title=w[PERIOD_WORDS[period]] + span)


def ranking_block(perf: Performance, lang: Lang) -> Block:
    """Salespeople by year-to-date rank: the source of the achievement bar chart."""
    w = WORDS[lang]
    ytd = perf.period("year").sort_values("rank")
    rows = [[_int(r.rank), r.salesperson_id, r.name or r.salesperson_id, _num(r.achievement)] for r in ytd.itertuples()]
    return Block([ColumnSpec(w["rank"], "int", width=6), ColumnSpec(w["id"], width=10), ColumnSpec(w["name"], width=10),
                  ColumnSpec(w["achievement"], "percent", width=10)], rows, title=w["ranking"])


def cumulative_block(perf: Performance, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[f"{r.month}月" if lang == "zh" else f"M{r.month}", _money(r.target), _money(r.actual),
             _money(r.cum_target), _money(r.cum_actual)] for r in perf.months.itertuples()]
    return Block([ColumnSpec(w["mon"], width=8), ColumnSpec(w["m_target"], "money"), ColumnSpec(w["m_actual"], "money"),
                  ColumnSpec(w["cum_target"], "money"), ColumnSpec(w["cum_actual"], "money")], rows,
                 title=w["cumulative"])


def _num(value: Any) -> float | None:
    return None if value is None or value != value else float(value)


def _money(value: Any) -> float | None:
    number = _num(value)
    return None if number is None else round(number, 2)


def _int(value: Any) -> int | None:
    number = _num(value)
    return None if number is None else int(number)
