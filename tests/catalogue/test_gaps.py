"""Demand and supply at a glance: the numbers against a hand-counted network, who may look,
the CSV export, and a statement count that does not grow with the data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from plc.auth.models import CareerStage
from plc.catalogue import gap_queries, services
from plc.catalogue.gaps import chart_of
from plc.catalogue.models import LearningQuestionStatus, QuestionVisibility
from plc.communities import services as community_services
from plc.communities.models import CommunityStatus, Visibility
from plc.core.models import utcnow
from plc.extensions import db

STAGE_LABELS = {stage.value: stage.value for stage in CareerStage}

# -- the hand-counted network ------------------------------------------------------------------


@dataclass
class Network:
    themes: dict[str, Any]
    provider: Any
    staff: Any


@pytest.fixture
def build_network(
    create_user,
    create_theme,
    create_question,
    create_offering,
    create_provider,
    create_community,
    create_organisation,
    give_role,
) -> Callable[[str], Network]:
    """Builds the network below (names get `suffix`, so it can be built more than once).

    Themes: formatief (A), taal (B), burgerschap (C), digitaal (D, nothing at all), rekenen (E),
    oud (H, hidden after its question was asked), leeg (hidden, nothing: not shown).

    Questions (stage, "me too"s):
      q1 A starter 3 · q2 A+B experienced 1 · q3 B starter 0, shared with the school ·
      q8 no theme, no stage 1 · q9 E expert 2 · q10 H no stage 0 — all open: they count.
      q4 A starter 1 private · q5 A starter 2 answered · q6 C closed · q7 C adopted — not counted.
    Offerings:
      o1 A starter · o2 B+C all stages · o6 C expert, started but not ended — counted.
      o3 A ended · o4 A draft · o5 C cancelled — not counted.
    Communities:
      c1 C starter public active · c2 B all stages on request active · c6 no theme active — counted.
      c3 A closed · c4 A invite-only active · c5 B forming — not counted.
    """

    def supporters(question: Any, count: int) -> None:
        for _ in range(count):
            services.support(question, create_user())
        db.session.commit()

    def community(name: str, themes: list[Any], status: CommunityStatus, **fields: Any) -> Any:
        made = create_community(name=name, theme_ids=[t.id for t in themes], **fields)
        if status != CommunityStatus.FORMING:
            community_services.set_status(made, CommunityStatus.ACTIVE)
        if status == CommunityStatus.CLOSED:
            community_services.set_status(made, CommunityStatus.CLOSED)
        db.session.commit()
        return made

    def build(suffix: str = "") -> Network:
        names = ("formatief", "taal", "burgerschap", "digitaal", "rekenen", "oud", "leeg")
        themes = {
            name: create_theme(f"{name}{suffix}", name_en=f"{name}{suffix} (en)") for name in names
        }
        a, b, c, e, h = (themes[n] for n in ("formatief", "taal", "burgerschap", "rekenen", "oud"))
        starter, experienced, expert = (
            CareerStage.STARTER,
            CareerStage.EXPERIENCED,
            CareerStage.EXPERT,
        )

        supporters(create_question(themes=[a], career_stage=starter), 3)
        supporters(create_question(themes=[a, b], career_stage=experienced), 1)
        colleague = create_user()
        give_role(colleague, create_organisation())
        create_question(
            author=colleague,
            themes=[b],
            career_stage=starter,
            visibility=QuestionVisibility.SCHOOL,
        )
        supporters(create_question(themes=[]), 1)
        supporters(create_question(themes=[e], career_stage=expert), 2)
        create_question(themes=[h])
        h.active = False
        themes["leeg"].active = False

        supporters(
            create_question(
                themes=[a], career_stage=starter, visibility=QuestionVisibility.PRIVATE
            ),
            1,
        )
        answered = create_question(themes=[a], career_stage=starter)
        supporters(answered, 2)
        services.resolve_question(answered, answered.author, LearningQuestionStatus.ANSWERED)
        closed = create_question(themes=[c])
        services.resolve_question(closed, closed.author, LearningQuestionStatus.CLOSED)

        c1 = community(f"Burgerschap{suffix}", [c], CommunityStatus.ACTIVE, career_stages=[starter])
        community(f"Taal{suffix}", [b], CommunityStatus.ACTIVE, visibility=Visibility.REQUEST)
        community(f"Zonder thema{suffix}", [], CommunityStatus.ACTIVE)
        community(f"Gesloten{suffix}", [a], CommunityStatus.CLOSED)
        community(f"Besloten{suffix}", [a], CommunityStatus.ACTIVE, visibility=Visibility.INVITE)
        community(f"In oprichting{suffix}", [b], CommunityStatus.FORMING)
        adopted = create_question(themes=[c])
        services.resolve_question(
            adopted, adopted.author, LearningQuestionStatus.ADOPTED, community=c1
        )

        provider, staff = create_provider()
        now = utcnow().replace(microsecond=0)
        create_offering(provider, staff, themes=[a], career_stages=[starter])
        create_offering(provider, staff, themes=[b, c])
        ongoing = [
            services.Meeting(now - timedelta(days=7), now - timedelta(days=7, hours=-2)),
            services.Meeting(now + timedelta(days=7), now + timedelta(days=7, hours=2)),
        ]
        create_offering(provider, staff, themes=[c], career_stages=[expert], meetings=ongoing)
        ended = [services.Meeting(now - timedelta(days=3), now - timedelta(days=3, hours=-2))]
        create_offering(provider, staff, themes=[a], meetings=ended)
        create_offering(provider, staff, themes=[a], publish=False)
        cancelled = create_offering(provider, staff, themes=[c])
        services.cancel_offering(cancelled, staff, "Te weinig aanmeldingen.")
        db.session.commit()
        return Network(themes=themes, provider=provider, staff=staff)

    return build


def _numbers(rows: list[gap_queries.GapRow]) -> list[tuple[Any, ...]]:
    return [
        (row.key, row.open_questions, row.supports, row.offerings, row.communities, row.balance)
        for row in rows
    ]


# Hand-counted, in the page's order: largest gap first (ties: more demand first), rows without
# demand or supply last. (key, open questions, "me too"s, offerings, communities, balance)
B = gap_queries.Balance
PER_THEME = [
    ("formatief", 2, 4, 1, 0, B.MORE_DEMAND),  # 6 - 1 = 5
    ("rekenen", 1, 2, 0, 0, B.DEMAND_ONLY),  # 3
    ("taal", 2, 1, 1, 1, B.MORE_DEMAND),  # 3 - 2 = 1
    ("", 1, 1, 0, 1, B.MORE_DEMAND),  # no theme: 2 - 1 = 1
    ("oud", 1, 0, 0, 0, B.DEMAND_ONLY),  # hidden theme, still asked about: 1
    ("burgerschap", 0, 0, 2, 1, B.SUPPLY_ONLY),  # -3
    ("digitaal", 0, 0, 0, 0, B.NEITHER),
]
PER_STAGE = [
    ("starter", 2, 3, 1, 1, B.MORE_DEMAND),  # 5 - 2 = 3
    ("expert", 1, 2, 1, 0, B.MORE_DEMAND),  # 3 - 1 = 2
    ("experienced", 1, 1, 0, 0, B.DEMAND_ONLY),  # 2
    ("", 2, 1, 1, 2, B.BALANCED),  # none named: 3 - 3 = 0
    ("student", 0, 0, 0, 0, B.NEITHER),
]


def test_per_theme_matches_the_hand_count(build_network) -> None:
    build_network("")
    rows = gap_queries.per_theme("nl", "Geen thema")
    assert _numbers(rows) == PER_THEME
    assert [row.label for row in rows][:2] == ["formatief", "rekenen"]
    assert rows[3].label == "Geen thema"
    assert [row.gap for row in rows] == [5, 3, 1, 1, 1, -3, 0]


def test_per_theme_in_english_uses_the_english_names(build_network) -> None:
    build_network("")
    assert gap_queries.per_theme("en", "No theme")[0].label == "formatief (en)"


def test_per_career_stage_matches_the_hand_count(build_network) -> None:
    build_network("")
    rows = gap_queries.per_career_stage(STAGE_LABELS, "Geen fase")
    assert _numbers(rows) == PER_STAGE
    assert [row.gap for row in rows] == [3, 2, 2, 0, 0]


def test_totals_count_each_question_offering_and_community_once(build_network) -> None:
    build_network("")
    assert gap_queries.totals() == gap_queries.Totals(
        open_questions=6, supports=7, offerings=3, communities=3
    )


def test_an_empty_network_has_only_empty_rows(create_theme) -> None:
    create_theme("formatief")
    rows = gap_queries.per_theme("nl", "Geen thema")
    assert _numbers(rows) == [("formatief", 0, 0, 0, 0, B.NEITHER)]
    assert chart_of(rows).rows == []
    assert gap_queries.totals() == gap_queries.Totals(0, 0, 0, 0)
    # ties keep the career line's order, the row for "no stage named" last
    stages = gap_queries.per_career_stage(STAGE_LABELS, "Geen fase")
    assert [row.key for row in stages] == ["student", "starter", "experienced", "expert", ""]


def test_chart_leaves_out_empty_rows_and_scales_to_the_largest_bar(build_network) -> None:
    build_network("")
    chart = chart_of(gap_queries.per_theme("nl", "Geen thema"))
    assert [bar.row.key for bar in chart.rows] == [key for key, *_ in PER_THEME[:-1]]
    formatief = chart.rows[0]
    assert formatief.demand_width == 420  # the largest value (6) fills the bar space
    assert formatief.supply_width == 70  # 1/6 of it
    assert chart.rows[1].supply_width == 0
    assert len({bar.y for bar in chart.rows}) == len(chart.rows)


# -- the page ----------------------------------------------------------------------------------


class _Table(HTMLParser):
    """The body rows of the page's table, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("th", "td"):
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("th", "td"):
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.rows[-1][-1] += data.strip()


def _table(html: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(html)
    return parser.rows


def test_coordinator_sees_table_chart_and_switch(build_network, create_user, login_client):
    build_network("")
    coordinator = login_client(create_user(is_coordinator=True))

    page = coordinator.get("/vraag-en-aanbod")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = _table(html)
    assert [row[0] for row in rows][:3] == ["formatief", "rekenen", "taal"]
    # theme, questions, "me too"s, demand, offerings, communities, supply, gap
    assert rows[0][:8] == ["formatief", "2", "4", "6", "1", "0", "1", "+5"]
    assert rows[5][:8] == ["burgerschap", "0", "0", "0", "2", "1", "3", "-3"]
    assert 'role="img"' in html and 'aria-labelledby="gap-chart-title gap-chart-desc"' in html
    assert html.count('class="gap-bar-demand"') == 1 + 6  # the legend and six rows
    assert 'href="/vraag-en-aanbod?per=loopbaanfase"' in html
    assert 'href="/vraag-en-aanbod.csv?per=thema"' in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline styles

    by_stage = coordinator.get("/vraag-en-aanbod?per=loopbaanfase")
    rows = _table(by_stage.get_data(as_text=True))
    assert [row[1:7] for row in rows] == [
        [str(n) for n in (q, s, q + s, o, c, o + c)] for _, q, s, o, c, _ in PER_STAGE
    ]
    assert 'href="/vraag-en-aanbod.csv?per=loopbaanfase"' in by_stage.get_data(as_text=True)
    unknown = _table(coordinator.get("/vraag-en-aanbod?per=iets").get_data(as_text=True))
    assert unknown[0][0] == "formatief"  # anything else is per theme


def test_private_and_school_question_titles_never_appear(build_network, create_user, login_client):
    build_network("")
    html = (
        login_client(create_user(is_coordinator=True))
        .get("/vraag-en-aanbod")
        .get_data(as_text=True)
    )
    assert "Leervraag" not in html  # the builder's question titles


@pytest.mark.parametrize("role", ["coordinator", "admin", "provider"])
def test_coordinator_admin_and_provider_staff_may_look(
    role, create_user, create_provider, login_client
) -> None:
    if role == "provider":
        _, user = create_provider()
    else:
        user = create_user(**{f"is_{role}": True})
    client = login_client(user)
    assert client.get("/vraag-en-aanbod").status_code == 200
    assert client.get("/vraag-en-aanbod.csv").status_code == 200
    assert 'href="/vraag-en-aanbod"' in client.get("/profiel").get_data(as_text=True)


def test_teachers_get_not_found_and_visitors_the_login(client, create_user, login_client) -> None:
    teacher = login_client(create_user())
    for path in ("/vraag-en-aanbod", "/vraag-en-aanbod.csv", "/vraag-en-aanbod?per=loopbaanfase"):
        assert teacher.get(path).status_code == 404
        response = client.get(path)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert "/vraag-en-aanbod" not in teacher.get("/profiel").get_data(as_text=True)


def test_csv_export_holds_the_table(build_network, create_user, login_client) -> None:
    build_network("")
    coordinator = login_client(create_user(is_coordinator=True, preferred_language="en"))

    response = coordinator.get("/vraag-en-aanbod.csv")
    assert response.mimetype == "text/csv"
    assert "vraag-en-aanbod-thema.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert header == [
        "Theme",
        "Code",
        "Open learning questions",
        "Me too",
        "Demand",
        "Offerings",
        "Communities",
        "Supply",
        "Gap",
        "Indicator",
    ]
    assert [row[1] for row in rows] == [key for key, *_ in PER_THEME]
    assert rows[0] == [
        "formatief (en)",
        "formatief",
        "2",
        "4",
        "6",
        "1",
        "0",
        "1",
        "5",
        "More demand than supply",
    ]
    assert rows[3][0] == "No theme"
    assert rows[5][-2:] == ["-3", "Supply without demand"]

    by_stage = coordinator.get("/vraag-en-aanbod.csv?per=loopbaanfase")
    header, *rows = list(csv.reader(io.StringIO(by_stage.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[0] == "Career stage"
    assert [row[:4] + row[5:7] for row in rows] == [
        [label, key, str(q), str(s), str(o), str(c)]
        for (key, q, s, o, c, _), label in zip(
            PER_STAGE,
            [
                "Beginning teacher",
                "Expert teacher",
                "Experienced teacher",
                "No career stage named",
                "Student teacher",
            ],
            strict=True,
        )
    ]


def test_csv_cells_cannot_run_as_formulas(create_user, create_theme, login_client) -> None:
    create_theme("=HYPERLINK(1)", slug="formule")
    response = login_client(create_user(is_coordinator=True)).get("/vraag-en-aanbod.csv")
    row = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))[1]
    assert row[0] == "'=HYPERLINK(1)"


def test_statement_count_does_not_grow_with_the_data(
    build_network, create_user, login_client, count_queries
) -> None:
    paths = ("/vraag-en-aanbod", "/vraag-en-aanbod?per=loopbaanfase", "/vraag-en-aanbod.csv")
    network = build_network("-1")
    coordinator = login_client(create_user(is_coordinator=True))
    provider_staff = login_client(network.staff)

    def counts() -> list[int]:
        measured = []
        for client in (coordinator, provider_staff):
            for path in paths:
                with count_queries() as counted:
                    assert client.get(path).status_code == 200
                measured.append(counted.count)
        return measured

    small = counts()
    for n in range(2, 11):
        build_network(f"-{n}")
    assert counts() == small
    assert max(small) <= 8, small
