"""Amsterdam's education organisations and the people who belong to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plc.auth.models import SchoolType, User
from plc.core.models import CreatedAtMixin, UTCDateTime, str_enum, utcnow
from plc.extensions import db


class OrganisationKind(StrEnum):
    SCHOOL = "school"  #: a school location (vestiging), identified by DUO codes
    BOARD = "board"  #: a school board (bevoegd gezag), the employer
    TRAINING_SCHOOL = "training_school"  #: opleidingsschool: schools + institutes together
    ACADEMY = "academy"  #: huisacademie of a board
    INSTITUTE = "institute"  #: teacher-education institute (UvA, VU, HvA)
    NETWORK = "network"  #: OPeRA, Bètapartners, …
    MUNICIPALITY = "municipality"


#: Kinds that offer professional development (they have providers' staff).
PROVIDER_KINDS = frozenset(
    {
        OrganisationKind.TRAINING_SCHOOL,
        OrganisationKind.ACADEMY,
        OrganisationKind.INSTITUTE,
        OrganisationKind.NETWORK,
    }
)


class OrganisationRole(StrEnum):
    TEACHER = "teacher"
    SCHOOL_LEADER = "school_leader"
    HR_ADVISOR = "hr_advisor"
    BOARD_MEMBER = "board_member"
    PROVIDER_STAFF = "provider_staff"
    ADMIN = "org_admin"  #: approves role claims, speaks for the organisation in co-ownership


class MembershipStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


organisation_partner = sa.Table(
    "organisation_partner",
    db.metadata,
    sa.Column(
        "organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("partner_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
)
"""Partnerships: a training school's member schools and institutes, a network's members."""


class Organisation(CreatedAtMixin, db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What kind of organisation this is.
    kind: Mapped[OrganisationKind] = mapped_column(
        str_enum(OrganisationKind, 20), index=True, nullable=False
    )
    #: Name as the organisation uses it ("Barlaeus Gymnasium").
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    #: Readable identifier for URLs.
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True, nullable=False)
    #: A short introduction, plain text.
    description: Mapped[str] = mapped_column(sa.Text, default="", nullable=False)
    #: Website address (http/https).
    website: Mapped[str | None] = mapped_column(sa.String(255))
    #: Street and house number.
    street: Mapped[str | None] = mapped_column(sa.String(200))
    #: Postcode ("1017 AB").
    postcode: Mapped[str | None] = mapped_column(sa.String(10))
    #: Place name, as written by DUO (upper case) or by hand.
    city: Mapped[str | None] = mapped_column(sa.String(100))
    #: Municipality name (DUO GEMEENTENAAM, upper case).
    municipality: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    #: DUO instellingscode (formerly BRIN), 4 characters; schools only.
    instellingscode: Mapped[str | None] = mapped_column(sa.String(4), index=True)
    #: DUO vestigingscode: instellingscode + 2 characters; identifies a school location.
    vestigingscode: Mapped[str | None] = mapped_column(sa.String(6), unique=True)
    #: DUO bevoegd gezag nummer; identifies a board.
    bevoegd_gezag_nummer: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    #: For a school: its board's number as DUO lists it (linked to `parent` when known).
    duo_board_number: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    #: Denomination (openbaar, rooms-katholiek, …) as DUO lists it.
    denomination: Mapped[str | None] = mapped_column(sa.String(100))
    #: po, vo or mbo for schools.
    school_type: Mapped[SchoolType | None] = mapped_column(str_enum(SchoolType, 10))
    #: The board a school or academy belongs to.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    #: Last change (import or edit).
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")
    partners: Mapped[list[Organisation]] = relationship(
        secondary=organisation_partner,
        primaryjoin=id == organisation_partner.c.organisation_id,
        secondaryjoin=id == organisation_partner.c.partner_id,
        order_by="Organisation.name",
    )
    memberships: Mapped[list[OrganisationMembership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_provider(self) -> bool:
        return self.kind in PROVIDER_KINDS

    def __repr__(self) -> str:
        return f"<Organisation {self.kind} {self.slug}>"


class OrganisationMembership(CreatedAtMixin, db.Model):
    """A person's role in an organisation; claimed by the person, approved by an admin."""

    __tablename__ = "organisation_membership"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organisation.
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The person.
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: The role claimed.
    role: Mapped[OrganisationRole] = mapped_column(str_enum(OrganisationRole, 20), nullable=False)
    #: requested → approved or rejected.
    status: Mapped[MembershipStatus] = mapped_column(
        str_enum(MembershipStatus, 10),
        default=MembershipStatus.REQUESTED,
        index=True,
        nullable=False,
    )
    #: Whether the person appears in the organisation's public member list.
    listed: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: What the person wrote with the claim.
    note: Mapped[str] = mapped_column(sa.String(500), default="", nullable=False)
    #: When an admin approved or rejected the claim.
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Who approved or rejected it.
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED
