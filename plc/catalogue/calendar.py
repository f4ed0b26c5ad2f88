"""iCalendar (RFC 5545) of an offering: one event per meeting, in Amsterdam time with a VTIMEZONE,
as plc/live/calendar.py does for sessions.

The meetings are rewritten on every change of the offering (new rows, new ids), so an event's UID
is the offering and the meeting's place in the order, not the row: a calendar program that
imported the file before updates the same events (SEQUENCE is the offering's) instead of adding
copies. A cancelled offering marks every event STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event

from plc.catalogue.models import Offering, OfferingMeeting, OfferingStatus
from plc.core.models import utcnow
from plc.core.urls import external_url
from plc.live.services import AMSTERDAM

PRODID = "-//Leernetwerk Amsterdam//Offerings//NL"


def meeting_uid(offering: Offering, number: int) -> str:
    return f"offering-{offering.id}-{number}@leernetwerk.amsterdam"


def build_calendar(offering: Offering) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", offering.title)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    stamp = utcnow()
    url = external_url("catalogue.offering", slug=offering.slug)
    count = len(offering.meetings)
    for number, meeting in enumerate(offering.meetings, start=1):
        calendar.add_component(_event(offering, meeting, number, count, url, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(
    offering: Offering,
    meeting: OfferingMeeting,
    number: int,
    count: int,
    url: str,
    stamp: datetime,
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(offering, number))
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(AMSTERDAM))
    event.add("dtend", meeting.ends_at.astimezone(AMSTERDAM))
    title = offering.title if count == 1 else f"{offering.title} ({number}/{count})"
    event.add("summary", title)
    event.add("description", _description(offering, url))
    event.add("url", url)
    event.add("sequence", offering.sequence)
    event.add("last-modified", offering.updated_at)
    event.add("created", offering.created_at)
    cancelled = offering.status == OfferingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("categories", [offering.provider.name])
    location = meeting.location or offering.location or (_("Online") if offering.online else "")
    if location:
        event.add("location", location)
    return event


def _description(offering: Offering, url: str) -> str:
    parts = [offering.summary.strip()] if offering.summary.strip() else []
    if offering.status == OfferingStatus.CANCELLED:
        parts.insert(0, _("This offering is cancelled."))
    parts.append(_("Details: %(url)s", url=url))
    return "\n\n".join(parts)
