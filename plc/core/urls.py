"""URLs that leave the site, and the `next` parameter that must stay on it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL built from the configured server name, never from the request's Host."""
    config = current_app.config
    adapter = current_app.url_map.bind(
        config["PLC_SERVER_NAME"],
        script_name=config.get("APPLICATION_ROOT") or "/",
        url_scheme=config["PREFERRED_URL_SCHEME"],
    )
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def site_path(endpoint: str, **values: Any) -> str:
    """A path on this site, in a request or outside one (a command, a background job)."""
    config = current_app.config
    adapter = current_app.url_map.bind(
        config["PLC_SERVER_NAME"], script_name=config.get("APPLICATION_ROOT") or "/"
    )
    return adapter.build(endpoint, values)
