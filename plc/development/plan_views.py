"""Personal development plans (POP) and school development goals: the teacher's plan with its
goals, their activities, reflections and sharing; a school's goals for its leaders and HR advisors
(and, read-only, for its teachers); the panels on the profile and organisation pages.

A teacher's goal exists for its owner only: anyone else gets 404 on every page of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from plc.auth.models import User
from plc.core.errors import ServiceError
from plc.core.forms import ConfirmForm, attach_error, choices
from plc.core.hooks import add_hook
from plc.core.i18n import current_language
from plc.core.permissions import require
from plc.development import goals
from plc.development.goals import ActivityTarget, SharedGoal
from plc.development.models import (
    ActivityKind,
    GoalActivity,
    GoalReflection,
    GoalStatus,
    PersonalGoal,
    SchoolGoal,
    SchoolGoalStatus,
)
from plc.development.plan_forms import (
    ACTIVITY_KIND_LABELS,
    GOAL_STATUS_LABELS,
    NO_SCHOOL_GOAL,
    SCHOOL_GOAL_STATUS_LABELS,
    SUGGESTION_GROUP_LABELS,
    ActivityForm,
    GoalForm,
    ReflectionForm,
    SchoolGoalForm,
)
from plc.extensions import db
from plc.organisations.models import Organisation
from plc.themes.forms import DOMAIN_LABELS
from plc.themes.models import CompetenceDomain, Theme
from plc.themes.services import list_themes

bp = Blueprint("plan", __name__)
PLAN = "/mijn-ontwikkeling"
GOAL = PLAN + "/doelen/<int:goal_id>"
SCHOOL = "/organisaties/<slug>/schooldoelen"
#: Where a button on several pages sends the teacher back to (the form's `terug` value).
BACK_TO = {"plan", "doel", "activiteiten"}
Part = TypeVar("Part", GoalActivity, GoalReflection)


# -- loading -------------------------------------------------------------------------------------


def _user() -> User:
    return current_user  # type: ignore[return-value]


def _goal(goal_id: int) -> PersonalGoal:
    """The viewer's own goal; anyone else's answers 404, as if it did not exist."""
    goal = goals.goal_of(goal_id, _user())
    require(goal is not None)
    return goal  # type: ignore[return-value]


def _organisation(slug: str) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    require(organisation is not None)
    return organisation  # type: ignore[return-value]


def _part_of(items: Iterable[Part], item_id: int) -> Part:
    """One of the goal's activities or reflections; another goal's answers 404."""
    found = next((item for item in items if item.id == item_id), None)
    require(found is not None)
    return found  # type: ignore[return-value]


def _goal_url(goal: PersonalGoal, anchor: str | None = None) -> str:
    return url_for("plan.goal", goal_id=goal.id, _anchor=anchor)


def _back(goal: PersonalGoal, anchor: str) -> str:
    """The page a button was pressed on: the plan, the goal's page or its activities."""
    back = request.form.get("terug", "doel")
    if back not in BACK_TO or back == "doel":
        return _goal_url(goal, anchor)
    if back == "plan":
        return url_for("plan.plan", _anchor=f"goal-{goal.id}")
    return url_for("plan.activities", goal_id=goal.id)


# -- saving --------------------------------------------------------------------------------------


def _save(form: FlaskForm, action: Callable[[], str], done: str) -> Response | None:
    """A submitted form: validate it, run the service (which returns where to go next), commit
    and say so. None when the form comes back: the errors next to their fields, and everything
    typed kept."""
    if not form.validate_on_submit():
        return None
    try:
        url = action()
    except ServiceError as error:
        db.session.rollback()
        attach_error(form, error)
        return None
    db.session.commit()
    flash(done, "success")
    return redirect(url)


def _press(action: Callable[[], None], done: str, url: str) -> Response:
    """A button: run the service and commit; a refusal becomes a message above the page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url)


def _confirm(
    action: Callable[[], None], done: str, url: str, **texts: str
) -> Response | tuple[str, int]:
    """A deletion: a page that asks first (GET), the deletion itself (POST)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        action()
        db.session.commit()
        flash(done, "success")
        return redirect(url)
    if request.method == "POST":
        abort(400)
    return render_template("development/plan/confirm.html", form=form, **texts), 200


def _theme_choices(form: GoalForm | SchoolGoalForm, kept: list[Theme]) -> None:
    """Active themes, and the hidden ones the goal already has (they stay, but cannot be
    chosen anew)."""
    kept_ids = {theme.id for theme in kept}
    language = current_language()
    form.themes.choices = choices(
        (theme.id, theme.name(language))
        for theme in list_themes(include_inactive=True)
        if theme.active or theme.id in kept_ids
    )


# -- the plan ------------------------------------------------------------------------------------


@bp.get(PLAN)
@login_required
def plan() -> str:
    user = _user()
    all_goals = goals.plan_of(user)
    return render_template(
        "development/plan/index.html",
        open_goals=[goal for goal in all_goals if goal.status not in goals.FINISHED],
        finished_goals=[goal for goal in all_goals if goal.status in goals.FINISHED],
        targets=goals.activity_targets([a for g in all_goals for a in g.activities], user),
        audience=goals.sharing_audience(user),
        confirm=ConfirmForm(),
    )


def _goal_form_choices(form: GoalForm, goal: PersonalGoal | None) -> None:
    _theme_choices(form, goal.themes if goal else [])
    options = goals.school_goals_for(_user())
    if goal is not None and goal.school_goal is not None and goal.school_goal not in options:
        options.append(goal.school_goal)  # archived since: the goal may keep serving it
    form.school_goal.choices = choices(
        [(NO_SCHOOL_GOAL, _("None"))]
        + [(option.id, f"{option.title} ({option.organisation.name})") for option in options]
    )


def _goal_fields(form: GoalForm) -> goals.GoalFields:
    return goals.GoalFields(
        title=form.title.data or "",
        description=form.description.data or "",
        domain=CompetenceDomain(form.domain.data) if form.domain.data else None,
        target_date=form.target_date.data,
        status=GoalStatus(form.status.data),
        theme_ids=list(form.themes.data or []),
        school_goal_id=form.school_goal.data or None,
    )


def _goal_data(goal: PersonalGoal) -> dict[str, Any]:
    return {
        "title": goal.title,
        "description": goal.description,
        "domain": goal.domain.value if goal.domain else "",
        "themes": [theme.id for theme in goal.themes],
        "target_date": goal.target_date,
        "status": goal.status.value,
        "school_goal": goal.school_goal_id or NO_SCHOOL_GOAL,
    }


def _render_goal_form(form: GoalForm, goal: PersonalGoal | None) -> tuple[str, int]:
    status = 400 if request.method == "POST" else 200
    return render_template("development/plan/form.html", form=form, goal=goal), status


@bp.route(PLAN + "/doelen/nieuw", methods=["GET", "POST"])
@login_required
def new_goal() -> Response | tuple[str, int]:
    form = GoalForm()
    _goal_form_choices(form, None)
    if request.method == "GET":
        # From a school goal's page: "add a goal that serves this one".
        chosen = request.args.get("schooldoel", type=int)
        if chosen in {choice.value for choice in form.school_goal.choices}:  # type: ignore[union-attr]
            form.school_goal.data = chosen

    def add() -> str:
        key = form.idempotency_key.data
        return _goal_url(goals.add_goal(_user(), _goal_fields(form), idempotency_key=key))

    done = _("The goal is in your plan. Only you see it, unless you share it.")
    return _save(form, add, done) or _render_goal_form(form, None)


@bp.route(GOAL + "/bewerken", methods=["GET", "POST"])
@login_required
def edit_goal(goal_id: int) -> Response | tuple[str, int]:
    goal = _goal(goal_id)
    form = GoalForm(data=_goal_data(goal) if request.method == "GET" else None)
    _goal_form_choices(form, goal)

    def update() -> str:
        goals.update_goal(goal, _user(), _goal_fields(form))
        return _goal_url(goal)

    return _save(form, update, _("The goal is saved.")) or _render_goal_form(form, goal)


@bp.route(GOAL + "/verwijderen", methods=["GET", "POST"])
@login_required
def delete_goal(goal_id: int) -> Response | tuple[str, int]:
    goal = _goal(goal_id)
    return _confirm(
        lambda: goals.delete_goal(goal, _user()),
        _("The goal is deleted, with its activities and reflections."),
        url_for("plan.plan"),
        heading=_("Delete the goal"),
        subject=goal.title,
        text=_(
            "The goal is deleted with its activities and reflections. If you share it, your "
            "school's leaders no longer see it. This cannot be undone."
        ),
        button=_("Delete the goal"),
        back=_goal_url(goal),
    )


# -- one goal ------------------------------------------------------------------------------------


def _render_goal(goal: PersonalGoal, form: ReflectionForm | None = None) -> tuple[str, int]:
    user = _user()
    return render_template(
        "development/plan/goal.html",
        goal=goal,
        targets=goals.activity_targets(goal.activities, user),
        audience=goals.sharing_audience(user),
        reflection_form=form or ReflectionForm(),
        confirm=ConfirmForm(),
    ), (400 if form is not None else 200)


@bp.get(GOAL)
@login_required
def goal(goal_id: int) -> tuple[str, int]:
    return _render_goal(_goal(goal_id))


@bp.post(GOAL + "/delen")
@login_required
def share(goal_id: int) -> Response:
    goal = _goal(goal_id)
    return _press(
        lambda: goals.share_goal(goal, _user()),
        _("The goal is shared with the leaders and HR advisors of your schools."),
        _back(goal, "sharing"),
    )


@bp.post(GOAL + "/niet-meer-delen")
@login_required
def withdraw(goal_id: int) -> Response:
    goal = _goal(goal_id)
    return _press(
        lambda: goals.withdraw_goal(goal, _user()),
        _("The goal is no longer shared: your school's leaders and HR advisors no longer see it."),
        _back(goal, "sharing"),
    )


@bp.post(GOAL + "/reflecties")
@login_required
def add_reflection(goal_id: int) -> Response | tuple[str, int]:
    goal = _goal(goal_id)
    form = ReflectionForm()

    def add() -> str:
        goals.add_reflection(goal, _user(), form.body.data or "")
        return _goal_url(goal, "reflections")

    return _save(form, add, _("Your reflection is saved.")) or _render_goal(goal, form)


@bp.route(GOAL + "/reflecties/<int:reflection_id>/verwijderen", methods=["GET", "POST"])
@login_required
def delete_reflection(goal_id: int, reflection_id: int) -> Response | tuple[str, int]:
    goal = _goal(goal_id)
    reflection = _part_of(goal.reflections, reflection_id)
    return _confirm(
        lambda: goals.delete_reflection(goal, _user(), reflection),
        _("The reflection is deleted."),
        _goal_url(goal, "reflections"),
        heading=_("Delete the reflection"),
        text=_("The reflection is deleted. This cannot be undone."),
        button=_("Delete the reflection"),
        back=_goal_url(goal, "reflections"),
        reflection_html=reflection.body_html,
    )


# -- a goal's activities -------------------------------------------------------------------------


def _render_activities(
    goal: PersonalGoal, error: str | None = None, status: int = 200
) -> tuple[str, int]:
    user = _user()
    return render_template(
        "development/plan/activities.html",
        goal=goal,
        targets=goals.activity_targets(goal.activities, user),
        suggestions=goals.activity_suggestions(goal, user),
        error=error,
        confirm=ConfirmForm(),
    ), status


@bp.get(GOAL + "/activiteiten")
@login_required
def activities(goal_id: int) -> tuple[str, int]:
    return _render_activities(_goal(goal_id))


@bp.post(GOAL + "/activiteiten")
@login_required
def add_activity(goal_id: int) -> Response | tuple[str, int]:
    goal = _goal(goal_id)
    form = ActivityForm()
    if not form.validate_on_submit():
        return _render_activities(goal, _("Choose an activity from the list."), 400)
    try:
        goals.add_activity(goal, _user(), form.kind.data or "", form.target_id.data or 0)
    except ServiceError as error:
        db.session.rollback()
        return _render_activities(goal, str(error.message), 400)
    db.session.commit()
    flash(_("The activity is part of the goal now."), "success")
    return redirect(url_for("plan.activities", goal_id=goal.id))


@bp.post(GOAL + "/activiteiten/<int:activity_id>/verwijderen")
@login_required
def remove_activity(goal_id: int, activity_id: int) -> Response:
    goal = _goal(goal_id)
    activity = _part_of(goal.activities, activity_id)
    return _press(
        lambda: goals.remove_activity(goal, _user(), activity),
        _("The activity is no longer part of the goal."),
        _back(goal, "activities"),
    )


# -- a school's development goals ----------------------------------------------------------------


def _shared_by_school_goal(
    rows: list[goals.SchoolGoalRow], shared: list[SharedGoal]
) -> dict[int | None, list[SharedGoal]]:
    """The shared goals under the school goal they serve; None: under no goal of this school
    (one of its board, or none)."""
    own = {row.goal.id for row in rows}
    grouped: dict[int | None, list[SharedGoal]] = {}
    for item in shared:
        key = item.goal.school_goal_id if item.goal.school_goal_id in own else None
        grouped.setdefault(key, []).append(item)
    return grouped


def _overview_page(organisation: Organisation, *, leads: bool) -> str:
    """Every goal with its figures and what serves it; for its leaders also the goals teachers
    shared with them, and the buttons to record and edit."""
    user = _user()
    rows = goals.school_goal_overview(organisation)
    shared = goals.shared_goals_with_owners(organisation, user) if leads else []
    return render_template(
        "development/school_goals/index.html",
        organisation=organisation,
        overview=True,
        leads=leads,
        rows=rows,
        serving=goals.serving([row.goal for row in rows]),
        shared=_shared_by_school_goal(rows, shared),
        targets=goals.activity_targets([a for s in shared for a in s.goal.activities], user),
        min_group=goals.MIN_GROUP,
    )


@bp.get(SCHOOL)
@login_required
def school_goals(slug: str) -> str:
    """Leaders and HR advisors (of the school or its board): the full overview. Board members of
    its board: the overview's goals and figures, read-only. The school's own people: its active
    goals, read-only, to link their own goals to. Anyone else: 404."""
    organisation = _organisation(slug)
    if goals.leads(_user(), organisation):
        return _overview_page(organisation, leads=True)
    if goals.reads_figures(_user(), organisation):
        return _overview_page(organisation, leads=False)
    require(goals.is_member(_user(), organisation))
    return render_template(
        "development/school_goals/index.html",
        organisation=organisation,
        leads=False,
        active_goals=goals.active_school_goals(organisation),
    )


def _school_goal_fields(form: SchoolGoalForm) -> goals.SchoolGoalFields:
    return goals.SchoolGoalFields(
        title=form.title.data or "",
        description=form.description.data or "",
        plan_period=form.plan_period.data or "",
        status=SchoolGoalStatus(form.status.data),
        theme_ids=list(form.themes.data or []),
    )


def _render_school_goal_form(
    form: SchoolGoalForm, organisation: Organisation, goal: SchoolGoal | None
) -> tuple[str, int]:
    status = 400 if request.method == "POST" else 200
    return render_template(
        "development/school_goals/form.html", form=form, organisation=organisation, goal=goal
    ), status


def _goals_url(organisation: Organisation, goal: SchoolGoal) -> str:
    return url_for("plan.school_goals", slug=organisation.slug, _anchor=f"school-goal-{goal.id}")


@bp.route(SCHOOL + "/nieuw", methods=["GET", "POST"])
@login_required
def new_school_goal(slug: str) -> Response | tuple[str, int]:
    organisation = _organisation(slug)
    require(goals.leads(_user(), organisation))
    form = SchoolGoalForm()
    _theme_choices(form, [])

    def add() -> str:
        key = form.idempotency_key.data
        goal = goals.add_school_goal(
            organisation, _user(), _school_goal_fields(form), idempotency_key=key
        )
        return _goals_url(goal.organisation, goal)  # a resend answers with the goal it recorded

    return _save(form, add, _("The development goal is recorded.")) or _render_school_goal_form(
        form, organisation, None
    )


@bp.route(SCHOOL + "/<int:goal_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_school_goal(slug: str, goal_id: int) -> Response | tuple[str, int]:
    organisation = _organisation(slug)
    require(goals.leads(_user(), organisation))
    goal = goals.school_goal_of(organisation, goal_id)
    require(goal is not None)
    assert goal is not None
    data = {
        "title": goal.title,
        "description": goal.description,
        "plan_period": goal.plan_period,
        "status": goal.status.value,
        "themes": [theme.id for theme in goal.themes],
    }
    form = SchoolGoalForm(data=data if request.method == "GET" else None)
    _theme_choices(form, goal.themes)

    def update() -> str:
        goals.update_school_goal(goal, _user(), _school_goal_fields(form))
        return _goals_url(organisation, goal)

    return _save(form, update, _("The development goal is saved.")) or _render_school_goal_form(
        form, organisation, goal
    )


# -- words and links for the templates -----------------------------------------------------------

_ACTIVITY_LINKS: dict[ActivityKind, Callable[[ActivityTarget], str]] = {
    ActivityKind.COMMUNITY: lambda t: url_for("communities.home", slug=t.slug),
    ActivityKind.SESSION: lambda t: url_for("live.detail", slug=t.slug, session_id=t.target_id),
    ActivityKind.OFFERING: lambda t: url_for("catalogue.offering", slug=t.slug),
    ActivityKind.OUTPUT: lambda t: url_for("kennisbank.output", slug=t.slug),
    ActivityKind.QUESTION: lambda t: url_for("questions.show", question_id=t.target_id),
}


def _activity_url(target: ActivityTarget) -> str:
    return _ACTIVITY_LINKS[target.kind](target)


# -- panels on other pages -----------------------------------------------------------------------


def _profile_section(user: Any) -> tuple[str, dict[str, object]]:
    """A link to the plan on the person's profile; no statement."""
    return "development/plan/_profile_section.html", {}


def _organisation_section(organisation: Organisation) -> tuple[str, dict[str, object]] | None:
    """On a school's (or board's) page: its development goals, for its leaders and its people."""
    user = _user()
    if not getattr(user, "is_authenticated", False):
        return None
    if goals.leads(user, organisation):
        return "development/school_goals/_organisation_section.html", {"leads": True}
    if goals.is_member(user, organisation):
        return "development/school_goals/_organisation_section.html", {"leads": False}
    return None


def init_app(app: Flask) -> None:
    add_hook(app, "profile", _profile_section)
    add_hook(app, "organisation_page", _organisation_section)
    app.jinja_env.globals.update(
        goal_status_label=lambda value: GOAL_STATUS_LABELS[GoalStatus(value)],
        school_goal_status_label=lambda value: SCHOOL_GOAL_STATUS_LABELS[SchoolGoalStatus(value)],
        activity_kind_label=lambda value: ACTIVITY_KIND_LABELS[ActivityKind(value)],
        suggestion_group_label=lambda value: SUGGESTION_GROUP_LABELS[value],
        activity_url=_activity_url,
    )
    app.jinja_env.globals.setdefault(
        "competence_domain_label", lambda value: DOMAIN_LABELS[CompetenceDomain(value)]
    )
    app.register_blueprint(bp)
