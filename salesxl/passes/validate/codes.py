"""The issue codes of the customer-card validation, declared once.

The demo-office generator triggers each of them, so the codes are a contract.
Templates say what was expected; `{field}` is the column header in the book's
language and `{shown}` the offending value as the user would read it.
"""

from __future__ import annotations

from salesxl.core.issues import define

FIELD_REQUIRED = define(
    "FIELD_REQUIRED", "error",
    "「{field}」不能为空{when}",
    "{field} must not be blank{when}",
    title_zh="必填项为空", title_en="Required field blank",
)
FIELD_RANGE = define(
    "FIELD_RANGE", "error",
    "「{field}」超出范围：应{expected}，实为 {shown}",
    "{field} out of range: expected {expected}, got {shown}",
    title_zh="数值超出范围", title_en="Value out of range",
)
FIELD_ID_DUPLICATE = define(
    "FIELD_ID_DUPLICATE", "error",
    "「{field}」{shown} 重复：另见{others}",
    "{field} {shown} is used more than once: also on {others}",
    title_zh="编号重复", title_en="Duplicate ID",
)
FIELD_REF = define(
    "FIELD_REF", "error",
    "「{field}」{shown} 在「{target_sheet}」的「{target_field}」中不存在",
    "{field} {shown} is not found in {target_field} on sheet {target_sheet}",
    title_zh="引用不存在", title_en="Unknown reference",
)
FIELD_USCC_FORMAT = define(
    "FIELD_USCC_FORMAT", "error",
    "「{field}」格式错误：应为18位数字或大写字母（不含 I、O、S、V、Z，首位为登记管理部门代码 1–9、A、N、Y），"
    "实为「{shown}」（{length} 位）",
    "{field} malformed: expected 18 digits or capital letters (no I, O, S, V, Z; the first one a registration "
    "authority code 1-9, A, N or Y), got \"{shown}\" ({length} characters)",
    title_zh="信用代码格式错误", title_en="USCC malformed",
)
FIELD_USCC_REGION = define(
    "FIELD_USCC_REGION", "error",
    "「{field}」第3–8位应为6位数字的行政区划代码（GB/T 2260），实为「{region}」（{shown}）",
    "{field} positions 3-8 must be the 6-digit administrative region code (GB/T 2260), got \"{region}\" ({shown})",
    title_zh="信用代码区划码错误", title_en="USCC region code wrong",
)
FIELD_USCC_CHECKSUM = define(
    "FIELD_USCC_CHECKSUM", "error",
    "{field}校验位错误：应为 {expected}，实为 {actual}",
    "{field} check character wrong: expected {expected}, got {actual}",
    title_zh="信用代码校验位错误", title_en="USCC check character wrong",
)
FIELD_PHONE = define(
    "FIELD_PHONE", "error",
    "「{field}」不是有效的电话号码：应为11位手机号、区号加当地位数的座机号（如 020-12345678、0991-1234567、"
    "+86 20 8765 4321，可带分机）或 400/800 号码，实为「{shown}」",
    "{field} is not a valid phone number: expected an 11-digit mobile, a landline with its area code and that area's "
    "number length (such as 020-12345678, 0991-1234567 or +86 20 8765 4321, optionally with an extension) or a "
    "400/800 number, got \"{shown}\"",
    title_zh="电话号码无效", title_en="Invalid phone number",
)
FIELD_MOBILE = define(
    "FIELD_MOBILE", "error",
    "「{field}」不是有效的手机号：应为以 13–19 开头的11位数字（可带 +86），实为「{shown}」",
    "{field} is not a valid mobile number: expected 11 digits starting 13-19 (optionally +86), got \"{shown}\"",
    title_zh="手机号无效", title_en="Invalid mobile number",
)
FIELD_EMAIL = define(
    "FIELD_EMAIL", "error",
    "「{field}」不是有效的邮箱地址：应形如 name@example.com，实为「{shown}」",
    "{field} is not a valid e-mail address: expected something like name@example.com, got \"{shown}\"",
    title_zh="邮箱无效", title_en="Invalid e-mail address",
)
CUST_LATLON_RANGE = define(
    "CUST_LATLON_RANGE", "error",
    "「{field}」{shown} 不在中国范围内：应在 {low} 至 {high} 之间{hint}",
    "{field} {shown} is outside China: expected between {low} and {high}{hint}",
    title_zh="经纬度不在中国范围内", title_en="Coordinates outside China",
)
CUST_REGION_UNKNOWN = define(
    "CUST_REGION_UNKNOWN", "warning",
    "「{field}」{shown} 不是「{target_sheet}」中任何销售员的区域（已有：{known}）",
    "{field} {shown} is not the region of any salesperson on sheet {target_sheet} (known: {known})",
    title_zh="区域无销售员", title_en="Region without salespeople",
)
CUST_DUP_USCC = define(
    "CUST_DUP_USCC", "error",
    "「{field}」{shown} 与其他客户重复：{others}",
    "{field} {shown} is shared with other customers: {others}",
    title_zh="信用代码重复", title_en="Duplicate USCC",
)
CUST_DUP_NAME = define(
    "CUST_DUP_NAME", "warning",
    "「{field}」「{shown}」与其他客户名称相同或相近：{others}",
    "{field} \"{shown}\" is the same as or close to other customers' names: {others}",
    title_zh="客户名称重复", title_en="Duplicate customer name",
)
CUST_DUP_PHONE = define(
    "CUST_DUP_PHONE", "warning",
    "「{field}」{shown} 与其他客户相同：{others}",
    "{field} {shown} is also the number of other customers: {others}",
    title_zh="电话重复", title_en="Duplicate phone",
)
CUST_DATES_ORDER = define(
    "CUST_DATES_ORDER", "error",
    "「{field}」{shown} 不合理：应不晚于{limit}",
    "{field} {shown} is implausible: expected on or before {limit}",
    title_zh="日期先后矛盾", title_en="Dates out of order",
)
CUST_INCOMPLETE = define(
    "CUST_INCOMPLETE", "warning",
    "成交客户档案完整度 {score} 低于 {minimum}，缺少：{missing}",
    "Active customer's card is {score} complete, below {minimum}; missing: {missing}",
    title_zh="档案不完整", title_en="Incomplete card",
)
CUST_AUDIT_SELF_FILLED = define(
    "CUST_AUDIT_SELF_FILLED", "warning",
    "「{source_field}」为「{source}」，但「{field}」不是“是”：客户自报的资料需审核",
    "{source_field} is \"{source}\" but {field} is not yes: figures the customer reported must be audited",
    title_zh="自填资料待审核", title_en="Self-filled card not audited",
)
CUST_AUDIT_REVENUE = define(
    "CUST_AUDIT_REVENUE", "warning",
    "「{field}」{shown} 低于近12个月我方对其净销售额 {sales} × {ratio}（= {threshold}），需审核",
    "{field} {shown} is below our net sales to the customer in the last 12 months, {sales} × {ratio} "
    "(= {threshold}): audit it",
    title_zh="营业额需审核", title_en="Reported revenue needs audit",
)
CUST_STALE = define(
    "CUST_STALE", "warning",
    "成交客户超过 {limit} 天未拜访（{last}），档案需复核更新",
    "Active customer not visited for more than {limit} days ({last}): review the card",
    title_zh="档案过期", title_en="Stale card",
)

#: Every code the card validation can emit.
ITEM7_CODES: tuple[str, ...] = (
    "FIELD_REQUIRED", "FIELD_RANGE", "FIELD_ID_DUPLICATE", "FIELD_REF",
    "FIELD_USCC_FORMAT", "FIELD_USCC_CHECKSUM", "FIELD_PHONE", "FIELD_MOBILE", "FIELD_EMAIL",
    "CUST_LATLON_RANGE", "CUST_REGION_UNKNOWN", "CUST_DUP_USCC", "CUST_DUP_NAME", "CUST_DUP_PHONE",
    "CUST_DATES_ORDER", "CUST_INCOMPLETE", "CUST_AUDIT_SELF_FILLED", "CUST_AUDIT_REVENUE", "CUST_STALE",
)
