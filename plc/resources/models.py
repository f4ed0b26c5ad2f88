"""Resources shared in a community, and the stored versions of uploaded files."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities.models import Community
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.themes.models import Theme


class ResourceKind(StrEnum):
    FILE = "file"
    LINK = "link"


class Licence(StrEnum):
    CC_BY = "cc-by-4.0"  #: the default: others may reuse with attribution
    CC_BY_SA = "cc-by-sa-4.0"
    CC0 = "cc0-1.0"
    ALL_RIGHTS_RESERVED = "all-rights-reserved"


resource_theme = sa.Table(
    "resource_theme",
    db.metadata,
    sa.Column("resource_id", sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class Resource(CreatedAtMixin, db.Model):
    """A file or a link in a community's library."""

    __tablename__ = "resource"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community whose members may read it.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: file or link.
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, 10), nullable=False)
    #: Title shown in the library.
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Description, Markdown as written.
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: The description rendered and sanitised at write time.
    description_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: For links: the http(s) address.
    url: Mapped[str | None] = mapped_column(sa.String(2000))
    #: Under which terms others may reuse it.
    licence: Mapped[Licence] = mapped_column(
        str_enum(Licence, 30), default=Licence.CC_BY, nullable=False
    )
    #: The school type it is meant for, if one.
    school_type: Mapped[SchoolType | None] = mapped_column(str_enum(SchoolType, 10))
    #: The career stage it is meant for, if one.
    career_stage: Mapped[CareerStage | None] = mapped_column(str_enum(CareerStage, 20))
    #: Who added it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Last change (new version or edit).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )
    #: Downloads of any version (or clicks on the link); kept in SQL.
    download_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Set when removed; the files stay until an admin purges them.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    themes: Mapped[list[Theme]] = relationship(secondary=resource_theme, order_by=Theme.name_nl)
    versions: Mapped[list[ResourceVersion]] = relationship(
        back_populates="resource",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ResourceVersion.number.desc()",
    )
    created_by: Mapped[User | None] = relationship()
    community: Mapped[Community] = relationship()

    @property
    def current_version(self) -> ResourceVersion | None:
        return self.versions[0] if self.versions else None


class ResourceVersion(CreatedAtMixin, db.Model):
    """One uploaded file of a resource. New versions keep the old ones."""

    __tablename__ = "resource_version"
    __table_args__ = (sa.UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The resource.
    resource_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: 1, 2, 3, …
    number: Mapped[int] = mapped_column(nullable=False)
    #: Generated name in the storage (never the uploader's file name).
    storage_key: Mapped[str] = mapped_column(sa.String(100), unique=True, nullable=False)
    #: The file name as uploaded, sanitised; used for the download.
    filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    #: Media type as detected from the content (not from the name).
    content_type: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: Size in bytes.
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    #: SHA-256 of the content.
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    #: What changed in this version.
    note: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    #: Who uploaded it.
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    resource: Mapped[Resource] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship()
