"""Factories for tests, built through the services (units get their paths, award types their
checked codes). Each has defaults: `NominationFactory()` alone is a draft collective dossier of
a new commune's nominator, for a new hamlet, in an open campaign of a new district."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import current_app

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import hash_password
from recognition.campaigns.enums import (
    AwardKind,
    CampaignStatus,
    MeasureKind,
    NomineeKind,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.campaigns.services import (
    AwardTypeData,
    CampaignData,
    CriterionData,
    offer_award,
    save_award_type,
    save_campaign,
    save_criterion,
)
from recognition.campaigns.workflow import action_towards, apply_campaign_action
from recognition.clusters.enums import OfficerRole
from recognition.clusters.models import Cluster
from recognition.clusters.services import ClusterData, add_member, appoint_officer, save_cluster
from recognition.common.text import fold, sort_string
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.nominations.services import Nominee, create_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit
from recognition.units.workflow import dissolve_unit
from tests.conftest import PASSWORD


def _fitting_kind(parent: Unit | None) -> UnitKind:
    level = parent.kind.level if parent is not None else None
    if parent is None or (level is not None and level < 3):
        return UnitKind.COMMUNE
    return UnitKind.HAMLET if level == 3 else UnitKind.TEAM


class UnitFactory(factory.Factory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    # A kind its parent may hold: a commune at the top or under a province or district, a
    # hamlet under a commune, else a team (kind_fits).
    kind = factory.LazyAttribute(lambda o: _fitting_kind(o.parent))
    code = factory.Sequence(lambda n: f"T{n:05d}")
    parent = None
    is_awarding_body = False

    @classmethod
    def _create(cls, model_class: type[Unit], **kwargs: Any) -> Unit:
        parent = kwargs.pop("parent")
        return create_unit(UnitData(**kwargs), parent=parent)


def _password_hash() -> str:
    """A hash of the tests' password under the app's argon2 settings, made once per settings
    and process (a run makes thousands of users; each hash is salted and costs its time)."""
    return _hash_under(
        current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"]
    )


@cache
def _hash_under(_time_cost: int, _memory_cost: int) -> str:
    """`hash_password` reads the settings from the app; they are the key here."""
    return hash_password(PASSWORD)


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    full_name_folded = factory.LazyAttribute(lambda user: fold(user.full_name))
    full_name_sort = factory.LazyAttribute(lambda user: sort_string(user.full_name))
    password_hash = factory.LazyFunction(_password_hash)
    session_version = 1


class AwardingBodyFactory(UnitFactory):
    """A district that gives awards."""

    name = factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}")
    kind = UnitKind.DISTRICT
    is_awarding_body = True


def grant(user: User, role: Role, unit: Unit) -> RoleGrant:
    """Give `user` the `role` on `unit` (flushed)."""
    role_grant = RoleGrant(user=user, unit=unit, role=role.value)
    db.session.add(role_grant)
    db.session.flush()
    return role_grant


def user_with(role: Role, unit: Unit, **kwargs: Any) -> User:
    user = UserFactory(**kwargs)
    grant(user, role, unit)
    return user


def an_admin(unit: Unit) -> User:
    """A new administrator of the tree `unit` belongs to (the grant is on its root)."""
    root_id = int(unit.path.strip("/").split("/")[0])
    return user_with(Role.ADMIN, db.session.get(Unit, root_id) or unit)


def dissolve(unit: Unit, *, on: date) -> int:
    """Dissolve `unit` and its subtree as an administrator; returns how many units ended."""
    return dissolve_unit(unit, actor=an_admin(unit), on=on)


# --- the award catalogue, campaigns and dossiers (built through their services) --------------


# The council's rule the law sets for Chiến sĩ thi đua cơ sở (NĐ 98/2023 art. 30(7)): a title
# of that standard keeps at least it.
LAW_VOTE: dict[str, Any] = {
    "vote_method": VoteMethod.SECRET_BALLOT,
    "vote_threshold_percent": Decimal(80),
    "vote_base": VoteBase.ALL_MEMBERS,
}


class AwardTypeFactory(factory.Factory):
    """An award type of `awarding_body`, saved by `save_award_type` (codes are checked)."""

    class Meta:
        model = AwardType

    awarding_body = factory.SubFactory(AwardingBodyFactory)
    code = factory.Sequence(lambda n: f"AT{n}")
    name = factory.Sequence(lambda n: f"Danh hiệu thử {n}")
    certificate_title = "GIẤY KHEN"
    kind = AwardKind.COMMENDATION
    nominee_kind = NomineeKind.COLLECTIVE
    eligible_unit_kinds = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class: type[AwardType], **kwargs: Any) -> AwardType:
        body = kwargs.pop("awarding_body")
        return save_award_type(None, AwardTypeData(**kwargs), awarding_body=body)


class CriterionFactory(factory.Factory):
    """A criterion appended to `award_type` by `save_criterion`."""

    class Meta:
        model = Criterion

    award_type = factory.SubFactory(AwardTypeFactory)
    code = factory.Sequence(lambda n: f"TC{n}")
    text = factory.Sequence(lambda n: f"Tiêu chí thử {n}")
    measure = MeasureKind.YES_NO
    required = True
    evidence_required = False

    @classmethod
    def _create(cls, model_class: type[Criterion], **kwargs: Any) -> Criterion:
        award_type = kwargs.pop("award_type")
        return save_criterion(award_type, None, CriterionData(**kwargs))


class CampaignFactory(factory.Factory):
    """A campaign of `awarding_body` offering `awards` (no quota), moved to `status` through
    its lifecycle (draft → open → closed → archived) by `actor` (default: a new administrator,
    made only when the campaign has to move)."""

    class Meta:
        model = Campaign

    awarding_body = factory.SubFactory(AwardingBodyFactory)
    name = factory.Sequence(lambda n: f"Phong trào thi đua thử {n}")
    opens_on = date(2025, 6, 1)
    closes_on = date(2025, 6, 30)
    awards = factory.LazyFunction(list)
    status = CampaignStatus.DRAFT
    actor = None

    @classmethod
    def _create(cls, model_class: type[Campaign], **kwargs: Any) -> Campaign:
        body = kwargs.pop("awarding_body")
        awards = kwargs.pop("awards")
        status = CampaignStatus(kwargs.pop("status"))
        actor = kwargs.pop("actor")
        campaign = save_campaign(None, CampaignData(**kwargs), awarding_body=body)
        for award in awards:
            offer_award(campaign, award, quota=None)
        path = [CampaignStatus.OPEN, CampaignStatus.CLOSED, CampaignStatus.ARCHIVED]
        for step in path[: path.index(status) + 1] if status in path else []:
            actor = actor or user_with(Role.ADMIN, body)
            move_campaign(campaign, step, actor=actor)
        return campaign


def move_campaign(campaign: Campaign, status: CampaignStatus, *, actor: User) -> None:
    """Move `campaign` to `status` by the one action that leads there from where it is."""
    action = action_towards(campaign, status)
    assert action is not None, f"no action takes a {campaign.status} campaign to {status}"
    apply_campaign_action(campaign, action, actor=actor)


class NominationFactory(factory.Factory):
    """A draft dossier made by `actor` through `create_nomination`: pass `nominee_unit` for a
    collective, or the `person_*` fields for an individual.

    Defaults: an open campaign of a new district offering a new collective award type, a new
    commune of that district whose new nominator is the actor, and a new hamlet of the commune
    as the nominee."""

    class Meta:
        model = Nomination

    campaign = factory.SubFactory(
        CampaignFactory,
        status=CampaignStatus.OPEN,
        opens_on=factory.LazyFunction(lambda: local_today() - timedelta(days=10)),
        closes_on=factory.LazyFunction(lambda: local_today() + timedelta(days=30)),
        awards=factory.LazyAttribute(
            lambda campaign: [AwardTypeFactory(awarding_body=campaign.awarding_body)]
        ),
    )
    award_type = factory.LazyAttribute(lambda dossier: dossier.campaign.offers[0].award_type)
    actor = factory.LazyAttribute(
        lambda dossier: user_with(
            Role.NOMINATOR,
            # A commune under a district or province, a hamlet under a commune (kind_fits).
            UnitFactory(parent=dossier.campaign.awarding_body),
        )
    )
    nominee_unit = factory.LazyAttribute(
        lambda dossier: (
            None if dossier.person_name else UnitFactory(parent=dossier.actor.grants[0].unit)
        )
    )
    person_name = ""
    person_position = ""
    person_unit = None
    person_birth_year = None
    person_gender = None
    # The report's summary, which submitting requires (set as the draft's text, not an edit).
    summary = "Tóm tắt thành tích"

    @classmethod
    def _create(cls, model_class: type[Nomination], **kwargs: Any) -> Nomination:
        nominee = Nominee(
            unit=kwargs["nominee_unit"],
            person_name=kwargs["person_name"],
            person_position=kwargs["person_position"],
            person_unit=kwargs["person_unit"],
            person_birth_year=kwargs["person_birth_year"],
            person_gender=kwargs["person_gender"],
        )
        nomination = create_nomination(
            kwargs["campaign"], kwargs["award_type"], nominee, actor=kwargs["actor"]
        )
        nomination.summary = kwargs["summary"]
        db.session.flush()
        return nomination


def cluster_of(
    body: Unit,
    members: list[Unit],
    *,
    actor: User,
    year: int = 2026,
    name: str = "Cụm thi đua số 1",
) -> Cluster:
    """A cluster of `body` for `year` with `members`, made through the cluster services; the
    first member leads it all year."""
    cluster = save_cluster(None, ClusterData(name=name, year=year), awarding_body=body, actor=actor)
    for unit in members:
        add_member(cluster, unit, actor=actor)
    appoint_officer(
        cluster,
        members[0],
        OfficerRole.LEAD,
        valid_from=date(year, 1, 1),
        valid_to=date(year, 12, 31),
        actor=actor,
    )
    return cluster
