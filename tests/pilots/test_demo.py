"""The demo pilots: three pilots in different stages, one concluded with its evaluation report,
with survey responses; and the running pilot as its sponsoring school leader reads it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from plc.auth.demo import DEMO_PASSWORD
from plc.auth.models import User
from plc.extensions import db
from plc.knowledge.models import OutputStatus, OutputType
from plc.pilots.models import Pilot, PilotEvent, PilotEventKind, PilotStatus
from plc.surveys.models import Survey, SurveyResponse


def _pilot(title: str) -> Pilot:
    return db.session.scalars(sa.select(Pilot).where(Pilot.title == title)).one()


def _demo_has_three_pilots_in_different_stages() -> None:
    statuses = set(db.session.scalars(sa.select(Pilot.status)))
    assert statuses == {PilotStatus.CONCLUDED, PilotStatus.RUNNING, PilotStatus.PROPOSED}


def _demo_concluded_pilot_has_its_report_and_compared_measurements() -> None:
    pilot = _pilot("Collegiale consultatie tussen twee opleidingsscholen")
    report = pilot.evaluation_report
    assert report is not None
    assert report.output_type == OutputType.EVALUATION_REPORT
    assert report.status == OutputStatus.PUBLISHED
    kinds = list(
        db.session.scalars(
            sa.select(PilotEvent.kind)
            .where(PilotEvent.pilot_id == pilot.id)
            .order_by(PilotEvent.created_at, PilotEvent.id)
        )
    )
    # The whole lifecycle, with a round of changes before the approval.
    assert kinds[0] == PilotEventKind.PROPOSED
    assert PilotEventKind.CHANGES_REQUESTED in kinds
    assert kinds.index(PilotEventKind.APPROVED) < kinds.index(PilotEventKind.STARTED)
    assert kinds[-1] == PilotEventKind.CONCLUDED
    surveys = list(db.session.scalars(sa.select(Survey).where(Survey.pilot_id == pilot.id)))
    assert len(surveys) == 3
    end = next(s for s in surveys if s.baseline_id is not None)
    assert end.baseline is not None and end.baseline.response_count == 16
    assert all(s.response_count >= 14 for s in surveys)
    # Anonymous answers, as the demo says: no person, no time.
    stored = db.session.scalars(
        sa.select(SurveyResponse).where(SurveyResponse.survey_id == end.id)
    ).all()
    assert stored and all(r.user_id is None and r.submitted_at is None for r in stored)


def _demo_school_leader_reads_the_running_pilot_at_a_glance(
    login_client: Callable[[User], Any],
) -> None:
    pilot = _pilot("Formatief evalueren: samen lessen ontwerpen in de onderbouw")
    assert pilot.status == PilotStatus.RUNNING
    yusuf = db.session.scalars(sa.select(User).where(User.email == "yusuf@example.org")).one()
    assert yusuf.id in {row.sponsor_id for row in pilot.participants}
    page = login_client(yusuf, DEMO_PASSWORD).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "De zes criteria: aan 5 van de 6 voldaan" in page
    assert "Evaluatie in één oogopslag" in page
    assert "Startmeting formatief evalueren" in page  # the latest survey with responses
    assert "Tijdlijn" in page and "Yusuf Demir" in page  # his own step on the timeline


def _demo_proposal_is_seen_by_its_owners_only(
    login_client: Callable[[User], Any], client: Any
) -> None:
    pilot = _pilot("Afspraken over AI in de les")
    assert pilot.status == PilotStatus.PROPOSED
    assert client.get(f"/pilots/{pilot.slug}").status_code == 404
    lotte = db.session.scalars(sa.select(User).where(User.email == "lotte@example.org")).one()
    page = login_client(lotte, DEMO_PASSWORD).get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "ZAAM Academie" in page


def test_the_pilots_demo(login_client, client, demo_data) -> None:
    """One load of the demo, then each part checked in turn."""
    demo_data()
    _demo_has_three_pilots_in_different_stages()
    _demo_concluded_pilot_has_its_report_and_compared_measurements()
    _demo_school_leader_reads_the_running_pilot_at_a_glance(login_client)
    _demo_proposal_is_seen_by_its_owners_only(login_client, client)
