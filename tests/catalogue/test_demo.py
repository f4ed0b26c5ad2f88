"""The demo catalogue: offerings of every format by Amsterdam's providers, learning questions
with visible demand, and enrolments in every state that matters (full with a waiting list,
waiting for the school leader, completed with hours credited)."""

from __future__ import annotations

import sqlalchemy as sa

from plc.auth.models import User
from plc.catalogue import services
from plc.catalogue.demo import OFFERINGS, QUESTIONS
from plc.catalogue.models import (
    PLACE_HOLDING,
    Enrolment,
    EnrolmentStatus,
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
    QuestionSupport,
)
from plc.core.demo import load_demo
from plc.core.models import utcnow
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind
from plc.organisations.models import MembershipStatus, OrganisationMembership, OrganisationRole


def _load() -> None:
    load_demo(force=False, environment="testing")
    db.session.commit()  # as the command does


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _offerings() -> list[Offering]:
    """The catalogue demo's own offerings (the development demo adds courses of its own)."""
    titles = [spec.title for spec in OFFERINGS]
    return list(
        db.session.scalars(
            sa.select(Offering).where(Offering.title.in_(titles)).order_by(Offering.id)
        )
    )


def _demo_offers_every_format_published_by_the_providers_staff() -> None:
    offerings = _offerings()
    assert len(offerings) == len(OFFERINGS) >= 38
    published = [o for o in offerings if o.status == OfferingStatus.PUBLISHED]
    assert {o.format for o in published} == set(OfferingFormat)
    statuses = [o.status for o in offerings]
    assert statuses.count(OfferingStatus.DRAFT) == 2
    assert statuses.count(OfferingStatus.CANCELLED) == 1
    assert len({o.provider_id for o in offerings}) >= 10
    for offering in offerings:
        # Made by an approved staff member of the provider, as the service demands.
        assert offering.created_by is not None
        assert db.session.scalar(
            sa.select(OrganisationMembership.id).where(
                OrganisationMembership.user_id == offering.created_by_id,
                OrganisationMembership.organisation_id == offering.provider_id,
                OrganisationMembership.role == OrganisationRole.PROVIDER_STAFF,
                OrganisationMembership.status == MembershipStatus.APPROVED,
            )
        )
        assert offering.themes and offering.meetings and offering.summary
        assert offering.location or offering.online
        assert offering.starts_at == offering.meetings[0].starts_at
        assert offering.created_at <= utcnow()
    # Most start ahead; those completed took place.
    ahead = [o for o in published if o.completed_at is None]
    assert all(o.starts_at is not None and o.starts_at > utcnow() for o in ahead)
    assert any(o.cost_cents for o in offerings) and any(o.is_free for o in offerings)
    assert any(o.needs_leader_approval for o in offerings)
    assert any(o.scope == "own_board" for o in offerings)
    assert sum(o.scope == "everyone" for o in offerings) > len(offerings) // 2


def _demo_enrolments_hold_places_within_capacity_with_a_waiting_list_and_approvals() -> None:
    for offering in _offerings():
        holding = db.session.scalar(
            sa.select(sa.func.count(Enrolment.id)).where(
                Enrolment.offering_id == offering.id, Enrolment.status.in_(PLACE_HOLDING)
            )
        )
        assert offering.enrolled_count == holding
        assert offering.capacity is None or offering.enrolled_count <= offering.capacity

    waiting = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.status == EnrolmentStatus.WAITLISTED)
    ).all()
    assert waiting
    full = waiting[0].offering
    assert full.capacity is not None and full.enrolled_count == full.capacity
    queue = services.participants(full)[EnrolmentStatus.WAITLISTED]
    assert len(queue) == len(waiting) >= 2  # one full offering, its queue in order
    assert [services.waitlist_position(e) for e in queue] == list(range(1, len(queue) + 1))

    # Fatima's enrolment waits for her school leader (Yusuf), who can decide it.
    awaiting = services.awaiting_approval(_user("yusuf@example.org"))
    assert [e.user.email for e in awaiting] == ["fatima@example.org"]
    assert services.may_decide(awaiting[0], _user("yusuf@example.org"))
    approved = db.session.scalars(
        sa.select(Enrolment).where(Enrolment.decided_by_id.is_not(None))
    ).all()
    assert approved and all(e.status == EnrolmentStatus.ENROLLED for e in approved)

    # Several demo teachers are enrolled in several offerings.
    for email in ("fatima@example.org", "sanne@example.org", "milan@example.org"):
        assert len(services.my_enrolments(_user(email))) >= 2


def _demo_completed_offerings_credit_their_hours() -> None:
    completed = [o for o in _offerings() if o.completed_at is not None]
    assert completed
    for offering in completed:
        assert offering.ends_at is not None and offering.ends_at < offering.completed_at
        assert offering.completed_at <= utcnow()
        done = db.session.scalars(
            sa.select(Enrolment).where(
                Enrolment.offering_id == offering.id,
                Enrolment.status == EnrolmentStatus.COMPLETED,
            )
        ).all()
        assert done
        for enrolment in done:
            entry = db.session.scalars(
                sa.select(RecordEntry).where(
                    RecordEntry.user_id == enrolment.user_id,
                    RecordEntry.source == RecordSource.OFFERING,
                    RecordEntry.source_id == offering.id,
                )
            ).one()
            assert entry.contact_minutes == offering.contact_minutes > 0
    fatima = _user("fatima@example.org")
    assert db.session.scalar(
        sa.select(sa.func.count(RecordEntry.id)).where(
            RecordEntry.user_id == fatima.id, RecordEntry.source == RecordSource.OFFERING
        )
    )
    # Someone marked absent got no hours and keeps the enrolment (not completed).
    absent = db.session.scalars(
        sa.select(Enrolment).where(
            Enrolment.offering_id.in_([o.id for o in completed]),
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    ).all()
    assert absent


def _demo_learning_questions_show_demand_with_supports_and_resolutions() -> None:
    questions = list(db.session.scalars(sa.select(LearningQuestion)))
    assert len(questions) == len(QUESTIONS) >= 55
    counted = dict(
        db.session.execute(
            sa.select(QuestionSupport.question_id, sa.func.count()).group_by(
                QuestionSupport.question_id
            )
        ).all()
    )
    assert counted
    for question in questions:
        assert question.support_count == counted.get(question.id, 0)
        assert question.author_id not in set(
            db.session.scalars(
                sa.select(QuestionSupport.user_id).where(QuestionSupport.question_id == question.id)
            )
        )
        assert question.themes and question.created_at <= utcnow()
    assert sum(1 for q in questions if 5 <= q.support_count <= 10) >= 8
    assert {q.visibility for q in questions} == {"everyone", "school", "private"}
    assert sum(q.visibility == "everyone" for q in questions) > len(questions) * 3 // 4
    assert any(q.school_id is not None for q in questions)  # a school's own questions

    by_status = {s: [q for q in questions if q.status == s] for s in LearningQuestionStatus}
    assert len(by_status[LearningQuestionStatus.OPEN]) > len(questions) // 2
    assert by_status[LearningQuestionStatus.ANSWERED] and by_status[LearningQuestionStatus.CLOSED]
    adopted = by_status[LearningQuestionStatus.ADOPTED]
    assert len(adopted) >= 3
    assert all(q.adopted_by is not None and q.resolution for q in adopted)

    # Fatima has an open question, on a theme that published offerings serve.
    fatima = _user("fatima@example.org")
    mine = [q for q in by_status[LearningQuestionStatus.OPEN] if q.author_id == fatima.id]
    assert mine
    offered = {
        theme.id
        for offering in _offerings()
        if offering.status == OfferingStatus.PUBLISHED and offering.completed_at is None
        for theme in offering.themes
    }
    assert any({t.id for t in q.themes} & offered for q in mine)
    # An offering published after she asked reached her notifications as a new match.
    assert db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == fatima.id, Notification.kind == NotificationKind.NEW_MATCH
        )
    )


def _demo_leaves_gaps_between_demand_and_supply() -> None:
    """Some themes are asked about much and offered little, others the other way round."""
    demand: dict[str, int] = {}
    for question in db.session.scalars(sa.select(LearningQuestion)):
        if question.status == LearningQuestionStatus.OPEN:
            for theme in question.themes:
                demand[theme.slug] = demand.get(theme.slug, 0) + 1 + question.support_count
    supply: dict[str, int] = {}
    for offering in db.session.scalars(sa.select(Offering)):
        if offering.status == OfferingStatus.PUBLISHED:
            for theme in offering.themes:
                supply[theme.slug] = supply.get(theme.slug, 0) + 1
    assert demand.get("ouderbetrokkenheid", 0) >= 10 and supply.get("ouderbetrokkenheid", 0) == 0
    assert demand["ai-in-het-onderwijs"] >= 30 and supply["ai-in-het-onderwijs"] <= 1
    assert supply["onderzoekend-leren"] >= 5 and demand.get("onderzoekend-leren", 0) <= 3


def test_the_catalogue_demo() -> None:
    """One load of the demo (it takes seconds), then each part of it checked in turn."""
    # How long the load takes is not asserted here (a test's clock is the machine's load); it
    # is part of the whole suite's time, which CI bounds.
    _load()
    _demo_offers_every_format_published_by_the_providers_staff()
    _demo_enrolments_hold_places_within_capacity_with_a_waiting_list_and_approvals()
    _demo_completed_offerings_credit_their_hours()
    _demo_learning_questions_show_demand_with_supports_and_resolutions()
    _demo_leaves_gaps_between_demand_and_supply()
