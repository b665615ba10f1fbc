"""Reading a movement's targets with their latest confirmed values and classes, the summary
("3/27 chỉ tiêu đạt và vượt, …") per movement and per responsible unit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from recognition.auth.models import User
from recognition.campaigns.models import Campaign
from recognition.campaigns.queries import campaigns_for_user
from recognition.extensions import db
from recognition.targets.enums import ClassKind, TargetSector, ValueState
from recognition.targets.models import Target, TargetBand, TargetValue
from recognition.targets.rules import (
    DEFAULT_BANDS,
    Band,
    Classification,
    Summary,
    classify,
    summarise,
)
from recognition.units.models import Unit


def bands_of(body: Unit) -> list[Band]:
    """The body's classification rules, highest first; the story's defaults if it has none."""
    rows = db.session.scalars(
        select(TargetBand)
        .where(TargetBand.awarding_body_id == body.id)
        .order_by(TargetBand.min_percent.desc())
    ).all()
    if not rows:
        return list(DEFAULT_BANDS)
    return [Band(row.name, row.min_percent) for row in rows]


@dataclass(frozen=True)
class TargetRow:
    """A target as the pages show it: its latest confirmed value, class, and how many reported
    values wait for the secretariat."""

    target: Target
    latest: TargetValue | None
    classification: Classification
    pending: int


def classify_target(
    target: Target, latest: TargetValue | None, bands: list[Band]
) -> Classification:
    end = target.campaign.period_end
    return classify(
        direction=target.direction,
        timing=target.timing,
        target=target.target_value,
        baseline=target.baseline,
        latest=latest.value if latest is not None else None,
        at_term_end=latest is not None and end is not None and latest.as_of_on >= end,
        bands=bands,
    )


def _latest_confirmed(target_ids: list[int]) -> dict[int, TargetValue]:
    """Each target's latest confirmed value (the latest day; of one day, the last decided)."""
    if not target_ids:
        return {}
    values = db.session.scalars(
        select(TargetValue)
        .where(TargetValue.target_id.in_(target_ids), TargetValue.state == ValueState.CONFIRMED)
        .order_by(TargetValue.as_of_on, TargetValue.decided_at, TargetValue.id)
    )
    return {value.target_id: value for value in values}


def _pending(target_ids: list[int]) -> dict[int, int]:
    if not target_ids:
        return {}
    rows = db.session.execute(
        select(TargetValue.target_id, func.count(TargetValue.id))
        .where(TargetValue.target_id.in_(target_ids), TargetValue.state == ValueState.REPORTED)
        .group_by(TargetValue.target_id)
    )
    return {target_id: count for target_id, count in rows}


def target_rows_of(campaign: Campaign, bands: list[Band]) -> list[TargetRow]:
    """The campaign's targets in their order, classified (a constant number of queries)."""
    targets = db.session.scalars(
        select(Target)
        .where(Target.campaign_id == campaign.id)
        .options(selectinload(Target.responsible_unit))
        .order_by(Target.position, Target.id)
    ).all()
    ids = [target.id for target in targets]
    latest, pending = _latest_confirmed(ids), _pending(ids)
    return [
        TargetRow(
            target,
            latest.get(target.id),
            classify_target(target, latest.get(target.id), bands),
            pending.get(target.id, 0),
        )
        for target in targets
    ]


def by_sector(rows: list[TargetRow]) -> list[tuple[TargetSector, list[TargetRow]]]:
    """The rows grouped by sector, in the sectors' order, leaving out empty sectors."""
    return [
        (sector, [row for row in rows if row.target.sector == sector])
        for sector in TargetSector
        if any(row.target.sector == sector for row in rows)
    ]


def summary_of(rows: list[TargetRow], bands: list[Band]) -> Summary:
    return summarise((row.classification for row in rows), bands)


def summaries_by_unit(rows: list[TargetRow], bands: list[Band]) -> list[tuple[Unit, Summary]]:
    """One summary per responsible unit, by the unit's name."""
    units: dict[int, Unit] = {
        row.target.responsible_unit_id: row.target.responsible_unit for row in rows
    }
    ordered = sorted(units.values(), key=lambda unit: (unit.depth, unit.name_sort))
    return [
        (unit, summary_of([r for r in rows if r.target.responsible_unit_id == unit.id], bands))
        for unit in ordered
    ]


def summary_sentence(summary: Summary) -> str:
    """The summary as an assessment writes it: "3/27 chỉ tiêu đạt và vượt, …, 2 chỉ tiêu đánh
    giá cuối nhiệm kỳ" (classes with no target are left out)."""
    parts = []
    for count in summary.counts:
        if not count.count:
            continue
        if count.kind == ClassKind.TERM_END:
            parts.append(
                ngettext(
                    "%(num)d target assessed at the end of the term",
                    "%(num)d targets assessed at the end of the term",
                    count.count,
                )
            )
        elif count.kind == ClassKind.NOT_REPORTED:
            parts.append(
                ngettext(
                    "%(num)d target with no confirmed value yet",
                    "%(num)d targets with no confirmed value yet",
                    count.count,
                )
            )
        else:
            parts.append(
                _(
                    "%(count)d/%(total)d targets %(band)s",
                    count=count.count,
                    total=summary.total,
                    band=count.label,
                )
            )
    if not parts:
        return _("No targets yet.")
    return ", ".join(parts) + "."


@dataclass(frozen=True)
class CampaignTargets:
    campaign: Campaign
    count: int


def campaigns_with_targets(user: User) -> list[CampaignTargets]:
    """The campaigns the user can see, with how many targets each has."""
    campaigns = campaigns_for_user(user)
    ids = [campaign.id for campaign in campaigns]
    counts: dict[int, int] = {}
    if ids:
        rows = db.session.execute(
            select(Target.campaign_id, func.count(Target.id))
            .where(Target.campaign_id.in_(ids))
            .group_by(Target.campaign_id)
        )
        counts = {campaign_id: count for campaign_id, count in rows}
    return [CampaignTargets(c, counts.get(c.id, 0)) for c in campaigns]


def values_of(target: Target) -> list[TargetValue]:
    """A target's values, latest day first, with who reported and decided, and the files."""
    return list(
        db.session.scalars(
            select(TargetValue)
            .where(TargetValue.target_id == target.id)
            .options(
                selectinload(TargetValue.evidence),
                selectinload(TargetValue.reported_by),
                selectinload(TargetValue.decided_by),
            )
            .order_by(TargetValue.as_of_on.desc(), TargetValue.id.desc())
        )
    )


def responsible_choices(campaign: Campaign) -> list[tuple[int, str]]:
    """(id, name) of the active units of the campaign's body (the body first), by depth."""
    body = campaign.awarding_body
    rows = db.session.execute(
        select(Unit.id, Unit.name)
        .where(Unit.path.startswith(body.path), Unit.is_active, Unit.depth <= body.depth + 2)
        .order_by(Unit.depth, Unit.name_sort)
    )
    return [(row.id, row.name) for row in rows]
