"""The customer-card validation pass and the Validation sheet, on small hand-made offices."""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections import Counter

import pandas as pd
import pytest
import phonenumbers
from hypothesis import assume, given, strategies as st

from books import make_book, run_pass
from salesxl.core.issues import CATALOGUE, Issue
from salesxl.core.sheetspec import Link
from salesxl.io.read_issues import READ_SHEET_MISSING
from salesxl.passes.common import as_of_date
from salesxl.passes.validate import ITEM7_CODES
from salesxl.passes.validate.formats import (
    USCC_ALPHABET, USCC_AUTHORITIES, is_email, is_landline, is_mobile, is_phone, normalise_company_name, phone_key,
    uscc_check_char, uscc_problem,
)
from salesxl.reports.validation import validation_sheet

VALID_USCC = ("91350100M000100Y43", "91110108551385082Q")


def validate(book):
    """The card checks as a recalculation runs them, with the book's own sales lines."""
    checks, issues = run_pass(book, "validate")
    return checks.cards, issues


# ---------------------------------------------------------------- formats

@pytest.mark.parametrize("code", VALID_USCC)
def test_published_uscc_are_valid(code):
    assert uscc_check_char(code[:17]) == code[17]
    assert uscc_problem(code) is None
    assert uscc_problem(f"  {code} ") is None


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y44", "checksum"),
    ("91110108551385082P", "checksum"),
    ("91350100M000100Y4", "format"),     # 17 characters
    ("91350100M000100Y433", "format"),   # 19 characters
    ("91350100m000100y43", "format"),    # lower case
    ("91350100I000100Y43", "format"),    # I is not in the alphabet
    ("01350100M000100Y43", "format"),    # 0 is not a registration authority
    ("", "format"),
])
def test_corrupted_uscc(code, problem):
    assert uscc_problem(code) == problem


@pytest.mark.parametrize("position", range(3, 9))
def test_a_letter_in_the_region_code_fails_even_with_a_right_check_character(position):
    base = VALID_USCC[1][:17]
    first17 = base[:position - 1] + "A" + base[position:]
    code = first17 + uscc_check_char(first17)
    assert uscc_problem(code) == "region"
    tables = office()
    tables["customers"][0]["uscc"] = code
    issues = [i for i in validate(make_book(tables, lang="zh", settings=SETTINGS, order={"customers": USCC_IN_D}))[1]
              if i.table == "customers" and i.column == "uscc"]
    assert [(i.code, i.cell) for i in issues] == [("FIELD_USCC_REGION", "客户档案!D2")]
    assert base[2:8] not in issues[0].message and first17[2:8] in issues[0].message and "GB/T 2260" in issues[0].message


uscc_prefixes = st.builds(
    lambda head, category, region, tail: head + category + region + "".join(tail),
    st.sampled_from(USCC_AUTHORITIES),
    st.sampled_from(USCC_ALPHABET),
    st.text("0123456789", min_size=6, max_size=6),
    st.lists(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9),
)


@given(uscc_prefixes, st.integers(0, 17), st.integers(1, len(USCC_ALPHABET) - 1))
def test_check_char_makes_valid_codes_and_catches_any_single_change(prefix, position, shift):
    code = prefix + uscc_check_char(prefix)
    assert uscc_problem(code) is None
    changed = USCC_ALPHABET[(USCC_ALPHABET.index(code[position]) + shift) % len(USCC_ALPHABET)]
    corrupted = code[:position] + changed + code[position + 1:]
    assert uscc_problem(corrupted) in ("format", "region", "checksum")


@pytest.mark.parametrize("text", [
    "13812345678", "+86 138 1234 5678", "+86-138-1234-5678", "8613812345678", "0086 13812345678",
    "(+86)13812345678", "199-0000-1111", 13812345678.0,
])
def test_mobiles(text):
    assert is_mobile(text)
    assert not is_landline(text)


@pytest.mark.parametrize("text", [
    "020-12345678", "0755-12345678-123", "(020)12345678", "02012345678", "0755 12345678", "021-65432100",
    "0571-87654321转801", "0991-1234567", "0898 6666 8888", "020-87654321 ext. 12",
    "+86 20 8765 4321", "86-20-87654321", "0086 20 87654321", "+86 (20) 8765-4321",
    "400-800-8888", "4008008888", "800-820-8820",
])
def test_landlines(text):
    assert is_landline(text)
    assert is_phone(text)
    assert not is_mobile(text)


@pytest.mark.parametrize("text", [
    "12812345678", "1381234567", "138123456789", "20-12345678", "020-0234567", "020-123456", "+1 415 555 0100",
    "电话", "138-1234-567a", "020-8765432a",
    # each area has one subscriber length: Guangzhou, Beijing and Shenzhen 8 digits; 099 is no area code
    "020-8765432", "010-1234567", "0755-1234567", "0755-1234567-123", "099-1234567", "021-6543210",
])
def test_bad_phones(text):
    assert not is_mobile(text)
    assert not is_landline(text)
    assert not is_phone(text)


@pytest.mark.parametrize("text", ["020-8765432", "0755-1234567", "010-1234567", "099-1234567", "+86 20 8765 4321",
                                  "86-20-87654321", "400-800-8888", "800-820-8820", "13812345678", "+86 138 1234 5678"])
def test_phone_verdicts_agree_with_libphonenumber(text):
    number = phonenumbers.parse(text, "CN")
    assert is_phone(text) is (phonenumbers.is_valid_number(number) and number.country_code == 86)


_spellings = st.sampled_from(["{a}-{n}", "0{a0}{n}", "({a}){n}", "+86 {a0} {n}", "86-{a0}-{n}", "0086{a0}{n}",
                              "{a} {n1} {n2}", "+86 ({a0}) {n1}-{n2}"])


@given(st.sampled_from(["10", "20", "21", "22", "23", "24", "25", "27", "28", "29", "311", "371", "431", "510", "571",
                        "591", "731", "755", "757", "769", "898", "991"]),
       st.text("0123456789", min_size=7, max_size=8), _spellings, _spellings)
def test_a_landline_is_valid_and_the_same_number_in_every_spelling(area, subscriber, first, second):
    number = phonenumbers.parse("0" + area + subscriber, "CN")
    assume(phonenumbers.is_valid_number(number))
    texts = [form.format(a="0" + area, a0=area, n=subscriber, n1=subscriber[:4], n2=subscriber[4:])
             for form in (first, second)]
    assert all(is_phone(t) and is_landline(t) for t in texts), texts
    assert phone_key(texts[0]) == phone_key(texts[1])


@given(st.sampled_from(["10", "20", "21", "755", "571", "991"]), st.text("0123456789", min_size=5, max_size=9))
def test_a_landline_libphonenumber_rejects_is_rejected(area, subscriber):
    number = phonenumbers.parse("0" + area + subscriber, "CN")
    assume(not phonenumbers.is_valid_number(number))
    assert not is_phone(f"0{area}-{subscriber}")


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9),
       st.sampled_from(["", "+86", "+86 ", "86", "0086-"]), st.lists(st.integers(1, 10), max_size=3))
def test_any_mobile_spelling_is_a_mobile(second, rest, prefix, cuts):
    digits = "1" + second + rest
    for cut in sorted(set(cuts), reverse=True):
        digits = digits[:cut] + "-" + digits[cut:]
    assert is_mobile(prefix + digits)


@pytest.mark.parametrize("text, ok", [
    ("buyer@baiyun.cn", True), ("wang.qiang+sales@mail.example.com", True), ("A_B@qq.com", True),
    ("buyer@baiyun", False), ("buyer@@baiyun.cn", False), ("buyer.@baiyun.cn", False), ("buyer baiyun.cn", False),
    ("@baiyun.cn", False),
])
def test_emails(text, ok):
    assert is_email(text) is ok


@pytest.mark.parametrize("a, b", [
    ("广州白云贸易有限公司", "广州 白云贸易"),
    ("广州白云贸易有限责任公司", "广州白云贸易股份有限公司"),
    ("ＡＢＣ商行", "abc"),
    ("Acme Trading Co., Ltd.", "ACME trading"),
    ("百货（天河）店", "百货天河"),
])
def test_company_names_fold_together(a, b):
    assert normalise_company_name(a) == normalise_company_name(b)


@pytest.mark.parametrize("a, b", [("广州白云贸易有限公司", "广州黄埔贸易有限公司"), ("Costco", "Cost")])
def test_different_company_names_stay_apart(a, b):
    assert normalise_company_name(a) != normalise_company_name(b)


# ---------------------------------------------------------------- a clean office

AS_OF = "2024-06-30"
SETTINGS = {"as_of_date": dt.date(2024, 6, 30)}
FULL_CARD = {
    "customer_id": "C1", "name": "广州白云贸易有限公司", "uscc": "91350100M000100Y43", "address": "广州市白云区机场路1号",
    "phone": "020-12345678", "email": "buyer@baiyun.cn", "owner": "李明", "manager": "张华", "legal_rep": "李明",
    "founded": "2010-03-01", "first_trade": "2015-06-01", "org_form": "llc", "industry": "日化",
    "registered_capital": 1_000_000.0, "total_assets": 5_000_000.0, "service_area": "白云区", "sales_capacity": "strong",
    "growth_potential": "high", "employees": 50, "annual_revenue": 10_000_000.0, "competitor_relation": "none",
    "cooperation_attitude": "positive", "credit_standing": "good", "payment_terms": "credit", "payment_days": 30,
    "credit_limit": 100_000.0, "credit_problems": "无", "ownership_type": "private", "channel_type": "wholesaler",
    "location_type": "commercial", "region": "华南", "lat": 23.13, "lon": 113.26, "salesperson_id": "S1",
    "status": "active", "data_source": "visit", "audited": True, "created": "2015-06-01", "updated": "2024-05-01",
    "notes": "重点客户",
}


def office() -> dict[str, list[dict]]:
    """One salesperson, one complete active customer, one prospect, and their records: no issue at all."""
    return {
        "salespeople": [{"salesperson_id": "S1", "name": "王强", "region": "华南", "phone": "13800138000",
                         "email": "wang@example.com", "max_visits_per_day": 8, "active": True}],
        "customers": [
            dict(FULL_CARD),
            {"customer_id": "C2", "name": "深圳南山百货商店", "region": "华南", "salesperson_id": "S1", "status": "prospect",
             "phone": "0755-12345678-123"},
        ],
        "contacts": [{"contact_id": "K1", "customer_id": "C1", "name": "李明", "mobile": "+86 139 1234 5678",
                      "office_phone": "020-87654321", "email": "li@baiyun.cn"}],
        "visits": [{"visit_id": "V1", "date": "2024-06-01", "salesperson_id": "S1", "customer_id": "C1",
                    "visit_type": "onsite", "urgent": False}],
        "orders": [{"line_id": "L1", "order_id": "O1", "date": "2024-05-15", "customer_id": "C1", "salesperson_id": "S1",
                    "product_id": "P1", "quantity": 10, "unit_price": 500, "amount": 5000, "type": "sale",
                    "status": "invoiced"}],
    }


def codes_of(tables, lang="zh", settings=SETTINGS, **kwargs) -> Counter:
    return Counter(i.code for i in validate(make_book(tables, lang=lang, settings=settings, **kwargs))[1])


def test_clean_office_has_no_issue():
    assert codes_of(office()) == Counter()
    assert codes_of(office(), lang="en") == Counter()


def change(table, index, **values):
    def apply(tables):
        tables[table][index].update(values)
    return apply


def add(table, row):
    def apply(tables):
        tables[table].append(row)
    return apply


def blank(*keys):
    return change("customers", 0, **{k: None for k in keys})


CASES = [
    ("FIELD_REQUIRED", blank("legal_rep")),  # required when active
    ("FIELD_REQUIRED", blank("name")),  # always required
    ("FIELD_REQUIRED", change("customers", 0, address="   ")),  # whitespace is blank
    ("FIELD_REQUIRED", change("visits", 0, urgent=True)),  # urgent needs its type
    ("FIELD_RANGE", change("customers", 0, payment_days=400)),
    ("FIELD_RANGE", change("salespeople", 0, max_visits_per_day=0)),
    ("FIELD_ID_DUPLICATE", add("visits", {"visit_id": "V1", "date": "2024-06-02", "salesperson_id": "S1",
                                          "customer_id": "C1"})),
    ("FIELD_REF", change("customers", 0, salesperson_id="S9")),
    ("FIELD_REF", change("contacts", 0, customer_id="C7")),
    ("FIELD_USCC_FORMAT", change("customers", 0, uscc="91350100M000100Y4")),
    ("FIELD_USCC_CHECKSUM", change("customers", 0, uscc="91350100M000100Y44")),
    ("FIELD_PHONE", change("customers", 0, phone="12345")),
    ("FIELD_PHONE", change("contacts", 0, office_phone="020-123")),
    ("FIELD_MOBILE", change("contacts", 0, mobile="020-12345678")),
    ("FIELD_MOBILE", change("salespeople", 0, phone="1380013800")),
    ("FIELD_EMAIL", change("customers", 0, email="buyer@baiyun")),
    ("CUST_LATLON_RANGE", change("customers", 0, lat=5.0)),
    ("CUST_LATLON_RANGE", change("customers", 0, lat=113.26, lon=23.13)),  # swapped
    ("CUST_REGION_UNKNOWN", change("customers", 1, region="华北")),
    ("CUST_DUP_USCC", change("customers", 1, uscc="91350100M000100Y43")),
    ("CUST_DUP_NAME", change("customers", 1, name="广州 白云贸易 有限责任公司")),
    ("CUST_DUP_PHONE", change("customers", 1, phone="(020)12345678")),
    ("CUST_DATES_ORDER", change("customers", 0, founded="2016-01-01")),
    ("CUST_DATES_ORDER", change("customers", 0, first_trade="2024-12-01")),
    ("CUST_INCOMPLETE", blank("email", "owner", "manager", "industry", "registered_capital", "total_assets",
                              "service_area", "sales_capacity", "growth_potential", "employees")),
    ("CUST_AUDIT_SELF_FILLED", change("customers", 0, data_source="self_filled", audited=False)),
    ("CUST_AUDIT_REVENUE", change("customers", 0, annual_revenue=1000.0)),
    ("CUST_STALE", change("visits", 0, date="2024-01-01")),
    ("CUST_STALE", change("visits", 0, customer_id="C2")),  # never visited
]


@pytest.mark.parametrize("code, mutate", CASES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CASES)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_code_fires_on_its_bad_case_only(code, mutate, lang):
    tables = office()
    mutate(tables)
    found = codes_of(tables, lang=lang)
    assert found[code] >= 1
    assert codes_of(office(), lang=lang)[code] == 0


def test_every_declared_code_has_a_case_and_a_catalogue_entry():
    assert {code for code, _ in CASES} == set(ITEM7_CODES)
    for code in ITEM7_CODES:
        kind = CATALOGUE[code]
        assert kind.title_zh and kind.title_en


def test_prospect_needs_only_its_lifecycle_fields():
    tables = office()
    tables["customers"][1]["status"] = "intent"  # intent adds address, channel type, coordinates
    found = validate(make_book(tables, settings=SETTINGS))[1]
    required = sorted(i.column for i in found if i.code == "FIELD_REQUIRED")
    assert required == ["address", "channel_type", "lat", "lon"]


# ---------------------------------------------------------------- where and what the messages say

USCC_IN_D = ["customer_id", "name", "status", "uscc"] + [k for k in FULL_CARD if k not in
                                                         ("customer_id", "name", "status", "uscc")]


@pytest.mark.parametrize("lang, cell, message", [
    ("zh", "客户档案!D3", "统一社会信用代码校验位错误：应为 3，实为 4"),
    ("en", "Customers!D3", "USCC check character wrong: expected 3, got 4"),
])
def test_message_names_the_cell_in_the_book_language(lang, cell, message):
    tables = office()
    tables["customers"][1]["uscc"] = "91350100M000100Y44"
    issues = validate(make_book(tables, lang=lang, settings=SETTINGS, order={"customers": USCC_IN_D}))[1]
    (issue,) = [i for i in issues if i.code == "FIELD_USCC_CHECKSUM"]
    assert (issue.cell, issue.row, issue.column, issue.message) == (cell, 3, "uscc", message)
    assert issue.value == "91350100M000100Y44"


@pytest.mark.parametrize("lang, words", [
    ("zh", ["「法定代表人」", "「客户状态」", "成交"]),
    ("en", ["Legal representative", "Status", "Active"]),
])
def test_required_message_names_field_and_condition(lang, words):
    tables = office()
    tables["customers"][0]["legal_rep"] = None
    (issue,) = [i for i in validate(make_book(tables, lang=lang, settings=SETTINGS))[1] if i.code == "FIELD_REQUIRED"]
    assert all(w in issue.message for w in words)
    assert issue.cell.endswith("!I2")


def test_range_message_says_what_was_expected():
    tables = office()
    tables["customers"][0]["payment_days"] = 400
    (issue,) = validate(make_book(tables, lang="en", settings=SETTINGS))[1]
    assert issue.message == "Payment days out of range: expected between 0 and 365, got 400"


def test_swapped_coordinates_are_reported_once_and_named():
    tables = office()
    tables["customers"][0].update(lat=113.26, lon=23.13)
    issues = validate(make_book(tables, lang="en", settings=SETTINGS))[1]
    assert [(i.code, i.column) for i in issues] == [("CUST_LATLON_RANGE", "lat")]
    assert "swapped" in issues[0].message


def test_duplicates_name_the_other_customers():
    tables = office()
    tables["customers"][1]["uscc"] = FULL_CARD["uscc"]
    tables["customers"].append({"customer_id": "C3", "name": "佛山某商行", "region": "华南", "salesperson_id": "S1",
                                "status": "prospect", "uscc": FULL_CARD["uscc"]})
    issues = [i for i in validate(make_book(tables, lang="en", settings=SETTINGS))[1] if i.code == "CUST_DUP_USCC"]
    assert [i.row for i in issues] == [2, 3, 4]
    assert "C2 (row 3)" in issues[0].message and "C3 (row 4)" in issues[0].message
    assert "C1 (row 2)" not in issues[0].message


def test_one_customer_on_two_rows_is_an_id_duplicate_not_a_shared_uscc():
    tables = office()
    tables["customers"].append(dict(FULL_CARD))
    found = codes_of(tables)
    assert found["FIELD_ID_DUPLICATE"] == 2
    assert found["CUST_DUP_USCC"] == found["CUST_DUP_NAME"] == found["CUST_DUP_PHONE"] == 0


def test_incomplete_lists_missing_fields_and_score():
    tables = office()
    blank("email", "owner", "manager", "industry", "registered_capital", "total_assets", "service_area",
          "sales_capacity", "growth_potential", "employees")(tables)
    (issue,) = [i for i in validate(make_book(tables, lang="en", settings=SETTINGS))[1] if i.code == "CUST_INCOMPLETE"]
    assert "75%" in issue.message and "80%" in issue.message
    assert "Owner" in issue.message and "Growth potential" in issue.message and "Customer name" not in issue.message
    assert issue.column == "email"


def test_cells_the_reader_rejected_are_not_reported_again():
    tables = office()
    tables["customers"][0]["lat"] = None
    rejected = Issue("error", "CELL_NOT_A_NUMBER", "not a number", table="customers", row=2, column="lat")
    assert codes_of(tables, issues=[rejected])["FIELD_REQUIRED"] == 0
    assert codes_of(tables)["FIELD_REQUIRED"] == 1


def test_a_column_missing_from_the_sheet_is_not_reported_per_cell():
    tables = office()
    order = [k for k in FULL_CARD if k != "legal_rep"]
    tables["customers"][0]["legal_rep"] = None
    assert codes_of(tables, order={"customers": order})["FIELD_REQUIRED"] == 0


def test_references_are_not_checked_against_a_missing_sheet():
    tables = office()
    del tables["salespeople"]
    found = codes_of(tables)
    assert found["FIELD_REF"] == 0 and found["CUST_REGION_UNKNOWN"] == 0


# ---------------------------------------------------------------- the per-customer frame and the audits

def test_per_customer_frame():
    tables = office()
    tables["customers"][0].update(data_source="self_filled", audited=None)
    cards, _ = validate(make_book(tables, settings=SETTINGS))
    first, second = cards.to_dict("records")
    assert (first["customer_id"], first["_row"], first["last_visit"], first["days_since_visit"]) == (
        "C1", 2, pd.Timestamp("2024-06-01"), 29)
    assert first["completeness"] == pytest.approx(39 / 40) and first["missing_fields"] == "已审核"
    assert first["needs_audit"] and not second["needs_audit"]
    assert pd.isna(second["last_visit"]) and pd.isna(second["days_since_visit"])


def test_revenue_audit_counts_last_twelve_months_net_of_returns():
    tables = office()
    tables["customers"][0]["annual_revenue"] = 1000.0
    line = tables["orders"][0]
    tables["orders"] += [
        {**line, "line_id": "L2", "amount": 4500, "type": "return"},  # returns reduce sales: net 500
        {**line, "line_id": "L3", "amount": 9000, "status": "cancelled"},
        {**line, "line_id": "L4", "amount": 9000, "date": "2023-06-01"},  # older than 12 months
        {**line, "line_id": "L5", "amount": 9000, "date": "2024-07-15"},  # after the as-of date
    ]
    assert codes_of(tables)["CUST_AUDIT_REVENUE"] == 0
    assert codes_of(tables, settings={**SETTINGS, "revenue_audit_ratio": 2.5})["CUST_AUDIT_REVENUE"] == 1


def test_stale_threshold_comes_from_settings():
    tables = office()
    tables["visits"][0]["date"] = "2024-03-01"  # 121 days before the as-of date
    assert codes_of(tables)["CUST_STALE"] == 1
    assert codes_of(tables, settings={**SETTINGS, "stale_card_days": 150})["CUST_STALE"] == 0


def test_china_bounds_come_from_settings():
    tables = office()
    assert codes_of(tables, settings={**SETTINGS, "china_bounds": "30,50,100,130"})["CUST_LATLON_RANGE"] == 1


def test_as_of_date():
    tables = office()
    assert as_of_date(make_book(tables, settings=SETTINGS)) == dt.date(2024, 6, 30)
    tables["orders"][0]["date"] = "2024-08-09"
    assert as_of_date(make_book(tables)) == dt.date(2024, 8, 9)
    assert as_of_date(make_book({"customers": tables["customers"]})) == dt.date.today()


# ---------------------------------------------------------------- determinism

def test_same_issues_whatever_the_row_order():
    tables = office()
    for mutate in (change("customers", 0, uscc="91350100M000100Y44", phone="12345"), change("visits", 0, urgent=True),
                   change("customers", 1, name="广州白云贸易")):
        mutate(tables)
    shuffled = copy.deepcopy(tables)
    random.Random(1).shuffle(shuffled["customers"])
    first = validate(make_book(tables, settings=SETTINGS))[1]
    again = validate(make_book(tables, settings=SETTINGS))[1]
    assert first == again
    assert sorted(i.code for i in validate(make_book(shuffled, settings=SETTINGS))[1]) == sorted(i.code for i in first)
    sheet_rows = _details(validation_sheet(first, "zh")).rows
    assert _details(validation_sheet(list(reversed(first)), "zh")).rows == sheet_rows


# ---------------------------------------------------------------- the Validation sheet

def _details(sheet):
    return next(b for b in sheet.blocks if b.table_name == "tblValidation")


def bad_office_issues(lang):
    tables = office()
    tables["customers"][0].update(name='=HYPERLINK("http://x")', uscc="91350100M000100Y44", payment_days=400)
    tables["customers"][1].update(name='=HYPERLINK("http://x")', phone="12345")
    tables["visits"][0]["date"] = "2024-01-01"
    issues = validate(make_book(tables, lang=lang, settings=SETTINGS, order={"customers": USCC_IN_D}))[1]
    return issues + [Issue("error", "READ_SHEET_MISSING", "Sheet Targets is missing", table="targets")]


@pytest.mark.parametrize("lang, name, summary, error", [("zh", "校验结果", "汇总", "错误"), ("en", "Validation", "Summary", "error")])
def test_validation_sheet_summary_counts(lang, name, summary, error):
    issues = bad_office_issues(lang)
    sheet = validation_sheet(issues, lang)
    assert (sheet.key, sheet.name, sheet.header_line) == ("validation", name, None)
    block = next(b for b in sheet.blocks if b.title == summary)
    *rows, total = block.rows
    assert {row[1]: row[3] for row in rows} == Counter(i.code for i in issues)
    assert total[3] == len(issues) == sum(row[3] for row in rows)
    severities = [row[0] for row in rows]
    assert severities == sorted(severities, key=lambda s: s != error)
    assert [r[1] for r in rows if r[0] == error] == sorted(r[1] for r in rows if r[0] == error)
    titles = {row[1]: row[2] for row in rows}
    assert titles["FIELD_USCC_CHECKSUM"] == CATALOGUE["FIELD_USCC_CHECKSUM"].title(lang)
    assert titles["READ_SHEET_MISSING"] == READ_SHEET_MISSING.title(lang)


def test_validation_sheet_rows_link_to_cells_and_keep_values_as_text():
    issues = bad_office_issues("zh")
    block = _details(validation_sheet(issues, "zh"))
    assert block.table_name == "tblValidation" and block.title == "问题明细"
    assert [row[0] for row in block.rows] == list(range(1, len(issues) + 1))
    by_code = {}
    for row in block.rows:
        by_code.setdefault(row[2], row)
    uscc = by_code["FIELD_USCC_CHECKSUM"]
    assert uscc[1] == "错误" and uscc[4] == "客户档案" and uscc[7] == "customers"
    assert uscc[5] == Link("D2", "'客户档案'!D2")
    assert uscc[6] == "91350100M000100Y44"
    for row in block.rows:
        if row[2] != "READ_SHEET_MISSING":
            assert isinstance(row[5], Link) and row[5].target == f"'{row[4]}'!{row[5].text}"
    assert by_code["READ_SHEET_MISSING"][5] is None
    hostile = [row[6] for row in block.rows if row[2] == "CUST_DUP_NAME"]
    assert hostile == ['=HYPERLINK("http://x")'] * 2 and all(type(v) is str for v in hostile)
    assert by_code["FIELD_RANGE"][6] == "400"
    assert by_code["CUST_STALE"][1] == "警告"


def _two_salespeople_office():
    """S1 owns C1, S2 owns C2; S2 also typed a visit to C1. Each has something to fix."""
    tables = office()
    tables["salespeople"].append({"salesperson_id": "S2", "name": "刘芳", "region": "华南", "phone": "13900139000",
                                  "email": "liu@example.com", "max_visits_per_day": 8, "active": True})
    tables["customers"][1]["salesperson_id"] = "S2"
    tables["customers"][0]["uscc"] = "91350100M000100Y44"          # S1's card
    tables["customers"][1]["phone"] = "12345"                       # S2's card
    tables["contacts"][0]["email"] = "li@"                          # a contact of C1: the card owner S1
    tables["visits"].append({"visit_id": "V1", "date": "2024-06-02", "salesperson_id": "S2", "customer_id": "C1",
                             "visit_type": "onsite", "urgent": False})  # a repeated ID; S2 typed it, though C1 is S1's
    book = make_book(tables, lang="zh", settings=SETTINGS)
    return book, validate(book)[1]


def test_validation_names_the_salesperson_who_fixes_each_row():
    from salesxl.passes.validate.owners import issue_owners

    book, issues = _two_salespeople_office()
    owners = issue_owners(book, issues)
    sheet = validation_sheet(issues, "zh", owners=owners, names={"S1": "王强", "S2": "刘芳"})
    details = next(b for b in sheet.blocks if b.table_name == "tblValidation")
    column = [c.header for c in details.columns].index("销售员")
    where = {(row[4], row[5].text if isinstance(row[5], Link) else row[5]): row[column] for row in details.rows}
    people = {"S1": "S1 王强", "S2": "S2 刘芳"}
    for issue in issues:
        frame = book.frame(issue.table)
        record = frame[frame["_row"] == issue.row].iloc[0]
        own = record.get("salesperson_id")
        expected = own if isinstance(own, str) and own else \
            {"C1": "S1", "C2": "S2"}[record["customer_id"]]
        assert where[(issue.sheet, issue.cell.rpartition("!")[2])] == people[expected], issue
    assert {where[k] for k in where} == {"S1 王强", "S2 刘芳"}


def test_validation_opens_with_each_salespersons_count():
    from salesxl.passes.validate.owners import issue_owners

    book, issues = _two_salespeople_office()
    issues = issues + [Issue("info", "READ_SHEET_MISSING", "Sheet Targets is missing", table="targets")]
    owners = issue_owners(book, issues)
    sheet = validation_sheet(issues, "zh", owners=owners, names={"S1": "王强", "S2": "刘芳"})
    top = sheet.blocks[0]
    assert top.title == "按销售员"
    headers = [c.header for c in top.columns]
    counts = {row[0]: dict(zip(headers[1:], row[1:])) for row in top.rows}
    for who, label in (("S1", "S1 王强"), ("S2", "S2 刘芳")):
        mine = [i for i in issues if owners.get(i) == who]
        assert counts[label]["合计"] == len(mine) > 0
        assert counts[label]["错误"] == sum(i.severity == "error" for i in mine)
    assert counts["未分配"]["合计"] == sum(1 for i in issues if i not in owners) >= 1
    assert sum(c["合计"] for c in counts.values()) == len(issues)


def test_validation_sheet_highlights_severities():
    sheet = validation_sheet(bad_office_issues("en"), "en")
    for block, column in ((next(b for b in sheet.blocks if b.title == "Summary"), 0), (_details(sheet), 1)):
        fills = {h.equals: h.fill for h in block.highlights}
        assert set(fills) == {"error", "warning"} and fills["error"] != fills["warning"]
        assert all(h.column == column for h in block.highlights)


def test_validation_sheet_without_issues():
    sheet = validation_sheet([], "en")
    assert next(b for b in sheet.blocks if b.title == "Summary").rows == [["Total", None, None, 0]]
    assert _details(sheet).rows == []


def test_masked_numbers_of_a_shared_copy_pass_in_columns_that_may_hold_personal_numbers():
    book = make_book({
        "customers": [{"customer_id": "C1", "name": "甲", "region": "天河", "salesperson_id": "S1", "status": "prospect",
                       "phone": "138****1234"}],
        "contacts": [{"contact_id": "K1", "customer_id": "C1", "name": "王", "mobile": "138****1234"},
                     {"contact_id": "K2", "customer_id": "C1", "name": "李", "mobile": "138****12"}],
        "salespeople": [{"salesperson_id": "S1", "name": "张", "region": "天河"}],
    })
    _, issues = validate(book)
    flagged = {(i.table, i.code, i.value) for i in issues if i.code in ("FIELD_MOBILE", "FIELD_PHONE")}
    # a customer's phone may be its owner's own (an individual business, a mobile): redaction masks it
    assert flagged == {("contacts", "FIELD_MOBILE", "138****12")}


# ---------------------------------------------------------------- work done once per run

def _spread_phones(tables, numbers, copies):
    """`copies` customers per number, written in different spellings where the number allows."""
    card = tables["customers"][0]
    for i, number in enumerate(numbers * copies):
        tables["customers"].append({**card, "customer_id": f"C{100 + i}", "name": f"客户{i}", "uscc": None,
                                    "phone": number if i % 2 else " " + number})
    return tables


def test_each_phone_number_is_parsed_once_however_many_rows_and_checks_hold_it(monkeypatch):
    seen: Counter = Counter()
    parse = phonenumbers.parse

    def counted(text, *args, **kwargs):
        seen[text] += 1
        return parse(text, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "parse", counted)
    numbers = ["0571-86120931", "0898-31235508", "400-820-1688", "0755-26731188转 8021"]
    cards, issues = validate(make_book(_spread_phones(office(), numbers, copies=5)))
    assert seen and max(seen.values()) == 1, seen
    shared = [i for i in issues if i.code == "CUST_DUP_PHONE"]
    assert len(shared) == 5 * len(numbers)  # the duplicates check still sees every number


def test_each_column_is_tested_for_blanks_once_per_run(monkeypatch):
    from salesxl.passes import common
    from salesxl.passes.validate import cards, fields

    asked: Counter = Counter()
    blank_mask = common.blank_mask

    def counted(series):
        asked[(series.name, series.to_numpy().__array_interface__["data"][0])] += 1
        return blank_mask(series)

    for module in (common, fields, cards):
        monkeypatch.setattr(module, "blank_mask", counted, raising=False)
    book = make_book(_spread_phones(office(), ["0571-86120931"], copies=3))
    _, issues = validate(book)
    assert asked and max(asked.values()) == 1, [k for k, n in asked.items() if n > 1]
    # the one mask per column still serves every check: the blank USCC of each added card is reported once
    assert Counter((i.code, i.column) for i in issues if i.code.startswith("FIELD")) == {("FIELD_REQUIRED", "uscc"): 3}
    assert Counter(i.code for i in issues)["CUST_DUP_PHONE"] == 3


_column_cells = st.lists(st.one_of(
    st.none(), st.just(float("nan")), st.just(""), st.text(" \t\u3000\n", max_size=3),
    st.sampled_from(["C001", " C001", "C001 ", "Ｃ001", "ｃ００１", "c001", "1001"]), st.text(max_size=4),
    st.floats(allow_nan=False, allow_infinity=False),  # no bools: map_unique folds False with 0.0 (hash-equal)
), max_size=12)


@given(_column_cells, st.booleans())
def test_blanks_and_texts_of_a_column_are_those_of_its_cells(cells, text_only):
    from salesxl.passes.common import blank_mask
    from salesxl.passes.validate.fields import _cell_texts
    from salesxl.passes.validate.formats import cell_text

    if text_only:  # the fast path: a column of text and blanks
        cells = [c for c in cells if c is None or isinstance(c, str) or c != c]
    series = pd.Series(cells, dtype=object)
    blank = [c is None or c != c or (isinstance(c, str) and not c.strip()) for c in cells]
    assert blank_mask(series).tolist() == blank
    texts = _cell_texts(series).tolist()
    assert texts == [None if c is None or c != c else cell_text(c) for c in cells]
