"""The mail outbox: every e-mail is stored first, and sent only after the request commits.

A message is claimed with a conditional UPDATE (queued → sending) before it is handed to SMTP, so
two deliverers (the after-commit thread and `flask plc send-mail` from cron, say) can never both
send it. A failed send goes back to the queue with a later `next_attempt_at`, up to
MAIL_MAX_ATTEMPTS. A message left in `sending` by a crash mid-send is not retried automatically:
sending it again might deliver it twice, so an admin decides (the outbox page shows it).
Without an SMTP server configured, messages are written to the log and marked `logged`.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy.orm import Mapped, Session, mapped_column

from plc.core.db import on_commit
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db

log = logging.getLogger(__name__)


class MailState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    LOGGED = "logged"
    FAILED = "failed"


class OutboxMessage(CreatedAtMixin, db.Model):
    """One e-mail to one recipient, kept after sending as a record."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The recipient's address.
    recipient: Mapped[str] = mapped_column(sa.String(254), nullable=False)
    #: Subject line, already in the recipient's language.
    subject: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: Plain-text body.
    body_text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    #: HTML body (optional alternative part).
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    #: queued, sending, sent, logged (no SMTP configured) or failed.
    state: Mapped[MailState] = mapped_column(
        str_enum(MailState, 10),
        default=MailState.QUEUED,
        index=True,
        nullable=False,
    )
    #: Delivery attempts so far.
    attempts: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Not before this moment (back-off after a failure).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last SMTP error, for admins.
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    #: When it was handed to SMTP (or the log).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A stable Message-ID, so that a mail server can recognise a duplicate.
    message_id: Mapped[str] = mapped_column(sa.String(255), nullable=False)


def queue_mail(
    recipient: str, subject: str, body_text: str, body_html: str | None = None
) -> OutboxMessage:
    """Store a mail; it is delivered once the current transaction commits."""
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        message_id=make_msgid(domain="leernetwerk.amsterdam"),
    )
    db.session.add(message)
    db.session.flush()
    _deliver_after_commit(message.id)
    return message


def send_mail(
    recipient: str, language: str | None, subject: Any, template: str, **context: Any
) -> OutboxMessage:
    """Queue `mail/<template>.txt` (with `.html` when that exists), rendered in `language`.

    `subject` is a lazy string, so that it, too, is translated into the recipient's language.
    """
    with force_locale(language or "nl"):
        try:
            html: str | None = render_template(f"mail/{template}.html", **context)
        except TemplateNotFound:
            html = None
        text = render_template(f"mail/{template}.txt", **context)
        return queue_mail(recipient, str(subject), text, html)


def _deliver_after_commit(message_id: int) -> None:
    """Hand the message to a deliverer once the transaction commits (unless cron sends it)."""
    if current_app.config["MAIL_DELIVERY"] == "cron":
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    on_commit(db.session(), lambda: _start_delivery(app, [message_id]))


def _start_delivery(app: Flask, ids: list[int]) -> None:
    if app.config["MAIL_DELIVERY"] == "sync":
        deliver(app, ids)
    elif not has_request_context():
        # A CLI command may exit right after its commit, which would stop a delivery thread
        # mid-send: deliver before returning instead.
        _deliver_new_then_due(app, ids)
    else:
        threading.Thread(
            target=_deliver_new_then_due, args=(app, ids), daemon=True, name="outbox"
        ).start()


def _deliver_new_then_due(app: Flask, ids: list[int]) -> None:
    """The embedded mode has no cron: each delivery thread also retries what is due."""
    deliver(app, ids)
    deliver_due(app)


def deliver_due(app: Flask) -> int:
    """Deliver every queued message whose time has come; returns how many went out."""
    with app.app_context(), Session(db.engines[None]) as session:
        ids = list(
            session.scalars(
                sa.select(OutboxMessage.id)
                .where(OutboxMessage.state == MailState.QUEUED)
                .where(
                    sa.or_(
                        OutboxMessage.next_attempt_at.is_(None),
                        OutboxMessage.next_attempt_at <= utcnow(),
                    )
                )
                .order_by(OutboxMessage.id)
            )
        )
    return deliver(app, ids)


def deliver(app: Flask, ids: list[int]) -> int:
    """Claim and send the given messages, each in its own short transactions."""
    sent = 0
    with app.app_context():
        engine = db.engines[None]
        for message_id in ids:
            message = _claim(engine, message_id)
            if message is None:
                continue
            try:
                state = _send(app, message)
            except (smtplib.SMTPException, OSError) as error:
                _record_failure(engine, app, message, error)
            else:
                _record_success(engine, message_id, state)
                sent += 1
    return sent


def _claim(engine: sa.Engine, message_id: int) -> OutboxMessage | None:
    with Session(engine, expire_on_commit=False) as session, session.begin():
        claimed = session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.state == MailState.QUEUED)
            .values(state=MailState.SENDING, attempts=OutboxMessage.attempts + 1)
        ).rowcount
        if claimed != 1:
            return None
        return session.get(OutboxMessage, message_id)


def _record_success(engine: sa.Engine, message_id: int, state: MailState) -> None:
    with Session(engine) as session, session.begin():
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state=state, sent_at=utcnow(), last_error=None)
        )


def _record_failure(
    engine: sa.Engine, app: Flask, message: OutboxMessage, error: Exception
) -> None:
    log.warning("mail %s to %s failed: %s", message.id, message.recipient, error)
    give_up = message.attempts >= app.config["MAIL_MAX_ATTEMPTS"]
    backoff = timedelta(minutes=2 ** min(message.attempts, 8))
    with Session(engine) as session, session.begin():
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message.id)
            .values(
                state=MailState.FAILED if give_up else MailState.QUEUED,
                next_attempt_at=None if give_up else utcnow() + backoff,
                last_error=str(error)[:500],
            )
        )


def _build(app: Flask, message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _send(app: Flask, message: OutboxMessage) -> MailState:
    config = app.config
    if not config["MAIL_SERVER"]:
        log.info(
            "mail (no SMTP configured) to %s: %s\n%s",
            message.recipient,
            message.subject,
            message.body_text,
        )
        return MailState.LOGGED
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(_build(app, message))
    return MailState.SENT


def retry_message(message: OutboxMessage) -> None:
    """An admin sends a failed (or stuck) message once more."""
    message.state = MailState.QUEUED
    message.next_attempt_at = None
    db.session.flush()
    _deliver_after_commit(message.id)
