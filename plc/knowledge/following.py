"""Following themes: new knowledge outputs on them arrive in the weekly knowledge digest.

A person follows themes for themselves; a school leader, HR advisor or organisation admin also
for their school, whose staff then receive the digest. The page lists every active theme (and
inactive ones still followed, so they can be unfollowed) with a button per subscriber.
`templates/knowledge/_follow_theme.html` offers the same buttons for one theme on other pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.core.urls import safe_next
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import ThemeSubscription
from plc.notifications.models import DigestFrequency, NotificationSettings
from plc.organisations.models import MembershipStatus, Organisation, OrganisationMembership
from plc.themes.models import Theme

bp = Blueprint("following", __name__, url_prefix="/kennisbank/volgen")


@dataclass
class Subscriber:
    """The person themselves (`school` None) or a school they speak for, and what it follows."""

    school: Organisation | None
    followed: set[int] = field(default_factory=set)


@dataclass
class FollowPage:
    themes: list[Theme]
    subscribers: list[Subscriber]
    #: Themes the person's own schools follow (they receive those anyway), by theme id.
    via_school: dict[int, list[Organisation]]
    digest_off: bool


def subscribers_of(user: User, theme_ids: list[int] | None = None) -> list[Subscriber]:
    """The person and the schools they speak for, with the themes each follows (optionally
    only among `theme_ids`), in two statements."""
    subscribers = [Subscriber(None)] + [
        Subscriber(school) for school in services.speaking_for(user)
    ]
    by_school = {s.school.id: s for s in subscribers if s.school is not None}
    query = sa.select(
        ThemeSubscription.theme_id, ThemeSubscription.user_id, ThemeSubscription.organisation_id
    ).where(
        sa.or_(
            ThemeSubscription.user_id == user.id,
            ThemeSubscription.organisation_id.in_(list(by_school)),
        )
    )
    if theme_ids is not None:
        query = query.where(ThemeSubscription.theme_id.in_(theme_ids))
    for theme_id, user_id, organisation_id in db.session.execute(query):
        target = subscribers[0] if user_id is not None else by_school[organisation_id]
        target.followed.add(theme_id)
    return subscribers


def schools_following(user: User) -> dict[int, list[Organisation]]:
    """Theme id → the person's schools (approved role of any kind) that follow it."""
    rows = db.session.execute(
        sa.select(ThemeSubscription.theme_id, Organisation)
        .join(Organisation, Organisation.id == ThemeSubscription.organisation_id)
        .join(OrganisationMembership, OrganisationMembership.organisation_id == Organisation.id)
        .where(
            OrganisationMembership.user_id == user.id,
            OrganisationMembership.status == MembershipStatus.APPROVED,
        )
        .order_by(Organisation.name)
    ).all()
    found: dict[int, list[Organisation]] = {}
    for theme_id, school in rows:
        if school not in found.setdefault(theme_id, []):
            found[theme_id].append(school)
    return found


def follow_page(user: User) -> FollowPage:
    subscribers = subscribers_of(user)
    followed = set().union(*(s.followed for s in subscribers))
    themes = list(
        db.session.scalars(
            sa.select(Theme).where(sa.or_(Theme.active.is_(True), Theme.id.in_(followed)))
        )
    )
    language = current_language()
    themes.sort(key=lambda theme: theme.name(language).casefold())
    settings = db.session.get(NotificationSettings, user.id)
    return FollowPage(
        themes=themes,
        subscribers=subscribers,
        via_school=schools_following(user),
        digest_off=settings is not None and settings.digest == DigestFrequency.OFF,
    )


# -- views -------------------------------------------------------------------------------------


@bp.get("")
@login_required
def index() -> str:
    return render_template("knowledge/follow.html", page=follow_page(current_user))


@bp.post("/<slug>")
@login_required
def follow(slug: str) -> Response | tuple[str, int]:
    return _change(slug, follow=True)


@bp.post("/<slug>/stoppen")
@login_required
def unfollow(slug: str) -> Response | tuple[str, int]:
    return _change(slug, follow=False)


def _change(slug: str, *, follow: bool) -> Response | tuple[str, int]:
    theme = db.session.scalar(sa.select(Theme).where(Theme.slug == slug))
    # A hidden theme can still be unfollowed, but no longer chosen.
    require(theme is not None and (theme.active or not follow))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    school = _school(request.form.get("school", ""))
    try:
        if follow:
            services.follow_theme(theme, current_user, school)  # type: ignore[arg-type]
        else:
            services.unfollow_theme(theme, current_user, school)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        return _refused(error)
    db.session.commit()
    flash(_done_message(theme, school, follow), "success")  # type: ignore[arg-type]
    return redirect(safe_next(request.form.get("next")) or url_for("following.index"))


def _school(slug: str) -> Organisation | None:
    if not slug:
        return None
    school = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    require(school is not None)
    return school


def _refused(error: ServiceError) -> tuple[str, int]:
    """The page again, with why nothing changed (a teacher cannot follow for the school)."""
    page = follow_page(current_user)  # type: ignore[arg-type]
    html = render_template("knowledge/follow.html", page=page, error=error)
    return html, 403


def _done_message(theme: Theme, school: Organisation | None, follow: bool) -> str:
    name = theme.name(current_language())
    if school is None:
        if follow:
            return _("You now follow %(theme)s.", theme=name)
        return _("You no longer follow %(theme)s.", theme=name)
    if follow:
        return _("%(school)s now follows %(theme)s.", school=school.name, theme=name)
    return _("%(school)s no longer follows %(theme)s.", school=school.name, theme=name)


# -- the partial for other pages ---------------------------------------------------------------


@dataclass
class ThemeFollow:
    """What `_follow_theme.html` shows for one theme: the viewer's and their schools' state."""

    theme: Theme
    subscribers: list[Subscriber]

    def follows(self, subscriber: Subscriber) -> bool:
        return self.theme.id in subscriber.followed


def theme_follow(theme: Theme) -> ThemeFollow | None:
    """For the current viewer; None when nobody is logged in."""
    if not current_user.is_authenticated:
        return None
    return ThemeFollow(theme, subscribers_of(current_user, [theme.id]))  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["theme_follow"] = theme_follow
    app.register_blueprint(bp)
