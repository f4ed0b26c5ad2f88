"""Every route of the URL map, as each role, by GET: the access table, headers, no inline script,
cookies, and downloads that are never shown inline.

The expected access table is tests/security/access_table.txt; after a deliberate change of the
access rules, regenerate it with
    PLC_UPDATE_ACCESS_TABLE=1 .venv/bin/pytest tests/security/test_sweep.py
and read the diff before committing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask

from plc.extensions import limiter
from tests.security.conftest import World
from tests.security.routes import (
    BASE_URL,
    ROLES,
    Route,
    compare_table,
    is_html,
    outcome,
    sweep_routes,
)


@dataclass(frozen=True)
class Seen:
    """What one role got from one route: enough for every check of this module."""

    route: Route
    role: str
    status: int
    outcome: str
    headers: dict[str, str]
    cookies: tuple[str, ...]
    html: str | None


@pytest.fixture(scope="module")
def get_sweep(app: Flask, world: World, clients) -> list[Seen]:
    """GET every rule that answers GET, as every role: one request each, shared by the tests."""
    seen: list[Seen] = []
    limiter.enabled = False  # the sweep sends many requests; rate limits are tested elsewhere
    try:
        for route in sweep_routes(app, world.values):
            if "GET" not in route.methods:
                continue
            for role in ROLES:
                response = clients[role].get(route.url, base_url=BASE_URL)
                seen.append(
                    Seen(
                        route,
                        role,
                        response.status_code,
                        outcome(response),
                        dict(response.headers),
                        tuple(response.headers.getlist("Set-Cookie")),
                        response.get_data(as_text=True) if is_html(response) else None,
                    )
                )
                response.close()
    finally:
        limiter.enabled = True
    return seen


def _table(seen: list[Seen], method: str) -> list[str]:
    rows: dict[str, dict[str, str]] = {}
    for item in seen:
        rows.setdefault(item.route.endpoint, {})[item.role] = item.outcome
    return [
        f"{method:<4} {endpoint:<40} " + "  ".join(f"{row[r]:<11}" for r in ROLES).rstrip()
        for endpoint, row in sorted(rows.items())
    ]


def test_every_route_answers_every_role_as_the_access_table_says(get_sweep):
    compare_table(_table(get_sweep, "GET"), "GET")


def test_no_route_fails_with_a_server_error(get_sweep):
    failures = [f"{s.role} GET {s.route.url}: {s.status}" for s in get_sweep if s.status >= 500]
    assert not failures, "\n".join(failures)


def test_every_html_response_has_the_security_headers(get_sweep):
    problems = []
    for item in get_sweep:
        if item.html is None:
            continue
        csp = item.headers.get("Content-Security-Policy", "")
        if "script-src 'self'" not in csp or "unsafe-inline" in csp:
            problems.append(f"{item.route.endpoint} ({item.role}): CSP {csp!r}")
        if "frame-ancestors 'none'" not in csp:
            problems.append(f"{item.route.endpoint} ({item.role}): no frame-ancestors")
        if item.headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{item.route.endpoint} ({item.role}): no nosniff")
        if item.headers.get("Referrer-Policy") != "strict-origin-when-cross-origin":
            problems.append(f"{item.route.endpoint} ({item.role}): Referrer-Policy")
    assert not problems, "\n".join(problems)
    assert sum(item.html is not None for item in get_sweep) > 100  # the sweep met real pages


_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
_JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_no_page_has_inline_script(get_sweep):
    problems = set()
    for item in get_sweep:
        if item.html is None:
            continue
        for attributes in _SCRIPT.findall(item.html):
            # A JSON-LD data block is never run (CSP's script-src does not apply to it).
            if " src=" not in attributes and "application/ld+json" not in attributes:
                problems.add(f"{item.route.endpoint}: <script{attributes}> without src")
        if _HANDLER.search(item.html):
            problems.add(f"{item.route.endpoint}: an on…= event handler attribute")
        if _JS_URL.search(item.html):
            problems.add(f"{item.route.endpoint}: a javascript: URL")
    assert not problems, "\n".join(sorted(problems))


def test_every_cookie_set_anywhere_is_httponly_and_samesite(get_sweep):
    cookies = {cookie for item in get_sweep for cookie in item.cookies}
    bad = [c for c in cookies if "HttpOnly" not in c or "SameSite=" not in c]
    assert not bad, bad


def _downloads(seen: list[Seen]) -> list[Seen]:
    """Responses that send a file: found by what they answer, not from a list."""
    return [
        s
        for s in seen
        if s.status == 200
        and (
            "Content-Disposition" in s.headers
            or s.headers.get("Content-Type", "").startswith(
                ("application/pdf", "application/octet-stream", "text/csv", "image/")
            )
        )
    ]


def test_every_download_is_an_attachment_that_is_not_sniffed_and_is_sandboxed(get_sweep):
    downloads = _downloads(get_sweep)
    endpoints = {s.route.endpoint for s in downloads}
    # The sweep met the stored files of every feature that keeps them.
    assert {
        "resources.download",
        "resources.download_version",
        "knowledge.attachment",
        "kennisbank.attachment",
        "development.evidence",
    } <= endpoints, endpoints
    problems = []
    for item in downloads:
        where = f"{item.route.endpoint} ({item.role})"
        disposition = item.headers.get("Content-Disposition", "")
        calendar = item.headers.get("Content-Type", "").startswith("text/calendar")
        # Calendar files open in a calendar app, which a subscription needs; never as a page.
        if not disposition.startswith("attachment") and not calendar:
            problems.append(f"{where}: Content-Disposition {disposition!r}")
        if item.headers.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{where}: not nosniff")
        if "sandbox" not in item.headers.get("Content-Security-Policy", ""):
            problems.append(f"{where}: CSP without sandbox")
    assert not problems, "\n".join(sorted(set(problems)))
