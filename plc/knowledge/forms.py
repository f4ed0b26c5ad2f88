"""Forms for knowledge outputs, and the words for their types, states and domains."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from plc.communities.forms import MultiCheckboxField
from plc.core.forms import choices
from plc.knowledge.models import OutputStatus, OutputType, VersionState
from plc.resources.forms import LICENCE_LABELS
from plc.resources.models import Licence
from plc.resources.uploads import accept_attribute
from plc.themes.forms import AudienceForm

REQUIRED = _l("This field is required.")

TYPE_LABELS = {
    OutputType.PRACTICE_EXAMPLE: _l("Practice example"),
    OutputType.GUIDELINE: _l("Guideline"),
    OutputType.TEACHING_MATERIAL: _l("Teaching material"),
    OutputType.RESEARCH_SUMMARY: _l("Research summary"),
    OutputType.EVALUATION_REPORT: _l("Evaluation report"),
    OutputType.MEDIA_LINK: _l("Video or podcast"),
}
STATUS_LABELS = {
    OutputStatus.DRAFT: _l("Draft"),
    OutputStatus.IN_REVIEW: _l("In review"),
    OutputStatus.PUBLISHED: _l("Published"),
    OutputStatus.WITHDRAWN: _l("Withdrawn"),
}
VERSION_LABELS = {
    VersionState.DRAFT: _l("Draft"),
    VersionState.IN_REVIEW: _l("In review"),
    VersionState.PUBLISHED: _l("Published"),
    VersionState.SUPERSEDED: _l("Earlier version"),
}
OUTPUT_TYPES = choices((t.value, TYPE_LABELS[t]) for t in OutputType)


class OutputForm(AudienceForm):
    """Text of the open version and the output's description. Choices that depend on the
    community (themes, authors, organisations) are filled by the view."""

    output_type = SelectField(_l("Type"), choices=OUTPUT_TYPES)
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=500)],
        description=_l("One or two sentences for lists, search results and feeds."),
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Optional(), Length(max=50000)],
        description=_l(
            "Markdown. Write for colleagues at other schools: what did you learn, and how can they use it?"
        ),
    )
    media_url = StringField(
        _l("Address of the video or podcast"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For a video or podcast: the full address, starting with https://"),
        render_kw={"inputmode": "url"},
    )
    change_note = StringField(
        _l("What changed in this version"),
        validators=[Optional(), Length(max=500)],
        description=_l("Readers of earlier versions see this note."),
    )
    authors = MultiCheckboxField(
        _l("Authors"),
        coerce=int,
        validators=[Optional()],
        description=_l("Members who contributed; they are named in the citation."),
    )
    organisations = MultiCheckboxField(
        _l("Contributing organisations"), coerce=int, validators=[Optional()]
    )
    questions = MultiCheckboxField(
        _l("Learning questions it answers"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "Open questions of teachers and schools that fit this community; the askers see the output with their question."
        ),
    )
    licence = RadioField(
        _l("Licence"),
        choices=choices((lic.value, LICENCE_LABELS[lic]) for lic in Licence),
        default=Licence.CC_BY.value,
        validators=[InputRequired(REQUIRED)],
    )


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), render_kw={"accept": accept_attribute()})


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment for the authors"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Required when you ask for changes."),
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it withdrawn?"),
        validators=[InputRequired(REQUIRED), Length(max=1000)],
        description=_l("Readers who follow a link to this output will see this reason."),
    )


class UseForm(FlaskForm):
    """The "we use this" form: which school (if the person speaks for several) and a note."""

    school = SelectField(_l("School"), coerce=int, validate_choice=False)
    note = TextAreaField(
        _l("How does your school use it? (optional)"),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters."))],
        description=_l("Members of the community that made it can read this note."),
    )
