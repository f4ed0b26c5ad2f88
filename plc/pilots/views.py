"""Pilot pages: the network overview, proposing and editing a charter, the pilot's page with its
checklist, timeline and the steps each person may take, and the panels on other pages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.forms import attach_error, choices
from plc.core.hooks import add_hook
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.pilots import services
from plc.pilots.access import PilotAccess, access_for
from plc.pilots.criteria import checklists_for
from plc.pilots.forms import (
    EVENT_LABELS,
    ORGANISATION_ROWS,
    STATUS_LABELS,
    STATUS_SHORT,
    ApprovalForm,
    CharterForm,
    CommentForm,
    ConcludeForm,
    RunningCharterForm,
    StepForm,
    StopForm,
)
from plc.pilots.models import Pilot, PilotEvent, PilotEventKind, PilotOrganisation, PilotStatus
from plc.surveys.summary import PilotEvaluation, evaluations_for_pilots
from plc.themes.services import list_themes

bp = Blueprint("pilots", __name__, url_prefix="/pilots")
PER_PAGE = 20
PILOT = "/<slug>"


# -- loading -------------------------------------------------------------------------------------


def _pilot(slug: str) -> tuple[Pilot, PilotAccess]:
    """The pilot and what the viewer may do; a proposal answers 404 to all but its owners."""
    pilot = services.pilot_by_slug(slug)
    require(pilot is not None)
    assert pilot is not None
    access = access_for(pilot, current_user)
    require(access.can_see)
    return pilot, access


def _show_url(pilot: Pilot, anchor: str | None = None) -> str:
    return url_for("pilots.show", slug=pilot.slug, _anchor=anchor)


# -- the overview --------------------------------------------------------------------------------


def _filters() -> services.OverviewFilters:
    status = request.args.get("status", "")
    return services.OverviewFilters(
        theme=request.args.get("thema", "")[:80] or None,
        organisation=request.args.get("organisatie", "")[:120] or None,
        community=request.args.get("gemeenschap", "")[:120] or None,
        status=PilotStatus(status) if status in {s.value for s in PilotStatus} else None,
    )


def _query_args(filters: services.OverviewFilters) -> dict[str, str]:
    values: dict[str, Any] = {
        "thema": filters.theme,
        "organisatie": filters.organisation,
        "gemeenschap": filters.community,
        "status": filters.status,
    }
    return {name: str(value) for name, value in values.items() if value}


def _filter_community(filters: services.OverviewFilters) -> Community | None:
    if not filters.community:
        return None
    return db.session.scalar(
        sa.select(Community).where(
            Community.slug == filters.community, communities.visible_filter(current_user)
        )
    )


@bp.get("")
def index() -> str:
    filters = _filters()
    page = db.paginate(
        # A pilot's few themes and organisations joined to its row: two statements fewer.
        services.overview_query(filters, current_user).options(
            joinedload(Pilot.themes),
            joinedload(Pilot.participants).options(
                joinedload(PilotOrganisation.organisation), joinedload(PilotOrganisation.sponsor)
            ),
        ),
        per_page=PER_PAGE,
        error_out=False,
    )
    pilots = list(page.items)
    evaluations = evaluations_for_pilots([pilot.id for pilot in pilots])
    return render_template(
        "pilots/index.html",
        page=page,
        pilots=pilots,
        filters=filters,
        query_args=_query_args(filters),
        checklists=checklists_for(pilots, evaluations),
        evaluations=evaluations,
        themes=services.filter_themes(),
        organisations=services.filter_organisations(current_user),
        statuses=list(PilotStatus),
        community=_filter_community(filters),
        mine=services.my_pilots(current_user),
    )


# -- writing a charter ---------------------------------------------------------------------------


def _organisation_or_none(text: str) -> Organisation | None:
    try:
        return services.find_organisation(text, "organisation") if text.strip() else None
    except ServiceError:
        return None


def _charter_choices(
    form: CharterForm, pilot: Pilot | None, origin: Community | None
) -> dict[int, tuple[list[str], list[str]]]:
    """Fill the choices from what the form holds now (a re-shown form offers what fits its
    communities and organisations); returns name suggestions per organisation row."""
    user = current_user
    community_list = services.community_choices(user, pilot, origin)
    form.communities.choices = choices((c.id, c.name) for c in community_list)
    chosen_ids = set(form.communities.data or [])
    chosen = [c for c in community_list if c.id in chosen_ids]
    kept_themes = {t.id for t in pilot.themes} if pilot else set()
    language = current_language()
    form.themes.choices = choices(
        (theme.id, theme.name(language))
        for theme in list_themes(include_inactive=True)
        if theme.active or theme.id in kept_themes
    )
    kept_questions = list(pilot.questions) if pilot else []
    ticked = set(form.questions.data or []) - {q.id for q in kept_questions}
    if ticked:
        kept_questions += services.visible_questions_by_id(ticked, user)
    questions = services.question_choices(user, chosen, kept_questions)
    form.questions.choices = choices((q.id, q.title) for q in questions)
    suggestions: dict[int, tuple[list[str], list[str]]] = {}
    organisation_ids = []
    for index, row in enumerate(form.organisations):
        organisation = _organisation_or_none(row.organisation.data or "")
        if organisation is not None:
            organisation_ids.append(organisation.id)
            suggestions[index] = (
                [u.display_name for u in services.contact_suggestions(organisation)],
                [u.display_name for u in services.sponsor_suggestions(organisation)],
            )
    kept_offerings = list(pilot.offerings) if pilot else []
    ticked = set(form.offerings.data or []) - {o.id for o in kept_offerings}
    if ticked:
        kept_offerings += services.published_offerings_by_id(ticked)
    offerings = services.offering_choices(
        set(form.themes.data or []), organisation_ids, kept_offerings
    )
    form.offerings.choices = choices(
        (o.id, f"{o.title} ({o.provider.name})" if o.provider else o.title) for o in offerings
    )
    return suggestions


def _participants(form: CharterForm) -> tuple[list[services.ParticipantFields], list[int]]:
    """The filled-in organisation rows as participants, and the row each came from."""
    participants, rows = [], []
    for index, row in enumerate(form.organisations):
        prefix = f"organisations-{index}-"
        name = (row.organisation.data or "").strip()
        rest = [row.contact.data, row.sponsor.data, row.contribution.data, row.dependency.data]
        if not name:
            if any((value or "").strip() for value in rest):
                raise ServiceError(
                    _("Name the organisation of this row, or empty the row."),
                    prefix + "organisation",
                )
            continue
        organisation = services.find_organisation(name, prefix + "organisation")
        contact = services.find_person(
            row.contact.data or "", organisation, sponsor=False, field_name=prefix + "contact"
        )
        sponsor = services.find_person(
            row.sponsor.data or "", organisation, sponsor=True, field_name=prefix + "sponsor"
        )
        participants.append(
            services.ParticipantFields(
                organisation_id=organisation.id,
                contact_id=contact.id if contact else None,
                sponsor_id=sponsor.id if sponsor else None,
                contribution=row.contribution.data or "",
                dependency=row.dependency.data or "",
            )
        )
        rows.append(index)
    return participants, rows


def _charter_fields(form: CharterForm) -> tuple[services.CharterFields, list[int]]:
    participants, rows = _participants(form)
    fields = services.CharterFields(
        title=form.title.data or "",
        summary=form.summary.data or "",
        goals=form.goals.data or "",
        activities=form.activities.data or "",
        evaluation_plan=form.evaluation_plan.data or "",
        sharing_plan=form.sharing_plan.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        community_ids=list(form.communities.data or []),
        theme_ids=list(form.themes.data or []),
        question_ids=list(form.questions.data or []),
        offering_ids=list(form.offerings.data or []),
        participants=participants,
        change_note=form.change_note.data or "",
    )
    return fields, rows


def _attach(form: Any, error: ServiceError, rows: list[int] | None = None) -> None:
    """Show a service's error next to its field, also inside an organisation row."""
    name = error.field or ""
    if name.startswith("participants.") and rows is not None:
        _prefix, index, field_name = name.split(".")
        name = f"organisations-{rows[int(index)]}-{field_name}"
    if name.startswith("organisations-"):
        _prefix, index, field_name = name.split("-", 2)
        entry = form.organisations[int(index)][field_name]
        entry.errors = [*entry.errors, error.message]
        return
    attach_error(form, error)


def _spare_rows(form: CharterForm) -> None:
    """An empty organisation row after the filled ones (within the limit)."""
    filled = sum(1 for row in form.organisations if (row.organisation.data or "").strip())
    target = min(max(ORGANISATION_ROWS, filled + 1), services.MAX_ORGANISATIONS)
    while len(form.organisations) < target:
        form.organisations.append_entry()


def _add_row(form: CharterForm) -> None:
    """ "Add another organisation": one more row (within the limit)."""
    if len(form.organisations) < services.MAX_ORGANISATIONS:
        form.organisations.append_entry()


def _render_charter_form(
    form: CharterForm,
    pilot: Pilot | None,
    origin: Community | None,
    suggestions: dict[int, tuple[list[str], list[str]]],
    status: int,
) -> tuple[str, int]:
    return render_template(
        "pilots/form.html",
        form=form,
        pilot=pilot,
        origin=origin,
        suggestions=suggestions,
        organisation_names=services.organisation_names(),
        max_rows=services.MAX_ORGANISATIONS,
    ), status


def _origin() -> Community | None:
    """The community a proposal starts from (?gemeenschap=), if the proposer facilitates it."""
    slug = request.args.get("gemeenschap", "")[:120]
    if not slug:
        return None
    community = communities.community_by_slug(slug)
    require(community is not None and services.can_propose_from(current_user, community))
    return community


def _wants_more_rows() -> bool:
    return request.method == "POST" and request.form.get("action") == "more"


@bp.route("/voorstellen", methods=["GET", "POST"])
@login_required
def propose() -> Response | tuple[str, int]:
    origin = _origin()
    require(origin is not None or bool(services.facilitated_communities(current_user)))
    form = CharterForm()
    if request.method == "GET" and origin is not None:
        form.communities.data = [origin.id]
        form.themes.data = [theme.id for theme in origin.themes]
    if _wants_more_rows():
        _add_row(form)
        suggestions = _charter_choices(form, None, origin)
        return _render_charter_form(form, None, origin, suggestions, 200)
    suggestions = _charter_choices(form, None, origin)
    if form.validate_on_submit():
        rows: list[int] = []
        try:
            fields, rows = _charter_fields(form)
            pilot = services.propose(current_user, fields)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            _attach(form, error, rows)
        else:
            db.session.commit()
            flash(
                _(
                    "The pilot is proposed. The contacts of the organisations are asked to "
                    "approve the charter."
                ),
                "success",
            )
            return redirect(_show_url(pilot))
    status = 400 if request.method == "POST" else 200
    return _render_charter_form(form, None, origin, suggestions, status)


def _charter_data(pilot: Pilot) -> dict[str, Any]:
    """The charter as the form shows it: people by name."""
    return {
        "title": pilot.title,
        "summary": pilot.summary,
        "goals": pilot.goals,
        "activities": pilot.activities,
        "evaluation_plan": pilot.evaluation_plan,
        "sharing_plan": pilot.sharing_plan,
        "starts_on": pilot.starts_on,
        "ends_on": pilot.ends_on,
        "communities": [c.id for c in pilot.communities],
        "themes": [t.id for t in pilot.themes],
        "questions": [q.id for q in pilot.questions],
        "offerings": [o.id for o in pilot.offerings],
        "organisations": [
            {
                "organisation": row.organisation.name,
                "contact": row.contact.display_name if row.contact else "",
                "sponsor": row.sponsor.display_name if row.sponsor else "",
                "contribution": row.contribution,
                "dependency": row.dependency,
            }
            for row in pilot.participants
        ],
    }


@bp.route(PILOT + "/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    if pilot.status in services.RUNNING_EDITABLE:
        return _edit_running(pilot)
    if pilot.status not in services.CHARTER_EDITABLE:
        flash(_("A concluded or stopped pilot can no longer change."), "warning")
        return redirect(_show_url(pilot))  # type: ignore[return-value]
    form = CharterForm(data=_charter_data(pilot) if request.method == "GET" else None)
    if request.method == "GET":
        _spare_rows(form)
    elif _wants_more_rows():
        _add_row(form)
    suggestions = _charter_choices(form, pilot, None)
    if _wants_more_rows():
        return _render_charter_form(form, pilot, None, suggestions, 200)
    if form.validate_on_submit():
        rows: list[int] = []
        try:
            fields, rows = _charter_fields(form)
            changed = services.update_charter(pilot, current_user, fields)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            _attach(form, error, rows)
        else:
            db.session.commit()
            if not changed:
                flash(_("Nothing changed."), "info")
            elif pilot.status == PilotStatus.CHANGES_REQUESTED:
                flash(
                    _(
                        "The charter is saved as version %(num)d. Send it for approval again "
                        "when it is ready.",
                        num=pilot.charter_version,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "The charter is saved as version %(num)d. Every organisation approves "
                        "it again.",
                        num=pilot.charter_version,
                    ),
                    "success",
                )
            return redirect(_show_url(pilot))
    status = 400 if request.method == "POST" else 200
    return _render_charter_form(form, pilot, None, suggestions, status)


def _edit_running(pilot: Pilot) -> Response | tuple[str, int]:
    data = {
        "activities": pilot.activities,
        "evaluation_plan": pilot.evaluation_plan,
        "sharing_plan": pilot.sharing_plan,
        "ends_on": pilot.ends_on,
    }
    form = RunningCharterForm(data=data if request.method == "GET" else None)
    if form.validate_on_submit():
        fields = services.RunningFields(
            activities=form.activities.data or "",
            evaluation_plan=form.evaluation_plan.data or "",
            sharing_plan=form.sharing_plan.data or "",
            ends_on=form.ends_on.data,
            change_note=form.change_note.data or "",
        )
        try:
            changed = services.update_running_charter(pilot, current_user, fields)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The plan is saved.") if changed else _("Nothing changed."), "success")
            return redirect(_show_url(pilot))
    status = 400 if request.method == "POST" else 200
    return render_template("pilots/running_form.html", form=form, pilot=pilot), status


# -- the pilot's page ----------------------------------------------------------------------------


def _waiting_rows(pilot: Pilot, access: PilotAccess) -> list[Any]:
    """The organisations this person speaks for whose approval the charter waits for."""
    if pilot.status != PilotStatus.PROPOSED:
        return []
    return [row for row in access.contact_rows() if not services.is_approved(row, pilot)]


def _last_request_for_changes(events: list[PilotEvent]) -> PilotEvent | None:
    return next((e for e in reversed(events) if e.kind == PilotEventKind.CHANGES_REQUESTED), None)


def _render_pilot(
    pilot: Pilot, access: PilotAccess, status: int = 200, **forms: Any
) -> tuple[str, int]:
    evaluations = evaluations_for_pilots([pilot.id])
    events = services.timeline(pilot)
    waiting = _waiting_rows(pilot, access)
    approval_forms = {
        row.organisation_id: forms.get(f"approval_{row.organisation_id}")
        or ApprovalForm(prefix=f"org{row.organisation_id}", version=pilot.charter_version)
        for row in waiting
    }
    conclude_form = forms.get("conclude_form")
    if access.is_lead and pilot.status == PilotStatus.EVALUATING:
        conclude_form = conclude_form or ConcludeForm(prefix="conclude")
        conclude_form.report.choices = choices(
            [(0, _("Choose…"))]
            + [
                (o.id, f"{o.title} ({o.community.name})")
                for o in services.evaluation_reports(pilot)
            ]
        )
    return render_template(
        "pilots/show.html",
        pilot=pilot,
        access=access,
        checklist=checklists_for([pilot], evaluations)[pilot.id],
        evaluation=evaluations[pilot.id],
        events=events,
        last_changes=_last_request_for_changes(events),
        links=services.pilot_links(pilot, current_user),
        offerings=services.shown_offerings(pilot),
        sessions=services.upcoming_sessions(pilot, current_user),
        waiting=waiting,
        approval_forms=approval_forms,
        start_form=forms.get("start_form") or StepForm(prefix="start"),
        evaluate_form=forms.get("evaluate_form") or StepForm(prefix="evaluate"),
        resubmit_form=forms.get("resubmit_form") or StepForm(prefix="resubmit"),
        conclude_form=conclude_form,
        stop_form=forms.get("stop_form") or StopForm(prefix="stop"),
        comment_form=forms.get("comment_form") or CommentForm(prefix="comment"),
        is_approved=services.is_approved,
        stoppable=pilot.status in services.STOPPABLE,
        editable=pilot.status in (*services.CHARTER_EDITABLE, *services.RUNNING_EDITABLE),
    ), status


@bp.get(PILOT)
def show(slug: str) -> tuple[str, int]:
    pilot, access = _pilot(slug)
    return _render_pilot(pilot, access)


def _act(
    pilot: Pilot,
    access: PilotAccess,
    form: Any,
    form_name: str,
    action: Any,
    done: str,
    anchor: str = "steps",
) -> Response | tuple[str, int]:
    """Run a step from a form on the pilot's page: commit and say so; or roll back and show the
    error next to its field (the page again, filled in) or, for a step no longer possible, as a
    message above the page."""
    if not form.validate_on_submit():
        if form.errors and "csrf_token" not in form.errors:
            return _render_pilot(pilot, access, 400, **{form_name: form})
        abort(400)
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        if error.field:
            attach_error(form, error)
            return _render_pilot(pilot, access, 400, **{form_name: form})
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(_show_url(pilot, anchor))


@bp.post(PILOT + "/goedkeuring/<int:organisation_id>")
@login_required
def answer(slug: str, organisation_id: int) -> Response | tuple[str, int]:
    """A contact approves the charter for their organisation, or asks for changes."""
    pilot, access = _pilot(slug)
    require(any(row.organisation_id == organisation_id for row in access.contact_rows()))
    form = ApprovalForm(prefix=f"org{organisation_id}")
    decision = request.form.get("decision")
    if decision not in ("approve", "changes"):
        abort(400)
    comment = form.comment.data or ""
    if decision == "approve":
        outcome: dict[str, bool] = {}

        def approve() -> None:
            outcome["last"] = services.approve(
                pilot,
                current_user,  # type: ignore[arg-type]
                organisation_id,
                form.version.data or 0,
                comment,
            )

        response = _act(
            pilot,
            access,
            form,
            f"approval_{organisation_id}",
            approve,
            _("Your approval is recorded."),
        )
        if outcome.get("last"):
            flash(_("Every organisation has approved: the pilot can start."), "success")
        return response
    return _act(
        pilot,
        access,
        form,
        f"approval_{organisation_id}",
        lambda: services.request_changes(pilot, current_user, organisation_id, comment),  # type: ignore[arg-type]
        _("Your request for changes is sent to the pilot's leads."),
    )


@bp.post(PILOT + "/opnieuw-voorleggen")
@login_required
def resubmit(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    form = StepForm(prefix="resubmit")
    return _act(
        pilot,
        access,
        form,
        "resubmit_form",
        lambda: services.resubmit(pilot, current_user, form.comment.data or ""),  # type: ignore[arg-type]
        _("The charter is sent for approval again."),
    )


@bp.post(PILOT + "/starten")
@login_required
def start(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    form = StepForm(prefix="start")
    return _act(
        pilot,
        access,
        form,
        "start_form",
        lambda: services.start(pilot, current_user, form.comment.data or ""),  # type: ignore[arg-type]
        _("The pilot is running."),
    )


@bp.post(PILOT + "/evalueren")
@login_required
def evaluate(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    form = StepForm(prefix="evaluate")
    return _act(
        pilot,
        access,
        form,
        "evaluate_form",
        lambda: services.start_evaluation(pilot, current_user, form.comment.data or ""),  # type: ignore[arg-type]
        _("The pilot is being evaluated."),
    )


@bp.post(PILOT + "/afronden")
@login_required
def conclude(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    form = ConcludeForm(prefix="conclude")
    return _act(
        pilot,
        access,
        form,
        "conclude_form",
        lambda: services.conclude(
            pilot,
            current_user,  # type: ignore[arg-type]
            form.report.data or None,
            form.comment.data or "",
        ),
        _("The pilot is concluded. Its evaluation report is on its page."),
    )


@bp.post(PILOT + "/stoppen")
@login_required
def stop(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_lead)
    form = StopForm(prefix="stop")
    return _act(
        pilot,
        access,
        form,
        "stop_form",
        lambda: services.stop(pilot, current_user, form.reason.data or ""),  # type: ignore[arg-type]
        _("The pilot is stopped."),
    )


@bp.post(PILOT + "/reageren")
@login_required
def comment(slug: str) -> Response | tuple[str, int]:
    pilot, access = _pilot(slug)
    require(access.is_owner)
    form = CommentForm(prefix="comment")
    return _act(
        pilot,
        access,
        form,
        "comment_form",
        lambda: services.add_comment(pilot, current_user, form.comment.data or ""),  # type: ignore[arg-type]
        _("Your comment is on the timeline."),
        anchor="timeline",
    )


# -- words and numbers for the templates ---------------------------------------------------------


def _event_label(event: PilotEvent) -> str:
    name = event.organisation.name if event.organisation else _("an organisation")
    return str(EVENT_LABELS[PilotEventKind(event.kind)]) % {"organisation": name}


def _rate(evaluation: PilotEvaluation) -> str | None:
    rate = evaluation.latest_rate
    return format_percent(rate) if rate is not None else None


def _mean(evaluation: PilotEvaluation) -> str | None:
    mean = evaluation.latest_scale_mean
    return format_decimal(mean, format="0.0") if mean is not None else None


# -- panels on other pages -----------------------------------------------------------------------


def _start_page(user: Any) -> dict[str, Any]:
    """Charters waiting for this person's approval, for their start page."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"pilots_to_approve": services.awaiting_approval(user)}


def _organisation_section(organisation: Organisation) -> tuple[str, dict[str, object]] | None:
    pilots = services.pilots_of_organisation(organisation)
    if not pilots:
        return None
    return "pilots/_organisation_section.html", {"pilots": pilots}


def _community_panel(
    community: Community, access: communities.Access
) -> tuple[str, dict[str, object]] | None:
    """Links, not a list: the community's home is at its budget of ten statements, so its
    pilots are one click away (the overview filtered by the community) and facilitators get
    "propose as pilot". No statement at all."""
    if not access.can_read:
        return None
    return "pilots/_community_panel.html", {
        "pilots_url": url_for("pilots.index", gemeenschap=community.slug),
        "propose_url": url_for("pilots.propose", gemeenschap=community.slug)
        if access.can_facilitate and not community.is_closed
        else None,
    }


def init_app(app: Flask) -> None:
    add_hook(app, "start_page", _start_page)
    add_hook(app, "organisation_page", _organisation_section)
    add_hook(app, "community_home", _community_panel)
    app.jinja_env.globals.update(
        pilot_status_label=lambda value: STATUS_LABELS[PilotStatus(value)],
        pilot_status_short=lambda value: STATUS_SHORT[PilotStatus(value)],
        pilot_event_label=_event_label,
        pilot_response_rate=_rate,
        pilot_scale_mean=_mean,
    )
    app.register_blueprint(bp)
