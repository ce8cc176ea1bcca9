"""Order of events in the complaints table: nothing is acknowledged or resolved before it was received.

The generic field rules (passes/validate/fields.py) already check required
columns (a resolved or closed complaint needs its resolution and time), the
customer and owner references and unreadable dates. This adds the checks
between two cells of a row, each named at the later cell, and a linked visit
or order that the workbook does not have.
"""

from __future__ import annotations

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import column_found, to_dates
from salesxl.passes.planning.sales import ids
from salesxl.schema.tables import COMPLAINTS

COMPLAINT_BEFORE_RECEIVED = define(
    "COMPLAINT_BEFORE_RECEIVED", "error",
    "投诉 {complaint} 的{field}（{shown}）早于投诉时间（{received}）：请更正其中一个时间。",
    "Complaint {complaint}: {field} ({shown}) is before it was received ({received}); correct one of the two.",
    title_zh="投诉时间顺序错误", title_en="Complaint times out of order")
COMPLAINT_LINK_UNKNOWN = define(
    "COMPLAINT_LINK_UNKNOWN", "warning",
    "投诉 {complaint} 关联的“{shown}”既不是拜访编号，也不是订单号。",
    "Complaint {complaint} is linked to “{shown}”, which is neither a visit ID nor an order number.",
    title_zh="关联记录不存在", title_en="Linked record not found")

LATER = ("acknowledged_at", "resolved_at")


def check_complaint_events(book: Book) -> list[Issue]:
    """Acknowledged or resolved before received, and links to visits or orders the book does not have."""
    data = book.table("complaints")
    if not data.present or data.frame.empty:
        return []
    frame = data.frame
    received = to_dates(frame["received_at"])
    names = ids(frame["complaint_id"])
    issues: list[Issue] = []
    for key in LATER:
        if not column_found(data, key):
            continue
        later = to_dates(frame[key])
        early = (later < received).fillna(False).to_numpy(dtype=bool)
        for row, name, at, got in zip(frame.loc[early, ROW], names[early], later[early], received[early]):
            issues.append(book.issue_at(
                COMPLAINT_BEFORE_RECEIVED, "complaints", int(row), key, value=at.to_pydatetime(),
                complaint=name or f"#{int(row)}", field=COMPLAINTS.column(key).header(book.lang),
                shown=at.strftime("%Y-%m-%d %H:%M"), received=got.strftime("%Y-%m-%d %H:%M")))
    if column_found(data, "linked_id"):
        linked = ids(frame["linked_id"])
        known = linked.isin(ids(book.frame("visits")["visit_id"])) \
            | linked.isin(ids(book.frame("orders")["order_id"])) | linked.isin(ids(book.frame("orders")["line_id"]))
        unknown = ((linked != "") & ~known).to_numpy(dtype=bool)
        if book.table("visits").present or book.table("orders").present:
            issues += [book.issue_at(COMPLAINT_LINK_UNKNOWN, "complaints", int(row), "linked_id", value=link,
                                     complaint=name or f"#{int(row)}", shown=link)
                       for row, name, link in zip(frame.loc[unknown, ROW], names[unknown], linked[unknown])]
    return issues
