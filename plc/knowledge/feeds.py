"""The Atom feed of published knowledge outputs: `GET /feeds/outputs.atom` (a public contract).

Filters (all optional, combinable): `theme`, `community` and `organisation` by slug, and `type`
(an output type such as `practice_example`). An unknown value answers 404, as does a community
that is invite-only: a feed must not reveal what its pages hide. `lang=en` gives the English
titles and labels; without it the feed is Dutch. The language is a parameter rather than taken
from the viewer, because one feed URL is polled by many readers (school intranets) and must
give all of them the same document — which is also what makes it cacheable.

Polling is cheap: the ETag is computed from the ids and change times of the 50 entries (one
small query) and a matching `If-None-Match` (or `If-Modified-Since`) answers 304 before
anything else is loaded. Building the feed itself takes a fixed number of statements.

`init_app` also registers the theme-following pages (plc.knowledge.following), so that the
knowledge feature's reader-side additions need one registration call.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

import sqlalchemy as sa
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from flask import Blueprint, Flask, Response, abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.http import is_resource_modified

from plc.communities.models import Community, Visibility
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.forms import TYPE_LABELS
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputType
from plc.organisations.models import Organisation
from plc.themes.models import Theme

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

#: Entries per feed: the newest first publications.
FEED_SIZE = 50
FEED_LANGUAGES = ("nl", "en")
#: Shared caches may keep the feed this long; after that a conditional request is cheap.
MAX_AGE = 300
#: The date in the tag: URIs (RFC 4151) of feeds and entries; fixed so that ids never change.
TAG_DATE = "2026"
#: The knowledge base page's names for the same filters (its query string is in Dutch).
KNOWLEDGE_BASE_ARGS = {
    "theme": "thema",
    "community": "gemeenschap",
    "organisation": "organisatie",
    "type": "type",
}
#: Characters XML 1.0 cannot carry; a pasted control character must not break the whole feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_Named = TypeVar("_Named", Theme, Community, Organisation)


@dataclass(frozen=True)
class FeedFilter:
    """The filters of one feed, resolved to the objects its title names."""

    theme: Theme | None = None
    community: Community | None = None
    organisation: Organisation | None = None
    output_type: OutputType | None = None
    language: str = "nl"

    def public_filters(self) -> services.PublicFilters:
        return services.PublicFilters(
            theme=self.theme.slug if self.theme else None,
            community=self.community.slug if self.community else None,
            organisation=self.organisation.slug if self.organisation else None,
            output_type=self.output_type,
        )

    def args(self) -> dict[str, str]:
        """The query string of this feed, in a fixed order (the feed's canonical URL)."""
        values = {
            "theme": self.theme.slug if self.theme else None,
            "community": self.community.slug if self.community else None,
            "organisation": self.organisation.slug if self.organisation else None,
            "type": self.output_type.value if self.output_type else None,
        }
        return {key: value for key, value in values.items() if value}


def feed_filter(args: MultiDict[str, str]) -> FeedFilter:
    """The filters in the query string; 404 for any value that names nothing (public)."""
    theme = _by_slug(Theme, args.get("theme"))
    community = _by_slug(Community, args.get("community"))
    if community is not None and community.visibility == Visibility.INVITE:
        abort(404)
    organisation = _by_slug(Organisation, args.get("organisation"))
    output_type = None
    if args.get("type"):
        if args["type"] not in {t.value for t in OutputType}:
            abort(404)
        output_type = OutputType(args["type"])
    language = args.get("lang") or "nl"
    if language not in FEED_LANGUAGES:
        abort(404)
    return FeedFilter(theme, community, organisation, output_type, language)


def _by_slug(model: type[_Named], slug: str | None) -> _Named | None:
    if not slug:
        return None
    found = db.session.scalar(sa.select(model).where(model.slug == slug))
    if found is None:
        abort(404)
    return found


# -- what changed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedState:
    """The entries' ids and change times, and what follows from them for caching."""

    ids: list[int]
    etag: str
    last_modified: datetime | None


def feed_state(selected: FeedFilter) -> FeedState:
    """Which outputs the feed holds, in two small statements, before anything is rendered."""
    query = services.public_query(selected.public_filters()).limit(FEED_SIZE)
    rows = db.session.execute(
        query.with_only_columns(KnowledgeOutput.id, KnowledgeOutput.updated_at)
    ).all()
    # A withdrawal removes an entry without changing those that stay; counting it keeps
    # Last-Modified from going back in time for clients that send only If-Modified-Since.
    withdrawn = db.session.scalar(
        sa.select(sa.func.max(KnowledgeOutput.withdrawn_at)).where(
            KnowledgeOutput.status == OutputStatus.WITHDRAWN
        )
    )
    moments = [updated for _id, updated in rows] + ([withdrawn] if withdrawn else [])
    fingerprint = "|".join(
        [selected.language, *(f"{k}={v}" for k, v in selected.args().items())]
        + [f"{output_id}@{updated.isoformat()}" for output_id, updated in rows]
    )
    return FeedState(
        ids=[output_id for output_id, _updated in rows],
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
        last_modified=max(moments) if moments else None,
    )


def feed_outputs(ids: Sequence[int]) -> list[KnowledgeOutput]:
    """The entries with what they show, in a fixed number of statements, in the feed's order."""
    if not ids:
        return []
    found = db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(KnowledgeOutput.id.in_(ids))
        .options(*services.list_options())
    ).all()
    by_id = {output.id: output for output in found}
    return [by_id[i] for i in ids if i in by_id]


# -- the document ------------------------------------------------------------------------------


def _tag_authority() -> str:
    # A tag: URI's authority is a DNS name: the configured server name without a port.
    return str(current_app.config["PLC_SERVER_NAME"]).split(":")[0]


def entry_id(output: KnowledgeOutput) -> str:
    """Stable for ever: the output's id, not its URL (RFC 4151 tag: URI)."""
    return f"tag:{_tag_authority()},{TAG_DATE}:knowledge-output/{output.id}"


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def feed_title(selected: FeedFilter) -> str:
    """ "Leernetwerk Amsterdam — kennis over Formatief evalueren", narrowed by every filter."""
    parts = [_("Leernetwerk Amsterdam — knowledge")]
    if selected.theme is not None:
        parts.append(_("on %(theme)s", theme=selected.theme.name(selected.language)))
    if selected.community is not None:
        parts.append(_("from %(community)s", community=selected.community.name))
    if selected.organisation is not None:
        parts.append(_("with %(organisation)s", organisation=selected.organisation.name))
    if selected.output_type is not None:
        parts.append(f"({TYPE_LABELS[selected.output_type]})")
    return " ".join(parts)


def knowledge_base_url(selected: FeedFilter) -> str:
    """The knowledge base page with the same filters (the feed's alternate link)."""
    args = {KNOWLEDGE_BASE_ARGS[name]: value for name, value in selected.args().items()}
    return external_url("kennisbank.index", **args)


def build_feed(selected: FeedFilter, outputs: list[KnowledgeOutput], state: FeedState) -> bytes:
    """The Atom document (RFC 4287)."""
    language = selected.language
    feed = FeedGenerator()
    self_url = external_url("feeds.outputs", **selected.args(), **_lang_arg(selected))
    feed.id(f"tag:{_tag_authority()},{TAG_DATE}:feeds/outputs?{urlencode(selected.args())}")
    feed.title(_text(feed_title(selected)))
    feed.subtitle(
        _("Knowledge outputs of the professional learning communities of Amsterdam schools.")
    )
    feed.language(language)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=knowledge_base_url(selected), rel="alternate", type="text/html")
    feed.author({"name": "Leernetwerk Amsterdam", "uri": external_url("core.home")})
    feed.generator("Leernetwerk Amsterdam")
    if state.last_modified is not None:
        feed.updated(state.last_modified)
    for output in outputs:
        _add_entry(feed, output, language)
    return feed.atom_str(pretty=False)


def _lang_arg(selected: FeedFilter) -> dict[str, str]:
    return {"lang": selected.language} if selected.language != "nl" else {}


class _Entry(FeedEntry):
    """feedgen 1.0.0 writes an entry's links without their rel and type (a variable shadowed in
    `atom_entry`), which would turn a "related" link into a second "alternate" one: put them back."""

    def atom_entry(self, extensions: bool = True) -> Any:
        element = super().atom_entry(extensions)
        for link, data in zip(element.findall("link"), self.link() or [], strict=True):
            link.attrib.update({k: data[k] for k in ("rel", "type", "hreflang") if data.get(k)})
        return element


def _add_entry(feed: FeedGenerator, output: KnowledgeOutput, language: str) -> None:
    entry = feed.add_entry(_Entry(), order="append")
    entry.id(entry_id(output))
    entry.title(_text(output.title))
    if output.summary:
        entry.summary(_text(output.summary))
    if output.body_html:
        entry.content(_text(output.body_html), type="html")
    entry.link(
        href=external_url("kennisbank.output", slug=output.slug), rel="alternate", type="text/html"
    )
    if output.media_url:
        entry.link(href=output.media_url, rel="related")
    if output.published_at is not None:
        entry.published(output.published_at)
    entry.updated(output.revised_at or output.published_at or output.updated_at)
    people = [{"name": _text(row.user.display_name)} for row in output.authors]
    entry.author(people or [{"name": _text(output.community.name)}])
    for row in output.organisations:
        entry.contributor({"name": _text(row.organisation.name)})
    authority = _tag_authority()
    entry.category(
        [
            {
                "term": theme.slug,
                "label": _text(theme.name(language)),
                "scheme": f"tag:{authority},{TAG_DATE}:theme",
            }
            for theme in output.themes
        ]
        + [
            {
                "term": output.output_type.value,
                "label": str(TYPE_LABELS[output.output_type]),
                "scheme": f"tag:{authority},{TAG_DATE}:output-type",
            }
        ]
    )
    entry.rights(services.licence_label(output.licence))


# -- the view ----------------------------------------------------------------------------------


@bp.get("/outputs.atom")
def outputs() -> Response:
    selected = feed_filter(request.args)
    state = feed_state(selected)
    if not is_resource_modified(
        request.environ, etag=state.etag, last_modified=state.last_modified
    ):
        return _cacheable(Response(status=304), state)
    with force_locale(selected.language):
        body = build_feed(selected, feed_outputs(state.ids), state)
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    return _cacheable(response, state)


def _cacheable(response: Response, state: FeedState) -> Response:
    response.set_etag(state.etag)
    if state.last_modified is not None:
        response.last_modified = state.last_modified
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    # Intranet pages fetch the feed from their own origin's scripts; it is public anyway.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def init_app(app: Flask) -> None:
    from plc.knowledge import following

    app.register_blueprint(bp)
    following.init_app(app)
