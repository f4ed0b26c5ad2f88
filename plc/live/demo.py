"""Demo sessions: two past ones with their chat, questions, a poll, attendance and notes (and the
hours credited), a live one whose room the demo facilitator has opened, and upcoming ones with
sign-ups, among them a weekly series.

The demo facilitator (daan@example.org) runs "Begrijpend lezen"; the demo starter
(sanne@example.org) is a member there, and the demo teacher (fatima@example.org) may come to
the open sessions. Past rows are written directly (the services refuse a start in the past);
upcoming ones go through the planning and sign-up services.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from plc.auth.models import User
from plc.communities.models import Community
from plc.communities.services import active_members
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.extensions import db
from plc.live import services
from plc.live.access import session_access
from plc.live.models import (
    Attendance,
    Audience,
    ChatMessage,
    Frequency,
    LiveSession,
    Poll,
    PollBallot,
    PollChoice,
    PollOption,
    PollStatus,
    Question,
    QuestionStatus,
    QuestionVote,
    RoomState,
    RsvpStatus,
    SessionMode,
)

READING = "Begrijpend lezen"
ASSESSMENT = "Formatief evalueren"
STARTERS = "Startende leraren"

#: (community, title, days ago, agenda, chat, questions (text, votes, status), poll, notes).
PAST = [
    (
        READING,
        "Rijke teksten kiezen voor groep 6",
        21,
        "1. Opening en leesvraag van de maand\n2. Drie teksten naast elkaar\n3. Afspraken voor de volgende keer",
        [
            "Goedemiddag allemaal! Fijn dat jullie er zijn.",
            "Ik heb de drie teksten uitgeprint, kan iedereen ze zien?",
            "Ja, de tekst over de Noord/Zuidlijn spreekt mijn groep zeker aan.",
            "Wij hebben vorige week een tekst over het IJ gelezen, ze hadden veel voorkennis.",
            "Goed punt: kennis opbouwen over één onderwerp maakt de volgende tekst makkelijker.",
            "Ik probeer het komende week met een reeks van drie teksten.",
        ],
        [
            ("Hoe lang mag een tekst zijn voor groep 6?", 4, QuestionStatus.ANSWERED),
            ("Wie heeft goede bronnen voor teksten over de stad?", 3, QuestionStatus.ANSWERED),
            ("Kunnen we ook een keer bij elkaar in de klas kijken?", 2, QuestionStatus.OPEN),
        ],
        (
            "Wat wil je als eerste uitproberen?",
            [
                "Een reeks teksten over één onderwerp",
                "Het tekstgesprek vooraf",
                "Leesplezier-rondes",
            ],
            [0, 0, 1, 0, 2],
        ),
        "We kozen drie teksten over Amsterdam. **Afspraak:** iedereen probeert een reeks van drie "
        "teksten en neemt een leerlingreactie mee naar de volgende bijeenkomst.",
    ),
    (
        ASSESSMENT,
        "Exit tickets bespreken",
        10,
        "1. Voorbeelden van exit tickets\n2. Wat doe je de volgende les met de antwoorden?",
        [
            "Welkom! Zet je exit ticket van deze week maar in de chat.",
            "Mijne: 'Schrijf één ding op dat je nog niet snapt over breuken.'",
            "Ik gebruik drie smileys en een zin, dat gaat snel.",
            "Wat doen jullie met de stapel 'snapt het nog niet'?",
            "Die krijgen bij mij de eerste tien minuten een instructietafel.",
        ],
        [
            ("Werkt een exit ticket ook in de bovenbouw?", 3, QuestionStatus.ANSWERED),
            ("Hoe voorkom je dat het een toets wordt?", 2, QuestionStatus.OPEN),
        ],
        (
            "Hoe vaak gebruik je exit tickets?",
            ["Elke les", "Een paar keer per week", "Zelden"],
            [1, 1, 0, 2],
        ),
        "Afgesproken dat we allemaal twee weken lang exit tickets gebruiken en de opbrengst delen.",
    ),
]


def _community(prefix: str) -> Community | None:
    return db.session.scalar(sa.select(Community).where(Community.name.startswith(prefix)))


def _user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == email))
    assert user is not None, email
    return user


def _today_at(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = day.astimezone(services.AMSTERDAM)
    return services.amsterdam_moment(local.date(), time(hour, minute))


def held_session(
    community: Community,
    title: str,
    starts_at: datetime,
    attendees: list[User],
    *,
    agenda: str = "",
    notes: str = "",
    minutes: int = 90,
) -> LiveSession:
    """A session that took place, with its attendance (most stay the whole time; some come late
    or leave early). Written directly: the services refuse a start in the past. The caller
    credits the attendance once the rest of the session is written."""
    session = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=community.id,
        title=title,
        agenda=agenda,
        agenda_html=render_markdown(agenda),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        mode=SessionMode.ONLINE,
        video_url="https://meet.jit.si/leernetwerk-demo",
        room_state=RoomState.CLOSED,
        room_closed_at=starts_at + timedelta(minutes=minutes),
        created_by_id=community.created_by_id,
        created_at=starts_at - timedelta(days=14),
    )
    session.notes, session.notes_html = notes, render_markdown(notes)
    db.session.add(session)
    db.session.flush()
    for n, person in enumerate(attendees):
        joined = starts_at - timedelta(minutes=5) + timedelta(minutes=10 * (n % 3 == 2))
        left = session.ends_at - timedelta(minutes=15 * (n % 4 == 3))
        db.session.add(
            Attendance(
                session_id=session.id,
                user_id=person.id,
                connection_id=f"demo-{session.id}-{person.id}",
                joined_at=joined,
                seen_at=left,
                left_at=left,
            )
        )
    return session


def _past_session(community: Community, spec: tuple) -> LiveSession:
    _, title, days_ago, agenda, chat, questions, poll_spec, notes = spec
    starts_at = _today_at(utcnow() - timedelta(days=days_ago), 15, 30)
    attendees = active_members(community)[:6]
    session = held_session(community, title, starts_at, attendees, agenda=agenda, notes=notes)
    for n, text in enumerate(chat):
        author = attendees[0] if n == 0 else attendees[n % len(attendees)]
        db.session.add(
            ChatMessage(
                session_id=session.id,
                user_id=author.id,
                client_id=f"demo-{n}",
                body=text,
                created_at=starts_at + timedelta(minutes=2 + 6 * n),
            )
        )
    for n, (text, votes, status) in enumerate(questions):
        question = Question(
            session_id=session.id,
            user_id=attendees[(n + 1) % len(attendees)].id,
            client_id=f"demo-q{n}",
            body=text,
            status=status,
            vote_count=votes,
            decided_at=starts_at + timedelta(minutes=40) if status != QuestionStatus.OPEN else None,
        )
        db.session.add(question)
        db.session.flush()
        for voter in attendees[:votes]:
            db.session.add(QuestionVote(question_id=question.id, user_id=voter.id))
    question, labels, choices = poll_spec
    poll = Poll(
        session_id=session.id,
        question=question,
        status=PollStatus.CLOSED,
        opened_at=starts_at + timedelta(minutes=50),
        closed_at=starts_at + timedelta(minutes=55),
        created_by_id=community.created_by_id,
        options=[PollOption(label=label, position=n) for n, label in enumerate(labels)],
    )
    db.session.add(poll)
    db.session.flush()
    for voter, choice in zip(attendees, choices, strict=False):
        db.session.add(PollBallot(poll_id=poll.id, user_id=voter.id))
        db.session.flush()
        db.session.add(
            PollChoice(poll_id=poll.id, user_id=voter.id, option_id=poll.options[choice].id)
        )
    db.session.flush()
    services.credit_attendance(session)
    return session


def _fields(title: str, agenda: str, day: datetime, start: time, end: time, **extra: object):
    return services.SessionFields(
        title=title,
        agenda=agenda,
        day=day.astimezone(services.AMSTERDAM).date(),
        start=start,
        end=end,
        **extra,  # type: ignore[arg-type]
    )


def _sign_up(session: LiveSession, people: list[User], status: RsvpStatus) -> None:
    for person in people:
        services.respond(session, session_access(session, person), person, status)


def load() -> str:
    reading, assessment, starters = (_community(p) for p in (READING, ASSESSMENT, STARTERS))
    if reading is None or assessment is None or starters is None:
        return "Live sessions: skipped (demo communities missing)"
    daan, sanne, fatima = (_user(f"{n}@example.org") for n in ("daan", "sanne", "fatima"))
    past = [_past_session(reading, PAST[0]), _past_session(assessment, PAST[1])]

    # On now: the facilitator opened the room, so it stays open whatever the time of the demo.
    now = utcnow().replace(second=0, microsecond=0)
    live = LiveSession(
        uid=f"{uuid.uuid4()}@leernetwerk.amsterdam",
        community_id=reading.id,
        title="Inloopspreekuur begrijpend lezen",
        agenda="Kom binnen met je vraag over lezen in de klas. Stel je vraag, stem op vragen van "
        "anderen en doe mee met de peiling.",
        agenda_html="",
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=2),
        mode=SessionMode.ONLINE,
        video_url="https://meet.jit.si/leernetwerk-spreekuur",
        audience=Audience.EVERYONE,
        room_state=RoomState.OPEN,
        created_by_id=daan.id,
    )
    live.agenda_html = render_markdown(live.agenda)
    db.session.add(live)
    db.session.flush()
    _sign_up(live, [sanne, fatima], RsvpStatus.GOING)
    db.session.add(
        Poll(
            session_id=live.id,
            question="Hoeveel tijd besteed jij per week aan begrijpend lezen?",
            created_by_id=daan.id,
            options=[
                PollOption(label=label, position=n)
                for n, label in enumerate(
                    ["Minder dan een uur", "Een tot twee uur", "Meer dan twee uur"]
                )
            ],
        )
    )

    next_week = utcnow() + timedelta(days=7)
    series = services.plan_session(
        reading,
        daan,
        _fields(
            "Leesgesprekken voeren",
            "We oefenen met **tekstgesprekken** aan de hand van een korte video uit eigen klas.",
            next_week,
            time(15, 30),
            time(17, 0),
            mode=SessionMode.ONLINE,
            video_url="https://meet.jit.si/leernetwerk-leesgesprek",
            capacity=12,
        ),
        repeat=Frequency.BIWEEKLY,
        occurrences=4,
    )
    reading_people = active_members(reading)
    _sign_up(series, [p for p in reading_people if p.id != daan.id][:5], RsvpStatus.GOING)
    _sign_up(series, [p for p in reading_people if p.id != daan.id][5:7], RsvpStatus.MAYBE)

    owner = db.session.get(User, assessment.created_by_id)
    assert owner is not None
    hybrid = services.plan_session(
        assessment,
        owner,
        _fields(
            "Feedback die leerlingen gebruiken",
            "Op locatie bij Mundus College, met een verbinding voor wie niet kan komen.\n\n"
            "1. Voorbeelden uit eigen lessen\n2. Feedback in drie stappen\n3. Afspraken",
            utcnow() + timedelta(days=12),
            time(16, 0),
            time(18, 0),
            mode=SessionMode.HYBRID,
            location="Mundus College, Amsterdam Nieuw-West",
            video_url="https://meet.jit.si/leernetwerk-feedback",
            capacity=16,
            audience=Audience.EVERYONE,
        ),
    )
    _sign_up(hybrid, active_members(assessment)[:6], RsvpStatus.GOING)

    starter_owner = db.session.get(User, starters.created_by_id)
    assert starter_owner is not None
    services.plan_session(
        starters,
        starter_owner,
        _fields(
            "Intervisie: lastige momenten in de klas",
            "Intervisie volgens de incidentmethode. Neem een situatie mee uit je eigen les.",
            utcnow() + timedelta(days=5),
            time(16, 0),
            time(17, 30),
            mode=SessionMode.IN_PERSON,
            location="Calvijn met Junior College, Amsterdam Nieuw-West",
            capacity=8,
        ),
    )
    db.session.flush()
    count = db.session.scalar(sa.select(sa.func.count(LiveSession.id)))
    return f"Live sessions: {count} sessions ({len(past)} with a summary, 1 on now)"
