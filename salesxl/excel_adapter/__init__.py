"""The Excel adapter: the live workbook read into a Book and SheetSpecs written back, through xlwings."""

from salesxl.excel_adapter.reading import read_live_book
from salesxl.excel_adapter.writing import ForeignSheetError, user_sheet_names, write_specs

__all__ = ["ForeignSheetError", "read_live_book", "user_sheet_names", "write_specs"]
