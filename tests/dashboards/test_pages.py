"""The dashboards' figures against a hand-counted school, board and network: what is counted in
which school year, month, theme and career stage; the lists of the school page; the charts and
tables and the CSV files that carry the same numbers."""

from __future__ import annotations

from datetime import timedelta

from plc.auth.models import CareerStage
from plc.catalogue.models import MatchKind, QuestionMatch, QuestionVisibility
from plc.communities.models import CommunityOwner, CoOwnerStatus
from plc.core.models import utcnow
from plc.dashboards.facts import Year
from plc.development.models import PersonalGoal, SchoolGoal
from plc.extensions import db
from plc.knowledge.models import OutputUse
from plc.pilots.models import Pilot, PilotOrganisation, PilotStatus
from tests.dashboards.conftest import page_table, read_csv, row_of

HIDDEN = "fewer than 5"


def school_page(client, world, **args: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return client.get(f"/dashboard/school/{world.school.slug}?{query}").get_data(as_text=True)


def test_participation_by_theme_career_stage_and_month(
    world, add_teachers, attend, join, enrol, create_offering, create_theme, login_client
):
    language = create_theme("Taal", name_en="Language")
    experienced = add_teachers(world.school, 6, CareerStage.EXPERIENCED)
    starters = add_teachers(world.school, 5, CareerStage.STARTER)
    join(experienced + starters, world.community)  # 11 teachers, one community
    attend(experienced, minutes=90)  # September
    attend(experienced + starters, day=world.day + timedelta(days=30), minutes=60)  # October
    both = create_offering(
        themes=[world.theme, language], contact_minutes=120, self_study_minutes=60
    )
    enrol(experienced, both, completed=True)
    enrol(starters, both)
    client = login_client(world.leader)

    page = school_page(client, world)
    summary = page_table(page, "samenvatting")
    assert row_of(summary, "Teachers in communities")[1] == "11"
    assert row_of(summary, "Communities they are members of")[1] == "1"
    assert row_of(summary, "Teachers at live sessions")[1] == "11"
    assert row_of(summary, "Session attendances")[1] == "17"
    assert row_of(summary, "Hours at live sessions")[1] == "20.0"  # 6 * 1.5 + 11 * 1
    assert row_of(summary, "Enrolments")[1] == "11"
    assert row_of(summary, "Enrolments completed")[1] == "6"
    assert row_of(summary, "Hours of completed offerings")[1] == "18.0"  # 6 * 3

    by_month = page_table(school_page(client, world, onderdeel="sessies"), "sessies-maand")
    september, october = (world.year.month_of(m).strftime("%B %Y") for m in (9, 10))
    assert row_of(by_month, september)[1:] == ["6", "6", "9.0"]
    assert row_of(by_month, october)[1:] == ["11", "11", "11.0"]
    assert row_of(by_month, "Total")[1:] == ["11", "17", "20.0"]

    offerings = school_page(client, world, onderdeel="aanbod")
    by_theme = page_table(offerings, "aanbod-thema")
    # one offering with two themes counts under each; the total counts it once
    assert row_of(by_theme, "Formative assessment")[1:] == ["11", "11", "6", "18.0"]
    assert row_of(by_theme, "Language")[1:] == ["11", "11", "6", "18.0"]
    assert row_of(by_theme, "Total")[1:] == ["11", "11", "6", "18.0"]
    by_stage = page_table(offerings, "aanbod-loopbaanfase")
    assert row_of(by_stage, "Beginning teacher")[1:] == ["5", "5", "0", "0.0"]
    assert row_of(by_stage, "Experienced teacher")[1:] == ["6", "6", "6", "18.0"]

    communities = page_table(school_page(client, world), "gemeenschappen-loopbaanfase")
    assert row_of(communities, "Total")[1:] == ["11", "1"]


def test_a_school_year_counts_only_what_happened_in_it(world, add_teachers, attend, login_client):
    teachers = add_teachers(world.school, 5)
    last_year = Year(world.year.start - 1)
    attend(teachers, day=last_year.first_day + timedelta(days=60))
    client = login_client(world.leader)
    now = school_page(client, world, onderdeel="sessies")
    section = now.split('id="tabel-sessies-thema"')[1].split("</section>")[0]
    assert "Nothing to count in this school year." in section
    then = school_page(client, world, onderdeel="sessies", jaar=last_year.name)
    assert row_of(page_table(then, "sessies-thema"), "Total")[1:] == ["5", "5", "5.0"]
    assert f'<option value="{last_year.name}" selected>' in then


def test_charts_draw_the_numbers_of_their_tables(world, add_teachers, attend, login_client):
    attend(add_teachers(world.school, 5))
    attend(add_teachers(world.school, 10))
    page = school_page(login_client(world.leader), world, onderdeel="sessies")
    chart = page.split('id="tabel-sessies-maand"')[1].split("<table")[0]
    assert 'class="dash-chart" aria-hidden="true"' in chart
    assert '<rect class="dash-fill-0" x="0" y="0" width="100.0" height="10">' in chart  # 15 of 15
    assert "fewer than 5" not in chart
    assert "<script>" not in page and " style=" not in page  # the CSP allows neither


def test_the_schools_own_lists(
    world, add_teachers, add_member, create_output, create_question, login_client
):
    author = add_teachers(world.school, 1)[0]
    add_member(world.community, author)
    written = create_output(world.community, author=author, title="Exit tickets in de brugklas")
    elsewhere = create_output(world.community, title="Van een andere school")
    db.session.add(
        OutputUse(output_id=elsewhere.id, organisation_id=world.school.id, note="In de sectie")
    )
    asked = create_question(
        author=world.leader, school=world.school, title="Hoe geven we feedback?"
    )
    hidden = create_question(
        author=world.leader,
        school=world.school,
        title="Alleen voor de vrager",
        visibility=QuestionVisibility.PRIVATE,
    )
    db.session.add_all(
        QuestionMatch(question_id=asked.id, kind=kind, target_id=n)
        for n, kind in enumerate([MatchKind.OFFERING, MatchKind.OFFERING, MatchKind.COMMUNITY])
    )
    today = world.year.first_day + timedelta(days=10)
    for title, status in (
        ("Samen rekenen", PilotStatus.RUNNING),
        ("Nog een voorstel", PilotStatus.PROPOSED),
    ):
        pilot = Pilot(
            slug=title.lower().replace(" ", "-"),
            title=title,
            starts_on=today,
            ends_on=today + timedelta(days=90),
            status=status,
        )
        db.session.add(pilot)
        db.session.flush()
        db.session.add(PilotOrganisation(pilot_id=pilot.id, organisation_id=world.school.id))
    served = SchoolGoal(organisation_id=world.school.id, title="Formatief handelen")
    barely = SchoolGoal(organisation_id=world.school.id, title="Digitale geletterdheid")
    db.session.add_all([served, barely])
    db.session.flush()
    teachers = add_teachers(world.school, 5)
    db.session.add_all(
        PersonalGoal(user_id=t.id, title="Doel", school_goal_id=served.id) for t in teachers
    )
    db.session.add_all(
        PersonalGoal(user_id=t.id, title="Doel", school_goal_id=barely.id) for t in teachers[:4]
    )
    db.session.commit()

    page = school_page(login_client(world.leader), world)
    assert f'href="/kennisbank/{written.slug}">Exit tickets in de brugklas</a>' in page
    assert 'Van een andere school</a>: <span class="plain-text">In de sectie</span>' in page
    questions = page_table_by_heading(page, "questions-title")
    assert row_of(questions, "Hoe geven we feedback?")[2:] == ["2", "1", "0"]
    assert "Alleen voor de vrager" in page  # the leader asked it
    assert "Alleen voor de vrager" not in school_page(login_client(world.hr), world)
    assert "Samen rekenen</a> · Running" in page and "Nog een voorstel" not in page
    goals = page_table_by_heading(page, "goals-title")
    assert row_of(goals, "Formatief handelen")[2] == "5"
    assert row_of(goals, "Digitale geletterdheid")[2] == HIDDEN
    assert f'href="/organisaties/{world.school.slug}/schooldoelen"' in page
    del hidden


def page_table_by_heading(page: str, heading: str) -> list[list[str]]:
    return page_table(
        page.replace(f'aria-labelledby="{heading}"', 'aria-labelledby="tabel-x"'), "x"
    )


def test_csv_files_are_attachments_with_the_tables_numbers(
    world, add_teachers, attend, create_theme, create_community, login_client
):
    formula = create_theme("=SOM(1)", slug="som", name_en="=SUM(1)")
    community = create_community(theme_ids=[formula.id])
    attend(add_teachers(world.school, 5), community=community)
    response = login_client(world.leader).get(
        f"/dashboard/school/{world.school.slug}/sessies-thema.csv"
    )
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="dashboard-')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    body = response.get_data(as_text=True)
    # for Dutch Excel, like the record's export: a byte order mark, `;` and a decimal comma
    assert body.startswith("\ufeff")
    assert body.splitlines()[0] == "\ufeffTheme;Teachers;Attendances;Hours"
    assert read_csv(body) == [
        ["Theme", "Teachers", "Attendances", "Hours"],
        ["'=SUM(1)", "5", "5", "5,0"],
        ["Total", "5", "5", "5,0"],
    ]


def test_the_board_page_puts_its_schools_side_by_side(world, add_teachers, attend, login_client):
    attend(add_teachers(world.school, 6))
    attend(add_teachers(world.other, 5, CareerStage.STARTER))
    add_teachers(world.lone, 9)  # not of the board
    client = login_client(world.board_member)
    page = client.get(f"/dashboard/bestuur/{world.board.slug}?onderdeel=sessies").get_data(
        as_text=True
    )
    by_stage = page_table(page, "sessies-loopbaanfase")
    assert by_stage[0] == ["Career stage", "De Linde", "Het Baken", "Board total"]
    assert row_of(by_stage, "Experienced teacher")[1:] == ["6", "0", "6"]
    assert row_of(by_stage, "Beginning teacher")[1:] == ["0", "5", "5"]
    assert row_of(by_stage, "Total")[1:] == ["6", "5", "11"]
    summary = page_table(page, "samenvatting")
    assert row_of(summary, "Teachers at live sessions")[1:] == ["6", "5", "11"]
    # De Linde: these 6, its leader, Lotte Jansen and 3 colleagues; Het Baken: these 5, its
    # leader and 4 colleagues
    assert row_of(summary, "Teachers on the platform")[1:] == ["11", "10", "21"]
    assert f'href="/dashboard/school/{world.other.slug}?jaar={world.year.name}"' in page
    csv_rows = read_csv(
        client.get(f"/dashboard/bestuur/{world.board.slug}/samenvatting.csv").get_data(as_text=True)
    )
    assert row_of(csv_rows, "Teachers at live sessions") == [
        "Teachers at live sessions",
        "6",
        "5",
        "11",
    ]


def test_the_network_page(
    world,
    add_teachers,
    attend,
    join,
    create_community,
    create_organisation,
    create_output,
    login_client,
):
    teachers = add_teachers(world.school, 6) + add_teachers(world.lone, 5)
    # colleagues who take part in nothing: the schools without a board have 11 teachers (with
    # the community's owner at a school of her own), 6 in communities and 5 at sessions
    add_teachers(world.lone, 5, None)
    join(teachers, world.community)  # members from two schools: cross-school
    partner = create_organisation(name="Pabo Amsterdam")
    db.session.add(
        CommunityOwner(
            community_id=world.community.id,
            organisation_id=partner.id,
            status=CoOwnerStatus.ACCEPTED,
        )
    )
    world.community.owner_count = 2
    create_community(name="Alleen binnen de school")
    attend(teachers)
    output = create_output(world.community)
    db.session.add_all(
        OutputUse(output_id=output.id, organisation_id=school.id)
        for school in (world.school, world.other)
    )
    db.session.commit()

    client = login_client(world.coordinator)
    page = client.get("/dashboard/netwerk").get_data(as_text=True)
    month = utcnow().strftime("%B %Y")
    communities = page_table(page, "gemeenschappen")
    assert row_of(communities, month)[2:] == ["2", "1"]  # two communities, one cross-school
    boards = page_table(page, "besturen")
    # De Linde's 6, its teacher, leader and 3 colleagues, Het Baken's leader and 4 colleagues:
    # 16; of them, 6 took part
    assert row_of(boards, "Stichting Amstel")[1:4] == ["16", "6", "6"]
    assert row_of(boards, "Schools without a board")[3] == "5"
    assert row_of(boards, "Amsterdam")[3] == "11"
    participation = page_table(page, "deelname")
    assert row_of(participation, world.day.strftime("%B %Y"))[1:3] == ["1", "11"]
    assert "Knowledge outputs published this school year</dt><dd>1</dd>" in page
    assert "Schools that use them</dt><dd>2</dd>" in page
    outputs = page_table(page, "kennis")
    assert row_of(outputs, month)[1:] == ["1", "2", "2"]
    csv_rows = read_csv(client.get("/dashboard/netwerk/besturen.csv").get_data(as_text=True))
    assert row_of(csv_rows, "Amsterdam")[3] == "11"
