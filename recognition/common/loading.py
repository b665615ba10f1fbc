"""Loading the object a page is about: 404 when it does not exist, 403 when the user may not
see it (the first two steps of every view, see ARCHITECTURE.md, "How a request flows")."""

from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

from recognition.extensions import db, login_manager

T = TypeVar("T")


def load_or_404(
    model: type[T],
    object_id: int,
    *,
    permitted: Callable[[Any, T], bool] | None = None,
    options: Sequence[Any] = (),
) -> T:
    """The `model` row with this id, or 404; 403 unless `permitted(current_user, row)`."""
    found = db.session.get(model, object_id, options=options)
    if found is None:
        abort(404)
    if permitted is not None and not permitted(current_user, found):
        abort(403)
    return found


F = TypeVar("F", bound=Callable[..., Any])


def require(permitted: Callable[[Any], bool]) -> Callable[[F], F]:
    """View decorator: log in first (anonymous visitors go to the login page), then 403
    unless `permitted(current_user)`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not permitted(current_user):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator
