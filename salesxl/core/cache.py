"""Results kept across runs under a key of everything they depend on, reused while that stays the same.

Some results are pure functions of their inputs and dear to make again (a route
map, a salesperson's day plan): the bytes are kept in a folder of the user's
cache under a SHA-256 of those inputs (and of the code that makes them), so the
result is byte-identical whether made or taken. The folder is
`SALESXL_CACHE_DIR`, else the platform's user cache; a cache that cannot be
read or written only means making the result again. Nothing executable is
kept: callers store plain bytes (PNG, JSON) and check what they read.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable


def folder(kind: str) -> Path:
    """Where results of one kind are kept."""
    configured = os.environ.get("SALESXL_CACHE_DIR")
    if configured:
        return Path(configured) / kind
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "salesxl" / kind


def key_of(*parts: str | bytes) -> str:
    """One key for a sequence of parts; the lengths go in too, so parts cannot run into each other."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def source_digest(*files: Path) -> str:
    """A key part for the code that makes a result: when the code changes, nothing made before is reused."""
    return key_of(*(Path(f).read_bytes() for f in sorted(files)))


def kept(kind: str, key: str, make: Callable[[], bytes], valid: Callable[[bytes], bool], keep: int) -> bytes:
    """The bytes kept under `key` when `valid` accepts them, else `make()` (then kept, `keep` at most)."""
    path = folder(kind) / key
    try:
        data = path.read_bytes()
        if valid(data):
            return data
    except OSError:
        pass
    data = make()
    _keep(path, data, keep)
    return data


def _keep(path: Path, data: bytes, keep: int) -> None:
    """Write atomically (batch processes share the folder), then drop the oldest beyond `keep`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        entries = sorted((p for p in path.parent.iterdir() if p.suffix != ".tmp"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-keep]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
