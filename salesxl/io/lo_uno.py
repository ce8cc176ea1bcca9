"""A headless LibreOffice session over UNO, for scripts run by the system python3 (python3-uno).

Kept free of salesxl imports: the scripts that use it run outside the
package's environment and import this file from its folder.
"""

import contextlib
import os
import subprocess
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    """A com.sun.star.beans.PropertyValue."""
    result = PropertyValue()
    result.Name = name
    result.Value = value
    return result


def _connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            time.sleep(0.25)
    raise SystemExit("LibreOffice did not start")


@contextlib.contextmanager
def desktop_session(name):
    """Start soffice with a private profile (SALESXL_LO_PROFILE), yield its Desktop, always shut it down."""
    pipe = f"{name}{os.getpid()}"
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
        yield desktop
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


def file_url(path):
    return uno.systemPathToFileUrl(path)
