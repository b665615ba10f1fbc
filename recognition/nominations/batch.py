"""Dossiers from a list of candidates (XLSX): every row goes through the checks and the
building of the form's services (`create_nomination`: `check_offered`, `build_draft`, an
existing dossier; `update_nomination`: `apply_report`), with what they read per dossier read
once for the file; one wrong row and nothing is created, each wrong row named with its column.
Nothing here commits."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import lock_campaign
from recognition.common.audit import ObjectKind, record_many, register_more_actions
from recognition.common.csvfiles import ImportFailed, RowError
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations import importing
from recognition.nominations.enums import INACTIVE_STATES, ImportAction, NominationState
from recognition.nominations.importing import Candidate
from recognition.nominations.models import Nomination
from recognition.nominations.services import (
    DuplicateNomination,
    Nominee,
    Report,
    apply_report,
    build_draft,
    check_offered,
    nominee_key,
    offered_award_ids,
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


def _active_dossiers(campaign: Campaign) -> dict[tuple[int, str], int]:
    """The campaign's dossiers that still count, by award type and nominee (one query)."""
    rows = db.session.execute(
        select(Nomination.award_type_id, Nomination.nominee_key, Nomination.id).where(
            Nomination.campaign_id == campaign.id,
            Nomination.state.not_in(INACTIVE_STATES),
        )
    )
    return {(award_type_id, key): nomination_id for award_type_id, key, nomination_id in rows}


def _draft(
    campaign: Campaign,
    candidate: Candidate,
    *,
    actor: User,
    offered: set[int],
    taken: dict[tuple[int, str], int],
) -> Nomination:
    """The unsaved draft of one row, by the checks of `create_nomination` and the report's
    texts as `update_nomination` sets them."""
    check_offered(campaign, candidate.award_type, offered)
    nomination = build_draft(campaign, candidate.award_type, _nominee(candidate), actor=actor)
    existing = taken.get((candidate.award_type.id, nomination.nominee_key))
    if existing is not None:
        raise DuplicateNomination(db.session.get_one(Nomination, existing))
    if candidate.summary:
        apply_report(nomination, Report(summary=candidate.summary))
    return nomination


def _save(drafts: list[Nomination], *, actor: User, file_name: str) -> None:
    """Insert the drafts in one flush and audit each; a twin made meanwhile by someone else
    (the unique index) refuses the whole file."""
    db.session.add_all(drafts)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        message = _(
            "Someone else created a dossier for one of these candidates meanwhile. "
            "Nothing was created: choose the file again."
        )
        raise ImportFailed([RowError(1, message)]) from error
    record_many(
        ObjectKind.NOMINATION,
        ImportAction.IMPORT,
        [(n.id, n.nominee_name, n.version) for n in drafts],
        actor=actor,
        to_state=NominationState.DRAFT,
        comment=file_name,
    )


def import_candidates(
    campaign: Campaign, raw: bytes, *, actor: User, file_name: str
) -> list[Nomination]:
    """A draft dossier for each row of the file (audited, one event each); raises
    ImportFailed naming every wrong row, and then the caller rolls back. The checks are the
    form's (`create_nomination`'s), with the campaign's offers and dossiers read once, under
    its lock (an award type is not taken off meanwhile), taken once the file is read: other
    dossiers of the campaign do not wait for the file's parsing."""
    candidates, errors = importing.read_candidates(raw, campaign=campaign, actor=actor)
    lock_campaign(campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ImportFailed([RowError(1, _("The campaign is not open for nominations."))])
    offered = offered_award_ids(campaign)
    taken = _active_dossiers(campaign)
    seen: dict[tuple[int, str], int] = {}
    drafts: list[Nomination] = []
    for candidate in candidates:
        key = (candidate.award_type.id, nominee_key(_nominee(candidate)))
        if key in seen:
            message = _("Same candidate and title as row %(row)d.", row=seen[key])
            errors.append(RowError(candidate.line, message, importing.NAME))
            continue
        seen[key] = candidate.line
        try:
            drafts.append(_draft(campaign, candidate, actor=actor, offered=offered, taken=taken))
        except DomainError as error:
            column = FIELD_COLUMNS.get(error.field or "", "")
            errors.append(RowError(candidate.line, error.message, column))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: e.line))
    _save(drafts, actor=actor, file_name=file_name)
    return drafts
