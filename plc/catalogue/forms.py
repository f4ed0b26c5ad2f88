"""Forms of the catalogue: an offering (with its meetings), cancelling, enrolling; and the words
for formats, costs, scopes and enrolment statuses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from plc.catalogue.models import CostKind, EnrolmentScope, EnrolmentStatus, OfferingFormat
from plc.catalogue.services import MAX_MEETINGS
from plc.core.forms import choices
from plc.themes.forms import AudienceForm

REQUIRED = _l("This field is required.")
#: Meeting rows the form offers; a course with more meetings is entered in two goes.
MEETING_ROWS = 10

FORMAT_LABELS = {
    OfferingFormat.COURSE: _l("Course"),
    OfferingFormat.WORKSHOP: _l("Workshop"),
    OfferingFormat.MASTERCLASS: _l("Masterclass"),
    OfferingFormat.INTERVISION: _l("Intervision"),
    OfferingFormat.LESSON_STUDY: _l("Lesson study"),
    OfferingFormat.PEER_OBSERVATION: _l("Peer observation"),
    OfferingFormat.LEARNING_NETWORK: _l("Learning network"),
    OfferingFormat.COACHING: _l("Coaching"),
    OfferingFormat.CONFERENCE: _l("Conference"),
}
COST_LABELS = {
    CostKind.FREE: _l("Free"),
    CostKind.AMOUNT: _l("An amount the participant pays"),
    CostKind.SCHOOL_PAYS: _l("Paid by the participant's school"),
}
SCOPE_LABELS = {
    EnrolmentScope.EVERYONE: _l("Open to every Amsterdam teacher"),
    EnrolmentScope.OWN_BOARD: _l("Only teachers of our own board"),
}
STATUS_LABELS = {
    EnrolmentStatus.AWAITING_APPROVAL: _l("Awaiting approval"),
    EnrolmentStatus.ENROLLED: _l("Enrolled"),
    EnrolmentStatus.WAITLISTED: _l("Waiting list"),
    EnrolmentStatus.CANCELLED: _l("Cancelled"),
    EnrolmentStatus.DECLINED: _l("Not approved"),
    EnrolmentStatus.COMPLETED: _l("Completed"),
}


class DecimalCommaField(DecimalField):
    """A decimal that also takes the Dutch decimal comma ("4,5")."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata([value.replace(",", ".") for value in valuelist])


class MeetingForm(Form):
    """One meeting row, in Amsterdam time; an empty row is no meeting. No CSRF of its own: the
    offering form carries it."""

    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Start time"), validators=[Optional()])
    end = TimeField(_l("End time"), validators=[Optional()])
    location = StringField(_l("Location (if different)"), validators=[Optional(), Length(max=300)])


class OfferingForm(AudienceForm):
    provider = SelectField(_l("Offered by"), coerce=int, validate_choice=False)
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    format = SelectField(
        _l("Format"), choices=choices((f.value, FORMAT_LABELS[f]) for f in OfferingFormat)
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=500)],
        description=_l("One or two sentences for the catalogue and for matches."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l("You can use Markdown: lists, **bold**, links."),
    )
    location = StringField(
        _l("Location"),
        validators=[Optional(), Length(max=300)],
        description=_l("School, street and room; leave empty for an online offering."),
    )
    online = BooleanField(_l("(Partly) online"))
    capacity = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Leave empty for no limit. When full, people join a waiting list."),
    )
    cost_kind = RadioField(
        _l("Cost"),
        choices=choices((c.value, COST_LABELS[c]) for c in CostKind),
        default=CostKind.FREE.value,
    )
    cost = DecimalCommaField(
        _l("Price in euros"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=100000)],
        description=_l("Not for a free offering."),
    )
    needs_leader_approval = BooleanField(
        _l("The participant's school leader approves each enrolment first"),
        description=_l("Only when the school pays."),
    )
    contact_hours = DecimalCommaField(
        _l("Contact hours"), places=1, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    self_study_hours = DecimalCommaField(
        _l("Self-study hours"), places=1, validators=[Optional(), NumberRange(min=0, max=1000)]
    )
    scope = RadioField(
        _l("Who may enrol"),
        choices=choices((s.value, SCOPE_LABELS[s]) for s in EnrolmentScope),
        default=EnrolmentScope.EVERYONE.value,
        description=_l(
            "Leernetwerk Amsterdam asks providers to open their offerings to every Amsterdam teacher."
        ),
    )
    #: Up to the services' limit, so that editing an offering with many meetings loses none.
    meetings = FieldList(FormField(MeetingForm), min_entries=MEETING_ROWS, max_entries=MAX_MEETINGS)


class CancelOfferingForm(FlaskForm):
    message = TextAreaField(
        _l("Message to everyone enrolled or waiting"),
        validators=[InputRequired(REQUIRED), Length(max=2000)],
    )


class EnrolForm(FlaskForm):
    school = SelectField(
        _l("The school that pays"),
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
    )
    note = TextAreaField(
        _l("Note for the provider (optional)"),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters."))],
    )
