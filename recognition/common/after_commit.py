"""One queue of work to do once the request's transaction has committed, or rolled back.

Mail is delivered, files are deleted, background jobs are dispatched and a closed vote's key
is destroyed only once the change that asked for it is durable; a rollback drops that work
(the vote stays countable, the file stays referenced). Files written by a transaction that
rolls back are deleted (`after_rollback`).

The queues live in the SQLAlchemy session's `info`, so each session (each request, each job)
has its own. Only the outermost transaction counts: a released savepoint commits nothing.
"""

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from recognition.extensions import db

_COMMIT_QUEUE = "after_commit"
_ROLLBACK_QUEUE = "after_rollback"

Callback = Callable[[], None]


def after_commit(callback: Callback, *, session: Session | None = None) -> None:
    """Run `callback` once the current transaction commits; dropped if it rolls back."""
    (session or db.session()).info.setdefault(_COMMIT_QUEUE, []).append(callback)


def after_rollback(callback: Callback, *, session: Session | None = None) -> None:
    """Run `callback` if the current transaction rolls back; dropped once it commits."""
    (session or db.session()).info.setdefault(_ROLLBACK_QUEUE, []).append(callback)


def _run(callbacks: list[Callback]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the transaction has ended: its outcome must not change now
            current_app.logger.exception("after-transaction work failed: %r", callback)


def _committed(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_ROLLBACK_QUEUE, None)
    _run(session.info.pop(_COMMIT_QUEUE, []))


def _ended(session: Session, transaction: SessionTransaction) -> None:
    """An outermost transaction that ends with work still queued for rollback rolled back."""
    if transaction.parent is not None:
        return
    session.info.pop(_COMMIT_QUEUE, None)
    _run(session.info.pop(_ROLLBACK_QUEUE, []))


def _soft_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_COMMIT_QUEUE, None)


def init_after_commit() -> None:
    """Listen on every session of the process (once)."""
    if not event.contains(Session, "after_commit", _committed):
        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_transaction_end", _ended)
        event.listen(Session, "after_soft_rollback", _soft_rollback)
