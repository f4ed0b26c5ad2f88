"""Discussion forms. Each posting form carries a key that makes a resubmission harmless."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

REQUIRED = _l("This field is required.")
MARKDOWN_HELP = _l(
    "You can use Markdown: **bold**, *italic*, lists, > quotes and links. Mention a member with @ and their name."
)


def _new_key() -> str:
    return uuid.uuid4().hex


class _Posting(FlaskForm):
    #: Made when the form is shown; a double click or a retried request sends the same key.
    idempotency_key = HiddenField(default=_new_key)
    preview = SubmitField(_l("Preview"))


class ThreadForm(_Posting):
    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), Length(max=200)])
    body = TextAreaField(
        _l("Message"),
        validators=[InputRequired(REQUIRED), Length(max=20000)],
        description=MARKDOWN_HELP,
    )


class ReplyForm(_Posting):
    body = TextAreaField(
        _l("Your reply"),
        validators=[InputRequired(REQUIRED), Length(max=20000)],
        description=MARKDOWN_HELP,
    )
    #: The post being quoted (a hidden input, so `hidden_tag()` carries it).
    quote_of = IntegerField(validators=[Optional()], widget=HiddenInput())


class EditPostForm(FlaskForm):
    body = TextAreaField(
        _l("Message"),
        validators=[InputRequired(REQUIRED), Length(max=20000)],
        description=MARKDOWN_HELP,
    )
    preview = SubmitField(_l("Preview"))


class ReportForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with this message?"),
        validators=[InputRequired(REQUIRED), Length(max=1000)],
        description=_l(
            "The facilitators of the community see your report and tell you what they decided."
        ),
    )
