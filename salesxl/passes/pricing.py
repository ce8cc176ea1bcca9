"""Price-policy compliance: every order line's unit price against the price list.

The rule book asks for price levels controlled by customer type and season.
A price-list row applies to an order line when it is for the line's product,
the order date lies in its valid_from..valid_to range (a blank end is open)
and its customer type fits the customer: "all" (or blank), the customer
card's channel type, or the customer's grade (grade_a..grade_d, from the
grading pass). Of the rows that apply, the most specific wins (grade, then
channel, then all), then the latest valid_from (blank counts as earliest),
then the row higher up in the sheet.

Sale lines of the last `price_check_months` months up to the as-of date are
checked (returns and cancelled lines are not). Discount = 1 - unit price /
list price; a line is flagged when it is below the row's minimum price or
its discount is beyond the row's maximum discount. "Lost against list" is
(list price - unit price) x quantity; "below policy" is how far a flagged
line fell under its floor, the higher of the minimum price and
list price x (1 - max discount), times the quantity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book
from salesxl.core.issues import Issue, define
from salesxl.passes.common import as_of_date, to_dates, to_numbers
from salesxl.passes.expenses import salesperson_names
from salesxl.passes.grade import GradeResult
from salesxl.passes.planning.sales import ids
from salesxl.passes.sales import SalesLines
from salesxl.registry import register_pass

PRICE_MISSING = define(
    "PRICE_MISSING", "info",
    "产品 {product} 有 {count} 行订单在价格表中找不到适用的价格（按产品、日期和客户类型），未做价格检查；第一行见 {first}。",
    "Product {product}: {count} order lines have no applicable row in the price list (by product, date and customer "
    "type) and were not checked; the first is {first}.",
    title_zh="无适用价格", title_en="No applicable price")

SPECIFICITY = {"all": 0, "channel": 1, "grade": 2}
TOLERANCE = 1e-6


@dataclass
class PriceCheckResult:
    """Each checked line with the price row applied, and the products that had lines without a price."""

    as_of: dt.date
    start: dt.date  # first day checked
    lines: pd.DataFrame  # one row per checked order line; `cell` addresses the unit price of flagged lines
    missing: pd.DataFrame  # product_id, product_name, lines, row and cell of the first line
    names: dict[str, str]  # salesperson ID -> name

    @property
    def flagged(self) -> pd.DataFrame:
        return self.lines[self.lines["flagged"]]

    def by_product_month(self) -> pd.DataFrame:
        """Quantity-weighted average realised price against average list price, per product and month."""
        lines = self.lines.assign(month=self.lines["date"].dt.strftime("%Y-%m"),
                                  sold=self.lines["unit_price"] * self.lines["quantity"],
                                  listed=self.lines["list_price"] * self.lines["quantity"])
        frame = lines.groupby(["product_id", "month"], sort=True).agg(
            product_name=("product_name", "first"), lines=("row", "size"), quantity=("quantity", "sum"),
            sold=("sold", "sum"), listed=("listed", "sum"), flagged=("flagged", "sum")).reset_index()
        frame["avg_price"] = frame["sold"] / frame["quantity"]
        frame["avg_list"] = frame["listed"] / frame["quantity"]
        frame["realised"] = frame["sold"] / frame["listed"]
        return frame

    def by_salesperson(self) -> pd.DataFrame:
        """Lines, flagged lines, sales, lost against list and below policy, per salesperson."""
        lines = self.lines
        frame = lines.groupby("salesperson_id", sort=True).agg(
            lines=("row", "size"), flagged=("flagged", "sum"), sales=("amount", "sum"),
            lost=("lost", "sum"), below_policy=("below_policy", "sum")).reset_index()
        frame["flagged_share"] = frame["flagged"] / frame["lines"]
        return frame


@register_pass("pricing")
def pricing(book: Book, sold: SalesLines, graded: GradeResult) -> tuple[PriceCheckResult, list[Issue]]:
    as_of = as_of_date(book)
    start = (pd.Timestamp(as_of) - pd.DateOffset(months=book.settings.pricing.price_check_months) + pd.Timedelta(days=1)).date()
    lines = _sale_lines(book, sold, start, as_of, graded)
    chosen = _applicable(lines, _price_rows(book))
    checked = lines.join(chosen, how="inner")
    checked = _judge(checked)
    checked["cell"] = [book.cell("orders", int(row), "unit_price") if flag else None
                       for row, flag in zip(checked["row"], checked["flagged"])]
    missing = _missing(lines.drop(index=chosen.index))
    missing["cell"] = [book.cell("orders", int(row), "product_id") for row in missing["row"]]
    issues = [book.issue_at(PRICE_MISSING, "orders", int(m["row"]), "product_id", value=m["product_id"],
                            product=m["product_id"], count=int(m["lines"]), first=m["cell"])
              for m in missing.to_dict("records")]
    return PriceCheckResult(as_of, start, checked.reset_index(drop=True), missing, salesperson_names(book)), issues


def _sale_lines(book: Book, sold: SalesLines, start: dt.date, as_of: dt.date, graded: GradeResult) -> pd.DataFrame:
    """The sales pass's lines that are no return, with a quantity, a price and a product, between the dates."""
    lines = sold.lines.rename(columns={ROW: "row"})[
        ["row", "line_id", "order_id", "date", "customer_id", "salesperson_id", "product_id", "product_name",
         "quantity", "unit_price", "is_return"]]
    keep = (~lines["is_return"] & (lines["quantity"] > 0) & lines["unit_price"].notna() & (lines["product_id"] != "")
            & (lines["date"] >= pd.Timestamp(start)) & (lines["date"] <= pd.Timestamp(as_of)))
    lines = lines[keep].drop(columns="is_return").reset_index(drop=True)
    lines["amount"] = (lines["unit_price"] * lines["quantity"]).round(2)
    cards = book.frame("customers")
    channel = dict(zip(ids(cards["customer_id"]), ids(cards["channel_type"])))
    lines["channel"] = lines["customer_id"].map(channel).astype(object).fillna("")
    lines["customer_name"] = lines["customer_id"].map(dict(zip(ids(cards["customer_id"]), cards["name"].astype(object))))
    grades = {c: f"grade_{str(g).lower()}" for c, g in zip(graded.customers["customer_id"], graded.customers["grade"])}
    lines["grade"] = lines["customer_id"].map(grades).fillna("")  # a lookup, not a Python call per line
    return lines


def _price_rows(book: Book) -> pd.DataFrame:
    frame = book.frame("price_list")
    kind = ids(frame["customer_type"]).replace("", "all")
    prices = pd.DataFrame({
        "product_id": ids(frame["product_id"]), "customer_type": kind,
        "specificity": kind.map(lambda k: SPECIFICITY["all" if k == "all" else "grade" if k.startswith("grade_") else "channel"]),
        "list_price": to_numbers(frame["list_price"]), "min_price": to_numbers(frame["min_price"]),
        "max_discount": to_numbers(frame["max_discount"]),
        "valid_from": to_dates(frame["valid_from"]).dt.normalize(), "valid_to": to_dates(frame["valid_to"]).dt.normalize(),
        "price_row": frame["_row"],
    })
    return prices[(prices["product_id"] != "") & (prices["list_price"] > 0)]


def _applicable(lines: pd.DataFrame, prices: pd.DataFrame) -> pd.DataFrame:
    """The winning price row per line (indexed like `lines`; lines without one are absent)."""
    pairs = lines[["product_id", "date", "channel", "grade"]].reset_index(names="line").merge(prices, on="product_id")
    fits = ((pairs["valid_from"].isna() | (pairs["valid_from"] <= pairs["date"]))
            & (pairs["valid_to"].isna() | (pairs["valid_to"] >= pairs["date"]))
            & ((pairs["customer_type"] == "all") | (pairs["customer_type"] == pairs["channel"])
               | (pairs["customer_type"] == pairs["grade"])))
    pairs = pairs[fits.to_numpy()].sort_values(["line", "specificity", "valid_from", "price_row"],
                                               ascending=[True, False, False, True], na_position="last",
                                               kind="mergesort").drop_duplicates("line")
    columns = ["customer_type", "list_price", "min_price", "max_discount", "valid_from", "valid_to", "price_row"]
    return pairs.set_index("line")[columns]


def _judge(lines: pd.DataFrame) -> pd.DataFrame:
    lines = lines.copy()
    price, listed, qty = lines["unit_price"], lines["list_price"], lines["quantity"]
    lines["discount"] = 1 - price / listed
    lines["below_min"] = (price < lines["min_price"] - TOLERANCE).fillna(False).astype(bool)
    lines["over_discount"] = (lines["discount"] > lines["max_discount"] + TOLERANCE).fillna(False).astype(bool)
    lines["flagged"] = lines["below_min"] | lines["over_discount"]
    floor = np.fmax(lines["min_price"].to_numpy(), (listed * (1 - lines["max_discount"])).to_numpy())
    lines["floor"] = floor
    lines["lost"] = ((listed - price) * qty).round(2)
    lines["below_policy"] = np.where(lines["flagged"], np.nan_to_num((floor - price) * qty).clip(min=0), 0.0).round(2)
    return lines.sort_values("row", kind="mergesort")


def _missing(lines: pd.DataFrame) -> pd.DataFrame:
    ordered = lines.sort_values("row", kind="mergesort")
    return ordered.groupby("product_id", sort=True).agg(
        product_name=("product_name", "first"), lines=("row", "size"), row=("row", "first")).reset_index()
