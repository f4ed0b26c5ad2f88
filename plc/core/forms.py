"""Form helpers shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from plc.core.errors import ServiceError


def attach_error(
    form: FlaskForm, error: ServiceError, renames: Mapping[str, str] | None = None
) -> None:
    """Show a service's error next to the field it names (or above the form). `renames` maps a
    service's field name to the form field that shows it, where the two differ."""
    name = (renames or {}).get(error.field or "", error.field)
    field = getattr(form, name, None) if name else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


def choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]
