"""Run by the system python3 (with python3-uno): press every ribbon callback of an add-in in LibreOffice.

Usage: python3 lo_ribbon.py ADDIN.xlam CELL SUB [SUB ...]
Opens the add-in with macros allowed, calls each `Sub X(control)` of the
RibbonSalesxl module with a stand-in control (any UNO object: a string makes the
call fail silently on the parameter type), and prints one JSON object
{sub: text of CELL on the first sheet after the call}. The add-in under test
carries a RunPython that writes its command into CELL. Kept free of salesxl
imports: it runs outside the package's environment.
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


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
    source, cell, subs = argv[1], argv[2], argv[3:]
    pipe = f"sxlribbon{os.getpid()}"
    office = subprocess.Popen([
        os.environ.get("SALESXL_SOFFICE", "soffice"),
        f"-env:UserInstallation={os.environ['SALESXL_LO_PROFILE']}",
        "--headless", "--norestore", "--nologo", "--nodefault",
        f"--accept=pipe,name={pipe};urp;",
    ])
    desktop = None
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (
            _prop("Hidden", True),
            _prop("FilterName", "Calc MS Excel 2007 XML"),
            _prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN),
        ))
        target = document.getSheets().getByIndex(0).getCellRangeByName(cell)
        libraries = document.BasicLibraries
        library = next(n for n in libraries.getElementNames() if libraries.getByName(n).hasByName("RibbonSalesxl"))
        provider = document.getScriptProvider()
        seen = {}
        for sub in subs:
            target.setString("")
            url = f"vnd.sun.star.script:{library}.RibbonSalesxl.{sub}?language=Basic&location=document"
            try:
                provider.getScript(url).invoke((document,), (), ())
            except Exception as exc:  # the sub's failure is reported, the next sub still runs
                seen[sub] = f"ERROR {type(exc).__name__}: {exc}"
                continue
            seen[sub] = target.getString()
        print(json.dumps(seen, ensure_ascii=False))
        document.close(True)
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv)
