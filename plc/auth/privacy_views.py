"""Your data: the overview with consents, the download, deleting the account, and the page that
asks for a new version of the privacy statement."""

from __future__ import annotations

import tempfile

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from plc.auth import consents, privacy
from plc.auth.forms import DeleteAccountForm
from plc.auth.models import User
from plc.auth.services import end_all_sessions
from plc.core.downloads import DOWNLOAD_HEADERS
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.models import utcnow
from plc.core.urls import safe_next
from plc.extensions import db, limiter

bp = Blueprint("privacy", __name__, url_prefix="/mijn-gegevens")

#: An archive walks every table and copies every file: a few a day are plenty for a person.
EXPORT_RATE_LIMIT = "5/hour;20/day"
#: Each attempt checks a password, so a stolen session cannot guess it quickly.
DELETE_RATE_LIMIT = "10/hour"
#: In the cookie session: the statement version already settled for this login, so that the
#: check costs one query per login, not one per page.
_CHECKED_VERSION = "plc_privacy_version"
#: Pages a person may use before accepting a new statement: reading it, leaving, the language.
_OPEN_ENDPOINTS = frozenset(
    {"static", "auth.logout", "core.statement", "core.set_language", "core.healthz"}
)


def _person() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _per_person() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


@bp.get("")
@login_required
def index() -> str:
    user = _person()
    given = consents.consents_of(user)
    current_version = consents.current_privacy_version()
    return render_template(
        "privacy/index.html",
        consents=given,
        current_version=current_version,
        accepted_current=any(
            c.version == current_version and c.withdrawn_at is None for c in given
        ),
        can_withdraw=any(c.withdrawn_at is None for c in given),
        form=ConfirmForm(),
    )


@bp.post("/download")
@login_required
@limiter.limit(EXPORT_RATE_LIMIT, key_func=_per_person)
def export() -> Response:
    # (CSRFProtect has checked the token.) A file on disk, not in memory, as uploads can be
    # large; send_file closes it after sending, and a closed TemporaryFile is gone.
    # A POST starts a write transaction (on SQLite: the write lock); the export only reads, and
    # copying large files must not hold up every writer. One read transaction from here on sees
    # one consistent state of the person's data.
    db.session.commit()
    g.plc_db_write = False
    archive = tempfile.TemporaryFile(prefix="plc-export-")  # noqa: SIM115
    try:
        privacy.write_export(_person(), archive)
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"leernetwerk-mijn-gegevens-{utcnow():%Y-%m-%d}.zip",
        conditional=False,
        etag=False,
        max_age=None,
    )
    response.headers.update(DOWNLOAD_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account-verwijderen", methods=["GET", "POST"])
@login_required
@limiter.limit(DELETE_RATE_LIMIT, methods=["POST"], key_func=_per_person)
def delete_account() -> str | Response:
    user = _person()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(user, form.password.data or "", form.confirmation.data or "")
        except ServiceError as error:
            db.session.rollback()  # a refusal leaves everything as it was
            attach_error(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(_("Your account and your personal data have been deleted."), "success")
            return redirect(url_for("core.home"))
    return render_template(
        "privacy/delete.html", form=form, blockers=privacy.deletion_blockers(user)
    )


@bp.route("/privacyverklaring", methods=["GET", "POST"])
@login_required
def consent() -> str | Response:
    """Ask once for the current privacy statement: a new version of it, or (for someone who
    withdrew their consent, or whose account was made without one) the statement itself."""
    target = safe_next(request.args.get("next")) or url_for("core.home")
    form = ConfirmForm()
    # An active consent to an earlier version: the statement changed. Otherwise there is none.
    changed = consents.has_active_privacy_consent(_person())
    if form.validate_on_submit():
        consents.record_consent(_person())
        db.session.commit()
        remember_privacy_settled()
        if changed:
            flash(_("Thank you. You accepted the new privacy statement."), "success")
        else:
            flash(_("Thank you. You accepted the privacy statement."), "success")
        return redirect(target)
    return render_template(
        "privacy/consent.html",
        form=form,
        version=consents.current_privacy_version(),
        changed=changed,
    )


# No rate limit, like accepting above: one UPDATE of the person's own rows, no password to guess
# and nothing costly to repeat (the export and the deletion have limits for those reasons).
@bp.route("/toestemming-intrekken", methods=["GET", "POST"])
@login_required
def withdraw_consent() -> str | Response:
    """Withdraw consent to the privacy statement, after a page that explains what follows."""
    user = _person()
    form = ConfirmForm()
    if form.validate_on_submit():
        withdrawn = consents.withdraw_consent(user)
        if withdrawn:
            # Without consent the platform cannot be used logged in: other devices are logged
            # out and are asked at their next login (their cookie sessions hold the memo below).
            end_all_sessions(user, except_key=user.current_session_key)
        db.session.commit()
        # Asked again at the very next page, not only at the next login.
        session.pop(_CHECKED_VERSION, None)
        if withdrawn:
            flash(_("You withdrew your consent to the privacy statement."), "success")
        else:  # a second click or tab: nothing more to change, and no error either
            flash(_("Your consent to the privacy statement was already withdrawn."), "info")
        return redirect(url_for("privacy.index"))
    return render_template(
        "privacy/withdraw.html", form=form, has_consent=consents.has_active_privacy_consent(user)
    )


# -- asking for a new version ------------------------------------------------------------------


def remember_privacy_settled() -> None:
    """This login needs no question about the current statement (called at login too)."""
    session[_CHECKED_VERSION] = current_app.config["PRIVACY_STATEMENT_VERSION"]


def settle_privacy_at_login(user: User) -> None:
    if not consents.needs_new_privacy_consent(user):
        remember_privacy_settled()


def _exempt() -> bool:
    endpoint = request.endpoint or ""
    return (
        not endpoint
        or endpoint in _OPEN_ENDPOINTS
        or request.blueprint == bp.name
        or request.path.startswith(("/api/", "/socket.io"))
    )


def _ask_for_new_privacy_statement() -> Response | None:
    """Before any page: someone who accepted an earlier statement first reads the new one."""
    if request.method not in ("GET", "HEAD") or _exempt():
        return None
    if session.get(_CHECKED_VERSION) == current_app.config["PRIVACY_STATEMENT_VERSION"]:
        return None
    if not current_user.is_authenticated:
        return None
    if consents.needs_new_privacy_consent(_person()):
        return redirect(url_for("privacy.consent", next=request.full_path.rstrip("?")))
    remember_privacy_settled()
    return None


def init_app(app: Flask) -> None:
    app.before_request(_ask_for_new_privacy_statement)
    app.register_blueprint(bp)
