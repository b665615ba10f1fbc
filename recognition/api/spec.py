"""The API's frame: flask-smorest's `Api` (the OpenAPI 3.1 document, built from the views and
their marshmallow schemas), bearer-token authentication with scopes, pagination and the
problem documents every refusal is answered with.

flask-smorest plugs into a plain Flask app and builds the document with apispec; its own
error handler (app-wide, JSON of its own shape) is left out: recognition.errors answers every
error under /api/ with an RFC 9457 problem document, and the document says so.
"""

import http
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, g, request
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields, validate
from sqlalchemy import Select, select
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from recognition.api.models import ApiClient
from recognition.api.services import client_for_token
from recognition.common.pagination import paginate
from recognition.common.problems import PROBLEM_JSON
from recognition.extensions import db, limiter

F = TypeVar("F", bound=Callable[..., Any])
BEARER = "bearerAuth"
MAX_PER_PAGE = 100


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String()
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For a validation problem: the messages of each field."},
    )


class Api(SmorestApi):
    """flask-smorest's Api with problem documents for every error response, and without its
    app-wide error handler (see the module's docstring)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem document (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint whose operations the document groups under `tag`, a name for
    the reader, rather than under the blueprint's name (which stays the prefix of the
    endpoints: `api_read.units`, …)."""

    def __init__(self, name: str, import_name: str, *, tag: str, **options: Any) -> None:
        super().__init__(name, import_name, **options)
        self.tag = tag

    def route(
        self, rule: str, *, parameters: Any = None, tags: list[str] | None = None, **options: Any
    ) -> Callable[[F], F]:
        return cast(
            Callable[[F], F],
            super().route(rule, parameters=parameters, tags=tags or [self.tag], **options),
        )


api = Api()


def init_api(app: Flask, blueprints: list[Blueprint]) -> None:
    app.config.setdefault("API_TITLE", "recognition")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": (
                    "Units, campaigns, the catalogue, decisions, certificates' verification "
                    "and award history; dossiers created, completed and submitted on behalf "
                    "of a unit. Errors are RFC 9457 problem documents in the language of "
                    "Accept-Language (vi by default, or en)."
                )
            },
            "components": {
                "securitySchemes": {
                    BEARER: {"type": "http", "scheme": "bearer", "description": "rk_… token"}
                }
            },
            # The document's list of groups, in this order (in place of the one flask-smorest
            # makes of the blueprints' names).
            "tags": [{"name": b.tag, "description": b.description} for b in blueprints],
        },
    )
    api.init_app(app)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)


def _token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def current_client() -> ApiClient:
    return cast(ApiClient, g.api_client)


def _client_key() -> str:
    return f"api-client:{g.api_client.id}" if getattr(g, "api_client", None) else "api-anon"


def _rate() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def authorised(scope: str) -> Callable[[F], F]:
    """View decorator: the bearer token of a live client (else 401), holding `scope` (else
    403), rate-limited per client (429). The view reads the client with `current_client()`."""

    def decorator(view: F) -> F:
        limited = limiter.limit(_rate, key_func=_client_key)(view)

        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            client = client_for_token(_token())
            if client is None:
                raise Unauthorized(www_authenticate=WWWAuthenticate("bearer", {"realm": "api"}))
            g.api_client = client
            if not client.has_scope(scope) or client.reaches_beyond_its_unit:
                abort(403)
            return limited(*args, **kwargs)

        wrapped = Blueprint.doc(
            security=[{BEARER: []}],
            responses={"401": "UNAUTHORIZED", "403": "FORBIDDEN", "429": "TOO_MANY_REQUESTS"},
        )(wrapped)
        return cast(F, wrapped)

    return decorator


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=2**31 - 1))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The schema of a page of `item`s."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
        },
        name=name,
    )


def page_of(query: Select[Any], args: dict[str, int]) -> dict[str, Any]:
    """One page of `query` (ordered by the caller, to the last column, so that no row is on
    two pages): the HTML lists' pagination (counted first, then read with LIMIT and OFFSET from
    the nearer end), with `page` and `per_page` as the request's arguments give them."""
    per_page = args["per_page"]
    page = paginate(query, per_page=per_page, page=args["page"])
    total = int(page.total or 0)
    return {
        "items": list(page.items),
        "page": page.page,
        "per_page": per_page,
        "total": total,
        "pages": max(-(-total // per_page), 1),
    }


def page_of_rows(query: Select[Any], model: Any, args: dict[str, int]) -> dict[str, Any]:
    """`page_of` for a list of wide rows (a history's records, with their achievement texts):
    the page's ids are chosen first, so that the database sorts ids rather than whole rows to
    find a page in the middle of tens of thousands; then those rows are read."""
    page = page_of(query.with_only_columns(model.id), args)
    ids = list(page["items"])
    found = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}
    page["items"] = [found[i] for i in ids if i in found]
    return page
