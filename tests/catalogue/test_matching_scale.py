"""The question page's matching at city size: each kind is ranked and cut in the database on
narrow rows (ids, features, score), and only the few kept are read in full. The ranking must be
the very same as before, so this file keeps the former statement (every candidate read in full
and sorted with its texts) as the reference and compares the two on a generated world with
every kind of candidate: sharing themes or words or both, of every status and visibility,
with ties in the score, for questions with many, one or no themes and with or without
searchable words, and with the search's cap on matches reached. The page's statements do not
grow with the number of candidates."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import matching
from plc.catalogue.matching import (
    MAX_THEMES,
    MIN_SCORE,
    POOL,
    Side,
    Suggestion,
    Suggestions,
    _common_words,
    _enough,
    _fk_name,
    _offering_filter,
    _question_words,
    _text_of,
    _text_score,
    _theme_score,
    _total,
)
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    OfferingCareerStage,
    OfferingDomain,
    OfferingFormat,
    OfferingSchoolType,
    OfferingStatus,
    QuestionVisibility,
    offering_theme,
    question_theme,
)
from plc.communities import services as communities
from plc.communities.models import (
    Community,
    CommunityCareerStage,
    CommunityMember,
    CommunitySchoolType,
    CommunityStatus,
    MemberRole,
    MemberStatus,
    Visibility,
    community_theme,
)
from plc.core.models import utcnow
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputCareerStage,
    OutputDomain,
    OutputSchoolType,
    OutputStatus,
    OutputType,
    output_theme,
)
from plc.themes.models import CompetenceDomain

# -- the reference: the statement as it was ------------------------------------------------------


def reference_fit(table: Any, attribute: str, id_column: Any, value: Any) -> Any:
    """A candidate's fit with the question's single value (0 when the question gives none)."""
    if table is None or value is None:
        return sa.literal(0.0)
    fk = table.__table__.c[_fk_name(table)]
    column = getattr(table, attribute)
    listed = sa.exists().where(fk == id_column, column == value)
    any_listed = sa.exists().where(fk == id_column)
    return sa.case((listed, 1.0), (~any_listed, 0.5), else_=0.0)


def reference_candidates(
    side: Side,
    question: LearningQuestion,
    base: sa.ColumnElement[bool],
    options: Sequence[Any],
    limit: int,
) -> list[Suggestion]:
    """The former `_candidates`, unchanged: every candidate of the kind scored and sorted with
    its full row, then cut."""
    model = side.model
    theme_ids = [theme.id for theme in question.themes][:MAX_THEMES]
    link = side.themes
    link_fk, link_theme = link.c[side.theme_fk], link.c.theme_id
    flags = [
        sa.exists().where(link_fk == model.id, link_theme == theme_id).label(f"theme_{i}")
        for i, theme_id in enumerate(theme_ids)
    ]
    their_count = (
        sa.select(sa.func.count()).where(link_fk == model.id).scalar_subquery().label("n_themes")
    )
    found = matching.search_subquery(side.index, f"{question.title} {question.body}", any_word=True)
    text = _text_score(found)
    domain = reference_fit(side.domains, "domain", model.id, question.domain)
    stage = reference_fit(side.stages, "career_stage", model.id, question.career_stage)
    school_type = reference_fit(side.school_types, "school_type", model.id, question.school_type)
    inner = sa.select(
        model.id.label("id"),
        *flags,
        their_count,
        domain.label("domain"),
        stage.label("stage"),
        school_type.label("school_type"),
        text.label("text"),
    ).where(base)
    shares_theme = sa.exists().where(link_fk == model.id, link_theme.in_(theme_ids or [-1]))
    if found is not None:
        inner = inner.outerjoin(found, found.c.id == model.id).where(
            sa.or_(shares_theme, found.c.id.is_not(None))
        )
    else:
        inner = inner.where(shares_theme)
    sub = inner.subquery()
    shared = sum((sa.cast(sub.c[f"theme_{i}"], sa.Integer) for i in range(len(theme_ids))), 0)
    themes = _theme_score(shared, len(theme_ids), sub.c.n_themes) if theme_ids else 0.0
    total = _total(themes, sub.c.domain, sub.c.stage, sub.c.school_type, sub.c.text)
    rows = db.session.execute(
        sa.select(model, sub, total.label("total"))
        .join(sub, sub.c.id == model.id)
        .where(total >= MIN_SCORE)
        .options(*options)
        .order_by(total.desc(), model.id)
        .limit(limit * POOL)
    ).all()
    terms = _question_words(question)
    suggestions: list[Suggestion] = []
    for row in rows:
        values = row._mapping
        target = values[model]
        suggestions.append(
            Suggestion(
                kind=side.kind,
                target=target,
                score=round(float(values["total"]), 4),
                shared_theme_ids=[
                    theme_id for i, theme_id in enumerate(theme_ids) if values[f"theme_{i}"]
                ],
                domain=float(values["domain"]) >= 1,
                stage=float(values["stage"]) >= 1,
                school_type=float(values["school_type"]) >= 1,
                words=_common_words(terms, _text_of(target)) if values["text"] else [],
            )
        )
    return [s for s in suggestions if _enough(s, len(terms))][:limit]


def reference_suggestions_for(
    question: LearningQuestion, viewer: Any, limit: int, now: datetime
) -> Suggestions:
    """The former `suggestions_for`, on the reference statement."""
    return Suggestions(
        offerings=reference_candidates(
            matching.OFFERINGS,
            question,
            _offering_filter(now),
            [joinedload(Offering.provider)],
            limit,
        ),
        communities=reference_candidates(
            matching.COMMUNITIES,
            question,
            sa.and_(communities.visible_filter(viewer), Community.status != CommunityStatus.CLOSED),
            [],
            limit,
        ),
        outputs=reference_candidates(
            matching.OUTPUTS,
            question,
            knowledge.published_filter(),
            [joinedload(KnowledgeOutput.community)],
            limit,
        ),
    )


def described(found: Suggestions) -> list[tuple[Any, ...]]:
    """Everything a suggestion says, in order."""
    return [
        (
            s.kind,
            s.target.id,
            s.score,
            tuple(s.shared_theme_ids),
            s.domain,
            s.stage,
            s.school_type,
            tuple(s.words),
        )
        for s in found.all()
    ]


# -- a generated world ---------------------------------------------------------------------------

#: Words of the texts: subject words shared often, rarer ones, and stop words (dropped by the
#: any-word search), so that candidates share none, a few or many words with a question.
COMMON = ["feedback", "toetsen", "formatief", "lezen", "rekenen", "gedrag", "instructie"]
RARE = [
    "breuken",
    "tafelsommen",
    "nieuwkomers",
    "meertaligheid",
    "burgerschap",
    "ouderavond",
    "differentiëren",
    "metacognitie",
    "groepswerk",
    "motivatie",
    "woordenschat",
    "begrijpend",
    "programmeren",
    "mediawijsheid",
]
STOP = ["de", "het", "een", "en", "leerlingen", "school", "hoe", "met", "in", "klas"]
STAGES = list(CareerStage)
TYPES = list(SchoolType)
DOMAINS = list(CompetenceDomain)


def text(rng: random.Random, words: int) -> str:
    pool = rng.choice([COMMON, COMMON + RARE, RARE, STOP + COMMON])
    return " ".join(rng.choice(pool) for _ in range(words))


def some(rng: random.Random, values: Sequence[Any], most: int) -> list[Any]:
    """None, one or a few of the values: few choices make ties in the score."""
    return rng.sample(list(values), rng.randint(0, min(most, len(values))))


def build_world(
    rng: random.Random,
    create_user: Callable[..., Any],
    create_provider: Callable[..., Any],
    create_theme: Callable[..., Any],
    counts: tuple[int, int, int],
) -> dict[str, Any]:
    """Themes, offerings, communities and outputs of every status and visibility, with random
    themes, profiles and texts; rows added in bulk (the search index follows by trigger or
    generated column)."""
    now = utcnow()
    themes = [create_theme() for _ in range(10)]
    provider, staff = create_provider()
    insider, outsider = create_user(), create_user()
    n_offerings, n_communities, n_outputs = counts
    tag = rng.randrange(10**6)
    community_rows: list[Community] = []
    for n in range(n_communities):
        community = Community(
            slug=f"gemeenschap-{tag}-{n}",
            name=text(rng, rng.randint(1, 4)) or "Gemeenschap",
            summary=text(rng, rng.randint(0, 8)),
            description=text(rng, rng.randint(0, 20)),
            visibility=rng.choice(list(Visibility)),
            status=rng.choice([CommunityStatus.ACTIVE] * 3 + list(CommunityStatus)),
        )
        community_rows.append(community)
    db.session.add_all(community_rows)
    db.session.flush()
    for community in community_rows:
        link_themes(community_theme, "community_id", community.id, some(rng, themes, 4))
        db.session.add_all(
            [
                *(
                    CommunitySchoolType(community_id=community.id, school_type=t)
                    for t in some(rng, TYPES, 2)
                ),
                *(
                    CommunityCareerStage(community_id=community.id, career_stage=s)
                    for s in some(rng, STAGES, 2)
                ),
            ]
        )
        if community.visibility == Visibility.INVITE and rng.random() < 0.5:
            db.session.add(
                CommunityMember(
                    community_id=community.id,
                    user_id=insider.id,
                    role=MemberRole.MEMBER,
                    status=MemberStatus.ACTIVE,
                    joined_at=now,
                )
            )
    offering_rows = [
        Offering(
            slug=f"aanbod-{tag}-{n}",
            provider_id=provider.id,
            title=text(rng, rng.randint(1, 6)) or "Aanbod",
            summary=text(rng, rng.randint(0, 10)),
            description=text(rng, rng.randint(0, 30)),
            format=OfferingFormat.WORKSHOP,
            status=rng.choice([OfferingStatus.PUBLISHED] * 4 + list(OfferingStatus)),
            starts_at=now + timedelta(days=rng.choice([-20, 3, 10, 40])),
            created_by_id=staff.id,
        )
        for n in range(n_offerings)
    ]
    db.session.add_all(offering_rows)
    db.session.flush()
    for offering in offering_rows:
        link_themes(offering_theme, "offering_id", offering.id, some(rng, themes, 4))
        db.session.add_all(
            [
                *(
                    OfferingSchoolType(offering_id=offering.id, school_type=t)
                    for t in some(rng, TYPES, 2)
                ),
                *(
                    OfferingCareerStage(offering_id=offering.id, career_stage=s)
                    for s in some(rng, STAGES, 2)
                ),
                *(OfferingDomain(offering_id=offering.id, domain=d) for d in some(rng, DOMAINS, 2)),
            ]
        )
    output_rows = [
        KnowledgeOutput(
            community_id=rng.choice(community_rows).id,
            slug=f"kennis-{tag}-{n}",
            output_type=OutputType.PRACTICE_EXAMPLE,
            title=text(rng, rng.randint(1, 6)) or "Kennis",
            summary=text(rng, rng.randint(0, 10)),
            body=text(rng, rng.randint(0, 40)),
            status=rng.choice([OutputStatus.PUBLISHED] * 4 + list(OutputStatus)),
            published_at=now - timedelta(days=rng.randint(1, 300)),
        )
        for n in range(n_outputs)
    ]
    db.session.add_all(output_rows)
    db.session.flush()
    for output in output_rows:
        link_themes(output_theme, "output_id", output.id, some(rng, themes, 4))
        db.session.add_all(
            [
                *(
                    OutputSchoolType(output_id=output.id, school_type=t)
                    for t in some(rng, TYPES, 2)
                ),
                *(
                    OutputCareerStage(output_id=output.id, career_stage=s)
                    for s in some(rng, STAGES, 2)
                ),
                *(OutputDomain(output_id=output.id, domain=d) for d in some(rng, DOMAINS, 2)),
            ]
        )
    db.session.commit()
    return {"themes": themes, "insider": insider, "outsider": outsider, "now": now}


def link_themes(table: sa.Table, column: str, owner_id: int, themes: list[Any]) -> None:
    if themes:
        db.session.execute(
            table.insert(), [{column: owner_id, "theme_id": theme.id} for theme in themes]
        )


def make_question(
    author: Any,
    title: str,
    body: str,
    themes: list[Any],
    domain: Any = None,
    stage: Any = None,
    school_type: Any = None,
) -> LearningQuestion:
    question = LearningQuestion(
        author_id=author.id,
        title=title,
        body=body,
        domain=domain,
        career_stage=stage,
        school_type=school_type,
        visibility=QuestionVisibility.EVERYONE,
        status=LearningQuestionStatus.OPEN,
    )
    db.session.add(question)
    db.session.flush()
    link_themes(question_theme, "question_id", question.id, themes)
    db.session.commit()
    return db.session.get(LearningQuestion, question.id)  # type: ignore[return-value]


def random_questions(rng: random.Random, world: dict[str, Any], count: int) -> list[Any]:
    themes, author = world["themes"], world["outsider"]
    questions = [
        make_question(
            author,
            text(rng, rng.randint(1, 8)) or "vraag",
            text(rng, rng.randint(0, 25)),
            some(rng, themes, 3),
            rng.choice([None, *DOMAINS]),
            rng.choice([None, *STAGES]),
            rng.choice([None, *TYPES]),
        )
        for _ in range(count)
    ]
    # The edges: every theme (more than MAX_THEMES count), no searchable word, and neither.
    questions.append(make_question(author, "feedback toetsen breuken", "", themes))
    questions.append(make_question(author, "Hoe doe je dat in de klas?", "", themes[:2]))
    questions.append(make_question(author, "Hoe doe je dat?", "", []))
    questions.append(make_question(author, "feedback", "", []))
    return questions


# -- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cap", [None, 12])
def test_the_ranking_is_the_reference_ranking(
    cap, monkeypatch, create_user, create_provider, create_theme
) -> None:
    """Every question's suggestions, in every kind, for an insider of some invite-only
    communities and for an outsider, three and twelve per kind: the same targets in the same
    order with the same score and reasons as the former statement. With `cap`, the search keeps
    only its 12 newest matches (as MAX_MATCHES does at city size), so that candidates found by
    words and by themes alone mix differently."""
    if cap is not None:
        search = matching.search_subquery
        monkeypatch.setattr(
            matching,
            "search_subquery",
            lambda *args, **kwargs: search(*args, **{**kwargs, "limit": cap}),
        )
    rng = random.Random(20261129)
    world = build_world(rng, create_user, create_provider, create_theme, (90, 40, 90))
    compared = shown = 0
    for question in random_questions(rng, world, 30):
        for viewer in (world["insider"], world["outsider"]):
            for limit in (3, 12):
                expected = described(
                    reference_suggestions_for(question, viewer, limit, world["now"])
                )
                found = described(
                    matching.suggestions_for(question, viewer, limit=limit, now=world["now"])
                )
                assert found == expected, (question.title, [t.id for t in question.themes])
                compared += 1
                shown += len(found)
    assert compared == 34 * 2 * 2
    assert shown > 500  # the world gives plenty to compare, not empty lists


def test_the_page_statements_do_not_grow_with_the_candidates(
    create_user, create_provider, create_theme, login_client, count_queries
) -> None:
    """The question's page with 5 things of each kind, and again with 65 (many sharing its
    themes or words): the same statements, three of them for the matches."""
    rng = random.Random(5)

    def page_statements(world: dict[str, Any]) -> list[str]:
        question = make_question(
            world["outsider"], "feedback toetsen formatief", "rekenen lezen", world["themes"][:2]
        )
        client = login_client(world["outsider"])
        client.get(f"/leervragen/{question.id}")  # warm up
        with count_queries() as counted:
            page = client.get(f"/leervragen/{question.id}")
        assert page.status_code == 200
        assert page.get_data(as_text=True).count('<li class="mb-2">') >= 3  # suggestions shown
        return counted.statements

    small = page_statements(build_world(rng, create_user, create_provider, create_theme, (5,) * 3))
    large = page_statements(build_world(rng, create_user, create_provider, create_theme, (60,) * 3))
    assert len(large) == len(small), "\n".join(large)
    assert len([s for s in large if "found_" in s]) == 3  # one statement per kind of match


def test_only_the_candidates_rows_are_read(app, create_user, create_provider, create_theme) -> None:
    """SQLite's plan of each kind's statement reads the offerings, communities or outputs only by
    primary key (the candidates from the theme index and the search, then the few kept), never
    by walking every published or upcoming row to test it (as the former statement did)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL chooses by cost: on a small test database a scan is cheapest")
    rng = random.Random(7)
    world = build_world(rng, create_user, create_provider, create_theme, (20, 20, 20))
    question = make_question(
        world["outsider"], "feedback toetsen", "rekenen", world["themes"][:2], stage=STAGES[1]
    )
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        matching.suggestions_for(question, world["outsider"], now=world["now"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    statements = [(s, p) for s, p in statements if " MATCH " in s]  # one per kind
    assert len(statements) == 3
    connection = db.session.connection()
    for (statement, parameters), table in zip(
        statements, ["offering", "community", "knowledge_output"], strict=True
    ):
        plan = [
            row[3]
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        ]
        reads = [
            step for step in plan if step.split(" ")[:2] in (["SCAN", table], ["SEARCH", table])
        ]
        assert reads, plan
        assert all("USING INTEGER PRIMARY KEY (rowid=?)" in step for step in reads), plan
