"""The six criteria of the seed, each computed from the data: met, or saying what is missing."""

from __future__ import annotations

from typing import Any

import pytest

from plc.communities.models import CommunityStatus, Visibility
from plc.extensions import db
from plc.knowledge.models import OutputType
from plc.pilots import services
from plc.pilots.criteria import (
    KEYS,
    Checklist,
    ParticipantFacts,
    PilotFacts,
    checklists_for,
    evaluate,
)
from plc.pilots.models import Pilot, PilotOrganisation, PilotStatus
from plc.surveys.summary import PilotEvaluation, evaluations_for_pilots


def _checklist(pilot: Pilot) -> Checklist:
    db.session.expire_all()
    pilot = db.session.get(Pilot, pilot.id)
    return checklists_for([pilot], evaluations_for_pilots([pilot.id]))[pilot.id]


def _item(pilot: Pilot, key: str) -> Any:
    return next(item for item in _checklist(pilot) if item.key == key)


def _needed(item: Any) -> list[str]:
    return [str(part) for part in item.needed]


# -- the pure function ---------------------------------------------------------------------------

EVERYTHING = PilotFacts(
    question_count=2,
    participants=(
        ParticipantFacts("Het Noordlicht", True, True, 7, "Mirjam Visser"),
        ParticipantFacts("Rekenacademie Noord", True, True, 8, "Karim Haddou"),
    ),
    has_public_output=True,
    has_open_community=False,
    has_evaluation_report=True,
    evaluation=PilotEvaluation(1, 12, 3, "Eindmeting", 12, 20, 3.9),
    involved_sponsor_ids=frozenset({7, 8}),
)


def test_a_pilot_with_everything_meets_all_six_in_the_seeds_order():
    checklist = evaluate(EVERYTHING)
    assert [item.key for item in checklist] == list(KEYS)
    assert all(item.met and not item.needed for item in checklist)
    assert checklist.met_count == 6 and checklist.unmet == []


def test_a_pilot_with_nothing_meets_none_and_says_what_is_needed():
    checklist = evaluate(PilotFacts())
    assert checklist.met_count == 0
    texts = {item.key: item.what_is_needed for item in checklist}
    assert (
        texts["learning_questions"] == "Link at least one learning question the pilot starts from."
    )
    assert texts["organisations"] == "0 organisation takes part; a pilot is owned by at least two."
    assert texts["shared_ownership"] == "No organisation takes part yet."
    assert texts["all_amsterdam"].startswith("Publish a knowledge output")
    assert "No published survey has a response yet." in texts["evaluated"]
    assert "No evaluation report is published yet" in texts["evaluated"]


# -- from the data -------------------------------------------------------------------------------


def test_learning_questions(world, make_pilot):
    pilot = make_pilot()
    assert _item(pilot, "learning_questions").met
    without = make_pilot(title="Zonder vraag", question_ids=[])
    item = _item(without, "learning_questions")
    assert not item.met
    assert _needed(item) == ["Link at least one learning question the pilot starts from."]


def test_two_or_more_organisations(world, make_pilot):
    pilot = make_pilot()
    assert _item(pilot, "organisations").met
    # A participant's organisation can disappear later (deleted): the checklist notices.
    db.session.delete(pilot.participants[1])
    db.session.commit()
    item = _item(pilot, "organisations")
    assert not item.met
    assert _needed(item) == ["1 organisation takes part; a pilot is owned by at least two."]


def test_shared_ownership_needs_a_contact_and_a_contribution_from_everyone(world, make_pilot):
    pilot = make_pilot()
    assert _item(pilot, "shared_ownership").met

    academy = next(r for r in pilot.participants if r.organisation_id == world.academy.id)
    academy.contribution = "   "
    school = next(r for r in pilot.participants if r.organisation_id == world.school.id)
    school.contact_id = None  # the contact's account was deleted
    db.session.commit()

    item = _item(pilot, "shared_ownership")
    assert not item.met
    assert _needed(item) == [
        "Het Noordlicht has no contact.",
        "Rekenacademie Noord has no contribution written down.",
    ]


def test_shared_ownership_through_the_charter_form(world, make_pilot):
    fields = services.fields_of(make_pilot())
    fields.participants[1].contribution = ""
    pilot = services.propose(
        world.proposer, services.CharterFields(**{**fields.__dict__, "title": "Zonder bijdrage"})
    )
    db.session.commit()
    assert _needed(_item(pilot, "shared_ownership")) == [
        "Rekenacademie Noord has no contribution written down."
    ]


def test_all_amsterdam_by_public_knowledge(world, make_pilot, make_report, create_community):
    pilot = make_pilot()  # its community takes members on request only
    item = _item(pilot, "all_amsterdam")
    assert not item.met
    assert _needed(item) == [
        "Publish a knowledge output from one of the pilot's communities, or open one of its "
        "communities to every teacher."
    ]
    make_report(state="draft", output_type=OutputType.GUIDELINE)
    assert not _item(pilot, "all_amsterdam").met  # a draft is not shared yet
    make_report(output_type=OutputType.GUIDELINE, title="Handreiking tafels")
    assert _item(pilot, "all_amsterdam").met


def test_all_amsterdam_by_open_participation(world, make_pilot):
    pilot = make_pilot()
    world.community.visibility = Visibility.PUBLIC
    db.session.commit()
    assert _item(pilot, "all_amsterdam").met
    world.community.status = CommunityStatus.CLOSED  # an archive takes nobody in
    db.session.commit()
    assert not _item(pilot, "all_amsterdam").met


def test_knowledge_of_an_invite_only_community_is_not_shared_with_amsterdam(
    world, make_pilot, make_report
):
    pilot = make_pilot()
    world.community.visibility = Visibility.INVITE
    db.session.commit()
    make_report(output_type=OutputType.GUIDELINE)
    assert not _item(pilot, "all_amsterdam").met


def test_evaluated_needs_survey_responses_and_a_published_report(
    world, make_pilot, make_report, make_survey
):
    pilot = make_pilot(PilotStatus.RUNNING)
    item = _item(pilot, "evaluated")
    assert _needed(item) == [
        "No published survey has a response yet.",
        "No evaluation report is published yet by one of the pilot's communities.",
    ]

    make_survey(pilot, responses=0)
    make_report(state="draft")
    assert len(_item(pilot, "evaluated").needed) == 2  # no response, and only a draft

    make_survey(pilot, responses=3)
    item = _item(pilot, "evaluated")
    assert _needed(item) == [
        "No evaluation report is published yet by one of the pilot's communities."
    ]

    make_report(output_type=OutputType.PRACTICE_EXAMPLE, title="Praktijkvoorbeeld")
    assert not _item(pilot, "evaluated").met  # not an evaluation report
    make_report()
    item = _item(pilot, "evaluated")
    assert item.met and item.needed == ()


def test_evaluated_without_survey_responses_says_so(world, make_pilot, make_report):
    pilot = make_pilot(PilotStatus.RUNNING)
    make_report()
    assert _needed(_item(pilot, "evaluated")) == ["No published survey has a response yet."]


def test_leaders_involved_needs_named_sponsors_who_take_part(world, make_pilot, add_member):
    pilot = make_pilot()
    item = _item(pilot, "leaders_involved")
    assert not item.met
    assert _needed(item) == [
        "Mirjam Visser (sponsor for Het Noordlicht) has not taken part yet: no step on the "
        "timeline and no membership of the pilot's communities.",
        "Karim Haddou (sponsor for Rekenacademie Noord) has not taken part yet: no step on the "
        "timeline and no membership of the pilot's communities.",
    ]

    services.add_comment(pilot, world.sponsor_school, "Ik sta erachter.")  # a step on the timeline
    add_member(world.community, world.sponsor_academy)  # active in the community
    db.session.commit()
    assert _item(pilot, "leaders_involved").met


def test_a_sponsor_of_another_pilot_does_not_count(world, make_pilot, add_member):
    pilot = make_pilot()
    other = make_pilot(title="Een andere pilot")
    services.add_comment(other, world.sponsor_school, "Hier wel.")
    services.add_comment(other, world.sponsor_academy, "Hier ook.")
    db.session.commit()
    assert not _item(pilot, "leaders_involved").met
    assert _item(other, "leaders_involved").met


def test_leaders_involved_needs_a_sponsor_for_every_organisation(world, make_pilot):
    pilot = make_pilot()
    row = db.session.get(PilotOrganisation, pilot.participants[1].id)
    row.sponsor_id = None
    services.add_comment(pilot, world.sponsor_school, "Ik sta erachter.")
    db.session.commit()
    assert _needed(_item(pilot, "leaders_involved")) == [
        "Rekenacademie Noord names no sponsor (a school leader or HR advisor)."
    ]


def test_a_membership_request_is_not_involvement(world, make_pilot):
    from plc.communities.models import CommunityMember, MemberStatus

    pilot = make_pilot()
    services.add_comment(pilot, world.sponsor_school, "Ja.")
    db.session.add(
        CommunityMember(
            community_id=world.community.id,
            user_id=world.sponsor_academy.id,
            status=MemberStatus.REQUESTED,
        )
    )
    db.session.commit()
    assert not _item(pilot, "leaders_involved").met


# -- many pilots at once --------------------------------------------------------------------------


@pytest.mark.parametrize("loaded", [True, False])
def test_the_checklists_of_many_pilots_take_a_fixed_number_of_statements(
    world, make_pilot, make_survey, make_report, count_queries, loaded
):
    make_report()

    def measure() -> int:
        db.session.expire_all()
        query = services.overview_query(services.OverviewFilters(), world.admin)
        if loaded:
            query = query.options(*services.list_options())
        pilots = list(db.session.scalars(query))
        evaluations = evaluations_for_pilots([p.id for p in pilots])
        with count_queries() as counted:
            checklists = checklists_for(pilots, evaluations)
            texts = [item.what_is_needed for c in checklists.values() for item in c]
        assert len(checklists) == len(pilots) and texts
        return counted.count

    for n in range(3):
        make_survey(make_pilot(title=f"Pilot {n}"), responses=1)
    few = measure()
    for n in range(3, 30):
        pilot = make_pilot(title=f"Pilot {n}")
        services.add_comment(pilot, world.sponsor_school, "Mooi.")
        db.session.commit()
    many = measure()

    assert few == many
    assert many == (1 if loaded else 2)  # the facts; and the participants when not loaded


def test_a_report_that_concluded_another_pilot_does_not_evaluate_this_one(
    world, make_pilot, make_report, make_survey
):
    first = make_pilot(PilotStatus.EVALUATING)
    second = make_pilot(PilotStatus.RUNNING, title="Tweede pilot")  # the same community
    make_survey(second, responses=2)
    report = make_report()
    assert _item(second, "evaluated").met  # a report of its community, for now
    services.conclude(first, world.proposer, report.id)
    db.session.commit()

    # The report still counts for the pilot it concluded (which has no survey responses).
    assert _needed(_item(first, "evaluated")) == ["No published survey has a response yet."]
    assert _needed(_item(second, "evaluated")) == [
        "No evaluation report is published yet by one of the pilot's communities."
    ]
