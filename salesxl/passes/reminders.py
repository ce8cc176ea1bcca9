"""Reminders for the coming days: follow-ups, birthdays, public holidays, card reviews, contract ends.

The rule book asks for salespeople to be reminded of follow-ups and of their
customers' holidays. Everything due within `reminder_days` of the as-of date
(and everything overdue) is listed, one row per reminder:

- urgent: urgent visits not yet followed up (always at the top);
- follow_up: a customer's latest visit up to the as-of date names a next
  visit date that is due (a later visit to the customer means it was done);
- birthday: a contact's birthday (month and day; 29 February falls on the
  28th in other years), the coming one, across the year end too;
- holiday: a public holiday (chinese_calendar) starting within the window,
  with its first and last day off;
- card_review: a card not updated (else not created) for `card_review_days`;
- contract_end: a contract ending within the window (contracts pass);
- complaint: an open complaint past its deadline (complaints pass), on top
  with the urgent visits, for its owner; staff-conduct complaints are the
  manager's and stay on the complaints sheet.
Customers whose card says lost get no follow-up, birthday or review reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import chinese_calendar
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, Lang, define
from salesxl.passes.common import as_of_date, to_dates
from salesxl.passes.contracts import ContractResult
from salesxl.passes.complaints import ComplaintResult
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.planning.calendar import calendar_known
from salesxl.passes.planning.sales import ids
from salesxl.registry import register_pass
from salesxl.schema import TABLES_BY_KEY

REMINDER_CALENDAR_UNKNOWN = define(
    "REMINDER_CALENDAR_UNKNOWN", "info",
    "节假日日历中没有 {year} 年的数据，该年的法定节假日提醒缺失；请升级 chinesecalendar 软件包。",
    "The holiday calendar has no data for {year}, so that year's public holidays are not reminded of; "
    "upgrade the chinesecalendar package.",
    title_zh="缺少节假日数据", title_en="Holiday calendar incomplete")

#: Reminder kinds in the order they sort on the same date, with their labels.
KINDS: dict[str, tuple[str, str]] = {
    "urgent": ("紧急待跟进", "Urgent, not followed up"),
    "complaint": ("投诉逾期", "Complaint overdue"),
    "follow_up": ("回访", "Follow-up"),
    "contract_end": ("合同到期", "Contract ends"),
    "birthday": ("生日", "Birthday"),
    "holiday": ("节假日", "Public holiday"),
    "card_review": ("档案复核", "Card review"),
}
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}
COLUMNS = ["date", "kind", "salesperson_id", "customer_id", "customer_name", "text", "cell"]
LOOK_BEYOND = 21  # days read past the window to find where a holiday that starts in it ends
TEXTS: dict[Lang, dict[str, str]] = {
    "zh": {"follow_up": "{visit_date} 拜访后约定回访：{next_step}", "birthday": "联系人 {name}{title} 生日",
           "holiday": "{names}放假 {start} 至 {end}，共 {days} 天", "card_review": "客户档案上次更新于 {updated}，请复核",
           "card_never": "客户档案没有更新日期，请复核", "contract_end": "合同 {contract} 于 {end} 到期（金额 {amount:,.2f}）",
           "urgent": "{kind}：{result}", "sep": "、",
           "complaint": "{category}投诉（{severity}）{what}：应于 {due} 前完成", "ack": "未按时受理", "resolve": "未按时解决"},
    "en": {"follow_up": "Follow-up agreed at the visit of {visit_date}: {next_step}",
           "birthday": "Birthday of {name}{title}", "holiday": "{names}: off {start} to {end}, {days} days",
           "card_review": "Card last updated {updated}; review it", "card_never": "Card has no update date; review it",
           "contract_end": "Contract {contract} ends {end} (amount {amount:,.2f})", "urgent": "{kind}: {result}",
           "sep": ", ", "complaint": "{category} complaint ({severity}) {what}: due by {due}",
           "ack": "not acknowledged in time", "resolve": "not resolved in time"},
}


@dataclass
class Reminders:
    as_of: dt.date
    days: int
    rows: pd.DataFrame  # COLUMNS; urgent first, then by date and kind
    names: dict[str, str]  # salesperson ID -> name


@register_pass("reminders")
def reminders(book: Book, signed: ContractResult, complaints: ComplaintResult) -> tuple[Reminders, list[Issue]]:
    as_of = as_of_date(book)
    days = book.settings.reports.reminder_days
    until = as_of + dt.timedelta(days=days)
    lang = book.lang
    cards = book.frame("customers")
    card_ids = ids(cards["customer_id"])
    lost = set(card_ids[(cards["status"].astype(object) == "lost").to_numpy()])
    owners = dict(zip(card_ids, ids(cards["salesperson_id"])))
    customers = dict(zip(card_ids, cards["name"].astype(object)))
    visits = _visits(book, as_of)
    holidays, issues = holiday_reminders(as_of, until, lang)
    parts = [
        _urgent(book, visits, lang),
        _follow_ups(book, visits[~visits["customer_id"].isin(lost)], until, lang),
        birthday_reminders(book, as_of, until, owners, lost, lang),
        holidays,
        _card_reviews(book, as_of, until, book.settings.cards.card_review_days, lost, lang),
        _contract_ends(signed, days, lang),
        _complaints_overdue(complaints, lang),
    ]
    rows = pd.concat([p for p in parts if not p.empty] or [pd.DataFrame(columns=COLUMNS)], ignore_index=True)
    rows["customer_name"] = rows["customer_id"].map(customers)
    rows["_urgent"] = ~rows["kind"].isin(("urgent", "complaint"))
    rows["_kind"] = rows["kind"].map({k: i for i, k in enumerate(KINDS)})
    rows = rows.sort_values(["_urgent", "date", "_kind", "salesperson_id", "customer_id", "text"], kind="mergesort")
    return Reminders(as_of, days, rows[COLUMNS].reset_index(drop=True), salesperson_names(book)), issues


def _frame(rows: list[list[Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def _visits(book: Book, as_of: dt.date) -> pd.DataFrame:
    frame = book.frame("visits")
    visits = pd.DataFrame({
        "date": to_dates(frame["date"]).dt.normalize(), "salesperson_id": ids(frame["salesperson_id"]),
        "customer_id": ids(frame["customer_id"]), "next_date": to_dates(frame["next_date"]).dt.normalize(),
        "next_step": frame["next_step"].astype(object), "result": frame["result"].astype(object),
        "urgent": frame["urgent"].astype("boolean").fillna(False).astype(bool),
        "followed_up": frame["followed_up"].astype("boolean").fillna(False).astype(bool),
        "urgent_type": ids(frame["urgent_type"]), "row": frame["_row"],
    })
    return visits[visits["date"].notna() & (visits["date"] <= pd.Timestamp(as_of)) & (visits["customer_id"] != "")]


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _urgent(book: Book, visits: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    open_ = visits[visits["urgent"] & ~visits["followed_up"]]
    kinds = TABLES_BY_KEY["visits"].column("urgent_type")
    fallback = KINDS["urgent"][0 if lang == "zh" else 1]
    return _frame([[d.date(), "urgent", sp, c,
                    None, TEXTS[lang]["urgent"].format(kind=kinds.label(k, lang) if k else fallback,
                                                       result=_text(r) or _text(step)).rstrip("：: "),
                    book.cell("visits", int(row), "followed_up")]
                   for d, sp, c, k, r, step, row in zip(open_["date"], open_["salesperson_id"], open_["customer_id"],
                                                        open_["urgent_type"], open_["result"], open_["next_step"],
                                                        open_["row"])])


def _follow_ups(book: Book, visits: pd.DataFrame, until: dt.date, lang: Lang) -> pd.DataFrame:
    latest = visits.sort_values(["date", "row"], kind="mergesort").drop_duplicates("customer_id", keep="last")
    due = latest[latest["next_date"].notna() & (latest["next_date"] <= pd.Timestamp(until))]
    return _frame([[n.date(), "follow_up", sp, c, None,
                    TEXTS[lang]["follow_up"].format(visit_date=d.date().isoformat(), next_step=_text(step)).rstrip("：: "),
                    book.cell("visits", int(row), "next_date")]
                   for d, n, sp, c, step, row in zip(due["date"], due["next_date"], due["salesperson_id"],
                                                     due["customer_id"], due["next_step"], due["row"])])


def next_birthday(birthday: dt.date, on_or_after: dt.date) -> dt.date:
    """The first anniversary of `birthday` on or after the date (29 February -> 28 February in other years)."""
    for year in (on_or_after.year, on_or_after.year + 1):
        try:
            day = birthday.replace(year=year)
        except ValueError:
            day = dt.date(year, 2, 28)
        if day >= on_or_after:
            return day
    raise AssertionError("unreachable: a birthday comes round within a year")


def birthday_reminders(book: Book, as_of: dt.date, until: dt.date, owners: dict[str, str], lost: set[str],
                       lang: Lang) -> pd.DataFrame:
    contacts = book.frame("contacts")
    born = to_dates(contacts["birthday"])
    rows = []
    for birthday, customer, name, title, row in zip(born, ids(contacts["customer_id"]), contacts["name"],
                                                    contacts["title"], contacts["_row"]):
        if pd.isna(birthday) or customer in lost:
            continue
        day = next_birthday(birthday.date(), as_of)
        if day <= until:
            role = _text(title)
            shown = (f"（{role}）" if lang == "zh" else f" ({role})") if role else ""
            rows.append([day, "birthday", owners.get(customer, ""), customer, None,
                         TEXTS[lang]["birthday"].format(name=_text(name), title=shown),
                         book.cell("contacts", int(row), "birthday")])
    return _frame(rows)


def holiday_reminders(as_of: dt.date, until: dt.date, lang: Lang) -> tuple[pd.DataFrame, list[Issue]]:
    """One reminder per public-holiday break that starts in the window: its names, first and last day off."""
    issues = [REMINDER_CALENDAR_UNKNOWN(lang, value=year, year=year)
              for year in range(as_of.year, until.year + 1) if not calendar_known(year)]
    days = [as_of + dt.timedelta(days=n) for n in range((until - as_of).days + LOOK_BEYOND + 1)]
    named = [(day, _holiday_name(day)) for day in days]
    breaks: list[list[tuple[dt.date, str]]] = []
    for day, name in named:
        if name is None:
            continue
        if breaks and breaks[-1][-1][0] == day - dt.timedelta(days=1):
            breaks[-1].append((day, name))
        else:
            breaks.append([(day, name)])
    words = TEXTS[lang]
    rows = []
    for run in breaks:
        start, end = run[0][0], run[-1][0]
        if start == as_of and _holiday_name(as_of - dt.timedelta(days=1)) or start > until:
            continue  # already under way, or starts after the window
        names = list(dict.fromkeys(name for _, name in run))
        shown = words["sep"].join(HOLIDAY_NAMES.get(n, n) if lang == "zh" else n for n in names)
        rows.append([start, "holiday", "", "", None,
                     words["holiday"].format(names=shown, start=start.isoformat(), end=end.isoformat(),
                                             days=(end - start).days + 1), None])
    return _frame(rows), issues


def _holiday_name(day: dt.date) -> str | None:
    """The public holiday `day` is a day off for (its make-up working days do not count), else None."""
    if not calendar_known(day.year):
        return None
    off, name = chinese_calendar.get_holiday_detail(day)
    return name if off else None


def _card_reviews(book: Book, as_of: dt.date, until: dt.date, review_days: int, lost: set[str],
                  lang: Lang) -> pd.DataFrame:
    cards = book.frame("customers")
    updated = to_dates(cards["updated"]).dt.normalize()
    base = updated.fillna(to_dates(cards["created"]).dt.normalize())
    due = (base + pd.Timedelta(days=review_days)).fillna(pd.Timestamp(as_of))
    rows = []
    for customer, sp, last, day, row in zip(ids(cards["customer_id"]), ids(cards["salesperson_id"]), base, due,
                                            cards["_row"]):
        if customer and customer not in lost and day <= pd.Timestamp(until):
            text = (TEXTS[lang]["card_review"].format(updated=last.date().isoformat()) if not pd.isna(last)
                    else TEXTS[lang]["card_never"])
            rows.append([day.date(), "card_review", sp, customer, None, text, book.cell("customers", int(row), "updated")])
    return _frame(rows)


def _contract_ends(contracts: ContractResult, days: int, lang: Lang) -> pd.DataFrame:
    ending = contracts.ending[contracts.ending["days_left"] <= days]
    return _frame([[end.date(), "contract_end", sp, c, None,
                    TEXTS[lang]["contract_end"].format(contract=cid, end=end.date().isoformat(), amount=amount), cell]
                   for cid, c, sp, end, amount, cell in zip(ending["contract_id"], ending["customer_id"],
                                                            ending["salesperson_id"], ending["end_date"],
                                                            ending["amount"], ending["cell"])])


def _complaints_overdue(complaints: Any, lang: Lang) -> pd.DataFrame:
    if complaints is None:
        return _frame([])
    from salesxl.passes.complaints import STAFF

    overdue = complaints.overdue[complaints.overdue["category"] != STAFF]
    table, words = TABLES_BY_KEY["complaints"], TEXTS[lang]
    rows = []
    for r in overdue.to_dict("records"):
        due = r["resolve_due"] if r["overdue"] == "resolve" else r["ack_due"]
        text = words["complaint"].format(category=table.column("category").label(r["category"], lang),
                                         severity=table.column("severity").label(r["severity"], lang),
                                         what=words[r["overdue"]], due=due.strftime("%Y-%m-%d %H:%M"))
        rows.append([due.date(), "complaint", r["owner"], r["customer_id"], None, text, r["cell"]])
    return _frame(rows)
