"""schemathesis against the API, in-process (WSGI), with a client's token: every operation,
RECOGNITION_API_EXAMPLES examples each. As with the forms' fuzzing
(tests/reliability/test_fuzz_forms.py), `make test` runs a quick pass (20 on SQLite, 5 on
PostgreSQL) and CI's deep pass (`make fuzz-deep`) 80 and 20 more, each run and pass from a seed
of its own: 100 distinct examples an operation on SQLite alone. Checks: no 5xx, every response
valid against the document (status code, content type, body), every refusal a problem
document."""

import zlib
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from recognition import create_app
from recognition.extensions import db
from recognition.nominations.services import Nominee, create_nomination
from tests.api.world import ApiWorld, build_world
from tests.conftest import ON_POSTGRES, TEST_CONFIG
from tests.support.passes import DEEP, examples

pytestmark = pytest.mark.integration

EXAMPLES = examples("RECOGNITION_API_EXAMPLES", quick=(20, 5), deep=(80, 20))
SEED = zlib.crc32(f"{'deep ' * DEEP}{'postgresql' if ON_POSTGRES else 'sqlite'} api".encode())


@pytest.fixture
def api_world(app: Flask, monkeypatch: pytest.MonkeyPatch) -> ApiWorld:
    # The rate limits are tested in test_clients; here they would only cut the examples short.
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "1000000 per minute")
    monkeypatch.setitem(app.config, "API_PUBLIC_RATE_LIMIT", "1000000 per minute")
    world = build_world()
    draft = create_nomination(
        world.campaign, world.award, Nominee(unit=world.hamlet_a), actor=world.client_a.user
    )
    world.draft_id = draft.id  # type: ignore[attr-defined]
    # Committed (a savepoint of the test's transaction, rolled back after it), so that a
    # request that rolls back its own work cannot take the world with it.
    db.session.commit()
    return world


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, from a throwaway app (no database is touched), so
    that each is a test of its own."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    return [
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "post", "patch", "put", "delete"}
    ]


def refusals_are_problems(response: Any) -> None:
    if response.status_code < 400:
        return
    headers = {name.lower(): values for name, values in response.headers.items()}
    assert headers.get("content-type", [""])[0].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == response.status_code
    assert headers.get("content-language", [""])[0] == "vi"


@pytest.mark.parametrize(("method", "path"), _operations())
def test_api(
    app: Flask,
    api_world: ApiWorld,
    method: str,
    path: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    token = {"Authorization": f"Bearer {api_world.token_a}"}
    statuses: list[int] = []
    real = {
        "unit_id": api_world.hamlet_a.id,
        "campaign_id": api_world.campaign.id,
        "award_type_id": api_world.award.id,
        "nomination_id": api_world.draft_id,  # type: ignore[attr-defined]
        "nominee_unit_id": api_world.unit_a.id,
    }

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def run(case: Any, data: Any) -> None:
        # Random ids name nothing: half the examples name the world's objects instead, so
        # that the operations get past their lookups (and create, change and submit).
        if data.draw(st.booleans(), label="real ids"):
            for name in case.path_parameters or {}:
                case.path_parameters[name] = real.get(name, case.path_parameters[name])
            if isinstance(case.body, dict):
                for name in ("campaign_id", "award_type_id", "nominee_unit_id"):
                    if name in case.body:
                        case.body[name] = real[name]
        case.headers = {**(case.headers or {}), **token}
        # Each request in an application context of its own, as in production (and as
        # tests.conftest.Client does): nothing in `g` or the session outlives a request.
        with app.app_context():
            response = case.call()
        statuses.append(response.status_code)
        case.validate_response(
            response,
            checks=(
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ),
        )
        refusals_are_problems(response)

    run()
    with capsys.disabled():
        counts = ", ".join(f"{code}×{statuses.count(code)}" for code in sorted(set(statuses)))
        print(f"\nschemathesis {method} {path}: {len(statuses)} requests ({counts})")
