"""Demand and supply at a glance (*vraag en aanbod*), for the network's coordinator and for
providers: per theme or per career stage, the open learning questions and their "me too"s against
the offerings and communities that serve them, as a table, a chart and a CSV file.

The counting lives in `gap_queries`; this module checks who may look and shapes the answer.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from plc.auth.forms import career_stage_pairs
from plc.catalogue import gap_queries
from plc.catalogue.gap_queries import Balance, GapRow
from plc.catalogue.services import providers_for
from plc.core.hooks import add_hook
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.core.spreadsheet import safe_cell

bp = Blueprint("demand", __name__)

#: The switch's values, as they appear in the URL (?per=loopbaanfase).
PER_THEME = "thema"
PER_CAREER_STAGE = "loopbaanfase"

BALANCE_LABELS = {
    Balance.DEMAND_ONLY: _l("Demand without supply"),
    Balance.MORE_DEMAND: _l("More demand than supply"),
    Balance.BALANCED: _l("Demand and supply in balance"),
    Balance.MORE_SUPPLY: _l("More supply than demand"),
    Balance.SUPPLY_ONLY: _l("Supply without demand"),
    Balance.NEITHER: _l("No demand, no supply"),
}

# Chart geometry in SVG user units; the SVG scales to the width of the page.
CHART_WIDTH = 720
LABEL_WIDTH = 230
BAR_SPACE = 420  # leaves room after the longest bar for its number
BAR_HEIGHT = 14
ROW_HEIGHT = 46
CHART_TOP = 34  # the legend
LABEL_CHARS = 30


def may_see(user: Any) -> bool:
    """The coordinator, platform admins and the staff of any provider."""
    if not (user and user.is_authenticated):
        return False
    return bool(user.is_coordinator or user.is_admin or providers_for(user))


def _per() -> str:
    return PER_CAREER_STAGE if request.args.get("per") == PER_CAREER_STAGE else PER_THEME


def _rows(per: str) -> list[GapRow]:
    if per == PER_CAREER_STAGE:
        labels = {value: str(label) for value, label in career_stage_pairs() if value}
        return gap_queries.per_career_stage(labels, _("No career stage named"))
    return gap_queries.per_theme(current_language(), _("No theme"))


# -- the chart ---------------------------------------------------------------------------------


@dataclass
class ChartRow:
    row: GapRow
    y: int
    label: str
    demand_width: int
    supply_width: int


@dataclass
class Chart:
    rows: list[ChartRow]
    height: int


def chart_of(rows: list[GapRow]) -> Chart:
    """Two bars per row (demand above supply) on one scale; rows without either are left out,
    as the table lists them."""
    shown = [row for row in rows if row.balance != Balance.NEITHER]
    largest = max([1, *(max(row.demand, row.supply) for row in shown)])

    def width(value: int) -> int:
        # A count above zero stays visible as at least a sliver.
        return max(round(value / largest * BAR_SPACE), 2) if value else 0

    chart_rows = [
        ChartRow(
            row=row,
            y=CHART_TOP + index * ROW_HEIGHT,
            label=row.label
            if len(row.label) <= LABEL_CHARS
            else row.label[: LABEL_CHARS - 1] + "…",
            demand_width=width(row.demand),
            supply_width=width(row.supply),
        )
        for index, row in enumerate(shown)
    ]
    return Chart(rows=chart_rows, height=CHART_TOP + len(shown) * ROW_HEIGHT + 8)


# -- pages -------------------------------------------------------------------------------------


@bp.get("/vraag-en-aanbod")
@login_required
def overview() -> str:
    require(may_see(current_user))
    per = _per()
    rows = _rows(per)
    return render_template(
        "catalogue/gaps.html",
        per=per,
        rows=rows,
        chart=chart_of(rows),
        totals=gap_queries.totals(),
        balance_labels=BALANCE_LABELS,
        geometry={"width": CHART_WIDTH, "label_width": LABEL_WIDTH, "bar_height": BAR_HEIGHT},
        PER_THEME=PER_THEME,
        PER_CAREER_STAGE=PER_CAREER_STAGE,
    )


def csv_of(rows: list[GapRow], per: str) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a byte order mark, so Excel reads the file as UTF-8
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Career stage") if per == PER_CAREER_STAGE else _("Theme"),
            _("Code"),
            _("Open learning questions"),
            _("Me too"),
            _("Demand"),
            _("Offerings"),
            _("Communities"),
            _("Supply"),
            _("Gap"),
            _("Indicator"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                safe_cell(row.label),
                safe_cell(row.key),
                row.open_questions,
                row.supports,
                row.demand,
                row.offerings,
                row.communities,
                row.supply,
                row.gap,
                str(BALANCE_LABELS[row.balance]),
            ]
        )
    return buffer.getvalue()


@bp.get("/vraag-en-aanbod.csv")
@login_required
def export_csv() -> Response:
    require(may_see(current_user))
    per = _per()
    response = Response(csv_of(_rows(per), per), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="vraag-en-aanbod-{per}.csv"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _profile_section(user: Any) -> tuple[str, dict[str, object]] | None:
    # base.html's navigation is shared by everyone; the profile is where this page is found.
    return ("catalogue/_gaps_profile_section.html", {}) if may_see(user) else None


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    app.register_blueprint(bp)
