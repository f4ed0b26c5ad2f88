"""The development record as a PDF and as a CSV file, for the teacher's competence file
(*bekwaamheidsdossier*). Both are written in the reader's language, in the request.

The PDF uses DejaVu Sans from `static/fonts/` (see the README there): fpdf2's built-in fonts
know Latin-1 only, and a Dutch record holds “quotes”, en-dashes and names from many languages.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from plc.core.i18n import current_language
from plc.core.spreadsheet import safe_cell
from plc.development.forms import OUTPUT_LABEL, SOURCE_LABELS
from plc.development.models import RecordEntry
from plc.development.services import SchoolYear, hours_text, totals

FONT = "DejaVuSans"
#: Column widths in millimetres on A4 portrait with 15 mm margins (180 mm in all).
ENTRY_COLUMNS = (24, 60, 52, 22, 22)
OUTPUT_COLUMNS = (24, 96, 60)
GREY = (235, 235, 235)


# -- words shared by both formats ---------------------------------------------------------------


def source_label(year: SchoolYear, entry: RecordEntry) -> str:
    """ "Live session – Rekenen in de onderbouw", "Own entry – Hogeschool van Amsterdam"."""
    provider = year.provider(entry)
    label = str(SOURCE_LABELS[entry.source])
    return f"{label} – {provider}" if provider else label


def _day(day: date) -> str:
    return format_date(day, "medium")


# -- PDF ----------------------------------------------------------------------------------------


class _RecordPDF(FPDF):
    """A4 with the platform's name and page numbers in the footer."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(90)
        self.cell(0, 5, "Leernetwerk Amsterdam", align="L")
        self.set_x(self.l_margin)
        self.cell(
            0, 5, _("Page %(page)d of %(pages)s", page=self.page_no(), pages="{nb}"), align="R"
        )
        self.set_text_color(0)


def _new_pdf(title: str, author: str) -> _RecordPDF:
    fonts = Path(current_app.static_folder or "static") / "fonts"
    pdf = _RecordPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FONT, "", fonts / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", fonts / "DejaVuSans-Bold.ttf")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("Leernetwerk Amsterdam")
    pdf.set_lang(current_language())
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str, size: float, space_before: float = 0) -> None:
    pdf.ln(space_before)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)


def _text(pdf: FPDF, text: str, size: float = 10, space_before: float = 0) -> None:
    pdf.ln(space_before)
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")


def _entries_table(pdf: FPDF, year: SchoolYear) -> None:
    bold = FontFace(emphasis="BOLD", fill_color=GREY)
    with pdf.table(
        col_widths=ENTRY_COLUMNS,
        width=sum(ENTRY_COLUMNS),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        headings_style=bold,
        line_height=5,
        padding=1.2,
    ) as table:
        table.row([_("Date"), _("Activity"), _("Source / provider"), _("Contact"), _("Self-study")])
        for entry in year.entries:
            table.row(
                [
                    _day(entry.activity_date),
                    entry.title,
                    source_label(year, entry),
                    hours_text(entry.contact_minutes),
                    hours_text(entry.self_study_minutes),
                ]
            )
        total = table.row(style=bold)
        total.cell(_("Total %(year)s", year=year.name), colspan=3)
        total.cell(hours_text(year.contact_minutes))
        total.cell(hours_text(year.self_study_minutes))


def _outputs_table(pdf: FPDF, year: SchoolYear) -> None:
    _heading(pdf, _("Contributed knowledge outputs"), 10, space_before=3)
    with pdf.table(
        col_widths=OUTPUT_COLUMNS,
        width=sum(OUTPUT_COLUMNS),
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
        line_height=5,
        padding=1.2,
    ) as table:
        table.row([_("Published"), _("Title"), _("Community")])
        for output in year.outputs:
            table.row([_day(output.published_on), output.title, output.community])


def record_pdf(
    person_name: str, years: list[SchoolYear], *, exported_on: date, year: str | None = None
) -> bytes:
    """The record (or the one school year asked for) as a PDF document."""
    title = _("Professional development record")
    pdf = _new_pdf(f"{title} – {person_name}", person_name)
    _heading(pdf, title, 18)
    _heading(pdf, person_name, 14, space_before=1)
    _text(
        pdf,
        _(
            "Exported on %(date)s from Leernetwerk Amsterdam.",
            date=format_date(exported_on, "long"),
        ),
    )
    if year is not None:
        _text(pdf, _("School year %(year)s", year=year))
    _text(pdf, _("Hours are given as hours:minutes."), size=9)
    if not years:
        _text(pdf, _("Nothing recorded yet."))
    for each in years:
        _heading(pdf, _("School year %(year)s", year=each.name), 13, space_before=6)
        if each.entries:
            _entries_table(pdf, each)
            _text(
                pdf,
                _(
                    "Contact hours %(contact)s, self-study %(study)s, together %(total)s.",
                    contact=hours_text(each.contact_minutes),
                    study=hours_text(each.self_study_minutes),
                    total=hours_text(each.total_minutes),
                ),
                size=9,
                space_before=1.5,
            )
        if each.outputs:
            _outputs_table(pdf, each)
    if year is None and years:
        overall = totals(years)
        _heading(pdf, _("All school years"), 13, space_before=6)
        _text(
            pdf,
            _(
                "Contact hours %(contact)s, self-study %(study)s, together %(total)s.",
                contact=hours_text(overall.contact_minutes),
                study=hours_text(overall.self_study_minutes),
                total=hours_text(overall.total_minutes),
            ),
        )
    return bytes(pdf.output())


# -- CSV ----------------------------------------------------------------------------------------


def _decimal_hours(minutes: int) -> str:
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_decimal(hours, format="0.##", locale="nl")


def record_csv(years: list[SchoolYear]) -> str:
    """One row per entry and per contributed output.

    Made for Excel as Dutch teachers have it: a byte order mark, so that Excel reads UTF-8 (é, ë,
    “quotes”), and `;` between fields, the list separator of Dutch Windows, so that a double
    click opens it in columns (a comma would put each row in one cell). For the same reason hours
    have a decimal comma ("1,5"); minutes are given too, as whole numbers any program reads.
    Dates are ISO (2026-10-01), which Excel reads as dates in every language.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("School year"),
            _("Date"),
            _("Title"),
            _("Source"),
            _("Provider"),
            _("Contact minutes"),
            _("Contact hours"),
            _("Self-study minutes"),
            _("Self-study hours"),
            _("Evidence"),
        ]
    )
    for year in years:
        for entry in year.entries:
            writer.writerow(
                [
                    year.name,
                    entry.activity_date.isoformat(),
                    safe_cell(entry.title),
                    str(SOURCE_LABELS[entry.source]),
                    safe_cell(year.provider(entry)),
                    entry.contact_minutes,
                    _decimal_hours(entry.contact_minutes),
                    entry.self_study_minutes,
                    _decimal_hours(entry.self_study_minutes),
                    safe_cell(entry.evidence_filename or ""),
                ]
            )
        for output in year.outputs:
            writer.writerow(
                [
                    year.name,
                    output.published_on.isoformat(),
                    safe_cell(output.title),
                    str(OUTPUT_LABEL),
                    safe_cell(output.community),
                    "",
                    "",
                    "",
                    "",
                    "",
                ]
            )
    return buffer.getvalue()
