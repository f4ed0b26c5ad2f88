"""School, board and network dashboards."""

from __future__ import annotations

from flask import Blueprint, Flask, abort

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# Scaffolding: the endpoints other pages link to; the dashboards replace these bodies.
@bp.get("")
def index() -> str:
    abort(404)


@bp.get("/school/<slug>")
def school(slug: str) -> str:
    abort(404)


@bp.get("/bestuur/<slug>")
def board(slug: str) -> str:
    abort(404)


@bp.get("/netwerk")
def network() -> str:
    abort(404)
