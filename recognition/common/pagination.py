"""Pages of a list: the ?page= number read safely and kept within the pages there are.

Flask-SQLAlchemy's `paginate` reads ?page= with `int`, so ?page=10**25 becomes an OFFSET that
neither PostgreSQL (bigint) nor SQLite (64-bit) holds: a 500. Every list goes through here.
"""

from typing import Any

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select

from recognition.extensions import db

# Beyond any list's page count, and small enough that page × rows per page fits an OFFSET.
PAST_THE_END = 10**9


def page_number(value: str | None) -> int:
    """The page asked for: 1 for anything that is not ASCII digits or is below 1, and
    `PAST_THE_END` for a number of more than nine digits (`int` refuses over 4,300)."""
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return 1
    if len(text.lstrip("0")) > len(str(PAST_THE_END)) - 1:
        return PAST_THE_END
    return max(1, int(text))


class CappedPagination(SelectPagination):
    """A page whose count stops at `count_at_most` rows (`capped` tells it stopped): a log of
    millions is not counted on every page, and its pages beyond that are reached by a search."""

    capped = False

    def _query_count(self) -> int:
        select = self._query_args["select"]
        at_most = int(self._query_args["count_at_most"])
        sub = select.order_by(None).limit(at_most + 1).subquery()
        counted = int(db.session.execute(sa.select(sa.func.count()).select_from(sub)).scalar() or 0)
        self.capped = counted > at_most
        return min(counted, at_most)


def _page(query: Select[Any], page: int, per_page: int, count_at_most: int | None) -> Pagination:
    if count_at_most is None:
        return db.paginate(query, page=page, per_page=per_page, error_out=False)
    return CappedPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        error_out=False,
        count_at_most=count_at_most,
    )


def paginate(query: Select[Any], *, per_page: int, count_at_most: int | None = None) -> Pagination:
    """The page of `query` that ?page= asks for; one past the end is the last page. With
    `count_at_most`, the rows are counted up to that many only (`page.capped`)."""
    asked = page_number(request.args.get("page"))
    if asked > 1:
        # Past the end (a list that has shrunk since its link was made, or a made-up number)
        # is its last page, found by counting first: an OFFSET past the end reads every row.
        rows = _count(query, count_at_most)
        asked = min(asked, max(-(-rows // per_page), 1))
    return _page(query, asked, per_page, count_at_most)


def _count(query: Select[Any], at_most: int | None) -> int:
    sub = query.order_by(None)
    if at_most is not None:
        sub = sub.limit(at_most)
    counted = db.session.execute(sa.select(sa.func.count()).select_from(sub.subquery())).scalar()
    return int(counted or 0)
