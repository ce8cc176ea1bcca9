"""The complaint deduction of the composite grade: a customer's recent complaints as a relationship risk.

Each complaint received in the 12 months up to the as-of date scores its
severity (high 3, medium 2, low 1), doubled when the customer said they were
not satisfied with the outcome; FULL points or more is a deduction of 100.
The grade pass takes `grade_weight_complaints` times the deduction off the
weighted score, so a customer without complaints keeps exactly the score the
other components give, and more or worse complaints never raise a grade.
"""

from __future__ import annotations

import pandas as pd

from salesxl.passes.common import to_dates
from salesxl.passes.planning.sales import ids

SEVERITY_POINTS = {"high": 3.0, "medium": 2.0, "low": 1.0}
FULL = 6.0  # points that make the full deduction of 100


def complaint_deduction(complaints: pd.DataFrame, customers: pd.Index, as_of: pd.Timestamp) -> pd.Series:
    """0..100 per customer in `customers` from the complaints table's rows (blank severity counts as medium)."""
    received = to_dates(complaints["received_at"])
    end = as_of.normalize() + pd.Timedelta(days=1)
    recent = ((received < end) & (received >= end - pd.DateOffset(years=1))).to_numpy(dtype=bool)
    rows = complaints[recent]
    points = ids(rows["severity"]).map(lambda s: SEVERITY_POINTS.get(s, SEVERITY_POINTS["medium"]))
    unhappy = rows["satisfied"].astype("boolean").eq(False).fillna(False).to_numpy(dtype=bool)
    points = points.where(~unhappy, points * 2)
    totals = points.groupby(ids(rows["customer_id"]).to_numpy()).sum()
    return (totals.reindex(customers).fillna(0.0) / FULL * 100.0).clip(upper=100.0)
