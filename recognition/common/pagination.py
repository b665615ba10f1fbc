"""Pages of a list: the ?page= number read safely and kept within the pages there are.

Flask-SQLAlchemy's `paginate` reads ?page= with `int`, so ?page=10**25 becomes an OFFSET that
neither PostgreSQL (bigint) nor SQLite (64-bit) holds: a 500. Every list goes through here.
"""

from typing import Any

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import asc_op, desc_op

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


def paginate(
    query: Select[Any],
    *,
    per_page: int,
    count_at_most: int | None = None,
    page: int | None = None,
) -> Pagination:
    """The page of `query` that ?page= asks for (or `page`, a number already read, as the
    API's arguments are); one past the end is the last page. With `count_at_most`, the rows
    are counted up to that many only (`page.capped` says it stopped).

    The rows are counted once, first: a page past the end (a list that has shrunk since its
    link was made, or a made-up number) becomes the last page before any OFFSET reads them.
    """
    rows = _count(query, None if count_at_most is None else count_at_most + 1)
    capped = count_at_most is not None and rows > count_at_most
    total = min(rows, count_at_most) if count_at_most is not None else rows
    wanted = page_number(request.args.get("page")) if page is None else max(1, page)
    asked = min(wanted, max(-(-total // per_page), 1))
    found = NearerEnd(
        select=query,
        session=db.session(),
        page=asked,
        per_page=per_page,
        error_out=False,
        count=False,
        rows=None if capped else rows,  # a capped count does not say where the end is
    )
    found.total = total
    found.capped = capped  # type: ignore[attr-defined]
    return found


def _count(query: Select[Any], at_most: int | None) -> int:
    sub = query.order_by(None)
    if at_most is not None:
        sub = sub.limit(at_most)
    counted = db.session.execute(sa.select(sa.func.count()).select_from(sub.subquery())).scalar()
    return int(counted or 0)


class NearerEnd(SelectPagination):
    """A page read from the nearer end of the list: a page in the second half is read in the
    reverse order with the smaller OFFSET, then put back in order. The last page of 100,000
    rows skips a few rows rather than 99,980 (an OFFSET reads every row it skips)."""

    def _query_items(self) -> list[Any]:
        query: Select[Any] = self._query_args["select"]
        rows: int | None = self._query_args["rows"]
        skipped = self._query_offset
        if rows is None or skipped * 2 <= rows:
            return super()._query_items()
        reverse = _reversed(query._order_by_clauses)
        if reverse is None:
            return super()._query_items()
        shown = max(0, min(self.per_page, rows - skipped))
        from_end = max(0, rows - skipped - shown)
        backwards = query.order_by(None).order_by(*reverse).limit(shown).offset(from_end)
        found = list(self._query_args["session"].execute(backwards).unique().scalars())
        found.reverse()
        return found


def _reversed(clauses: tuple[Any, ...]) -> list[Any] | None:
    """The ORDER BY in the other direction, or None when it cannot be said for sure (no order,
    or an order with an explicit NULLS placement, which turning around would not mirror)."""
    if not clauses:
        return None
    turned = []
    for clause in clauses:
        if isinstance(clause, UnaryExpression) and clause.modifier in (asc_op, desc_op):
            if clause.element is None or isinstance(clause.element, UnaryExpression):
                return None  # e.g. nulls_last(column.desc())
            turned.append(
                clause.element.asc() if clause.modifier is desc_op else clause.element.desc()
            )
        elif isinstance(clause, UnaryExpression):
            return None  # NULLS FIRST / LAST
        else:
            turned.append(clause.desc())
    return turned
