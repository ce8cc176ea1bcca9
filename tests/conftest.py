"""Test-wide settings: property tests judge results, never wall-clock time on a shared machine."""

import os
import tempfile

from hypothesis import HealthCheck, settings

settings.register_profile("salesxl", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("salesxl")

# Rendered pictures are cached per user (salesxl/reports/picture_cache.py): a test session keeps its own.
os.environ.setdefault("SALESXL_CACHE_DIR", tempfile.mkdtemp(prefix="salesxl-test-cache-"))
