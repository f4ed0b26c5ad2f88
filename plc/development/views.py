"""The development record: the teacher's own page, their entries with evidence, exports, and
sharing; and the record as a leader or HR advisor of their school reads it, while shared."""

from __future__ import annotations

import io
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.auth.models import User
from plc.core.downloads import DOWNLOAD_HEADERS, send_stored
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error
from plc.core.hooks import add_hook
from plc.core.permissions import require
from plc.development import export, goals, services
from plc.development.forms import SOURCE_LABELS, EntryForm
from plc.development.models import RecordEntry, RecordSource
from plc.extensions import db
from plc.themes.services import slugify

bp = Blueprint("development", __name__)
OWN = "/mijn-professionalisering"
SHARED = "/professionalisering/<int:user_id>"
FILENAME = "professionaliseringsoverzicht"


# -- loading ------------------------------------------------------------------------------------


def _viewer() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _own_entry(entry_id: int) -> RecordEntry:
    """One of the viewer's own activities; the platform's entries and others' answer 404."""
    entry = services.own_manual_entry(_viewer(), entry_id)
    require(entry is not None)
    return entry  # type: ignore[return-value]


def _shared(user_id: int, year: str | None = None) -> tuple[User, list[services.SchoolYear]]:
    """A teacher's record, shared with the viewer; anything else answers 404, so that nobody
    learns whether a record exists, or is shared with someone else."""
    teacher = db.session.get(User, user_id)
    require(teacher is not None)
    assert teacher is not None
    try:
        return teacher, services.shared_record_of(teacher, _viewer(), year)
    except ServiceError:
        abort(404)


def _year_arg() -> str | None:
    """The school year asked for (`?jaar=2026-2027`); None for the whole record."""
    year = request.args.get("jaar", "")
    if not year:
        return None
    require(services.is_school_year(year))
    return year


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


# -- the teacher's own record -------------------------------------------------------------------


@bp.get(OWN)
@login_required
def record() -> str:
    viewer = _viewer()
    years = services.record_of(viewer)
    return render_template(
        "development/record.html",
        years=years,
        totals=services.totals(years),
        shared_since=services.record_shared_since(viewer),
        audience=goals.sharing_audience(viewer),
    )


def _fields(form: EntryForm) -> services.EntryFields:
    return services.EntryFields(
        title=form.title.data or "",
        activity_date=form.activity_date.data,
        provider=form.provider.data or "",
        description=form.description.data or "",
        contact_minutes=form.contact_hours.minutes,
        self_study_minutes=form.self_study_hours.minutes,
    )


def _evidence(form: EntryForm) -> services.Evidence | None:
    upload = form.evidence.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return services.Evidence(upload.stream, upload.filename)


def _entry_page(form: EntryForm, entry: RecordEntry | None) -> tuple[str, int]:
    status = 400 if request.method == "POST" else 200
    return (
        render_template("development/record_entry_form.html", form=form, entry=entry),
        status,
    )


@bp.route(f"{OWN}/nieuw", methods=["GET", "POST"])
@login_required
def add_entry() -> Response | tuple[str, int]:
    form = EntryForm()
    if form.validate_on_submit():
        try:
            entry = services.add_entry(_viewer(), _fields(form), _evidence(form))
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is in your record.", title=entry.title), "success")
            return redirect(url_for("development.record", _anchor=f"entry-{entry.id}"))
    return _entry_page(form, None)


def _filled(entry: RecordEntry) -> EntryForm:
    form = EntryForm(obj=entry)
    form.contact_hours.data = services.hours_text(entry.contact_minutes)
    form.self_study_hours.data = services.hours_text(entry.self_study_minutes)
    return form


@bp.route(f"{OWN}/<int:entry_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_entry(entry_id: int) -> Response | tuple[str, int]:
    entry = _own_entry(entry_id)
    form = _filled(entry) if request.method == "GET" else EntryForm()
    if form.validate_on_submit():
        try:
            services.update_entry(
                entry,
                _viewer(),
                _fields(form),
                _evidence(form),
                remove_evidence=bool(form.remove_evidence.data),
            )
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("development.record", _anchor=f"entry-{entry.id}"))
    return _entry_page(form, entry)


@bp.post(f"{OWN}/<int:entry_id>/verwijderen")
@login_required
def delete_entry(entry_id: int) -> Response:
    entry = _own_entry(entry_id)
    _confirmed()
    title = entry.title
    services.delete_entry(entry, _viewer())
    db.session.commit()
    flash(_("“%(title)s” has been deleted from your record.", title=title), "success")
    return redirect(url_for("development.record"))


@bp.post(f"{OWN}/delen")
@login_required
def share() -> Response:
    _confirmed()
    services.share_record(_viewer())
    db.session.commit()
    flash(_("Your record is shared with the leaders and HR advisors of your schools."), "success")
    return redirect(url_for("development.record", _anchor="sharing"))


@bp.post(f"{OWN}/niet-meer-delen")
@login_required
def withdraw() -> Response:
    _confirmed()
    services.withdraw_record(_viewer())
    db.session.commit()
    flash(_("Your record is no longer shared. Nobody but you can see it."), "success")
    return redirect(url_for("development.record", _anchor="sharing"))


# -- evidence and exports -----------------------------------------------------------------------


@bp.get("/professionalisering/bewijs/<int:entry_id>")
@login_required
def evidence(entry_id: int) -> Response:
    """The owner's evidence file; a leader's while the record is shared with them."""
    entry = services.evidence_entry(entry_id, _viewer())
    require(entry is not None)
    assert entry is not None and entry.evidence_key is not None
    response = send_stored(
        entry.evidence_key,
        entry.evidence_filename or "evidence",
        entry.evidence_content_type or "application/octet-stream",
    )
    # Personal, and readable by a leader only while shared: no copy may stay in a cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _filename(extension: str, year: str | None, person: User | None = None) -> str:
    """professionaliseringsoverzicht[-name]-2026-2027.pdf; a leader's copy names the teacher."""
    parts = [FILENAME]
    if person is not None:
        parts.append(slugify(person.display_name, 60) or str(person.id))
    if year is not None:
        parts.append(year)
    return "-".join(parts) + f".{extension}"


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = send_file(
        io.BytesIO(body),
        mimetype=mimetype,
        as_attachment=True,
        download_name=filename,
        conditional=False,
        etag=False,
        max_age=None,
    )
    response.headers.update(DOWNLOAD_HEADERS)
    response.headers["Cache-Control"] = "private, no-store"  # a personal record
    return response


def _pdf(
    person: User, years: list[services.SchoolYear], filename: str, year: str | None
) -> Response:
    body = export.record_pdf(
        person.display_name, years, exported_on=services.amsterdam_today(), year=year
    )
    return _download(body, "application/pdf", filename)


def _csv(years: list[services.SchoolYear], filename: str) -> Response:
    body = export.record_csv(years).encode("utf-8")
    return _download(body, "text/csv", filename)


@bp.get(f"{OWN}/overzicht.pdf")
@login_required
def record_pdf() -> Response:
    year = _year_arg()
    viewer = _viewer()
    return _pdf(viewer, services.record_of(viewer, year), _filename("pdf", year), year)


@bp.get(f"{OWN}/overzicht.csv")
@login_required
def record_csv() -> Response:
    year = _year_arg()
    return _csv(services.record_of(_viewer(), year), _filename("csv", year))


# -- the record as a leader reads it --------------------------------------------------------------


@bp.get(SHARED)
@login_required
def shared_record(user_id: int) -> str | Response:
    if user_id == current_user.id:
        return redirect(url_for("development.record"))
    teacher, years = _shared(user_id)
    return render_template(
        "development/record_shared.html",
        teacher=teacher,
        years=years,
        totals=services.totals(years),
        shared_since=services.record_shared_since(teacher),
    )


@bp.get(f"{SHARED}/overzicht.pdf")
@login_required
def shared_record_pdf(user_id: int) -> Response:
    year = _year_arg()
    teacher, years = _shared(user_id, year)
    return _pdf(teacher, years, _filename("pdf", year, teacher), year)


@bp.get(f"{SHARED}/overzicht.csv")
@login_required
def shared_record_csv(user_id: int) -> Response:
    year = _year_arg()
    teacher, years = _shared(user_id, year)
    return _csv(years, _filename("csv", year, teacher))


# -- the profile page ---------------------------------------------------------------------------


def _profile_section(user: Any) -> tuple[str, dict[str, object]]:
    return "development/_profile_section.html", {
        "record_shared_since": services.record_shared_since(user)
    }


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    app.jinja_env.globals.update(
        record_source_label=lambda source: SOURCE_LABELS[RecordSource(source)],
        record_hours=services.hours_text,
    )
    app.register_blueprint(bp)
