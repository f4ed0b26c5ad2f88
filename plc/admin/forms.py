"""Admin forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length, Optional

REQUIRED = _l("This field is required.")


class ThemeForm(FlaskForm):
    name_nl = StringField(
        _l("Name in Dutch"), validators=[InputRequired(REQUIRED), Length(max=120)]
    )
    name_en = StringField(
        _l("Name in English"), validators=[InputRequired(REQUIRED), Length(max=120)]
    )
    slug = StringField(
        _l("Slug"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "Used in web addresses and feeds. Leave empty to derive it from the Dutch name."
        ),
    )
    active = BooleanField(_l("Can be chosen for new content"), default=True)


class RolesForm(FlaskForm):
    is_admin = BooleanField(_l("Platform administrator"))
    is_coordinator = BooleanField(_l("Network coordinator"))
