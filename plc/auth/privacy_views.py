"""Your data: download all of it, delete the account, consents."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("privacy", __name__, url_prefix="/mijn-gegevens")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
