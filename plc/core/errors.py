"""Errors: the one exception services raise for the user, and the error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500)


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


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(500, _handle_unexpected)
