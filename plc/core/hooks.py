"""Named extension points that features fill at registration (the start page, community home).

Kept per app (in `app.extensions`), not in module globals, so that every app instance (tests
create several) has exactly the hooks its own features registered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_KEY = "plc_hooks"


def add_hook(app: Flask, name: str, hook: Callable[..., Any]) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(name, []).append(hook)


def hooks(name: str) -> list[Callable[..., Any]]:
    return list(current_app.extensions.get(_KEY, {}).get(name, []))
