"""Session pages: the community's sessions, planning, a session, sign-up, changes, cancelling,
calendars, the live room's page, the summary afterwards, and the personal agenda."""

from __future__ import annotations

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
from flask_babel import gettext as _
from flask_login import current_user, login_required

from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.hooks import add_hook
from plc.core.models import utcnow
from plc.core.permissions import require
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge import services as knowledge
from plc.live import calendar, realtime, services
from plc.live.access import SessionAccess, session_access
from plc.live.forms import CancelForm, EditSessionForm, NewSessionForm, NotesForm, SessionForm
from plc.live.models import Audience, Frequency, LiveSession, RsvpStatus, SessionMode

bp = Blueprint("live", __name__)
COMMUNITY = "/gemeenschappen/<slug>/sessies"
SESSION = COMMUNITY + "/<int:session_id>"
ICS_TYPE = "text/calendar; charset=utf-8"
#: Seconds after which the live room's page may be asked for again while it is unavailable.
ROOM_RETRY_AFTER = 30


def _community(slug: str) -> tuple[Community, communities.Access]:
    community = communities.community_by_slug(slug)
    require(community is not None)
    access = communities.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_see)
    return community, access  # type: ignore[return-value]


def _session(slug: str, session_id: int) -> tuple[LiveSession, SessionAccess]:
    session = db.session.get(LiveSession, session_id)
    require(session is not None and session.community.slug == slug)
    access = session_access(session, current_user)  # type: ignore[arg-type]
    require(access.can_see)
    return session, access  # type: ignore[return-value]


def _detail_url(session: LiveSession) -> str:
    return url_for("live.detail", slug=session.community.slug, session_id=session.id)


def _fields(form: SessionForm) -> services.SessionFields:
    return services.SessionFields(
        title=form.title.data or "",
        agenda=form.agenda.data or "",
        day=form.day.data,  # type: ignore[arg-type]
        start=form.start.data,  # type: ignore[arg-type]
        end=form.end.data,  # type: ignore[arg-type]
        mode=SessionMode(form.mode.data),
        location=form.location.data or "",
        video_url=form.video_url.data or "",
        capacity=form.capacity.data,
        audience=Audience(form.audience.data),
    )


def _calendar_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


# -- a community's sessions ---------------------------------------------------------------------


def _listed_sessions(
    community: Community, access: communities.Access
) -> tuple[list[LiveSession], list[LiveSession]]:
    """Upcoming and past sessions: all for readers; outsiders see only those open to them."""
    upcoming = [
        s
        for s in services.community_sessions(community, upcoming=True)
        if access.can_read or s.audience == Audience.EVERYONE
    ]
    past = (
        list(services.community_sessions(community, upcoming=False, limit=50))
        if access.can_read
        else []
    )
    return upcoming, past


@bp.get(COMMUNITY)
def index(slug: str) -> str:
    community, access = _community(slug)
    sessions, past = _listed_sessions(community, access)
    return render_template(
        "live/index.html", community=community, access=access, sessions=sessions, past=past
    )


@bp.get(COMMUNITY + ".ics")
def community_calendar(slug: str) -> Response:
    community, access = _community(slug)
    sessions, past = _listed_sessions(community, access)
    return _calendar_response(
        calendar.build_calendar([*past, *sessions], community.name), f"{community.slug}.ics"
    )


@bp.route(COMMUNITY + "/nieuw", methods=["GET", "POST"])
@login_required
def new(slug: str) -> str | Response:
    community, access = _community(slug)
    require(access.can_edit)
    form = NewSessionForm()
    if form.validate_on_submit():
        try:
            session = services.plan_session(
                community,
                current_user,  # type: ignore[arg-type]
                _fields(form),
                repeat=Frequency(form.repeat.data) if form.repeat.data else None,
                occurrences=form.occurrences.data or 1,
                idempotency_key=form.idempotency_key.data,
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The session is planned."), "success")
            return redirect(_detail_url(session))
    return render_template("live/form.html", community=community, form=form, session=None), (
        400 if form.errors else 200
    )  # type: ignore[return-value]


# -- one session --------------------------------------------------------------------------------


@bp.get(SESSION)
def detail(slug: str, session_id: int) -> str:
    session, access = _session(slug, session_id)
    rsvp = services.rsvp_of(session, current_user)
    return render_template(
        "live/detail.html",
        community=session.community,
        session=session,
        access=access,
        rsvp=rsvp,
        position=services.waitlist_position(rsvp) if rsvp else None,
        participants=services.participants(session) if access.can_facilitate else None,
        confirm=ConfirmForm(),
        statuses=RsvpStatus,
    )


@bp.post(SESSION + "/aanmelding")
@login_required
def respond(slug: str, session_id: int) -> Response:
    session, access = _session(slug, session_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        status = RsvpStatus(request.form.get("status", ""))
        rsvp = services.respond(session, access, current_user, status)  # type: ignore[arg-type]
    except ValueError as error:  # ServiceError is a ValueError; so is an unknown status
        db.session.rollback()
        message = (
            error.message
            if isinstance(error, ServiceError)
            else _("Choose going, maybe or not going.")
        )
        flash(str(message), "danger")
        return redirect(_detail_url(session))
    db.session.commit()
    flash(_rsvp_message(rsvp.status), "success")
    return redirect(_detail_url(session))


def _rsvp_message(status: RsvpStatus) -> str:
    return {
        RsvpStatus.GOING: _("You are going. See you there!"),
        RsvpStatus.MAYBE: _("You answered maybe."),
        RsvpStatus.NOT_GOING: _("You are not going."),
        RsvpStatus.WAITLISTED: _(
            "The session is full: you are on the waiting list. We will mail you when a place frees up."
        ),
    }[status]


@bp.route(SESSION + "/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str, session_id: int) -> str | Response:
    session, access = _session(slug, session_id)
    require(access.can_facilitate and not session.is_cancelled)
    form = EditSessionForm(data=None if request.method == "POST" else _form_data(session))
    if form.validate_on_submit():
        try:
            changed = services.update_session(
                session,
                current_user,  # type: ignore[arg-type]
                _fields(form),
                following=form.scope.data == "following",
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("%(count)d sessions changed.", count=len(changed))
                if len(changed) > 1
                else _("The session is changed."),
                "success",
            )
            return redirect(_detail_url(session))
    return render_template(
        "live/form.html", community=session.community, form=form, session=session
    ), (400 if form.errors else 200)  # type: ignore[return-value]


def _form_data(session: LiveSession) -> dict[str, object]:
    fields = services.SessionFields.of(session)
    return {
        **fields.__dict__,
        "mode": fields.mode.value,
        "audience": fields.audience.value,
        "scope": "this",
    }


@bp.route(SESSION + "/annuleren", methods=["GET", "POST"])
@login_required
def cancel(slug: str, session_id: int) -> str | Response:
    session, access = _session(slug, session_id)
    require(access.can_facilitate and not session.is_cancelled)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancelled = services.cancel_session(
                session,
                current_user,  # type: ignore[arg-type]
                form.message.data or "",
                following=form.scope.data == "following",
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(count)d sessions cancelled; everyone who signed up gets your message.",
                    count=len(cancelled),
                ),
                "success",
            )
            return redirect(_detail_url(session))
    return render_template(
        "live/cancel.html", community=session.community, session=session, form=form
    ), (400 if form.errors else 200)  # type: ignore[return-value]


@bp.get(SESSION + ".ics")
def session_calendar(slug: str, session_id: int) -> Response:
    session, _access = _session(slug, session_id)
    return _calendar_response(
        calendar.build_calendar([session], session.community.name), f"sessie-{session.id}.ics"
    )


@bp.get(SESSION + "/live")
@login_required
def room(slug: str, session_id: int) -> str | Response:
    session, access = _session(slug, session_id)
    require(access.may_come or access.can_facilitate)
    if not access.can_enter_room:
        return render_template(
            "live/room_closed.html", community=session.community, session=session, access=access
        ), 403  # type: ignore[return-value]
    if not realtime.message_queue_available():
        # Scaled mode with Redis away: every message of the room goes through Redis, also to
        # people on this process, so the room would connect and then stay silent. Say so
        # instead; the page works again by itself once Redis answers (Socket.IO reconnects).
        page = render_template(
            "live/room_unavailable.html",
            community=session.community,
            session=session,
        )
        return Response(page, 503, {"Retry-After": str(ROOM_RETRY_AFTER)})
    return render_template(
        "live/room.html", community=session.community, session=session, access=access
    )


@bp.get(SESSION + "/verslag")
def summary(slug: str, session_id: int) -> str:
    from plc.live.room import room_summary

    session, access = _session(slug, session_id)
    require(access.community.can_read or access.may_come)
    summary = room_summary(session)
    return render_template(
        "live/summary.html",
        community=session.community,
        session=session,
        access=access,
        summary=summary,
        own_minutes=_own_minutes(summary),
        draft=knowledge.draft_for_session(session) if access.can_facilitate else None,
        notes_form=NotesForm(notes=session.notes),
        confirm=ConfirmForm(),
    )


def _own_minutes(summary: object) -> int | None:
    """The viewer's attended minutes, or None when they were not in the room."""
    if not current_user.is_authenticated:
        return None
    return next(
        (stay.minutes for stay in summary.attendance if stay.user.id == current_user.id),  # type: ignore[attr-defined]
        None,
    )


@bp.post(SESSION + "/notities")
@login_required
def save_notes(slug: str, session_id: int) -> str | Response:
    session, access = _session(slug, session_id)
    require(access.can_facilitate)
    form = NotesForm()
    if form.validate_on_submit():
        services.save_notes(session, form.notes.data or "")
        db.session.commit()
        flash(_("The notes are saved."), "success")
    else:
        flash(
            _("The notes could not be saved: %(errors)s", errors=" ".join(form.notes.errors)),
            "danger",
        )
    return redirect(url_for("live.summary", slug=slug, session_id=session.id) + "#notities")


@bp.post(SESSION + "/uren")
@login_required
def credit(slug: str, session_id: int) -> Response:
    session, access = _session(slug, session_id)
    require(access.can_facilitate)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not session.is_past():
        flash(_("Hours are credited once the session is over."), "danger")
    else:
        count = services.credit_attendance(session)
        db.session.commit()
        flash(_("Attended time credited to %(count)d participants.", count=count), "success")
    return redirect(url_for("live.summary", slug=slug, session_id=session.id))


# -- across communities -------------------------------------------------------------------------


@bp.get("/sessies")
def upcoming() -> str:
    sessions = services.upcoming_sessions_for(current_user, limit=100)
    return render_template("live/upcoming.html", sessions=sessions)


@bp.get("/agenda")
@login_required
def agenda() -> str:
    mine = services.my_sessions(current_user, since=utcnow())  # type: ignore[arg-type]
    return render_template(
        "live/agenda.html",
        mine=mine,
        feed_url=_feed_url() if services.has_feed(current_user) else None,  # type: ignore[arg-type]
        confirm=ConfirmForm(),
    )


def _feed_url() -> str:
    token = services.feed_token(current_user)  # type: ignore[arg-type]
    return external_url("live.personal_calendar", token=token)


@bp.post("/agenda/agenda-adres")
@login_required
def feed_address() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reset = request.form.get("reset") == "1"
    services.feed_token(current_user, reset=reset)  # type: ignore[arg-type]
    db.session.commit()
    flash(
        _("You have a new calendar address; the old one no longer works.")
        if reset
        else _("Your calendar address is ready. Add it to your calendar program."),
        "success",
    )
    return redirect(url_for("live.agenda") + "#agenda-adres")


@bp.get("/agenda/<token>.ics")
def personal_calendar(token: str) -> Response:
    user = services.user_for_feed_token(token)
    require(user is not None)
    since = utcnow() - services.FEED_HISTORY
    sessions = [session for session, _rsvp in services.my_sessions(user, since=since)]  # type: ignore[arg-type]
    return _calendar_response(
        calendar.build_calendar(sessions, _("Leernetwerk Amsterdam: my sessions")),
        "leernetwerk.ics",
    )


# -- panels on other pages -----------------------------------------------------------------------


def _home_panel(
    community: Community, access: communities.Access
) -> tuple[str, dict[str, object]] | None:
    sessions = [
        s
        for s in services.community_sessions(community, upcoming=True, limit=5)
        if access.can_read or s.audience == Audience.EVERYONE
    ]
    if not access.can_read and not sessions:
        return None
    return "live/_home_panel.html", {"sessions": sessions, "can_plan": access.can_edit}


def _start_page(user: object) -> dict[str, object]:
    return {"upcoming_sessions": services.upcoming_sessions_for(user, limit=5)}


def init_app(app: Flask) -> None:
    add_hook(app, "community_home", _home_panel)
    add_hook(app, "start_page", _start_page)
    app.register_blueprint(bp)
