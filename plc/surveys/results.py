"""Survey results: response rate, per question the distribution (with mean and median for
scales) and the open answers, results per organisation, the before/after comparison, and the
two CSV exports. A fixed number of statements for any number of responses or questions.

**Anonymity in the results.** Nothing here shows a response id, a respondent key, a time or a
person for an anonymous survey. Open answers are listed per question in an order of their own
(a hash of question and response), so the n-th answer to one question cannot be lined up with
the n-th answer to another; the CSV of answers lists rows by their random id, never in the order
they came in. Who has not answered is shown for named surveys only.

**Results per organisation** are shown for scale questions, for organisations with at least
`MIN_GROUP` responses. Leaving small groups out is not enough on its own: the overall numbers
are on the same page, so "all responses minus the groups shown" is itself a group, and when it
is one small organisation (or one person without one) its answers could be worked out by
subtraction. The rest is therefore kept either empty or at least `MIN_GROUP` big: while it is
between 1 and `MIN_GROUP - 1`, the smallest group shown joins it (complementary suppression).
No "other" row is ever shown. The same test is repeated per question (an optional question has
fewer answers): when a group shown has fewer than `MIN_GROUP` answers to it, or the rest for
that question is small, the breakdown of that question is left out. The CSV of answers names an
organisation only for the groups shown. The rule itself lives in `plc.core.disclosure`, which the
dashboards share.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from plc.auth.models import User
from plc.core.disclosure import MIN_GROUP, is_small, shown_groups
from plc.core.spreadsheet import safe_cell
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyAnswerOption,
    SurveyInvitation,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)


@dataclass(frozen=True)
class Bar:
    """One scale point or option: how many chose it, and their share of those who answered."""

    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class Stats:
    """Scale answers of one group: how many, mean and median."""

    n: int
    mean: float | None
    median: float | None


@dataclass(frozen=True)
class GroupRow:
    name: str
    stats: Stats


@dataclass(frozen=True)
class Comparison:
    """A scale question in the baseline (start) measurement and in this one."""

    before: Stats
    after: Stats

    @property
    def difference(self) -> float | None:
        if self.before.mean is None or self.after.mean is None:
            return None
        return self.after.mean - self.before.mean


@dataclass(frozen=True)
class TextAnswer:
    text: str
    name: str | None  #: named surveys only


@dataclass
class QuestionResult:
    number: int
    question: SurveyQuestion
    answered: int
    bars: list[Bar] = field(default_factory=list)
    stats: Stats | None = None  #: scale questions
    texts: list[TextAnswer] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    #: A scale question whose breakdown per organisation is left out (groups too small for it).
    groups_withheld: bool = False
    comparison: Comparison | None = None
    #: The baseline has this question, but on another scale: not compared.
    other_scale: bool = False


@dataclass(frozen=True)
class OrganisationGroup:
    id: int
    name: str
    responses: int


@dataclass
class Results:
    survey: Survey
    invited: int
    responses: int
    #: Invitees who have not answered: named surveys only, and only when asked for.
    not_answered: list[User] | None
    questions: list[QuestionResult]
    #: The organisations shown on their own (at least MIN_GROUP responses; see the module note).
    groups: list[OrganisationGroup]
    #: Responses are left out of the breakdown (small groups, or no organisation).
    groups_incomplete: bool
    baseline: Survey | None

    @property
    def rate(self) -> float | None:
        """Responses per invitation (None when nobody was invited)."""
        return min(1.0, self.responses / self.invited) if self.invited else None


# -- arithmetic --------------------------------------------------------------------------------


def scale_stats(counts: Mapping[int, int]) -> Stats:
    """n, mean and median of scale answers given as {point: count}."""
    n = sum(counts.values())
    if not n:
        return Stats(0, None, None)
    mean = sum(point * count for point, count in counts.items()) / n
    return Stats(n, mean, _median(counts, n))


def _median(counts: Mapping[int, int], n: int) -> float:
    """The middle answer (the mean of the two middle ones for an even n), from the counts."""
    wanted = {(n - 1) // 2, n // 2}
    found: list[int] = []
    seen = 0
    for point in sorted(counts):
        count = counts[point]
        for index in sorted(wanted):
            if seen <= index < seen + count:
                found.append(point)
        seen += count
    return sum(found) / len(found)


def _percent(count: int, of: int) -> float:
    return 100.0 * count / of if of else 0.0


def _shuffle_key(question_id: int, response_id: str) -> str:
    """An order for the open answers of one question that says nothing about submission and
    differs per question (no lining up of answers across questions)."""
    return hashlib.sha256(f"{question_id}:{response_id}".encode()).hexdigest()


# -- reading -----------------------------------------------------------------------------------


def _questions(survey_ids: Sequence[int]) -> dict[int, list[SurveyQuestion]]:
    by_survey: dict[int, list[SurveyQuestion]] = defaultdict(list)
    for question in db.session.scalars(
        sa.select(SurveyQuestion)
        .where(SurveyQuestion.survey_id.in_(survey_ids))
        .options(joinedload(SurveyQuestion.options))  # a handful each: joined
        .order_by(SurveyQuestion.survey_id, SurveyQuestion.position, SurveyQuestion.id)
    ).unique():
        by_survey[question.survey_id].append(question)
    return by_survey


def _organisation_counts(survey_id: int) -> tuple[dict[int | None, int], dict[int, str]]:
    counts: dict[int | None, int] = {}
    names: dict[int, str] = {}
    for org_id, name, count in db.session.execute(
        sa.select(SurveyResponse.organisation_id, Organisation.name, sa.func.count())
        .outerjoin(Organisation, Organisation.id == SurveyResponse.organisation_id)
        .where(SurveyResponse.survey_id == survey_id)
        .group_by(SurveyResponse.organisation_id, Organisation.name)
    ):
        counts[org_id] = counts.get(org_id, 0) + count
        if org_id is not None:
            names[org_id] = name
    return counts, names


ScaleCounts = dict[tuple[int, int | None], dict[int, int]]


def _scale_counts(survey_ids: Sequence[int]) -> ScaleCounts:
    """{(question id, organisation id): {point: count}} for the scale questions of the surveys."""
    counts: ScaleCounts = defaultdict(dict)
    for question_id, org_id, number, count in db.session.execute(
        sa.select(
            SurveyAnswer.question_id,
            SurveyResponse.organisation_id,
            SurveyAnswer.number,
            sa.func.count(),
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id.in_(survey_ids), SurveyAnswer.number.is_not(None))
        .group_by(SurveyAnswer.question_id, SurveyResponse.organisation_id, SurveyAnswer.number)
    ):
        counts[(question_id, org_id)][number] = count
    return counts


@dataclass(frozen=True)
class _Counts:
    """How many answered each question, chose each option, and were invited."""

    answered: dict[int, int]
    options: dict[int, int]
    invited: int


def _counts(survey_id: int) -> _Counts:
    """The three counts in one statement: (kind, id, count) rows, one SELECT each, united."""
    of_survey = SurveyResponse.survey_id == survey_id
    answered = (
        sa.select(sa.literal("answered"), SurveyAnswer.question_id, sa.func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(of_survey)
        .group_by(SurveyAnswer.question_id)
    )
    options = (
        sa.select(sa.literal("option"), SurveyAnswerOption.option_id, sa.func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswerOption.response_id)
        .where(of_survey)
        .group_by(SurveyAnswerOption.option_id)
    )
    invited = sa.select(sa.literal("invited"), sa.literal_column("0"), sa.func.count()).where(
        SurveyInvitation.survey_id == survey_id
    )
    found: dict[str, dict[int, int]] = {"answered": {}, "option": {}, "invited": {}}
    for kind, item_id, count in db.session.execute(sa.union_all(answered, options, invited)):
        found[kind][item_id] = count
    return _Counts(found["answered"], found["option"], found["invited"].get(0, 0))


def _texts(survey: Survey) -> dict[int, list[TextAnswer]]:
    rows = db.session.execute(
        sa.select(
            SurveyAnswer.question_id,
            SurveyAnswer.text,
            SurveyAnswer.response_id,
            User.display_name,
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .outerjoin(User, User.id == SurveyResponse.user_id)
        .where(
            SurveyResponse.survey_id == survey.id,
            SurveyQuestion.kind == QuestionKind.TEXT,
            SurveyAnswer.text != "",
        )
    ).all()
    if survey.anonymous:
        ordered = sorted(rows, key=lambda row: _shuffle_key(row[0], row[2]))
        found = [(question_id, TextAnswer(text, None)) for question_id, text, _, _ in ordered]
    else:
        ordered = sorted(rows, key=lambda row: ((row[3] or "").casefold(), row[1]))
        found = [(question_id, TextAnswer(text, name)) for question_id, text, _, name in ordered]
    texts: dict[int, list[TextAnswer]] = defaultdict(list)
    for question_id, answer in found:
        texts[question_id].append(answer)
    return texts


def invited_count(survey_id: int) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyInvitation)
            .where(SurveyInvitation.survey_id == survey_id)
        )
        or 0
    )


def not_answered(survey: Survey) -> list[User]:
    """Invitees of a named survey who have not answered (never for an anonymous one)."""
    if survey.anonymous:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .join(SurveyInvitation, SurveyInvitation.user_id == User.id)
            .where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(False))
            .order_by(User.display_name, User.id)
        )
    )


def scale_label(question: SurveyQuestion, point: int) -> str:
    if point == question.scale_min and question.low_label:
        return f"{point} – {question.low_label}"
    if point == question.scale_max and question.high_label:
        return f"{point} – {question.high_label}"
    return str(point)


def _overall(counts: ScaleCounts, question_id: int) -> dict[int, int]:
    total: dict[int, int] = defaultdict(int)
    for (q_id, _org), points in counts.items():
        if q_id == question_id:
            for point, count in points.items():
                total[point] += count
    return total


def _scale_result(
    result: QuestionResult, counts: ScaleCounts, shown: set[int], names: Mapping[int, str]
) -> None:
    question = result.question
    overall = _overall(counts, question.id)
    result.stats = scale_stats(overall)
    result.answered = result.stats.n
    result.bars = [
        Bar(
            scale_label(question, point),
            overall.get(point, 0),
            _percent(overall.get(point, 0), result.answered),
        )
        for point in range(question.scale_min, question.scale_max + 1)
    ]
    if not shown or not result.answered:
        return
    groups = [
        GroupRow(names[org], scale_stats(counts.get((question.id, org), {})))
        for org in sorted(shown, key=lambda org: names[org].casefold())
    ]
    rest = result.answered - sum(group.stats.n for group in groups)
    if any(group.stats.n < MIN_GROUP for group in groups) or is_small(rest):
        result.groups_withheld = True
    else:
        result.groups = groups


def _compare(result: QuestionResult, before: SurveyQuestion | None, counts: ScaleCounts) -> None:
    question = result.question
    if before is None or before.kind != QuestionKind.SCALE or result.stats is None:
        return
    if (before.scale_min, before.scale_max) != (question.scale_min, question.scale_max):
        result.other_scale = True
        return
    result.comparison = Comparison(scale_stats(_overall(counts, before.id)), result.stats)


def results_for(survey: Survey, *, with_non_responders: bool = False) -> Results:
    """Everything the results page shows, in a fixed number of statements."""
    survey_ids = [survey.id] + ([survey.baseline_id] if survey.baseline_id else [])
    questions = _questions(survey_ids)
    baseline = db.session.get(Survey, survey.baseline_id) if survey.baseline_id else None
    before_by_key = {q.key: q for q in questions.get(survey.baseline_id or -1, [])}
    org_counts, names = _organisation_counts(survey.id)
    responses = sum(org_counts.values())
    shown = shown_groups(org_counts, responses)
    scale = _scale_counts(survey_ids)
    counts = _counts(survey.id)
    answered, options = counts.answered, counts.options
    texts = _texts(survey)
    results = []
    for number, question in enumerate(questions.get(survey.id, []), start=1):
        result = QuestionResult(number, question, answered.get(question.id, 0))
        if question.kind == QuestionKind.SCALE:
            _scale_result(result, scale, shown, names)
            if baseline is not None:
                _compare(result, before_by_key.get(question.key), scale)
        elif question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            result.bars = [
                Bar(
                    option.label,
                    options.get(option.id, 0),
                    _percent(options.get(option.id, 0), result.answered),
                )
                for option in question.options
            ]
        else:
            result.texts = texts.get(question.id, [])
        results.append(result)
    return Results(
        survey=survey,
        invited=counts.invited,
        responses=responses,
        not_answered=not_answered(survey) if with_non_responders and not survey.anonymous else None,
        questions=results,
        groups=sorted(
            (OrganisationGroup(org, names[org], org_counts[org]) for org in shown),
            key=lambda group: group.name.casefold(),
        ),
        groups_incomplete=sum(org_counts[org] for org in shown) < responses,
        baseline=baseline,
    )


# -- exports -----------------------------------------------------------------------------------


def _csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so that Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _question_header(number: int, question: SurveyQuestion) -> str:
    return f"{number}. {question.prompt}"


def answers_csv(survey: Survey) -> str:
    """One row per response, one column per question (chosen options joined with "; ").

    Named surveys start with the person and the times. Anonymous surveys have no name, e-mail,
    id, key or time, and their rows follow the random response ids, not the order of arrival.
    The organisation is given only for the groups the results show on their own."""
    questions = _questions([survey.id]).get(survey.id, [])
    org_counts, names = _organisation_counts(survey.id)
    shown = shown_groups(org_counts, sum(org_counts.values()))
    query = (
        sa.select(
            SurveyResponse.id,
            SurveyResponse.organisation_id,
            User.display_name,
            User.email,
            SurveyResponse.submitted_at,
            SurveyResponse.updated_at,
        )
        .outerjoin(User, User.id == SurveyResponse.user_id)
        .where(SurveyResponse.survey_id == survey.id)
    )
    if survey.anonymous:
        query = query.order_by(SurveyResponse.id)
    else:
        query = query.order_by(User.display_name, SurveyResponse.id)
    responses = db.session.execute(query).all()
    values = _answer_values(survey.id, questions)
    header: list[str] = [] if survey.anonymous else ["name", "email", "submitted_at", "updated_at"]
    header.append("organisation")
    header.extend(_question_header(n, q) for n, q in enumerate(questions, start=1))
    rows = []
    for response_id, org_id, name, email, submitted_at, updated_at in responses:
        row: list[Any] = []
        if not survey.anonymous:
            row += [
                name,
                email,
                submitted_at.isoformat() if submitted_at else "",
                updated_at.isoformat() if updated_at else "",
            ]
        row.append(names[org_id] if org_id in shown else "")
        answers = values.get(response_id, {})
        row.extend(answers.get(question.id, "") for question in questions)
        rows.append(row)
    return _csv(header, rows)


def _answer_values(
    survey_id: int, questions: Sequence[SurveyQuestion]
) -> dict[str, dict[int, Any]]:
    """{response id: {question id: value}} in two statements."""
    values: dict[str, dict[int, Any]] = defaultdict(dict)
    for response_id, question_id, number, text in db.session.execute(
        sa.select(
            SurveyAnswer.response_id,
            SurveyAnswer.question_id,
            SurveyAnswer.number,
            SurveyAnswer.text,
        )
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey_id)
    ):
        values[response_id][question_id] = number if number is not None else text
    chosen: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for response_id, question_id, position, label in db.session.execute(
        sa.select(
            SurveyAnswerOption.response_id,
            SurveyOption.question_id,
            SurveyOption.position,
            SurveyOption.label,
        )
        .join(SurveyOption, SurveyOption.id == SurveyAnswerOption.option_id)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswerOption.response_id)
        .where(SurveyResponse.survey_id == survey_id)
    ):
        chosen[(response_id, question_id)].append((position, label))
    for (response_id, question_id), labels in chosen.items():
        values[response_id][question_id] = "; ".join(label for _, label in sorted(labels))
    return values


RESULT_COLUMNS = [
    "question_number",
    "question_key",
    "question",
    "kind",
    "group",
    "answered",
    "mean",
    "median",
    "answer",
    "count",
    "percent",
    "baseline_answered",
    "baseline_mean",
    "difference",
]


def _number(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


def results_csv(results: Results) -> str:
    """The aggregated results: a row per scale point or option (group "all"), a row per
    organisation shown for scale questions, and one row for each open question."""
    rows: list[list[Any]] = []
    for result in results.questions:
        q = result.question
        lead = [result.number, q.key, q.prompt, q.kind.value]
        stats = result.stats or Stats(result.answered, None, None)
        comparison = result.comparison
        tail = (
            [
                comparison.before.n,
                _number(comparison.before.mean),
                _number(comparison.difference),
            ]
            if comparison
            else ["", "", ""]
        )
        summary = [stats.n, _number(stats.mean), _number(stats.median)]
        if not result.bars:
            rows.append([*lead, "all", *summary, "", "", "", *tail])
        for bar in result.bars:
            rows.append(
                [*lead, "all", *summary, bar.label, bar.count, _number(bar.percent, 1), *tail]
            )
        for group in result.groups:
            rows.append(
                [
                    *lead,
                    group.name,
                    group.stats.n,
                    _number(group.stats.mean),
                    _number(group.stats.median),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return _csv(RESULT_COLUMNS, rows)
