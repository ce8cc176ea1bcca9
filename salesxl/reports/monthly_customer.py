"""The periodic (monthly) customer report (客户月报): per salesperson, each customer's month.

For the month of the as-of date: visits, net sales, payments and card changes
(the card's update date falls in the month) of every customer who had any,
listed under the salesperson who looks after the customer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, SheetSpec
from salesxl.passes.common import as_of_date, to_dates
from salesxl.passes.planning.sales import collections, ids
from salesxl.passes.sales import SalesLines
from salesxl.registry import ReportContext, register_report
from salesxl.schema import OUTPUTS_BY_KEY, TABLES_BY_KEY

WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"title": "{sp} {name} — {month} 客户月报", "customer": "客户编号", "customer_name": "客户名称",
           "status": "客户状态", "visits": "拜访次数", "last_visit": "最近拜访", "result": "最近拜访结果",
           "next_step": "下一步", "sales": "本月净销售额", "paid": "本月回款", "updated": "档案更新日期",
           "total": "合计", "none": "（无负责销售员）", "month": "月份",
           "summary": "{month} 汇总（按销售员）", "salesperson": "工号", "name": "姓名", "customers": "客户数",
           "unvisited": "有交易未拜访"},
    "en": {"title": "{sp} {name} — customer report {month}", "customer": "Customer ID", "customer_name": "Customer",
           "status": "Status", "visits": "Visits", "last_visit": "Latest visit", "result": "Latest result",
           "next_step": "Next step", "sales": "Net sales this month", "paid": "Collected this month",
           "updated": "Card updated", "total": "Total", "none": "(no salesperson)", "month": "Month",
           "summary": "Summary {month} by salesperson", "salesperson": "ID", "name": "Name", "customers": "Customers",
           "unvisited": "Trading, not visited"},
}


@register_report("monthly_report")
def build(ctx: ReportContext, sold: SalesLines) -> SheetSpec:
    return monthly_sheet(ctx.book, sold)


def month_of(day: dt.date) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of the month and first day of the next month."""
    first = pd.Timestamp(day.year, day.month, 1)
    return first, first + pd.offsets.MonthBegin(1)


def monthly_frame(book: Book, sold: SalesLines) -> pd.DataFrame:
    """One row per customer with anything in the month: owner, visits, latest visit, sales, payments, card update."""
    first, after = month_of(as_of_date(book))
    cards = book.frame("customers")
    card_ids = ids(cards["customer_id"])
    owner = dict(zip(card_ids.tolist(), ids(cards["salesperson_id"]).tolist()))

    def in_month(dates: pd.Series) -> pd.Series:
        dates = to_dates(dates)
        return (dates >= first) & (dates < after)

    visits = book.frame("visits")
    visits = pd.DataFrame({"customer_id": ids(visits["customer_id"]), "salesperson_id": ids(visits["salesperson_id"]),
                           "date": to_dates(visits["date"]), "result": visits["result"].astype(object),
                           "next_step": visits["next_step"].astype(object)})[in_month(visits["date"]).to_numpy()]
    latest = visits.sort_values("date", kind="stable").groupby("customer_id").tail(1).set_index("customer_id")
    sales = sold.lines
    sales = sales[in_month(sales["date"]).to_numpy()]
    paid = collections(book)
    paid = paid[in_month(paid["date"]).to_numpy()]
    updated = pd.Series(to_dates(cards["updated"]).to_numpy(), index=card_ids)
    updated = updated[((updated >= first) & (updated < after)).to_numpy()]
    updated = updated[~updated.index.duplicated(keep="last")]  # a repeated customer ID is reported by validation

    # lists, not Series: iterating a text Series costs a pandas call per value
    customers = sorted(set(visits["customer_id"].tolist()) | set(sales["customer_id"].tolist())
                       | set(paid["customer_id"].tolist()) | set(updated.index.tolist()))
    fallback = {**dict(zip(paid["customer_id"].tolist(), paid["salesperson_id"].tolist())),
                **dict(zip(sales["customer_id"].tolist(), sales["salesperson_id"].tolist())),
                **dict(zip(visits["customer_id"].tolist(), visits["salesperson_id"].tolist()))}
    names = dict(zip(card_ids.tolist(), cards["name"].astype(object).tolist()))
    status = dict(zip(card_ids.tolist(), cards["status"].astype(object).tolist()))
    # plain dicts: a lookup per customer in a Series costs microseconds each
    counts = visits.groupby("customer_id").size().to_dict()
    sold = sales.groupby("customer_id")["net"].sum().to_dict()
    collected = paid.groupby("customer_id")["amount"].sum().to_dict()
    last_date, last_result, last_step, updated = (latest["date"].to_dict(), latest["result"].to_dict(),
                                                  latest["next_step"].to_dict(), updated.to_dict())
    rows = [{"salesperson_id": owner.get(c) or fallback.get(c, ""), "customer_id": c, "name": names.get(c),
             "status": status.get(c), "visits": int(counts.get(c, 0)),
             "last_visit": last_date.get(c), "result": last_result.get(c), "next_step": last_step.get(c),
             "sales": round(float(sold.get(c, 0.0)), 2), "paid": round(float(collected.get(c, 0.0)), 2),
             "updated": updated.get(c)} for c in customers if c]
    frame = pd.DataFrame(rows, columns=["salesperson_id", "customer_id", "name", "status", "visits", "last_visit", "result",
                                        "next_step", "sales", "paid", "updated"])
    return frame.sort_values(["salesperson_id", "sales", "customer_id"], ascending=[True, False, True], kind="stable")


def monthly_sheet(book: Book, sold: SalesLines) -> SheetSpec:
    lang = book.lang
    w = WORDS[lang]
    first, _ = month_of(as_of_date(book))
    month = f"{first.year}-{first.month:02d}"
    people = book.frame("salespeople")
    names = dict(zip(ids(people["salesperson_id"]), people["name"].astype(object)))
    status_column = TABLES_BY_KEY["customers"].column("status")
    columns = [ColumnSpec(w["customer"], width=11), ColumnSpec(w["customer_name"], width=24),
               ColumnSpec(w["status"], width=9), ColumnSpec(w["visits"], "int", 9),
               ColumnSpec(w["last_visit"], "date", 11), ColumnSpec(w["result"], width=22),
               ColumnSpec(w["next_step"], width=20), ColumnSpec(w["sales"], "money", 14),
               ColumnSpec(w["paid"], "money", 14), ColumnSpec(w["updated"], "date", 12)]
    frame = monthly_frame(book, sold)
    blocks = [Block([ColumnSpec(w["month"], width=11)], [[month]]), summary_block(frame, names, month, lang)]
    for salesperson, group in frame.groupby("salesperson_id", sort=True):
        rows = [[r.customer_id, _text(r.name), status_column.label(r.status, lang) if _text(r.status) else None, r.visits,
                 _date(r.last_visit), _text(r.result), _text(r.next_step), r.sales, r.paid, _date(r.updated)]
                for r in group.itertuples()]
        rows.append([w["total"], None, None, int(group["visits"].sum()), None, None, None,
                     round(float(group["sales"].sum()), 2), round(float(group["paid"].sum()), 2), None])
        title = w["title"].format(sp=salesperson or w["none"], name=_text(names.get(salesperson)) or "", month=month)
        blocks.append(Block(list(columns), rows, title=title, table_name=f"tblMonthly_{salesperson or 'none'}"))
    return SheetSpec(key="monthly_report", name=OUTPUTS_BY_KEY["monthly_report"].sheet_name(lang), blocks=blocks)


def summary_block(frame: pd.DataFrame, names: dict[str, Any], month: str, lang: Lang) -> Block:
    """What a manager reads first: per salesperson the customers, visits, sales and collections of the month,
    and how many customers traded without a visit."""
    w = WORDS[lang]
    rows = []
    for salesperson, group in frame.groupby("salesperson_id", sort=True):
        traded = (group["sales"] != 0) | (group["paid"] != 0)
        rows.append([salesperson or w["none"], _text(names.get(salesperson)), len(group), int(group["visits"].sum()),
                     round(float(group["sales"].sum()), 2), round(float(group["paid"].sum()), 2),
                     int((traded & (group["visits"] == 0)).sum())])
    rows.append([w["total"], None, *[sum(r[i] for r in rows) for i in (2, 3)],
                 *[round(sum(r[i] for r in rows), 2) for i in (4, 5)], sum(r[6] for r in rows)])
    columns = [ColumnSpec(w["salesperson"], width=9), ColumnSpec(w["name"], width=9),
               ColumnSpec(w["customers"], "int", 8), ColumnSpec(w["visits"], "int", 9),
               ColumnSpec(w["sales"], "money", 14), ColumnSpec(w["paid"], "money", 14),
               ColumnSpec(w["unvisited"], "int", 12)]
    return Block(columns, rows, title=w["summary"].format(month=month))


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def _date(value: Any) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
