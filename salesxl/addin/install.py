"""Put salesxl.xlam where Excel loads it at start-up, and tell its RunPython which Python to use.

Excel opens every workbook in the user's XLSTART folder when it starts; the
add-in's xlwings module reads `salesxl.conf` (one `"KEY","value"` line per
setting, read with VBA's `Input #`) from the user's folder.
"""

from __future__ import annotations

import locale
import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from salesxl.addin.build import PROJECT_NAME

ADDIN_NAME = f"{PROJECT_NAME}.xlam"
CONF_NAME = f"{PROJECT_NAME}.conf"


@dataclass(frozen=True)
class Places:
    """Where the add-in and its settings file go on one OS."""

    system: str  # "windows" or "mac"
    xlstart: PurePath
    conf: PurePath

    @property
    def addin(self) -> PurePath:
        return self.xlstart / ADDIN_NAME


def windows_places(appdata: str, userprofile: str) -> Places:
    return Places(
        "windows",
        PureWindowsPath(appdata, "Microsoft", "Excel", "XLSTART"),
        PureWindowsPath(userprofile, f".{PROJECT_NAME}", CONF_NAME),
    )


def mac_places(home: str) -> Places:
    # Excel runs sandboxed on macOS: its $HOME is the container below, where xlwings looks for the conf.
    return Places(
        "mac",
        PurePosixPath(home, "Library", "Group Containers", "UBF8T346G9.Office", "User Content.localized",
                      "Startup.localized", "Excel"),
        PurePosixPath(home, "Library", "Containers", "com.microsoft.Excel", "Data", CONF_NAME),
    )


def places_for_both() -> list[Places]:
    """Both OSes' paths for this user (the variables Windows would set, when not on Windows)."""
    home = str(Path.home())
    appdata = os.environ.get("APPDATA") or str(PureWindowsPath("C:/Users", Path.home().name, "AppData", "Roaming"))
    userprofile = os.environ.get("USERPROFILE") or str(PureWindowsPath("C:/Users", Path.home().name))
    return [windows_places(appdata, userprofile), mac_places(home)]


def current_places() -> Places:
    """This machine's places; salesxl installs into Excel on Windows and macOS only."""
    if sys.platform.startswith("win"):
        return windows_places(os.environ["APPDATA"], os.environ["USERPROFILE"])
    if sys.platform == "darwin":
        return mac_places(str(Path.home()))
    raise OSError("Excel runs on Windows and macOS only; use `--dry-run` to see where the add-in would go.")


def conda_env(prefix: str = sys.prefix) -> tuple[str, str] | None:
    """(conda's base folder, the env's name) when Python runs from a conda env: RunPython must activate
    it, or importing numpy fails with "DLL load failed"."""
    env = Path(prefix)
    if not (env / "conda-meta").is_dir():
        return None
    if env.parent.name == "envs":
        return str(env.parent.parent), env.name
    return str(env), "base"


def conf_text(system: str, python: str = sys.executable, prefix: str = sys.prefix) -> str:
    """The add-in's settings. ADD_WORKBOOK_TO_PYTHONPATH is off: salesxl is installed, and the
    workbook's folder is a URL for OneDrive/SharePoint files, which breaks RunPython."""
    key = "INTERPRETER_WIN" if system == "windows" else "INTERPRETER_MAC"
    lines = [(key, python), ("ADD_WORKBOOK_TO_PYTHONPATH", "False")]
    conda = conda_env(prefix)
    if conda is not None:
        lines += [("CONDA PATH", conda[0]), ("CONDA ENV", conda[1])]
    return "".join(f'"{k}","{v}"\r\n' for k, v in lines)


def install(addin: Path, places: Places) -> list[str]:
    """Copy the add-in into XLSTART and write the settings file; returns what was done, line by line."""
    xlstart, conf, target = Path(places.xlstart), Path(places.conf), Path(places.addin)
    xlstart.mkdir(parents=True, exist_ok=True)
    target.write_bytes(addin.read_bytes())
    conf.parent.mkdir(parents=True, exist_ok=True)
    # VBA reads the file in the system's ANSI code page (a Chinese user name in the path must survive).
    conf.write_text(conf_text(places.system), encoding=locale.getpreferredencoding(False), newline="")
    return [f"add-in → {target}", f"settings → {conf} ({_one_line(conf_text(places.system))})"]


def _one_line(conf: str) -> str:
    return "; ".join(conf.strip().splitlines())


def uninstall(places: Places) -> list[str]:
    """Remove the add-in and the settings file (and the settings folder when it is left empty)."""
    done = []
    for path in (Path(places.addin), Path(places.conf)):
        if path.exists():
            path.unlink()
            done.append(f"removed {path}")
    folder = Path(places.conf).parent
    if folder.name == f".{PROJECT_NAME}" and folder.exists() and not any(folder.iterdir()):
        folder.rmdir()
        done.append(f"removed {folder}")
    return done
