"""Every state-changing route, as each role, with a valid CSRF token and an empty form: the POST
part of tests/security/access_table.txt, no server error, no redirect off the site.

Posting to every route changes the world as it goes (a member who may leave, leaves), so this
module has a world of its own. Regenerate the table with
    PLC_UPDATE_ACCESS_TABLE=1 .venv/bin/pytest tests/security/test_sweep.py tests/security/test_post_sweep.py
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from plc.extensions import limiter
from tests.security.conftest import World
from tests.security.routes import (
    BASE_URL,
    ROLES,
    SAME_ORIGIN,
    STATE_CHANGING,
    Route,
    assert_stays_on_site,
    compare_table,
    outcome,
    sweep_routes,
    with_next,
)


@pytest.fixture(autouse=True)
def no_rate_limits() -> Iterator[None]:
    limiter.enabled = False  # hundreds of posts; rate limits have their own tests
    yield
    limiter.enabled = True


# -- the POST part of the access table ------------------------------------------------------------

#: Posting these logs the client out; it logs in again before the next route.
LOGS_OUT = {"auth.logout"}
#: Routes that change the world's links (join, leave, delete, withdraw…) are posted after all
#: others, so that the answers of the others are about the world as built.
UNDOES = re.compile(
    r"\.(join|respond|enrol|claim|leave|delete|remove|withdraw|end_|cancel|unenrol|unfollow|unmark"
    r"|revoke|discard|retract|stop|conclude|set_|decide|logout)"
)


def _posting_order(routes: list[Route]) -> list[Route]:
    return sorted(routes, key=lambda r: (bool(UNDOES.search(r.endpoint)), r.endpoint))


def test_every_state_changing_route_answers_every_role_as_the_access_table_says(
    app: Flask, world: World, clients
):
    """A valid token and an empty form (plus an evil `next`): each role's answer, no 5xx, no
    redirect off the site. Routes are posted in sorted order, roles from anonymous to admin, so
    the answers are the same on every run."""
    changing_routes = [
        r for r in sweep_routes(app, world.values) if set(r.methods) & set(STATE_CHANGING)
    ]
    lines, errors = [], []
    tokens = {role: client.csrf_token() for role, client in clients.items()}
    for route in _posting_order(changing_routes):
        answers = []
        for role in ROLES:
            client = clients[role]
            response = client.post(
                with_next(route.url, "//evil.example"),
                data={"csrf_token": tokens[role], "next": "//evil.example"},
                headers=SAME_ORIGIN,
                base_url=BASE_URL,
            )
            answers.append(outcome(response))
            if response.status_code >= 500:
                errors.append(f"{role} POST {route.url}: {response.status_code}")
            assert_stays_on_site(response.headers.get("Location"), f"{role} POST {route.url}")
            response.close()
            if route.endpoint in LOGS_OUT:
                if role != "anonymous":
                    assert client.login(f"sweep-{role}@example.org").status_code == 302
                tokens[role] = client.csrf_token()  # the session, and its token, are new
        line = f"{'POST':<4} {route.endpoint:<40} " + "  ".join(f"{a:<11}" for a in answers)
        lines.append(line.rstrip())
    assert not errors, "\n".join(errors)
    compare_table(sorted(lines), "POST")
