"""Community pages: directory, home, membership, invitations, co-ownership."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from plc.auth.models import CareerStage, SchoolType, User
from plc.communities import services
from plc.communities.forms import (
    MEMBER_ROLE_LABELS,
    STATUS_LABELS,
    VISIBILITY_HELP,
    VISIBILITY_LABELS,
    CommunityForm,
    CoOwnerForm,
    CoOwnershipDecisionForm,
    InviteForm,
    JoinRequestForm,
    MemberRoleForm,
    NewCommunityForm,
    StatusForm,
)
from plc.communities.models import (
    Community,
    CommunityInvitation,
    CommunityMember,
    CommunityOwner,
    CommunityStatus,
    MemberRole,
    Visibility,
)
from plc.core import pagecache
from plc.core.errors import ServiceError
from plc.core.filters import profile_filter_args
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook, hooks
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.extensions import db
from plc.organisations import services as organisations
from plc.organisations.models import Organisation
from plc.themes.services import list_themes

bp = Blueprint("communities", __name__)
PER_PAGE = 20


def _load(slug: str, *, details: bool = False) -> tuple[Community, services.Access]:
    community = services.community_by_slug(slug, details=details)
    require(community is not None)
    access = services.access_for(community, current_user)  # type: ignore[arg-type]
    require(access.can_see)
    return community, access  # type: ignore[return-value]


def _theme_choices() -> list[tuple[int, str]]:
    language = current_language()
    return [(theme.id, theme.name(language)) for theme in list_themes()]


def _fields(form: CommunityForm) -> services.CommunityFields:
    return services.CommunityFields(
        name=form.name.data or "",
        summary=form.summary.data or "",
        description=form.description.data or "",
        visibility=Visibility(form.visibility.data),
        theme_ids=list(form.themes.data or []),
        school_types=[SchoolType(v) for v in form.school_types.data or []],
        career_stages=[CareerStage(v) for v in form.career_stages.data or []],
    )


def _filters_from_args() -> services.DirectoryFilters:
    organisation = request.args.get("organisatie", "")
    return services.DirectoryFilters(
        **profile_filter_args(request.args),
        organisation_id=int(organisation) if organisation.isdigit() else None,
        cross_school=request.args.get("schooloverstijgend") == "1",
    )


@bp.get("/gemeenschappen")
@pagecache.for_visitors(members=True)
def directory() -> str:
    filters = _filters_from_args()
    page = db.paginate(
        services.directory_query(filters, current_user), per_page=PER_PAGE, error_out=False
    )
    chosen_organisation = (
        db.session.get(Organisation, filters.organisation_id) if filters.organisation_id else None
    )
    return render_template(
        "communities/directory.html",
        page=page,
        filters=filters,
        themes=list_themes(),
        chosen_organisation=chosen_organisation,
    )


@bp.route("/gemeenschappen/nieuw", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    options = services.organisations_to_start_for(current_user)  # type: ignore[arg-type]
    form = NewCommunityForm(themes=_theme_choices())
    form.organisation.choices = choices((o.id, o.name) for o in options)
    if not options:
        return render_template("communities/create_needs_organisation.html")
    if form.validate_on_submit():
        organisation = next(o for o in options if o.id == form.organisation.data)
        try:
            community = services.create_community(current_user, organisation, _fields(form))  # type: ignore[arg-type]
        except ServiceError as error:
            attach_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Your community has been created. Invite colleagues and other organisations to join."
                ),
                "success",
            )
            return redirect(url_for("communities.home", slug=community.slug))
    return render_template("communities/form.html", form=form, community=None)


@bp.get("/gemeenschappen/<slug>")
@pagecache.for_visitors(members=True)
def home(slug: str) -> str:
    community, access = _load(slug, details=True)
    facilitator_list = services.facilitators(community)
    # Later features (sessions, threads, resources, outputs) add panels through this hook:
    # each returns (template name, context) or None.
    panels = [panel for hook in hooks("community_home") if (panel := hook(community, access))]
    return render_template(
        "communities/home.html",
        community=community,
        access=access,
        facilitators=facilitator_list,
        join_form=JoinRequestForm(),
        confirm=ConfirmForm(),
        panels=panels,
    )


@bp.route("/gemeenschappen/<slug>/bewerken", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> str | Response:
    community, access = _load(slug)
    require(access.can_facilitate)
    form = CommunityForm(obj=community, themes=_theme_choices())
    if request.method == "GET":
        form.visibility.data = community.visibility.value
        form.themes.data = [t.id for t in community.themes]
        form.school_types.data = [t.school_type.value for t in community.school_types]
        form.career_stages.data = [s.career_stage.value for s in community.career_stages]
    if form.validate_on_submit():
        try:
            services.update_community(community, _fields(form))
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The community has been saved."), "success")
            return redirect(url_for("communities.home", slug=community.slug))
    status_form = StatusForm(status=community.status.value) if access.can_own else None
    return render_template(
        "communities/form.html", form=form, community=community, status_form=status_form
    )


@bp.post("/gemeenschappen/<slug>/status")
@login_required
def set_status(slug: str) -> Response:
    community, access = _load(slug)
    require(access.can_own)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_status(community, CommunityStatus(form.status.data))
    except ServiceError as error:
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(_("The status has been changed."), "success")
    return redirect(url_for("communities.home", slug=slug))


@bp.post("/gemeenschappen/<slug>/deelnemen")
@login_required
def join(slug: str) -> Response:
    community, access = _load(slug)
    form = JoinRequestForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if access.can_join:
            services.join(community, current_user)  # type: ignore[arg-type]
            message = _("Welcome! You are now a member of this community.")
        else:
            services.request_to_join(community, current_user, form.note.data or "")  # type: ignore[arg-type]
            message = _("Your request has been sent to the facilitators.")
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("communities.home", slug=slug))


@bp.post("/gemeenschappen/<slug>/verlaten")
@login_required
def leave(slug: str) -> Response:
    community, access = _load(slug)
    if not ConfirmForm().validate_on_submit() or access.member is None:
        abort(400)
    try:
        services.leave(access.member)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
        return redirect(url_for("communities.home", slug=slug))
    db.session.commit()
    flash(_("You have left the community."), "success")
    still_visible = community.visibility != Visibility.INVITE or current_user.is_admin
    return redirect(
        url_for("communities.home", slug=slug) if still_visible else url_for("core.home")
    )


@bp.get("/gemeenschappen/<slug>/leden")
def members(slug: str) -> str:
    community, access = _load(slug)
    require(access.can_read)
    everyone = services.members(community, None)
    active = [m for m in everyone if m.is_active]
    return render_template(
        "communities/members.html",
        community=community,
        access=access,
        members=active,
        requests=[m for m in everyone if not m.is_active] if access.can_facilitate else [],
        schools=services.schools_of([m.user for m in active]),
        confirm=ConfirmForm(),
        role_form=MemberRoleForm(),
        invitations=services.open_invitations(community) if access.can_facilitate else [],
    )


@bp.get("/gemeenschappen/<slug>/leden.json")
@login_required
def member_names(slug: str) -> Response:
    """Names for @mention suggestions while typing: members only, at most eight."""
    community, access = _load(slug)
    require(access.is_member or access.is_admin)
    prefix = request.args.get("q", "").strip().lower()[:60]
    names = [
        m.user.display_name
        for m in services.members(community)
        if m.user.display_name.lower().startswith(prefix)
        or any(part.startswith(prefix) for part in m.user.display_name.lower().split())
    ]
    return jsonify(names=names[:8])


def _member_of(community: Community, member_id: int) -> CommunityMember:
    member = db.session.get(CommunityMember, member_id)
    require(member is not None and member.community_id == community.id)
    return member  # type: ignore[return-value]


@bp.post("/gemeenschappen/<slug>/leden/<int:member_id>/aanvraag")
@login_required
def decide_request(slug: str, member_id: int) -> Response:
    community, access = _load(slug)
    require(access.can_facilitate)
    member = _member_of(community, member_id)
    decision = request.form.get("decision")
    if not ConfirmForm().validate_on_submit() or decision not in ("approve", "reject"):
        abort(400)
    try:
        services.decide_request(member, approve=decision == "approve")
    except ServiceError as error:
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(
            _("The request has been approved.")
            if decision == "approve"
            else _("The request has been declined."),
            "success",
        )
    return redirect(url_for("communities.members", slug=slug))


@bp.post("/gemeenschappen/<slug>/leden/<int:member_id>/rol")
@login_required
def set_role(slug: str, member_id: int) -> Response:
    community, access = _load(slug)
    require(access.can_own)
    member = _member_of(community, member_id)
    form = MemberRoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_role(member, MemberRole(form.role.data))
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(_("The role has been changed."), "success")
    return redirect(url_for("communities.members", slug=slug))


@bp.post("/gemeenschappen/<slug>/leden/<int:member_id>/verwijderen")
@login_required
def remove_member(slug: str, member_id: int) -> Response:
    community, access = _load(slug)
    require(access.can_facilitate)
    member = _member_of(community, member_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_member(member, access)
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(_("The member has been removed."), "success")
    return redirect(url_for("communities.members", slug=slug))


@bp.route("/gemeenschappen/<slug>/uitnodigen", methods=["GET", "POST"])
@login_required
def invite(slug: str) -> str | Response:
    community, access = _load(slug)
    require(access.can_facilitate and not community.is_closed)
    form = InviteForm()
    if form.validate_on_submit():
        who = (form.who.data or "").strip()
        try:
            if "@" in who:
                services.invite(community, current_user, email=who)  # type: ignore[arg-type]
            else:
                named = services.users_named(who)
                if not named:
                    raise ServiceError(
                        _("Nobody on the platform has that name. Use an e-mail address instead."),
                        field="who",
                    )
                if len(named) > 1:
                    raise ServiceError(
                        _("Several people have that name. Use an e-mail address instead."),
                        field="who",
                    )
                services.invite(community, current_user, user=named[0])  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The invitation has been sent."), "success")
            return redirect(url_for("communities.invite", slug=slug))
    return render_template(
        "communities/invite.html",
        community=community,
        form=form,
        invitations=services.open_invitations(community),
        confirm=ConfirmForm(),
    )


@bp.post("/gemeenschappen/<slug>/uitnodigingen/<int:invitation_id>/intrekken")
@login_required
def revoke_invitation(slug: str, invitation_id: int) -> Response:
    community, access = _load(slug)
    require(access.can_facilitate)
    invitation = db.session.get(CommunityInvitation, invitation_id)
    require(invitation is not None and invitation.community_id == community.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_invitation(invitation)  # type: ignore[arg-type]
    db.session.commit()
    flash(_("The invitation has been withdrawn."), "success")
    return redirect(url_for("communities.invite", slug=slug))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def invitation(token: str) -> str | Response:
    found = services.invitation_by_token(token)
    if found is None:
        return render_template("communities/invitation_invalid.html"), 404  # type: ignore[return-value]
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            services.accept_invitation(found, current_user)  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            flash(str(error.message), "warning")
        else:
            db.session.commit()
            flash(_("Welcome! You are now a member of this community."), "success")
            return redirect(url_for("communities.home", slug=found.community.slug))
    return render_template("communities/invitation.html", invitation=found, confirm=ConfirmForm())


@bp.route("/gemeenschappen/<slug>/eigenaren", methods=["GET", "POST"])
@login_required
def owners(slug: str) -> str | Response:
    community, access = _load(slug)
    require(access.can_read)
    form = CoOwnerForm()
    if form.validate_on_submit():
        require(access.can_own)
        try:
            services.invite_co_owner(
                community,
                organisations.find_by_name_or_code(form.organisation.data or ""),
                current_user,
            )  # type: ignore[arg-type]
        except ServiceError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            db.session.commit()
            flash(_("The organisation has been invited to co-own this community."), "success")
            return redirect(url_for("communities.owners", slug=slug))
    suggestions = (
        db.session.scalars(sa.select(Organisation.name).order_by(Organisation.name)).all()
        if access.can_own
        else []
    )
    return render_template(
        "communities/owners.html",
        community=community,
        access=access,
        form=form,
        suggestions=suggestions,
        confirm=ConfirmForm(),
    )


@bp.post("/gemeenschappen/<slug>/eigenaren/<int:owner_id>/intrekken")
@login_required
def withdraw_owner(slug: str, owner_id: int) -> Response:
    community, access = _load(slug)
    row = db.session.get(CommunityOwner, owner_id)
    require(row is not None and row.community_id == community.id)
    require(access.can_own or organisations.can_speak_for(current_user, row.organisation))  # type: ignore[union-attr]
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw_co_owner(row)  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(_("The co-ownership has ended."), "success")
    return redirect(url_for("communities.owners", slug=slug))


@bp.get("/organisaties/<slug>/mede-eigenaarschap")
@login_required
def co_ownership(slug: str) -> str:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    require(organisation is not None and organisations.can_speak_for(current_user, organisation))
    form = CoOwnershipDecisionForm()
    form.contact.choices = choices(
        (u.id, u.display_name) for u in organisations.people_of([organisation.id])
    )  # type: ignore[arg-type]
    return render_template(
        "communities/co_ownership.html",
        organisation=organisation,
        form=form,
        pending=services.pending_co_ownerships(organisation),  # type: ignore[arg-type]
        current=services.co_ownerships(organisation),  # type: ignore[arg-type]
        confirm=ConfirmForm(),
    )


@bp.post("/organisaties/<slug>/mede-eigenaarschap/<int:owner_id>")
@login_required
def decide_co_ownership(slug: str, owner_id: int) -> Response:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    require(organisation is not None and organisations.can_speak_for(current_user, organisation))
    row = db.session.get(CommunityOwner, owner_id)
    require(row is not None and row.organisation_id == organisation.id)  # type: ignore[union-attr]
    form = CoOwnershipDecisionForm()
    form.contact.choices = choices(
        (u.id, u.display_name) for u in organisations.people_of([organisation.id])
    )  # type: ignore[arg-type]
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline", "contact"):
        abort(400)
    contact = db.session.get(User, form.contact.data) if form.contact.data else None
    try:
        if decision == "contact":
            require(contact is not None)
            services.set_contact(row, contact, current_user)  # type: ignore[arg-type]
        else:
            services.decide_co_ownership(
                row, accept=decision == "accept", contact=contact, acting=current_user
            )  # type: ignore[arg-type]
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "warning")
    else:
        db.session.commit()
        flash(_("Your answer has been saved."), "success")
    return redirect(url_for("communities.co_ownership", slug=slug))


def _start_page(viewer: User) -> dict[str, object]:
    if viewer.is_authenticated:
        return {
            "my_communities": services.my_communities(viewer),
            "my_invitations": services.invitations_for(viewer),
        }
    return {"public_communities": services.public_communities()}


def init_app(app: Flask) -> None:
    add_hook(app, "start_page", _start_page)
    app.jinja_env.globals.update(
        visibility_label=lambda v: VISIBILITY_LABELS[Visibility(v)],
        visibility_help=lambda v: VISIBILITY_HELP[Visibility(v)],
        community_status_label=lambda s: STATUS_LABELS[CommunityStatus(s)],
        member_role_label=lambda r: MEMBER_ROLE_LABELS[MemberRole(r)],
    )
    app.register_blueprint(bp)
