"""Notification settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField

from plc.core.forms import choices
from plc.notifications.models import DigestFrequency

DIGEST_LABELS = {
    DigestFrequency.OFF: _l("No e-mail"),
    DigestFrequency.DAILY: _l("Once a day"),
    DigestFrequency.WEEKLY: _l("Once a week"),
}


class SettingsForm(FlaskForm):
    digest = RadioField(
        _l("E-mail summary of what you have not read yet"),
        choices=choices((f.value, DIGEST_LABELS[f]) for f in DigestFrequency),
    )
