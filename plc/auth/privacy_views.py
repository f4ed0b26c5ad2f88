"""Your data: download all of it, delete the account, consents."""

from __future__ import annotations

from flask import Blueprint, Flask, abort

bp = Blueprint("privacy", __name__, url_prefix="/mijn-gegevens")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# Scaffolding: the endpoints other pages link to; the your-data pages replace these bodies.
@bp.get("")
def index() -> str:
    abort(404)
