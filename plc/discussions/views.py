"""Discussion pages: thread list, thread, posting, editing, answers, reactions, moderation."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.communities import services as communities
from plc.communities.models import Community
from plc.core import pagecache
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.hooks import add_hook
from plc.core.markdown import render_markdown
from plc.core.permissions import require
from plc.discussions import services
from plc.discussions.forms import EditPostForm, ReplyForm, ReportForm, ThreadForm
from plc.discussions.models import Post, Report, Thread
from plc.extensions import db

bp = Blueprint("discussions", __name__, url_prefix="/gemeenschappen/<slug>/gesprekken")
THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 50


def _community(slug: str) -> tuple[Community, communities.Access]:
    community = communities.community_by_slug(slug)
    require(community is not None)
    access = communities.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_read)
    return community, access  # type: ignore[return-value]


def _thread(community: Community, thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    require(
        thread is not None and thread.community_id == community.id and thread.deleted_at is None
    )
    return thread  # type: ignore[return-value]


def _post(thread: Thread, post_id: int, access: communities.Access) -> Post:
    post = db.session.get(Post, post_id)
    require(post is not None and post.thread_id == thread.id and post.deleted_at is None)
    require(post.hidden_at is None or access.can_facilitate)  # type: ignore[union-attr]
    return post  # type: ignore[return-value]


def _thread_url(community: Community, thread: Thread, post: Post | None = None) -> str:
    url = url_for("discussions.thread", slug=community.slug, thread_id=thread.id)
    return f"{url}#bericht-{post.id}" if post is not None else url


@bp.get("")
def index(slug: str) -> str:
    community, access = _community(slug)
    query = request.args.get("q", "")[:200]
    page = db.paginate(
        services.thread_list_query(community, query), per_page=THREADS_PER_PAGE, error_out=False
    )
    return render_template(
        "discussions/index.html", community=community, access=access, page=page, q=query
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new_thread(slug: str) -> str | Response:
    community, access = _community(slug)
    require((access.is_member or access.is_admin) and not community.is_closed)
    form = ThreadForm()
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data or "")
        else:
            try:
                thread = services.start_thread(
                    community,
                    access,
                    current_user,
                    form.title.data or "",
                    form.body.data or "",  # type: ignore[arg-type]
                    form.idempotency_key.data,
                )
            except ServiceError as error:
                db.session.rollback()
                attach_error(form, error)
            else:
                db.session.commit()
                return redirect(_thread_url(community, thread))
    return render_template(
        "discussions/new_thread.html", community=community, form=form, preview=preview
    )


@bp.get("/<int:thread_id>")
@pagecache.for_visitors(members=True)
def thread(slug: str, thread_id: int) -> str:
    community, access = _community(slug)
    thread = _thread(community, thread_id)
    posts = db.paginate(
        services.posts_query(thread, include_hidden=access.can_facilitate),
        per_page=POSTS_PER_PAGE,
        error_out=False,
    )
    form = ReplyForm()
    # The quoted post shows above the reply once posted; the form only says whom you quote.
    quote = db.session.get(Post, request.args.get("citeer", type=int) or 0)
    if quote is not None and quote.thread_id == thread.id and quote.visible:
        form.quote_of.data = quote.id
    else:
        quote = None
    return render_template(
        "discussions/thread.html",
        community=community,
        access=access,
        thread=thread,
        posts=posts,
        form=form,
        quote=quote,
        reacted=services.reacted_post_ids(current_user, [p.id for p in posts.items]),  # type: ignore[arg-type]
        confirm=ConfirmForm(),
        preview=None,
    )


@bp.post("/<int:thread_id>/reacties")
@login_required
def reply(slug: str, thread_id: int) -> str | Response:
    community, access = _community(slug)
    thread = _thread(community, thread_id)
    form = ReplyForm()
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data or "")
        else:
            quote = db.session.get(Post, form.quote_of.data) if form.quote_of.data else None
            try:
                post = services.reply(
                    thread,
                    community,
                    access,
                    current_user,
                    form.body.data or "",  # type: ignore[arg-type]
                    quote_of=quote,
                    idempotency_key=form.idempotency_key.data,
                )
            except ServiceError as error:
                db.session.rollback()
                attach_error(form, error)
            else:
                # Read before the commit expires them: reading after it would open a second
                # (on SQLite: a second write-locking) transaction for nothing.
                last_page = -(-(thread.reply_count + 1) // POSTS_PER_PAGE)
                url = url_for(
                    "discussions.thread",
                    slug=slug,
                    thread_id=thread.id,
                    page=last_page if last_page > 1 else None,
                )
                target = f"{url}#bericht-{post.id}"
                db.session.commit()
                return redirect(target)
    posts = db.paginate(
        services.posts_query(thread, include_hidden=access.can_facilitate),
        per_page=POSTS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "discussions/thread.html",
        community=community,
        access=access,
        thread=thread,
        posts=posts,
        form=form,
        quote=db.session.get(Post, form.quote_of.data) if form.quote_of.data else None,
        reacted=services.reacted_post_ids(current_user, [p.id for p in posts.items]),  # type: ignore[arg-type]
        confirm=ConfirmForm(),
        preview=preview,
    ), (200 if preview is not None else 400)  # type: ignore[return-value]


@bp.route("/<int:thread_id>/berichten/<int:post_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_post(slug: str, thread_id: int, post_id: int) -> str | Response:
    community, access = _community(slug)
    thread = _thread(community, thread_id)
    post = _post(thread, post_id, access)
    require(services.can_edit(post, current_user) and not community.is_closed)  # type: ignore[arg-type]
    form = EditPostForm(obj=post)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data or "")
        else:
            try:
                services.edit_post(post, current_user, form.body.data or "")  # type: ignore[arg-type]
            except ServiceError as error:
                attach_error(form, error)
            else:
                db.session.commit()
                return redirect(_thread_url(community, thread, post))
    return render_template(
        "discussions/edit_post.html",
        community=community,
        thread=thread,
        post=post,
        form=form,
        preview=preview,
    )


def _post_action(
    slug: str, thread_id: int, post_id: int
) -> tuple[Community, communities.Access, Thread, Post]:
    community, access = _community(slug)
    thread = _thread(community, thread_id)
    post = _post(thread, post_id, access)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return community, access, thread, post


def _done(community: Community, thread: Thread, post: Post | None, message: str) -> Response:
    db.session.commit()
    flash(message, "success")
    return redirect(_thread_url(community, thread, post))


def _refused(community: Community, thread: Thread, error: ServiceError) -> Response:
    db.session.rollback()
    flash(str(error.message), "warning")
    return redirect(_thread_url(community, thread))


@bp.post("/<int:thread_id>/berichten/<int:post_id>/verwijderen")
@login_required
def delete_post(slug: str, thread_id: int, post_id: int) -> Response:
    community, access, thread, post = _post_action(slug, thread_id, post_id)
    try:
        services.delete_post(post, access, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        return _refused(community, thread, error)
    if post.is_opening:
        db.session.commit()
        flash(_("The thread has been deleted."), "success")
        return redirect(url_for("discussions.index", slug=slug))
    return _done(community, thread, None, _("The message has been deleted."))


@bp.post("/<int:thread_id>/berichten/<int:post_id>/antwoord")
@login_required
def mark_answer(slug: str, thread_id: int, post_id: int) -> Response:
    community, access, thread, post = _post_action(slug, thread_id, post_id)
    try:
        marked = services.mark_answer(thread, post, access, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        return _refused(community, thread, error)
    return _done(
        community,
        thread,
        post,
        _("Marked as the answer.") if marked else _("No longer marked as the answer."),
    )


@bp.post("/<int:thread_id>/berichten/<int:post_id>/nuttig")
@login_required
def useful(slug: str, thread_id: int, post_id: int) -> Response:
    community, access, thread, post = _post_action(slug, thread_id, post_id)
    try:
        services.toggle_useful(post, access, current_user)  # type: ignore[arg-type]
    except ServiceError as error:
        return _refused(community, thread, error)
    db.session.commit()
    return redirect(_thread_url(community, thread, post))


@bp.route("/<int:thread_id>/berichten/<int:post_id>/melden", methods=["GET", "POST"])
@login_required
def report(slug: str, thread_id: int, post_id: int) -> str | Response:
    community, access = _community(slug)
    thread = _thread(community, thread_id)
    post = _post(thread, post_id, access)
    require(access.is_member or access.is_admin)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report_post(post, access, current_user, form.reason.data or "")  # type: ignore[arg-type]
        except ServiceError as error:
            attach_error(form, error)
        else:
            return _done(
                community, thread, post, _("Thank you. The facilitators will look at this message.")
            )
    return render_template(
        "discussions/report.html", community=community, thread=thread, post=post, form=form
    )


@bp.post("/<int:thread_id>/<any(vastzetten, losmaken, sluiten, openen):action>")
@login_required
def thread_action(slug: str, thread_id: int, action: str) -> Response:
    community, access = _community(slug)
    require(access.can_facilitate)
    thread = _thread(community, thread_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action in ("vastzetten", "losmaken"):
        services.set_pinned(thread, action == "vastzetten")
    else:
        services.set_locked(thread, action == "sluiten")
    return _done(community, thread, None, _("The thread has been changed."))


@bp.get("/moderatie")
@login_required
def moderation(slug: str) -> str:
    community, access = _community(slug)
    require(access.can_facilitate)
    return render_template(
        "discussions/moderation.html",
        community=community,
        reports=services.open_reports(community),
        confirm=ConfirmForm(),
    )


@bp.post("/moderatie/<int:report_id>")
@login_required
def decide_report(slug: str, report_id: int) -> Response:
    community, access = _community(slug)
    require(access.can_facilitate)
    found = db.session.get(Report, report_id)
    require(found is not None and found.post.thread.community_id == community.id)  # type: ignore[union-attr]
    decision = request.form.get("decision")
    if not ConfirmForm().validate_on_submit() or decision not in ("hide", "keep"):
        abort(400)
    services.decide_report(found, hide=decision == "hide", acting=current_user)  # type: ignore[arg-type]
    db.session.commit()
    flash(
        _("The message has been hidden.")
        if decision == "hide"
        else _("The message stays visible."),
        "success",
    )
    return redirect(url_for("discussions.moderation", slug=slug))


@bp.post("/<int:thread_id>/berichten/<int:post_id>/herstellen")
@login_required
def restore_post(slug: str, thread_id: int, post_id: int) -> Response:
    community, access, thread, post = _post_action(slug, thread_id, post_id)
    require(access.can_facilitate)
    services.restore_post(post)
    return _done(community, thread, post, _("The message is visible again."))


@bp.get("/<int:thread_id>/berichten/<int:post_id>/geschiedenis")
@login_required
def history(slug: str, thread_id: int, post_id: int) -> str:
    community, access = _community(slug)
    require(access.can_facilitate)
    thread = _thread(community, thread_id)
    post = _post(thread, post_id, access)
    return render_template(
        "discussions/history.html",
        community=community,
        thread=thread,
        post=post,
        revisions=services.revisions(post),
    )


def _home_panel(
    community: Community, access: communities.Access
) -> tuple[str, dict[str, object]] | None:
    if not access.can_read:
        return None
    return "discussions/_home_panel.html", {"threads": services.recent_threads(community)}


def init_app(app: Flask) -> None:
    add_hook(app, "community_home", _home_panel)
    app.register_blueprint(bp)
