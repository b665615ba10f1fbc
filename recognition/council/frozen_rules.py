"""A title's voting rule holds still while a vote on it is open.

The count reads the rule from the title (counting.rule_for, is_show_of_hands): had it changed
while members were voting, the ballots already sealed would be counted by another rule, or not
at all (a secret ballot turned into a show of hands). So while a session's vote is open, a
title on its agenda keeps its vote method, threshold, base, quorum and the rest: whatever saves
the title (the catalogue's form, an import, a command) is refused at the flush, on the field
that changed. Before the vote opens and once it is closed (each item's result frozen with its
counts), the rule may change.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from recognition.campaigns.models import AwardType
from recognition.council.enums import SessionState
from recognition.council.models import AgendaItem, CouncilSession
from recognition.errors import DomainError
from recognition.nominations.models import Nomination

RULE_ATTRIBUTES = (
    "vote_method",
    "vote_threshold_percent",
    "vote_base",
    "quorum_numerator",
    "quorum_denominator",
    "chair_must_approve",
    "abstain_allowed",
    "absentees_vote_in_writing",
)


def changed_rule(award_type: AwardType) -> str | None:
    """The first attribute of the title's voting rule changed in the session, if any."""
    attributes = inspect(award_type).attrs
    return next((n for n in RULE_ATTRIBUTES if attributes[n].history.has_changes()), None)


def open_vote_on(session: Session, award_type_id: int) -> str | None:
    """The title of a session whose vote is open with a dossier for this title still to count."""
    return session.scalar(
        select(CouncilSession.title)
        .join(AgendaItem, AgendaItem.session_id == CouncilSession.id)
        .join(Nomination, Nomination.id == AgendaItem.nomination_id)
        .where(
            Nomination.award_type_id == award_type_id,
            CouncilSession.state == SessionState.VOTING,
            AgendaItem.outcome.is_(None),
        )
        .order_by(CouncilSession.id)
        .limit(1)
    )


def _refuse_during_a_vote(session: Session, _context: Any, _instances: Any) -> None:
    for instance in session.dirty:
        if not isinstance(instance, AwardType):
            continue
        name = changed_rule(instance)
        if name is None:
            continue
        title = open_vote_on(session, instance.id)
        if title is not None:
            raise DomainError(
                _(
                    "This title is being voted on in “%(session)s”: its voting rule cannot "
                    "change until that vote is closed.",
                    session=title,
                ),
                field=name,
            )


def init_frozen_rules() -> None:
    if not event.contains(Session, "before_flush", _refuse_during_a_vote):
        event.listen(Session, "before_flush", _refuse_during_a_vote)
