"""The professional-development record (*professionaliseringsoverzicht*).

Each entry is one activity with its hours, split into contact time and self-study. Entries that
the platform makes (an attended live session, later a completed offering) carry their source, and
the unique constraint on (person, source, source id) makes crediting safe to repeat.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plc.core.models import CreatedAtMixin, str_enum
from plc.extensions import db


class RecordSource(StrEnum):
    LIVE_SESSION = "live_session"  #: attended minutes in a live session's room
    OFFERING = "offering"  #: a completed offering of the catalogue, with its hours
    MANUAL = "manual"  #: added by the teacher (a course elsewhere, say)


def school_year(day: date) -> str:
    """The Dutch school year a day falls in ("2026-2027"); it starts on 1 August."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


class RecordEntry(CreatedAtMixin, db.Model):
    """One activity in a person's development record."""

    __tablename__ = "pd_record_entry"
    __table_args__ = (sa.UniqueConstraint("user_id", "source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose record.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Where the entry comes from.
    source: Mapped[RecordSource] = mapped_column(str_enum(RecordSource, 20), nullable=False)
    #: The id of the source row (the live session, say); empty for manual entries.
    source_id: Mapped[int | None] = mapped_column()
    #: What the activity was.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: When it took place (Amsterdam date).
    activity_date: Mapped[date] = mapped_column(sa.Date, index=True, nullable=False)
    #: The school year it counts for ("2026-2027").
    school_year: Mapped[str] = mapped_column(sa.String(9), index=True, nullable=False)
    #: Contact time and self-study, in minutes.
    contact_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
    self_study_minutes: Mapped[int] = mapped_column(default=0, nullable=False)
