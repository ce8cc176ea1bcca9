"""Customer complaints against their deadlines: acknowledge within hours, resolve within days by severity.

The rule book asks the sales department to resolve complaints, and fairly.
Each complaint gets two deadlines from Settings: acknowledged within
`complaint_ack_hours`, resolved within the days `complaint_resolve_days` gives
its severity. Deadlines run on the `complaint_sla_clock`: working hours of
Chinese working days (`work_day_hours`; public holidays off, make-up days on)
or calendar time, where a day is `work_day_hours`' length or 24 hours.

- "Now" is the end of the as-of date (no wall clock, so reruns agree).
- A complaint is done when resolved or closed (or it has a resolution time);
  it is acknowledged when it has an acknowledgement time or a later status.
- An open complaint is overdue when its pending deadline has passed; overdue
  ones sort first, the longest overdue on top.
- Statistics cover complaints received in the 12 months up to the as-of date;
  a customer with `complaint_repeat_count` of them is a repeated complainant.
- The owner is the complaint's own, else the customer's salesperson.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue
from salesxl.passes.common import as_of_date, to_dates
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.grade import GradeResult
from salesxl.passes.planning.sales import ids
from salesxl.passes.planning.workhours import Clock
from salesxl.registry import register_pass
from salesxl.schema.setting_text import SEVERITIES
from salesxl.schema.settings import ComplaintClock

DONE = ("resolved", "closed")
STAFF = "staff_conduct"
COLUMNS = ["complaint_id", "customer_id", "customer_name", "salesperson_id", "owner", "category", "severity",
           "status", "received_at", "acknowledged", "acknowledged_at", "resolved_at", "ack_due", "resolve_due", "age_days",
           "overdue", "ack_late", "resolve_late", "done", "resolve_days", "month", "grade", "satisfied", "recent",
           "row", "cell"]


@dataclass
class ComplaintResult:
    as_of: dt.date
    now: dt.datetime
    clock: Clock
    ack_hours: int
    resolve_days: dict[str, int]  # severity -> days
    repeat_count: int
    complaints: pd.DataFrame  # COLUMNS, overdue first (longest overdue on top), then by received time
    names: dict[str, str]  # salesperson ID -> name

    @property
    def open(self) -> pd.DataFrame:
        return self.complaints[~self.complaints["done"]]

    @property
    def overdue(self) -> pd.DataFrame:
        """Open complaints past their deadline ("ack" or "resolve" in column overdue)."""
        return self.complaints[self.complaints["overdue"] != ""]

    @property
    def recent(self) -> pd.DataFrame:
        """Complaints received in the 12 months up to the as-of date."""
        return self.complaints[self.complaints["recent"]]

    def counts_by(self, key: str) -> pd.DataFrame:
        """Per value of `key` (category, owner or month): received, resolved, open, overdue, late, days to resolve."""
        frame = self.recent.assign(open=lambda f: ~f["done"], is_overdue=lambda f: f["overdue"] != "",
                                   late=lambda f: f["ack_late"] | f["resolve_late"])
        grouped = frame.groupby(key, sort=True).agg(
            complaints=("complaint_id", "size"), resolved=("done", "sum"), open=("open", "sum"),
            overdue=("is_overdue", "sum"), late=("late", "sum"), median_days=("resolve_days", "median"),
            max_days=("resolve_days", "max")).reset_index()
        return grouped

    def repeated(self) -> pd.DataFrame:
        """Customers with at least `repeat_count` complaints in the 12 months: count, open, categories, latest."""
        recent = self.recent
        grouped = recent.groupby("customer_id", sort=True).agg(
            customer_name=("customer_name", "first"), salesperson_id=("salesperson_id", "first"),
            grade=("grade", "first"), complaints=("complaint_id", "size"), open=("done", lambda d: int((~d).sum())),
            categories=("category", lambda c: tuple(dict.fromkeys(sorted(c)))), latest=("received_at", "max"))
        grouped = grouped[grouped["complaints"] >= self.repeat_count].reset_index()
        return grouped.sort_values(["complaints", "latest", "customer_id"], ascending=[False, False, True],
                                   kind="mergesort").reset_index(drop=True)


def sla_settings(book: Book) -> tuple[Clock, int, dict[str, int]]:
    """The clock, acknowledge hours and resolve days by severity, from the typed settings."""
    typed = book.settings.complaints
    clock = Clock(typed.complaint_sla_clock is not ComplaintClock.CALENDAR, *typed.work_day_hours)
    return clock, typed.complaint_ack_hours, dict(typed.complaint_resolve_days)


@register_pass("complaints")
def complaints(book: Book, graded: GradeResult) -> tuple[ComplaintResult, list[Issue]]:
    """Every complaint against its deadlines, with the customer's grade."""
    as_of = as_of_date(book)
    now = dt.datetime.combine(as_of, dt.time()) + dt.timedelta(days=1)
    clock, ack_hours, resolve_days = sla_settings(book)
    grade_of = dict(zip(graded.customers["customer_id"], graded.customers["grade"]))
    frame = complaint_frame(book, grade_of)
    frame = deadlines(frame, clock, ack_hours, resolve_days, now)
    start = pd.Timestamp(now) - pd.DateOffset(years=1)
    frame["recent"] = ((frame["received_at"] >= start) & (frame["received_at"] < pd.Timestamp(now))).astype(bool)
    frame["_open"] = frame["overdue"] == ""
    frame["_due"] = [r if o == "resolve" else a for o, a, r in zip(frame["overdue"], frame["ack_due"], frame["resolve_due"])]
    frame = frame.sort_values(["_open", "_due", "received_at", "row"], kind="mergesort")
    result = ComplaintResult(as_of, now, clock, ack_hours, resolve_days, book.settings.complaints.complaint_repeat_count,
                             frame[COLUMNS].reset_index(drop=True), salesperson_names(book))
    return result, []


def complaint_frame(book: Book, grade_of: dict[str, str]) -> pd.DataFrame:
    """One row per complaint with a readable received time; times that run backwards count as not given."""
    data = book.frame("complaints")
    cards = book.frame("customers")
    card_ids = ids(cards["customer_id"])
    card_owner = dict(zip(card_ids, ids(cards["salesperson_id"])))
    customers = dict(zip(card_ids, cards["name"].astype(object)))
    customer = ids(data["customer_id"])
    received = to_dates(data["received_at"])
    acknowledged, resolved = to_dates(data["acknowledged_at"]), to_dates(data["resolved_at"])
    status = ids(data["status"])
    own = ids(data["owner"])
    frame = pd.DataFrame({
        "complaint_id": ids(data["complaint_id"]), "customer_id": customer, "customer_name": customer.map(customers),
        "salesperson_id": customer.map(lambda c: card_owner.get(c, "")),
        "category": ids(data["category"]), "severity": ids(data["severity"]), "status": status,
        "received_at": received, "acknowledged_at": acknowledged.where(acknowledged >= received),
        "resolved_at": resolved.where(resolved >= received), "satisfied": data["satisfied"].astype(object),
        "row": data["_row"],
    })
    frame["owner"] = own.where(own != "", frame["salesperson_id"])
    frame["done"] = (status.isin(DONE) | frame["resolved_at"].notna()).astype(bool)
    frame["acknowledged"] = (frame["acknowledged_at"].notna() | status.isin(("acknowledged", *DONE))).astype(bool)
    frame["grade"] = customer.map(lambda c: grade_of.get(c))
    frame["month"] = received.dt.strftime("%Y-%m")
    frame["cell"] = [book.cell("complaints", int(row), "status") for row in frame["row"]]
    return frame[received.notna().to_numpy()].reset_index(drop=True)


def deadlines(frame: pd.DataFrame, clock: Clock, ack_hours: int, resolve_days: dict[str, int],
              now: dt.datetime) -> pd.DataFrame:
    """Deadlines, age, which pending deadline has passed, and whether a met one was met late."""
    longest = max(resolve_days.values())
    ack_due, resolve_due, age, overdue, ack_late, resolve_late, taken = [], [], [], [], [], [], []
    for r in frame.itertuples():
        received = r.received_at.to_pydatetime()
        due_ack = clock.add_hours(received, ack_hours)
        due_resolve = clock.add_hours(received, resolve_days.get(r.severity, longest) * clock.hours_per_day)
        ack_due.append(due_ack)
        resolve_due.append(due_resolve)
        age.append(clock.hours_between(received, now) / clock.hours_per_day if not r.done else None)
        overdue.append("" if r.done else "resolve" if now > due_resolve else
                       "ack" if not r.acknowledged and now > due_ack else "")
        ack_late.append(bool(pd.notna(r.acknowledged_at) and r.acknowledged_at.to_pydatetime() > due_ack))
        resolve_late.append(bool(pd.notna(r.resolved_at) and r.resolved_at.to_pydatetime() > due_resolve))
        taken.append(clock.hours_between(received, r.resolved_at.to_pydatetime()) / clock.hours_per_day
                     if pd.notna(r.resolved_at) else None)
    return frame.assign(ack_due=ack_due, resolve_due=resolve_due, age_days=pd.Series(age, index=frame.index, dtype=float),
                        overdue=overdue, ack_late=ack_late, resolve_late=resolve_late,
                        resolve_days=pd.Series(taken, index=frame.index, dtype=float))
