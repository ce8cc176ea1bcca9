"""Copies for one salesperson: only their rows, personal data masked, optionally encrypted."""

from __future__ import annotations

import io
import shutil
import re

import msoffcrypto
import pandas as pd
import pytest
from typer.testing import CliRunner

from salesxl.core.issues import WorkbookError
from salesxl.io.reader import read_book
from salesxl.schema import TABLES_BY_KEY
from salesxl.sharing.cli import sharing_app
from salesxl.sharing.share import redact_value, share_file
from tests.support import WORKBOOKS, parts

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


def test_copy_holds_only_the_salespersons_rows(office, redacted):
    copy = read_book(redacted)
    assert copy.settings.owner_salesperson == PERSON
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
    assert (copy["birthday"].dropna().dt.day == 1).all()
    born = original["birthday"].dropna()
    assert copy.loc[born.index, "birthday"].dt.month.tolist() == born.dt.month.tolist()
    masked = copy["mobile"].dropna()
    assert masked.str.contains(r"\*{4}").all() and not masked.str.contains(r"\d{5}").any()
    assert masked.str.fullmatch(r"\d{3}\*{4}\d{4}").mean() > 0.9
    assert copy["hobbies"].isna().all() and copy["family"].isna().all()


def test_redaction_rules():
    columns = TABLES_BY_KEY["contacts"]
    assert redact_value(columns.column("mobile"), "13812341234") == "138****1234"
    assert redact_value(columns.column("home_address"), "广州市天河区林和西路10号3栋") == "广州市天河区"
    assert redact_value(columns.column("birthday"), pd.Timestamp("1980-07-23")) == pd.Timestamp("1980-07-01")
    assert redact_value(columns.column("family"), "已婚") is None


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
    assert read_book(out, password="秘密123").settings.owner_salesperson == PERSON
    with pytest.raises(WorkbookError) as missing:
        read_book(out)
    assert missing.value.code == "FILE_ENCRYPTED"
    with pytest.raises(WorkbookError) as wrong:
        read_book(out, password="wrong")
    assert wrong.value.code == "FILE_BAD_PASSWORD"
