"""The weekly knowledge digest: who gets it, what is in it, when, and never twice."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from plc.communities.models import Visibility
from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.knowledge import digest, services
from plc.knowledge.models import KnowledgeDigest, KnowledgeOutput
from plc.live.services import AMSTERDAM
from plc.notifications.models import DigestFrequency, NotificationSettings
from plc.notifications.services import unsubscribe_token
from plc.organisations.models import MembershipStatus, OrganisationMembership, OrganisationRole

#: Monday 30 November 2026, 07:30 in Amsterdam: ISO week 2026-W49, digests due.
MONDAY = datetime(2026, 11, 30, 7, 30, tzinfo=AMSTERDAM)
BASE = "https://leernetwerk.example.org"


@pytest.fixture
def theme(create_theme):
    return create_theme(
        "Formatief evalueren", slug="formatief-evalueren", name_en="Formative assessment"
    )


@pytest.fixture
def publish(create_output):
    """A published output whose first publication (and revision) lie where the test says."""

    def build(published: datetime, revised: datetime | None = None, **fields):
        output = create_output(**fields)
        db.session.execute(
            sa.update(KnowledgeOutput)
            .where(KnowledgeOutput.id == output.id)
            .values(published_at=published, revised_at=revised or published)
        )
        db.session.commit()
        return output

    return build


def _mails() -> list[OutboxMessage]:
    db.session.commit()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _follow(theme, user=None, school=None, by=None) -> None:
    services.follow_theme(theme, by or user, school)
    db.session.commit()


def test_the_week_and_the_moment_it_goes_out():
    assert digest.iso_week(MONDAY) == "2026-W49"
    # Sunday evening in Amsterdam is still the week before; in UTC it may already be Monday.
    assert digest.iso_week(datetime(2026, 11, 29, 23, 30, tzinfo=AMSTERDAM)) == "2026-W48"
    assert not digest.is_due(MONDAY.replace(hour=6, minute=59))
    assert digest.is_due(MONDAY.replace(hour=7, minute=0))
    assert digest.is_due(MONDAY + timedelta(days=6))  # later in the week: still due
    # Summer time: 07:00 in Amsterdam is 05:00 UTC.
    assert not digest.is_due(datetime.fromisoformat("2026-06-29T04:59:00+00:00"))
    assert digest.is_due(datetime.fromisoformat("2026-06-29T05:00:00+00:00"))


def test_a_personal_follower_gets_the_new_outputs_with_links(
    create_user, create_theme, publish, theme
):
    reader = create_user(preferred_language="en", display_name="Anna de Vries")
    _follow(theme, reader)
    output = publish(
        MONDAY - timedelta(days=2),
        themes=[theme],
        title="Exit tickets in de brugklas",
        summary="Korte vragen aan het eind van de les.",
    )
    publish(MONDAY - timedelta(days=2), themes=[create_theme()], title="Ander thema")

    assert digest.send_knowledge_digests(MONDAY) == 1

    [mail] = _mails()
    assert mail.recipient == reader.email
    assert mail.subject == "New knowledge on the themes you follow"
    text = mail.body_text
    assert "Hello Anna de Vries," in text
    assert "Exit tickets in de brugklas" in text and "Ander thema" not in text
    assert output.community.name in text
    assert "Korte vragen aan het eind van de les." in text
    assert f"{BASE}/kennisbank/{output.slug}" in text
    assert "Formative assessment" in text  # the reader's language
    assert "You follow the theme Formative assessment." in text
    assert f"{BASE}/kennisbank/volgen" in text
    assert f"{BASE}/meldingen/instellingen" in text
    assert f"{BASE}/meldingen/afmelden/{unsubscribe_token(reader)}" in text
    assert f'href="{BASE}/kennisbank/{output.slug}"' in mail.body_html
    row = db.session.get(KnowledgeDigest, (reader.id, "2026-W49"))
    assert row.output_count == 1
    assert row.covered_until == MONDAY - digest.SETTLE


def test_the_mail_speaks_the_readers_language(create_user, publish, theme):
    dutch = create_user(preferred_language="nl")
    english = create_user(preferred_language="en")
    _follow(theme, dutch)
    _follow(theme, english)
    publish(MONDAY - timedelta(days=1), themes=[theme])

    assert digest.send_knowledge_digests(MONDAY) == 2

    by_recipient = {mail.recipient: mail.body_text for mail in _mails()}
    assert "Formatief evalueren" in by_recipient[dutch.email]
    assert "Formative assessment" in by_recipient[english.email]


def test_a_school_subscription_reaches_its_approved_staff(
    create_user, create_organisation, give_role, publish, theme
):
    school = create_organisation(name="Barlaeus Gymnasium")
    leader = create_user()
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    teacher = create_user(preferred_language="en")
    give_role(teacher, school, OrganisationRole.TEACHER)
    asking = create_user()
    db.session.add(
        OrganisationMembership(
            organisation_id=school.id,
            user_id=asking.id,
            role=OrganisationRole.TEACHER,
            status=MembershipStatus.REQUESTED,
        )
    )
    outsider = create_user()
    _follow(theme, school=school, by=leader)
    publish(MONDAY - timedelta(days=3), themes=[theme], title="Voor de hele school")

    assert digest.send_knowledge_digests(MONDAY) == 2

    mails = {mail.recipient: mail for mail in _mails()}
    assert set(mails) == {leader.email, teacher.email}
    assert asking.email not in mails and outsider.email not in mails
    text = mails[teacher.email].body_text
    assert "Voor de hele school" in text
    assert "Your school Barlaeus Gymnasium follows the theme Formative assessment." in text
    assert "You follow the theme" not in text


def test_several_routes_give_one_mail_with_each_output_once(
    create_user, create_organisation, create_theme, give_role, publish, theme
):
    second = create_theme("Burgerschap", name_en="Citizenship")
    school = create_organisation(name="Barlaeus Gymnasium")
    other_school = create_organisation(name="Cygnus Gymnasium")
    reader = create_user(preferred_language="en")
    give_role(reader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(reader, other_school, OrganisationRole.TEACHER)
    leader = create_user()
    give_role(leader, other_school, OrganisationRole.SCHOOL_LEADER)
    _follow(theme, reader)
    _follow(theme, school=school, by=reader)
    _follow(theme, school=other_school, by=leader)
    _follow(second, reader)
    publish(MONDAY - timedelta(days=1), themes=[theme, second], title="Op twee thema's")

    assert digest.send_knowledge_digests(MONDAY) == 2  # the reader and the other leader

    [mail] = [m for m in _mails() if m.recipient == reader.email]
    text = mail.body_text
    assert text.count("Op twee thema's") == 1
    assert (
        "Formative assessment, Citizenship" in text or "Citizenship, Formative assessment" in text
    )
    assert "You follow the theme Formative assessment." in text
    assert "You follow the theme Citizenship." in text
    assert "Your school Barlaeus Gymnasium follows the theme Formative assessment." in text
    assert "Your school Cygnus Gymnasium follows the theme Formative assessment." in text


def test_opted_out_and_inactive_people_get_nothing(create_user, publish, theme):
    opted_out = create_user()
    inactive = create_user(active=False)
    weekly = create_user()
    for person in (opted_out, inactive, weekly):
        _follow(theme, person)
    db.session.add(NotificationSettings(user_id=opted_out.id, digest=DigestFrequency.OFF))
    db.session.add(NotificationSettings(user_id=weekly.id, digest=DigestFrequency.DAILY))
    db.session.commit()
    publish(MONDAY - timedelta(days=1), themes=[theme])

    assert digest.send_knowledge_digests(MONDAY) == 1
    assert [mail.recipient for mail in _mails()] == [weekly.email]


def test_unpublished_withdrawn_hidden_old_and_too_fresh_outputs_are_left_out(
    create_user, create_community, create_output, publish, theme
):
    reader = create_user()
    _follow(theme, reader)
    owner = create_user()
    community = create_community(owner=owner)
    create_output(community=community, themes=[theme], title="Concept", state="draft")
    create_output(community=community, themes=[theme], title="In review", state="in_review")
    gone = publish(MONDAY - timedelta(days=1), community=community, themes=[theme], title="Weg")
    services.withdraw(gone, owner, "Verouderd.")
    db.session.commit()
    hidden = create_community(visibility=Visibility.INVITE)
    publish(MONDAY - timedelta(days=1), community=hidden, themes=[theme], title="Besloten")
    publish(MONDAY - timedelta(days=8), themes=[theme], title="Te oud")
    publish(MONDAY - timedelta(minutes=1), themes=[theme], title="Te vers")
    publish(MONDAY - timedelta(days=6), themes=[theme], title="Deze week")

    assert digest.send_knowledge_digests(MONDAY) == 1

    [mail] = _mails()
    assert "Deze week" in mail.body_text
    for title in ("Concept", "In review", "Weg", "Besloten", "Te oud", "Te vers"):
        assert title not in mail.body_text


def test_nothing_is_sent_before_monday_seven(create_user, publish, theme):
    _follow(theme, create_user())
    publish(MONDAY - timedelta(days=1), themes=[theme])

    assert digest.send_knowledge_digests(MONDAY.replace(hour=6, minute=59)) == 0
    assert _mails() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KnowledgeDigest)) == 0


def test_a_second_run_sends_nothing_and_the_next_week_only_what_is_new(create_user, publish, theme):
    reader = create_user()
    _follow(theme, reader)
    publish(MONDAY - timedelta(days=1), themes=[theme], title="Eerste")

    assert digest.send_knowledge_digests(MONDAY) == 1
    assert digest.send_knowledge_digests(MONDAY + timedelta(minutes=5)) == 0
    # Something new on Wednesday waits for next week: one mail a week.
    publish(MONDAY + timedelta(days=2), themes=[theme], title="Tweede")
    assert digest.send_knowledge_digests(MONDAY + timedelta(days=2, hours=1)) == 0
    assert len(_mails()) == 1

    assert digest.send_knowledge_digests(MONDAY + timedelta(days=7)) == 1
    _first, second = _mails()
    assert "Tweede" in second.body_text and "Eerste" not in second.body_text
    weeks = db.session.scalars(
        sa.select(KnowledgeDigest.week).where(KnowledgeDigest.user_id == reader.id)
    ).all()
    assert sorted(weeks) == ["2026-W49", "2026-W50"]


def test_without_news_nothing_is_recorded_so_later_news_that_week_still_arrives(
    create_user, publish, theme
):
    reader = create_user()
    _follow(theme, reader)

    assert digest.send_knowledge_digests(MONDAY) == 0
    assert db.session.get(KnowledgeDigest, (reader.id, "2026-W49")) is None

    publish(MONDAY + timedelta(days=1), themes=[theme], title="Dinsdag")
    assert digest.send_knowledge_digests(MONDAY + timedelta(days=1, hours=1)) == 1
    [mail] = _mails()
    assert "Dinsdag" in mail.body_text


def test_a_revision_is_news_marked_as_such(create_user, publish, theme):
    reader = create_user(preferred_language="en")
    _follow(theme, reader)
    publish(
        MONDAY - timedelta(days=60),
        revised=MONDAY - timedelta(days=2),
        themes=[theme],
        title="Herzien",
    )

    assert digest.send_knowledge_digests(MONDAY) == 1
    assert "Herzien (revised)" in _mails()[0].body_text


def test_a_run_that_lost_the_race_sends_nothing(create_user, publish, theme):
    """Another run claimed the person's week between planning and writing."""
    reader = create_user()
    _follow(theme, reader)
    publish(MONDAY - timedelta(days=1), themes=[theme])
    run = digest.plan_digests(MONDAY)
    [recipient] = run.recipients
    db.session.add(
        KnowledgeDigest(user_id=reader.id, week="2026-W49", covered_until=MONDAY, output_count=1)
    )
    db.session.commit()

    assert digest.write_knowledge_digest(recipient, run) is False
    db.session.commit()
    assert _mails() == []


def test_simultaneous_runs_mail_each_person_once(app, create_user, publish, theme, monkeypatch):
    readers = [create_user() for _ in range(6)]
    for reader in readers:
        _follow(theme, reader)
    publish(MONDAY - timedelta(days=1), themes=[theme])
    db.session.commit()
    # Both runs plan before either writes, so both try every person: the claim must decide.
    planned = threading.Barrier(2, timeout=30)
    waited = threading.local()
    write = digest.write_knowledge_digest

    def write_after_both_planned(recipient, run):
        if not getattr(waited, "done", False):
            waited.done = True
            planned.wait()
        return write(recipient, run)

    monkeypatch.setattr(digest, "write_knowledge_digest", write_after_both_planned)
    sent: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                sent.append(digest.send_knowledge_digests(MONDAY))
                db.session.remove()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(sent) == len(readers)
    assert sorted(mail.recipient for mail in _mails()) == sorted(r.email for r in readers)


def test_send_digests_command_sends_the_knowledge_digest(
    app, create_user, publish, theme, monkeypatch
):
    _follow(theme, create_user())
    publish(MONDAY - timedelta(days=1), themes=[theme])
    monkeypatch.setattr(digest, "utcnow", lambda: MONDAY)
    db.session.commit()

    output = app.test_cli_runner().invoke(args=["plc", "send-digests"]).output

    assert "knowledge digests: 1" in output
    assert (
        "knowledge digests: 0" in app.test_cli_runner().invoke(args=["plc", "send-digests"]).output
    )
