"""The demo's knowledge outputs: every type published, through the real workflow, with files that
open, several versions, schools that use them, a review queue, several years, and search that
finds something in Dutch and in English."""

from __future__ import annotations

import hashlib
import io
import zipfile

import sqlalchemy as sa

from plc.auth.models import User
from plc.core.models import utcnow
from plc.core.storage import get_storage
from plc.extensions import db
from plc.knowledge import queries, services
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputAttachment,
    OutputReview,
    OutputStatus,
    OutputType,
    OutputUse,
    OutputVersion,
    ReviewDecision,
    ThemeSubscription,
    VersionState,
)


def _user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _published() -> list[KnowledgeOutput]:
    return list(db.session.scalars(services.public_query(services.PublicFilters())))


def _opens(attachment: OutputAttachment) -> bool:
    """The stored file is there, is what its checksum says, and opens as its type."""
    with get_storage().open(attachment.storage_key) as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == attachment.sha256
    assert len(content) == attachment.size
    name = attachment.filename
    if name.endswith(".pdf"):
        return content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"<w:body>" in archive.read("word/document.xml")
    return bool(content.decode("utf-8").strip())  # .csv, .txt


def _demo_publishes_outputs_of_every_type_with_files_versions_and_uses() -> None:
    published = _published()
    assert len(published) >= 28
    assert {output.output_type for output in published} == set(OutputType)
    media = [o for o in published if o.output_type == OutputType.MEDIA_LINK]
    assert all(o.media_url and o.media_url.startswith("https://") for o in media)
    now = utcnow()
    for output in published:
        version = services.public_version(output)
        assert version is not None and version.state == VersionState.PUBLISHED
        assert output.slug and output.summary and output.themes and output.authors
        # Approved by someone who did not write it, at the time the output says.
        assert version.approved_by_id not in services.author_ids(output)
        assert version.published_at == output.revised_at
        assert output.published_at is not None and output.published_at <= output.revised_at
        assert output.revised_at <= now
    assert len(queries.published_years()) >= 2
    assert any(o.licence != published[0].licence for o in published)  # not only CC BY

    _check_files_versions_and_uses(published)
    _check_search()


def _check_files_versions_and_uses(published: list[KnowledgeOutput]) -> None:
    with_files = [
        output
        for output in published
        if (version := services.public_version(output)) is not None and version.attachments
    ]
    assert len(with_files) >= 8
    for output in with_files:
        version = services.public_version(output)
        assert version is not None
        assert all(_opens(attachment) for attachment in version.attachments)
        assert output.download_count > 0

    several = [o for o in published if len(o.versions) > 1]
    assert len(several) >= 4
    for output in several:
        newer = [v for v in output.versions if v.number > 1]
        assert all(v.change_note for v in newer)
    # One published output has a new version waiting for review, its published text unchanged.
    waiting = db.session.scalars(
        sa.select(OutputVersion).where(
            OutputVersion.number > 1, OutputVersion.state == VersionState.IN_REVIEW
        )
    ).all()
    assert len(waiting) >= 1
    assert all(v.output.status == OutputStatus.PUBLISHED for v in waiting)
    assert all(v.output.body != v.body for v in waiting)

    uses = db.session.scalars(sa.select(OutputUse)).all()
    assert len(uses) >= 5 and all(use.note for use in uses)
    for output in published:
        assert output.use_count == sum(1 for use in uses if use.output_id == output.id)
    assert all(o.view_count > 0 for o in published)


def _demo_has_drafts_a_review_queue_a_returned_and_a_withdrawn_output_and_follows() -> None:
    counts = dict(
        db.session.execute(
            sa.select(KnowledgeOutput.status, sa.func.count()).group_by(KnowledgeOutput.status)
        ).all()
    )
    assert counts.get(OutputStatus.DRAFT, 0) >= 2
    assert counts.get(OutputStatus.IN_REVIEW, 0) >= 1
    assert counts.get(OutputStatus.WITHDRAWN, 0) >= 1

    # The demo facilitator has outputs to review.
    assert services.waiting_for_review(_user("daan@example.org")).items

    returned = db.session.scalars(
        sa.select(OutputReview).where(OutputReview.decision == ReviewDecision.CHANGES_REQUESTED)
    ).all()
    assert returned and all(review.comment for review in returned)
    assert all(review.version.state == VersionState.DRAFT for review in returned)

    withdrawn = db.session.scalars(
        sa.select(KnowledgeOutput).where(KnowledgeOutput.status == OutputStatus.WITHDRAWN)
    ).all()
    for output in withdrawn:
        assert output.withdrawn_reason and output.withdrawn_at is not None
        assert output.slug and queries.output_page(output.slug) is output  # the tombstone
    assert not set(withdrawn) & set(_published())

    _check_theme_follows()


def _check_search() -> None:
    """A Dutch and an English search each find something."""
    dutch = db.session.scalars(
        services.public_query(services.PublicFilters(q="begrijpend lezen"))
    ).all()
    english = db.session.scalars(
        services.public_query(services.PublicFilters(q="formative assessment research"))
    ).all()
    assert dutch and english
    assert any("research" in output.title.lower() for output in english)


def _check_theme_follows() -> None:
    """Personal and school subscriptions."""
    fatima, yusuf = _user("fatima@example.org"), _user("yusuf@example.org")
    assert services.followed_theme_ids(user=fatima)
    school = next(s for s in services.speaking_for(yusuf) if s.name == "Mundus College")
    assert services.followed_theme_ids(school=school)
    assert db.session.scalar(
        sa.select(sa.func.count(ThemeSubscription.id)).where(
            ThemeSubscription.organisation_id.is_not(None)
        )
    )


def test_the_knowledge_demo(demo_data) -> None:
    """One load of the demo (it takes seconds), then each part of it checked in turn."""
    demo_data()
    _demo_publishes_outputs_of_every_type_with_files_versions_and_uses()
    _demo_has_drafts_a_review_queue_a_returned_and_a_withdrawn_output_and_follows()
