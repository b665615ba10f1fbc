"""Dossiers from a list of candidates (XLSX): every row goes through the form's services
(`create_nomination`, `update_nomination`) and their checks; one wrong row and nothing is
created, each wrong row named with its column. Nothing here commits."""

from __future__ import annotations

from flask_babel import gettext as _

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.common.audit import ObjectKind, record, register_more_actions
from recognition.common.csvfiles import ImportFailed, RowError
from recognition.errors import DomainError
from recognition.nominations import importing
from recognition.nominations.enums import ImportAction, NominationState
from recognition.nominations.importing import Candidate
from recognition.nominations.models import Nomination
from recognition.nominations.services import (
    Nominee,
    Report,
    create_nomination,
    nominee_key,
    update_nomination,
)

register_more_actions(ObjectKind.NOMINATION, ImportAction)

# The form's field a service names in its refusal → the file's column.
FIELD_COLUMNS = {
    "person_name": importing.NAME,
    "person_birth_year": importing.BIRTH_YEAR,
    "person_unit_id": importing.UNIT,
    "nominee_unit_id": importing.UNIT,
    "award_type_id": importing.AWARD,
}


def _nominee(candidate: Candidate) -> Nominee:
    if candidate.award_type.for_units:
        return Nominee(unit=candidate.unit)
    return Nominee(
        person_name=candidate.person_name,
        person_position=candidate.position,
        person_unit=candidate.unit,
        person_birth_year=candidate.birth_year,
        person_gender=candidate.gender,
    )


def _create(campaign: Campaign, candidate: Candidate, *, actor: User, file_name: str) -> Nomination:
    nominee = _nominee(candidate)
    nomination = create_nomination(campaign, candidate.award_type, nominee, actor=actor)
    if candidate.summary:
        update_nomination(nomination, Report(summary=candidate.summary), {}, actor=actor)
    record(
        ObjectKind.NOMINATION,
        nomination.id,
        ImportAction.IMPORT,
        actor=actor,
        subject=nomination.nominee_name,
        to_state=NominationState.DRAFT,
        comment=file_name,
        version=nomination.version,
    )
    return nomination


def import_candidates(
    campaign: Campaign, raw: bytes, *, actor: User, file_name: str
) -> list[Nomination]:
    """A draft dossier for each row of the file (audited, one event each); raises
    ImportFailed naming every wrong row, and then the caller rolls back what was made."""
    if campaign.status != CampaignStatus.OPEN:
        raise ImportFailed([RowError(1, _("The campaign is not open for nominations."))])
    candidates, errors = importing.read_candidates(raw, campaign=campaign, actor=actor)
    seen: dict[tuple[int, str], int] = {}
    made: list[Nomination] = []
    for candidate in candidates:
        key = (candidate.award_type.id, nominee_key(_nominee(candidate)))
        if key in seen:
            message = _("Same candidate and title as row %(row)d.", row=seen[key])
            errors.append(RowError(candidate.line, message, importing.NAME))
            continue
        seen[key] = candidate.line
        try:
            made.append(_create(campaign, candidate, actor=actor, file_name=file_name))
        except DomainError as error:
            column = FIELD_COLUMNS.get(error.field or "", "")
            errors.append(RowError(candidate.line, error.message, column))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    return made
