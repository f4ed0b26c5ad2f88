"""Form helpers shared by every feature."""

from __future__ import annotations

from flask_wtf import FlaskForm

from plc.core.errors import ServiceError


def attach_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


class ConfirmForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""
