"""Evaluation results of pilots at a glance: for the pilot checklist and the network overview.

Aggregates only, in a fixed number of statements for any number of pilots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from plc.extensions import db
from plc.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)


@dataclass(frozen=True)
class PilotEvaluation:
    """A pilot's published surveys taken together, and its latest one with responses."""

    surveys: int  #: published surveys
    responses: int  #: responses to all of them
    latest_survey_id: int | None  #: the latest (by closing date) published survey with responses
    latest_title: str
    latest_responses: int
    latest_invited: int
    #: Mean of all scale answers of the latest survey, rescaled to 1–5 (None: no scale answers).
    latest_scale_mean: float | None

    @property
    def latest_rate(self) -> float | None:
        """Response rate of the latest survey (None when nobody was invited)."""
        if not self.latest_invited:
            return None
        return min(1.0, self.latest_responses / self.latest_invited)


EMPTY = PilotEvaluation(0, 0, None, "", 0, 0, None)


def evaluations_for_pilots(pilot_ids: list[int]) -> dict[int, PilotEvaluation]:
    """Every pilot id maps to its evaluation (EMPTY when it has no published survey)."""
    if not pilot_ids:
        return {}
    # The invitations counted and the mean scale answer with the surveys: one statement.
    invitations = (
        sa.select(sa.func.count())
        .where(SurveyInvitation.survey_id == Survey.id)
        .correlate(Survey)
        .scalar_subquery()
    )
    surveys = db.session.execute(
        sa.select(
            Survey.id,
            Survey.pilot_id,
            Survey.title,
            Survey.response_count,
            invitations,
            _scale_mean(),
        )
        .where(Survey.pilot_id.in_(pilot_ids), Survey.status == SurveyStatus.PUBLISHED)
        .order_by(Survey.closes_at, Survey.id)
    ).all()
    latest: dict[int, tuple[int, str, int]] = {}
    totals: dict[int, tuple[int, int]] = {}
    invited: dict[int, int] = {}
    means: dict[int, float] = {}
    for survey_id, pilot_id, title, responses, invitees, mean in surveys:
        count, answered = totals.get(pilot_id, (0, 0))
        totals[pilot_id] = (count + 1, answered + responses)
        invited[survey_id] = invitees
        if mean is not None:
            means[survey_id] = float(mean)
        if responses:
            latest[pilot_id] = (survey_id, title, responses)  # ordered by closing: last wins
    result = {}
    for pilot_id in pilot_ids:
        if pilot_id not in totals:
            result[pilot_id] = EMPTY
            continue
        count, answered = totals[pilot_id]
        survey_id, title, responses = latest.get(pilot_id, (None, "", 0))
        result[pilot_id] = PilotEvaluation(
            surveys=count,
            responses=answered,
            latest_survey_id=survey_id,
            latest_title=title,
            latest_responses=responses,
            latest_invited=invited.get(survey_id, 0) if survey_id else 0,
            latest_scale_mean=means.get(survey_id) if survey_id else None,
        )
    return result


def _scale_mean() -> sa.ScalarSelect[Any]:
    """A survey's mean scale answer, each answer first rescaled to 1–5 so that scales of other
    lengths can be taken together (NULL without scale answers); correlated to `Survey`."""
    rescaled = 1 + 4.0 * (SurveyAnswer.number - SurveyQuestion.scale_min) / (
        SurveyQuestion.scale_max - SurveyQuestion.scale_min
    )
    return (
        sa.select(sa.func.avg(rescaled))
        .select_from(SurveyResponse)
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .join(SurveyQuestion, SurveyQuestion.id == SurveyAnswer.question_id)
        .where(
            SurveyResponse.survey_id == Survey.id,
            SurveyQuestion.kind == QuestionKind.SCALE,
            SurveyAnswer.number.is_not(None),
        )
        .correlate(Survey)
        .scalar_subquery()
    )
