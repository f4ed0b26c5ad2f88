"""The person's own development record."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template
from flask_login import current_user, login_required

from plc.core.hooks import add_hook
from plc.development import services

bp = Blueprint("development", __name__)


@bp.get("/mijn-professionalisering")
@login_required
def record() -> str:
    return render_template(
        "development/record.html",
        years=services.record_of(current_user),  # type: ignore[arg-type]
    )


# Scaffolding: dashboards link here; the record's pages replace this body.
@bp.get("/professionalisering/<int:user_id>")
@login_required
def shared_record(user_id: int) -> str:
    abort(404)


def _profile_section(user: object) -> tuple[str, dict[str, object]]:
    return "development/_profile_section.html", {}


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    app.register_blueprint(bp)
