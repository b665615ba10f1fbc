"""The limiter checks before every request only when a limit may apply to every view
(recognition.extensions.ViewLimiter); a view's own limit is checked by its decorator."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Blueprint, Flask
from flask_limiter.util import get_remote_address

from recognition.extensions import ViewLimiter


def _app(**config: Any) -> tuple[Flask, ViewLimiter]:
    app = Flask(__name__)
    app.config.update(RATELIMIT_STORAGE_URI="memory://", **config)
    limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])

    @app.get("/plain")
    def plain() -> str:
        return "plain"

    @app.get("/limited")
    @limiter.limit("2 per minute")
    def limited() -> str:
        return "limited"

    return app, limiter


def _statuses(app: Flask, path: str, times: int) -> list[int]:
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def test_a_views_own_limit_is_checked_and_others_are_free() -> None:
    app, limiter = _app()
    limiter.init_app(app)
    assert _statuses(app, "/limited", 3) == [200, 200, 429]
    assert _statuses(app, "/plain", 5) == [200] * 5


@pytest.mark.parametrize(
    "config",
    [
        {"RATELIMIT_APPLICATION": "3 per minute"},
        {"RATELIMIT_DEFAULT": "3 per minute"},
    ],
)
def test_a_limit_set_for_every_view_is_checked_before_each(config: dict[str, str]) -> None:
    app, limiter = _app(**config)
    limiter.init_app(app)
    assert _statuses(app, "/plain", 4) == [200, 200, 200, 429]


def test_a_blueprints_limit_is_checked_before_its_views() -> None:
    app, limiter = _app()
    section = Blueprint("section", __name__)

    @section.get("/section")
    def in_section() -> str:
        return "section"

    limiter.limit("1 per minute")(section)
    app.register_blueprint(section)
    limiter.init_app(app)
    assert _statuses(app, "/section", 2) == [200, 429]
    assert _statuses(app, "/plain", 3) == [200] * 3
