"""Knowledge outputs. This first part holds drafts (a live session's summary can become one); the
review workflow, publication and the public knowledge base build on the same table."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db


class OutputType(StrEnum):
    PRACTICE_EXAMPLE = "practice_example"
    GUIDELINE = "guideline"
    TEACHING_MATERIAL = "teaching_material"
    RESEARCH_SUMMARY = "research_summary"
    EVALUATION_REPORT = "evaluation_report"
    MEDIA_LINK = "media_link"  #: a video or podcast


class OutputStatus(StrEnum):
    DRAFT = "draft"


class KnowledgeOutput(CreatedAtMixin, db.Model):
    """A knowledge output of a community."""

    __tablename__ = "knowledge_output"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community that made it.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: What kind of output it is.
    output_type: Mapped[OutputType] = mapped_column(str_enum(OutputType, 20), nullable=False)
    #: Title.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: One or two sentences for lists and search results.
    summary: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: The text, Markdown as written, and rendered and sanitised at write time.
    body: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    body_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: draft (the review workflow adds the later states).
    status: Mapped[OutputStatus] = mapped_column(
        str_enum(OutputStatus, 20), default=OutputStatus.DRAFT, index=True, nullable=False
    )
    #: The live session it came from, if any (one draft per session).
    source_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="SET NULL"), unique=True
    )
    #: Who started it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Last change.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    community: Mapped[Community] = relationship()
    created_by: Mapped[User | None] = relationship()
