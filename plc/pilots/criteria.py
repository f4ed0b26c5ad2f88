"""The six criteria of the seed, as a live checklist computed from the data (never ticked by hand).

1. starts from learning questions — at least one linked learning question;
2. two or more organisations take part;
3. shared ownership — every organisation has a contact and a contribution written down;
4. benefits all of Amsterdam — a published (public) knowledge output from one of the pilot's
   communities, or one of its communities is public (any teacher can join);
5. evaluated — a published survey with at least one response, and a published evaluation report
   from one of the pilot's communities (not one that concluded another pilot of that community:
   knowledge outputs are not linked to pilots, so that one evaluates the other pilot);
6. school leaders and HR involved — every organisation names a sponsor, and each sponsor has
   taken part: a step on the timeline (an approval, a comment…) or active membership of one of
   the pilot's communities.

`evaluate` is a pure function over `PilotFacts`; `checklists_for` loads the facts of any number
of pilots in a fixed number of statements (the network overview, the API) and evaluates them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityStatus,
    MemberStatus,
    Visibility,
)
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputType
from plc.knowledge.services import published_filter
from plc.pilots.models import Pilot, PilotEvent, PilotOrganisation, pilot_community, pilot_question
from plc.surveys.summary import EMPTY, PilotEvaluation

#: The keys, in the order of the seed (they are also the API's keys).
KEYS = (
    "learning_questions",
    "organisations",
    "shared_ownership",
    "all_amsterdam",
    "evaluated",
    "leaders_involved",
)

TITLES = {
    "learning_questions": _l("Starts from learning questions"),
    "organisations": _l("Two or more organisations"),
    "shared_ownership": _l("Shared ownership"),
    "all_amsterdam": _l("Benefits all of Amsterdam"),
    "evaluated": _l("Evaluated"),
    "leaders_involved": _l("School leaders and HR involved"),
}


# -- the facts and the checklist -----------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantFacts:
    organisation_name: str
    has_contact: bool
    has_contribution: bool
    sponsor_id: int | None
    sponsor_name: str = ""


@dataclass(frozen=True)
class PilotFacts:
    """What the checklist is computed from."""

    question_count: int = 0
    participants: tuple[ParticipantFacts, ...] = ()
    #: A published output of one of its communities that the public may read.
    has_public_output: bool = False
    #: One of its communities is public and not closed: any teacher can join.
    has_open_community: bool = False
    #: A published evaluation report (a knowledge output of that type) of one of its communities.
    has_evaluation_report: bool = False
    #: Published surveys and their responses (plc.surveys.summary).
    evaluation: PilotEvaluation = EMPTY
    #: Sponsors who took part: a step on the timeline, or active membership of a community.
    involved_sponsor_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Criterion:
    key: str
    met: bool
    #: The missing parts, one lazy sentence each (empty when met).
    needed: tuple[Any, ...] = ()

    @property
    def title(self) -> Any:
        return TITLES[self.key]

    @property
    def what_is_needed(self) -> str:
        """The missing parts as one text."""
        return " ".join(str(part) for part in self.needed)


@dataclass(frozen=True)
class Checklist:
    items: tuple[Criterion, ...] = field(default_factory=tuple)

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.items if item.met)

    @property
    def unmet(self) -> list[Criterion]:
        return [item for item in self.items if not item.met]

    def __iter__(self) -> Any:
        return iter(self.items)


def _criterion(key: str, needed: list[Any]) -> Criterion:
    return Criterion(key, not needed, tuple(needed))


def _learning_questions(facts: PilotFacts) -> Criterion:
    needed = []
    if facts.question_count < 1:
        needed.append(_l("Link at least one learning question the pilot starts from."))
    return _criterion("learning_questions", needed)


def _organisations(facts: PilotFacts) -> Criterion:
    count = len(facts.participants)
    needed = []
    if count < 2:
        needed.append(
            _l(
                "%(num)d organisation takes part; a pilot is owned by at least two.",
                num=count,
            )
        )
    return _criterion("organisations", needed)


def _shared_ownership(facts: PilotFacts) -> Criterion:
    needed: list[Any] = []
    if not facts.participants:
        needed.append(_l("No organisation takes part yet."))
    for row in facts.participants:
        if not row.has_contact:
            needed.append(_l("%(name)s has no contact.", name=row.organisation_name))
        if not row.has_contribution:
            needed.append(
                _l("%(name)s has no contribution written down.", name=row.organisation_name)
            )
    return _criterion("shared_ownership", needed)


def _all_amsterdam(facts: PilotFacts) -> Criterion:
    needed = []
    if not (facts.has_public_output or facts.has_open_community):
        needed.append(
            _l(
                "Publish a knowledge output from one of the pilot's communities, or open one of "
                "its communities to every teacher."
            )
        )
    return _criterion("all_amsterdam", needed)


def _evaluated(facts: PilotFacts) -> Criterion:
    needed = []
    if facts.evaluation.responses < 1:
        needed.append(_l("No published survey has a response yet."))
    if not facts.has_evaluation_report:
        needed.append(
            _l("No evaluation report is published yet by one of the pilot's communities.")
        )
    return _criterion("evaluated", needed)


def _leaders_involved(facts: PilotFacts) -> Criterion:
    needed: list[Any] = []
    if not facts.participants:
        needed.append(_l("No organisation takes part yet."))
    for row in facts.participants:
        if row.sponsor_id is None:
            needed.append(
                _l(
                    "%(name)s names no sponsor (a school leader or HR advisor).",
                    name=row.organisation_name,
                )
            )
        elif row.sponsor_id not in facts.involved_sponsor_ids:
            needed.append(
                _l(
                    "%(person)s (sponsor for %(name)s) has not taken part yet: no step on the "
                    "timeline and no membership of the pilot's communities.",
                    person=row.sponsor_name,
                    name=row.organisation_name,
                )
            )
    return _criterion("leaders_involved", needed)


def evaluate(facts: PilotFacts) -> Checklist:
    """The six criteria, in the seed's order, each met or saying what is missing."""
    return Checklist(
        (
            _learning_questions(facts),
            _organisations(facts),
            _shared_ownership(facts),
            _all_amsterdam(facts),
            _evaluated(facts),
            _leaders_involved(facts),
        )
    )


# -- loading the facts of many pilots at once -----------------------------------------------------


def _ensure_participants(pilots: Sequence[Pilot]) -> None:
    """Participants with their organisation and sponsor, loaded for every pilot in one
    statement, unless the caller's query loaded them already (`services.list_options`)."""
    missing = {p.id: p for p in pilots if "participants" in sa.inspect(p).unloaded}
    if not missing:
        return
    rows: dict[int, list[PilotOrganisation]] = defaultdict(list)
    for row in db.session.scalars(
        sa.select(PilotOrganisation)
        .where(PilotOrganisation.pilot_id.in_(list(missing)))
        .options(joinedload(PilotOrganisation.organisation), joinedload(PilotOrganisation.sponsor))
        .order_by(PilotOrganisation.pilot_id, PilotOrganisation.position)
    ):
        rows[row.pilot_id].append(row)
    for pilot_id, pilot in missing.items():
        set_committed_value(pilot, "participants", rows[pilot_id])


def _fact_rows(pilot_ids: list[int]) -> sa.CompoundSelect:
    """(pilot id, fact, value) rows for every fact that needs the database, as one statement:
    the overview's statement count must not grow with the number of pilots (nor with the
    number of facts)."""
    questions = (
        sa.select(
            pilot_question.c.pilot_id.label("pilot_id"),
            sa.literal("questions", sa.String).label("fact"),
            sa.func.count().label("value"),
        )
        .where(pilot_question.c.pilot_id.in_(pilot_ids))
        .group_by(pilot_question.c.pilot_id)
    )
    # A published output the public may read; value 1 when one of them is an evaluation report
    # that did not conclude another pilot of the same community (it evaluates that one).
    other_pilot = sa.orm.aliased(Pilot)
    claimed = (
        sa.exists()
        .where(
            other_pilot.evaluation_report_id == KnowledgeOutput.id,
            other_pilot.id != pilot_community.c.pilot_id,
        )
        .correlate(KnowledgeOutput, pilot_community)
    )
    report = sa.and_(KnowledgeOutput.output_type == OutputType.EVALUATION_REPORT, ~claimed)
    outputs = (
        sa.select(
            pilot_community.c.pilot_id,
            sa.literal("outputs", sa.String),
            sa.func.max(sa.case((report, 1), else_=0)),
        )
        .join(KnowledgeOutput, KnowledgeOutput.community_id == pilot_community.c.community_id)
        .where(pilot_community.c.pilot_id.in_(pilot_ids), published_filter())
        .group_by(pilot_community.c.pilot_id)
    )
    open_communities = (
        sa.select(
            pilot_community.c.pilot_id,
            sa.literal("open_community", sa.String),
            sa.literal(1),
        )
        .join(Community, Community.id == pilot_community.c.community_id)
        .where(
            pilot_community.c.pilot_id.in_(pilot_ids),
            Community.visibility == Visibility.PUBLIC,
            Community.status != CommunityStatus.CLOSED,
        )
    )
    # Sponsors with a step on the timeline of the pilot they sponsor…
    sponsor_events = (
        sa.select(PilotEvent.pilot_id, sa.literal("involved", sa.String), PilotEvent.actor_id)
        .join(
            PilotOrganisation,
            sa.and_(
                PilotOrganisation.pilot_id == PilotEvent.pilot_id,
                PilotOrganisation.sponsor_id == PilotEvent.actor_id,
            ),
        )
        .where(PilotEvent.pilot_id.in_(pilot_ids))
    )
    # …or active in one of its communities.
    sponsor_members = (
        sa.select(
            pilot_community.c.pilot_id,
            sa.literal("involved", sa.String),
            CommunityMember.user_id,
        )
        .join(CommunityMember, CommunityMember.community_id == pilot_community.c.community_id)
        .join(
            PilotOrganisation,
            sa.and_(
                PilotOrganisation.pilot_id == pilot_community.c.pilot_id,
                PilotOrganisation.sponsor_id == CommunityMember.user_id,
            ),
        )
        .where(
            pilot_community.c.pilot_id.in_(pilot_ids),
            CommunityMember.status == MemberStatus.ACTIVE,
        )
    )
    return sa.union_all(questions, outputs, open_communities, sponsor_events, sponsor_members)


def facts_for(
    pilots: Sequence[Pilot], evaluations: dict[int, PilotEvaluation]
) -> dict[int, PilotFacts]:
    """The facts of every pilot: one statement, plus one when participants were not loaded."""
    if not pilots:
        return {}
    _ensure_participants(pilots)
    ids = [pilot.id for pilot in pilots]
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    involved: dict[int, set[int]] = defaultdict(set)
    for pilot_id, fact, value in db.session.execute(_fact_rows(ids)):
        if fact == "involved":
            involved[pilot_id].add(value)
        else:
            found[pilot_id][fact] = value
    return {
        pilot.id: PilotFacts(
            question_count=int(found[pilot.id].get("questions", 0)),
            participants=tuple(
                ParticipantFacts(
                    organisation_name=row.organisation.name,
                    has_contact=row.contact_id is not None,
                    has_contribution=bool(row.contribution.strip()),
                    sponsor_id=row.sponsor_id,
                    sponsor_name=row.sponsor.display_name if row.sponsor else "",
                )
                for row in pilot.participants
            ),
            has_public_output="outputs" in found[pilot.id],
            has_open_community="open_community" in found[pilot.id],
            has_evaluation_report=bool(found[pilot.id].get("outputs")),
            evaluation=evaluations.get(pilot.id, EMPTY),
            involved_sponsor_ids=frozenset(involved[pilot.id]),
        )
        for pilot in pilots
    }


def checklists_for(
    pilots: Sequence[Pilot], evaluations: dict[int, PilotEvaluation]
) -> dict[int, Checklist]:
    """The checklist of every pilot, in a fixed number of statements."""
    return {pilot_id: evaluate(facts) for pilot_id, facts in facts_for(pilots, evaluations).items()}
