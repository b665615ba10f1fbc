"""Domain errors and their single mapping to HTTP responses and pages."""

from urllib.parse import urlsplit

from flask import Flask, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, SecurityError

from recognition.common.problems import field_errors, is_api_request, problem
from recognition.extensions import db


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is shown to the user."""

    status_code = 400
    # The error page's heading and advice, where those of the status code do not fit.
    title: str | None = None
    hint: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    status_code = 403


class InvalidTransition(DomainError):
    status_code = 409


class ConcurrentUpdate(DomainError):
    status_code = 409


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please log in"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not available here"),
    409: _l("This action cannot be done now"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The document could not be produced now"),
}

ERROR_HINTS = {
    400: _l(
        "Reload the page and try again. If you were filling a form, your session may have "
        "expired: log in again."
    ),
    401: _l("Your session has ended or you are not logged in. Log in and send the form again."),
    403: _l(
        "Your account does not have the role this page needs. Ask an administrator if you "
        "think it should."
    ),
    404: _l("The address may be mistyped, or the item was removed."),
    405: _l("Go back and use the buttons on the page."),
    409: _l("The item changed in the meantime. Reload it to see its current state."),
    413: _l(
        "Nothing of this form was saved. Go back with your browser's Back button (it usually "
        "keeps what you typed), attach smaller files or fewer at a time, and save again."
    ),
    429: _l("Wait a few minutes before trying again."),
    500: _l(
        "The error has been recorded. Please try again in a moment; nothing you saved "
        "before has been lost."
    ),
    503: _l("Nothing was lost. Try again in a moment, or with fewer pages at a time."),
}


def render_error(
    code: int,
    message: str | None = None,
    *,
    title: str | None = None,
    hint: str | None = None,
    **context: object,
) -> ResponseReturnValue:
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or ERROR_TITLES.get(code, ERROR_TITLES[500]),
            message=message,
            hint=hint if hint is not None else ERROR_HINTS.get(code, ERROR_HINTS[500]),
            **context,
        ),
        code,
    )


# Form fields that are never shown back: the token itself, secrets, and the hidden fields a
# page adds (nobody typed them).
_NOT_SHOWN_BACK = {
    "csrf_token",
    "password",
    "new_password",
    "confirm",
    "current_password",
    "pin",
    "next",
    "version",
    "step",
    "choice",
}


# Forms anyone may send, logged in or not: a refused one is not a login that ended.
_OPEN_TO_ALL = {"auth.login", "auth.set_language", "auth.logout"}


def _typed_texts() -> list[str]:
    """The texts a refused form carried, to copy before sending them again: only for a form
    sent from a page of this site (a form posted from elsewhere shows nothing back), never a
    password or token, and only texts of some length (not the ids, choices and flags)."""
    came_from = urlsplit(request.headers.get("Origin") or request.referrer or "")
    if came_from.netloc != request.host:
        return []
    texts = []
    for name, value in request.form.items(multi=True):
        if name in _NOT_SHOWN_BACK or "password" in name:
            continue
        value = value.strip()
        if len(value) >= 20 or "\n" in value:
            texts.append(value[:20_000])
    return texts[:20]


def _form_not_accepted() -> ResponseReturnValue:
    """A form whose CSRF token failed: its login ended (logged out, or away too long), or the
    page was too old. Nothing of it was saved; what it carried is shown to copy."""
    ended = False
    if current_user.is_authenticated:
        message = _(
            "The form expired or was sent from another page. Nothing of it was saved; you are "
            "still logged in: open the page again and send the form again."
        )
    elif request.endpoint in _OPEN_TO_ALL or (request.blueprint or "") == "public":
        message = _(
            "The form expired or was sent from another page. Nothing of it was saved: open the "
            "page again and send the form again."
        )
    else:
        ended = True
        message = _(
            "Your login has ended (you logged out, or the page stayed open too long). Nothing "
            "of this form was saved: log in again and send it again."
        )
    texts = _typed_texts()
    return render_error(
        400,
        message,
        title=_("Please log in again") if ended else None,
        hint=_("Copy what you typed below before you leave this page.") if texts else "",
        typed_texts=texts,
        log_in_again=ended,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        db.session.rollback()
        if is_api_request():
            return api_domain_problem(error)
        if request.method == "POST" and error.status_code == 400 and request.referrer:
            flash(error.message, "danger")
            return redirect(request.referrer)
        return render_error(error.status_code, error.message, title=error.title, hint=error.hint)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if is_api_request() and not isinstance(error, SecurityError):
            return api_http_problem(error)
        if isinstance(error, SecurityError):
            # The Host header names a host this app does not serve (TRUSTED_HOSTS): no page
            # can be built for it, nor any link.
            return (
                _("This server does not answer for that address."),
                400,
                {"Content-Type": "text/plain; charset=utf-8"},
            )
        if code in (400,) and getattr(error, "description", "").startswith("The CSRF"):
            return _form_not_accepted()
        if code not in ERROR_TITLES:
            return error
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            return problem(500)
        return render_error(500)

    @app.errorhandler(IntegrityError)
    def conflicting_write(error: IntegrityError) -> ResponseReturnValue:
        # The services check what must be unique before they write; two requests checking at
        # the same moment both pass, and the database's unique index refuses the second
        # (the places where such a race is expected handle it with their own message).
        if not is_unique_violation(error):
            return unexpected_error(error)
        db.session.rollback()
        app.logger.warning(
            "A write on %s %s met another's at the same moment: %s",
            request.method,
            request.path,
            error.orig,
        )
        message = _(
            "Someone else saved the same thing at the same moment: nothing of this request "
            "was saved. Reload the page to see what is there now, and try again if needed."
        )
        if is_api_request():
            return problem(409, detail=message)
        return render_error(409, message, hint="")  # the message says what to do


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether the database refused a row because a unique index already holds its key
    (PostgreSQL's SQLSTATE 23505; SQLite's "UNIQUE constraint failed")."""
    if getattr(error.orig, "sqlstate", None) == "23505":
        return True
    return "UNIQUE constraint failed" in str(error.orig)


def api_domain_problem(error: DomainError) -> ResponseReturnValue:
    """A service's refusal under /api/: a rule about a field is a 422 naming the field, a rule
    about the object's state or the moment (a closed window, a guard) a 409; 403 and 409 keep
    their codes."""
    status = error.status_code
    if status == 400:
        status = 422 if error.field else 409
    errors = {error.field: [error.message]} if error.field else None
    return problem(status, detail=error.message, errors=errors)


def api_http_problem(error: HTTPException) -> ResponseReturnValue:
    """An HTTP error under /api/ (routing, webargs' validation, the size limit, the rate
    limit) as a problem document; headers such as Allow and WWW-Authenticate are kept."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    errors = field_errors(messages) if isinstance(messages, dict) else None
    headers = {}
    response = error.get_response()
    for name in ("Allow", "WWW-Authenticate", "Retry-After"):
        if name in response.headers:
            headers[name] = response.headers[name]
    headers.update(data.get("headers") or {})
    detail = data.get("message")
    return problem(code, detail=str(detail) if detail else None, errors=errors, headers=headers)
