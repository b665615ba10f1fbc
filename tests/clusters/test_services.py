"""Clusters: membership, the rotation, the scoring table, scores, locking and proposing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from recognition.clusters.enums import ClusterAction, OfficerRole
from recognition.clusters.permissions import lead_unit, officer_on
from recognition.clusters.proposals import Proposal, propose_awards
from recognition.clusters.queries import history_of, ranking_of, standing_of
from recognition.clusters.services import (
    ClusterData,
    InvalidPoints,
    ScoreEntry,
    add_member,
    appoint_officer,
    lock_result,
    save_agreed_scores,
    save_cluster,
    save_self_scores,
)
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Attachment, Nomination
from recognition.units.models import Unit
from tests.clusters.world import World, build
from tests.support.factories import AwardTypeFactory, UnitFactory

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    return build()


def agreed(
    world: World, points: dict[str, list[str]], votes: list[int | None] | None = None
) -> None:
    """Record agreed points per line code, one value per member in order, as the lead."""
    lead = world.officers[0]
    for index, member in enumerate(world.cluster.members_by_order if False else ordered(world)):
        entries = {
            world.lines[code].id: ScoreEntry(points=values[index])
            for code, values in points.items()
        }
        save_agreed_scores(member, entries, votes=(votes or [None] * 3)[index], actor=lead)


def ordered(world: World) -> list:  # type: ignore[type-arg]
    by_unit = {m.unit_id: m for m in world.cluster.members}
    return [by_unit[c.id] for c in world.communes]


def events(world: World) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.object_kind == ObjectKind.CLUSTER,
                AuditEvent.object_id == world.cluster.id,
            )
            .order_by(AuditEvent.id)
        )
    )


def test_a_criterion_with_sub_items_is_worth_their_sum(world: World) -> None:
    assert (world.lines["TC1"].max_points, [i.code for i in world.lines["TC1"].items]) == (
        Decimal("15.5"),
        ["1.1", "1.2"],
    )


def test_who_led_on_a_given_day(world: World) -> None:
    year = world.cluster.year
    lead = world.communes[0]
    # The deputy changes in mid-year: each half has its own.
    appoint_officer(
        world.cluster,
        world.communes[1],
        OfficerRole.DEPUTY,
        valid_from=date(year, 1, 1),
        valid_to=date(year, 6, 30),
        actor=world.secretariat,
    )
    appoint_officer(
        world.cluster,
        world.communes[2],
        OfficerRole.DEPUTY,
        valid_from=date(year, 7, 1),
        valid_to=None,
        actor=world.secretariat,
    )
    deputies = [officer_on(world.cluster, OfficerRole.DEPUTY, date(year, m, 15)) for m in (3, 9)]
    assert (lead_unit(world.cluster, date(year, 5, 1)), [d.unit.name for d in deputies if d]) == (
        lead,
        ["Xã Chợ Lách", "Xã Vĩnh Thành"],
    )


def test_overlapping_periods_of_one_role_are_refused(world: World) -> None:
    year = world.cluster.year
    with pytest.raises(DomainError) as refused:
        appoint_officer(
            world.cluster,
            world.communes[1],
            OfficerRole.LEAD,
            valid_from=date(year, 6, 1),
            valid_to=None,
            actor=world.secretariat,
        )
    assert refused.value.field == "valid_from"


def test_a_unit_outside_the_body_cannot_join(world: World) -> None:
    stranger = UnitFactory(name="Xã Ngoài Tỉnh")
    with pytest.raises(DomainError) as refused:
        add_member(world.cluster, stranger, actor=world.secretariat)
    assert refused.value.field == "unit_id"


def test_only_the_secretariat_keeps_the_cluster(world: World) -> None:
    with pytest.raises(NotAllowed):
        save_cluster(
            world.cluster,
            ClusterData(name="Đổi tên", year=world.cluster.year),
            awarding_body=world.province,
            actor=world.officers[0],
        )


def test_unknown_tie_break_rules_are_refused_on_their_field(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        save_cluster(
            world.cluster,
            ClusterData(name="Cụm", year=world.cluster.year, tie_breaks=("criterion:XX",)),
            awarding_body=world.province,
            actor=world.secretariat,
        )
    assert refused.value.field == "tie_breaks"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("11", "At most 10.0 points."),
        ("-1", "Points cannot be negative."),
        ("7.25", "Points are given to one decimal place."),
        ("bảy", "Enter a number of points, such as 7.5."),
        ("NaN", "Enter a number of points, such as 7.5."),
    ],
)
def test_points_are_checked_against_the_maximum_per_field(
    world: World, typed: str, message: str
) -> None:
    member = ordered(world)[0]
    line = world.lines["1.1"]
    with pytest.raises(InvalidPoints) as refused:
        save_self_scores(
            member,
            {line.id: ScoreEntry(points=typed), world.lines["TC2"].id: ScoreEntry(points="12,5")},
            actor=world.officers[0],
        )
    assert refused.value.errors == {f"p{line.id}": message}


def test_a_member_scores_only_itself(world: World) -> None:
    with pytest.raises(NotAllowed):
        save_self_scores(
            ordered(world)[1],
            {world.lines["TC2"].id: ScoreEntry(points="5")},
            actor=world.officers[0],
        )


def test_self_scores_are_kept_with_note_and_evidence_and_audited(world: World) -> None:
    member = ordered(world)[1]
    changed = save_self_scores(
        member,
        {
            world.lines["TC2"].id: ScoreEntry(
                points="18,5", note="Đạt 100 %", evidence="Báo cáo số 12/BC-UBND"
            )
        },
        actor=world.officers[1],
    )
    score = member.scores[0]
    assert (changed, score.self_points, score.self_note, score.evidence, events(world)[-1]) == (
        1,
        Decimal("18.5"),
        "Đạt 100 %",
        "Báo cáo số 12/BC-UBND",
        ClusterAction.SELF_SCORE,
    )


def test_only_the_lead_records_the_agreed_score(world: World) -> None:
    with pytest.raises(NotAllowed):
        save_agreed_scores(
            ordered(world)[0],
            {world.lines["TC2"].id: ScoreEntry(points="5")},
            votes=None,
            actor=world.officers[1],
        )


def test_deductions_are_subtracted_and_the_total_ranks(world: World) -> None:
    agreed(
        world,
        {
            "1.1": ["9", "10", "8"],
            "1.2": ["5", "5.5", "5"],
            "TC2": ["18", "19", "20"],
            "TR": ["0", "1", "0"],
        },
    )
    rows = ranking_of(world.cluster)
    assert [(r.ranked.rank, r.member.unit_name, r.ranked.standing.total) for r in rows] == [
        (1, "Xã Chợ Lách", Decimal("33.5")),
        (2, "Xã Vĩnh Thành", Decimal("33.0")),
        (3, "Xã Phú Phụng", Decimal("32.0")),
    ]


def test_lock_needs_every_agreed_score(world: World) -> None:
    agreed(world, {"1.1": ["9", "10", "8"], "1.2": ["5", "5", "5"], "TC2": ["18", "19", "20"]})
    with pytest.raises(DomainError) as refused:
        lock_result(world.cluster, actor=world.officers[0])
    # Each unit is named with the lines it lacks (here the deduction line), so the lead finds
    # the empty boxes although the ranking already shows a total.
    assert refused.value.message == (
        "The agreed score is missing for: Xã Chợ Lách (TR), Xã Phú Phụng (TR), Xã Vĩnh Thành (TR)."
    )
    agreed(world, {"TR": ["0", "1", None]})
    with pytest.raises(DomainError) as still:
        lock_result(world.cluster, actor=world.officers[0])
    assert still.value.message == "The agreed score is missing for: Xã Vĩnh Thành (TR)."


def _scored_and_locked(world: World) -> None:
    agreed(
        world,
        {
            "1.1": ["10", "9", "8"],
            "1.2": ["5", "5", "5"],
            "TC2": ["20", "19", "18"],
            "TR": ["0", "0", "1"],
        },
    )
    lock_result(world.cluster, actor=world.officers[0])


def test_a_locked_result_refuses_changes(world: World) -> None:
    _scored_and_locked(world)
    with pytest.raises(NotAllowed):
        save_self_scores(
            ordered(world)[0],
            {world.lines["TC2"].id: ScoreEntry(points="1")},
            actor=world.officers[0],
        )
    assert events(world)[-1] == ClusterAction.LOCK


def test_the_result_becomes_draft_dossiers_with_the_table_attached(world: World) -> None:
    _scored_and_locked(world)
    made = propose_awards(
        world.cluster,
        Proposal(world.campaign, world.flag, world.diploma, next_count=1),
        actor=world.province_nominator,
    )
    files = [
        db.session.scalars(select(Attachment).where(Attachment.nomination_id == n.id)).one()
        for n in made
    ]
    assert [(n.nominee_name, n.award_type.code, n.state) for n in made] == [
        ("Xã Phú Phụng", "CO-THI-DUA", NominationState.DRAFT),
        ("Xã Chợ Lách", "BK-TT", NominationState.DRAFT),
    ]
    assert [f.content_type for f in files] == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ] * 2
    assert made[0].summary.startswith("Ranked 1 of 3 in Cụm thi đua số 1")
    assert events(world)[-1] == ClusterAction.NOMINATE


def test_proposing_twice_is_refused(world: World) -> None:
    _scored_and_locked(world)
    proposal = Proposal(world.campaign, world.flag, world.diploma, next_count=1)
    propose_awards(world.cluster, proposal, actor=world.province_nominator)
    with pytest.raises(DomainError):
        propose_awards(world.cluster, proposal, actor=world.province_nominator)


@pytest.mark.parametrize(
    ("which", "next_count", "field"),
    [
        ("first", 1, "first_award_id"),
        ("next", 1, "next_award_id"),
        ("next", 0, None),  # no next units: the next title is not used, so not checked
    ],
)
def test_a_title_the_campaign_does_not_offer_is_refused_on_its_field(
    world: World, which: str, next_count: int, field: str | None
) -> None:
    _scored_and_locked(world)
    other = AwardTypeFactory(awarding_body=world.province, code="BK-KHAC")
    first, second = (other, world.diploma) if which == "first" else (world.flag, other)
    proposal = Proposal(world.campaign, first, second, next_count=next_count)
    if field is None:
        made = propose_awards(world.cluster, proposal, actor=world.province_nominator)
        assert [n.award_type.code for n in made] == ["CO-THI-DUA"]
        return
    with pytest.raises(DomainError) as refused:
        propose_awards(world.cluster, proposal, actor=world.province_nominator)
    assert (refused.value.field, db.session.scalar(select(db.func.count(Nomination.id)))) == (
        field,
        0,
    )


def test_a_lead_who_cannot_nominate_the_others_is_refused_by_the_nominations_service(
    world: World,
) -> None:
    _scored_and_locked(world)
    with pytest.raises(NotAllowed):
        propose_awards(
            world.cluster,
            Proposal(world.campaign, world.flag, world.diploma, next_count=1),
            actor=world.officers[0],
        )
    assert db.session.scalar(select(db.func.count(Nomination.id))) == 0


def test_a_merged_unit_s_results_show_under_its_successor(world: World) -> None:
    _scored_and_locked(world)
    old = world.communes[2]
    successor = UnitFactory(name="Xã Vĩnh Thành Mới", parent=world.province)
    old.state, old.successor = "merged", successor  # as units.workflow.merge leaves it
    db.session.flush()
    results = history_of(db.session.get(Unit, successor.id))  # type: ignore[arg-type]
    assert [(r.member.unit_name, r.rank, r.of_count, r.total) for r in results] == [
        ("Xã Vĩnh Thành", 3, 3, Decimal("30.0"))
    ]
    assert standing_of(world.cluster, results[0].member).deductions == Decimal("1.0")
