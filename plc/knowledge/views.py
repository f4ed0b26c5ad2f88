"""Drafts of knowledge outputs, for the community's facilitators."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.permissions import require
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.forms import DraftForm
from plc.knowledge.models import KnowledgeOutput, OutputType
from plc.live.access import session_access
from plc.live.models import LiveSession

bp = Blueprint("knowledge", __name__, url_prefix="/gemeenschappen/<slug>/kennis")


def _facilitated(slug: str) -> Community:
    community = communities.community_by_slug(slug)
    require(community is not None)
    access = communities.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_facilitate)
    return community  # type: ignore[return-value]


def _draft_url(output: KnowledgeOutput) -> str:
    return url_for("knowledge.draft", slug=output.community.slug, output_id=output.id)


@bp.get("/concepten")
@login_required
def drafts(slug: str) -> str:
    community = _facilitated(slug)
    return render_template(
        "knowledge/drafts.html", community=community, drafts=services.drafts_of(community)
    )


@bp.route("/<int:output_id>", methods=["GET", "POST"], endpoint="show")
@bp.route("/<int:output_id>/bewerken", methods=["GET", "POST"], endpoint="edit")
@bp.route("/concepten/<int:output_id>", methods=["GET", "POST"])
@login_required
def draft(slug: str, output_id: int) -> str | Response:
    community = _facilitated(slug)
    output = db.session.get(KnowledgeOutput, output_id)
    require(output is not None and output.community_id == community.id)
    form = DraftForm(obj=output)
    if form.validate_on_submit():
        try:
            fields = services.fields_of(output)  # type: ignore[arg-type]
            fields.title = form.title.data or ""
            fields.summary = form.summary.data or ""
            fields.body = form.body.data or ""
            fields.output_type = OutputType(form.output_type.data)
            services.update_output(output, current_user, fields)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The draft is saved."), "success")
            return redirect(_draft_url(output))  # type: ignore[arg-type]
    return render_template("knowledge/draft.html", community=community, output=output, form=form), (
        400 if form.errors else 200
    )  # type: ignore[return-value]


@bp.post("/uit-sessie/<int:session_id>")
@login_required
def from_session(slug: str, session_id: int) -> Response:
    community = _facilitated(slug)
    session = db.session.get(LiveSession, session_id)
    require(session is not None and session.community_id == community.id)
    require(session_access(session, current_user).can_facilitate)  # type: ignore[union-attr, arg-type]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    output = services.draft_from_session(session, current_user)  # type: ignore[arg-type]
    db.session.commit()
    flash(
        _(
            "A draft knowledge output was made from the summary. Rework it for colleagues at other schools."
        ),
        "success",
    )
    return redirect(_draft_url(output))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
