"""Community rules: creation, co-ownership, membership, invitations, access, the directory."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from plc.auth.models import CareerStage, SchoolType, User
from plc.auth.services import normalise_email
from plc.communities.models import (
    Community,
    CommunityCareerStage,
    CommunityInvitation,
    CommunityMember,
    CommunityOwner,
    CommunitySchoolType,
    CommunityStatus,
    CoOwnerStatus,
    MemberRole,
    MemberStatus,
    Visibility,
    community_theme,
)
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.search import SearchIndex, search_subquery
from plc.core.urls import external_url
from plc.extensions import db
from plc.organisations import services as organisations
from plc.organisations.models import (
    MembershipStatus,
    Organisation,
    OrganisationMembership,
)
from plc.themes.models import Theme
from plc.themes.services import slugify

SEARCH = SearchIndex(
    name="community", table="community", columns=("name", "summary", "description")
)
INVITATION_LIFETIME = timedelta(days=30)
ALLOWED_TRANSITIONS = {
    CommunityStatus.FORMING: {CommunityStatus.ACTIVE, CommunityStatus.CLOSED},
    CommunityStatus.ACTIVE: {CommunityStatus.CLOSED},
    CommunityStatus.CLOSED: {CommunityStatus.ACTIVE},
}


# -- access ------------------------------------------------------------------------------------


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


@dataclass(frozen=True)
class Access:
    """What one person may do in one community; computed once per request."""

    community: Community
    member: CommunityMember | None
    is_contact: bool
    is_admin: bool
    logged_in: bool

    @property
    def is_member(self) -> bool:
        return self.member is not None and self.member.is_active

    @property
    def has_requested(self) -> bool:
        return self.member is not None and self.member.status == MemberStatus.REQUESTED

    @property
    def can_see(self) -> bool:
        """The community exists for this person (else: 404)."""
        return self.community.visibility != Visibility.INVITE or self.can_read

    @property
    def can_read(self) -> bool:
        return (
            self.community.visibility == Visibility.PUBLIC
            or self.is_member
            or self.is_contact
            or self.is_admin
        )

    @property
    def can_facilitate(self) -> bool:
        return self.is_admin or (self.member is not None and self.member.can_facilitate)

    @property
    def can_own(self) -> bool:
        return self.is_admin or (self.is_member and self.member.role == MemberRole.OWNER)  # type: ignore[union-attr]

    @property
    def can_edit(self) -> bool:
        return self.can_facilitate and not self.community.is_closed

    @property
    def can_join(self) -> bool:
        return (
            self.logged_in
            and self.member is None
            and not self.community.is_closed
            and self.community.visibility == Visibility.PUBLIC
        )

    @property
    def can_request(self) -> bool:
        return (
            self.logged_in
            and self.member is None
            and not self.community.is_closed
            and self.community.visibility == Visibility.REQUEST
        )


def access_for(community: Community, user: Any) -> Access:
    """The person's membership and contact role, in one statement."""
    if not _is_user(user):
        return Access(community, None, False, False, False)
    is_contact = (
        sa.exists()
        .where(
            CommunityOwner.community_id == Community.id,
            CommunityOwner.contact_id == user.id,
            CommunityOwner.status == CoOwnerStatus.ACCEPTED,
        )
        .label("is_contact")
    )
    member, contact = db.session.execute(
        sa.select(CommunityMember, is_contact)
        .select_from(Community)
        .outerjoin(
            CommunityMember,
            sa.and_(
                CommunityMember.community_id == Community.id, CommunityMember.user_id == user.id
            ),
        )
        .where(Community.id == community.id)
    ).one()
    return Access(community, member, bool(contact), bool(user.is_admin), True)


def _insiders_or(user: Any, base: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`base`, or the communities where `user` is an active member or a co-owner's contact;
    everything for platform admins."""
    if _is_user(user) and user.is_admin:
        return sa.true()
    if not _is_user(user):
        return base
    member_of = sa.select(CommunityMember.community_id).where(
        CommunityMember.user_id == user.id, CommunityMember.status == MemberStatus.ACTIVE
    )
    contact_of = sa.select(CommunityOwner.community_id).where(
        CommunityOwner.contact_id == user.id, CommunityOwner.status == CoOwnerStatus.ACCEPTED
    )
    return sa.or_(base, Community.id.in_(member_of), Community.id.in_(contact_of))


def visible_filter(user: Any) -> sa.ColumnElement[bool]:
    """SQL condition: communities that exist for `user` (invite-only ones only for insiders)."""
    return _insiders_or(user, Community.visibility != Visibility.INVITE)


def readable_filter(user: Any) -> sa.ColumnElement[bool]:
    """SQL condition: communities whose content `user` may read (the twin of Access.can_read)."""
    return _insiders_or(user, Community.visibility == Visibility.PUBLIC)


# -- creating and editing -----------------------------------------------------------------------


@dataclass
class CommunityFields:
    name: str
    summary: str
    description: str
    visibility: Visibility
    theme_ids: list[int] = field(default_factory=list)
    school_types: list[SchoolType] = field(default_factory=list)
    career_stages: list[CareerStage] = field(default_factory=list)


def _unique_slug(name: str, exclude_id: int | None = None) -> str:
    base = slugify(name)[:100] or "gemeenschap"
    slug, n = base, 1
    while True:
        query = sa.select(Community.id).where(Community.slug == slug)
        if exclude_id is not None:
            query = query.where(Community.id != exclude_id)
        if db.session.scalar(query) is None:
            return slug
        n += 1
        slug = f"{base}-{n}"


def _apply(community: Community, fields: CommunityFields) -> None:
    name = fields.name.strip()
    if not name:
        raise ServiceError(_l("Enter a name."), field="name")
    themes = list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(fields.theme_ids))))
    if len(themes) != len(set(fields.theme_ids)):
        raise ServiceError(_l("Choose themes from the list."), field="themes")
    community.name = name
    community.summary = fields.summary.strip()
    community.description = fields.description
    community.description_html = render_markdown(fields.description)
    community.visibility = fields.visibility
    community.themes = themes
    community.school_types = [
        CommunitySchoolType(school_type=t) for t in dict.fromkeys(fields.school_types)
    ]
    community.career_stages = [
        CommunityCareerStage(career_stage=s) for s in dict.fromkeys(fields.career_stages)
    ]


def create_community(
    creator: User, organisation: Organisation, fields: CommunityFields
) -> Community:
    """Start a community owned by the creator's organisation, with the creator as owner."""
    if not creator.is_admin and not organisations.is_approved_member(creator, organisation):
        raise ServiceError(
            _l("You can only start a community for an organisation you belong to."),
            field="organisation",
        )
    community = Community(
        slug=_unique_slug(fields.name),
        visibility=fields.visibility,
        created_by_id=creator.id,
        member_count=1,
        owner_count=1,
    )
    _apply(community, fields)
    db.session.add(community)
    db.session.flush()
    now = utcnow()
    db.session.add(
        CommunityOwner(
            community_id=community.id,
            organisation_id=organisation.id,
            status=CoOwnerStatus.ACCEPTED,
            contact_id=creator.id,
            invited_by_id=creator.id,
            decided_by_id=creator.id,
            decided_at=now,
        )
    )
    db.session.add(
        CommunityMember(
            community_id=community.id,
            user_id=creator.id,
            role=MemberRole.OWNER,
            status=MemberStatus.ACTIVE,
            joined_at=now,
        )
    )
    db.session.flush()
    return community


def update_community(community: Community, fields: CommunityFields) -> None:
    if community.is_closed:
        raise ServiceError(_l("A closed community cannot be changed."))
    _apply(community, fields)
    db.session.flush()


def set_status(community: Community, status: CommunityStatus) -> None:
    if status not in ALLOWED_TRANSITIONS[community.status]:
        raise ServiceError(_l("This change of status is not possible."), field="status")
    community.status = status
    db.session.flush()


# -- co-ownership ------------------------------------------------------------------------------


def _lock(community: Community) -> None:
    """Serialise changes that must keep an invariant (at least one owner) on PostgreSQL.

    SQLite needs nothing: its write transactions already run one at a time (BEGIN IMMEDIATE).
    """
    db.session.execute(
        sa.select(Community.id).where(Community.id == community.id).with_for_update()
    )


def _speakers_of(organisation: Organisation) -> list[User]:
    speakers = organisations.people_of([organisation.id], list(organisations.SPEAKING_ROLES))
    return speakers or list(
        db.session.scalars(sa.select(User).where(User.is_admin.is_(True), User.active.is_(True)))
    )


def invite_co_owner(
    community: Community, organisation: Organisation, acting: User
) -> CommunityOwner:
    if community.is_closed:
        raise ServiceError(_l("A closed community cannot be changed."))
    row = db.session.scalar(
        sa.select(CommunityOwner).where(
            CommunityOwner.community_id == community.id,
            CommunityOwner.organisation_id == organisation.id,
        )
    )
    if row is not None and row.status != CoOwnerStatus.DECLINED:
        raise ServiceError(
            _l("This organisation is already a co-owner or has been invited."), field="organisation"
        )
    if row is None:
        row = CommunityOwner(community_id=community.id, organisation_id=organisation.id)
        db.session.add(row)
    row.status = CoOwnerStatus.INVITED
    row.invited_by_id = acting.id
    row.decided_at = row.decided_by_id = row.contact_id = None
    db.session.flush()
    link = external_url("communities.co_ownership", slug=organisation.slug)
    for speaker in _speakers_of(organisation):
        send_mail(
            speaker.email,
            speaker.preferred_language,
            _l(
                "%(organisation)s is invited to co-own “%(community)s”",
                organisation=organisation.name,
                community=community.name,
            ),
            "co_ownership_invitation",
            speaker=speaker,
            organisation=organisation,
            community=community,
            inviter=acting,
            link=link,
        )
    return row


def decide_co_ownership(
    row: CommunityOwner, *, accept: bool, contact: User | None, acting: User
) -> None:
    """The invited organisation accepts (naming its contact person) or declines."""
    if not organisations.can_speak_for(acting, row.organisation):
        raise ServiceError(
            _l("Only the organisation's administrator or school leader can decide this.")
        )
    if row.status != CoOwnerStatus.INVITED:
        raise ServiceError(_l("This invitation has already been answered."))
    if accept:
        if contact is None or not organisations.is_approved_member(contact, row.organisation):
            raise ServiceError(
                _l("Choose a contact person who belongs to the organisation."), field="contact"
            )
        row.contact_id = contact.id
        db.session.execute(
            sa.update(Community)
            .where(Community.id == row.community_id)
            .values(owner_count=Community.owner_count + 1)
        )
    row.status = CoOwnerStatus.ACCEPTED if accept else CoOwnerStatus.DECLINED
    row.decided_at = utcnow()
    row.decided_by_id = acting.id
    db.session.flush()


def set_contact(row: CommunityOwner, contact: User, acting: User) -> None:
    if not organisations.can_speak_for(acting, row.organisation):
        raise ServiceError(
            _l("Only the organisation's administrator or school leader can decide this.")
        )
    if not organisations.is_approved_member(contact, row.organisation):
        raise ServiceError(
            _l("Choose a contact person who belongs to the organisation."), field="contact"
        )
    row.contact_id = contact.id
    db.session.flush()


def withdraw_co_owner(row: CommunityOwner) -> None:
    """End a co-ownership (or an open invitation); a community keeps at least one owner."""
    community = row.community
    _lock(community)
    if row.status == CoOwnerStatus.ACCEPTED:
        accepted = db.session.scalar(
            sa.select(sa.func.count(CommunityOwner.id)).where(
                CommunityOwner.community_id == community.id,
                CommunityOwner.status == CoOwnerStatus.ACCEPTED,
            )
        )
        if accepted <= 1:
            raise ServiceError(_l("A community always keeps at least one co-owning organisation."))
        db.session.execute(
            sa.update(Community)
            .where(Community.id == community.id)
            .values(owner_count=Community.owner_count - 1)
        )
    db.session.delete(row)
    db.session.flush()


def pending_co_ownerships(organisation: Organisation) -> list[CommunityOwner]:
    return list(
        db.session.scalars(
            sa.select(CommunityOwner)
            .where(
                CommunityOwner.organisation_id == organisation.id,
                CommunityOwner.status == CoOwnerStatus.INVITED,
            )
            .options(joinedload(CommunityOwner.community))
            .order_by(CommunityOwner.created_at)
        )
    )


def co_ownerships(organisation: Organisation) -> list[CommunityOwner]:
    return list(
        db.session.scalars(
            sa.select(CommunityOwner)
            .where(
                CommunityOwner.organisation_id == organisation.id,
                CommunityOwner.status == CoOwnerStatus.ACCEPTED,
            )
            .options(joinedload(CommunityOwner.community), joinedload(CommunityOwner.contact))
            .order_by(CommunityOwner.created_at)
        )
    )


# -- membership --------------------------------------------------------------------------------


def _change_member_count(community_id: int, delta: int) -> None:
    db.session.execute(
        sa.update(Community)
        .where(Community.id == community_id)
        .values(member_count=Community.member_count + delta)
    )


def _insert_member(
    community: Community, user: User, status: MemberStatus, note: str = ""
) -> CommunityMember:
    member = CommunityMember(
        community_id=community.id,
        user_id=user.id,
        role=MemberRole.MEMBER,
        status=status,
        request_note=note.strip()[:500],
        joined_at=utcnow() if status == MemberStatus.ACTIVE else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except sa.exc.IntegrityError as error:  # a double click or a second tab got there first
        raise ServiceError(
            _l("You are already a member of this community, or have asked to join.")
        ) from error
    if status == MemberStatus.ACTIVE:
        _change_member_count(community.id, +1)
    return member


def join(community: Community, user: User) -> CommunityMember:
    if not access_for(community, user).can_join:
        raise ServiceError(_l("You cannot join this community directly."))
    return _insert_member(community, user, MemberStatus.ACTIVE)


def request_to_join(community: Community, user: User, note: str = "") -> CommunityMember:
    if not access_for(community, user).can_request:
        raise ServiceError(_l("You cannot ask to join this community."))
    member = _insert_member(community, user, MemberStatus.REQUESTED, note)
    link = external_url("communities.members", slug=community.slug)
    for facilitator in facilitators(community):
        send_mail(
            facilitator.email,
            facilitator.preferred_language,
            _l(
                "%(name)s asks to join “%(community)s”",
                name=user.display_name,
                community=community.name,
            ),
            "join_request",
            facilitator=facilitator,
            person=user,
            community=community,
            note=member.request_note,
            link=link,
        )
    return member


def decide_request(member: CommunityMember, *, approve: bool) -> None:
    if member.status != MemberStatus.REQUESTED:
        raise ServiceError(_l("This request has already been decided."))
    if approve:
        member.status = MemberStatus.ACTIVE
        member.joined_at = utcnow()
        _change_member_count(member.community_id, +1)
    else:
        db.session.delete(member)
    db.session.flush()


def _other_active_owners(member: CommunityMember) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(CommunityMember.id)).where(
                CommunityMember.community_id == member.community_id,
                CommunityMember.role == MemberRole.OWNER,
                CommunityMember.status == MemberStatus.ACTIVE,
                CommunityMember.id != member.id,
            )
        )
        or 0
    )


def _ensure_not_last_owner(member: CommunityMember) -> None:
    _lock(member.community)
    if member.role == MemberRole.OWNER and _other_active_owners(member) == 0:
        raise ServiceError(
            _l("A community always keeps at least one owner. Make someone else owner first.")
        )


def _delete_member(member: CommunityMember) -> None:
    was_active = member.is_active
    db.session.delete(member)
    if was_active:
        _change_member_count(member.community_id, -1)
    db.session.flush()


def leave(member: CommunityMember) -> None:
    _ensure_not_last_owner(member)
    _delete_member(member)


def remove_member(member: CommunityMember, acting: Access) -> None:
    """Facilitators remove members; only owners remove facilitators and owners."""
    if member.role != MemberRole.MEMBER and not acting.can_own:
        raise ServiceError(_l("Only an owner can remove a facilitator or an owner."))
    _ensure_not_last_owner(member)
    _delete_member(member)


def set_role(member: CommunityMember, role: MemberRole) -> None:
    """Owners change roles (the view checks that); the last owner stays an owner."""
    if not member.is_active:
        raise ServiceError(_l("Only active members have a role."))
    if member.role == MemberRole.OWNER and role != MemberRole.OWNER:
        _ensure_not_last_owner(member)
    member.role = role
    db.session.flush()


def active_members(community: Community) -> list[User]:
    """The community's active members (all roles), in the order they joined."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CommunityMember, CommunityMember.user_id == User.id)
            .where(
                CommunityMember.community_id == community.id,
                CommunityMember.status == MemberStatus.ACTIVE,
            )
            .order_by(CommunityMember.id)
        )
    )


def facilitators(community: Community) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(CommunityMember, CommunityMember.user_id == User.id)
            .where(
                CommunityMember.community_id == community.id,
                CommunityMember.status == MemberStatus.ACTIVE,
                CommunityMember.role.in_([MemberRole.FACILITATOR, MemberRole.OWNER]),
                User.active.is_(True),
            )
            .order_by(User.display_name)
        )
    )


def members(
    community: Community, status: MemberStatus | None = MemberStatus.ACTIVE
) -> list[CommunityMember]:
    """Members (of one status, or all) with their accounts, owners and facilitators first."""
    order = sa.case(
        {MemberRole.OWNER: 0, MemberRole.FACILITATOR: 1}, value=CommunityMember.role, else_=2
    )
    return list(
        db.session.scalars(
            sa.select(CommunityMember)
            .join(User, CommunityMember.user_id == User.id)
            .where(
                CommunityMember.community_id == community.id,
                sa.true() if status is None else CommunityMember.status == status,
                User.active.is_(True),
            )
            .options(sa.orm.contains_eager(CommunityMember.user))
            .order_by(order, User.display_name)
        )
    )


def schools_of(users: list[User]) -> dict[int, list[Organisation]]:
    """Each user's organisations with an approved, listed role, in one query."""
    if not users:
        return {}
    rows = db.session.execute(
        sa.select(OrganisationMembership.user_id, Organisation)
        .join(Organisation, OrganisationMembership.organisation_id == Organisation.id)
        .where(
            OrganisationMembership.user_id.in_([u.id for u in users]),
            OrganisationMembership.status == MembershipStatus.APPROVED,
            OrganisationMembership.listed.is_(True),
        )
        .order_by(Organisation.name)
    )
    result: dict[int, list[Organisation]] = {}
    for user_id, organisation in rows:
        if organisation not in result.setdefault(user_id, []):
            result[user_id].append(organisation)
    return result


# -- invitations -------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    community: Community, acting: User, *, email: str | None = None, user: User | None = None
) -> str:
    """Invite a person by account or e-mail address. Returns the secret link token."""
    if community.is_closed:
        raise ServiceError(_l("A closed community cannot be changed."))
    if user is None:
        address = normalise_email(email or "")
        user = db.session.scalar(sa.select(User).where(User.email == address))
    else:
        address = user.email
    if user is not None and db.session.scalar(
        sa.select(CommunityMember.id).where(
            CommunityMember.community_id == community.id,
            CommunityMember.user_id == user.id,
            CommunityMember.status == MemberStatus.ACTIVE,
        )
    ):
        raise ServiceError(_l("This person is already a member."), field="who")
    open_invitation = db.session.scalar(
        sa.select(CommunityInvitation.id).where(
            CommunityInvitation.community_id == community.id,
            CommunityInvitation.email == address,
            CommunityInvitation.accepted_at.is_(None),
            CommunityInvitation.revoked_at.is_(None),
            CommunityInvitation.expires_at > utcnow(),
        )
    )
    if open_invitation is not None:
        raise ServiceError(_l("This person has already been invited."), field="who")
    token = secrets.token_urlsafe(32)
    db.session.add(
        CommunityInvitation(
            community_id=community.id,
            email=address,
            user_id=user.id if user else None,
            token_hash=_token_hash(token),
            invited_by_id=acting.id,
            expires_at=utcnow() + INVITATION_LIFETIME,
        )
    )
    db.session.flush()
    link = external_url("communities.invitation", token=token)
    send_mail(
        address,
        user.preferred_language if user else None,
        _l(
            "%(name)s invites you to “%(community)s”",
            name=acting.display_name,
            community=community.name,
        ),
        "community_invitation",
        community=community,
        inviter=acting,
        invitee=user,
        link=link,
        has_account=user is not None,
    )
    return token


def invitation_by_token(token: str) -> CommunityInvitation | None:
    invitation = db.session.scalar(
        sa.select(CommunityInvitation)
        .where(CommunityInvitation.token_hash == _token_hash(token))
        .options(
            joinedload(CommunityInvitation.community), joinedload(CommunityInvitation.invited_by)
        )
    )
    return invitation if invitation is not None and invitation.is_open() else None


def accept_invitation(invitation: CommunityInvitation, user: User) -> None:
    community = invitation.community
    if community.is_closed:
        raise ServiceError(_l("This community is closed."))
    existing = db.session.scalar(
        sa.select(CommunityMember).where(
            CommunityMember.community_id == community.id, CommunityMember.user_id == user.id
        )
    )
    if existing is None:
        _insert_member(community, user, MemberStatus.ACTIVE)
    elif existing.status == MemberStatus.REQUESTED:
        decide_request(existing, approve=True)
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    db.session.flush()


def open_invitations(community: Community) -> list[CommunityInvitation]:
    return list(
        db.session.scalars(
            sa.select(CommunityInvitation)
            .where(
                CommunityInvitation.community_id == community.id,
                CommunityInvitation.accepted_at.is_(None),
                CommunityInvitation.revoked_at.is_(None),
                CommunityInvitation.expires_at > utcnow(),
            )
            .order_by(CommunityInvitation.created_at.desc())
        )
    )


def revoke_invitation(invitation: CommunityInvitation) -> None:
    invitation.revoked_at = utcnow()
    db.session.flush()


def users_named(name: str) -> list[User]:
    """Active accounts whose name is `name` (case-insensitive): inviting by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(sa.func.lower(User.display_name) == name.strip().lower(), User.active.is_(True))
            .limit(5)
        )
    )


# -- lists -------------------------------------------------------------------------------------


def _card_options(*, tags: bool = False) -> list[Any]:
    """What a community card shows (themes and co-owners), loaded in a fixed number of
    statements; with `tags` also the school types and career stages (the API lists them, the
    card does not)."""
    options = [
        selectinload(Community.themes),
        selectinload(Community.owners).joinedload(CommunityOwner.organisation),
    ]
    if tags:
        options += [selectinload(Community.school_types), selectinload(Community.career_stages)]
    return options


def _joined_card_options() -> list[Any]:
    """The card's themes and co-owners joined to the community rows, for the short lists of the
    start and organisation pages: a handful of themes times two to five co-owners a community
    are cheaper rows than a statement each (callers add `.unique()`)."""
    return [
        joinedload(Community.themes),
        joinedload(Community.owners).joinedload(CommunityOwner.organisation),
    ]


def community_by_slug(slug: str, *, details: bool = False) -> Community | None:
    """One community; with `details`, everything its home page shows, in a fixed number of
    statements (the other pages load only what they touch). The three small collections (a
    handful of themes, school types and career stages) and the co-owners (two to five, rarely
    more) come joined to the community row: a few dozen rows in one statement are cheaper than a
    statement each, and the home page stays within its budget of ten."""
    query = sa.select(Community).where(Community.slug == slug)
    if details:
        query = query.options(
            joinedload(Community.school_types),
            joinedload(Community.career_stages),
            joinedload(Community.themes),
            joinedload(Community.owners).joinedload(CommunityOwner.organisation),
            joinedload(Community.owners).joinedload(CommunityOwner.contact),
        )
    return db.session.scalars(query).unique().first()


@dataclass
class DirectoryFilters:
    q: str = ""
    theme: str = ""
    school_type: SchoolType | None = None
    career_stage: CareerStage | None = None
    organisation_id: int | None = None
    cross_school: bool = False


def directory_query(
    filters: DirectoryFilters, viewer: Any, *, tags: bool = False
) -> sa.Select[tuple[Community]]:
    """The directory: visible communities matching the filters, best first (`tags`: see
    `_card_options`)."""
    query = sa.select(Community).where(visible_filter(viewer)).options(*_card_options(tags=tags))
    if filters.theme:
        query = query.where(
            Community.id.in_(
                sa.select(community_theme.c.community_id)
                .join(Theme, Theme.id == community_theme.c.theme_id)
                .where(Theme.slug == filters.theme)
            )
        )
    if filters.school_type is not None:
        query = query.where(
            Community.id.in_(
                sa.select(CommunitySchoolType.community_id).where(
                    CommunitySchoolType.school_type == filters.school_type
                )
            )
        )
    if filters.career_stage is not None:
        query = query.where(
            Community.id.in_(
                sa.select(CommunityCareerStage.community_id).where(
                    CommunityCareerStage.career_stage == filters.career_stage
                )
            )
        )
    if filters.organisation_id is not None:
        query = query.where(
            Community.id.in_(
                sa.select(CommunityOwner.community_id).where(
                    CommunityOwner.organisation_id == filters.organisation_id,
                    CommunityOwner.status == CoOwnerStatus.ACCEPTED,
                )
            )
        )
    if filters.cross_school:
        query = query.where(Community.owner_count >= 2)
    closed_last = sa.case((Community.status == CommunityStatus.CLOSED, 1), else_=0)
    matches = search_subquery(SEARCH, filters.q)
    if matches is not None:
        return query.join(matches, matches.c.id == Community.id).order_by(
            closed_last, matches.c.score.desc(), Community.id
        )
    return query.order_by(closed_last, Community.member_count.desc(), Community.name, Community.id)


def my_communities(user: User) -> list[Community]:
    return list(
        db.session.scalars(
            sa.select(Community)
            .join(CommunityMember, CommunityMember.community_id == Community.id)
            .where(
                CommunityMember.user_id == user.id, CommunityMember.status == MemberStatus.ACTIVE
            )
            .options(*_joined_card_options())
            .order_by(Community.name)
        ).unique()
    )


def invitations_for(user: User) -> list[CommunityInvitation]:
    return list(
        db.session.scalars(
            sa.select(CommunityInvitation)
            .where(
                sa.or_(
                    CommunityInvitation.user_id == user.id, CommunityInvitation.email == user.email
                ),
                CommunityInvitation.accepted_at.is_(None),
                CommunityInvitation.revoked_at.is_(None),
                CommunityInvitation.expires_at > utcnow(),
            )
            .options(joinedload(CommunityInvitation.community))
        )
    )


def public_communities(limit: int = 6) -> list[Community]:
    return list(
        db.session.scalars(
            sa.select(Community)
            .where(
                Community.visibility != Visibility.INVITE,
                Community.status != CommunityStatus.CLOSED,
            )
            .options(*_joined_card_options())
            .order_by(Community.owner_count.desc(), Community.member_count.desc(), Community.id)
            .limit(limit)
        ).unique()
    )


def communities_of_organisation(organisation: Organisation, viewer: Any) -> list[Community]:
    return list(
        db.session.scalars(
            sa.select(Community)
            .join(CommunityOwner, CommunityOwner.community_id == Community.id)
            .where(
                CommunityOwner.organisation_id == organisation.id,
                CommunityOwner.status == CoOwnerStatus.ACCEPTED,
                visible_filter(viewer),
            )
            .options(*_joined_card_options())
            .order_by(Community.name)
        ).unique()
    )


def organisations_to_start_for(user: User) -> list[Organisation]:
    """Where a person may start a community: organisations they hold an approved role in."""
    if user.is_admin:
        return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))
    return organisations.user_organisations(user)
