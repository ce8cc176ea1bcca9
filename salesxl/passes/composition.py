"""Customer composition: who the customers are and where the sales come from.

The rule book asks for the customer base to be analysed by composition to
find where sales are weak. Every customer card counts once in each
dimension; sales are the grading pass's trailing-12-month net sales, so the
groups of a dimension add up to the totals exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.core.issues import Issue, Lang
from salesxl.passes.common import blank_mask
from salesxl.passes.grade import GradeResult, customer_cards
from salesxl.schema.grades import GRADES, Grade
from salesxl.registry import register_pass
from salesxl.schema import TABLES_BY_KEY

#: Card columns the customers are broken down by, plus the composite grade.
DIMENSIONS = ("ownership_type", "channel_type", "location_type", "region", "industry", "grade", "salesperson_id")
PARETO_POINTS = 20
BLANK = {"zh": "（未填）", "en": "(blank)"}
GRADE_TITLE = {"zh": "综合等级", "en": "Grade"}
GROUP_COLUMNS = ["value", "label", "customers", "customer_share", "sales", "sales_share", "prev_sales", "change"]


@dataclass
class Dimension:
    key: str
    title: str  # in the book's language
    groups: pd.DataFrame  # GROUP_COLUMNS, one row per value


@dataclass
class CompositionResult:
    as_of: dt.date
    customers: int
    buyers: int
    sales: float
    prev_sales: float
    dimensions: list[Dimension]
    pareto: pd.DataFrame  # customer_share, sales_share: the top x of customers bring y of the sales
    weak: pd.DataFrame  # dimension, label, customer_share, sales_share, ratio
    weak_ratio: float

    @property
    def change(self) -> float | None:
        return change(self.sales, self.prev_sales)


@register_pass("composition")
def composition(book: Book, graded: GradeResult) -> tuple[CompositionResult, list[Issue]]:
    lang = book.lang
    cards = customer_cards(book)
    figures = graded.customers.set_index("customer_id")[["net_sales", "prev_sales", "grade"]].reindex(cards.index)
    base = cards.join(figures)
    sales, prev = float(base["net_sales"].sum()), float(base["prev_sales"].sum())
    dimensions = [Dimension(key, dimension_title(key, lang), breakdown(base, key, lang, sales)) for key in DIMENSIONS]
    ratio = book.settings.composition.composition_weak_ratio
    result = CompositionResult(
        as_of=graded.as_of, customers=len(base), buyers=int((base["net_sales"] > 0).sum()),
        sales=round(sales, 2), prev_sales=round(prev, 2), dimensions=dimensions,
        pareto=pareto(base["net_sales"]),
        weak=weak_spots(dimensions, ratio, book.settings.composition.composition_weak_min_share, sales),
        weak_ratio=ratio,
    )
    return result, []


def dimension_title(key: str, lang: Lang) -> str:
    return GRADE_TITLE[lang] if key == "grade" else TABLES_BY_KEY["customers"].column(key).header(lang)


def breakdown(base: pd.DataFrame, key: str, lang: Lang, total_sales: float) -> pd.DataFrame:
    """Customers, sales, shares, last year's sales and change per value of one dimension."""
    values = base[key].astype(object).where(~blank_mask(base[key]), "")
    values = values.map(lambda v: str(v).strip())
    frame = pd.DataFrame({"value": values.to_numpy(), "net_sales": base["net_sales"].to_numpy(),
                          "prev_sales": base["prev_sales"].to_numpy()})
    groups = frame.groupby("value", sort=True).agg(customers=("value", "size"), sales=("net_sales", "sum"),
                                                    prev_sales=("prev_sales", "sum")).reset_index()
    names = _names(base, key, lang)
    groups["label"] = [names.get(v, v) if v else BLANK[lang] for v in groups["value"]]
    groups["customer_share"] = groups["customers"] / len(base) if len(base) else 0.0
    groups["sales_share"] = groups["sales"] / total_sales if total_sales > 0 else np.nan
    groups["change"] = [change(s, p) for s, p in zip(groups["sales"], groups["prev_sales"])]
    groups[["sales", "prev_sales"]] = groups[["sales", "prev_sales"]].round(2)
    if key == "grade":
        groups = groups.assign(_order=groups["value"].map(lambda g: g.rank if (g := Grade.parse(g)) else len(GRADES)))
        groups = groups.sort_values("_order", kind="mergesort")
    else:
        groups = groups.assign(_blank=groups["value"] == "").sort_values(
            ["_blank", "sales", "label"], ascending=[True, False, True], kind="mergesort")
    return groups[GROUP_COLUMNS].reset_index(drop=True)


def _names(base: pd.DataFrame, key: str, lang: Lang) -> dict[str, Any]:
    """Display label per value: enum labels, salesperson names, or the value itself."""
    if key == "salesperson_id":
        return dict(zip(base["salesperson_id"].astype(object), base["salesperson_name"]))
    if key == "grade":
        return {}
    column = TABLES_BY_KEY["customers"].column(key)
    return {c.code: c.label(lang) for c in column.choices}


def change(now: float, before: float) -> float | None:
    return (now - before) / before if before > 0 else None


def pareto(net_sales: pd.Series, points: int = PARETO_POINTS) -> pd.DataFrame:
    """Share of sales brought by the top 5 %, 10 %, ... 100 % of customers (linear between customers)."""
    ordered = np.sort(net_sales.clip(lower=0).to_numpy(dtype=float))[::-1]
    cumulative = np.concatenate([[0.0], np.cumsum(ordered)])
    shares = np.arange(1, points + 1) / points
    total = cumulative[-1]
    reached = np.interp(shares * len(ordered), np.arange(len(ordered) + 1), cumulative) if len(ordered) else np.zeros(points)
    return pd.DataFrame({"customer_share": shares, "sales_share": reached / total if total > 0 else np.zeros(points)})


def weak_spots(dimensions: list[Dimension], ratio: float, min_share: float, total_sales: float) -> pd.DataFrame:
    """Groups holding at least `min_share` of the customers and `ratio` times more customers than sales."""
    rows = []
    if total_sales > 0:
        for dimension in dimensions:
            for group in dimension.groups.to_dict("records"):
                sales_share = max(group["sales_share"], 0.0)
                found = group["customer_share"] / sales_share if sales_share > 0 else np.inf
                if group["customer_share"] >= min_share - 1e-12 and found >= ratio:
                    rows.append({"dimension": dimension.title, "label": group["label"],
                                 "customer_share": group["customer_share"], "sales_share": group["sales_share"],
                                 "ratio": found})
    frame = pd.DataFrame(rows, columns=["dimension", "label", "customer_share", "sales_share", "ratio"])
    return frame.sort_values("ratio", ascending=False, kind="mergesort").reset_index(drop=True)
