"""The OpenAPI document: valid OpenAPI 3.1, every operation but the public ones behind the
bearer token, every error a problem document; the documentation page works offline."""

import re

import pytest
from flask import Flask
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV31SpecValidator

pytestmark = pytest.mark.no_database

PUBLIC = {("get", "/api/v1/certificates/{serial}")}


@pytest.fixture
def spec(app: Flask) -> dict:  # type: ignore[type-arg]
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()  # type: ignore[no-any-return]


def test_the_document_is_valid_openapi_3_1(spec: dict) -> None:  # type: ignore[type-arg]
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_every_operation_but_the_public_ones_needs_the_token(spec: dict) -> None:  # type: ignore[type-arg]
    operations = {
        (method, path): operation
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    }
    assert len(operations) == 18
    guarded = {key for key, op in operations.items() if op.get("security")}
    assert set(operations) - guarded == PUBLIC
    for key, operation in operations.items():
        assert "default" in operation["responses"], key
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]


def test_the_docs_page_loads_nothing_from_elsewhere(app: Flask) -> None:
    page = app.test_client().get("/api/v1/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    # Static links carry the file's digest (recognition/common/static_files.py).
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in [s.split("?v=")[0] for s in sources]
    bundle = app.test_client().get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    bundle.close()


def test_the_operations_are_grouped_under_named_tags(spec: dict) -> None:  # type: ignore[type-arg]
    """Named for the reader, described, in the document's order; never the blueprints' names
    (`api_read`, …), which stay the prefix of the endpoints only."""
    tags = spec["tags"]
    names = [tag["name"] for tag in tags]
    assert names == ["Units, campaigns and catalogue", "Decisions and award history", "Dossiers"]
    assert all(len(tag["description"]) > 40 for tag in tags), tags
    used: dict[str, set[str]] = {name: set() for name in names}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "patch", "put", "delete"}:
                assert len(operation["tags"]) == 1 and operation["tags"][0] in used, (path, method)
                used[operation["tags"][0]].add(path)
    assert used["Dossiers"] == {p for p in spec["paths"] if p.startswith("/api/v1/nominations")}
    assert "/api/v1/units/{unit_id}/history" in used["Decisions and award history"]
    assert "/api/v1/campaigns" in used["Units, campaigns and catalogue"]
