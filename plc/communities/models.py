"""Communities, their co-owning organisations, members and invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import CareerStage, SchoolType, User
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.themes.models import Theme


class Visibility(StrEnum):
    PUBLIC = "public"  #: anyone reads; anyone with an account joins
    REQUEST = "request"  #: listed; members read; facilitators approve requests to join
    INVITE = "invite"  #: invisible to everyone but its members


class CommunityStatus(StrEnum):
    FORMING = "forming"
    ACTIVE = "active"
    CLOSED = "closed"  #: a read-only archive


class CoOwnerStatus(StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class MemberRole(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"
    OWNER = "owner"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    REQUESTED = "requested"


community_theme = sa.Table(
    "community_theme",
    db.metadata,
    sa.Column("community_id", sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "theme_id", sa.ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class CommunitySchoolType(db.Model):
    """A school type a community is meant for (one row per type, so filters stay in SQL)."""

    __tablename__ = "community_school_type"

    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    school_type: Mapped[SchoolType] = mapped_column(str_enum(SchoolType, 10), primary_key=True)


class CommunityCareerStage(db.Model):
    """A career stage a community is meant for."""

    __tablename__ = "community_career_stage"

    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), primary_key=True
    )
    career_stage: Mapped[CareerStage] = mapped_column(str_enum(CareerStage, 20), primary_key=True)


class Community(CreatedAtMixin, db.Model):
    """A professional learning community, co-owned by one or more organisations."""

    __tablename__ = "community"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Readable identifier for URLs ("formatief-evalueren-in-de-onderbouw").
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True, nullable=False)
    #: The community's name.
    name: Mapped[str] = mapped_column(sa.String(160), nullable=False)
    #: One or two sentences for cards and search results.
    summary: Mapped[str] = mapped_column(sa.String(300), default="", nullable=False)
    #: The full description, Markdown as written.
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: The description rendered and sanitised once, at write time.
    description_html: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: public, request or invite (see Visibility).
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, 10), index=True, nullable=False
    )
    #: forming → active → closed.
    status: Mapped[CommunityStatus] = mapped_column(
        str_enum(CommunityStatus, 10), default=CommunityStatus.FORMING, index=True, nullable=False
    )
    #: Active members (all roles); kept in SQL, so concurrent joins all count.
    member_count: Mapped[int] = mapped_column(default=0, nullable=False)
    #: Accepted co-owning organisations; two or more makes the community cross-school.
    owner_count: Mapped[int] = mapped_column(default=0, index=True, nullable=False)
    #: Who started it.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Last change to name, description or settings.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    themes: Mapped[list[Theme]] = relationship(secondary=community_theme, order_by=Theme.name_nl)
    school_types: Mapped[list[CommunitySchoolType]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    career_stages: Mapped[list[CommunityCareerStage]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    owners: Mapped[list[CommunityOwner]] = relationship(
        back_populates="community",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CommunityOwner.id",
    )

    @property
    def is_cross_school(self) -> bool:
        """Co-owned by two or more organisations: *school-overstijgend*."""
        return self.owner_count >= 2

    @property
    def is_closed(self) -> bool:
        return self.status == CommunityStatus.CLOSED

    @property
    def accepted_owners(self) -> list[CommunityOwner]:
        return [owner for owner in self.owners if owner.status == CoOwnerStatus.ACCEPTED]

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class CommunityOwner(CreatedAtMixin, db.Model):
    """An organisation that co-owns a community, with its contact person."""

    __tablename__ = "community_owner"
    __table_args__ = (sa.UniqueConstraint("community_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The co-owning organisation.
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: invited → accepted or declined (by the organisation's admin or school leader).
    status: Mapped[CoOwnerStatus] = mapped_column(
        str_enum(CoOwnerStatus, 10), default=CoOwnerStatus.INVITED, nullable=False
    )
    #: The organisation's contact person for this community.
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Who invited the organisation.
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Who accepted or declined for the organisation, and when.
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship(back_populates="owners")
    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])


class CommunityMember(CreatedAtMixin, db.Model):
    """A person in a community: an active member (of some role), or a request to join."""

    __tablename__ = "community_member"
    __table_args__ = (sa.UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The person.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: member, facilitator or owner.
    role: Mapped[MemberRole] = mapped_column(
        str_enum(MemberRole, 12), default=MemberRole.MEMBER, nullable=False
    )
    #: active, or requested (waiting for a facilitator).
    status: Mapped[MemberStatus] = mapped_column(
        str_enum(MemberStatus, 10), default=MemberStatus.ACTIVE, index=True, nullable=False
    )
    #: What the person wrote with a request to join.
    request_note: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: When the person became an active member.
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def can_facilitate(self) -> bool:
        return self.is_active and self.role in (MemberRole.FACILITATOR, MemberRole.OWNER)


class CommunityInvitation(CreatedAtMixin, db.Model):
    """An invitation to join, by name (an account) or by e-mail (perhaps no account yet)."""

    __tablename__ = "community_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The community.
    community_id: Mapped[int] = mapped_column(
        sa.ForeignKey("community.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Normalised address the invitation was sent to.
    email: Mapped[str] = mapped_column(sa.String(254), index=True, nullable=False)
    #: The invited account, when the address belongs to one.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: sha256 of the secret in the invitation link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    #: Who invited.
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: The link works until then.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: When it was used (then it no longer works).
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a facilitator withdrew it.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    community: Mapped[Community] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > utcnow()
