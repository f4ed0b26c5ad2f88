"""What the API accepts and returns, as marshmallow schemas: they parse the query strings and are
the source of the OpenAPI document, so the document cannot drift from the code.

Response schemas dump the plain dicts built in `plc.api.services`; a key that a schema does not
declare never reaches a client.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from plc.auth.models import CareerStage, SchoolType
from plc.catalogue.models import CostKind, EnrolmentScope, OfferingFormat, OfferingStatus
from plc.catalogue.services import CostFilter
from plc.knowledge.models import OutputType
from plc.live.models import SessionMode
from plc.organisations.models import OrganisationKind
from plc.resources.models import Licence
from plc.themes.models import CompetenceDomain

#: Pages beyond this are refused: a larger OFFSET would overflow the databases' integers, and
#: nobody pages that far.
MAX_PAGE = 100_000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100

#: Control characters (NUL above all, which PostgreSQL cannot store or compare) are refused in
#: every text parameter, as a 422 rather than a database error.
NO_CONTROL_CHARACTERS = validate.Regexp(
    r"^[^\x00-\x1f\x7f]*$", error="Control characters are not allowed."
)
#: What a slug in a URL path may look like (the API's path converter matches it too).
SLUG_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.~-]{0,139}"


def _text(description: str, max_length: int = 140) -> fields.String:
    return fields.String(
        load_default="",
        validate=[validate.Length(max=max_length), NO_CONTROL_CHARACTERS],
        metadata={"description": description},
    )


def _enum(enum: type[Any], description: str, **kwargs: Any) -> fields.Enum:
    # No load_default: a missing filter stays out of the view's arguments (and out of the
    # document, where a null default would read as a value to send).
    return fields.Enum(enum, by_value=True, metadata={"description": description}, **kwargs)


# -- query strings -----------------------------------------------------------------------------


class PageArgs(ma.Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1. A page past the last one is empty."},
    )
    per_page = fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page (default {DEFAULT_PER_PAGE})."},
    )


class OutputArgs(PageArgs):
    q = _text("Full-text search in title, summary and text; best match first.", 200)
    theme = _text("Theme slug (see /api/v1/themes). An unknown slug matches nothing.")
    output_type = _enum(OutputType, "Kind of output.", data_key="type")
    school_type = _enum(SchoolType, "School type the output is for.")
    career_stage = _enum(CareerStage, "Career stage the output is for.")
    domain = _enum(CompetenceDomain, "Competence domain the output is about.")
    organisation = _text("Slug of a contributing organisation. An unknown slug matches nothing.")
    community = _text("Slug of the community that made it. An unknown slug matches nothing.")
    year = fields.Integer(
        validate=validate.Range(min=1, max=9999),
        metadata={"description": "Year of first publication."},
    )


class CommunityArgs(PageArgs):
    q = _text("Full-text search in name, summary and description.", 200)
    theme = _text("Theme slug. An unknown slug matches nothing.")
    school_type = _enum(SchoolType, "School type the community is meant for.")
    career_stage = _enum(CareerStage, "Career stage the community is meant for.")
    organisation = _text("Slug of a co-owning organisation. An unknown slug matches nothing.")
    cross_school = fields.Boolean(
        load_default=False,
        metadata={"description": "Only communities co-owned by two or more organisations."},
    )


class SessionArgs(PageArgs):
    community = _text("Slug of the community. An unknown slug matches nothing.")


#: Dates outside these are refused (422): far-off days would overflow in the time-zone arithmetic.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)


def _date(description: str, data_key: str) -> fields.Date:
    return fields.Date(
        data_key=data_key,
        validate=validate.Range(min=EARLIEST_DATE, max=LATEST_DATE),
        metadata={"description": description},
    )


class OfferingArgs(PageArgs):
    q = _text("Full-text search in title, summary and description; best match first.", 200)
    theme = _text("Theme slug (see /api/v1/themes). An unknown slug matches nothing.")
    format = _enum(OfferingFormat, "Format of the offering.")
    provider = _text("Slug of the provider (organisation). An unknown slug matches nothing.")
    career_stage = _enum(
        CareerStage, "Career stage; offerings that name no career stage are for all."
    )
    school_type = _enum(SchoolType, "School type; offerings that name no school type are for all.")
    date_from = _date("Some meeting on or after this day (Amsterdam), 2000-2100.", "from")
    date_until = _date("Some meeting on or before this day (Amsterdam), 2000-2100.", "until")
    cost = _enum(CostFilter, "free: no cost; paid: an amount, or paid by the school.")
    open_to_all = fields.Boolean(
        load_default=False,
        metadata={"description": "Only offerings open to every Amsterdam teacher."},
    )


#: Pilot statuses the API shows: proposals (proposed, changes requested) are not public.
PUBLIC_PILOT_STATUSES = ["approved", "running", "evaluating", "concluded", "stopped"]


class PilotArgs(PageArgs):
    theme = _text("Theme slug (see /api/v1/themes). An unknown slug matches nothing.")
    organisation = _text("Slug of a participating organisation. An unknown slug matches nothing.")
    status = fields.String(
        validate=validate.OneOf(PUBLIC_PILOT_STATUSES),
        metadata={"description": "Where the pilot stands."},
    )


class OrganisationArgs(PageArgs):
    q = _text("Part of the name or place, or a DUO vestigingscode.", 200)
    kind = _enum(OrganisationKind, "Kind of organisation.")


# -- small parts -------------------------------------------------------------------------------


class LinksSchema(ma.Schema):
    self = fields.String(required=True, metadata={"format": "uri"})
    first = fields.String(required=True, metadata={"format": "uri"})
    last = fields.String(required=True, metadata={"format": "uri"})
    next = fields.String(required=True, allow_none=True, metadata={"format": "uri"})
    prev = fields.String(required=True, allow_none=True, metadata={"format": "uri"})


class ThemeSchema(ma.Schema):
    slug = fields.String(required=True)
    name_nl = fields.String(required=True)
    name_en = fields.String(required=True)


class OrganisationRefSchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    api_url = fields.String(required=True, metadata={"format": "uri"})


class CommunityRefSchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})


class AuthorSchema(ma.Schema):
    name = fields.String(required=True, metadata={"description": "Display name (no e-mail)."})


class LicenceSchema(ma.Schema):
    code = fields.Enum(Licence, by_value=True, required=True)
    name = fields.String(required=True)
    url = fields.String(
        required=True,
        allow_none=True,
        metadata={"format": "uri", "description": "null for all rights reserved."},
    )


class CountsSchema(ma.Schema):
    views = fields.Integer(required=True)
    downloads = fields.Integer(required=True)
    uses = fields.Integer(required=True, metadata={"description": "Schools that use it."})


class VersionSchema(ma.Schema):
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    change_note = fields.String(required=True)
    published_at = fields.DateTime(required=True, allow_none=True)
    current = fields.Boolean(required=True, metadata={"description": "The version shown."})


class AttachmentSchema(ma.Schema):
    id = fields.Integer(required=True)
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "Bytes."})
    sha256 = fields.String(required=True)
    download_url = fields.String(required=True, metadata={"format": "uri"})


# -- resources ---------------------------------------------------------------------------------


class OutputSchema(ma.Schema):
    """A published knowledge output, as lists show it."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    type = fields.Enum(OutputType, by_value=True, required=True)
    themes = fields.List(fields.Nested(ThemeSchema), required=True)
    school_types = fields.List(fields.Enum(SchoolType, by_value=True), required=True)
    career_stages = fields.List(fields.Enum(CareerStage, by_value=True), required=True)
    domains = fields.List(fields.Enum(CompetenceDomain, by_value=True), required=True)
    authors = fields.List(fields.Nested(AuthorSchema), required=True)
    organisations = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    community = fields.Nested(CommunityRefSchema, required=True)
    licence = fields.Nested(LicenceSchema, required=True)
    published_at = fields.DateTime(required=True, metadata={"description": "First publication."})
    revised_at = fields.DateTime(
        required=True, metadata={"description": "Publication of the current version."}
    )
    version = fields.Integer(required=True, metadata={"description": "Current version number."})
    counts = fields.Nested(CountsSchema, required=True)
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})


class OutputDetailSchema(OutputSchema):
    """A published knowledge output with its text, versions and attachments."""

    body = fields.String(required=True, metadata={"description": "Markdown as written."})
    body_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    media_url = fields.String(
        required=True, allow_none=True, metadata={"format": "uri", "description": "Video/podcast."}
    )
    versions = fields.List(fields.Nested(VersionSchema), required=True)
    attachments = fields.List(fields.Nested(AttachmentSchema), required=True)
    citation = fields.String(required=True, metadata={"description": "How to cite it."})


class CommunitySchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    summary = fields.String(required=True)
    visibility = fields.String(
        required=True,
        validate=validate.OneOf(["public", "request"]),
        metadata={"description": "public: anyone reads; request: members read."},
    )
    status = fields.String(required=True, validate=validate.OneOf(["forming", "active", "closed"]))
    member_count = fields.Integer(required=True)
    cross_school = fields.Boolean(required=True)
    themes = fields.List(fields.Nested(ThemeSchema), required=True)
    school_types = fields.List(fields.Enum(SchoolType, by_value=True), required=True)
    career_stages = fields.List(fields.Enum(CareerStage, by_value=True), required=True)
    owners = fields.List(fields.Nested(OrganisationRefSchema), required=True)
    created_at = fields.DateTime(required=True)
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})


class CommunityDetailSchema(CommunitySchema):
    description = fields.String(required=True, metadata={"description": "Markdown as written."})
    description_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    outputs_url = fields.String(
        required=True, metadata={"format": "uri", "description": "Its published outputs."}
    )


class OrganisationSchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    city = fields.String(required=True, allow_none=True)
    school_type = fields.Enum(SchoolType, by_value=True, required=True, allow_none=True)
    instellingscode = fields.String(
        required=True, allow_none=True, metadata={"description": "DUO, 4 characters."}
    )
    vestigingscode = fields.String(
        required=True, allow_none=True, metadata={"description": "DUO, 6 characters."}
    )
    bevoegd_gezag_nummer = fields.String(
        required=True, allow_none=True, metadata={"description": "DUO board number."}
    )
    website = fields.String(required=True, allow_none=True, metadata={"format": "uri"})
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})


class OrganisationDetailSchema(OrganisationSchema):
    description = fields.String(required=True)
    street = fields.String(required=True, allow_none=True)
    postcode = fields.String(required=True, allow_none=True)
    municipality = fields.String(required=True, allow_none=True)
    denomination = fields.String(required=True, allow_none=True)
    parent = fields.Nested(
        OrganisationRefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The board a school belongs to."},
    )
    outputs_url = fields.String(
        required=True, metadata={"format": "uri", "description": "Outputs it contributed to."}
    )


class SessionSchema(ma.Schema):
    """An upcoming live session that every teacher may join."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    community = fields.Nested(CommunityRefSchema, required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    mode = fields.Enum(SessionMode, by_value=True, required=True)
    location = fields.String(required=True, metadata={"description": "Empty when online."})
    capacity = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no limit."}
    )
    going_count = fields.Integer(required=True)
    agenda_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    html_url = fields.String(required=True, metadata={"format": "uri"})
    ics_url = fields.String(
        required=True, metadata={"format": "uri", "description": "iCalendar file of the session."}
    )


class MeetingSchema(ma.Schema):
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    location = fields.String(
        required=True, metadata={"description": "Empty: the offering's location."}
    )


class CostSchema(ma.Schema):
    kind = fields.Enum(CostKind, by_value=True, required=True)
    amount_cents = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Euro cents; null when free."}
    )
    needs_leader_approval = fields.Boolean(
        required=True, metadata={"description": "The school leader approves each enrolment."}
    )


class OfferingSchema(ma.Schema):
    """A published professional-development offering, as the catalogue lists it."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    format = fields.Enum(OfferingFormat, by_value=True, required=True)
    status = fields.Enum(
        OfferingStatus,
        by_value=True,
        required=True,
        metadata={"description": "published or cancelled (drafts are not in the API)."},
    )
    provider = fields.Nested(OrganisationRefSchema, required=True)
    themes = fields.List(fields.Nested(ThemeSchema), required=True)
    school_types = fields.List(fields.Enum(SchoolType, by_value=True), required=True)
    career_stages = fields.List(fields.Enum(CareerStage, by_value=True), required=True)
    domains = fields.List(fields.Enum(CompetenceDomain, by_value=True), required=True)
    starts_at = fields.DateTime(required=True, allow_none=True)
    ends_at = fields.DateTime(required=True, allow_none=True)
    location = fields.String(required=True)
    online = fields.Boolean(required=True)
    capacity = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no limit."}
    )
    places_left = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: no limit."}
    )
    cost = fields.Nested(CostSchema, required=True)
    contact_minutes = fields.Integer(required=True)
    self_study_minutes = fields.Integer(required=True)
    scope = fields.Enum(
        EnrolmentScope,
        by_value=True,
        required=True,
        metadata={"description": "everyone, or only teachers of the provider's own board."},
    )
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})
    ics_url = fields.String(
        required=True, metadata={"format": "uri", "description": "iCalendar of its meetings."}
    )


class OfferingDetailSchema(OfferingSchema):
    description = fields.String(required=True, metadata={"description": "Markdown as written."})
    description_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    meetings = fields.List(fields.Nested(MeetingSchema), required=True)


#: The six criteria of the seed, in order (plc/pilots/criteria.py).
PILOT_CRITERIA = [
    "learning_questions",
    "organisations",
    "shared_ownership",
    "all_amsterdam",
    "evaluated",
    "leaders_involved",
]


class CriterionSchema(ma.Schema):
    key = fields.String(
        required=True,
        validate=validate.OneOf(PILOT_CRITERIA),
        metadata={
            "description": "learning_questions: starts from learning questions; organisations: "
            "two or more take part; shared_ownership: each has a contact and a contribution; "
            "all_amsterdam: public knowledge or open participation; evaluated: a survey with "
            "responses and a published evaluation report; leaders_involved: sponsors named "
            "and involved."
        },
    )
    met = fields.Boolean(required=True, metadata={"description": "Computed from the data."})


class PilotEvaluationSchema(ma.Schema):
    """Aggregates only: never who answered what."""

    surveys = fields.Integer(required=True, metadata={"description": "Published surveys."})
    responses = fields.Integer(required=True, metadata={"description": "Responses to them."})
    latest_response_rate = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "0 to 1: responses to the latest survey with responses, of those "
            "invited; null when there is none, or nobody was invited."
        },
    )
    latest_scale_mean = fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Mean of the latest survey's scale answers, on a scale of 1 to 5; "
            "null without scale answers."
        },
    )


class PilotParticipantSchema(ma.Schema):
    """A participating organisation and what it brings (no people)."""

    organisation = fields.Nested(OrganisationRefSchema, required=True)
    contribution = fields.String(required=True, metadata={"description": "What it contributes."})
    dependency = fields.String(
        required=True, metadata={"description": "What it depends on from the others."}
    )


class PilotSchema(ma.Schema):
    """A pilot past its proposal: approved, running, being evaluated, concluded or stopped."""

    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PUBLIC_PILOT_STATUSES))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    themes = fields.List(fields.Nested(ThemeSchema), required=True)
    organisations = fields.List(
        fields.Nested(OrganisationRefSchema),
        required=True,
        metadata={"description": "The participating organisations (never their people)."},
    )
    communities = fields.List(
        fields.Nested(CommunityRefSchema),
        required=True,
        metadata={"description": "The communities it grows from (not invite-only ones)."},
    )
    learning_questions = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Titles of the learning questions it starts from that are "
            "shared with everyone."
        },
    )
    criteria = fields.List(fields.Nested(CriterionSchema), required=True)
    criteria_met = fields.Integer(required=True, metadata={"description": "Of the six."})
    evaluation = fields.Nested(PilotEvaluationSchema, required=True)
    evaluation_report_url = fields.String(
        required=True,
        allow_none=True,
        metadata={"format": "uri", "description": "Public page of its evaluation report."},
    )
    html_url = fields.String(required=True, metadata={"format": "uri"})
    api_url = fields.String(required=True, metadata={"format": "uri"})


class PilotDetailSchema(PilotSchema):
    """A pilot with its charter."""

    goals = fields.String(required=True, metadata={"description": "Markdown as written."})
    goals_html = fields.String(required=True, metadata={"description": "Sanitised HTML."})
    activities = fields.String(required=True)
    activities_html = fields.String(required=True)
    evaluation_plan = fields.String(required=True)
    evaluation_plan_html = fields.String(required=True)
    sharing_plan = fields.String(required=True)
    sharing_plan_html = fields.String(required=True)
    participants = fields.List(fields.Nested(PilotParticipantSchema), required=True)
    stop_reason = fields.String(required=True, metadata={"description": "Empty unless stopped."})


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The envelope of a paginated list of `item`."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
            "links": fields.Nested(LinksSchema, required=True),
        },
        name=name,
    )


OutputPageSchema = page_schema(OutputSchema, "OutputPage")
CommunityPageSchema = page_schema(CommunitySchema, "CommunityPage")
ThemePageSchema = page_schema(ThemeSchema, "ThemePage")
OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPage")
SessionPageSchema = page_schema(SessionSchema, "SessionPage")
OfferingPageSchema = page_schema(OfferingSchema, "OfferingPage")
PilotPageSchema = page_schema(PilotSchema, "PilotPage")


# -- errors ------------------------------------------------------------------------------------


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "422 only: the messages per query parameter."},
    )
    withdrawn_at = fields.DateTime(metadata={"description": "410 only: when it was withdrawn."})
    withdrawn_reason = fields.String(metadata={"description": "410 only: why."})
