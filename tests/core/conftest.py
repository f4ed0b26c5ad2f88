"""Shared by the page-cache tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask


@pytest.fixture
def empty_page_stores(app: Flask) -> Iterator[None]:
    """Kept pages and kept values from earlier tests gone, before and after."""
    stores = [app.extensions[name] for name in ("plc_page_cache", "plc_kept_values")]
    for store in stores:
        store.clear()
    yield
    for store in stores:
        store.clear()
