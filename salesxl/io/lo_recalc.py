"""Run by the system python3 (with python3-uno): open a workbook in LibreOffice,
type values into cells if asked, recalculate everything, save as .xlsx.

Usage: python3 lo_recalc.py IN.xlsx OUT.xlsx [--set Sheet!A1=value ...]
Kept free of salesxl imports: it runs outside the package's environment.
"""

import sys

from lo_uno import desktop_session, file_url, prop


def main(argv):
    source, target = argv[1], argv[2]
    cells = []
    rest = argv[3:]
    while rest:
        if rest[0] == "--set":
            ref, _, value = rest[1].partition("=")
            cells.append((ref, value))
            rest = rest[2:]
        else:
            raise SystemExit(f"unknown argument {rest[0]}")
    with desktop_session("sxlcalc") as desktop:
        document = desktop.loadComponentFromURL(file_url(source), "_blank", 0, (prop("Hidden", True),))
        sheets = document.getSheets()
        for ref, value in cells:
            sheet_name, _, address = ref.rpartition("!")
            cell = sheets.getByName(sheet_name.strip("'")).getCellRangeByName(address)
            try:
                cell.setValue(float(value))
            except ValueError:
                cell.setString(value)
        document.calculateAll()
        document.storeToURL(file_url(target), (prop("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)


if __name__ == "__main__":
    main(sys.argv)
