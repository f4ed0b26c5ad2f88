"""The record is the teacher's own: a leader reads it only while the teacher shares it."""

from __future__ import annotations

from datetime import date

import pytest

from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.development import services
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole


@pytest.fixture
def world(create_user, create_organisation, give_role):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="Het Noordlicht", parent=board)
    other = create_organisation(name="De Zuidster")
    teacher = create_user(display_name="Tess Leraar")
    leader = create_user(display_name="Lena Leider")
    hr = create_user(display_name="Hugo HR")
    stranger = create_user(display_name="Sven Elders")
    give_role(teacher, school, OrganisationRole.TEACHER)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    give_role(hr, board, OrganisationRole.HR_ADVISOR)
    give_role(stranger, other, OrganisationRole.SCHOOL_LEADER)
    db.session.add(
        RecordEntry(
            user_id=teacher.id,
            source=RecordSource.MANUAL,
            title="Cursus taalgericht vakonderwijs",
            activity_date=date(2026, 10, 1),
            school_year="2026-2027",
            contact_minutes=180,
        )
    )
    db.session.commit()
    return locals()


def test_nothing_is_shared_by_default(world) -> None:
    assert services.record_shared_since(world["teacher"]) is None
    assert services.sharing_teachers(world["school"], world["leader"]) == []
    with pytest.raises(ServiceError):
        services.shared_record_of(world["teacher"], world["leader"])


def test_shared_the_schools_and_boards_leaders_read_it_others_do_not(world) -> None:
    services.share_record(world["teacher"])
    services.share_record(world["teacher"])  # twice is once
    db.session.commit()
    assert services.sharing_teachers(world["school"], world["leader"]) == [world["teacher"]]
    assert services.sharing_teachers(world["board"], world["hr"]) == [world["teacher"]]
    [year] = services.shared_record_of(world["teacher"], world["hr"])
    assert year.contact_minutes == 180
    with pytest.raises(ServiceError):
        services.shared_record_of(world["teacher"], world["stranger"])
    with pytest.raises(ServiceError):
        services.sharing_teachers(world["school"], world["stranger"])
    with pytest.raises(ServiceError):
        services.sharing_teachers(world["school"], world["teacher"])


def test_a_withdrawal_hides_the_record_at_once(world) -> None:
    services.share_record(world["teacher"])
    services.withdraw_record(world["teacher"])
    db.session.commit()
    assert services.record_shared_since(world["teacher"]) is None
    assert services.sharing_teachers(world["school"], world["leader"]) == []
    with pytest.raises(ServiceError):
        services.shared_record_of(world["teacher"], world["leader"])


def test_a_deleted_account_is_no_longer_read(world) -> None:
    services.share_record(world["teacher"])
    world["teacher"].deleted_at = utcnow()
    db.session.commit()
    assert not services.is_shared_with(world["teacher"], world["leader"])
    with pytest.raises(ServiceError):
        services.shared_record_of(world["teacher"], world["leader"])
