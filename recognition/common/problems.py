"""Problem documents (RFC 9457): how every refusal and error under /api/ is answered.

The title and detail are in the caller's language (Accept-Language, Vietnamese by default,
see i18n.select_locale); validation problems carry the message of each field in `errors`.
"""

import json
from collections.abc import Mapping
from typing import Any

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("A valid API token is needed"),
    403: _l("This client may not do that"),
    404: _l("Not found"),
    405: _l("This method is not allowed here"),
    406: _l("The answer cannot be given in the format asked for"),
    409: _l("This cannot be done in the current state"),
    413: _l("The upload is too large"),
    415: _l("The request body has an unsupported type"),
    422: _l("Some fields are not valid"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is unavailable for a moment"),
}

DETAILS = {
    400: _l("Check the request against the API documentation."),
    401: _l("Send the client's token in the header Authorization: Bearer <token>."),
    403: _l("The client's scopes or unit do not allow this operation on this object."),
    404: _l("No object has this address, or it was removed."),
    405: _l("See the API documentation for the methods this address accepts."),
    406: _l("This API answers in JSON."),
    409: _l("The object's state does not allow this now. Read it again and retry."),
    413: _l("Make the file smaller or split it, then try again."),
    415: _l("Send JSON, or multipart/form-data for a file."),
    422: _l("Correct the fields listed in errors and send the request again."),
    429: _l("Wait a moment before sending more requests."),
    500: _l("The error has been recorded. Try again in a moment; nothing that was saved is lost."),
    503: _l("Try again in a moment."),
}

# marshmallow's messages, said in the caller's language (the rest become a plain "not valid").
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field may not be empty."),
    "Unknown field.": _l("This field is not known."),
    "Not a valid integer.": _l("Not a whole number."),
    "Not a valid string.": _l("Not a text."),
    "Not a valid boolean.": _l("Not true or false."),
    "Not a valid number.": _l("Not a number."),
    "Not a valid list.": _l("Not a list."),
    "Invalid input type.": _l("Not of the expected type."),
    "Invalid value.": _l("Not a valid value."),
}


def is_api_request() -> bool:
    return bool(request) and request.path.startswith(API_PREFIX)


def field_message(message: Any) -> str:
    text = str(message)
    if text in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[text])
    if text.startswith(("Must be one of", "Must be greater", "Must be less", "Length must")):
        return _("The value is outside what this field accepts.")
    if text.startswith("Not a valid"):
        return _("Not a valid value.")
    return text


def field_errors(messages: Mapping[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"field.sub": [message, …]} in the caller's language.
    The location level webargs adds ("json", "query", "files", "form") is dropped."""
    result: dict[str, list[str]] = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if not prefix and key in {"json", "query", "files", "form", "view_args", "headers"}:
            name = ""
        if isinstance(value, Mapping):
            result.update(field_errors(value, name))
        else:
            items = value if isinstance(value, list | tuple) else [value]
            result.setdefault(name or "_", []).extend(field_message(item) for item in items)
    return result


def problem(
    status: int,
    *,
    detail: str | None = None,
    title: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem document for `status`, in the caller's language."""
    status = status if status in TITLES else (500 if status >= 500 else 400)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(title or TITLES[status]),
        "status": status,
        "detail": str(detail or DETAILS[status]),
    }
    if request:
        body["instance"] = request.path
    if errors:
        body["errors"] = dict(errors)
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON
    )
    response.headers["Content-Language"] = str(get_locale() or "vi")
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
