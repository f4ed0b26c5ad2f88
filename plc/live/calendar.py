"""iCalendar (RFC 5545) for sessions: one session, a community, a person's feed.

Events carry Amsterdam local times with a VTIMEZONE (so calendar programs show the right hour on
both sides of a daylight-saving change), a stable UID, SEQUENCE raised at every change and
STATUS:CANCELLED for cancellations, which calendar programs apply to the event they already have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event

from plc.core.models import utcnow
from plc.core.urls import external_url
from plc.live.models import LiveSession, SessionMode
from plc.live.services import AMSTERDAM

PRODID = "-//Leernetwerk Amsterdam//Live sessions//NL"


def build_calendar(sessions: Iterable[LiveSession], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = utcnow()
    for session in sessions:
        calendar.add_component(_event(session, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(session: LiveSession, stamp: datetime) -> Event:
    url = external_url("live.detail", slug=session.community.slug, session_id=session.id)
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(AMSTERDAM))
    event.add("dtend", session.ends_at.astimezone(AMSTERDAM))
    event.add("summary", session.title)
    event.add("description", _description(session, url))
    event.add("url", url)
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at)
    event.add("created", session.created_at)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("categories", [session.community.name])
    location = _location(session)
    if location:
        event.add("location", location)
    return event


def _location(session: LiveSession) -> str:
    if session.mode == SessionMode.ONLINE:
        return session.video_url
    if session.mode == SessionMode.HYBRID and session.video_url:
        return f"{session.location} / {session.video_url}"
    return session.location


def _description(session: LiveSession, url: str) -> str:
    parts = [session.agenda.strip()] if session.agenda.strip() else []
    if session.is_cancelled and session.cancel_message:
        parts.insert(0, _("Cancelled: %(message)s", message=session.cancel_message))
    if session.video_url:
        parts.append(_("Video call: %(url)s", url=session.video_url))
    parts.append(_("Live room and details: %(url)s", url=url))
    return "\n\n".join(parts)
