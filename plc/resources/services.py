"""Resource rules: who adds, changes and reads; uploads and versions; links; downloads; search.

Functions change the session and flush; the request (or the CLI) commits. A file is stored before
the rows that point at it are flushed; when the transaction does not commit after all (a failed
request, a rollback), the files it stored are deleted again, so no orphans are left behind.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import IO, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload, selectinload

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities.models import Community
from plc.communities.services import Access
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.search import SearchIndex, search_subquery
from plc.core.storage import get_storage, new_key
from plc.extensions import db
from plc.resources.models import (
    Licence,
    Resource,
    ResourceKind,
    ResourceVersion,
    resource_theme,
)
from plc.resources.uploads import InspectedFile, inspect_file
from plc.themes.models import Theme

log = logging.getLogger(__name__)

SEARCH = SearchIndex(name="resource", table="resource", columns=("title", "description"))
#: The same person adding the same content (or address) again within this time is a replay.
REPLAY_WINDOW = timedelta(minutes=10)
MAX_URL_LENGTH = 2000
_STORED_KEY = "plc_resources_stored"


# -- who may do what ---------------------------------------------------------------------------


def can_add(access: Access) -> bool:
    """Members add resources, as long as the community is not closed."""
    return access.is_member and not access.community.is_closed


def can_change(access: Access, resource: Resource) -> bool:
    """New versions and removal: the person who added it (still a member) or a facilitator."""
    if access.community.is_closed or resource.deleted_at is not None:
        return False
    if access.can_facilitate:
        return True
    return (
        access.is_member
        and access.member is not None
        and resource.created_by_id is not None
        and resource.created_by_id == access.member.user_id
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise ServiceError(_l("You cannot change the resources of this community."))


# -- files in storage, kept only when the transaction commits ------------------------------------


def _remember_stored(session: Session, key: str) -> None:
    session.info.setdefault(_STORED_KEY, []).append(key)


@sa.event.listens_for(Session, "after_commit")
def _keep_stored(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_STORED_KEY, None)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_stored(session: Session, transaction: Any) -> None:
    if transaction.parent is not None or _STORED_KEY not in session.info:
        return
    keys = session.info.pop(_STORED_KEY)
    storage = get_storage()
    for key in keys:
        try:
            storage.delete(key)
        except OSError:  # pragma: no cover - logged; an orphan file is harmless
            log.exception("could not delete the uncommitted upload %s", key)


def _max_size() -> int | None:
    value = current_app.config.get("MAX_CONTENT_LENGTH")
    return int(value) if value else None


def store_upload(stream: IO[bytes]) -> str:
    """Save an upload in the storage; it is deleted again when the transaction does not commit."""
    key = new_key()
    try:
        get_storage().save(key, stream)
    except OSError:
        log.exception("storing an upload failed")
        raise ServiceError(
            _l(
                "The file could not be stored, so nothing was saved. Please try again later; if it keeps failing, tell the platform's administrators."
            ),
            field="file",
        ) from None
    _remember_stored(db.session(), key)
    return key


def inspect_upload(stream: IO[bytes], filename: str) -> InspectedFile:
    """Check an upload (type by content, name, size); raises ServiceError when refused."""
    return inspect_file(stream, filename, _max_size())


# -- adding and changing -----------------------------------------------------------------------


@dataclass
class ResourceFields:
    title: str
    description: str = ""
    licence: Licence = Licence.CC_BY
    theme_ids: list[int] = field(default_factory=list)
    school_type: SchoolType | None = None
    career_stage: CareerStage | None = None


def clean_url(url: str) -> str:
    """An http(s) address with a host, or a ServiceError (field "url")."""
    url = (url or "").strip()
    if not url:
        raise ServiceError(_l("Enter the web address."), field="url")
    invalid = ServiceError(
        _l("Enter a complete web address that starts with https:// or http://."), field="url"
    )
    if len(url) > MAX_URL_LENGTH or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise invalid
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a malformed port)
    except ValueError:
        raise invalid from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ServiceError(
            _l("Only web addresses that start with https:// or http:// can be shared."),
            field="url",
        )
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise invalid
    return url


def _apply(resource: Resource, fields: ResourceFields) -> None:
    title = " ".join(fields.title.split())
    if not title:
        raise ServiceError(_l("Enter a title."), field="title")
    themes: list[Theme] = []
    if fields.theme_ids:
        themes = list(
            db.session.scalars(
                sa.select(Theme).where(Theme.id.in_(fields.theme_ids), Theme.active.is_(True))
            )
        )
        if len(themes) != len(set(fields.theme_ids)):
            raise ServiceError(_l("Choose themes from the list."), field="themes")
    resource.title = title
    resource.description = fields.description
    resource.description_html = render_markdown(fields.description)
    resource.licence = fields.licence
    resource.themes = themes
    resource.school_type = fields.school_type
    resource.career_stage = fields.career_stage


def _replayed(
    community: Community, user: User, condition: sa.ColumnElement[bool]
) -> Resource | None:
    """The same person's resource with the same content, just added: a repeated submission."""
    return db.session.scalar(
        sa.select(Resource)
        .where(
            Resource.community_id == community.id,
            Resource.created_by_id == user.id,
            Resource.deleted_at.is_(None),
            Resource.created_at > utcnow() - REPLAY_WINDOW,
            condition,
        )
        .order_by(Resource.id.desc())
        .limit(1)
    )


def add_file(
    access: Access,
    user: User,
    fields: ResourceFields,
    stream: IO[bytes],
    filename: str,
) -> Resource:
    """A new file resource with its first version. A repeated submission returns the first."""
    _require(can_add(access))
    community = access.community
    # Title and themes first: a refused form must not leave a stored file behind.
    resource = Resource(community_id=community.id, kind=ResourceKind.FILE, created_by_id=user.id)
    _apply(resource, fields)
    inspected = inspect_upload(stream, filename)
    same = _replayed(
        community,
        user,
        sa.and_(
            Resource.title == resource.title,
            Resource.id.in_(
                sa.select(ResourceVersion.resource_id).where(
                    ResourceVersion.sha256 == inspected.sha256
                )
            ),
        ),
    )
    if same is not None:
        return same
    key = store_upload(stream)
    db.session.add(resource)
    db.session.flush()
    db.session.add(_version(resource, 1, key, inspected, user, ""))
    db.session.flush()
    return resource


def add_link(access: Access, user: User, fields: ResourceFields, url: str) -> Resource:
    """A new link resource. A repeated submission returns the first."""
    _require(can_add(access))
    address = clean_url(url)
    resource = Resource(
        community_id=access.community.id, kind=ResourceKind.LINK, url=address, created_by_id=user.id
    )
    _apply(resource, fields)
    same = _replayed(
        access.community, user, sa.and_(Resource.url == address, Resource.title == resource.title)
    )
    if same is not None:
        return same
    db.session.add(resource)
    db.session.flush()
    return resource


def _version(
    resource: Resource, number: int, key: str, inspected: InspectedFile, user: User, note: str
) -> ResourceVersion:
    return ResourceVersion(
        resource_id=resource.id,
        number=number,
        storage_key=key,
        filename=inspected.filename,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        note=" ".join(note.split())[:300],
        uploaded_by_id=user.id,
    )


def add_version(
    access: Access, resource: Resource, user: User, stream: IO[bytes], filename: str, note: str = ""
) -> ResourceVersion:
    """A new version of a file; the old versions stay. The same content twice is refused."""
    _require(can_change(access, resource))
    if resource.kind != ResourceKind.FILE:
        raise ServiceError(_l("Only files have versions."))
    inspected = inspect_upload(stream, filename)
    # Serialise version numbers per resource (PostgreSQL; SQLite writes one at a time anyway).
    db.session.execute(sa.select(Resource.id).where(Resource.id == resource.id).with_for_update())
    latest_number, latest_sha = db.session.execute(
        sa.select(ResourceVersion.number, ResourceVersion.sha256)
        .where(ResourceVersion.resource_id == resource.id)
        .order_by(ResourceVersion.number.desc())
        .limit(1)
    ).one_or_none() or (0, None)
    if latest_sha == inspected.sha256:
        raise ServiceError(
            _l("This file is the same as the current version. Choose the changed file."),
            field="file",
        )
    key = store_upload(stream)
    version = _version(resource, latest_number + 1, key, inspected, user, note)
    db.session.add(version)
    resource.updated_at = utcnow()
    db.session.flush()
    db.session.expire(resource, ["versions"])
    return version


def remove(access: Access, resource: Resource) -> None:
    """Soft delete: the resource disappears from the library; the files stay for an admin."""
    _require(can_change(access, resource))
    resource.deleted_at = utcnow()
    db.session.flush()


def record_download(resource: Resource) -> None:
    """One more download (or click on a link), counted in SQL so concurrent ones all count."""
    db.session.execute(
        sa.update(Resource)
        .where(Resource.id == resource.id)
        # updated_at named explicitly, so its onupdate does not fire: a download is no change.
        .values(download_count=Resource.download_count + 1, updated_at=Resource.updated_at)
        .execution_options(synchronize_session=False)
    )


# -- reading -----------------------------------------------------------------------------------


def resource_in(
    community: Community, resource_id: int, *, details: bool = False
) -> Resource | None:
    """A resource of this community that has not been removed; with `details`, everything its
    page shows (themes, who added it, every version with its uploader), in fixed statements."""
    query = sa.select(Resource).where(
        Resource.id == resource_id,
        Resource.community_id == community.id,
        Resource.deleted_at.is_(None),
    )
    if details:
        query = query.options(
            selectinload(Resource.themes),
            joinedload(Resource.created_by),
            selectinload(Resource.versions).joinedload(ResourceVersion.uploaded_by),
        )
    return db.session.scalar(query)


def version_of(resource: Resource, number: int | None = None) -> ResourceVersion | None:
    """One version (the current one when `number` is None)."""
    query = sa.select(ResourceVersion).where(ResourceVersion.resource_id == resource.id)
    if number is None:
        query = query.order_by(ResourceVersion.number.desc()).limit(1)
    else:
        query = query.where(ResourceVersion.number == number)
    return db.session.scalar(query)


@dataclass
class LibraryFilters:
    q: str = ""
    theme: str = ""
    school_type: SchoolType | None = None
    career_stage: CareerStage | None = None

    @property
    def active(self) -> bool:
        return bool(self.q.strip() or self.theme or self.school_type or self.career_stage)


def _list_options() -> list[Any]:
    return [
        selectinload(Resource.themes),
        joinedload(Resource.created_by),
        selectinload(Resource.versions),
    ]


def _filtered(query: sa.Select[Any], filters: LibraryFilters) -> sa.Select[Any]:
    if filters.theme:
        query = query.where(
            Resource.id.in_(
                sa.select(resource_theme.c.resource_id)
                .join(Theme, Theme.id == resource_theme.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.school_type is not None:
        query = query.where(Resource.school_type == filters.school_type)
    if filters.career_stage is not None:
        query = query.where(Resource.career_stage == filters.career_stage)
    matches = search_subquery(SEARCH, filters.q)
    if matches is not None:
        return query.join(matches, matches.c.id == Resource.id).order_by(
            matches.c.score.desc(), Resource.id.desc()
        )
    return query.order_by(Resource.created_at.desc(), Resource.id.desc())


def library_query(community: Community, filters: LibraryFilters) -> sa.Select[tuple[Resource]]:
    """A community's resources matching the filters: best match first, else newest first.

    The caller has checked that the viewer reads the community."""
    query = (
        sa.select(Resource)
        .where(Resource.community_id == community.id, Resource.deleted_at.is_(None))
        .options(*_list_options())
    )
    return _filtered(query, filters)


def newest(community: Community, limit: int = 5) -> list[Resource]:
    """The newest resources, for the community's home page (one statement)."""
    return list(
        db.session.scalars(
            sa.select(Resource)
            .where(Resource.community_id == community.id, Resource.deleted_at.is_(None))
            .order_by(Resource.created_at.desc(), Resource.id.desc())
            .limit(limit)
        )
    )
