"""Generate the S, M and L data sets of QUALITY.md into a fresh database.

    python -m bench.generate --size M --database sqlite:////tmp/plc-m.sqlite3 [--seed 1]

The database is built with the app's migrations (so the search tables and their triggers, or
PostgreSQL's generated search columns, exist), then filled with SQLAlchemy Core `insert()`
executemany batches: no ORM objects, no per-row round trips. Every value comes from one
`random.Random(seed)` and a fixed anchor date, so the same seed gives the same rows.

Shapes: activity over communities and over the members of a community is Zipf-like (a few busy
communities, a long tail), a few very long threads (one with exactly 50 replies, used by the page
benchmark), Dutch-looking text (bench/dutch.py), and every feature has rows.

Known accounts (password `BENCH_PASSWORD`): `docent@bench.leernetwerk.nl` (a teacher, member of
the busiest community), `leider@bench.leernetwerk.nl` (leader of the largest school),
`beheer@bench.leernetwerk.nl` (administrator).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench import dutch

BENCH_PASSWORD = "Bench-wachtwoord-2026!"  # noqa: S105 - generated test data only
#: Its werkzeug hash, computed once and stored: every account shares it (hashing thousands of
#: passwords would take minutes), and a fixed salt keeps the data set identical run to run.
BENCH_PASSWORD_HASH = "scrypt:32768:8:1$ZyQAXkO1gFEFa1OK$9dfbf7cdec9878b0e01cca15e4e56f4d1b1e7c61732f61569a9e07f2f12409ee15b53874d083eb4cf5dc1dd42028324b5b3332844b8da7ab6b239ca1e79855cb"  # noqa: S105 - generated test data only
TEACHER_EMAIL = "docent@bench.leernetwerk.nl"
LEADER_EMAIL = "leider@bench.leernetwerk.nl"
ADMIN_EMAIL = "beheer@bench.leernetwerk.nl"
#: Every generated time is relative to this moment, not to the clock: same seed, same rows.
ANCHOR = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
#: The replies of the thread the page benchmark opens.
BENCH_THREAD_REPLIES = 50
BATCH = 5000


@dataclass(frozen=True)
class Size:
    users: int
    communities: int
    posts: int
    outputs: int

    def scaled(self, factor: int) -> Size:
        return Size(
            *(value * factor for value in (self.users, self.communities, self.posts, self.outputs))
        )


SIZES = {
    "S": Size(users=1_000, communities=50, posts=20_000, outputs=2_000),
    "M": Size(users=10_000, communities=500, posts=200_000, outputs=20_000),
}
SIZES["L"] = SIZES["M"].scaled(5)


# -- writing ------------------------------------------------------------------------------------


class Writer:
    """Buffers rows per table and inserts them in executemany batches, parents first.

    A flush inserts every table's buffer in the metadata's dependency order, so a row never
    reaches the database before the rows its foreign keys point at.
    """

    def __init__(self, connection: sa.Connection, metadata: sa.MetaData, batch: int = BATCH):
        self.connection = connection
        self.tables = {table.name: table for table in metadata.sorted_tables}
        self.order = [table.name for table in metadata.sorted_tables]
        self.buffers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.buffered = 0
        self.batch = batch
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, **row: Any) -> None:
        self.buffers[table].append(row)
        self.buffered += 1
        if self.buffered >= self.batch:
            self.flush()

    def flush(self) -> None:
        for name in self.order:
            rows = self.buffers.pop(name, None)
            if not rows:
                continue
            # executemany needs one set of keys per statement: group rows by their keys.
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                groups[tuple(row)].append(row)
            for group in groups.values():
                self.connection.execute(self.tables[name].insert(), group)
            self.counts[name] += len(rows)
        self.buffered = 0


class Ids:
    """Explicit primary keys per table, so that children can point at parents before a flush."""

    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        self._last[table] += 1
        return self._last[table]

    def last(self, table: str) -> int:
        return self._last[table]


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    """Cumulative weights of rank k ∝ 1/(k+1)^s: the first items get most of the activity."""
    return list(itertools.accumulate(1.0 / (k + 1) ** s for k in range(n)))


@dataclass
class World:
    """What later generators need from earlier ones."""

    rng: random.Random
    size: Size
    w: Writer
    ids: Ids
    password_hash: str
    started: float
    themes: list[int] = field(default_factory=list)
    schools: list[int] = field(default_factory=list)
    school_type: dict[int, str] = field(default_factory=dict)
    boards: list[int] = field(default_factory=list)
    providers: list[int] = field(default_factory=list)
    user_school: dict[int, int] = field(default_factory=dict)
    school_staff: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    leaders: dict[int, int] = field(default_factory=dict)
    community_topic: dict[int, int] = field(default_factory=dict)
    community_members: dict[int, list[int]] = field(default_factory=dict)
    community_cum: list[float] = field(default_factory=list)
    past_sessions: list[tuple[int, int, datetime, list[int]]] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    offerings: list[int] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)

    def ago(self, days_max: float, days_min: float = 0.0) -> datetime:
        return ANCHOR - timedelta(days=self.rng.uniform(days_min, days_max))

    def pick_community(self) -> int:
        return self.rng.choices(
            range(1, len(self.community_cum) + 1), cum_weights=self.community_cum
        )[0]

    def active_member(self, community: int) -> int:
        """A member, the first ones (owners, regulars) far more often than the tail."""
        members = self.community_members[community]
        rank = min(int(self.rng.paretovariate(1.2)) - 1, len(members) - 1)
        return members[rank]

    def some(self, items: Sequence[int], low: int, high: int) -> list[int]:
        return self.rng.sample(items, min(len(items), self.rng.randint(low, high)))


def progress(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)


# -- organisations and people -------------------------------------------------------------------


def themes(world: World) -> None:
    from plc.themes.defaults import DEFAULT_THEMES

    for slug, name_nl, name_en in DEFAULT_THEMES:
        theme_id = world.ids.next("theme")
        world.w.add(
            "theme",
            id=theme_id,
            slug=slug,
            name_nl=name_nl,
            name_en=name_en,
            active=True,
            created_at=ANCHOR - timedelta(days=900),
        )
        world.themes.append(theme_id)


def _duo_code(number: int) -> str:
    """An instellingscode in DUO's format: two digits and two letters ("02AB")."""
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    return f"{number % 100:02d}{letters[number // 100 % len(letters)]}{letters[number // 2200 % len(letters)]}"


def organisations(world: World) -> None:
    rng, w = world.rng, world.w
    school_count = max(10, world.size.users // 40)
    board_count = max(3, school_count // 6)
    for number in range(board_count):
        board_id = world.ids.next("organisation")
        name = dutch.BOARD_NAMES[number % len(dutch.BOARD_NAMES)].strip().replace("\n", " ")
        name = " ".join(name.split()) + (
            f" {number // len(dutch.BOARD_NAMES) + 1}" if number >= len(dutch.BOARD_NAMES) else ""
        )
        w.add(
            "organisation",
            id=board_id,
            kind="board",
            name=name,
            slug=f"{dutch.slugify(name)}-{board_id}",
            description="Schoolbestuur in Amsterdam.",
            city="AMSTERDAM",
            municipality="AMSTERDAM",
            bevoegd_gezag_nummer=f"{40000 + number}",
            created_at=ANCHOR - timedelta(days=800),
            updated_at=ANCHOR - timedelta(days=800),
        )
        world.boards.append(board_id)
    for number in range(school_count):
        school_id = world.ids.next("organisation")
        kind = rng.choices(["po", "vo", "mbo"], weights=[6, 3, 1])[0]
        name = dutch.school_name(rng, kind, number)
        code = _duo_code(number)
        board = world.boards[number % board_count]
        w.add(
            "organisation",
            id=school_id,
            kind="school",
            name=name,
            slug=f"{dutch.slugify(name)}-{school_id}",
            description=f"{name} is een school in Amsterdam.",
            website=f"https://www.{dutch.slugify(name)}.nl",
            street=f"{rng.choice(dutch.STREETS).strip()} {rng.randint(1, 250)}",
            postcode=f"10{rng.randint(11, 99)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
            city="AMSTERDAM",
            municipality="AMSTERDAM",
            instellingscode=code,
            vestigingscode=f"{code}00",
            duo_board_number=f"{40000 + number % board_count}",
            denomination=rng.choice(
                ["openbaar", "rooms-katholiek", "protestants-christelijk", "algemeen bijzonder"]
            ),
            school_type=kind,
            parent_id=board,
            created_at=ANCHOR - timedelta(days=800),
            updated_at=ANCHOR - timedelta(days=800),
        )
        world.schools.append(school_id)
        world.school_type[school_id] = kind
    for name, kind in dutch.INSTITUTES:
        org_id = world.ids.next("organisation")
        w.add(
            "organisation",
            id=org_id,
            kind=kind,
            name=name,
            slug=f"{dutch.slugify(name)}-{org_id}",
            description=f"{name} werkt samen met Amsterdamse scholen.",
            city="AMSTERDAM",
            municipality="AMSTERDAM",
            created_at=ANCHOR - timedelta(days=800),
            updated_at=ANCHOR - timedelta(days=800),
        )
        if kind != "municipality":
            world.providers.append(org_id)
    for board in world.boards[: max(2, board_count // 2)]:
        academy = world.ids.next("organisation")
        w.add(
            "organisation",
            id=academy,
            kind="academy",
            name=f"Academie {board}",
            slug=f"academie-{academy}",
            description="De huisacademie van het bestuur.",
            parent_id=board,
            created_at=ANCHOR - timedelta(days=700),
            updated_at=ANCHOR - timedelta(days=700),
        )
        world.providers.append(academy)
    for training in [p for p in world.providers if p <= world.ids.last("organisation")][:2]:
        for school in world.some(world.schools, 3, 8):
            w.add("organisation_partner", organisation_id=training, partner_id=school)


def users(world: World) -> None:
    rng, w = world.rng, world.w
    school_cum = zipf_weights(len(world.schools), 0.6)
    special = {
        1: ADMIN_EMAIL,
        2: "coordinator@bench.leernetwerk.nl",
        3: TEACHER_EMAIL,
        4: LEADER_EMAIL,
    }
    for _ in range(world.size.users):
        user_id = world.ids.next("user_account")
        name = dutch.person_name(rng)
        school = (
            world.schools[0]
            if user_id in (3, 4)
            else rng.choices(world.schools, cum_weights=school_cum)[0]
        )
        created = world.ago(900, 30)
        w.add(
            "user_account",
            id=user_id,
            email=special.get(user_id, f"gebruiker{user_id}@school{school}.leernetwerk.nl"),
            display_name=name,
            password_hash=world.password_hash,
            active=True,
            is_admin=user_id == 1,
            is_coordinator=user_id == 2,
            career_stage=rng.choice(["student", "starter", "experienced", "experienced", "expert"]),
            school_type=world.school_type[school],
            subjects=rng.sample([s.strip() for s in dutch.SUBJECTS], 2),
            bio=f"Docent in Amsterdam, bezig met {dutch.TOPICS[user_id % len(dutch.TOPICS)][0]}.",
            show_profile_to_members=True,
            preferred_language=None,
            last_login_at=world.ago(30),
            login_count=rng.randint(1, 200),
            created_at=created,
        )
        w.add(
            "consent",
            user_id=user_id,
            document="privacy_statement",
            version="2026-11",
            given_at=created,
            created_at=created,
        )
        w.add(
            "notification_settings",
            user_id=user_id,
            digest=rng.choice(["off", "daily", "weekly", "weekly"]),
        )
        world.user_school[user_id] = school
        world.school_staff[school].append(user_id)
        role = "teacher"
        if user_id == 4 or (
            school not in world.leaders and user_id > 4 and school != world.schools[0]
        ):
            world.leaders[school] = user_id
            role = "school_leader"
        w.add(
            "organisation_membership",
            organisation_id=school,
            user_id=user_id,
            role=role,
            status="approved",
            listed=True,
            note="",
            decided_at=created,
            created_at=created,
        )
        if role == "school_leader":
            w.add(
                "organisation_membership",
                organisation_id=school,
                user_id=user_id,
                role="org_admin",
                status="approved",
                listed=False,
                note="",
                decided_at=created,
                created_at=created,
            )
    for school in world.schools:
        staff = world.school_staff[school]
        if len(staff) > 2:
            w.add(
                "organisation_membership",
                organisation_id=school,
                user_id=staff[-1],
                role="hr_advisor",
                status="approved",
                listed=True,
                note="",
                decided_at=ANCHOR - timedelta(days=300),
                created_at=ANCHOR - timedelta(days=300),
            )
    # A claim waiting for the school's admin, as on a real platform.
    newcomer = world.school_staff[world.schools[0]][-1]
    w.add(
        "organisation_membership",
        organisation_id=world.schools[1],
        user_id=newcomer,
        role="teacher",
        status="requested",
        listed=True,
        note="Ik werk hier sinds augustus.",
        created_at=ANCHOR - timedelta(days=3),
    )
    for index, board in enumerate(world.boards):
        member = 5 + index
        w.add(
            "organisation_membership",
            organisation_id=board,
            user_id=member,
            role="board_member",
            status="approved",
            listed=True,
            note="",
            decided_at=ANCHOR - timedelta(days=400),
            created_at=ANCHOR - timedelta(days=400),
        )
    for index, provider in enumerate(world.providers):
        for offset in range(3):
            member = 50 + index * 3 + offset
            w.add(
                "organisation_membership",
                organisation_id=provider,
                user_id=member,
                role="provider_staff",
                status="approved",
                listed=True,
                note="",
                decided_at=ANCHOR - timedelta(days=400),
                created_at=ANCHOR - timedelta(days=400),
            )


# -- communities and what happens in them ---------------------------------------------------------


_COMMUNITY_NAMES = [
    "{Topic} in de onderbouw",
    "Netwerk {topic}",
    "Leerteam {topic} {area}",
    "{Topic} in de praktijk",
    "Werkplaats {topic}",
    "{Topic} voor starters",
]


def communities(world: World) -> None:
    rng, w = world.rng, world.w
    n = world.size.communities
    world.community_cum = zipf_weights(n, 0.9)
    total_memberships = world.size.users * 3
    weight_sum = world.community_cum[-1]
    all_users = list(range(5, world.size.users + 1))
    for rank in range(n):
        community_id = world.ids.next("community")
        topic = rank % len(dutch.TOPICS)
        world.community_topic[community_id] = topic
        topic_name = dutch.TOPICS[topic][0]
        name = rng.choice(_COMMUNITY_NAMES).format(
            Topic=topic_name[0].upper() + topic_name[1:],
            topic=topic_name,
            area=rng.choice(dutch.SCHOOL_NAMES).strip(),
        )
        size = max(
            6, min(int(total_memberships / weight_sum / (rank + 1) ** 0.9), len(all_users) // 2)
        )
        members = rng.sample(all_users, size)
        if rank == 0:
            members = [3, *[m for m in members if m != 3]]
        world.community_members[community_id] = members
        created = world.ago(800, 400)
        visibility = (
            "public"
            if rank == 0
            else rng.choices(["public", "request", "invite"], weights=[7, 2, 1])[0]
        )
        description = dutch.paragraph(rng, topic, 4)
        owners = [world.user_school[members[0]], *world.some(world.schools + world.providers, 0, 2)]
        owners = list(dict.fromkeys(owners))
        w.add(
            "community",
            id=community_id,
            slug=f"{dutch.slugify(name)}-{community_id}",
            name=name,
            summary=dutch.paragraph(rng, topic, 1)[:300],
            description=description,
            description_html=dutch.html(description),
            visibility=visibility,
            status=rng.choices(["active", "forming", "closed"], weights=[90, 7, 3])[0]
            if rank
            else "active",
            member_count=len(members),
            owner_count=len(owners),
            created_by_id=members[0],
            created_at=created,
            updated_at=created,
        )
        for theme in world.some(world.themes, 1, 3):
            w.add("community_theme", community_id=community_id, theme_id=theme)
        for school_type in rng.sample(["po", "vo", "mbo"], rng.randint(1, 2)):
            w.add("community_school_type", community_id=community_id, school_type=school_type)
        for stage in rng.sample(["student", "starter", "experienced", "expert"], rng.randint(1, 3)):
            w.add("community_career_stage", community_id=community_id, career_stage=stage)
        for organisation in owners:
            w.add(
                "community_owner",
                community_id=community_id,
                organisation_id=organisation,
                status="accepted",
                contact_id=members[0],
                invited_by_id=members[0],
                decided_by_id=members[0],
                decided_at=created,
                created_at=created,
            )
        for position, user_id in enumerate(members):
            role = "owner" if position == 0 else "facilitator" if position < 3 else "member"
            joined = created + timedelta(days=rng.uniform(0, 300))
            w.add(
                "community_member",
                community_id=community_id,
                user_id=user_id,
                role=role,
                status="active",
                request_note="",
                joined_at=joined,
                created_at=joined,
            )
        if visibility == "request":
            outsider = rng.choice(all_users)
            if outsider not in members:
                w.add(
                    "community_member",
                    community_id=community_id,
                    user_id=outsider,
                    role="member",
                    status="requested",
                    request_note="Graag sluit ik aan bij dit netwerk.",
                    joined_at=None,
                    created_at=ANCHOR - timedelta(days=2),
                )
        w.add(
            "community_invitation",
            community_id=community_id,
            email=f"uitgenodigd{community_id}@school.leernetwerk.nl",
            user_id=None,
            token_hash=f"{rng.getrandbits(256):064x}",
            invited_by_id=members[0],
            expires_at=ANCHOR + timedelta(days=14),
            created_at=ANCHOR - timedelta(days=1),
        )
        w.add(
            "subscription",
            user_id=members[0],
            community_id=community_id,
            thread_id=None,
            muted=False,
            created_at=created,
        )


def discussions(world: World) -> None:
    rng, w = world.rng, world.w
    thread_count = max(10, world.size.posts // 8)
    replies_left = world.size.posts - thread_count
    # A few very long threads; the first (exactly 50 replies, in the busiest community, opened
    # by the benchmark teacher) is the page benchmark's thread.
    long_threads = [BENCH_THREAD_REPLIES, 80, 120, 200, 64][: max(1, replies_left // 2000)]
    weights = [min(rng.paretovariate(1.5), 60.0) for _ in range(thread_count - len(long_threads))]
    spread = rng.choices(
        range(len(weights)), weights=weights, k=max(0, replies_left - sum(long_threads))
    )
    reply_counts = list(long_threads) + [0] * len(weights)
    for index in spread:
        reply_counts[len(long_threads) + index] += 1
    answers: list[dict[str, int]] = []
    for number, replies in enumerate(reply_counts):
        thread_id = world.ids.next("thread")
        community = 1 if number < len(long_threads) else world.pick_community()
        topic = world.community_topic[community]
        author = 3 if number == 0 else world.active_member(community)
        opened = world.ago(700, 20)
        moment = opened
        post_ids: list[int] = []
        # Timestamps first: the thread row carries the last one.
        times = []
        for _ in range(replies):
            moment += timedelta(minutes=rng.expovariate(1 / 600))
            times.append(moment)
        last = times[-1] if times else opened
        w.add(
            "thread",
            id=thread_id,
            community_id=community,
            title=dutch.title(rng, topic)[:200],
            author_id=author,
            reply_count=replies,
            last_activity_at=last,
            pinned=rng.random() < 0.01,
            locked=rng.random() < 0.005,
            deleted_at=None,
            created_at=opened,
        )
        w.add(
            "subscription",
            user_id=author,
            thread_id=thread_id,
            community_id=None,
            muted=False,
            created_at=opened,
        )
        body = dutch.paragraph(rng, topic, rng.randint(2, 6))
        post_id = world.ids.next("post")
        post_ids.append(post_id)
        w.add(
            "post",
            id=post_id,
            thread_id=thread_id,
            author_id=author,
            body=body,
            body_html=dutch.html(body),
            is_opening=True,
            quote_of_id=None,
            useful_count=0,
            deleted_at=None,
            hidden_at=None,
            created_at=opened,
        )
        for moment in times:
            replier = world.active_member(community)
            body = dutch.paragraph(rng, topic, rng.randint(1, 4), reply=True)
            post_id = world.ids.next("post")
            reactors = (
                {world.active_member(community) for _ in range(rng.randint(1, 4))} - {replier}
                if rng.random() < 0.15
                else set()
            )
            hidden = rng.random() < 0.003
            w.add(
                "post",
                id=post_id,
                thread_id=thread_id,
                author_id=replier,
                body=body,
                body_html=dutch.html(body),
                is_opening=False,
                quote_of_id=post_ids[-1] if rng.random() < 0.03 else None,
                useful_count=len(reactors),
                deleted_at=None,
                hidden_at=moment if hidden else None,
                created_at=moment,
            )
            for reactor in reactors:
                w.add("reaction", post_id=post_id, user_id=reactor, created_at=moment)
            if rng.random() < 0.02:
                w.add("mention", post_id=post_id, user_id=author)
            if hidden:
                w.add(
                    "report",
                    post_id=post_id,
                    reporter_id=author,
                    reason="Dit hoort niet in dit gesprek.",
                    outcome="hidden",
                    decided_at=moment,
                    decided_by_id=world.community_members[community][0],
                    created_at=moment,
                )
            if rng.random() < 0.01:
                w.add(
                    "post_revision",
                    post_id=post_id,
                    body=body[: len(body) // 2],
                    replaced_at=moment,
                    editor_id=replier,
                )
            post_ids.append(post_id)
        if replies and rng.random() < 0.08:
            answers.append({"tid": thread_id, "pid": rng.choice(post_ids[1:])})
        if replies and number % 10 == 0:
            w.add(
                "notification",
                user_id=author,
                kind="reply",
                thread_id=thread_id,
                community_id=community,
                post_id=post_ids[-1],
                actor_id=None,
                count=replies,
                detail=dutch.title(rng, topic)[:200],
                link=None,
                updated_at=last,
                read_at=last if rng.random() < 0.7 else None,
                created_at=last,
            )
        if number % 5000 == 4999:
            progress(
                f"threads {number + 1}/{thread_count}, posts {world.ids.last('post')}",
                world.started,
            )
    world.w.flush()
    thread = world.w.tables["thread"]
    if answers:
        world.w.connection.execute(
            sa.update(thread)
            .where(thread.c.id == sa.bindparam("tid"))
            .values(answer_post_id=sa.bindparam("pid")),
            answers,
        )


def resources(world: World) -> None:
    rng, w = world.rng, world.w
    for _ in range(max(20, world.size.posts // 40)):
        resource_id = world.ids.next("resource")
        community = world.pick_community()
        topic = world.community_topic[community]
        author = world.active_member(community)
        title = dutch.title(rng, topic)[:200]
        description = dutch.paragraph(rng, topic, 2)
        is_file = rng.random() < 0.7
        created = world.ago(600, 5)
        w.add(
            "resource",
            id=resource_id,
            community_id=community,
            kind="file" if is_file else "link",
            title=title,
            description=description,
            description_html=dutch.html(description),
            url=None
            if is_file
            else f"https://www.voorbeeld-lesmateriaal.nl/{dutch.slugify(title)}",
            licence=rng.choice(["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "all-rights-reserved"]),
            school_type=rng.choice(["po", "vo", "mbo", None]),
            career_stage=rng.choice(["starter", "experienced", None]),
            created_by_id=author,
            download_count=rng.randint(0, 80),
            deleted_at=None,
            created_at=created,
            updated_at=created,
        )
        for theme in world.some(world.themes, 1, 2):
            w.add("resource_theme", resource_id=resource_id, theme_id=theme)
        if is_file:
            for number in range(1, rng.randint(1, 3) + 1):
                version_id = world.ids.next("resource_version")
                w.add(
                    "resource_version",
                    id=version_id,
                    resource_id=resource_id,
                    number=number,
                    storage_key=f"bench/{version_id:08d}",
                    filename=f"{dutch.slugify(title)[:60]}-v{number}.pdf",
                    content_type="application/pdf",
                    size=rng.randint(20_000, 4_000_000),
                    sha256=f"{rng.getrandbits(256):064x}",
                    note="Nieuwe versie na de bijeenkomst." if number > 1 else "",
                    uploaded_by_id=author,
                    created_at=created + timedelta(days=number),
                )


def live(world: World) -> None:
    rng, w = world.rng, world.w
    message_id = itertools.count(1)
    for _ in range(world.size.communities * 8):
        session_id = world.ids.next("live_session")
        community = world.pick_community()
        topic = world.community_topic[community]
        members = world.community_members[community]
        host = members[0]
        starts = ANCHOR + timedelta(days=rng.uniform(-360, 90))
        starts = starts.replace(minute=0, second=0, microsecond=0)
        series = None
        if rng.random() < 0.1:
            series = world.ids.next("session_series")
            w.add(
                "session_series",
                id=series,
                community_id=community,
                frequency=rng.choice(["weekly", "biweekly"]),
                created_by_id=host,
                created_at=starts - timedelta(days=30),
            )
        going = world.some(members, 2, 25)
        capacity = rng.choice([None, None, len(going) + rng.randint(0, 20)])
        past = starts < ANCHOR
        notes = dutch.paragraph(rng, topic, 3) if past else ""
        w.add(
            "live_session",
            id=session_id,
            uid=f"sessie-{session_id}@bench.leernetwerk.nl",
            community_id=community,
            series_id=series,
            title=f"Bijeenkomst: {dutch.TOPICS[topic][0]}",
            agenda=dutch.paragraph(rng, topic, 2),
            agenda_html="<p>Agenda</p>",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=rng.choice([60, 90, 120])),
            mode=rng.choice(["online", "in_person", "hybrid"]),
            location=rng.choice(dutch.STREETS).strip(),
            video_url="https://meet.leernetwerk.nl/sessie",
            capacity=capacity,
            audience=rng.choice(["members", "everyone"]),
            status="cancelled" if rng.random() < 0.03 else "scheduled",
            cancel_message="",
            going_count=len(going),
            sequence=0,
            room_state="auto",
            notes=notes,
            notes_html=dutch.html(notes) if notes else "",
            credited_at=starts + timedelta(hours=3) if past else None,
            created_by_id=host,
            created_at=starts - timedelta(days=20),
            updated_at=starts - timedelta(days=20),
        )
        for user_id in going:
            w.add(
                "rsvp",
                session_id=session_id,
                user_id=user_id,
                status="going",
                updated_at=starts - timedelta(days=5),
            )
        if not past:
            continue
        attended = going[: max(1, len(going) * 3 // 4)]
        world.past_sessions.append((session_id, community, starts, attended))
        for user_id in attended:
            w.add(
                "live_attendance",
                session_id=session_id,
                user_id=user_id,
                connection_id=f"c{session_id}-{user_id}",
                joined_at=starts,
                left_at=starts + timedelta(minutes=55),
                seen_at=starts + timedelta(minutes=55),
            )
        for _ in range(rng.randint(0, 30)):
            w.add(
                "chat_message",
                id=next(message_id),
                session_id=session_id,
                user_id=rng.choice(attended),
                client_id=f"m{session_id}-{rng.getrandbits(40):x}",
                body=dutch.paragraph(rng, topic, 1)[:2000],
                removed_at=None,
                created_at=starts + timedelta(minutes=rng.randint(1, 55)),
            )
        if rng.random() < 0.4:
            question_id = world.ids.next("live_question")
            w.add(
                "live_question",
                id=question_id,
                session_id=session_id,
                user_id=attended[-1],
                client_id=f"q{question_id}",
                body=dutch.title(rng, topic),
                status="answered",
                vote_count=len(attended[:-1][:5]),
                decided_at=starts + timedelta(minutes=30),
                created_at=starts + timedelta(minutes=10),
            )
            for voter in attended[:-1][:5]:
                w.add(
                    "live_question_vote",
                    question_id=question_id,
                    user_id=voter,
                    created_at=starts + timedelta(minutes=12),
                )
        if rng.random() < 0.3:
            poll_id = world.ids.next("live_poll")
            w.add(
                "live_poll",
                id=poll_id,
                session_id=session_id,
                question="Hoe vaak gebruik je dit in je les?",
                multiple=False,
                status="closed",
                opened_at=starts + timedelta(minutes=5),
                closed_at=starts + timedelta(minutes=10),
                created_by_id=host,
                created_at=starts,
            )
            options = []
            for position, label in enumerate(["Elke les", "Elke week", "Soms", "Nog nooit"]):
                option_id = world.ids.next("live_poll_option")
                options.append(option_id)
                w.add(
                    "live_poll_option",
                    id=option_id,
                    poll_id=poll_id,
                    label=label,
                    position=position,
                )
            for voter in attended:
                w.add(
                    "live_poll_ballot",
                    poll_id=poll_id,
                    user_id=voter,
                    created_at=starts + timedelta(minutes=6),
                )
                w.add(
                    "live_poll_choice",
                    poll_id=poll_id,
                    user_id=voter,
                    option_id=rng.choice(options),
                )


def knowledge(world: World) -> None:
    rng, w = world.rng, world.w
    sessions = list(world.past_sessions)
    rng.shuffle(sessions)
    sources = iter(sessions[: len(sessions) // 4])
    for number in range(world.size.outputs):
        output_id = world.ids.next("knowledge_output")
        community = world.pick_community()
        topic = world.community_topic[community]
        authors = list(
            dict.fromkeys(world.active_member(community) for _ in range(rng.randint(1, 3)))
        )
        status = rng.choices(
            ["published", "draft", "in_review", "withdrawn"], weights=[85, 6, 5, 4]
        )[0]
        created = world.ago(700, 10)
        versions = 2 if status == "published" and rng.random() < 0.3 else 1
        published_at = (
            created + timedelta(days=rng.uniform(3, 20))
            if status in ("published", "withdrawn")
            else None
        )
        title = dutch.title(rng, topic)[:200]
        summary = dutch.paragraph(rng, topic, 1)[:500]
        body = "\n\n".join(
            dutch.paragraph(rng, topic, rng.randint(3, 6)) for _ in range(rng.randint(2, 4))
        )
        body_html = "".join(dutch.html(part) for part in body.split("\n\n"))
        source = next(sources, None) if rng.random() < 0.1 else None
        w.add(
            "knowledge_output",
            id=output_id,
            community_id=community,
            slug=f"{dutch.slugify(title)[:120]}-{output_id}" if published_at else None,
            output_type=rng.choice(
                [
                    "practice_example",
                    "guideline",
                    "teaching_material",
                    "research_summary",
                    "evaluation_report",
                    "media_link",
                ]
            ),
            title=title,
            summary=summary,
            body=body,
            body_html=body_html,
            media_url=None,
            licence=rng.choice(["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"]),
            status=status,
            published_version=versions if published_at else None,
            published_at=published_at,
            revised_at=published_at + timedelta(days=30)
            if versions == 2 and published_at
            else None,
            source_session_id=source[0] if source else None,
            created_by_id=authors[0],
            withdrawn_at=published_at + timedelta(days=60)
            if status == "withdrawn" and published_at
            else None,
            withdrawn_reason="Vervangen door een nieuwere handreiking."
            if status == "withdrawn"
            else "",
            withdrawn_by_id=authors[0] if status == "withdrawn" else None,
            view_count=rng.randint(0, 2000) if published_at else 0,
            download_count=rng.randint(0, 200) if published_at else 0,
            use_count=0,
            created_at=created,
            updated_at=created,
        )
        if published_at:
            world.outputs.append(output_id)
        for version in range(1, versions + 1):
            version_id = world.ids.next("output_version")
            state = {"draft": "draft", "in_review": "in_review"}.get(
                status, "published" if version == versions else "superseded"
            )
            w.add(
                "output_version",
                id=version_id,
                output_id=output_id,
                number=version,
                state=state,
                title=title,
                summary=summary,
                body=body,
                body_html=body_html,
                change_note="Aangevuld na de tweede ronde." if version > 1 else "",
                edited_by_id=authors[0],
                submitted_at=created if state != "draft" else None,
                submitted_by_id=authors[0] if state != "draft" else None,
                published_at=published_at if state in ("published", "superseded") else None,
                approved_by_id=world.community_members[community][0]
                if state in ("published", "superseded")
                else None,
                created_at=created,
                updated_at=created,
            )
            if state in ("published", "superseded"):
                w.add(
                    "output_review",
                    version_id=version_id,
                    reviewer_id=world.community_members[community][0],
                    decision="approved",
                    comment="Helder en bruikbaar.",
                    created_at=created,
                )
            if rng.random() < 0.2:
                w.add(
                    "output_attachment",
                    version_id=version_id,
                    storage_key=f"bench/output-{version_id:08d}",
                    filename="handreiking.pdf",
                    content_type="application/pdf",
                    size=rng.randint(50_000, 2_000_000),
                    sha256=f"{rng.getrandbits(256):064x}",
                    uploaded_by_id=authors[0],
                    created_at=created,
                )
        for theme in world.some(world.themes, 1, 3):
            w.add("output_theme", output_id=output_id, theme_id=theme)
        for school_type in rng.sample(["po", "vo", "mbo"], rng.randint(1, 2)):
            w.add("output_school_type", output_id=output_id, school_type=school_type)
        for stage in rng.sample(["student", "starter", "experienced", "expert"], rng.randint(1, 2)):
            w.add("output_career_stage", output_id=output_id, career_stage=stage)
        w.add(
            "output_domain",
            output_id=output_id,
            domain=rng.choice(["subject_matter", "subject_teaching", "pedagogy"]),
        )
        for position, author in enumerate(authors):
            w.add("output_author", output_id=output_id, user_id=author, position=position)
        for position, organisation in enumerate(
            dict.fromkeys(world.user_school[a] for a in authors)
        ):
            w.add(
                "output_organisation",
                output_id=output_id,
                organisation_id=organisation,
                position=position,
            )
        if published_at and rng.random() < 0.1:
            school = rng.choice(world.schools)
            w.add(
                "output_use",
                output_id=output_id,
                organisation_id=school,
                note="We gebruiken dit in de onderbouw.",
                recorded_by_id=world.leaders.get(school),
                created_at=published_at + timedelta(days=10),
            )
        if number % 5000 == 4999:
            progress(f"outputs {number + 1}/{world.size.outputs}", world.started)
    for user_id in range(5, min(world.size.users, 400), 7):
        w.add(
            "theme_subscription",
            theme_id=rng.choice(world.themes),
            user_id=user_id,
            organisation_id=None,
            created_by_id=user_id,
            created_at=ANCHOR - timedelta(days=100),
        )


def catalogue(world: World) -> None:
    rng, w = world.rng, world.w
    for _ in range(max(20, world.size.users // 10)):
        offering_id = world.ids.next("offering")
        topic = rng.randrange(len(dutch.TOPICS))
        title = f"{rng.choice(['Cursus', 'Workshop', 'Masterclass', 'Leergang', 'Intervisie'])} {dutch.TOPICS[topic][0]}"
        description = dutch.paragraph(rng, topic, 4)
        starts = ANCHOR + timedelta(days=rng.uniform(-200, 150))
        capacity = rng.choice([None, 12, 20, 30])
        status = rng.choices(["published", "draft", "cancelled"], weights=[85, 10, 5])[0]
        enrolled = (
            world.some(range(5, world.size.users + 1), 0, min(capacity or 25, 25))
            if status == "published"
            else []
        )
        cost = rng.choice(["free", "amount", "school_pays"])
        w.add(
            "offering",
            id=offering_id,
            slug=f"{dutch.slugify(title)}-{offering_id}",
            provider_id=rng.choice(world.providers),
            title=title,
            summary=dutch.paragraph(rng, topic, 1)[:500],
            description=description,
            description_html=dutch.html(description),
            format=rng.choice(
                [
                    "course",
                    "workshop",
                    "masterclass",
                    "intervision",
                    "lesson_study",
                    "peer_observation",
                    "learning_network",
                    "coaching",
                    "conference",
                ]
            ),
            location=rng.choice(dutch.STREETS).strip(),
            online=rng.random() < 0.3,
            capacity=capacity,
            enrolled_count=len(enrolled),
            cost_kind=cost,
            cost_cents=rng.randint(5000, 60000) if cost != "free" else None,
            needs_leader_approval=cost == "school_pays",
            contact_minutes=rng.choice([90, 180, 360, 720]),
            self_study_minutes=rng.choice([0, 120, 480]),
            scope="everyone",
            status=status,
            starts_at=starts,
            ends_at=starts + timedelta(days=rng.choice([0, 30, 90])),
            sequence=0,
            published_at=starts - timedelta(days=40) if status != "draft" else None,
            created_by_id=50,
            completed_at=None,
            created_at=starts - timedelta(days=50),
            updated_at=starts - timedelta(days=50),
        )
        world.offerings.append(offering_id)
        for theme in world.some(world.themes, 1, 3):
            w.add("offering_theme", offering_id=offering_id, theme_id=theme)
        for school_type in rng.sample(["po", "vo", "mbo"], rng.randint(1, 3)):
            w.add("offering_school_type", offering_id=offering_id, school_type=school_type)
        for stage in rng.sample(["student", "starter", "experienced", "expert"], rng.randint(1, 2)):
            w.add("offering_career_stage", offering_id=offering_id, career_stage=stage)
        w.add(
            "offering_domain",
            offering_id=offering_id,
            domain=rng.choice(["subject_matter", "subject_teaching", "pedagogy"]),
        )
        for meeting in range(rng.randint(1, 4)):
            begins = starts + timedelta(days=14 * meeting)
            w.add(
                "offering_meeting",
                offering_id=offering_id,
                starts_at=begins,
                ends_at=begins + timedelta(hours=2),
                location="",
            )
        past = starts < ANCHOR
        for user_id in enrolled:
            w.add(
                "enrolment",
                offering_id=offering_id,
                user_id=user_id,
                status="completed" if past else "enrolled",
                school_id=world.user_school[user_id],
                note="",
                created_at=starts - timedelta(days=20),
                updated_at=starts - timedelta(days=20),
            )


def questions(world: World) -> None:
    rng, w = world.rng, world.w
    for _ in range(max(30, world.size.users // 4)):
        question_id = world.ids.next("learning_question")
        author = rng.randint(5, world.size.users)
        topic = rng.randrange(len(dutch.TOPICS))
        created = world.ago(400, 1)
        supporters = world.some(range(5, world.size.users + 1), 0, 6)
        supporters = [s for s in supporters if s != author]
        status = rng.choices(["open", "answered", "adopted", "closed"], weights=[70, 15, 10, 5])[0]
        w.add(
            "learning_question",
            id=question_id,
            author_id=author,
            school_id=world.user_school[author],
            title=dutch.title(rng, topic)[:200],
            body=dutch.paragraph(rng, topic, 3),
            domain=rng.choice(["subject_matter", "subject_teaching", "pedagogy", None]),
            career_stage=rng.choice(["starter", "experienced", None]),
            school_type=world.school_type[world.user_school[author]],
            urgency=rng.choice(["low", "normal", "normal", "high"]),
            visibility=rng.choices(["everyone", "school", "private"], weights=[80, 15, 5])[0],
            status=status,
            adopted_by_id=world.pick_community() if status == "adopted" else None,
            resolution="",
            support_count=len(supporters),
            created_at=created,
            updated_at=created,
        )
        world.questions.append(question_id)
        for theme in world.some(world.themes, 1, 2):
            w.add("learning_question_theme", question_id=question_id, theme_id=theme)
        for supporter in supporters:
            w.add(
                "question_support",
                question_id=question_id,
                user_id=supporter,
                created_at=created + timedelta(days=2),
            )
        for kind, pool in (
            ("offering", world.offerings),
            ("output", world.outputs),
            ("community", range(1, world.size.communities + 1)),
        ):
            if pool and rng.random() < 0.5:
                w.add(
                    "question_match",
                    question_id=question_id,
                    kind=kind,
                    target_id=rng.choice(pool),
                    score=round(rng.uniform(0.1, 3.0), 3),
                    created_at=created + timedelta(days=1),
                )
        if world.outputs and rng.random() < 0.1:
            w.add("output_question", output_id=rng.choice(world.outputs), question_id=question_id)


def pilots(world: World) -> None:
    rng, w = world.rng, world.w
    for _ in range(max(5, world.size.communities // 5)):
        pilot_id = world.ids.next("pilot")
        topic = rng.randrange(len(dutch.TOPICS))
        title = f"Pilot {dutch.TOPICS[topic][0]} {rng.choice(dutch.SCHOOL_NAMES).strip()}"
        starts = (ANCHOR - timedelta(days=rng.uniform(-60, 400))).date()
        status = rng.choice(
            ["proposed", "approved", "running", "running", "evaluating", "concluded", "stopped"]
        )
        organisations = world.some(world.schools, 2, 3)
        lead = world.leaders.get(organisations[0], 4)
        texts = {
            key: dutch.paragraph(rng, topic, 3)
            for key in ("goals", "activities", "evaluation_plan", "sharing_plan")
        }
        w.add(
            "pilot",
            id=pilot_id,
            slug=f"{dutch.slugify(title)}-{pilot_id}",
            title=title,
            summary=dutch.paragraph(rng, topic, 1)[:500],
            **texts,
            **{f"{key}_html": dutch.html(value) for key, value in texts.items()},
            starts_on=starts,
            ends_on=starts + timedelta(days=rng.choice([90, 180, 365])),
            status=status,
            charter_version=1,
            evaluation_report_id=rng.choice(world.outputs)
            if status == "concluded" and world.outputs
            else None,
            stop_reason="Te weinig tijd in het rooster." if status == "stopped" else "",
            proposed_by_id=lead,
            status_changed_at=ANCHOR - timedelta(days=10),
            created_at=ANCHOR - timedelta(days=420),
            updated_at=ANCHOR - timedelta(days=10),
        )
        for position, organisation in enumerate(organisations):
            contact = world.leaders.get(organisation)
            w.add(
                "pilot_organisation",
                pilot_id=pilot_id,
                organisation_id=organisation,
                position=position,
                contact_id=contact,
                sponsor_id=contact,
                contribution="Twee docenten en een teamleider.",
                dependency="",
                approved_version=1 if status != "proposed" else None,
                approved_at=ANCHOR - timedelta(days=300) if status != "proposed" else None,
                created_at=ANCHOR - timedelta(days=420),
            )
        w.add(
            "pilot_event",
            pilot_id=pilot_id,
            kind="proposed",
            actor_id=lead,
            organisation_id=organisations[0],
            charter_version=1,
            comment="",
            created_at=ANCHOR - timedelta(days=420),
        )
        if status in ("running", "evaluating", "concluded"):
            w.add(
                "pilot_event",
                pilot_id=pilot_id,
                kind="started",
                actor_id=lead,
                organisation_id=None,
                charter_version=1,
                comment="We zijn begonnen.",
                created_at=ANCHOR - timedelta(days=200),
            )
        for theme in world.some(world.themes, 1, 2):
            w.add("pilot_theme", pilot_id=pilot_id, theme_id=theme)
        w.add("pilot_community", pilot_id=pilot_id, community_id=world.pick_community())
        if world.questions:
            w.add("pilot_question", pilot_id=pilot_id, question_id=rng.choice(world.questions))
        if world.offerings:
            w.add("pilot_offering", pilot_id=pilot_id, offering_id=rng.choice(world.offerings))
        if status in ("evaluating", "concluded"):
            contacts = [world.leaders[o] for o in organisations if o in world.leaders]
            _survey(
                world,
                subject={"pilot_id": pilot_id},
                invitees=contacts,
                opens=ANCHOR - timedelta(days=40),
            )


def _survey(world: World, subject: dict[str, int], invitees: list[int], opens: datetime) -> None:
    rng, w = world.rng, world.w
    survey_id = world.ids.next("survey")
    respondents = invitees[: max(1, len(invitees) * 2 // 3)]
    w.add(
        "survey",
        id=survey_id,
        title="Evaluatie",
        intro="Het invullen duurt ongeveer drie minuten.",
        language="nl",
        anonymous=True,
        status="published",
        opens_at=opens,
        closes_at=opens + timedelta(days=14),
        session_id=subject.get("session_id"),
        offering_id=subject.get("offering_id"),
        pilot_id=subject.get("pilot_id"),
        baseline_id=None,
        template_key="session_evaluation",
        created_by_id=invitees[0] if invitees else None,
        response_count=len(respondents),
        invited_at=opens,
        reminded_at=None,
        created_at=opens,
        updated_at=opens,
    )
    scale = world.ids.next("survey_question")
    choice = world.ids.next("survey_question")
    text = world.ids.next("survey_question")
    questions = [  # id, key, kind, prompt, required, low and high label
        (scale, "nut", "scale", "Hoe bruikbaar was dit voor je lessen?", True, "Niet", "Zeer"),
        (choice, "vervolg", "choice", "Wil je een vervolg?", True, "", ""),
        (text, "tip", "text", "Wat kan beter?", False, "", ""),
    ]
    for position, (question_id, key, kind, prompt, required, low, high) in enumerate(questions):
        w.add(
            "survey_question",
            id=question_id,
            survey_id=survey_id,
            position=position,
            key=key,
            kind=kind,
            prompt=prompt,
            help_text="",
            required=required,
            scale_min=1,
            scale_max=5,
            low_label=low,
            high_label=high,
        )
    options = []
    for position, label in enumerate(["Ja", "Nee", "Weet niet"]):
        option_id = world.ids.next("survey_option")
        options.append(option_id)
        w.add("survey_option", id=option_id, question_id=choice, position=position, label=label)
    for user_id in invitees:
        w.add(
            "survey_invitation",
            survey_id=survey_id,
            user_id=user_id,
            invited_at=opens,
            reminded_at=None,
            answered=user_id in respondents,
        )
    for index, user_id in enumerate(respondents):
        response_id = f"{survey_id:08d}{index:08d}{rng.getrandbits(64):016x}"
        w.add(
            "survey_response",
            id=response_id,
            survey_id=survey_id,
            respondent_key=f"{rng.getrandbits(256):064x}",
            user_id=None,
            organisation_id=world.user_school.get(user_id),
            submitted_at=opens + timedelta(days=2),
            updated_at=opens + timedelta(days=2),
        )
        w.add(
            "survey_answer",
            response_id=response_id,
            question_id=scale,
            number=rng.randint(2, 5),
            text="",
        )
        w.add(
            "survey_answer",
            response_id=response_id,
            question_id=text,
            number=None,
            text="Meer tijd om te oefenen.",
        )
        w.add("survey_answer_option", response_id=response_id, option_id=rng.choice(options))


def session_surveys(world: World) -> None:
    for session_id, _community, starts, attended in world.past_sessions[::5]:
        _survey(
            world,
            subject={"session_id": session_id},
            invitees=attended,
            opens=starts + timedelta(hours=2),
        )


def development(world: World) -> None:
    rng, w = world.rng, world.w
    school_goals: dict[int, list[int]] = {}
    for school in world.schools:
        school_goals[school] = []
        for _ in range(rng.randint(2, 3)):
            goal_id = world.ids.next("school_goal")
            topic = rng.randrange(len(dutch.TOPICS))
            description = dutch.paragraph(rng, topic, 2)
            w.add(
                "school_goal",
                id=goal_id,
                organisation_id=school,
                title=f"Versterken van {dutch.TOPICS[topic][0]}",
                description=description,
                description_html=dutch.html(description),
                plan_period="2023-2027",
                status="active",
                created_by_id=world.leaders.get(school),
                created_at=ANCHOR - timedelta(days=300),
                updated_at=ANCHOR - timedelta(days=300),
            )
            w.add("school_goal_theme", school_goal_id=goal_id, theme_id=rng.choice(world.themes))
            school_goals[school].append(goal_id)
    for user_id in range(3, world.size.users + 1):
        if user_id != 3 and rng.random() > 0.3:
            continue
        school = world.user_school[user_id]
        for _ in range(rng.randint(1, 2)):
            goal_id = world.ids.next("pop_goal")
            topic = rng.randrange(len(dutch.TOPICS))
            description = dutch.paragraph(rng, topic, 2)
            shared = rng.random() < 0.5 or user_id == 3
            w.add(
                "pop_goal",
                id=goal_id,
                user_id=user_id,
                title=f"Ik wil beter worden in {dutch.TOPICS[topic][0]}",
                description=description,
                description_html=dutch.html(description),
                domain=rng.choice(["subject_matter", "subject_teaching", "pedagogy"]),
                target_date=(ANCHOR + timedelta(days=200)).date(),
                status=rng.choice(["planned", "in_progress", "achieved"]),
                school_goal_id=rng.choice(school_goals[school]) if rng.random() < 0.5 else None,
                shared_at=ANCHOR - timedelta(days=20) if shared else None,
                created_at=ANCHOR - timedelta(days=120),
                updated_at=ANCHOR - timedelta(days=20),
            )
            w.add("pop_goal_theme", goal_id=goal_id, theme_id=rng.choice(world.themes))
            w.add(
                "pop_goal_activity",
                goal_id=goal_id,
                kind="community",
                target_id=world.pick_community(),
                created_at=ANCHOR - timedelta(days=100),
            )
            w.add(
                "pop_reflection",
                goal_id=goal_id,
                body=dutch.paragraph(rng, topic, 2),
                body_html="",
                created_at=ANCHOR - timedelta(days=50),
            )
        if rng.random() < 0.5 or user_id == 3:
            w.add("pd_record_sharing", user_id=user_id, shared_at=ANCHOR - timedelta(days=30))
        for number in range(rng.randint(1, 4)):
            day: date = (ANCHOR - timedelta(days=rng.uniform(1, 700))).date()
            w.add(
                "pd_record_entry",
                user_id=user_id,
                source="manual",
                source_id=None,
                title=f"Studiedag {dutch.TOPICS[(user_id + number) % len(dutch.TOPICS)][0]}",
                activity_date=day,
                school_year=f"{day.year if day.month >= 8 else day.year - 1}-{day.year + 1 if day.month >= 8 else day.year}",
                contact_minutes=rng.choice([60, 120, 240]),
                self_study_minutes=rng.choice([0, 60]),
                description="Met het hele team.",
                provider="",
                created_at=ANCHOR - timedelta(days=10),
            )
    for session_id, _community, starts, attended in world.past_sessions:
        day = starts.date()
        for user_id in attended:
            w.add(
                "pd_record_entry",
                user_id=user_id,
                source="live_session",
                source_id=session_id,
                title="Bijeenkomst van de gemeenschap",
                activity_date=day,
                school_year=f"{day.year if day.month >= 8 else day.year - 1}-{day.year + 1 if day.month >= 8 else day.year}",
                contact_minutes=55,
                self_study_minutes=0,
                description="",
                provider="",
                created_at=starts + timedelta(hours=3),
            )


# -- the run ------------------------------------------------------------------------------------


STEPS: list[tuple[str, Callable[[World], None]]] = [
    ("themes", themes),
    ("organisations", organisations),
    ("users", users),
    ("communities", communities),
    ("discussions", discussions),
    ("resources", resources),
    ("live sessions", live),
    ("knowledge outputs", knowledge),
    ("catalogue", catalogue),
    ("learning questions", questions),
    ("pilots", pilots),
    ("session surveys", session_surveys),
    ("development", development),
]


def build_schema(app: Any) -> None:
    """A migrated, empty database: the app's own migrations, search DDL included."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def reset_sequences(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """PostgreSQL: explicit ids leave the sequences behind; move them past the largest id."""
    if connection.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not isinstance(column.type, sa.Integer) or not column.primary_key:
            continue
        # Table names come from the models' metadata, not from input.
        connection.execute(
            sa.select(
                sa.func.setval(
                    sa.func.pg_get_serial_sequence(table.name, "id"),
                    sa.select(sa.func.coalesce(sa.func.max(column), 0) + 1).scalar_subquery(),
                    False,
                )
            )
        )


def generate(size: Size, database: str, seed: int) -> dict[str, int]:
    """Build the schema at `database` and fill it; returns the row counts per table."""
    from werkzeug.security import check_password_hash

    from plc import create_app
    from plc.extensions import db

    started = time.perf_counter()
    os.environ["DATABASE_URL"] = database
    app = create_app({"PLC_ENV": "development", "SECRET_KEY": "bench"})
    build_schema(app)
    progress("schema migrated", started)
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            if connection.exec_driver_sql("SELECT 1 FROM user_account LIMIT 1").first():
                raise SystemExit(f"{database} already holds data: generate into a new database.")
        password_hash = BENCH_PASSWORD_HASH
        if not check_password_hash(password_hash, BENCH_PASSWORD):
            raise SystemExit("BENCH_PASSWORD_HASH does not match BENCH_PASSWORD.")
        with engine.begin() as connection:
            world = World(
                rng=random.Random(seed),
                size=size,
                w=Writer(connection, db.metadata),
                ids=Ids(),
                password_hash=password_hash,
                started=started,
            )
            for name, step in STEPS:
                step(world)
                world.w.flush()
                progress(f"{name} done", started)
            reset_sequences(connection, db.metadata)
        # Fresh statistics, as a database that has grown over years would have.
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        db.session.remove()
        engine.dispose()
    progress(f"done: {sum(world.w.counts.values()):,} rows", started)
    return dict(world.w.counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a new, empty database")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(SIZES[args.size], args.database, args.seed)
    for table in ("user_account", "community", "thread", "post", "knowledge_output", "offering"):
        print(f"  {table:<18} {counts.get(table, 0):>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
