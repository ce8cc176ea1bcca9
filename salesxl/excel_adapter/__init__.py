"""The Excel adapter: the live workbook read into a Book and SheetSpecs written back, through xlwings."""

from salesxl.excel_adapter.reading import read_live_book
from salesxl.excel_adapter.writing import ForeignSheetError, write_specs

__all__ = ["ForeignSheetError", "read_live_book", "write_specs"]
