"""The school dashboard lists the newest outputs the school contributed to, not all of them: a
large school has hundreds a year, and the page should not grow with them. The reader sees how
many there are and can ask for the whole list."""

from __future__ import annotations

import re
from datetime import timedelta

from plc.dashboards import services
from plc.extensions import db


def listed_titles(page: str) -> list[str]:
    section = page.split('id="outputs-title"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="/kennisbank/[^"]+">([^<]+)</a>', section)


def test_the_newest_outputs_are_listed_with_a_link_to_all(
    world, add_teachers, add_member, create_output, login_client, monkeypatch
):
    monkeypatch.setattr(services, "LISTED_OUTPUTS", 2)
    author = add_teachers(world.school, 1)[0]
    add_member(world.community, author)
    start = world.year.starts_at + timedelta(days=20)
    for n, title in enumerate(["Oudste uitgave", "Middelste uitgave", "Nieuwste uitgave"]):
        output = create_output(world.community, author=author, title=title)
        output.published_at = start + timedelta(days=n)
    db.session.commit()
    client = login_client(world.leader)

    page = client.get(f"/dashboard/school/{world.school.slug}").get_data(as_text=True)
    assert listed_titles(page) == ["Nieuwste uitgave", "Middelste uitgave"]
    link = re.search(r'<a href="([^"]+)">Show all 3 outputs \(1 more\)</a>', page)
    assert link is not None

    everything = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert listed_titles(everything) == ["Nieuwste uitgave", "Middelste uitgave", "Oudste uitgave"]
    assert "Show all" not in everything


def test_no_link_when_every_output_is_listed(
    world, add_teachers, add_member, create_output, login_client
):
    author = add_teachers(world.school, 1)[0]
    add_member(world.community, author)
    create_output(world.community, author=author, title="Exit tickets")
    db.session.commit()

    page = login_client(world.leader).get(f"/dashboard/school/{world.school.slug}")
    text = page.get_data(as_text=True)
    assert listed_titles(text) == ["Exit tickets"]
    assert "Show all" not in text
