"""Account pages: register, log in and out, reset a password, edit the profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from plc.auth import services
from plc.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    career_stage_label,
    school_type_label,
)
from plc.auth.models import CareerStage, SchoolType, User
from plc.auth.privacy_views import settle_privacy_at_login
from plc.core import pagecache
from plc.core.db import intend_write
from plc.core.errors import ServiceError
from plc.core.forms import attach_error
from plc.core.hooks import hooks
from plc.core.i18n import current_language
from plc.core.urls import safe_next
from plc.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def _load_user(session_key: str) -> User | None:
    return services.load_session_user(session_key)


@login_manager.unauthorized_handler
def _unauthorized() -> Response:
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _email_key() -> str:
    """Rate-limit key for the account being tried, so one address cannot be hammered."""
    try:
        return "email:" + services.normalise_email(request.form.get("email", ""))
    except ServiceError:
        return "email:invalid"


def _log_in(user: User, *, remember: bool) -> None:
    # A fresh cookie session at login: nothing set before it (fixation) survives.
    session.clear()
    services.start_session(user, remember=remember, user_agent=request.user_agent.string)
    login_user(user, remember=remember)
    settle_privacy_at_login(user)


def _start_recording_login(user: User) -> User | None:
    """End the password check's read transaction and begin the write transaction that records
    the login; the account as it is now (None if it changed meanwhile)."""
    user_id, checked_hash = user.id, user.password_hash
    db.session.commit()  # nothing was written: this only ends the read transaction
    intend_write()
    return services.confirm_login(user_id, checked_hash)


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(
                form.display_name.data or "",
                form.email.data or "",
                form.password.data or "",
                accepted_privacy=bool(form.accept_privacy.data),
                language=current_language(),
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            _log_in(user, remember=False)
            db.session.commit()
            flash(
                _(
                    "Welcome to Leernetwerk Amsterdam! Tell your colleagues a little about yourself."
                ),
                "success",
            )
            return redirect(url_for("auth.edit_profile"))
    return render_template("auth/register.html", form=form)


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], methods=["POST"], key_func=_email_key
)
def login() -> str | Response:
    # Checking a password costs some 100 ms of scrypt. It runs in a read transaction, so that
    # on SQLite other writers (other logins too) do not queue behind it for the write lock;
    # only recording a successful login writes (see plc.core.db).
    g.plc_db_write = False
    target = safe_next(request.args.get("next")) or url_for("core.home")
    if current_user.is_authenticated:
        return redirect(target)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            user = _start_recording_login(user)
        if user is None:
            form.form_errors.append(_("The e-mail address or password is not right."))
        else:
            _log_in(user, remember=bool(form.remember.data))
            db.session.commit()
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.post("/uitloggen")
def logout() -> Response:
    if current_user.is_authenticated and current_user.current_session_key:
        services.end_session(current_user.current_session_key)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RESET_ACCOUNT_RATE_LIMIT"], methods=["POST"], key_func=_email_key
)
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        db.session.commit()
        # The same answer whether or not the address is known: no account discovery.
        flash(
            _("If an account uses this address, we have sent it a link to set a new password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400  # type: ignore[return-value]
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data or "")
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password has been changed. Log in with your new password."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.get("/profiel")
@login_required
def profile() -> str:
    # Features add sections (organisations, later the development plan) through this hook.
    sections = [section for hook in hooks("profile") if (section := hook(current_user))]
    return render_template("auth/profile.html", person=current_user, sections=sections)


@bp.route("/profiel/bewerken", methods=["GET", "POST"])
@login_required
def edit_profile() -> str | Response:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = ProfileForm(obj=user) if request.method == "GET" else ProfileForm()
    if request.method == "GET":
        form.subjects.data = ", ".join(user.subjects)
        form.career_stage.data = user.career_stage.value if user.career_stage else ""
        form.school_type.data = user.school_type.value if user.school_type else ""
        form.preferred_language.data = user.preferred_language or ""
    if form.validate_on_submit():
        changes = services.ProfileChanges(
            display_name=form.display_name.data or "",
            career_stage=CareerStage(form.career_stage.data) if form.career_stage.data else None,
            school_type=SchoolType(form.school_type.data) if form.school_type.data else None,
            subjects=services.parse_subjects(form.subjects.data or ""),
            bio=form.bio.data or "",
            preferred_language=form.preferred_language.data or None,
            show_profile_to_members=bool(form.show_profile_to_members.data),
        )
        try:
            services.update_profile(user, changes)
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/edit_profile.html", form=form)


@bp.route("/profiel/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                user,
                form.current_password.data or "",
                form.password.data or "",
                session_key=user.current_session_key or "",
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _("Your password has been changed. You are logged out everywhere else."), "success"
            )
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    pagecache.check_logins_with(app, services.login_probe)
    app.jinja_env.globals.update(
        career_stage_label=career_stage_label, school_type_label=school_type_label
    )
    app.register_blueprint(bp)
