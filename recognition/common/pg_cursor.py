"""PostgreSQL: a cursor whose description is built when it is read, not when it is asked for.

psycopg builds `Cursor.description` afresh each time it is asked for: one `Column` per column
of the result, its name decoded and its type looked up. SQLAlchemy asks for it after every
statement that returns rows, but for a statement it has run before (its compiled form is
cached with the result's metadata, which is every statement of a warm server) it only looks
whether it is None. A ballot's cast reads 67 columns in three statements; their descriptions
were built and thrown away: 6.7 % of the cast's instructions (bench/instructions.py).

Here the description is a sequence of the same `Column` objects, built from the result it was
asked of the first time it is measured, indexed or iterated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import psycopg
from psycopg import pq

_ROWS = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK)


class _ResultSource:
    """What `psycopg.Column` reads of its cursor, kept as it was for the result described
    (the cursor may have run another statement by the time the description is read)."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self.pgresult = cursor.pgresult
        self._encoding = cursor._encoding
        self.adapters = cursor.adapters


class ResultDescription(Sequence[psycopg.Column]):
    """A result's columns, as `psycopg.Cursor.description` lists them, built on first use."""

    __slots__ = ("_columns", "_count", "_source")

    def __init__(self, cursor: psycopg.Cursor[Any], count: int) -> None:
        self._source: _ResultSource | None = _ResultSource(cursor)
        self._count = count
        self._columns: list[psycopg.Column] | None = None

    def _built(self) -> list[psycopg.Column]:
        if self._columns is None:
            source, self._source = self._source, None
            self._columns = [psycopg.Column(source, i) for i in range(self._count)]  # type: ignore[arg-type]
        return self._columns

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> psycopg.Column: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[psycopg.Column]: ...

    def __getitem__(self, index: int | slice) -> psycopg.Column | Sequence[psycopg.Column]:
        return self._built()[index]

    def __iter__(self) -> Iterator[psycopg.Column]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ResultDescription):
            other = other._built()
        return self._built() == other

    __hash__ = None  # type: ignore[assignment]  # as a list's

    def __repr__(self) -> str:
        return repr(self._built())


class LazilyDescribedCursor(psycopg.Cursor[Any]):
    @property
    def description(self) -> ResultDescription | None:  # type: ignore[override]
        result = self.pgresult
        # As psycopg decides: columns when there are some, or when the statement said it
        # returns rows (even none, "SELECT ;").
        if result and (result.nfields or result.status in _ROWS):
            return ResultDescription(self, result.nfields)
        return None


def describe_lazily(dbapi_connection: Any) -> None:
    """A new psycopg connection's cursors describe their results lazily."""
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.cursor_factory = LazilyDescribedCursor
