"""Organisation rules: who belongs where, in which role, and who approves it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.queries import contains_pattern
from plc.core.urls import external_url
from plc.extensions import db
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)
from plc.organisations.roles import held_roles
from plc.themes.services import slugify

#: Roles that may speak for an organisation about co-owning a community.
SPEAKING_ROLES = (OrganisationRole.ADMIN, OrganisationRole.SCHOOL_LEADER)


def approved_roles(
    user: User | None, organisation_ids: list[int]
) -> set[tuple[int, OrganisationRole]]:
    """(organisation id, role) pairs the user holds, approved, in any of the organisations."""
    wanted = set(organisation_ids)
    return {(org_id, role) for org_id, role in held_roles(user) if org_id in wanted}


def can_administer(user: User | None, organisation: Organisation) -> bool:
    """Platform admins, and the organisation's own admins (or those of its board)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    ids = [organisation.id] + ([organisation.parent_id] if organisation.parent_id else [])
    return any(role == OrganisationRole.ADMIN for _, role in approved_roles(user, ids))


def can_speak_for(user: User | None, organisation: Organisation) -> bool:
    """May accept or decline co-ownership for the organisation: its admin or school leader."""
    if can_administer(user, organisation):
        return True
    return any(role in SPEAKING_ROLES for _, role in approved_roles(user, [organisation.id]))


def is_approved_member(user: User, organisation: Organisation) -> bool:
    return bool(approved_roles(user, [organisation.id]))


def user_memberships(user: User) -> list[OrganisationMembership]:
    """All of a person's roles (any status), organisations loaded, for their profile."""
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(OrganisationMembership.user_id == user.id)
            .options(sa.orm.joinedload(OrganisationMembership.organisation))
            .order_by(OrganisationMembership.created_at)
        )
    )


def user_organisations(user: User) -> list[Organisation]:
    """The organisations in which the person holds an approved role."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(OrganisationMembership)
            .where(
                OrganisationMembership.user_id == user.id,
                OrganisationMembership.status == MembershipStatus.APPROVED,
            )
            .distinct()
            .order_by(Organisation.name)
        )
    )


def people_of(
    organisation_ids: list[int], roles: list[OrganisationRole] | None = None
) -> list[User]:
    """Active people with an approved role (any, or one of `roles`) in the organisations."""
    holders = sa.select(OrganisationMembership.user_id).where(
        OrganisationMembership.organisation_id.in_(organisation_ids),
        OrganisationMembership.status == MembershipStatus.APPROVED,
    )
    if roles is not None:
        holders = holders.where(OrganisationMembership.role.in_(roles))
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(holders), User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def _admins_of(organisation: Organisation) -> list[User]:
    """Who decides on claims: the organisation's (or its board's) admins, else platform admins."""
    ids = [organisation.id] + ([organisation.parent_id] if organisation.parent_id else [])
    admins = people_of(ids, [OrganisationRole.ADMIN])
    if admins:
        return admins
    return list(
        db.session.scalars(sa.select(User).where(User.is_admin.is_(True), User.active.is_(True)))
    )


def claim_role(
    user: User, organisation: Organisation, role: OrganisationRole, note: str = ""
) -> OrganisationMembership:
    """Ask to hold `role` in `organisation`; an admin decides. Nobody grants themself a role."""
    existing = db.session.scalar(
        sa.select(OrganisationMembership).where(
            OrganisationMembership.organisation_id == organisation.id,
            OrganisationMembership.user_id == user.id,
            OrganisationMembership.role == role,
        )
    )
    if existing is not None and existing.status != MembershipStatus.REJECTED:
        raise ServiceError(_l("You have already asked for this role here."), field="role")
    if existing is None:
        existing = OrganisationMembership(
            organisation_id=organisation.id, user_id=user.id, role=role
        )
        db.session.add(existing)
    existing.status = MembershipStatus.REQUESTED
    existing.note = note.strip()[:500]
    existing.decided_at = existing.decided_by_id = None
    db.session.flush()
    link = external_url("organisations.claims", slug=organisation.slug)
    for admin in _admins_of(organisation):
        send_mail(
            admin.email,
            admin.preferred_language,
            _l(
                "%(name)s asks for a role at %(organisation)s",
                name=user.display_name,
                organisation=organisation.name,
            ),
            "role_claim",
            admin=admin,
            claimant=user,
            organisation=organisation,
            role=role,
            note=existing.note,
            link=link,
        )
    return existing


def decide_claim(membership: OrganisationMembership, *, approve: bool, acting: User) -> None:
    if membership.status != MembershipStatus.REQUESTED:
        raise ServiceError(_l("This request has already been decided."))
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    membership.decided_at = utcnow()
    membership.decided_by_id = acting.id
    db.session.flush()


def set_listed(membership: OrganisationMembership, listed: bool) -> None:
    membership.listed = listed
    db.session.flush()


def end_membership(membership: OrganisationMembership) -> None:
    """The person gives up the role (or an admin takes it away)."""
    db.session.delete(membership)
    db.session.flush()


def pending_claims(organisation: Organisation) -> list[OrganisationMembership]:
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .where(
                OrganisationMembership.organisation_id == organisation.id,
                OrganisationMembership.status == MembershipStatus.REQUESTED,
            )
            .options(sa.orm.joinedload(OrganisationMembership.user))
            .order_by(OrganisationMembership.created_at)
        )
    )


def listed_members(organisation: Organisation) -> list[OrganisationMembership]:
    """Approved roles whose holders agreed to be listed."""
    return list(
        db.session.scalars(
            sa.select(OrganisationMembership)
            .join(User, OrganisationMembership.user_id == User.id)
            .where(
                OrganisationMembership.organisation_id == organisation.id,
                OrganisationMembership.status == MembershipStatus.APPROVED,
                OrganisationMembership.listed.is_(True),
                User.active.is_(True),
            )
            .options(sa.orm.contains_eager(OrganisationMembership.user))
            .order_by(User.display_name)
        )
    )


def unique_slug(name: str) -> str:
    """A slug for a new organisation that no other organisation uses."""
    base = slugify(name) or "organisatie"
    slug, n = base, 1
    while (
        db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)) is not None
    ):
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organisation(
    kind: OrganisationKind,
    name: str,
    *,
    description: str = "",
    website: str | None = None,
    city: str | None = None,
    parent: Organisation | None = None,
) -> Organisation:
    name = name.strip()
    if not name:
        raise ServiceError(_l("Enter a name."), field="name")
    organisation = Organisation(
        kind=kind,
        name=name,
        slug=unique_slug(name),
        description=description.strip(),
        website=website or None,
        city=city or None,
        parent_id=parent.id if parent else None,
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(
    organisation: Organisation, *, description: str, website: str | None
) -> None:
    organisation.description = description.strip()
    organisation.website = website or None
    db.session.flush()


def set_partners(organisation: Organisation, partners: list[Organisation]) -> None:
    organisation.partners = [p for p in partners if p.id != organisation.id]
    db.session.flush()


def add_partner(organisation: Organisation, partner: Organisation) -> None:
    """A member school or institute of a training school, a member of a network."""
    if partner.id == organisation.id:
        raise ServiceError(_l("An organisation cannot be its own partner."), field="partner")
    if partner in organisation.partners:
        raise ServiceError(_l("This organisation is already a partner."), field="partner")
    organisation.partners.append(partner)
    db.session.flush()


def remove_partner(organisation: Organisation, partner: Organisation) -> None:
    if partner in organisation.partners:
        organisation.partners.remove(partner)
    db.session.flush()


def find_by_name_or_code(text: str) -> Organisation:
    """The one organisation with this exact name (any case), DUO location code or slug."""
    text = text.strip()
    matches = db.session.scalars(
        sa.select(Organisation)
        .where(
            sa.or_(
                sa.func.lower(Organisation.name) == text.lower(),
                Organisation.vestigingscode == text.upper(),
                Organisation.slug == text.lower(),
            )
        )
        .limit(2)
    ).all()
    if len(matches) != 1:
        raise ServiceError(
            _l("No single organisation has this name or code. Choose one from the suggestions."),
            field="organisation",
        )
    return matches[0]


def search_query(text: str, kind: OrganisationKind | None) -> sa.Select[tuple[Organisation]]:
    query = sa.select(Organisation).order_by(Organisation.name)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    text = text.strip()
    if text:
        pattern = contains_pattern(text)
        query = query.where(
            sa.or_(
                sa.func.lower(Organisation.name).like(pattern, escape="\\"),
                sa.func.lower(sa.func.coalesce(Organisation.city, "")).like(pattern, escape="\\"),
                Organisation.vestigingscode == text.upper(),
            )
        )
    return query
