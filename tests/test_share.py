"""Copies for one salesperson: only their rows, personal data masked, optionally encrypted."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import re

import msoffcrypto
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from salesxl.core.issues import WorkbookError
from salesxl.io.reader import read_book
from salesxl.schema import TABLES_BY_KEY
from salesxl.sharing.cli import sharing_app
from salesxl.sharing.share import redact_value, share_file
from salesxl.sharing.diff import same, user_frame
from tests.support import WORKBOOKS, parts, sheet_rows

DEMO = WORKBOOKS / "demo.xlsx"
PERSON = "S03"


@pytest.fixture(scope="module")
def office():
    return read_book(DEMO)


@pytest.fixture(scope="module")
def redacted(office, tmp_path_factory):
    folder = tmp_path_factory.mktemp("share")
    master, out = folder / "master.xlsx", folder / "copy.xlsx"
    shutil.copyfile(DEMO, master)  # sharing records the copy in the master's hidden register
    share_file(master, PERSON, out, redact_personal=True, book=office)
    return out


def _own_contacts(office) -> pd.DataFrame:
    customers = office.frame("customers")
    own = set(customers.loc[customers["salesperson_id"] == PERSON, "customer_id"])
    contacts = office.frame("contacts")
    return contacts[contacts["customer_id"].isin(own)]


@pytest.mark.slow
def test_copy_holds_only_the_salespersons_rows(office, redacted):
    copy = read_book(redacted)
    assert copy.settings.sharing.owner_salesperson == PERSON
    assert set(copy.frame("customers")["salesperson_id"]) == {PERSON}
    own = set(copy.frame("customers")["customer_id"])
    for key in ("contacts", "visits", "orders", "payments", "contracts"):
        assert set(copy.frame(key)["customer_id"].dropna()) <= own, key
    assert set(copy.frame("expenses")["salesperson_id"]) == {PERSON}
    assert copy.frame("salespeople")["salesperson_id"].tolist() == [PERSON]
    assert len(copy.frame("price_list")) == len(office.frame("price_list"))
    # no other salesperson's customer appears anywhere, report sheets included (their own expense lines
    # may name a customer they spent money on)
    others = set(office.frame("customers")["customer_id"].dropna()) - own - set(copy.frame("expenses")["customer_id"].dropna())
    found = {m.decode() for data in parts(redacted).values() for m in re.findall(rb"C\d{5}", data)}
    assert not found & others
    assert "客户分级" in copy.sheet_names


@pytest.mark.slow
def test_redacted_copy_leaks_no_personal_data(office, redacted):
    contacts = _own_contacts(office)
    everything = b"".join(parts(redacted).values()).decode("utf-8", "replace")
    mobiles = contacts["mobile"].dropna().tolist()
    addresses = contacts["home_address"].dropna().tolist()
    birthdays = contacts["birthday"].dropna()
    assert mobiles and addresses and len(birthdays)
    for mobile in mobiles:
        assert mobile not in everything
    for address in addresses:
        assert address not in everything
    for text in contacts["hobbies"].dropna().tolist() + contacts["family"].dropna().tolist():
        assert f">{text}<" not in everything
    for day in birthdays:
        assert day.strftime("%Y-%m-%d") not in everything
    copy = read_book(redacted).frame("contacts").set_index("contact_id")
    original = contacts.set_index("contact_id")
    born = original["birthday"].dropna()
    assert copy.loc[born.index, "birthday"].tolist() == [f"****-{d.month:02d}-**" for d in born]
    masked = copy["mobile"].dropna()
    assert masked.str.contains(r"\*{4}").all() and not masked.str.contains(r"\d{5}").any()
    assert masked.str.fullmatch(r"\d{3}\*{4}\d{4}").mean() > 0.9
    assert copy["hobbies"].isna().all() and copy["family"].isna().all()


def test_redaction_rules():
    columns = TABLES_BY_KEY["contacts"]
    assert redact_value(columns.column("mobile"), "13812341234") == "138****1234"
    assert redact_value(columns.column("home_address"), "广州市天河区林和西路10号3栋") == "广州市天河区"
    assert redact_value(columns.column("birthday"), pd.Timestamp("1980-07-23")) == "****-07-**"
    assert redact_value(columns.column("family"), "已婚") is None


@pytest.mark.slow
def test_encrypted_copy_opens_only_with_its_password(tmp_path):
    out, master = tmp_path / "locked.xlsx", tmp_path / "master.xlsx"
    shutil.copyfile(DEMO, master)
    result = CliRunner().invoke(sharing_app, ["share", str(master), "--for", PERSON, "--redact", "--password", "秘密123",
                                              "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, "rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        office.load_key(password="秘密123", verify_password=True)
        plain = io.BytesIO()
        office.decrypt(plain)
    assert plain.getvalue()[:2] == b"PK"
    with open(out, "rb") as fh, pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        msoffcrypto.OfficeFile(fh).load_key(password="wrong", verify_password=True)
    assert read_book(out, password="秘密123").settings.sharing.owner_salesperson == PERSON
    with pytest.raises(WorkbookError) as missing:
        read_book(out)
    assert missing.value.code == "FILE_ENCRYPTED"
    with pytest.raises(WorkbookError) as wrong:
        read_book(out, password="wrong")
    assert wrong.value.code == "FILE_BAD_PASSWORD"


# ---- the redaction policy on the copy the office sends S01 -------------------------------------------

#: A mainland mobile standing alone (digits inside a hex fingerprint such as 13961442746b90b4 are no phone).
MOBILE = re.compile(r"(?<![0-9A-Za-z.])1[3-9]\d{9}(?![0-9A-Za-z])")  # after a decimal point: a fraction


@pytest.fixture(scope="module")
def s01_redacted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("share_s01")
    master, out = folder / "office.xlsx", folder / "s01.xlsx"
    shutil.copyfile(DEMO, master)  # sharing records the copy in the master's register: never the shipped demo
    result = CliRunner().invoke(sharing_app, ["share", str(master), "--for", "S01", "--redact", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _office_personal_values(office) -> dict[str, set[str]]:
    """Every personal value the office holds (all salespeople), by kind, as text."""
    contacts, customers = office.frame("contacts"), office.frame("customers")
    individual = (customers["ownership_type"] == "individual") | (customers["org_form"] == "individual")
    values = {
        "number": set(contacts["mobile"].dropna()) | set(office.frame("salespeople")["phone"].dropna())
        | set(customers.loc[individual.fillna(False), "phone"].dropna()),
        "address": set(contacts["home_address"].dropna()),
        "text": set(contacts["hobbies"].dropna()) | set(contacts["family"].dropna()),
        "date": {d.strftime("%Y-%m-%d") for d in contacts["birthday"].dropna()},
    }
    assert all(values.values())
    return values


@pytest.mark.slow
def test_redacted_copy_holds_no_personal_value_of_the_office(office, s01_redacted):
    from xml.sax.saxutils import escape

    personal = _office_personal_values(office)
    leaks = []
    for name, data in parts(s01_redacted).items():
        text = data.decode("utf-8", "replace")
        leaks += [(name, "mobile", m) for m in MOBILE.findall(text)]
        # a number stands alone: "020-82255899" is no leak inside another contact's office phone "020-822558993"
        numbers = set(re.findall(r"\d[\d-]*\d", text))
        leaks += [(name, "number", v) for v in personal["number"] if str(v) in numbers]
        leaks += [(name, "address", v) for v in personal["address"] if escape(v) in text]
        leaks += [(name, "text", v) for v in personal["text"] if f">{escape(v)}<" in text]
        leaks += [(name, "date", v) for v in personal["date"] if v in text]
    assert leaks == []


@pytest.mark.slow
def test_individual_business_phone_is_masked_on_the_card_and_the_collection_list(office, s01_redacted):
    copy = read_book(s01_redacted)
    cards = copy.frame("customers")
    master = office.frame("customers")
    master = master[master["salesperson_id"] == "S01"].reset_index(drop=True)  # the copy keeps the row order
    assert cards["customer_id"].tolist() == master["customer_id"].tolist()
    individual = ((master["ownership_type"] == "individual") | (master["org_form"] == "individual")).fillna(False)
    phones = master.loc[individual, "phone"].dropna()
    assert len(phones) > 10
    shown = cards.loc[phones.index, "phone"]
    # the digits a caller needs are gone, the last four stay so the salesperson recognises the number
    assert all("*" in s and s[-4:] == p[-4:] for s, p in zip(shown, phones)), list(zip(shown, phones))[:5]
    ageing = sheet_rows(s01_redacted, "应收账龄")
    assert not [c for row in ageing for c in row if isinstance(c, str) and c in set(phones)]
    # neither the reader nor the copy's Validation sheet calls the masks wrong
    flagged = [i for i in copy.issues if i.table == "customers" and i.column == "phone"]
    assert flagged == []
    validation = sheet_rows(s01_redacted, "校验结果")
    assert not [row for row in validation if any("****" in str(c) for c in row)]


@pytest.mark.slow
def test_masked_birthdays_are_no_dates_and_the_copy_reminds_of_none(office, s01_redacted):
    copy = read_book(s01_redacted)
    born = copy.frame("contacts")["birthday"].dropna()
    assert len(born) > 10
    assert not any(isinstance(v, (pd.Timestamp, dt.date)) for v in born)
    assert not [i for i in copy.issues if i.table == "contacts"]  # the reader takes the masks as what they are
    reminders = sheet_rows(s01_redacted, "提醒")
    header = next(i for i, row in enumerate(reminders) if row[:3] == ["日期", "距今天数", "类型"])
    kinds = {row[2] for row in reminders[header + 1:]}
    assert "回访" in kinds and "生日" not in kinds


@pytest.mark.slow
def test_masked_values_read_back_as_the_masks_of_the_office_values(office, s01_redacted):
    """What consolidation relies on to keep the master's value: an untouched mask equals the mask of it."""
    copy = read_book(s01_redacted)
    own = set(copy.frame("customers")["customer_id"])
    for table, column in (("customers", "phone"), ("contacts", "birthday"), ("contacts", "mobile")):
        spec = TABLES_BY_KEY[table].column(column)
        master = office.frame(table)
        mine = master["salesperson_id"] == "S01" if table == "customers" else master["customer_id"].isin(own)
        master = master[mine].reset_index(drop=True)[column].tolist()
        shown = user_frame(copy, table)[column].tolist()
        assert len(shown) == len(master)
        assert any(not same(s, m) for s, m in zip(shown, master))
        for value, original in zip(shown, master):
            assert same(value, original) or same(value, redact_value(spec, original)), (table, value, original)


@given(st.from_regex(r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}", fullmatch=True), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
@settings(max_examples=60)
def test_masks_are_recognised_and_no_pass_reads_a_masked_date(number, day):
    import numpy as np

    from salesxl.io.coerce import coerce
    from salesxl.passes.common import to_dates
    from salesxl.schema.masks import is_masked

    phone, birthday = TABLES_BY_KEY["customers"].column("phone"), TABLES_BY_KEY["contacts"].column("birthday")
    masked = redact_value(phone, number)
    digits = re.sub(r"\D", "", number)
    assert is_masked(masked) and masked.endswith(digits[-4:]) and digits not in masked
    hidden = redact_value(birthday, pd.Timestamp(day))
    assert is_masked(hidden) and str(day.year) not in hidden and f"-{day.month:02d}-" in hidden
    read = coerce(np.array([hidden, pd.Timestamp(day).to_pydatetime()], dtype=object), birthday)
    assert read.bad == [] and read.values.iloc[0] == hidden
    assert to_dates(read.values).isna().tolist() == [True, False]
