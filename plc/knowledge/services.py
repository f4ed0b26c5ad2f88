"""Knowledge-output rules: drafts, and a draft made from a live session's summary."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from plc.auth.models import User
from plc.communities.models import Community
from plc.core.errors import ServiceError
from plc.core.markdown import render_markdown
from plc.extensions import db
from plc.knowledge.models import KnowledgeOutput, OutputStatus, OutputType
from plc.live.models import LiveSession, QuestionStatus
from plc.live.room import RoomSummary, room_summary
from plc.live.services import to_local


def draft_for_session(session: LiveSession) -> KnowledgeOutput | None:
    return db.session.scalar(
        sa.select(KnowledgeOutput).where(KnowledgeOutput.source_session_id == session.id)
    )


def draft_from_session(session: LiveSession, user: User) -> KnowledgeOutput:
    """A draft knowledge output written from the session's summary; one per session, so asking
    again (or twice at once) returns the draft that exists."""
    existing = draft_for_session(session)
    if existing is not None:
        return existing
    output = KnowledgeOutput(
        community_id=session.community_id,
        output_type=OutputType.PRACTICE_EXAMPLE,
        title=session.title[:200],
        summary=_summary_line(session)[:500],
        body=session_markdown(session, room_summary(session)),
        source_session_id=session.id,
        created_by_id=user.id,
    )
    output.body_html = render_markdown(output.body)
    try:
        with db.session.begin_nested():
            db.session.add(output)
    except sa.exc.IntegrityError:
        existing = draft_for_session(session)
        assert existing is not None
        return existing
    return output


def _summary_line(session: LiveSession) -> str:
    return _(
        "What came up in the live session “%(title)s” of %(community)s on %(date)s.",
        title=session.title,
        community=session.community.name,
        date=to_local(session.starts_at).strftime("%d-%m-%Y"),
    )


def session_markdown(session: LiveSession, summary: RoomSummary) -> str:
    """The summary as Markdown, for the facilitator to rework into a knowledge output. Names of
    participants are left out: the output is for all schools."""
    parts = [f"*{_summary_line(session)}*"]
    if session.agenda.strip():
        parts += [_heading(_("Agenda")), session.agenda.strip()]
    if session.notes.strip():
        parts += [_heading(_("What we discussed and agreed")), session.notes.strip()]
    questions = [q for q in summary.questions if q.status != QuestionStatus.HIDDEN]
    if questions:
        answered = _("answered")
        lines = [
            f"- {q.body} ({answered})" if q.status == QuestionStatus.ANSWERED else f"- {q.body}"
            for q in questions
        ]
        parts += [_heading(_("Questions from the participants")), "\n".join(lines)]
    for item in summary.polls:
        lines = [f"- {option.label}: {option.count}" for option in item.options]
        parts += [
            _heading(_("Poll: %(question)s", question=item.poll.question)),
            _("%(num)d people voted.", num=item.ballots) + "\n\n" + "\n".join(lines),
        ]
    parts.append(_("%(num)d people took part in the live room.", num=len(summary.attendance)))
    return "\n\n".join(parts)


def _heading(text: str) -> str:
    return f"## {text}"


def update_draft(
    output: KnowledgeOutput, title: str, summary: str, body: str, output_type: OutputType
) -> None:
    if output.status != OutputStatus.DRAFT:
        raise ServiceError(_l("Only drafts can be changed here."))
    if not title.strip():
        raise ServiceError(_l("Give the output a title."), "title")
    output.title = title.strip()
    output.summary = summary.strip()
    output.body = body
    output.body_html = render_markdown(body)
    output.output_type = output_type
    db.session.flush()


def drafts_of(community: Community) -> Sequence[KnowledgeOutput]:
    return db.session.scalars(
        sa.select(KnowledgeOutput)
        .where(
            KnowledgeOutput.community_id == community.id,
            KnowledgeOutput.status == OutputStatus.DRAFT,
        )
        .order_by(KnowledgeOutput.updated_at.desc())
    ).all()
