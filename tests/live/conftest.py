"""Builders for live-session tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from tests.support.live_sessions import add_live_session


@pytest.fixture
def create_session(create_community) -> Callable[..., Any]:
    """A scheduled session starting in `starts_in` (default: now, so its room is open)."""

    def build(community: Any = None, starts_in: timedelta = timedelta(0), **fields: Any) -> Any:
        return add_live_session(community or create_community(), starts_in, **fields)

    return build
