"""Format rules for identifiers and contact data, as pure functions.

They take any cell value (text, or a number when a phone was typed into a
numeric cell) and answer without pandas, so the reader, the validation pass
and the demo generator can share them. Landlines and service numbers are
judged by libphonenumber (`phonenumbers`), which knows each area code's
subscriber length; mobiles keep the simple 1[3-9] + 9 digits rule.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Literal

import phonenumbers

#: GB 32100-2015: the code alphabet (no I, O, S, V, Z) and the weights of the 17 leading characters.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: Registration authority codes (first character).
USCC_AUTHORITIES = "123456789ANY"
#: Positions 3–8: the administrative region code of GB/T 2260, six digits.
USCC_REGION = slice(2, 8)

_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_MOBILE = re.compile(r"(?:\(?(?:\+|00)?86\)?)?1[3-9]\d{9}")
#: What a written phone number may hold besides digits: spaces, dashes, dots, brackets, a leading +.
_DIALLED = re.compile(r"\+?[\d\s().-]+")
#: An extension after the number: 转 801, ext. 12, x12, #12, or -123 / " 123" when the rest is a whole number.
_EXTENSION = re.compile(r"(.*?\d)\s*(?:转|分机|ext\.?|x|#|-|\s)\s*(\d{1,6})", re.IGNORECASE)
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}"
)
_CN_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "商行", "经营部", "门市部", "商店", "店")
_EN_SUFFIX = re.compile(r"[\s,.]*\b(?:co\.?,?\s*ltd|ltd|limited|inc|corp|corporation|company|co|llc)\.?\s*$")


def cell_text(value: Any) -> str:
    """A cell value as stripped text; integral numbers lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given."""
    if len(first17) != 17 or any(ch not in _VALUE for ch in first17):
        raise ValueError(f"not 17 USCC characters: {first17!r}")
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: Any) -> Literal[None, "format", "region", "checksum"]:
    """None for a valid USCC; "format", "region" (positions 3–8, the GB/T 2260 area code, not all digits) or "checksum"."""
    text = str(code).strip() if code is not None else ""
    if len(text) != 18 or any(ch not in _VALUE for ch in text) or text[0] not in USCC_AUTHORITIES:
        return "format"
    if not text[USCC_REGION].isdigit():
        return "region"
    if uscc_check_char(text[:17]) != text[17]:
        return "checksum"
    return None


def is_mobile(text: Any) -> bool:
    """A mainland mobile number, optionally +86/86/0086-prefixed, spaces and dashes allowed."""
    compact = re.sub(r"[\s-]", "", cell_text(text))
    return bool(_MOBILE.fullmatch(compact))


def mainland_number(text: Any) -> phonenumbers.PhoneNumber | None:
    """The mainland number a cell holds when libphonenumber calls it valid (extension kept), else None.

    National (020-87654321), international (+86 20 8765 4321, 0086…) and
    service numbers (400, 800) are all read; the area code fixes the length.
    """
    return _mainland(cell_text(text))


@functools.lru_cache(maxsize=1 << 16)
def _mainland(raw: str) -> phonenumbers.PhoneNumber | None:
    """`mainland_number` of one text, parsed once however many rows and checks hold it (the number
    returned is shared: callers read it and never change it)."""
    number = _parsed(raw)
    if number is None and (split := _EXTENSION.fullmatch(raw)):
        number = _parsed(split.group(1))
        if number is None or phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
            return None
        number.extension = split.group(2)
    return number


def _parsed(text: str) -> phonenumbers.PhoneNumber | None:
    if not _DIALLED.fullmatch(text):  # letters would be read as a keypad's digits
        return None
    try:
        number = phonenumbers.parse(text, "CN", keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    national = number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY
    if national and not re.sub(r"\D", "", text).startswith(("0", "400", "800")):
        return None  # written nationally, an area code needs its trunk 0 (20-12345678 is not dialable)
    return number


def is_landline(text: Any) -> bool:
    """A valid mainland fixed-line or service (400/800) number, optionally with an extension."""
    return not is_mobile(text) and mainland_number(text) is not None


def is_phone(text: Any) -> bool:
    """The one rule for a phone column: a mobile, a landline or a service number."""
    return is_mobile(text) or is_landline(text)


def is_email(text: Any) -> bool:
    return bool(_EMAIL.fullmatch(cell_text(text)))


def phone_key(text: Any) -> str:
    """Digits only, without a +86/0086 country prefix or trunk 0: two spellings of one number compare equal."""
    number = None if is_mobile(text) else mainland_number(text)
    if number is not None:
        return "0" + str(number.national_number) + (f"-{number.extension}" if number.extension else "")
    digits = re.sub(r"\D", "", cell_text(text))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits


def normalise_company_name(text: Any) -> str:
    """Fold a company name so that width, case, punctuation and legal-form suffixes do not matter."""
    folded = cell_text(text).casefold()
    while (shorter := _EN_SUFFIX.sub("", folded)) != folded and shorter.strip():
        folded = shorter
    folded = "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")
    while suffix := next((s for s in _CN_SUFFIXES if folded.endswith(s) and len(folded) > len(s)), None):
        folded = folded[: -len(suffix)]
    return folded
