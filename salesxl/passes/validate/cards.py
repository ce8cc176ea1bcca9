"""Checks specific to customer cards, and the per-customer completeness frame.

These need more than one cell: coordinates against the China box, regions
against the salespeople, duplicates across customers, dates against each other
and the as-of date, the card's completeness, audits of reported figures
(against our own sales from Orders) and how long ago the customer was visited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from salesxl.core.book import ROW, Book, TableData
from salesxl.core.issues import Issue
from salesxl.passes.common import Blanks, column_found, map_unique, to_dates, to_numbers
from salesxl.passes.sales import SalesLines
from salesxl.passes.validate import codes
from salesxl.passes.validate.formats import cell_text, normalise_company_name, phone_key
from salesxl.passes.validate.wording import join, listing, row_ref, show
from salesxl.schema import TABLES_BY_KEY, Column
from salesxl.schema.masks import is_masked

CUSTOMERS = TABLES_BY_KEY["customers"]
CARD_COLUMNS: tuple[Column, ...] = tuple(c for c in CUSTOMERS.columns if c.block)
#: The per-customer result columns.
RESULT_COLUMNS = ("customer_id", ROW, "completeness", "missing_fields", "last_visit", "days_since_visit", "needs_audit")


def check_cards(book: Book, as_of: dt.date, sold: SalesLines,
                blanks: Blanks | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """The customer-specific issues and one row per customer card."""
    data = book.table("customers")
    frame = data.frame
    if not data.present or frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS}), []
    cards = Cards(book, data, as_of, sold, blanks or Blanks())
    issues = [
        *cards.coordinates(), *cards.regions(), *cards.duplicates(), *cards.dates(),
        *cards.incomplete(), *cards.self_filled(), *cards.revenue(), *cards.stale(),
    ]
    result = pd.DataFrame({
        "customer_id": frame["customer_id"].to_numpy(),
        ROW: frame[ROW].to_numpy(),
        "completeness": cards.completeness.to_numpy(),
        "missing_fields": cards.missing_text.to_numpy(),
        "last_visit": cards.last_visit.to_numpy(),
        "days_since_visit": cards.days_since_visit.to_numpy(),
        "needs_audit": (cards.unaudited | cards.revenue_low).to_numpy(),
    })
    return result, issues


class Cards:
    """The customer table with what every check needs computed once."""

    def __init__(self, book: Book, data: TableData, as_of: dt.date, sold: SalesLines, blanks: Blanks):
        self.book, self.data, self.lang, self.blanks = book, data, book.lang, blanks
        self.frame = data.frame.reset_index(drop=True)
        self.as_of = pd.Timestamp(as_of)
        self.ids = map_unique(self.frame["customer_id"], cell_text).fillna("")
        self.active = map_unique(self.frame["status"], cell_text).eq("active")
        self.filled = pd.DataFrame({
            c.key: ~self.blank(c.key) if self.has(c.key) else pd.Series(False, index=self.frame.index)
            for c in CARD_COLUMNS
        })
        self.completeness = self.filled.mean(axis=1)
        headers = np.array([c.header(self.lang) for c in CARD_COLUMNS], dtype=object)
        self.missing_text = pd.Series([join(headers[~row], self.lang) for row in self.filled.to_numpy()],
                                      index=self.frame.index)
        self.last_visit, self.days_since_visit = self._visits()
        self.unaudited = self._unaudited()
        self.net_sales = self._net_sales(sold)
        self.revenue_low = self._revenue_low()

    def has(self, key: str) -> bool:
        return column_found(self.data, key)

    def blank(self, key: str) -> pd.Series:
        """The column's blank cells, as the run's other checks see them."""
        return pd.Series(self.blanks.of(self.data, key).to_numpy(), index=self.frame.index)

    def issue(self, kind, index, key: str, **params) -> Issue:
        value = self.frame.at[index, key] if key in self.frame.columns else None
        column = CUSTOMERS.column(key)
        return self.book.issue_at(kind, "customers", int(self.frame.at[index, ROW]), key, value=value,
                                  field=column.header(self.lang), shown=show(value, column, self.lang), **params)

    # coordinates and regions

    def coordinates(self) -> Iterator[Issue]:
        if not (self.has("lat") and self.has("lon")):
            return
        lat_low, lat_high, lon_low, lon_high = self.book.settings.cards.china_bounds
        lat, lon = to_numbers(self.frame["lat"]), to_numbers(self.frame["lon"])
        lat_out = lat.notna() & ~lat.between(lat_low, lat_high)
        lon_out = lon.notna() & ~lon.between(lon_low, lon_high)
        swapped = lat_out & lon_out & lat.between(lon_low, lon_high) & lon.between(lat_low, lat_high)
        hint = "（纬度与经度疑似填反）" if self.lang == "zh" else " (latitude and longitude look swapped)"
        for index in self.frame.index[lat_out]:
            yield self.issue(codes.CUST_LATLON_RANGE, index, "lat", low=show(lat_low, None, self.lang),
                             high=show(lat_high, None, self.lang), hint=hint if swapped[index] else "")
        for index in self.frame.index[lon_out & ~swapped]:
            yield self.issue(codes.CUST_LATLON_RANGE, index, "lon", low=show(lon_low, None, self.lang),
                             high=show(lon_high, None, self.lang), hint="")

    def regions(self) -> Iterator[Issue]:
        people = self.book.tables.get("salespeople")
        if people is None or not people.present or not column_found(people, "region") or not self.has("region"):
            return
        known = sorted(set(map_unique(people.frame["region"], cell_text).dropna()) - {""})
        if not known:
            return
        regions = map_unique(self.frame["region"], cell_text).fillna("")
        unknown = regions.ne("") & ~regions.isin(known)
        for index in self.frame.index[unknown]:
            yield self.issue(codes.CUST_REGION_UNKNOWN, index, "region", target_sheet=people.sheet,
                             known=listing(known, self.lang))

    # duplicates across customers

    def duplicates(self) -> Iterator[Issue]:
        rules = (
            ("uscc", codes.CUST_DUP_USCC, lambda v: cell_text(v).upper()),
            ("name", codes.CUST_DUP_NAME, normalise_company_name),
            ("phone", codes.CUST_DUP_PHONE,
             lambda v: key if len(key := phone_key(v)) >= 7 and not is_masked(v) else ""),
        )
        for key, kind, fold in rules:
            if not self.has(key):
                continue
            keys = map_unique(self.frame[key].where(~self.blank(key)), fold).fillna("")
            yield from self._shared(kind, key, keys)

    def _shared(self, kind, key: str, keys: pd.Series) -> Iterator[Issue]:
        """One issue per customer whose key another customer (another ID, or another row without ID) shares."""
        rows = self.frame[ROW].astype(int)
        who = self.ids.where(self.ids.ne(""), "#" + rows.astype(str))
        candidates = keys.ne("") & keys.duplicated(keep=False)
        for _, members in keys[candidates].groupby(keys[candidates], sort=True):
            if who[members.index].nunique() < 2:
                continue
            for index in members.index:
                others = [row_ref(self.ids[i], rows[i], self.lang) for i in members.index if who[i] != who[index]]
                yield self.issue(kind, index, key, others=listing(others, self.lang))

    # dates

    def dates(self) -> Iterator[Issue]:
        founded = to_dates(self.frame["founded"]) if self.has("founded") else None
        first = to_dates(self.frame["first_trade"]) if self.has("first_trade") else None
        as_of_text = show(self.as_of, None, self.lang)
        future = f"数据截止日期 {as_of_text}" if self.lang == "zh" else f"the as-of date {as_of_text}"
        if founded is not None:
            late = founded > self.as_of
            for index in self.frame.index[late]:
                yield self.issue(codes.CUST_DATES_ORDER, index, "founded", limit=future)
        if founded is not None and first is not None:
            header = CUSTOMERS.column("first_trade").header(self.lang)
            for index in self.frame.index[~late & (founded > first)]:
                trade = show(first[index], None, self.lang)
                yield self.issue(codes.CUST_DATES_ORDER, index, "founded",
                                 limit=f"「{header}」{trade}" if self.lang == "zh" else f"{header} {trade}")
        if first is not None:
            for index in self.frame.index[first > self.as_of]:
                yield self.issue(codes.CUST_DATES_ORDER, index, "first_trade", limit=future)

    # completeness and audits

    def incomplete(self) -> Iterator[Issue]:
        minimum = self.book.settings.cards.completeness_min
        for index in self.frame.index[self.active & (self.completeness < minimum)]:
            position = self.frame.index.get_loc(index)
            first_missing = next(c.key for c, ok in zip(CARD_COLUMNS, self.filled.iloc[position]) if not ok)
            yield self.issue(codes.CUST_INCOMPLETE, index, first_missing, score=f"{self.completeness[index]:.0%}",
                             minimum=f"{minimum:.0%}", missing=self.missing_text[index])

    def _unaudited(self) -> pd.Series:
        if not self.has("data_source"):
            return pd.Series(False, index=self.frame.index)
        self_filled = map_unique(self.frame["data_source"], cell_text).eq("self_filled")
        audited = (self.frame["audited"].map(lambda v: isinstance(v, (bool, np.bool_)) and bool(v)).astype(bool)
                   if self.has("audited") else False)
        return self_filled & ~audited

    def self_filled(self) -> Iterator[Issue]:
        source = CUSTOMERS.column("data_source")
        at = "audited" if self.has("audited") else "data_source"
        for index in self.frame.index[self.unaudited]:
            yield self.issue(codes.CUST_AUDIT_SELF_FILLED, index, at, source_field=source.header(self.lang),
                             source=source.label("self_filled", self.lang))

    def _net_sales(self, sold: SalesLines) -> pd.Series:
        """Last-12-months net sales (the sales pass's) per customer row (NaN when Orders is missing)."""
        orders = self.book.tables.get("orders")
        if orders is None or not orders.present:
            return pd.Series(np.nan, index=self.frame.index)
        by_customer = sold.net_by("customer_id", self.as_of - pd.DateOffset(months=12), self.as_of)
        return self.ids.map(by_customer).fillna(0.0)

    def _revenue_low(self) -> pd.Series:
        if not self.has("annual_revenue"):
            return pd.Series(False, index=self.frame.index)
        revenue = to_numbers(self.frame["annual_revenue"])
        threshold = self.net_sales * self.book.settings.cards.revenue_audit_ratio
        return revenue.notna() & (self.net_sales > 0) & (revenue < threshold)

    def revenue(self) -> Iterator[Issue]:
        ratio = self.book.settings.cards.revenue_audit_ratio
        money = CUSTOMERS.column("annual_revenue")
        for index in self.frame.index[self.revenue_low]:
            sales = float(self.net_sales[index])
            yield self.issue(codes.CUST_AUDIT_REVENUE, index, "annual_revenue", sales=show(sales, money, self.lang),
                             ratio=f"{ratio:.0%}", threshold=show(sales * ratio, money, self.lang))

    # visits

    def _visits(self) -> tuple[pd.Series, pd.Series]:
        visits = self.book.tables.get("visits")
        if visits is None or not visits.present or visits.frame.empty:
            return (pd.Series(pd.NaT, index=self.frame.index, dtype="datetime64[ns]"),
                    pd.Series(pd.NA, index=self.frame.index, dtype="Int64"))
        dates = to_dates(visits.frame["date"])
        seen = dates.notna() & (dates <= self.as_of)
        latest = dates[seen].groupby(map_unique(visits.frame["customer_id"], cell_text)[seen]).max()
        # reindex keeps the datetime dtype when no customer was visited (map would give floats)
        last = pd.Series(latest.reindex(self.ids.to_numpy()).to_numpy(), index=self.frame.index)
        days = (self.as_of - last).dt.days.astype("Int64")
        return last, days

    def stale(self) -> Iterator[Issue]:
        """Cards not visited for long; before the first visit report there is nothing to judge (TABLE_EMPTY says so)."""
        visits = self.book.tables.get("visits")
        if visits is None or not visits.present or visits.frame.empty:
            return
        limit = self.book.settings.cards.stale_card_days
        never = self.days_since_visit.isna()
        stale = self.active & (never | self.days_since_visit.gt(limit).fillna(False))
        for index in self.frame.index[stale]:
            yield self.issue(codes.CUST_STALE, index, "customer_id", limit=limit,
                             last=self._last_text(index, bool(never[index])))

    def _last_text(self, index, never: bool) -> str:
        if never:
            return "从未拜访" if self.lang == "zh" else "never visited"
        when, days = show(self.last_visit[index], None, self.lang), int(self.days_since_visit[index])
        return f"上次拜访 {when}，距今 {days} 天" if self.lang == "zh" else f"last visit {when}, {days} days ago"
