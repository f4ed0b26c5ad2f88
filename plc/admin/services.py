"""Queries behind the admin pages."""

from __future__ import annotations

import sqlalchemy as sa

from plc.auth.models import User
from plc.core.outbox import MailState, OutboxMessage
from plc.core.queries import contains_pattern
from plc.extensions import db


def user_search_query(text: str) -> sa.Select[tuple[User]]:
    """Users whose name or e-mail contains `text` (case-insensitive), newest first."""
    query = sa.select(User).order_by(User.created_at.desc(), User.id.desc())
    text = text.strip()
    if text:
        pattern = contains_pattern(text)
        query = query.where(
            sa.or_(
                sa.func.lower(User.display_name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
    return query


def outbox_query(state: str | None) -> sa.Select[tuple[OutboxMessage]]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state in {s.value for s in MailState}:
        query = query.where(OutboxMessage.state == state)
    return query


def overview_counts() -> dict[str, int]:
    """Figures for the admin start page, in one statement."""
    row = db.session.execute(
        sa.select(
            sa.select(sa.func.count(User.id)).scalar_subquery().label("users"),
            sa.select(sa.func.count(User.id))
            .where(User.active.is_(False))
            .scalar_subquery()
            .label("inactive"),
            sa.select(sa.func.count(OutboxMessage.id))
            .where(OutboxMessage.state.in_([MailState.QUEUED, MailState.SENDING]))
            .scalar_subquery()
            .label("mail_waiting"),
            sa.select(sa.func.count(OutboxMessage.id))
            .where(OutboxMessage.state == MailState.FAILED)
            .scalar_subquery()
            .label("mail_failed"),
        )
    ).one()
    return dict(row._mapping)
