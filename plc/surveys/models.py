"""Surveys (*vragenlijsten*) that evaluate a live session, an offering or a pilot.

Anonymity is built into the tables, not only into the pages:
- a response of an anonymous survey holds no user, no time and no sequential id: its key is a
  random string, its answers are keyed by (response, question), and the `respondent_key` that
  keeps one response per person is a keyed hash (HMAC with the app's secret) of survey and user,
  which no page, export or API shows;
- an invitation records *that* its person answered (for the response rate and the one reminder),
  never which response is theirs.
Named surveys also store the user and the times, so that owners can see who has not answered.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.organisations.models import Organisation


class SurveyStatus(StrEnum):
    DRAFT = "draft"  #: being built; only its owners see it
    PUBLISHED = "published"  #: answerable between opens_at and closes_at


class QuestionKind(StrEnum):
    SCALE = "scale"  #: a Likert scale, scale_min..scale_max
    CHOICE = "choice"  #: one option
    MULTIPLE = "multiple"  #: any number of options
    TEXT = "text"  #: an open answer


class Survey(CreatedAtMixin, db.Model):
    """A questionnaire attached to exactly one session, offering or pilot."""

    __tablename__ = "survey"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN session_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN offering_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN pilot_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        sa.CheckConstraint("response_count >= 0", name="responses_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Shown above the questions: why, how long it takes, what happens with the answers.
    intro: Mapped[str] = mapped_column(sa.String(2000), default="", nullable=False)
    #: The language the questions are written in ("nl" or "en").
    language: Mapped[str] = mapped_column(sa.String(5), default="nl", nullable=False)
    anonymous: Mapped[bool] = mapped_column(default=True, nullable=False)
    status: Mapped[SurveyStatus] = mapped_column(
        str_enum(SurveyStatus, 12), default=SurveyStatus.DRAFT, index=True, nullable=False
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True, nullable=False)
    #: What it evaluates: exactly one of these.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True
    )
    offering_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("offering.id", ondelete="CASCADE"), index=True
    )
    pilot_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pilot.id", ondelete="CASCADE"), index=True
    )
    #: The same survey run earlier (the start measurement) that this one is compared with.
    baseline_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="SET NULL"), index=True
    )
    #: The built-in template or saved template it was made from, for the record.
    template_key: Mapped[str] = mapped_column(sa.String(60), default="", nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Responses so far, kept by the same transaction that stores a first response.
    response_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: When the invitations and the one reminder went out.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SurveyQuestion.position",
    )
    baseline: Mapped[Survey | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship()

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.status == SurveyStatus.PUBLISHED and self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.status == SurveyStatus.PUBLISHED and (now or utcnow()) >= self.closes_at


class SurveyQuestion(db.Model):
    __tablename__ = "survey_question"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "key"),
        sa.CheckConstraint("scale_max > scale_min", name="scale_has_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Stable across copies of a survey, so that a start and an end measurement can be compared.
    key: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind, 10), nullable=False)
    prompt: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    help_text: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    required: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: For scales: the range and the words at both ends ("helemaal oneens" … "helemaal eens").
    scale_min: Mapped[int] = mapped_column(default=1, nullable=False)
    scale_max: Mapped[int] = mapped_column(default=5, nullable=False)
    low_label: Mapped[str] = mapped_column(sa.String(80), default="", nullable=False)
    high_label: Mapped[str] = mapped_column(sa.String(80), default="", nullable=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list[SurveyOption]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SurveyOption.position",
    )


class SurveyOption(db.Model):
    """One option of a choice or multiple-choice question."""

    __tablename__ = "survey_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_question.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(default=0, nullable=False)
    label: Mapped[str] = mapped_column(sa.String(200), nullable=False)

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")


class SurveyInvitation(db.Model):
    """A person asked to answer. `answered` says that they did, never which response is theirs."""

    __tablename__ = "survey_invitation"
    __table_args__ = (sa.UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(default=False, nullable=False)

    survey: Mapped[Survey] = relationship()
    user: Mapped[User] = relationship()


class SurveyResponse(db.Model):
    """One person's response; see the module note on what an anonymous one leaves out."""

    __tablename__ = "survey_response"
    __table_args__ = (sa.UniqueConstraint("survey_id", "respondent_key"),)

    #: A random key (no order to line up with anything else).
    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: HMAC of survey and user: one response per person, findable only by that person.
    respondent_key: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    #: Named surveys only.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: The respondent's organisation, for results per organisation (shown for groups of 5+).
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    #: Named surveys only.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survey: Mapped[Survey] = relationship()
    user: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    answers: Mapped[list[SurveyAnswer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class SurveyAnswer(db.Model):
    """The answer to one question: a number for scales, text for open questions, and for choice
    questions one `SurveyAnswerOption` row per chosen option."""

    __tablename__ = "survey_answer"

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_question.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    number: Mapped[int | None] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)


class SurveyAnswerOption(db.Model):
    __tablename__ = "survey_answer_option"

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("survey_response.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_option.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SurveyTemplate(CreatedAtMixin, db.Model):
    """A questionnaire saved for reuse by anyone who builds surveys. The built-in templates
    (session and pilot evaluation, in Dutch and English) live in code, not here."""

    __tablename__ = "survey_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl", nullable=False)
    #: [{"key", "kind", "prompt", "help_text", "required", "scale_min", "scale_max",
    #:   "low_label", "high_label", "options": [str]}]
    questions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    created_by: Mapped[User | None] = relationship()
