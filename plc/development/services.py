"""The development record (*professionaliseringsoverzicht*): a person's activities and hours,
per school year.

The platform adds attended live sessions and completed offerings (see `plc.live.services` and
`plc.catalogue.services`); the teacher adds what they did elsewhere (a course, a conference),
with an optional evidence file, and may change or delete only those. Published knowledge outputs
the person is an author of are listed with the record, without hours: the platform knows when
an output was published, not how long writing it took.

The record is the teacher's own. Their schools' (and boards') leaders and HR advisors read it
only while the teacher shares it; evidence files follow the same rule.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from plc.auth.models import User
from plc.catalogue.models import Offering
from plc.communities.models import Community
from plc.core.db import on_commit
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.core.storage import get_storage
from plc.development.goals import leads, organisations_of, teachers_of
from plc.development.models import RecordEntry, RecordSharing, RecordSource, school_year
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputAuthor, OutputStatus
from plc.live.models import LiveSession
from plc.live.services import to_local
from plc.organisations.models import Organisation
from plc.resources.services import store_upload
from plc.resources.uploads import (
    InspectedFile,
    clean_filename,
    extension_of,
    file_size_label,
    inspect_file,
)

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_PROVIDER = 200
MAX_DESCRIPTION = 2000
#: The most one entry may hold, contact and self-study each: more is a typing error.
MAX_MINUTES = 1000 * 60
#: Dates before this are a typing error too ("1026" for "2026").
EARLIEST_DATE = date(1950, 1, 1)
#: Evidence is a certificate or a scan: a few megabytes at most.
MAX_EVIDENCE_SIZE = 10 * 1024 * 1024
#: A certificate comes as a PDF or as a photo or scan.
EVIDENCE_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png", "gif", "webp"})
#: The same person adding the same activity again within this time is a repeated submission.
REPLAY_WINDOW = timedelta(minutes=10)

_CLOCK = re.compile(r"(\d{1,4}):([0-5]\d)")
_DECIMAL = re.compile(r"\d{0,4}(?:[.,]\d*)?")
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")


# -- reading the record -------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributedOutput:
    """A published knowledge output the person is an author of."""

    title: str
    slug: str | None
    community: str
    published_on: date


@dataclass
class SchoolYear:
    """One school year of the record, with its totals in minutes."""

    name: str
    entries: list[RecordEntry] = field(default_factory=list)
    outputs: list[ContributedOutput] = field(default_factory=list)
    #: Where the platform's entries took place (a session's community, an offering's
    #: provider), by entry id; the teacher's own entries name their provider themselves.
    origins: dict[int, str] = field(default_factory=dict)

    @property
    def contact_minutes(self) -> int:
        return sum(entry.contact_minutes for entry in self.entries)

    @property
    def self_study_minutes(self) -> int:
        return sum(entry.self_study_minutes for entry in self.entries)

    @property
    def total_minutes(self) -> int:
        return self.contact_minutes + self.self_study_minutes

    def provider(self, entry: RecordEntry) -> str:
        return entry.provider or self.origins.get(entry.id, "")


@dataclass(frozen=True)
class Totals:
    """The whole record's hours, in minutes."""

    contact_minutes: int
    self_study_minutes: int

    @property
    def total_minutes(self) -> int:
        return self.contact_minutes + self.self_study_minutes


def is_school_year(name: str) -> bool:
    """ "2026-2027" is; "2026-2028" and "2026" are not."""
    match = _SCHOOL_YEAR.fullmatch(name)
    return match is not None and int(match[2]) == int(match[1]) + 1


def _origins(entries: list[RecordEntry]) -> dict[int, str]:
    """Community of each live session, provider of each offering: two statements at most."""
    by_source: dict[RecordSource, dict[int, int]] = {}
    for entry in entries:
        if entry.source != RecordSource.MANUAL and entry.source_id is not None:
            by_source.setdefault(entry.source, {})[entry.source_id] = entry.id
    queries = {
        RecordSource.LIVE_SESSION: sa.select(LiveSession.id, Community.name).join(
            Community, Community.id == LiveSession.community_id
        ),
        RecordSource.OFFERING: sa.select(Offering.id, Organisation.name).join(
            Organisation, Organisation.id == Offering.provider_id
        ),
    }
    origins: dict[int, str] = {}
    for source, entry_ids in by_source.items():
        model = LiveSession if source == RecordSource.LIVE_SESSION else Offering
        rows = db.session.execute(queries[source].where(model.id.in_(entry_ids)))
        origins.update({entry_ids[source_id]: name for source_id, name in rows})
    return origins


def contributed_outputs(user: User) -> list[ContributedOutput]:
    """Published knowledge outputs the person is an author of, newest publication first."""
    rows = db.session.execute(
        sa.select(
            KnowledgeOutput.title,
            KnowledgeOutput.slug,
            KnowledgeOutput.published_at,
            Community.name,
        )
        .join(OutputAuthor, OutputAuthor.output_id == KnowledgeOutput.id)
        .join(Community, Community.id == KnowledgeOutput.community_id)
        .where(
            OutputAuthor.user_id == user.id,
            KnowledgeOutput.status == OutputStatus.PUBLISHED,
            KnowledgeOutput.published_at.is_not(None),
        )
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
    )
    return [
        ContributedOutput(title, slug, community, to_local(published_at).date())
        for title, slug, published_at, community in rows
    ]


def record_of(user: User, year: str | None = None) -> list[SchoolYear]:
    """The person's record (or one school year of it), newest school year first, newest
    activity first within it; in four statements, however long the record is."""
    query = sa.select(RecordEntry).where(RecordEntry.user_id == user.id)
    if year is not None:
        query = query.where(RecordEntry.school_year == year)
    entries = list(
        db.session.scalars(query.order_by(RecordEntry.activity_date.desc(), RecordEntry.id.desc()))
    )
    years: dict[str, SchoolYear] = {}
    for entry in entries:
        years.setdefault(entry.school_year, SchoolYear(entry.school_year)).entries.append(entry)
    for output in contributed_outputs(user):
        name = school_year(output.published_on)
        if year is None or name == year:
            years.setdefault(name, SchoolYear(name)).outputs.append(output)
    origins = _origins(entries)
    for each in years.values():
        each.origins = origins
    return sorted(years.values(), key=lambda each: each.name, reverse=True)


def totals(years: list[SchoolYear]) -> Totals:
    return Totals(
        contact_minutes=sum(year.contact_minutes for year in years),
        self_study_minutes=sum(year.self_study_minutes for year in years),
    )


# -- hours as people type them ------------------------------------------------------------------


def parse_hours(text: str) -> int:
    """Minutes from hours as typed: "1:30" (hours:minutes) or "1,5" / "1.5" (hours); empty is
    0. Raises ServiceError (without a field: the caller knows which one it read)."""
    text = "".join(text.split())
    if not text:
        return 0
    if text.startswith("-"):
        raise ServiceError(_l("Hours cannot be negative."))
    clock = _CLOCK.fullmatch(text)
    if clock:
        minutes = int(clock[1]) * 60 + int(clock[2])
    elif _DECIMAL.fullmatch(text) and any(ch.isdigit() for ch in text):
        try:
            hours = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise ServiceError(_l("Enter the hours as 1:30 or as 1,5.")) from None
        minutes = int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        raise ServiceError(_l("Enter the hours as 1:30 or as 1,5."))
    if minutes > MAX_MINUTES:
        raise _too_long()
    return minutes


def _too_long(field: str | None = None) -> ServiceError:
    return ServiceError(_l("At most %(hours)d hours per activity.", hours=MAX_MINUTES // 60), field)


def hours_text(minutes: int) -> str:
    """90 → "1:30": how the record shows hours, and how the form shows them again."""
    return f"{minutes // 60}:{minutes % 60:02d}"


# -- the teacher's own entries ------------------------------------------------------------------


@dataclass
class EntryFields:
    """What a teacher fills in for an activity of their own."""

    title: str
    activity_date: date | None
    provider: str = ""
    description: str = ""
    contact_minutes: int = 0
    self_study_minutes: int = 0


@dataclass
class Evidence:
    """An uploaded evidence file, as the request holds it."""

    stream: IO[bytes]
    filename: str


def amsterdam_today() -> date:
    return to_local(utcnow()).date()


def _check_minutes(minutes: int, name: str) -> None:
    if minutes < 0:
        raise ServiceError(_l("Hours cannot be negative."), name)
    if minutes > MAX_MINUTES:
        raise _too_long(name)


def _check_entry(fields: EntryFields) -> None:
    """Cleans the texts in place; raises ServiceError naming the first field that is wrong."""
    fields.title = " ".join(fields.title.split())
    fields.provider = " ".join(fields.provider.split())
    fields.description = fields.description.strip()
    if not fields.title:
        raise ServiceError(_l("Enter what the activity was."), "title")
    if len(fields.title) > MAX_TITLE:
        raise ServiceError(
            _l("The title can be at most %(num)d characters.", num=MAX_TITLE), "title"
        )
    if fields.activity_date is None:
        raise ServiceError(_l("Enter the date of the activity."), "activity_date")
    if fields.activity_date > amsterdam_today():
        # The record holds what took place, as the platform's own entries do.
        raise ServiceError(
            _l("This date is in the future. Add an activity once it has taken place."),
            "activity_date",
        )
    if fields.activity_date < EARLIEST_DATE:
        raise ServiceError(_l("Check the year of this date."), "activity_date")
    if len(fields.provider) > MAX_PROVIDER:
        raise ServiceError(
            _l("The provider can be at most %(num)d characters.", num=MAX_PROVIDER), "provider"
        )
    if len(fields.description) > MAX_DESCRIPTION:
        raise ServiceError(
            _l("The description can be at most %(num)d characters.", num=MAX_DESCRIPTION),
            "description",
        )
    _check_minutes(fields.contact_minutes, "contact_hours")
    _check_minutes(fields.self_study_minutes, "self_study_hours")
    if fields.contact_minutes + fields.self_study_minutes == 0:
        raise ServiceError(
            _l("Enter how long it took: contact hours, self-study hours or both."),
            "contact_hours",
        )


def evidence_limit() -> int:
    """The smaller of the evidence limit and the request limit (which answers 413 first)."""
    request_limit = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_EVIDENCE_SIZE
    return min(MAX_EVIDENCE_SIZE, int(request_limit))


def _inspect_evidence(evidence: Evidence) -> InspectedFile:
    """Checked by content like every upload, and it must be a PDF or an image."""
    if extension_of(clean_filename(evidence.filename)) not in EVIDENCE_EXTENSIONS:
        raise ServiceError(
            _l("Evidence can be a PDF or an image (JPEG, PNG, GIF or WebP)."), "evidence"
        )
    limit = evidence_limit()
    evidence.stream.seek(0, io.SEEK_END)
    too_large = evidence.stream.tell() > limit
    evidence.stream.seek(0)
    if too_large:
        raise ServiceError(
            _l("The file is too large: at most %(size)s.", size=file_size_label(limit)),
            "evidence",
        )
    try:
        return inspect_file(evidence.stream, evidence.filename, limit)
    except ServiceError as error:
        raise ServiceError(error.message, "evidence") from None


def _store_evidence(entry: RecordEntry, evidence: Evidence, inspected: InspectedFile) -> None:
    """Stored last, after every check: a refused form leaves no file behind, and a transaction
    that does not commit deletes it again (see `store_upload`)."""
    try:
        key = store_upload(evidence.stream)
    except ServiceError as error:
        raise ServiceError(error.message, "evidence") from None
    _forget_evidence(entry)
    entry.evidence_key = key
    entry.evidence_filename = inspected.filename
    entry.evidence_content_type = inspected.content_type
    entry.evidence_size = inspected.size


def _forget_evidence(entry: RecordEntry) -> None:
    """The entry no longer points at its file; the file goes once the change is committed."""
    key = entry.evidence_key
    if key is None:
        return
    entry.evidence_key = entry.evidence_filename = entry.evidence_content_type = None
    entry.evidence_size = None
    on_commit(db.session(), lambda: _delete_file(key))


def _delete_file(key: str) -> None:
    try:
        get_storage().delete(key)
    except OSError:  # pragma: no cover - logged; an orphan file is harmless
        log.exception("could not delete the evidence file %s", key)


def _apply(entry: RecordEntry, fields: EntryFields) -> None:
    assert fields.activity_date is not None
    entry.title = fields.title
    entry.activity_date = fields.activity_date
    entry.school_year = school_year(fields.activity_date)
    entry.provider = fields.provider
    entry.description = fields.description
    entry.contact_minutes = fields.contact_minutes
    entry.self_study_minutes = fields.self_study_minutes


def _replayed(user: User, fields: EntryFields, evidence: Evidence | None) -> RecordEntry | None:
    """The same activity with the same hours and text, just added by the same person: a repeated
    submission (a double click, a reload that posts again). Not when this one brings an evidence
    file the earlier one lacks: that would be lost."""
    return db.session.scalar(
        sa.select(RecordEntry)
        .where(
            RecordEntry.user_id == user.id,
            RecordEntry.source == RecordSource.MANUAL,
            RecordEntry.title == fields.title,
            RecordEntry.activity_date == fields.activity_date,
            RecordEntry.provider == fields.provider.strip(),
            RecordEntry.description == fields.description.strip(),
            sa.true() if evidence is None else RecordEntry.evidence_key.is_not(None),
            RecordEntry.contact_minutes == fields.contact_minutes,
            RecordEntry.self_study_minutes == fields.self_study_minutes,
            RecordEntry.created_at > utcnow() - REPLAY_WINDOW,
        )
        .order_by(RecordEntry.id.desc())
        .limit(1)
    )


def add_entry(user: User, fields: EntryFields, evidence: Evidence | None = None) -> RecordEntry:
    """An activity of the teacher's own. A repeated submission returns the first."""
    _check_entry(fields)
    inspected = _inspect_evidence(evidence) if evidence is not None else None
    same = _replayed(user, fields, evidence)
    if same is not None:
        return same
    entry = RecordEntry(user_id=user.id, source=RecordSource.MANUAL)
    _apply(entry, fields)
    if evidence is not None and inspected is not None:
        _store_evidence(entry, evidence, inspected)
    db.session.add(entry)
    db.session.flush()
    return entry


def _require_own_manual(entry: RecordEntry, user: User) -> None:
    if entry.user_id != user.id or entry.source != RecordSource.MANUAL:
        raise ServiceError(_l("Only activities you added yourself can be changed."))


def update_entry(
    entry: RecordEntry,
    user: User,
    fields: EntryFields,
    evidence: Evidence | None = None,
    *,
    remove_evidence: bool = False,
) -> None:
    """Change an activity of the teacher's own; a new evidence file replaces the old one."""
    _require_own_manual(entry, user)
    _check_entry(fields)
    inspected = _inspect_evidence(evidence) if evidence is not None else None
    _apply(entry, fields)
    if evidence is not None and inspected is not None:
        _store_evidence(entry, evidence, inspected)
    elif remove_evidence:
        _forget_evidence(entry)
    db.session.flush()


def delete_entry(entry: RecordEntry, user: User) -> None:
    """Delete an activity of the teacher's own, and its evidence file once that is committed."""
    _require_own_manual(entry, user)
    _forget_evidence(entry)
    db.session.delete(entry)
    db.session.flush()


def own_manual_entry(user: User, entry_id: int) -> RecordEntry | None:
    """One of the teacher's own activities; None for anyone else's, or for the platform's."""
    return db.session.scalar(
        sa.select(RecordEntry).where(
            RecordEntry.id == entry_id,
            RecordEntry.user_id == user.id,
            RecordEntry.source == RecordSource.MANUAL,
        )
    )


def evidence_entry(entry_id: int, viewer: User) -> RecordEntry | None:
    """An entry with evidence that the viewer may download: their own, or a teacher's who
    shares their record with the viewer. None otherwise, as if it did not exist."""
    entry = db.session.scalar(
        sa.select(RecordEntry).where(
            RecordEntry.id == entry_id, RecordEntry.evidence_key.is_not(None)
        )
    )
    if entry is None:
        return None
    if entry.user_id == viewer.id:
        return entry
    teacher = db.session.get(User, entry.user_id)
    return entry if teacher is not None and is_shared_with(teacher, viewer) else None


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
        try:
            with db.session.begin_nested():  # two clicks at once: the second finds the row
                db.session.add(RecordSharing(user_id=user.id, shared_at=utcnow()))
        except sa.exc.IntegrityError:
            sharing = db.session.get(RecordSharing, user.id, populate_existing=True)
    if sharing is not None and sharing.shared_at is None:
        sharing.shared_at = utcnow()
    db.session.flush()


def withdraw_record(user: User) -> None:
    """No longer shared: gone from every leader's view at once."""
    sharing = db.session.get(RecordSharing, user.id)
    if sharing is not None:
        sharing.shared_at = None
        db.session.flush()


def is_shared_with(teacher: User, viewer: User) -> bool:
    """The teacher shares their record, and the viewer leads one of the teacher's schools (or
    its board)."""
    if teacher.deleted_at is not None or record_shared_since(teacher) is None:
        return False
    return any(leads(viewer, organisation) for organisation in organisations_of(teacher))


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


def shared_record_of(teacher: User, viewer: User, year: str | None = None) -> list[SchoolYear]:
    """A teacher's record as a leader of one of their schools reads it, only while shared."""
    if not is_shared_with(teacher, viewer):
        raise ServiceError(_l("This record is not shared with you."))
    return record_of(teacher, year)
