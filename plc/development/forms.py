"""Forms of the development record, and the words for where an entry comes from."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from plc.core.errors import ServiceError
from plc.development.models import RecordSource
from plc.development.services import (
    EVIDENCE_EXTENSIONS,
    MAX_DESCRIPTION,
    MAX_PROVIDER,
    MAX_TITLE,
    evidence_limit,
    parse_hours,
)
from plc.resources.uploads import file_size_label

REQUIRED = _l("This field is required.")

SOURCE_LABELS = {
    RecordSource.LIVE_SESSION: _l("Live session"),
    RecordSource.OFFERING: _l("Offering"),
    RecordSource.MANUAL: _l("Own entry"),
}
OUTPUT_LABEL = _l("Knowledge output")


class HoursField(StringField):
    """Hours as the person types them ("1:30" or "1,5"); kept as typed, so a form that comes
    back shows them again. Once validated, `minutes` holds what they mean."""

    minutes: int = 0

    def pre_validate(self, form: Any) -> None:
        try:
            self.minutes = parse_hours(self.data or "")
        except ServiceError as error:
            raise ValidationError(str(error.message)) from None


class EntryForm(FlaskForm):
    title = StringField(
        _l("Activity"),
        validators=[InputRequired(_l("Enter what the activity was.")), Length(max=MAX_TITLE)],
        description=_l("For example: “Course on language-focused subject teaching”."),
    )
    activity_date = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Enter the date of the activity."))],
        invalid_value_message=_l("Enter a valid date."),
        description=_l("When it took place; for a course of several days, the last day."),
    )
    provider = StringField(
        _l("Provider (optional)"),
        validators=[Optional(), Length(max=MAX_PROVIDER)],
        description=_l("Who offered it: a training school, an academy, a conference."),
    )
    description = TextAreaField(
        _l("Description (optional)"),
        validators=[Optional(), Length(max=MAX_DESCRIPTION)],
        description=_l("What it was about and what you took from it."),
    )
    contact_hours = HoursField(
        _l("Contact hours"),
        description=_l(
            "Time in sessions, lessons or meetings: hours and minutes (1:30) or hours (1,5)."
        ),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    self_study_hours = HoursField(
        _l("Self-study hours"),
        description=_l("Time for reading, assignments and preparation, written the same way."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    evidence = FileField(
        _l("Evidence (optional)"),
        render_kw={"accept": ",".join(f".{ext}" for ext in sorted(EVIDENCE_EXTENSIONS))},
    )
    remove_evidence = BooleanField(_l("Remove the current evidence file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.evidence.description = _l(
            "A certificate or proof of attendance: a PDF or an image (JPEG, PNG, GIF or WebP), at most %(size)s.",
            size=file_size_label(evidence_limit()),
        )
