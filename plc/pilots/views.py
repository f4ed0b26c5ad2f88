"""Pilot pages: the network overview, the charter with its checklist and timeline."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pilots", __name__, url_prefix="/pilots")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
