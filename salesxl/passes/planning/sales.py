"""IDs as text and collections per salesperson (net sales are the sales pass's: salesxl/passes/sales.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from salesxl.core.book import Book
from salesxl.io.coerce import strip_each
from salesxl.passes.common import to_dates, to_numbers


def ids(series: pd.Series) -> pd.Series:
    """IDs as stripped text ("" when blank), so they compare equal across tables.

    Text columns (the usual case) strip each distinct value once: a column of order lines holds few IDs."""
    values = series.astype(object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        codes, uniques = pd.factorize(values)
        # uniques as objects, stripped at C speed (iterating a text Index costs a pandas call per value)
        stripped = np.append(strip_each(uniques.to_numpy(dtype=object)), "")  # code -1 (blank) picks ""
        return pd.Series(stripped[codes], index=series.index, name=series.name)
    return values.map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())


def read_ids(series: pd.Series) -> np.ndarray:
    """`ids` of a column as the reader made it, without stripping again: the reader strips every text cell
    (io/coerce.py `_clean_strings`, `_texts`) and gives None for a blank one, so only blanks become "".
    A column that is not all text (a hand-made frame) goes through `ids`."""
    values = series.to_numpy(dtype=object)
    if len(values) and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return np.where(pd.isna(values), "", values)
    return ids(series).to_numpy()


def collections(book: Book) -> pd.DataFrame:
    """Payments (date, salesperson_id, customer_id, amount); the salesperson is the payment's own, else the card owner's."""
    payments = book.frame("payments")
    cards = book.frame("customers")
    owner = dict(zip(ids(cards["customer_id"]).tolist(), ids(cards["salesperson_id"]).tolist()))
    customer = ids(payments["customer_id"])
    return pd.DataFrame({
        "date": to_dates(payments["date"]).dt.normalize(),
        "salesperson_id": [sp or owner.get(c, "") for sp, c in zip(ids(payments["salesperson_id"]).tolist(),
                                                                    customer.tolist())],
        "customer_id": customer,
        "amount": to_numbers(payments["amount"]).fillna(0.0),
    })
