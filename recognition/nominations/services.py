"""Preparing a dossier: create, edit, answer criteria, attach evidence, delete a draft."""

from dataclasses import dataclass, replace
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.campaigns.queries import lock_campaign
from recognition.campaigns.refusals import proposes_through
from recognition.common import storage
from recognition.common.audit import ObjectKind, record
from recognition.common.text import clean, clean_multiline, fold, sort_string
from recognition.database import utcnow
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.guards import closed_unit_problem
from recognition.nominations.models import Attachment, CriterionAnswer, Nomination
from recognition.nominations.permissions import (
    can_delete_nomination,
    can_edit_nomination,
    is_nominator_of,
)
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.queries import (
    bodies_above,
    body_between,
    nearest_body_above,
    proposal_bodies,
)


@dataclass(frozen=True)
class Nominee:
    """Who is nominated: a unit, or a person with their details."""

    unit: Unit | None = None
    person_name: str = ""
    person_position: str = ""
    person_unit: Unit | None = None
    person_birth_year: int | None = None
    person_gender: Gender | None = None


@dataclass(frozen=True)
class Report:
    summary: str = ""
    general: str = ""
    achievements: str = ""
    criteria: str = ""
    commendations: str = ""


@dataclass(frozen=True)
class Collective:
    """What a collective's dossier says of the unit besides its report."""

    # Its share of women, percent (the tie-break of NĐ 152/2025/NĐ-CP art. 4); None: not given.
    women_percent: int | None = None


@dataclass(frozen=True)
class Answer:
    met: bool | None = None
    value: Decimal | None = None
    text: str = ""
    evidence_note: str = ""


def nominating_unit_for(user: User, unit: Unit, body: Unit | None = None) -> Unit | None:
    """The unit on which `user` holds the nominator role covering `unit` (the nearest); with
    `body`, the nearest of those whose dossiers go to that awarding body."""
    covering = [u for u in user.units_with(Role.NOMINATOR) if unit.is_within(u)]
    if body is not None:
        # The unit proposes to that body, and no body stands between it and the nominee (the
        # province's office does not nominate a hamlet over its commune's head).
        proposes = proposal_bodies(covering)
        above = bodies_above(unit)
        covering = [
            u for u in covering if body.id in proposes[u.id] and not body_between(u, unit, above)
        ]
    return max(covering, key=lambda u: u.depth) if covering else None


def nominee_key(nominee: Nominee) -> str:
    if nominee.unit is not None:
        return f"unit:{nominee.unit.id}"
    unit_id = nominee.person_unit.id if nominee.person_unit else ""
    # Of the name as stored: an invisible character must not make the same person another.
    return f"person:{fold(clean(nominee.person_name))}|{nominee.person_birth_year or ''}|{unit_id}"


def _check_nominee(award_type: AwardType, nominee: Nominee, nominating_unit: Unit) -> None:
    if award_type.for_units:
        unit = nominee.unit
        if unit is None:
            raise DomainError(_("Choose the unit you nominate."), field="nominee_unit_id")
        closed = closed_unit_problem(unit)
        if closed:
            raise DomainError(closed, field="nominee_unit_id")
        if not unit.is_within(nominating_unit):
            raise DomainError(
                _("%(unit)s is not a unit you can nominate.", unit=unit.name),
                field="nominee_unit_id",
            )
        if unit.id == award_type.awarding_body_id:
            raise DomainError(
                _(
                    "%(unit)s confers %(award)s: a body is not nominated for its own award.",
                    unit=unit.name,
                    award=award_type.name,
                ),
                field="nominee_unit_id",
            )
        kinds = award_type.eligible_unit_kinds or []
        if kinds and unit.kind not in kinds:
            raise DomainError(
                _(
                    "%(award)s is for %(kinds)s; %(unit)s is of kind “%(kind)s”.",
                    award=award_type.name,
                    kinds=", ".join(UnitKind(k).label.lower() for k in kinds),
                    unit=unit.name,
                    kind=unit.kind.label.lower(),
                ),
                field="nominee_unit_id",
            )
        return
    if not clean(nominee.person_name):
        raise DomainError(_("Enter the full name of the person."), field="person_name")
    if nominee.person_unit is None or not nominee.person_unit.is_within(nominating_unit):
        raise DomainError(
            _("Choose the unit where the person works or lives."), field="person_unit_id"
        )
    closed = closed_unit_problem(nominee.person_unit)
    if closed:
        raise DomainError(closed, field="person_unit_id")
    year = nominee.person_birth_year
    if year is not None and not 1900 <= year <= utcnow().year:
        raise DomainError(
            _("The birth year must be between 1900 and this year."), field="person_birth_year"
        )


def _existing_active(campaign: Campaign, award_type: AwardType, key: str) -> Nomination | None:
    return db.session.scalars(
        select(Nomination).where(
            Nomination.campaign_id == campaign.id,
            Nomination.award_type_id == award_type.id,
            Nomination.nominee_key == key,
            Nomination.state != NominationState.WITHDRAWN,
        )
    ).first()


class DuplicateNomination(DomainError):
    """The nominee already has an active dossier for this award in this campaign."""

    def __init__(self, existing: Nomination) -> None:
        super().__init__(
            _(
                "%(nominee)s already has a dossier for %(award)s in this campaign (%(state)s).",
                nominee=existing.nominee_name,
                award=existing.award_type.name,
                state=existing.state.label,
            )
        )
        self.existing = existing


def offered_award_ids(campaign: Campaign) -> set[int]:
    """The ids of the award types the campaign offers (one query)."""
    return set(
        db.session.scalars(
            select(CampaignAward.award_type_id).where(CampaignAward.campaign_id == campaign.id)
        )
    )


def check_offered(
    campaign: Campaign, award_type: AwardType, offered: set[int] | None = None
) -> None:
    """The campaign is open and offers `award_type` (`offered`: its offers, read once for
    many dossiers)."""
    if campaign.status != CampaignStatus.OPEN:
        raise DomainError(_("The campaign is not open for nominations."))
    if offered is None:
        found = db.session.scalar(
            select(CampaignAward.id).where(
                CampaignAward.campaign_id == campaign.id,
                CampaignAward.award_type_id == award_type.id,
            )
        )
        offered = set() if found is None else {award_type.id}
    if award_type.id not in offered:
        raise DomainError(
            _("This campaign does not offer %(award)s.", award=award_type.name),
            field="award_type_id",
        )


def _nominating_unit(
    campaign: Campaign, award_type: AwardType, nominee: Nominee, actor: User
) -> Unit:
    """The actor's unit that nominates `nominee`: it covers the nominee and lies within the
    campaign's awarding body."""
    anchor = nominee.unit if award_type.for_units else nominee.person_unit
    body = campaign.awarding_body
    nominating_unit = nominating_unit_for(actor, anchor, body) if anchor else None
    covering = nominating_unit_for(actor, anchor) if anchor and nominating_unit is None else None
    if covering is not None and not covering.is_within(body):
        raise DomainError(
            _("%(unit)s does not belong to %(body)s.", unit=covering.name, body=body.name)
        )
    if covering is not None and body.id in proposal_bodies([covering])[covering.id]:
        # The level is right, but the nominee lies within a body below: that body proposes.
        between = nearest_body_above(anchor) if anchor else None
        raise DomainError(
            _(
                "%(unit)s lies within %(between)s: a proposal to %(body)s for it is made by "
                "%(between)s.",
                unit=anchor.name if anchor else "",
                between=between.name if between else body.name,
                body=body.name,
            )
        )
    if covering is not None:
        # A level below proposes to the level right above it, never over its head.
        raise DomainError(
            proposes_through(covering, body)
            or _("%(unit)s does not belong to %(body)s.", unit=covering.name, body=body.name)
        )
    if nominating_unit is None:
        field = "nominee_unit_id" if award_type.for_units else "person_unit_id"
        raise (
            NotAllowed(_("You can only nominate in your own unit and the units below it."))
            if anchor
            else DomainError(
                _("Choose the nominee.")
                if award_type.for_units
                else _("Choose the unit where the person works or lives."),
                field=field,
            )
        )
    if not nominating_unit.is_within(campaign.awarding_body):
        raise DomainError(
            _(
                "%(unit)s does not belong to %(body)s.",
                unit=nominating_unit.name,
                body=campaign.awarding_body.name,
            )
        )
    return nominating_unit


def _add_draft(nomination: Nomination) -> None:
    """Flush the new draft; a concurrent twin (the unique index) is a DuplicateNomination."""
    try:
        # Added inside the savepoint: opening it flushes what is pending, and a twin flushed
        # there would fail the whole transaction instead of this savepoint.
        with db.session.begin_nested():
            db.session.add(nomination)
            db.session.flush()
    except IntegrityError as error:
        existing = _existing_active(
            nomination.campaign, nomination.award_type, nomination.nominee_key
        )
        if existing is not None:
            raise DuplicateNomination(existing) from error
        raise


def build_draft(
    campaign: Campaign, award_type: AwardType, nominee: Nominee, *, actor: User
) -> Nomination:
    """The unsaved draft for a nominee in the actor's area (its checks passed; the offer and
    an existing dossier are the caller's to check)."""
    # A form may carry both a unit and a person: only the part the award is for counts.
    nominee = Nominee(unit=nominee.unit) if award_type.for_units else replace(nominee, unit=None)
    nominating_unit = _nominating_unit(campaign, award_type, nominee, actor)
    _check_nominee(award_type, nominee, nominating_unit)
    name = nominee.unit.name if nominee.unit else clean(nominee.person_name)
    nomination = Nomination(
        campaign=campaign,
        award_type=award_type,
        nominating_unit=nominating_unit,
        nominee_unit=nominee.unit,
        nominee_name=name,
        nominee_folded=fold(name),
        nominee_sort=sort_string(name),
        nominee_key=nominee_key(nominee),
        created_by=actor,
        state=NominationState.DRAFT,
    )
    if not award_type.for_units:
        _apply_person(nomination, nominee)
    return nomination


def create_nomination(
    campaign: Campaign, award_type: AwardType, nominee: Nominee, *, actor: User
) -> Nomination:
    """Start a draft dossier in an open campaign for a nominee in the actor's area; the
    campaign's lock keeps its award type from being taken off meanwhile."""
    lock_campaign(campaign)
    check_offered(campaign, award_type)
    nomination = build_draft(campaign, award_type, nominee, actor=actor)
    existing = _existing_active(campaign, award_type, nomination.nominee_key)
    if existing is not None:
        raise DuplicateNomination(existing)
    _check_told_apart(nomination)
    _add_draft(nomination)
    return nomination


def _check_told_apart(nomination: Nomination) -> None:
    """A person of the same name and unit as another active dossier for the same award in the
    campaign is told apart by the year of birth: where either lacks it, the two may be one
    person nominated twice, and the year is asked for."""
    if nomination.person_unit is None:
        return
    name = nomination.nominee_key.split("|")[0]
    same_name = select(Nomination).where(
        Nomination.campaign_id == nomination.campaign.id,
        Nomination.award_type_id == nomination.award_type.id,
        Nomination.nominee_key.startswith(f"{name}|", autoescape=True),
        Nomination.person_unit_id == nomination.person_unit.id,
        Nomination.state != NominationState.WITHDRAWN,
    )
    for other in db.session.scalars(same_name):
        if nomination.person_birth_year is None or other.person_birth_year is None:
            raise DomainError(
                _(
                    "%(nominee)s of %(unit)s already has a dossier for %(award)s in this "
                    "campaign (%(reference)s) and the year of birth does not tell them apart: "
                    "if they are two people, give the year of birth of each.",
                    nominee=other.nominee_name,
                    unit=nomination.person_unit.name,
                    award=other.award_type.name,
                    reference=other.reference or other.state.label,
                ),
                field="person_birth_year",
            )


def draft_from_withdrawn(source: Nomination, *, actor: User) -> Nomination:
    """A new draft of a withdrawn dossier (which cannot be sent again): the same campaign,
    title and nominee, its report, share of women and self-assessment. Its files are not
    copied: they are attached again, as the evidence of the new dossier."""
    if not is_nominator_of(actor, source):
        raise NotAllowed(_("Only the dossier's nominators can start a new draft from it."))
    if source.state != NominationState.WITHDRAWN:
        raise InvalidTransition(_("Only a withdrawn dossier is copied into a new draft."))
    if source.hold_kind is not None:
        raise InvalidTransition(
            _(
                "This dossier was withdrawn while on hold: a new draft cannot be made from it "
                "until the secretariat lifts the hold."
            )
        )
    nominee = Nominee(
        unit=source.nominee_unit,
        person_name=source.person_name or "",
        person_position=source.person_position or "",
        person_unit=source.person_unit,
        person_birth_year=source.person_birth_year,
        person_gender=source.person_gender,
    )
    nomination = create_nomination(source.campaign, source.award_type, nominee, actor=actor)
    # Saved as the nominator would save the new draft's form (a draft: nothing audited).
    update_nomination(
        nomination,
        Report(
            summary=source.summary,
            general=source.report_general,
            achievements=source.report_achievements,
            criteria=source.report_criteria,
            commendations=source.report_commendations,
        ),
        {a.criterion_id: Answer(a.met, a.value, a.text, a.evidence_note) for a in source.answers},
        actor=actor,
        collective=None if source.is_person else Collective(source.women_percent),
    )
    return nomination


def _apply_person(nomination: Nomination, nominee: Nominee) -> None:
    nomination.person_name = clean(nominee.person_name)
    nomination.person_position = clean(nominee.person_position) or None
    nomination.person_unit = nominee.person_unit
    nomination.person_birth_year = nominee.person_birth_year
    nomination.person_gender = nominee.person_gender


def check_editable(nomination: Nomination, actor: User, expected_version: int | None) -> None:
    if not can_edit_nomination(actor, nomination):
        raise NotAllowed(_("This dossier cannot be changed now."))
    if expected_version is not None and expected_version != nomination.version:
        raise ConcurrentUpdate(
            _(
                "Someone else saved this dossier while you were editing it: your changes "
                "were not saved. Your text is kept below, and what they saved is shown "
                "above it; saving again replaces theirs with yours."
            )
        )


def flush_or_conflict() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentUpdate(
            _(
                "Someone else changed this dossier while you were editing it. "
                "Your text is kept below; check the current version and save "
                "again."
            )
        ) from error


REPORT_FIELDS = {
    "summary": "summary",
    "report_general": "general",
    "report_achievements": "achievements",
    "report_criteria": "criteria",
    "report_commendations": "commendations",
}


def update_nomination(
    nomination: Nomination,
    report: Report,
    answers: dict[int, Answer],
    *,
    actor: User,
    person: Nominee | None = None,
    collective: Collective | None = None,
    expected_version: int | None = None,
) -> list[str]:
    """Save the dossier's texts and self-assessments; returns the names of changed fields.

    After the first submission, the change is recorded as an audit event.
    """
    check_editable(nomination, actor, expected_version)
    changed = apply_report(nomination, report)
    if person is not None and nomination.is_person and _update_person(nomination, person):
        changed.append("person")
    if collective is not None and not nomination.is_person:
        women = collective.women_percent
        if women is not None and not 0 <= women <= 100:
            raise DomainError(
                _("The share of women is a percentage from 0 to 100."), field="women_percent"
            )
        if nomination.women_percent != women:
            nomination.women_percent = women
            changed.append("women_percent")
    criteria = {c.id: c for c in nomination.award_type.criteria}
    for criterion_id, answer in answers.items():
        if criterion_id not in criteria:
            continue
        if _save_answer(nomination, criteria[criterion_id], answer):
            changed.append(f"criterion:{criteria[criterion_id].code}")
    if changed and nomination.submitted_at is not None:
        record_edit(nomination, actor, changed)
    if changed:
        nomination.updated_at = utcnow()
    flush_or_conflict()
    return changed


def apply_report(nomination: Nomination, report: Report) -> list[str]:
    """Set the dossier's report texts; the names of those changed."""
    changed = []
    for column, attribute in REPORT_FIELDS.items():
        value = clean_multiline(getattr(report, attribute))
        if getattr(nomination, column) != value:
            setattr(nomination, column, value)
            changed.append(column)
    return changed


def _person_of(nomination: Nomination) -> tuple[object, ...]:
    return (
        nomination.person_name,
        nomination.person_position,
        nomination.person_unit_id,
        nomination.person_birth_year,
        nomination.person_gender,
    )


def _update_person(nomination: Nomination, person: Nominee) -> bool:
    """Apply the person's details (checked as on creation); whether anything changed."""
    _check_nominee(nomination.award_type, person, nomination.nominating_unit)
    before = _person_of(nomination)
    _apply_person(nomination, person)
    if before == _person_of(nomination):
        return False
    nomination.nominee_name = nomination.person_name or ""
    nomination.nominee_folded = fold(nomination.nominee_name)
    nomination.nominee_sort = sort_string(nomination.nominee_name)
    nomination.nominee_key = nominee_key(person)
    return True


def _save_answer(nomination: Nomination, criterion: Criterion, answer: Answer) -> bool:
    current = nomination.answer_for(criterion)
    values = (
        answer.met,
        answer.value,
        clean_multiline(answer.text),
        clean_multiline(answer.evidence_note),
    )
    if current is None:
        if values == (None, None, "", ""):
            return False
        current = CriterionAnswer(criterion=criterion)
        nomination.answers.append(current)
    elif (current.met, current.value, current.text, current.evidence_note) == values:
        return False
    current.met, current.value, current.text, current.evidence_note = values
    return True


def record_edit(nomination: Nomination, actor: User, changed: list[str]) -> None:
    """Audit an edit made after the first submission (the change is flushed first)."""
    nomination.updated_at = utcnow()
    flush_or_conflict()
    record(
        ObjectKind.NOMINATION,
        nomination.id,
        Action.EDIT,
        actor=actor,
        subject=" · ".join(p for p in (nomination.reference, nomination.nominee_name) if p),
        from_state=nomination.state,
        to_state=nomination.state,
        comment=", ".join(changed),
        version=nomination.version,
    )


def delete_draft(nomination: Nomination, *, actor: User) -> None:
    """Delete a never-submitted draft; its files are discarded once the transaction commits."""
    if not can_delete_nomination(actor, nomination):
        raise NotAllowed(_("Only a draft that was never submitted can be deleted."))
    keys = db.session.scalars(
        select(Attachment.storage_key).where(Attachment.nomination_id == nomination.id)
    )
    for key in keys:
        storage.discard_after_commit(key)
    db.session.delete(nomination)
    db.session.flush()
