"""Site-wide pages: start page, language switch, health check, statements."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from plc.core import pagecache
from plc.core.health import redis_available
from plc.core.hooks import hooks
from plc.core.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGES, current_language
from plc.core.urls import safe_next
from plc.extensions import db, limiter

bp = Blueprint("core", __name__)

#: Statement pages, one template per language (long texts read better whole than in fragments).
STATEMENT_PAGES = {"privacy": "privacy", "toegankelijkheid": "accessibility", "contact": "contact"}


@bp.get("/")
@pagecache.for_visitors(members=True)
def home() -> str:
    """The start page; features add what they show there through the "start_page" hook."""
    context: dict[str, object] = {}
    for hook in hooks("start_page"):
        context.update(hook(current_user))
    return render_template("core/home.html", **context)


@bp.post("/taal")
def set_language() -> Response:
    """The switch of someone logged in: their account remembers the language too (mail)."""
    response = _switched(request.form)
    if current_user.is_authenticated:
        current_user.preferred_language = request.form["lang"]
        db.session.commit()
    return response


@bp.get("/taal")
def choose_language() -> Response:
    """The switch of a visitor who is not logged in: a GET that only sets the language cookie,
    so that the public pages carry no form that needs a session, and can be kept whole for
    every visitor (plc/core/pagecache.py)."""
    return _switched(request.args)


def _switched(values: Mapping[str, str]) -> Response:
    """Back to where the switch was pressed, with the language cookie set; 400 for a language
    the site does not speak."""
    language = values.get("lang", "")
    if language not in LANGUAGES:
        abort(400)
    response = redirect(safe_next(values.get("next")) or url_for("core.home"))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


@bp.get("/<any(privacy, toegankelijkheid, contact):page>")
def statement(page: str) -> str:
    name = STATEMENT_PAGES[page]
    return render_template(f"pages/{name}.{current_language()}.html", page=page)


def _database_available() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False
    return True


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """`{"status", "database"}`, and `"redis"` in the scaled mode; 503 naming what fails."""
    parts = {"database": "ok" if _database_available() else "unavailable"}
    if current_app.config.get("REDIS_URL"):
        parts["redis"] = "ok" if redis_available() else "unavailable"
    healthy = all(state == "ok" for state in parts.values())
    response = make_response(
        jsonify(status="ok" if healthy else "error", **parts), 200 if healthy else 503
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
