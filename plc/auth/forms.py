"""Account forms. Rules live in the services; forms check shape and required fields."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from plc.auth.models import CareerStage, SchoolType
from plc.auth.passwords import MAX_LENGTH
from plc.auth.privacy import CONFIRMATION_WORD
from plc.core.forms import choices

REQUIRED = _l("This field is required.")


def career_stage_pairs() -> list[tuple[str, Any]]:
    return [
        ("", _l("Not specified")),
        (CareerStage.STUDENT.value, _l("Student teacher")),
        (CareerStage.STARTER.value, _l("Beginning teacher")),
        (CareerStage.EXPERIENCED.value, _l("Experienced teacher")),
        (CareerStage.EXPERT.value, _l("Expert teacher")),
    ]


def school_type_pairs() -> list[tuple[str, Any]]:
    return [
        ("", _l("Not specified")),
        (SchoolType.PRIMARY.value, _l("Primary education (po)")),
        (SchoolType.SECONDARY.value, _l("Secondary education (vo)")),
        (SchoolType.VOCATIONAL.value, _l("Vocational education (mbo)")),
    ]


def career_stage_choices() -> list[SelectChoice]:
    return choices(career_stage_pairs())


def school_type_choices() -> list[SelectChoice]:
    return choices(school_type_pairs())


def language_choices() -> list[SelectChoice]:
    return choices(
        [("", _l("As chosen with the language switch")), ("nl", "Nederlands"), ("en", "English")]
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        validators=[InputRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(REQUIRED), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words together work well."),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo("password", _l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy statement and I accept it"),
        validators=[DataRequired(_l("Accept the privacy statement to create an account."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[InputRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(REQUIRED), Length(max=MAX_LENGTH)],
        description=_l("At least 12 characters. A few unrelated words together work well."),
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo("password", _l("The passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name"),
        validators=[InputRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    career_stage = SelectField(_l("Career stage"), choices=career_stage_choices)
    school_type = SelectField(_l("School type"), choices=school_type_choices)
    subjects = StringField(
        _l("Subjects"),
        validators=[Length(max=600)],
        description=_l("Separate subjects with commas, for example: wiskunde, natuurkunde."),
    )
    bio = TextAreaField(
        _l("About me"),
        validators=[Length(max=1000, message=_l("Use at most %(max)d characters."))],
        description=_l("A few sentences for your colleagues. At most 1000 characters."),
    )
    preferred_language = SelectField(_l("Language"), choices=language_choices)
    show_profile_to_members = BooleanField(
        _l("Show my school and career stage to the members of my communities"), default=True
    )


def career_stage_label(value: CareerStage | str | None) -> str:
    return str(dict(career_stage_pairs()).get(str(value) if value else "", ""))


def school_type_label(value: SchoolType | str | None) -> str:
    return str(dict(school_type_pairs()).get(str(value) if value else "", ""))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    confirmation = StringField(
        # The word is the service's, so that the label and the check never differ.
        _l("Type %(word)s to confirm", word=CONFIRMATION_WORD),
        validators=[InputRequired(REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
