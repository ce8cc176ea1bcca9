"""Pictures drawn once: a rendered PNG kept under a key of everything it shows, reused while that stays the same.

Drawing a route map costs about half a second; recalculating a workbook whose
plan did not change draws the same maps again. A map is a pure function of its
inputs (same inputs, same bytes), so it is kept by `core.cache` and the sheet is
byte-identical either way.
"""

from __future__ import annotations

from typing import Callable

from salesxl.core import cache
from salesxl.core.cache import key_of

KEEP = 400  # pictures kept; the oldest go first
PNG = b"\x89PNG\r\n\x1a\n"

__all__ = ["key_of", "png"]


def png(key: str, draw: Callable[[], bytes]) -> bytes:
    """The PNG kept under `key`, else `draw()` (then kept)."""
    return cache.kept("pictures", key, draw, lambda data: data.startswith(PNG), KEEP)
