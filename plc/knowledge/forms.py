"""Forms for knowledge outputs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from plc.core.forms import choices
from plc.knowledge.models import OutputType

OUTPUT_TYPES = choices(
    [
        (OutputType.PRACTICE_EXAMPLE.value, _l("Practice example")),
        (OutputType.GUIDELINE.value, _l("Guideline")),
        (OutputType.TEACHING_MATERIAL.value, _l("Teaching material")),
        (OutputType.RESEARCH_SUMMARY.value, _l("Research summary")),
        (OutputType.EVALUATION_REPORT.value, _l("Evaluation report")),
        (OutputType.MEDIA_LINK.value, _l("Video or podcast")),
    ]
)


class DraftForm(FlaskForm):
    output_type = SelectField(_l("Type"), choices=OUTPUT_TYPES)
    title = StringField(
        _l("Title"), validators=[InputRequired(_l("This field is required.")), Length(max=200)]
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=500)])
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=50000)],
        description=_l(
            "Markdown. Write for colleagues at other schools: what did you learn, and how can they use it?"
        ),
    )
    submit = SubmitField(_l("Save the draft"))
