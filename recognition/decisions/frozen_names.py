"""A title's name holds still once a decision awarding it is issued.

An issued decision and its certificates print the title's name, and a certificate's
verification code covers it (certificates.codes.essentials): renamed afterwards, every
certificate already handed out under the old name would be reported as not valid, and the
decision's pages would no longer say what was signed. So whatever saves the title (the
catalogue's form, an import, a command) is refused at the flush once a decision awarding it
has been issued (annulled ones included: their certificates are still checked, as annulled).
Before that the name may change; a new name for later awards is a new title.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from recognition.campaigns.models import AwardType
from recognition.decisions.enums import DecisionState
from recognition.decisions.models import Decision, DecisionLine
from recognition.errors import DomainError

PRINTED = (DecisionState.ISSUED, DecisionState.ANNULLED)


def issued_under(session: Session, award_type_id: int) -> str | None:
    """The reference of a decision issued (or annulled since) that awards this title."""
    return session.scalar(
        select(Decision.reference)
        .join(DecisionLine, DecisionLine.decision_id == Decision.id)
        .where(DecisionLine.award_type_id == award_type_id, Decision.state.in_(PRINTED))
        .order_by(Decision.id)
        .limit(1)
    )


def _refuse_a_printed_name(session: Session, _context: Any, _instances: Any) -> None:
    for instance in session.dirty:
        if not isinstance(instance, AwardType):
            continue
        if not inspect(instance).attrs.name.history.has_changes():
            continue
        reference = issued_under(session, instance.id)
        if reference is not None:
            raise DomainError(
                _(
                    "This name is printed on decision %(reference)s and its certificates, "
                    "whose verification covers it: it cannot change. For another name from "
                    "now on, create a new title.",
                    reference=reference,
                ),
                field="name",
            )


def init_frozen_names() -> None:
    if not event.contains(Session, "before_flush", _refuse_a_printed_name):
        event.listen(Session, "before_flush", _refuse_a_printed_name)
