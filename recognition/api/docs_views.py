"""The API's documentation page: Swagger UI, vendored under static/vendor/swagger-ui (no
CDN), reading the OpenAPI document the app builds."""

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
