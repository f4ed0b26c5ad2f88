"""Named permission checks. What a user may not see answers 404, as if it did not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


def is_admin(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_admin)


def require(allowed: bool) -> None:
    """Stop the request with a 404 unless `allowed`."""
    if not allowed:
        abort(404)


def admin_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require(is_admin(current_user))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
