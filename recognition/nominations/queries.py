"""Reading nominations: the lists each role sees, with filters, search and pagination."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, false, inspect, or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.models import Campaign, Criterion
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.text import fold, search_text
from recognition.extensions import db
from recognition.nominations.diff import DossierDiff, diff_snapshots, snapshot_data
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import (
    CriterionAnswer,
    CriterionAppraisal,
    Nomination,
    NominationReport,
    NominationSnapshot,
)
from recognition.nominations.permissions import COUNCIL_STATES
from recognition.units.models import Unit
from recognition.units.queries import represented_units


def with_reports(nominations: Sequence[Nomination]) -> None:
    """Load the report texts of many dossiers in one statement (not one each)."""
    waiting = {n.id: n for n in nominations if "report" in inspect(n).unloaded}
    if not waiting:
        return
    found = {
        r.nomination_id: r
        for r in db.session.scalars(
            select(NominationReport).where(NominationReport.nomination_id.in_(list(waiting)))
        )
    }
    for nomination_id, nomination in waiting.items():
        set_committed_value(nomination, "report", found.get(nomination_id))


@dataclass(frozen=True)
class Filters:
    text: str = ""
    campaign_id: int | None = None
    award_type_id: int | None = None
    state: str = ""
    unit_id: int | None = None


def _campaign_ids(bodies: set[int]) -> list[int]:
    return list(
        db.session.scalars(select(Campaign.id).where(Campaign.awarding_body_id.in_(bodies)))
    )


def _visible_to(user: User) -> list[ColumnElement[bool]]:
    """SQL conditions for the nominations `user` may see (see permissions.can_view_nomination)."""
    if user.is_admin:
        return [Nomination.id.is_not(None)]
    conditions: list[ColumnElement[bool]] = []
    nominating = user.units_with(Role.NOMINATOR)
    if nominating:
        conditions.append(Nomination.nominating_unit_id.in_(represented_units(nominating)))
    # The bodies' campaigns are read first and given as values: the planner then knows how
    # many dossiers each holds (one body may hold half the province's) and reads the list's
    # index alone, where a subquery leaves it guessing a few hundred.
    bodies = {u.id for role in (Role.SECRETARIAT, Role.CHAIR) for u in user.units_with(role)}
    if bodies:
        conditions.append(
            Nomination.campaign_id.in_(_campaign_ids(bodies))
            & (Nomination.state != NominationState.DRAFT)
        )
    council = {u.id for u in user.units_with(Role.COUNCIL_MEMBER)}
    if council:
        conditions.append(
            Nomination.campaign_id.in_(_campaign_ids(council))
            & Nomination.state.in_(COUNCIL_STATES)
        )
    return conditions or [false()]


def nomination_ids_for_user(user: User, filters: Filters) -> Select[int]:
    """The ids of the nominations `user` may see, filtered, in Vietnamese order of the
    nominee's name: what a page of the list needs, read from the list's covering index (the
    rows of the page are loaded by `nominations_in_order`)."""
    query = select(Nomination.id).where(or_(*_visible_to(user)))
    text = search_text(filters.text)
    needle = fold(text)
    if needle:
        query = query.where(
            Nomination.nominee_folded.contains(needle, autoescape=True)
            | Nomination.reference.contains(text.strip().upper(), autoescape=True)
        )
    if filters.campaign_id:
        query = query.where(Nomination.campaign_id == filters.campaign_id)
    if filters.award_type_id:
        query = query.where(Nomination.award_type_id == filters.award_type_id)
    if filters.state in {state.value for state in NominationState}:  # else typed in the URL
        query = query.where(Nomination.state == filters.state)
    if filters.unit_id:
        unit_path = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
        query = query.where(
            Nomination.nominating_unit_id.in_(
                select(Unit.id).where(Unit.path.startswith(unit_path))
            )
        )
    return query.order_by(Nomination.nominee_sort, Nomination.id)


# What a list of dossiers shows besides the dossier.
LIST_OPTIONS = (
    joinedload(Nomination.campaign),
    joinedload(Nomination.award_type),
    joinedload(Nomination.nominating_unit),
)


def nominations_for_user(user: User, filters: Filters) -> Select[Nomination]:
    """The nominations `user` may see, filtered, in the list's order, with what the list shows
    eagerly loaded (so a page costs the same number of queries at any size)."""
    ids = nomination_ids_for_user(user, filters).order_by(None)
    return (
        select(Nomination)
        .where(Nomination.id.in_(ids))
        .options(*LIST_OPTIONS)
        .order_by(Nomination.nominee_sort, Nomination.id)
    )


def nominations_in_order(ids: list[int]) -> list[Nomination]:
    """These dossiers in this order, with what a list shows (one query)."""
    if not ids:
        return []
    found = {
        n.id: n
        for n in db.session.scalars(
            select(Nomination).where(Nomination.id.in_(ids)).options(*LIST_OPTIONS)
        ).unique()
    }
    return [found[i] for i in ids if i in found]


# What a dossier's pages show besides the dossier: answers, files and its history.
PAGE_OPTIONS = (
    selectinload(Nomination.answers).joinedload(CriterionAnswer.criterion),
    selectinload(Nomination.attachments),
    selectinload(Nomination.events),
)


def nomination_for_page(nomination_id: int) -> Nomination | None:
    """A dossier with what its pages show."""
    query = select(Nomination).where(Nomination.id == nomination_id).options(*PAGE_OPTIONS)
    return db.session.scalars(query).first()


@dataclass(frozen=True)
class ReturnNote:
    """What the secretariat said when it last sent a dossier back: the comment, when, and its
    verdicts with notes on the criteria of that appraisal round."""

    comment: str
    at: datetime
    verdicts: list[tuple[Criterion, CriterionAppraisal]]


def return_note(nomination: Nomination) -> ReturnNote | None:
    """The last sending back of a dossier that is now returned, or None."""
    if nomination.state != NominationState.RETURNED:
        return None
    event = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.object_kind == ObjectKind.NOMINATION,
            AuditEvent.object_id == nomination.id,
            AuditEvent.action == Action.SEND_BACK.value,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None:
        return None
    appraised = {a.criterion_id: a for a in nomination.appraisals}
    verdicts = [
        (criterion, appraised[criterion.id])
        for criterion in nomination.award_type.criteria
        if criterion.id in appraised
        and (appraised[criterion.id].note.strip() or appraised[criterion.id].verdict == "disagree")
    ]
    return ReturnNote(comment=event.comment, at=event.created_at, verdicts=verdicts)


def snapshots_of(nomination: Nomination) -> list[NominationSnapshot]:
    """The dossier's submitted versions, first first."""
    return list(
        db.session.scalars(
            select(NominationSnapshot)
            .where(NominationSnapshot.nomination_id == nomination.id)
            .order_by(NominationSnapshot.round)
        )
    )


@dataclass(frozen=True)
class Changes:
    """What changed in a dossier: `since_return` while it is back with its nominator (the
    dossier now against its last submission), else the last resubmission's changes."""

    diff: DossierDiff
    since_return: bool


def changes_of(nomination: Nomination) -> Changes | None:
    """What the nominator changed since the dossier was sent back, or in its last round; None
    before it has been sent back once."""
    snapshots = snapshots_of(nomination)
    if nomination.state == NominationState.RETURNED and snapshots:
        return Changes(diff_snapshots(snapshots[-1].data, snapshot_data(nomination)), True)
    if len(snapshots) > 1:
        return Changes(diff_snapshots(snapshots[-2].data, snapshots[-1].data), False)
    return None
