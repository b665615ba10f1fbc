"""Declarative base, naming convention and shared column helpers."""

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, MetaData, String, TypeDecorator, event
from sqlalchemy import inspect as inspect_object
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The largest amount a Numeric(14, 2) column holds (a criterion's target, a dossier's value).
LARGEST_AMOUNT = Decimal("999999999999.99")


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date where the users are (deadlines and windows are local dates)."""
    from flask import current_app

    zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")
    return datetime.now(ZoneInfo(zone)).date()


def local_date_of(moment: datetime) -> date:
    """The local date of a moment (a time stored in UTC)."""
    from flask import current_app

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def local_midnight(day: date) -> datetime:
    """The moment a local day starts, in UTC (00:00 in Việt Nam is 17:00 UTC the day before)."""
    from flask import current_app

    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def enum_check(column: str, values: Iterable[str]) -> str:
    """SQL for a CHECK constraint that keeps a string enum column to its values."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class EnumString(TypeDecorator[StrEnum]):
    """A `StrEnum` stored as its value in a VARCHAR: rows come back as enum members, so a
    state is compared with the enum (mypy checks it), and a value outside the enum is refused
    before it reaches the database (whose CHECK refuses it too, see `enum_column`)."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)

    def copy(self, **kwargs: Any) -> "EnumString":
        return EnumString(self.enum, self.length)


def _coerce_enum_assignments(mapper: Any, class_: type) -> None:
    """Values assigned to an enum column become the enum at once (a plain "draft" too), so an
    object reads the same before and after it is flushed and reloaded."""
    for attribute in mapper.column_attrs:
        column_type = attribute.columns[0].type
        if isinstance(column_type, EnumString):
            enum = column_type.enum

            def coerce(target: Any, value: Any, old: Any, initiator: Any, enum: Any = enum) -> Any:
                return None if value is None else enum(value)

            event.listen(getattr(class_, attribute.key), "set", coerce, retval=True)


def enum_column(enum: type[StrEnum], length: int = 20, **kwargs: Any) -> Any:
    """A column holding `enum`'s values; pair it with `enum_check(name, enum)` in
    `__table_args__` (a named CHECK, so migrations can find it)."""
    return mapped_column(EnumString(enum, length), **kwargs)


def binary_string(length: int) -> String:
    """A string compared byte by byte (COLLATE "C" on PostgreSQL; SQLite's default is binary).

    Used for sort keys and materialised paths, whose order must not depend on the locale.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def string_length(attribute: Any) -> int:
    """The n of a String(n) column, given as its model attribute (`Unit.code`): the most an
    import or a form may store there (PostgreSQL refuses longer text; SQLite keeps it)."""
    column_type = attribute.type
    if not isinstance(column_type, String) or column_type.length is None:
        raise TypeError(f"{attribute} is not a String(n) column")
    return int(column_type.length)


# Search and sort keys derived from a name (`fold`, the collation key) can be longer than the
# name itself (a collation key spends two characters on some letters, "ß" folds to "ss"), so a
# name at its column's limit could make a key that PostgreSQL refuses. The keys are cut to
# their columns: a prefix still sorts and is still searched the way the whole key would be.
DERIVED_KEY_SUFFIXES = ("_folded", "_sort")


def _cap_derived_keys(session: Any, _flush_context: Any, _instances: Any) -> None:
    for instance in [*session.new, *session.dirty]:
        mapper = inspect_object(instance).mapper
        for attribute in mapper.column_attrs:
            if not attribute.key.endswith(DERIVED_KEY_SUFFIXES):
                continue
            length = getattr(attribute.columns[0].type, "length", None)
            value = getattr(instance, attribute.key)
            if length and isinstance(value, str) and len(value) > length:
                setattr(instance, attribute.key, value[:length])


def init_derived_keys() -> None:
    if not event.contains(Session, "before_flush", _cap_derived_keys):
        event.listen(Session, "before_flush", _cap_derived_keys)


event.listen(Base, "mapper_configured", _coerce_enum_assignments, propagate=True)


def built_on(dialect: str) -> Callable[..., bool]:
    """An Alembic `include_object` that leaves out what is built only on another database
    (an index declared with `.ddl_if(dialect=…)`, such as PostgreSQL's trigram indexes), so
    that comparing the models with a database of this dialect does not ask for it."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        wanted = getattr(condition, "dialect", None)
        if type_ != "index" or wanted is None:
            return True
        return dialect == wanted if isinstance(wanted, str) else dialect in wanted

    return include
