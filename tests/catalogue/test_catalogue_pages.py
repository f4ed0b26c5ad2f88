"""The catalogue's pages: the list with its filters and search, an offering's page and calendar,
what each kind of visitor sees, and SQL statement counts that do not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import services
from plc.catalogue.models import CostKind, EnrolmentScope, OfferingFormat
from plc.core.models import utcnow
from plc.extensions import db
from plc.live.services import AMSTERDAM, amsterdam_moment
from plc.organisations.models import OrganisationKind


def _titles(response) -> set[str]:
    page = response.get_data(as_text=True)
    return {t for t in _ALL if f">{t}</a>" in page}


_ALL: set[str] = set()


def _offering(create_offering, title: str, **fields):
    _ALL.add(title)
    return create_offering(title=title, **fields)


# -- the list ------------------------------------------------------------------------------------


def test_anonymous_visitors_browse_published_upcoming_offerings(client, create_offering):
    shown = _offering(create_offering, "Formatief evalueren in de praktijk")
    _offering(create_offering, "Nog een concept", publish=False)
    cancelled = _offering(create_offering, "Afgelast aanbod")
    services.cancel_offering(cancelled, cancelled.created_by, "Te weinig aanmeldingen.")
    past = _offering(create_offering, "Voorbij aanbod")
    past.ends_at = utcnow() - timedelta(days=1)
    db.session.commit()

    response = client.get("/aanbod")

    assert response.status_code == 200
    assert _titles(response) == {shown.title}
    # Their own pages stay: a link in a mail must keep working.
    assert client.get(f"/aanbod/{cancelled.slug}").status_code == 200
    assert client.get(f"/aanbod/{past.slug}").status_code == 200


def test_upcoming_offerings_come_first(client, create_offering):
    later = _offering(create_offering, "Later aanbod")
    sooner = _offering(create_offering, "Eerder aanbod")
    soon = utcnow().replace(microsecond=0) + timedelta(days=2)
    services.update_offering(
        sooner,
        sooner.created_by,
        services.OfferingFields(
            title=sooner.title,
            location="Amsterdam",
            theme_ids=[t.id for t in sooner.themes],
            meetings=[services.Meeting(soon, soon + timedelta(hours=1))],
        ),
    )
    db.session.commit()
    page = client.get("/aanbod").get_data(as_text=True)
    assert page.index(sooner.title) < page.index(later.title)


def test_each_filter_narrows_the_list(
    client, create_offering, create_provider, create_theme, create_organisation
):
    theme = create_theme("Taalgericht vakonderwijs")
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    academy, staff = create_provider(kind=OrganisationKind.ACADEMY, parent_id=board.id)
    base = _offering(create_offering, "Basisaanbod")
    by_theme = _offering(create_offering, "Taal in alle vakken", themes=[theme])
    by_format = _offering(
        create_offering, "Lesson study rekenen", format=OfferingFormat.LESSON_STUDY
    )
    by_provider = _offering(
        create_offering,
        "Academie-aanbod",
        provider=academy,
        staff=staff,
        scope=EnrolmentScope.OWN_BOARD,
    )
    by_stage = _offering(create_offering, "Voor starters", career_stages=[CareerStage.STARTER])
    for_experienced = _offering(
        create_offering, "Voor ervaren leraren", career_stages=[CareerStage.EXPERIENCED]
    )
    by_school_type = _offering(
        create_offering, "Voor het mbo", school_types=[SchoolType.VOCATIONAL]
    )
    for_primary = _offering(create_offering, "Voor het po", school_types=[SchoolType.PRIMARY])
    paid = _offering(create_offering, "Betaald aanbod", cost_kind=CostKind.AMOUNT, cost_cents=25000)
    later_start = amsterdam_moment(
        (utcnow() + timedelta(days=60)).date(),
        (utcnow()).time().replace(hour=15, minute=0, second=0, microsecond=0),
    )
    by_date = _offering(
        create_offering,
        "Aanbod in het voorjaar",
        meetings=[services.Meeting(later_start, later_start + timedelta(hours=2))],
    )
    everything = {
        o.title
        for o in (
            base,
            by_theme,
            by_format,
            by_provider,
            by_stage,
            for_experienced,
            by_school_type,
            for_primary,
            paid,
            by_date,
        )
    }
    day = later_start.astimezone(AMSTERDAM).date()

    assert _titles(client.get("/aanbod")) == everything
    assert _titles(client.get(f"/aanbod?thema={theme.slug}")) == {by_theme.title}
    assert _titles(client.get("/aanbod?vorm=lesson_study")) == {by_format.title}
    assert _titles(client.get(f"/aanbod?aanbieder={academy.slug}")) == {by_provider.title}
    # An offering that names no career stage (or school type) is for everyone.
    assert _titles(client.get("/aanbod?loopbaanfase=starter")) == everything - {
        for_experienced.title
    }
    assert _titles(client.get("/aanbod?schooltype=mbo")) == everything - {for_primary.title}
    assert _titles(client.get("/aanbod?kosten=paid")) == {paid.title}
    assert _titles(client.get("/aanbod?kosten=free")) == everything - {paid.title}
    assert _titles(client.get("/aanbod?open=1")) == everything - {by_provider.title}
    assert _titles(client.get(f"/aanbod?van={day.isoformat()}")) == {by_date.title}
    assert _titles(client.get(f"/aanbod?tot={(day - timedelta(days=1)).isoformat()}")) == (
        everything - {by_date.title}
    )
    assert _titles(client.get("/aanbod?aanbieder=bestaat-niet")) == set()
    # Unknown values are ignored, as a bookmark would be.
    assert _titles(client.get("/aanbod?vorm=onzin&van=gisteren&kosten=x")) == everything


def test_search_narrows_the_list(client, create_offering):
    found = _offering(create_offering, "Differentiëren in de rekenles", summary="Rekenen op maat.")
    _offering(create_offering, "Leesbevordering", summary="Boeken in de klas.")

    assert _titles(client.get("/aanbod?q=differentieren")) == {found.title}
    assert _titles(client.get("/aanbod?q=rekenles")) == {found.title}
    assert _titles(client.get("/aanbod?q=onvindbaarwoord")) == set()


def test_cards_show_scope_cost_and_places(
    login_client, create_offering, create_provider, create_organisation, create_user
):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Westwijzer")
    academy, staff = create_provider(kind=OrganisationKind.ACADEMY, parent_id=board.id)
    _offering(create_offering, "Open aanbod", capacity=12)
    _offering(
        create_offering,
        "Eigen bestuur",
        provider=academy,
        staff=staff,
        scope=EnrolmentScope.OWN_BOARD,
        cost_kind=CostKind.SCHOOL_PAYS,
        cost_cents=12500,
    )
    english = login_client(create_user(preferred_language="en"))

    page = english.get("/aanbod").get_data(as_text=True)

    assert "Open to every Amsterdam teacher" in page
    assert "Only for teachers of Stichting Westwijzer" in page
    assert "Places left: 12" in page
    assert "€ 125.00, paid by your school" in page
    assert "Free" in page


def test_pagination_keeps_filters(client, create_offering, create_theme):
    theme = create_theme()
    for n in range(22):
        create_offering(title=f"Reeks {n:02d}", themes=[theme])
    response = client.get(f"/aanbod?thema={theme.slug}")
    page = response.get_data(as_text=True)
    assert f"thema={theme.slug}" in page and "page=2" in page
    second = client.get(f"/aanbod?thema={theme.slug}&page=2").get_data(as_text=True)
    assert "Reeks 21" in second and "Reeks 00" not in second


def test_list_statements_do_not_grow_with_offerings(
    client, create_offering, count_queries, create_provider, create_theme
):
    provider, staff = create_provider()
    theme = create_theme()
    for _n in range(3):
        create_offering(provider=provider, staff=staff, themes=[theme])
    with count_queries() as few:
        assert client.get("/aanbod").status_code == 200
    for _n in range(27):
        create_offering(themes=[create_theme()], career_stages=[CareerStage.STARTER])
    with count_queries() as many:
        assert client.get("/aanbod").status_code == 200
    assert many.count == few.count, many.statements


# -- an offering ---------------------------------------------------------------------------------


def test_offering_page_shows_everything_and_other_offerings(
    client, create_offering, create_provider
):
    provider, staff = create_provider(name="Opleidingsschool Amsterdam Oost")
    offering = create_offering(
        provider=provider,
        staff=staff,
        title="Masterclass feedback",
        description="**Sterk** verhaal",
        capacity=20,
        contact_minutes=180,
        self_study_minutes=120,
    )
    sibling = create_offering(provider=provider, staff=staff, title="Workshop rekenen")
    draft = create_offering(provider=provider, staff=staff, title="Geheim concept", publish=False)

    page = client.get(f"/aanbod/{offering.slug}").get_data(as_text=True)

    assert "<strong>Sterk</strong>" in page
    assert f'href="/organisaties/{provider.slug}"' in page
    assert sibling.title in page and draft.title not in page
    local = offering.starts_at.astimezone(AMSTERDAM)
    assert local.strftime("%H:%M") in page
    assert f"/aanbod/{offering.slug}.ics" in page


def test_drafts_are_seen_only_by_their_provider(
    client, login_client, create_offering, create_provider, create_user
):
    draft = create_offering(publish=False)
    _other, other_staff = create_provider()

    assert client.get(f"/aanbod/{draft.slug}").status_code == 404
    assert login_client(create_user()).get(f"/aanbod/{draft.slug}").status_code == 404
    assert login_client(other_staff).get(f"/aanbod/{draft.slug}").status_code == 404
    assert login_client(draft.created_by).get(f"/aanbod/{draft.slug}").status_code == 200
    assert client.get("/aanbod/bestaat-niet").status_code == 404


def test_offering_page_statements_do_not_grow_with_other_offerings(
    login_client, create_offering, create_provider, create_user, count_queries
):
    provider, staff = create_provider()
    offering = create_offering(provider=provider, staff=staff)
    for _n in range(2):
        create_offering(provider=provider, staff=staff)
    teacher = login_client(create_user())
    with count_queries() as few:
        assert teacher.get(f"/aanbod/{offering.slug}").status_code == 200
    for _n in range(27):
        create_offering(provider=provider, staff=staff)
    with count_queries() as many:
        assert teacher.get(f"/aanbod/{offering.slug}").status_code == 200
    assert many.count == few.count, many.statements


def test_calendar_has_every_meeting_in_amsterdam_time(client, create_offering):
    first = amsterdam_moment(
        (utcnow() + timedelta(days=10)).date(),
        utcnow().time().replace(hour=15, minute=30, second=0, microsecond=0),
    )
    second = first + timedelta(days=7)
    offering = create_offering(
        title="Cursus in twee delen",
        meetings=[
            services.Meeting(first, first + timedelta(hours=2)),
            services.Meeting(second, second + timedelta(hours=2), "Lokaal 4"),
        ],
    )

    response = client.get(f"/aanbod/{offering.slug}.ics")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    starts = [event.decoded("DTSTART") for event in events]
    assert [s.hour for s in starts] == [15, 15]
    assert starts[0] == first
    assert str(events[1]["LOCATION"]) == "Lokaal 4"
    assert {int(e["SEQUENCE"]) for e in events} == {offering.sequence}
    assert {str(e["STATUS"]) for e in events} == {"CONFIRMED"}
    assert len({str(e["UID"]) for e in events}) == 2


def test_calendar_of_a_changed_then_cancelled_offering(client, create_offering):
    offering = create_offering()
    uid_before = str(
        Calendar.from_ical(client.get(f"/aanbod/{offering.slug}.ics").data).walk("VEVENT")[0]["UID"]
    )
    staff = offering.created_by
    fields = services.OfferingFields(
        title=offering.title,
        location="Elders",
        theme_ids=[t.id for t in offering.themes],
        meetings=[
            services.Meeting(m.starts_at + timedelta(hours=1), m.ends_at + timedelta(hours=1))
            for m in offering.meetings
        ],
    )
    services.update_offering(offering, staff, fields)
    services.cancel_offering(offering, staff, "Ziek.")
    db.session.commit()

    event = Calendar.from_ical(client.get(f"/aanbod/{offering.slug}.ics").data).walk("VEVENT")[0]

    assert str(event["UID"]) == uid_before  # the calendar updates the event it has
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    "path",
    ["/aanbod/mijn-inschrijvingen", "/aanbod/goedkeuren", "/aanbod/mijn-aanbod", "/aanbod/nieuw"],
)
def test_personal_pages_ask_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_profile_links_to_my_enrolments_and_tools(login_client, create_user, create_provider):
    teacher_page = login_client(create_user()).get("/profiel").get_data(as_text=True)
    assert "/aanbod/mijn-inschrijvingen" in teacher_page
    assert "/aanbod/mijn-aanbod" not in teacher_page
    _provider, staff = create_provider()
    assert "/aanbod/mijn-aanbod" in login_client(staff).get("/profiel").get_data(as_text=True)
