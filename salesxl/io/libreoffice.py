"""LibreOffice headless as an independent reader: CSV per sheet, PDF, and a real recalculation.

A second spreadsheet program checking what salesxl writes catches what our
own reader would forgive. Conversions use a private profile folder so runs
in parallel do not clash.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
_UNO_SCRIPT = Path(__file__).with_name("lo_recalc.py")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def _run(args: list[str], workdir: Path, timeout: int) -> None:
    profile = workdir / "lo_profile"
    command = [soffice() or "soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=timeout, cwd=workdir)


def convert(path: Path, target: str, outdir: Path, *, infilter: str | None = None, timeout: int = 180) -> None:
    """`soffice --convert-to target` into outdir."""
    outdir.mkdir(parents=True, exist_ok=True)
    args = ["--convert-to", target, "--outdir", str(outdir.resolve()), str(path.resolve())]
    if infilter:
        args = [f"--infilter={infilter}", *args]
    with tempfile.TemporaryDirectory(prefix="sxl_lo_") as work:
        _run(args, Path(work), timeout)


def sheets_as_csv(path: Path, *, timeout: int = 180) -> dict[str, list[list[str]]]:
    """Every sheet of a workbook as LibreOffice shows it (formatted text), keyed by sheet name."""
    with tempfile.TemporaryDirectory(prefix="sxl_csv_") as out:
        outdir = Path(out)
        convert(path, CSV_FILTER, outdir, timeout=timeout)
        result = {}
        prefix = path.stem + "-"
        for file in sorted(outdir.glob("*.csv")):
            name = file.stem[len(prefix):] if file.stem.startswith(prefix) else file.stem
            with file.open(encoding="utf-8", newline="") as handle:
                result[name] = list(csv.reader(handle))
        return result


def to_pdf(path: Path, outdir: Path, *, timeout: int = 300) -> Path:
    convert(path, "pdf", outdir, timeout=timeout)
    return outdir / (path.stem + ".pdf")


def recalculate(path: Path, out: Path, *, timeout: int = 300, set_cells: dict[str, str] | None = None) -> None:
    """Load through UNO, optionally type values into cells ("Sheet!B2" -> text), recalculate every
    formula (cached results are ignored), and save as .xlsx to `out`.

    Needs the system Python with the `uno` module (Debian package python3-uno).
    """
    python = os.environ.get("SALESXL_UNO_PYTHON", "/usr/bin/python3")
    args = [python, str(_UNO_SCRIPT), str(path.resolve()), str(out.resolve())]
    for ref, value in (set_cells or {}).items():
        args += ["--set", f"{ref}={value}"]
    with tempfile.TemporaryDirectory(prefix="sxl_uno_") as work:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env["SALESXL_LO_PROFILE"] = (Path(work) / "profile").as_uri()
        env["SALESXL_SOFFICE"] = soffice() or "soffice"
        subprocess.run(args, check=True, capture_output=True, timeout=timeout, env=env, cwd=work)
