"""The lifecycle: who approves (each contact, for their own organisation, the current version),
asking for changes and sending again, start → evaluation → conclusion (which needs a published
evaluation report of the pilot's communities), stopping, the timeline, and simultaneous steps."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from plc.communities.models import Visibility
from plc.core.errors import ServiceError
from plc.extensions import db
from plc.knowledge.models import OutputType
from plc.notifications.models import Notification, NotificationKind
from plc.pilots import services
from plc.pilots.models import Pilot, PilotEvent, PilotEventKind, PilotStatus


def _events(pilot: Pilot) -> list[PilotEvent]:
    return list(
        db.session.scalars(
            sa.select(PilotEvent).where(PilotEvent.pilot_id == pilot.id).order_by(PilotEvent.id)
        )
    )


def _kinds(pilot: Pilot) -> list[PilotEventKind]:
    return [event.kind for event in _events(pilot)]


def _notified(kind: NotificationKind) -> list[int]:
    return sorted(
        db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == kind))
    )


def _status(pilot: Pilot) -> PilotStatus:
    return db.session.scalar(sa.select(Pilot.status).where(Pilot.id == pilot.id))


# -- approvals ------------------------------------------------------------------------------------


def test_each_contact_approves_for_their_own_organisation(world, make_pilot):
    pilot = make_pilot()

    assert services.approve(pilot, world.contact_school, world.school.id, 1, "Akkoord.") is False
    db.session.commit()
    assert pilot.status == PilotStatus.PROPOSED  # one of two
    assert services.approve(pilot, world.contact_academy, world.academy.id, 1) is True
    db.session.commit()

    assert _status(pilot) == PilotStatus.APPROVED
    events = _events(pilot)
    assert [(e.kind, e.actor_id, e.organisation_id) for e in events[1:]] == [
        (PilotEventKind.APPROVED_BY, world.contact_school.id, world.school.id),
        (PilotEventKind.APPROVED_BY, world.contact_academy.id, world.academy.id),
        (PilotEventKind.APPROVED, world.contact_academy.id, None),
    ]
    assert events[1].comment == "Akkoord."
    # Every owner hears that the pilot is approved, except who approved last.
    assert _notified(NotificationKind.PILOT_STEP) == sorted(
        [
            world.proposer.id,
            world.contact_school.id,
            world.sponsor_school.id,
            world.sponsor_academy.id,
        ]
    )


def test_a_contact_cannot_approve_for_another_organisation(world, make_pilot, login_client):
    pilot = make_pilot()
    with pytest.raises(ServiceError, match="Only the contact of Rekenacademie Noord"):
        services.approve(pilot, world.contact_school, world.academy.id, 1)
    db.session.rollback()

    response = login_client(world.contact_school).submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.academy.id}",
        {"decision": "approve", f"org{world.academy.id}-version": "1"},
    )

    assert response.status_code == 404
    assert _kinds(pilot) == [PilotEventKind.PROPOSED]


@pytest.mark.parametrize("who", ["proposer", "sponsor_school", "member", "outsider", "admin"])
def test_only_contacts_approve(world, make_pilot, login_client, who):
    pilot = make_pilot()
    person = getattr(world, who)
    with pytest.raises(ServiceError):
        services.approve(pilot, person, world.school.id, 1)
    db.session.rollback()
    response = login_client(person).submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.school.id}",
        {"decision": "approve", f"org{world.school.id}-version": "1"},
    )
    assert response.status_code == 404
    assert _kinds(pilot) == [PilotEventKind.PROPOSED]


def test_approving_through_the_page(world, make_pilot, login_client):
    pilot = make_pilot()
    client = login_client(world.contact_school)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Waiting for your approval" in page and "Approve for Het Noordlicht" in page

    response = client.submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.school.id}",
        {
            "decision": "approve",
            f"org{world.school.id}-version": "1",
            f"org{world.school.id}-comment": "Graag!",
        },
    )

    assert response.status_code == 302
    assert _events(pilot)[-1].comment == "Graag!"
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Waiting for your approval" not in page  # answered
    # A second click changes nothing.
    again = client.submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.school.id}",
        {"decision": "approve", f"org{world.school.id}-version": "1"},
    )
    assert again.status_code == 302
    assert _kinds(pilot).count(PilotEventKind.APPROVED_BY) == 1


def test_an_approval_counts_for_the_version_the_contact_read(world, make_pilot, login_client):
    pilot = make_pilot()
    fields = services.fields_of(pilot)
    fields.goals = "Anders."
    services.update_charter(pilot, world.proposer, fields)
    db.session.commit()

    client = login_client(world.contact_school)
    response = client.submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.school.id}",
        {"decision": "approve", f"org{world.school.id}-version": "1"},
    )

    assert response.status_code == 302
    assert PilotEventKind.APPROVED_BY not in _kinds(pilot)
    page = client.get(f"/pilots/{pilot.slug}")
    assert "The charter changed since you opened it" in page.get_data(as_text=True)


# -- asking for changes ---------------------------------------------------------------------------


def test_asking_for_changes_needs_a_comment(world, make_pilot, login_client):
    pilot = make_pilot()
    with pytest.raises(ServiceError) as refused:
        services.request_changes(pilot, world.contact_academy, world.academy.id, "  ")
    assert refused.value.field == "comment"
    db.session.rollback()

    response = login_client(world.contact_academy).submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.academy.id}",
        {"decision": "changes", f"org{world.academy.id}-version": "1"},
    )

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say what should change in the charter." in page
    assert f'id="org{world.academy.id}-comment-error"' in page
    assert _status(pilot) == PilotStatus.PROPOSED


def test_changes_go_to_the_leads_and_the_charter_is_sent_again_after_an_edit(
    world, make_pilot, login_client
):
    pilot = make_pilot()
    services.approve(pilot, world.contact_school, world.school.id, 1)
    db.session.commit()
    response = login_client(world.contact_academy).submit(
        f"/pilots/{pilot.slug}/goedkeuring/{world.academy.id}",
        {
            "decision": "changes",
            f"org{world.academy.id}-version": "1",
            f"org{world.academy.id}-comment": "Acht uur is te weinig.",
        },
    )
    assert response.status_code == 302
    assert _status(pilot) == PilotStatus.CHANGES_REQUESTED
    changes = _events(pilot)[-1]
    assert (changes.kind, changes.organisation_id, changes.comment) == (
        PilotEventKind.CHANGES_REQUESTED,
        world.academy.id,
        "Acht uur is te weinig.",
    )
    # The leads hear it (not the sponsors; not who asked).
    assert _notified(NotificationKind.PILOT_CHANGES) == sorted(
        [world.proposer.id, world.contact_school.id]
    )
    db.session.expire_all()
    # No approvals while changes are asked for, and no resubmission without a change.
    with pytest.raises(ServiceError, match="Changes were asked for"):
        services.approve(pilot, world.contact_academy, world.academy.id, 1)
    with pytest.raises(ServiceError, match="Change the charter first"):
        services.resubmit(pilot, world.proposer)
    db.session.rollback()

    fields = services.fields_of(pilot)
    fields.participants[1].contribution = "Een rekenspecialist, zestien uur."
    services.update_charter(pilot, world.proposer, fields)
    db.session.commit()
    assert (pilot.status, pilot.charter_version) == (PilotStatus.CHANGES_REQUESTED, 2)
    before = len(_notified(NotificationKind.PILOT_APPROVAL))

    client = login_client(world.proposer)
    response = client.submit(
        f"/pilots/{pilot.slug}/opnieuw-voorleggen", {"resubmit-comment": "Zestien uur nu."}
    )

    assert response.status_code == 302
    assert _status(pilot) == PilotStatus.PROPOSED
    assert _events(pilot)[-1].kind == PilotEventKind.PROPOSED
    assert _events(pilot)[-1].charter_version == 2
    # Both contacts are asked again (the school approved version 1 only).
    assert len(_notified(NotificationKind.PILOT_APPROVAL)) == before + 2
    db.session.expire_all()
    services.approve(pilot, world.contact_school, world.school.id, 2)
    assert services.approve(pilot, world.contact_academy, world.academy.id, 2) is True


def test_changes_can_be_asked_for_an_approved_charter_but_not_a_running_pilot(world, make_pilot):
    approved = make_pilot(PilotStatus.APPROVED)
    services.request_changes(approved, world.contact_school, world.school.id, "Nog even niet.")
    db.session.commit()
    assert approved.status == PilotStatus.CHANGES_REQUESTED

    running = make_pilot(PilotStatus.RUNNING, title="Loopt al")
    with pytest.raises(ServiceError):
        services.request_changes(running, world.contact_school, world.school.id, "Te laat.")


# -- the steps of the leads -----------------------------------------------------------------------

STEPS: dict[str, tuple[str, PilotStatus, PilotStatus]] = {
    # path: (service, from, to)
    "starten": ("start", PilotStatus.APPROVED, PilotStatus.RUNNING),
    "evalueren": ("start_evaluation", PilotStatus.RUNNING, PilotStatus.EVALUATING),
}


@pytest.mark.parametrize("path", list(STEPS))
def test_steps_only_from_the_right_status(world, make_pilot, path):
    service, allowed, to = STEPS[path]
    for status in (PilotStatus.PROPOSED, PilotStatus.APPROVED, PilotStatus.RUNNING):
        pilot = make_pilot(status, title=f"{path} {status}")
        if status == allowed:
            getattr(services, service)(pilot, world.proposer)
            db.session.commit()
            assert pilot.status == to
        else:
            with pytest.raises(ServiceError):
                getattr(services, service)(pilot, world.proposer)
            db.session.rollback()
            assert _status(pilot) == status


@pytest.mark.parametrize("path", ["starten", "evalueren", "afronden", "stoppen"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("member", 404),
        ("outsider", 404),
        ("sponsor_school", 404),
        ("teacher_elsewhere", 404),
    ],
)
def test_only_leads_take_steps(world, make_pilot, login_client, path, who, expected):
    status = {
        "starten": PilotStatus.APPROVED,
        "evalueren": PilotStatus.RUNNING,
        "afronden": PilotStatus.EVALUATING,
        "stoppen": PilotStatus.RUNNING,
    }[path]
    pilot = make_pilot(status)
    data = {"stop-reason": "Geen tijd.", "conclude-report": "0"}

    response = login_client(getattr(world, who)).submit(f"/pilots/{pilot.slug}/{path}", data)

    assert response.status_code == expected
    assert _status(pilot) == status


@pytest.mark.parametrize("who", ["proposer", "contact_academy", "admin"])
def test_leads_and_admins_start_a_pilot(world, make_pilot, login_client, who):
    pilot = make_pilot(PilotStatus.APPROVED)
    response = login_client(getattr(world, who)).submit(
        f"/pilots/{pilot.slug}/starten", {"start-comment": "We beginnen!"}
    )
    assert response.status_code == 302
    assert _status(pilot) == PilotStatus.RUNNING
    started = _events(pilot)[-1]
    assert (started.kind, started.actor_id, started.comment) == (
        PilotEventKind.STARTED,
        getattr(world, who).id,
        "We beginnen!",
    )


def test_a_facilitator_of_the_community_is_a_lead(world, make_pilot, add_member, create_user):
    from plc.communities.models import MemberRole

    facilitator = create_user()
    add_member(world.community, facilitator, MemberRole.FACILITATOR)
    pilot = make_pilot(PilotStatus.APPROVED)
    services.start(pilot, facilitator)
    assert pilot.status == PilotStatus.RUNNING


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_moves(world, make_pilot, client):
    pilot = make_pilot(PilotStatus.APPROVED)
    for path in ("starten", "stoppen", "reageren", f"goedkeuring/{world.school.id}"):
        response = client.submit(f"/pilots/{pilot.slug}/{path}", {"stop-reason": "x"})
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert _status(pilot) == PilotStatus.APPROVED


def test_a_step_without_a_csrf_token_is_refused(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.APPROVED)
    client = login_client(world.proposer)
    response = client.post(
        f"/pilots/{pilot.slug}/starten",
        data={},
        headers={"Referer": "https://localhost/"},
        base_url="https://localhost",
    )
    assert response.status_code == 400
    assert _status(pilot) == PilotStatus.APPROVED


# -- concluding -----------------------------------------------------------------------------------


def test_concluding_needs_a_published_evaluation_report(
    world, make_pilot, make_report, login_client
):
    pilot = make_pilot(PilotStatus.EVALUATING)
    client = login_client(world.proposer)
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "first publishes its evaluation report" in page  # says what is missing

    response = client.submit(f"/pilots/{pilot.slug}/afronden", {"conclude-report": "0"})

    assert response.status_code == 400
    assert "first publishes its evaluation report" in response.get_data(as_text=True)
    assert _status(pilot) == PilotStatus.EVALUATING
    with pytest.raises(ServiceError, match="first publishes its evaluation report"):
        services.conclude(pilot, world.proposer, None)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("draft", "not published yet"),
        ("in_review", "not published yet"),
        ("other_type", "is not an evaluation report"),
        ("other_community", "does not come from one of the pilot's communities"),
        ("invite_only", "does not come from one of the pilot's communities"),
    ],
)
def test_concluding_is_refused_with_the_wrong_output(
    world, make_pilot, make_report, create_community, kind, message
):
    pilot = make_pilot(PilotStatus.EVALUATING)
    if kind in ("draft", "in_review"):
        output = make_report(state=kind)
    elif kind == "other_type":
        output = make_report(output_type=OutputType.PRACTICE_EXAMPLE)
    else:
        visibility = Visibility.INVITE if kind == "invite_only" else Visibility.PUBLIC
        output = make_report(community=create_community(visibility=visibility))

    with pytest.raises(ServiceError, match=message) as refused:
        services.conclude(pilot, world.proposer, output.id)

    assert refused.value.field == "report"
    db.session.rollback()
    assert _status(pilot) == PilotStatus.EVALUATING
    assert PilotEventKind.CONCLUDED not in _kinds(pilot)


def test_a_report_of_an_invite_only_community_of_the_pilot_does_not_conclude_it(
    world, make_pilot, make_report, create_community
):
    hidden = create_community(
        owner=world.proposer, organisation=world.school, visibility=Visibility.INVITE
    )
    fields = services.fields_of(make_pilot())
    pilot = services.propose(
        world.proposer,
        services.CharterFields(
            **{**fields.__dict__, "title": "Verborgen", "community_ids": [hidden.id]}
        ),
    )
    db.session.commit()
    for contact, organisation in (
        (world.contact_school, world.school),
        (world.contact_academy, world.academy),
    ):
        services.approve(pilot, contact, organisation.id, 1)
    services.start(pilot, world.proposer)
    services.start_evaluation(pilot, world.proposer)
    db.session.commit()
    report = make_report(community=hidden)
    with pytest.raises(ServiceError, match="invite-only community"):
        services.conclude(pilot, world.proposer, report.id)


def test_concluding_with_the_published_report(world, make_pilot, make_report, login_client, client):
    pilot = make_pilot(PilotStatus.EVALUATING)
    report = make_report()
    lead = login_client(world.proposer)
    page = lead.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert f'<option value="{report.id}">' in page

    response = lead.submit(
        f"/pilots/{pilot.slug}/afronden",
        {"conclude-report": str(report.id), "conclude-comment": "Klaar."},
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert (pilot.status, pilot.evaluation_report_id) == (PilotStatus.CONCLUDED, report.id)
    concluded = _events(pilot)[-1]
    assert (concluded.kind, concluded.comment) == (PilotEventKind.CONCLUDED, "Klaar.")
    public = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert f'href="/kennisbank/{report.slug}"' in public


def test_only_an_evaluating_pilot_concludes(world, make_pilot, make_report):
    pilot = make_pilot(PilotStatus.RUNNING)
    with pytest.raises(ServiceError, match="being evaluated"):
        services.conclude(pilot, world.proposer, make_report().id)


# -- stopping -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        PilotStatus.PROPOSED,
        PilotStatus.CHANGES_REQUESTED,
        PilotStatus.APPROVED,
        PilotStatus.RUNNING,
        PilotStatus.EVALUATING,
    ],
)
def test_a_lead_stops_a_pilot_before_its_conclusion_with_a_reason(world, make_pilot, status):
    pilot = make_pilot(status)
    services.stop(pilot, world.proposer, "De scholen fuseren.")
    db.session.commit()
    assert (pilot.status, pilot.stop_reason) == (PilotStatus.STOPPED, "De scholen fuseren.")
    assert _events(pilot)[-1].kind == PilotEventKind.STOPPED
    with pytest.raises(ServiceError, match="already ended"):
        services.stop(pilot, world.proposer, "Nog eens.")


def test_stopping_needs_a_reason(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.RUNNING)
    response = login_client(world.proposer).submit(
        f"/pilots/{pilot.slug}/stoppen", {"stop-reason": ""}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say why the pilot stops" in page and 'id="stop-reason-error"' in page
    assert _status(pilot) == PilotStatus.RUNNING


def test_a_concluded_pilot_cannot_be_stopped(world, make_pilot, make_report):
    pilot = make_pilot(PilotStatus.EVALUATING)
    services.conclude(pilot, world.proposer, make_report().id)
    db.session.commit()
    with pytest.raises(ServiceError):
        services.stop(pilot, world.proposer, "Toch niet.")


# -- the timeline ---------------------------------------------------------------------------------


def test_the_timeline_records_each_step_with_actor_and_comment(
    world, make_pilot, make_report, login_client
):
    pilot = make_pilot()
    services.approve(pilot, world.contact_school, world.school.id, 1, "Prima plan.")
    services.request_changes(pilot, world.contact_academy, world.academy.id, "Meer uren.")
    fields = services.fields_of(pilot)
    fields.participants[1].contribution = "Meer uren."
    fields.change_note = "Uren verdubbeld."
    services.update_charter(pilot, world.proposer, fields)
    services.resubmit(pilot, world.proposer)
    services.approve(pilot, world.contact_school, world.school.id, 2)
    services.approve(pilot, world.contact_academy, world.academy.id, 2)
    services.start(pilot, world.contact_school, "Eerste lesbezoek.")
    services.add_comment(pilot, world.sponsor_school, "Mooi om te zien.")
    services.start_evaluation(pilot, world.proposer)
    services.conclude(pilot, world.proposer, make_report().id, "Afgerond.")
    db.session.commit()

    steps = [(e.kind, e.actor_id, e.charter_version, e.comment) for e in _events(pilot)]
    assert steps == [
        (PilotEventKind.PROPOSED, world.proposer.id, 1, ""),
        (PilotEventKind.APPROVED_BY, world.contact_school.id, 1, "Prima plan."),
        (PilotEventKind.CHANGES_REQUESTED, world.contact_academy.id, 1, "Meer uren."),
        (PilotEventKind.EDITED, world.proposer.id, 2, "Uren verdubbeld."),
        (PilotEventKind.PROPOSED, world.proposer.id, 2, ""),
        (PilotEventKind.APPROVED_BY, world.contact_school.id, 2, ""),
        (PilotEventKind.APPROVED_BY, world.contact_academy.id, 2, ""),
        (PilotEventKind.APPROVED, world.contact_academy.id, 2, ""),
        (PilotEventKind.STARTED, world.contact_school.id, 2, "Eerste lesbezoek."),
        (PilotEventKind.COMMENT, world.sponsor_school.id, 2, "Mooi om te zien."),
        (PilotEventKind.EVALUATING, world.proposer.id, 2, ""),
        (PilotEventKind.CONCLUDED, world.proposer.id, 2, "Afgerond."),
    ]
    # The page shows it, oldest first, with who and the comments.
    page = login_client(world.member).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') :]
    changes = timeline.index("Changes asked on behalf of Rekenacademie Noord")
    assert timeline.index("Proposed for approval") < changes
    assert changes < timeline.index("Approved on behalf of Rekenacademie Noord")
    assert timeline.index("Approved by every organisation") < timeline.index(
        "Concluded with its evaluation report"
    )
    assert "Mirjam Visser" in timeline and "Mooi om te zien." in timeline


def test_owners_comment_on_the_timeline_and_others_cannot(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.RUNNING)
    sponsor = login_client(world.sponsor_academy)
    response = sponsor.submit(f"/pilots/{pilot.slug}/reageren", {"comment-comment": "Goed bezig."})
    assert response.status_code == 302
    assert _events(pilot)[-1].comment == "Goed bezig."

    empty = sponsor.submit(f"/pilots/{pilot.slug}/reageren", {"comment-comment": " "})
    assert empty.status_code == 400
    assert 'id="comment-comment-error"' in empty.get_data(as_text=True)

    for person in (world.member, world.outsider):
        response = login_client(person).submit(
            f"/pilots/{pilot.slug}/reageren", {"comment-comment": "Mag ik?"}
        )
        assert response.status_code == 404
    assert _kinds(pilot).count(PilotEventKind.COMMENT) == 1


def test_times_on_the_timeline_are_amsterdam_time(world, make_pilot, login_client):
    from datetime import UTC, datetime

    pilot = make_pilot()
    event = _events(pilot)[0]
    event.created_at = datetime(2026, 1, 15, 11, 30, tzinfo=UTC)  # 12:30 in Amsterdam (winter)
    db.session.commit()
    page = login_client(world.proposer).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "January 15, 2026, 12:30" in page or "15 January 2026, 12:30" in page


# -- at the same moment ---------------------------------------------------------------------------


def _at_once(clients: list[Any], path: str, data: dict[str, str]) -> list[int]:
    """Post the same form from every client at the same moment; the status codes."""
    barrier = threading.Barrier(len(clients))
    tokens = [client.csrf_token() for client in clients]
    codes: list[int] = []

    def post(client: Any, token: str) -> None:
        barrier.wait()
        response = client.post(
            path,
            data={"csrf_token": token, **data},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )
        codes.append(response.status_code)

    threads = [
        threading.Thread(target=post, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.commit()
    return codes


def test_two_simultaneous_starts_make_one_transition_and_one_event(world, make_pilot, login_client):
    pilot = make_pilot(PilotStatus.APPROVED)
    clients = [login_client(world.proposer), login_client(world.contact_school)]

    codes = _at_once(clients, f"/pilots/{pilot.slug}/starten", {})

    assert codes == [302, 302]
    assert _status(pilot) == PilotStatus.RUNNING
    assert _kinds(pilot).count(PilotEventKind.STARTED) == 1


def test_the_last_two_approvals_at_once_approve_the_pilot_once(world, make_pilot, login_client):
    pilot = make_pilot()
    school, academy = login_client(world.contact_school), login_client(world.contact_academy)
    barrier = threading.Barrier(2)
    tokens = [school.csrf_token(), academy.csrf_token()]
    path = f"/pilots/{pilot.slug}/goedkeuring/"  # read here: the threads have no app context

    def approve(client: Any, token: str, organisation_id: int) -> None:
        barrier.wait()
        client.post(
            f"{path}{organisation_id}",
            data={
                "csrf_token": token,
                "decision": "approve",
                f"org{organisation_id}-version": "1",
            },
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )

    threads = [
        threading.Thread(target=approve, args=(school, tokens[0], world.school.id)),
        threading.Thread(target=approve, args=(academy, tokens[1], world.academy.id)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.commit()

    assert _status(pilot) == PilotStatus.APPROVED
    kinds = _kinds(pilot)
    assert kinds.count(PilotEventKind.APPROVED_BY) == 2
    assert kinds.count(PilotEventKind.APPROVED) == 1


def test_a_report_that_concluded_another_pilot_does_not_conclude_this_one(
    world, make_pilot, make_report
):
    first = make_pilot(PilotStatus.EVALUATING)
    second = make_pilot(PilotStatus.EVALUATING, title="Tweede pilot")  # the same community
    report = make_report()
    services.conclude(first, world.proposer, report.id)
    db.session.commit()

    assert services.evaluation_reports(second) == []
    with pytest.raises(ServiceError, match="already concluded another pilot"):
        services.conclude(second, world.proposer, report.id)
