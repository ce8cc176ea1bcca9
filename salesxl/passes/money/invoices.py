"""Invoices from order lines: what each customer was billed, when, and when it falls due.

- Lines with an invoice number are grouped by (customer, invoice number).
  A line without one is invoiced when it has an invoice date or the status
  "invoiced": it is billed by (customer, order number) at that date (else
  the order date). Lines still open (not shipped) are not yet owed.
- Shipped, not invoiced: a shipped line with neither an invoice number nor
  an invoice date nor the status "invoiced" is owed only once invoiced, so
  it is kept apart (the second frame of `billed_lines`), outside ageing and
  overdue — unless Settings orders_are_invoices says the office bills by
  order, when it is billed at its order date like an invoice.
- The lines are those of the sales pass (salesxl/passes/sales.py), so
  cancelled lines never count and a return is what it says is a return; a
  line is billed on its invoice date (else its order date) and only when
  that is on or before the as-of date.
- A return counts negative: on the invoice of the sale it reduces that
  invoice; on its own invoice or order it makes a credit note (an invoice
  with a negative amount), which the customer's open invoices take like a
  payment on its date.
- Due date: the earliest due date of the lines, else the invoice date plus
  the card's payment days (0 for cash and prepaid terms or a blank).
"""

from __future__ import annotations

import pandas as pd

from salesxl.core.book import ROW
from salesxl.passes.common import blank_mask, to_numbers
from salesxl.passes.money.allocation import to_cents
from salesxl.passes.planning.sales import ids
from salesxl.passes.sales import SalesLines

LINE_COLUMNS = ["customer_id", "invoice", "kind", "order_id", "salesperson_id", "product_line",
                "invoice_date", "due_date", "cents", ROW]
INVOICE_COLUMNS = ["customer_id", "invoice", "kind", "salesperson_id", "invoice_date", "due_date", "cents", "row"]
#: Trade terms that leave no credit period.
NO_CREDIT_TERMS = ("cash", "prepaid")


def billed_lines(sold: SalesLines, as_of: pd.Timestamp, orders_are_invoices: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every billed order line up to `as_of` (its invoice: number or order; signed amount in cents), and apart
    from them the shipped lines ordered up to `as_of` that wait for their invoice (none when orders are the
    invoices); both LINE_COLUMNS."""
    frame, billed, waiting = _order_lines(sold, as_of, orders_are_invoices)
    return (frame[(billed & ~waiting).to_numpy()].reset_index(drop=True)[LINE_COLUMNS],
            frame[(billed & waiting).to_numpy()].reset_index(drop=True)[LINE_COLUMNS])


def _order_lines(sold: SalesLines, as_of: pd.Timestamp,
                 orders_are_invoices: bool) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Sales lines as invoice lines, which of them count by `as_of`, and which of those wait for an invoice."""
    lines = sold.lines
    number = lines["invoice_no"]
    billed = number != ""
    status = lines["status"]
    frame = pd.DataFrame({
        "customer_id": lines["customer_id"],
        "invoice": number.where(billed, lines["order_id"]),
        "kind": pd.Series("order", index=lines.index).where(~billed, "invoice"),
        "order_id": lines["order_id"],
        "salesperson_id": lines["salesperson_id"],
        "product_line": lines["product_line"],
        "invoice_date": lines["invoice_date"].fillna(lines["date"]),
        "due_date": lines["due_date"],
        "cents": to_cents(lines["net"]),
        ROW: lines[ROW],
    })
    keep = ((billed | (status != "open")) & (frame["customer_id"] != "")
            & (frame["invoice"] != "") & frame["invoice_date"].notna() & (frame["invoice_date"] <= as_of))
    invoiced = billed | lines["invoice_date"].notna() | (status == "invoiced")
    waiting = ~invoiced & (status != "open") & (not orders_are_invoices)
    return frame, keep, waiting


def invoices(lines: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """One row per invoice: signed total in cents, invoice date, due date, the first line's salesperson and row."""
    if lines.empty:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c.endswith("date") else object)
                             for c in INVOICE_COLUMNS})
    grouped = lines.groupby(["customer_id", "kind", "invoice"], sort=True).agg(
        salesperson_id=("salesperson_id", "first"), invoice_date=("invoice_date", "min"),
        due_date=("due_date", "min"), cents=("cents", "sum"), row=(ROW, "min")).reset_index()
    days = credit_days(cards)
    offset = pd.to_timedelta(grouped["customer_id"].map(days).fillna(0).astype(float), unit="D")
    grouped["due_date"] = grouped["due_date"].fillna(grouped["invoice_date"] + offset)
    grouped["cents"] = grouped["cents"].astype("int64")
    return grouped[INVOICE_COLUMNS]


def credit_days(cards: pd.DataFrame) -> pd.Series:
    """Days of credit per customer ID: the card's payment days, 0 for cash or prepaid terms."""
    days = to_numbers(cards["payment_days"]).fillna(0).clip(lower=0)
    terms = cards["payment_terms"].astype(object)
    days = days.where(~terms.isin(NO_CREDIT_TERMS), 0.0)
    frame = pd.DataFrame({"customer_id": ids(cards["customer_id"]), "days": days.to_numpy()})
    frame = frame[~blank_mask(frame["customer_id"]) & (frame["customer_id"] != "")]
    return frame.drop_duplicates("customer_id").set_index("customer_id")["days"]
