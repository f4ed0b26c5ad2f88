"""Resource forms and the words for kinds and licences."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from plc.auth.forms import career_stage_pairs, school_type_pairs
from plc.communities.forms import MultiCheckboxField
from plc.core.forms import choices
from plc.resources.models import Licence, ResourceKind
from plc.resources.uploads import ACCEPTED_DESCRIPTION, accept_attribute

REQUIRED = _l("This field is required.")

KIND_LABELS = {
    ResourceKind.FILE: _l("A file"),
    ResourceKind.LINK: _l("A link to a web page"),
}
LICENCE_LABELS = {
    Licence.CC_BY: _l("CC BY 4.0: others may reuse and adapt it, naming the maker"),
    Licence.CC_BY_SA: _l(
        "CC BY-SA 4.0: others may reuse and adapt it, naming the maker and sharing under the same licence"
    ),
    Licence.CC0: _l("CC0: no rights reserved; anyone may reuse it freely"),
    Licence.ALL_RIGHTS_RESERVED: _l("All rights reserved: ask the maker before reusing it"),
}
#: Short names, for lists.
LICENCE_NAMES = {
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_SA: "CC BY-SA 4.0",
    Licence.CC0: "CC0 1.0",
    Licence.ALL_RIGHTS_RESERVED: _l("All rights reserved"),
}
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


def _size_description() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return str(ACCEPTED_DESCRIPTION % {"size": limit // (1024 * 1024)})


class ResourceForm(FlaskForm):
    kind = RadioField(
        _l("What are you adding?"),
        choices=choices((k.value, KIND_LABELS[k]) for k in ResourceKind),
        default=ResourceKind.FILE.value,
        validators=[InputRequired(REQUIRED)],
    )
    file = FileField(_l("File"), render_kw={"accept": accept_attribute()})
    url = StringField(
        _l("Web address"),
        validators=[Optional(), Length(max=2000)],
        description=_l("For a link: the full address, starting with https://"),
        render_kw={"inputmode": "url", "autocomplete": "url"},
    )
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "What it is, and how you used it. You can use Markdown: **bold**, *italic*, lists and links."
        ),
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validators=[Optional()])
    school_type = SelectField(_l("School type"), validators=[Optional()])
    career_stage = SelectField(_l("Career stage"), validators=[Optional()])
    licence = RadioField(
        _l("Licence"),
        choices=choices((lic.value, LICENCE_LABELS[lic]) for lic in Licence),
        default=Licence.CC_BY.value,
        validators=[InputRequired(REQUIRED)],
        description=_l("Under which terms others may reuse what you share."),
    )

    def __init__(
        self, *args: object, themes: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.file.description = _size_description()
        self.themes.choices = choices(themes or [])
        self.school_type.choices = choices(school_type_pairs())
        self.career_stage.choices = choices(career_stage_pairs())


class VersionForm(FlaskForm):
    file = FileField(_l("The new file"), render_kw={"accept": accept_attribute()})
    note = StringField(
        _l("What changed? (optional)"),
        validators=[Optional(), Length(max=300)],
        description=_l("For example: “Examples for groep 8 added”."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.file.description = _size_description()
