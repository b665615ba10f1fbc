"""Gapless numbers per awarding body, year and kind, taken inside the issuing transaction.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers), so
two issuings never get the same number, and a rolled-back issuing gives its number back.
A document's number is written as Decree 30/2020 (Appendix I) wants it: `document_reference`.
"""

from sqlalchemy import CheckConstraint, ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from recognition.database import Base
from recognition.extensions import db


class Counter(Base):
    """A gapless sequence per body, year and kind, locked while a number is taken."""

    __tablename__ = "counters"
    __table_args__ = (CheckConstraint("kind IN ('decision', 'golden_book')", name="kind"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def next_number(unit_id: int, year: int, kind: str) -> int:
    """The next number of the sequence (1, 2, 3 …), locked until the transaction ends."""
    counter = _locked(unit_id, year, kind)
    if counter is None:
        try:
            with db.session.begin_nested():
                db.session.add(Counter(unit_id=unit_id, year=year, kind=kind, value=0))
        except IntegrityError:
            pass  # another transaction created it first; lock theirs
        counter = _locked(unit_id, year, kind)
    if counter is None:  # created just above, by this transaction or a concurrent one
        raise RuntimeError(f"counter {unit_id}/{year}/{kind} could not be created")
    counter.value += 1
    db.session.flush()
    return counter.value


def _locked(unit_id: int, year: int, kind: str) -> Counter | None:
    return db.session.scalars(
        select(Counter)
        .where(Counter.unit_id == unit_id, Counter.year == year, Counter.kind == kind)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def document_reference(number: int, suffix: str) -> str:
    """A document's number and its suffix as Decree 30/2020/NĐ-CP (Appendix I) writes them:
    a number below 10 takes a leading zero ("01/QĐ-UBND"), a larger one is written as is
    ("125/QĐ-UBND")."""
    return f"{number:02d}/{suffix}"


def file_stem(document_id: int, reference: str | None) -> str:
    """A numbered document's part of a file name: its number once it has one ("1189-QĐ-UBND"),
    else its id."""
    return (reference or str(document_id)).replace("/", "-")
