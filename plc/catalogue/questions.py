"""Learning questions (*leervragen*): the list, asking, the question's page with its matches,
"I have this question too", and the asker's status changes. Also the reverse matches on an
offering's page and a community's home page."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from plc.auth.forms import career_stage_pairs, school_type_pairs
from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import matching, services
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    Offering,
    QuestionVisibility,
    Urgency,
)
from plc.communities import services as communities
from plc.communities.models import Community
from plc.core import pagecache
from plc.core.errors import ServiceError
from plc.core.filters import profile_filter_args
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.extensions import db
from plc.knowledge import queries as knowledge_queries
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain
from plc.themes.services import list_themes

bp = Blueprint("questions", __name__)

PER_PAGE = 20
REQUIRED = _l("This field is required.")
URGENCY_LABELS = {
    Urgency.LOW: _l("Not urgent"),
    Urgency.NORMAL: _l("Normal"),
    Urgency.HIGH: _l("Urgent"),
}
STATUS_LABELS = {
    LearningQuestionStatus.OPEN: _l("Open"),
    LearningQuestionStatus.ANSWERED: _l("Answered"),
    LearningQuestionStatus.ADOPTED: _l("Adopted by a community"),
    LearningQuestionStatus.CLOSED: _l("Closed"),
}
VISIBILITY_LABELS = {
    QuestionVisibility.EVERYONE: _l("Everyone on the platform"),
    QuestionVisibility.SCHOOL: _l("My school"),
    QuestionVisibility.PRIVATE: _l("Only me"),
}
#: The value of the "asked by" field for a personal question.
PERSONAL = "me"


# -- forms -------------------------------------------------------------------------------------


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionForm(FlaskForm):
    #: Made when the form is shown; a double click or a retried request sends the same key.
    idempotency_key = HiddenField(default=lambda: uuid.uuid4().hex)
    asked_for = SelectField(_l("Asked by"), default=PERSONAL)
    title = StringField(
        _l("What do you want to learn?"),
        validators=[InputRequired(REQUIRED), Length(max=200)],
        description=_l("One line, for example: How do I give feedback that pupils act on?"),
    )
    body = TextAreaField(
        _l("Explanation"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Why you ask, what you tried, what would help. Plain text."),
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int)
    domain = SelectField(_l("Competence domain"))
    career_stage = SelectField(_l("Career stage"))
    school_type = SelectField(_l("School type"))
    urgency = RadioField(
        _l("Urgency"),
        choices=choices((u.value, URGENCY_LABELS[u]) for u in Urgency),
        default=Urgency.NORMAL.value,
    )
    # Everyone by default: the point of a learning question here is that colleagues elsewhere
    # can say "me too" and providers see the demand; the help text says so before it is posted.
    visibility = RadioField(
        _l("Who can see it"),
        choices=choices((v.value, VISIBILITY_LABELS[v]) for v in QuestionVisibility),
        default=QuestionVisibility.EVERYONE.value,
        description=_l(
            "Everyone: colleagues at other schools can say they have this question too, and "
            "providers see what Amsterdam wants to learn. My school: only colleagues at your "
            "school. Only me: you (and, for a school's question, its leaders). Suggestions "
            "appear whatever you choose."
        ),
    )
    submit = SubmitField(_l("Save"))


class ResolveForm(FlaskForm):
    status = RadioField(
        _l("Status"), choices=choices((s.value, STATUS_LABELS[s]) for s in LearningQuestionStatus)
    )
    community = SelectField(_l("Community that took it up"), coerce=int, validate_choice=False)
    resolution = TextAreaField(
        _l("How it was answered, or why it is closed"), validators=[Optional(), Length(max=1000)]
    )
    submit = SubmitField(_l("Save status"))


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def _question_form(schools: list[Any], **kwargs: Any) -> QuestionForm:
    form = QuestionForm(**kwargs)
    language = current_language()
    form.themes.choices = choices((t.id, t.name(language)) for t in list_themes())
    form.domain.choices = choices(
        _blank(_("No particular domain")) + [(d.value, DOMAIN_LABELS[d]) for d in CompetenceDomain]
    )
    form.career_stage.choices = choices(_blank(_("Any career stage")) + career_stage_pairs()[1:])
    form.school_type.choices = choices(_blank(_("Any school type")) + school_type_pairs()[1:])
    form.asked_for.choices = choices(
        [(PERSONAL, _("Me (a personal question)"))]
        + [(str(s.id), _("%(school)s (the school's question)", school=s.name)) for s in schools]
    )
    return form


def _fields(form: QuestionForm) -> services.QuestionFields:
    return services.QuestionFields(
        title=form.title.data or "",
        body=form.body.data or "",
        theme_ids=list(form.themes.data or []),
        domain=CompetenceDomain(form.domain.data) if form.domain.data else None,
        career_stage=CareerStage(form.career_stage.data) if form.career_stage.data else None,
        school_type=SchoolType(form.school_type.data) if form.school_type.data else None,
        urgency=Urgency(form.urgency.data or Urgency.NORMAL.value),
        visibility=QuestionVisibility(form.visibility.data or QuestionVisibility.EVERYONE.value),
    )


# -- pages -------------------------------------------------------------------------------------


def _filters() -> services.QuestionFilters:
    args = request.args
    domain, status = args.get("domein", ""), args.get("status", LearningQuestionStatus.OPEN.value)
    return services.QuestionFilters(
        **profile_filter_args(args),
        domain=CompetenceDomain(domain) if domain in set(CompetenceDomain) else None,
        status=LearningQuestionStatus(status) if status in set(LearningQuestionStatus) else None,
        who=args.get("wie", "") if args.get("wie") in ("mine", "school") else "",
        sort="newest" if args.get("sortering") == "nieuw" else "demand",
    )


@bp.get("/leervragen")
@login_required
def index() -> str:
    filters = _filters()
    page = db.paginate(
        services.question_list_query(filters, current_user), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "catalogue/questions/index.html", page=page, filters=filters, themes=list_themes()
    )


@bp.route("/leervragen/nieuw", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    schools = services.schools_of(current_user, services.SCHOOL_ROLES)
    form = _question_form(schools)
    if form.validate_on_submit():
        school = next((s for s in schools if str(s.id) == form.asked_for.data), None)
        try:
            question = services.ask(
                current_user,  # type: ignore[arg-type]
                _fields(form),
                school=school,
                key=form.idempotency_key.data,
            )
            matching.remember_matches(question)
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("Your learning question is saved. Below are suggestions that fit it."), "success"
            )
            return redirect(url_for("questions.show", question_id=question.id))
    return render_template("catalogue/questions/form.html", form=form, question=None)


def _load(question_id: int) -> LearningQuestion:
    question = services.question_for(question_id, current_user)
    require(question is not None)
    return question  # type: ignore[return-value]


@bp.get("/leervragen/<int:question_id>")
@login_required
@pagecache.for_visitors(members=True)
def show(question_id: int) -> str:
    question = _load(question_id)
    found = matching.suggestions_for(question, current_user)
    can_change = services.can_change_question(question, current_user)
    resolve_form = None
    if can_change:
        resolve_form = ResolveForm(status=question.status.value)
        options = communities.my_communities(current_user)  # type: ignore[arg-type]
        options += [s.target for s in found.communities if s.target not in options]
        resolve_form.community.choices = choices((c.id, c.name) for c in options)
        resolve_form.community.data = question.adopted_by_id
    return render_template(
        "catalogue/questions/show.html",
        question=question,
        found=found,
        answered_by=knowledge_queries.outputs_answering(question.id),
        reasons=lambda s: matching.reasons(s, question, current_language()),
        supports=services.supports(question, current_user),
        can_change=can_change,
        resolve_form=resolve_form,
        confirm=ConfirmForm(),
    )


@bp.route("/leervragen/<int:question_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(question_id: int) -> str | Response:
    question = _load(question_id)
    require(services.can_change_question(question, current_user))
    form = _question_form([], obj=None)
    del form.asked_for  # who asked does not change
    if request.method == "GET":
        form.process(
            data={
                "title": question.title,
                "body": question.body,
                "themes": [t.id for t in question.themes],
                "domain": question.domain.value if question.domain else "",
                "career_stage": question.career_stage.value if question.career_stage else "",
                "school_type": question.school_type.value if question.school_type else "",
                "urgency": question.urgency.value,
                "visibility": question.visibility.value,
            }
        )
    elif form.validate_on_submit():
        try:
            services.update_question(question, current_user, _fields(form))  # type: ignore[arg-type]
            matching.remember_matches(question)
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your learning question is updated."), "success")
            return redirect(url_for("questions.show", question_id=question.id))
    return render_template("catalogue/questions/form.html", form=form, question=question)


@bp.post("/leervragen/<int:question_id>/ook")
@login_required
def support(question_id: int) -> Response:
    question = _load(question_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            if request.form.get("withdraw"):
                services.withdraw_support(question, current_user)  # type: ignore[arg-type]
            else:
                services.support(question, current_user)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
    return redirect(url_for("questions.show", question_id=question.id))


@bp.post("/leervragen/<int:question_id>/status")
@login_required
def resolve(question_id: int) -> str | Response:
    question = _load(question_id)
    require(services.can_change_question(question, current_user))
    form = ResolveForm()
    if form.validate_on_submit():
        community = db.session.get(Community, form.community.data or 0)
        if community is not None and not communities.access_for(community, current_user).can_see:
            community = None  # one the person may not see does not exist
        try:
            services.resolve_question(
                question,
                current_user,  # type: ignore[arg-type]
                LearningQuestionStatus(form.status.data),
                form.resolution.data or "",
                community,
            )
        except ServiceError as error:
            db.session.rollback()
            flash(str(error.message), "danger")
        else:
            db.session.commit()
            flash(_("The status is saved."), "success")
    else:
        flash(_("Choose a status."), "danger")
    return redirect(url_for("questions.show", question_id=question.id))


# -- reverse matches on other pages --------------------------------------------------------------


def open_questions_for(offering: Offering) -> list[LearningQuestion]:
    """For the offering page: the open questions (that the viewer may see) it could answer."""
    return matching.questions_for_offering(offering, current_user)


def _community_panel(
    community: Community, access: communities.Access
) -> tuple[str, dict[str, object]] | None:
    """A link to the learning questions the community could answer, for logged-in readers. A
    link, not the list: the home page is at its budget of ten statements, and ranking the
    questions is one more (the list is one click away, on `for_community`)."""
    if not current_user.is_authenticated:
        return None
    return "catalogue/questions/_community_panel.html", {
        "url": url_for("questions.for_community", slug=community.slug),
        "can_adopt": access.can_facilitate,
    }


@bp.get("/leervragen/voor/<slug>")
@login_required
def for_community(slug: str) -> str:
    """The open learning questions (that the viewer may see) a community could answer."""
    community = communities.community_by_slug(slug, details=True)
    require(community is not None and communities.access_for(community, current_user).can_see)
    questions = matching.questions_for_community(community, current_user, limit=PER_PAGE)  # type: ignore[arg-type]
    return render_template(
        "catalogue/questions/for_community.html", community=community, questions=questions
    )


def _labels() -> dict[str, Any]:
    return {
        "urgency_label": lambda value: URGENCY_LABELS[Urgency(value)],
        "question_status_label": lambda value: STATUS_LABELS[LearningQuestionStatus(value)],
        "visibility_label": lambda value: VISIBILITY_LABELS[QuestionVisibility(value)],
        "domain_label": lambda value: DOMAIN_LABELS[CompetenceDomain(value)],
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["open_questions_for"] = open_questions_for
    app.jinja_env.globals["question_labels"] = _labels
    add_hook(app, "community_home", _community_panel)
