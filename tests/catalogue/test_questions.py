"""Learning question pages: who sees which question, who asks for a school, "I have this
question too" (once, also when clicked at once), status changes by the asker only, the
idempotent form, the question page's matches, and statement counts that do not grow."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from plc.catalogue import services
from plc.catalogue.models import (
    LearningQuestion,
    LearningQuestionStatus,
    QuestionMatch,
    QuestionSupport,
    QuestionVisibility,
)
from plc.extensions import db
from plc.organisations.models import OrganisationRole
from tests.conftest import PASSWORD, PlcClient

PRIVATE, SCHOOL, EVERYONE = (
    QuestionVisibility.PRIVATE,
    QuestionVisibility.SCHOOL,
    QuestionVisibility.EVERYONE,
)


@pytest.fixture
def people(create_user, create_organisation, give_role) -> dict[str, Any]:
    """An asker with a colleague and a leader at their school, a teacher elsewhere, an admin."""
    school, other_school = create_organisation(name="De Notenbalk"), create_organisation()
    cast = {
        "author": create_user(preferred_language="en"),
        "colleague": create_user(preferred_language="en"),
        "leader": create_user(preferred_language="en"),
        "elsewhere": create_user(preferred_language="en"),
        "admin": create_user(preferred_language="en", is_admin=True),
        "loner": create_user(preferred_language="en"),
    }
    give_role(cast["author"], school)
    give_role(cast["colleague"], school)
    give_role(cast["leader"], school, OrganisationRole.SCHOOL_LEADER)
    give_role(cast["elsewhere"], other_school)
    return {**cast, "school": school, "other_school": other_school}


# which roles see the question: personal questions by `author`, school questions by `leader`
VISIBILITY_CASES = [
    ("personal", EVERYONE, {"author", "colleague", "leader", "elsewhere", "admin", "loner"}),
    ("personal", SCHOOL, {"author", "colleague", "leader", "admin"}),
    ("personal", PRIVATE, {"author", "admin"}),
    ("school", EVERYONE, {"author", "colleague", "leader", "elsewhere", "admin", "loner"}),
    ("school", SCHOOL, {"author", "colleague", "leader", "admin"}),
    ("school", PRIVATE, {"leader", "admin"}),
]


@pytest.mark.parametrize(("whose", "visibility", "seen_by"), VISIBILITY_CASES)
def test_who_sees_a_question(
    whose, visibility, seen_by, people, create_question, login_client
) -> None:
    if whose == "school":
        question = create_question(
            author=people["leader"], school=people["school"], visibility=visibility
        )
    else:
        question = create_question(author=people["author"], visibility=visibility)
    for role in ("author", "colleague", "leader", "elsewhere", "admin", "loner"):
        client = login_client(people[role])
        page = client.get(f"/leervragen/{question.id}")
        assert page.status_code == (200 if role in seen_by else 404), role
        listed = client.get("/leervragen").get_data(as_text=True)
        assert (f'/leervragen/{question.id}"' in listed) == (role in seen_by), role


def test_anonymous_visitors_are_sent_to_log_in(client, create_question) -> None:
    question = create_question()
    for path in ("/leervragen", "/leervragen/nieuw", f"/leervragen/{question.id}"):
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.location, path


def test_unknown_question_is_404(people, login_client) -> None:
    assert login_client(people["admin"]).get("/leervragen/999999").status_code == 404


# -- asking ------------------------------------------------------------------------------------


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "idempotency_key": "k" * 32,
        "asked_for": "me",
        "title": "Hoe geef ik feedback die werkt?",
        "body": "Leerlingen lezen mijn feedback niet.",
        "domain": "",
        "career_stage": "",
        "school_type": "",
        "urgency": "normal",
        "visibility": "everyone",
        **fields,
    }


def test_asking_a_question_and_a_replayed_form_make_one(people, login_client, create_theme) -> None:
    theme = create_theme()
    client = login_client(people["author"])
    form_page = client.get("/leervragen/nieuw").get_data(as_text=True)
    # everyone is the default, explained on the form
    assert re.search(r'<input checked[^>]*name="visibility"[^>]*value="everyone"', form_page)
    assert "(the school&#39;s question)" not in form_page  # a teacher asks for themselves
    # a teacher's form has no "asked by" field (only the school's leaders choose)
    form = {k: v for k, v in _form(themes=[theme.id]).items() if k != "asked_for"}
    first = client.submit("/leervragen/nieuw", form)
    again = client.submit("/leervragen/nieuw", form)
    assert first.status_code == again.status_code == 302
    assert first.location == again.location
    question = db.session.scalar(sa.select(LearningQuestion))
    assert db.session.scalar(sa.select(sa.func.count(LearningQuestion.id))) == 1
    assert question.author_id == people["author"].id and question.school_id is None
    assert [t.id for t in question.themes] == [theme.id]


def test_a_form_error_keeps_what_was_typed(people, login_client) -> None:
    client = login_client(people["author"])
    response = client.submit("/leervragen/nieuw", _form(title="", body="Mijn uitleg blijft"))
    assert response.status_code == 200
    assert "Mijn uitleg blijft" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LearningQuestion.id))) == 0


def test_only_a_leader_or_hr_asks_for_the_school(people, login_client) -> None:
    school = people["school"]
    leader = login_client(people["leader"])
    assert "(the school&#39;s question)" in leader.get("/leervragen/nieuw").get_data(as_text=True)
    response = leader.submit("/leervragen/nieuw", _form(asked_for=str(school.id)))
    assert response.status_code == 302
    question = db.session.scalar(sa.select(LearningQuestion))
    assert question.school_id == school.id
    # a teacher of the same school cannot, not even by posting the school's id
    teacher = login_client(people["colleague"])
    response = teacher.submit(
        "/leervragen/nieuw", _form(asked_for=str(school.id), idempotency_key="x" * 32)
    )
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(LearningQuestion.id))) == 1
    with pytest.raises(services.ServiceError):
        services.ask(people["colleague"], services.QuestionFields(title="Mag niet"), school=school)


# -- "I have this question too" ------------------------------------------------------------------


def test_support_counts_once_and_can_be_withdrawn(people, create_question, login_client) -> None:
    question = create_question(author=people["author"])
    colleague = login_client(people["colleague"])
    path = f"/leervragen/{question.id}/ook"
    assert colleague.submit(path).status_code == 302
    assert colleague.submit(path).status_code == 302
    db.session.refresh(question)
    assert question.support_count == 1
    page = colleague.get(f"/leervragen/{question.id}").get_data(as_text=True)
    assert "1 colleague has this question too" in page
    colleague.submit(path, {"withdraw": "1"})
    db.session.refresh(question)
    assert question.support_count == 0
    # the asker cannot support their own question
    login_client(people["author"]).submit(path)
    db.session.refresh(question)
    assert question.support_count == 0


def test_support_clicked_at_once_counts_each_person_once(
    app, people, create_question, create_user
) -> None:
    question = create_question(author=people["author"])
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = app.config["LOGIN_RATE_LIMIT"] = "1000/minute"
    supporters = [create_user() for _ in range(3)]
    clients = []
    for user in supporters:
        for _ in range(3):  # each person clicks three times, from three tabs
            app.test_client_class = PlcClient
            client = app.test_client()
            client.login(user.email, PASSWORD)
            clients.append((client, client.csrf_token()))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    path = f"/leervragen/{question.id}/ook"  # read here: the threads have their own app contexts

    def click(client: PlcClient, token: str) -> None:
        barrier.wait()
        response = client.post(
            path,
            data={"csrf_token": token},
            headers={"Referer": "https://localhost/"},
            base_url="https://localhost",
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=click, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    db.session.commit()  # end the test's read snapshot
    rows = db.session.scalar(
        sa.select(sa.func.count(QuestionSupport.id)).where(
            QuestionSupport.question_id == question.id
        )
    )
    assert rows == 3
    assert db.session.get(LearningQuestion, question.id).support_count == 3


# -- status changes ----------------------------------------------------------------------------


def test_only_the_asker_changes_the_status(
    people, create_question, login_client, create_community
) -> None:
    question = create_question(author=people["author"])
    path = f"/leervragen/{question.id}/status"
    for role in ("colleague", "leader", "elsewhere"):
        assert login_client(people[role]).submit(path, {"status": "closed"}).status_code == 404
    db.session.refresh(question)
    assert question.status == LearningQuestionStatus.OPEN
    community = create_community(owner=people["author"], organisation=people["school"])
    author = login_client(people["author"])
    page = author.get(f"/leervragen/{question.id}").get_data(as_text=True)
    assert community.name in page  # offered as the adopting community
    author.submit(path, {"status": "adopted", "community": str(community.id)})
    db.session.refresh(question)
    assert question.status == LearningQuestionStatus.ADOPTED
    assert question.adopted_by_id == community.id
    author.submit(path, {"status": "answered", "resolution": "Cursus gevolgd"})
    db.session.refresh(question)
    assert (question.status, question.resolution) == (
        LearningQuestionStatus.ANSWERED,
        "Cursus gevolgd",
    )
    author.submit(path, {"status": "open"})
    db.session.refresh(question)
    assert question.status == LearningQuestionStatus.OPEN and question.resolution == ""


def test_a_school_question_is_changed_by_its_leaders_not_its_teachers(
    people, create_question, login_client
) -> None:
    question = create_question(author=people["leader"], school=people["school"])
    path = f"/leervragen/{question.id}/status"
    assert login_client(people["colleague"]).submit(path, {"status": "closed"}).status_code == 404
    hr = people["author"]  # promoted: the school's HR advisor may act for it too
    from plc.organisations.models import OrganisationMembership

    db.session.execute(
        sa.update(OrganisationMembership)
        .where(OrganisationMembership.user_id == hr.id)
        .values(role=OrganisationRole.HR_ADVISOR)
    )
    db.session.commit()
    assert login_client(hr).submit(path, {"status": "closed"}).status_code == 302
    db.session.refresh(question)
    assert question.status == LearningQuestionStatus.CLOSED


def test_the_asker_edits_the_question(people, create_question, login_client) -> None:
    question = create_question(author=people["author"], title="Oud")
    assert (
        login_client(people["colleague"]).get(f"/leervragen/{question.id}/bewerken").status_code
        == 404
    )
    author = login_client(people["author"])
    assert "Oud" in author.get(f"/leervragen/{question.id}/bewerken").get_data(as_text=True)
    response = author.submit(f"/leervragen/{question.id}/bewerken", _form(title="Nieuw"))
    assert response.status_code == 302
    db.session.refresh(question)
    assert question.title == "Nieuw"


# -- the list --------------------------------------------------------------------------------------


def test_list_filters_and_orders(people, create_question, create_theme, login_client) -> None:
    theme = create_theme("Formatief evalueren", slug="formatief")
    popular = create_question(author=people["colleague"], themes=[theme], title="Veel gevraagd")
    newest = create_question(author=people["author"], title="Nieuwste vraag over rekenen")
    closed = create_question(author=people["author"], title="Al beantwoord")
    services.resolve_question(closed, people["author"], LearningQuestionStatus.CLOSED)
    services.support(popular, people["leader"])
    db.session.commit()
    client = login_client(people["author"])

    def ids(query: str = "") -> list[int]:
        text = client.get(f"/leervragen{query}").get_data(as_text=True)
        order = {q.id: text.find(f'/leervragen/{q.id}"') for q in (popular, newest, closed)}
        return [qid for qid, at in sorted(order.items(), key=lambda p: p[1]) if at >= 0]

    assert ids() == [popular.id, newest.id]  # open ones, most "me too"s first
    assert ids("?sortering=nieuw") == [newest.id, popular.id]
    assert set(ids("?status=alle")) == {popular.id, newest.id, closed.id}
    assert ids("?status=closed") == [closed.id]
    assert ids("?thema=formatief") == [popular.id]
    assert ids("?q=rekenen") == [newest.id]
    assert ids("?wie=mine") == [newest.id]
    assert ids("?wie=school") == [popular.id, newest.id]
    page = client.get("/leervragen").get_data(as_text=True)
    assert "1 colleague has this question too" in page


# -- the question page: matches with reasons ---------------------------------------------------


def test_question_page_shows_matches_with_reasons(
    people,
    create_question,
    create_theme,
    create_offering,
    create_community,
    create_output,
    login_client,
) -> None:
    theme = create_theme("Formatief evalueren", name_en="Formative assessment")
    offering = create_offering(themes=[theme], title="Feedback die werkt")
    community = create_community(name="PLC Feedback", theme_ids=[theme.id])
    output = create_output(themes=[theme], title="Feedback in groep 7")
    question = create_question(author=people["author"], themes=[theme], title="Feedback geven")
    page = login_client(people["author"]).get(f"/leervragen/{question.id}").get_data(as_text=True)
    assert f"/aanbod/{offering.slug}" in page
    assert f"/gemeenschappen/{community.slug}" in page
    assert f"/kennisbank/{output.slug}" in page or output.title in page
    assert "same theme: Formative assessment" in page
    assert "words in common: feedback" in page


def test_new_question_records_its_matches_silently(
    people, create_theme, create_offering, login_client
) -> None:
    from plc.notifications.models import Notification

    theme = create_theme()
    create_offering(themes=[theme])
    login_client(people["author"]).submit("/leervragen/nieuw", _form(themes=[theme.id]))
    assert db.session.scalar(sa.select(sa.func.count(QuestionMatch.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 0


def test_offering_page_and_community_show_questions_they_could_answer(
    people, create_question, create_theme, create_offering, create_community, login_client
) -> None:
    theme = create_theme()
    offering = create_offering(themes=[theme])
    community = create_community(theme_ids=[theme.id])
    question = create_question(author=people["author"], themes=[theme], title="Mijn leervraag")
    hidden = create_question(author=people["elsewhere"], themes=[theme], visibility=PRIVATE)
    client = login_client(people["colleague"])
    home = client.get(f"/gemeenschappen/{community.slug}").get_data(as_text=True)
    assert f"/leervragen/voor/{community.slug}" in home  # the home panel links to the list
    for path in (f"/aanbod/{offering.slug}", f"/leervragen/voor/{community.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert f'/leervragen/{question.id}"' in page, path
        assert f'/leervragen/{hidden.id}"' not in page, path


def test_questions_for_an_invisible_community_are_404(
    people, create_community, login_client
) -> None:
    from plc.communities.models import Visibility

    secret = create_community(visibility=Visibility.INVITE)
    assert login_client(people["author"]).get(f"/leervragen/voor/{secret.slug}").status_code == 404


# -- statement counts ------------------------------------------------------------------------------


def test_statements_do_not_grow_with_data(
    people,
    create_question,
    create_theme,
    create_offering,
    create_community,
    create_output,
    login_client,
    count_queries,
) -> None:
    """The list and the question page (with its matches of every kind) at 3 and at 30 of each."""
    theme = create_theme()
    first = create_offering(themes=[theme])
    community = create_community(theme_ids=[theme.id])
    question = create_question(author=people["author"], themes=[theme], title="Feedback")

    def grow(to: int) -> None:
        while db.session.scalar(sa.select(sa.func.count(LearningQuestion.id))) < to:
            extra = create_theme()
            create_offering(first.provider, first.created_by, themes=[theme, extra])
            create_question(author=people["colleague"], themes=[theme, extra], title="Feedback")
            create_output(community=community, themes=[theme, extra], title="Feedback")
            create_community(theme_ids=[theme.id, extra.id])

    def measure() -> dict[str, int]:
        client = login_client(people["author"])
        counts = {}
        for name, path in (
            ("list", "/leervragen"),
            ("page", f"/leervragen/{question.id}"),
            ("community", f"/leervragen/voor/{community.slug}"),
        ):
            client.get(path)  # warm up
            with count_queries() as counted:
                page = client.get(path)
            assert page.status_code == 200
            counts[name] = counted.count
        return counts

    grow(3)
    small = measure()
    grow(30)
    large = measure()
    print(f"\nstatements with 3: {small}; with 30: {large}")
    assert small == large
    assert max(large.values()) <= 10
