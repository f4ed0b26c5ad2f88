"""What a leader never sees: a group of fewer than five (on the page and in the CSV file), a
figure that gives one away by subtraction, a goal or record a teacher did not share."""

from __future__ import annotations

import pytest

from plc.auth.models import CareerStage
from plc.core.models import utcnow
from plc.development.models import PersonalGoal, RecordSharing
from plc.extensions import db
from tests.dashboards.conftest import page_table, read_csv, row_of

HIDDEN = "fewer than 5"
TABLE_IDS = [
    "samenvatting",
    "leraren",
    *(
        f"{block}-{dimension}"
        for block in ("gemeenschappen", "sessies", "aanbod")
        for dimension in ("thema", "loopbaanfase", "maand")
    ),
]


def school_url(world, path: str = "", **args: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/dashboard/school/{world.school.slug}{path}" + (f"?{query}" if query else "")


def stage_rows(client, world) -> tuple[list[list[str]], list[list[str]]]:
    """The sessions-by-career-stage table, from the page and from its CSV file."""
    page = client.get(school_url(world, onderdeel="sessies")).get_data(as_text=True)
    csv_rows = read_csv(
        client.get(school_url(world, "/sessies-loopbaanfase.csv")).get_data(as_text=True)
    )
    return page_table(page, "sessies-loopbaanfase"), csv_rows


@pytest.mark.parametrize(("starters", "shown"), [(4, False), (5, True)])
def test_four_teachers_in_a_career_stage_are_hidden_five_are_shown(
    world, add_teachers, attend, login_client, starters, shown
):
    attend(add_teachers(world.school, starters, CareerStage.STARTER), minutes=90)
    page, csv_rows = stage_rows(login_client(world.leader), world)
    expected = [str(starters), str(starters), f"{1.5 * starters:.1f}"] if shown else [HIDDEN] * 3
    assert row_of(page, "Beginning teacher")[1:] == expected
    assert row_of(csv_rows, "Beginning teacher")[1:] == expected
    assert row_of(page, "Total")[1:] == expected  # the total is those same teachers
    assert row_of(csv_rows, "Total")[1:] == expected


def test_a_total_never_gives_a_hidden_group_away_by_subtraction(
    world, add_teachers, attend, login_client
):
    # 3 starters, 6 experienced, 7 experts attend. Total 16 - 6 - 7 would be the 3 starters:
    # so the 6 are hidden with them, and 16 - 7 = 9 tells nothing about a small group.
    attend(add_teachers(world.school, 3, CareerStage.STARTER))
    attend(add_teachers(world.school, 6, CareerStage.EXPERIENCED))
    attend(add_teachers(world.school, 7, CareerStage.EXPERT))
    page, csv_rows = stage_rows(login_client(world.leader), world)
    for rows in (page, csv_rows):
        assert row_of(rows, "Beginning teacher")[1:] == [HIDDEN] * 3
        assert row_of(rows, "Experienced teacher")[1:] == [HIDDEN] * 3
        assert row_of(rows, "Expert teacher")[1:] == ["7", "7", "7.0"]
        assert row_of(rows, "Total")[1:] == ["16", "16", "16.0"]
        assert row_of(rows, "Student teacher")[1:] == ["0", "0", "0.0"]


def test_a_school_page_hides_what_the_board_page_would_give_away(
    world, add_teachers, attend, login_client
):
    # 7 at De Linde and 3 at Het Baken attended. The board's total (10) next to De Linde's 7
    # would give Het Baken's 3 away, on the board page and by comparing it with this page.
    attend(add_teachers(world.school, 7))
    attend(add_teachers(world.other, 3))
    hr = login_client(world.hr)
    board_page = hr.get(f"/dashboard/bestuur/{world.board.slug}?onderdeel=sessies")
    board_rows = page_table(board_page.get_data(as_text=True), "sessies-thema")
    assert row_of(board_rows, "Formative assessment")[1:] == [HIDDEN, HIDDEN, "10"]
    board_csv = read_csv(
        hr.get(f"/dashboard/bestuur/{world.board.slug}/sessies-thema.csv").get_data(as_text=True)
    )
    assert row_of(board_csv, "Formative assessment")[1:] == [HIDDEN, HIDDEN, "10"]
    page, csv_rows = stage_rows(login_client(world.leader), world)
    assert row_of(page, "Experienced teacher")[1:] == [HIDDEN] * 3
    assert row_of(csv_rows, "Total")[1:] == [HIDDEN] * 3


def _goal(user, title: str, shared: bool = True) -> PersonalGoal:
    goal = PersonalGoal(user_id=user.id, title=title, shared_at=utcnow() if shared else None)
    db.session.add(goal)
    db.session.commit()
    return goal


def test_only_shared_goals_reach_the_leaders_and_never_the_csv_files(
    world, add_teachers, login_client
):
    sharing, keeping, withdrawing = add_teachers(world.school, 3)
    _goal(sharing, "Feedback geven in groep 5")
    _goal(keeping, "Mijn eigen geheime doel", shared=False)
    withdrawn = _goal(withdrawing, "Ingetrokken doel")
    withdrawn.shared_at = None  # the teacher withdrew it
    db.session.commit()

    for reader in (world.leader, world.hr):
        client = login_client(reader)
        page = client.get(school_url(world)).get_data(as_text=True)
        assert "Feedback geven in groep 5" in page and sharing.display_name in page
        assert "Mijn eigen geheime doel" not in page
        assert "Ingetrokken doel" not in page
        for table_id in TABLE_IDS:
            body = client.get(school_url(world, f"/{table_id}.csv")).get_data(as_text=True)
            assert "doel" not in body.lower() and sharing.display_name not in body, table_id
    # board members read the figures, not what teachers share with their leaders
    page = login_client(world.board_member).get(school_url(world)).get_data(as_text=True)
    assert "Feedback geven in groep 5" not in page
    assert "board members do not see them" in page


def test_only_teachers_who_share_their_record_are_listed(world, add_teachers, login_client):
    sharing, withdrew, never = add_teachers(world.school, 3)
    sharing.display_name, withdrew.display_name, never.display_name = (
        "Anna Deelt",
        "Bram Stopt",
        "Cas Niet",
    )
    db.session.add_all(
        [
            RecordSharing(user_id=sharing.id, shared_at=utcnow()),
            RecordSharing(user_id=withdrew.id, shared_at=None),
        ]
    )
    db.session.commit()
    page = login_client(world.leader).get(school_url(world)).get_data(as_text=True)
    assert f'href="/professionalisering/{sharing.id}">Anna Deelt</a>' in page
    assert "Bram Stopt" not in page and "Cas Niet" not in page
    page = login_client(world.board_member).get(school_url(world)).get_data(as_text=True)
    assert "Anna Deelt" not in page


def test_no_name_of_a_teacher_who_did_not_share_is_on_any_dashboard(
    world, add_teachers, attend, join, login_client
):
    teachers = add_teachers(world.school, 6)
    for index, teacher in enumerate(teachers):
        teacher.display_name = f"Verborgen Naam {index}"
    db.session.commit()
    attend(teachers)
    join(teachers, world.community)
    hr = login_client(world.hr)
    pages = [
        hr.get(school_url(world, onderdeel=block)).get_data(as_text=True)
        for block in ("gemeenschappen", "sessies", "aanbod")
    ]
    pages.append(hr.get(f"/dashboard/bestuur/{world.board.slug}").get_data(as_text=True))
    pages += [
        hr.get(school_url(world, f"/{table_id}.csv")).get_data(as_text=True)
        for table_id in TABLE_IDS
    ]
    assert not any("Verborgen Naam" in page for page in pages)
