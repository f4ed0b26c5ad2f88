"""The lists of upcoming sessions (the start page, a community's page): every session that has
not ended, soonest first, read from the index of starts near now rather than by walking every
past session."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plc.communities.models import Visibility
from plc.core.models import utcnow
from plc.extensions import db
from plc.live import services
from plc.live.models import Audience
from tests.support.plans import city_plan, statements_of


def test_a_session_going_on_for_almost_the_longest_allowed_is_still_upcoming(
    create_session, create_community, create_user
):
    community = create_community(owner=create_user(), visibility=Visibility.PUBLIC)
    longest = services.MAX_DURATION
    started = utcnow().replace(microsecond=0) - longest + timedelta(minutes=5)
    create_session(
        community,
        starts_in=started - utcnow().replace(microsecond=0),
        ends_at=started + longest,
        title="Studiedag",
        audience=Audience.EVERYONE,
    )
    create_session(community, starts_in=-timedelta(hours=3), title="Voorbij")
    create_session(
        community, starts_in=timedelta(days=1), title="Morgen", audience=Audience.EVERYONE
    )

    upcoming = services.community_sessions(community, upcoming=True)
    assert [s.title for s in upcoming] == ["Studiedag", "Morgen"]
    assert [s.title for s in services.upcoming_sessions_for(create_user())] == [
        "Studiedag",
        "Morgen",
    ]


def test_the_start_pages_list_begins_near_now_on_the_index_of_starts(create_user, tmp_path):
    """Planned for a city's 20,000 sessions: a range of the index of starts from near now, not
    a walk along it from the first session ever held."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plans name the range they read; PostgreSQL's depend on rows")
    viewer = create_user()
    (statement, parameters), *_ = statements_of(
        lambda: services.upcoming_sessions_for(viewer), containing="live_session"
    )
    plan = city_plan(statement, parameters, tmp_path)
    sessions = [step for step in plan if "live_session" in step]
    assert any("ix_live_session_starts_at (starts_at>?)" in step for step in sessions), plan
