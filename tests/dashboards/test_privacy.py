"""What a leader never sees: a group of fewer than five (on the page and in the CSV file), a
figure that gives one away by subtraction, a goal or record a teacher did not share."""

from __future__ import annotations

import pytest

from plc.auth.models import CareerStage
from plc.core.models import utcnow
from plc.development.models import PersonalGoal, RecordSharing
from plc.extensions import db
from plc.organisations.models import OrganisationKind, OrganisationRole
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
    in_csv = [value.replace(".", ",") for value in expected]  # a decimal comma for Excel
    assert row_of(page, "Beginning teacher")[1:] == expected
    assert row_of(csv_rows, "Beginning teacher")[1:] == in_csv
    assert row_of(page, "Total")[1:] == expected  # the total is those same teachers
    assert row_of(csv_rows, "Total")[1:] == in_csv


def test_a_total_never_gives_a_hidden_group_away_by_subtraction(
    world, add_teachers, attend, login_client
):
    # 3 starters, 6 experienced, 7 experts attend. Total 16 - 6 - 7 would be the 3 starters:
    # so the 6 are hidden with them, and 16 - 7 = 9 tells nothing about a small group.
    attend(add_teachers(world.school, 3, CareerStage.STARTER))
    attend(add_teachers(world.school, 6, CareerStage.EXPERIENCED))
    attend(add_teachers(world.school, 7, CareerStage.EXPERT))
    page, csv_rows = stage_rows(login_client(world.leader), world)
    for rows, point in ((page, "."), (csv_rows, ",")):
        assert row_of(rows, "Beginning teacher")[1:] == [HIDDEN] * 3
        assert row_of(rows, "Experienced teacher")[1:] == [HIDDEN] * 3
        assert row_of(rows, "Expert teacher")[1:] == ["7", "7", f"7{point}0"]
        assert row_of(rows, "Total")[1:] == ["16", "16", f"16{point}0"]
        assert row_of(rows, "Student teacher")[1:] == ["0", "0", f"0{point}0"]


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


# -- teachers minus those taking part ---------------------------------------------------------


def _number(text: str) -> float | None:
    return None if text == HIDDEN else float(text.replace(",", "."))


def assert_none_or_enough_left_out(teachers: list[str], taking_part: list[str]) -> None:
    """Beside each shown number of teachers, a shown number of them taking part leaves none or
    at least five out."""
    for everyone, some in zip(teachers, taking_part, strict=True):
        left_out = (
            None
            if None in (_number(everyone), _number(some))
            else _number(everyone) - _number(some)
        )
        assert left_out is None or left_out == 0 or left_out >= 5, (everyone, some)


@pytest.fixture
def school_of_twelve(world, person, give_role, add_teachers, join):
    """Het Eiland (no board): its leader and 5 more experienced teachers, and 6 starters; all in
    a community but one starter, whom `join_the_last` adds."""
    leader = person("Ingrid Eiland", career_stage=CareerStage.EXPERIENCED)
    give_role(leader, world.lone, OrganisationRole.SCHOOL_LEADER)
    experienced = [leader, *add_teachers(world.lone, 5, CareerStage.EXPERIENCED)]
    starters = add_teachers(world.lone, 6, CareerStage.STARTER)
    join(experienced + starters[:5], world.community)
    return leader, lambda: join(starters[5:], world.community)


def lone_tables(client, world, table_ids: list[str]) -> dict[str, tuple[list, list]]:
    """Each table of Het Eiland's page, from the page and from its CSV file."""
    base = f"/dashboard/school/{world.lone.slug}"
    page = client.get(base).get_data(as_text=True)
    return {
        table_id: (
            page_table(page, table_id),
            read_csv(client.get(f"{base}/{table_id}.csv").get_data(as_text=True)),
        )
        for table_id in table_ids
    }


def test_teachers_beside_those_in_communities_never_point_at_the_few_who_are_not(
    world, school_of_twelve, login_client
):
    # 12 teachers (6 starters, 6 experienced), 11 in a community: "12" beside "11", or "6
    # starters" beside "5 in communities", would say exactly one starter is in none
    leader, _join_the_last = school_of_twelve
    tables = lone_tables(
        login_client(leader),
        world,
        ["samenvatting", "leraren", "gemeenschappen-loopbaanfase", "gemeenschappen-thema"],
    )
    for rows in tables["samenvatting"]:
        assert row_of(rows, "Teachers on the platform")[1:] == ["12"]
        assert row_of(rows, "Teachers in communities")[1:] == [HIDDEN]
        assert row_of(rows, "Communities they are members of")[1:] == [HIDDEN]
        # nobody at a session: 0 of 12 is no small group
        assert row_of(rows, "Teachers at live sessions")[1:] == ["0"]
    for rows in tables["leraren"]:
        assert row_of(rows, "Beginning teacher")[1:] == ["6"]
        assert row_of(rows, "Experienced teacher")[1:] == ["6"]
        assert row_of(rows, "Total")[1:] == ["12"]
    for rows in tables["gemeenschappen-loopbaanfase"]:
        assert row_of(rows, "Beginning teacher")[1:] == [HIDDEN, HIDDEN]
        # the experienced all in one would say where the one who is not is
        assert row_of(rows, "Experienced teacher")[1:] == [HIDDEN, HIDDEN]
        assert row_of(rows, "Total")[1:] == [HIDDEN, HIDDEN]
    for rows in tables["gemeenschappen-thema"]:
        # 12 teachers minus the theme's 11 is the one
        assert row_of(rows, "Formative assessment")[1:] == [HIDDEN, HIDDEN]
    # page with page, CSV with CSV
    pairs = zip(tables["leraren"], tables["gemeenschappen-loopbaanfase"], strict=True)
    for teachers, rows in pairs:
        for label in (row[0] for row in teachers[1:]):
            assert_none_or_enough_left_out(row_of(teachers, label)[1:], row_of(rows, label)[1:2])


def test_with_none_left_out_the_figures_are_shown(world, school_of_twelve, login_client):
    leader, join_the_last = school_of_twelve
    join_the_last()
    tables = lone_tables(
        login_client(leader), world, ["samenvatting", "gemeenschappen-loopbaanfase"]
    )
    for rows in tables["samenvatting"]:
        assert row_of(rows, "Teachers on the platform")[1:] == ["12"]
        assert row_of(rows, "Teachers in communities")[1:] == ["12"]
    for rows in tables["gemeenschappen-loopbaanfase"]:
        assert row_of(rows, "Beginning teacher")[1:] == ["6", "1"]
        assert row_of(rows, "Experienced teacher")[1:] == ["6", "1"]
        assert row_of(rows, "Total")[1:] == ["12", "1"]


def test_the_board_page_and_its_schools_leave_no_few_out_either(
    world, add_teachers, join, login_client
):
    # De Linde: 5 who take part in nothing (see the world) and 11 experienced in a community,
    # with one more experienced teacher who is not: 6 left out of 17, but 1 of the 12
    # experienced. Het Baken: its 5 who take part in nothing.
    experienced = add_teachers(world.school, 12, CareerStage.EXPERIENCED)
    join(experienced[:11], world.community)
    client = login_client(world.hr)
    board = f"/dashboard/bestuur/{world.board.slug}"
    page = client.get(board).get_data(as_text=True)
    teachers = page_table(page, "leraren")
    by_stage = page_table(page, "gemeenschappen-loopbaanfase")
    csv_rows = read_csv(
        client.get(f"{board}/gemeenschappen-loopbaanfase.csv").get_data(as_text=True)
    )
    assert row_of(teachers, "Experienced teacher")[1:] == ["12", "0", "12"]
    for rows in (by_stage, csv_rows):
        assert row_of(rows, "Experienced teacher")[1] == HIDDEN
        assert row_of(rows, "Experienced teacher")[3] == HIDDEN
        for label in ("Experienced teacher", "Total"):
            assert_none_or_enough_left_out(row_of(teachers, label)[1:], row_of(rows, label)[1:])
    summary = page_table(page, "samenvatting")
    assert_none_or_enough_left_out(
        row_of(summary, "Teachers on the platform")[1:],
        row_of(summary, "Teachers in communities")[1:],
    )
    # De Linde's own page shows its column of the same figures
    school = client.get(f"/dashboard/school/{world.school.slug}").get_data(as_text=True)
    assert (
        row_of(page_table(school, "gemeenschappen-loopbaanfase"), "Experienced teacher")[1]
        == HIDDEN
    )


def test_the_network_never_points_at_a_few_teachers_of_a_board_who_take_no_part(
    world, create_organisation, add_teachers, join, login_client
):
    board = create_organisation(kind=OrganisationKind.BOARD, name="Stichting Noord")
    school = create_organisation(name="De Noordster", parent_id=board.id)
    noord = add_teachers(school, 12)
    join(noord[:11], world.community)  # 11 of Noord's 12
    join(add_teachers(world.lone, 5), world.community)  # schools without a board: all 6 take part
    client = login_client(world.coordinator)

    def boards() -> tuple[list[list[str]], list[list[str]]]:
        page = client.get("/dashboard/netwerk").get_data(as_text=True)
        csv_text = client.get("/dashboard/netwerk/besturen.csv").get_data(as_text=True)
        return page_table(page, "besturen"), read_csv(csv_text)

    for rows in boards():
        assert row_of(rows, "Stichting Noord")[1:3] == ["12", HIDDEN]
        # Amstel's 10 teachers take no part: its 0 would leave Noord's one by subtraction
        assert row_of(rows, "Stichting Amstel")[1:3] == ["10", HIDDEN]
        assert row_of(rows, "Amsterdam")[1:3] == ["28", "17"]
        for row in rows[1:]:
            assert_none_or_enough_left_out([row[1]] * 3, [row[2], row[3], row[6]])
    join(noord[11:], world.community)
    for rows in boards():
        assert row_of(rows, "Stichting Noord")[1:3] == ["12", "12"]
        assert row_of(rows, "Stichting Amstel")[1:3] == ["10", "0"]
        assert row_of(rows, "Schools without a board")[1:3] == ["6", "6"]
        assert row_of(rows, "Amsterdam")[1:3] == ["28", "18"]
