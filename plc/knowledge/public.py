"""The public knowledge base (*kennisbank*): what communities published, for every Amsterdam
school, without logging in. Browse and search, read an output and its earlier versions, download
its files, export a list, and, for those who speak for a school, say that the school uses it.

Panels for the start page, a community's home page and an organisation's page are registered here
through the hooks those pages offer.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, format_number
from flask_babel import gettext as _
from flask_login import current_user, login_required

from plc.communities import services as communities
from plc.communities.models import Community
from plc.core import pagecache
from plc.core.db import intend_write
from plc.core.downloads import send_stored
from plc.core.errors import ServiceError
from plc.core.filters import profile_filter_args
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.permissions import require
from plc.core.spreadsheet import safe_cell
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge import queries, services
from plc.knowledge.forms import TYPE_LABELS, UseForm
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAttachment,
    OutputStatus,
    OutputType,
    OutputUse,
    OutputVersion,
    VersionState,
)
from plc.organisations.models import Organisation
from plc.resources.forms import LICENCE_URLS
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain

log = logging.getLogger(__name__)

bp = Blueprint("kennisbank", __name__, url_prefix="/kennisbank")
PER_PAGE = 20
PANEL_SIZE = 5
#: An export is a list, not a database dump: beyond this the page says to narrow the filters.
EXPORT_LIMIT = 5_000
#: Versions a reader may open: the one the public sees and those it replaced.
READABLE_STATES = (VersionState.PUBLISHED, VersionState.SUPERSEDED)
#: User agents that announce themselves as robots, previews or scripts: their visits are not
#: readers, so they are not counted.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|fetcher|monitor|scan|curl|wget|python-requests|httpx|"
    r"go-http-client|java/|libwww|headless",
    re.IGNORECASE,
)
PUBLISHER = "Leernetwerk Amsterdam"


# -- filters -----------------------------------------------------------------------------------


def _enum_arg(enum: Any, name: str) -> Any:
    value = request.args.get(name, "")
    return enum(value) if value in {member.value for member in enum} else None


def _filters() -> services.PublicFilters:
    """The filters from the query string; unknown values are ignored (a link is a bookmark)."""
    year = request.args.get("jaar", "")
    return services.PublicFilters(
        **profile_filter_args(request.args),
        output_type=_enum_arg(OutputType, "type"),
        domain=_enum_arg(CompetenceDomain, "domein"),
        organisation=request.args.get("organisatie", "")[:120] or None,
        community=request.args.get("gemeenschap", "")[:140] or None,
        year=int(year) if year.isdigit() and len(year) == 4 else None,
    )


def _query_args(filters: services.PublicFilters) -> dict[str, str]:
    """The filters as query-string values, for pagination and export links."""
    values: dict[str, Any] = {
        "q": filters.q,
        "thema": filters.theme,
        "type": filters.output_type,
        "schooltype": filters.school_type,
        "loopbaanfase": filters.career_stage,
        "domein": filters.domain,
        "organisatie": filters.organisation,
        "gemeenschap": filters.community,
        "jaar": filters.year,
    }
    return {name: str(value) for name, value in values.items() if value}


def _is_filtered(filters: services.PublicFilters) -> bool:
    return bool(_query_args(filters))


def feed_url(
    theme: str | None = None,
    community: str | None = None,
    organisation: str | None = None,
    output_type: OutputType | None = None,
) -> str:
    """The Atom feed (CONTRACTS.md: /feeds/outputs.atom?theme=&community=&organisation=, and
    the feed's own `type`). Search words, school type, career stage, domain and year are not
    feed filters."""
    pairs = (
        ("theme", theme),
        ("community", community),
        ("organisation", organisation),
        ("type", output_type.value if output_type else None),
    )
    return url_for("feeds.outputs", **{name: value for name, value in pairs if value})


# -- the list ----------------------------------------------------------------------------------


@bp.get("")
@pagecache.for_visitors
def index() -> str:
    filters = _filters()
    page = queries.results_page(filters, PER_PAGE)
    return render_template(
        "knowledge/public/index.html",
        page=page,
        filters=filters,
        choices=queries.filter_choices(),
        query_args=_query_args(filters),
        filtered=_is_filtered(filters),
        feed=feed_url(filters.theme, filters.community, filters.organisation, filters.output_type),
        export_limit=format_number(EXPORT_LIMIT),
        output_types=list(OutputType),
        domains=list(CompetenceDomain),
    )


#: Column order of the CSV export (the keys of `_export_record`).
EXPORT_COLUMNS = [
    "url",
    "title",
    "type",
    "summary",
    "community",
    "organisations",
    "authors",
    "themes",
    "school_types",
    "career_stages",
    "competence_domains",
    "year",
    "published_at",
    "revised_at",
    "version",
    "licence",
    "licence_url",
    "views",
    "downloads",
    "used_by_schools",
]


def _export_record(item: KnowledgeOutput) -> dict[str, Any]:
    """One output in an export: names and values in plain form, the same in CSV and JSON."""
    return {
        "url": external_url("kennisbank.output", slug=item.slug),
        "title": item.title,
        "type": item.output_type.value,
        "summary": item.summary,
        "community": item.community.name,
        "organisations": [row.organisation.name for row in item.organisations],
        "authors": [row.user.display_name for row in item.authors],
        "themes": [theme.name_nl for theme in item.themes],
        "school_types": [row.school_type.value for row in item.school_types],
        "career_stages": [row.career_stage.value for row in item.career_stages],
        "competence_domains": [row.domain.value for row in item.domains],
        "year": item.year,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "revised_at": item.revised_at.isoformat() if item.revised_at else None,
        "version": item.published_version,
        "licence": services.licence_label(item.licence),
        "licence_url": LICENCE_URLS.get(item.licence),
        "views": item.view_count,
        "downloads": item.download_count,
        "used_by_schools": item.use_count,
    }


def _export(filters: services.PublicFilters) -> tuple[list[dict[str, Any]], bool]:
    rows = queries.export_rows(filters, EXPORT_LIMIT)
    return [_export_record(item) for item in rows[:EXPORT_LIMIT]], len(rows) > EXPORT_LIMIT


def _download_headers(response: Response, filename: str, truncated: bool) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    if truncated:
        response.headers["X-Export-Truncated"] = f"only the first {EXPORT_LIMIT} outputs"
    return response


def _csv_cell(value: Any) -> Any:
    """Lists joined; text that a spreadsheet would run as a formula is quoted with an apostrophe
    (CSV injection)."""
    if isinstance(value, list):
        value = "; ".join(str(part) for part in value)
    return safe_cell(value)


@bp.get("/export.csv")
def export_csv() -> Response:
    records, truncated = _export(_filters())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for record in records:
        writer.writerow([_csv_cell(record[column]) for column in EXPORT_COLUMNS])
    response = Response(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _download_headers(response, "kennisbank.csv", truncated)


@bp.get("/export.json")
def export_json() -> Response:
    filters = _filters()
    records, truncated = _export(filters)
    body = {
        "filters": _query_args(filters),
        "count": len(records),
        "limit": EXPORT_LIMIT,
        "truncated": truncated,
        "outputs": records,
    }
    response = Response(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    return _download_headers(response, "kennisbank.json", truncated)


# -- an output ---------------------------------------------------------------------------------


def _counts_as_view(environ: dict[str, Any]) -> bool:
    """A reader's GET: not a HEAD request, not a self-declared robot or script."""
    if environ.get("REQUEST_METHOD") != "GET":
        return False
    return not BOT_AGENTS.search(environ.get("HTTP_USER_AGENT", ""))


def _count_reader(environ: dict[str, Any], slug: str) -> tuple[sa.Update, dict[str, Any]] | None:
    """The count of a reader of a kept output page answered before the app runs: sent with the
    page's check (plc/core/pagecache.py)."""
    return services.view_counter(slug) if _counts_as_view(environ) else None


def _load(slug: str) -> KnowledgeOutput:
    """A published or withdrawn output; drafts, outputs in review, unknown slugs and outputs of
    invite-only communities answer 404."""
    item = queries.output_page(slug)
    require(item is not None)
    return item  # type: ignore[return-value]


def _tombstone(item: KnowledgeOutput) -> tuple[str, int]:
    """A withdrawn output keeps its URL: what it was, when and why it was withdrawn (410)."""
    return render_template("knowledge/public/withdrawn.html", output=item), 410


def _readable_versions(item: KnowledgeOutput) -> list[OutputVersion]:
    return [version for version in item.versions if version.state in READABLE_STATES]


def _sees_uses(item: KnowledgeOutput) -> bool:
    """The community that made it sees which schools use it, with their notes."""
    if not current_user.is_authenticated:
        return False
    access = communities.access_for(item.community, current_user)  # type: ignore[arg-type]
    return access.is_member or access.can_facilitate


def _use_form(schools: list[Organisation], uses: dict[int, OutputUse]) -> UseForm:
    form = UseForm()
    form.school.choices = choices((school.id, school.name) for school in schools)
    if request.method == "GET" and schools:
        # Prefill the note of the school the form starts with, so saving again keeps it.
        first = uses.get(schools[0].id)
        form.note.data = first.note if first else ""
    return form


def _in_dutch(label: Any) -> str:
    with force_locale("nl"):
        return str(label)


def _structured_data(item: KnowledgeOutput, text: OutputVersion, url: str) -> dict[str, Any]:
    """schema.org metadata for search engines (JSON-LD)."""
    modified = text.published_at or item.revised_at or item.published_at
    licence_url = LICENCE_URLS.get(item.licence)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["LearningResource", "CreativeWork"],
        "name": text.title,
        "description": text.summary,
        "url": url,
        "identifier": url,
        "inLanguage": "nl",
        "version": text.number,
        # The text is Dutch, so is what describes it, whatever the reader's language.
        "learningResourceType": _in_dutch(TYPE_LABELS[item.output_type]),
        "keywords": [theme.name_nl for theme in item.themes],
        "license": licence_url or services.licence_label(item.licence),
        "author": [{"@type": "Person", "name": row.user.display_name} for row in item.authors],
        "sourceOrganization": [
            {
                "@type": "Organization",
                "name": row.organisation.name,
                "url": external_url("organisations.show", slug=row.organisation.slug),
            }
            for row in item.organisations
        ],
        "creator": {
            "@type": "Organization",
            "name": item.community.name,
            "url": external_url("communities.home", slug=item.community.slug),
        },
        "publisher": {
            "@type": "Organization",
            "name": PUBLISHER,
            "url": external_url("core.home"),
        },
        "audience": {"@type": "EducationalAudience", "educationalRole": "teacher"},
        "isAccessibleForFree": True,
    }
    if item.published_at:
        data["datePublished"] = item.published_at.date().isoformat()
    if modified:
        data["dateModified"] = modified.isoformat()
    if item.output_type == OutputType.MEDIA_LINK and item.media_url:
        data["associatedMedia"] = {"@type": "MediaObject", "contentUrl": item.media_url}
    return data


def _pdf_url(item: KnowledgeOutput, attachments: list[OutputAttachment]) -> str | None:
    """The first PDF, for scholarly search engines (citation_pdf_url)."""
    pdf = next((a for a in attachments if a.content_type == "application/pdf"), None)
    if pdf is None:
        return None
    return external_url("kennisbank.attachment", slug=item.slug, attachment_id=pdf.id)


def _render_output(
    item: KnowledgeOutput,
    text: OutputVersion | None,
    *,
    form: UseForm | None = None,
) -> str:
    """The output's page: its current text, or (`text` superseded) an earlier version."""
    current = services.public_version(item)
    text = text or current
    require(text is not None)  # a published output always has its published version
    assert text is not None
    is_old = text.state == VersionState.SUPERSEDED
    url = (
        external_url("kennisbank.version", slug=item.slug, number=text.number)
        if is_old
        else external_url("kennisbank.output", slug=item.slug)
    )
    schools = services.speaking_for(current_user)
    sees_uses = _sees_uses(item)
    uses = queries.uses_with_schools(item) if (schools or sees_uses) else []
    used_by = {use.organisation_id: use for use in uses}
    return render_template(
        "knowledge/public/output.html",
        output=item,
        text=text,
        is_old=is_old,
        versions=_readable_versions(item),
        attachments=text.attachments,
        canonical=url,
        pdf_url=_pdf_url(item, text.attachments),
        citation=services.citation(item, external_url("kennisbank.output", slug=item.slug)),
        structured_data=_structured_data(item, text, url),
        marked=[school for school in schools if school.id in used_by],
        form=form or (_use_form(schools, used_by) if schools else None),
        uses=uses if sees_uses else [],
        sees_uses=sees_uses,
        feed=feed_url(community=item.community.slug),
    )


@bp.get("/<slug>")
def output(slug: str) -> Response:
    counting = _counts_as_view(request.environ)
    if counting:
        intend_write()  # a GET that counts: take SQLite's write lock up front (plc.core.db)
    # Rendered (or taken from the cache) before the count is committed: a commit expires what
    # the page shows.
    response = _output_page(slug)
    if counting and response.status_code == 200:
        try:
            services.record_view(slug)
            db.session.commit()
        except sa.exc.DBAPIError:  # a count never costs the reader the page
            db.session.rollback()
            log.exception("the reader count of %s failed", slug)
    return response


@pagecache.for_visitors(front_write=_count_reader)
def _output_page(slug: str) -> Response:
    item = _load(slug)
    if item.status == OutputStatus.WITHDRAWN:
        return make_response(_tombstone(item))
    return make_response(_render_output(item, None))


@bp.get("/<slug>/versie/<int:number>")
def version(slug: str, number: int) -> str | tuple[str, int] | Response:
    item = _load(slug)
    if item.status == OutputStatus.WITHDRAWN:
        return _tombstone(item)
    text = services.version_number(item, number)
    require(text is not None and text.state in READABLE_STATES)
    assert text is not None
    if text.state == VersionState.PUBLISHED:
        return redirect(url_for(".output", slug=slug))
    return _render_output(item, text)


def _attachment_of(item: KnowledgeOutput, attachment_id: int) -> OutputAttachment:
    """A file of a version readers may open; files of drafts and of versions in review are not."""
    for text in _readable_versions(item):
        for attachment in text.attachments:
            if attachment.id == attachment_id:
                return attachment
    abort(404)


@bp.get("/<slug>/bijlagen/<int:attachment_id>")
def attachment(slug: str, attachment_id: int) -> Response | tuple[str, int]:
    intend_write()  # counts the download
    item = _load(slug)
    if item.status == OutputStatus.WITHDRAWN:
        return _tombstone(item)
    found = _attachment_of(item, attachment_id)

    def count() -> None:
        if request.method != "HEAD":
            services.record_download(item)
        db.session.commit()  # before streaming: the count must not wait for the reader

    return send_stored(found.storage_key, found.filename, found.content_type, count)


# -- "we use this" -----------------------------------------------------------------------------


def _published(slug: str) -> KnowledgeOutput:
    item = _load(slug)
    require(item.status == OutputStatus.PUBLISHED)
    return item


def _chosen(schools: Iterable[Organisation], school_id: Any) -> Organisation | None:
    return next((school for school in schools if school.id == school_id), None)


def _to_uses(slug: str) -> Response:
    return redirect(url_for(".output", slug=slug, _anchor="gebruik"))  # type: ignore[return-value]


@bp.post("/<slug>/gebruik")
@login_required
def mark_used(slug: str) -> Response | tuple[str, int]:
    item = _published(slug)
    schools = services.speaking_for(current_user)
    require(bool(schools))
    form = _use_form(schools, {})
    if form.validate_on_submit():
        school = _chosen(schools, form.school.data)
        try:
            if school is None:
                raise ServiceError(_("Choose one of the schools you speak for."), "school")
            services.mark_used(item, school, current_user, form.note.data or "")  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you: %(school)s is counted as a user.", school=school.name), "success")
            return _to_uses(slug)
    return _render_output(item, None, form=form), 400


@bp.post("/<slug>/gebruik/intrekken")
@login_required
def unmark_used(slug: str) -> Response:
    item = _published(slug)
    school = _chosen(services.speaking_for(current_user), request.form.get("school", type=int))
    require(school is not None)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.unmark_used(item, school, current_user)  # type: ignore[arg-type]
    db.session.commit()
    flash(_("%(school)s is no longer counted as a user.", school=school.name), "success")  # type: ignore[union-attr]
    return _to_uses(slug)


# -- panels on other pages ---------------------------------------------------------------------


def _home_panel(
    community: Community, access: communities.Access
) -> tuple[str, dict[str, object]] | None:
    """The community's newest published outputs (one statement: titles, types and dates)."""
    outputs = queries.newest_in(community, PANEL_SIZE)
    if not outputs and not access.is_member:
        return None
    return "knowledge/public/_home_panel.html", {
        "outputs": outputs,
        "knowledge_url": url_for("knowledge.index", slug=community.slug)
        if access.can_read
        else None,
    }


def _start_page(_viewer: object) -> dict[str, object]:
    return {"newest_outputs": queries.newest_with_community(PANEL_SIZE)}


def _organisation_section(organisation: Organisation) -> tuple[str, dict[str, object]] | None:
    outputs = queries.newest_of_organisation(organisation, PANEL_SIZE)
    if not outputs:
        return None
    return "knowledge/public/_organisation_section.html", {"outputs": outputs}


def init_app(app: Flask) -> None:
    add_hook(app, "start_page", _start_page)
    add_hook(app, "community_home", _home_panel)
    add_hook(app, "organisation_page", _organisation_section)
    # setdefault: the community's own knowledge pages may register the same words first.
    app.jinja_env.globals.setdefault(
        "output_type_label", lambda value: TYPE_LABELS[OutputType(value)]
    )
    app.jinja_env.globals.setdefault(
        "competence_domain_label", lambda value: DOMAIN_LABELS[CompetenceDomain(value)]
    )
    app.jinja_env.globals["kennisbank_feed_url"] = feed_url
    app.register_blueprint(bp)
