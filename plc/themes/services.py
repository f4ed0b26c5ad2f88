"""Theme rules: slugs are unique and stable; default themes are installed idempotently."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from plc.core.errors import ServiceError
from plc.extensions import db
from plc.themes.defaults import DEFAULT_THEMES
from plc.themes.models import Theme


def slugify(text: str, max_length: int = 80) -> str:
    """'Differentiëren in groep 5' → 'differentieren-in-groep-5'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length]


def unique_slug(
    column: Any, text: str, *, default: str, reserved: Collection[str] = (), suffix: str = ""
) -> str:
    """A slug of `text` that `column` does not hold yet: "title", else "title-2", "title-3"…
    A slug that would take a fixed path of the pages (`reserved`) gets `suffix` added."""
    base = slugify(text, 100) or default
    if base in reserved:
        base = f"{base}-{suffix}"
    taken = set(
        db.session.scalars(
            sa.select(column).where(sa.or_(column == base, column.like(f"{base}-%")))
        )
    )
    number, slug = 2, base
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def chosen_themes(theme_ids: list[int], kept: list[Theme]) -> list[Theme]:
    """The themes with these ids for something being written. Hidden themes can no longer be
    chosen, but stay on what already had them (`kept`)."""
    themes = list(db.session.scalars(sa.select(Theme).where(Theme.id.in_(theme_ids or [-1]))))
    kept_ids = {theme.id for theme in kept}
    if any(not theme.active and theme.id not in kept_ids for theme in themes):
        raise ServiceError(_l("That theme can no longer be chosen."), "themes")
    return themes


def list_themes(*, include_inactive: bool = False) -> list[Theme]:
    query = sa.select(Theme).order_by(Theme.name_nl)
    if not include_inactive:
        query = query.where(Theme.active.is_(True))
    return list(db.session.scalars(query))


def _slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    query = sa.select(Theme.id).where(Theme.slug == slug)
    if exclude_id is not None:
        query = query.where(Theme.id != exclude_id)
    return db.session.scalar(query) is not None


def _check_slug(slug: str, exclude_id: int | None = None) -> None:
    if not slug:
        raise ServiceError(_l("Use at least one letter or digit."), field="slug")
    if _slug_taken(slug, exclude_id):
        raise ServiceError(_l("Another theme already uses this slug."), field="slug")


def create_theme(name_nl: str, name_en: str, slug: str | None = None) -> Theme:
    slug = slugify(slug or name_nl)
    _check_slug(slug)
    theme = Theme(slug=slug, name_nl=name_nl.strip(), name_en=name_en.strip())
    db.session.add(theme)
    db.session.flush()
    return theme


def update_theme(theme: Theme, *, name_nl: str, name_en: str, slug: str, active: bool) -> Theme:
    slug = slugify(slug)
    _check_slug(slug, exclude_id=theme.id)
    theme.slug, theme.name_nl, theme.name_en, theme.active = (
        slug,
        name_nl.strip(),
        name_en.strip(),
        active,
    )
    db.session.flush()
    return theme


def install_default_themes() -> int:
    """Add the default themes that are missing (by slug); returns how many were added."""
    existing = set(db.session.scalars(sa.select(Theme.slug)))
    added = 0
    for slug, name_nl, name_en in DEFAULT_THEMES:
        if slug not in existing:
            db.session.add(Theme(slug=slug, name_nl=name_nl, name_en=name_en))
            added += 1
    db.session.flush()
    return added
