"""The API's queries and what it says about each thing.

Everything here answers as for an anonymous visitor, whoever asks: the API is public and its
answers are cached by anyone in between (Cache-Control: public), so they may not depend on a
login cookie. Lists load their related rows with selectinload, so the number of SQL statements
per request does not grow with the page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import joinedload, selectinload

from plc.catalogue import services as catalogue
from plc.catalogue.models import Offering, OfferingStatus
from plc.communities import services as communities
from plc.communities.models import Community, CommunityOwner, CoOwnerStatus
from plc.core.models import utcnow
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge import queries
from plc.knowledge import services as knowledge
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAuthor,
    OutputOrganisation,
    OutputStatus,
    OutputVersion,
    VersionState,
)
from plc.live.access import visible_sessions_filter
from plc.live.models import Audience, LiveSession, RoomState, SessionStatus
from plc.organisations import services as organisations
from plc.organisations.models import Organisation, OrganisationKind
from plc.resources.forms import LICENCE_URLS
from plc.themes.models import Theme

# -- pagination --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.per_page) if self.total else 0


def paginate(query: sa.Select[Any], page: int, per_page: int) -> Page:
    """One page of `query` and the total: two statements (plus the query's own eager loads).
    A page past the end is empty, not an error."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items, page, per_page, total or 0)


def page_links(endpoint: str, page: Page, args: dict[str, Any]) -> dict[str, str | None]:
    """Absolute links to this, the first, last, next and previous page, with the same filters."""
    last = max(page.pages, 1)

    def link(number: int) -> str:
        return external_url(endpoint, **args, page=number, per_page=page.per_page)

    return {
        "self": link(page.page),
        "first": link(1),
        "last": link(last),
        "next": link(page.page + 1) if page.page < page.pages else None,
        "prev": link(min(page.page - 1, last)) if page.page > 1 else None,
    }


def page_body(endpoint: str, page: Page, items: list[dict[str, Any]], args: dict[str, Any]) -> dict:
    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "links": page_links(endpoint, page, args),
    }


def link_header(links: dict[str, str | None]) -> str:
    """RFC 8288 Link header of the same links."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


def query_args(args: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The filters that were given, by their public names, to repeat them in links."""
    found: dict[str, Any] = {}
    for attribute, public in names.items():
        value = args.get(attribute)
        if value in (None, "", False):
            continue
        found[public] = getattr(value, "value", value)
    return found


# -- pieces ------------------------------------------------------------------------------------


def theme_data(theme: Theme) -> dict[str, Any]:
    return {"slug": theme.slug, "name_nl": theme.name_nl, "name_en": theme.name_en}


def organisation_ref(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "api_url": external_url("api_organisations.show", slug=organisation.slug),
    }


def community_ref(community: Community) -> dict[str, Any]:
    return {
        "slug": community.slug,
        "name": community.name,
        "html_url": external_url("communities.home", slug=community.slug),
        "api_url": external_url("api_communities.show", slug=community.slug),
    }


def licence_data(output: KnowledgeOutput) -> dict[str, Any]:
    # Dutch whatever the visitor's language cookie says: the answer is cached publicly.
    with force_locale("nl"):
        name = knowledge.licence_label(output.licence)
    return {"code": output.licence, "name": name, "url": LICENCE_URLS.get(output.licence)}


# -- knowledge outputs -------------------------------------------------------------------------


def output_list_options() -> list[Any]:
    """What the API's list says of each output, in a fixed number of statements: the community
    joined to the output's row, the authors with their names and the organisations with theirs
    (one statement each: one user or organisation per row, so nothing multiplies)."""
    return [
        joinedload(KnowledgeOutput.community),
        selectinload(KnowledgeOutput.themes),
        selectinload(KnowledgeOutput.authors).joinedload(OutputAuthor.user),
        selectinload(KnowledgeOutput.organisations).joinedload(OutputOrganisation.organisation),
        selectinload(KnowledgeOutput.school_types),
        selectinload(KnowledgeOutput.career_stages),
        selectinload(KnowledgeOutput.domains),
    ]


def output_page(filters: knowledge.PublicFilters, page: int, per_page: int) -> Page:
    query = knowledge.public_query(filters).options(*output_list_options())
    return paginate(query, page, per_page)


def output_data(output: KnowledgeOutput) -> dict[str, Any]:
    return {
        "slug": output.slug,
        "title": output.title,
        "summary": output.summary,
        "type": output.output_type,
        "themes": [theme_data(theme) for theme in output.themes],
        "school_types": sorted(row.school_type for row in output.school_types),
        "career_stages": sorted(row.career_stage for row in output.career_stages),
        "domains": sorted(row.domain for row in output.domains),
        "authors": [{"name": row.user.display_name} for row in output.authors],
        "organisations": [organisation_ref(row.organisation) for row in output.organisations],
        "community": community_ref(output.community),
        "licence": licence_data(output),
        "published_at": output.published_at,
        "revised_at": output.revised_at or output.published_at,
        "version": output.published_version,
        "counts": {
            "views": output.view_count,
            "downloads": output.download_count,
            "uses": output.use_count,
        },
        "html_url": external_url("kennisbank.output", slug=output.slug),
        "api_url": external_url("api_outputs.show", slug=output.slug),
    }


def public_output(slug: str) -> KnowledgeOutput | None:
    """A published or withdrawn output (the caller answers 410 for the latter)."""
    return queries.output_page(slug)


def is_withdrawn(output: KnowledgeOutput) -> bool:
    return output.status == OutputStatus.WITHDRAWN


def output_detail(output: KnowledgeOutput) -> dict[str, Any]:
    data = output_data(output)
    current = knowledge.public_version(output)
    shown = [
        v for v in output.versions if v.state in (VersionState.PUBLISHED, VersionState.SUPERSEDED)
    ]
    data.update(
        body=output.body,
        body_html=output.body_html,
        media_url=output.media_url,
        versions=[_version_data(v, current) for v in shown],
        attachments=[
            {
                "id": a.id,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "download_url": external_url(
                    "kennisbank.attachment", slug=output.slug, attachment_id=a.id
                ),
            }
            for a in (current.attachments if current else [])
        ],
    )
    # Dutch whatever the visitor's language cookie says: the answer is cached publicly.
    with force_locale("nl"):
        data["citation"] = knowledge.citation(output, data["html_url"])
    return data


def _version_data(version: OutputVersion, current: OutputVersion | None) -> dict[str, Any]:
    return {
        "number": version.number,
        "title": version.title,
        "change_note": version.change_note,
        "published_at": version.published_at,
        "current": version is current,
    }


# -- communities -------------------------------------------------------------------------------


def community_page(
    filters: communities.DirectoryFilters, organisation: str, page: int, per_page: int
) -> Page:
    if organisation:
        organisation_id = db.session.scalar(
            sa.select(Organisation.id).where(Organisation.slug == organisation)
        )
        # An unknown organisation matches nothing, as unknown slugs do everywhere in the API.
        filters.organisation_id = organisation_id if organisation_id is not None else -1
    return paginate(communities.directory_query(filters, None, tags=True), page, per_page)


def visible_community(slug: str) -> Community | None:
    """A community an anonymous visitor may know exists (not the invite-only ones)."""
    return db.session.scalar(
        sa.select(Community)
        .where(Community.slug == slug, communities.visible_filter(None))
        .options(
            selectinload(Community.themes),
            selectinload(Community.school_types),
            selectinload(Community.career_stages),
            selectinload(Community.owners).joinedload(CommunityOwner.organisation),
        )
    )


def community_data(community: Community) -> dict[str, Any]:
    return {
        "slug": community.slug,
        "name": community.name,
        "summary": community.summary,
        "visibility": str(community.visibility),
        "status": str(community.status),
        "member_count": community.member_count,
        "cross_school": community.is_cross_school,
        "themes": [theme_data(theme) for theme in community.themes],
        "school_types": sorted(row.school_type for row in community.school_types),
        "career_stages": sorted(row.career_stage for row in community.career_stages),
        "owners": [
            organisation_ref(owner.organisation)
            for owner in community.owners
            if owner.status == CoOwnerStatus.ACCEPTED
        ],
        "created_at": community.created_at,
        "html_url": external_url("communities.home", slug=community.slug),
        "api_url": external_url("api_communities.show", slug=community.slug),
    }


def community_detail(community: Community) -> dict[str, Any]:
    return {
        **community_data(community),
        "description": community.description,
        "description_html": community.description_html,
        "outputs_url": external_url("api_outputs.index", community=community.slug),
    }


# -- themes and organisations ------------------------------------------------------------------


def theme_page(page: int, per_page: int) -> Page:
    query = sa.select(Theme).where(Theme.active.is_(True)).order_by(Theme.name_nl, Theme.id)
    return paginate(query, page, per_page)


def organisation_page(text: str, kind: OrganisationKind | None, page: int, per_page: int) -> Page:
    # Names repeat (school locations), so the id keeps the order stable between pages.
    query = organisations.search_query(text, kind).order_by(Organisation.id)
    return paginate(query, page, per_page)


def organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.slug == slug)
        .options(selectinload(Organisation.parent))
    )


def organisation_data(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "city": organisation.city,
        "school_type": organisation.school_type,
        "instellingscode": organisation.instellingscode,
        "vestigingscode": organisation.vestigingscode,
        "bevoegd_gezag_nummer": organisation.bevoegd_gezag_nummer,
        "website": organisation.website,
        "html_url": external_url("organisations.show", slug=organisation.slug),
        "api_url": external_url("api_organisations.show", slug=organisation.slug),
    }


def organisation_detail(organisation: Organisation) -> dict[str, Any]:
    parent = organisation.parent
    return {
        **organisation_data(organisation),
        "description": organisation.description,
        "street": organisation.street,
        "postcode": organisation.postcode,
        "municipality": organisation.municipality,
        "denomination": organisation.denomination,
        "parent": organisation_ref(parent) if parent is not None else None,
        "outputs_url": external_url("api_outputs.index", organisation=organisation.slug),
    }


# -- live sessions -----------------------------------------------------------------------------


def session_page(community: str, page: int, per_page: int) -> Page:
    """Sessions still to come that every teacher may join, in communities anyone may see; soonest
    first. Members-only sessions stay off the API even in public communities: it announces what
    anyone may come to."""
    query = (
        sa.select(LiveSession)
        .join(Community, Community.id == LiveSession.community_id)
        .where(
            visible_sessions_filter(None),
            LiveSession.audience == Audience.EVERYONE,
            LiveSession.status == SessionStatus.SCHEDULED,
            LiveSession.ends_at > utcnow(),
            LiveSession.room_state != RoomState.CLOSED,
        )
        .options(selectinload(LiveSession.community))
        .order_by(LiveSession.starts_at, LiveSession.id)
    )
    if community:
        query = query.where(Community.slug == community)
    return paginate(query, page, per_page)


def session_data(session: LiveSession) -> dict[str, Any]:
    # No video-call link: the site shows it only to those who may take part.
    slug = session.community.slug
    return {
        "id": session.id,
        "title": session.title,
        "community": community_ref(session.community),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "mode": session.mode,
        "location": session.location,
        "capacity": session.capacity,
        "going_count": session.going_count,
        "agenda_html": session.agenda_html,
        "html_url": external_url("live.detail", slug=slug, session_id=session.id),
        "ics_url": external_url("live.session_calendar", slug=slug, session_id=session.id),
    }


# -- offerings ---------------------------------------------------------------------------------


def offering_page(filters: catalogue.CatalogueFilters, page: int, per_page: int) -> Page:
    """What the catalogue page lists: published offerings that have not ended."""
    query = catalogue.catalogue_query(filters).options(*catalogue.list_options())
    return paginate(query, page, per_page)


def public_offering(slug: str) -> Offering | None:
    """A published or cancelled offering; drafts do not exist here, whoever asks."""
    offering = catalogue.offering_by_slug(slug, None)
    if offering is None or offering.status == OfferingStatus.DRAFT:
        return None
    return offering


def offering_data(offering: Offering) -> dict[str, Any]:
    return {
        "slug": offering.slug,
        "title": offering.title,
        "summary": offering.summary,
        "format": offering.format,
        "status": offering.status,
        "provider": organisation_ref(offering.provider),
        "themes": [theme_data(theme) for theme in offering.themes],
        "school_types": sorted(row.school_type for row in offering.school_types),
        "career_stages": sorted(row.career_stage for row in offering.career_stages),
        "domains": sorted(row.domain for row in offering.domains),
        "starts_at": offering.starts_at,
        "ends_at": offering.ends_at,
        "location": offering.location,
        "online": offering.online,
        "capacity": offering.capacity,
        "places_left": offering.places_left,
        "cost": {
            "kind": offering.cost_kind,
            "amount_cents": offering.cost_cents,
            "needs_leader_approval": offering.needs_leader_approval,
        },
        "contact_minutes": offering.contact_minutes,
        "self_study_minutes": offering.self_study_minutes,
        "scope": offering.scope,
        "html_url": external_url("catalogue.offering", slug=offering.slug),
        "api_url": external_url("api_offerings.show", slug=offering.slug),
        "ics_url": external_url("catalogue.offering_calendar", slug=offering.slug),
    }


def offering_detail(offering: Offering) -> dict[str, Any]:
    return {
        **offering_data(offering),
        "description": offering.description,
        "description_html": offering.description_html,
        "meetings": [
            {"starts_at": m.starts_at, "ends_at": m.ends_at, "location": m.location}
            for m in offering.meetings
        ],
    }
