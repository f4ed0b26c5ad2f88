"""Delete my account: personal data gone table by table, contributions kept under "former
member", no trace of the name or address anywhere, logged out everywhere, places handed on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from plc.auth import privacy
from plc.auth.models import FORMER_MEMBER_NAME, LoginSession, User
from plc.auth.privacy import JOIN_PATHS, USER_LINKS, OnDelete, personal_rows, table
from plc.catalogue.models import Enrolment, EnrolmentStatus, LearningQuestion, Offering
from plc.communities.models import Community, MemberRole
from plc.core.errors import ServiceError
from plc.core.storage import get_storage
from plc.discussions.models import Post
from plc.extensions import db
from plc.live.models import LiveSession, Rsvp, RsvpStatus
from plc.organisations.models import OrganisationRole
from plc.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from plc.surveys.services import respondent_key
from tests.conftest import PASSWORD
from tests.privacy.conftest import EMAIL, NAME


def counts_per_link(user_id: int, *, kept_only: bool = False) -> dict[tuple[str, str], int]:
    """Rows pointing at the person, per link; `kept_only`: less those that a DELETE link of the
    same table removes (a personal theme subscription is also created by its person)."""
    counts = {}
    for key in USER_LINKS:
        t = table(key[0])
        condition = t.c[key[1]] == user_id
        if kept_only:
            survives = [
                t.c[link.column].is_distinct_from(user_id)
                for link in USER_LINKS.values()
                if link.table == t.name and link.on_delete == OnDelete.DELETE
            ]
            condition = sa.and_(condition, *survives)
        counts[key] = db.session.scalar(sa.select(sa.func.count()).select_from(t).where(condition))
    return counts


def delete(user: User) -> None:
    privacy.delete_account(user, PASSWORD, "DELETE")
    db.session.commit()


def fresh(model: Any, key: Any) -> Any:
    db.session.expire_all()
    return db.session.get(model, key)


def test_personal_rows_go_and_contributions_stay_table_by_table(everything) -> None:
    person_id = everything.person.id
    before = counts_per_link(person_id, kept_only=True)
    delete(everything.person)
    after = counts_per_link(person_id)
    for key, link in USER_LINKS.items():
        if link.on_delete in (OnDelete.DELETE, OnDelete.CLEAR):
            assert after[key] == 0, f"{key} still points at the deleted person"
        elif key == ("learning_question", "author_id"):
            assert after[key] == before[key] - 1  # the private question went
        else:
            # A contribution (USER_LINKS marks each KEEP with why): it stays, as a former member's.
            assert after[key] == before[key], key


def test_what_is_left_of_a_person_is_only_their_contributions(everything) -> None:
    delete(everything.person)
    person = fresh(User, everything.person.id)
    kept = {link.table for link in USER_LINKS.values() if link.on_delete == OnDelete.KEEP}
    kept |= {child for child, parent in JOIN_PATHS.items() if parent in kept}
    left = set(personal_rows(person)) - {"user_account"}
    assert left <= kept, f"personal rows survived in {sorted(left - kept)}"
    for gone in ("pop_goal_activity", "pop_reflection", "pop_goal_theme", "survey_answer_option"):
        assert gone not in left


def all_text_in_the_database() -> Iterator[tuple[str, str, str]]:
    for t in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(t)):
            for column, value in row._mapping.items():
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                yield t.name, column, text.lower()


def test_no_column_anywhere_still_holds_the_name_or_the_address(everything) -> None:
    hits = lambda: {  # noqa: E731
        (t, c) for t, c, text in all_text_in_the_database() if NAME.lower() in text or EMAIL in text
    }
    assert ("user_account", "email") in hits()  # the scan sees them before
    delete(everything.person)
    assert hits() == set()


def test_the_account_row_is_scrubbed(everything) -> None:
    delete(everything.person)
    person = fresh(User, everything.person.id)
    assert person.display_name == "Former member"  # (English here; Dutch pages: "Oud-lid")
    assert person._display_name == FORMER_MEMBER_NAME
    assert "@" not in person.email
    assert person.password_hash is None and not person.active and not person.is_admin
    assert (person.bio, person.subjects, person.career_stage, person.school_type) == (
        "",
        [],
        None,
        None,
    )
    assert person.preferred_language is None and person.last_login_at is None
    assert person.deleted_at is not None


def test_logged_out_everywhere_cannot_log_in_and_the_address_is_free(
    everything, client, login_client
) -> None:
    here, elsewhere = login_client(everything.person), login_client(everything.person)
    response = here.submit(
        "/mijn-gegevens/account-verwijderen", {"password": PASSWORD, "confirmation": "DELETE"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert here.get("/profiel").status_code == 302  # to the login page
    assert elsewhere.get("/profiel").status_code == 302
    assert (
        db.session.scalar(
            sa.select(sa.func.count(LoginSession.id)).where(
                LoginSession.user_id == everything.person.id
            )
        )
        == 0
    )
    assert client.login(EMAIL).status_code == 200  # refused
    registered = client.submit(
        "/registreren",
        {
            "display_name": "Noor opnieuw",
            "email": EMAIL,
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "accept_privacy": "y",
        },
    )
    assert registered.status_code == 302
    assert db.session.scalar(sa.select(User).where(User.email == EMAIL)).id != everything.person.id


def test_a_wrong_password_or_word_deletes_nothing(everything, login_client) -> None:
    client = login_client(everything.person)
    before = counts_per_link(everything.person.id)
    response = client.submit(
        "/mijn-gegevens/account-verwijderen",
        {"password": "niet-mijn-wachtwoord-99", "confirmation": "DELETE"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in page
    response = client.submit(
        "/mijn-gegevens/account-verwijderen", {"password": PASSWORD, "confirmation": "ja"}
    )
    page = response.get_data(as_text=True)
    assert 'id="confirmation-error"' in page and 'value="ja"' in page
    assert counts_per_link(everything.person.id) == before
    assert fresh(User, everything.person.id).deleted_at is None
    assert client.get("/profiel").status_code == 200  # still logged in


def test_places_go_to_the_people_waiting_and_counters_stay_right(everything) -> None:
    community_before = fresh(Community, everything.community_id).member_count
    support_before = fresh(LearningQuestion, everything.supported_question_id).support_count
    delete(everything.person)
    session = fresh(LiveSession, everything.session_id)
    waiting_rsvp = db.session.scalar(
        sa.select(Rsvp).where(
            Rsvp.session_id == session.id, Rsvp.user_id == everything.waiting_user_id
        )
    )
    assert waiting_rsvp.status == RsvpStatus.GOING and session.going_count == 1
    offering = db.session.get(Offering, everything.offering_id)
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.offering_id == offering.id,
            Enrolment.user_id == everything.waiting_enrolment_user_id,
        )
    )
    assert enrolment.status == EnrolmentStatus.ENROLLED and offering.enrolled_count == 1
    assert db.session.get(Community, everything.community_id).member_count == community_before - 1
    assert (
        db.session.get(LearningQuestion, everything.supported_question_id).support_count
        == support_before - 1
    )


def test_record_evidence_files_go_after_the_commit_contributions_keep_theirs(everything) -> None:
    storage = get_storage()
    privacy.delete_account(everything.person, PASSWORD, "DELETE")
    storage.open(everything.evidence_key).close()  # still there before the commit
    db.session.commit()
    with pytest.raises(FileNotFoundError):
        storage.open(everything.evidence_key)
    for key in (everything.resource_key, everything.attachment_key):
        storage.open(key).close()


def test_a_rolled_back_deletion_keeps_the_files(everything) -> None:
    privacy.delete_account(everything.person, PASSWORD, "DELETE")
    db.session.rollback()
    get_storage().open(everything.evidence_key).close()
    assert fresh(User, everything.person.id).deleted_at is None


def test_survey_answers_stay_but_cannot_be_traced_back(everything) -> None:
    person_id = everything.person.id
    delete(everything.person)
    anonymous = fresh(SurveyResponse, everything.anonymous_response_id)
    assert anonymous is not None  # the results keep it
    # The key was an HMAC of survey and user id; the id stays (the former member's row), so the
    # key had to change or anyone holding the secret could find the person's answers again.
    assert anonymous.respondent_key != respondent_key(everything.anonymous_survey_id, person_id)
    named = db.session.get(SurveyResponse, everything.named_response_id)
    assert (named.user_id, named.submitted_at) == (None, None)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SurveyAnswer)
            .where(SurveyAnswer.response_id == named.id)
        )
        == 1
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(SurveyInvitation.id)).where(
                SurveyInvitation.user_id == person_id
            )
        )
        == 0
    )


def test_mentions_of_the_person_in_other_posts_are_rewritten(everything) -> None:
    delete(everything.person)
    post = fresh(Post, everything.others_post_id)
    assert post.body == f"@{FORMER_MEMBER_NAME} met stroken papier."
    assert FORMER_MEMBER_NAME in post.body_html and NAME not in post.body_html


def test_posts_and_outputs_show_former_member(everything, login_client, create_user) -> None:
    delete(everything.person)
    reader = create_user(preferred_language="en")
    community = db.session.get(Community, everything.community_id)
    from plc.discussions.models import Thread

    thread_id = db.session.scalar(sa.select(Thread.id).where(Thread.community_id == community.id))
    page = login_client(reader).get(f"/gemeenschappen/{community.slug}/gesprekken/{thread_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Former member" in text and NAME not in text
    assert db.session.get(Post, everything.own_post_id).author_id == everything.person.id


def test_the_member_list_no_longer_shows_the_person(everything, login_client) -> None:
    delete(everything.person)
    community = db.session.get(Community, everything.community_id)
    page = login_client(fresh(User, everything.other.id)).get(
        f"/gemeenschappen/{community.slug}/leden"
    )
    assert page.status_code == 200
    assert NAME not in page.get_data(as_text=True)
    assert "Former member" not in page.get_data(as_text=True)


# -- what others depend on -------------------------------------------------------------------------


def test_the_only_owner_of_a_community_is_asked_to_hand_it_over(
    create_user, create_community, add_member
) -> None:
    person = create_user()
    community = create_community(owner=person, name="Begrijpend lezen Noord")
    with pytest.raises(ServiceError) as refused:
        privacy.delete_account(person, PASSWORD, "DELETE")
    assert "only owner of the community “Begrijpend lezen Noord”" in str(refused.value.message)
    db.session.rollback()
    assert fresh(User, person.id).deleted_at is None
    add_member(community, create_user(), MemberRole.OWNER)
    delete(fresh(User, person.id))
    assert fresh(User, person.id).deleted_at is not None


def test_the_last_administrator_of_an_organisation_is_asked_to_hand_it_over(
    create_user, create_organisation, give_role
) -> None:
    person = create_user()
    school = create_organisation(name="Het Noordlicht")
    give_role(person, school, OrganisationRole.ADMIN)
    assert [str(m) for m in privacy.deletion_blockers(person)] == [
        "You are the only administrator of “Het Noordlicht”. Approve a colleague’s claim to that"
        " role, or ask the platform administrators to appoint one, first."
    ]
    give_role(create_user(), school, OrganisationRole.ADMIN)
    assert privacy.deletion_blockers(person) == []


def test_the_last_platform_administrator_is_asked_to_appoint_another(create_user) -> None:
    admin = create_user(is_admin=True)
    assert len(privacy.deletion_blockers(admin)) == 1
    create_user(is_admin=True)
    assert privacy.deletion_blockers(admin) == []


def test_the_page_names_what_to_hand_over(create_user, create_community, login_client) -> None:
    person = create_user()
    create_community(owner=person, name="Rekenkring West")
    client = login_client(person)
    page = client.get("/mijn-gegevens/account-verwijderen").get_data(as_text=True)
    assert "Rekenkring West" in page and 'id="deletion-blockers"' in page
    response = client.submit(
        "/mijn-gegevens/account-verwijderen", {"password": PASSWORD, "confirmation": "DELETE"}
    )
    assert response.status_code == 200
    assert "Rekenkring West" in response.get_data(as_text=True)
    assert fresh(User, person.id).deleted_at is None
