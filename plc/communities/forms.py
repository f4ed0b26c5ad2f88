"""Community forms and the words for visibility, status and roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from plc.auth.forms import career_stage_pairs, school_type_pairs
from plc.communities.models import CommunityStatus, MemberRole, Visibility
from plc.core.forms import choices

REQUIRED = _l("This field is required.")

VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public"),
    Visibility.REQUEST: _l("On request"),
    Visibility.INVITE: _l("By invitation only"),
}
VISIBILITY_HELP = {
    Visibility.PUBLIC: _l("Anyone can read along; every teacher with an account can join."),
    Visibility.REQUEST: _l(
        "Listed in the directory; members read along; facilitators approve requests to join."
    ),
    Visibility.INVITE: _l("Invisible to everyone but its members; people join by invitation."),
}
STATUS_LABELS = {
    CommunityStatus.FORMING: _l("Forming"),
    CommunityStatus.ACTIVE: _l("Active"),
    CommunityStatus.CLOSED: _l("Closed (archive)"),
}
MEMBER_ROLE_LABELS = {
    MemberRole.MEMBER: _l("Member"),
    MemberRole.FACILITATOR: _l("Facilitator"),
    MemberRole.OWNER: _l("Owner"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CommunityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(REQUIRED), Length(max=160)])
    summary = StringField(
        _l("Summary"),
        validators=[InputRequired(REQUIRED), Length(max=300)],
        description=_l("One or two sentences, shown in the directory and in search results."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=20000)],
        description=_l(
            "What the community works on, for whom, and how. You can use Markdown: **bold**, *italic*, lists and links."
        ),
    )
    visibility = RadioField(
        _l("Who can find and join it"),
        choices=choices((v.value, VISIBILITY_LABELS[v]) for v in Visibility),
        default=Visibility.PUBLIC.value,
        validators=[InputRequired(REQUIRED)],
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validators=[Optional()])
    school_types = MultiCheckboxField(_l("School types"), validators=[Optional()])
    career_stages = MultiCheckboxField(_l("Career stages"), validators=[Optional()])

    def __init__(
        self, *args: object, themes: list[tuple[int, str]] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.themes.choices = choices(themes or [])
        self.school_types.choices = choices(pair for pair in school_type_pairs() if pair[0])
        self.career_stages.choices = choices(pair for pair in career_stage_pairs() if pair[0])


class NewCommunityForm(CommunityForm):
    organisation = SelectField(
        _l("Owned by"),
        coerce=int,
        validators=[InputRequired(REQUIRED)],
        description=_l(
            "Your organisation owns the community; you can invite other organisations as co-owners afterwards."
        ),
    )


class JoinRequestForm(FlaskForm):
    note = TextAreaField(
        _l("Why would you like to join? (optional)"), validators=[Optional(), Length(max=500)]
    )


class InviteForm(FlaskForm):
    who = StringField(
        _l("Name or e-mail address"),
        validators=[InputRequired(REQUIRED), Length(max=254)],
        description=_l("Someone without an account receives an invitation by e-mail."),
    )


class CoOwnerForm(FlaskForm):
    organisation = StringField(
        _l("Organisation"),
        validators=[InputRequired(REQUIRED), Length(max=200)],
        description=_l(
            "The name of a school, board, training school, academy or institute, or a school's DUO code."
        ),
    )


class CoOwnershipDecisionForm(FlaskForm):
    contact = SelectField(_l("Contact person"), coerce=int, validators=[Optional()])


class MemberRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=choices((r.value, MEMBER_ROLE_LABELS[r]) for r in MemberRole)
    )


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=choices((s.value, STATUS_LABELS[s]) for s in CommunityStatus)
    )
