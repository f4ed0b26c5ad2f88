"""Personal development plans (POP) and school development goals."""

from __future__ import annotations

from flask import Blueprint, Flask, abort

bp = Blueprint("plan", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# Scaffolding: the endpoints other pages link to; the plan's pages replace these bodies.
@bp.get("/mijn-ontwikkeling")
def plan() -> str:
    abort(404)


@bp.get("/organisaties/<slug>/schooldoelen")
def school_goals(slug: str) -> str:
    abort(404)
