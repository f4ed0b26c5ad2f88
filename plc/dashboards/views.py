"""School, board and network dashboards."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
