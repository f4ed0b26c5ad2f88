"""The roles a person holds, read once per page.

A page asks "may this person …?" in many places (the navigation, the permission check, the
figures they may read); each asked the database anew. `held_roles` reads all of a person's
approved roles in one statement and keeps them for the rest of a GET request, which changes
no roles. Other requests (a form that approves a claim, say) read afresh every time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request

from plc.extensions import db
from plc.organisations.models import MembershipStatus, OrganisationMembership, OrganisationRole

Held = frozenset[tuple[int, OrganisationRole]]


def _cache() -> dict[int, Held] | None:
    """This request's roles by user id, for requests that only read; None otherwise."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return None
    if "plc_held_roles" not in g:
        g.plc_held_roles = {}
    return g.plc_held_roles  # type: ignore[no-any-return]


def held_roles(user: Any) -> Held:
    """Every (organisation id, role) the person holds, approved; empty for visitors."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = _cache()
    if cache is not None and user.id in cache:
        return cache[user.id]
    rows = db.session.execute(
        sa.select(OrganisationMembership.organisation_id, OrganisationMembership.role).where(
            OrganisationMembership.user_id == user.id,
            OrganisationMembership.status == MembershipStatus.APPROVED,
        )
    )
    held: Held = frozenset((org_id, role) for org_id, role in rows)
    if cache is not None:
        cache[user.id] = held
    return held


def holds(user: Any, organisation_ids: Iterable[int | None], roles: Iterable[Any]) -> bool:
    """Holds one of `roles` in one of the organisations."""
    wanted_ids, wanted_roles = set(organisation_ids), set(roles)
    return any(org_id in wanted_ids and role in wanted_roles for org_id, role in held_roles(user))
