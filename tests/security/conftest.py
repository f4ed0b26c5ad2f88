"""One world for the security sweep, built once per module, and a logged-in client per role.

The world is the demo data (every kind of object, in every state, built through the real
services) plus six people whose links to chosen objects are set here, so that each role means
the same thing for every route:

- anonymous: no account;
- outsider: a teacher with an account and no link to anything in the world;
- member: an active member of the chosen communities, a teacher at the leader's school who
  shares their record, owner of a personal goal, a record entry with evidence and a question;
- facilitator: a facilitator of the chosen communities;
- leader: school leader of a school that co-owns the chosen community;
- provider: staff of the organisation that offers the chosen offering;
- admin: a platform administrator.

The sweep reads; a test that changes data restores it or makes its own rows.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g

from plc.auth.consents import record_consent
from plc.auth.models import User
from plc.extensions import db, limiter
from tests.conftest import PASSWORD, PlcClient, _empty_all_tables, _hash
from tests.security.routes import ROLES


@dataclass
class World:
    """Ids and slugs only: each request and test has its own database session."""

    user_ids: dict[str, int] = field(default_factory=dict)
    #: Values for URL arguments, by "endpoint:argument", "blueprint:argument" or "argument".
    values: dict[str, Any] = field(default_factory=dict)
    #: The demo community the chosen thread lives in (co-owned by the leader's school).
    community_id: int = 0


def _first(query: sa.Select[Any]) -> Any:
    row = db.session.execute(query.limit(1)).first()
    assert row is not None, f"the demo data has no row for {query}"
    return row[0] if len(row) == 1 else row


def _new_user(key: str, **fields: Any) -> User:
    user = User(
        email=f"sweep-{key}@example.org",
        display_name=f"Sweep {key.title()}",
        password_hash=_hash(PASSWORD),
        **fields,
    )
    db.session.add(user)
    db.session.flush()
    record_consent(user)
    return user


def _approve(user: User, organisation_id: int, role: Any) -> int:
    from plc.organisations.models import MembershipStatus, OrganisationMembership

    membership = OrganisationMembership(
        organisation_id=organisation_id,
        user_id=user.id,
        role=role,
        status=MembershipStatus.APPROVED,
    )
    db.session.add(membership)
    db.session.flush()
    return membership.id


def _join(community_id: int, user: User, role: Any) -> int:
    from plc.communities.models import Community, CommunityMember, MemberStatus
    from plc.core.models import utcnow

    member = CommunityMember(
        community_id=community_id,
        user_id=user.id,
        role=role,
        status=MemberStatus.ACTIVE,
        joined_at=utcnow(),
    )
    db.session.add(member)
    community = db.session.get(Community, community_id)
    community.member_count += 1
    db.session.flush()
    return member.id


def _chosen_objects(world: World) -> dict[str, int]:
    """Demo objects of every kind; returns the community of each feature's object."""
    from plc.catalogue.models import Enrolment, EnrolmentStatus, Offering, OfferingStatus
    from plc.communities.models import (
        Community,
        CommunityInvitation,
        CommunityOwner,
        CoOwnerStatus,
    )
    from plc.core.outbox import OutboxMessage
    from plc.discussions.models import Post, Report, Thread
    from plc.knowledge.models import (
        KnowledgeOutput,
        OutputAttachment,
        OutputStatus,
        OutputVersion,
    )
    from plc.live.models import LiveSession
    from plc.pilots.models import Pilot, PilotOrganisation
    from plc.resources.models import Resource, ResourceVersion
    from plc.surveys.models import Survey, SurveyQuestion
    from plc.themes.models import Theme

    v = world.values
    co_owned = (
        sa.select(CommunityOwner.community_id)
        .where(CommunityOwner.status == CoOwnerStatus.ACCEPTED)
        .group_by(CommunityOwner.community_id)
        .having(sa.func.count() > 1)
    )
    thread_id, community_id = _first(
        sa.select(Thread.id, Thread.community_id)
        .join(Post, Post.thread_id == Thread.id)
        .where(Thread.community_id.in_(co_owned))
        .group_by(Thread.id, Thread.community_id)
        .having(sa.func.count(Post.id) > 1)
        .order_by(Thread.id)
    )
    world.community_id = community_id
    posts = db.session.scalars(
        sa.select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id)
    ).all()
    v.update({"discussions:thread_id": thread_id, "discussions:post_id": posts[-1]})

    resource_id, number, resource_community = _first(
        sa.select(ResourceVersion.resource_id, ResourceVersion.number, Resource.community_id)
        .join(Resource)
        .order_by(ResourceVersion.id)
    )
    v.update({"resources:resource_id": resource_id, "resources:number": number})

    session_id, session_community = _first(
        sa.select(LiveSession.id, LiveSession.community_id).order_by(LiveSession.id)
    )
    v["session_id"] = session_id

    output_id, output_slug, output_community, attachment_id, version_number = _first(
        sa.select(
            KnowledgeOutput.id,
            KnowledgeOutput.slug,
            KnowledgeOutput.community_id,
            OutputAttachment.id,
            OutputVersion.number,
        )
        .join(OutputVersion, OutputVersion.output_id == KnowledgeOutput.id)
        .join(OutputAttachment, OutputAttachment.version_id == OutputVersion.id)
        .where(KnowledgeOutput.status == OutputStatus.PUBLISHED)
        .order_by(KnowledgeOutput.id, OutputVersion.number.desc())
    )
    v.update(
        {
            "knowledge:output_id": output_id,
            "attachment_id": attachment_id,
            "kennisbank:slug": output_slug,
            "kennisbank:number": version_number,
            "api_outputs:slug": output_slug,
        }
    )
    draft_id, draft_community = _first(
        sa.select(KnowledgeOutput.id, KnowledgeOutput.community_id)
        .where(KnowledgeOutput.status == OutputStatus.DRAFT)
        .order_by(KnowledgeOutput.id)
    )
    v["knowledge.draft:output_id"] = draft_id

    offering_slug, provider_id = _first(
        sa.select(Offering.slug, Offering.provider_id)
        .where(Offering.status == OfferingStatus.PUBLISHED)
        .order_by(Offering.id)
    )
    v.update({"catalogue:slug": offering_slug, "api_offerings:slug": offering_slug})
    v["provider_id"] = provider_id
    v["enrolment_id"] = _first(
        sa.select(Enrolment.id)
        .where(Enrolment.status == EnrolmentStatus.AWAITING_APPROVAL)
        .order_by(Enrolment.id)
    )

    pilot_id, pilot_slug = _first(sa.select(Pilot.id, Pilot.slug).order_by(Pilot.id))
    v.update({"pilots:slug": pilot_slug, "api_pilots:slug": pilot_slug})
    v["pilots:organisation_id"] = _first(
        sa.select(PilotOrganisation.organisation_id)
        .where(PilotOrganisation.pilot_id == pilot_id)
        .order_by(PilotOrganisation.id)
    )

    survey_id = _first(sa.select(Survey.id).order_by(Survey.id))
    v["survey_id"] = survey_id
    v["surveys:question_id"] = _first(
        sa.select(SurveyQuestion.id).where(SurveyQuestion.survey_id == survey_id)
    )

    theme_id, theme_slug = _first(sa.select(Theme.id, Theme.slug).order_by(Theme.id))
    v.update({"theme_id": theme_id, "following:slug": theme_slug})
    v["message_id"] = _first(sa.select(OutboxMessage.id).order_by(OutboxMessage.id))
    v["invitation_id"] = _first(
        sa.select(CommunityInvitation.id)
        .where(CommunityInvitation.community_id == community_id)
        .order_by(CommunityInvitation.id)
        if db.session.scalar(
            sa.select(CommunityInvitation.id).where(
                CommunityInvitation.community_id == community_id
            )
        )
        else sa.select(CommunityInvitation.id).order_by(CommunityInvitation.id)
    )
    communities = {
        "communities": community_id,
        "api_communities": community_id,
        "discussions": community_id,
        "questions": community_id,
        "resources": resource_community,
        "live": session_community,
        "knowledge": output_community,
        "knowledge.draft": draft_community,
    }
    for blueprint, some_id in communities.items():
        v[f"{blueprint}:slug"] = db.session.get(Community, some_id).slug
    report = Report(post_id=posts[-1], reason="Klopt niet.")
    db.session.add(report)
    db.session.flush()
    v["report_id"] = report.id
    return communities


def _add_people(world: World, communities: dict[str, int]) -> None:
    from plc.communities.models import CommunityOwner, CoOwnerStatus, MemberRole
    from plc.organisations.models import Organisation, OrganisationRole

    v = world.values
    outsider = _new_user("outsider")
    member = _new_user("member")
    facilitator = _new_user("facilitator")
    leader = _new_user("leader")
    provider = _new_user("provider")
    admin = _new_user("admin", is_admin=True)
    # What admins act on in the sweep (deactivate, change roles): never one of the roles.
    v["admin:user_id"] = _new_user("bystander").id

    school_id = _first(
        sa.select(CommunityOwner.organisation_id)
        .join(Organisation, Organisation.id == CommunityOwner.organisation_id)
        .where(
            CommunityOwner.community_id == world.community_id,
            CommunityOwner.status == CoOwnerStatus.ACCEPTED,
            Organisation.kind == "school",
            Organisation.parent_id.is_not(None),
        )
        .order_by(CommunityOwner.id)
    )
    school = db.session.get(Organisation, school_id)
    v.update(
        {
            "organisations:slug": school.slug,
            "plan:slug": school.slug,
            "dashboards.school:slug": school.slug,
            "dashboards.school_csv:slug": school.slug,
            "dashboards.board:slug": school.parent.slug,
            "dashboards.board_csv:slug": school.parent.slug,
            "api_organisations:slug": school.slug,
            "communities.co_ownership:slug": school.slug,
            "communities.decide_co_ownership:slug": school.slug,
            "communities:owner_id": _first(
                sa.select(CommunityOwner.id).where(
                    CommunityOwner.community_id == world.community_id,
                    CommunityOwner.organisation_id == school_id,
                )
            ),
            "partner_id": school.partners[0].id if school.partners else school.parent_id,
            "organisations:membership_id": _approve(member, school_id, OrganisationRole.TEACHER),
        }
    )
    _approve(leader, school_id, OrganisationRole.SCHOOL_LEADER)
    _approve(provider, v["provider_id"], OrganisationRole.PROVIDER_STAFF)
    for community_id in sorted(set(communities.values())):
        member_id = _join(community_id, member, MemberRole.MEMBER)
        _join(community_id, facilitator, MemberRole.FACILITATOR)
        if community_id == world.community_id:
            v["member_id"] = member_id
    world.user_ids = {
        "outsider": outsider.id,
        "member": member.id,
        "facilitator": facilitator.id,
        "leader": leader.id,
        "provider": provider.id,
        "admin": admin.id,
    }
    v["user_id"] = member.id
    db.session.commit()


def _members_own_things(world: World) -> None:
    """The member's personal goal (with a reflection and an activity), record entry with
    evidence, shared record, school goal of the school, a question, a notification, tokens."""
    from plc.auth.services import make_reset_token
    from plc.catalogue import services as catalogue
    from plc.development import goals, services
    from plc.development.models import ActivityKind
    from plc.live.services import feed_token
    from plc.notifications.models import Notification, NotificationKind
    from plc.notifications.services import unsubscribe_token
    from plc.organisations.models import Organisation

    v = world.values
    member = db.session.get(User, world.user_ids["member"])
    leader = db.session.get(User, world.user_ids["leader"])
    school = db.session.scalar(
        sa.select(Organisation).where(Organisation.slug == v["organisations:slug"])
    )
    goal = goals.add_goal(member, goals.GoalFields(title="Formatief evalueren"))
    reflection = goals.add_reflection(goal, member, "Het ging goed.")
    activity = goals.add_activity(goal, member, ActivityKind.COMMUNITY, world.community_id)
    school_goal = goals.add_school_goal(
        school, leader, goals.SchoolGoalFields(title="Leesonderwijs versterken")
    )
    entry = services.add_entry(
        member,
        services.EntryFields(title="Cursus", activity_date=date(2026, 10, 1), contact_minutes=120),
        services.Evidence(io.BytesIO(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"), "bewijs.pdf"),
    )
    services.share_record(member)
    question = catalogue.ask(member, catalogue.QuestionFields(title="Hoe differentieer ik?"))
    notification = Notification(
        user_id=member.id,
        kind=NotificationKind.REPLY,
        thread_id=v["discussions:thread_id"],
        community_id=world.community_id,
        post_id=v["discussions:post_id"],
    )
    db.session.add(notification)
    db.session.flush()
    v.update(
        {
            "goal_id": goal.id,
            "reflection_id": reflection.id,
            "activity_id": activity.id,
            "plan.edit_school_goal:goal_id": school_goal.id,
            "entry_id": entry.id,
            "questions:question_id": question.id,
            "notification_id": notification.id,
            "live:token": feed_token(member),
            "auth:token": make_reset_token(member),
            "notifications:token": unsubscribe_token(member),
            # An invitation link nobody was sent: it must open nothing.
            "communities:token": "no-such-invitation",
            "table_id": "deelname",
            "dashboards.school_csv:table_id": "samenvatting",
            "dashboards.board_csv:table_id": "samenvatting",
            "core:page": "privacy",
            "discussions:action": "vastzetten",
        }
    )
    db.session.commit()


def _uploaded_files(app: Flask) -> set[str]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    from plc.core.demo import load_demo

    files_before = _uploaded_files(app)
    with app.app_context():
        g.plc_db_write = False
        load_demo(force=False, environment="testing")
        db.session.commit()
        built = World()
        communities = _chosen_objects(built)
        _add_people(built, communities)
        _members_own_things(built)
        yield built
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()
    for name in _uploaded_files(app) - files_before:
        os.remove(Path(app.config["UPLOAD_FOLDER"]) / name)
    limiter.reset()


@pytest.fixture(autouse=True)
def app_context(app: Flask, world: World) -> Iterator[None]:
    """Replaces the suite's per-test emptying: the world stays for the whole module."""
    config = dict(app.config)
    with app.app_context():
        g.plc_db_write = False
        yield
        db.session.rollback()
        db.session.remove()
    app.config.clear()
    app.config.update(config)
    limiter.reset()


@pytest.fixture(scope="module")
def clients(app: Flask, world: World) -> dict[str, PlcClient]:
    """One client per role, logged in once through the real login form."""
    app.test_client_class = PlcClient
    made: dict[str, PlcClient] = {}
    with app.app_context():
        for role in ROLES:
            client: PlcClient = app.test_client()  # type: ignore[assignment]
            if role != "anonymous":
                email = f"sweep-{role}@example.org"
                response = client.login(email)
                assert response.status_code == 302, f"{role} could not log in"
            made[role] = client
        limiter.reset()
    return made
