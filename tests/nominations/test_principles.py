"""The principles of NĐ 152/2025/NĐ-CP art. 4 and TT 15/2025/TT-BNV in a dossier's submission:
sudden and thematic awards do not count towards merit awards, and no dossier is made or
submitted for a merged or dissolved unit, or for a person of one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.enums import AwardOccasion, CampaignStatus, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import (
    Collective,
    Nominee,
    Report,
    create_nomination,
    update_nomination,
)
from recognition.nominations.workflow import apply_transition
from recognition.units.enums import UnitKind
from recognition.units.workflow import merge_unit
from tests.nominations import INSIDE, World, build_world, fill_in
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    NominationFactory,
    UnitFactory,
    an_admin,
    dissolve,
)

pytestmark = pytest.mark.integration

S = NominationState
A = Action


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def person(world: World, name: str, *, award: AwardType, campaign=None, unit=None) -> Nomination:  # type: ignore[no-untyped-def]
    return NominationFactory(
        campaign=campaign or world.campaign,
        award_type=award,
        actor=world.nominator_a,
        person_name=name,
        person_unit=unit or world.commune_a,
        person_birth_year=1980,
        person_gender=Gender.MALE,
    )


def award_in(world: World, year: int, *, simplified: bool = False) -> Nomination:
    """Trần Văn Bền awarded Lao động tiên tiến in `year`, by a council vote or by the
    simplified procedure."""
    campaign = CampaignFactory(
        awarding_body=world.body,
        name=f"Năm {year}",
        opens_on=date(year, 6, 1),
        closes_on=date(year, 6, 30),
        awards=[world.person_award],
        status=CampaignStatus.OPEN,
    )
    nomination = person(world, "Trần Văn Bền", award=world.person_award, campaign=campaign)
    day = date(year, 6, 15)
    apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=day)
    apply_transition(nomination, A.TAKE, actor=world.secretariat, today=day)
    apply_transition(nomination, A.ACCEPT, actor=world.secretariat, today=day)
    if simplified:
        apply_transition(nomination, A.PASS_SIMPLIFIED, actor=world.chair, today=day)
    else:
        apply_transition(nomination, A.SCHEDULE, actor=world.secretariat, today=day)
        apply_transition(nomination, A.CLOSE_VOTE, actor=world.chair, outcome=S.PASSED, today=day)
    apply_transition(nomination, A.AWARD, actor=world.chair, today=day)
    return nomination


def senior_title(world: World) -> AwardType:
    """A title that needs Lao động tiên tiến in each of the 2 years before."""
    senior = AwardTypeFactory(
        awarding_body=world.body,
        code="CSTD-2",
        name="Chiến sĩ thi đua (hai năm)",
        nominee_kind=NomineeKind.INDIVIDUAL,
        history_award=world.person_award,
        history_years=2,
    )
    offer_award(world.campaign, senior, quota=None)
    return senior


def submit_refusal(nomination: Nomination, world: World) -> str:
    with pytest.raises(DomainError) as refused:
        apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=INSIDE)
    assert nomination.state == S.DRAFT
    return refused.value.message


EXCLUDED = (
    " Sudden and thematic awards, and awards by the simplified procedure, do not count "
    "towards merit awards (NĐ 152/2025/NĐ-CP, art. 4)."
)


# --- sudden and thematic awards do not count towards merit awards ----------------------------


def test_regular_awards_by_council_vote_count_towards_the_history(world: World) -> None:
    senior = senior_title(world)
    award_in(world, 2023)
    award_in(world, 2024)
    nomination = person(world, "Trần Văn Bền", award=senior)

    apply_transition(nomination, A.SUBMIT, actor=world.nominator_a, today=INSIDE)

    assert nomination.state == S.SUBMITTED


@pytest.mark.parametrize("occasion", [AwardOccasion.SUDDEN, AwardOccasion.THEMATIC])
def test_sudden_and_thematic_awards_do_not_count(world: World, occasion: AwardOccasion) -> None:
    senior = senior_title(world)
    award_in(world, 2023)
    award_in(world, 2024)
    world.person_award.occasion = occasion
    db.session.flush()
    nomination = person(world, "Trần Văn Bền", award=senior)

    assert submit_refusal(nomination, world) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2023, 2024." + EXCLUDED
    )


def test_an_award_passed_by_the_simplified_procedure_does_not_count(world: World) -> None:
    world.person_award.simplified_allowed = True
    db.session.flush()
    senior = senior_title(world)
    award_in(world, 2023)
    award_in(world, 2024, simplified=True)
    nomination = person(world, "Trần Văn Bền", award=senior)

    assert submit_refusal(nomination, world) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2024." + EXCLUDED
    )


def test_a_new_award_type_is_regular(world: World) -> None:
    assert world.person_award.occasion == AwardOccasion.REGULAR


# --- no nomination of a merged or dissolved unit (TT 15/2025/TT-BNV) -------------------------


def test_create_refused_for_a_merged_unit_names_its_successor(world: World) -> None:
    successor = UnitFactory(name="Ấp Phú Hữu Mới", kind=UnitKind.HAMLET, parent=world.commune_a)
    merge_unit(world.hamlet_a, successor=successor, actor=an_admin(world.body), on=date(2025, 7, 1))

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign, world.team_award, Nominee(unit=world.hamlet_a), actor=world.nominator_a
        )

    assert (refused.value.message, refused.value.field) == (
        "Ấp Phú Hữu was merged into Ấp Phú Hữu Mới: a merged or dissolved unit cannot be "
        "nominated, nor can a person of one (TT 15/2025/TT-BNV). Nominate under Ấp Phú Hữu "
        "Mới instead.",
        "nominee_unit_id",
    )


def test_create_refused_for_a_person_of_a_dissolved_unit(world: World) -> None:
    dissolve(world.hamlet_a, on=date(2025, 1, 1))

    with pytest.raises(DomainError) as refused:
        create_nomination(
            world.campaign,
            world.person_award,
            Nominee(person_name="Nguyễn Thị Hoa", person_unit=world.hamlet_a),
            actor=world.nominator_a,
        )

    assert (refused.value.message, refused.value.field) == (
        "Ấp Phú Hữu has been dissolved: a merged or dissolved unit cannot be nominated, nor can "
        "a person of one (TT 15/2025/TT-BNV).",
        "person_unit_id",
    )


def test_submit_refused_when_the_unit_was_dissolved_after_the_draft(world: World) -> None:
    nomination = fill_in(
        NominationFactory(
            campaign=world.campaign,
            award_type=world.team_award,
            actor=world.nominator_a,
            nominee_unit=world.hamlet_a,
        ),
        world,
        world.nominator_a,
    )
    dissolve(world.hamlet_a, on=date(2025, 6, 10))

    assert submit_refusal(nomination, world) == (
        "Ấp Phú Hữu has been dissolved: a merged or dissolved unit cannot be nominated, nor can "
        "a person of one (TT 15/2025/TT-BNV)."
    )


def test_submit_refused_when_the_persons_unit_was_merged(world: World) -> None:
    nomination = person(world, "Nguyễn Văn An", award=world.person_award, unit=world.hamlet_a)
    successor = UnitFactory(name="Ấp Phú Hữu Mới", kind=UnitKind.HAMLET, parent=world.commune_a)
    merge_unit(world.hamlet_a, successor=successor, actor=an_admin(world.body), on=INSIDE)

    assert submit_refusal(nomination, world) == (
        "Ấp Phú Hữu was merged into Ấp Phú Hữu Mới: a merged or dissolved unit cannot be "
        "nominated, nor can a person of one (TT 15/2025/TT-BNV). Nominate under Ấp Phú Hữu "
        "Mới instead."
    )


def test_the_unit_picker_leaves_out_merged_and_dissolved_units(login, world: World) -> None:  # type: ignore[no-untyped-def]
    dissolve(world.hamlet_a, on=date(2025, 1, 1))
    client = login(world.nominator_a)

    page = client.get(f"/nominations/new/{world.campaign.id}").get_data(as_text=True)

    assert ("Xã Sơn Định" in page, "Ấp Phú Hữu" in page) == (True, False)


# --- a collective's share of women -----------------------------------------------------------


def test_a_collectives_share_of_women_is_saved_and_checked(world: World) -> None:
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=world.team_award,
        actor=world.nominator_a,
        nominee_unit=world.hamlet_a,
    )
    changed = update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        {},
        actor=world.nominator_a,
        collective=Collective(75),
    )
    with pytest.raises(DomainError) as refused:
        update_nomination(
            nomination,
            Report(summary="Tóm tắt thành tích"),
            {},
            actor=world.nominator_a,
            collective=Collective(101),
        )

    assert (changed, nomination.women_percent, refused.value.field) == (
        ["women_percent"],
        75,
        "women_percent",
    )
