"""Your data: everything the platform holds about a person as one download, and deleting the
account, which removes the personal data and keeps contributions under "former member".

Both work from one table, `USER_LINKS`: every foreign key to `user_account.id` in the metadata,
with what a deletion does to the rows that point at the person and how the export shows them.
A test fails when the metadata has a foreign key that is not in it, so a new feature cannot be
forgotten by either. Personal rows that reach the person only through another table (a goal's
activities and reflections, a ballot's choices) are in `JOIN_PATHS`; mail and e-mail invitations
are found by address. Stored files are in `FILE_COLUMNS`.

Responses to anonymous surveys are neither exported nor linkable: their rows hold no user, and
their `respondent_key` (an HMAC of survey and user id) is replaced by a random value when the
account is deleted, because the user id stays (as the former member's row) and the key could
otherwise be computed again by anyone holding the app's secret.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from plc.auth.models import FORMER_MEMBER_NAME, User
from plc.auth.passwords import verify_password
from plc.core.db import on_commit
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.core.storage import CHUNK_SIZE, get_storage
from plc.extensions import db

USER_TABLE = "user_account"


class OnDelete(StrEnum):
    #: Personal data: the rows go.
    DELETE = "delete"
    #: A contribution to a community (or a record of something the person did for others): the
    #: row stays and names the "former member".
    KEEP = "keep"
    #: A role held for an organisation (contact person, sponsor): the reference is emptied so the
    #: organisation picks someone else.
    CLEAR = "clear"


class Export(StrEnum):
    #: Whole rows (less secrets): the person wrote them, or they are about the person.
    ROWS = "rows"
    #: Only the row's key and creation time: the person acted on someone else's row (decided a
    #: request, hid a post), whose content is that other person's.
    REFERENCE = "reference"


@dataclass(frozen=True)
class UserLink:
    """One foreign key to user_account.id, and what "your data" does with it."""

    table: str
    column: str
    on_delete: OnDelete
    export: Export = Export.ROWS


D, K, C = OnDelete.DELETE, OnDelete.KEEP, OnDelete.CLEAR
REF = Export.REFERENCE

#: Every foreign key to user_account.id. `tests/privacy/test_coverage.py` fails when the
#: metadata has one that is not here (or this names one that is gone).
USER_LINKS: dict[tuple[str, str], UserLink] = {
    (link.table, link.column): link
    for link in [
        # -- the account itself and what only serves the person: deleted ----------------------
        UserLink("login_session", "user_id", D),  # logged out everywhere
        UserLink("external_identity", "user_id", D),  # school logins
        UserLink("consent", "user_id", D),
        UserLink("calendar_feed", "user_id", D),
        UserLink("notification_settings", "user_id", D),
        UserLink("notification", "user_id", D),
        UserLink("subscription", "user_id", D),
        UserLink("knowledge_digest", "user_id", D),
        UserLink("theme_subscription", "user_id", D),  # personal ones; a school's stay
        # -- belonging, sign-ups and personal development: deleted -----------------------------
        UserLink("organisation_membership", "user_id", D),
        UserLink("community_member", "user_id", D),  # member counts are lowered first
        UserLink("community_invitation", "user_id", D),  # (and those to the address)
        UserLink("rsvp", "user_id", D),  # places are freed first, the waiting list moves up
        UserLink("enrolment", "user_id", D),  # likewise
        UserLink("question_support", "user_id", D),  # support counts are lowered first
        UserLink("live_attendance", "user_id", D),
        UserLink("live_raised_hand", "user_id", D),
        UserLink("live_room_removal", "user_id", D),
        UserLink("mention", "user_id", D),  # the "@name" in the post is rewritten too
        UserLink("survey_invitation", "user_id", D),
        UserLink("pop_goal", "user_id", D),  # with activities, reflections, themes (cascade)
        UserLink("pd_record_entry", "user_id", D),  # evidence files go after the commit
        UserLink("pd_record_sharing", "user_id", D),
        # -- contributions that communities and schools keep, under "former member" ------------
        UserLink("community", "created_by_id", K),
        UserLink("thread", "author_id", K),
        UserLink("post", "author_id", K),
        UserLink("resource", "created_by_id", K),
        UserLink("resource_version", "uploaded_by_id", K),  # the files stay with the resource
        UserLink("knowledge_output", "created_by_id", K),
        UserLink("output_author", "user_id", K),  # citations name a "former member"
        UserLink("output_version", "edited_by_id", K),
        UserLink("output_attachment", "uploaded_by_id", K),
        UserLink("output_review", "reviewer_id", K),
        UserLink("output_use", "recorded_by_id", K),  # a school's note on its use
        UserLink("session_series", "created_by_id", K),
        UserLink("live_session", "created_by_id", K),
        UserLink("chat_message", "user_id", K),
        UserLink("live_question", "user_id", K),
        UserLink("live_poll", "created_by_id", K),
        # Votes stay so that the totals shown with a session, question or post stay right; the
        # account they point at no longer says who it was.
        UserLink("live_question_vote", "user_id", K),
        UserLink("live_poll_ballot", "user_id", K),
        UserLink("reaction", "user_id", K),
        UserLink("report", "reporter_id", K),  # the community's moderation history
        UserLink("learning_question", "author_id", K),  # private ones are deleted
        UserLink("offering", "created_by_id", K),  # a provider's offering
        UserLink("school_goal", "created_by_id", K),  # a school's goal
        UserLink("pilot", "proposed_by_id", K),
        UserLink("pilot_event", "actor_id", K),
        UserLink("survey", "created_by_id", K),
        UserLink("survey_template", "created_by_id", K),
        # -- what the person did to other people's rows: kept, exported as references ---------
        UserLink("organisation_membership", "decided_by_id", K, REF),
        UserLink("community_owner", "invited_by_id", K, REF),
        UserLink("community_owner", "decided_by_id", K, REF),
        UserLink("community_invitation", "invited_by_id", K, REF),
        UserLink("enrolment", "decided_by_id", K, REF),
        UserLink("post", "deleted_by_id", K, REF),
        UserLink("post", "hidden_by_id", K, REF),
        UserLink("post_revision", "editor_id", K, REF),  # own posts' revisions: JOIN_PATHS
        UserLink("report", "decided_by_id", K, REF),
        UserLink("notification", "actor_id", K, REF),  # other people's notifications
        UserLink("live_room_removal", "removed_by_id", K, REF),
        UserLink("knowledge_output", "withdrawn_by_id", K, REF),
        UserLink("output_version", "submitted_by_id", K, REF),
        UserLink("output_version", "approved_by_id", K, REF),
        UserLink("theme_subscription", "created_by_id", K, REF),  # a school's subscription
        # -- roles held for an organisation: emptied --------------------------------------------
        UserLink("community_owner", "contact_id", C, REF),
        UserLink("pilot_organisation", "contact_id", C, REF),
        UserLink("pilot_organisation", "sponsor_id", C, REF),
        # A named survey's response: exported; on deletion detached and re-keyed (see the
        # module note). Anonymous responses have no user and are never exported.
        UserLink("survey_response", "user_id", C),
    ]
}

#: Tables whose rows are the person's only through a parent row of theirs (child → parent).
#: The export follows the child's foreign key to a parent row the person owns; a deletion
#: reaches them through the database's ON DELETE CASCADE of that key.
JOIN_PATHS: dict[str, str] = {
    "pop_goal_activity": "pop_goal",
    "pop_reflection": "pop_goal",
    "pop_goal_theme": "pop_goal",
    "live_poll_choice": "live_poll_ballot",
    "post_revision": "post",  # earlier texts of the person's own posts
    "survey_answer": "survey_response",  # named surveys only (anonymous ones have no user)
    "survey_answer_option": "survey_response",
}

#: Never in an export: password and key hashes, secrets in links, the survey respondent key.
SECRET_COLUMNS = frozenset(
    {
        ("user_account", "password_hash"),
        ("login_session", "key_hash"),
        ("calendar_feed", "token"),
        ("community_invitation", "token_hash"),
        ("survey_response", "respondent_key"),
        # Mail bodies carry live links (a password reset, an invitation to a community) that let
        # whoever holds them act as the person; subject, time and state are exported.
        ("outbox_message", "body_text"),
        ("outbox_message", "body_html"),
    }
)


@dataclass(frozen=True)
class FileColumn:
    """A column holding a key in the upload storage, with the row's file name and owner."""

    table: str
    key: str
    filename: str
    owner: str
    folder: str


#: Every storage key column. A test fails on a `*_key` column that is neither here nor in
#: `tests/privacy/test_coverage.py`'s list of keys that are not files.
FILE_COLUMNS = (
    FileColumn("resource_version", "storage_key", "filename", "uploaded_by_id", "resources"),
    FileColumn("output_attachment", "storage_key", "filename", "uploaded_by_id", "outputs"),
    FileColumn("pd_record_entry", "evidence_key", "evidence_filename", "user_id", "record"),
)


def table(name: str) -> sa.Table:
    return db.metadata.tables[name]


# -- reading a person's rows ---------------------------------------------------------------------


def _readable(value: Any) -> Any:
    """A value as JSON shows it to a person: ISO dates, enum values, lists and objects as such."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return None
    if isinstance(value, list | tuple):
        return [_readable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _readable(item) for key, item in value.items()}
    return value


def _exported_columns(t: sa.Table) -> list[sa.Column[Any]]:
    return [column for column in t.columns if (t.name, column.name) not in SECRET_COLUMNS]


def _owned(t: sa.Table, user_id: int) -> sa.ColumnElement[bool]:
    """Rows of `t` that are the person's: any of its whole-row links points at them."""
    columns = [
        link.column
        for link in USER_LINKS.values()
        if link.table == t.name and link.export == Export.ROWS
    ]
    return sa.or_(sa.false(), *(t.c[column] == user_id for column in columns))


def _through_parent(child: sa.Table, parent: sa.Table, user_id: int) -> sa.ColumnElement[bool]:
    (key,) = [fk for fk in child.foreign_key_constraints if fk.referred_table is parent]
    joined = sa.and_(*(element.parent == element.column for element in key.elements))
    return sa.exists().where(joined, _owned(parent, user_id))


def _rows(t: sa.Table, condition: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    query = sa.select(*_exported_columns(t)).where(condition)
    query = query.order_by(*t.primary_key.columns)
    return [
        {key: _readable(value) for key, value in row._mapping.items()}
        for row in db.session.execute(query)
    ]


def _row_key(t: sa.Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[column.name] for column in t.primary_key.columns)


def _add_rows(
    into: dict[str, dict[tuple[Any, ...], dict[str, Any]]], t: sa.Table, rows: list[dict[str, Any]]
) -> None:
    # A row can match twice (created and subscribed by the same person): once in the export.
    for row in rows:
        into.setdefault(t.name, {}).setdefault(_row_key(t, row), row)


def personal_rows(user: User) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the person or that they wrote, by table name."""
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    users = table(USER_TABLE)
    _add_rows(found, users, _rows(users, users.c.id == user.id))
    for link in USER_LINKS.values():
        if link.export == Export.ROWS:
            t = table(link.table)
            _add_rows(found, t, _rows(t, t.c[link.column] == user.id))
    for child_name, parent_name in JOIN_PATHS.items():
        child = table(child_name)
        _add_rows(found, child, _rows(child, _through_parent(child, table(parent_name), user.id)))
    for t, condition in _found_by_address(user.email):
        _add_rows(found, t, _rows(t, condition))
    return {name: list(rows.values()) for name, rows in sorted(found.items())}


def _found_by_address(email: str) -> list[tuple[sa.Table, sa.ColumnElement[bool]]]:
    """Rows that name the person only by e-mail address: mail to them, invitations by address."""
    outbox, invitations = table("outbox_message"), table("community_invitation")
    return [(outbox, outbox.c.recipient == email), (invitations, invitations.c.email == email)]


def acted_on(user: User) -> dict[str, list[dict[str, Any]]]:
    """Other people's rows the person acted on: each row's key, its time, and in which role."""
    found: dict[str, list[dict[str, Any]]] = {}
    for link in USER_LINKS.values():
        if link.export != Export.REFERENCE:
            continue
        t = table(link.table)
        columns = [*t.primary_key.columns, *([t.c.created_at] if "created_at" in t.c else [])]
        query = (
            sa.select(*columns).where(t.c[link.column] == user.id).order_by(*t.primary_key.columns)
        )
        for row in db.session.execute(query):
            record = {key: _readable(value) for key, value in row._mapping.items()}
            found.setdefault(link.table, []).append({**record, "as": link.column})
    return dict(sorted(found.items()))


# -- the download ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    key: str
    path: str  #: where it goes in the archive
    table: str
    row_id: int
    filename: str


_UNSAFE_IN_NAME = re.compile(r"[^\w.\- ]+")


def _archive_name(folder: str, row_id: int, filename: str | None) -> str:
    name = _UNSAFE_IN_NAME.sub("_", filename or "").strip(" .") or "file"
    return f"files/{folder}/{row_id}-{name[:120]}"


def stored_files(user: User) -> list[StoredFile]:
    """The files the person uploaded, each once (revisions of an output share their files)."""
    files: dict[str, StoredFile] = {}
    for spec in FILE_COLUMNS:
        t = table(spec.table)
        query = (
            sa.select(t.c.id, t.c[spec.key], t.c[spec.filename])
            .where(t.c[spec.owner] == user.id, t.c[spec.key].is_not(None))
            .order_by(t.c.id)
        )
        for row_id, key, filename in db.session.execute(query):
            files.setdefault(
                key,
                StoredFile(
                    key,
                    _archive_name(spec.folder, row_id, filename),
                    spec.table,
                    row_id,
                    filename or "",
                ),
            )
    return list(files.values())


README = """Leernetwerk Amsterdam — je gegevens / your data

data.json  alles wat het platform over je bewaart, per tabel / everything the platform holds
           about you, by table ("tables": your rows; "acted_on": other people's rows you acted
           on, by key; "files": the files below; "not_included": what is left out and why)
files/     de bestanden die je hebt geüpload / the files you uploaded
"""


def write_export(user: User, target: IO[bytes]) -> None:
    """Write the person's archive (data.json, their files, a short README) to `target`.

    Files are copied in chunks from the storage, so memory stays small whatever their size."""
    storage = get_storage()
    files, missing = [], []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for stored in stored_files(user):
            description = {
                "path": stored.path,
                "table": stored.table,
                "id": stored.row_id,
                "filename": stored.filename,
            }
            try:
                source = storage.open(stored.key)
            except FileNotFoundError:
                missing.append(description)
                continue
            with source, archive.open(stored.path, "w", force_zip64=True) as out:
                shutil.copyfileobj(source, out, CHUNK_SIZE)
            files.append(description)
        data = {
            "format": "leernetwerk-amsterdam-export/1",
            "exported_at": utcnow().isoformat(),
            "person": {"id": user.id, "email": user.email},
            "tables": personal_rows(user),
            "acted_on": acted_on(user),
            "files": files,
            "missing_files": missing,
            "not_included": NOT_INCLUDED,
        }
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("README.txt", README)


NOT_INCLUDED = [
    {
        "what": "answers to anonymous surveys",
        "why": "they are stored without any link to you, so nobody (not even the platform) can"
        " tell which answers are yours",
    },
    {
        "what": "password, login-session keys, calendar-feed and invitation secrets, and the"
        " text of mails sent to you (their subjects and times are included)",
        "why": "stored only as hashes or secrets that would let someone act as you",
    },
]


# -- deleting the account ------------------------------------------------------------------------

#: Typed to confirm a deletion. The translated word is asked for; both languages' words work.
CONFIRMATION_WORD = _l("DELETE")
_ALSO_ACCEPTED = ("delete", "verwijderen")


def confirmation_accepted(typed: str) -> bool:
    return typed.strip().casefold() in {str(CONFIRMATION_WORD).casefold(), *_ALSO_ACCEPTED}


def deletion_blockers(user: User) -> list[LazyString]:
    """What the person must hand over before their account can go, each as a message naming it."""
    reasons = [
        _l(
            "You are the only owner of the community “%(name)s”. Make another member owner, or"
            " close the community, first.",
            name=name,
        )
        for name in _communities_only_owned_by(user)
    ]
    reasons += [
        _l(
            "You are the only administrator of “%(name)s”. Approve a colleague’s claim to that"
            " role, or ask the platform administrators to appoint one, first.",
            name=name,
        )
        for name in _organisations_only_administered_by(user)
    ]
    if user.is_admin and not _other_platform_admins(user):
        reasons.append(
            _l("You are the only platform administrator. Make someone else administrator first.")
        )
    return reasons


def _communities_only_owned_by(user: User) -> list[str]:
    from plc.communities.models import (
        Community,
        CommunityMember,
        CommunityStatus,
        MemberRole,
        MemberStatus,
    )

    def owner(*conditions: sa.ColumnElement[bool]) -> sa.Exists:
        return sa.exists().where(
            CommunityMember.community_id == Community.id,
            CommunityMember.role == MemberRole.OWNER,
            CommunityMember.status == MemberStatus.ACTIVE,
            *conditions,
        )

    return list(
        db.session.scalars(
            sa.select(Community.name)
            .where(
                Community.status != CommunityStatus.CLOSED,
                owner(CommunityMember.user_id == user.id),
                ~owner(CommunityMember.user_id != user.id),
            )
            .order_by(Community.name)
        )
    )


def _organisations_only_administered_by(user: User) -> list[str]:
    from plc.organisations.models import (
        MembershipStatus,
        Organisation,
        OrganisationMembership,
        OrganisationRole,
    )

    def admin(*conditions: sa.ColumnElement[bool]) -> sa.Exists:
        return sa.exists().where(
            OrganisationMembership.organisation_id == Organisation.id,
            OrganisationMembership.role == OrganisationRole.ADMIN,
            OrganisationMembership.status == MembershipStatus.APPROVED,
            *conditions,
        )

    others = admin(
        OrganisationMembership.user_id != user.id,
        OrganisationMembership.user_id.in_(
            sa.select(User.id).where(User.active.is_(True), User.deleted_at.is_(None))
        ),
    )
    return list(
        db.session.scalars(
            sa.select(Organisation.name)
            .where(admin(OrganisationMembership.user_id == user.id), ~others)
            .order_by(Organisation.name)
        )
    )


def _other_platform_admins(user: User) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.is_admin.is_(True),
                User.active.is_(True),
                User.deleted_at.is_(None),
                User.id != user.id,
            )
        )
        or 0
    ) > 0


def delete_account(user: User, password: str, confirmation: str) -> None:
    """The person deletes their own account: checked with their password and a typed word,
    refused while they hold something others depend on. Everything happens in the caller's
    transaction; stored files go once it commits."""
    if user.is_deleted:
        raise ServiceError(_l("This account has already been deleted."))
    if user.password_hash and not verify_password(user.password_hash, password):
        raise ServiceError(_l("This is not your password."), field="password")
    if not confirmation_accepted(confirmation):
        raise ServiceError(
            _l("Type %(word)s to confirm.", word=CONFIRMATION_WORD), field="confirmation"
        )
    blockers = deletion_blockers(user)
    if blockers:
        raise ServiceError(" ".join(str(reason) for reason in blockers))
    erase_account(user)


def erase_account(user: User) -> None:
    """Remove the person's personal data and keep their contributions as a former member's.

    Order matters: places and counters are given back while the rows that hold them exist, and
    texts that name the person are rewritten while their old name is still known."""
    old_name, old_email = user._display_name, user.email
    evidence = [f.key for f in stored_files(user) if f.table == "pd_record_entry"]
    _release_places(user)
    _lower_counters(user)
    _rewrite_mentions(user, old_name)
    _forget_mail(old_email, old_name)
    _detach_survey_responses(user)
    _delete_private_questions(user)
    _apply_links(user)
    _scrub(user)
    db.session.flush()
    # Evidence files belong to nobody else; they go only once the deletion has committed.
    on_commit(db.session, lambda: _delete_files(evidence))


def _release_places(user: User) -> None:
    """Free the person's places in sessions and offerings, so the waiting lists move up."""
    from plc.catalogue import services as catalogue
    from plc.catalogue.models import Enrolment, EnrolmentStatus, Offering
    from plc.core.places import free_place
    from plc.live import services as live
    from plc.live.access import session_access
    from plc.live.models import LiveSession, Rsvp, RsvpStatus

    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.user_id == user.id))
    for enrolment in enrolments.all():  # (the services below run queries of their own)
        if enrolment.status == EnrolmentStatus.ENROLLED:
            catalogue.cancel_enrolment(enrolment, user)
        elif enrolment.status == EnrolmentStatus.COMPLETED:
            free_place(Offering.__table__, enrolment.offering_id, "enrolled_count")
    going = db.session.scalars(
        sa.select(Rsvp).where(Rsvp.user_id == user.id, Rsvp.status == RsvpStatus.GOING)
    )
    for rsvp in going.all():
        session = rsvp.session
        access = session_access(session, user)
        if access.can_respond:
            live.respond(session, access, user, RsvpStatus.NOT_GOING)
        else:  # over or cancelled: only the count
            free_place(LiveSession.__table__, session.id, "going_count")


def _lower_counters(user: User) -> None:
    """Counters kept in SQL next to rows that are about to go."""
    from plc.catalogue.models import LearningQuestion, QuestionSupport
    from plc.communities.models import Community, CommunityMember, MemberStatus

    db.session.execute(
        sa.update(Community)
        .where(
            Community.id.in_(
                sa.select(CommunityMember.community_id).where(
                    CommunityMember.user_id == user.id,
                    CommunityMember.status == MemberStatus.ACTIVE,
                )
            )
        )
        .values(member_count=Community.member_count - 1, updated_at=Community.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(LearningQuestion)
        .where(
            LearningQuestion.id.in_(
                sa.select(QuestionSupport.question_id).where(QuestionSupport.user_id == user.id)
            )
        )
        .values(
            support_count=LearningQuestion.support_count - 1,
            updated_at=LearningQuestion.updated_at,
        )
        .execution_options(synchronize_session=False)
    )


def _name_pattern(prefix: str, name: str) -> re.Pattern[str]:
    """The name as written in text or in rendered HTML, in any letter case, as a whole word (a
    short name must not change the middle of another word)."""
    forms = sorted({re.escape(prefix + name), re.escape(prefix + html.escape(name))}, key=len)
    return re.compile(r"(?<!\w)(?:" + "|".join(reversed(forms)) + r")(?!\w)", re.IGNORECASE)


def _rewrite_mentions(user: User, old_name: str) -> None:
    """ "@Name" in other people's posts (and their earlier versions) becomes "@Oud-lid"."""
    posts, revisions, mentions = table("post"), table("post_revision"), table("mention")
    mentioned = sa.select(mentions.c.post_id).where(mentions.c.user_id == user.id)
    pattern = _name_pattern("@", old_name)
    replacement = "@" + FORMER_MEMBER_NAME
    for t, columns, condition in (
        (posts, ("body", "body_html"), posts.c.id.in_(mentioned)),
        (revisions, ("body",), revisions.c.post_id.in_(mentioned)),
    ):
        _rewrite(t, columns, condition, lambda text: pattern.sub(replacement, text))


def _rewrite(
    t: sa.Table,
    columns: Sequence[str],
    condition: sa.ColumnElement[bool],
    change: Callable[[str], str],
) -> None:
    for row in db.session.execute(sa.select(t.c.id, *(t.c[c] for c in columns)).where(condition)):
        values = {c: change(row._mapping[c]) for c in columns if row._mapping[c]}
        if any(values[c] != row._mapping[c] for c in values):
            db.session.execute(sa.update(t).where(t.c.id == row.id).values(values))


def _forget_mail(email: str, name: str) -> None:
    """Mail to the person goes; mail to others that names them keeps its record, without them."""
    outbox = table("outbox_message")
    db.session.execute(sa.delete(outbox).where(outbox.c.recipient == email))
    needles = {email, name, html.escape(name)}
    columns = ("subject", "body_text", "body_html")
    naming = sa.or_(*(outbox.c[c].contains(n, autoescape=True) for c in columns for n in needles))
    patterns = [
        (_name_pattern("", name), FORMER_MEMBER_NAME),
        (_name_pattern("", email), FORMER_MEMBER_NAME),
    ]

    def without_person(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    _rewrite(outbox, columns, naming, without_person)
    invitations = table("community_invitation")
    db.session.execute(sa.delete(invitations).where(invitations.c.email == email))


def _detach_survey_responses(user: User) -> None:
    """Responses stay in the results but can no longer be traced back to the person: named ones
    lose their user and times, and every response's respondent key (computable from the user
    id, which the former member's row keeps) becomes a random value of its own, so that the
    person's responses to different surveys cannot be matched with each other either."""
    from plc.surveys.models import Survey, SurveyResponse
    from plc.surveys.services import respondent_key

    survey_ids = list(db.session.scalars(sa.select(Survey.id)))
    keys = [respondent_key(survey_id, user.id) for survey_id in survey_ids]
    response_ids = set(
        db.session.scalars(sa.select(SurveyResponse.id).where(SurveyResponse.user_id == user.id))
    )
    for chunk in _chunks(keys, 500):
        response_ids.update(
            db.session.scalars(
                sa.select(SurveyResponse.id).where(SurveyResponse.respondent_key.in_(chunk))
            )
        )
    for response_id in sorted(response_ids):
        db.session.execute(
            sa.update(SurveyResponse)
            .where(SurveyResponse.id == response_id)
            .values(
                respondent_key=secrets.token_hex(32),
                user_id=None,
                submitted_at=None,
                updated_at=None,
            )
            .execution_options(synchronize_session=False)
        )


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _delete_private_questions(user: User) -> None:
    """A private learning question was only ever the person's own."""
    from plc.catalogue.models import LearningQuestion, QuestionVisibility

    db.session.execute(
        sa.delete(LearningQuestion)
        .where(
            LearningQuestion.author_id == user.id,
            LearningQuestion.visibility == QuestionVisibility.PRIVATE,
        )
        .execution_options(synchronize_session=False)
    )


def _apply_links(user: User) -> None:
    for link in USER_LINKS.values():
        t = table(link.table)
        column = t.c[link.column]
        if link.on_delete == OnDelete.DELETE:
            db.session.execute(sa.delete(t).where(column == user.id))
        elif link.on_delete == OnDelete.CLEAR:
            db.session.execute(sa.update(t).where(column == user.id).values({link.column: None}))
    # The ORM may hold rows that these statements removed or changed.
    db.session.expire_all()


def _scrub(user: User) -> None:
    """Empty every personal field; the row stays so that contributions keep their author."""
    # No "@": never an address, so it can neither log in nor receive mail, and the real address
    # is free for a new account at once. The random part keeps it unique.
    user.email = f"deleted-{user.id}-{secrets.token_hex(8)}"
    user.display_name = FORMER_MEMBER_NAME
    user.password_hash = None
    user.active = False
    user.is_admin = user.is_coordinator = False
    user.career_stage = user.school_type = None
    user.subjects = []
    user.bio = ""
    user.show_profile_to_members = False
    user.preferred_language = None
    user.last_login_at = None
    user.login_count = 0
    user.deleted_at = utcnow()


def _delete_files(keys: list[str]) -> None:
    storage = get_storage()
    for key in keys:
        storage.delete(key)
