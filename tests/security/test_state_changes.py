"""Every state-changing route is refused without a valid CSRF token (and nothing changes),
every upload form refuses oversize and mis-typed files, no redirect leaves the site.

Each test compares what it changes with its own before and after, so the tests need no order.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask

from plc.extensions import db, limiter
from tests.conftest import PlcClient
from tests.security.conftest import World
from tests.security.routes import (
    BASE_URL,
    SAME_ORIGIN,
    STATE_CHANGING,
    Route,
    assert_stays_on_site,
    is_html,
    sweep_routes,
    with_next,
)

#: Redirect targets an attacker would try (the last one is sent already percent-encoded).
EVIL_TARGETS = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML_AS_FILE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(scope="module", autouse=True)
def no_rate_limits() -> Iterator[None]:
    limiter.enabled = False  # hundreds of posts; rate limits have their own tests
    yield
    limiter.enabled = True


@pytest.fixture(scope="module")
def changing_routes(app: Flask, world: World) -> list[Route]:
    routes = [r for r in sweep_routes(app, world.values) if set(r.methods) & set(STATE_CHANGING)]
    assert len(routes) > 80, "the sweep found the state-changing routes"
    return routes


# -- what the database and the upload folder hold -----------------------------------------------


def row_counts() -> dict[str, int]:
    """The number of rows of every table, in one statement."""
    tables = db.metadata.sorted_tables
    query = sa.select(
        *(sa.select(sa.func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables)
    )
    return dict(db.session.execute(query).one()._mapping)


def content_digest() -> str:
    """A fingerprint of every row of every table: also an UPDATE changes it."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in db.session.execute(sa.select(table)))
        digest.update(table.name.encode() + "\n".join(rows).encode())
    return digest.hexdigest()


def stored_files(app: Flask) -> set[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def state(app: Flask) -> tuple[dict[str, int], set[Path]]:
    db.session.rollback()  # a fresh snapshot, not the test's earlier one
    return row_counts(), stored_files(app)


# -- CSRF ---------------------------------------------------------------------------------------


def test_the_json_api_changes_nothing(changing_routes):
    """The API is read-only (and so needs no token); a write operation there would need one."""
    api = [r.endpoint for r in changing_routes if r.url.startswith("/api/")]
    assert not api, f"state-changing API operations {api}: decide how they are authenticated"


#: Routes without a CSRF token, and what authorises a request instead.
CSRF_EXEMPT = {
    # One-click unsubscribe (RFC 8058): a mail client posts without a session or a form.
    "notifications.unsubscribe": "the signed token in the link",
}


def test_only_the_documented_routes_go_without_a_csrf_token(app):
    from plc.extensions import csrf

    exempt_views = csrf._exempt_views  # Flask-WTF keeps "module.function" of exempt views
    exempt = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if f"{view.__module__}.{view.__name__}" in exempt_views
        or endpoint.partition(".")[0] in csrf._exempt_blueprints
    }
    assert exempt == set(CSRF_EXEMPT), "document a route without a CSRF token in CSRF_EXEMPT"


def _forged(route: Route, world: World) -> str:
    """The route's address with every secret token in it replaced by a forged one."""
    url = route.url
    for key, value in world.values.items():
        if key.endswith(":token") and isinstance(value, str) and value in url:
            url = url.replace(value, "vervalst")
    return url


@pytest.mark.parametrize("token", [None, "vervalst-token"], ids=["no-token", "wrong-token"])
def test_no_state_changing_route_works_without_a_valid_csrf_token(
    app, world, clients, changing_routes, token
):
    admin = clients["admin"]  # the strongest role: everything would be allowed to it
    digest = content_digest()
    before = state(app)
    refused = []
    for route in changing_routes:
        data: dict[str, Any] = {"next": "/", "title": "Zonder token", "body": "x"}
        if token:
            data["csrf_token"] = token
        # A route authorised by a token in its address is tried with a forged one: 404.
        exempt = route.endpoint in CSRF_EXEMPT
        url, expected = (_forged(route, world), 404) if exempt else (route.url, 400)
        assert url != route.url or not exempt, f"{route.endpoint}: no token in its address"
        for method in sorted(set(route.methods) & set(STATE_CHANGING)):
            response = admin.open(
                url, method=method, data=data, headers=SAME_ORIGIN, base_url=BASE_URL
            )
            if response.status_code != expected:
                refused.append(f"{method} {route.url}: {response.status_code}")
            response.close()
            after = state(app)
            assert after == before, f"{method} {route.url} without a valid token changed data"
    assert not refused, "answered other than 400 (404 for CSRF_EXEMPT):\n" + "\n".join(refused)
    db.session.rollback()
    assert content_digest() == digest, "a request without a valid token changed a row"
    assert admin.get("/profiel", base_url=BASE_URL).status_code == 200  # still logged in


# -- open redirects -------------------------------------------------------------------------------

#: Where a redirect target is read (found with grep for safe_next/next/referrer); checked with
#: every evil target. Every other route gets one in the sweep below.
REDIRECT_READERS = [
    ("core.set_language", "POST", {"language": "en"}),
    ("notifications.follow", "POST", {}),
    ("following.follow", "POST", {}),
    ("following.unfollow", "POST", {}),
    ("privacy.consent", "GET", {}),
    ("privacy.consent", "POST", {}),
    ("auth.login", "GET", {}),  # someone logged in is sent on at once
]


def test_login_never_redirects_off_site(app):
    app.test_client_class = PlcClient
    for target in EVIL_TARGETS:
        client = app.test_client()
        response = client.submit(
            with_next("/inloggen", target),
            {"email": "sweep-member@example.org", "password": "Grachtengordel-fiets-2026"},
        )
        assert response.status_code == 302, target
        assert_stays_on_site(response.headers.get("Location"), f"login next={target}")


def test_routes_that_read_a_redirect_target_never_leave_the_site(app, world, clients):
    member = clients["member"]
    urls = {r.endpoint: r.url for r in sweep_routes(app, world.values)}
    for endpoint, method, data in REDIRECT_READERS:
        for target in EVIL_TARGETS:
            url = with_next(urls[endpoint], target)
            if method == "GET":
                response = member.get(url, base_url=BASE_URL)
            else:
                response = member.submit(url, {**data, "next": target})
            assert response.status_code < 500, (endpoint, target)
            assert_stays_on_site(response.headers.get("Location"), f"{endpoint} next={target}")
    member.submit(urls["core.set_language"], {"language": "nl"})


@pytest.fixture(scope="module")
def evil_gets(app: Flask, world: World, clients) -> list[tuple[str, str, str | None, set[str]]]:
    """Every GET route as the member and the facilitator, with an evil `next` and Referer:
    (role, url, Location, endpoints of the upload forms on the page). One pass for two tests."""
    evil = {"Referer": "https://evil.example/"}
    seen = []
    for route in sweep_routes(app, world.values):
        if "GET" not in route.methods:
            continue
        for role in ("member", "facilitator"):
            response = clients[role].get(
                with_next(route.url, "//evil.example"), headers=evil, base_url=BASE_URL
            )
            forms = set()
            if response.status_code == 200 and is_html(response):
                forms = _upload_endpoints(app, response.get_data(as_text=True), route.url)
            seen.append((role, route.url, response.headers.get("Location"), forms))
            response.close()
    return seen


def test_no_get_route_redirects_off_site(evil_gets):
    for role, url, location, _forms in evil_gets:
        assert_stays_on_site(location, f"{role} GET {url}")
    assert any(location for _role, _url, location, _forms in evil_gets)


# -- uploads ------------------------------------------------------------------------------------

#: Each upload form: who fills it in, which field takes the file, and the rest of a valid form.
#: An upload form the sweep finds on a page but not here fails the test below.
UPLOAD_FORMS: dict[str, tuple[str, str, dict[str, str]]] = {
    "resources.create": (
        "facilitator",
        "file",
        {"kind": "file", "title": "Lesplan breuken", "licence": "cc-by-4.0"},
    ),
    "resources.new_version": ("facilitator", "file", {"licence": "cc-by-4.0"}),
    "knowledge.add_attachment": ("facilitator", "file", {}),
    "development.add_entry": (
        "member",
        "evidence",
        {"title": "Cursus rekenen", "activity_date": "2026-10-02", "contact_hours": "2"},
    ),
    "development.edit_entry": (
        "member",
        "evidence",
        {"title": "Cursus", "activity_date": "2026-10-01", "contact_hours": "2"},
    ),
}
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)
_ACTION = re.compile(r'action="([^"]*)"')


def _upload_endpoints(app: Flask, html: str, page: str) -> set[str]:
    """The endpoints that forms with a file field post to (no action: the page itself)."""
    adapter = app.url_map.bind("localhost")
    found = set()
    for form in _FORM.findall(html):
        if 'type="file"' in form:
            action = _ACTION.search(form.split(">", 1)[0])
            target = action.group(1).replace("&amp;", "&") if action and action.group(1) else page
            found.add(adapter.match(urlsplit(target).path, method="POST")[0])
    return found


def test_every_upload_form_is_checked(evil_gets):
    """Upload forms are found on the pages, not listed by hand: a new one must be added above."""
    found = set().union(*(forms for _role, _url, _location, forms in evil_gets))
    missing = found - set(UPLOAD_FORMS)
    assert not missing, f"upload forms without checks: {missing}; add them to UPLOAD_FORMS"
    assert found >= {"resources.create", "development.add_entry"}, found


def _upload_url(app: Flask, world: World, endpoint: str) -> str:
    url = next(r.url for r in sweep_routes(app, world.values) if r.endpoint == endpoint)
    if endpoint == "knowledge.add_attachment":
        # Attachments are added to a draft; the sweep's output is published.
        return url.replace(
            f"/kennis/{world.values['knowledge:output_id']}/",
            f"/kennis/{world.values['knowledge.draft:output_id']}/",
        ).replace(
            f"/gemeenschappen/{world.values['knowledge:slug']}/",
            f"/gemeenschappen/{world.values['knowledge.draft:slug']}/",
        )
    return url


def _send(client, url: str, field: str, fields: dict[str, str], content: bytes, name: str):
    data: dict[str, Any] = {**fields, field: (io.BytesIO(content), name)}
    return client.submit(url, data, content_type="multipart/form-data", follow_redirects=True)


def _shows_an_error(response) -> bool:
    page = response.get_data(as_text=True)
    return any(marker in page for marker in ("is-invalid", "alert-danger", "invalid-feedback"))


@pytest.mark.parametrize("endpoint", sorted(UPLOAD_FORMS))
def test_upload_forms_refuse_oversize_and_mis_typed_files(app, world, clients, endpoint):
    role, field, fields = UPLOAD_FORMS[endpoint]
    client = clients[role]
    url = _upload_url(app, world, endpoint)
    before = state(app)

    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = _send(client, url, field, fields, PDF + b"\n" * 70_000, "groot.pdf")
    assert response.status_code == 413, endpoint
    assert state(app) == before, f"{endpoint}: an oversized upload changed data"
    app.config["MAX_CONTENT_LENGTH"] = 50 * 1024 * 1024

    for name in ("lesplan.pdf", "foto.png"):
        response = _send(client, url, field, fields, HTML_AS_FILE, name)
        assert response.status_code in (200, 400), (endpoint, name, response.status_code)
        assert _shows_an_error(response), f"{endpoint}: HTML named {name} without a clear error"
        assert state(app) == before, f"{endpoint}: HTML named {name} was stored"

    # The same form with a real PDF is taken: what was refused was the file, not the form.
    response = _send(client, url, field, fields, PDF, "lesplan.pdf")
    assert response.status_code == 200 and not _shows_an_error(response), endpoint
    counts, files = state(app)
    assert counts != before[0] or files != before[1], f"{endpoint}: a real PDF was refused"
