"""Survey pages: building, answering and the results."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("surveys", __name__, url_prefix="/vragenlijsten")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
