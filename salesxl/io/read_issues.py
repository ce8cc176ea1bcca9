"""The issue codes the file reader emits: unusable files, sheets, headers, cells, settings."""

from __future__ import annotations

from salesxl.core.issues import define

# Unusable files (raised as WorkbookError; declared here so the catalogue documents them).
FILE_MISSING = define(
    "FILE_MISSING", "error",
    "找不到文件：{path}", "File not found: {path}",
    title_zh="文件不存在", title_en="File not found")
FILE_LOCKED = define(
    "FILE_LOCKED", "error",
    "文件 {path} 正被其他程序（{owner}）打开，请先关闭后再试。",
    "The file {path} is open in another program ({owner}); close it and try again.",
    title_zh="文件被占用", title_en="File in use")
FILE_ENCRYPTED = define(
    "FILE_ENCRYPTED", "error",
    "文件 {path} 设有打开密码，请提供密码。",
    "The file {path} is protected by a password; give the password to open it.",
    title_zh="文件已加密", title_en="File encrypted")
FILE_BAD_PASSWORD = define(
    "FILE_BAD_PASSWORD", "error",
    "文件 {path} 的密码不正确。", "Wrong password for {path}.",
    title_zh="密码错误", title_en="Wrong password")
FILE_XLS = define(
    "FILE_XLS", "error",
    "文件 {path} 是旧版 Excel 97-2003 格式（.xls），请在 Excel 中另存为 .xlsx 后再试。",
    "The file {path} is in the old Excel 97-2003 format (.xls); save it as .xlsx in Excel and try again.",
    title_zh="旧版 .xls 文件", title_en="Old .xls file")
FILE_NOT_XLSX = define(
    "FILE_NOT_XLSX", "error",
    "文件 {path} 不是 Excel 工作簿（.xlsx/.xlsm）：{reason}",
    "The file {path} is not an Excel workbook (.xlsx/.xlsm): {reason}",
    title_zh="不是 Excel 工作簿", title_en="Not an Excel workbook")
FILE_DAMAGED = define(
    "FILE_DAMAGED", "error",
    "文件 {path} 已损坏，无法读取（{reason}）。请在 Excel 中打开并另存一份后再试。",
    "The file {path} is damaged and cannot be read ({reason}). Open it in Excel, save a copy and try again.",
    title_zh="文件损坏", title_en="File damaged")

# Sheets and headers.
READ_SHEET_MISSING = define(
    "READ_SHEET_MISSING", "info",
    "没有找到工作表“{expected}”。", "No sheet “{expected}” was found.",
    title_zh="缺少工作表", title_en="Sheet missing")
READ_SHEET_DUPLICATE = define(
    "READ_SHEET_DUPLICATE", "warning",
    "工作表“{used}”和“{ignored}”都对应“{table_name}”；已读取“{used}”，忽略“{ignored}”。",
    "Sheets “{used}” and “{ignored}” both hold the table “{table_name}”; “{used}” was read and “{ignored}” ignored.",
    title_zh="工作表重复", title_en="Duplicate sheet")
READ_SHEET_BY_HEADERS = define(
    "READ_SHEET_BY_HEADERS", "info",
    "按表头把工作表“{sheet_name}”识别为“{table_name}”。", "Sheet “{sheet_name}” was recognised as “{table_name}” by its headers.",
    title_zh="按表头识别工作表", title_en="Sheet recognised by headers")
READ_HEADER_NOT_FOUND = define(
    "READ_HEADER_NOT_FOUND", "error",
    "工作表“{sheet_name}”前 {rows} 行中没有找到表头（如“{expected}”）。",
    "No header row (such as “{expected}”) in the first {rows} rows of sheet “{sheet_name}”.",
    title_zh="找不到表头", title_en="Header not found")
READ_COLUMN_MISSING = define(
    "READ_COLUMN_MISSING", "error",
    "工作表“{sheet_name}”缺少必填列“{expected}”（表头在第 {header_row} 行）。",
    "Sheet “{sheet_name}” has no column “{expected}”, which is required (header in row {header_row}).",
    title_zh="缺少必填列", title_en="Required column missing")
READ_HEADER_BLANK = define(
    "READ_HEADER_BLANK", "warning",
    "{at}：该列有数据但没有表头，已忽略。", "{at}: this column holds data but has no header; it was ignored.",
    title_zh="表头为空", title_en="Blank header")
READ_HEADER_DUPLICATE = define(
    "READ_HEADER_DUPLICATE", "warning",
    "{at}：表头“{value}”与 {first} 列重复，已使用 {first} 列。",
    "{at}: header “{value}” repeats column {first}; column {first} was used.",
    title_zh="表头重复", title_en="Duplicate header")
READ_COLUMNS_UNKNOWN = define(
    "READ_COLUMNS_UNKNOWN", "info",
    "工作表“{sheet_name}”中以下列不属于“{table_name}”，未读取：{columns}",
    "These columns of sheet “{sheet_name}” are not part of “{table_name}” and were not read: {columns}",
    title_zh="未识别的列", title_en="Unknown columns")

# Cells.
CELL_ERROR_VALUE = define(
    "CELL_ERROR_VALUE", "error",
    "{at}：单元格是错误值 {value}，按空白处理（列“{header}”）。",
    "{at}: the cell holds the error {value} and is read as blank (column “{header}”).",
    title_zh="单元格错误值", title_en="Error value in cell")
CELL_NOT_A_NUMBER = define(
    "CELL_NOT_A_NUMBER", "error",
    "{at}：“{value}”不是数字（列“{header}”）。", "{at}: “{value}” is not a number (column “{header}”).",
    title_zh="不是数字", title_en="Not a number")
CELL_NOT_AN_INTEGER = define(
    "CELL_NOT_AN_INTEGER", "error",
    "{at}：“{value}”不是整数（列“{header}”）。", "{at}: “{value}” is not a whole number (column “{header}”).",
    title_zh="不是整数", title_en="Not a whole number")
CELL_NOT_A_DATE = define(
    "CELL_NOT_A_DATE", "error",
    "{at}：“{value}”不是日期（列“{header}”，如 {example}）。",
    "{at}: “{value}” is not a date (column “{header}”, such as {example}).",
    title_zh="不是日期", title_en="Not a date")
CELL_AMBIGUOUS_DATE = define(
    "CELL_AMBIGUOUS_DATE", "error",
    "{at}：“{value}”的日月顺序不明确，请写成 年-月-日（如 2024-03-05）。",
    "{at}: “{value}” could be day/month or month/day; write it as year-month-day (such as 2024-03-05).",
    title_zh="日期有歧义", title_en="Ambiguous date")
CELL_NOT_A_BOOL = define(
    "CELL_NOT_A_BOOL", "error",
    "{at}：“{value}”不是“是/否”（列“{header}”）。", "{at}: “{value}” is not yes/no (column “{header}”).",
    title_zh="不是是/否", title_en="Not yes/no")
CELL_BAD_CHOICE = define(
    "CELL_BAD_CHOICE", "error",
    "{at}：“{value}”不是“{header}”的可选值；可选：{allowed}。",
    "{at}: “{value}” is not an allowed value of “{header}”; allowed: {allowed}.",
    title_zh="取值不在列表中", title_en="Value not in list")

# Settings.
SETTING_UNKNOWN = define(
    "SETTING_UNKNOWN", "info",
    "{at}：不认识的设置项“{value}”，已忽略。", "{at}: unknown setting “{value}”, ignored.",
    title_zh="未知设置项", title_en="Unknown setting")
SETTING_BAD_VALUE = define(
    "SETTING_BAD_VALUE", "warning",
    "{at}：设置“{name}”的值“{value}”无效（{reason}），使用默认值 {default}。",
    "{at}: “{value}” is not a valid value for setting “{name}” ({reason}); the default {default} is used.",
    title_zh="设置值无效", title_en="Bad setting value")
SETTING_CONFLICT = define(
    "SETTING_CONFLICT", "warning",
    "{at}：设置“{name}”的值“{value}”与“{others}”矛盾（{reason}），使用默认值 {default}。",
    "{at}: the value “{value}” of setting “{name}” contradicts “{others}” ({reason}); the default {default} is used.",
    title_zh="设置互相矛盾", title_en="Conflicting settings")
