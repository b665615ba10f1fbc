"""Loading the object a page is about: 404 when it does not exist, 403 when the user may not
see it (the first two steps of every view, see ARCHITECTURE.md, "How a request flows")."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from recognition.extensions import db

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
