"""Organisation pages: browse, read, claim a role, approve claims, edit."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook, hooks
from plc.core.permissions import admin_required, require
from plc.extensions import db
from plc.organisations import services
from plc.organisations.forms import (
    KIND_LABELS,
    KIND_PLURALS,
    ROLE_LABELS,
    ClaimRoleForm,
    ListedForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    PartnerForm,
)
from plc.organisations.models import (
    Organisation,
    OrganisationKind,
    OrganisationMembership,
    OrganisationRole,
)

bp = Blueprint("organisations", __name__, url_prefix="/organisaties")
PER_PAGE = 30


def _load(slug: str, *, for_page: bool = False) -> Organisation:
    """The organisation; `for_page`: with the board, schools and partners its page names, in
    two statements (the board and the schools joined, the partners selected)."""
    query = db.select(Organisation).where(Organisation.slug == slug)
    if for_page:
        query = query.options(
            joinedload(Organisation.parent),
            joinedload(Organisation.children),
            selectinload(Organisation.partners),
        )
    organisation = db.session.scalars(query).unique().first()
    require(organisation is not None)
    return organisation  # type: ignore[return-value]


def _kind_arg() -> OrganisationKind | None:
    value = request.args.get("soort", "")
    return OrganisationKind(value) if value in {k.value for k in OrganisationKind} else None


@bp.get("")
def index() -> str:
    kind = _kind_arg()
    text = request.args.get("q", "")
    page = db.paginate(services.search_query(text, kind), per_page=PER_PAGE, error_out=False)
    return render_template(
        "organisations/index.html", page=page, kind=kind, q=text, kinds=list(OrganisationKind)
    )


@bp.get("/<slug>")
def show(slug: str) -> str:
    from plc.communities.services import communities_of_organisation

    organisation = _load(slug, for_page=True)
    claim_form = ClaimRoleForm(organisation) if current_user.is_authenticated else None
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        members=services.listed_members(organisation),
        communities=communities_of_organisation(organisation, current_user),
        claim_form=claim_form,
        can_administer=services.can_administer(current_user, organisation),
        my_roles={role for _, role in services.approved_roles(current_user, [organisation.id])},
        sections=_sections(organisation),
    )


def _sections(organisation: Organisation) -> list[tuple[str, dict[str, object]]]:
    """What other features show on the page (published knowledge…), through the
    "organisation_page" hook: each returns (template name, context) or None."""
    return [section for hook in hooks("organisation_page") if (section := hook(organisation))]


@bp.post("/<slug>/rol")
@login_required
def claim_role(slug: str) -> str | Response:
    organisation = _load(slug)
    form = ClaimRoleForm(organisation)
    if form.validate_on_submit():
        try:
            services.claim_role(
                current_user, organisation, OrganisationRole(form.role.data), form.note.data or ""
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Your request has been sent. You will see the role on your profile once it is approved."
                ),
                "success",
            )
            return redirect(url_for("organisations.show", slug=slug))
    response = render_template(
        "organisations/show.html",
        organisation=organisation,
        members=services.listed_members(organisation),
        communities=[],
        sections=_sections(organisation),
        claim_form=form,
        can_administer=services.can_administer(current_user, organisation),
        my_roles=set(),
    )
    return response, 400  # type: ignore[return-value]


@bp.get("/<slug>/aanvragen")
@login_required
def claims(slug: str) -> str:
    organisation = _load(slug)
    require(services.can_administer(current_user, organisation))
    return render_template(
        "organisations/claims.html",
        organisation=organisation,
        claims=services.pending_claims(organisation),
        confirm=ConfirmForm(),
    )


@bp.post("/<slug>/aanvragen/<int:membership_id>")
@login_required
def decide_claim(slug: str, membership_id: int) -> Response:
    organisation = _load(slug)
    require(services.can_administer(current_user, organisation))
    membership = db.get_or_404(OrganisationMembership, membership_id)
    require(membership.organisation_id == organisation.id)
    if not ConfirmForm().validate_on_submit() or request.form.get("decision") not in (
        "approve",
        "reject",
    ):
        abort(400)
    try:
        services.decide_claim(
            membership, approve=request.form["decision"] == "approve", acting=current_user
        )
    except ServiceError as error:
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(
            _("The request has been approved.")
            if membership.approved
            else _("The request has been declined."),
            "success",
        )
    return redirect(url_for("organisations.claims", slug=slug))


#: Kinds that are partnerships of other organisations.
PARTNERSHIP_KINDS = (OrganisationKind.TRAINING_SCHOOL, OrganisationKind.NETWORK)


def _edit_page(
    organisation: Organisation, form: OrganisationEditForm, partner_form: PartnerForm
) -> str:
    suggestions: list[str] = []
    if organisation.kind in PARTNERSHIP_KINDS:
        suggestions = list(
            db.session.scalars(db.select(Organisation.name).order_by(Organisation.name))
        )
    return render_template(
        "organisations/edit.html",
        organisation=organisation,
        form=form,
        partner_form=partner_form,
        partnership=organisation.kind in PARTNERSHIP_KINDS,
        suggestions=suggestions,
        confirm=ConfirmForm(),
    )


@bp.route("/<slug>/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response:
    organisation = _load(slug)
    require(services.can_administer(current_user, organisation))
    form = OrganisationEditForm(obj=organisation)
    if form.validate_on_submit():
        services.update_organisation(
            organisation, description=form.description.data or "", website=form.website.data
        )
        db.session.commit()
        flash(_("The organisation has been saved."), "success")
        return redirect(url_for("organisations.show", slug=slug))
    return _edit_page(organisation, form, PartnerForm(formdata=None))


@bp.post("/<slug>/partners")
@login_required
def add_partner(slug: str) -> str | Response:
    organisation = _load(slug)
    require(
        services.can_administer(current_user, organisation)
        and organisation.kind in PARTNERSHIP_KINDS
    )
    partner_form = PartnerForm()
    if partner_form.validate_on_submit():
        try:
            services.add_partner(
                organisation, services.find_by_name_or_code(partner_form.organisation.data or "")
            )
        except ServiceError as error:
            db.session.rollback()
            error.field = "organisation"
            attach_error(partner_form, error)
        else:
            db.session.commit()
            flash(_("The partner has been added."), "success")
            return redirect(url_for("organisations.edit", slug=slug))
    return _edit_page(
        organisation, OrganisationEditForm(obj=organisation, formdata=None), partner_form
    ), 400  # type: ignore[return-value]


@bp.post("/<slug>/partners/<int:partner_id>/verwijderen")
@login_required
def remove_partner(slug: str, partner_id: int) -> Response:
    organisation = _load(slug)
    require(
        services.can_administer(current_user, organisation)
        and organisation.kind in PARTNERSHIP_KINDS
    )
    partner = db.get_or_404(Organisation, partner_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.remove_partner(organisation, partner)
    db.session.commit()
    flash(_("The partner has been removed."), "success")
    return redirect(url_for("organisations.edit", slug=slug))


@bp.route("/nieuw", methods=["GET", "POST"])
@admin_required
def create() -> str | Response:
    form = OrganisationCreateForm()
    boards = db.session.scalars(
        db.select(Organisation)
        .where(Organisation.kind == OrganisationKind.BOARD)
        .order_by(Organisation.name)
    ).all()
    form.parent.choices = choices([("", _("None"))] + [(str(b.id), b.name) for b in boards])
    if form.validate_on_submit():
        parent = next((b for b in boards if str(b.id) == form.parent.data), None)
        try:
            organisation = services.create_organisation(
                OrganisationKind(form.kind.data),
                form.name.data or "",
                description=form.description.data or "",
                website=form.website.data,
                city=form.city.data,
                parent=parent,
            )
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The organisation has been added."), "success")
            return redirect(url_for("organisations.show", slug=organisation.slug))
    return render_template("organisations/create.html", form=form)


@bp.post("/rollen/<int:membership_id>/zichtbaarheid")
@login_required
def set_listed(membership_id: int) -> Response:
    membership = db.get_or_404(OrganisationMembership, membership_id)
    require(membership.user_id == current_user.id)
    form = ListedForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_listed(membership, bool(form.listed.data))
    db.session.commit()
    flash(_("Your choice has been saved."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/rollen/<int:membership_id>/beeindigen")
@login_required
def end_membership(membership_id: int) -> Response:
    membership = db.get_or_404(OrganisationMembership, membership_id)
    organisation = membership.organisation
    require(
        membership.user_id == current_user.id or services.can_administer(current_user, organisation)
    )
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_membership(membership)
    db.session.commit()
    flash(_("The role has been removed."), "success")
    return redirect(
        url_for("auth.profile")
        if membership.user_id == current_user.id
        else url_for("organisations.show", slug=organisation.slug)
    )


def _profile_section(user: object) -> tuple[str, dict[str, object]]:
    return "organisations/_profile_roles.html", {
        "memberships": services.user_memberships(user),  # type: ignore[arg-type]
        "listed_form": ListedForm(),
        "confirm": ConfirmForm(),
    }


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    app.jinja_env.globals.update(
        organisation_kind_label=lambda kind: KIND_LABELS[OrganisationKind(kind)],
        organisation_kind_plural=lambda kind: KIND_PLURALS[OrganisationKind(kind)],
        organisation_role_label=lambda role: ROLE_LABELS[OrganisationRole(role)],
    )
    app.register_blueprint(bp)
