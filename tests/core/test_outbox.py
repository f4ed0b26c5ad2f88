"""The mail outbox: stored first, sent after commit, retried on failure, never sent twice."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from plc.core.outbox import MailState, OutboxMessage, deliver, deliver_due, queue_mail
from plc.extensions import db


class Inbox:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append(
                {
                    "to": envelope.rcpt_tos[0],
                    "subject": parsed["Subject"],
                    "id": parsed["Message-ID"],
                }
            )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield inbox
    controller.stop()


def _states() -> list[MailState]:
    db.session.commit()  # a fresh snapshot: the deliverers wrote in other sessions
    return list(db.session.scalars(sa.select(OutboxMessage.state).order_by(OutboxMessage.id)))


def test_mail_is_sent_after_commit_and_only_once(app, smtp_server):
    queue_mail("leraar@example.org", "Welkom", "Hallo!", "<p>Hallo!</p>")
    assert smtp_server.messages == []  # nothing leaves before the commit
    db.session.commit()
    assert [m["to"] for m in smtp_server.messages] == ["leraar@example.org"]
    assert _states() == [MailState.SENT]
    # Running the cron deliverer afterwards sends nothing again.
    assert deliver_due(app) == 0
    assert len(smtp_server.messages) == 1


def test_rolled_back_mail_is_neither_stored_nor_sent(app, smtp_server):
    queue_mail("leraar@example.org", "Welkom", "Hallo!")
    db.session.rollback()
    assert smtp_server.messages == []
    assert _states() == []


def test_failed_send_is_retried_later_and_then_sent_once(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nobody listens there
    message = queue_mail("leraar@example.org", "Welkom", "Hallo!")
    db.session.commit()
    db.session.refresh(message)
    assert message.state == MailState.QUEUED
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at is not None

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        app.config["MAIL_PORT"] = controller.port
        assert deliver_due(app) == 0  # its back-off time has not come yet
        message.next_attempt_at = None
        db.session.commit()
        assert deliver_due(app) == 1
        assert deliver_due(app) == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["id"] == message.message_id
    assert _states() == [MailState.SENT]


def test_gives_up_after_the_last_attempt(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_MAX_ATTEMPTS=2)
    message = queue_mail("leraar@example.org", "Welkom", "Hallo!")
    db.session.commit()
    message.next_attempt_at = None
    db.session.commit()
    deliver_due(app)
    assert _states() == [MailState.FAILED]


def test_concurrent_deliverers_send_each_message_once(app, smtp_server):
    app.config["MAIL_DELIVERY"] = "cron"
    for n in range(20):
        queue_mail(f"leraar{n}@example.org", "Digest", "…")
    db.session.commit()
    ids = list(db.session.scalars(sa.select(OutboxMessage.id)))
    threads = [threading.Thread(target=deliver, args=(app, ids)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(m["to"] for m in smtp_server.messages) == sorted(
        f"leraar{n}@example.org" for n in range(20)
    )
    assert set(_states()) == {MailState.SENT}


def test_without_smtp_mail_is_written_to_the_log(app, caplog):
    caplog.set_level("INFO", logger="plc.core.outbox")
    queue_mail("leraar@example.org", "Welkom", "Je link: https://example.org/x")
    db.session.commit()
    assert _states() == [MailState.LOGGED]
    assert "https://example.org/x" in caplog.text


def test_cron_mode_waits_for_send_mail_command(app, smtp_server):
    app.config["MAIL_DELIVERY"] = "cron"
    queue_mail("leraar@example.org", "Welkom", "Hallo!")
    db.session.commit()
    assert smtp_server.messages == []
    result = app.test_cli_runner().invoke(args=["plc", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "Mails delivered: 1" in result.output
    assert len(smtp_server.messages) == 1


def test_thread_mode_delivers_in_the_background_and_retries_what_is_due(
    app, client, create_user, smtp_server
):
    app.config["MAIL_DELIVERY"] = "cron"
    earlier = queue_mail("eerder@example.org", "Bleef liggen", "…")  # e.g. queued before a restart
    db.session.commit()
    create_user(email="leraar@example.org")
    app.config["MAIL_DELIVERY"] = "thread"
    assert client.submit("/wachtwoord-vergeten", {"email": "leraar@example.org"}).status_code == 302
    deadline = time.monotonic() + 10
    while len(smtp_server.messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(m["to"] for m in smtp_server.messages) == [
        "eerder@example.org",
        "leraar@example.org",
    ]
    # The server has the mail a moment before the sender thread records it as sent.
    while time.monotonic() < deadline:
        db.session.refresh(earlier)
        if earlier.state == MailState.SENT:
            break
        db.session.rollback()
        time.sleep(0.02)
    assert earlier.state == MailState.SENT


def test_a_released_savepoint_is_not_the_commit(app, smtp_server):
    """Mail waits for the real commit, not for a SAVEPOINT inside the transaction."""
    queue_mail("leraar@example.org", "Welkom", "Hallo!")
    with db.session.begin_nested():
        db.session.execute(sa.text("SELECT 1"))
    assert smtp_server.messages == []
    db.session.commit()
    assert len(smtp_server.messages) == 1


def test_a_command_delivers_before_it_exits(app, smtp_server):
    """Outside a request there is no later moment: thread mode delivers before the commit returns."""
    app.config["MAIL_DELIVERY"] = "thread"
    queue_mail("leraar@example.org", "Welkom", "Hallo!")
    db.session.commit()
    assert len(smtp_server.messages) == 1
