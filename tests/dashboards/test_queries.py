"""The dashboards run the same number of SQL statements for a small board and for one with ten
times the schools and twenty-five times the teachers: every figure is a GROUP BY, every list one
query."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from plc.auth.models import CareerStage
from plc.catalogue.models import MatchKind, QuestionMatch
from plc.core.models import utcnow
from plc.development.models import PersonalGoal, RecordSharing, SchoolGoal
from plc.extensions import db
from plc.knowledge.models import OutputUse
from plc.organisations.models import OrganisationKind, OrganisationRole
from plc.pilots.models import Pilot, PilotOrganisation, PilotStatus

STAGES = list(CareerStage)


def test_statements_do_not_grow_with_teachers_or_schools(
    world,
    person,
    create_organisation,
    give_role,
    add_teachers,
    attend,
    join,
    enrol,
    create_offering,
    create_output,
    create_question,
    login_client,
    count_queries,
):
    offering = create_offering(themes=[world.theme])
    output = create_output(world.community)

    def board_with(schools: int, teachers: int) -> tuple[Any, Any, Any]:
        """A board whose schools each have `teachers` teachers who do everything; a leader of
        its first school and an HR advisor of the board."""
        board = create_organisation(
            kind=OrganisationKind.BOARD, name=f"Bestuur {uuid.uuid4().hex[:6]}"
        )
        first = None
        for n in range(schools):
            school = create_organisation(name=f"School {n}", parent_id=board.id)
            first = first or school
            people = []
            for stage in STAGES:
                people += add_teachers(school, teachers // len(STAGES), stage)
            join(people, world.community)
            attend(people)
            attend(people, day=world.day + timedelta(days=35))
            enrol(people, offering, completed=n % 2 == 0)
            db.session.add_all(
                PersonalGoal(user_id=p.id, title="Doel", shared_at=utcnow()) for p in people
            )
            db.session.add_all(RecordSharing(user_id=p.id, shared_at=utcnow()) for p in people)
            db.session.add(OutputUse(output_id=output.id, organisation_id=school.id))
            goal = SchoolGoal(organisation_id=school.id, title="Schooldoel")
            pilot = Pilot(
                slug=f"pilot-{uuid.uuid4().hex[:8]}",
                title="Pilot",
                starts_on=world.day,
                ends_on=world.day + timedelta(days=60),
                status=PilotStatus.RUNNING,
            )
            db.session.add_all([goal, pilot])
            db.session.flush()
            db.session.add(PilotOrganisation(pilot_id=pilot.id, organisation_id=school.id))
            db.session.commit()
        leader, hr = person(f"Leider {board.id}"), person(f"HR {board.id}")
        give_role(leader, first, OrganisationRole.SCHOOL_LEADER)
        give_role(hr, board, OrganisationRole.HR_ADVISOR)
        question = create_question(author=leader, school=first, themes=[world.theme])
        db.session.add(
            QuestionMatch(question_id=question.id, kind=MatchKind.OFFERING, target_id=offering.id)
        )
        db.session.commit()
        return first, leader, hr

    def counts(school: Any, leader: Any, hr: Any) -> dict[str, int]:
        board = school.parent
        pages = {
            "school": (leader, f"/dashboard/school/{school.slug}"),
            "school, offerings": (leader, f"/dashboard/school/{school.slug}?onderdeel=aanbod"),
            "school CSV": (leader, f"/dashboard/school/{school.slug}/sessies-maand.csv"),
            "board": (hr, f"/dashboard/bestuur/{board.slug}?onderdeel=sessies"),
            "board CSV": (hr, f"/dashboard/bestuur/{board.slug}/samenvatting.csv"),
            "network": (world.coordinator, "/dashboard/netwerk"),
            "network CSV": (world.coordinator, "/dashboard/netwerk/besturen.csv"),
            "overview": (hr, "/dashboard"),
        }
        found = {}
        for name, (viewer, url) in pages.items():
            client = login_client(viewer)
            client.get(url)  # warm: the first request of a client loads its login once more
            with count_queries() as counted:
                response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            found[name] = counted.count
        return found

    small = counts(*board_with(schools=2, teachers=8))
    large = counts(*board_with(schools=20, teachers=20))
    print("statements per page:", small)
    assert small == large
    assert max(small.values()) <= 25, small
