"""The money tests run on the decision tests' scene, inside a request (see
tests/decisions/conftest.py)."""

from tests.decisions.conftest import (  # noqa: F401 - fixtures
    _in_request,
    dispatched,
    request_base_url,
    request_locale,
    scene,
)
