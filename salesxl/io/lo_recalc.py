"""Run by the system python3 (with python3-uno): open a workbook in LibreOffice,
type values into cells if asked, recalculate everything, save as .xlsx.

Usage: python3 lo_recalc.py IN.xlsx OUT.xlsx [--set Sheet!A1=value ...]
Kept free of salesxl imports: it runs outside the package's environment.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


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
    pipe = f"sxl{os.getpid()}"
    office = subprocess.Popen([
        os.environ.get("SALESXL_SOFFICE", "soffice"),
        f"-env:UserInstallation={os.environ['SALESXL_LO_PROFILE']}",
        "--headless", "--norestore", "--nologo", "--nodefault",
        f"--accept=pipe,name={pipe};urp;",
    ])
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (_prop("Hidden", True),))
        sheets = document.getSheets()
        for ref, value in cells:
            sheet_name, _, address = ref.rpartition("!")
            cell = sheets.getByName(sheet_name.strip("'")).getCellRangeByName(address)
            try:
                cell.setValue(float(value))
            except ValueError:
                cell.setString(value)
        document.calculateAll()
        document.storeToURL(uno.systemPathToFileUrl(target), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        document.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv)
