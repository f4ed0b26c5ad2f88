"""The theme list, in Dutch and English."""

from __future__ import annotations

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plc.core.models import CreatedAtMixin
from plc.extensions import db


class CompetenceDomain(StrEnum):
    """The three competence domains of a teacher (bekwaamheidseisen)."""

    SUBJECT_MATTER = "subject_matter"  #: vakinhoudelijk
    SUBJECT_TEACHING = "subject_teaching"  #: vakdidactisch
    PEDAGOGY = "pedagogy"  #: pedagogisch


class Theme(CreatedAtMixin, db.Model):
    """A theme such as *formatief evalueren*; tags communities, offerings, outputs, questions."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable, readable identifier used in URLs, feeds and the API ("formatief-evalueren").
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True, nullable=False)
    #: Dutch name, shown by default.
    name_nl: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: English name.
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    #: Hidden themes stay on what they tag but cannot be chosen for new content.
    active: Mapped[bool] = mapped_column(default=True, nullable=False)

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_nl

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"
