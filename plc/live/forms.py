"""Forms for planning, changing and cancelling sessions, and for the facilitators' notes."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from plc.core.forms import choices
from plc.live.models import Audience, Frequency, SessionMode

REQUIRED = _l("This field is required.")
MODES = choices(
    [
        (SessionMode.ONLINE.value, _l("Online")),
        (SessionMode.IN_PERSON.value, _l("In person")),
        (SessionMode.HYBRID.value, _l("Hybrid (in person and online)")),
    ]
)
AUDIENCES = choices(
    [
        (Audience.MEMBERS.value, _l("Members of the community")),
        (Audience.EVERYONE.value, _l("Every teacher on Leernetwerk Amsterdam")),
    ]
)
REPEATS = choices(
    [
        ("", _l("Once")),
        (Frequency.WEEKLY.value, _l("Every week")),
        (Frequency.BIWEEKLY.value, _l("Every two weeks")),
    ]
)
SCOPES = choices(
    [
        ("this", _l("Only this session")),
        ("following", _l("This session and the following ones in the series")),
    ]
)


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[Optional(), Length(max=20000)],
        description=_l("You can use Markdown: lists, **bold**, links."),
    )
    day = DateField(_l("Date"), validators=[InputRequired(REQUIRED)])
    start = TimeField(_l("Start time"), validators=[InputRequired(REQUIRED)])
    end = TimeField(_l("End time"), validators=[InputRequired(REQUIRED)])
    mode = RadioField(_l("Where"), choices=MODES, default=SessionMode.ONLINE.value)
    location = StringField(
        _l("Address"),
        validators=[Optional(), Length(max=300)],
        description=_l("For in-person and hybrid sessions: school, room, street."),
    )
    video_url = URLField(
        _l("Video-call link"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Teams, Jitsi, BigBlueButton… The live room has chat, questions and polls; the video runs in your own tool."
        ),
    )
    capacity = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Leave empty for no limit. When full, people join a waiting list."),
    )
    audience = RadioField(_l("Who may come"), choices=AUDIENCES, default=Audience.MEMBERS.value)
    submit = SubmitField(_l("Save"))


class NewSessionForm(SessionForm):
    repeat = SelectField(_l("Repeat"), choices=REPEATS, default="")
    occurrences = IntegerField(
        _l("Number of sessions in the series"),
        validators=[Optional(), NumberRange(min=2, max=26)],
        default=6,
    )
    #: Made when the form is shown; a double click or a retried request plans nothing twice.
    idempotency_key = HiddenField(default=lambda: uuid.uuid4().hex)
    submit = SubmitField(_l("Plan the session"))


class EditSessionForm(SessionForm):
    scope = RadioField(_l("Apply the change to"), choices=SCOPES, default="this")


class CancelForm(FlaskForm):
    message = TextAreaField(
        _l("Message to everyone who signed up"),
        validators=[InputRequired(REQUIRED), Length(max=1000)],
    )
    scope = RadioField(_l("Cancel"), choices=SCOPES, default="this")
    submit = SubmitField(_l("Cancel the session"))


class NotesForm(FlaskForm):
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=20000)],
        description=_l("What was discussed and agreed; shown on the summary. Markdown is allowed."),
    )
    submit = SubmitField(_l("Save notes"))
