"""The lossless .xlsx writer: splice tool-owned sheets into a package, keep every other byte.

Modules: package (zip entries, checks, atomic save), opc (relationships, content
types), workbook (workbook.xml), styles (append-only styles.xml), cells and
sheetxml (worksheet XML), tables, drawing (charts, pictures), blank (new
workbooks), writer (the splice itself).
"""

from salesxl.io.xlsx.package import check_workbook
from salesxl.io.xlsx.writer import WriteResult, new_workbook, user_sheet_names, write_sheets

__all__ = ["WriteResult", "check_workbook", "new_workbook", "user_sheet_names", "write_sheets"]
