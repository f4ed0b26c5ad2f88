"""Who reads a record: its owner always; the leaders and HR advisors of the teacher's schools
and boards only while the teacher shares it; anyone else never. What a viewer may not read
answers 404 (the page, both exports and evidence files alike), as if it did not exist."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from plc.core.downloads import DOWNLOAD_HEADERS
from plc.development import services
from plc.extensions import db
from plc.organisations.models import OrganisationMembership
from tests.development import record_world as shared
from tests.development.record_world import PDF, PNG, add_manual

world = shared.world
english_messages = shared.english_messages
upload_folder = shared.upload_folder
attend_session = shared.attend_session
complete_offering = shared.complete_offering


def _shared_paths(user_id: int) -> list[str]:
    base = f"/professionalisering/{user_id}"
    return [base, f"{base}/overzicht.pdf", f"{base}/overzicht.csv?jaar=2026-2027"]


def _status(client, path: str) -> int:
    """Closed afterwards: downloads stream a stored file."""
    with client.get(path) as response:
        return response.status_code


def _statuses(client, paths: list[str]) -> list[int]:
    return [_status(client, path) for path in paths]


def _share(world) -> None:
    services.share_record(world.teacher)
    db.session.commit()


def test_a_leader_never_sees_what_was_not_shared(
    world, login_client, upload_folder, create_user
) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "certificaat.pdf"))
    paths = [*_shared_paths(world.teacher.id), f"/professionalisering/bewijs/{entry.id}"]
    leader, hr = login_client(world.leader), login_client(world.hr)
    stranger, colleague = login_client(world.stranger), login_client(world.colleague)
    admin = login_client(create_user(is_admin=True))
    everyone = (leader, hr, stranger, colleague, admin)

    # Not shared (the default): nobody but the teacher.
    for client in everyone:
        assert _statuses(client, paths) == [404] * 4

    # Shared: the school's leader and the board's HR advisor; not a leader elsewhere, nor a
    # colleague, nor a platform administrator.
    _share(world)
    for client in (leader, hr):
        assert _statuses(client, paths) == [200] * 4
    for client in (stranger, colleague, admin):
        assert _statuses(client, paths) == [404] * 4

    # Withdrawn: gone at once.
    services.withdraw_record(world.teacher)
    db.session.commit()
    for client in everyone:
        assert _statuses(client, paths) == [404] * 4


def test_unknown_people_and_former_members_answer_404(world, login_client) -> None:
    _share(world)
    leader = login_client(world.leader)
    assert _statuses(leader, _shared_paths(999_999)) == [404] * 3
    # A teacher who shares, but left the school.
    db.session.execute(
        sa.delete(OrganisationMembership).where(OrganisationMembership.user_id == world.teacher.id)
    )
    db.session.commit()
    assert _statuses(leader, _shared_paths(world.teacher.id)) == [404] * 3


def test_a_bad_school_year_answers_404(world, login_client) -> None:
    _share(world)
    leader = login_client(world.leader)
    base = f"/professionalisering/{world.teacher.id}/overzicht.pdf"
    assert leader.get(f"{base}?jaar=2026-2028").status_code == 404
    assert leader.get(f"{base}?jaar=x").status_code == 404
    own = login_client(world.teacher)
    assert own.get("/mijn-professionalisering/overzicht.csv?jaar=2026").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(world, client) -> None:
    entry = add_manual(world.teacher)
    for path in (
        "/mijn-professionalisering",
        "/mijn-professionalisering/overzicht.pdf",
        f"/professionalisering/bewijs/{entry.id}",
        *_shared_paths(world.teacher.id),
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_the_leaders_page_is_read_only(world, login_client, attend_session) -> None:
    entry = add_manual(world.teacher, title="Cursus leesbevordering", evidence=(PNG, "b.png"))
    attend_session(world.teacher, date(2026, 9, 10), 60)
    _share(world)
    page = login_client(world.leader).get(f"/professionalisering/{world.teacher.id}")
    text = page.get_data(as_text=True)
    assert "Development record of Zoë de Vries" in text
    assert "Cursus leesbevordering" in text and "Intervisie lezen" in text
    assert f"/professionalisering/bewijs/{entry.id}" in text
    assert "/bewerken" not in text and "/verwijderen" not in text
    assert "Share my record" not in text


def test_the_owner_is_sent_to_their_own_page(world, login_client) -> None:
    response = login_client(world.teacher).get(f"/professionalisering/{world.teacher.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mijn-professionalisering")


# -- evidence downloads -------------------------------------------------------------------------


def test_evidence_downloads_as_an_attachment_for_its_owner_only(
    world, login_client, upload_folder
) -> None:
    entry = add_manual(world.teacher, evidence=(PDF, "Certificaat één.pdf"))
    path = f"/professionalisering/bewijs/{entry.id}"
    with login_client(world.teacher).get(path) as response:
        assert response.status_code == 200 and response.data == PDF
        headers = response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == (
        'attachment; filename="Certificaat een.pdf"; '
        "filename*=UTF-8''Certificaat%20%C3%A9%C3%A9n.pdf"
    )
    for name, value in DOWNLOAD_HEADERS.items():
        if name != "Cache-Control":  # stricter for evidence, below
            assert headers[name] == value
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "private, no-store"  # no copy after a withdrawal
    assert _status(login_client(world.colleague), path) == 404


def test_an_entry_without_evidence_has_no_download(world, login_client) -> None:
    entry = add_manual(world.teacher)
    client = login_client(world.teacher)
    assert _status(client, f"/professionalisering/bewijs/{entry.id}") == 404
    assert _status(client, "/professionalisering/bewijs/999999") == 404


# -- sharing from the record page ---------------------------------------------------------------


def test_the_teacher_shares_and_withdraws_from_the_record_page(world, login_client) -> None:
    client = login_client(world.teacher)
    page = client.get("/mijn-professionalisering").get_data(as_text=True)
    assert "Not shared: only you see this record." in page
    # Who will see it, by name: the school and its board.
    assert "<li>Het Noordlicht</li>" in page and "<li>Stichting Noord</li>" in page
    assert "De Zuidster" not in page

    assert client.submit("/mijn-professionalisering/delen").status_code == 302
    assert services.record_shared_since(world.teacher) is not None
    page = client.get("/mijn-professionalisering").get_data(as_text=True)
    assert "Shared since" in page and "Stop sharing" in page

    assert client.submit("/mijn-professionalisering/niet-meer-delen").status_code == 302
    db.session.expire_all()
    assert services.record_shared_since(world.teacher) is None


def test_sharing_without_a_csrf_token_changes_nothing(world, login_client) -> None:
    client = login_client(world.teacher)
    response = client.post("/mijn-professionalisering/delen", base_url="https://localhost")
    assert response.status_code == 400
    assert services.record_shared_since(world.teacher) is None


def test_a_teacher_without_a_school_is_told_sharing_reaches_nobody(
    login_client, create_user
) -> None:
    loner = create_user(preferred_language="en")
    page = login_client(loner).get("/mijn-professionalisering").get_data(as_text=True)
    assert "sharing reaches nobody for now" in page


# -- statements per page ------------------------------------------------------------------------


def _fill(world, community, attend_session, complete_offering, create_output, count: int) -> None:
    for n in range(count):
        add_manual(world.teacher, title=f"Cursus {n}", evidence=(PNG, f"bewijs-{n}.png"))
        attend_session(world.teacher, date(2025, 9, 1 + n), 30 + n, title=f"Sessie {n}")
        complete_offering(world.teacher, date(2024, 10, 1 + n), 60, 30, title=f"Aanbod {n}")
        create_output(community, author=world.teacher, title=f"Opbrengst {n}")


@pytest.mark.parametrize("viewer", ["teacher", "leader"])
def test_statements_per_page_do_not_grow_with_the_record(
    world,
    login_client,
    count_queries,
    attend_session,
    complete_offering,
    create_output,
    create_community,
    add_member,
    upload_folder,
    viewer,
) -> None:
    community = create_community(name="Schrijfgroep")
    add_member(community, world.teacher)
    _share(world)
    client = login_client(getattr(world, viewer))
    path = (
        "/mijn-professionalisering"
        if viewer == "teacher"
        else f"/professionalisering/{world.teacher.id}"
    )
    counts = []
    for count in (1, 4):
        _fill(world, community, attend_session, complete_offering, create_output, count)
        with count_queries() as counted:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts
