"""The Atom feed of published knowledge outputs (a public contract: /feeds/outputs.atom)."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
import sqlalchemy as sa

from plc.communities.models import Visibility
from plc.extensions import db
from plc.knowledge import feeds, services
from plc.knowledge.models import KnowledgeOutput, OutputType
from plc.resources.models import Licence
from plc.themes.models import Theme

FEED = "/feeds/outputs.atom"
BASE = "https://leernetwerk.example.org"


def _parse(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    parsed = feedparser.parse(response.get_data())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def _titles(client, **args) -> set[str]:
    return {entry.title for entry in _parse(client.get(FEED, query_string=args)).entries}


@pytest.fixture
def school_community(create_user, create_organisation, create_community, give_role):
    """A community owned by a named school, with its owner (a facilitator)."""
    owner = create_user(display_name="Fatima El Amrani")
    school = create_organisation(name="Barlaeus Gymnasium", slug="barlaeus")
    give_role(owner, school)
    community = create_community(owner=owner, organisation=school, name="Rekenen in de onderbouw")
    return community, owner, school


def test_feed_is_valid_atom_with_everything_a_reader_needs(
    client, create_output, create_theme, create_user, add_member, school_community
):
    community, owner, school = school_community
    theme = create_theme(
        "Formatief evalueren", slug="formatief-evalueren", name_en="Formative assessment"
    )
    author = create_user(display_name="Anna de Vries")
    add_member(community, author)
    output = create_output(
        community=community,
        author=author,
        reviewer=owner,
        themes=[theme],
        title="Exit tickets in de brugklas",
        summary="Korte vragen aan het eind van de les.",
        body="Zo **werkt** het.",
        licence=Licence.CC_BY_SA,
        author_ids=[author.id],
        organisation_ids=[school.id],
    )

    response = client.get(FEED)

    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "public" in response.headers["Cache-Control"]
    parsed = _parse(response)
    feed = parsed.feed
    assert parsed.version == "atom10"
    assert feed.title.startswith("Leernetwerk Amsterdam — ")
    assert feed.language == "nl"  # Dutch unless the URL asks for English
    assert feed.id.startswith("tag:leernetwerk.example.org,2026:feeds/outputs")
    assert feed.updated_parsed is not None
    assert feed.author == "Leernetwerk Amsterdam"
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == f"{BASE}/feeds/outputs.atom"
    assert links["alternate"] == f"{BASE}/kennisbank"

    [entry] = parsed.entries
    assert entry.id == f"tag:leernetwerk.example.org,2026:knowledge-output/{output.id}"
    assert entry.title == "Exit tickets in de brugklas"
    assert entry.summary == "Korte vragen aan het eind van de les."
    [content] = entry.content
    assert content.type == "text/html" and "<strong>werkt</strong>" in content.value
    assert entry.link == f"{BASE}/kennisbank/{output.slug}"
    assert [(link.rel, link.type) for link in entry.links] == [("alternate", "text/html")]
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    assert [a.name for a in entry.authors] == ["Anna de Vries"]
    assert [c.name for c in entry.contributors] == ["Barlaeus Gymnasium"]
    themes = [t for t in entry.tags if t.scheme.endswith(":theme")]
    assert [(t.term, t.label) for t in themes] == [("formatief-evalueren", "Formatief evalueren")]
    assert any(t.term == "practice_example" for t in entry.tags)
    assert entry.rights == "CC BY-SA 4.0"


def test_entries_are_newest_first_with_first_publication_and_revision_dates(client, create_output):
    older = create_output(title="Eerder")
    newer = create_output(title="Later")
    first = older.published_at
    db.session.execute(
        sa.update(KnowledgeOutput)
        .where(KnowledgeOutput.id == older.id)
        .values(published_at=first - timedelta(days=10), revised_at=first - timedelta(days=2))
    )
    db.session.commit()

    parsed = _parse(client.get(FEED))

    assert [e.title for e in parsed.entries] == [newer.title, older.title]
    revised = parsed.entries[1]
    assert revised.published_parsed[:3] == (first - timedelta(days=10)).utctimetuple()[:3]
    assert revised.updated_parsed[:3] == (first - timedelta(days=2)).utctimetuple()[:3]


def test_each_filter_narrows_the_feed_and_names_itself_in_the_title(
    client, create_output, create_theme, create_community, school_community
):
    community, owner, school = school_community
    theme = create_theme(
        "Formatief evalueren", slug="formatief-evalueren", name_en="Formative assessment"
    )
    other_theme = create_theme("Burgerschap", slug="burgerschap")
    create_output(
        community=community,
        reviewer=owner,
        themes=[theme],
        title="A",
        organisation_ids=[school.id],
        output_type=OutputType.GUIDELINE,
    )
    create_output(community=community, reviewer=owner, themes=[other_theme], title="B")
    create_output(community=create_community(), themes=[theme], title="C")

    assert _titles(client) == {"A", "B", "C"}
    assert _titles(client, theme="formatief-evalueren") == {"A", "C"}
    assert _titles(client, community=community.slug) == {"A", "B"}
    assert _titles(client, organisation="barlaeus") == {"A"}
    assert _titles(client, type="guideline") == {"A"}
    assert _titles(client, theme="formatief-evalueren", community=community.slug) == {"A"}

    parsed = _parse(client.get(FEED, query_string={"theme": "formatief-evalueren"}))
    assert parsed.feed.title.endswith(" Formatief evalueren")
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links["self"] == f"{BASE}/feeds/outputs.atom?theme=formatief-evalueren"
    assert links["alternate"] == f"{BASE}/kennisbank?thema=formatief-evalueren"
    assert parsed.feed.id.endswith("feeds/outputs?theme=formatief-evalueren")

    english = _parse(
        client.get(
            FEED,
            query_string={
                "theme": "formatief-evalueren",
                "community": community.slug,
                "lang": "en",
            },
        )
    )
    assert english.feed.language == "en"
    assert english.feed.title == (
        "Leernetwerk Amsterdam — knowledge on Formative assessment from Rekenen in de onderbouw"
    )
    links = {link.rel: link.href for link in english.feed.links}
    assert links["self"] == (
        f"{BASE}/feeds/outputs.atom?theme=formatief-evalueren&community={community.slug}&lang=en"
    )


@pytest.mark.parametrize(
    "args",
    [
        {"theme": "bestaat-niet"},
        {"community": "bestaat-niet"},
        {"organisation": "bestaat-niet"},
        {"type": "roman"},
        {"lang": "fr"},
    ],
)
def test_unknown_filter_values_answer_404(client, args):
    assert client.get(FEED, query_string=args).status_code == 404


def test_an_invite_only_community_is_not_revealed(client, create_community):
    hidden = create_community(visibility=Visibility.INVITE)
    assert client.get(FEED, query_string={"community": hidden.slug}).status_code == 404


def test_drafts_reviews_withdrawn_and_invite_only_outputs_are_absent(
    client, create_output, create_community, school_community
):
    community, owner, _school = school_community
    create_output(community=community, reviewer=owner, title="Gepubliceerd")
    create_output(community=community, reviewer=owner, title="Concept", state="draft")
    create_output(community=community, reviewer=owner, title="In review", state="in_review")
    gone = create_output(community=community, reviewer=owner, title="Ingetrokken")
    services.withdraw(gone, owner, "Verouderd.")
    db.session.commit()
    create_output(community=create_community(visibility=Visibility.INVITE), title="Besloten")

    assert _titles(client) == {"Gepubliceerd"}


def test_a_conditional_request_answers_304_until_something_changes(
    client, create_output, school_community
):
    community, owner, _school = school_community
    create_output(community=community, reviewer=owner, title="Eerste")
    first = client.get(FEED)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    again = client.get(FEED, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(FEED, headers={"If-Modified-Since": modified}).status_code == 304
    # Another filter is another document.
    other = client.get(FEED, query_string={"community": community.slug})
    assert other.headers["ETag"] != etag

    gone = create_output(community=community, reviewer=owner, title="Tweede")
    changed = client.get(FEED, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    # A withdrawal changes the feed as well, also for clients that only send a date.
    etag = changed.headers["ETag"]
    services.withdraw(gone, owner, "Fout.")
    db.session.commit()
    assert client.get(FEED, headers={"If-None-Match": etag}).status_code == 200


def test_the_feed_holds_the_newest_fifty(client, create_output, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    for title in ("Een", "Twee", "Drie"):
        create_output(title=title)
    assert [e.title for e in _parse(client.get(FEED)).entries] == ["Drie", "Twee"]


def test_a_video_or_podcast_is_a_related_link(client, create_output):
    output = create_output(output_type=OutputType.MEDIA_LINK, media_url="https://video.example/1")
    [entry] = _parse(client.get(FEED)).entries
    links = {link.rel: link.href for link in entry.links}
    assert links == {
        "alternate": f"{BASE}/kennisbank/{output.slug}",
        "related": "https://video.example/1",
    }


def test_a_control_character_in_a_title_does_not_break_the_feed(client, create_output):
    output = create_output(title="Titel")
    output.title = "Titel\x0bmet teken"
    db.session.commit()
    assert _titles(client) == {"Titelmet teken"}


def test_statements_do_not_grow_with_the_entries(
    client, create_output, create_theme, count_queries, school_community
):
    community, owner, school = school_community
    slug = create_theme().slug
    theme = db.session.scalar(sa.select(Theme).where(Theme.slug == slug))

    def statements() -> int:
        with count_queries() as counted:
            assert client.get(FEED, query_string={"theme": slug}).status_code == 200
        return counted.count

    def add(n: int) -> None:
        for _ in range(n):
            create_output(
                community=community, reviewer=owner, themes=[theme], organisation_ids=[school.id]
            )

    add(3)
    few = statements()
    add(27)
    assert len(_parse(client.get(FEED)).entries) == 30
    assert statements() == few
    assert few <= 10
