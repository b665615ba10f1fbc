"""A movement's targets and the values units report against them: every write, audited under
the target (ObjectKind.TARGET), and a body's classification rules (under its settings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import Campaign
from recognition.common import storage
from recognition.common.audit import ObjectKind, record, register_more_actions, register_vocabulary
from recognition.common.links import app_path
from recognition.common.text import clean, clean_multiline, upper
from recognition.database import LARGEST_AMOUNT, utcnow
from recognition.errors import ConcurrentUpdate, DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify
from recognition.targets.enums import (
    AssessmentTiming,
    BandAction,
    TargetAction,
    TargetDirection,
    TargetSector,
    ValueState,
)
from recognition.targets.models import Target, TargetBand, TargetEvidence, TargetValue
from recognition.targets.permissions import (
    can_decide_value,
    can_manage_targets,
    can_report_value,
    can_withdraw_value,
)
from recognition.targets.rules import Band
from recognition.units.models import Unit

register_vocabulary(ObjectKind.TARGET, TargetAction, ValueState)
register_more_actions(ObjectKind.BODY_SETTINGS, BandAction)

CENT = Decimal("0.01")
MAX_EVIDENCE_FILES = 5


@dataclass(frozen=True)
class TargetData:
    code: str
    text: str
    sector: TargetSector
    responsible_unit: Unit
    direction: TargetDirection = TargetDirection.HIGHER
    target_value: Decimal | None = None
    baseline: Decimal | None = None
    measure_unit: str = ""
    timing: AssessmentTiming = AssessmentTiming.PERIODIC


def describe_target(target: Target) -> str:
    """How the audit log names a target: its code, text and campaign."""
    return f"{target.code} · {target.text[:120]} · {target.campaign.name}"[:300]


def _amount(value: Decimal | None, field_name: str) -> Decimal | None:
    if value is None:
        return None
    refusal = DomainError(
        _("Enter a number of at most 12 digits before the decimal point."), field=field_name
    )
    # Compared, not abs(): abs() rounds to the context and overflows on a huge exponent.
    if not value.is_finite() or not -LARGEST_AMOUNT <= value <= LARGEST_AMOUNT:
        raise refusal
    rounded = value.quantize(CENT)  # 999999999999.999 rounds beyond the column
    if not -LARGEST_AMOUNT <= rounded <= LARGEST_AMOUNT:
        raise refusal
    return rounded


def _check_open(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise DomainError(_("The campaign is archived: its targets can no longer change."))


def _target_values(
    campaign: Campaign, target: Target | None, data: TargetData
) -> dict[str, object]:
    code = upper(clean(data.code))
    if not code or not clean(data.text):
        raise DomainError(_("A target needs a code and a text."), field="code")
    if len(code) > 20:
        raise DomainError(_("The code is at most 20 characters."), field="code")
    duplicate = db.session.scalar(
        select(Target.id).where(
            Target.campaign_id == campaign.id,
            Target.code == code,
            Target.id != (target.id if target is not None else 0),
        )
    )
    if duplicate is not None:
        raise DomainError(
            _("The code %(code)s is already used by another target.", code=code), field="code"
        )
    responsible = data.responsible_unit
    if not responsible.is_active or not responsible.is_within(campaign.awarding_body):
        raise DomainError(
            _(
                "The responsible unit must be an active unit of %(body)s.",
                body=campaign.awarding_body.name,
            ),
            field="responsible_unit_id",
        )
    yes_no = data.direction == TargetDirection.YES_NO
    target_value = None if yes_no else _amount(data.target_value, "target_value")
    if not yes_no and target_value is None:
        raise DomainError(_("Enter the target value."), field="target_value")
    return {
        "code": code,
        "text": clean_multiline(data.text),
        "sector": data.sector,
        "responsible_unit": responsible,
        "direction": data.direction,
        "target_value": target_value,
        "baseline": None if yes_no else _amount(data.baseline, "baseline"),
        "measure_unit": clean(data.measure_unit),
        "timing": data.timing,
    }


def save_target(
    target: Target | None, data: TargetData, *, campaign: Campaign, actor: User | None
) -> Target:
    """Create or change a target of `campaign`; audited with the fields changed. `actor` None
    is the application itself (the demo)."""
    if actor is not None and not can_manage_targets(actor, campaign):
        raise NotAllowed(_("You may not change the targets of this campaign."))
    _check_open(campaign)
    values = _target_values(campaign, target, data)
    created = target is None
    if target is None:
        position = db.session.scalar(
            select(db.func.count(Target.id)).where(Target.campaign_id == campaign.id)
        )
        target = Target(campaign=campaign, position=(position or 0) + 1)
        db.session.add(target)
    changed = [name for name, value in values.items() if getattr(target, name) != value]
    for name in changed:
        setattr(target, name, values[name])
    db.session.flush()
    if created or changed:
        record(
            ObjectKind.TARGET,
            target.id,
            TargetAction.CREATED if created else TargetAction.CHANGED,
            actor=actor,
            subject=describe_target(target),
            comment="" if created else ", ".join(changed),
        )
    return target


@dataclass(frozen=True)
class Upload:
    data: BinaryIO
    filename: str


@dataclass(frozen=True)
class Report:
    value: Decimal
    as_of_on: date
    note: str = ""
    files: list[Upload] = field(default_factory=list)


def _stored_name(filename: str) -> str:
    original = clean(filename).replace("/", "_").replace("\\", "_") or "file"
    if len(original) > 255:
        stem, extension = os.path.splitext(original)
        original = (stem[: max(0, 255 - len(extension))] + extension)[:255]
    return original


def _check_report(target: Target, report: Report, today: date) -> Decimal:
    value = _amount(report.value, "value")
    if value is None:
        raise DomainError(_("Enter the value."), field="value")
    if target.direction == TargetDirection.YES_NO and value not in (0, 1):
        raise DomainError(_("Answer yes (1) or no (0)."), field="value")
    if report.as_of_on > today:
        raise DomainError(_("The day of the value cannot be in the future."), field="as_of_on")
    start = target.campaign.period_start
    if start is not None and report.as_of_on.year < start.year - 1:
        raise DomainError(
            _("The day of the value is long before the campaign's period."), field="as_of_on"
        )
    if len(report.files) > MAX_EVIDENCE_FILES:
        raise DomainError(
            _("At most %(count)d files per report.", count=MAX_EVIDENCE_FILES), field="files"
        )
    return value


def report_value(target: Target, report: Report, *, actor: User, today: date) -> TargetValue:
    """Record a value of `target` as of a day, with its note and evidence files (checked by
    content, stored before the row); it waits for the secretariat. Audited."""
    if not can_report_value(actor, target):
        raise NotAllowed(_("You may not report values of this target."))
    value = _check_report(target, report, today)
    row = TargetValue(
        target=target,
        value=value,
        as_of_on=report.as_of_on,
        note=clean_multiline(report.note),
        state=ValueState.REPORTED,
        reported_by_id=actor.id,
    )
    db.session.add(row)
    for upload in report.files:
        name = _stored_name(upload.filename)
        try:
            content_type = storage.check_upload(upload.data, name)
        except DomainError as error:
            raise DomainError(error.message, field="files") from error
        stored = storage.store(upload.data, content_type)
        row.evidence.append(
            TargetEvidence(
                original_name=name,
                storage_key=stored.storage_key,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                uploaded_by_id=actor.id,
            )
        )
    db.session.flush()
    record(
        ObjectKind.TARGET,
        target.id,
        TargetAction.REPORTED,
        actor=actor,
        subject=describe_target(target),
        to_state=ValueState.REPORTED.value,
        comment=_value_comment(row),
    )
    return row


def _value_comment(row: TargetValue) -> str:
    files = ", ".join(e.original_name for e in row.evidence)
    text = f"{row.value.normalize():f} ({row.as_of_on.isoformat()})"
    return f"{text}; {files}" if files else text


def _flush_value() -> None:
    """Flush a decision on a value, or its withdrawal: another one made meanwhile (the row's
    version) is a ConcurrentUpdate."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentUpdate(
            _("Someone else decided on this value in the meantime. Reload the page.")
        ) from error


def _decide(value: TargetValue, state: ValueState, *, actor: User, reason: str) -> TargetValue:
    if value.state != ValueState.REPORTED:
        raise InvalidTransition(
            _(
                "This value is already “%(state)s”: it can no longer be confirmed or rejected.",
                state=value.state.label,
            )
        )
    if not can_decide_value(actor, value):
        raise NotAllowed(_("You may not confirm or reject values of this target."))
    value.state = state
    value.decided_by_id = actor.id
    value.decided_at = utcnow()
    value.reason = reason
    _flush_value()
    comment = _value_comment(value)
    _tell_reporter(value, actor)
    record(
        ObjectKind.TARGET,
        value.target_id,
        TargetAction.CONFIRMED if state == ValueState.CONFIRMED else TargetAction.REJECTED,
        actor=actor,
        subject=describe_target(value.target),
        from_state=ValueState.REPORTED.value,
        to_state=state.value,
        comment=f"{comment}: {reason}" if reason else comment,
        version=value.version,
    )
    return value


def _tell_reporter(value: TargetValue, actor: User) -> None:
    """Whoever reported the value learns the decision (and the reason of a rejection)."""
    reporter = value.reported_by
    if reporter.id == actor.id or not reporter.is_active:
        return
    target = value.target
    with force_locale(reporter.locale or "vi"):
        if value.state == ValueState.CONFIRMED:
            text = _(
                "The value of target %(code)s as of %(date)s has been confirmed.",
                code=target.code,
                date=value.as_of_on.strftime("%d/%m/%Y"),
            )
        else:
            text = _(
                "The value of target %(code)s as of %(date)s was not confirmed: %(reason)s",
                code=target.code,
                date=value.as_of_on.strftime("%d/%m/%Y"),
                reason=value.reason,
            )
    notify(
        reporter,
        kind=NotificationKind.GENERAL,
        text=text,
        link=app_path("targets.detail", target_id=target.id),
    )


def confirm_value(value: TargetValue, *, actor: User) -> TargetValue:
    """The secretariat confirms a reported value: it now counts for the target. Audited."""
    return _decide(value, ValueState.CONFIRMED, actor=actor, reason="")


def reject_value(value: TargetValue, *, actor: User, reason: str) -> TargetValue:
    """The secretariat rejects a reported value, with its reason; the unit may report again.
    Audited."""
    reason = clean_multiline(reason)
    if not reason:
        raise DomainError(_("Please give a reason."), field="reason")
    return _decide(value, ValueState.REJECTED, actor=actor, reason=reason)


def withdraw_value(value: TargetValue, *, actor: User) -> None:
    """The unit takes back a value still waiting for the secretariat (a figure typed wrong):
    the value and its files go, as a draft does; the audit log keeps what it was."""
    if value.state != ValueState.REPORTED:
        raise InvalidTransition(
            _(
                "This value is already “%(state)s”: it can no longer be withdrawn.",
                state=value.state.label,
            )
        )
    if not can_withdraw_value(actor, value):
        raise NotAllowed(_("You may not withdraw values of this target."))
    comment = _value_comment(value)
    target = value.target
    for item in value.evidence:
        storage.discard_after_commit(item.storage_key)
    db.session.delete(value)
    _flush_value()
    record(
        ObjectKind.TARGET,
        target.id,
        TargetAction.WITHDRAWN,
        actor=actor,
        subject=describe_target(target),
        from_state=ValueState.REPORTED.value,
        comment=comment,
    )


def save_bands(body: Unit, bands: list[Band], *, actor: User | None) -> list[TargetBand]:
    """Replace `body`'s classification rules with `bands`; audited under its settings (nothing
    is written when they are the same)."""
    names = [clean(band.name) for band in bands]
    if len(bands) < 2:
        raise DomainError(_("Give at least two classes."))
    if any(not name for name in names) or len(set(names)) != len(names):
        raise DomainError(_("Each class needs a name of its own."))
    own_minimum = _("Each class needs its own minimum, between 0 and 1000 %.")
    if any(not 0 <= band.min_percent <= 1000 for band in bands):
        raise DomainError(own_minimum)
    # Compared as stored (two decimals): 0.001 and 0 are the same minimum.
    minimums = [band.min_percent.quantize(CENT) for band in bands]
    if len(set(minimums)) != len(minimums):
        raise DomainError(own_minimum)
    existing = db.session.scalars(
        select(TargetBand).where(TargetBand.awarding_body_id == body.id)
    ).all()
    wanted = set(zip(names, minimums, strict=True))
    if {(row.name, row.min_percent) for row in existing} == wanted:
        return list(existing)
    db.session.execute(delete(TargetBand).where(TargetBand.awarding_body_id == body.id))
    rows = [
        TargetBand(awarding_body_id=body.id, name=name, min_percent=minimum)
        for name, minimum in zip(names, minimums, strict=True)
    ]
    db.session.add_all(rows)
    db.session.flush()
    record(
        ObjectKind.BODY_SETTINGS,
        body.id,
        BandAction.BANDS_CHANGED,
        actor=actor,
        subject=body.name,
        comment="; ".join(f"{r.name} ≥ {r.min_percent.normalize():f} %" for r in rows),
    )
    return rows
