"""Matching learning questions with offerings, communities and knowledge outputs: the score's
reasons, the labelled set and its precision@3, the reverse direction, new-match notifications
(announced once), the any-word search mode, and statement counts that do not grow with data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from plc.auth.forms import career_stage_label, school_type_label
from plc.auth.models import CareerStage, SchoolType
from plc.catalogue import matching
from plc.catalogue import services as catalogue
from plc.catalogue.models import MatchKind, QuestionMatch
from plc.core.models import utcnow
from plc.core.search import match_terms, search_subquery
from plc.extensions import db
from plc.notifications.models import Notification, NotificationKind
from plc.themes.models import CompetenceDomain

PO, VO = SchoolType.PRIMARY, SchoolType.SECONDARY
STARTER, EXPERIENCED, EXPERT = CareerStage.STARTER, CareerStage.EXPERIENCED, CareerStage.EXPERT
TEACHING, PEDAGOGY, MATTER = (
    CompetenceDomain.SUBJECT_TEACHING,
    CompetenceDomain.PEDAGOGY,
    CompetenceDomain.SUBJECT_MATTER,
)

THEMES = {
    "formatief": "Formatief evalueren",
    "differentieren": "Differentiëren",
    "lezen": "Taal en lezen",
    "rekenen": "Rekenen en wiskunde",
    "meertaligheid": "Meertaligheid en NT2",
    "gedrag": "Gedrag en klassenmanagement",
    "starters": "Begeleiden van starters",
    "veiligheid": "Sociale veiligheid",
    "ai": "AI in het onderwijs",
    "digitaal": "Digitale geletterdheid",
    "burgerschap": "Burgerschap",
    "ouders": "Ouderbetrokkenheid",
    "passend": "Passend onderwijs",
    "onderzoek": "Onderzoek in de school",
    "kansen": "Kansengelijkheid",
}

# (key, title, summary, themes, career stages, school types, domains)
OFFERINGS: list[tuple[str, str, str, list[str], list[Any], list[Any], list[Any]]] = [
    (
        "feedback",
        "Feedback die werkt: formatief evalueren in de onderbouw",
        "Leerdoelen, succescriteria en feedback waar leerlingen zelf mee verder kunnen.",
        ["formatief"],
        [EXPERIENCED],
        [VO],
        [TEACHING],
    ),
    (
        "rekentoets",
        "Formatief toetsen in het rekenonderwijs",
        "Tussentijds zien waar je groep staat met korte rekentoetsen en rekengesprekken.",
        ["formatief", "rekenen"],
        [],
        [PO],
        [TEACHING],
    ),
    (
        "exit",
        "Exit tickets en directe feedback in elke les",
        "Snel nagaan wat leerlingen begrepen hebben en je instructie daarop aanpassen.",
        ["formatief"],
        [],
        [],
        [TEACHING],
    ),
    (
        "differentieren-rekenen",
        "Differentiëren in de rekenles",
        "Convergent differentiëren met het drieslagmodel in groep 5 tot en met 8.",
        ["differentieren", "rekenen"],
        [],
        [PO],
        [TEACHING],
    ),
    (
        "verschillen",
        "Omgaan met verschillen in de klas",
        "Instructie op drie niveaus in het voortgezet onderwijs, zonder drie lessen voor te bereiden.",
        ["differentieren"],
        [],
        [VO],
        [PEDAGOGY],
    ),
    (
        "begrijpend",
        "Begrijpend lezen in groep 5 tot en met 8",
        "Teksten kiezen, voorspellen en samenvatten: strategieën die werken.",
        ["lezen"],
        [],
        [PO],
        [TEACHING],
    ),
    (
        "leesmotivatie",
        "Leesmotivatie bij pubers",
        "Vrij lezen, boekgesprekken en leesbevordering voor havo en vwo.",
        ["lezen"],
        [],
        [VO],
        [TEACHING],
    ),
    (
        "nt2",
        "NT2 in de klas: taalsteun voor nieuwkomers",
        "Instructie begrijpelijk maken voor leerlingen die net Nederlands leren.",
        ["meertaligheid"],
        [],
        [PO, VO],
        [TEACHING],
    ),
    (
        "meertalig",
        "Meertaligheid als kracht in de les",
        "De thuistaal van nieuwkomers en andere meertalige leerlingen benutten.",
        ["meertaligheid", "kansen"],
        [],
        [],
        [PEDAGOGY],
    ),
    (
        "rust",
        "Rust in de klas: klassenmanagement voor startende leraren",
        "Orde, routines en een goede start van de les voor wie net begint.",
        ["gedrag", "starters"],
        [STARTER],
        [],
        [PEDAGOGY],
    ),
    (
        "deescaleren",
        "Lastig gedrag de-escaleren",
        "Wat te doen als een onrustige klas of leerling ontspoort.",
        ["gedrag", "veiligheid"],
        [EXPERIENCED],
        [],
        [PEDAGOGY],
    ),
    (
        "schoolopleider",
        "Coaching van stagiairs en startende leraren voor schoolopleiders",
        "Begeleidingsgesprekken, lesbezoeken en feedback voor schoolopleiders en werkplekbegeleiders.",
        ["starters"],
        [EXPERT],
        [],
        [PEDAGOGY],
    ),
    (
        "pesten",
        "Pesten aanpakken in de school",
        "Een schoolbrede aanpak van pesten en sociale veiligheid in de brugklas en daarna.",
        ["veiligheid"],
        [],
        [VO],
        [PEDAGOGY],
    ),
    (
        "chatgpt",
        "ChatGPT en AI bij schrijfopdrachten",
        "Verantwoord en didactisch sterk AI inzetten bij schrijven en opdrachten ontwerpen.",
        ["ai", "digitaal"],
        [],
        [VO],
        [TEACHING],
    ),
    (
        "digitaal-po",
        "Digitale geletterdheid in het basisonderwijs",
        "Programmeren, mediawijsheid en computational thinking in groep 1 tot en met 8.",
        ["digitaal"],
        [],
        [PO],
        [MATTER],
    ),
    (
        "polarisatie",
        "Het goede gesprek over polarisatie",
        "Burgerschap in de les: moeilijke gesprekken over actualiteit voeren.",
        ["burgerschap", "veiligheid"],
        [],
        [VO],
        [PEDAGOGY],
    ),
    (
        "oudergesprek",
        "Ouders als partner: oudergesprekken voeren",
        "Ouders betrekken bij het leren van hun kind, ook als dat lastig is.",
        ["ouders"],
        [],
        [PO],
        [PEDAGOGY],
    ),
    (
        "hgw",
        "Handelingsgericht werken in passend onderwijs",
        "Onderwijsbehoeften in beeld en een groepsplan dat in de praktijk werkt.",
        ["passend", "differentieren"],
        [],
        [PO],
        [PEDAGOGY],
    ),
    (
        "praktijkonderzoek",
        "Praktijkonderzoek opzetten in je school",
        "Een onderzoeksvraag formuleren, data verzamelen en samen conclusies trekken.",
        ["onderzoek"],
        [EXPERT],
        [],
        [PEDAGOGY],
    ),
    (
        "breuken",
        "Rekendidactiek: breuken en verhoudingen",
        "Vakinhoud en didactiek van breuken, procenten en verhoudingen.",
        ["rekenen"],
        [],
        [PO],
        [MATTER],
    ),
    (
        "adhd",
        "Executieve functies en ADHD in de klas",
        "Leerlingen met ADHD helpen plannen, starten en bij de les blijven.",
        ["passend", "gedrag"],
        [],
        [],
        [PEDAGOGY],
    ),
    (
        "ouders-meertalig",
        "Gesprekken met ouders over meertalig opvoeden",
        "Ouders adviseren over thuistaal en Nederlands.",
        ["ouders", "meertaligheid"],
        [],
        [PO],
        [PEDAGOGY],
    ),
]

# (title, body, themes, career stage, school type, domain, offerings that should come first)
QUESTIONS: list[tuple[str, str, list[str], Any, Any, Any, set[str]]] = [
    (
        "Hoe geef ik feedback waar leerlingen echt iets mee doen?",
        "Ik schrijf veel feedback bij toetsen maar leerlingen lezen het niet. Ik wil formatief "
        "werken in mijn onderbouwklassen.",
        ["formatief"],
        EXPERIENCED,
        VO,
        TEACHING,
        {"feedback", "exit"},
    ),
    (
        "Differentiëren in de rekenles in groep 6",
        "De verschillen in mijn groep zijn groot. Hoe geef ik rekeninstructie op meerdere niveaus?",
        ["differentieren"],
        None,
        PO,
        None,
        {"differentieren-rekenen", "breuken", "rekentoets"},
    ),
    (
        "Mijn leerlingen lezen niet graag",
        "Hoe krijg ik pubers in havo 3 weer aan het lezen? De leesmotivatie is laag.",
        ["lezen"],
        None,
        VO,
        None,
        {"leesmotivatie"},
    ),
    (
        "Orde houden in een onrustige klas",
        "Ik ben net begonnen als leraar en mijn klas is erg onrustig. Hoe zorg ik voor rust?",
        ["gedrag"],
        STARTER,
        None,
        PEDAGOGY,
        {"rust", "deescaleren"},
    ),
    (
        "Nieuwkomers begrijpen mijn instructie niet",
        "In mijn groep zitten drie nieuwkomers die nog weinig Nederlands spreken.",
        ["meertaligheid"],
        None,
        PO,
        None,
        {"nt2", "meertalig"},
    ),
    (
        "Hoe zet ik AI verantwoord in bij schrijfopdrachten?",
        "Leerlingen gebruiken ChatGPT voor hun opdrachten. Hoe ontwerp ik opdrachten waarbij AI "
        "helpt in plaats van het denken overneemt?",
        [],
        None,
        VO,
        None,
        {"chatgpt"},
    ),
    (
        "Pesten in de brugklas aanpakken",
        "Er wordt gepest in mijn mentorklas, ook online. Wat kan ik als mentor doen?",
        ["veiligheid", "burgerschap"],
        None,
        VO,
        None,
        {"pesten"},
    ),
    (
        "Stagiairs en starters goed begeleiden",
        "Ik ben schoolopleider en wil beter worden in begeleidingsgesprekken en lesbezoeken.",
        ["starters"],
        EXPERT,
        None,
        None,
        {"schoolopleider"},
    ),
    (
        "Leerlingen met ADHD bij de les houden",
        "Twee leerlingen met ADHD raken steeds de draad kwijt. Hoe help ik ze plannen?",
        ["gedrag"],
        None,
        None,
        PEDAGOGY,
        {"adhd", "hgw"},
    ),
    (
        "Ouders betrekken bij het leren van hun kind",
        "Veel ouders komen niet naar oudergesprekken. Hoe bereik ik ze beter?",
        ["ouders"],
        None,
        PO,
        None,
        {"oudergesprek"},
    ),
]

#: The figure the labelled set reaches (see docs/MATCHING.md); the test keeps it from dropping.
PRECISION_AT_3_FLOOR = 0.75


@pytest.fixture
def labelled(create_theme, create_provider, create_offering, create_user, create_question):
    themes = {key: create_theme(name, slug=key) for key, name in THEMES.items()}
    provider, staff = create_provider()
    offerings = {}
    for key, title, summary, keys, stages, types, domains in OFFERINGS:
        offerings[key] = create_offering(
            provider,
            staff,
            themes=[themes[k] for k in keys],
            title=title,
            summary=summary,
            career_stages=stages,
            school_types=types,
            domains=domains,
        )
    asker = create_user()
    questions = []
    for title, body, keys, stage, school_type, domain, relevant in QUESTIONS:
        question = create_question(
            author=asker,
            themes=[themes[k] for k in keys],
            title=title,
            body=body,
            career_stage=stage,
            school_type=school_type,
            domain=domain,
        )
        questions.append((question, relevant))
    return {"themes": themes, "offerings": offerings, "asker": asker, "questions": questions}


def precision_at_3(labelled: dict[str, Any]) -> tuple[float, list[str]]:
    """Mean over the questions of (relevant offerings among the first three) / min(3, relevant):
    1.0 means every question's relevant offerings fill its top three as far as they can."""
    key_of = {o.id: key for key, o in labelled["offerings"].items()}
    scores, misses = [], []
    for question, relevant in labelled["questions"]:
        top = [
            key_of[s.target.id]
            for s in matching.suggestions_for(question, labelled["asker"]).offerings
        ]
        hits = len(set(top[:3]) & relevant)
        scores.append(hits / min(3, len(relevant)))
        if hits < min(3, len(relevant)):
            misses.append(f"{question.title}: got {top}, wanted {sorted(relevant)}")
    return sum(scores) / len(scores), misses


def test_precision_at_3_on_the_labelled_set(labelled, record_property) -> None:
    figure, misses = precision_at_3(labelled)
    record_property("precision_at_3", round(figure, 3))
    print(f"\nprecision@3 = {figure:.3f} on {len(QUESTIONS)} questions ({db.engine.dialect.name})")
    for miss in misses:
        print("  miss:", miss)
    assert figure >= PRECISION_AT_3_FLOOR, misses


def test_each_suggestion_says_why(labelled) -> None:
    question, _relevant = labelled["questions"][0]
    found = matching.suggestions_for(question, labelled["asker"])
    first = found.offerings[0]
    assert first.target.title.startswith("Feedback die werkt")
    said = matching.reasons(first, question, "nl")
    assert "zelfde thema: Formatief evalueren" in said
    assert f"voor: {career_stage_label(EXPERIENCED)}" in said  # "voor: Ervaren leraar"
    assert f"voor: {school_type_label(VO)}" in said
    assert any(reason.startswith("woorden gemeen:") and "feedback" in reason for reason in said)
    assert first.score > found.offerings[-1].score or len(found.offerings) == 1


def test_words_alone_can_suggest_and_unrelated_things_do_not_appear(
    create_theme, create_offering, create_question, create_user
) -> None:
    lonely = create_theme("Iets anders")
    asker = create_user()
    question = create_question(
        author=asker, themes=[lonely], title="Leesmotivatie van pubers", body="Boekgesprekken?"
    )
    by_words = create_offering(
        themes=[create_theme()], title="Boekgesprekken en leesmotivatie bij pubers"
    )
    create_offering(themes=[create_theme()], title="Breuken en verhoudingen")
    found = matching.suggestions_for(question, asker).offerings
    assert [s.target.id for s in found] == [by_words.id]
    assert found[0].shared_theme_ids == []
    assert set(found[0].words) >= {"leesmotivatie", "boekgesprekken", "pubers"}
    # two words in common by chance are not enough without a shared theme
    by_words.title = "Boekgesprekken en leesmotivatie"
    db.session.commit()
    assert matching.suggestions_for(question, asker).offerings == []


def test_past_drafts_and_cancelled_offerings_are_not_suggested(
    create_theme, create_offering, create_question, create_user
) -> None:
    theme = create_theme()
    asker = create_user()
    question = create_question(author=asker, themes=[theme])
    create_offering(themes=[theme], publish=False)
    past = create_offering(themes=[theme])
    past.starts_at = utcnow() - timedelta(days=1)
    cancelled = create_offering(themes=[theme])
    catalogue.cancel_offering(cancelled, cancelled.created_by, "Te weinig aanmeldingen")
    db.session.commit()
    assert matching.suggestions_for(question, asker).offerings == []


def test_communities_and_outputs_are_suggested_within_what_the_asker_may_see(
    create_theme, create_community, create_output, create_question, create_user
) -> None:
    from plc.communities.models import Visibility

    theme = create_theme("Formatief evalueren")
    asker = create_user()
    question = create_question(author=asker, themes=[theme], title="Feedback geven")
    public = create_community(name="PLC Formatief", theme_ids=[theme.id])
    create_community(name="Geheime PLC", theme_ids=[theme.id], visibility=Visibility.INVITE)
    output = create_output(themes=[theme], title="Feedback in de praktijk")
    found = matching.suggestions_for(question, asker)
    assert [s.target.id for s in found.communities] == [public.id]
    assert output.id in [s.target.id for s in found.outputs]


def test_reverse_an_offering_finds_the_open_questions_it_answers(labelled, create_user) -> None:
    offering = labelled["offerings"]["leesmotivatie"]
    reader = create_user()
    found = matching.questions_for_offering(offering, reader)
    assert found and found[0].title == "Mijn leerlingen lezen niet graag"
    assert matching.questions_for_offering(offering, None) == []  # anonymous sees no questions


def test_reverse_hides_questions_the_viewer_may_not_see(
    create_theme, create_offering, create_question, create_user
) -> None:
    from plc.catalogue.models import QuestionVisibility

    theme = create_theme()
    offering = create_offering(themes=[theme])
    asker = create_user()
    private = create_question(author=asker, themes=[theme], visibility=QuestionVisibility.PRIVATE)
    assert matching.questions_for_offering(offering, create_user()) == []
    assert [q.id for q in matching.questions_for_offering(offering, asker)] == [private.id]


# -- new matches reach the asker, once ---------------------------------------------------------


def _new_match_lines(user) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification).where(
                Notification.user_id == user.id, Notification.kind == NotificationKind.NEW_MATCH
            )
        )
    )


def test_a_new_offering_is_announced_to_the_asker_once(
    create_theme, create_offering, create_question, create_user, create_output
) -> None:
    theme = create_theme()
    asker = create_user()
    old = create_offering(themes=[theme])
    question = create_question(author=asker, themes=[theme], title="Hoe werk ik formatief?")
    matching.remember_matches(question)  # what the new question's page showed: known already
    db.session.commit()
    assert matching.notify_new_matches_for_all() == 0
    new = create_offering(themes=[theme])
    output = create_output(themes=[theme])
    assert matching.notify_new_matches_for_all() == 2
    db.session.commit()
    assert matching.notify_new_matches_for_all() == 0  # a second run announces nothing
    db.session.commit()
    lines = _new_match_lines(asker)
    assert len(lines) == 1
    assert lines[0].detail == question.title
    assert lines[0].link == f"/leervragen/{question.id}"
    recorded = set(
        db.session.execute(
            sa.select(QuestionMatch.kind, QuestionMatch.target_id).where(
                QuestionMatch.question_id == question.id
            )
        ).all()
    )
    assert {(MatchKind.OFFERING, old.id), (MatchKind.OFFERING, new.id)} <= recorded
    assert (MatchKind.OUTPUT, output.id) in recorded


def test_send_digests_announces_new_matches(
    app, create_theme, create_offering, create_question, create_user
) -> None:
    theme = create_theme()
    asker = create_user()
    create_question(author=asker, themes=[theme])
    create_offering(themes=[theme])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["plc", "send-digests"]).exit_code == 0
    assert runner.invoke(args=["plc", "send-digests"]).exit_code == 0
    db.session.expire_all()
    assert len(_new_match_lines(asker)) == 1


def test_closed_questions_and_other_peoples_offerings_stay_quiet(
    create_theme, create_offering, create_question, create_user
) -> None:
    from plc.catalogue.models import LearningQuestionStatus

    theme = create_theme()
    asker = create_user()
    question = create_question(author=asker, themes=[theme])
    catalogue.resolve_question(question, asker, LearningQuestionStatus.CLOSED)
    db.session.commit()
    create_offering(themes=[theme])
    assert matching.notify_new_matches_for_all() == 0
    assert _new_match_lines(asker) == []


# -- the any-word mode of the search interface -------------------------------------------------


def test_any_word_mode_matches_one_word_and_keeps_all_words_mode(
    create_offering, create_theme
) -> None:
    theme = create_theme()
    a = create_offering(themes=[theme], title="Leesmotivatie bij pubers")
    b = create_offering(themes=[theme], title="Toetsen en feedback")

    def ids(text: str, any_word: bool) -> set[int]:
        found = search_subquery(catalogue.OFFERING_SEARCH, text, any_word=any_word)
        assert found is not None
        return set(db.session.scalars(sa.select(found.c.id)))

    text = "Hoe verbeter ik de leesmotivatie en het toetsen?"
    assert ids(text, any_word=True) == {a.id, b.id}
    assert ids(text, any_word=False) == set()  # every word must match there
    assert ids("leesmotivatie pubers", any_word=False) == {a.id}


def test_match_terms_drop_stop_words_and_stem() -> None:
    # "leerlingen" is in every text on this platform: it says nothing about the subject
    assert match_terms("Hoe geef ik de leerlingen feedback op toetsen?") == [
        "geef",
        "feedba",
        "toets",
    ]
    assert match_terms("") == []


# -- statement counts do not grow with data ------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_matching_statements_do_not_grow(
    size,
    create_theme,
    create_offering,
    create_community,
    create_output,
    create_question,
    create_user,
    count_queries,
) -> None:
    """Three statements for a question's suggestions (one per kind), one for the reverse, with
    3 or 30 candidates of each kind."""
    theme = create_theme()
    provider_offering = create_offering(themes=[theme])
    community = create_community(theme_ids=[theme.id])
    asker = create_user()
    for _ in range(size - 1):
        create_offering(provider_offering.provider, provider_offering.created_by, themes=[theme])
        create_community(theme_ids=[theme.id])
        create_output(community=community, themes=[theme], title="Feedback bij toetsen")
        create_question(author=asker, themes=[theme], title="Feedback")
    question = create_question(author=asker, themes=[theme], title="Feedback", body="toetsen")
    question = catalogue.question_for(question.id, asker)
    with count_queries() as counted:
        found = matching.suggestions_for(question, asker)
    assert [len(found.offerings), len(found.communities), len(found.outputs)] == [
        3,
        3,
        min(3, size - 1),
    ]
    assert counted.count == 3
    offering = catalogue.offering_by_slug(provider_offering.slug, asker)
    with count_queries() as counted:
        assert len(matching.questions_for_offering(offering, asker)) == min(size, 5)
    assert counted.count == 1


def test_the_combined_score_beats_each_signal_alone(labelled, monkeypatch) -> None:
    """Ablation on the same set: themes only, text only, and both without the profile fit."""
    combined, _ = precision_at_3(labelled)
    alone, original = {}, dict(matching.WEIGHTS)
    for name, keep in {
        "themes": ("themes",),
        "text": ("text",),
        "no profile": ("themes", "text"),
    }.items():
        weights = {k: (v if k in keep else 0.0) for k, v in original.items()}
        monkeypatch.setattr(matching, "WEIGHTS", weights)
        monkeypatch.setattr(matching, "MIN_SCORE", 0.001)
        alone[name], _ = precision_at_3(labelled)
    print(
        f"\nprecision@3 combined {combined:.3f}; alone: "
        + ", ".join(f"{k} {v:.3f}" for k, v in alone.items())
    )
    assert all(combined >= figure for figure in alone.values())


def test_announce_offering_tells_at_once_and_only_once(
    create_theme, create_offering, create_question, create_user
) -> None:
    theme = create_theme()
    asker = create_user()
    question = create_question(author=asker, themes=[theme])
    matching.remember_matches(question)
    offering = create_offering(themes=[theme])
    assert matching.announce_offering(offering) == 1
    db.session.commit()
    assert matching.announce_offering(offering) == 0
    assert matching.notify_new_matches_for_all() == 0  # the cron finds it announced already
    assert len(_new_match_lines(asker)) == 1
