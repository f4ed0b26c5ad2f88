"""The notification centre, following and muting, digest settings and unsubscribing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.communities.models import Community
from plc.communities.services import access_for
from plc.core.forms import ConfirmForm
from plc.core.hooks import add_hook
from plc.core.permissions import require
from plc.core.urls import safe_next
from plc.discussions.models import Thread
from plc.extensions import csrf, db
from plc.notifications import services
from plc.notifications.forms import SettingsForm
from plc.notifications.models import DigestFrequency, Notification

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")
PER_PAGE = 30


@bp.get("")
@login_required
def centre() -> str:
    page = db.paginate(services.centre_query(current_user), per_page=PER_PAGE, error_out=False)  # type: ignore[arg-type]
    return render_template("notifications/centre.html", page=page, confirm=ConfirmForm())


@bp.get("/<int:notification_id>")
@login_required
def open_notification(notification_id: int) -> Response:
    notification = db.session.get(Notification, notification_id)
    require(notification is not None and notification.user_id == current_user.id)
    services.mark_read(notification)  # type: ignore[arg-type]
    db.session.commit()
    if notification.link and notification.link.startswith("/"):  # type: ignore[union-attr]
        return redirect(notification.link)  # type: ignore[union-attr]
    thread = notification.thread  # type: ignore[union-attr]
    if thread is None or thread.deleted_at is not None:
        return redirect(url_for("notifications.centre"))
    url = url_for("discussions.thread", slug=thread.community.slug, thread_id=thread.id)
    return redirect(f"{url}#bericht-{notification.post_id}" if notification.post_id else url)  # type: ignore[union-attr]


@bp.post("/alles-gelezen")
@login_required
def mark_all_read() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)  # type: ignore[arg-type]
    db.session.commit()
    return redirect(url_for("notifications.centre"))


@bp.post("/volgen")
@login_required
def follow() -> Response:
    mode = request.form.get("mode")
    if not ConfirmForm().validate_on_submit() or mode not in ("follow", "mute", "reset"):
        abort(400)
    target: dict[str, Any] = {}
    if request.form.get("thread_id", "").isdigit():
        thread = db.session.get(Thread, int(request.form["thread_id"]))
        require(thread is not None and access_for(thread.community, current_user).can_read)  # type: ignore[union-attr]
        target["thread"] = thread
    elif request.form.get("community_id", "").isdigit():
        community = db.session.get(Community, int(request.form["community_id"]))
        require(community is not None and access_for(community, current_user).can_read)  # type: ignore[arg-type]
        target["community"] = community
    else:
        abort(400)
    services.set_subscription(current_user, mode, **target)  # type: ignore[arg-type]
    db.session.commit()
    flash(
        {
            "follow": _("You follow this now."),
            "mute": _("You will no longer be notified about this."),
            "reset": _("Back to the usual notifications."),
        }[mode],
        "success",
    )
    return redirect(safe_next(request.form.get("next")) or url_for("notifications.centre"))


@bp.route("/instellingen", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    current = services.settings_for(current_user)  # type: ignore[arg-type]
    form = SettingsForm(digest=current.digest.value)
    if form.validate_on_submit():
        current.digest = DigestFrequency(form.digest.data)
        db.session.commit()
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("notifications.settings"))
    db.session.commit()  # the default settings row, created on first visit
    return render_template("notifications/settings.html", form=form)


@bp.route("/afmelden/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token in the link is the authorisation (a mail client has no session)
def unsubscribe(token: str) -> str | Response:
    user = services.user_for_unsubscribe_token(token)
    if user is None:
        abort(404)
    if request.method == "POST":
        services.settings_for(user).digest = DigestFrequency.OFF
        db.session.commit()
        return render_template("notifications/unsubscribed.html")
    return render_template("notifications/unsubscribe.html", token=token)


def _follow_state(*, thread: Thread | None = None, community: Community | None = None) -> str:
    """ "follow", "mute" or "" for the current user, for the follow buttons."""
    if not current_user.is_authenticated:
        return ""
    found = services.subscription(current_user, thread=thread, community=community)  # type: ignore[arg-type]
    if found is None:
        return ""
    return "mute" if found.muted else "follow"


def _layout() -> dict[str, Any]:
    return {
        "unread_notifications": lambda: (
            services.header_count(current_user) if current_user.is_authenticated else 0  # type: ignore[arg-type]
        )
    }


def init_app(app: Flask) -> None:
    add_hook(app, "login_columns", services.unread_in_login)
    services.connect_signals()
    app.context_processor(_layout)
    app.jinja_env.globals["follow_state"] = _follow_state
    app.register_blueprint(bp)
