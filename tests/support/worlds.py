"""One builder for the scenery the tests need: a tree of units, an awarding body with its
secretariat, chair and council member, nominators, and a campaign offering award types with
their criteria. Everything is made through the services (via the factories).

`build_world(spec)` takes a `WorldSpec`; the test packages describe theirs as one (the
workflow tests' scene, the dossier tests' world) and read the result through their own
dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus, MeasureKind, NomineeKind
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    UnitFactory,
    user_with,
)


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    kind: UnitKind
    parent: str | None = None  # the key of the parent unit
    awarding_body: bool = False


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    code: str
    text: str
    measure: MeasureKind = MeasureKind.YES_NO
    required: bool = True
    evidence_required: bool = False
    target: Decimal | None = None


@dataclass(frozen=True)
class AwardSpec:
    key: str
    code: str
    name: str
    nominee_kind: NomineeKind = NomineeKind.COLLECTIVE
    criteria: tuple[CriterionSpec, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)  # further AwardTypeFactory fields


@dataclass(frozen=True)
class UserSpec:
    key: str
    role: Role
    unit: str  # the key of the unit the role is held on
    full_name: str | None = None


@dataclass(frozen=True)
class WorldSpec:
    units: tuple[UnitSpec, ...]
    body: str  # the key of the campaign's awarding body
    awards: tuple[AwardSpec, ...]
    users: tuple[UserSpec, ...]
    campaign_name: str
    opens_on: date
    closes_on: date
    locale: str = "en"


@dataclass
class World:
    units: dict[str, Unit]
    awards: dict[str, AwardType]
    criteria: dict[str, Criterion]
    users: dict[str, User]
    campaign: Campaign


def build_world(spec: WorldSpec) -> World:
    """The units (parents first, in the spec's order), the award types and their criteria,
    the open campaign offering them, and one user per `UserSpec`."""
    units: dict[str, Unit] = {}
    for unit in spec.units:
        units[unit.key] = UnitFactory(
            name=unit.name,
            kind=unit.kind,
            is_awarding_body=unit.awarding_body,
            parent=units[unit.parent] if unit.parent else None,
        )
    awards: dict[str, AwardType] = {}
    criteria: dict[str, Criterion] = {}
    for award in spec.awards:
        awards[award.key] = AwardTypeFactory(
            awarding_body=units[spec.body],
            code=award.code,
            name=award.name,
            nominee_kind=award.nominee_kind,
            **award.options,
        )
        for criterion in award.criteria:
            extra = {} if criterion.target is None else {"target": criterion.target}
            criteria[criterion.key] = CriterionFactory(
                award_type=awards[award.key],
                code=criterion.code,
                text=criterion.text,
                measure=criterion.measure,
                required=criterion.required,
                evidence_required=criterion.evidence_required,
                **extra,
            )
    campaign = CampaignFactory(
        awarding_body=units[spec.body],
        name=spec.campaign_name,
        opens_on=spec.opens_on,
        closes_on=spec.closes_on,
        awards=list(awards.values()),
        status=CampaignStatus.OPEN,
    )
    users = {}
    for user in spec.users:
        names = {} if user.full_name is None else {"full_name": user.full_name}
        users[user.key] = user_with(user.role, units[user.unit], locale=spec.locale, **names)
    return World(units=units, awards=awards, criteria=criteria, users=users, campaign=campaign)
