"""Forms of the pilot pages, and the words for statuses, timeline steps and criteria."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from plc.communities.forms import MultiCheckboxField
from plc.pilots.models import PilotEventKind, PilotStatus
from plc.pilots.services import MAX_NOTE, MAX_ORGANISATIONS, MAX_REASON, MAX_SHORT, MAX_TEXT

REQUIRED = _l("This field is required.")
MARKDOWN_HELP = _l("You can use Markdown: lists, **bold**, links.")
#: Organisation rows the form starts with; "Add another organisation" adds one more.
ORGANISATION_ROWS = 3

STATUS_LABELS = {
    PilotStatus.PROPOSED: _l("Proposed: waiting for approval"),
    PilotStatus.CHANGES_REQUESTED: _l("Changes asked for"),
    PilotStatus.APPROVED: _l("Approved, not started yet"),
    PilotStatus.RUNNING: _l("Running"),
    PilotStatus.EVALUATING: _l("Being evaluated"),
    PilotStatus.CONCLUDED: _l("Concluded"),
    PilotStatus.STOPPED: _l("Stopped"),
}
#: Short words for filters and badges.
STATUS_SHORT = {
    PilotStatus.PROPOSED: _l("Proposed"),
    PilotStatus.CHANGES_REQUESTED: _l("Changes asked for"),
    PilotStatus.APPROVED: _l("Approved"),
    PilotStatus.RUNNING: _l("Running"),
    PilotStatus.EVALUATING: _l("Being evaluated"),
    PilotStatus.CONCLUDED: _l("Concluded"),
    PilotStatus.STOPPED: _l("Stopped"),
}
EVENT_LABELS = {
    PilotEventKind.PROPOSED: _l("Proposed for approval"),
    PilotEventKind.EDITED: _l("Charter changed"),
    PilotEventKind.APPROVED_BY: _l("Approved on behalf of %(organisation)s"),
    PilotEventKind.CHANGES_REQUESTED: _l("Changes asked on behalf of %(organisation)s"),
    PilotEventKind.APPROVED: _l("Approved by every organisation"),
    PilotEventKind.STARTED: _l("Started"),
    PilotEventKind.EVALUATING: _l("Evaluation started"),
    PilotEventKind.CONCLUDED: _l("Concluded with its evaluation report"),
    PilotEventKind.STOPPED: _l("Stopped"),
    PilotEventKind.COMMENT: _l("Comment"),
}


class ParticipantForm(Form):
    """One participating organisation; an empty row is no organisation. No CSRF of its own:
    the charter form carries it."""

    organisation = StringField(
        _l("Organisation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Its name or a school's DUO code. Empty the name to take it off."),
    )
    contact = StringField(
        _l("Contact"),
        validators=[Optional(), Length(max=254)],
        description=_l("Name or e-mail address of an approved member; approves the charter."),
    )
    sponsor = StringField(
        _l("Sponsor (school leader or HR advisor)"),
        validators=[Optional(), Length(max=254)],
        description=_l("Name or e-mail address; of the organisation or its board."),
    )
    contribution = TextAreaField(
        _l("What it contributes"),
        validators=[Optional(), Length(max=MAX_SHORT)],
        description=_l("People, hours, a location, expertise…"),
    )
    dependency = TextAreaField(
        _l("What it depends on from the others"),
        validators=[Optional(), Length(max=MAX_SHORT)],
    )


class CharterForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=500)],
        description=_l("One or two sentences for the overview of all pilots."),
    )
    communities = MultiCheckboxField(
        _l("Communities it grows from"), coerce=int, validators=[Optional()]
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validators=[Optional()])
    questions = MultiCheckboxField(
        _l("Learning questions it starts from"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "Open questions that fit its communities, and those they adopted. Save the form "
            "after choosing communities to see more."
        ),
    )
    offerings = MultiCheckboxField(
        _l("Related offerings"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "Published offerings of the participating organisations or on the pilot's themes."
        ),
    )
    goals = TextAreaField(
        _l("Goals"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=MARKDOWN_HELP,
    )
    activities = TextAreaField(
        _l("Planned activities"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=MARKDOWN_HELP,
    )
    evaluation_plan = TextAreaField(
        _l("Evaluation plan"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l(
            "How you will know what it brought: surveys, observations, the evaluation report."
        ),
    )
    sharing_plan = TextAreaField(
        _l("Knowledge-sharing plan"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=_l("What reaches all Amsterdam schools, and how."),
    )
    starts_on = DateField(_l("Start date"), validators=[InputRequired(REQUIRED)])
    ends_on = DateField(_l("End date"), validators=[InputRequired(REQUIRED)])
    organisations = FieldList(
        FormField(ParticipantForm),
        min_entries=ORGANISATION_ROWS,
        max_entries=MAX_ORGANISATIONS,
    )
    change_note = StringField(
        _l("What changed (for the timeline)"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        description=_l("The contacts read this when they approve again."),
    )


class RunningCharterForm(FlaskForm):
    """What may change while the pilot runs."""

    activities = TextAreaField(
        _l("Planned activities"),
        validators=[Optional(), Length(max=MAX_TEXT)],
        description=MARKDOWN_HELP,
    )
    evaluation_plan = TextAreaField(
        _l("Evaluation plan"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    sharing_plan = TextAreaField(
        _l("Knowledge-sharing plan"), validators=[Optional(), Length(max=MAX_TEXT)]
    )
    ends_on = DateField(_l("End date"), validators=[InputRequired(REQUIRED)])
    change_note = StringField(
        _l("What changed (for the timeline)"), validators=[Optional(), Length(max=MAX_NOTE)]
    )


class ApprovalForm(FlaskForm):
    """A contact's answer for one organisation: approve, or ask for changes. The version says
    which charter they read."""

    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), Length(max=MAX_SHORT)],
        description=_l(
            "Optional with an approval; say what should change when you ask for changes."
        ),
    )


class StepForm(FlaskForm):
    """A lifecycle step with an optional word for the timeline."""

    comment = TextAreaField(
        _l("Comment for the timeline (optional)"), validators=[Optional(), Length(max=MAX_SHORT)]
    )


class ConcludeForm(FlaskForm):
    report = SelectField(
        _l("Evaluation report"),
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
        description=_l(
            "A published knowledge output of the type evaluation report, from one of the "
            "pilot's communities."
        ),
    )
    comment = TextAreaField(
        _l("Comment for the timeline (optional)"), validators=[Optional(), Length(max=MAX_SHORT)]
    )


class StopForm(FlaskForm):
    reason = TextAreaField(
        _l("Why the pilot stops"),
        validators=[Optional(), Length(max=MAX_REASON)],
        description=_l("Everyone who reads the pilot sees this."),
    )


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Your comment"), validators=[Optional(), Length(max=MAX_SHORT)])
