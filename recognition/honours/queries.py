"""What the honour board lists: published entries of valid certificates, filtered and paged
in a constant number of queries; and the certificates a secretariat may publish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.common.text import fold
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.honours.enums import HonourState
from recognition.honours.models import HonourEntry
from recognition.units.models import Unit


@dataclass(frozen=True)
class BoardFilter:
    """The board's filters, read from the query string and kept to sane values."""

    year: int | None = None
    body_id: int | None = None
    unit_id: int | None = None
    award_type_id: int | None = None
    q: str = ""


def _public() -> Select[Any]:
    """Published entries whose certificate is still valid, with the certificate loaded."""
    return (
        select(HonourEntry)
        .join(HonourEntry.certificate)
        .where(
            HonourEntry.state == HonourState.PUBLISHED,
            Certificate.state == CertificateState.VALID,
        )
        .options(contains_eager(HonourEntry.certificate), selectinload(HonourEntry.photos))
    )


def board_query(chosen: BoardFilter) -> Select[Any]:
    """The board's entries under the filters: newest year first, then decision and annex
    order."""
    query = _public()
    if chosen.year is not None:
        query = query.where(HonourEntry.year == chosen.year)
    if chosen.body_id is not None:
        query = query.where(HonourEntry.awarding_body_id == chosen.body_id)
    if chosen.unit_id is not None:
        query = query.where(HonourEntry.unit_id == chosen.unit_id)
    if chosen.award_type_id is not None:
        query = query.where(HonourEntry.award_type_id == chosen.award_type_id)
    words = fold(chosen.q).split()
    for word in words[:8]:
        query = query.where(HonourEntry.search_folded.contains(word, autoescape=True))
    return query.order_by(
        HonourEntry.year.desc(),
        HonourEntry.decision_on.desc(),
        HonourEntry.decision_reference,
        HonourEntry.position,
        HonourEntry.id,
    )


def published_entry(entry_id: int) -> HonourEntry | None:
    """One entry as the public sees it; None unless it is on the board."""
    return db.session.scalar(_public().where(HonourEntry.id == entry_id))


@dataclass(frozen=True)
class Facets:
    """What the filters offer: the years, bodies, units and titles that have entries."""

    years: list[int]
    bodies: list[tuple[int, str]]
    units: list[tuple[int, str]]
    titles: list[tuple[int, str]]


def board_facets() -> Facets:
    """The filters' choices, from the published entries (two queries)."""
    visible = (
        select(HonourEntry)
        .join(HonourEntry.certificate)
        .where(
            HonourEntry.state == HonourState.PUBLISHED,
            Certificate.state == CertificateState.VALID,
        )
        .subquery()
    )
    rows = db.session.execute(
        select(
            visible.c.year,
            visible.c.awarding_body_id,
            visible.c.unit_id,
            visible.c.unit_name,
            visible.c.award_type_id,
            visible.c.title,
        ).distinct()
    ).all()
    body_ids = {row.awarding_body_id for row in rows}
    names: dict[int, str] = {}
    if body_ids:
        names = {
            row.id: row.name
            for row in db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(body_ids)))
        }
    units = {row.unit_id: row.unit_name for row in rows if row.unit_id is not None}
    titles = {row.award_type_id: row.title for row in rows}
    return Facets(
        years=sorted({row.year for row in rows}, reverse=True),
        bodies=sorted(names.items(), key=lambda item: fold(item[1])),
        units=sorted(units.items(), key=lambda item: fold(item[1])),
        titles=sorted(titles.items(), key=lambda item: fold(item[1])),
    )


def poster_entries(year: int, body_id: int | None) -> list[HonourEntry]:
    """A year's entries for the poster (every one, in board order)."""
    return list(db.session.scalars(board_query(BoardFilter(year=year, body_id=body_id))).unique())


def managed_bodies(user: User) -> list[Unit]:
    """The awarding bodies whose board the user keeps."""
    return sorted(
        (u for u in user.units_with(Role.SECRETARIAT) if u.is_awarding_body and u.is_active),
        key=lambda unit: fold(unit.name),
    )


def awards_for_bodies(body_ids: list[int], year: int | None) -> Select[Any]:
    """The valid certificates of the bodies' issued decisions (newest first): what the
    secretariat may publish."""
    query = (
        select(Certificate)
        .join(Certificate.line)
        .join(DecisionLine.decision)
        .join(DecisionLine.award_type)
        .where(
            Certificate.awarding_body_id.in_(body_ids),
            Decision.state == DecisionState.ISSUED,
            Certificate.state == CertificateState.VALID,
        )
        .options(
            contains_eager(Certificate.line).contains_eager(DecisionLine.decision),
            contains_eager(Certificate.line).contains_eager(DecisionLine.award_type),
        )
        .order_by(Certificate.year.desc(), Certificate.serial.desc())
    )
    if year is not None:
        query = query.where(Certificate.year == year)
    return query


def entries_by_certificate(certificate_ids: list[int]) -> dict[int, HonourEntry]:
    """The entries of these certificates, by certificate id (one query)."""
    if not certificate_ids:
        return {}
    rows = db.session.scalars(
        select(HonourEntry).where(HonourEntry.certificate_id.in_(certificate_ids))
    )
    return {entry.certificate_id: entry for entry in rows}


def award_years(body_ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            select(Certificate.year)
            .where(Certificate.awarding_body_id.in_(body_ids))
            .distinct()
            .order_by(Certificate.year.desc())
        )
    )


def certificate_for_publishing(certificate_id: int) -> Certificate | None:
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .options(
            selectinload(Certificate.line).selectinload(DecisionLine.decision),
            selectinload(Certificate.line).selectinload(DecisionLine.award_type),
        )
    )


def entry_for_certificate(certificate: Certificate) -> HonourEntry | None:
    return db.session.scalar(
        select(HonourEntry)
        .where(HonourEntry.certificate_id == certificate.id)
        .options(selectinload(HonourEntry.photos))
    )
