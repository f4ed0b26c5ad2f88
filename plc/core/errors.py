"""Errors: the one exception services raise for the user, and the error pages."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500, 503)
#: Seconds after which a client may try again when the database is away.
RETRY_AFTER = 30
#: The database could not be reached or refused to work (connection refused or lost, a locked
#: or unreadable file): the platform is unavailable, not broken. Errors of the data or of the
#: code (IntegrityError, ProgrammingError) stay 500.
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)

log = logging.getLogger(__name__)


class ServiceError(ValueError):
    """A rule of the domain was broken. `message` is for the user; `field` names the form field."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


def wants_problem_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def problem(status: int, title: str, detail: str | None = None) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _handle_http_error(error: HTTPException) -> tuple[Any, int] | Response:
    status = error.code or 500
    if wants_problem_json():
        response = problem(status, error.name, error.description)
        # Keep what the error says besides its body (Allow on 405, Retry-After on 429).
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
    template = f"errors/{status}.html" if status in ERROR_PAGES else "errors/generic.html"
    return render_template(template, error=error, status=status), status


def _handle_unexpected(error: Exception) -> tuple[Any, int] | Response:
    # Flask calls this for unhandled exceptions (tests let them propagate instead); the
    # session is rolled back and removed by Flask-SQLAlchemy's teardown, so nothing half-written
    # is kept.
    if wants_problem_json():
        return problem(500, "Internal Server Error")
    return render_template("errors/500.html", status=500), 500


def _handle_database_unavailable(error: Exception) -> tuple[Any, int, dict[str, str]] | Response:
    """503 with a friendly page instead of a traceback. The transaction is rolled back first:
    what the request wrote is undone, and the uploads it stored are deleted with it."""
    from plc.extensions import db

    log.error("database unavailable: %s", error)
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        db.session.rollback()
    # Nobody can be looked up now: the page is rendered for an anonymous visitor (in the
    # language of the browser's choice), so that rendering it needs no database.
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    if wants_problem_json():
        response = problem(503, "Service Unavailable", "The database is unavailable.")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    page = render_template("errors/503.html", status=503)
    return page, 503, {"Retry-After": str(RETRY_AFTER)}


def init_app(app: Flask) -> None:
    for exception in DATABASE_UNAVAILABLE:
        app.register_error_handler(exception, _handle_database_unavailable)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, _handle_unexpected)
