"""The versioned JSON API (/api/v1), its OpenAPI document and its documentation page.

The document is generated from the code by flask-smorest (marshmallow schemas → apispec), so it
cannot drift from what the endpoints do. Read access to public things needs no login; everything
answers as for an anonymous visitor (see plc/api/services.py).

Errors are RFC 9457 problem documents. flask-smorest would install an app-wide HTTPException
handler with its own JSON shape; `PlcApi` leaves that out, so the site's HTML error pages stay as
they are, and the API's blueprints carry their own handler that adds what only the API knows
(422 field messages, the withdrawal of a 410). Errors outside any blueprint (an unknown /api/
path, a 405) reach plc/core/errors.py, which answers problem+json for /api/ paths as well.
"""

from __future__ import annotations

import http
import re
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_smorest import Api, abort
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from plc.api import schemas, services
from plc.catalogue.models import QuestionVisibility
from plc.catalogue.services import CatalogueFilters
from plc.communities.models import Visibility
from plc.communities.services import DirectoryFilters
from plc.core import pagecache
from plc.core.errors import problem
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge.services import PublicFilters
from plc.pilots import services as pilot_services
from plc.pilots.criteria import checklists_for
from plc.pilots.models import Pilot, PilotStatus
from plc.surveys.summary import evaluations_for_pilots

PROBLEM_JSON = "application/problem+json"
API_VERSION = "1.0.0"
#: Seconds a cache in between may keep an answer; short, because outputs are withdrawn.
MAX_AGE = 60


class SlugConverter(BaseConverter):
    """Path slugs: a pattern the document states, so odd bytes (NUL) never reach a query."""

    regex = schemas.SLUG_PATTERN


def _slug_parameter_schema(_converter: BaseConverter) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^{schemas.SLUG_PATTERN}$"}


class PlcApi(Api):
    """flask-smorest's Api without its app-wide error handler, with problem+json errors in the
    document."""

    ERROR_SCHEMA = schemas.ProblemSchema
    #: No catch-all "default" response: every status an operation can answer is listed, so a
    #: fuzzer's status-code check means something.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """None: the project's handlers stay; the API's blueprints have their own."""

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


def api_problem(error: HTTPException) -> Response:
    """The problem document for an error inside the API's blueprints."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    response = problem(status, error.name, data.get("detail") or error.description)
    body = response.get_json()
    messages = data.get("messages")
    if isinstance(messages, dict):
        # webargs nests the messages by location ({"query": {"per_page": [...]}}); the API has
        # query parameters only, so the parameter names are enough.
        body["errors"] = {
            name: [str(m) for m in (text if isinstance(text, list) else [text])]
            for fields in messages.values()
            for name, text in (fields.items() if isinstance(fields, dict) else [])
        }
        body["detail"] = "Some query parameters are not valid: " + ", ".join(sorted(body["errors"]))
    body.update(data.get("extra") or {})
    response.set_data(current_app.json.dumps(body))
    return response


def _blueprint(name: str, url_prefix: str, description: str) -> ApiBlueprint:
    blueprint = ApiBlueprint(name, __name__, url_prefix=url_prefix, description=description)
    blueprint.register_error_handler(HTTPException, api_problem)
    return blueprint


outputs = _blueprint(
    "api_outputs", "/api/v1/outputs", "Published knowledge outputs (kennisopbrengsten)."
)
communities = _blueprint(
    "api_communities", "/api/v1/communities", "Communities visible to every visitor."
)
themes = _blueprint("api_themes", "/api/v1/themes", "The active themes, in Dutch and English.")
organisations = _blueprint(
    "api_organisations", "/api/v1/organisations", "Schools, boards, academies and institutes."
)
sessions = _blueprint(
    "api_sessions", "/api/v1/sessions", "Upcoming live sessions open to every teacher."
)
offerings = _blueprint(
    "api_offerings",
    "/api/v1/offerings",
    "Professional-development offerings (aanbod) of training schools, academies and institutes.",
)
pilots = _blueprint(
    "api_pilots",
    "/api/v1/pilots",
    "Pilots: cross-school steps owned together by two or more organisations, with the six "
    "criteria of the seed and their evaluation at a glance.",
)
BLUEPRINTS = (outputs, communities, themes, organisations, sessions, offerings, pilots)

#: The Link header, documented on every list.
LINK_HEADER = {
    "Link": {
        "description": "RFC 8288 links to the first, last, next and previous page.",
        "schema": {"type": "string"},
    }
}


def _listing(
    endpoint: str, page: services.Page, items: list[dict[str, Any]], args: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    body = services.page_body(endpoint, page, items, args)
    return body, {"Link": services.link_header(body["links"])}


# -- knowledge outputs -------------------------------------------------------------------------

OUTPUT_FILTERS = {
    "q": "q",
    "theme": "theme",
    "output_type": "type",
    "school_type": "school_type",
    "career_stage": "career_stage",
    "domain": "domain",
    "organisation": "organisation",
    "community": "community",
    "year": "year",
}


@outputs.route("", endpoint="index")
@pagecache.for_visitors
@outputs.arguments(schemas.OutputArgs, location="query", as_kwargs=True)
@outputs.response(200, schemas.OutputPageSchema, headers=LINK_HEADER)
def outputs_index(page: int, per_page: int, **filters: Any) -> Any:
    """List published knowledge outputs

    Newest first; with `q`, best match first. Unknown theme, organisation or community slugs
    match nothing (an empty list, not an error)."""
    page_ = services.output_page(PublicFilters(**filters), page, per_page)
    items = [services.output_data(output) for output in page_.items]
    return _listing("api_outputs.index", page_, items, services.query_args(filters, OUTPUT_FILTERS))


@outputs.route("/<apislug:slug>", endpoint="show")
@pagecache.for_visitors
@outputs.response(200, schemas.OutputDetailSchema)
@outputs.alt_response(404, response="NOT_FOUND", description="No published output has this slug.")
@outputs.alt_response(410, response="GONE", description="Withdrawn: the reason and date.")
def outputs_show(slug: str) -> Any:
    """One published knowledge output

    With its text (Markdown and HTML), versions, attachments, counts and citation. A withdrawn
    output answers 410 with the reason; drafts and outputs under review do not exist here."""
    output = services.public_output(slug)
    if output is None:
        abort(404, detail="There is no published knowledge output with this slug.")
    if services.is_withdrawn(output):
        abort(
            410,
            detail=output.withdrawn_reason or "This knowledge output was withdrawn.",
            extra={
                "withdrawn_reason": output.withdrawn_reason,
                "withdrawn_at": output.withdrawn_at.isoformat() if output.withdrawn_at else None,
            },
        )
    return services.output_detail(output)


# -- communities -------------------------------------------------------------------------------

COMMUNITY_FILTERS = {
    "q": "q",
    "theme": "theme",
    "school_type": "school_type",
    "career_stage": "career_stage",
    "organisation": "organisation",
    "cross_school": "cross_school",
}


@communities.route("", endpoint="index")
@communities.arguments(schemas.CommunityArgs, location="query", as_kwargs=True)
@communities.response(200, schemas.CommunityPageSchema, headers=LINK_HEADER)
def communities_index(page: int, per_page: int, organisation: str, **filters: Any) -> Any:
    """List communities

    Public communities and those that take members on request; invite-only communities do not
    exist for the API. Closed communities (read-only archives) come last."""
    page_ = services.community_page(DirectoryFilters(**filters), organisation, page, per_page)
    items = [services.community_data(community) for community in page_.items]
    args = services.query_args({**filters, "organisation": organisation}, COMMUNITY_FILTERS)
    if "cross_school" in args:
        args["cross_school"] = "true"
    return _listing("api_communities.index", page_, items, args)


@communities.route("/<apislug:slug>", endpoint="show")
@communities.response(200, schemas.CommunityDetailSchema)
@communities.alt_response(404, response="NOT_FOUND", description="No visible community.")
def communities_show(slug: str) -> Any:
    """One community"""
    community = services.visible_community(slug)
    if community is None:
        abort(404, detail="There is no visible community with this slug.")
    return services.community_detail(community)


# -- themes ------------------------------------------------------------------------------------


@themes.route("", endpoint="index")
@themes.arguments(schemas.PageArgs, location="query", as_kwargs=True)
@themes.response(200, schemas.ThemePageSchema, headers=LINK_HEADER)
def themes_index(page: int, per_page: int) -> Any:
    """List the active themes

    Their slugs are the `theme` filter of outputs and communities."""
    page_ = services.theme_page(page, per_page)
    items = [services.theme_data(theme) for theme in page_.items]
    return _listing("api_themes.index", page_, items, {})


# -- organisations -----------------------------------------------------------------------------


@organisations.route("", endpoint="index")
@organisations.arguments(schemas.OrganisationArgs, location="query", as_kwargs=True)
@organisations.response(200, schemas.OrganisationPageSchema, headers=LINK_HEADER)
def organisations_index(page: int, per_page: int, q: str, kind: Any = None) -> Any:
    """List organisations

    Sorted by name. DUO codes are given where the organisation has them."""
    page_ = services.organisation_page(q, kind, page, per_page)
    items = [services.organisation_data(organisation) for organisation in page_.items]
    args = services.query_args({"q": q, "kind": kind}, {"q": "q", "kind": "kind"})
    return _listing("api_organisations.index", page_, items, args)


@organisations.route("/<apislug:slug>", endpoint="show")
@organisations.response(200, schemas.OrganisationDetailSchema)
@organisations.alt_response(404, response="NOT_FOUND", description="No organisation.")
def organisations_show(slug: str) -> Any:
    """One organisation"""
    organisation = services.organisation_by_slug(slug)
    if organisation is None:
        abort(404, detail="There is no organisation with this slug.")
    return services.organisation_detail(organisation)


# -- live sessions -----------------------------------------------------------------------------


@sessions.route("", endpoint="index")
@sessions.arguments(schemas.SessionArgs, location="query", as_kwargs=True)
@sessions.response(200, schemas.SessionPageSchema, headers=LINK_HEADER)
def sessions_index(page: int, per_page: int, community: str) -> Any:
    """List upcoming live sessions

    Sessions that every teacher may join (not members-only ones), in communities anyone may
    see; soonest first. Signing up needs an account on the site (`html_url`)."""
    page_ = services.session_page(community, page, per_page)
    items = [services.session_data(session) for session in page_.items]
    args = services.query_args({"community": community}, {"community": "community"})
    return _listing("api_sessions.index", page_, items, args)


# -- offerings --------------------------------------------------------------------------------

OFFERING_FILTERS = {
    "q": "q",
    "theme": "theme",
    "format": "format",
    "provider": "provider",
    "career_stage": "career_stage",
    "school_type": "school_type",
    "date_from": "from",
    "date_until": "until",
    "cost": "cost",
    "open_to_all": "open_to_all",
}


@offerings.route("", endpoint="index")
@offerings.arguments(schemas.OfferingArgs, location="query", as_kwargs=True)
@offerings.response(200, schemas.OfferingPageSchema, headers=LINK_HEADER)
def offerings_index(page: int, per_page: int, **filters: Any) -> Any:
    """List upcoming offerings

    Published offerings that have not ended, soonest first; with `q`, best match first. The same
    list and filters as the catalogue page. Enrolling needs an account on the site (`html_url`)."""
    page_ = services.offering_page(CatalogueFilters(**filters), page, per_page)
    items = [services.offering_data(offering) for offering in page_.items]
    args = services.query_args(filters, OFFERING_FILTERS)
    if "open_to_all" in args:
        args["open_to_all"] = "true"
    return _listing("api_offerings.index", page_, items, args)


@offerings.route("/<apislug:slug>", endpoint="show")
@offerings.response(200, schemas.OfferingDetailSchema)
@offerings.alt_response(404, response="NOT_FOUND", description="No published offering.")
def offerings_show(slug: str) -> Any:
    """One offering

    With its description and meetings. A cancelled offering still answers (status `cancelled`);
    drafts do not exist here."""
    offering = services.public_offering(slug)
    if offering is None:
        abort(404, detail="There is no published offering with this slug.")
    return services.offering_detail(offering)


# -- pilots ------------------------------------------------------------------------------------

PILOT_FILTERS = {"theme": "theme", "organisation": "organisation", "status": "status"}


def _pilot_options() -> list[Any]:
    """What a pilot in the API shows, in a fixed number of statements for any page size."""
    return [
        *pilot_services.list_options(),
        selectinload(Pilot.communities),
        selectinload(Pilot.questions),
        joinedload(Pilot.evaluation_report),
    ]


def _pilot_items(pilot_list: list[Pilot], detail: bool = False) -> list[dict[str, Any]]:
    evaluations = evaluations_for_pilots([pilot.id for pilot in pilot_list])
    checklists = checklists_for(pilot_list, evaluations)
    return [
        _pilot_data(pilot, checklists[pilot.id], evaluations[pilot.id], detail)
        for pilot in pilot_list
    ]


def _pilot_data(pilot: Pilot, checklist: Any, evaluation: Any, detail: bool) -> dict[str, Any]:
    """A pilot as anyone may read it: organisations without their people, communities and
    learning questions only where the public may see them, evaluation as aggregates."""
    report = pilot.evaluation_report
    data: dict[str, Any] = {
        "slug": pilot.slug,
        "title": pilot.title,
        "summary": pilot.summary,
        "status": str(pilot.status),
        "starts_on": pilot.starts_on,
        "ends_on": pilot.ends_on,
        "themes": [services.theme_data(theme) for theme in pilot.themes],
        "organisations": [
            services.organisation_ref(row.organisation) for row in pilot.participants
        ],
        "communities": [
            services.community_ref(community)
            for community in pilot.communities
            if community.visibility != Visibility.INVITE
        ],
        "learning_questions": [
            question.title
            for question in pilot.questions
            if question.visibility == QuestionVisibility.EVERYONE
        ],
        "criteria": [{"key": item.key, "met": item.met} for item in checklist],
        "criteria_met": checklist.met_count,
        "evaluation": {
            "surveys": evaluation.surveys,
            "responses": evaluation.responses,
            "latest_response_rate": evaluation.latest_rate,
            "latest_scale_mean": evaluation.latest_scale_mean,
        },
        "evaluation_report_url": external_url("kennisbank.output", slug=report.slug)
        if report is not None and report.slug
        else None,
        "html_url": external_url("pilots.show", slug=pilot.slug),
        "api_url": external_url("api_pilots.show", slug=pilot.slug),
    }
    if detail:
        for name in ("goals", "activities", "evaluation_plan", "sharing_plan"):
            data[name] = getattr(pilot, name)
            data[f"{name}_html"] = getattr(pilot, f"{name}_html")
        data["participants"] = [
            {
                "organisation": services.organisation_ref(row.organisation),
                "contribution": row.contribution,
                "dependency": row.dependency,
            }
            for row in pilot.participants
        ]
        data["stop_reason"] = pilot.stop_reason
    return data


@pilots.route("", endpoint="index")
@pilots.arguments(schemas.PilotArgs, location="query", as_kwargs=True)
@pilots.response(200, schemas.PilotPageSchema, headers=LINK_HEADER)
def pilots_index(page: int, per_page: int, theme: str, organisation: str, status: str = "") -> Any:
    """List pilots

    Pilots past their proposal (approved, running, being evaluated, concluded or stopped), the
    most recently moved first; each with its organisations, the six criteria of the seed and
    its evaluation at a glance. Unknown theme or organisation slugs match nothing."""
    filters = pilot_services.OverviewFilters(
        theme=theme or None,
        organisation=organisation or None,
        status=PilotStatus(status) if status else None,
    )
    query = pilot_services.overview_query(filters, None).options(*_pilot_options())
    page_ = services.paginate(query, page, per_page)
    args = services.query_args(
        {"theme": theme, "organisation": organisation, "status": status}, PILOT_FILTERS
    )
    return _listing("api_pilots.index", page_, _pilot_items(page_.items), args)


@pilots.route("/<apislug:slug>", endpoint="show")
@pilots.response(200, schemas.PilotDetailSchema)
@pilots.alt_response(404, response="NOT_FOUND", description="No pilot, or still a proposal.")
def pilots_show(slug: str) -> Any:
    """One pilot

    With its charter (goals, activities, evaluation and sharing plans, what each organisation
    contributes and depends on). Proposals do not exist here."""
    pilot = db.session.scalar(
        pilot_services.public_query().where(Pilot.slug == slug).options(*_pilot_options())
    )
    if pilot is None:
        abort(404, detail="There is no pilot with this slug (proposals are not public).")
    return _pilot_items([pilot], detail=True)[0]


# -- the document and its page -----------------------------------------------------------------

docs = Blueprint("api", __name__, url_prefix="/api")


def _spec(app: Flask) -> dict[str, Any]:
    return app.extensions["plc-api"].spec.to_dict()


@docs.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(_spec(current_app))


@docs.get("/docs")
def api_docs() -> str:
    return render_template("api/docs.html", spec=_spec(current_app), **_docs_context())


def _docs_context() -> dict[str, Any]:
    return {
        "schema_name": _schema_name,
        "example_path": _example_path,
        "anchor": _anchor,
        "base_url": external_url("api.openapi_json").removesuffix("/api/openapi.json"),
    }


def _anchor(method: str, path: str) -> str:
    return "op-" + method + re.sub(r"[^a-z0-9]+", "-", path.lower()).rstrip("-")


def _schema_name(schema: dict[str, Any]) -> str:
    """A schema's short name for the page ("OutputPage", "array of string", "integer")."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema and "type" not in schema:
        return "string"  # the API's enumerations are all strings
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(kind)
    if kind == "array":
        return f"array of {_schema_name(schema.get('items', {}))}"
    return kind or "object"


def _example_path(path: str) -> str:
    return re.sub(r"\{slug\}", "voorbeeld", path)


# -- headers -----------------------------------------------------------------------------------


def _public_headers(response: Response) -> Response:
    """Schools' intranets read the API from the browser (CORS); caches may keep answers briefly."""
    path = request.path
    if path.startswith("/api/v1/") or path == "/api/openapi.json":
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "Link"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        else:
            response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.url_map.converters["apislug"] = SlugConverter
    api = PlcApi(
        app,
        spec_kwargs={
            "title": "Leernetwerk Amsterdam API",
            "version": API_VERSION,
            "openapi_version": "3.1.0",
            "info": {
                "description": (
                    "Public, read-only data of Leernetwerk Amsterdam: published knowledge "
                    "outputs, communities, themes, organisations, live sessions, offerings and pilots. No login; JSON; errors as "
                    "RFC 9457 problem documents (application/problem+json). Lists are paginated "
                    "with `page` and `per_page` (at most 100)."
                ),
                "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
            },
        },
    )
    api.register_converter(SlugConverter, _slug_parameter_schema)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs)
    app.extensions["plc-api"] = api
    app.after_request(_public_headers)
