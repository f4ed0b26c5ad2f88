"""Forms of the development plan and school goal pages, and the words for their statuses and
activity kinds."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from plc.communities.forms import MultiCheckboxField
from plc.core.forms import choices
from plc.development.goals import MAX_TEXT, SuggestionGroup
from plc.development.models import ActivityKind, GoalStatus, SchoolGoalStatus
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain

REQUIRED = _l("This field is required.")
MARKDOWN_HELP = _l("You can use Markdown: lists, **bold**, links.")

GOAL_STATUS_LABELS = {
    GoalStatus.PLANNED: _l("Planned"),
    GoalStatus.IN_PROGRESS: _l("In progress"),
    GoalStatus.ACHIEVED: _l("Achieved"),
    GoalStatus.DROPPED: _l("Dropped"),
}
SCHOOL_GOAL_STATUS_LABELS = {
    SchoolGoalStatus.ACTIVE: _l("Active"),
    SchoolGoalStatus.ACHIEVED: _l("Achieved"),
    SchoolGoalStatus.ARCHIVED: _l("Archived"),
}
ACTIVITY_KIND_LABELS = {
    ActivityKind.COMMUNITY: _l("Community"),
    ActivityKind.SESSION: _l("Live session"),
    ActivityKind.OFFERING: _l("Offering"),
    ActivityKind.OUTPUT: _l("Knowledge output"),
    ActivityKind.QUESTION: _l("Learning question"),
}
SUGGESTION_GROUP_LABELS = {
    SuggestionGroup.COMMUNITIES: _l("Your communities"),
    SuggestionGroup.SESSIONS: _l("Live sessions you signed up for or attended"),
    SuggestionGroup.ENROLMENTS: _l("Offerings you enrolled in"),
    SuggestionGroup.QUESTIONS: _l("Your learning questions"),
    SuggestionGroup.OFFERINGS: _l("Offerings on this goal's themes"),
    SuggestionGroup.OUTPUTS: _l("Knowledge on this goal's themes"),
}
#: The value of "no school goal" in the school goal field.
NO_SCHOOL_GOAL = 0


def _new_key() -> str:
    return uuid.uuid4().hex


class _Resubmittable(FlaskForm):
    """A form that adds something. The key is made when the form is shown; a double click or a
    resent request sends the same key, and the service adds the thing once. Edit forms carry
    it too (they share the fields) but nothing reads it there."""

    idempotency_key = HiddenField(default=_new_key, validators=[Optional(), Length(max=64)])


class GoalForm(_Resubmittable):
    """A goal of the teacher's plan. The view fills the themes and the school goals; the service
    checks the school goal, so that a goal of another school gets its own clear message."""

    title = StringField(_l("Goal"), validators=[InputRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        _l("What you want to reach, and why"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=MARKDOWN_HELP,
    )
    domain = SelectField(
        _l("Competence domain"),
        choices=choices(
            [("", _l("None"))] + [(d.value, DOMAIN_LABELS[d]) for d in CompetenceDomain]
        ),
        validators=[Optional()],
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validators=[Optional()])
    target_date = DateField(_l("Target date"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=choices((s.value, label) for s, label in GOAL_STATUS_LABELS.items()),
        default=GoalStatus.PLANNED.value,
    )
    school_goal = SelectField(
        _l("Development goal of your school it serves"),
        coerce=int,
        validate_choice=False,
        default=NO_SCHOOL_GOAL,
        description=_l("The active goals of your schools and their boards."),
    )


class SchoolGoalForm(_Resubmittable):
    """A development goal of a school or board, from its school plan."""

    title = StringField(_l("Goal"), validators=[InputRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=MARKDOWN_HELP,
    )
    plan_period = StringField(
        _l("School plan period"),
        validators=[Optional(), Length(max=20)],
        description=_l("As the school plan names it, for example 2024-2028."),
    )
    status = SelectField(
        _l("Status"),
        choices=choices((s.value, label) for s, label in SCHOOL_GOAL_STATUS_LABELS.items()),
        default=SchoolGoalStatus.ACTIVE.value,
    )
    themes = MultiCheckboxField(
        _l("Themes"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "The communities, offerings and knowledge outputs on these themes are shown as "
            "serving the goal."
        ),
    )


class ReflectionForm(FlaskForm):
    body = TextAreaField(
        _l("Your reflection"),
        validators=[InputRequired(REQUIRED), Length(max=MAX_TEXT)],
        description=_l("Only you read your reflections. You can use Markdown."),
    )


class ActivityForm(FlaskForm):
    """One button of the picker: what to add. The service checks that it exists and that the
    teacher may see it."""

    kind = SelectField(
        choices=choices((k.value, label) for k, label in ACTIVITY_KIND_LABELS.items()),
        validators=[InputRequired()],
    )
    #: Bounded like the database's integer ids: a larger number is bad input, not a crash.
    target_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
