"""Consents: which version of the privacy statement a person accepted, and when.

A consent row is never changed to a newer version: each accepted version is its own row, so the
"your data" page can list them all with their times. The current version is the config value
`PRIVACY_STATEMENT_VERSION`, which is also printed on the statement itself.

Withdrawing sets `withdrawn_at` on the person's active rows and deletes nothing. Accepting the
same version again afterwards adds a new row rather than clearing `withdrawn_at` on the old one:
the old row is the record that consent was given and withdrawn (and when), which a person may
need to see and the platform may need to show, and one row per acceptance keeps that history
without a second table. At most one row per version is active (a partial unique index).

Every account without an active consent to the current version is asked for one before its
next page. Each path that makes accounts decides what it records: registration records the
person's consent; the demo and the test builders record one as if the people had signed up;
`plc create-admin` records none, so the new administrator, who has not read the statement, is
asked at the first login.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from plc.auth.models import Consent, ConsentDocument, User
from plc.core.models import utcnow
from plc.extensions import db


def current_privacy_version() -> str:
    return str(current_app.config["PRIVACY_STATEMENT_VERSION"])


def record_consent(
    user: User,
    version: str | None = None,
    document: ConsentDocument = ConsentDocument.PRIVACY_STATEMENT,
) -> Consent:
    """Record that `user` accepts `version` (the current one by default). Accepting the same
    version twice (a double click, a second tab) keeps the first row and its time; accepting it
    again after a withdrawal adds a new row (the withdrawn one stays, see above)."""
    version = version or current_privacy_version()
    existing = _active_consent(user.id, document, version)
    if existing is not None:
        return existing
    consent = Consent(user_id=user.id, document=document, version=version, given_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(consent)
    except sa.exc.IntegrityError:
        found = _active_consent(user.id, document, version)
        assert found is not None  # the unique index said another request stored it
        return found
    return consent


def _active_consent(user_id: int, document: ConsentDocument, version: str) -> Consent | None:
    return db.session.scalar(
        sa.select(Consent).where(
            Consent.user_id == user_id,
            Consent.document == document,
            Consent.version == version,
            Consent.withdrawn_at.is_(None),
        )
    )


def withdraw_consent(
    user: User, document: ConsentDocument = ConsentDocument.PRIVACY_STATEMENT
) -> int:
    """Withdraw every active consent of `user` to `document` (all versions): the rows stay, with
    the time of withdrawal. Returns how many rows changed; 0 when there was nothing to withdraw
    (a second click, a second tab: one statement, so two at once cannot both withdraw a row)."""
    result = db.session.execute(
        sa.update(Consent)
        .where(
            Consent.user_id == user.id,
            Consent.document == document,
            Consent.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def has_active_privacy_consent(user: User, version: str | None = None) -> bool:
    """Whether the person has a consent to the privacy statement that is not withdrawn: to
    `version`, or to any version (an earlier one counts: then the question is about the new
    version)."""
    query = sa.select(Consent.id).where(Consent.user_id == user.id, _active_privacy(version))
    return db.session.scalar(query.limit(1)) is not None


def _active_privacy(version: str | None) -> sa.ColumnElement[bool]:
    """Consents to the privacy statement (`version`, or any) that are not withdrawn."""
    clause = sa.and_(
        Consent.document == ConsentDocument.PRIVACY_STATEMENT, Consent.withdrawn_at.is_(None)
    )
    return clause if version is None else sa.and_(clause, Consent.version == version)


def consents_of(user: User) -> list[Consent]:
    """Every consent the person gave, newest first."""
    return list(
        db.session.scalars(
            sa.select(Consent)
            .where(Consent.user_id == user.id)
            .order_by(Consent.given_at.desc(), Consent.id.desc())
        )
    )


def needs_new_privacy_consent(user: User) -> bool:
    """Whether to ask the person to accept the current privacy statement: they have no active
    (not withdrawn) consent to it. That is someone who accepted an earlier version, someone who
    withdrew, and an account that never consented (`plc create-admin`, or made before consents
    were recorded). One statement; asked once per login (see privacy_views)."""
    return not has_active_privacy_consent(user, current_privacy_version())


def accept_for_demo_accounts() -> int:
    """Record a consent to the current statement for every account that has none, given when the
    account was made, as if each had signed up. For the demo only (`plc demo`): its people are
    made up, and a demo in which each of them is first asked for consent shows a question
    instead of the platform. Returns how many were recorded."""
    version = current_privacy_version()
    active = sa.exists().where(Consent.user_id == User.id, _active_privacy(version))
    accounts = db.session.execute(
        sa.select(User.id, User.created_at)
        .where(User.deleted_at.is_(None), ~active)
        .order_by(User.id)
    ).all()
    db.session.add_all(
        Consent(
            user_id=user_id,
            document=ConsentDocument.PRIVACY_STATEMENT,
            version=version,
            given_at=created_at,
            created_at=created_at,
        )
        for user_id, created_at in accounts
    )
    db.session.flush()
    return len(accounts)
