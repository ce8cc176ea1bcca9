"""The customer card view (客户卡片): pick a customer ID, read the whole card on one A4 page.

A user-owned sheet the template adds after the input tables. Every value is a
plain formula (INDEX/MATCH, SUMIFS, AGGREGATE) that Excel 2016, WPS and
LibreOffice 7.4 evaluate without dynamic arrays, so the card works without
salesxl and in a copy sent by email. Grade and credit flags come from the
Grades sheet (blank until the first recalculation).

Receivables on the card are estimates from the input sheets: open = orders
not cancelled minus payments; overdue = orders due before the as-of date
minus every payment (payments settle the oldest invoices first), never below 0.
"""

from __future__ import annotations

from salesxl.core.book import column_letter, quote_sheet
from salesxl.core.issues import Lang
from salesxl.core.sheetspec import Block, ColumnSpec, Formula, PageSetup, SheetSpec, Validation
from salesxl.reports.grades import GRADE_COLUMNS, column_of
from salesxl.schema import CARD_BLOCKS, OUTPUTS_BY_KEY, TABLES_BY_KEY, ColType

KEY = "card_view"
SHEET: dict[Lang, str] = {"zh": "客户卡片", "en": "CustomerCard"}
ID_CELL = "$C$3"  # where the customer is chosen
ROW_CELL = "$E$3"  # the chosen card's row on the Customers sheet
VISITS_SHOWN = 5
CONTACTS_SHOWN = 3
LOOKUP_ROWS = 200_000  # rows of Visits and Contacts the lookups scan
_ORDER_KEY = 1_000_000  # visit order key: date * _ORDER_KEY + sheet row (rows stay below it)
_FORMATS = {ColType.DATE: "yyyy-mm-dd", ColType.DATETIME: "yyyy-mm-dd hh:mm", ColType.MONEY: "#,##0.00",
            ColType.NUMBER: "#,##0.00", ColType.INT: "0", ColType.PERCENT: "0.0%",
            ColType.LAT: "0.000000", ColType.LON: "0.000000"}
WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"title": "客户档案卡", "company": "公司", "as_of": "截至日期", "pick": "客户编号（下拉选择）",
           "name": "客户名称", "row": "档案行号", "prompt": "从下拉列表选择客户编号，卡片随之显示该客户的资料。",
           "error": "请选择客户档案表中已有的客户编号。", "grade": "分级与信用", "open": "应收余额（估算）",
           "overdue": "逾期金额（估算）", "visits": "最近五次拜访", "visit_date": "拜访日期", "visit_type": "拜访方式",
           "result": "拜访结果", "next_step": "下一步", "visit_row": "拜访记录行号", "contacts": "联系人",
           "contact": "姓名", "contact_title": "职务", "office_phone": "办公电话", "contact_row": "联系人行号"},
    "en": {"title": "Customer card", "company": "Company", "as_of": "As of", "pick": "Customer ID (pick)",
           "name": "Customer name", "row": "Card row", "prompt": "Pick a customer ID from the list; the card shows that customer.",
           "error": "Pick a customer ID that is on the Customers sheet.", "grade": "Grade and credit",
           "open": "Open receivables (estimate)", "overdue": "Overdue (estimate)", "visits": "Last five visits",
           "visit_date": "Visit date", "visit_type": "Visit type", "result": "Result", "next_step": "Next step",
           "visit_row": "Visits sheet row", "contacts": "Contacts", "contact": "Name", "contact_title": "Title",
           "office_phone": "Office phone", "contact_row": "Contacts sheet row"},
}
#: Grades sheet columns shown on the card, two per line.
GRADE_FIELDS = ("grade", "abc", "tier", "score", "flags", "max_days_overdue", "credit_limit", "suggested_limit")


def letter(table: str, column: str) -> str:
    """The template's column letter of a declared column (tables start in column A)."""
    keys = [c.key for c in TABLES_BY_KEY[table].columns]
    return column_letter(1 + keys.index(column))


def ref(table: str, column: str, lang: Lang) -> str:
    """A whole column of an input sheet, e.g. 客户档案!$B:$B."""
    col = letter(table, column)
    return f"{quote_sheet(TABLES_BY_KEY[table].sheet_name(lang))}!${col}:${col}"


def span(table: str, column: str, lang: Lang) -> str:
    """The data rows of an input column the array lookups scan, e.g. 拜访记录!$B$2:$B$200000."""
    col = letter(table, column)
    return f"{quote_sheet(TABLES_BY_KEY[table].sheet_name(lang))}!${col}$2:${col}${LOOKUP_ROWS}"


def shown(source: str, row: str, fmt: str | None) -> str:
    """A cell of `source` at `row` as text the card shows ("" when blank or not found)."""
    if fmt is None:
        return f'IFERROR(INDEX({source},{row})&"","")'
    return f'IFERROR(IF(INDEX({source},{row})="","",TEXT(INDEX({source},{row}),"{fmt}")),"")'


def setting_value(key: str, lang: Lang) -> str:
    """The value cell of a setting on the Settings sheet, found by its key."""
    return f'INDEX({ref("settings", "value", lang)},MATCH("{key}",{ref("settings", "key", lang)},0))'


def _pairs(items: list[tuple[str, str]]) -> list[list]:
    """Label/value pairs laid out two to a line."""
    rows = []
    for i in range(0, len(items), 2):
        row: list = []
        for label, formula in items[i:i + 2]:
            row += [label, Formula(formula)]
        rows.append(row)
    return rows


def _section(title: str, items: list[tuple[str, str]]) -> Block:
    columns = [ColumnSpec(title, width=18), ColumnSpec("", width=30), ColumnSpec("", width=18), ColumnSpec("", width=30)]
    return Block(columns=columns, rows=_pairs(items))


def _head(lang: Lang, customer_id: str | None) -> Block:
    w = WORDS[lang]
    customers = TABLES_BY_KEY["customers"].sheet_name(lang)
    ids = f"{quote_sheet(customers)}!$A$2"
    company = Formula(f'IFERROR({setting_value("company_name", lang)}&"","")')
    as_of = Formula(f'IFERROR(IF(ISNUMBER({setting_value("as_of_date", lang)}),{setting_value("as_of_date", lang)},'
                    f'DATEVALUE({setting_value("as_of_date", lang)})),TODAY())')
    row = Formula(f'IF({ID_CELL}="","",IFERROR(MATCH({ID_CELL},{ref("customers", "customer_id", lang)},0),""))')
    name = Formula(shown(ref("customers", "name", lang), ROW_CELL, None))
    pick = Validation(2, "list", source=f"OFFSET({ids},0,0,MAX(1,COUNTA({ref('customers', 'customer_id', lang)})-1),1)",
                      prompt_title=w["pick"], prompt=w["prompt"], error_title=w["pick"], error=w["error"], rows=1)
    columns = [ColumnSpec(w["company"], width=18), ColumnSpec(w["as_of"], "date", width=30),
               ColumnSpec(w["pick"], width=18), ColumnSpec(w["name"], width=30), ColumnSpec(w["row"], "int", width=12)]
    return Block(columns=columns, rows=[[company, as_of, customer_id, name, row]], title=w["title"], validations=[pick])


def _card_sections(lang: Lang) -> list[Block]:
    blocks = []
    for block_key, titles in CARD_BLOCKS.items():
        items = [(c.header(lang), shown(ref("customers", c.key, lang), ROW_CELL, _FORMATS.get(c.type)))
                 for c in TABLES_BY_KEY["customers"].columns if c.block == block_key]
        blocks.append(_section(titles[0 if lang == "zh" else 1], items))
    return blocks


def _grade_section(lang: Lang) -> Block:
    w = WORDS[lang]
    grades = quote_sheet(OUTPUTS_BY_KEY["grades"].sheet_name(lang))
    found = f"MATCH({ID_CELL},{grades}!${column_of('customer_id')}:${column_of('customer_id')},0)"
    formats = {"number": "0.0", "money": "#,##0.00", "int": "0"}
    items = []
    for key, zh, en, kind, *_ in GRADE_COLUMNS:
        if key in GRADE_FIELDS:
            col = column_of(key)
            items.append((zh if lang == "zh" else en, shown(f"{grades}!${col}:${col}", found, formats.get(kind))))
    cancelled = TABLES_BY_KEY["orders"].column("status").label("cancelled", lang)
    ordered = (f'SUMIFS({ref("orders", "amount", lang)},{ref("orders", "customer_id", lang)},{ID_CELL},'
               f'{ref("orders", "status", lang)},"<>{cancelled}"')
    paid = f'SUMIFS({ref("payments", "amount", lang)},{ref("payments", "customer_id", lang)},{ID_CELL})'
    due = f'{ordered},{ref("orders", "due_date", lang)},"<"&$B$3)'
    items.append((w["open"], f'IF({ROW_CELL}="","",TEXT({ordered})-{paid},"#,##0.00"))'))
    items.append((w["overdue"], f'IF({ROW_CELL}="","",TEXT(MAX(0,{due}-{paid}),"#,##0.00"))'))
    return _section(w["grade"], items)


def _visits_section(lang: Lang, first: int) -> Block:
    """The customer's latest visits: AGGREGATE(LARGE, ignore errors) over date and row, newest first."""
    w = WORDS[lang]
    dates, customers = span("visits", "date", lang), span("visits", "customer_id", lang)
    rows = []
    for k in range(1, VISITS_SHOWN + 1):
        order = f"_xlfn.AGGREGATE(14,6,({dates}*{_ORDER_KEY}+ROW({dates}))/({customers}={ID_CELL}),{k})"
        found = f"$E${first + k - 1}"
        rows.append([Formula(shown(ref("visits", "date", lang), found, "yyyy-mm-dd")),
                     Formula(shown(ref("visits", "visit_type", lang), found, None)),
                     Formula(shown(ref("visits", "result", lang), found, None)),
                     Formula(shown(ref("visits", "next_step", lang), found, None)),
                     Formula(f'IF({ROW_CELL}="","",IFERROR(MOD({order},{_ORDER_KEY}),""))')])
    columns = [ColumnSpec(w["visit_date"], width=18), ColumnSpec(w["visit_type"], width=30),
               ColumnSpec(w["result"], width=18), ColumnSpec(w["next_step"], width=30),
               ColumnSpec(w["visit_row"], "int", width=12)]
    return Block(columns=columns, rows=rows, title=w["visits"])


def _contacts_section(lang: Lang, first: int) -> Block:
    """The customer's first contacts in sheet order: AGGREGATE(SMALL, ignore errors) over the rows."""
    w = WORDS[lang]
    customers = span("contacts", "customer_id", lang)
    rows = []
    for k in range(1, CONTACTS_SHOWN + 1):
        found = f"$E${first + k - 1}"
        rows.append([Formula(shown(ref("contacts", "name", lang), found, None)),
                     Formula(shown(ref("contacts", "title", lang), found, None)),
                     Formula(shown(ref("contacts", "office_phone", lang), found, None)),
                     Formula(shown(ref("contacts", "mobile", lang), found, None)),
                     Formula(f'IF({ROW_CELL}="","",IFERROR(_xlfn.AGGREGATE(15,6,ROW({customers})/({customers}={ID_CELL}),{k}),""))')])
    mobile = TABLES_BY_KEY["contacts"].column("mobile").header(lang)
    columns = [ColumnSpec(w["contact"], width=18), ColumnSpec(w["contact_title"], width=30),
               ColumnSpec(w["office_phone"], width=18), ColumnSpec(mobile, width=30),
               ColumnSpec(w["contact_row"], "int", width=12)]
    return Block(columns=columns, rows=rows, title=w["contacts"])


def _next_titled_row(blocks: list[Block]) -> int:
    """The first data row of a titled block placed after `blocks`."""
    probe = Block([ColumnSpec("")], [], title="-")
    return SheetSpec(KEY, KEY, [*blocks, probe]).block_origin(len(blocks))[0] + 1


def card_view_sheet(lang: Lang, customer_id: str | None = None, name: str | None = None) -> SheetSpec:
    """The card view sheet, showing `customer_id` until someone picks another one."""
    blocks = [_head(lang, customer_id), *_card_sections(lang), _grade_section(lang)]
    blocks.append(_visits_section(lang, _next_titled_row(blocks)))
    blocks.append(_contacts_section(lang, _next_titled_row(blocks)))
    return SheetSpec(key=KEY, name=name or SHEET[lang], blocks=blocks, tool_owned=False,
                     page=PageSetup(orientation="portrait", fit_width=1, fit_height=1))
