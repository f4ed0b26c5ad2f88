"""The API answers as for an anonymous visitor: no plan, goal, reflection or record of anyone
reaches it, not even what a teacher shares with their school's leaders."""

from __future__ import annotations

import json
from datetime import date

from plc.development import goals, services
from plc.development.models import GoalReflection, RecordEntry, RecordSource
from plc.extensions import db
from plc.organisations.models import OrganisationRole


def test_no_api_route_exposes_plans_or_records(
    app, client, login_client, create_user, create_organisation, give_role
) -> None:
    api_rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api")]
    assert api_rules
    words = ("goal", "doel", "record", "professionalisering", "ontwikkeling", "dashboard")
    assert not [r.rule for r in api_rules if any(word in r.rule for word in words)]
    document = json.dumps(client.get("/api/openapi.json").get_json()).lower()
    for word in ("school_goal", "reflection", "shared_at", "evidence"):
        assert word not in document

    school = create_organisation(name="Het Noordlicht")
    teacher, leader = create_user(display_name="Tess Leraar"), create_user()
    give_role(teacher, school, OrganisationRole.TEACHER)
    give_role(leader, school, OrganisationRole.SCHOOL_LEADER)
    school_goal = goals.add_school_goal(
        school, leader, goals.SchoolGoalFields("Schooldoel rekenen 2028")
    )
    goal = goals.add_goal(
        teacher, goals.GoalFields("Geheim doel kwadraten", school_goal_id=school_goal.id)
    )
    goals.share_goal(goal, teacher)
    db.session.add(GoalReflection(goal_id=goal.id, body="Persoonlijke reflectie xyz"))
    db.session.add(
        RecordEntry(
            user_id=teacher.id,
            source=RecordSource.MANUAL,
            title="Eigen cursus elders abc",
            activity_date=date(2026, 10, 1),
            school_year="2026-2027",
            contact_minutes=120,
        )
    )
    services.share_record(teacher)
    db.session.commit()
    forbidden = [
        "Geheim doel kwadraten",
        "Persoonlijke reflectie xyz",
        "Eigen cursus elders abc",
        "Schooldoel rekenen 2028",
        teacher.email,
    ]
    as_leader = login_client(leader)
    checked = 0
    for rule in api_rules:
        if "GET" not in rule.methods:
            continue
        if not rule.arguments:
            path = rule.rule
        elif rule.arguments == {"slug"} and "organisation" in rule.rule:
            path = rule.rule.replace("<apislug:slug>", school.slug)
        else:
            continue
        for visitor in (client, as_leader):
            response = visitor.get(path)
            assert response.status_code < 500, path
            body = response.get_data(as_text=True)
            assert not [word for word in forbidden if word in body], path
        checked += 1
    assert checked >= 8
