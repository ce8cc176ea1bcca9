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
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "io"))
from lo_uno import desktop_session, file_url, prop  # noqa: E402  (a sibling of the package, not the package)

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def main(argv):
    source, cell, subs = argv[1], argv[2], argv[3:]
    with desktop_session("sxlribbon") as desktop:
        document = desktop.loadComponentFromURL(file_url(source), "_blank", 0, (
            prop("Hidden", True),
            prop("FilterName", "Calc MS Excel 2007 XML"),
            prop("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN),
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


if __name__ == "__main__":
    main(sys.argv)
