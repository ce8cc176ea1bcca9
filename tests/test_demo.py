"""The demo office: realistic, deterministic, and wrong exactly where it is meant to be."""

from __future__ import annotations

import re
import unicodedata

import chinese_calendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from salesxl.demo import SIZES, generate_office
from salesxl.demo.defects import CARD_CODES
from salesxl.demo.geo import BOUNDS, DISTRICTS, territories
from salesxl.demo.identifiers import usccs
from salesxl.schema import TABLES, ColType

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "商行", "店")


def uscc_valid(code: str) -> bool:
    if len(code) != 18 or any(ch not in ALPHABET for ch in code):
        return False
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(code, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31] == code[17]


def normalised(name: str) -> str:
    text = re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", name).casefold())
    for suffix in SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


@pytest.fixture(scope="module")
def office():
    return generate_office("S", seed=7)


@pytest.fixture(scope="module")
def planted(office):
    return {code: set(ids) for code, ids in office.defects.items()}


@pytest.fixture(scope="module")
def clean(office, planted):
    """Customer rows that carry no planted mistake at all."""
    customers = office.tables["customers"]
    bad = set().union(*planted.values())
    return customers[~customers["customer_id"].isin(bad)]


def test_same_seed_same_office_and_another_seed_another_office(office):
    again = generate_office("S", seed=7)
    assert again.defects == office.defects and again.settings == office.settings
    for key, frame in office.tables.items():
        assert frame.equals(again.tables[key]), key
    other = generate_office("S", seed=8)
    assert not other.tables["orders"].equals(office.tables["orders"])


def test_sizes_are_roughly_right(office):
    t = office.tables
    assert len(t["salespeople"]) == SIZES["S"].salespeople == 8
    assert 1_400 <= len(t["customers"]) <= 1_600
    assert 90_000 <= len(t["orders"]) <= 110_000
    weeks = (t["visits"]["date"].max() - t["visits"]["date"].min()).days / 7
    per_week = len(t["visits"]) / 8 / weeks
    assert 20 <= per_week <= 40
    assert 1.0 <= len(t["contacts"]) / len(t["customers"]) <= 3.0
    assert t["orders"]["product_id"].nunique() >= 50 and t["orders"]["product_line"].nunique() == 6


def test_every_input_table_has_exactly_the_declared_columns(office):
    expected = {t.key for t in TABLES} - {"settings"}
    assert set(office.tables) == expected
    for table in TABLES:
        if table.key in office.tables:
            assert list(office.tables[table.key].columns) == [c.key for c in table.columns]


def test_enum_cells_hold_declared_codes_except_the_planted_bad_labels(office, planted):
    bad_cells = []
    for table in TABLES:
        frame = office.tables.get(table.key)
        for column in (c for c in table.columns if c.type == ColType.ENUM and frame is not None):
            values = frame[column.key]
            wrong = values.notna() & ~values.isin([c.code for c in column.choices])
            bad_cells += [(table.key, column.key, v) for v in values[wrong]]
            if table.key == "customers" and column.key == "channel_type":
                assert set(frame.loc[wrong, "customer_id"]) == planted["CELL_BAD_CHOICE"]
    assert bad_cells and all(cell == ("customers", "channel_type", "超市") for cell in bad_cells)


def test_usccs_are_valid_unless_planted_and_planted_ones_are_invalid(office, planted):
    customers = office.tables["customers"].set_index("customer_id")
    wrong = planted["FIELD_USCC_CHECKSUM"] | planted["FIELD_USCC_FORMAT"]
    others = customers[~customers.index.isin(wrong) & customers["uscc"].notna()]
    assert others["uscc"].map(uscc_valid).all()
    checksum = customers.loc[sorted(planted["FIELD_USCC_CHECKSUM"]), "uscc"]
    assert checksum.str.len().eq(18).all() and not checksum.map(uscc_valid).any()
    assert not customers.loc[sorted(planted["FIELD_USCC_FORMAT"]), "uscc"].map(uscc_valid).any()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 200))
def test_generated_usccs_pass_an_independent_check(seed, n):
    rng = np.random.default_rng(seed)
    division = rng.choice([d.division for d in DISTRICTS], n)
    codes = usccs(rng, division, rng.random(n) < 0.3)
    assert all(uscc_valid(c) and c[2:8] == d for c, d in zip(codes, division))


@given(st.integers(8, 120))
def test_every_district_has_a_salesperson_and_every_salesperson_a_territory(n):
    groups = territories(n)
    assert len(groups) == n and all(1 <= len(g) <= 2 for g in groups)
    assert sorted({d for g in groups for d in g}) == list(range(len(DISTRICTS)))


def test_phones_mobiles_and_names_are_valid_and_distinct_unless_planted(office, planted, clean):
    assert clean["phone"].dropna().map(lambda p: bool(MOBILE.match(p) or LANDLINE.match(p))).all()
    customers = office.tables["customers"]
    bad_phone = customers[customers["customer_id"].isin(planted["FIELD_PHONE"])]["phone"]
    assert not bad_phone.map(lambda p: bool(MOBILE.match(p) or LANDLINE.match(p))).any()
    assert not clean["phone"].dropna().duplicated().any()
    assert not clean["name"].map(normalised).duplicated().any()
    dup_names = customers[customers["customer_id"].isin(planted["CUST_DUP_NAME"])]["name"].map(normalised)
    assert dup_names.duplicated(keep=False).all()
    dup_uscc = customers[customers["customer_id"].isin(planted["CUST_DUP_USCC"])]["uscc"]
    assert dup_uscc.duplicated(keep=False).all()
    contacts = office.tables["contacts"]
    good = contacts[~contacts["contact_id"].isin(planted["FIELD_MOBILE"])]
    assert good["mobile"].map(lambda m: bool(MOBILE.match(m))).all()
    bad = contacts[contacts["contact_id"].isin(planted["FIELD_MOBILE"])]
    assert len(bad) >= 3 and not bad["mobile"].map(lambda m: bool(MOBILE.match(m))).any()
    assert office.tables["salespeople"]["phone"].map(lambda m: bool(MOBILE.match(m))).all()


def test_order_amounts_are_quantity_times_unit_price_and_returns_are_negative(office):
    orders = office.tables["orders"]
    assert (orders["amount"] - orders["quantity"] * orders["unit_price"]).abs().max() < 0.005 + 1e-9
    returns = orders[orders["type"] == "return"]
    assert 0.01 <= len(returns) / len(orders) <= 0.03
    assert (returns["quantity"] < 0).all() and (returns["amount"] < 0).all()
    assert (orders.loc[orders["type"] == "sale", "quantity"] > 0).all()
    sizes = orders.groupby("order_id").size()
    assert sizes.max() <= 8 and not orders.duplicated(["order_id", "product_id"]).any()


def test_invoices_fall_due_after_the_customers_payment_days(office, planted):
    orders = office.tables["orders"]
    customers = office.tables["customers"].drop_duplicates("customer_id").set_index("customer_id")
    invoiced = orders[orders["status"] == "invoiced"]
    assert invoiced["invoice_no"].notna().all() and orders.loc[orders["status"] != "invoiced", "invoice_no"].isna().all()
    skip = planted["FIELD_RANGE"] | planted["CUST_INCOMPLETE"] | planted["FIELD_ID_DUPLICATE"]
    untouched = invoiced[~invoiced["customer_id"].isin(skip)]
    days = customers["payment_days"].reindex(untouched["customer_id"]).to_numpy()
    assert ((untouched["due_date"] - untouched["invoice_date"]).dt.days.to_numpy() == days).all()
    assert (invoiced["invoice_date"] >= invoiced["date"]).all()
    assert (invoiced["invoice_date"] <= pd.Timestamp(office.settings["as_of_date"])).all()


def test_nobody_pays_more_than_they_were_invoiced(office):
    orders = office.tables["orders"]
    payments = office.tables["payments"]
    billed = orders[orders["status"] == "invoiced"].groupby("customer_id")["amount"].sum()
    paid = payments.groupby("customer_id")["amount"].sum()
    assert (paid - billed.reindex(paid.index).fillna(0) <= 0.01).all()
    assert (payments["amount"] > 0).all()
    named = payments["invoice_no"].dropna()
    assert 0.05 < len(named) / len(payments) < 0.95 and named.isin(set(orders["invoice_no"].dropna())).all()
    outstanding = billed.sum() - paid.sum()
    assert 0 < outstanding < 0.25 * billed.sum()


def test_trade_tables_point_at_existing_customers_and_salespeople(office):
    t = office.tables
    customers = set(t["customers"]["customer_id"])
    salespeople = set(t["salespeople"]["salesperson_id"])
    for key in ("orders", "payments", "visits", "contracts", "inquiries"):
        assert t[key]["customer_id"].isin(customers).all(), key
        assert t[key]["salesperson_id"].isin(salespeople).all(), key
    assert t["visits"]["contact_id"].dropna().isin(set(t["contacts"]["contact_id"])).all()
    assert t["expenses"]["customer_id"].dropna().isin(customers).all()


def test_planted_references_point_nowhere(office, planted):
    t = office.tables
    customers = t["customers"]
    bad_owner = customers[customers["customer_id"].isin(planted["FIELD_REF"])]["salesperson_id"]
    assert len(bad_owner) >= 0.01 * len(customers)
    assert not bad_owner.isin(set(t["salespeople"]["salesperson_id"])).any()
    contacts = t["contacts"][t["contacts"]["contact_id"].isin(planted["FIELD_REF"])]
    assert len(contacts) >= 3 and not contacts["customer_id"].isin(set(customers["customer_id"])).any()
    repeated = customers["customer_id"][customers["customer_id"].duplicated()]
    assert set(repeated) == planted["FIELD_ID_DUPLICATE"]


def test_clean_customers_lie_in_guangzhou_and_planted_ones_outside(office, planted, clean):
    lat_min, lat_max, lon_min, lon_max = BOUNDS
    assert clean["lat"].between(lat_min, lat_max).all() and clean["lon"].between(lon_min, lon_max).all()
    regions = set(office.tables["salespeople"]["region"])
    assert clean["region"].isin(regions).all()
    customers = office.tables["customers"]
    off = customers[customers["customer_id"].isin(planted["CUST_LATLON_RANGE"])]
    assert not (off["lat"].between(18.0, 53.6) & off["lon"].between(73.5, 135.1)).any()
    unknown = customers[customers["customer_id"].isin(planted["CUST_REGION_UNKNOWN"])]
    assert not unknown["region"].isin(regions).any()


def test_sales_show_the_trading_year(office):
    orders = office.tables["orders"]
    live = orders[orders["status"] != "cancelled"]
    monthly = live.groupby([live["date"].dt.year, live["date"].dt.month])["amount"].sum()
    years = [y for y in monthly.index.get_level_values(0).unique() if (y, 2) in monthly and (y, 11) in monthly]
    assert years
    for year in years:
        assert monthly[(year, 2)] < monthly[(year, 11)]
    weekday = live.groupby(live["date"].dt.day_of_week)["amount"].sum()
    assert weekday[6] < weekday[0] / 3


def test_visits_are_on_working_days_and_recent_for_active_customers(office, planted):
    visits = office.tables["visits"]
    dates = visits["date"].dt.date.unique()
    assert all(chinese_calendar.is_workday(d) for d in dates)
    as_of = pd.Timestamp(office.settings["as_of_date"])
    last = visits.groupby("customer_id")["date"].max()
    customers = office.tables["customers"]
    active = customers[(customers["status"] == "active") & ~customers["customer_id"].isin(planted["FIELD_ID_DUPLICATE"])]
    stale = active["customer_id"].isin(planted["CUST_STALE"])
    age = (as_of - last.reindex(active["customer_id"])).dt.days
    assert (age[~stale.to_numpy()] <= 90).all()
    assert (age[stale.to_numpy()].fillna(10**6) > 90).all()
    urgent = visits[visits["urgent"]]
    assert len(urgent) > 0 and urgent["urgent_type"].notna().all() and (~urgent["followed_up"]).any()


def test_card_completeness_and_revenue_only_fail_where_planted(office, planted):
    customers = office.tables["customers"]
    block_columns = [c.key for c in next(t for t in TABLES if t.key == "customers").columns if c.block]
    completeness = customers[block_columns].notna().mean(axis=1)
    active = customers["status"] == "active"
    incomplete = customers["customer_id"].isin(planted["CUST_INCOMPLETE"])
    assert (completeness[active & ~incomplete] >= 0.8).all()
    assert (completeness[incomplete] < 0.8).all()

    orders = office.tables["orders"]
    as_of = pd.Timestamp(office.settings["as_of_date"])
    recent = orders[(orders["status"] != "cancelled") & (orders["date"] > as_of - pd.Timedelta(days=365))]
    sales = recent.groupby("customer_id")["amount"].sum()
    unique = customers.drop_duplicates("customer_id", keep=False).set_index("customer_id")
    below = unique["annual_revenue"] < sales.reindex(unique.index).fillna(0)
    assert set(unique.index[below]) == planted["CUST_AUDIT_REVENUE"]
    unaudited = unique[(unique["data_source"] == "self_filled") & (unique["audited"] != True)]  # noqa: E712
    assert set(unaudited.index) == planted["CUST_AUDIT_SELF_FILLED"]


def test_each_card_defect_hits_one_to_five_percent_of_customers(office, planted):
    customers = set(office.tables["customers"]["customer_id"])
    n = len(office.tables["customers"])
    for code in CARD_CODES:
        share = len(planted[code] & customers) / n
        assert 0.01 <= share <= 0.05, (code, share)
    for code in ("CELL_BAD_CHOICE", "CELL_NOT_A_DATE", "FIELD_MOBILE"):
        assert len(planted[code]) >= 3
    founded = office.tables["customers"].set_index("customer_id")["founded"]
    typed = founded[founded.map(lambda v: isinstance(v, str))]
    assert set(typed.index) == planted["CELL_NOT_A_DATE"] & customers


def test_dates_are_in_order_unless_planted(office, planted, clean):
    as_of = pd.Timestamp(office.settings["as_of_date"])
    traded = clean[clean["first_trade"].notna()]
    assert (pd.to_datetime(traded["founded"]) < traded["first_trade"]).all()
    assert (traded["first_trade"] <= as_of).all()
    customers = office.tables["customers"]
    wrong = customers[customers["customer_id"].isin(planted["CUST_DATES_ORDER"])]
    assert ((pd.to_datetime(wrong["founded"]) > wrong["first_trade"]) | (wrong["first_trade"] > as_of)).all()


def test_targets_budget_expenses_contracts_and_inquiries_are_plausible(office):
    t = office.tables
    as_of = pd.Timestamp(office.settings["as_of_date"])
    targets = t["targets"]
    assert set(targets["year"]) == {as_of.year - 1, as_of.year}
    assert (targets.groupby(["year", "scope"]).size().unstack()["salesperson"] == 8).all()
    budget = t["budget"]
    spent = t["expenses"].assign(year=t["expenses"]["date"].dt.year, month=t["expenses"]["date"].dt.month)
    cells = spent.groupby(["year", "month", "category", "salesperson_id"])["amount"].sum()
    plan = budget.dropna(subset=["salesperson_id"]).set_index(["year", "month", "category", "salesperson_id"])["amount"]
    over = (cells > plan.reindex(cells.index)).mean()
    assert 0 < over < 0.15
    assert (t["expenses"]["date"] <= as_of).all()
    contracts = t["contracts"]
    assert (contracts["end_date"] > contracts["start_date"]).all()
    soon = contracts[(contracts["status"] == "active") & (contracts["end_date"] <= as_of + pd.Timedelta(days=30))]
    assert len(soon) > 0
    inquiries = t["inquiries"]
    minutes = (inquiries["quoted_at"] - inquiries["received_at"]).dt.total_seconds().dropna() / 60
    assert (minutes > 0).all() and 0.8 < (minutes <= 30).mean() < 0.98


def test_planted_blanks_ranges_and_emails_break_their_rules(office, planted):
    customers = office.tables["customers"].set_index("customer_id")
    required = customers.loc[sorted(planted["FIELD_REQUIRED"]), ["uscc", "legal_rep", "credit_standing", "payment_terms"]]
    assert required.isna().any(axis=1).all() and (customers.loc[required.index, "status"] == "active").all()
    ranged = customers.loc[sorted(planted["FIELD_RANGE"]), ["employees", "payment_days"]]
    assert ((ranged["employees"] < 0) | (ranged["payment_days"] > 365)).all()
    plausible = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    emails = pd.concat([customers["email"], office.tables["contacts"].set_index("contact_id")["email"]]).dropna()
    bad = emails.index.isin(planted["FIELD_EMAIL"])
    assert emails[~bad].str.match(plausible).all() and not emails[bad].str.match(plausible).any()
