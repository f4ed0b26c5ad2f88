"""The public knowledge base (being written)."""

from __future__ import annotations

from flask import Blueprint, Flask, abort

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank")


@bp.get("/<slug>")
def output(slug: str) -> str:
    abort(404)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
