"""The building blocks of the schema: column types, choices, columns, tables.

Everything that reads, checks, documents or generates a sheet works from these
declarations, so a column is described exactly once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from salesxl.core.issues import Lang


class ColType(str, Enum):
    """How a cell is read, checked and formatted."""

    TEXT = "text"
    ID = "id"  # a row identifier or a reference to one (text, never a number format)
    INT = "int"
    NUMBER = "number"
    MONEY = "money"
    PERCENT = "percent"  # stored as a fraction: 0.15 shows as 15 %
    DATE = "date"
    DATETIME = "datetime"
    ENUM = "enum"
    BOOL = "bool"
    LAT = "lat"
    LON = "lon"
    PHONE = "phone"  # mainland landline or mobile
    MOBILE = "mobile"  # mainland mobile only
    EMAIL = "email"
    USCC = "uscc"  # 18-character unified social credit code (GB 32100-2015)


#: Excel number format per type (what the template and tool sheets show).
NUMBER_FORMATS: dict[ColType, str] = {
    ColType.INT: "0",
    ColType.NUMBER: "#,##0.00",
    ColType.MONEY: "#,##0.00",
    ColType.PERCENT: "0.0%",
    ColType.DATE: "yyyy-mm-dd",
    ColType.DATETIME: "yyyy-mm-dd hh:mm",
    ColType.LAT: "0.000000",
    ColType.LON: "0.000000",
}

TEXT_TYPES = frozenset(
    {ColType.TEXT, ColType.ID, ColType.ENUM, ColType.PHONE, ColType.MOBILE, ColType.EMAIL, ColType.USCC}
)


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum column: a stable code and its two labels."""

    code: str
    zh: str
    en: str

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class RequiredWhen:
    """A column is required only when another column of the row has one of these values."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class PersonalWhen:
    """A column that holds personal data only on some rows: where one of `when`'s columns has one of its
    values (an individual business's phone is its owner's own), or, with `mobiles`, wherever the value is
    a mobile number (a mainland mobile is registered to a person)."""

    when: tuple[tuple[str, tuple[str, ...]], ...] = ()
    mobiles: bool = False


@dataclass(frozen=True)
class Column:
    """One column of an input table."""

    key: str
    zh: str
    en: str
    type: ColType = ColType.TEXT
    required: bool | RequiredWhen = False
    choices: tuple[Choice, ...] = ()
    aliases: tuple[str, ...] = ()
    personal: bool | PersonalWhen = False  # personal data: masked in copies shared outside the office
    ref: str | None = None  # "table.column" this column must point to
    identity: bool = False  # the stable row ID (generated when blank, never reused)
    block: str | None = None  # customer card block (base/characteristics/business/trade/classification)
    hint_zh: str = ""
    hint_en: str = ""
    width: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def hint(self, lang: Lang) -> str:
        return self.hint_zh if lang == "zh" else self.hint_en

    def names(self) -> tuple[str, ...]:
        """Every header this column is recognised by (zh, en, key, aliases)."""
        return (self.zh, self.en, self.key, *self.aliases)

    def choice_by_code(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)

    def label(self, code: Any, lang: Lang) -> Any:
        """The display label of an enum code (other values pass through)."""
        choice = self.choice_by_code(code) if isinstance(code, str) else None
        return choice.label(lang) if choice else code

    @property
    def number_format(self) -> str | None:
        return NUMBER_FORMATS.get(self.type)

    @property
    def display_width(self) -> float:
        if self.width:
            return self.width
        base = {ColType.DATE: 12, ColType.DATETIME: 17, ColType.USCC: 22, ColType.MONEY: 14,
                ColType.PHONE: 15, ColType.MOBILE: 14, ColType.EMAIL: 22}.get(self.type, 12)
        return float(max(base, min(30, 2.2 * len(self.zh) + 2, len(self.en) + 3)))


@dataclass(frozen=True)
class Table:
    """One input table: its sheet names, columns and what identifies a row."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    description_zh: str = ""
    description_en: str = ""
    key_value: bool = False  # the Settings sheet: one setting per row
    _by_key: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            if col.key in self._by_key:
                raise ValueError(f"{self.key}.{col.key} declared twice")
            self._by_key[col.key] = col

    def sheet_name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, self.key, *self.aliases)

    def column(self, key: str) -> Column:
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    @property
    def id_column(self) -> Column | None:
        return next((c for c in self.columns if c.identity), None)

    def excel_table_name(self) -> str:
        """The Excel Table (ListObject) name used in the template: tbl + CamelCase key."""
        return "tbl" + "".join(part.capitalize() for part in self.key.split("_"))


_SPACE = re.compile(r"[\s_\-/（）()：:·.]+")


def normalise_name(text: Any) -> str:
    """Fold a header or sheet name so that width, case, spaces and brackets do not matter."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SPACE.sub("", folded)
