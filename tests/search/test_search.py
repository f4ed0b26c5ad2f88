"""Site-wide search respects access: nothing from a community a person may not read."""

from __future__ import annotations

import pytest

from plc.communities.models import MemberRole, Visibility
from plc.communities.services import access_for
from plc.discussions import services as discussions
from plc.extensions import db
from plc.resources.models import Resource, ResourceKind

ROLES = ["anonymous", "outsider", "member", "admin"]


@pytest.fixture
def world(create_user, create_community, add_member):
    owner = create_user()
    member = create_user()
    people = {
        "owner": owner,
        "member": member,
        "outsider": create_user(),
        "admin": create_user(is_admin=True),
    }
    for visibility in (Visibility.PUBLIC, Visibility.REQUEST, Visibility.INVITE):
        community = create_community(
            owner=owner, visibility=visibility, name=f"Kring {visibility.value}"
        )
        add_member(community, member, MemberRole.MEMBER)
        access = access_for(community, owner)
        thread = discussions.start_thread(
            community, access, owner, f"Zuurstofmeter {visibility.value}", "Opening"
        )
        discussions.reply(
            thread, community, access, owner, f"Titratie uitleggen {visibility.value}"
        )
        db.session.add(
            Resource(
                community_id=community.id,
                kind=ResourceKind.LINK,
                title=f"Pipetteren {visibility.value}",
                url="https://example.org/x",
                created_by_id=owner.id,
            )
        )
        db.session.commit()
    return people


def _page(role, people, client, login_client, query):
    browser = client if role == "anonymous" else login_client(people[role])
    return browser.get(f"/zoeken?q={query}").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("query", ["zuurstofmeter", "titratie", "pipetteren"])
def test_results_only_from_readable_communities(role, query, world, client, login_client):
    page = _page(role, world, client, login_client, query)
    readers = {"public": ROLES, "request": ["member", "admin"], "invite": ["member", "admin"]}
    for visibility, allowed in readers.items():
        # A post match shows its thread's title.
        shown = {
            "zuurstofmeter": "Zuurstofmeter",
            "titratie": "Zuurstofmeter",
            "pipetteren": "Pipetteren",
        }
        assert (f"{shown[query]} {visibility}" in page) == (role in allowed), (
            role,
            query,
            visibility,
        )


def test_hidden_and_deleted_posts_are_not_found(world, client, login_client):
    import sqlalchemy as sa

    from plc.discussions.models import Post

    post = db.session.scalars(sa.select(Post).where(Post.body == "Titratie uitleggen public")).one()
    post.hidden_at = post.created_at
    db.session.commit()
    assert "Zuurstofmeter public" not in client.get("/zoeken?q=titratie").get_data(as_text=True)
    assert "Zuurstofmeter public" in client.get("/zoeken?q=zuurstofmeter").get_data(as_text=True)


def test_empty_query_shows_only_the_form(client):
    page = client.get("/zoeken").get_data(as_text=True)
    assert 'name="q"' in page and "Nothing found" not in page and "Niets gevonden" not in page


def test_published_knowledge_is_found_by_everyone_and_drafts_by_nobody(
    create_output, create_community, client
):
    create_output(title="Zuurstofmeter in de klas", summary="Meten met leerlingen.")
    create_output(title="Zuurstofmeter als concept", state="draft")
    hidden = create_community(visibility=Visibility.INVITE)
    create_output(community=hidden, title="Zuurstofmeter in besloten kring")
    page = client.get("/zoeken?q=zuurstofmeter").get_data(as_text=True)
    assert "Zuurstofmeter in de klas" in page and "Meten met leerlingen." in page
    assert "/kennisbank/zuurstofmeter-in-de-klas" in page
    assert "Zuurstofmeter als concept" not in page
    assert "Zuurstofmeter in besloten kring" not in page
