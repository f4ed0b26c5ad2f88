"""School, board and network dashboards: charts with the tables of their numbers, and each table
as CSV. Each page loads the organisation, checks who may read it (anyone else gets a 404, as if
it did not exist), asks the services for the figures and renders them; a table's CSV file is
the very table the page shows, hidden cells included.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Flask, Response, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from plc.catalogue.models import MatchKind
from plc.core import pagecache
from plc.core.disclosure import MIN_GROUP
from plc.core.hooks import add_hook
from plc.core.permissions import require
from plc.dashboards import access, services
from plc.dashboards import network as network_figures
from plc.dashboards.facts import Year, recent_years, year_named
from plc.dashboards.participation import BLOCK_LABELS, Block
from plc.dashboards.tables import Table, csv_of, hidden_text
from plc.development import goals
from plc.extensions import db
from plc.organisations.models import Organisation, OrganisationKind

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")

#: The columns of a learning question's matches, in this order.
MATCH_KINDS = {
    MatchKind.OFFERING: _l("Offerings"),
    MatchKind.COMMUNITY: _l("Communities"),
    MatchKind.OUTPUT: _l("Knowledge outputs"),
}


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    add_hook(app, "start_page", _start_page)
    app.jinja_env.globals.update(
        dashboard_number=_number, dashboard_hidden=hidden_text, dashboard_min_group=MIN_GROUP
    )
    app.register_blueprint(bp)


# -- loading -----------------------------------------------------------------------------------


def _organisation(slug: str, kind: OrganisationKind) -> Organisation:
    organisation = db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.slug == slug)
        .options(joinedload(Organisation.parent))  # a school's board, named on its page
    )
    require(organisation is not None and organisation.kind == kind)
    return organisation  # type: ignore[return-value]


def _year() -> Year:
    """The school year asked for (?jaar=2025-2026), the current one by default."""
    year = year_named(request.args.get("jaar"))
    require(year is not None)
    return year  # type: ignore[return-value]


def _block() -> Block:
    value = request.args.get("onderdeel", "")
    return Block(value) if value in {block.value for block in Block} else Block.COMMUNITIES


def _csv(table: Table | None, name: str, year: Year) -> Response:
    require(table is not None)
    assert table is not None
    response = Response(csv_of(table), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="dashboard-{name}-{table.id}-{year.name}.csv"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _page_args(year: Year, block: Block | None = None) -> dict[str, Any]:
    return {
        "year": year,
        "years": recent_years(),
        "block": block,
        "blocks": list(Block),
        "block_labels": BLOCK_LABELS,
    }


# -- pages -------------------------------------------------------------------------------------


@bp.get("")
@login_required
def index() -> str:
    """The dashboards the person may open; a page that says so when there are none."""
    return render_template("dashboards/index.html", available=access.dashboards_for(current_user))


def _readable_school(slug: str) -> tuple[Organisation, access.SchoolAccess]:
    school = _organisation(slug, OrganisationKind.SCHOOL)
    school_access = access.school_access(current_user, school)
    require(school_access.can_read)
    return school, school_access


@bp.get("/school/<slug>")
@login_required
@pagecache.for_visitors(members=True)
def school(slug: str) -> str:
    school, school_access = _readable_school(slug)
    year, block = _year(), _block()
    everything = {name for name in services.List if name.parameter in request.args}
    dashboard = services.school_dashboard(
        school,
        current_user,  # type: ignore[arg-type]
        year,
        reads_shared=school_access.reads_shared,
        everything=everything,
    )
    return render_template(
        "dashboards/school.html",
        show_all=partial(_show_all_url, school, year, block, everything),
        dashboard=dashboard,
        match_kinds=MATCH_KINDS,
        school_goals_url=_school_goals_url(school, school_access),
        **_page_args(year, block),
    )


#: Where on the school dashboard each list begins.
LIST_ANCHORS = {
    services.List.OUTPUTS: "outputs-title",
    services.List.GOALS: "shared-goals-title",
    services.List.RECORDS: "shared-records-title",
    services.List.QUESTIONS: "questions-title",
}


def _show_all_url(
    school: Organisation, year: Year, block: Block, everything: set[services.List], name: str
) -> str:
    """The page again with the list `name` shown whole (and those shown whole already)."""
    wanted = services.List[name]
    whole = {item.parameter: "" for item in sorted({*everything, wanted})}
    return url_for(
        "dashboards.school",
        slug=school.slug,
        jaar=year.name,
        onderdeel=block.value,
        _anchor=LIST_ANCHORS[wanted],
        **whole,
    )


def _school_goals_url(school: Organisation, school_access: access.SchoolAccess) -> str | None:
    """The school's development goals page, for those who may open it (`plan.school_goals`):
    everyone who reads this dashboard (its leaders and HR advisors and its board's; its board's
    members, who read the goals' figures only), and its own people."""
    if school_access.can_read or goals.is_member(current_user, school):  # type: ignore[arg-type]
        return url_for("plan.school_goals", slug=school.slug)
    return None


@bp.get("/school/<slug>/<table_id>.csv")
@login_required
def school_csv(slug: str, table_id: str) -> Response:
    school, _access = _readable_school(slug)
    year = _year()
    return _csv(services.school_tables(school, year).find(table_id), school.slug, year)


def _readable_board(slug: str) -> Organisation:
    board = _organisation(slug, OrganisationKind.BOARD)
    require(access.may_read_board(current_user, board))
    return board


@bp.get("/bestuur/<slug>")
@login_required
def board(slug: str) -> str:
    board = _readable_board(slug)
    year, block = _year(), _block()
    return render_template(
        "dashboards/board.html",
        dashboard=services.board_dashboard(board, year),
        **_page_args(year, block),
    )


@bp.get("/bestuur/<slug>/<table_id>.csv")
@login_required
def board_csv(slug: str, table_id: str) -> Response:
    board = _readable_board(slug)
    year = _year()
    return _csv(services.board_dashboard(board, year).tables.find(table_id), board.slug, year)


@bp.get("/netwerk")
@login_required
def network() -> str:
    require(access.may_read_network(current_user))
    year = _year()
    return render_template(
        "dashboards/network.html",
        dashboard=network_figures.network_dashboard(year),
        **_page_args(year),
    )


@bp.get("/netwerk/<table_id>.csv")
@login_required
def network_csv(table_id: str) -> Response:
    require(access.may_read_network(current_user))
    year = _year()
    return _csv(network_figures.network_dashboard(year).find(table_id), "netwerk", year)


# -- what other pages show ---------------------------------------------------------------------


def _start_page(user: Any) -> dict[str, Any]:
    """Links to the person's dashboards at the top of their start page, where a school leader
    looks first (two statements, and none for visitors)."""
    available = access.dashboards_for(user)
    return {"my_dashboards": available} if available else {}


def _profile_section(user: Any) -> tuple[str, dict[str, object]] | None:
    # base.html's navigation is shared by everyone; the profile is where dashboards are found.
    available = access.dashboards_for(user)
    return ("dashboards/_profile_section.html", {"available": available}) if available else None


def _number(value: float | None, hours: bool = False) -> str:
    """A figure in the reader's language (hours with one decimal); hidden cells say so."""
    if value is None:
        return hidden_text()
    return format_decimal(round(value, 1), format="#,##0.0" if hours else "#,##0")
