"""The resource library of a community: list and search, add, versions, downloads, removal."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

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
from plc.communities import services as communities
from plc.communities.models import Community
from plc.core.db import intend_write
from plc.core.downloads import send_stored
from plc.core.errors import ServiceError
from plc.core.filters import profile_filter_args
from plc.core.forms import ConfirmForm, attach_error
from plc.core.hooks import add_hook
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.extensions import db
from plc.resources import services
from plc.resources.forms import (
    KIND_LABELS,
    LICENCE_LABELS,
    LICENCE_NAMES,
    LICENCE_URLS,
    ResourceForm,
    VersionForm,
)
from plc.resources.models import Licence, Resource, ResourceKind, ResourceVersion
from plc.resources.uploads import extension_of, file_size_label
from plc.themes.services import list_themes

log = logging.getLogger(__name__)

bp = Blueprint("resources", __name__, url_prefix="/gemeenschappen/<slug>/materiaal")
PER_PAGE = 20
HOME_PANEL_SIZE = 5


def _load(slug: str) -> tuple[Community, communities.Access]:
    """The community, if the viewer reads it; everything else answers 404."""
    community = communities.community_by_slug(slug)
    require(community is not None)
    access = communities.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_see and access.can_read)
    return community, access  # type: ignore[return-value]


def _resource(community: Community, resource_id: int, *, details: bool = False) -> Resource:
    resource = services.resource_in(community, resource_id, details=details)
    require(resource is not None)
    return resource  # type: ignore[return-value]


def _theme_choices() -> list[tuple[int, str]]:
    language = current_language()
    return [(theme.id, theme.name(language)) for theme in list_themes()]


def _filters_from_args() -> services.LibraryFilters:
    return services.LibraryFilters(**profile_filter_args(request.args))


@bp.get("")
def library(slug: str) -> str:
    community, access = _load(slug)
    filters = _filters_from_args()
    page = db.paginate(
        services.library_query(community, filters), per_page=PER_PAGE, error_out=False
    )
    return render_template(
        "resources/library.html",
        community=community,
        access=access,
        page=page,
        filters=filters,
        themes=list_themes(),
        can_add=services.can_add(access),
    )


def _fields(form: ResourceForm) -> services.ResourceFields:
    return services.ResourceFields(
        title=form.title.data or "",
        description=form.description.data or "",
        licence=Licence(form.licence.data),
        theme_ids=list(form.themes.data or []),
        school_type=SchoolType(form.school_type.data) if form.school_type.data else None,
        career_stage=CareerStage(form.career_stage.data) if form.career_stage.data else None,
    )


def _chosen_file(field: Any) -> Any:
    upload = field.data
    return upload if upload is not None and getattr(upload, "filename", "") else None


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def create(slug: str) -> str | Response | tuple[str, int]:
    community, access = _load(slug)
    require(services.can_add(access))
    form = ResourceForm(themes=_theme_choices())
    if form.validate_on_submit():
        try:
            if form.kind.data == ResourceKind.LINK.value:
                resource = services.add_link(
                    access,
                    current_user,  # type: ignore[arg-type]
                    _fields(form),
                    form.url.data or "",
                )
            else:
                upload = _chosen_file(form.file)
                if upload is None:
                    raise ServiceError(_("Choose a file to upload."), field="file")
                resource = services.add_file(
                    access,
                    current_user,  # type: ignore[arg-type]
                    _fields(form),
                    upload.stream,
                    upload.filename,
                )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you for sharing. The resource is in the library."), "success")
            return redirect(url_for("resources.show", slug=community.slug, resource_id=resource.id))
    status = 400 if request.method == "POST" else 200
    return render_template("resources/form.html", community=community, form=form), status


@bp.get("/<int:resource_id>")
def show(slug: str, resource_id: int) -> str:
    community, access = _load(slug)
    resource = _resource(community, resource_id, details=True)
    return render_template(
        "resources/show.html",
        community=community,
        access=access,
        resource=resource,
        can_change=services.can_change(access, resource),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:resource_id>/versie", methods=["GET", "POST"])
@login_required
def new_version(slug: str, resource_id: int) -> str | Response | tuple[str, int]:
    community, access = _load(slug)
    resource = _resource(community, resource_id)
    require(resource.kind == ResourceKind.FILE and services.can_change(access, resource))
    form = VersionForm()
    if form.validate_on_submit():
        upload = _chosen_file(form.file)
        try:
            if upload is None:
                raise ServiceError(_("Choose a file to upload."), field="file")
            version = services.add_version(
                access,
                resource,
                current_user,  # type: ignore[arg-type]
                upload.stream,
                upload.filename,
                form.note.data or "",
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Version %(number)d has been added.", number=version.number), "success")
            return redirect(url_for("resources.show", slug=slug, resource_id=resource_id))
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "resources/version_form.html", community=community, resource=resource, form=form
        ),
        status,
    )


def _count(resource: Resource) -> None:
    """Count a download (a HEAD request only asks about it), and commit before streaming."""
    if request.method != "HEAD":
        services.record_download(resource)
    db.session.commit()


def _send(resource: Resource, version: ResourceVersion | None) -> Response:
    require(version is not None)
    assert version is not None
    return send_stored(
        version.storage_key, version.filename, version.content_type, lambda: _count(resource)
    )


@bp.get("/<int:resource_id>/download")
def download(slug: str, resource_id: int) -> Response:
    intend_write()  # a GET that counts: take SQLite's write lock up front (see plc.core.db)
    community, _access = _load(slug)
    resource = _resource(community, resource_id)
    if resource.kind == ResourceKind.LINK:
        _count(resource)
        return redirect(resource.url or "/")
    return _send(resource, services.version_of(resource))


@bp.get("/<int:resource_id>/versies/<int:number>/download")
def download_version(slug: str, resource_id: int, number: int) -> Response:
    intend_write()
    community, _access = _load(slug)
    resource = _resource(community, resource_id)
    return _send(resource, services.version_of(resource, number))


@bp.post("/<int:resource_id>/verwijderen")
@login_required
def remove(slug: str, resource_id: int) -> Response:
    community, access = _load(slug)
    resource = _resource(community, resource_id)
    require(services.can_change(access, resource))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove(access, resource)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
        return redirect(url_for("resources.show", slug=slug, resource_id=resource_id))
    db.session.commit()
    flash(_("“%(title)s” has been removed from the library.", title=resource.title), "success")
    return redirect(url_for("resources.library", slug=slug))


def _home_panel(community: Community, access: communities.Access) -> tuple[str, dict] | None:
    """The newest resources on the community's home page (for those who read it)."""
    if not access.can_read:
        return None
    return (
        "resources/_panel.html",
        {
            "resources": services.newest(community, HOME_PANEL_SIZE),
            "can_add": services.can_add(access),
        },
    )


def _host(url: str | None) -> str:
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


def init_app(app: Flask) -> None:
    add_hook(app, "community_home", _home_panel)
    app.jinja_env.globals.update(
        resource_kind_label=lambda k: KIND_LABELS[ResourceKind(k)],
        licence_label=lambda lic: LICENCE_LABELS[Licence(lic)],
        licence_name=lambda lic: LICENCE_NAMES[Licence(lic)],
        licence_url=lambda lic: LICENCE_URLS.get(Licence(lic)),
        file_size=file_size_label,
        file_extension=lambda name: extension_of(name).upper(),
        link_host=_host,
    )
    app.register_blueprint(bp)
