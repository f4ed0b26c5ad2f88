"""Every rule of the URL map as a concrete URL, filled in from the sweep's world.

A new route is covered without anyone listing it: its arguments are looked up by name, most
specific first ("endpoint:argument", then "blueprint:argument", then "argument"). A rule whose
arguments cannot be filled fails the sweep with a message saying what to add to the world.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

#: Rules that are no page of the application, and why they are left out of the sweep.
SKIPPED = {
    # Files under /static are the built assets (CSS, scripts, fonts); in production the web
    # server sends them, and they read no data and change nothing.
    "static": "static assets, served by the web server in production",
}

BASE_URL = "https://localhost"
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
SAME_ORIGIN = {"Referer": BASE_URL + "/"}
#: Where the site lives; a redirect may go nowhere else.
OWN_HOSTS = {"", "localhost", "leernetwerk.example.org"}


class Unresolved(AssertionError):
    """A rule has an argument the world has no value for."""


@dataclass(frozen=True)
class Route:
    endpoint: str
    url: str
    methods: tuple[str, ...]

    @property
    def blueprint(self) -> str:
        return self.endpoint.rpartition(".")[0]


def _value_for(rule: Rule, argument: str, values: dict[str, Any]) -> Any:
    blueprint = rule.endpoint.rpartition(".")[0]
    for key in (f"{rule.endpoint}:{argument}", f"{blueprint}:{argument}", argument):
        if values.get(key) is not None:
            return values[key]
    raise Unresolved(
        f"No value for <{argument}> of {rule.endpoint} ({rule.rule}). Add one of"
        f" '{rule.endpoint}:{argument}', '{blueprint}:{argument}' or '{argument}' to the world's"
        " values in tests/security/conftest.py (an object that exists, of the right kind)."
    )


def sweep_routes(app: Flask, values: dict[str, Any]) -> Iterator[Route]:
    """Every rule but the skipped ones, sorted by endpoint, with its concrete URL."""
    adapter = app.url_map.bind("localhost", url_scheme="https")
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule))
    rules = [rule for rule in rules if rule.endpoint not in SKIPPED]
    missing = []
    for rule in rules:
        for name in sorted(rule.arguments):
            try:
                _value_for(rule, name, values)
            except Unresolved as error:
                missing.append(str(error))
    if missing:
        raise Unresolved("\n".join(missing))
    for rule in rules:
        arguments = {name: _value_for(rule, name, values) for name in sorted(rule.arguments)}
        url = adapter.build(rule.endpoint, arguments)
        methods = tuple(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
        yield Route(rule.endpoint, url, methods)


def outcome(response: TestResponse) -> str:
    """The status in the access table: the code, or where a redirect goes."""
    code = response.status_code
    if 300 <= code < 400:
        path = urlsplit(response.headers.get("Location", "")).path
        if path == "/inloggen":
            return "login"
        return "3xx"
    return str(code)


def is_html(response: TestResponse) -> bool:
    return response.mimetype == "text/html"


# -- the access table -----------------------------------------------------------------------------

TABLE_FILE = Path(__file__).with_name("access_table.txt")
UPDATE = os.environ.get("PLC_UPDATE_ACCESS_TABLE") == "1"
REGENERATE = (
    "PLC_UPDATE_ACCESS_TABLE=1 .venv/bin/pytest"
    " tests/security/test_sweep.py tests/security/test_post_sweep.py"
)
ROLES = ("anonymous", "outsider", "member", "facilitator", "leader", "provider", "admin")
COLUMNS = "  ".join(f"{role[:11]:<11}" for role in ROLES)


def compare_table(lines: list[str], section: str) -> None:
    """Compare one section of the table file ("GET" or "POST") with `lines`; rewrite on request."""
    text = TABLE_FILE.read_text() if TABLE_FILE.exists() else ""
    kept = [line for line in text.splitlines() if line and not line.startswith((section, "#"))]
    expected = [line for line in text.splitlines() if line.startswith(section + " ")]
    if UPDATE:
        header = [
            "# Access table: the answer each role gets from every route (tests/security).",
            f"# Regenerate after a deliberate change: {REGENERATE}",
            "# login: redirect to the login page; 3xx: another redirect; 404: hidden or absent.",
            f"# {'':<4} {'endpoint':<40} {COLUMNS}".rstrip(),
        ]
        TABLE_FILE.write_text("\n".join(header + sorted(kept + lines)) + "\n")
        return
    if expected != lines:
        diff = "\n".join(difflib.unified_diff(expected, lines, "expected", "actual", lineterm=""))
        pytest.fail(
            f"The {section} access table changed:\n{diff}\n\nIf the change is meant, regenerate"
            f" with {REGENERATE} and review the diff."
        )


# -- redirects --------------------------------------------------------------------------------


def assert_stays_on_site(location: str | None, what: str) -> None:
    if not location:
        return
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https"), f"{what}: redirect to {location!r}"
    assert parts.netloc in OWN_HOSTS, f"{what}: redirect to {location!r}"
    assert not parts.path.startswith(("//", "/\\")), f"{what}: redirect to {location!r}"
    assert "\\" not in location, f"{what}: redirect to {location!r}"


def with_next(url: str, target: str) -> str:
    encoded = target if target.startswith("%") else re.sub(r"[^A-Za-z0-9]", _quote, target)
    return f"{url}{'&' if '?' in url else '?'}next={encoded}"


def _quote(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode())
