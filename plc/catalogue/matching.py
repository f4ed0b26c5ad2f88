"""Matching learning questions with what could answer them: offerings, communities and published
knowledge outputs — and the other way round.

One score per pair, the same in both directions (see docs/MATCHING.md for the figures):

    relevance = 0.7 · themes + 0.3 · text                                  (0…1)
    profile   = (domain + career stage + school type) / 3                  (0…1)
    score     = relevance · (0.7 + 0.3 · profile)

- themes: the share of the question's themes the candidate has, lowered a little for each theme
  of the candidate's beyond those (÷ (1 + 0.25 · extra)), so that an offering tagged with every
  theme does not match every question, while one with a second, related theme is not punished
  as hard as a symmetric overlap (Dice) would. The strongest signal: people chose the themes.
- domain, career stage, school type: 1 when the candidate lists the question's value, 0.5 when
  it lists none (open to all), 0 otherwise or when the question gives none.
- text: the search backend's relevance in its any-word mode (FTS5 bm25 on SQLite, ts_rank_cd on
  PostgreSQL), divided by the best relevance among the candidates, so both backends give 0…1.

The profile scales the relevance rather than adding to it: an offering for the asker's career
stage and school type about something else entirely is no suggestion. A candidate needs a
shared theme or a word in common, and a score of at least MIN_SCORE. Each
kind costs one SQL statement, whatever the number of candidates: the candidates come from the
theme link table's index and the search; each one's features are a few index look-ups, scored
on narrow rows and ranked and cut in the database; only the few kept are read in full (their
texts for the words in common, which of the question's themes they have for the reason shown).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.forms import career_stage_label, school_type_label
from plc.auth.models import User
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    MatchKind,
    Offering,
    OfferingCareerStage,
    OfferingDomain,
    OfferingSchoolType,
    OfferingStatus,
    QuestionMatch,
    offering_theme,
    question_theme,
)
from plc.catalogue.services import OFFERING_SEARCH, QUESTION_SEARCH, visible_filter
from plc.communities import services as communities
from plc.communities.models import (
    Community,
    CommunityCareerStage,
    CommunitySchoolType,
    CommunityStatus,
    community_theme,
)
from plc.core.models import utcnow
from plc.core.search import SearchIndex, match_terms, search_subquery, stem
from plc.core.urls import site_path
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputCareerStage,
    OutputDomain,
    OutputSchoolType,
    output_theme,
)
from plc.notifications.models import NotificationKind
from plc.notifications.services import notify
from plc.themes.forms import DOMAIN_LABELS

#: The weights of the score: themes and text make the relevance (they add up to 1); the profile
#: fit (domain, career stage, school type) scales it by up to this share.
WEIGHTS = {"themes": 0.7, "text": 0.3, "profile": 0.3}
#: How much each theme of the candidate beyond the shared ones lowers the theme overlap.
EXTRA_THEME_PENALTY = 0.25
#: Below this, a suggestion is noise (a single weak word in common, say).
MIN_SCORE = 0.12
#: Suggestions per kind on a question's page (and what is announced).
PER_KIND = 3
#: Words in common a suggestion without a shared theme needs.
TEXT_ONLY_WORDS = 3
#: Candidates fetched per suggestion shown, for the words-in-common check made in Python.
POOL = 3
#: Themes of one question that count (the form offers a handful; more is not more specific).
MAX_THEMES = 8
#: How far back the cron looks for newly published offerings and outputs; QuestionMatch rows
#: keep a repeated run from announcing twice.
ANNOUNCE_WINDOW = timedelta(days=2)
#: Questions looked at for one new offering or output.
ANNOUNCE_REACH = 50
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Side:
    """How one kind of thing describes itself: its theme link table and its profile tables."""

    kind: MatchKind
    model: Any
    themes: sa.Table
    theme_fk: str
    stages: Any | None
    school_types: Any | None
    domains: Any | None
    index: SearchIndex


OFFERINGS = Side(
    MatchKind.OFFERING,
    Offering,
    offering_theme,
    "offering_id",
    OfferingCareerStage,
    OfferingSchoolType,
    OfferingDomain,
    OFFERING_SEARCH,
)
COMMUNITIES = Side(
    MatchKind.COMMUNITY,
    Community,
    community_theme,
    "community_id",
    CommunityCareerStage,
    CommunitySchoolType,
    None,
    communities.SEARCH,
)
OUTPUTS = Side(
    MatchKind.OUTPUT,
    KnowledgeOutput,
    output_theme,
    "output_id",
    OutputCareerStage,
    OutputSchoolType,
    OutputDomain,
    knowledge.SEARCH,
)


@dataclass
class Suggestion:
    """One thing that could answer a question (or one question a thing could answer)."""

    kind: MatchKind
    target: Any
    score: float
    shared_theme_ids: list[int] = field(default_factory=list)
    domain: bool = False
    stage: bool = False
    school_type: bool = False
    words: list[str] = field(default_factory=list)


@dataclass
class Suggestions:
    offerings: list[Suggestion]
    communities: list[Suggestion]
    outputs: list[Suggestion]

    def all(self) -> list[Suggestion]:
        return [*self.offerings, *self.communities, *self.outputs]


# -- the score in SQL --------------------------------------------------------------------------


def _fk_name(table: Any) -> str:
    return next(c.name for c in table.__table__.primary_key.columns if c.name.endswith("_id"))


def _text_score(found: sa.Subquery | None) -> Any:
    """Relevance / best relevance among the candidates: 0…1 on both backends."""
    if found is None:
        return sa.literal(0.0)
    raw = sa.func.coalesce(found.c.score, 0.0)
    best = sa.func.max(raw).over()
    return sa.func.coalesce(raw / sa.func.nullif(best, 0.0), 0.0)


def _theme_score(shared: Any, question_themes: Any, candidate_themes: Any) -> Any:
    """Share of the question's themes covered, ÷ (1 + 0.25 per extra theme of the candidate)."""
    covered = sa.cast(shared, sa.Float) / sa.func.nullif(question_themes, 0)
    return covered / (1.0 + EXTRA_THEME_PENALTY * (candidate_themes - shared))


def _total(themes: Any, domain: Any, stage: Any, school_type: Any, text: Any) -> Any:
    """Relevance (themes and words, 0…1) scaled by the profile fit: a candidate that fits the
    asker's career stage and school type but is about something else scores nothing."""
    relevance = WEIGHTS["themes"] * themes + WEIGHTS["text"] * text
    profile = (domain + stage + school_type) / 3.0
    return relevance * ((1.0 - WEIGHTS["profile"]) + WEIGHTS["profile"] * profile)


def _candidate_ids(side: Side, theme_ids: list[int], found: Any) -> Any:
    """The candidates' ids with how many of the question's themes each has: those linked to one
    of the themes (one range of the link table's theme index) and those the search found, rather
    than every row of the kind tested for both."""
    link = side.themes
    fk = link.c[side.theme_fk]
    parts: list[Any] = []
    if theme_ids:
        parts.append(
            sa.select(fk.label("id"), sa.func.count().label("shared"))
            .where(link.c.theme_id.in_(theme_ids))
            .group_by(fk)
        )
    if found is not None:
        parts.append(sa.select(found.c.id, sa.literal(0).label("shared")))
    name = f"candidate_{side.kind.value}"
    if len(parts) == 1:
        return parts[0].cte(name)
    both = sa.union_all(*parts).subquery()
    return (
        sa.select(both.c.id, sa.func.max(both.c.shared).label("shared"))
        .group_by(both.c.id)
        .cte(name)
    )


def _profile_fit(table: Any, attribute: str, id_column: Any, value: Any) -> Any:
    """A candidate's fit with the question's single value: 1 when it lists the value, 0.5 when
    it lists none (open to all), else 0 (and 0 when the question gives none). One look-up in
    the candidate's rows: the highest of 1 (the value) and 0 (another), or none at all."""
    if table is None or value is None:
        return sa.literal(0.0)
    fk = table.__table__.c[_fk_name(table)]
    listed = sa.case((getattr(table, attribute) == value, 1.0), else_=0.0)
    best = sa.select(sa.func.max(listed)).where(fk == id_column).scalar_subquery()
    return sa.func.coalesce(best, 0.5)


def _ranked(
    side: Side,
    question: LearningQuestion,
    base: sa.ColumnElement[bool],
    theme_ids: list[int],
    limit: int,
) -> sa.Subquery | None:
    """The best `limit` candidates of one kind: their ids, features and score, ranked and cut in
    the database on narrow rows (the texts of thousands of candidates are not carried through
    the sort), with four index look-ups per candidate (its number of themes and its three
    profile fits). None when the question has neither themes nor searchable words."""
    model = side.model
    found = search_subquery(side.index, f"{question.title} {question.body}", any_word=True)
    if found is None and not theme_ids:
        return None
    if found is not None:
        # Read twice (the candidates, then each one's score): once from the search index.
        found = sa.select(found.c.id, found.c.score).cte(f"found_{side.kind.value}")
    link = side.themes
    their_count = sa.select(sa.func.count()).where(link.c[side.theme_fk] == model.id)
    candidates = _candidate_ids(side, theme_ids, found)
    inner = (
        sa.select(
            model.id.label("id"),
            candidates.c.shared,
            their_count.scalar_subquery().label("n_themes"),
            _profile_fit(side.domains, "domain", model.id, question.domain).label("domain"),
            _profile_fit(side.stages, "career_stage", model.id, question.career_stage).label(
                "stage"
            ),
            _profile_fit(side.school_types, "school_type", model.id, question.school_type).label(
                "school_type"
            ),
            _text_score(found).label("text"),
        )
        .select_from(candidates)
        .join(model, model.id == candidates.c.id)
        .where(base)
    )
    if found is not None:
        inner = inner.outerjoin(found, found.c.id == model.id)
    # Materialised: each candidate's look-ups run once, after the joins that find the candidates,
    # rather than merged into the score's filter and order and run for each (or for every row).
    sub = inner.cte(f"scored_{side.kind.value}").prefix_with("MATERIALIZED")
    themes = _theme_score(sub.c.shared, len(theme_ids), sub.c.n_themes) if theme_ids else 0.0
    total = _total(themes, sub.c.domain, sub.c.stage, sub.c.school_type, sub.c.text)
    return (
        sa.select(sub, total.label("total"))
        .where(total >= MIN_SCORE)
        .order_by(total.desc(), sub.c.id)
        .limit(limit)
        .subquery()
    )


def _candidates(
    side: Side,
    question: LearningQuestion,
    base: sa.ColumnElement[bool],
    options: Sequence[Any],
    limit: int,
) -> list[Suggestion]:
    """One statement: the best `limit` candidates of one kind for the question, ranked on narrow
    rows first; only the few kept are read in full, with which of the question's themes each
    has (the reason shown), and their words compared in Python."""
    model = side.model
    theme_ids = [theme.id for theme in question.themes][:MAX_THEMES]
    ranked = _ranked(side, question, base, theme_ids, limit * POOL)
    if ranked is None:
        return []
    link = side.themes
    link_fk, link_theme = link.c[side.theme_fk], link.c.theme_id
    flags = [
        sa.exists().where(link_fk == model.id, link_theme == theme_id).label(f"theme_{i}")
        for i, theme_id in enumerate(theme_ids)
    ]
    rows = db.session.execute(
        sa.select(model, ranked, *flags)
        .join(ranked, ranked.c.id == model.id)
        .options(*options)
        .order_by(ranked.c.total.desc(), model.id)
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


def _enough(suggestion: Suggestion, question_terms: int) -> bool:
    """A shared theme is enough; without one, three words in common (all of them, for a shorter
    question): a word or two shared by chance is no suggestion, however well it ranks among the
    candidates (the text score is relative to the best candidate)."""
    return bool(suggestion.shared_theme_ids) or len(suggestion.words) >= min(
        TEXT_ONLY_WORDS, question_terms
    )


# -- words in common (for the reason shown; the score comes from the search backend) -----------


def _question_words(question: LearningQuestion) -> dict[str, str]:
    """Stem → the word as the asker wrote it (the first time)."""
    words: dict[str, str] = {}
    for word in _WORD.findall(f"{question.title} {question.body}"):
        for term in match_terms(word):
            words.setdefault(term, word.lower())
    return words


def _text_of(target: Any) -> str:
    if isinstance(target, Offering):
        return f"{target.title} {target.summary} {target.description}"
    if isinstance(target, Community):
        return f"{target.name} {target.summary} {target.description}"
    if isinstance(target, KnowledgeOutput):
        return f"{target.title} {target.summary} {target.body}"
    return f"{target.title} {target.body}"


def _common_words(terms: dict[str, str], text: str, limit: int = 6) -> list[str]:
    their_stems = {stem(w.lower()) for w in _WORD.findall(text) if len(w) >= 3}
    their_words = {w.lower() for w in _WORD.findall(text)}
    common = [
        word
        for term, word in terms.items()
        if term in their_stems or any(w.startswith(term) for w in their_words)
    ]
    return common[:limit]


# -- forward: what could answer a question ----------------------------------------------------


def _offering_filter(now: datetime) -> sa.ColumnElement[bool]:
    """Published offerings one can still join."""
    return sa.and_(Offering.status == OfferingStatus.PUBLISHED, Offering.starts_at > now)


def suggestions_for(
    question: LearningQuestion, viewer: Any, limit: int = PER_KIND, now: datetime | None = None
) -> Suggestions:
    """The offerings, communities (those `viewer` may see) and published knowledge outputs that
    could answer the question, best first: three statements."""
    now = now or utcnow()
    return Suggestions(
        offerings=_candidates(
            OFFERINGS,
            question,
            _offering_filter(now),
            [joinedload(Offering.provider)],
            limit,
        ),
        communities=_candidates(
            COMMUNITIES,
            question,
            sa.and_(communities.visible_filter(viewer), Community.status != CommunityStatus.CLOSED),
            [],
            limit,
        ),
        outputs=_candidates(
            OUTPUTS,
            question,
            knowledge.published_filter(),
            [joinedload(KnowledgeOutput.community)],
            limit,
        ),
    )


def reasons(suggestion: Suggestion, question: LearningQuestion, language: str) -> list[str]:
    """Why it was suggested, in words ("same theme: Formatief evalueren; for: Experienced
    teacher; words in common: toetsen")."""
    themes = {theme.id: theme for theme in question.themes}
    said = []
    names = [themes[i].name(language) for i in suggestion.shared_theme_ids if i in themes]
    if names:
        said.append(_("same theme: %(themes)s", themes=", ".join(names)))
    if suggestion.domain and question.domain:
        said.append(_("same domain: %(domain)s", domain=DOMAIN_LABELS[question.domain]))
    if suggestion.stage:
        said.append(_("for: %(stage)s", stage=career_stage_label(question.career_stage)))
    if suggestion.school_type:
        said.append(_("for: %(type)s", type=school_type_label(question.school_type)))
    if suggestion.words:
        said.append(_("words in common: %(words)s", words=", ".join(suggestion.words)))
    return said


# -- reverse: the open questions a thing could answer ------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What an offering or a community is about, as the reverse direction needs it."""

    theme_ids: list[int]
    stages: list[Any]
    school_types: list[Any]
    domains: list[Any]
    text: str


def _reverse_fit(column: Any, values: Sequence[Any]) -> Any:
    """The question's single value against the thing's list (as `_fit`, seen from the other
    side): listed 1, the thing lists none 0.5, the question gives none 0."""
    if not values:
        return sa.case((column.is_(None), 0.0), else_=0.5)
    return sa.case((column.in_(values), 1.0), else_=0.0)


def questions_for_profile(
    profile: Profile, viewer: Any, limit: int, *, everyone: bool = False, with_themes: bool = False
) -> list[LearningQuestion]:
    """Open learning questions (those `viewer` may see, or all with `everyone`) this profile could
    answer, best first and then most supported: one statement (with the asking school), and one
    more `with_themes` (for lists that show them)."""
    theme_ids = profile.theme_ids[:50]
    link_q, link_t = question_theme.c.question_id, question_theme.c.theme_id
    shared = (
        sa.select(sa.func.count())
        .where(link_q == LearningQuestion.id, link_t.in_(theme_ids or [-1]))
        .scalar_subquery()
    )
    their_count = sa.select(sa.func.count()).where(link_q == LearningQuestion.id).scalar_subquery()
    found = search_subquery(QUESTION_SEARCH, profile.text, any_word=True)
    text = _text_score(found)
    base = LearningQuestion.status == LearningQuestionStatus.OPEN
    if not everyone:
        base = sa.and_(base, visible_filter(viewer))
    inner = sa.select(
        LearningQuestion.id.label("id"),
        shared.label("shared"),
        their_count.label("n_themes"),
        _reverse_fit(LearningQuestion.domain, profile.domains).label("domain"),
        _reverse_fit(LearningQuestion.career_stage, profile.stages).label("stage"),
        _reverse_fit(LearningQuestion.school_type, profile.school_types).label("school_type"),
        text.label("text"),
    ).where(base)
    shares_theme = sa.exists().where(link_q == LearningQuestion.id, link_t.in_(theme_ids or [-1]))
    if found is not None:
        inner = inner.outerjoin(found, found.c.id == LearningQuestion.id).where(
            sa.or_(shares_theme, found.c.id.is_not(None))
        )
    else:
        inner = inner.where(shares_theme)
    sub = inner.subquery()
    themes = _theme_score(sub.c.shared, sub.c.n_themes, len(theme_ids))
    total = _total(
        sa.func.coalesce(themes, 0.0), sub.c.domain, sub.c.stage, sub.c.school_type, sub.c.text
    )
    return list(
        db.session.scalars(
            sa.select(LearningQuestion)
            .join(sub, sub.c.id == LearningQuestion.id)
            .where(total >= MIN_SCORE)
            .options(
                joinedload(LearningQuestion.school),
                *([selectinload(LearningQuestion.themes)] if with_themes else []),
            )
            .order_by(total.desc(), LearningQuestion.support_count.desc(), LearningQuestion.id)
            .limit(limit)
        )
    )


def offering_profile(offering: Offering) -> Profile:
    return Profile(
        theme_ids=[t.id for t in offering.themes],
        stages=[s.career_stage for s in offering.career_stages],
        school_types=[t.school_type for t in offering.school_types],
        domains=[d.domain for d in offering.domains],
        text=f"{offering.title} {offering.summary} {offering.description}",
    )


def community_profile(community: Community) -> Profile:
    return Profile(
        theme_ids=[t.id for t in community.themes],
        stages=[s.career_stage for s in community.career_stages],
        school_types=[t.school_type for t in community.school_types],
        domains=[],
        text=f"{community.name} {community.summary} {community.description}",
    )


def output_profile(output: KnowledgeOutput) -> Profile:
    return Profile(
        theme_ids=[t.id for t in output.themes],
        stages=[s.career_stage for s in output.career_stages],
        school_types=[t.school_type for t in output.school_types],
        domains=[d.domain for d in output.domains],
        text=f"{output.title} {output.summary} {output.body}",
    )


def questions_for_offering(
    offering: Offering, viewer: Any, limit: int = 5
) -> list[LearningQuestion]:
    return questions_for_profile(offering_profile(offering), viewer, limit)


def questions_for_community(
    community: Community, viewer: Any, limit: int = 5
) -> list[LearningQuestion]:
    return questions_for_profile(community_profile(community), viewer, limit, with_themes=True)


# -- telling the asker about new matches -------------------------------------------------------


def notify_new_matches(
    question: LearningQuestion, fresh: Collection[tuple[MatchKind, int]] | None = None
) -> int:
    """Record the question's current suggestions (QuestionMatch, unique per question, kind and
    target) and tell the asker about those not recorded before — all of them, or with `fresh`
    only those newly published (the rest they could already see on the question's page).
    Returns how many were announced; a second run announces nothing."""
    author = db.session.get(User, question.author_id) if question.author_id else None
    if author is None or not author.active or question.status != LearningQuestionStatus.OPEN:
        return 0
    found = suggestions_for(question, author)
    known = set(
        db.session.execute(
            sa.select(QuestionMatch.kind, QuestionMatch.target_id).where(
                QuestionMatch.question_id == question.id
            )
        ).all()
    )
    announced = 0
    for suggestion in found.all():
        key = (suggestion.kind, suggestion.target.id)
        if key in known:
            continue
        try:
            with db.session.begin_nested():  # a concurrent run recorded it: theirs to announce
                db.session.add(
                    QuestionMatch(
                        question_id=question.id,
                        kind=suggestion.kind,
                        target_id=suggestion.target.id,
                        score=suggestion.score,
                    )
                )
        except sa.exc.IntegrityError:
            continue
        if fresh is None or key in fresh:
            announced += 1
    if announced:
        notify(
            author.id,
            NotificationKind.NEW_MATCH,
            link=site_path("questions.show", question_id=question.id),
            detail=question.title,
        )
    return announced


def remember_matches(question: LearningQuestion) -> None:
    """A new (or changed) question: what its page shows now is known to the asker already."""
    notify_new_matches(question, fresh=())


def notify_new_matches_for_all(now: datetime | None = None) -> int:
    """For the `send-digests` cron: offerings and outputs published lately reach the askers of
    the open questions they could answer. Returns the number of matches announced."""
    now = now or utcnow()
    since = now - ANNOUNCE_WINDOW
    offerings = db.session.scalars(
        sa.select(Offering)
        .where(_offering_filter(now), Offering.published_at >= since)
        .options(
            selectinload(Offering.themes),
            selectinload(Offering.career_stages),
            selectinload(Offering.school_types),
            selectinload(Offering.domains),
        )
    ).all()
    outputs = db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(knowledge.published_filter(), KnowledgeOutput.published_at >= since)
        .options(
            selectinload(KnowledgeOutput.themes),
            selectinload(KnowledgeOutput.career_stages),
            selectinload(KnowledgeOutput.school_types),
            selectinload(KnowledgeOutput.domains),
        )
    ).all()
    fresh: dict[int, set[tuple[MatchKind, int]]] = {}
    questions: dict[int, LearningQuestion] = {}
    items = [(MatchKind.OFFERING, o.id, offering_profile(o)) for o in offerings] + [
        (MatchKind.OUTPUT, o.id, output_profile(o)) for o in outputs
    ]
    for kind, target_id, profile in items:
        for question in questions_for_profile(profile, None, ANNOUNCE_REACH, everyone=True):
            questions[question.id] = question
            fresh.setdefault(question.id, set()).add((kind, target_id))
    # Each question once, with everything new for it: a match recorded silently for one item
    # could otherwise hide another item's announcement.
    return sum(notify_new_matches(questions[qid], fresh[qid]) for qid in sorted(questions))


def announce_offering(offering: Offering) -> int:
    """Right after publishing (for a view that wants it at once rather than at the next cron)."""
    total = 0
    for question in questions_for_profile(
        offering_profile(offering), None, ANNOUNCE_REACH, everyone=True
    ):
        total += notify_new_matches(question, {(MatchKind.OFFERING, offering.id)})
    return total
