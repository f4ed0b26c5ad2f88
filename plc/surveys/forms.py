"""Forms for building surveys: a new survey, its settings, a question, saving as a template; and
the words for question kinds. The answering form is built from the questions themselves (see
`views.answer`), with the CSRF token of `ConfirmForm`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from plc.core.forms import choices
from plc.surveys.models import QuestionKind

REQUIRED = _l("This field is required.")

KIND_LABELS = {
    QuestionKind.SCALE: _l("Scale (for example 1 to 5)"),
    QuestionKind.CHOICE: _l("Multiple choice: one answer"),
    QuestionKind.MULTIPLE: _l("Multiple choice: several answers"),
    QuestionKind.TEXT: _l("Open answer"),
}
LANGUAGE_LABELS = {"nl": _l("Dutch"), "en": _l("English")}
ANONYMITY_LABELS = {
    "anonymous": _l("Anonymous: nobody can see who gave which answer"),
    "named": _l("Named: the owners see who answered what, and who has not answered yet"),
}


class SettingsForm(FlaskForm):
    """What a survey is, and when it runs. Times are Amsterdam wall-clock times."""

    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    intro = TextAreaField(
        _l("Introduction"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Shown above the questions: why you ask, how long it takes, what happens with the answers."
        ),
    )
    anonymous = RadioField(
        _l("Anonymous or named"),
        choices=choices(ANONYMITY_LABELS.items()),
        default="anonymous",
        description=_l("This cannot change once the survey is published."),
    )
    language = SelectField(
        _l("Language of the questions"), choices=choices(LANGUAGE_LABELS.items()), default="nl"
    )
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(REQUIRED)])
    opens_time = TimeField(_l("Opening time"), validators=[InputRequired(REQUIRED)])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired(REQUIRED)])
    closes_time = TimeField(_l("Closing time"), validators=[InputRequired(REQUIRED)])


class NewSurveyForm(SettingsForm):
    source = SelectField(
        _l("Start from"),
        validate_choice=False,
        description=_l(
            "A built-in evaluation, a template colleagues saved, or an empty survey. You can change the questions afterwards."
        ),
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=200)],
        description=_l("Leave empty to use the title of the template."),
    )


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Kind of question"),
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        default=QuestionKind.SCALE.value,
    )
    prompt = TextAreaField(_l("Question"), validators=[InputRequired(REQUIRED), Length(max=500)])
    help_text = StringField(
        _l("Explanation (optional)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Shown below the question."),
    )
    required = BooleanField(_l("An answer is required"), default=True)
    scale_min = IntegerField(
        _l("Scale from"),
        validators=[Optional(), NumberRange(min=0, max=1)],
        default=1,
        description=_l("Scales only: 0 or 1."),
    )
    scale_max = IntegerField(
        _l("Scale to"),
        validators=[Optional(), NumberRange(min=1, max=10)],
        default=5,
        description=_l("Scales only: at most 10."),
    )
    low_label = StringField(
        _l("Word at the low end"),
        validators=[Optional(), Length(max=80)],
        description=_l("Scales only, for example “strongly disagree”."),
    )
    high_label = StringField(
        _l("Word at the high end"),
        validators=[Optional(), Length(max=80)],
        description=_l("Scales only, for example “strongly agree”."),
    )
    options = TextAreaField(
        _l("Options"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Multiple choice only: one option per line, at least two."),
    )


class TemplateForm(FlaskForm):
    name = StringField(
        _l("Name of the template"), validators=[InputRequired(REQUIRED), Length(max=200)]
    )
