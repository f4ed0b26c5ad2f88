"""Builders for live-session tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from plc.core.models import utcnow
from plc.extensions import db


@pytest.fixture
def create_session(create_community) -> Callable[..., Any]:
    """A scheduled session starting in `starts_in` (default: now, so its room is open)."""
    from plc.live.models import Audience, LiveSession, SessionMode

    def build(
        community: Any = None, starts_in: timedelta = timedelta(0), **fields: Any
    ) -> LiveSession:
        community = community or create_community()
        starts_at = utcnow().replace(microsecond=0) + starts_in
        values = {
            "uid": f"{uuid.uuid4()}@leernetwerk.amsterdam",
            "community_id": community.id,
            "title": "Intervisie formatief evalueren",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=1),
            "mode": SessionMode.ONLINE,
            "audience": Audience.MEMBERS,
            **fields,
        }
        session = LiveSession(**values)
        db.session.add(session)
        db.session.commit()
        return session

    return build
