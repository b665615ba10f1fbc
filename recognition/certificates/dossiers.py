"""A dossier's certificates, for its page (the dossiers' area lies below this one: the page
reaches them through a template global)."""

from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recognition.certificates.models import Certificate
from recognition.extensions import db
from recognition.nominations.enums import NominationState

# A dossier holds certificates once awarded (annulled: its certificates are kept, revoked).
_AWARDED_STATES = frozenset({NominationState.AWARDED, NominationState.ANNULLED})


def certificates_of_dossier(nomination: Any) -> list[Certificate]:
    """The certificates a dossier was awarded (one per issued decision line; a revoked one
    too, served stamped), oldest first, with their decisions and titles."""
    if nomination.state not in _AWARDED_STATES:
        return []  # no statement for a dossier that was never awarded
    # The decision line's class, read when called: every area's mappers are configured by then.
    line = Certificate.line.property.mapper.class_
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Certificate.line)
            .where(line.nomination_id == nomination.id)
            .options(
                selectinload(Certificate.line).selectinload(line.decision),
                selectinload(Certificate.line).selectinload(line.award_type),
            )
            .order_by(Certificate.id)
        )
    )


def register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(certificates_of_dossier=certificates_of_dossier)
