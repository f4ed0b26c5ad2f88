"""Demo pilots: three pilots in different stages, made through the same services as the pages
(so every rule holds), with their timelines dated as they would have happened.

- *Collegiale consultatie tussen twee opleidingsscholen* (2023/2024): concluded, with a start
  and an end measurement, a pilot evaluation and its published evaluation report.
- *Formatief evalueren: samen lessen ontwerpen in de onderbouw* (2026/2027): running, with its
  start measurement answered and the end measurement prepared. Yusuf Demir (rector, Mundus
  College) sponsors it: the pilot a school leader reads at a glance.
- *Afspraken over AI in de les* : proposed, approved by one of its two organisations; the other
  has no sponsor yet, so the checklist says what is missing.

Survey answers come from fictional teachers who take part; the per-organisation results show
where at least five of one organisation answered.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue.models import LearningQuestion
from plc.communities import demo as communities_demo
from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityStatus,
    MemberRole,
    MemberStatus,
)
from plc.core.models import utcnow
from plc.core.outbox import OutboxMessage
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputType
from plc.notifications.models import Notification
from plc.organisations import demo as organisations_demo
from plc.organisations.models import OrganisationRole
from plc.pilots import services
from plc.pilots.models import Pilot, PilotEvent, PilotOrganisation
from plc.surveys import services as surveys
from plc.surveys.models import QuestionKind, Survey
from plc.themes.models import Theme

Role = OrganisationRole


@dataclass(frozen=True)
class Participant:
    """A fictional teacher who takes part in a demo pilot (and answers its surveys)."""

    name: str
    organisation: str
    career_stage: CareerStage = CareerStage.EXPERIENCED


#: Sponsors where no demo person leads: (key, name, organisation, role, bio).
SPONSORS = [
    (
        "marloes",
        "Marloes de Graaf",
        "rosa",
        Role.HR_ADVISOR,
        "HR-adviseur bij de opleidingsschool; opleiden en professionaliseren in één lijn.",
    ),
    (
        "hanneke",
        "Hanneke Vos",
        "dedam",
        Role.SCHOOL_LEADER,
        "Directeur onderwijs; verantwoordelijk voor opleiden in de school.",
    ),
]

#: Teachers of the consultation pilot (2023/2024): eight of each training school.
CONSULTATION_TEAM = [
    Participant(name, "rosa")
    for name in (
        "Bas Timmermans",
        "Ingrid Hoogland",
        "Youssef Amrani",
        "Carla Snijders",
        "Peter Vink",
        "Rianne Bos",
        "Tarik Yıldız",
        "Marit Dekker",
    )
] + [
    Participant(name, "dedam")
    for name in (
        "Gijs Meijer",
        "Loes van den Berg",
        "Nadia Benali",
        "Wim de Ruiter",
        "Femke Blom",
        "Arjen Post",
        "Sara Lindeman",
        "Jurre Smits",
    )
]

#: Teachers of the formative-assessment pilot: six of Mundus College, five of ROSA, three of
#: De Dam (too few to show De Dam's own results).
FORMATIVE_TEAM = (
    [
        Participant(name, "mundus")
        for name in (
            "Hind Azzouzi",
            "Koen Verbruggen",
            "Merel Hofman",
            "Stefan Brink",
            "Ayşe Kılıç",
            "Thomas Rijnders",
        )
    ]
    + [
        Participant(name, "rosa", CareerStage.STARTER)
        for name in ("Daphne Kort", "Levi Groen", "Yara Mahabier", "Joost Willems", "Elif Şahin")
    ]
    + [Participant(name, "dedam") for name in ("Mila Vos", "Rachid Tahiri", "Iris Dijkman")]
)

CONSULTATION_QUESTIONS = [
    "Hoe geef ik als schoolopleider feedback op een les zonder de starter te ontmoedigen?",
    "Hoe krijg ik rust in een onrustige derde klas op het laatste uur?",
]
FORMATIVE_QUESTIONS = [
    "Hoe combineer ik formatief werken met de cijfers die de school vraagt?",
    "Hoe geef ik feedback die leerlingen echt gebruiken in de bovenbouw havo?",
]
AI_QUESTIONS = [
    "Hoe ontwerp ik opdrachten die zinvol blijven nu leerlingen ChatGPT gebruiken?",
    "Hoe leer ik studenten kritisch kijken naar wat AI ze vertelt?",
]

#: A short start/end measurement for the consultation pilot (Likert 1–5 and one open question).
CONSULTATION_MEASUREMENT = [
    ("Ik bespreek mijn lessen regelmatig met collega's van een andere school.", 2.2, 3.9),
    ("Ik krijg feedback op mijn lessen waar ik iets mee kan.", 2.8, 4.1),
    ("Ik weet hoe collega's op andere scholen met onrust in de klas omgaan.", 2.1, 3.6),
    ("Ik heb tijd in mijn rooster om bij een collega te gaan kijken.", 2.0, 2.9),
]
FORMATIVE_MEASUREMENT = [
    ("Ik formuleer bij elke les een leerdoel dat leerlingen begrijpen.", 2.9),
    ("Ik check aan het eind van de les wat leerlingen geleerd hebben.", 2.6),
    ("Leerlingen doen iets met de feedback die ik geef.", 2.4),
    ("Ik ontwerp lessen samen met collega's van andere scholen.", 1.8),
]

OPEN_ANSWERS_START = [
    "Ik ben benieuwd hoe anderen het doen.",
    "Vooral tijd vinden wordt lastig.",
    "Ik hoop op concrete werkvormen.",
    "Samen lessen voorbereiden lijkt me waardevol.",
    "",
]
OPEN_ANSWERS_END = [
    "Een vaste partner op een andere school werkt veel beter dan wisselende bezoeken.",
    "De vraag vooraf maakte het gesprek na de les scherp.",
    "Ik kijk nu anders naar mijn eigen les: meer naar wat leerlingen doen.",
    "Zonder uren in het rooster houd je dit niet vol.",
    "Twintig minuten nabespreken is precies genoeg.",
    "Ik heb collega's leren kennen bij wie ik nu zelf aanklop.",
    "",
]
LEARNED = [
    "Dat een eigen vraag een lesbezoek veel waardevoller maakt.",
    "Dat rust in de klas vooral met de start van de les te maken heeft.",
    "Hoe ik feedback geef die over de les gaat en niet over de persoon.",
    "Dat andere scholen met precies dezelfde dingen worstelen.",
    "Dat kijken bij een ander de beste spiegel is.",
]
ADVICE = [
    "Zet de bezoeken vooraf in het rooster, voor het hele jaar.",
    "Begin klein: twee scholen, vaste koppels.",
    "Laat de schoolleiding meedoen aan de start.",
    "",
]


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@contextmanager
def _happened_at(moment: datetime) -> Iterator[None]:
    """What the services write inside (timeline events, approvals, status changes,
    notifications, mail) is dated `moment`.
    Mail of the past never goes out, and old notifications are marked read, as their readers
    would have done."""
    db.session.flush()
    began = utcnow()
    last_event = db.session.scalar(sa.select(sa.func.max(PilotEvent.id))) or 0
    last_note = db.session.scalar(sa.select(sa.func.max(Notification.id))) or 0
    last_mail = db.session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    yield
    db.session.flush()
    db.session.execute(
        sa.update(PilotEvent)
        .where(PilotEvent.id > last_event)
        .values(created_at=moment)
        .execution_options(synchronize_session=False)
    )
    # Approvals and status changes made inside carry the same date.
    db.session.execute(
        sa.update(PilotOrganisation)
        .where(PilotOrganisation.approved_at >= began)
        .values(approved_at=moment)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Pilot)
        .where(Pilot.status_changed_at >= began)
        .values(status_changed_at=moment)
        .execution_options(synchronize_session=False)
    )
    values: dict[str, datetime] = {"created_at": moment, "updated_at": moment}
    if moment < utcnow() - timedelta(days=14):
        values["read_at"] = moment + timedelta(days=1)
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id > last_note)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    if moment < utcnow() - timedelta(days=1):
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id > last_mail))


@contextmanager
def _open_for_a_moment(community: Community) -> Iterator[None]:
    """A closed (archived) community takes part in a pilot of the past as it did then."""
    closed = community.status == CommunityStatus.CLOSED
    community.status = CommunityStatus.ACTIVE
    db.session.flush()
    try:
        yield
    finally:
        if closed:
            community.status = CommunityStatus.CLOSED
            db.session.flush()


class _Demo:
    def __init__(self) -> None:
        specs = communities_demo.SPEAKERS + communities_demo.TEACHERS
        self._emails = {spec.key: spec.email for spec in specs}
        self._emails |= {p.key: p.email for p in organisations_demo.DEMO_PEOPLE}
        self.password_hash = db.session.scalar(
            sa.select(User.password_hash).where(User.is_admin.is_(True)).limit(1)
        )
        self.admin = db.session.scalars(sa.select(User).where(User.is_admin.is_(True))).first()
        self.extra: dict[str, User] = {}

    def person(self, key: str) -> User:
        if key in self.extra:
            return self.extra[key]
        email = self._emails[key]
        return db.session.scalars(sa.select(User).where(User.email == email)).one()

    def add_person(
        self,
        key: str,
        name: str,
        organisation: str,
        role: OrganisationRole,
        *,
        bio: str = "",
        career_stage: CareerStage | None = None,
        school_type: SchoolType | None = SchoolType.SECONDARY,
    ) -> User:
        ascii_name = name.replace("ı", "i").replace("ş", "s").replace("ç", "c").replace("ğ", "g")
        user = User(
            email=".".join(ascii_name.lower().split()) + "@example.org",
            display_name=name,
            password_hash=self.password_hash,
            career_stage=career_stage,
            school_type=school_type if career_stage else None,
            bio=bio,
        )
        db.session.add(user)
        db.session.flush()
        organisations_demo.approve_role(
            user, organisations_demo.organisation(organisation), role, decided_by=self.admin
        )
        self.extra[key] = user
        return user

    @staticmethod
    def community(slug: str) -> Community:
        return db.session.scalars(sa.select(Community).where(Community.slug == slug)).one()

    @staticmethod
    def questions(titles: Sequence[str]) -> list[int]:
        rows = db.session.scalars(
            sa.select(LearningQuestion.id).where(LearningQuestion.title.in_(titles))
        )
        return list(rows)

    @staticmethod
    def themes(slugs: Sequence[str]) -> list[int]:
        return list(db.session.scalars(sa.select(Theme.id).where(Theme.slug.in_(slugs))))

    @staticmethod
    def join(community: Community, users: Sequence[User], moment: datetime) -> None:
        """Members as they joined then (the count kept as the services keep it)."""
        present = set(
            db.session.scalars(
                sa.select(CommunityMember.user_id).where(
                    CommunityMember.community_id == community.id
                )
            )
        )
        added = [user for user in users if user.id not in present]
        for user in added:
            db.session.add(
                CommunityMember(
                    community_id=community.id,
                    user_id=user.id,
                    role=MemberRole.MEMBER,
                    status=MemberStatus.ACTIVE,
                    joined_at=moment,
                    created_at=moment,
                )
            )
        community.member_count += len(added)
        db.session.flush()


def _participants(demo: _Demo, team: Sequence[Participant]) -> list[User]:
    return [
        demo.add_person(
            f"team:{member.name}",
            member.name,
            member.organisation,
            Role.TEACHER,
            career_stage=member.career_stage,
        )
        for member in team
    ]


def _scale_answer(rng: random.Random, mean: float) -> str:
    """A 1–5 answer around `mean`."""
    return str(min(5, max(1, round(rng.gauss(mean, 0.8)))))


def _measurement(
    demo: _Demo,
    pilot: Pilot,
    lead: User,
    title: str,
    items: Sequence[str],
    opens: datetime,
    closes: datetime,
) -> Survey:
    """A blank survey with the scale items and one open question, published at `opens`."""
    subject = surveys.load_subject("pilot", pilot.id)
    assert subject is not None
    with _happened_at(opens):
        survey = surveys.create_survey(
            subject,
            lead,
            surveys.SurveySettings(
                title=title,
                intro="Dezelfde vragen aan het begin en aan het eind van de pilot, zodat we "
                "zien wat er veranderd is. Anoniem; invullen kost twee minuten.",
                opens_at=opens,
                closes_at=closes,
                anonymous=True,
            ),
        )
        for prompt in items:
            surveys.add_question(
                survey,
                lead,
                surveys.QuestionFields(
                    kind=QuestionKind.SCALE,
                    prompt=prompt,
                    low_label="Helemaal oneens",
                    high_label="Helemaal eens",
                ),
            )
        surveys.add_question(
            survey,
            lead,
            surveys.QuestionFields(
                kind=QuestionKind.TEXT,
                prompt="Wat verwacht je van de pilot, of wat heeft hij je gebracht?",
                required=False,
            ),
        )
        surveys.publish(survey, lead, now=opens)
    return survey


def _answer_measurement(
    survey: Survey,
    respondents: Sequence[User],
    means: Sequence[float],
    open_answers: Sequence[str],
    rng: random.Random,
) -> None:
    questions = survey.questions
    for index, person in enumerate(respondents):
        moment = survey.opens_at + timedelta(hours=4 + 7 * index)
        answers = {
            question.id: [_scale_answer(rng, mean)]
            for question, mean in zip(questions, means, strict=False)
        }
        answers[questions[-1].id] = [open_answers[index % len(open_answers)]]
        surveys.respond(survey, person, answers, now=moment)


def _answer_pilot_evaluation(
    survey: Survey, respondents: Sequence[User], rng: random.Random
) -> None:
    by_key = {question.key: question for question in survey.questions}
    means = {"goals": 4.0, "practice": 3.8, "students": 3.3, "collaboration": 4.3, "support": 2.8}
    for index, person in enumerate(respondents):
        answers: dict[int, list[str]] = {
            by_key[key].id: [_scale_answer(rng, mean)] for key, mean in means.items()
        }
        next_step = by_key["next_step"].options
        answers[by_key["next_step"].id] = [
            str(next_step[1 if index % 3 else 2].id if index % 7 else next_step[0].id)
        ]
        gains = by_key["gains"].options
        answers[by_key["gains"].id] = [
            str(option.id) for option in rng.sample(gains[:5], k=1 + index % 3)
        ]
        answers[by_key["learned"].id] = [LEARNED[index % len(LEARNED)]]
        answers[by_key["advice"].id] = [ADVICE[index % len(ADVICE)]]
        moment = survey.opens_at + timedelta(hours=3 + 5 * index)
        surveys.respond(survey, person, answers, now=moment)


def _pilot_evaluation(
    pilot: Pilot, lead: User, opens: datetime, closes: datetime, *, anonymous: bool = True
) -> Survey:
    subject = surveys.load_subject("pilot", pilot.id)
    assert subject is not None
    with _happened_at(opens):
        survey = surveys.create_survey(
            subject,
            lead,
            surveys.SurveySettings(title="", opens_at=opens, closes_at=closes, anonymous=anonymous),
            surveys.template_source("builtin:pilot-evaluation", "nl"),
        )
        surveys.publish(survey, lead, now=opens)
    return survey


def _consultation(demo: _Demo, rng: random.Random) -> Pilot:
    community = demo.community("pilot-collegiale-consultatie-2023-2024")
    ravi, jeroen = demo.person("provider"), demo.person("dedam")
    marloes, hanneke = demo.person("marloes"), demo.person("hanneke")
    team = _participants(demo, CONSULTATION_TEAM)
    rosa = organisations_demo.organisation("rosa")
    dedam = organisations_demo.organisation("dedam")
    with _open_for_a_moment(community):
        demo.join(community, [*team, hanneke], _at(2023, 6, 1))
        fields = services.CharterFields(
            title="Collegiale consultatie tussen twee opleidingsscholen",
            summary="Een schooljaar lang bezoeken docenten van ROSA- en De Dam-scholen elkaars "
            "lessen, elk bezoek met een eigen vraag, en praten ze er twintig minuten over na.",
            goals="- Docenten krijgen feedback op hun eigen vraag, van een collega van een "
            "andere school.\n- Scholen leren van elkaars aanpak van onrust in de klas.\n"
            "- We weten wat nodig is om collegiale consultatie in het rooster te krijgen.",
            activities="1. Startbijeenkomst in september: koppels vormen, vragen formuleren.\n"
            "2. Drie lesbezoeken per docent, met een nabespreking van twintig minuten.\n"
            "3. Twee terugkombijeenkomsten (januari en mei).",
            evaluation_plan="Een start- en eindmeting met dezelfde vragen, de "
            "pilotevaluatie van het platform, en twee groepsgesprekken.",
            sharing_plan="Het evaluatieverslag komt in de kennisbank, met de kijkwijzer en het "
            "rooster als bijlage, zodat elke Amsterdamse school het kan overnemen.",
            starts_on=date(2023, 9, 1),
            ends_on=date(2024, 7, 5),
            community_ids=[community.id],
            theme_ids=demo.themes(["onderzoek-in-de-school", "gedrag-en-klassenmanagement"]),
            question_ids=demo.questions(CONSULTATION_QUESTIONS),
            participants=[
                services.ParticipantFields(
                    rosa.id,
                    ravi.id,
                    marloes.id,
                    "Acht docenten met elk drie bezoeken; de kijkwijzer; de organisatie van "
                    "de bijeenkomsten.",
                    "Roosterruimte op De Dam-scholen op de bezoekdagen.",
                ),
                services.ParticipantFields(
                    dedam.id,
                    jeroen.id,
                    hanneke.id,
                    "Acht docenten; een locatie voor de terugkombijeenkomsten; de "
                    "groepsgesprekken van de evaluatie.",
                    "De kijkwijzer van ROSA en hun ervaring met lesbezoeken.",
                ),
            ],
        )
        with _happened_at(_at(2023, 6, 12)):
            pilot = services.propose(ravi, fields)
        with _happened_at(_at(2023, 6, 14)):
            services.approve(pilot, ravi, rosa.id, pilot.charter_version)
        with _happened_at(_at(2023, 6, 16)):
            services.request_changes(
                pilot,
                jeroen,
                dedam.id,
                "Graag vaste koppels in plaats van wisselende bezoeken: dat vraagt minder "
                "roosterwerk en de gesprekken worden beter.",
            )
        fields.activities = fields.activities.replace(
            "Startbijeenkomst in september: koppels vormen",
            "Startbijeenkomst in september: vaste koppels vormen (één docent van elke "
            "opleidingsschool)",
        )
        fields.change_note = "Vaste koppels, zoals De Dam vroeg."
        with _happened_at(_at(2023, 6, 20)):
            services.update_charter(pilot, ravi, fields)
            services.resubmit(pilot, ravi, "Aangepast: vaste koppels.")
        with _happened_at(_at(2023, 6, 21)):
            services.approve(pilot, ravi, rosa.id, pilot.charter_version)
        with _happened_at(_at(2023, 6, 23)):
            services.approve(pilot, jeroen, dedam.id, pilot.charter_version, "Akkoord, mooi.")
        with _happened_at(_at(2023, 9, 4)):
            services.start(pilot, ravi, "De startbijeenkomst was op het Hervormd Lyceum.")
        start = _measurement(
            demo,
            pilot,
            ravi,
            "Startmeting collegiale consultatie",
            [item for item, _, _ in CONSULTATION_MEASUREMENT],
            _at(2023, 9, 4, 12),
            _at(2023, 9, 22, 17),
        )
        _answer_measurement(
            start, team, [m for _, m, _ in CONSULTATION_MEASUREMENT], OPEN_ANSWERS_START, rng
        )
        with _happened_at(_at(2023, 11, 20)):
            services.add_comment(
                pilot,
                hanneke,
                "Op onze scholen staan de bezoekdagen nu vast in het rooster. Dank aan de "
                "roostermakers!",
            )
        with _happened_at(_at(2024, 1, 29)):
            services.add_comment(
                pilot,
                marloes,
                "Terugkombijeenkomst: alle koppels hebben hun eerste twee bezoeken gedaan.",
            )
        with _happened_at(_at(2024, 5, 27)):
            services.start_evaluation(pilot, ravi, "De laatste bezoeken zijn gedaan.")
        end = _copy_measurement(start, ravi, _at(2024, 5, 27, 12), _at(2024, 6, 14, 17))
        _answer_measurement(
            end, team[:15], [m for _, _, m in CONSULTATION_MEASUREMENT], OPEN_ANSWERS_END, rng
        )
        evaluation = _pilot_evaluation(pilot, ravi, _at(2024, 5, 28, 9), _at(2024, 6, 14, 17))
        _answer_pilot_evaluation(evaluation, team[:14], rng)
        report = db.session.scalars(
            sa.select(KnowledgeOutput).where(
                KnowledgeOutput.community_id == community.id,
                KnowledgeOutput.output_type == OutputType.EVALUATION_REPORT,
                KnowledgeOutput.status == OutputStatus.PUBLISHED,
            )
        ).first()
        if report is not None:
            with _happened_at(_at(2024, 7, 8)):
                services.conclude(
                    pilot,
                    ravi,
                    report.id,
                    "Het verslag staat in de kennisbank; een vervolg met vier scholen is in "
                    "voorbereiding.",
                )
    return pilot


def _copy_measurement(baseline: Survey, lead: User, opens: datetime, closes: datetime) -> Survey:
    """The end measurement: the same questions, compared with the start."""
    with _happened_at(opens):
        survey = surveys.measure_again(baseline, lead, now=opens - timedelta(days=1))
        survey.title = baseline.title.replace("Startmeting", "Eindmeting")
        survey.opens_at, survey.closes_at = opens, closes
        db.session.flush()
        surveys.publish(survey, lead, now=opens)
    return survey


def _formative(demo: _Demo, rng: random.Random) -> Pilot:
    community = demo.community("formatief-evalueren-in-de-onderbouw")
    fatima, ravi, jeroen = demo.person("teacher"), demo.person("provider"), demo.person("dedam")
    yusuf, marloes, hanneke = demo.person("leader"), demo.person("marloes"), demo.person("hanneke")
    team = _participants(demo, FORMATIVE_TEAM)
    demo.join(community, team, _at(2026, 6, 1))
    mundus = organisations_demo.organisation("mundus")
    rosa = organisations_demo.organisation("rosa")
    dedam = organisations_demo.organisation("dedam")
    fields = services.CharterFields(
        title="Formatief evalueren: samen lessen ontwerpen in de onderbouw",
        summary="Docenten van drie organisaties ontwerpen samen lessen met leerdoelen, "
        "succescriteria en korte checks, proberen ze uit in hun eigen klassen en kijken bij "
        "elkaar hoe het werkt.",
        goals="- Elke deelnemende docent gebruikt in de onderbouw bij elke les een leerdoel "
        "dat leerlingen begrijpen, en een korte check aan het eind.\n- Leerlingen doen iets "
        "met de feedback: we zien het terug in hun werk.\n- Een set van tien samen ontworpen "
        "lessen, vrij te gebruiken voor alle Amsterdamse scholen.",
        activities="1. September: startmeting en ontwerpdag op het Mundus College.\n"
        "2. Oktober–maart: drie ontwerpcycli van zes weken (ontwerpen, uitproberen, bij "
        "elkaar kijken, bijstellen).\n3. April: open les voor collega's van andere scholen.\n"
        "4. Mei–juni: eindmeting, evaluatie en het verslag.",
        evaluation_plan="Start- en eindmeting met dezelfde vragen (anoniem), de "
        "pilotevaluatie van het platform, lesobservaties met een kijkwijzer en leerlingwerk "
        "van voor en na.",
        sharing_plan="De lessen en de kijkwijzer komen als lesmateriaal in de kennisbank; het "
        "evaluatieverslag volgt in juni. In april is er een open les voor iedere Amsterdamse "
        "docent.",
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 6, 30),
        community_ids=[community.id],
        theme_ids=demo.themes(["formatief-evalueren", "vakdidactiek"]),
        question_ids=demo.questions(FORMATIVE_QUESTIONS),
        participants=[
            services.ParticipantFields(
                mundus.id,
                fatima.id,
                yusuf.id,
                "Zes docenten met twee uur per week ontwerptijd; de ontwerpdag en de open les "
                "op het Mundus College.",
                "De begeleiding door de schoolopleiders van ROSA en de kijkwijzer van De Dam.",
            ),
            services.ParticipantFields(
                rosa.id,
                ravi.id,
                marloes.id,
                "Vijf startende docenten; twee schoolopleiders die de ontwerpcycli begeleiden.",
                "Klassen op het Mundus College om de lessen uit te proberen.",
            ),
            services.ParticipantFields(
                dedam.id,
                jeroen.id,
                hanneke.id,
                "Drie docenten; de kijkwijzer voor lesobservaties uit de pilot collegiale "
                "consultatie.",
                "De ontwerptijd die het Mundus College vrijmaakt en het materiaal van ROSA.",
            ),
        ],
    )
    with _happened_at(_at(2026, 6, 8)):
        pilot = services.propose(fatima, fields)
    with _happened_at(_at(2026, 6, 9)):
        services.approve(pilot, fatima, mundus.id, pilot.charter_version)
    with _happened_at(_at(2026, 6, 11)):
        services.approve(
            pilot, ravi, rosa.id, pilot.charter_version, "Onze schoolopleiders doen graag mee."
        )
    with _happened_at(_at(2026, 6, 19)):
        services.approve(pilot, jeroen, dedam.id, pilot.charter_version)
    with _happened_at(_at(2026, 6, 22)):
        services.add_comment(
            pilot,
            yusuf,
            "De ontwerptijd van twee uur per week staat in de taakbeleidsafspraken voor "
            "volgend jaar. Ik kom zelf naar de ontwerpdag.",
        )
    with _happened_at(_at(2026, 9, 1)):
        services.start(pilot, fatima, "Ontwerpdag gehouden; veertien docenten doen mee.")
    with _happened_at(_at(2026, 9, 15)):
        services.add_comment(
            pilot,
            hanneke,
            "Onze drie docenten zijn gestart; de kijkwijzer is aangepast voor de onderbouw.",
        )
    with _happened_at(_at(2026, 10, 12)):
        services.add_comment(
            pilot,
            marloes,
            "De startende docenten van ROSA tellen de ontwerpuren mee voor hun "
            "begeleidingstraject.",
        )
    start = _measurement(
        demo,
        pilot,
        fatima,
        "Startmeting formatief evalueren",
        [item for item, _ in FORMATIVE_MEASUREMENT],
        _at(2026, 9, 1, 12),
        _at(2026, 9, 25, 17),
    )
    _answer_measurement(start, team, [m for _, m in FORMATIVE_MEASUREMENT], OPEN_ANSWERS_START, rng)
    with _happened_at(_at(2026, 11, 2)):
        end = surveys.measure_again(start, fatima, now=_at(2026, 11, 2))
        end.title = "Eindmeting formatief evalueren"
        end.opens_at, end.closes_at = _at(2027, 6, 1, 8), _at(2027, 6, 19, 17)
    return pilot


def _ai_proposal(demo: _Demo) -> Pilot:
    community = demo.community("ai-in-de-les")
    aylin, wouter, lotte = (
        demo.person("esprit_academie"),
        demo.person("zaam_academie"),
        demo.person("hr"),
    )
    esprit = organisations_demo.organisation("esprit_academie")
    zaam = organisations_demo.organisation("zaam_academie")
    fields = services.CharterFields(
        title="Afspraken over AI in de les",
        summary="Twee huisacademies maken met docenten, leerlingen en ouders afspraken over AI "
        "in de les die elke school kan overnemen.",
        goals="- Een set afspraken over AI voor leerlingen, docenten en ouders, getoetst op "
        "vier scholen.\n- Een lijst van AI-hulpmiddelen die met het oog op privacy mogen.",
        activities="1. Drie gesprekken per school met docenten, leerlingen en ouders.\n"
        "2. Een conceptset afspraken, een half jaar uitgeprobeerd.\n3. Bijstellen en "
        "delen.",
        evaluation_plan="Een vragenlijst aan docenten en leerlingen aan het begin en het eind; "
        "een gesprek met de schoolleiders.",
        sharing_plan="De afspraken en de lijst komen als richtlijn in de kennisbank; een "
        "bijeenkomst voor alle Amsterdamse scholen in juni.",
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 7, 2),
        community_ids=[community.id],
        theme_ids=demo.themes(["ai-in-het-onderwijs", "digitale-geletterdheid"]),
        question_ids=demo.questions(AI_QUESTIONS),
        participants=[
            services.ParticipantFields(
                esprit.id,
                aylin.id,
                lotte.id,
                "De gespreksleiding, de juridische toets van de hulpmiddelen (met de "
                "privacyfunctionaris van het bestuur).",
                "Twee ZAAM-scholen die de afspraken uitproberen.",
            ),
            services.ParticipantFields(
                zaam.id,
                wouter.id,
                None,
                "Twee scholen en hun docenten die de afspraken uitproberen.",
                "",
            ),
        ],
    )
    with _happened_at(utcnow() - timedelta(days=6)):
        pilot = services.propose(aylin, fields)
    with _happened_at(utcnow() - timedelta(days=5)):
        services.approve(pilot, aylin, esprit.id, pilot.charter_version)
    return pilot


def load() -> str:
    with organisations_demo.mail_queued_only():
        return _load()


def _load() -> str:
    demo = _Demo()
    for key, name, organisation, role, bio in SPONSORS:
        demo.add_person(key, name, organisation, role, bio=bio)
    rng = random.Random(2026)  # noqa: S311 (demo data, not security)  # nosec B311
    pilots = [_consultation(demo, rng), _formative(demo, rng), _ai_proposal(demo)]
    db.session.flush()
    responses = db.session.scalar(
        sa.select(sa.func.sum(Survey.response_count)).where(
            Survey.pilot_id.in_([p.id for p in pilots])
        )
    )
    return (
        f"Pilots: {len(pilots)} ({', '.join(p.status.value for p in pilots)}); "
        f"survey responses {responses or 0}; participants {len(demo.extra)}"
    )
