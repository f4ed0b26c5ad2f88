"""Live sessions made directly in the database, for tests of the features that use them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import Audience, LiveSession, SessionMode


def add_live_session(community: Any, starts_in: timedelta, **fields: Any) -> LiveSession:
    """A scheduled, hour-long online session of `community` for its members, starting
    `starts_in` from now (whole seconds); `fields` set any column. Committed."""
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
