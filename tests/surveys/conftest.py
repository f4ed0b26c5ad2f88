"""Builders for survey tests: sessions, pilots, surveys made through the real services, and
answers given through them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask_babel import force_locale

from plc.auth.models import User
from plc.core.models import utcnow
from plc.extensions import db
from tests.support.live_sessions import add_live_session

LANG_EN = {"preferred_language": "en"}


@pytest.fixture
def create_session(create_community) -> Callable[..., Any]:
    """A scheduled session of `community` that ended an hour ago (unless `starts_in` says)."""
    from plc.live.models import SessionMode

    def build(
        community: Any = None, starts_in: timedelta = timedelta(hours=-2), **fields: Any
    ) -> Any:
        fields = {"mode": SessionMode.IN_PERSON, **fields}
        return add_live_session(community or create_community(), starts_in, **fields)

    return build


@pytest.fixture
def rsvp() -> Callable[..., Any]:
    from plc.live.models import Rsvp, RsvpStatus

    def build(session: Any, user: User, status: Any = RsvpStatus.GOING) -> Any:
        row = Rsvp(session_id=session.id, user_id=user.id, status=status)
        db.session.add(row)
        db.session.commit()
        return row

    return build


@pytest.fixture
def create_pilot(create_user, create_organisation) -> Callable[..., Any]:
    """A running pilot. `participants`: [(organisation, contact, sponsor)]; the proposer is the
    first contact unless given."""
    from plc.pilots.models import Pilot, PilotOrganisation, PilotStatus

    counter = iter(range(1, 1_000_000))

    def build(
        participants: list[tuple[Any, User | None, User | None]] | None = None,
        communities: list[Any] | None = None,
        proposer: User | None = None,
        **fields: Any,
    ) -> Any:
        n = next(counter)
        if participants is None:
            participants = [(create_organisation(), create_user(), None)]
        pilot = Pilot(
            slug=f"pilot-{n}-{uuid.uuid4().hex[:6]}",
            title=fields.pop("title", f"Pilot {n}"),
            starts_on=date.today() - timedelta(days=30),
            ends_on=date.today() + timedelta(days=60),
            status=PilotStatus.RUNNING,
            proposed_by_id=(proposer or participants[0][1]).id
            if (proposer or participants[0][1])
            else None,
            **fields,
        )
        for position, (organisation, contact, sponsor) in enumerate(participants):
            pilot.participants.append(
                PilotOrganisation(
                    organisation_id=organisation.id,
                    position=position,
                    contact_id=contact.id if contact else None,
                    sponsor_id=sponsor.id if sponsor else None,
                )
            )
        pilot.communities = list(communities or [])
        db.session.add(pilot)
        db.session.commit()
        return pilot

    return build


@pytest.fixture
def make_survey() -> Callable[..., Any]:
    """A survey through the services: by default an anonymous, published, open survey built
    from `questions` (dicts as in a template) or the built-in session evaluation."""
    from plc.surveys import services
    from plc.surveys.builtin import SESSION_EVALUATION

    def build(
        subject: Any,
        owner: User,
        questions: list[dict[str, Any]] | None = None,
        *,
        anonymous: bool = True,
        publish: bool = True,
        opens_in: timedelta = timedelta(hours=-1),
        lasts: timedelta = timedelta(days=10),
        title: str = "Evaluatie",
        language: str = "nl",
        template: str = f"builtin:{SESSION_EVALUATION}",
    ) -> Any:
        kind = {
            "LiveSession": "session",
            "Offering": "offering",
            "Pilot": "pilot",
        }[type(subject).__name__]
        found = services.load_subject(kind, subject.id)
        opens_at = utcnow().replace(microsecond=0) + opens_in
        source = (
            services.TemplateSource("", language, "", "", tuple(questions))
            if questions is not None
            else services.template_source(template, language)
        )
        survey = services.create_survey(
            found,
            owner,
            services.SurveySettings(
                title=title,
                opens_at=opens_at,
                closes_at=opens_at + lasts,
                anonymous=anonymous,
                language=language,
            ),
            source,
        )
        if publish:
            services.publish(survey, owner)
        db.session.commit()
        return survey

    return build


def scale(
    key: str, prompt: str | None = None, *, required: bool = True, low: int = 1, high: int = 5
) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "scale",
        "prompt": prompt or f"Stelling {key}",
        "required": required,
        "scale_min": low,
        "scale_max": high,
        "low_label": "Oneens",
        "high_label": "Eens",
    }


def choice(
    key: str, options: list[str], *, multiple: bool = False, required: bool = True
) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "multiple" if multiple else "choice",
        "prompt": f"Keuze {key}",
        "required": required,
        "options": options,
    }


def text(key: str, *, required: bool = False) -> dict[str, Any]:
    return {"key": key, "kind": "text", "prompt": f"Open vraag {key}", "required": required}


@pytest.fixture
def give_answers() -> Callable[..., Any]:
    """Answer through the service, by question key: {"q1": 4, "q2": "Online", "q3": ["a", "b"],
    "q4": "tekst"} (options by label)."""
    from plc.surveys import services
    from plc.surveys.models import QuestionKind

    def build(survey: Any, user: User, answers: dict[str, Any]) -> bool:
        db.session.refresh(survey)
        by_key = {q.key: q for q in survey.questions}
        submitted: dict[int, list[str]] = {}
        for key, value in answers.items():
            question = by_key[key]
            if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
                labels = value if isinstance(value, list) else [value]
                ids = {o.label: o.id for o in question.options}
                submitted[question.id] = [str(ids[label]) for label in labels]
            else:
                submitted[question.id] = [str(value)]
        first = services.respond(survey, user, submitted)
        db.session.commit()
        return first

    return build


def form_of(survey: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """Answers by question key as the answering form posts them."""
    from plc.surveys.models import QuestionKind

    data: dict[str, Any] = {}
    for question in survey.questions:
        if question.key not in answers:
            continue
        value = answers[question.key]
        if question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            labels = value if isinstance(value, list) else [value]
            ids = {o.label: o.id for o in question.options}
            data[f"q-{question.id}"] = [str(ids[label]) for label in labels]
        else:
            data[f"q-{question.id}"] = str(value)
    return data


class SessionSetup:
    """A community with its owner (a facilitator), a session that just took place, and
    participants who said they were going. Everyone reads English."""

    def __init__(self, community: Any, owner: User, session: Any, people: list[User]) -> None:
        self.community = community
        self.owner = owner
        self.session = session
        self.people = people


@pytest.fixture
def session_setup(
    create_user, create_community, add_member, create_session, rsvp
) -> Callable[..., SessionSetup]:
    def build(participants: int = 3, **session_fields: Any) -> SessionSetup:
        owner = create_user(display_name="Fenna Facilitator", email="fenna@example.org", **LANG_EN)
        community = create_community(owner=owner)
        session = create_session(community, **session_fields)
        people = []
        for n in range(participants):
            person = create_user(
                display_name=f"Deelnemer {chr(65 + n % 26)}{n}",
                email=f"deelnemer{n}@example.org",
                **LANG_EN,
            )
            add_member(community, person)
            rsvp(session, person)
            people.append(person)
        return SessionSetup(community, owner, session, people)

    return build


def mails(subject_part: str = "") -> list[Any]:
    import sqlalchemy as sa

    from plc.core.outbox import OutboxMessage

    db.session.expire_all()
    return [
        m
        for m in db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
        if subject_part in m.subject
    ]


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """The people of these tests read English; so do the messages of the services they call."""
    with force_locale("en"):
        yield
