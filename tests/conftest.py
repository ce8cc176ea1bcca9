"""Test-wide settings: property tests judge results, never wall-clock time on a shared machine.

Two tiers: `pytest -m "not slow"` runs in a few minutes; the full run adds the tests marked `slow` (the 11 MB
demo workbook, the demo office end to end, subprocesses, a wheel install) and every `libreoffice` test.
"""

import datetime as _dt
import os
import tempfile
from pathlib import Path as _Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("salesxl", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("salesxl")

# Rendered pictures are cached per user (salesxl/reports/picture_cache.py): a test session keeps its own.
os.environ.setdefault("SALESXL_CACHE_DIR", tempfile.mkdtemp(prefix="salesxl-test-cache-"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A LibreOffice check is a slow check: starting soffice costs seconds."""
    for item in items:
        if item.get_closest_marker("libreoffice") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def recalculated_demo(tmp_path_factory) -> _Path:
    """A copy of the shipped demo with the complaints, market and meeting sheets written (once per run)."""
    from salesxl.files import recalc_file
    from tests.support import WORKBOOKS, copy_to

    path = copy_to(WORKBOOKS / "demo.xlsx", tmp_path_factory.mktemp("demo"))
    report = recalc_file(path, outputs=["complaints", "market", "reminders", "daily_report", "weekly_report"],
                         now=_dt.datetime(2026, 11, 2, 9, 0))
    assert report.ok, report.message
    return path
