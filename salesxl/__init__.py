"""salesxl: a sales office's Excel workbook as its system of record."""

__version__ = "0.1.0"
