"""Knowledge-output rules: writing, review, publication, revisions, withdrawal, attachments, the
schools that use an output, theme subscriptions, and the queries of the public knowledge base.

Functions change the session and flush; the request (or the CLI) commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.models import CareerStage, SchoolType, User
from plc.catalogue import services as catalogue
from plc.catalogue.models import LearningQuestion
from plc.communities.models import (
    Community,
    CommunityMember,
    CommunityOwner,
    CoOwnerStatus,
    MemberRole,
    MemberStatus,
    Visibility,
)
from plc.communities.services import Access, access_for, facilitators
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.pagecache import unseen_by_pages
from plc.core.search import SearchIndex, search_subquery
from plc.core.urls import site_path
from plc.extensions import db
from plc.knowledge.models import (
    OPEN_STATES,
    KnowledgeOutput,
    OutputAttachment,
    OutputAuthor,
    OutputCareerStage,
    OutputDomain,
    OutputOrganisation,
    OutputReview,
    OutputSchoolType,
    OutputStatus,
    OutputType,
    OutputUse,
    OutputVersion,
    ReviewDecision,
    ThemeSubscription,
    VersionState,
    output_theme,
)
from plc.live.models import LiveSession, QuestionStatus
from plc.live.room import RoomSummary, room_summary
from plc.live.services import to_local
from plc.notifications.models import NotificationKind
from plc.notifications.services import notify
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.resources.forms import LICENCE_NAMES
from plc.resources.models import Licence
from plc.resources.services import clean_url, inspect_upload, store_upload
from plc.themes.models import CompetenceDomain, Theme
from plc.themes.services import chosen_themes, unique_slug

SEARCH = SearchIndex(
    name="knowledge_output", table="knowledge_output", columns=("title", "summary", "body")
)
#: Attachments per version.
MAX_ATTACHMENTS = 10
#: Roles that speak for a school when it says it uses an output or follows a theme.
SCHOOL_SPEAKERS = (
    OrganisationRole.SCHOOL_LEADER,
    OrganisationRole.HR_ADVISOR,
    OrganisationRole.ADMIN,
)


# -- who may do what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputAccess:
    """What one person may do with one output (or, without one, in the community's knowledge)."""

    access: Access
    output: KnowledgeOutput | None
    user_id: int | None

    @property
    def is_author(self) -> bool:
        return self.output is not None and self.user_id in author_ids(self.output)

    @property
    def can_write(self) -> bool:
        """Start outputs in this community: its active members."""
        return self.access.is_member and not self.access.community.is_closed

    @property
    def can_edit(self) -> bool:
        """Change the open version and its metadata: authors and facilitators."""
        if self.output is None or self.output.status == OutputStatus.WITHDRAWN:
            return False
        if self.access.community.is_closed:
            return False
        return self.access.can_facilitate or (self.access.is_member and self.is_author)

    @property
    def may_review(self) -> bool:
        """Facilitators and contacts of co-owning organisations, as long as they did not write it."""
        if self.output is None or self.user_id is None:
            return False
        if not (self.access.can_facilitate or self.access.is_contact):
            return False
        return not self.is_author and self.user_id not in _version_writers(self.output)

    @property
    def can_see_unpublished(self) -> bool:
        """Drafts and versions under review: the writers and the possible reviewers."""
        return (
            self.access.can_facilitate
            or self.access.is_contact
            or (self.access.is_member and (self.output is None or self.is_author))
        )

    @property
    def can_withdraw(self) -> bool:
        return (
            self.output is not None
            and self.output.status == OutputStatus.PUBLISHED
            and self.access.can_facilitate
        )


def output_access(community: Community, output: KnowledgeOutput | None, user: Any) -> OutputAccess:
    user_id = user.id if getattr(user, "is_authenticated", False) else None
    return OutputAccess(access_for(community, user), output, user_id)


def author_ids(output: KnowledgeOutput) -> set[int]:
    ids = {author.user_id for author in output.authors}
    if output.created_by_id is not None:
        ids.add(output.created_by_id)
    return ids


def _version_writers(output: KnowledgeOutput) -> set[int]:
    """Who wrote or submitted the open version: they may not approve it either."""
    version = open_version(output)
    if version is None:
        return set()
    return {i for i in (version.edited_by_id, version.submitted_by_id) if i is not None}


def _require(allowed: bool, message: Any = None) -> None:
    if not allowed:
        raise ServiceError(message or _l("You cannot change this knowledge output."))


# -- fields ------------------------------------------------------------------------------------


@dataclass
class OutputFields:
    """What a writer fills in. Text goes to the open version; the rest to the output."""

    title: str
    output_type: OutputType = OutputType.PRACTICE_EXAMPLE
    summary: str = ""
    body: str = ""
    media_url: str = ""
    licence: Licence = Licence.CC_BY
    change_note: str = ""
    theme_ids: list[int] = field(default_factory=list)
    school_types: list[SchoolType] = field(default_factory=list)
    career_stages: list[CareerStage] = field(default_factory=list)
    domains: list[CompetenceDomain] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)


def fields_of(output: KnowledgeOutput, version: OutputVersion | None = None) -> OutputFields:
    """The current values, to fill a form."""
    text: KnowledgeOutput | OutputVersion = version or output
    return OutputFields(
        title=text.title,
        output_type=output.output_type,
        summary=text.summary,
        body=text.body,
        media_url=output.media_url or "",
        licence=output.licence,
        change_note=version.change_note if version else "",
        theme_ids=[theme.id for theme in output.themes],
        school_types=[row.school_type for row in output.school_types],
        career_stages=[row.career_stage for row in output.career_stages],
        domains=[row.domain for row in output.domains],
        author_ids=[row.user_id for row in output.authors],
        organisation_ids=[row.organisation_id for row in output.organisations],
        question_ids=[question.id for question in output.questions],
    )


def author_choices(community: Community) -> list[User]:
    """Who can be named as a contributor: the community's active members."""
    from plc.communities.services import active_members

    return active_members(community)


def organisation_choices(community: Community) -> list[Organisation]:
    """Organisations that can be named: the co-owners and the schools of the members."""
    members = author_choices(community)
    owners = sa.select(CommunityOwner.organisation_id).where(
        CommunityOwner.community_id == community.id,
        CommunityOwner.status == CoOwnerStatus.ACCEPTED,
    )
    schools = sa.select(OrganisationMembership.organisation_id).where(
        OrganisationMembership.user_id.in_([m.id for m in members]),
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(sa.or_(Organisation.id.in_(owners), Organisation.id.in_(schools)))
            .order_by(Organisation.name)
        )
    )


def _clean_text(fields: OutputFields) -> None:
    fields.title = fields.title.strip()
    fields.summary = fields.summary.strip()
    fields.change_note = fields.change_note.strip()
    if not fields.title:
        raise ServiceError(_l("Give the output a title."), "title")
    if len(fields.title) > 200:
        raise ServiceError(_l("The title can be at most 200 characters."), "title")
    if len(fields.summary) > 500:
        raise ServiceError(_l("The summary can be at most 500 characters."), "summary")
    if len(fields.change_note) > 500:
        raise ServiceError(_l("The change note can be at most 500 characters."), "change_note")


def _apply_metadata(
    output: KnowledgeOutput, fields: OutputFields, community: Community, user: User
) -> None:
    if output.status != OutputStatus.PUBLISHED or output.published_version is None:
        output.licence = fields.licence
    elif fields.licence != output.licence:
        raise ServiceError(
            _l("The licence of a published output cannot change: others may already reuse it."),
            "licence",
        )
    output.output_type = fields.output_type
    output.media_url = clean_url(fields.media_url) if fields.media_url.strip() else None
    themes = chosen_themes(fields.theme_ids, output.themes)
    output.themes = themes
    output.school_types = [
        OutputSchoolType(school_type=t) for t in dict.fromkeys(fields.school_types)
    ]
    output.career_stages = [
        OutputCareerStage(career_stage=s) for s in dict.fromkeys(fields.career_stages)
    ]
    output.domains = [OutputDomain(domain=d) for d in dict.fromkeys(fields.domains)]
    allowed_people = {user.id for user in author_choices(community)} | author_ids(output)
    people = list(dict.fromkeys(fields.author_ids))
    if any(person not in allowed_people for person in people):
        raise ServiceError(_l("Only members of the community can be named as authors."), "authors")
    output.authors = [OutputAuthor(user_id=p, position=i) for i, p in enumerate(people)]
    allowed_orgs = {o.id for o in organisation_choices(community)} | {
        row.organisation_id for row in output.organisations
    }
    organisations = list(dict.fromkeys(fields.organisation_ids))
    if any(o not in allowed_orgs for o in organisations):
        raise ServiceError(
            _l("Name co-owners of the community or schools of its members."), "organisations"
        )
    output.organisations = [
        OutputOrganisation(organisation_id=o, position=i) for i, o in enumerate(organisations)
    ]
    output.questions = _answered_questions(output, fields.question_ids, user)


def _answered_questions(
    output: KnowledgeOutput, question_ids: list[int], user: User
) -> list[LearningQuestion]:
    """The learning questions the output answers: ones the writer may see (or already linked)."""
    wanted = set(question_ids)
    kept = [question for question in output.questions if question.id in wanted]
    new_ids = wanted - {question.id for question in kept}
    found = list(
        db.session.scalars(
            sa.select(LearningQuestion).where(
                LearningQuestion.id.in_(new_ids or [-1]), catalogue.visible_filter(user)
            )
        )
    )
    if len(found) != len(new_ids):
        raise ServiceError(_l("Choose learning questions from the list."), "questions")
    return sorted(kept + found, key=lambda question: question.id)


def _write_text(version: OutputVersion, fields: OutputFields) -> None:
    version.title = fields.title
    version.summary = fields.summary
    version.body = fields.body
    version.body_html = render_markdown(fields.body)
    version.change_note = fields.change_note


def _mirror(output: KnowledgeOutput, version: OutputVersion) -> None:
    """The output's own text follows the version the public sees (or the first draft)."""
    output.title = version.title
    output.summary = version.summary
    output.body = version.body
    output.body_html = version.body_html


# -- writing -----------------------------------------------------------------------------------


def create_output(
    community: Community,
    user: User,
    fields: OutputFields,
    *,
    source_session: LiveSession | None = None,
) -> KnowledgeOutput:
    """A new output with its first version as a draft; the writer is its first author."""
    _require(output_access(community, None, user).can_write or source_session is not None)
    _clean_text(fields)
    if user.id not in fields.author_ids:
        fields.author_ids = [user.id, *fields.author_ids]
    output = KnowledgeOutput(
        community_id=community.id,
        title=fields.title,
        output_type=fields.output_type,
        created_by_id=user.id,
        source_session_id=source_session.id if source_session else None,
    )
    _apply_metadata(output, fields, community, user)
    version = OutputVersion(number=1, state=VersionState.DRAFT, edited_by_id=user.id)
    _write_text(version, fields)
    version.change_note = ""
    output.versions = [version]
    _mirror(output, version)
    db.session.add(output)
    db.session.flush()
    return output


def open_version(output: KnowledgeOutput) -> OutputVersion | None:
    """The version that is being written or reviewed, if any."""
    return next((v for v in output.versions if v.state in OPEN_STATES), None)


def public_version(output: KnowledgeOutput) -> OutputVersion | None:
    if output.published_version is None:
        return None
    return next((v for v in output.versions if v.number == output.published_version), None)


def version_number(output: KnowledgeOutput, number: int) -> OutputVersion | None:
    return next((v for v in output.versions if v.number == number), None)


def update_output(output: KnowledgeOutput, user: User, fields: OutputFields) -> OutputVersion:
    """Save the open draft's text and the output's metadata."""
    access = output_access(output.community, output, user)
    _require(access.can_edit)
    version = open_version(output)
    if version is None or version.state != VersionState.DRAFT:
        raise ServiceError(
            _l("Only a draft can be changed. Ask for it back from review, or start a new version.")
        )
    _clean_text(fields)
    if version.number > 1 and not fields.change_note:
        raise ServiceError(_l("Say what changed in this version."), "change_note")
    _apply_metadata(output, fields, output.community, user)
    _write_text(version, fields)
    if output.published_version is None:
        _mirror(output, version)
    db.session.flush()
    return version


def problems_before_review(output: KnowledgeOutput, version: OutputVersion) -> list[str]:
    problems = []
    if not version.summary:
        problems.append(_("a summary"))
    if not version.body.strip() and not output.media_url:
        problems.append(_("a text (or, for a video or podcast, its address)"))
    if output.output_type == OutputType.MEDIA_LINK and not output.media_url:
        problems.append(_("the address of the video or podcast"))
    if not output.themes:
        problems.append(_("at least one theme"))
    if version.number > 1 and not version.change_note:
        problems.append(_("a change note"))
    return problems


def submit_for_review(output: KnowledgeOutput, user: User) -> OutputVersion:
    """Draft → in review. Everything a reader needs must be there; reviewers are notified."""
    _require(output_access(output.community, output, user).can_edit)
    version = open_version(output)
    if version is None or version.state != VersionState.DRAFT:
        raise ServiceError(_l("There is no draft to send for review."))
    problems = problems_before_review(output, version)
    if problems:
        raise ServiceError(
            _l("Before review, the output needs: %(missing)s.", missing=", ".join(problems))
        )
    if not reviewers(output, excluding={user.id}):
        raise ServiceError(
            _l(
                "Nobody can review this yet: a facilitator or co-owner contact who did not write it is needed."
            )
        )
    version.state = VersionState.IN_REVIEW
    version.submitted_at = utcnow()
    version.submitted_by_id = user.id
    if output.published_version is None:
        output.status = OutputStatus.IN_REVIEW
    db.session.flush()
    link = review_path(output)
    for reviewer in reviewers(output):
        notify(
            reviewer.id,
            NotificationKind.OUTPUT_REVIEW,
            community_id=output.community_id,
            actor_id=user.id,
            detail=version.title,
            link=link,
        )
    return version


def retract_submission(output: KnowledgeOutput, user: User) -> OutputVersion:
    """In review → draft, by a writer who wants to change something first."""
    _require(output_access(output.community, output, user).can_edit)
    version = open_version(output)
    if version is None or version.state != VersionState.IN_REVIEW:
        raise ServiceError(_l("This output is not in review."))
    _back_to_draft(output, version)
    return version


def _back_to_draft(output: KnowledgeOutput, version: OutputVersion) -> None:
    version.state = VersionState.DRAFT
    if output.published_version is None:
        output.status = OutputStatus.DRAFT
    db.session.flush()


def reviewers(output: KnowledgeOutput, excluding: Iterable[int] = ()) -> list[User]:
    """Who may approve: facilitators and co-owner contacts who are not among the writers."""
    excluded = author_ids(output) | _version_writers(output) | set(excluding)
    contacts = db.session.scalars(
        sa.select(User)
        .join(CommunityOwner, CommunityOwner.contact_id == User.id)
        .where(
            CommunityOwner.community_id == output.community_id,
            CommunityOwner.status == CoOwnerStatus.ACCEPTED,
            User.active.is_(True),
        )
    ).all()
    found = {user.id: user for user in [*facilitators(output.community), *contacts]}
    return [user for user_id, user in sorted(found.items()) if user_id not in excluded]


def _decide(output: KnowledgeOutput, reviewer: User) -> OutputVersion:
    access = output_access(output.community, output, reviewer)
    if not (access.access.can_facilitate or access.access.is_contact):
        raise ServiceError(_l("Only facilitators and co-owner contacts review outputs."))
    if not access.may_review:
        raise ServiceError(_l("You wrote this output, so someone else must review it."))
    version = open_version(output)
    if version is None or version.state != VersionState.IN_REVIEW:
        raise ServiceError(_l("This output is not waiting for review (any more)."))
    return version


def approve(output: KnowledgeOutput, reviewer: User, comment: str = "") -> OutputVersion:
    """In review → published. The version before it stays readable as superseded."""
    version = _decide(output, reviewer)
    now = utcnow()
    previous = public_version(output)
    if previous is not None:
        previous.state = VersionState.SUPERSEDED
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.approved_by_id = reviewer.id
    db.session.add(
        OutputReview(
            version=version,
            reviewer_id=reviewer.id,
            decision=ReviewDecision.APPROVED,
            comment=comment.strip(),
        )
    )
    output.status = OutputStatus.PUBLISHED
    output.published_version = version.number
    output.published_at = output.published_at or now
    output.revised_at = now
    if output.slug is None:
        output.slug = unique_slug(KnowledgeOutput.slug, version.title, default=DEFAULT_SLUG)
    _mirror(output, version)
    db.session.flush()
    for user_id in author_ids(output):
        notify(
            user_id,
            NotificationKind.OUTPUT_PUBLISHED,
            community_id=output.community_id,
            actor_id=reviewer.id,
            detail=version.title,
            link=public_path(output),
        )
    return version


def request_changes(output: KnowledgeOutput, reviewer: User, comment: str) -> OutputVersion:
    """In review → back to draft, with what the writers should change."""
    if not comment.strip():
        raise ServiceError(_l("Tell the authors what to change."), "comment")
    version = _decide(output, reviewer)
    db.session.add(
        OutputReview(
            version=version,
            reviewer_id=reviewer.id,
            decision=ReviewDecision.CHANGES_REQUESTED,
            comment=comment.strip(),
        )
    )
    _back_to_draft(output, version)
    for user_id in author_ids(output) | _version_writers(output):
        notify(
            user_id,
            NotificationKind.OUTPUT_RETURNED,
            community_id=output.community_id,
            actor_id=reviewer.id,
            detail=version.title,
            link=edit_path(output),
        )
    return version


def start_revision(output: KnowledgeOutput, user: User) -> OutputVersion:
    """A new draft version of a published output, starting from the published text and files.
    Asking again (or twice at once) returns the open version."""
    _require(output_access(output.community, output, user).can_edit)
    existing = open_version(output)
    if existing is not None:
        return existing
    current = public_version(output)
    if output.status != OutputStatus.PUBLISHED or current is None:
        raise ServiceError(_l("Only published outputs get new versions."))
    version = OutputVersion(
        output_id=output.id,
        number=max(v.number for v in output.versions) + 1,
        state=VersionState.DRAFT,
        title=current.title,
        summary=current.summary,
        body=current.body,
        body_html=current.body_html,
        edited_by_id=user.id,
        attachments=[_copy(attachment) for attachment in current.attachments],
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except sa.exc.IntegrityError:
        db.session.expire(output, ["versions"])
        existing = open_version(output)
        assert existing is not None
        return existing
    db.session.expire(output, ["versions"])
    return version


def discard_revision(output: KnowledgeOutput, user: User) -> None:
    """Drop an unpublished new version; the published one stays as it is."""
    _require(output_access(output.community, output, user).can_edit)
    version = open_version(output)
    if version is None or version.number == 1:
        raise ServiceError(_l("There is no new version to discard."))
    db.session.delete(version)
    db.session.flush()
    db.session.expire(output, ["versions"])


def withdraw(output: KnowledgeOutput, user: User, reason: str) -> None:
    """Take a published output back. Its URL keeps a page with the reason."""
    _require(output_access(output.community, output, user).can_withdraw)
    if not reason.strip():
        raise ServiceError(_l("Say why the output is withdrawn; readers will see it."), "reason")
    output.status = OutputStatus.WITHDRAWN
    output.withdrawn_at = utcnow()
    output.withdrawn_reason = reason.strip()[:1000]
    output.withdrawn_by_id = user.id
    db.session.flush()


#: The slug of a title without any letters or digits.
DEFAULT_SLUG = "kennis"


def _copy(attachment: OutputAttachment) -> OutputAttachment:
    return OutputAttachment(
        storage_key=attachment.storage_key,
        filename=attachment.filename,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        uploaded_by_id=attachment.uploaded_by_id,
    )


def add_attachment(
    output: KnowledgeOutput, user: User, stream: IO[bytes], filename: str
) -> OutputAttachment:
    """A file on the open draft, checked and stored like a resource's file."""
    _require(output_access(output.community, output, user).can_edit)
    version = open_version(output)
    if version is None or version.state != VersionState.DRAFT:
        raise ServiceError(_l("Files can only be added to a draft."), "file")
    if len(version.attachments) >= MAX_ATTACHMENTS:
        raise ServiceError(
            _l("A version can have at most %(num)d files.", num=MAX_ATTACHMENTS), "file"
        )
    inspected = inspect_upload(stream, filename)
    same = next((a for a in version.attachments if a.sha256 == inspected.sha256), None)
    if same is not None:  # the same file again (a resubmitted form): keep one
        return same
    key = store_upload(stream)
    attachment = OutputAttachment(
        version_id=version.id,
        storage_key=key,
        filename=inspected.filename,
        content_type=inspected.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    db.session.expire(version, ["attachments"])
    return attachment


def remove_attachment(output: KnowledgeOutput, user: User, attachment_id: int) -> None:
    """Take a file off the open draft. Published versions keep theirs."""
    _require(output_access(output.community, output, user).can_edit)
    version = open_version(output)
    attachment = db.session.get(OutputAttachment, attachment_id)
    if version is None or attachment is None or attachment.version_id != version.id:
        raise ServiceError(_l("That file is not on the draft."))
    if version.state != VersionState.DRAFT:
        raise ServiceError(_l("Files can only be removed from a draft."))
    db.session.delete(attachment)
    db.session.flush()
    db.session.expire(version, ["attachments"])


# -- counts ------------------------------------------------------------------------------------


def _bump(where: sa.ColumnElement[bool], column: str) -> None:
    counter = getattr(KnowledgeOutput, column)
    # A counter may lag on kept public pages (plc/core/pagecache.py): clearing every page that
    # lists outputs on each view would keep none.
    with unseen_by_pages():
        db.session.execute(
            sa.update(KnowledgeOutput)
            .where(where)
            # updated_at named, so its onupdate does not fire: being read is no change.
            .values({column: counter + 1, "updated_at": KnowledgeOutput.updated_at})
            .execution_options(synchronize_session=False)
        )


#: One more view of the published output with a slug, as one statement compiled once.
_ONE_MORE_VIEW = (
    sa.update(KnowledgeOutput)
    .where(
        KnowledgeOutput.slug == sa.bindparam("viewed"),
        KnowledgeOutput.status == OutputStatus.PUBLISHED,
    )
    .values(view_count=KnowledgeOutput.view_count + 1, updated_at=KnowledgeOutput.updated_at)
    .execution_options(synchronize_session=False)
)


def record_view(slug: str) -> None:
    """One more view of the published output with this slug, counted in SQL; who viewed is not
    recorded. By slug: a page from the cache has no output object at hand."""
    with unseen_by_pages():
        db.session.execute(*view_counter(slug))


def view_counter(slug: str) -> tuple[sa.Update, dict[str, Any]]:
    """The statement that counts one more view, and its parameters: run by `record_view`, and
    before the app runs for a kept page (`pagecache.for_visitors(front_write=…)`)."""
    return _ONE_MORE_VIEW, {"viewed": slug}


def record_download(output: KnowledgeOutput) -> None:
    _bump(KnowledgeOutput.id == output.id, "download_count")


# -- schools that use an output ----------------------------------------------------------------


def speaking_for(user: Any) -> list[Organisation]:
    """The schools this person may speak for (leader, HR advisor or organisation admin)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
            .where(
                OrganisationMembership.user_id == user.id,
                OrganisationMembership.status == MembershipStatus.APPROVED,
                OrganisationMembership.role.in_(SCHOOL_SPEAKERS),
                Organisation.kind == OrganisationKind.SCHOOL,
            )
            .distinct()  # a leader who is also the school's admin speaks for it once
            .order_by(Organisation.name)
        )
    )


def _require_speaker(user: User, school: Organisation) -> None:
    if school.id not in {org.id for org in speaking_for(user)}:
        raise ServiceError(
            _l("Only a school leader or HR advisor of the school can say this for it."),
            "school",
        )


def mark_used(output: KnowledgeOutput, school: Organisation, user: User, note: str) -> OutputUse:
    """The school uses the output. Saying it again updates the note; the count stays exact."""
    if output.status != OutputStatus.PUBLISHED:
        raise ServiceError(_l("Only published outputs can be marked as used."))
    _require_speaker(user, school)
    note = note.strip()
    if len(note) > 500:
        raise ServiceError(_l("The note can be at most 500 characters."), "note")
    existing = _use_of(output, school)
    if existing is not None:
        existing.note = note
        existing.recorded_by_id = user.id
        db.session.flush()
        return existing
    use = OutputUse(
        output_id=output.id, organisation_id=school.id, note=note, recorded_by_id=user.id
    )
    try:
        with db.session.begin_nested():
            db.session.add(use)
    except sa.exc.IntegrityError:  # the same school, at the same moment, from another request
        existing = _use_of(output, school)
        assert existing is not None
        return existing
    _count_uses(output, +1)
    return use


def unmark_used(output: KnowledgeOutput, school: Organisation, user: User) -> None:
    _require_speaker(user, school)
    deleted = db.session.execute(
        sa.delete(OutputUse).where(
            OutputUse.output_id == output.id, OutputUse.organisation_id == school.id
        )
    ).rowcount
    if deleted:
        _count_uses(output, -1)


def _use_of(output: KnowledgeOutput, school: Organisation) -> OutputUse | None:
    return db.session.scalar(
        sa.select(OutputUse).where(
            OutputUse.output_id == output.id, OutputUse.organisation_id == school.id
        )
    )


def _count_uses(output: KnowledgeOutput, delta: int) -> None:
    db.session.execute(
        sa.update(KnowledgeOutput)
        .where(KnowledgeOutput.id == output.id)
        .values(use_count=KnowledgeOutput.use_count + delta, updated_at=KnowledgeOutput.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(output, ["use_count"])


# -- theme subscriptions -----------------------------------------------------------------------


def follow_theme(theme: Theme, user: User, school: Organisation | None = None) -> ThemeSubscription:
    """Follow a theme personally, or (as its leader or HR advisor) for a school. Idempotent."""
    if not theme.active:
        raise ServiceError(_l("That theme can no longer be chosen."))
    if school is not None:
        _require_speaker(user, school)
    where = (
        ThemeSubscription.organisation_id == school.id
        if school is not None
        else ThemeSubscription.user_id == user.id
    )
    existing = db.session.scalar(
        sa.select(ThemeSubscription).where(where, ThemeSubscription.theme_id == theme.id)
    )
    if existing is not None:
        return existing
    subscription = ThemeSubscription(
        theme_id=theme.id,
        user_id=None if school is not None else user.id,
        organisation_id=school.id if school is not None else None,
        created_by_id=user.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(subscription)
    except sa.exc.IntegrityError:
        return db.session.scalars(
            sa.select(ThemeSubscription).where(where, ThemeSubscription.theme_id == theme.id)
        ).one()
    return subscription


def unfollow_theme(theme: Theme, user: User, school: Organisation | None = None) -> None:
    if school is not None:
        _require_speaker(user, school)
    where = (
        ThemeSubscription.organisation_id == school.id
        if school is not None
        else ThemeSubscription.user_id == user.id
    )
    db.session.execute(
        sa.delete(ThemeSubscription).where(where, ThemeSubscription.theme_id == theme.id)
    )


def followed_theme_ids(user: User | None = None, school: Organisation | None = None) -> set[int]:
    if school is not None:
        where = ThemeSubscription.organisation_id == school.id
    elif user is not None:
        where = ThemeSubscription.user_id == user.id
    else:
        return set()
    return set(db.session.scalars(sa.select(ThemeSubscription.theme_id).where(where)))


# -- the public knowledge base -----------------------------------------------------------------


@dataclass
class PublicFilters:
    """The knowledge base's filters, by their public identifiers (slugs and enum values)."""

    q: str = ""
    theme: str | None = None
    output_type: OutputType | None = None
    school_type: SchoolType | None = None
    career_stage: CareerStage | None = None
    domain: CompetenceDomain | None = None
    organisation: str | None = None
    community: str | None = None
    year: int | None = None


def published_filter(*, newest_few: bool = False) -> sa.ColumnElement[bool]:
    """Published outputs of communities the public may see (not those of invite-only ones).

    `newest_few`: for a list of the newest few of all outputs (the start page). There the
    community is checked per output (EXISTS on its primary key): with the list of visible
    communities (IN), SQLite reads every published output of every listed community and sorts
    them all, whole rows, to show six (56 ms at size L); checked per output, it walks the newest
    outputs along their index and stops at six. Everywhere else the list is better: counts and
    filtered pages read the (community, status, date) index without touching a row, where the
    per-output check made the API's count read every row (77 → 259 ms at L). PostgreSQL plans
    both as the same semi-join."""
    if newest_few:
        visible = sa.exists().where(
            Community.id == KnowledgeOutput.community_id, Community.visibility != Visibility.INVITE
        )
    else:
        visible = KnowledgeOutput.community_id.in_(
            sa.select(Community.id).where(Community.visibility != Visibility.INVITE)
        )
    return sa.and_(KnowledgeOutput.status == OutputStatus.PUBLISHED, visible)


def list_options() -> list[Any]:
    """What a list of outputs shows, loaded in a fixed number of statements."""
    return [
        selectinload(KnowledgeOutput.community),
        selectinload(KnowledgeOutput.themes),
        selectinload(KnowledgeOutput.authors).selectinload(OutputAuthor.user),
        selectinload(KnowledgeOutput.organisations).selectinload(OutputOrganisation.organisation),
    ]


def public_query(filters: PublicFilters) -> sa.Select[tuple[KnowledgeOutput]]:
    """Published outputs matching the filters: best match first when searching, else newest."""
    query = sa.select(KnowledgeOutput).where(*public_criteria(filters))
    found = search_subquery(SEARCH, filters.q)
    if found is not None:
        return query.join(found, found.c.id == KnowledgeOutput.id).order_by(
            found.c.score.desc(), KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc()
        )
    return query.order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())


def public_criteria(filters: PublicFilters) -> list[sa.ColumnElement[bool]]:
    """The conditions on `KnowledgeOutput` of the filters other than the search words (those
    are a subquery to join): published, publicly visible, and each chosen filter."""
    criteria: list[sa.ColumnElement[bool]] = [published_filter()]
    if filters.theme:
        criteria.append(
            KnowledgeOutput.id.in_(
                sa.select(output_theme.c.output_id)
                .join(Theme, Theme.id == output_theme.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.output_type:
        criteria.append(KnowledgeOutput.output_type == filters.output_type)
    if filters.school_type:
        criteria.append(
            KnowledgeOutput.id.in_(
                sa.select(OutputSchoolType.output_id).where(
                    OutputSchoolType.school_type == filters.school_type
                )
            )
        )
    if filters.career_stage:
        criteria.append(
            KnowledgeOutput.id.in_(
                sa.select(OutputCareerStage.output_id).where(
                    OutputCareerStage.career_stage == filters.career_stage
                )
            )
        )
    if filters.domain:
        criteria.append(
            KnowledgeOutput.id.in_(
                sa.select(OutputDomain.output_id).where(OutputDomain.domain == filters.domain)
            )
        )
    if filters.organisation:
        criteria.append(
            KnowledgeOutput.id.in_(
                sa.select(OutputOrganisation.output_id)
                .join(Organisation, Organisation.id == OutputOrganisation.organisation_id)
                .where(Organisation.slug == filters.organisation)
            )
        )
    if filters.community:
        criteria.append(
            KnowledgeOutput.community_id.in_(
                sa.select(Community.id).where(Community.slug == filters.community)
            )
        )
    if filters.year:
        start, end = _year_bounds(filters.year)
        criteria += [KnowledgeOutput.published_at >= start, KnowledgeOutput.published_at < end]
    return criteria


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    year = min(max(year, 1), 9998)
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def citation(output: KnowledgeOutput, url: str) -> str:
    """ "How to cite": authors, organisations, year, title, licence, URL."""
    people = ", ".join(author.user.display_name for author in output.authors)
    organisations = ", ".join(row.organisation.name for row in output.organisations)
    who = "; ".join(part for part in (people, organisations) if part) or output.community.name
    year = output.year or ""
    version = (
        f", {_('version')} {output.published_version}"
        if (output.published_version or 1) > 1
        else ""
    )
    return f"{who} ({year}). {output.title}{version}. Leernetwerk Amsterdam, {output.community.name}. {licence_label(output.licence)}. {url}"


def licence_label(licence: Licence) -> str:
    return str(LICENCE_NAMES[licence])


# -- the community's own view ------------------------------------------------------------------


def community_outputs(community: Community, viewer: OutputAccess) -> Sequence[KnowledgeOutput]:
    """The community's outputs: published and withdrawn for everyone who reads it; drafts and
    those in review for their writers and possible reviewers."""
    query = sa.select(KnowledgeOutput).where(KnowledgeOutput.community_id == community.id)
    if not viewer.can_see_unpublished:
        query = query.where(
            KnowledgeOutput.status.in_([OutputStatus.PUBLISHED, OutputStatus.WITHDRAWN])
        )
    elif not (viewer.access.can_facilitate or viewer.access.is_contact):
        mine = sa.select(OutputAuthor.output_id).where(OutputAuthor.user_id == viewer.user_id)
        query = query.where(
            sa.or_(
                KnowledgeOutput.status.in_([OutputStatus.PUBLISHED, OutputStatus.WITHDRAWN]),
                KnowledgeOutput.id.in_(mine),
                KnowledgeOutput.created_by_id == viewer.user_id,
            )
        )
    return db.session.scalars(
        query.options(*list_options(), selectinload(KnowledgeOutput.versions)).order_by(
            KnowledgeOutput.updated_at.desc(), KnowledgeOutput.id.desc()
        )
    ).all()


def output_in(community: Community, output_id: int) -> KnowledgeOutput | None:
    return db.session.scalar(
        sa.select(KnowledgeOutput)
        .where(KnowledgeOutput.id == output_id, KnowledgeOutput.community_id == community.id)
        .options(
            *list_options(),
            selectinload(KnowledgeOutput.versions).selectinload(OutputVersion.attachments),
            selectinload(KnowledgeOutput.versions)
            .selectinload(OutputVersion.reviews)
            .selectinload(OutputReview.reviewer),
            selectinload(KnowledgeOutput.school_types),
            selectinload(KnowledgeOutput.career_stages),
            selectinload(KnowledgeOutput.domains),
        )
    )


@dataclass(frozen=True)
class ReviewList:
    """The oldest outputs waiting for someone's review, and how many wait in all."""

    items: list[KnowledgeOutput]
    total: int


def waiting_for_review(user: User, limit: int | None = None) -> ReviewList:
    """Outputs in review that this person may approve, oldest submission first, in one
    statement (the total counted alongside): in communities they facilitate or speak for as a
    co-owner's contact, not written by them. `limit`: the start page shows the oldest few."""
    facilitated = sa.select(CommunityMember.community_id).where(
        CommunityMember.user_id == user.id,
        CommunityMember.status == MemberStatus.ACTIVE,
        CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
    )
    contact_of = sa.select(CommunityOwner.community_id).where(
        CommunityOwner.contact_id == user.id, CommunityOwner.status == CoOwnerStatus.ACCEPTED
    )
    written = sa.select(OutputAuthor.output_id).where(OutputAuthor.user_id == user.id)
    where_reviewer = (
        sa.true()
        if user.is_admin
        else sa.or_(
            KnowledgeOutput.community_id.in_(facilitated),
            KnowledgeOutput.community_id.in_(contact_of),
        )
    )
    total = sa.func.count().over().label("total")
    rows = db.session.execute(
        sa.select(KnowledgeOutput, total)
        .join(OutputVersion, OutputVersion.output_id == KnowledgeOutput.id)
        .where(
            OutputVersion.state == VersionState.IN_REVIEW,
            where_reviewer,
            KnowledgeOutput.id.not_in(written),
            sa.or_(
                KnowledgeOutput.created_by_id.is_(None),
                KnowledgeOutput.created_by_id != user.id,
            ),
            sa.or_(OutputVersion.edited_by_id.is_(None), OutputVersion.edited_by_id != user.id),
            sa.or_(
                OutputVersion.submitted_by_id.is_(None),
                OutputVersion.submitted_by_id != user.id,
            ),
        )
        .options(joinedload(KnowledgeOutput.community))
        .order_by(OutputVersion.submitted_at, OutputVersion.id)
        .limit(limit)
    ).all()
    return ReviewList([row[0] for row in rows], rows[0].total if rows else 0)


# -- paths (for notifications) -----------------------------------------------------------------


def public_path(output: KnowledgeOutput) -> str:
    return site_path("kennisbank.output", slug=output.slug)


def edit_path(output: KnowledgeOutput) -> str:
    return site_path("knowledge.edit", slug=output.community.slug, output_id=output.id)


def review_path(output: KnowledgeOutput) -> str:
    return site_path("knowledge.show", slug=output.community.slug, output_id=output.id)


# -- a draft from a live session ---------------------------------------------------------------


def draft_for_session(session: LiveSession) -> KnowledgeOutput | None:
    return db.session.scalar(
        sa.select(KnowledgeOutput).where(KnowledgeOutput.source_session_id == session.id)
    )


def draft_from_session(session: LiveSession, user: User) -> KnowledgeOutput:
    """A draft knowledge output written from the session's summary; one per session, so asking
    again (or twice at once) returns the draft that exists."""
    existing = draft_for_session(session)
    if existing is not None:
        return existing
    fields = OutputFields(
        title=session.title[:200],
        output_type=OutputType.PRACTICE_EXAMPLE,
        summary=_summary_line(session)[:500],
        body=session_markdown(session, room_summary(session)),
        theme_ids=[theme.id for theme in session.community.themes],
    )
    try:
        with db.session.begin_nested():
            output = create_output(session.community, user, fields, source_session=session)
    except sa.exc.IntegrityError:
        existing = draft_for_session(session)
        assert existing is not None
        return existing
    return output


def _summary_line(session: LiveSession) -> str:
    return _(
        "What came up in the live session “%(title)s” of %(community)s on %(date)s.",
        title=session.title,
        community=session.community.name,
        date=to_local(session.starts_at).strftime("%d-%m-%Y"),
    )


def session_markdown(session: LiveSession, summary: RoomSummary) -> str:
    """The summary as Markdown, for the facilitator to rework into a knowledge output. Names of
    participants are left out: the output is for all schools."""
    parts = [f"*{_summary_line(session)}*"]
    if session.agenda.strip():
        parts += [_heading(_("Agenda")), session.agenda.strip()]
    if session.notes.strip():
        parts += [_heading(_("What we discussed and agreed")), session.notes.strip()]
    questions = [q for q in summary.questions if q.status != QuestionStatus.HIDDEN]
    if questions:
        answered = _("answered")
        lines = [
            f"- {q.body} ({answered})" if q.status == QuestionStatus.ANSWERED else f"- {q.body}"
            for q in questions
        ]
        parts += [_heading(_("Questions from the participants")), "\n".join(lines)]
    for item in summary.polls:
        lines = [f"- {option.label}: {option.count}" for option in item.options]
        parts += [
            _heading(_("Poll: %(question)s", question=item.poll.question)),
            _("%(num)d people voted.", num=item.ballots) + "\n\n" + "\n".join(lines),
        ]
    parts.append(_("%(num)d people took part in the live room.", num=len(summary.attendance)))
    return "\n\n".join(parts)


def _heading(text: str) -> str:
    return f"## {text}"
