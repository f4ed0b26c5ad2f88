"""Personal development plans (POP) and school development goals."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("plan", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
