"""Organisation forms, and the words for kinds and roles in both languages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, InputRequired, Length, Optional

from plc.core.forms import choices
from plc.organisations.models import Organisation, OrganisationKind, OrganisationRole

REQUIRED = _l("This field is required.")

KIND_LABELS = {
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.BOARD: _l("School board"),
    OrganisationKind.TRAINING_SCHOOL: _l("Training school"),
    OrganisationKind.ACADEMY: _l("In-house academy"),
    OrganisationKind.INSTITUTE: _l("Teacher-education institute"),
    OrganisationKind.NETWORK: _l("Network"),
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
}
KIND_PLURALS = {
    OrganisationKind.SCHOOL: _l("Schools"),
    OrganisationKind.BOARD: _l("School boards"),
    OrganisationKind.TRAINING_SCHOOL: _l("Training schools"),
    OrganisationKind.ACADEMY: _l("In-house academies"),
    OrganisationKind.INSTITUTE: _l("Teacher-education institutes"),
    OrganisationKind.NETWORK: _l("Networks"),
    OrganisationKind.MUNICIPALITY: _l("Municipalities"),
}
ROLE_LABELS = {
    OrganisationRole.TEACHER: _l("Teacher"),
    OrganisationRole.SCHOOL_LEADER: _l("School leader"),
    OrganisationRole.HR_ADVISOR: _l("HR advisor"),
    OrganisationRole.BOARD_MEMBER: _l("Board member"),
    OrganisationRole.PROVIDER_STAFF: _l("Provider staff"),
    OrganisationRole.ADMIN: _l("Organisation administrator"),
}
#: Which roles make sense in which kind of organisation.
ROLES_BY_KIND = {
    OrganisationKind.SCHOOL: [
        OrganisationRole.TEACHER,
        OrganisationRole.SCHOOL_LEADER,
        OrganisationRole.HR_ADVISOR,
        OrganisationRole.ADMIN,
    ],
    OrganisationKind.BOARD: [
        OrganisationRole.BOARD_MEMBER,
        OrganisationRole.HR_ADVISOR,
        OrganisationRole.SCHOOL_LEADER,
        OrganisationRole.ADMIN,
    ],
    OrganisationKind.MUNICIPALITY: [OrganisationRole.PROVIDER_STAFF, OrganisationRole.ADMIN],
}
PROVIDER_ROLES = [OrganisationRole.PROVIDER_STAFF, OrganisationRole.TEACHER, OrganisationRole.ADMIN]


def roles_for(organisation: Organisation) -> list[OrganisationRole]:
    return ROLES_BY_KIND.get(organisation.kind, PROVIDER_ROLES)


class ClaimRoleForm(FlaskForm):
    role = SelectField(_l("Your role here"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(
        _l("Note for the administrator"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "For example your position or team. The organisation's administrator approves your role."
        ),
    )

    def __init__(self, organisation: Organisation, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices(
            (role.value, ROLE_LABELS[role]) for role in roles_for(organisation)
        )


class OrganisationEditForm(FlaskForm):
    description = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=2000)])
    website = URLField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=255),
            URL(require_tld=True, message=_l("Enter a full web address, starting with https://.")),
        ],
    )


class OrganisationCreateForm(OrganisationEditForm):
    kind = SelectField(
        _l("Kind"),
        choices=choices((kind.value, label) for kind, label in KIND_LABELS.items()),
        validators=[InputRequired(REQUIRED)],
    )
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=200)])
    city = StringField(_l("Place"), validators=[Optional(), Length(max=100)])
    parent = SelectField(
        _l("School board"),
        choices=[],
        validate_choice=False,
        validators=[Optional()],
        description=_l("For a school or an in-house academy: the board it belongs to."),
    )


class ListedForm(FlaskForm):
    listed = BooleanField(_l("Show me in this organisation's list of people"))


class PartnerForm(FlaskForm):
    organisation = StringField(
        _l("Partner organisation"),
        validators=[InputRequired(REQUIRED), Length(max=200)],
        description=_l(
            "The name of a school, institute or other organisation, or a school's DUO code."
        ),
    )
