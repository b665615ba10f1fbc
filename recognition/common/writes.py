"""A request that reads before it knows it must write."""

from flask import g

from recognition.extensions import db


def write_from_here() -> None:
    """End what the request has read and make its next transaction one that may write.

    For a GET that finds something to store (a certificate's PDF, stored on its first
    download). On SQLite the next transaction begins IMMEDIATE, with the write lock
    (recognition/__init__.py): a deferred one that read and then wrote would get "database is
    locked" at once while another request writes. Everything read before is expired: read it
    again after this, on PostgreSQL with a row lock (`with_for_update`), so that two requests
    doing the same work at the same moment do it once.
    """
    db.session.rollback()
    g.writes = True
