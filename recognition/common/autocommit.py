"""Views whose statements each stand alone: on PostgreSQL they run without BEGIN and COMMIT.

A request's statements normally run in one transaction: BEGIN before the first, COMMIT (or
ROLLBACK) after the last, two more round trips to the server, each of them a wait, a switch to
the server's process and back, and work on both sides. A view can do without them when
nothing it does needs them: its reads need no common snapshot (at READ COMMITTED, PostgreSQL's
default here, every statement of a transaction sees its own snapshot anyway) and it writes at
most one statement, which is atomic by itself and commits alone. The ballot is such a view: a
hundred members cast at once, each reading who they are and their ballot, then writing their
participation and sealed ballot in one statement (council/voting.py).

Such a view is marked `@statement_by_statement`. Before anything else in its request reads
the database, the request's connection is put in autocommit mode (SQLAlchemy's AUTOCOMMIT
isolation level, undone when the connection goes back to the pool). A second write in the
same request is refused before it is sent: two writes need a transaction. SQLite keeps its
transactions (a cast there writes two statements, and BEGIN costs no round trip).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from sqlalchemy.engine import Engine

from recognition.extensions import db

View = TypeVar("View", bound=Callable[..., Any])

# The execution option that marks the request's connection.
STATEMENT_BY_STATEMENT = "recognition_statement_by_statement"


class SecondWriteWithoutTransaction(RuntimeError):
    """A view marked `@statement_by_statement` sent a second write: two writes must commit
    together, in a transaction; remove the mark or write once."""


def statement_by_statement(view: View) -> View:
    """Mark a view whose reads need no common snapshot and which writes at most one
    statement (put it between the route and the view's other decorators)."""
    view.statement_by_statement = True  # type: ignore[attr-defined]
    return view


def _without_transaction() -> None:
    """Before the request's first statement: the marked view's connection in autocommit."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "statement_by_statement", False) or db.session().in_transaction():
        return
    bind = db.engine
    # SQLite keeps its transactions; so does a session bound to a connection, whose
    # transaction is someone else's (the tests' outer transaction, rolled back after each).
    if bind.dialect.name != "postgresql" or not isinstance(bind, Engine):
        return
    db.session.connection(
        execution_options={"isolation_level": "AUTOCOMMIT", STATEMENT_BY_STATEMENT: True}
    )


def refuse_second_write(connection: Any) -> None:
    """Called before a write on a connection that has written since it began (the engine's
    listener that tells reads from writes, recognition/__init__.py): refused on a marked
    view's connection, where each statement commits alone."""
    if connection.get_execution_options().get(STATEMENT_BY_STATEMENT):
        raise SecondWriteWithoutTransaction(
            "a view marked @statement_by_statement sent a second write; two writes need a "
            "transaction"
        )


def init_autocommit(app: Flask) -> None:
    """Register the hook first among the app's own: the session's user is read by the next."""
    app.before_request(_without_transaction)
