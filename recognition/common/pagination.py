"""Pages of a list: the ?page= number read safely and kept within the pages there are.

Flask-SQLAlchemy's `paginate` reads ?page= with `int`, so ?page=10**25 becomes an OFFSET that
neither PostgreSQL (bigint) nor SQLite (64-bit) holds: a 500. Every list goes through here.
"""

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination
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


def paginate(query: Select[Any], *, per_page: int) -> Pagination:
    """The page of `query` that ?page= asks for; one past the end is the last page."""
    asked = page_number(request.args.get("page"))
    page = db.paginate(query, page=asked, per_page=per_page, error_out=False)
    if page.page > max(page.pages, 1):
        # A list that has shrunk since its link was made, or a made-up number: its end.
        page = db.paginate(query, page=max(page.pages, 1), per_page=per_page, error_out=False)
    return page
