"""The development record: a person's activities and hours, per school year."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from plc.auth.models import User
from plc.development.models import RecordEntry
from plc.extensions import db


@dataclass
class SchoolYear:
    """One school year of the record, with its totals in minutes."""

    name: str
    entries: list[RecordEntry] = field(default_factory=list)

    @property
    def contact_minutes(self) -> int:
        return sum(entry.contact_minutes for entry in self.entries)

    @property
    def self_study_minutes(self) -> int:
        return sum(entry.self_study_minutes for entry in self.entries)


def record_of(user: User) -> list[SchoolYear]:
    """The person's record, newest school year first, newest activity first within it."""
    entries = db.session.scalars(
        sa.select(RecordEntry)
        .where(RecordEntry.user_id == user.id)
        .order_by(RecordEntry.activity_date.desc(), RecordEntry.id.desc())
    )
    years: dict[str, SchoolYear] = {}
    for entry in entries:
        years.setdefault(entry.school_year, SchoolYear(entry.school_year)).entries.append(entry)
    return sorted(years.values(), key=lambda year: year.name, reverse=True)
