"""The catalogue of offerings (*aanbod*): browsing and searching, an offering's page and calendar,
enrolling and cancelling, the provider's tools (write, publish, cancel, complete, participants)
and the school leader's approvals.

Learning questions and the gap view have their own modules (questions.py, gaps.py).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
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
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import calendar, matching, services
from plc.catalogue.forms import (
    COST_LABELS,
    FORMAT_LABELS,
    MEETING_ROWS,
    SCOPE_LABELS,
    STATUS_LABELS,
    CancelOfferingForm,
    EnrolForm,
    OfferingForm,
)
from plc.catalogue.models import (
    CostKind,
    Enrolment,
    EnrolmentScope,
    EnrolmentStatus,
    Offering,
    OfferingFormat,
    OfferingStatus,
)
from plc.core import pagecache
from plc.core.errors import ServiceError
from plc.core.filters import profile_filter_args
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.models import utcnow
from plc.core.permissions import require
from plc.core.spreadsheet import safe_cell
from plc.extensions import db
from plc.live.services import amsterdam_moment, to_local
from plc.organisations.models import Organisation
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain
from plc.themes.services import list_themes

bp = Blueprint("catalogue", __name__, url_prefix="/aanbod")
PER_PAGE = 20
OFFERING = "/<slug>"
ICS_TYPE = "text/calendar; charset=utf-8"
#: Form fields the services' error names map to.
ERROR_FIELDS = {"cost": "cost", "hours": "contact_hours", "themes": "themes"}


# -- loading ------------------------------------------------------------------------------------


def _offering(slug: str) -> Offering:
    """A published or cancelled offering; a draft only for its provider's staff."""
    offering = services.offering_by_slug(slug, current_user)
    require(offering is not None)
    return offering  # type: ignore[return-value]


def _managed(slug: str) -> Offering:
    """An offering the viewer publishes for; anyone else gets 404, as if it did not exist."""
    offering = _offering(slug)
    require(services.can_manage(current_user, offering))
    return offering


def _offering_url(offering: Offering) -> str:
    return url_for("catalogue.offering", slug=offering.slug)


# -- the list -----------------------------------------------------------------------------------


def _enum_arg(enum: Any, name: str) -> Any:
    value = request.args.get(name, "")
    return enum(value) if value in {member.value for member in enum} else None


def _date_arg(name: str) -> date | None:
    """A day from the query string; odd or far-off dates are ignored (a link is a bookmark)."""
    try:
        day = date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None
    return day if date(2000, 1, 1) <= day <= date(2100, 12, 31) else None


def _filters() -> services.CatalogueFilters:
    profile = profile_filter_args(request.args)
    return services.CatalogueFilters(
        q=profile["q"],
        theme=profile["theme"] or None,
        school_type=profile["school_type"],
        career_stage=profile["career_stage"],
        format=_enum_arg(OfferingFormat, "vorm"),
        provider=request.args.get("aanbieder", "")[:120] or None,
        date_from=_date_arg("van"),
        date_until=_date_arg("tot"),
        cost=_enum_arg(services.CostFilter, "kosten"),
        open_to_all=request.args.get("open") == "1",
    )


def _query_args(filters: services.CatalogueFilters) -> dict[str, str]:
    values: dict[str, Any] = {
        "q": filters.q,
        "thema": filters.theme,
        "vorm": filters.format,
        "aanbieder": filters.provider,
        "loopbaanfase": filters.career_stage,
        "schooltype": filters.school_type,
        "van": filters.date_from,
        "tot": filters.date_until,
        "kosten": filters.cost,
        "open": "1" if filters.open_to_all else None,
    }
    return {name: str(value) for name, value in values.items() if value}


def _card_options() -> list[Any]:
    """What an offering card shows (catalogue/_card.html): the provider and its board (for
    the scope badge), themes and meetings; not the tags the API lists."""
    return [
        joinedload(Offering.provider).joinedload(Organisation.parent),
        selectinload(Offering.themes),
        selectinload(Offering.meetings),
    ]


@bp.get("")
@pagecache.for_visitors(members=True)
def index() -> str:
    filters = _filters()
    page = db.paginate(
        services.catalogue_query(filters).options(*_card_options()),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "catalogue/index.html",
        page=page,
        filters=filters,
        query_args=_query_args(filters),
        themes=services.filter_themes(),
        providers=services.filter_providers(),
        formats=list(OfferingFormat),
        can_publish=bool(services.providers_for(current_user)),
    )


# -- an offering --------------------------------------------------------------------------------


def _enrol_form(offering: Offering) -> EnrolForm:
    form = EnrolForm()
    if offering.cost_kind == CostKind.SCHOOL_PAYS:
        form.school.choices = choices(
            (school.id, school.name) for school in services.schools_of(current_user)
        )
    return form


def _render_offering(offering: Offering, form: EnrolForm | None = None) -> str:
    enrolment = services.enrolment_of(offering, current_user)
    reason = services.why_not_enrol(offering, current_user)
    return render_template(
        "catalogue/offering.html",
        offering=offering,
        enrolment=enrolment,
        position=services.waitlist_position(enrolment) if enrolment else None,
        reason=reason,
        form=form or (_enrol_form(offering) if reason is None else None),
        others=services.other_offerings(offering),
        can_manage=services.can_manage(current_user, offering),
        confirm=ConfirmForm(),
    )


@bp.get(OFFERING)
def offering(slug: str) -> str:
    return _render_offering(_offering(slug))


@bp.get(OFFERING + ".ics")
def offering_calendar(slug: str) -> Response:
    offering = _offering(slug)
    response = Response(calendar.build_calendar(offering), mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{offering.slug}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# -- enrolling ----------------------------------------------------------------------------------


def _chosen_school(form: EnrolForm) -> Organisation | None:
    wanted = form.school.data
    return next((s for s in services.schools_of(current_user) if s.id == wanted), None)


@bp.post(OFFERING + "/inschrijven")
@login_required
def enrol(slug: str) -> Response | tuple[str, int]:
    offering = _offering(slug)
    form = _enrol_form(offering)
    if form.validate_on_submit():
        try:
            enrolment = services.enrol(
                offering,
                current_user,  # type: ignore[arg-type]
                school=_chosen_school(form),
                note=form.note.data or "",
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_enrolled_message(enrolment.status), "success")
            return redirect(_offering_url(offering))  # type: ignore[return-value]
    return _render_offering(offering, form), 400


def _enrolled_message(status: EnrolmentStatus) -> str:
    return {
        EnrolmentStatus.ENROLLED: _("You are enrolled. See you there!"),
        EnrolmentStatus.WAITLISTED: _(
            "The offering is full: you are on the waiting list. We will mail you when a place frees up."
        ),
        EnrolmentStatus.AWAITING_APPROVAL: _(
            "Your school leader is asked to approve; we will mail you the decision."
        ),
    }.get(status, _("Your enrolment is saved."))


@bp.post(OFFERING + "/uitschrijven")
@login_required
def unenrol(slug: str) -> Response:
    offering = _offering(slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    enrolment = services.enrolment_of(offering, current_user)
    require(enrolment is not None)
    try:
        services.cancel_enrolment(enrolment, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(_("Your enrolment is cancelled."), "success")
    return redirect(_offering_url(offering))  # type: ignore[return-value]


@bp.get("/mijn-inschrijvingen")
@login_required
def my_enrolments() -> str:
    return render_template(
        "catalogue/my_enrolments.html",
        enrolments=services.my_enrolments(current_user),  # type: ignore[arg-type]
    )


# -- school leaders: approvals ------------------------------------------------------------------


@bp.get("/goedkeuren")
@login_required
def approvals() -> str:
    return render_template(
        "catalogue/approvals.html",
        enrolments=services.awaiting_approval(current_user),  # type: ignore[arg-type]
        confirm=ConfirmForm(),
    )


@bp.post("/goedkeuren/<int:enrolment_id>")
@login_required
def decide(enrolment_id: int) -> Response:
    enrolment = services.enrolment_by_id(enrolment_id)
    require(enrolment is not None and services.may_decide(enrolment, current_user))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    approve = request.form.get("decision") == "approve"
    try:
        services.decide_enrolment(enrolment, current_user, approve=approve)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(_("Approved.") if approve else _("Not approved."), "success")
    return redirect(url_for("catalogue.approvals"))  # type: ignore[return-value]


# -- providers: writing an offering -------------------------------------------------------------


def _form_choices(form: OfferingForm, offering: Offering | None) -> None:
    kept = {theme.id for theme in offering.themes} if offering else set()
    form.themes.choices = choices(
        (theme.id, theme.name_nl)
        for theme in list_themes(include_inactive=True)
        if theme.active or theme.id in kept
    )


def _hours_minutes(value: Decimal | None) -> int:
    return round((value or Decimal(0)) * 60)


def _meetings(form: OfferingForm) -> list[services.Meeting]:
    """The filled-in meeting rows, Amsterdam wall-clock times as UTC moments."""
    meetings = []
    for row in form.meetings:
        day, start, end = row.day.data, row.start.data, row.end.data
        location = (row.location.data or "").strip()
        if not (day or start or end or location):
            continue
        if not (day and start and end):
            raise ServiceError(
                _("Give each meeting a date, a start time and an end time."), "meetings"
            )
        meetings.append(
            services.Meeting(amsterdam_moment(day, start), amsterdam_moment(day, end), location)
        )
    return meetings


def _fields(form: OfferingForm) -> services.OfferingFields:
    cost = form.cost.data
    return services.OfferingFields(
        title=form.title.data or "",
        format=OfferingFormat(form.format.data),
        summary=form.summary.data or "",
        description=form.description.data or "",
        location=form.location.data or "",
        online=bool(form.online.data),
        capacity=form.capacity.data,
        cost_kind=CostKind(form.cost_kind.data),
        cost_cents=round(cost * 100) if cost is not None else None,
        needs_leader_approval=bool(form.needs_leader_approval.data),
        contact_minutes=_hours_minutes(form.contact_hours.data),
        self_study_minutes=_hours_minutes(form.self_study_hours.data),
        scope=EnrolmentScope(form.scope.data),
        theme_ids=list(form.themes.data or []),
        school_types=[SchoolType(v) for v in form.school_types.data or []],
        career_stages=[CareerStage(v) for v in form.career_stages.data or []],
        domains=[CompetenceDomain(v) for v in form.domains.data or []],
        meetings=_meetings(form),
    )


def _form_data(offering: Offering) -> dict[str, Any]:
    """The offering as the form shows it: euros, hours and Amsterdam times."""
    data: dict[str, Any] = {
        "title": offering.title,
        "format": offering.format.value,
        "summary": offering.summary,
        "description": offering.description,
        "location": offering.location,
        "online": offering.online,
        "capacity": offering.capacity,
        "cost_kind": offering.cost_kind.value,
        "cost": Decimal(offering.cost_cents) / 100 if offering.cost_cents else None,
        "needs_leader_approval": offering.needs_leader_approval,
        "contact_hours": Decimal(offering.contact_minutes) / 60,
        "self_study_hours": Decimal(offering.self_study_minutes) / 60,
        "scope": offering.scope.value,
        "themes": [t.id for t in offering.themes],
        "school_types": [row.school_type.value for row in offering.school_types],
        "career_stages": [row.career_stage.value for row in offering.career_stages],
        "domains": [row.domain.value for row in offering.domains],
        "meetings": [
            {
                "day": to_local(m.starts_at).date(),
                "start": to_local(m.starts_at).time(),
                "end": to_local(m.ends_at).time(),
                "location": m.location,
            }
            for m in offering.meetings
        ],
    }
    return data


def _spare_rows(form: OfferingForm) -> None:
    """Two empty meeting rows after the filled ones, within the limit."""
    filled = sum(1 for row in form.meetings if row.day.data)
    while len(form.meetings) < min(max(MEETING_ROWS, filled + 2), form.meetings.max_entries or 0):
        form.meetings.append_entry()


def _render_form(form: OfferingForm, offering: Offering | None, status: int) -> tuple[str, int]:
    return render_template("catalogue/form.html", form=form, offering=offering), status


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int]:
    providers = services.providers_for(current_user)
    require(bool(providers))
    form = OfferingForm()
    form.provider.choices = choices((p.id, p.name) for p in providers)
    _form_choices(form, None)
    if form.validate_on_submit():
        provider = next((p for p in providers if p.id == form.provider.data), None)
        try:
            if provider is None:
                raise ServiceError(_("Choose the organisation that offers it."), "provider")
            offering = services.create_offering(provider, current_user, _fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error, ERROR_FIELDS)
        else:
            db.session.commit()
            flash(_("The draft is saved. Publish it when it is complete."), "success")
            return redirect(_offering_url(offering))  # type: ignore[return-value]
    return _render_form(form, None, 400 if request.method == "POST" else 200)


@bp.route(OFFERING + "/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    offering = _managed(slug)
    require(offering.status != OfferingStatus.CANCELLED)
    form = OfferingForm(data=_form_data(offering) if request.method == "GET" else None)
    form.provider.choices = choices([(offering.provider_id, offering.provider.name)])
    form.provider.data = offering.provider_id
    _form_choices(form, offering)
    _spare_rows(form)
    if form.validate_on_submit():
        try:
            services.update_offering(offering, current_user, _fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error, ERROR_FIELDS)
        else:
            db.session.commit()
            flash(_("The offering is saved."), "success")
            return redirect(_offering_url(offering))  # type: ignore[return-value]
    return _render_form(form, offering, 400 if request.method == "POST" else 200)


def _act(offering: Offering, action: Any, done: str) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(_offering_url(offering))  # type: ignore[return-value]


@bp.post(OFFERING + "/publiceren")
@login_required
def publish(slug: str) -> Response:
    offering = _managed(slug)
    return _act(
        offering,
        lambda: _publish_and_announce(offering),
        _("The offering is published: every teacher can find it in the catalogue."),
    )


def _publish_and_announce(offering: Offering) -> None:
    """Publish, and tell the askers of open questions it answers at once (not at the next cron)."""
    services.publish_offering(offering, current_user)  # type: ignore[arg-type]
    matching.announce_offering(offering)


@bp.route(OFFERING + "/annuleren", methods=["GET", "POST"])
@login_required
def cancel(slug: str) -> Response | tuple[str, int]:
    offering = _managed(slug)
    form = CancelOfferingForm()
    if form.validate_on_submit():
        try:
            told = services.cancel_offering(offering, current_user, form.message.data or "")  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The offering is cancelled; %(num)d people get your message.", num=told),
                "success",
            )
            return redirect(_offering_url(offering))  # type: ignore[return-value]
    status = 400 if request.method == "POST" else 200
    return render_template("catalogue/cancel.html", offering=offering, form=form), status


@bp.route(OFFERING + "/afronden", methods=["GET", "POST"])
@login_required
def complete(slug: str) -> Response | tuple[str, int]:
    offering = _managed(slug)
    if request.method == "POST":
        absent = request.form.getlist("absent", type=int)
        return _act(
            offering,
            lambda: services.complete_offering(offering, current_user, absent),  # type: ignore[arg-type]
            _("The offering is completed; the hours are in the participants' records."),
        )
    people = services.participants(offering)
    return render_template(
        "catalogue/complete.html",
        offering=offering,
        people=[*people[EnrolmentStatus.ENROLLED], *people[EnrolmentStatus.COMPLETED]],
        is_over=offering.ends_at is not None and offering.ends_at <= utcnow(),
        confirm=ConfirmForm(),
    ), 200


# -- providers: participants --------------------------------------------------------------------


@bp.get(OFFERING + "/deelnemers")
@login_required
def participants(slug: str) -> str:
    offering = _managed(slug)
    return render_template(
        "catalogue/participants.html",
        offering=offering,
        groups=services.participants(offering),
        statuses=EnrolmentStatus,
    )


#: Column order of the participants' CSV.
CSV_COLUMNS = ["name", "email", "status", "waiting_list_position", "school", "note", "enrolled_at"]


def _csv_rows(groups: dict[EnrolmentStatus, list[Enrolment]]) -> list[list[Any]]:
    rows = []
    for status, enrolments in groups.items():
        for number, enrolment in enumerate(enrolments, start=1):
            rows.append(
                [
                    enrolment.user.display_name,
                    enrolment.user.email,
                    status.value,
                    number if status == EnrolmentStatus.WAITLISTED else None,
                    enrolment.school.name if enrolment.school else None,
                    enrolment.note,
                    enrolment.created_at.isoformat(),
                ]
            )
    return rows


@bp.get(OFFERING + "/deelnemers.csv")
@login_required
def participants_csv(slug: str) -> Response:
    offering = _managed(slug)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in _csv_rows(services.participants(offering)):
        writer.writerow([safe_cell(cell) for cell in row])
    response = Response(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="deelnemers-{offering.slug}.csv"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/mijn-aanbod")
@login_required
def mine() -> str:
    providers = services.providers_for(current_user)
    require(bool(providers))
    return render_template(
        "catalogue/mine.html",
        providers=providers,
        offerings=services.provider_offerings(providers),
    )


# -- words for the templates --------------------------------------------------------------------


def _euros(cents: int | None) -> str:
    return "€ " + format_decimal(Decimal(cents or 0) / 100, format="#,##0.00")


def _hours(minutes: int) -> str:
    return format_decimal(Decimal(minutes) / 60, format="#,##0.#")


def _cost_label(offering: Offering) -> str:
    if offering.cost_kind == CostKind.FREE:
        return _("Free")
    if offering.cost_kind == CostKind.SCHOOL_PAYS:
        return _("%(amount)s, paid by your school", amount=_euros(offering.cost_cents))
    return _euros(offering.cost_cents)


def _scope_label(offering: Offering) -> str:
    if offering.scope == EnrolmentScope.EVERYONE:
        return _("Open to every Amsterdam teacher")
    board = offering.provider.parent or offering.provider
    return _("Only for teachers of %(board)s", board=board.name)


def _profile_section(user: Any) -> tuple[str, dict[str, object]]:
    return "catalogue/_profile_section.html", {
        "approves": bool(services.schools_of(user, services.SCHOOL_ROLES)),
        "publishes": bool(services.providers_for(user)),
    }


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    app.jinja_env.globals.update(
        offering_format_label=lambda value: FORMAT_LABELS[OfferingFormat(value)],
        offering_cost_label=_cost_label,
        offering_scope_label=_scope_label,
        offering_hours=_hours,
        enrolment_status_label=lambda value: STATUS_LABELS[EnrolmentStatus(value)],
        cost_kind_labels=COST_LABELS,
        scope_labels=SCOPE_LABELS,
    )
    app.jinja_env.globals.setdefault(
        "competence_domain_label", lambda value: DOMAIN_LABELS[CompetenceDomain(value)]
    )
    app.register_blueprint(bp)
