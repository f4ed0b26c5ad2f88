"""The school dashboard's long lists (the outputs the school contributed to, the goals and the
records its teachers share, its learning questions) show their first items, not all of them: a
large school has hundreds of outputs a year and a hundred teachers sharing, and the page should
not grow with them. The reader sees how many there are and can ask for each whole list, and the
lists asked for stay whole."""

from __future__ import annotations

import re
from datetime import timedelta

from plc.core.models import utcnow
from plc.dashboards import services
from plc.development.models import PersonalGoal, RecordSharing
from plc.extensions import db


def listed_titles(page: str) -> list[str]:
    section = page.split('id="outputs-title"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="/kennisbank/[^"]+">([^<]+)</a>', section)


def test_the_newest_outputs_are_listed_with_a_link_to_all(
    world, add_teachers, add_member, create_output, login_client, monkeypatch
):
    monkeypatch.setattr(services, "LISTED", 2)
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


def _section(page: str, anchor: str, end: str) -> str:
    return page.split(f'id="{anchor}"', 1)[1].split(end, 1)[0]


def _show_all(page: str, text: str) -> str:
    link = re.search(rf'<a href="([^"]+)">{re.escape(text)}</a>', page)
    assert link is not None, text
    return link.group(1).replace("&amp;", "&")


def test_shared_goals_and_records_list_the_first_few_with_links_to_all(
    world, add_teachers, login_client, monkeypatch
):
    monkeypatch.setattr(services, "LISTED", 2)
    teachers = add_teachers(world.school, 3)
    for n, (teacher, name) in enumerate(zip(teachers, ["Cas", "Anna", "Bram"], strict=True)):
        teacher.display_name = name
        db.session.add(RecordSharing(user_id=teacher.id, shared_at=utcnow()))
        goal = PersonalGoal(user_id=teacher.id, title=f"Doel {name}")
        goal.shared_at = world.year.starts_at + timedelta(days=n)  # Cas's first, Bram's last
        db.session.add(goal)
    db.session.commit()
    client = login_client(world.leader)

    page = client.get(f"/dashboard/school/{world.school.slug}").get_data(as_text=True)
    goals = _section(page, "shared-goals-title", "</table>")
    assert re.findall(r"Doel \w+", goals) == ["Doel Bram", "Doel Anna"]  # the newest shared
    records = _section(page, "shared-records-title", "</ul>")
    assert re.findall(r'">(\w+)</a>', records) == ["Anna", "Bram"]  # by name
    all_goals = _show_all(page, "Show all 3 shared goals (1 more)")
    all_records = _show_all(page, "Show all 3 teachers (1 more)")

    everything = client.get(all_goals).get_data(as_text=True)
    goals = _section(everything, "shared-goals-title", "</table>")
    assert re.findall(r"Doel \w+", goals) == ["Doel Bram", "Doel Anna", "Doel Cas"]
    assert "shared goals (" not in everything
    # Asking for the other list keeps this one whole.
    both = client.get(_show_all(everything, "Show all 3 teachers (1 more)")).get_data(as_text=True)
    assert re.findall(r"Doel \w+", _section(both, "shared-goals-title", "</table>")) == [
        "Doel Bram",
        "Doel Anna",
        "Doel Cas",
    ]
    assert re.findall(r'">(\w+)</a>', _section(both, "shared-records-title", "</ul>")) == [
        "Anna",
        "Bram",
        "Cas",
    ]
    assert "Show all" not in both
    assert "#shared-records-title" in all_records


def test_learning_questions_list_the_newest_with_a_link_to_all(
    world, create_question, login_client, monkeypatch
):
    monkeypatch.setattr(services, "LISTED", 2)
    for n, title in enumerate(["Oudste vraag", "Middelste vraag", "Nieuwste vraag"]):
        question = create_question(author=world.leader, school=world.school, title=title)
        question.created_at = world.year.starts_at + timedelta(days=n)
    db.session.commit()
    client = login_client(world.leader)

    def titles(page: str) -> list[str]:
        return re.findall(r"(\w+ vraag)</a>", _section(page, "questions-title", "</table>"))

    page = client.get(f"/dashboard/school/{world.school.slug}").get_data(as_text=True)
    assert titles(page) == ["Nieuwste vraag", "Middelste vraag"]
    everything = client.get(_show_all(page, "Show all 3 learning questions (1 more)"))
    assert titles(everything.get_data(as_text=True)) == [
        "Nieuwste vraag",
        "Middelste vraag",
        "Oudste vraag",
    ]
