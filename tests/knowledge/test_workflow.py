"""Writing, review, publication, revisions and withdrawal of knowledge outputs, through the
community's pages and the services behind them."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from plc.communities.models import CommunityOwner, CoOwnerStatus, MemberRole
from plc.core.errors import ServiceError
from plc.core.models import utcnow
from plc.extensions import db
from plc.knowledge import services
from plc.knowledge.models import (
    KnowledgeOutput,
    OutputStatus,
    OutputType,
    OutputVersion,
    ReviewDecision,
    VersionState,
)
from plc.notifications.models import Notification, NotificationKind
from plc.resources.models import Licence


@pytest.fixture
def team(create_user, create_community, create_theme, add_member, create_organisation):
    """A community with an owner (facilitates), a facilitator, two members, an outsider, and a
    second co-owning organisation whose contact is not a member."""
    owner = create_user(display_name="Olga Eigenaar")
    community = create_community(owner=owner, name="Rekenen in de bovenbouw")
    facilitator = create_user(display_name="Fenna Facilitator")
    add_member(community, facilitator, MemberRole.FACILITATOR)
    author = create_user(display_name="Anna Auteur")
    add_member(community, author)
    colleague = create_user(display_name="Kees Collega")
    add_member(community, colleague)
    contact = create_user(display_name="Carla Contact")
    partner = create_organisation(name="Pabo Amsterdam")
    db.session.add(
        CommunityOwner(
            community_id=community.id,
            organisation_id=partner.id,
            status=CoOwnerStatus.ACCEPTED,
            contact_id=contact.id,
        )
    )
    db.session.commit()
    return {
        "community": community,
        "owner": owner,
        "facilitator": facilitator,
        "author": author,
        "colleague": colleague,
        "contact": contact,
        "outsider": create_user(display_name="Otto Buiten"),
        "partner": partner,
        "theme": create_theme("Rekendidactiek"),
    }


def _base(team) -> str:
    return f"/gemeenschappen/{team['community'].slug}/kennis"


def _form(team, **values) -> dict:
    return {
        "output_type": "guideline",
        "title": "Zo oefen je de tafels",
        "summary": "Een handreiking voor automatiseren in groep 5.",
        "body": "## Aanpak\n\nElke dag tien minuten.",
        "media_url": "",
        "licence": "cc-by-4.0",
        "themes": [str(team["theme"].id)],
        "school_types": ["po"],
        "career_stages": ["starter", "experienced"],
        "domains": ["subject_teaching"],
        "authors": [str(team["author"].id), str(team["colleague"].id)],
        "organisations": [str(team["partner"].id)],
        **values,
    }


def _reload(output_id: int) -> KnowledgeOutput:
    db.session.expire_all()
    return db.session.get(KnowledgeOutput, output_id)


def _written(team, login_client) -> tuple[KnowledgeOutput, object]:
    author = login_client(team["author"])
    response = author.submit(f"{_base(team)}/nieuw", _form(team))
    assert response.status_code == 302, response.get_data(as_text=True)
    output = db.session.scalar(sa.select(KnowledgeOutput).order_by(KnowledgeOutput.id.desc()))
    return output, author


def test_a_member_writes_an_output_with_its_description(team, login_client):
    output, _author = _written(team, login_client)
    output = _reload(output.id)
    assert output.status == OutputStatus.DRAFT
    assert output.output_type == OutputType.GUIDELINE
    assert output.licence == Licence.CC_BY
    assert [t.slug for t in output.themes] == ["rekendidactiek"]
    assert {r.school_type.value for r in output.school_types} == {"po"}
    assert {r.career_stage.value for r in output.career_stages} == {"starter", "experienced"}
    assert {r.domain.value for r in output.domains} == {"subject_teaching"}
    assert [a.user.display_name for a in output.authors] == ["Anna Auteur", "Kees Collega"]
    assert [o.organisation.name for o in output.organisations] == ["Pabo Amsterdam"]
    assert [(v.number, v.state) for v in output.versions] == [(1, VersionState.DRAFT)]
    assert output.slug is None  # no public address before publication


def test_the_licence_defaults_to_cc_by(team, login_client):
    author = login_client(team["author"])
    page = author.get(f"{_base(team)}/nieuw").get_data(as_text=True)
    chosen = re.findall(r'<input checked[^>]*name="licence"[^>]*value="([^"]+)"', page)
    assert chosen == ["cc-by-4.0"]


def test_bad_input_changes_nothing_and_keeps_what_was_typed(team, login_client):
    author = login_client(team["author"])
    response = author.submit(
        f"{_base(team)}/nieuw", _form(team, title="", body="Mijn lange tekst die blijft staan")
    )
    assert response.status_code == 400
    assert "Mijn lange tekst die blijft staan" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeOutput.id))) == 0
    outsider_named = author.submit(
        f"{_base(team)}/nieuw", _form(team, authors=[str(team["outsider"].id)])
    )
    assert outsider_named.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeOutput.id))) == 0


def test_outsiders_cannot_write_and_do_not_see_drafts(team, login_client):
    output, _author = _written(team, login_client)
    outsider = login_client(team["outsider"])
    assert outsider.get(f"{_base(team)}/nieuw").status_code == 404
    assert outsider.get(f"{_base(team)}/{output.id}").status_code == 404
    colleague_not_author = login_client(team["colleague"])
    # Kees is a named author, so he sees it; a member who is not sees nothing of the draft.
    assert colleague_not_author.get(f"{_base(team)}/{output.id}").status_code == 200
    db.session.execute(
        sa.delete(services.OutputAuthor).where(
            services.OutputAuthor.user_id == team["colleague"].id
        )
    )
    db.session.commit()
    assert colleague_not_author.get(f"{_base(team)}/{output.id}").status_code == 404
    assert "Zo oefen je de tafels" not in colleague_not_author.get(_base(team)).get_data(
        as_text=True
    )
    # The contact of a co-owning organisation may review, so sees it.
    assert login_client(team["contact"]).get(f"{_base(team)}/{output.id}").status_code == 200


def test_sending_for_review_needs_a_complete_output(team, login_client):
    author = login_client(team["author"])
    author.submit(f"{_base(team)}/nieuw", _form(team, summary="", themes=[]))
    output = db.session.scalar(sa.select(KnowledgeOutput))
    response = author.submit(f"{_base(team)}/{output.id}/indienen", {})
    assert response.status_code == 302
    page = author.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Voordat de opbrengst beoordeeld kan worden, is nog nodig: een samenvatting, minstens één thema."
        in page
    )
    assert _reload(output.id).status == OutputStatus.DRAFT


def test_reviewers_are_notified_and_an_author_cannot_approve(team, login_client):
    output, author = _written(team, login_client)
    assert author.submit(f"{_base(team)}/{output.id}/indienen", {}).status_code == 302
    output = _reload(output.id)
    assert output.status == OutputStatus.IN_REVIEW
    notified = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(
                Notification.kind == NotificationKind.OUTPUT_REVIEW
            )
        )
    )
    assert notified == {team["owner"].id, team["facilitator"].id, team["contact"].id}
    # The author is a plain member: the review buttons are not there, the action is refused.
    response = author.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    assert response.status_code == 404
    assert _reload(output.id).status == OutputStatus.IN_REVIEW


def test_a_facilitator_who_wrote_it_cannot_approve_it(team, login_client):
    facilitator = login_client(team["facilitator"])
    facilitator.submit(f"{_base(team)}/nieuw", _form(team, authors=[str(team["facilitator"].id)]))
    output = db.session.scalar(sa.select(KnowledgeOutput))
    facilitator.submit(f"{_base(team)}/{output.id}/indienen", {})
    page = facilitator.get(f"{_base(team)}/{output.id}").get_data(as_text=True)
    assert "Goedkeuren en publiceren" not in page
    response = facilitator.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    assert "iemand anders moet hem beoordelen" in facilitator.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert _reload(output.id).status == OutputStatus.IN_REVIEW
    with pytest.raises(ServiceError):
        services.approve(_reload(output.id), team["facilitator"])


def test_a_colleague_approves_and_the_output_is_published(team, login_client):
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    reviewer = login_client(team["facilitator"])
    assert "Goedkeuren en publiceren" in reviewer.get(f"{_base(team)}/{output.id}").get_data(
        as_text=True
    )
    response = reviewer.submit(
        f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve", "comment": "Helder!"}
    )
    assert response.status_code == 302
    output = _reload(output.id)
    assert output.status == OutputStatus.PUBLISHED
    assert output.slug == "zo-oefen-je-de-tafels"
    assert output.published_version == 1 and output.published_at is not None
    version = output.versions[0]
    assert version.state == VersionState.PUBLISHED
    assert version.approved_by_id == team["facilitator"].id
    assert [(r.decision, r.comment) for r in version.reviews] == [
        (ReviewDecision.APPROVED, "Helder!")
    ]
    published = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.OUTPUT_PUBLISHED)
    ).all()
    assert {n.user_id for n in published} == {team["author"].id, team["colleague"].id}
    assert published[0].link == "/kennisbank/zo-oefen-je-de-tafels"


def test_a_co_owner_contact_may_approve(team, login_client):
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    contact = login_client(team["contact"])
    contact.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    assert _reload(output.id).status == OutputStatus.PUBLISHED


def test_asking_for_changes_needs_a_comment_and_returns_the_draft(team, login_client):
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    reviewer = login_client(team["facilitator"])
    reviewer.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "changes", "comment": ""})
    assert _reload(output.id).status == OutputStatus.IN_REVIEW
    reviewer.submit(
        f"{_base(team)}/{output.id}/beoordelen",
        {"decision": "changes", "comment": "Voeg een voorbeeldles toe."},
    )
    output = _reload(output.id)
    assert output.status == OutputStatus.DRAFT
    page = author.get(f"{_base(team)}/{output.id}").get_data(as_text=True)
    assert "Voeg een voorbeeldles toe." in page
    returned = db.session.scalars(
        sa.select(Notification).where(Notification.kind == NotificationKind.OUTPUT_RETURNED)
    ).all()
    assert team["author"].id in {n.user_id for n in returned}
    assert returned[0].link == f"{_base(team)}/{output.id}/bewerken"
    # Changed and sent again, it can be approved.
    author.submit(f"{_base(team)}/{output.id}/bewerken", _form(team, body="Met voorbeeldles."))
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    reviewer.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    output = _reload(output.id)
    assert output.status == OutputStatus.PUBLISHED and output.body == "Met voorbeeldles."


def test_an_author_takes_a_submission_back(team, login_client):
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    author.submit(f"{_base(team)}/{output.id}/terughalen", {})
    assert _reload(output.id).status == OutputStatus.DRAFT
    # While in review, the text cannot change.
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    author.submit(f"{_base(team)}/{output.id}/bewerken", _form(team, title="Stiekem anders"))
    assert _reload(output.id).title == "Zo oefen je de tafels"


def _published(team, login_client) -> tuple[KnowledgeOutput, object, object]:
    output, author = _written(team, login_client)
    author.submit(
        f"{_base(team)}/{output.id}/bijlagen",
        {"file": (io.BytesIO(b"week;oefening\n1;tafel van 3\n"), "oefenschema.csv")},
    )
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    reviewer = login_client(team["facilitator"])
    reviewer.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    return _reload(output.id), author, reviewer


def test_a_revision_is_reviewed_while_the_published_version_stays(team, login_client):
    output, author, reviewer = _published(team, login_client)
    assert author.submit(f"{_base(team)}/{output.id}/nieuwe-versie", {}).status_code == 302
    again = author.submit(f"{_base(team)}/{output.id}/nieuwe-versie", {})
    assert again.status_code == 302
    output = _reload(output.id)
    assert [(v.number, v.state) for v in output.versions] == [
        (2, VersionState.DRAFT),
        (1, VersionState.PUBLISHED),
    ]
    assert [a.filename for a in output.versions[0].attachments] == ["oefenschema.csv"]
    # A new version needs a change note.
    refused = author.submit(
        f"{_base(team)}/{output.id}/bewerken", _form(team, title="Zo oefen je de tafels (2e druk)")
    )
    assert refused.status_code == 400
    assert "Geef aan wat er in deze versie is veranderd." in refused.get_data(as_text=True)
    author.submit(
        f"{_base(team)}/{output.id}/bewerken",
        _form(team, title="Zo oefen je de tafels (2e druk)", change_note="Voorbeeldles toegevoegd"),
    )
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    output = _reload(output.id)
    # The public still reads version 1 while version 2 is in review.
    assert output.status == OutputStatus.PUBLISHED and output.published_version == 1
    assert output.title == "Zo oefen je de tafels"
    reviewer.submit(f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"})
    output = _reload(output.id)
    assert output.published_version == 2
    assert output.title == "Zo oefen je de tafels (2e druk)"
    assert output.slug == "zo-oefen-je-de-tafels"  # the address never changes
    states = {v.number: (v.state, v.change_note) for v in output.versions}
    assert states == {
        2: (VersionState.PUBLISHED, "Voorbeeldles toegevoegd"),
        1: (VersionState.SUPERSEDED, ""),
    }


def test_a_new_version_can_be_discarded(team, login_client):
    output, author, _reviewer = _published(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/nieuwe-versie", {})
    author.submit(f"{_base(team)}/{output.id}/versie-weggooien", {})
    output = _reload(output.id)
    assert [(v.number, v.state) for v in output.versions] == [(1, VersionState.PUBLISHED)]


def test_starting_a_revision_twice_at_once_makes_one(app, team, login_client):
    output, _author, _reviewer = _published(team, login_client)
    output_id, author_id = output.id, team["author"].id

    def start() -> int:
        with app.app_context():
            found = db.session.get(KnowledgeOutput, output_id)
            user = db.session.get(services.User, author_id)
            try:
                version = services.start_revision(found, user)
                db.session.commit()
                return version.number
            except sa.exc.OperationalError:  # SQLite's writer lock: the other one went first
                db.session.rollback()
                return services.open_version(db.session.get(KnowledgeOutput, output_id)).number
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        numbers = list(pool.map(lambda _: start(), range(2)))
    assert numbers == [2, 2]
    db.session.rollback()  # a fresh snapshot: the threads committed after this session began
    count = db.session.scalar(
        sa.select(sa.func.count(OutputVersion.id)).where(OutputVersion.output_id == output_id)
    )
    assert count == 2


def test_the_licence_is_fixed_once_published(team, login_client):
    output, author, _reviewer = _published(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/nieuwe-versie", {})
    fields = services.fields_of(output, services.open_version(_reload(output.id)))
    fields.licence = Licence.ALL_RIGHTS_RESERVED
    fields.change_note = "Licentie anders"
    with pytest.raises(ServiceError, match="licentie"):
        services.update_output(_reload(output.id), team["author"], fields)
    db.session.rollback()
    assert _reload(output.id).licence == Licence.CC_BY


def test_withdrawal_needs_a_reason_and_keeps_the_output(team, login_client):
    output, author, reviewer = _published(team, login_client)
    assert (
        author.submit(f"{_base(team)}/{output.id}/intrekken", {"reason": "Verouderd"}).status_code
        == 404
    )  # only facilitators withdraw
    reviewer.submit(f"{_base(team)}/{output.id}/intrekken", {"reason": ""})
    assert _reload(output.id).status == OutputStatus.PUBLISHED
    reviewer.submit(f"{_base(team)}/{output.id}/intrekken", {"reason": "De methode is vervangen."})
    output = _reload(output.id)
    assert output.status == OutputStatus.WITHDRAWN
    assert output.withdrawn_reason == "De methode is vervangen."
    assert output.slug == "zo-oefen-je-de-tafels"
    page = login_client(team["colleague"]).get(f"{_base(team)}/{output.id}").get_data(as_text=True)
    assert "De methode is vervangen." in page


def test_attachments_on_drafts_only_and_checked_like_uploads(team, login_client):
    output, author = _written(team, login_client)
    refused = author.submit(
        f"{_base(team)}/{output.id}/bijlagen",
        {"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "les.pdf")},
    )
    assert refused.status_code == 302
    output = _reload(output.id)
    assert output.versions[0].attachments == []
    author.submit(
        f"{_base(team)}/{output.id}/bijlagen",
        {"file": (io.BytesIO(b"week;oefening\n1;tafel van 3\n"), "oefenschema.csv")},
    )
    attachment = _reload(output.id).versions[0].attachments[0]
    with author.get(f"{_base(team)}/{output.id}/bijlagen/{attachment.id}") as download:
        assert download.status_code == 200
        assert download.data == b"week;oefening\n1;tafel van 3\n"
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    author.submit(f"{_base(team)}/{output.id}/bijlagen/{attachment.id}/verwijderen", {})
    assert _reload(output.id).versions[0].attachments == []


def test_the_start_page_lists_the_oldest_few_waiting_and_counts_the_rest(team, login_client):
    author = login_client(team["author"])
    for number in range(7):
        written = author.submit(f"{_base(team)}/nieuw", _form(team, title=f"Handreiking {number}"))
        assert written.status_code == 302
        output = db.session.scalar(sa.select(KnowledgeOutput).order_by(KnowledgeOutput.id.desc()))
        author.submit(f"{_base(team)}/{output.id}/indienen", {})
    waiting = services.waiting_for_review(team["facilitator"], 5)
    assert [o.title for o in waiting.items] == [f"Handreiking {n}" for n in range(5)]
    assert waiting.total == 7

    start = login_client(team["facilitator"]).get("/").get_data(as_text=True)
    section = start.split('id="to-review"')[1].split("</section>")[0]
    assert "Handreiking 4" in section and "Handreiking 5" not in section
    assert "Nog 2 wachten." in section
    assert f'href="{_base(team)}"' in section  # the community's outputs list them all


def test_reviewers_see_what_waits_for_them(team, login_client):
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    page = login_client(team["contact"]).get(_base(team)).get_data(as_text=True)
    assert "Wacht op jouw beoordeling" in page
    assert "Zo oefen je de tafels" in page
    assert [o.id for o in services.waiting_for_review(team["contact"]).items] == [output.id]
    assert [o.id for o in services.waiting_for_review(team["owner"]).items] == [output.id]
    assert services.waiting_for_review(team["author"]).items == []
    assert services.waiting_for_review(team["colleague"]).items == []  # a named author
    assert services.waiting_for_review(team["outsider"]).items == []
    start = login_client(team["facilitator"]).get("/").get_data(as_text=True)
    assert "Wacht op jouw beoordeling" in start and "Zo oefen je de tafels" in start
    assert "Wacht op jouw beoordeling" not in author.get("/").get_data(as_text=True)


def test_nobody_to_review_is_said_before_sending(create_user, create_community, create_theme):
    owner = create_user()
    community = create_community(owner=owner)
    theme = create_theme()
    output = services.create_output(
        community,
        owner,
        services.OutputFields(
            title="Alleen ik", summary="Kort.", body="Tekst.", theme_ids=[theme.id]
        ),
    )
    with pytest.raises(ServiceError, match="Niemand kan dit nog beoordelen"):
        services.submit_for_review(output, owner)


def test_published_outputs_count_reads_without_touching_the_change_date(create_output):
    output = create_output()
    before = output.updated_at
    services.record_view(output.slug)
    services.record_download(output)
    db.session.commit()
    output = _reload(output.id)
    assert (output.view_count, output.download_count) == (1, 1)
    assert output.updated_at == before
    assert utcnow() >= before


def test_an_output_answers_learning_questions_and_their_askers_see_it(
    team, login_client, create_question, create_user
):
    from plc.catalogue.models import QuestionVisibility

    team["community"].themes = [team["theme"]]  # the community is about Rekendidactiek
    db.session.commit()
    asker = create_user(display_name="Ines Vraag")
    question = create_question(
        author=asker, themes=[team["theme"]], title="Hoe automatiseren we de tafels sneller?"
    )
    hidden = create_question(
        themes=[team["theme"]], title="Privé vraag", visibility=QuestionVisibility.PRIVATE
    )
    author = login_client(team["author"])
    form = author.get(f"{_base(team)}/nieuw").get_data(as_text=True)
    assert "Hoe automatiseren we de tafels sneller?" in form  # offered: it fits the community
    assert "Privé vraag" not in form
    refused = author.submit(f"{_base(team)}/nieuw", _form(team, questions=[str(hidden.id)]))
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(KnowledgeOutput.id))) == 0
    output, author = _written(team, login_client)
    author.submit(f"{_base(team)}/{output.id}/bewerken", _form(team, questions=[str(question.id)]))
    assert [q.id for q in _reload(output.id).questions] == [question.id]
    asking = login_client(asker)
    assert "Zo oefen je de tafels" not in asking.get(f"/leervragen/{question.id}").get_data(
        as_text=True
    )  # not before it is published
    author.submit(f"{_base(team)}/{output.id}/indienen", {})
    login_client(team["facilitator"]).submit(
        f"{_base(team)}/{output.id}/beoordelen", {"decision": "approve"}
    )
    page = asking.get(f"/leervragen/{question.id}").get_data(as_text=True)
    assert "Beantwoord in de kennisbank" in page and "/kennisbank/zo-oefen-je-de-tafels" in page
    public = login_client(create_user()).get("/kennisbank/zo-oefen-je-de-tafels")
    assert "Hoe automatiseren we de tafels sneller?" in public.get_data(as_text=True)
