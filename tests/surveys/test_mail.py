"""Publishing, who is invited, and the invitations and the one reminder through the outbox: by
the owner's button and by cron (`send-digests`), never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from plc.auth.models import User
from plc.catalogue.models import Enrolment, EnrolmentStatus
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.models import Attendance, RsvpStatus
from plc.notifications.models import (
    DigestFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from plc.surveys import services
from plc.surveys.models import Survey, SurveyInvitation, SurveyStatus
from tests.surveys.conftest import LANG_EN, mails, scale


def _invited(survey: Survey) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
        )
    )


def _send_digests(app) -> str:
    """`flask plc send-digests`, as cron runs it. The e-mail digests it also writes are another
    feature's business: everyone's digest is switched off here, so the runs carry survey mail
    only (and the counts below are of survey mail)."""
    for user_id in db.session.scalars(sa.select(User.id)):
        if db.session.get(NotificationSettings, user_id) is None:
            db.session.add(NotificationSettings(user_id=user_id, digest=DigestFrequency.OFF))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["plc", "send-digests"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


# -- publishing ---------------------------------------------------------------------------------


def test_publishing_needs_questions_and_a_closing_moment_ahead(
    session_setup, login_client, make_survey
):
    setup = session_setup(participants=1)
    client = login_client(setup.owner)
    empty = make_survey(setup.session, setup.owner, [], publish=False)
    page = client.submit(f"/vragenlijsten/{empty.id}/publiceren", follow_redirects=True)
    assert "Add at least one question" in page.get_data(as_text=True)

    over = make_survey(
        setup.session,
        setup.owner,
        [scale("q1")],
        publish=False,
        opens_in=timedelta(days=-5),
        lasts=timedelta(days=1),
    )
    page = client.submit(f"/vragenlijsten/{over.id}/publiceren", follow_redirects=True)
    assert "closing moment has passed" in page.get_data(as_text=True)

    db.session.expire_all()
    assert {s.status for s in db.session.scalars(sa.select(Survey))} == {SurveyStatus.DRAFT}
    assert mails() == []
    with pytest.raises(ServiceError):
        services.publish(db.session.get(Survey, empty.id), setup.owner)


def test_publishing_an_open_survey_invites_the_session_audience_at_once(
    session_setup, login_client, make_survey, create_user, rsvp, add_member
):
    setup = session_setup(participants=2)
    maybe, declined, inactive, attendee = (create_user(**LANG_EN) for _ in range(4))
    for person, status in ((maybe, RsvpStatus.MAYBE), (declined, RsvpStatus.NOT_GOING)):
        add_member(setup.community, person)
        rsvp(setup.session, person, status)
    inactive.active = False
    rsvp(setup.session, inactive)
    db.session.add(
        Attendance(session_id=setup.session.id, user_id=attendee.id, connection_id="sid-1")
    )
    db.session.commit()
    survey = make_survey(
        setup.session, setup.owner, [scale("q1")], publish=False, title="Terugblik"
    )
    client = login_client(setup.owner)

    response = client.submit(f"/vragenlijsten/{survey.id}/publiceren", follow_redirects=True)

    assert "3 people are invited" in response.get_data(as_text=True)
    expected = {setup.people[0].id, setup.people[1].id, attendee.id}
    assert _invited(survey) == expected
    sent = mails("Terugblik")
    assert sorted(m.recipient for m in sent) == sorted(
        [setup.people[0].email, setup.people[1].email, attendee.email]
    )
    assert f"/vragenlijsten/{survey.id}/invullen" in sent[0].body_text
    assert "anonymous" in sent[0].body_text and sent[0].body_html
    lines = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.SURVEY_OPEN)
    ).all()
    assert {n.user_id for n in lines} == expected
    assert {n.link for n in lines} == {f"/vragenlijsten/{survey.id}/invullen"}
    db.session.refresh(survey)
    assert survey.status == SurveyStatus.PUBLISHED and survey.invited_at is not None


def test_invitations_wait_for_the_opening_and_go_once_from_cron(
    app, session_setup, login_client, make_survey
):
    setup = session_setup(participants=2)
    survey = make_survey(
        setup.session, setup.owner, [scale("q1")], opens_in=timedelta(days=2), title="Later open"
    )
    assert mails("Later open") == [] and _invited(survey) == set()
    assert "survey invitations: 0" in _send_digests(app)

    survey = db.session.get(Survey, survey.id)
    survey.opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    first = _send_digests(app)
    second = _send_digests(app)

    assert "survey invitations: 2" in first and "survey reminders: 0" in first
    assert "survey invitations: 0" in second
    assert len(mails("Later open")) == 2
    assert _invited(survey) == {p.id for p in setup.people}


def test_offering_surveys_invite_the_participants_holding_a_place(
    create_offering, create_user, make_survey
):
    offering = create_offering()
    statuses = [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.CANCELLED,
        EnrolmentStatus.AWAITING_APPROVAL,
    ]
    people = [create_user() for _ in statuses]
    for person, status in zip(people, statuses, strict=True):
        db.session.add(Enrolment(offering_id=offering.id, user_id=person.id, status=status))
    db.session.commit()
    survey = make_survey(offering, offering.created_by, [scale("q1")])
    assert _invited(survey) == {people[0].id, people[1].id}


def test_pilot_surveys_invite_the_pilot_people(
    create_pilot, create_organisation, create_user, create_community, add_member, make_survey
):
    contact, sponsor, member = create_user(), create_user(), create_user()
    community = create_community()
    add_member(community, member)
    pilot = create_pilot(
        participants=[(create_organisation(), contact, sponsor)], communities=[community]
    )
    owner_of_community = community.created_by_id
    survey = make_survey(pilot, contact, [scale("q1")], template="builtin:pilot-evaluation")
    assert _invited(survey) == {contact.id, sponsor.id, member.id, owner_of_community}


# -- the one reminder ---------------------------------------------------------------------------


def test_the_owners_button_reminds_those_who_have_not_answered_once(
    app, session_setup, login_client, make_survey, give_answers
):
    setup = session_setup(participants=3)
    survey = make_survey(setup.session, setup.owner, [scale("q1")], title="Knopje")
    give_answers(survey, setup.people[0], {"q1": 3})
    client = login_client(setup.owner)

    first = client.submit(f"/vragenlijsten/{survey.id}/herinneren", follow_redirects=True)
    second = client.submit(f"/vragenlijsten/{survey.id}/herinneren", follow_redirects=True)

    assert "sent to 2 people" in first.get_data(as_text=True)
    assert "only one" in second.get_data(as_text=True)
    reminders = mails("Reminder: survey Knopje")
    assert sorted(m.recipient for m in reminders) == sorted(p.email for p in setup.people[1:])
    assert "This is the only reminder." in reminders[0].body_text

    # Even close to the closing, cron sends no second one.
    survey = db.session.get(Survey, survey.id)
    survey.closes_at = utcnow() + timedelta(hours=20)
    db.session.commit()
    assert "survey reminders: 0" in _send_digests(app)
    assert len(mails("Reminder: survey Knopje")) == 2
    reminded = db.session.scalars(
        sa.select(SurveyInvitation.user_id).where(SurveyInvitation.reminded_at.is_not(None))
    ).all()
    assert set(reminded) == {p.id for p in setup.people[1:]}


def test_cron_reminds_two_days_before_closing_once_and_the_button_is_then_refused(
    app, session_setup, login_client, make_survey, give_answers
):
    setup = session_setup(participants=2)
    survey = make_survey(setup.session, setup.owner, [scale("q1")], title="Automatisch")
    give_answers(survey, setup.people[1], {"q1": 5})
    assert "survey reminders: 0" in _send_digests(app)  # closing is still far away

    survey = db.session.get(Survey, survey.id)
    survey.invited_at = utcnow() - timedelta(days=3)
    survey.closes_at = utcnow() + timedelta(days=1, hours=12)
    db.session.commit()
    first = _send_digests(app)
    second = _send_digests(app)

    assert "survey reminders: 1" in first and "survey reminders: 0" in second
    [reminder] = mails("Reminder: survey Automatisch")
    assert reminder.recipient == setup.people[0].email
    page = login_client(setup.owner).submit(
        f"/vragenlijsten/{survey.id}/herinneren", follow_redirects=True
    )
    assert "only one" in page.get_data(as_text=True)
    assert len(mails("Reminder: survey Automatisch")) == 1


def test_no_automatic_reminder_right_after_the_invitations(app, session_setup, make_survey):
    setup = session_setup(participants=1)
    make_survey(setup.session, setup.owner, [scale("q1")], lasts=timedelta(days=1), title="Kort")
    assert "survey reminders: 0" in _send_digests(app)
    assert mails("Reminder") == []


def test_a_reminder_needs_someone_to_remind_and_an_open_survey(
    session_setup, make_survey, give_answers
):
    setup = session_setup(participants=1)
    survey = make_survey(setup.session, setup.owner, [scale("q1")])
    give_answers(survey, setup.people[0], {"q1": 2})
    with pytest.raises(ServiceError, match="nobody to remind"):
        services.remind(db.session.get(Survey, survey.id), setup.owner)
    later = make_survey(setup.session, setup.owner, [scale("q1")], opens_in=timedelta(days=1))
    with pytest.raises(ServiceError, match="while the survey is open"):
        services.remind(later, setup.owner)
    db.session.rollback()
    assert mails("Reminder") == []
