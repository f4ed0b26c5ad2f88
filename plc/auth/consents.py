"""Consents: which version of the privacy statement a person accepted, and when.

A consent row is never changed to a newer version: each accepted version is its own row, so the
"your data" page can list them all with their times. The current version is the config value
`PRIVACY_STATEMENT_VERSION`, which is also printed on the statement itself.
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
    version twice (a double click, a second tab) keeps the first row and its time."""
    version = version or current_privacy_version()
    existing = _consent(user.id, document, version)
    if existing is not None:
        return existing
    consent = Consent(user_id=user.id, document=document, version=version, given_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(consent)
    except sa.exc.IntegrityError:
        found = _consent(user.id, document, version)
        assert found is not None  # the unique constraint said another request stored it
        return found
    return consent


def _consent(user_id: int, document: ConsentDocument, version: str) -> Consent | None:
    return db.session.scalar(
        sa.select(Consent).where(
            Consent.user_id == user_id, Consent.document == document, Consent.version == version
        )
    )


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
    """Whether to ask the person to accept the current privacy statement: they accepted an
    earlier version, and not this one.

    Accounts with no consent at all are not asked: they were made before consents were
    recorded, or by a path that records none (`plc create-admin`, demo data, test builders).
    Asking them too is a one-line change here once those paths record a consent.
    """
    versions = set(
        db.session.scalars(
            sa.select(Consent.version).where(
                Consent.user_id == user.id,
                Consent.document == ConsentDocument.PRIVACY_STATEMENT,
                Consent.withdrawn_at.is_(None),
            )
        )
    )
    return bool(versions) and current_privacy_version() not in versions
