"""Reading accounts for the administration pages."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from recognition.auth.models import RoleGrant, User
from recognition.extensions import db
from recognition.text import fold, search_text


def users_for_admin(*, text: str = "", status: str = "all") -> Select[User]:
    """Accounts matching `text` (name or user name, diacritics ignored), Vietnamese order."""
    query = select(User).options(selectinload(User.grants).joinedload(RoleGrant.unit))
    text = search_text(text)
    needle = fold(text)
    if needle:
        query = query.where(
            User.full_name_folded.contains(needle, autoescape=True)
            | User.username.contains(needle.replace(" ", ""), autoescape=True)
        )
    if status == "active":
        query = query.where(User.disabled_at.is_(None))
    elif status == "disabled":
        query = query.where(User.disabled_at.is_not(None))
    return query.order_by(User.full_name_sort, User.id)


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0
