"""Keeping clusters and scoring them: every write here, each recorded in the audit log
(ObjectKind.CLUSTER, the cluster's id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recognition.auth.models import User
from recognition.clusters.enums import (
    CRITERION_PREFIX,
    ClusterAction,
    ClusterKind,
    OfficerRole,
    TieBreak,
)
from recognition.clusters.models import (
    Cluster,
    ClusterMember,
    ClusterOfficer,
    ClusterScore,
    ScoringCriterion,
)
from recognition.clusters.permissions import (
    can_agree_scores,
    can_manage_clusters,
    can_self_score,
)
from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.numbers import parse_number
from recognition.common.text import clean, clean_multiline, fold, sort_string, upper
from recognition.database import utcnow
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.units.models import Unit

register_vocabulary(ObjectKind.CLUSTER, ClusterAction)

LARGEST_POINTS = Decimal("9999.9")
# A score's note and evidence are TEXT columns: a line's remark or a document's number or link
# needs far less; the limit keeps the scoring table printable (as the criterion's own texts).
NOTE_MAX = 2000
TENTH = Decimal("0.1")


class InvalidPoints(DomainError):
    """Some points (or a note too long) were refused: one message per field (`errors`)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some entries are not valid: see the marked fields."))
        self.errors = errors


def _audit(cluster: Cluster, action: ClusterAction, actor: User | None, comment: str = "") -> None:
    record(
        ObjectKind.CLUSTER,
        cluster.id,
        action,
        actor=actor,
        subject=f"{cluster.name} · {cluster.year}",
        comment=comment[:2000],
    )


def _manager(cluster_body: Unit, actor: User) -> None:
    if not can_manage_clusters(actor, cluster_body):
        raise NotAllowed(_("Only the awarding body's secretariat keeps its clusters."))


def _open(cluster: Cluster) -> None:
    if cluster.is_locked:
        raise DomainError(_("The year's result of this cluster is locked."))


def read_points(text: str) -> Decimal | None:
    """Points as typed ("7,5"; "7.5" too); None when empty; ValueError when not a number."""
    value = clean(text)
    if not value:
        return None
    return parse_number(value)


def points_problem(points: Decimal, maximum: Decimal) -> str | None:
    """Why `points` cannot be given on a line worth `maximum`, or None."""
    if points < 0:
        return _("Points cannot be negative.")
    if points > maximum:
        return _("At most %(max)s points.", max=format_points(maximum))
    if points != points.quantize(TENTH):
        return _("Points are given to one decimal place.")
    return None


def format_points(points: Decimal | None) -> str:
    """Points to one decimal place in the reader's locale ("7,5" in Vietnamese), without
    grouping, so that the text reads back through `read_points`."""
    return "" if points is None else str(format_decimal(points.quantize(TENTH), format="0.0"))


# Clusters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterData:
    name: str
    year: int
    kind: ClusterKind = ClusterKind.CLUSTER
    tie_breaks: tuple[str, ...] = ()


def check_tie_breaks(keys: tuple[str, ...], codes: set[str] | None) -> list[str]:
    """The keys, each known (`codes`: the table's criterion codes, None to skip that check)."""
    result = []
    for raw in keys:
        key = clean(raw)
        if not key:
            continue
        if key.startswith(CRITERION_PREFIX):
            code = upper(key.removeprefix(CRITERION_PREFIX))
            if not code or (codes is not None and code not in codes):
                raise DomainError(
                    _("No criterion of the scoring table has the code “%(code)s”.", code=code),
                    field="tie_breaks",
                )
            key = CRITERION_PREFIX + code
        elif key not in TieBreak.values():
            raise DomainError(_("“%(key)s” is not a tie-break rule.", key=key), field="tie_breaks")
        if key not in result:
            result.append(key)
    return result


def save_cluster(
    cluster: Cluster | None, data: ClusterData, *, awarding_body: Unit, actor: User
) -> Cluster:
    """Create or edit a cluster of `awarding_body` for a year."""
    _manager(awarding_body, actor)
    name = clean(data.name)
    if not name:
        raise DomainError(_("Enter the cluster's name."), field="name")
    if not 2000 <= data.year <= 2100:
        raise DomainError(_("The year must be between 2000 and 2100."), field="year")
    codes = None if cluster is None else {c.code for c in cluster.criteria if c.parent_id is None}
    keys = check_tie_breaks(data.tie_breaks, codes)
    if cluster is not None and cluster.is_locked and data.year != cluster.year:
        raise DomainError(_("The year's result of this cluster is locked."), field="year")
    created = cluster is None
    try:
        # Changed inside the savepoint: opening it flushes what is pending, and a clash flushed
        # there would leave the whole transaction failed (a 500) instead of this savepoint.
        with db.session.begin_nested():
            if cluster is None:
                cluster = Cluster(awarding_body=awarding_body)
                db.session.add(cluster)
            cluster.name, cluster.name_folded = name, fold(name)
            cluster.name_sort = sort_string(name)
            cluster.year, cluster.kind, cluster.tie_breaks = data.year, data.kind, keys
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            _("The body already has a cluster of this name for %(year)d.", year=data.year),
            field="name",
        ) from error
    _audit(cluster, ClusterAction.CREATE if created else ClusterAction.EDIT, actor)
    return cluster


def add_member(cluster: Cluster, unit: Unit, *, actor: User) -> ClusterMember:
    """Add a unit under the awarding body to the cluster."""
    _manager(cluster.awarding_body, actor)
    _open(cluster)
    if (
        not unit.is_active
        or not unit.is_within(cluster.awarding_body)
        or unit is cluster.awarding_body
    ):
        raise DomainError(
            _(
                "%(unit)s is not a unit in use under %(body)s.",
                unit=unit.name,
                body=cluster.awarding_body.name,
            ),
            field="unit_id",
        )
    if any(m.unit_id == unit.id for m in cluster.members):
        raise DomainError(_("%(unit)s is already a member.", unit=unit.name), field="unit_id")
    member = ClusterMember(unit=unit, unit_name=unit.name, unit_sort=sort_string(unit.name))
    cluster.members.append(member)
    db.session.flush()
    _audit(cluster, ClusterAction.ADD_MEMBER, actor, unit.name)
    return member


def remove_member(member: ClusterMember, *, actor: User) -> None:
    """Remove a member that has not scored yet (a scored member stays, for the record)."""
    cluster = member.cluster
    _manager(cluster.awarding_body, actor)
    _open(cluster)
    if member.scores:
        raise DomainError(_("A member that has scores stays in the cluster for the record."))
    if any(o.unit_id == member.unit_id for o in cluster.officers):
        raise DomainError(_("Remove the member from the lead and deputy rotation first."))
    cluster.members.remove(member)
    db.session.flush()
    _audit(cluster, ClusterAction.REMOVE_MEMBER, actor, member.unit_name)


def appoint_officer(
    cluster: Cluster,
    unit: Unit,
    role: OfficerRole,
    *,
    valid_from: date,
    valid_to: date | None,
    actor: User,
) -> ClusterOfficer:
    """Appoint a member as lead or deputy for a period that overlaps no other of that role."""
    _manager(cluster.awarding_body, actor)
    if not any(m.unit_id == unit.id for m in cluster.members):
        raise DomainError(_("Only a member unit can lead or deputise."), field="unit_id")
    if valid_to is not None and valid_to < valid_from:
        raise DomainError(_("The end cannot be before the start."), field="valid_to")
    end = valid_to or date.max
    for other in cluster.officers:
        if other.role != role:
            continue
        if other.valid_from <= end and valid_from <= (other.valid_to or date.max):
            raise DomainError(
                _(
                    "%(unit)s holds this role from %(start)s: the periods overlap.",
                    unit=other.unit.name,
                    start=other.valid_from.strftime("%d/%m/%Y"),
                ),
                field="valid_from",
            )
    officer = ClusterOfficer(unit=unit, role=role, valid_from=valid_from, valid_to=valid_to)
    cluster.officers.append(officer)
    db.session.flush()
    period = f"{valid_from.isoformat()} – {valid_to.isoformat() if valid_to else '…'}"
    _audit(cluster, ClusterAction.ROTATE, actor, f"{role.value}: {unit.name}, {period}")
    return officer


# The scoring table --------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionData:
    code: str
    text: str
    max_points: Decimal
    evidence_note: str = ""
    is_deduction: bool = False
    parent: ScoringCriterion | None = None


def _refresh_parent_max(parent: ScoringCriterion | None) -> None:
    """A criterion with sub-items is worth the sum of theirs."""
    if parent is not None and parent.items:
        parent.max_points = sum((i.max_points for i in parent.items), Decimal("0.0"))


def save_criterion(
    cluster: Cluster, criterion: ScoringCriterion | None, data: CriterionData, *, actor: User
) -> ScoringCriterion:
    """Add or change a line of the scoring table (a criterion, or a sub-item of one)."""
    _manager(cluster.awarding_body, actor)
    _open(cluster)
    code, text = upper(clean(data.code)), clean_multiline(data.text)
    if not code:
        raise DomainError(_("Enter the code."), field="code")
    if not text:
        raise DomainError(_("Enter the criterion's text."), field="text")
    problem = points_problem(data.max_points, LARGEST_POINTS)
    if problem:
        raise DomainError(problem, field="max_points")
    parent = data.parent
    if parent is not None and (parent.cluster_id != cluster.id or parent.parent_id is not None):
        raise DomainError(_("A sub-item belongs to a criterion of this table."), field="parent_id")
    if criterion is not None and parent is not None and criterion.items:
        raise DomainError(
            _("A criterion with sub-items cannot become a sub-item."), field="parent_id"
        )
    if any(c.code == code and c is not criterion for c in cluster.criteria):
        raise DomainError(_("The table already has a line with this code."), field="code")
    old_parent = criterion.parent if criterion is not None else None
    if criterion is None:
        criterion = ScoringCriterion(position=len(cluster.criteria) + 1)
        cluster.criteria.append(criterion)
    criterion.code, criterion.text = code, text
    criterion.evidence_note = clean_multiline(data.evidence_note)
    criterion.is_deduction = data.is_deduction if parent is None else parent.is_deduction
    criterion.parent = parent
    if not criterion.items:
        criterion.max_points = data.max_points
    db.session.flush()
    for touched in {id(p): p for p in (parent, old_parent) if p is not None}.values():
        db.session.refresh(touched, ["items"])
        _refresh_parent_max(touched)
    db.session.flush()
    _audit(cluster, ClusterAction.EDIT_TABLE, actor, f"{code}: {criterion.max_points}")
    return criterion


def remove_criterion(criterion: ScoringCriterion, *, actor: User) -> None:
    """Remove a line and its sub-items (their scores go with them) while the year is open."""
    cluster = criterion.cluster
    _manager(cluster.awarding_body, actor)
    _open(cluster)
    parent = criterion.parent
    for item in list(criterion.items):
        cluster.criteria.remove(item)
    cluster.criteria.remove(criterion)
    db.session.flush()
    if parent is not None:
        db.session.refresh(parent, ["items"])
        _refresh_parent_max(parent)
        db.session.flush()
    _audit(cluster, ClusterAction.EDIT_TABLE, actor, f"-{criterion.code}")


def scored_lines(cluster: Cluster) -> list[ScoringCriterion]:
    """The lines points are given on: sub-items, and criteria without sub-items."""
    return [c for c in cluster.criteria if not c.items]


# Scores -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreEntry:
    """What was typed on one line (points as text, checked here)."""

    points: str = ""
    note: str = ""
    evidence: str = ""


def _checked(
    cluster: Cluster, entries: dict[int, ScoreEntry], prefix: str, texts: dict[str, str]
) -> dict[int, Decimal | None]:
    """The points of each scored line typed; every wrong field is marked (its name: `prefix`
    and the line's id for the points, `texts` maps an entry's text to its field's prefix)."""
    errors: dict[str, str] = {}
    values: dict[int, Decimal | None] = {}
    lines = {c.id: c for c in scored_lines(cluster)}
    for line_id, entry in entries.items():
        line = lines.get(line_id)
        if line is None:
            continue
        for name, field_prefix in texts.items():
            if len(clean_multiline(getattr(entry, name))) > NOTE_MAX:
                errors[f"{field_prefix}{line_id}"] = ngettext(
                    "Field cannot be longer than %(max)d character.",
                    "Field cannot be longer than %(max)d characters.",
                    NOTE_MAX,
                    max=NOTE_MAX,
                )
        try:
            points = read_points(entry.points)
        except ValueError:
            errors[f"{prefix}{line_id}"] = _("Enter a number of points, such as 7.5.")
            continue
        problem = None if points is None else points_problem(points, line.max_points)
        if problem:
            errors[f"{prefix}{line_id}"] = problem
            continue
        values[line_id] = points
    if errors:
        raise InvalidPoints(errors)
    return values


def _score_row(member: ClusterMember, line_id: int) -> ClusterScore | None:
    return next((s for s in member.scores if s.criterion_id == line_id), None)


def _new_score_row(member: ClusterMember, line_id: int) -> ClusterScore:
    row = ClusterScore(criterion_id=line_id)
    member.scores.append(row)
    return row


def save_self_scores(member: ClusterMember, entries: dict[int, ScoreEntry], *, actor: User) -> int:
    """Save the member's own points, notes and evidence; returns how many lines changed."""
    if not can_self_score(actor, member):
        raise NotAllowed(_("Only the member's own officers score it, while the year is open."))
    values = _checked(member.cluster, entries, "p", {"note": "n", "evidence": "e"})
    changed = 0
    for line_id, points in values.items():
        entry = entries[line_id]
        note, evidence = clean_multiline(entry.note), clean_multiline(entry.evidence)
        row = _score_row(member, line_id)
        stored = (row.self_points, row.self_note, row.evidence) if row else (None, "", "")
        if stored != (points, note, evidence):
            row = row or _new_score_row(member, line_id)
            row.self_points, row.self_note, row.evidence = points, note, evidence
            changed += 1
    db.session.flush()
    if changed:
        _audit(member.cluster, ClusterAction.SELF_SCORE, actor, f"{member.unit_name}: {changed}")
    return changed


def save_agreed_scores(
    member: ClusterMember,
    entries: dict[int, ScoreEntry],
    *,
    votes: int | None,
    actor: User,
) -> int:
    """Record the points the cluster meeting agreed for a member after cross-checking (and
    the votes it received); returns how many lines changed."""
    cluster = member.cluster
    if not can_agree_scores(actor, cluster):
        raise NotAllowed(
            _("Only the cluster's lead records the agreed score, while the year is open.")
        )
    # Every wrong field is marked at once: the votes' and the lines'.
    errors = {}
    if votes is not None and not 0 <= votes <= 10_000:
        errors["votes"] = _("Enter the number of votes, from 0.")
    try:
        values = _checked(cluster, entries, "a", {"note": "an"})
    except InvalidPoints as refused:
        errors.update(refused.errors)
    if errors:
        raise InvalidPoints(errors)
    changed = 0
    for line_id, points in values.items():
        note = clean_multiline(entries[line_id].note)
        row = _score_row(member, line_id)
        if ((row.agreed_points, row.agreed_note) if row else (None, "")) != (points, note):
            row = row or _new_score_row(member, line_id)
            row.agreed_points, row.agreed_note = points, note
            changed += 1
    if member.votes != votes:
        member.votes = votes
        changed += 1
    db.session.flush()
    if changed:
        _audit(cluster, ClusterAction.AGREE_SCORE, actor, f"{member.unit_name}: {changed}")
    return changed


def missing_agreed(cluster: Cluster) -> list[str]:
    """The members lacking an agreed score on some scored line: the unit's name, followed by
    the codes of the lines it lacks when it has some of them ("Xã Hưng Khánh Trung (TR)")."""
    lines = scored_lines(cluster)
    missing = []
    for member in sorted(cluster.members, key=lambda m: sort_string(m.unit_name)):
        given = {s.criterion_id for s in member.scores if s.agreed_points is not None}
        lacking = [line.code for line in lines if line.id not in given]
        if lacking and len(lacking) < len(lines):
            missing.append(f"{member.unit_name} ({', '.join(lacking)})")
        elif lacking:
            missing.append(member.unit_name)
    return missing


def lock_result(cluster: Cluster, *, actor: User) -> None:
    """Consolidate: once every member has an agreed score on every line, lock the year."""
    if not can_agree_scores(actor, cluster):
        raise NotAllowed(_("Only the cluster's lead locks the year's result, while it is open."))
    if not cluster.members or not scored_lines(cluster):
        raise DomainError(_("The cluster needs members and a scoring table first."))
    missing = missing_agreed(cluster)
    if missing:
        raise DomainError(
            _("The agreed score is missing for: %(units)s.", units=", ".join(missing))
        )
    cluster.locked_at, cluster.locked_by = utcnow(), actor
    db.session.flush()
    _audit(cluster, ClusterAction.LOCK, actor)
