"""Admin pages. Non-admins get a 404, as if the pages did not exist."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from plc.admin import services
from plc.admin.forms import RolesForm, ThemeForm
from plc.auth import services as auth_services
from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.outbox import MailState, OutboxMessage, retry_message
from plc.core.permissions import admin_required
from plc.extensions import db
from plc.themes import services as theme_services
from plc.themes.models import Theme

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PER_PAGE = 25
MAIL_STATE_LABELS = {
    MailState.QUEUED: _l("Queued"),
    MailState.SENDING: _l("Being sent"),
    MailState.SENT: _l("Sent"),
    MailState.LOGGED: _l("Written to the log"),
    MailState.FAILED: _l("Failed"),
}


@bp.before_request
@admin_required
def _only_admins() -> None:
    """Every admin page, including ones added later, is for admins only."""


@bp.get("/")
def index() -> str:
    return render_template("admin/index.html", counts=services.overview_counts())


@bp.get("/gebruikers")
def users() -> str:
    text = request.args.get("q", "")
    page = db.paginate(services.user_search_query(text), per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, q=text)


@bp.get("/gebruikers/<int:user_id>")
def user_detail(user_id: int) -> str:
    user = db.get_or_404(User, user_id)
    roles = RolesForm(obj=user)
    return render_template("admin/user.html", person=user, roles=roles, confirm=ConfirmForm())


@bp.post("/gebruikers/<int:user_id>/actief")
def set_user_active(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    activate = request.form.get("active") == "1"
    if user.id == current_user.id and not activate:
        flash(_("You cannot deactivate your own account."), "danger")
    else:
        auth_services.set_active(user, activate)
        db.session.commit()
        flash(
            _("The account is active again.") if activate else _("The account is deactivated."),
            "success",
        )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/gebruikers/<int:user_id>/rollen")
def set_user_roles(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            auth_services.set_platform_roles(
                user,
                is_admin=form.is_admin.data,
                is_coordinator=form.is_coordinator.data,
                acting=current_user._get_current_object(),  # type: ignore[attr-defined]
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The roles have been saved."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user.html", person=user, roles=form, confirm=ConfirmForm()), 400  # type: ignore[return-value]


@bp.get("/themas")
def themes() -> str:
    return render_template(
        "admin/themes.html", themes=theme_services.list_themes(include_inactive=True)
    )


@bp.route("/themas/nieuw", methods=["GET", "POST"])
def new_theme() -> str | Response:
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme_services.create_theme(
                form.name_nl.data or "", form.name_en.data or "", form.slug.data
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The theme has been added."), "success")
            return redirect(url_for("admin.themes"))
    return render_template("admin/theme_form.html", form=form, theme=None)


@bp.route("/themas/<int:theme_id>", methods=["GET", "POST"])
def edit_theme(theme_id: int) -> str | Response:
    theme = db.get_or_404(Theme, theme_id)
    form = ThemeForm(obj=theme)
    if form.validate_on_submit():
        try:
            theme_services.update_theme(
                theme,
                name_nl=form.name_nl.data or "",
                name_en=form.name_en.data or "",
                slug=form.slug.data or form.name_nl.data or "",
                active=form.active.data,
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The theme has been saved."), "success")
            return redirect(url_for("admin.themes"))
    return render_template("admin/theme_form.html", form=form, theme=theme)


@bp.get("/outbox")
def outbox() -> str:
    state = request.args.get("state") or None
    page = db.paginate(services.outbox_query(state), per_page=PER_PAGE, error_out=False)
    return render_template(
        "admin/outbox.html", page=page, state=state, states=list(MailState), confirm=ConfirmForm()
    )


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int) -> str:
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message, confirm=ConfirmForm())


@bp.post("/outbox/<int:message_id>/opnieuw")
def retry_outbox_message(message_id: int) -> Response:
    message = db.get_or_404(OutboxMessage, message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if message.state in (MailState.FAILED, MailState.SENDING):
        retry_message(message)
        db.session.commit()
        flash(_("The message will be sent again."), "success")
    return redirect(url_for("admin.outbox_message", message_id=message.id))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["mail_state_label"] = lambda state: MAIL_STATE_LABELS[MailState(state)]
    app.register_blueprint(bp)
