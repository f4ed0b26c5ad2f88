"""Demo discussions: threads with replies, quotes, mentions, answers and "useful" reactions.

Written through the discussion services, so counters, follows and notifications hold as in real
use. Replies come from the community's own members; the demo facilitator and teacher take part.
"""

from __future__ import annotations

import sqlalchemy as sa

from plc.communities.models import Community
from plc.communities.services import access_for, active_members
from plc.discussions import services
from plc.extensions import db

#: (community name starts with, thread title, opening post, replies; "@" marks a mention).
CONVERSATIONS = [
    (
        "Formatief evalueren",
        "Hoe maak je succescriteria samen met leerlingen?",
        "In mijn brugklas werk ik met leerdoelen op het bord, maar de **succescriteria** blijven vaag. "
        "Wie heeft ervaring met criteria die je *samen* met de klas opstelt?",
        [
            "Wij laten leerlingen eerst twee voorbeelden vergelijken: een sterk en een zwak antwoord. "
            "Daarna formuleren ze zelf wat het sterke antwoord beter maakt. Dat wordt de lijst.",
            "Mooi idee. Ik plak die lijst daarna achter in hun schrift, zodat ze er bij elke opdracht naar kunnen kijken.",
            "Bij ons werkt het goed om per les maximaal drie criteria te kiezen. Meer onthouden ze niet.",
        ],
    ),
    (
        "Formatief evalueren",
        "Exit tickets: papier of digitaal?",
        "We willen in de sectie allemaal exit tickets gaan gebruiken. Wat werkt bij jullie beter: "
        "briefjes of een digitale tool?",
        [
            "Papier. Ik sorteer ze na de les in drie stapels en begin de volgende les met de middelste stapel.",
            "Digitaal scheelt tijd bij het nakijken, maar je verliest het gesprek aan de deur. Ik wissel af.",
        ],
    ),
    (
        "Begrijpend lezen",
        "Welke teksten gebruiken jullie in groep 6?",
        "De methodeteksten vinden mijn leerlingen saai. Zijn er mensen die met rijke teksten werken, "
        "bijvoorbeeld uit zaakvakken of de krant?",
        [
            "Wij gebruiken Kidsweek en teksten uit de wereldoriëntatie-methode. Het gesprek over de tekst "
            "is belangrijker dan de vragen erna.",
            "Probeer eens een reeks teksten over één onderwerp. Dan bouwen ze kennis op en lezen ze steeds beter.",
        ],
    ),
    (
        "Startende leraren",
        "Orde houden in het laatste uur",
        "Het zevende uur op vrijdag is bij mij altijd onrustig. Tips van ervaren collega's?",
        [
            "Begin met een korte, duidelijke taak die ze zelfstandig kunnen. Dan heb jij even de tijd om rond te lopen.",
            "En spreek met je mentor af dat je een keer bij elkaar in de les kijkt. Dat helpt meer dan tips.",
        ],
    ),
]


def load() -> str:
    threads = posts = 0
    for prefix, title, opening, replies in CONVERSATIONS:
        community = db.session.scalar(sa.select(Community).where(Community.name.startswith(prefix)))
        if community is None:
            continue
        people = active_members(community)
        if len(people) < 2:
            continue
        author = people[1 % len(people)]
        thread = services.start_thread(
            community, access_for(community, author), author, title, opening
        )
        threads += 1
        previous = None
        for n, text in enumerate(replies):
            person = people[(n + 2) % len(people)]
            if person.id == author.id:
                person = people[0]
            if n == 1 and previous is not None and previous.author is not None:
                text = f"@{previous.author.display_name} {text}"  # a mention
            previous = services.reply(
                thread, community, access_for(community, person), person, text
            )
            posts += 1
            if n == 0:
                services.mark_answer(thread, previous, access_for(community, author), author)
                services.toggle_useful(previous, access_for(community, author), author)
        db.session.flush()
    return f"Discussions: {threads} threads, {posts} replies"
