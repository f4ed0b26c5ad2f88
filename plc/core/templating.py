"""What every template can use: the viewer, dates in Amsterdam time, theme names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context
from flask_babel import format_date, format_datetime
from flask_login import current_user


def _viewer() -> Any:
    """The logged-in user for the layout, or None; never fails, so error pages still render."""
    try:
        if not has_request_context():  # mail rendered by the CLI, say
            return None
        # The user itself, not the `current_user` proxy: templates read `viewer` many times
        # per page (per post on a thread), and each read through the proxy looks it up again.
        return current_user._get_current_object() if current_user.is_authenticated else None  # type: ignore[attr-defined]
    except sa.exc.SQLAlchemyError:
        return None


def _datetime(value: datetime | None, format: str = "medium") -> str:
    return format_datetime(value, format) if value else ""


def _date(value: datetime | None, format: str = "long") -> str:
    return format_date(value, format) if value else ""


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"viewer": _viewer()})
    app.jinja_env.filters["datetime"] = _datetime
    app.jinja_env.filters["date"] = _date
