"""Form fields for what content is about and for whom: shared by outputs and offerings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from plc.auth.forms import career_stage_pairs, school_type_pairs
from plc.communities.forms import MultiCheckboxField
from plc.core.forms import choices
from plc.themes.models import CompetenceDomain

DOMAIN_LABELS = {
    CompetenceDomain.SUBJECT_MATTER: _l("Subject matter"),
    CompetenceDomain.SUBJECT_TEACHING: _l("Subject teaching"),
    CompetenceDomain.PEDAGOGY: _l("Pedagogy"),
}


class AudienceForm(FlaskForm):
    """Themes, school types, career stages and competence domains (the view fills the themes)."""

    themes = MultiCheckboxField(_l("Themes"), coerce=int, validators=[Optional()])
    school_types = MultiCheckboxField(
        _l("School types"),
        choices=choices(p for p in school_type_pairs() if p[0]),
        validators=[Optional()],
    )
    career_stages = MultiCheckboxField(
        _l("Career stages"),
        choices=choices(p for p in career_stage_pairs() if p[0]),
        validators=[Optional()],
    )
    domains = MultiCheckboxField(
        _l("Competence domains"),
        choices=choices((d.value, DOMAIN_LABELS[d]) for d in CompetenceDomain),
        validators=[Optional()],
    )
