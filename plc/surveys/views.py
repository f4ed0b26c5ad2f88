"""Survey pages: building, answering and the results.

Each page loads the survey, checks what the viewer may do (anything else is a 404, as if the
survey did not exist), calls a service and renders. The rules live in `services`, the figures in
`results`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.models import utcnow
from plc.core.permissions import require
from plc.extensions import db
from plc.live.services import amsterdam_moment, to_local
from plc.surveys import results as survey_results
from plc.surveys import services
from plc.surveys.builtin import BUILTIN_NAMES
from plc.surveys.forms import (
    ANONYMITY_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    NewSurveyForm,
    QuestionForm,
    SettingsForm,
    TemplateForm,
)
from plc.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveyStatus

bp = Blueprint("surveys", __name__, url_prefix="/vragenlijsten")
SURVEY = "/<int:survey_id>"
QUESTION = SURVEY + "/vragen/<int:question_id>"
#: Form fields the services' error names map to (the form splits moments into date and time).
ERROR_FIELDS = {"opens_at": "opens_on", "closes_at": "closes_on"}
#: A new survey runs this long by default.
DEFAULT_DURATION = timedelta(days=14)


# -- loading ------------------------------------------------------------------------------------


def _load(survey_id: int) -> Survey:
    survey = db.session.scalar(
        db.select(Survey)
        .where(Survey.id == survey_id)
        .options(selectinload(Survey.questions).selectinload(SurveyQuestion.options))
    )
    require(survey is not None)
    return survey  # type: ignore[return-value]


def _survey(survey_id: int) -> tuple[Survey, services.SurveyAccess]:
    survey = _load(survey_id)
    return survey, services.survey_access(survey, current_user)


def _managed(survey_id: int) -> tuple[Survey, services.SurveyAccess]:
    """A survey the viewer runs; anyone else gets 404."""
    survey, access = _survey(survey_id)
    require(access.can_manage)
    return survey, access


def _question(survey: Survey, question_id: int) -> SurveyQuestion:
    question = next((q for q in survey.questions if q.id == question_id), None)
    require(question is not None)
    return question  # type: ignore[return-value]


def _overview_url(survey: Survey) -> str:
    return url_for("surveys.overview", survey_id=survey.id)


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _status(form: Any) -> int:
    return 400 if request.method == "POST" else 200


# -- a new survey and its settings ----------------------------------------------------------------


def _subject_from_args() -> services.Subject:
    for kind, arg in services.SUBJECT_ARGS.items():
        value = request.args.get(arg, "")
        if value.isdigit():
            subject = services.load_subject(kind, int(value))
            require(
                subject is not None and services.subject_access(subject, current_user).can_manage
            )
            return subject  # type: ignore[return-value]
    abort(404)


def _source_choices(form: NewSurveyForm) -> None:
    pairs: list[tuple[str, Any]] = [
        (f"builtin:{key}", label) for key, label in BUILTIN_NAMES.items()
    ]
    pairs += [
        (f"template:{t.id}", f"{t.name} ({LANGUAGE_LABELS.get(t.language, t.language)})")
        for t in services.saved_templates()
    ]
    pairs.append((services.BLANK, _("An empty survey")))
    form.source.choices = choices(pairs)


def _local_defaults(form: SettingsForm, opens_at: datetime, closes_at: datetime) -> None:
    opens, closes = to_local(opens_at), to_local(closes_at)
    form.opens_on.data, form.opens_time.data = opens.date(), opens.time().replace(tzinfo=None)
    form.closes_on.data, form.closes_time.data = closes.date(), closes.time().replace(tzinfo=None)


def _default_times(subject: services.Subject) -> tuple[datetime, datetime]:
    """From now, or from the end of a session still to come; open for two weeks."""
    opens_at = utcnow().replace(second=0, microsecond=0)
    ends_at = getattr(subject.target, "ends_at", None)
    if subject.kind == services.SubjectKind.SESSION and ends_at and ends_at > opens_at:
        opens_at = ends_at
    return opens_at, opens_at + DEFAULT_DURATION


def _settings(form: SettingsForm) -> services.SurveySettings:
    return services.SurveySettings(
        title=form.title.data or "",
        intro=form.intro.data or "",
        anonymous=form.anonymous.data != "named",
        language=form.language.data or "nl",
        opens_at=amsterdam_moment(form.opens_on.data, form.opens_time.data),  # type: ignore[arg-type]
        closes_at=amsterdam_moment(form.closes_on.data, form.closes_time.data),  # type: ignore[arg-type]
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int]:
    subject = _subject_from_args()
    form = NewSurveyForm()
    _source_choices(form)
    if request.method == "GET":
        form.source.data = (
            "builtin:pilot-evaluation"
            if subject.kind == services.SubjectKind.PILOT
            else "builtin:session-evaluation"
        )
        form.language.data = getattr(current_user, "preferred_language", None) or "nl"
        _local_defaults(form, *_default_times(subject))
    if form.validate_on_submit():
        try:
            source = services.template_source(form.source.data or "", form.language.data or "nl")
            survey = services.create_survey(subject, current_user, _settings(form), source)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error, ERROR_FIELDS)
        else:
            db.session.commit()
            flash(_("The draft survey is saved. Check the questions, then publish it."), "success")
            return redirect(_overview_url(survey))  # type: ignore[return-value]
    return render_template("surveys/new.html", form=form, subject=subject), _status(form)


@bp.route(SURVEY + "/bewerken", methods=["GET", "POST"])
@login_required
def edit(survey_id: int) -> Response | tuple[str, int]:
    survey, access = _managed(survey_id)
    form = SettingsForm(obj=survey if request.method == "GET" else None)
    if request.method == "GET":
        form.anonymous.data = "anonymous" if survey.anonymous else "named"
        _local_defaults(form, survey.opens_at, survey.closes_at)
    if form.validate_on_submit():
        try:
            services.update_settings(survey, current_user, _settings(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error, ERROR_FIELDS)
        else:
            db.session.commit()
            flash(_("The survey is saved."), "success")
            return redirect(_overview_url(survey))  # type: ignore[return-value]
    return render_template(
        "surveys/edit.html", form=form, survey=survey, subject=access.subject
    ), _status(form)


# -- the owners' overview -------------------------------------------------------------------------


@bp.get(SURVEY)
@login_required
def overview(survey_id: int) -> str:
    survey, access = _survey(survey_id)
    require(access.can_see_overview)
    return render_template(
        "surveys/overview.html",
        survey=survey,
        access=access,
        subject=access.subject,
        invited=survey_results.invited_count(survey.id),
        fixed=services.questions_fixed(survey),
        later=services.later_measurements(survey),
        now=utcnow(),
        confirm=ConfirmForm(),
    )


def _act(survey: Survey, action: Callable[[], Any], done: Callable[[Any], str]) -> Response:
    _confirmed()
    try:
        outcome = action()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(done(outcome), "success")
    return redirect(_overview_url(survey))  # type: ignore[return-value]


@bp.post(SURVEY + "/publiceren")
@login_required
def publish(survey_id: int) -> Response:
    survey, _access = _managed(survey_id)
    return _act(
        survey,
        lambda: services.publish(survey, current_user),  # type: ignore[arg-type]
        lambda invited: (
            _("The survey is published; %(num)d people are invited.", num=invited)
            if invited
            else _("The survey is published. The invitations go out when it opens.")
        ),
    )


@bp.post(SURVEY + "/herinneren")
@login_required
def remind(survey_id: int) -> Response:
    survey, _access = _managed(survey_id)
    return _act(
        survey,
        lambda: services.remind(survey, current_user),  # type: ignore[arg-type]
        lambda sent: _("The reminder is sent to %(num)d people.", num=sent),
    )


@bp.post(SURVEY + "/opnieuw-meten")
@login_required
def measure_again(survey_id: int) -> Response:
    survey, _access = _managed(survey_id)
    _confirmed()
    try:
        copy = services.measure_again(survey, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return redirect(_overview_url(survey))  # type: ignore[return-value]
    db.session.commit()
    flash(
        _(
            "A copy is ready as a draft; its results will be compared with this survey. Set its dates and publish it."
        ),
        "success",
    )
    return redirect(_overview_url(copy))  # type: ignore[return-value]


@bp.post(SURVEY + "/verwijderen")
@login_required
def delete(survey_id: int) -> Response:
    survey, _access = _managed(survey_id)
    _confirmed()
    try:
        services.delete_draft(survey, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return redirect(_overview_url(survey))  # type: ignore[return-value]
    db.session.commit()
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("surveys.mine"))  # type: ignore[return-value]


@bp.route(SURVEY + "/als-sjabloon", methods=["GET", "POST"])
@login_required
def save_template(survey_id: int) -> Response | tuple[str, int]:
    survey, _access = _managed(survey_id)
    form = TemplateForm(data={"name": survey.title} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.save_as_template(survey, current_user, form.name.data or "")  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The template is saved; everyone who builds surveys can start from it."),
                "success",
            )
            return redirect(_overview_url(survey))  # type: ignore[return-value]
    return render_template("surveys/template.html", form=form, survey=survey), _status(form)


# -- questions ----------------------------------------------------------------------------------


def _question_fields(form: QuestionForm) -> services.QuestionFields:
    return services.QuestionFields(
        kind=QuestionKind(form.kind.data),
        prompt=form.prompt.data or "",
        help_text=form.help_text.data or "",
        required=bool(form.required.data),
        scale_min=form.scale_min.data if form.scale_min.data is not None else 1,
        scale_max=form.scale_max.data if form.scale_max.data is not None else 5,
        low_label=form.low_label.data or "",
        high_label=form.high_label.data or "",
        options=(form.options.data or "").splitlines(),
    )


def _render_question(
    form: QuestionForm, survey: Survey, question: SurveyQuestion | None
) -> tuple[str, int]:
    return render_template(
        "surveys/question.html", form=form, survey=survey, question=question
    ), _status(form)


@bp.route(SURVEY + "/vragen/nieuw", methods=["GET", "POST"])
@login_required
def add_question(survey_id: int) -> Response | tuple[str, int]:
    survey, _access = _managed(survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            services.add_question(survey, current_user, _question_fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The question is added."), "success")
            return redirect(_overview_url(survey) + "#vragen")  # type: ignore[return-value]
    return _render_question(form, survey, None)


@bp.route(QUESTION + "/bewerken", methods=["GET", "POST"])
@login_required
def edit_question(survey_id: int, question_id: int) -> Response | tuple[str, int]:
    survey, _access = _managed(survey_id)
    question = _question(survey, question_id)
    data = None
    if request.method == "GET":
        fields = services.QuestionFields.of(question)
        data = {**fields.__dict__, "kind": fields.kind.value, "options": "\n".join(fields.options)}
    form = QuestionForm(data=data)
    if form.validate_on_submit():
        try:
            services.update_question(question, current_user, _question_fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The question is saved."), "success")
            return redirect(_overview_url(survey) + f"#vraag-{question.id}")  # type: ignore[return-value]
    return _render_question(form, survey, question)


@bp.post(QUESTION + "/verwijderen")
@login_required
def remove_question(survey_id: int, question_id: int) -> Response:
    survey, _access = _managed(survey_id)
    question = _question(survey, question_id)
    return _act(
        survey,
        lambda: services.remove_question(question, current_user),  # type: ignore[arg-type]
        lambda _none: _("The question is removed."),
    )


@bp.post(QUESTION + "/verplaatsen")
@login_required
def move_question(survey_id: int, question_id: int) -> Response:
    survey, _access = _managed(survey_id)
    question = _question(survey, question_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    return _act(
        survey,
        lambda: services.move_question(question, current_user, offset),  # type: ignore[arg-type]
        lambda _none: _("The question is moved."),
    )


# -- answering ----------------------------------------------------------------------------------


def _submitted(survey: Survey) -> dict[int, list[str]]:
    return {q.id: request.form.getlist(f"q-{q.id}") for q in survey.questions}


def _render_answer(
    survey: Survey,
    subject: services.Subject,
    values: dict[int, list[str]] | None,
    answered: bool,
    errors: dict[int, Any] | None = None,
    form_error: Any = None,
    status: int = 200,
) -> tuple[str, int]:
    now = utcnow()
    return render_template(
        "surveys/answer.html",
        survey=survey,
        subject=subject,
        values=values or {},
        answered=answered,
        errors=errors or {},
        form_error=form_error,
        is_open=survey.is_open(now),
        not_yet=survey.status == SurveyStatus.PUBLISHED and now < survey.opens_at,
        confirm=ConfirmForm(),
    ), status


@bp.route(SURVEY + "/invullen", methods=["GET", "POST"])
@login_required
def answer(survey_id: int) -> Response | tuple[str, int]:
    survey = _load(survey_id)
    subject = services.subject_of(survey)
    answering = services.answering(survey, current_user, subject)
    require(answering.eligible)
    if request.method == "GET":
        values = services.own_answers(survey, current_user)
        return _render_answer(survey, subject, values, values is not None)
    _confirmed()
    submitted = _submitted(survey)
    try:
        first = services.respond(survey, current_user, submitted)  # type: ignore[arg-type]
    except services.AnswersInvalid as invalid:
        db.session.rollback()
        return _render_answer(
            survey, subject, submitted, answering.answered, invalid.errors, invalid.message, 400
        )
    except ServiceError as error:
        db.session.rollback()
        return _render_answer(
            survey, subject, submitted, answering.answered, None, error.message, 400
        )
    db.session.commit()
    closes = format_datetime(survey.closes_at, "d MMMM y, HH:mm")
    flash(
        _("Thank you! Your answers are saved. You can change them until %(moment)s.", moment=closes)
        if first
        else _(
            "Your changed answers are saved. You can change them until %(moment)s.", moment=closes
        ),
        "success",
    )
    return redirect(url_for("surveys.answer", survey_id=survey.id))  # type: ignore[return-value]


# -- results ------------------------------------------------------------------------------------


def _readable(survey_id: int) -> tuple[Survey, services.SurveyAccess]:
    survey = db.session.get(Survey, survey_id)
    require(survey is not None)
    access = services.survey_access(survey, current_user)  # type: ignore[arg-type]
    require(access.can_read_results)
    return survey, access  # type: ignore[return-value]


@bp.get(SURVEY + "/resultaten")
@login_required
def results(survey_id: int) -> str:
    survey, access = _readable(survey_id)
    return render_template(
        "surveys/results.html",
        survey=survey,
        access=access,
        subject=access.subject,
        results=survey_results.results_for(survey, with_non_responders=True),
        min_group=survey_results.MIN_GROUP,
    )


def _csv_response(body: str, filename: str) -> Response:
    response = Response(body, content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get(SURVEY + "/resultaten.csv")
@login_required
def results_csv(survey_id: int) -> Response:
    survey, _access = _readable(survey_id)
    body = survey_results.results_csv(survey_results.results_for(survey))
    return _csv_response(body, f"vragenlijst-{survey.id}-resultaten.csv")


@bp.get(SURVEY + "/antwoorden.csv")
@login_required
def answers_csv(survey_id: int) -> Response:
    survey, _access = _readable(survey_id)
    return _csv_response(
        survey_results.answers_csv(survey), f"vragenlijst-{survey.id}-antwoorden.csv"
    )


# -- lists --------------------------------------------------------------------------------------


@bp.get("/mijn")
@login_required
def mine() -> str:
    return render_template(
        "surveys/mine.html",
        waiting=services.waiting_for(current_user),
        answered=services.waiting_for(current_user, answered=True),
        managed=services.managed_by(current_user),
        followed=services.followed_by(current_user),
        now=utcnow(),
    )


# -- what other pages show ----------------------------------------------------------------------


def _start_page(user: Any) -> dict[str, object]:
    """Surveys waiting for the person's answer (one statement)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"surveys_waiting": services.waiting_for(user)}


def _profile_section(_user: Any) -> tuple[str, dict[str, object]]:
    return "surveys/_profile_section.html", {}


def _subject_page_url(kind: str, target: Any) -> str:
    """The page of a survey's subject, for the breadcrumb."""
    if kind == services.SubjectKind.SESSION:
        return url_for("live.detail", slug=target.community.slug, session_id=target.id)
    if kind == services.SubjectKind.OFFERING:
        return url_for("catalogue.offering", slug=target.slug)
    return url_for("pilots.show", slug=target.slug)


def _number(value: float | None, places: int = 1) -> str:
    """A figure in the reader's language (decimal comma in Dutch)."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(round(value, places), format=pattern)


def init_app(app: Flask) -> None:
    add_hook(app, "start_page", _start_page)
    add_hook(app, "profile", _profile_section)
    app.jinja_env.globals.update(
        surveys_for=services.surveys_for,
        can_build_surveys=services.can_build,
        survey_subject_args=services.SUBJECT_ARGS,
        survey_subject_url=lambda subject: _subject_page_url(subject.kind, subject.target),
        survey_kind_label=lambda kind: KIND_LABELS[QuestionKind(kind)],
        survey_language_label=lambda code: LANGUAGE_LABELS.get(code, code),
        survey_anonymity_labels=ANONYMITY_LABELS,
        survey_scale_label=survey_results.scale_label,
        survey_number=_number,
    )
    app.register_blueprint(bp)
