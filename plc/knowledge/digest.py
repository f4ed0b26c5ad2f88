"""The weekly knowledge digest: new and revised outputs on the themes a person follows.

When. Once per ISO week (Europe/Amsterdam), from Monday 07:00 Amsterdam time on:
`flask plc send-digests` runs from cron every few minutes, and its first run from Monday 07:00
mails everyone who has something new. Before that moment in the week it sends nothing. Someone
with nothing new on Monday gets their mail later that week, at the first run after something
appears; nobody gets more than one a week, and nobody gets an empty one.

Who. People who follow a theme themselves, and the approved members (any role) of schools that
follow it; each once, whatever the number of routes. Inactive accounts are left out, and so is
everyone whose e-mail digest setting is off: that setting (and the one-click unsubscribe link in
every digest) is the person's opt-out of all e-mail summaries.

What. Published outputs (`services.published_filter`, so no drafts, withdrawn outputs or outputs
of invite-only communities) on a followed theme, first published or revised after what the
person's previous knowledge digest covered (`KnowledgeDigest.covered_until`). A first digest
looks back 7 days; no digest looks back more than 28 (after a long pause, a month is news, a
year is an archive). The window ends SETTLE before the run, so that an output approved in a
transaction that has not yet committed is not skipped: it is in the next digest.

Never twice. The `KnowledgeDigest` row (person, week) is inserted, inside a savepoint, in the
same transaction that queues the mail. A second run skips people who have the row; a concurrent
run that got there first makes the insert fail (PostgreSQL waits for the other transaction;
SQLite's write transactions are exclusive), and then nothing is queued. Without anything new,
neither a mail nor a row is written, so a later output that week still reaches the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from plc.auth.models import User
from plc.core.models import utcnow
from plc.core.outbox import send_mail
from plc.core.urls import external_url
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import KnowledgeDigest, KnowledgeOutput, ThemeSubscription, output_theme
from plc.live.services import AMSTERDAM
from plc.notifications.models import DigestFrequency, NotificationSettings
from plc.notifications.services import unsubscribe_token
from plc.organisations.models import MembershipStatus, Organisation, OrganisationMembership
from plc.themes.models import Theme

#: The digest of a week goes out from this local time on its Monday.
SEND_FROM = time(7, 0)
FIRST_LOOKBACK = timedelta(days=7)
MAX_LOOKBACK = timedelta(days=28)
#: Outputs published in the last minutes wait for the next digest (see the module doc).
SETTLE = timedelta(minutes=5)


# -- the week ----------------------------------------------------------------------------------


def iso_week(moment: datetime) -> str:
    """ "2026-W48": the ISO week of `moment` in Amsterdam."""
    year, week, _day = moment.astimezone(AMSTERDAM).isocalendar()
    return f"{year}-W{week:02d}"


def send_moment(moment: datetime) -> datetime:
    """Monday 07:00 Amsterdam time of the ISO week `moment` falls in."""
    local = moment.astimezone(AMSTERDAM)
    monday = local.date() - timedelta(days=local.weekday())
    return datetime.combine(monday, SEND_FROM, tzinfo=AMSTERDAM)


def is_due(moment: datetime) -> bool:
    return moment >= send_moment(moment)


# -- what goes into a digest (plain values: they outlive the commit after each person) ----------


@dataclass(frozen=True)
class ThemeName:
    id: int
    name_nl: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl


@dataclass(frozen=True)
class DigestEntry:
    """One output as the mail lists it."""

    output_id: int
    title: str
    summary: str
    community: str
    url: str
    themes: tuple[ThemeName, ...]
    published_at: datetime
    revised_at: datetime

    def is_news_for(self, since: datetime, until: datetime) -> bool:
        return since < self.published_at <= until or since < self.revised_at <= until

    def theme_names(self, among: set[int], locale: str) -> str:
        """The names of the output's themes that the reader follows."""
        return ", ".join(t.name(locale) for t in self.themes if t.id in among)

    def is_new_since(self, since: datetime) -> bool:
        """First published in the window (else: a revision of an older output)."""
        return self.published_at > since


@dataclass
class Reason:
    """Why a theme reaches the person: their own follow and/or their schools'."""

    theme: ThemeName
    personal: bool = False
    schools: list[str] = field(default_factory=list)


@dataclass
class Recipient:
    user_id: int
    email: str
    name: str
    language: str | None
    unsubscribe_url: str
    since: datetime
    reasons: dict[int, Reason] = field(default_factory=dict)


@dataclass
class DigestRun:
    """Everything one run needs, loaded in a fixed number of statements."""

    now: datetime
    week: str
    until: datetime
    recipients: list[Recipient]
    entries: list[DigestEntry]


def plan_digests(now: datetime) -> DigestRun:
    """Recipients without a digest this week, and the outputs any of them could get."""
    week = iso_week(now)
    until = now - SETTLE
    rows = db.session.execute(_followers(week)).all()
    themes = _theme_names({theme_id for _user, theme_id, _org in rows})
    schools = _school_names({org for _user, _theme, org in rows if org is not None})
    previous = _covered_until({user.id for user, _theme, _org in rows})
    recipients: dict[int, Recipient] = {}
    for user, theme_id, organisation_id in rows:
        recipient = recipients.get(user.id)
        if recipient is None:
            since = previous.get(user.id, until - FIRST_LOOKBACK)
            recipient = recipients[user.id] = Recipient(
                user_id=user.id,
                email=user.email,
                name=user.display_name,
                language=user.preferred_language,
                unsubscribe_url=external_url(
                    "notifications.unsubscribe", token=unsubscribe_token(user)
                ),
                since=max(since, until - MAX_LOOKBACK),
            )
        reason = recipient.reasons.setdefault(theme_id, Reason(themes[theme_id]))
        if organisation_id is None:
            reason.personal = True
        elif schools[organisation_id] not in reason.schools:
            reason.schools.append(schools[organisation_id])
    ordered = sorted(recipients.values(), key=lambda r: r.user_id)
    floor = min((r.since for r in ordered), default=until)
    return DigestRun(now, week, until, ordered, _entries(set(themes), floor, until))


def _followers(week: str) -> sa.Select[tuple[User, int, int | None]]:
    """(person, theme, school or NULL) for every route by which a theme reaches a person who
    may get a digest this week."""
    personal = sa.select(
        ThemeSubscription.user_id.label("user_id"),
        ThemeSubscription.theme_id.label("theme_id"),
        sa.cast(sa.null(), sa.Integer).label("organisation_id"),
    ).where(ThemeSubscription.user_id.is_not(None))
    through_school = (
        sa.select(
            OrganisationMembership.user_id,
            ThemeSubscription.theme_id,
            ThemeSubscription.organisation_id,
        )
        .join(
            OrganisationMembership,
            OrganisationMembership.organisation_id == ThemeSubscription.organisation_id,
        )
        .where(OrganisationMembership.status == MembershipStatus.APPROVED)
    )
    follows = sa.union_all(personal, through_school).subquery()
    already = sa.select(KnowledgeDigest.user_id).where(KnowledgeDigest.week == week)
    return (
        sa.select(User, follows.c.theme_id, follows.c.organisation_id)
        .join(follows, follows.c.user_id == User.id)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(
            User.active.is_(True),
            sa.or_(
                NotificationSettings.digest.is_(None),
                NotificationSettings.digest != DigestFrequency.OFF,
            ),
            User.id.not_in(already),
        )
        .order_by(User.id)
    )


def _theme_names(ids: set[int]) -> dict[int, ThemeName]:
    found = db.session.scalars(sa.select(Theme).where(Theme.id.in_(ids))) if ids else []
    return {t.id: ThemeName(t.id, t.name_nl, t.name_en) for t in found}


def _school_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )


def _covered_until(user_ids: set[int]) -> dict[int, datetime]:
    """What each person's latest knowledge digest covered."""
    if not user_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(KnowledgeDigest.user_id, sa.func.max(KnowledgeDigest.covered_until))
            .where(KnowledgeDigest.user_id.in_(user_ids))
            .group_by(KnowledgeDigest.user_id)
        ).all()
    )


def _entries(theme_ids: set[int], since: datetime, until: datetime) -> list[DigestEntry]:
    """Published outputs on these themes, new or revised in (since, until], newest first."""
    if not theme_ids:
        return []
    outputs = db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(
            services.published_filter(),
            KnowledgeOutput.id.in_(
                sa.select(output_theme.c.output_id).where(output_theme.c.theme_id.in_(theme_ids))
            ),
            sa.or_(
                sa.and_(
                    KnowledgeOutput.published_at > since, KnowledgeOutput.published_at <= until
                ),
                sa.and_(KnowledgeOutput.revised_at > since, KnowledgeOutput.revised_at <= until),
            ),
        )
        .options(selectinload(KnowledgeOutput.community), selectinload(KnowledgeOutput.themes))
        .order_by(KnowledgeOutput.published_at.desc(), KnowledgeOutput.id.desc())
    )
    return [
        DigestEntry(
            output_id=output.id,
            title=output.title,
            summary=output.summary,
            community=output.community.name,
            url=external_url("kennisbank.output", slug=output.slug),
            themes=tuple(ThemeName(t.id, t.name_nl, t.name_en) for t in output.themes),
            published_at=output.published_at,  # type: ignore[arg-type]
            revised_at=output.revised_at or output.published_at,  # type: ignore[arg-type]
        )
        for output in outputs
    ]


def entries_for(recipient: Recipient, run: DigestRun) -> list[DigestEntry]:
    """The outputs this person has not heard of, each once, on any theme they follow."""
    return [
        entry
        for entry in run.entries
        if any(theme.id in recipient.reasons for theme in entry.themes)
        and entry.is_news_for(recipient.since, run.until)
    ]


# -- writing -----------------------------------------------------------------------------------


def write_knowledge_digest(recipient: Recipient, run: DigestRun) -> bool:
    """Claim the person's week and queue their mail in the current transaction (the caller
    commits). False, with nothing written, when there is nothing new or the week is taken."""
    entries = entries_for(recipient, run)
    if not entries:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                KnowledgeDigest(
                    user_id=recipient.user_id,
                    week=run.week,
                    covered_until=run.until,
                    output_count=len(entries),
                )
            )
    except sa.exc.IntegrityError:
        return False  # another run mailed this person this week
    themes_shown = {theme.id for entry in entries for theme in entry.themes}
    send_mail(
        recipient.email,
        recipient.language,
        _l("New knowledge on the themes you follow"),
        "knowledge_digest",
        reader=recipient,
        entries=[(entry, entry.is_new_since(recipient.since)) for entry in entries],
        followed=set(recipient.reasons),
        reasons=[reason for tid, reason in recipient.reasons.items() if tid in themes_shown],
        follow_url=external_url("following.index"),
        settings_url=external_url("notifications.settings"),
    )
    return True


def send_knowledge_digests(now: datetime | None = None) -> int:
    """Send the knowledge digests that are due; returns how many were queued.

    Commits after each person (like the other digests of `send-digests`), so a failure later in
    the run keeps what went before; safe to run again at any moment (see the module doc).
    """
    now = now or utcnow()
    if not is_due(now):
        return 0
    run = plan_digests(now)
    db.session.commit()  # end the planning transaction: each person gets a short one of their own
    sent = 0
    for recipient in run.recipients:
        if write_knowledge_digest(recipient, run):
            db.session.commit()
            sent += 1
    db.session.commit()
    return sent
