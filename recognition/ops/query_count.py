"""The number of SQL statements a request ran, in an `X-Query-Count` response header.

For benchmarks only (bench/pages.py): on when QUERY_COUNT_HEADER is set
(RECOGNITION_QUERY_COUNT_HEADER=1), off by default so that production responses say nothing
about the database.
"""

from typing import Any

from flask import Flask, g, has_request_context
from flask.wrappers import Response
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _count(*_: Any) -> None:
    if has_request_context():
        g.query_count = g.get("query_count", 0) + 1


def init_query_count(app: Flask) -> None:
    if not app.config.get("QUERY_COUNT_HEADER"):
        return
    if not event.contains(Engine, "before_cursor_execute", _count):
        event.listen(Engine, "before_cursor_execute", _count)

    @app.after_request
    def add_header(response: Response) -> Response:
        response.headers["X-Query-Count"] = str(g.get("query_count", 0))
        return response
