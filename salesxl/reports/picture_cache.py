"""Pictures drawn once: a rendered PNG kept under a key of everything it shows, reused while that stays the same.

Drawing a route map costs about half a second; recalculating a workbook whose
plan did not change draws the same maps again. A map is a pure function of its
inputs (same inputs, same bytes), so the bytes are kept in a small folder of the
user's cache under a SHA-256 of those inputs and the drawing code's version, and
taken from there next time: the sheet is byte-identical either way. The folder
is `SALESXL_CACHE_DIR`, else the platform's user cache; a cache that cannot be
read or written only means drawing again.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

KEEP = 400  # pictures kept; the oldest go first
PNG = b"\x89PNG\r\n\x1a\n"


def folder() -> Path:
    configured = os.environ.get("SALESXL_CACHE_DIR")
    if configured:
        return Path(configured) / "pictures"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "salesxl" / "pictures"


def key_of(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def png(key: str, draw: Callable[[], bytes]) -> bytes:
    """The PNG kept under `key`, else `draw()` (then kept)."""
    path = folder() / f"{key}.png"
    try:
        data = path.read_bytes()
        if data.startswith(PNG):
            return data
    except OSError:
        pass
    data = draw()
    _keep(path, data)
    return data


def _keep(path: Path, data: bytes) -> None:
    """Write atomically (batch processes share the folder), then drop the oldest beyond KEEP."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        kept = sorted(path.parent.glob("*.png"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
