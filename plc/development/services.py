"""The development record: a person's activities and hours, per school year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.development.goals import leads, organisations_of, teachers_of
from plc.development.models import RecordEntry, RecordSharing
from plc.extensions import db
from plc.organisations.models import Organisation


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


# -- sharing the record -------------------------------------------------------------------------


def record_shared_since(user: User) -> datetime | None:
    """Since when the person shares their record with their schools' leaders; None: not shared."""
    return db.session.scalar(
        sa.select(RecordSharing.shared_at).where(RecordSharing.user_id == user.id)
    )


def share_record(user: User) -> None:
    """The leaders and HR advisors of the person's schools (and boards) may read the record."""
    sharing = db.session.get(RecordSharing, user.id)
    if sharing is None:
        db.session.add(RecordSharing(user_id=user.id, shared_at=utcnow()))
    elif sharing.shared_at is None:
        sharing.shared_at = utcnow()
    db.session.flush()


def withdraw_record(user: User) -> None:
    """No longer shared: gone from every leader's view at once."""
    sharing = db.session.get(RecordSharing, user.id)
    if sharing is not None:
        sharing.shared_at = None
        db.session.flush()


def sharing_teachers(organisation: Organisation, viewer: User) -> list[User]:
    """The organisation's teachers (a board: its schools' teachers) who share their record;
    for the organisation's leaders and HR advisors only."""
    if not leads(viewer, organisation):
        raise ServiceError(_l("Only the school's leaders and HR advisors see shared records."))
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RecordSharing, RecordSharing.user_id == User.id)
            .where(
                RecordSharing.shared_at.is_not(None),
                User.id.in_(teachers_of(organisation)),
                User.deleted_at.is_(None),
            )
            .order_by(User.display_name)
        )
    )


def shared_record_of(teacher: User, viewer: User) -> list[SchoolYear]:
    """A teacher's record as a leader of one of their schools reads it, only while shared."""
    shared = record_shared_since(teacher) is not None
    if not shared or not any(
        leads(viewer, organisation) for organisation in organisations_of(teacher)
    ):
        raise ServiceError(_l("This record is not shared with you."))
    return record_of(teacher)
