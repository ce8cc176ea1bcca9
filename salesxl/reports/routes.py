"""The Routes sheet: a summary per salesperson, each salesperson's days and stops, a route map, and what was left out."""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, PageSetup, Picture, SheetSpec
from salesxl.passes.routes import RoutePlan, clock_text
from salesxl.registry import ReportContext, register_report
from salesxl.reports import picture_cache
from salesxl.schema import OUTPUTS_BY_KEY

MAP_SIZE = (640, 480)  # pixels
MAP_DPI = 100
WEEKDAYS = {"zh": "一二三四五六日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"summary": "拜访路线汇总（{start} 至 {end}，{days} 个工作日，分级来源：{source}）",
           "grade": "客户分级",
           "sp": "销售员", "name": "姓名", "customers": "计划客户", "on_demand": "按需客户", "required": "应拜访",
           "visits": "已排拜访", "unplanned": "未排入", "days": "出勤天数", "km": "里程（公里）", "minutes": "工时（分钟）",
           "max": "最长一天（分钟）", "min": "最短一天（分钟）", "ratio": "最长/最短", "total": "合计",
           "days_title": "{sp} {name}：每日工作量", "date": "日期", "weekday": "星期", "travel": "路上（分钟）",
           "visit_min": "拜访（分钟）", "start": "出发", "end": "返回",
           "day_title": "{sp} {name}：{date}（周{weekday}）路线", "stop": "顺序", "customer": "客户编号",
           "customer_name": "客户名称", "address": "地址", "grade_col": "等级", "region": "区域",
           "leg": "距上一站（公里）", "arrival": "预计到达", "visit_no": "第几次", "back": "返回出发点",
           "left_title": "未排入拜访路线的客户", "week": "工作周", "reason": "原因",
           "no_coords": "缺少经纬度", "no_salesperson": "无负责销售员", "inactive": "销售员不在职",
           "unknown_salesperson": "销售员不在销售员表", "no_room": "超出每日拜访数或工作时长",
           "map": "{sp} 拜访路线图",
           "params_title": "本计划使用的参数（设置表）", "param": "参数", "value": "取值",
           "road_factor": "道路绕行系数（直线距离 × 系数）", "speed": "平均车速（公里/小时）",
           "visit_minutes": "每次拜访时长（分钟）", "working_minutes": "每日工作时长（分钟）",
           "max_visits": "每日最多拜访（销售员表可单独设定）", "day_start": "出发时间", "solver": "路线求解器",
           "weeks": "计划工作周数",
           "freq_title": "各等级实际拜访频率", "interval": "设定间隔（周）", "visits_each": "本计划每户拜访次数",
           "every": "实际每几周一次", "grade_customers": "客户数", "owed": "应拜访次数",
           "dev_required": "开发拜访应排", "dev_visits": "开发拜访已排", "intent": "意向开发", "prospect": "潜在开发",
           "capacity_title": "产能测算：分级客户应拜访次数与可用工作日（开发拜访另计）", "days_count": "工作日",
           "per_day": "每日最多拜访", "visit_capacity": "可拜访次数", "minutes_capacity": "可用工时（分钟）",
           "minutes_needed": "所需工时（分钟，含路上）", "shortfall": "缺口（次）", "to_fit": "如何排下",
           "fits": "排得下", "sep": "；或",
           "more_days": "增加约 {days} 个销售员工作日",
           "lower": "{grade} 级客户改为每 {weeks} 周拜访一次（少 {saves} 次）",
           "hand": "把约 {visits} 次拜访交给有余量的 {sp}：{customers}"},
    "en": {"summary": "Visit routes ({start} to {end}, {days} working days, grades from: {source})",
           "grade": "customer grades",
           "sp": "Salesperson", "name": "Name", "customers": "Customers planned", "on_demand": "On demand",
           "required": "Visits required", "visits": "Visits planned", "unplanned": "Not planned", "days": "Days out",
           "km": "Distance (km)", "minutes": "Work (minutes)", "max": "Longest day (min)", "min": "Shortest day (min)",
           "ratio": "Longest/shortest", "total": "Total",
           "days_title": "{sp} {name}: workload per day", "date": "Date", "weekday": "Day", "travel": "Travel (min)",
           "visit_min": "Visits (min)", "start": "Leave", "end": "Back",
           "day_title": "{sp} {name}: route on {date} ({weekday})", "stop": "Stop", "customer": "Customer ID",
           "customer_name": "Customer", "address": "Address", "grade_col": "Grade", "region": "Region",
           "leg": "From previous (km)", "arrival": "Arrival", "visit_no": "Visit no.", "back": "Back to start",
           "left_title": "Customers not on any visit route", "week": "Working week", "reason": "Reason",
           "no_coords": "no coordinates", "no_salesperson": "no salesperson", "inactive": "salesperson not active",
           "unknown_salesperson": "salesperson not on the Salespeople sheet",
           "no_room": "exceeds the daily visit or time limit", "map": "{sp} visit route map",
           "params_title": "Settings this plan was made with", "param": "Setting", "value": "Value",
           "road_factor": "Road circuity factor (straight line × factor)", "speed": "Average speed (km/h)",
           "visit_minutes": "Minutes per visit", "working_minutes": "Working minutes per day",
           "max_visits": "Max visits per day (the Salespeople sheet may set one each)", "day_start": "Day start",
           "solver": "Route solver", "weeks": "Working weeks planned",
           "freq_title": "Visit frequency in effect per grade", "interval": "Interval set (weeks)",
           "visits_each": "Visits per customer in this plan", "every": "In effect every (weeks)",
           "grade_customers": "Customers", "owed": "Visits owed",
           "dev_required": "Development owed", "dev_visits": "Development planned", "intent": "intent (develop)",
           "prospect": "prospect (develop)",
           "capacity_title": "Capacity: graded visits required against working days (development visits apart)",
           "days_count": "Working days", "per_day": "Max visits a day", "visit_capacity": "Visits the days hold",
           "minutes_capacity": "Minutes available", "minutes_needed": "Minutes needed (with travel)",
           "shortfall": "Short by (visits)", "to_fit": "What would make it fit", "fits": "fits", "sep": "; or ",
           "more_days": "about {days} more salesperson-days",
           "lower": "grade {grade} every {weeks} weeks ({saves} fewer visits)",
           "hand": "hand about {visits} visits to {sp}, who has room: {customers}"},
}


@register_report("routes")
def build(ctx: ReportContext, plan: RoutePlan) -> SheetSpec:
    return routes_sheet(plan, ctx.lang)


def routes_sheet(plan: RoutePlan, lang: Lang) -> SheetSpec:
    """The whole Routes sheet for a plan; the same plan gives the same sheet, pictures included."""
    w = WORDS[lang]
    blocks = [summary_block(plan, lang), *capacity_blocks(plan, lang), *parameter_blocks(plan, lang)]
    anchors: list[tuple[str, int]] = []
    stops_of: dict[tuple[Any, Any], list[dict[str, Any]]] = {}  # (salesperson, date) -> stops, in plan order
    for stop in plan.stops.to_dict("records"):  # one conversion for the whole plan, not one per day
        stops_of.setdefault((stop["salesperson_id"], stop["date"]), []).append(stop)
    for rec in plan.summary.to_dict("records"):
        sp = rec["salesperson_id"]
        days = plan.day_totals[plan.day_totals["salesperson_id"] == sp]
        anchors.append((sp, len(blocks)))
        blocks.append(days_block(days, rec, lang))
        for day in days[days["visits"] > 0].to_dict("records"):
            blocks.append(day_block(stops_of.get((sp, day["date"]), []), day, rec, lang))
    if len(plan.unplanned):
        blocks.append(unplanned_block(plan.unplanned, lang))
    sheet = SheetSpec(key="routes", name=OUTPUTS_BY_KEY["routes"].sheet_name(lang), blocks=blocks,
                      page=PageSetup(orientation="landscape"))
    for sp, index in anchors:
        row, _ = sheet.block_origin(index)
        sheet.pictures.append(Picture(route_map(plan, sp), f"L{row}", *MAP_SIZE, w["map"].format(sp=sp)))
    return sheet


def summary_block(plan: RoutePlan, lang: Lang) -> Block:
    w = WORDS[lang]
    keys = ["salesperson_id", "name", "customers", "on_demand", "required", "visits", "unplanned", "days", "km",
            "minutes", "max_day_minutes", "min_day_minutes", "workload_ratio", "development_required",
            "development_visits"]
    rows = [[_value(rec[k]) for k in keys] for rec in plan.summary.to_dict("records")]
    s = plan.summary
    rows.append([w["total"], None, *(int(s[k].sum()) for k in keys[2:8]), round(float(s["km"].sum()), 1),
                 int(s["minutes"].sum()), None, None, None, int(s["development_required"].sum()),
                 int(s["development_visits"].sum())])
    title = w["summary"].format(start=plan.start.isoformat(), end=plan.end.isoformat(), days=len(plan.days),
                                source=w["grade"])
    columns = [ColumnSpec(w["sp"], width=12), ColumnSpec(w["name"], width=12)]
    columns += [ColumnSpec(w[k], "int", width=11) for k in ("customers", "on_demand", "required", "visits",
                                                            "unplanned", "days")]
    columns += [ColumnSpec(w["km"], "number", width=12), ColumnSpec(w["minutes"], "int", width=12),
                ColumnSpec(w["max"], "int", width=12), ColumnSpec(w["min"], "int", width=12),
                ColumnSpec(w["ratio"], "number", width=11), ColumnSpec(w["dev_required"], "int", width=12),
                ColumnSpec(w["dev_visits"], "int", width=12)]
    return Block(columns=columns, rows=rows, title=title, table_name="tblRouteSummary")


def capacity_blocks(plan: RoutePlan, lang: Lang) -> list[Block]:
    """Capacity planning: graded visits required against what each salesperson's days hold, and what would fit."""
    if plan.capacity.empty:
        return []
    w = WORDS[lang]
    rows = []
    for c in plan.capacity.to_dict("records"):
        ideas = []
        if c["shortfall"]:
            ideas.append(w["more_days"].format(days=int(c["extra_days"])))
            if _value(c["lower_grade"]) is not None:
                ideas.append(w["lower"].format(grade=c["lower_grade"], weeks=int(c["lower_to_weeks"]),
                                               saves=int(c["lower_saves"])))
            if _value(c["hand_to"]) is not None:
                ideas.append(w["hand"].format(sp=c["hand_to"], visits=int(c["hand_visits"]),
                                              customers=c["hand_customers"]))
        rows.append([c["salesperson_id"], int(c["days"]), int(c["max_visits"]), int(c["visit_capacity"]),
                     int(c["minutes_capacity"]), int(c["required"]), int(c["minutes_needed"]), int(c["shortfall"]),
                     w["fits"] if not c["shortfall"] else w["sep"].join(ideas)])
    columns = [ColumnSpec(w["sp"], width=12), ColumnSpec(w["days_count"], "int", width=10),
               ColumnSpec(w["per_day"], "int", width=10), ColumnSpec(w["visit_capacity"], "int", width=12),
               ColumnSpec(w["minutes_capacity"], "int", width=12), ColumnSpec(w["required"], "int", width=11),
               ColumnSpec(w["minutes_needed"], "int", width=12), ColumnSpec(w["shortfall"], "int", width=10),
               ColumnSpec(w["to_fit"], width=90)]
    return [Block(columns=columns, rows=rows, title=w["capacity_title"], table_name="tblRouteCapacity")]


def parameter_blocks(plan: RoutePlan, lang: Lang) -> list[Block]:
    """What the plan assumed: distances, speed, time per visit and the frequency each grade really gets."""
    if plan.params is None:
        return []
    w, p = WORDS[lang], plan.params
    rows = [[w["road_factor"], p.road_factor], [w["speed"], p.speed_kmh], [w["visit_minutes"], p.visit_minutes],
            [w["working_minutes"], p.working_minutes], [w["max_visits"], p.max_visits],
            [w["day_start"], clock_text(p.day_start)], [w["solver"], p.method], [w["weeks"], len(plan.weeks)]]
    settings = Block(columns=[ColumnSpec(w["param"], width=40), ColumnSpec(w["value"], width=12)], rows=rows,
                     title=w["params_title"])
    keys = ["grade", "interval_weeks", "visits_each", "every_weeks", "customers", "required"]
    frequency = Block(
        columns=[ColumnSpec(w["grade_col"], width=8), ColumnSpec(w["interval"], "int", width=14),
                 ColumnSpec(w["visits_each"], "int", width=16), ColumnSpec(w["every"], "number", width=14),
                 ColumnSpec(w["grade_customers"], "int", width=10), ColumnSpec(w["owed"], "int", width=12)],
        rows=[[w.get(rec["grade"], rec["grade"]), *(_value(rec[k]) for k in keys[1:])]
              for rec in plan.frequency.to_dict("records")], title=w["freq_title"])
    return [settings, frequency]


def days_block(days: pd.DataFrame, person: dict[str, Any], lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[d["date"], _weekday(d["date"], lang), int(d["visits"]), d["km"], d["travel_minutes"],
             d["visit_minutes"], d["minutes"], d["start"], d["end"]] for d in days.to_dict("records")]
    rows.append([w["total"], None, int(days["visits"].sum()), round(float(days["km"].sum()), 1),
                 round(float(days["travel_minutes"].sum()), 1), float(days["visit_minutes"].sum()),
                 round(float(days["minutes"].sum()), 1), None, None])
    columns = [ColumnSpec(w["date"], "date", width=12), ColumnSpec(w["weekday"], width=8),
               ColumnSpec(w["visits"], "int", width=10), ColumnSpec(w["km"], "number", width=12),
               ColumnSpec(w["travel"], "number", width=12), ColumnSpec(w["visit_min"], "number", width=12),
               ColumnSpec(w["minutes"], "number", width=12), ColumnSpec(w["start"], width=8),
               ColumnSpec(w["end"], width=8)]
    return Block(columns=columns, rows=rows, title=w["days_title"].format(sp=person["salesperson_id"],
                                                                         name=person["name"]))


def day_block(stops: list[dict[str, Any]], day: dict[str, Any], person: dict[str, Any], lang: Lang) -> Block:
    """One day's stops (records of `RoutePlan.stops`), the way back to the start and the day's total."""
    w = WORDS[lang]
    rows = [[int(s["stop"]), s["customer_id"], s["name"], s["address"],
             s["grade"] if s["purpose"] == "grade" else w[s["purpose"]], s["region"], s["km"],
             s["arrival"], int(s["visit_no"])] for s in stops]
    legs = np.array([s["km"] for s in stops], dtype=float)
    back = round(float(day["km"]) - float(np.nansum(legs)), 2)  # summed as pandas sums a column
    rows.append([None, None, w["back"], None, None, None, back, day["end"], None])
    rows.append([None, None, w["total"], None, None, None, day["km"], None, int(day["visits"])])
    columns = [ColumnSpec(w["stop"], "int", width=6), ColumnSpec(w["customer"], width=12),
               ColumnSpec(w["customer_name"], width=26), ColumnSpec(w["address"], width=34),
               ColumnSpec(w["grade_col"], width=6), ColumnSpec(w["region"], width=10),
               ColumnSpec(w["leg"], "number", width=12), ColumnSpec(w["arrival"], width=9),
               ColumnSpec(w["visit_no"], "int", width=8)]
    title = w["day_title"].format(sp=person["salesperson_id"], name=person["name"], date=day["date"].isoformat(),
                                  weekday=_weekday(day["date"], lang))
    return Block(columns=columns, rows=rows, title=title)


def unplanned_block(unplanned: pd.DataFrame, lang: Lang) -> Block:
    w = WORDS[lang]
    rows = [[u["customer_id"], u["name"], u["salesperson_id"] or None, _value(u["grade"]), _value(u["visit_no"]),
             _value(u["week"]), w[u["reason"]]] for u in unplanned.to_dict("records")]
    columns = [ColumnSpec(w["customer"], width=12), ColumnSpec(w["customer_name"], width=26),
               ColumnSpec(w["sp"], width=12), ColumnSpec(w["grade_col"], width=6),
               ColumnSpec(w["visit_no"], "int", width=8), ColumnSpec(w["week"], "int", width=8),
               ColumnSpec(w["reason"], width=30)]
    return Block(columns=columns, rows=rows, title=w["left_title"], table_name="tblRouteUnplanned")


MAP_COLUMNS = ["date", "lat", "lon", "stop"]  # all a route map shows of the stops


def route_map(plan: RoutePlan, salesperson: str) -> bytes:
    """PNG of one salesperson's routes: numbered stops, one colour per day, the start point as a star.
    Drawn only when what it shows changed since it was last drawn (picture_cache)."""
    from importlib.metadata import version

    base = plan.bases[salesperson]
    stops = plan.stops.loc[plan.stops["salesperson_id"] == salesperson, MAP_COLUMNS]
    key = picture_cache.key_of("route_map 1", version("matplotlib"), repr((MAP_SIZE, MAP_DPI, salesperson, base)),
                               stops.to_csv(index=False))
    return picture_cache.png(key, lambda: _draw_map(base, stops, salesperson))


def _draw_map(base: tuple[float, float], stops: pd.DataFrame, salesperson: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(MAP_SIZE[0] / MAP_DPI, MAP_SIZE[1] / MAP_DPI), dpi=MAP_DPI)
    axes = figure.add_axes((0.07, 0.08, 0.68, 0.84))
    colours = matplotlib.colormaps["tab20"]
    for i, (date, day) in enumerate(stops.groupby("date", sort=True)):
        lat = [base[0], *day["lat"], base[0]]
        lon = [base[1], *day["lon"], base[1]]
        axes.plot(lon, lat, "-o", color=colours(i % 20), linewidth=1, markersize=3, label=date.strftime("%m-%d"))
        for x, y, n in zip(day["lon"], day["lat"], day["stop"]):
            axes.annotate(str(n), (x, y), fontsize=5, xytext=(2, 2), textcoords="offset points")
    axes.plot([base[1]], [base[0]], marker="*", color="black", markersize=14, linestyle="none")
    axes.set_aspect(1 / max(0.2, math.cos(math.radians(base[0]))))
    axes.set_title(salesperson, fontsize=9)
    axes.tick_params(labelsize=6)
    axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=6, ncol=1 + len(stops["date"].unique()) // 24)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=MAP_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _weekday(date: dt.date, lang: Lang) -> str:
    return WEEKDAYS[lang][date.weekday()]


def _value(value: Any) -> Any:
    """Plain Python values for the sheet: numpy numbers unwrapped, NaN as a blank cell."""
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value
