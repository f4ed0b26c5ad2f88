"""The search page."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from flask_login import current_user

from plc.search.services import search_everything

bp = Blueprint("search", __name__)


@bp.get("/zoeken")
def search() -> str:
    query = request.args.get("q", "")[:200].strip()
    results = search_everything(query, current_user) if query else None
    return render_template("search/results.html", q=query, results=results)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
