"""Appraisal by the secretariat: verdicts per criterion (the transitions go through workflow)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.common.text import clean_multiline
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.guards import is_claimed
from recognition.nominations.models import CriterionAppraisal, Nomination
from recognition.nominations.permissions import is_secretariat_of


@dataclass(frozen=True)
class Verdict:
    agree: bool | None
    note: str = ""


def record_appraisal(nomination: Nomination, verdicts: dict[int, Verdict], *, actor: User) -> int:
    """Save the reviewer's verdict and note per criterion; returns how many changed.

    Only while the dossier is in appraisal; a criterion left blank keeps no verdict.
    """
    if not is_secretariat_of(actor, nomination):
        raise NotAllowed(_("Only the secretariat of the awarding body appraises dossiers."))
    if nomination.state != NominationState.IN_REVIEW:
        raise DomainError(_("Start the appraisal before recording verdicts."))
    existing = {a.criterion_id: a for a in nomination.appraisals}
    criteria = {c.id for c in nomination.award_type.criteria}
    changed = 0
    for criterion_id, verdict in verdicts.items():
        if criterion_id not in criteria:
            continue
        current = existing.get(criterion_id)
        note = clean_multiline(verdict.note)
        if verdict.agree is None:
            if current is not None:
                nomination.appraisals.remove(current)
                changed += 1
            continue
        value = "agree" if verdict.agree else "disagree"
        if current is None:
            nomination.appraisals.append(
                CriterionAppraisal(
                    criterion_id=criterion_id, verdict=value, note=note, reviewer_id=actor.id
                )
            )
            changed += 1
        elif (current.verdict, current.note) != (value, note):
            current.verdict, current.note, current.reviewer_id = value, note, actor.id
            changed += 1
    db.session.flush()
    return changed


def unappraised_criteria(nomination: Nomination) -> list[str]:
    """Codes of the criteria without a verdict; an optional criterion the dossier does not
    claim (an alternative left unanswered or answered "no") needs none."""
    done = {a.criterion_id for a in nomination.appraisals}
    return [
        c.code
        for c in nomination.award_type.criteria
        if c.id not in done and is_claimed(c, nomination)
    ]
