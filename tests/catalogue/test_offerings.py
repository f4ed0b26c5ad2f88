"""Providers' tools: writing, publishing, cancelling and completing an offering, the participants'
list and its export, and that staff of another provider can do none of it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from plc.catalogue import services
from plc.catalogue.models import (
    CostKind,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingStatus,
)
from plc.core.models import utcnow
from plc.core.outbox import OutboxMessage
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.live.services import AMSTERDAM
from plc.organisations.models import OrganisationKind


def _form(theme_ids=(), **values):
    day = (utcnow() + timedelta(days=14)).astimezone(AMSTERDAM).date()
    data = {
        "title": "Werken met exit tickets",
        "format": "workshop",
        "summary": "Snel zien wat de klas begreep.",
        "description": "Drie bijeenkomsten.",
        "location": "Barlaeus, lokaal 12",
        "cost_kind": "free",
        "contact_hours": "4,5",
        "self_study_hours": "2",
        "capacity": "12",
        "scope": "everyone",
        "themes": [str(t) for t in theme_ids],
        "career_stages": ["starter"],
        "school_types": ["vo"],
        "domains": ["pedagogy"],
        "meetings-0-day": day.isoformat(),
        "meetings-0-start": "15:30",
        "meetings-0-end": "17:00",
        "meetings-1-day": (day + timedelta(days=7)).isoformat(),
        "meetings-1-start": "15:30",
        "meetings-1-end": "17:00",
        "meetings-1-location": "Online",
    }
    data.update(values)
    return data


def _offerings() -> list[Offering]:
    db.session.commit()
    return list(db.session.scalars(sa.select(Offering)))


# -- writing -------------------------------------------------------------------------------------


def test_provider_writes_a_draft_in_amsterdam_time(login_client, create_provider, create_theme):
    provider, staff = create_provider()
    theme = create_theme()
    client = login_client(staff)

    assert client.get("/aanbod/nieuw").status_code == 200
    response = client.submit("/aanbod/nieuw", _form([theme.id], provider=str(provider.id)))

    assert response.status_code == 302, response.get_data(as_text=True)
    [offering] = _offerings()
    assert response.headers["Location"].endswith(f"/aanbod/{offering.slug}")
    assert offering.status == OfferingStatus.DRAFT
    assert offering.provider_id == provider.id
    assert offering.contact_minutes == 270 and offering.self_study_minutes == 120
    assert offering.capacity == 12
    assert [t.id for t in offering.themes] == [theme.id]
    first, second = offering.meetings
    assert first.starts_at.astimezone(AMSTERDAM).strftime("%H:%M") == "15:30"
    assert second.location == "Online"
    assert offering.starts_at == first.starts_at and offering.ends_at == second.ends_at


def test_provider_with_several_organisations_chooses(
    login_client, create_provider, create_organisation, give_role, create_theme
):
    from plc.organisations.models import OrganisationRole

    _first, staff = create_provider(name="Academie Een")
    second = create_organisation(kind=OrganisationKind.INSTITUTE, name="Instituut Twee")
    give_role(staff, second, OrganisationRole.PROVIDER_STAFF)
    client = login_client(staff)
    page = client.get("/aanbod/nieuw").get_data(as_text=True)
    assert "Academie Een" in page and "Instituut Twee" in page

    response = client.submit("/aanbod/nieuw", _form([create_theme().id], provider=str(second.id)))

    assert response.status_code == 302
    assert [o.provider_id for o in _offerings()] == [second.id]


@pytest.mark.parametrize(
    ("changes", "field_id"),
    [
        ({"title": ""}, "title"),
        ({"capacity": "0"}, "capacity"),
        ({"cost_kind": "amount", "cost": ""}, "cost"),
        ({"location": "", "online": ""}, "location"),
        ({"meetings-0-end": ""}, "meetings"),
        ({"meetings-0-end": "14:00"}, "meetings"),
        ({"contact_hours": "veel"}, "contact_hours"),
    ],
)
def test_bad_input_answers_400_keeps_what_was_typed_and_changes_nothing(
    login_client, create_provider, create_theme, changes, field_id
):
    provider, staff = create_provider()
    client = login_client(staff)
    data = _form(
        [create_theme().id], provider=str(provider.id), summary="Mijn eigen zin.", **changes
    )

    response = client.submit("/aanbod/nieuw", data)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Mijn eigen zin." in page
    assert f'id="{field_id}-error"' in page or (field_id == "meetings" and "meetings-error" in page)
    assert _offerings() == []


def test_only_provider_staff_may_write(login_client, create_user, create_provider, create_theme):
    provider, _staff = create_provider()
    teacher = login_client(create_user())

    assert teacher.get("/aanbod/nieuw").status_code == 404
    response = teacher.submit(
        "/aanbod/nieuw", _form([create_theme().id], provider=str(provider.id))
    )
    assert response.status_code == 404
    assert _offerings() == []


def test_staff_cannot_publish_for_another_provider(login_client, create_provider, create_theme):
    other, _other_staff = create_provider()
    _mine, staff = create_provider()
    client = login_client(staff)

    response = client.submit("/aanbod/nieuw", _form([create_theme().id], provider=str(other.id)))

    assert response.status_code == 400
    assert _offerings() == []


def test_edit_shows_the_offering_and_saves_changes(login_client, create_offering):
    offering = create_offering(capacity=10, cost_kind=CostKind.AMOUNT, cost_cents=4950)
    client = login_client(offering.created_by)
    page = client.get(f"/aanbod/{offering.slug}/bewerken").get_data(as_text=True)
    local = offering.starts_at.astimezone(AMSTERDAM)
    assert local.strftime("%H:%M") in page and local.date().isoformat() in page
    assert 'value="49.50"' in page

    response = client.submit(
        f"/aanbod/{offering.slug}/bewerken",
        _form([t.id for t in offering.themes], title="Nieuwe titel", capacity="20"),
    )

    assert response.status_code == 302
    db.session.refresh(offering)
    assert offering.title == "Nieuwe titel" and offering.capacity == 20
    assert offering.sequence == 1 and len(offering.meetings) == 2


def test_publish_needs_dates_and_themes(login_client, create_provider):
    provider, staff = create_provider()
    client = login_client(staff)
    client.submit(
        "/aanbod/nieuw",
        {
            **{k: v for k, v in _form().items() if not k.startswith("meetings")},
            "provider": str(provider.id),
        },
    )
    [offering] = _offerings()
    response = client.submit(f"/aanbod/{offering.slug}/publiceren")
    assert response.status_code == 302
    db.session.refresh(offering)
    assert offering.status == OfferingStatus.DRAFT


def test_publish_makes_it_visible(client, login_client, create_offering):
    offering = create_offering(publish=False)
    staff = login_client(offering.created_by)

    assert client.get(f"/aanbod/{offering.slug}").status_code == 404
    assert staff.submit(f"/aanbod/{offering.slug}/publiceren").status_code == 302
    assert client.get(f"/aanbod/{offering.slug}").status_code == 200
    assert offering.title in client.get("/aanbod").get_data(as_text=True)


def test_publishing_tells_askers_of_questions_it_answers_at_once(
    login_client, create_offering, create_question, create_theme
):
    from plc.notifications.models import Notification, NotificationKind

    theme = create_theme("Formatief evalueren")
    question = create_question(themes=[theme], title="Hoe geef ik bruikbare feedback?")
    offering = create_offering(publish=False, themes=[theme], title="Feedback die werkt")
    login_client(offering.created_by).submit(f"/aanbod/{offering.slug}/publiceren")
    told = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.NEW_MATCH)
    ).all()
    assert [(n.user_id, n.link) for n in told] == [
        (question.author_id, f"/leervragen/{question.id}")
    ]


# -- rights --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", "/bewerken"),
        ("post", "/bewerken"),
        ("post", "/publiceren"),
        ("get", "/annuleren"),
        ("post", "/annuleren"),
        ("get", "/afronden"),
        ("post", "/afronden"),
        ("get", "/deelnemers"),
        ("get", "/deelnemers.csv"),
    ],
)
def test_staff_of_another_provider_get_404_and_nothing_changes(
    login_client, create_offering, create_provider, create_user, method, suffix
):
    offering = create_offering(publish=suffix != "/publiceren")
    status_before, title_before = offering.status, offering.title
    _other, other_staff = create_provider()
    for person in (other_staff, create_user()):
        client = login_client(person)
        path = f"/aanbod/{offering.slug}{suffix}"
        if method == "get":
            response = client.get(path)
        else:
            response = client.submit(path, {**_form(), "message": "Weg ermee."})
        assert response.status_code == 404, (person, path)
    db.session.refresh(offering)
    assert (offering.status, offering.title) == (status_before, title_before)


def test_my_offerings_lists_drafts_of_my_providers_only(login_client, create_offering, create_user):
    mine = create_offering(publish=False, title="Mijn concept")
    theirs = create_offering(title="Van een ander")
    client = login_client(mine.created_by)

    page = client.get("/aanbod/mijn-aanbod").get_data(as_text=True)

    assert mine.title in page and theirs.title not in page
    assert login_client(create_user()).get("/aanbod/mijn-aanbod").status_code == 404


# -- cancelling ----------------------------------------------------------------------------------


def test_cancelling_tells_everyone_enrolled_waiting_or_awaiting(
    login_client, create_offering, create_user
):
    offering = create_offering(capacity=1)
    enrolled, waiting = create_user(email="a@example.org"), create_user(email="b@example.org")
    services.enrol(offering, enrolled)
    services.enrol(offering, waiting)
    db.session.commit()
    client = login_client(offering.created_by)

    empty = client.submit(f"/aanbod/{offering.slug}/annuleren", {"message": ""})
    assert empty.status_code == 400
    response = client.submit(
        f"/aanbod/{offering.slug}/annuleren", {"message": "De trainer is ziek."}
    )

    assert response.status_code == 302
    db.session.refresh(offering)
    assert offering.status == OfferingStatus.CANCELLED and offering.enrolled_count == 0
    mails = list(
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.subject.contains(offering.title))
        )
    )
    assert sorted(m.recipient for m in mails) == ["a@example.org", "b@example.org"]
    assert all("De trainer is ziek." in m.body_text for m in mails)
    statuses = set(db.session.scalars(sa.select(Enrolment.status)))
    assert statuses == {EnrolmentStatus.CANCELLED}


# -- completing ----------------------------------------------------------------------------------


def _past_offering(create_offering, **fields):
    offering = create_offering(contact_minutes=240, self_study_minutes=60, **fields)
    return offering


def _move_to_past(offering):
    for meeting in offering.meetings:
        meeting.starts_at -= timedelta(days=30)
        meeting.ends_at -= timedelta(days=30)
    offering.starts_at, offering.ends_at = (
        offering.meetings[0].starts_at,
        offering.meetings[-1].ends_at,
    )
    db.session.commit()


def test_completion_credits_hours_once_and_skips_absentees(
    login_client, create_offering, create_user
):
    offering = _past_offering(create_offering)
    present, absent = create_user(), create_user()
    for person in (present, absent):
        services.enrol(offering, person)
    db.session.commit()
    client = login_client(offering.created_by)
    early = client.submit(f"/aanbod/{offering.slug}/afronden")
    assert early.status_code == 302
    assert db.session.scalars(sa.select(RecordEntry)).all() == []

    _move_to_past(offering)
    page = client.get(f"/aanbod/{offering.slug}/afronden").get_data(as_text=True)
    assert absent.display_name in page
    for _repeat in range(2):
        response = client.submit(f"/aanbod/{offering.slug}/afronden", {"absent": str(absent.id)})
        assert response.status_code == 302

    entries = list(db.session.scalars(sa.select(RecordEntry)))
    assert [(e.user_id, e.source, e.source_id) for e in entries] == [
        (present.id, RecordSource.OFFERING, offering.id)
    ]
    assert (entries[0].contact_minutes, entries[0].self_study_minutes) == (240, 60)
    statuses = dict(db.session.execute(sa.select(Enrolment.user_id, Enrolment.status)).all())
    assert statuses == {present.id: EnrolmentStatus.COMPLETED, absent.id: EnrolmentStatus.ENROLLED}


# -- participants --------------------------------------------------------------------------------


def test_participants_page_groups_by_status_in_waiting_order(
    login_client, create_offering, create_user
):
    offering = create_offering(capacity=1)
    people = [create_user(display_name=name) for name in ("Anna", "Bram", "Cor")]
    for person in people:
        services.enrol(offering, person)
    db.session.commit()

    page = login_client(offering.created_by).get(f"/aanbod/{offering.slug}/deelnemers")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.index("Anna") < text.index("Bram") < text.index("Cor")


def test_participants_csv_is_complete_and_injection_safe(
    login_client, create_offering, create_user
):
    offering = create_offering(capacity=1)
    sneaky = create_user(display_name='=HYPERLINK("https://evil.example")', email="x@example.org")
    waiting = create_user(display_name="Wachtende", email="w@example.org")
    services.enrol(offering, sneaky, note="@SUM(A1)")
    services.enrol(offering, waiting)
    db.session.commit()

    response = login_client(offering.created_by).get(f"/aanbod/{offering.slug}/deelnemers.csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["email"], r["status"], r["waiting_list_position"]) for r in rows] == [
        ("x@example.org", "enrolled", ""),
        ("w@example.org", "waitlisted", "1"),
    ]
    assert rows[0]["name"].startswith("'=") and rows[0]["note"] == "'@SUM(A1)"


def test_editing_an_offering_with_many_meetings_keeps_them_all(login_client, create_offering):
    # In the afternoon, Amsterdam time: a start taken from the clock runs past midnight late in
    # the evening, and the form refuses a meeting that ends on the next day.
    day = (utcnow() + timedelta(days=3)).astimezone(AMSTERDAM).date()
    start = datetime.combine(day, time(14, 0), tzinfo=AMSTERDAM).astimezone(UTC)
    meetings = [
        services.Meeting(start + timedelta(weeks=n), start + timedelta(weeks=n, hours=1))
        for n in range(12)
    ]
    offering = create_offering(meetings=meetings)
    client = login_client(offering.created_by)
    page = client.get(f"/aanbod/{offering.slug}/bewerken").get_data(as_text=True)
    assert 'name="meetings-13-day"' in page and 'name="meetings-14-day"' not in page
    data = {
        **{k: v for k, v in _form([t.id for t in offering.themes]).items() if "meetings" not in k},
    }
    for n, meeting in enumerate(offering.meetings):
        local_start, local_end = (
            meeting.starts_at.astimezone(AMSTERDAM),
            meeting.ends_at.astimezone(AMSTERDAM),
        )
        data[f"meetings-{n}-day"] = local_start.date().isoformat()
        data[f"meetings-{n}-start"] = local_start.strftime("%H:%M")
        data[f"meetings-{n}-end"] = local_end.strftime("%H:%M")

    assert client.submit(f"/aanbod/{offering.slug}/bewerken", data).status_code == 302
    db.session.refresh(offering)
    assert [m.starts_at for m in offering.meetings] == [m.starts_at for m in meetings]


def test_an_offering_never_takes_the_address_of_a_catalogue_page(create_offering, client):
    offering = create_offering(title="Nieuw")
    assert offering.slug == "nieuw-aanbod"
    assert client.get(f"/aanbod/{offering.slug}").status_code == 200
