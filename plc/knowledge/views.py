"""Knowledge outputs inside their community: writing, review, revisions and withdrawal.

The public side (the knowledge base every school reads) is in public.py.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import matching
from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.downloads import send_stored
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.permissions import require
from plc.extensions import db
from plc.knowledge import queries, services
from plc.knowledge.forms import (
    STATUS_LABELS,
    TYPE_LABELS,
    VERSION_LABELS,
    AttachmentForm,
    OutputForm,
    ReviewForm,
    WithdrawForm,
)
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputType, VersionState
from plc.live.access import session_access
from plc.live.models import LiveSession
from plc.resources.models import Licence
from plc.resources.uploads import file_size_label
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain
from plc.themes.services import list_themes

bp = Blueprint("knowledge", __name__, url_prefix="/gemeenschappen/<slug>/kennis")


# -- loading -----------------------------------------------------------------------------------


def _community(slug: str) -> tuple[Community, communities.Access]:
    community = communities.community_by_slug(slug)
    require(community is not None)
    access = communities.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_see and access.can_read)
    return community, access  # type: ignore[return-value]


def _output(slug: str, output_id: int) -> tuple[KnowledgeOutput, services.OutputAccess]:
    """The output with what the viewer may do; drafts of others answer as if absent."""
    community, _access = _community(slug)
    output = services.output_in(community, output_id)
    require(output is not None)
    assert output is not None
    access = services.output_access(community, output, current_user)
    if output.status in (OutputStatus.DRAFT, OutputStatus.IN_REVIEW):
        require(access.can_see_unpublished)
    return output, access


def _show_url(output: KnowledgeOutput) -> str:
    return url_for("knowledge.show", slug=output.community.slug, output_id=output.id)


def _labels() -> dict[str, Any]:
    return {
        "type_labels": TYPE_LABELS,
        "status_labels": STATUS_LABELS,
        "version_labels": VERSION_LABELS,
        "domain_labels": DOMAIN_LABELS,
        "file_size_label": file_size_label,
    }


# -- the community's outputs ------------------------------------------------------------------


@bp.get("")
def index(slug: str) -> str:
    community, _access = _community(slug)
    viewer = services.output_access(community, None, current_user)
    outputs = services.community_outputs(community, viewer)
    waiting = [
        o
        for o in outputs
        if (version := services.open_version(o)) is not None
        and version.state == VersionState.IN_REVIEW
        and services.OutputAccess(viewer.access, o, viewer.user_id).may_review
    ]
    return render_template(
        "knowledge/index.html",
        community=community,
        outputs=outputs,
        waiting=waiting,
        can_write=viewer.can_write,
        open_version=services.open_version,
        **_labels(),
    )


@bp.get("/concepten")
def drafts(slug: str) -> Response:
    """Where drafts used to be listed."""
    return redirect(url_for("knowledge.index", slug=slug), 301)


@bp.get("/concepten/<int:output_id>")
def draft(slug: str, output_id: int) -> Response:
    return redirect(url_for("knowledge.edit", slug=slug, output_id=output_id), 301)


# -- writing ----------------------------------------------------------------------------------


def _form_choices(form: OutputForm, community: Community, output: KnowledgeOutput | None) -> None:
    kept = {theme.id for theme in output.themes} if output else set()
    form.themes.choices = choices(
        (theme.id, theme.name_nl)
        for theme in list_themes(include_inactive=True)
        if theme.active or theme.id in kept
    )
    people = {user.id: user for user in services.author_choices(community)}
    if output is not None:
        people.update({row.user_id: row.user for row in output.authors})
    form.authors.choices = choices((p.id, p.display_name) for p in people.values())
    organisations = {o.id: o for o in services.organisation_choices(community)}
    if output is not None:
        organisations.update(
            {row.organisation_id: row.organisation for row in output.organisations}
        )
    form.organisations.choices = choices((o.id, o.name) for o in organisations.values())
    questions = {q.id: q for q in matching.questions_for_community(community, current_user, 15)}
    if output is not None:
        questions.update({q.id: q for q in output.questions})
    form.questions.choices = choices((q.id, q.title) for q in questions.values())


def _fields(form: OutputForm) -> services.OutputFields:
    return services.OutputFields(
        title=form.title.data or "",
        output_type=OutputType(form.output_type.data),
        summary=form.summary.data or "",
        body=form.body.data or "",
        media_url=form.media_url.data or "",
        licence=Licence(form.licence.data),
        change_note=form.change_note.data or "",
        theme_ids=list(form.themes.data or []),
        school_types=[SchoolType(v) for v in form.school_types.data or []],
        career_stages=[CareerStage(v) for v in form.career_stages.data or []],
        domains=[CompetenceDomain(v) for v in form.domains.data or []],
        author_ids=list(form.authors.data or []),
        organisation_ids=list(form.organisations.data or []),
        question_ids=list(form.questions.data or []),
    )


def _fill(form: OutputForm, fields: services.OutputFields) -> None:
    form.output_type.data = fields.output_type.value
    form.title.data = fields.title
    form.summary.data = fields.summary
    form.body.data = fields.body
    form.media_url.data = fields.media_url
    form.licence.data = fields.licence.value
    form.change_note.data = fields.change_note
    form.themes.data = fields.theme_ids
    form.school_types.data = [t.value for t in fields.school_types]
    form.career_stages.data = [s.value for s in fields.career_stages]
    form.domains.data = [d.value for d in fields.domains]
    form.authors.data = fields.author_ids
    form.organisations.data = fields.organisation_ids
    form.questions.data = fields.question_ids


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new(slug: str) -> str | Response | tuple[str, int]:
    community, _access = _community(slug)
    require(services.output_access(community, None, current_user).can_write)
    form = OutputForm()
    _form_choices(form, community, None)
    if request.method == "GET":
        form.authors.data = [current_user.id]
    if form.validate_on_submit():
        try:
            output = services.create_output(community, current_user, _fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The draft is saved. Add files, then send it for review."), "success")
            return redirect(url_for("knowledge.edit", slug=slug, output_id=output.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "knowledge/form.html", community=community, form=form, output=None, version=None
    ), status


@bp.route("/<int:output_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str, output_id: int) -> str | Response | tuple[str, int]:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    version = services.open_version(output)
    if version is None or version.state != VersionState.DRAFT:
        flash(_("Only a draft can be changed."), "warning")
        return redirect(_show_url(output))
    form = OutputForm()
    _form_choices(form, output.community, output)
    if request.method == "GET":
        _fill(form, services.fields_of(output, version))
    if form.validate_on_submit():
        try:
            services.update_output(output, current_user, _fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The draft is saved."), "success")
            return redirect(url_for("knowledge.edit", slug=slug, output_id=output_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "knowledge/form.html",
        community=output.community,
        form=form,
        output=output,
        version=version,
        attachment_form=AttachmentForm(),
        confirm=ConfirmForm(),
        file_size_label=file_size_label,
    ), status


@bp.post("/<int:output_id>/bijlagen")
@login_required
def add_attachment(slug: str, output_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    form = AttachmentForm()
    if not form.validate_on_submit():
        abort(400)
    upload = form.file.data
    try:
        if upload is None or not getattr(upload, "filename", ""):
            raise ServiceError(_("Choose a file to upload."), "file")
        attachment = services.add_attachment(
            output,
            current_user,  # type: ignore[arg-type]
            upload.stream,
            upload.filename,
        )
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(_("“%(name)s” is attached.", name=attachment.filename), "success")
    return redirect(url_for("knowledge.edit", slug=slug, output_id=output_id) + "#bijlagen")


@bp.post("/<int:output_id>/bijlagen/<int:attachment_id>/verwijderen")
@login_required
def remove_attachment(slug: str, output_id: int, attachment_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    return _act(
        output,
        lambda: services.remove_attachment(output, current_user, attachment_id),  # type: ignore[arg-type]
        _("The file is removed from the draft."),
        url_for("knowledge.edit", slug=slug, output_id=output_id) + "#bijlagen",
    )


@bp.get("/<int:output_id>/bijlagen/<int:attachment_id>")
@login_required
def attachment(slug: str, output_id: int, attachment_id: int) -> Response:
    """A file of any version, for those who may see the output here (reviewers read drafts'
    files before they approve). Not counted: the public download is."""
    output, _access = _output(slug, output_id)
    found = next((a for v in output.versions for a in v.attachments if a.id == attachment_id), None)
    require(found is not None)
    assert found is not None
    return send_stored(found.storage_key, found.filename, found.content_type)


# -- one output: its state, review and history ------------------------------------------------


@bp.get("/<int:output_id>")
def show(slug: str, output_id: int) -> str:
    output, access = _output(slug, output_id)
    version = services.open_version(output)
    return render_template(
        "knowledge/show.html",
        community=output.community,
        output=output,
        access=access,
        version=version,
        shown=version or services.public_version(output),
        problems=services.problems_before_review(output, version)
        if version is not None and version.state == VersionState.DRAFT
        else [],
        reviewers=services.reviewers(output) if version is not None else [],
        uses=queries.uses_with_schools(output) if output.status == OutputStatus.PUBLISHED else [],
        review_form=ReviewForm(),
        withdraw_form=WithdrawForm(),
        confirm=ConfirmForm(),
        **_labels(),
    )


def _act(output: KnowledgeOutput, action: Any, message: str, target: str | None = None) -> Response:
    """Run a workflow step from a button: commit and say so, or roll back and say why."""
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(target or _show_url(output))


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/<int:output_id>/indienen")
@login_required
def submit(slug: str, output_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    _confirmed()
    return _act(
        output,
        lambda: services.submit_for_review(output, current_user),  # type: ignore[arg-type]
        _("Sent for review. The reviewers have been notified."),
    )


@bp.post("/<int:output_id>/terughalen")
@login_required
def retract(slug: str, output_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    _confirmed()
    return _act(
        output,
        lambda: services.retract_submission(output, current_user),  # type: ignore[arg-type]
        _("The output is back in draft; you can change it again."),
    )


@bp.post("/<int:output_id>/beoordelen")
@login_required
def review(slug: str, output_id: int) -> Response | tuple[str, int]:
    output, access = _output(slug, output_id)
    require(access.access.can_facilitate or access.access.is_contact)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    comment = form.comment.data or ""
    if request.form.get("decision") == "approve":
        return _act(
            output,
            lambda: services.approve(output, current_user, comment),  # type: ignore[arg-type]
            _("Approved and published in the knowledge base for all Amsterdam schools."),
        )
    if request.form.get("decision") == "changes":
        return _act(
            output,
            lambda: services.request_changes(output, current_user, comment),  # type: ignore[arg-type]
            _("Sent back to the authors with your comments."),
        )
    abort(400)


@bp.post("/<int:output_id>/nieuwe-versie")
@login_required
def revise(slug: str, output_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    _confirmed()
    return _act(
        output,
        lambda: services.start_revision(output, current_user),  # type: ignore[arg-type]
        _("A new version is started. The published one stays readable until this one is approved."),
        url_for("knowledge.edit", slug=slug, output_id=output_id),
    )


@bp.post("/<int:output_id>/versie-weggooien")
@login_required
def discard(slug: str, output_id: int) -> Response:
    output, access = _output(slug, output_id)
    require(access.can_edit)
    _confirmed()
    return _act(
        output,
        lambda: services.discard_revision(output, current_user),  # type: ignore[arg-type]
        _("The new version is discarded; the published one is unchanged."),
    )


@bp.route("/<int:output_id>/intrekken", methods=["POST"])
@login_required
def withdraw(slug: str, output_id: int) -> Response | tuple[str, int]:
    output, access = _output(slug, output_id)
    require(access.can_withdraw)
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Say why the output is withdrawn; readers will see it."), "danger")
        return redirect(_show_url(output))
    return _act(
        output,
        lambda: services.withdraw(output, current_user, form.reason.data or ""),  # type: ignore[arg-type]
        _("The output is withdrawn. Its page now shows your reason."),
    )


# -- from a live session ----------------------------------------------------------------------


@bp.post("/uit-sessie/<int:session_id>")
@login_required
def from_session(slug: str, session_id: int) -> Response:
    community, access = _community(slug)
    require(access.can_facilitate)
    session = db.session.get(LiveSession, session_id)
    require(session is not None and session.community_id == community.id)
    require(session_access(session, current_user).can_facilitate)  # type: ignore[union-attr, arg-type]
    _confirmed()
    output = services.draft_from_session(session, current_user)  # type: ignore[arg-type]
    db.session.commit()
    flash(
        _(
            "A draft knowledge output was made from the summary. Rework it for colleagues at other schools."
        ),
        "success",
    )
    return redirect(url_for("knowledge.edit", slug=slug, output_id=output.id))


#: Outputs waiting for review that the start page lists, oldest first; the rest are counted.
START_PAGE_REVIEWS = 5


def _start_page(user: Any) -> dict[str, Any]:
    """Reviewers find what waits for them on their start page: the oldest few, and how many
    more (a facilitator of a busy community can have hundreds waiting)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"outputs_to_review": services.waiting_for_review(user, START_PAGE_REVIEWS)}


def init_app(app: Flask) -> None:
    add_hook(app, "start_page", _start_page)
    app.register_blueprint(bp)
