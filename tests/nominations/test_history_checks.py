"""The eligibility checks read the award history: records of decisions issued here and of
earlier awards imported, across a merger of the nominee's unit, withdrawn ones left out; and
one achievement, one award warns about an award of the same title for the same year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.enums import NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.history.lookup import matches_award, standard_from_name
from recognition.history.models import AwardRecord
from recognition.history.services import EarlierAward, import_awards
from recognition.law.enums import AwardStandard
from recognition.nominations.enums import Action, Gender, NominationState
from recognition.nominations.history_guards import history_problem, same_achievement_warning
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.units.models import Unit
from recognition.units.workflow import merge_unit
from tests.nominations import INSIDE, World, build_world
from tests.support.factories import AwardTypeFactory, NominationFactory, an_admin

pytestmark = pytest.mark.integration

A = AwardStandard


@pytest.fixture(autouse=True)
def _english(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def world() -> World:
    world = build_world()
    world.person_award.standard = A.LAO_DONG_TIEN_TIEN
    db.session.flush()
    return world


def imported(
    world: World,
    unit: Unit,
    year: int,
    *,
    name: str = "Trần Văn Bền",
    award: str = "Lao động tiên tiến",
) -> AwardRecord:
    row = EarlierAward(
        line=2,
        person_name=name,
        position="Trưởng ấp",
        unit=unit,
        award_name=award,
        reference=f"{year}/QĐ-UBND",
        decided_on=date(year, 12, 20),
    )
    (item,) = import_awards(
        [row], body_name="UBND huyện Chợ Lách", actor=world.chair, file_name="cu.xlsx"
    )
    return item


def senior_title(world: World, *, collective: bool = False) -> AwardType:
    """A title that needs the person's (or the team's) award in each of the 2 years before."""
    senior = AwardTypeFactory(
        awarding_body=world.body,
        code="CSTD-2" if not collective else "TT-2",
        name="Chiến sĩ thi đua (hai năm)" if not collective else "Tập thể xuất sắc (hai năm)",
        nominee_kind=NomineeKind.COLLECTIVE if collective else NomineeKind.INDIVIDUAL,
        history_award=world.team_award if collective else world.person_award,
        history_years=2,
    )
    offer_award(world.campaign, senior, quota=None)
    return senior


def person(world: World, award: AwardType, unit: Unit) -> Nomination:
    return NominationFactory(
        campaign=world.campaign,
        award_type=award,
        actor=world.nominator_b if unit == world.commune_b else world.nominator_a,
        person_name="Trần Văn Bền",
        person_unit=unit,
        person_birth_year=1980,
        person_gender=Gender.MALE,
    )


def merge_a_into_b(world: World) -> None:
    merge_unit(
        world.commune_a, successor=world.commune_b, actor=an_admin(world.body), on=date(2025, 6, 1)
    )


def test_imported_awards_count_towards_the_history(world: World) -> None:
    imported(world, world.commune_a, 2023)
    imported(world, world.commune_a, 2024, award="Danh hiệu Lao động tiên tiến năm 2024")
    nomination = person(world, senior_title(world), world.commune_a)

    assert history_problem(nomination) is None


def test_awards_of_a_merged_unit_count_for_its_successor(world: World) -> None:
    senior = senior_title(world)
    imported(world, world.commune_a, 2023)
    imported(world, world.commune_a, 2024)
    merge_a_into_b(world)
    nomination = person(world, senior, world.commune_b)

    apply_transition(nomination, Action.SUBMIT, actor=world.nominator_b, today=INSIDE)

    assert nomination.state == NominationState.SUBMITTED


def test_a_collectives_awards_follow_the_merger(world: World) -> None:
    world.team_award.name = "Tập thể lao động tiên tiến"
    world.team_award.standard = A.TAP_THE_LDTT
    senior = senior_title(world, collective=True)
    for year in (2023, 2024):
        imported(world, world.commune_a, year, name="", award="Tập thể lao động tiên tiến")
    merge_a_into_b(world)
    nomination = NominationFactory(
        campaign=world.campaign,
        award_type=senior,
        actor=world.nominator_b,
        nominee_unit=world.commune_b,
    )

    assert history_problem(nomination) is None


def test_a_withdrawn_award_does_not_count(world: World) -> None:
    imported(world, world.commune_a, 2023)
    imported(world, world.commune_a, 2024).is_withdrawn = True
    db.session.flush()
    nomination = person(world, senior_title(world), world.commune_a)

    assert history_problem(nomination) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2024."
    )


def test_another_persons_or_units_awards_do_not_count(world: World) -> None:
    imported(world, world.commune_a, 2023, name="Trần Văn Bình")
    imported(world, world.commune_b, 2024)
    nomination = person(world, senior_title(world), world.commune_a)

    assert history_problem(nomination) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2023, 2024."
    )


def test_an_imported_sudden_award_does_not_count(world: World) -> None:
    imported(world, world.commune_a, 2023)
    imported(world, world.commune_a, 2024, award="Lao động tiên tiến (đột xuất)")
    nomination = person(world, senior_title(world), world.commune_a)

    assert history_problem(nomination) == (
        "Chiến sĩ thi đua (hai năm) requires Lao động tiên tiến in each of the 2 years before; "
        "it is missing for 2024. Sudden and thematic awards, and awards by the simplified "
        "procedure, do not count towards merit awards (NĐ 152/2025/NĐ-CP, art. 4)."
    )


def test_the_same_title_for_the_same_year_in_the_history_warns(world: World) -> None:
    imported(world, world.commune_a, 2025)
    imported(world, world.commune_a, 2024)
    nomination = person(world, world.person_award, world.commune_a)

    assert same_achievement_warning(nomination) == (
        "Trần Văn Bền also has Lao động tiên tiến of 2025 in the award history (decision "
        "2025/QĐ-UBND of 20/12/2025, UBND huyện Chợ Lách). One achievement is rewarded once: "
        "make sure this dossier reports a different achievement."
    )


def test_no_warning_without_the_same_title_that_year(world: World) -> None:
    imported(world, world.commune_a, 2024)
    imported(world, world.commune_a, 2025, award="Giấy khen")
    nomination = person(world, world.person_award, world.commune_a)

    assert same_achievement_warning(nomination) is None


def test_submission_refused_with_the_history_named(world: World) -> None:
    imported(world, world.commune_a, 2023)
    nomination = person(world, senior_title(world), world.commune_a)

    with pytest.raises(DomainError) as refused:
        apply_transition(nomination, Action.SUBMIT, actor=world.nominator_a, today=INSIDE)

    assert "it is missing for 2024." in refused.value.message


@pytest.mark.parametrize(
    ("name", "standard"),
    [
        ("Lao động tiên tiến", A.LAO_DONG_TIEN_TIEN),
        ("Danh hiệu Lao động tiên tiến năm 2024", A.LAO_DONG_TIEN_TIEN),
        ("LĐTT", A.LAO_DONG_TIEN_TIEN),
        ("Tập thể lao động tiên tiến", A.TAP_THE_LDTT),
        ("Tập thể Lao động xuất sắc", A.TAP_THE_LDXS),
        ("Chiến sĩ thi đua cơ sở", A.CSTD_CO_SO),
        ("CSTĐCS", A.CSTD_CO_SO),
        ("Chiến sĩ thi đua cấp tỉnh", A.CSTD_TINH),
        ("Giấy khen của Chủ tịch UBND xã", A.GIAY_KHEN),
        ("Gia đình văn hóa", A.GIA_DINH_VAN_HOA),
        ("Ấp văn hóa", A.THON_AP_VAN_HOA),
        ("Bằng khen của Chủ tịch UBND tỉnh", A.BANG_KHEN_TINH),
        ("Bằng khen của Thủ tướng Chính phủ", None),
        ("Cờ thi đua của UBND tỉnh", A.CO_THI_DUA_TINH),
        ("Điển hình tiên tiến", None),
        ("", None),
    ],
)
def test_an_award_name_reads_as_its_standard(name: str, standard: AwardStandard | None) -> None:
    assert standard_from_name(name) == standard


def test_a_bodys_own_title_matches_by_its_name(world: World) -> None:
    own = AwardTypeFactory(
        awarding_body=world.body, code="DH", name="Điển hình “Đồng khởi mới”", standard=A.OWN_TITLE
    )
    same = AwardRecord(award_name="điển hình “đồng khởi mới”", standard=None)
    other = AwardRecord(award_name="Điển hình tiên tiến", standard=None)

    assert (matches_award(same, own), matches_award(other, own)) == (True, False)
