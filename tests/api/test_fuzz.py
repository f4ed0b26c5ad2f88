"""Schemathesis over every operation of /api/openapi.json: generated requests (valid ones, and
invalid query strings) against demo-like data, checking that nothing answers 5xx and every answer
matches the document (status code, content type, headers, body schema).

Hypothesis runs derandomized and without its example database, so the test is the same on every
run, and its caches go to a temporary directory (no .hypothesis in the repository).
"""

from __future__ import annotations

import contextvars
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plc.extensions import db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Cases per operation and mode; 7 lists * (120 + 50) + 5 details * 100 = 1,690 in all.
LIST_VALID, LIST_INVALID, DETAIL = 120, 50, 100
MINIMUM_CASES = 1_000


@pytest.fixture
def hypothesis_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hypothesis keeps caches (constants, Unicode tables) in ./.hypothesis even without an
    example database; here they go to a temporary directory instead of the repository."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


def isolated(app: Flask) -> Callable[..., Iterable[bytes]]:
    """The app as WSGI, each request in its own context (its own app context and database
    session), as a real request would be, instead of reusing the test's."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def _run(strategy: st.SearchStrategy[Any], examples: int, seen: Counter[str], key: str) -> None:
    @_settings(examples)
    @given(case=strategy)
    def check(case: Any) -> None:
        seen[key] += 1
        case.call_and_validate(checks=CHECKS)

    check()


def test_every_operation_conforms_to_the_document(app, api_data, api_pilots, hypothesis_home):
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", isolated(app))
    real_slugs = {
        "/api/v1/outputs/{slug}": [
            api_data.revised.slug,
            api_data.practice.slug,
            api_data.guideline.slug,
            api_data.withdrawn.slug,
            api_data.hidden_output.slug,
        ],
        "/api/v1/communities/{slug}": [api_data.public.slug, api_data.invite_only.slug],
        "/api/v1/organisations/{slug}": [api_data.school.slug, api_data.board.slug],
        "/api/v1/offerings/{slug}": [offering.slug for offering in api_data.offerings.values()],
        "/api/v1/pilots/{slug}": [
            api_pilots.running.slug,
            api_pilots.concluded.slug,
            api_pilots.proposal.slug,
        ],
    }
    seen: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 12

    for operation in operations:
        path = operation.path
        if path in real_slugs:
            # Random slugs mostly find nothing; real ones make the answers worth checking.
            strategy = st.one_of(
                operation.as_strategy(),
                *(
                    operation.as_strategy(path_parameters={"slug": slug})
                    for slug in real_slugs[path]
                ),
            )
            _run(strategy, DETAIL, seen, path)
        else:
            _run(operation.as_strategy(), LIST_VALID, seen, path)
            negative = operation.as_strategy(schemathesis.GenerationMode.NEGATIVE)
            _run(negative, LIST_INVALID, seen, path + " (invalid)")

    assert set(seen) >= {operation.path for operation in operations}
    assert sum(seen.values()) >= MINIMUM_CASES, seen
