"""The award catalogue and campaigns: award types, criteria, campaigns, their status and window,
award types on offer; and which campaigns each user sees."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.campaigns.enums import (
    AwardKind,
    CampaignStatus,
    MeasureKind,
    NomineeKind,
    VoteBase,
    VoteMethod,
)
from recognition.campaigns.models import AwardType, Campaign, CampaignAward, Criterion
from recognition.campaigns.queries import (
    award_types_of,
    campaigns_for_user,
    managed_bodies,
    open_campaigns_for_nominator,
)
from recognition.campaigns.services import (
    AwardTypeData,
    CampaignData,
    CriterionData,
    delete_criterion,
    extend_window,
    offer_award,
    save_award_type,
    save_campaign,
    save_criterion,
    withdraw_offer,
)
from recognition.database import string_length
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.law.enums import AwardStandard
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    CriterionFactory,
    NominationFactory,
    UnitFactory,
    user_with,
)

pytestmark = pytest.mark.integration

S = CampaignStatus


@pytest.fixture(autouse=True)
def _english(app) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def body() -> Unit:
    return UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, is_awarding_body=True)


def data(**changes: object) -> AwardTypeData:
    values: dict[str, object] = {
        "code": "ldtt",
        "name": "  Lao động   tiên tiến ",
        "certificate_title": "Lao động tiên tiến",
        "kind": AwardKind.TITLE,
        "nominee_kind": NomineeKind.INDIVIDUAL,
    }
    values.update(changes)
    return AwardTypeData(**values)  # type: ignore[arg-type]


def refusal(call, *args, **kwargs) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    return refused.value.message, refused.value.field


# --- award types ---------------------------------------------------------------------------


def test_save_award_type_cleans_and_stores_the_rules(body: Unit) -> None:
    award = save_award_type(
        None,
        data(
            eligible_unit_kinds=["commune"],
            description="Dòng 1\r\nDòng 2",
            vote_method=VoteMethod.SHOW_OF_HANDS,
            vote_threshold_percent=Decimal(50),
            vote_base=VoteBase.ALL_MEMBERS,
            quorum_numerator=1,
            quorum_denominator=2,
            chair_must_approve=True,
            abstain_allowed=True,
            public_posting_days=5,
            simplified_allowed=True,
        ),
        awarding_body=body,
    )

    db.session.expire_all()
    saved = db.session.get(AwardType, award.id)
    assert (
        saved.code,
        saved.name,
        saved.certificate_title,
        saved.kind,
        saved.nominee_kind,
        saved.eligible_unit_kinds,
        saved.description,
        saved.vote_method,
        saved.vote_threshold_percent,
        saved.vote_base,
        saved.quorum_numerator,
        saved.quorum_denominator,
        saved.chair_must_approve,
        saved.abstain_allowed,
        saved.public_posting_days,
        saved.simplified_allowed,
        saved.awarding_body_id,
        saved.is_active,
    ) == (
        "LDTT",
        "Lao động tiên tiến",
        "LAO ĐỘNG TIÊN TIẾN",
        "title",
        "individual",
        ["commune"],
        "Dòng 1\nDòng 2",
        "show_of_hands",
        Decimal("50.00"),
        "all_members",
        1,
        2,
        True,
        True,
        5,
        True,
        body.id,
        True,
    )


def test_capitals_are_stored_nfc(body: Unit) -> None:
    # "ΐ" has no composed capital: upper() alone gives I + two combining marks.
    award = save_award_type(
        None, data(code="tc-ΐ", certificate_title="Danh hiệu ΰ"), awarding_body=body
    )

    assert (award.code, award.certificate_title) == ("TC-\u03aa\u0301", "DANH HIỆU \u03ab\u0301")


@pytest.mark.parametrize("field", ["code", "certificate_title"])
def test_capitals_longer_than_typed_are_refused_not_cut(body: Unit, field: str) -> None:
    # "ﬁ" is one character typed and two in capitals ("FI"): 30 typed become 31.
    limit = string_length(getattr(AwardType, field))
    typed = "ﬁ" + "a" * (limit - 1)

    with pytest.raises(DomainError) as refused:
        save_award_type(None, data(**{field: typed}), awarding_body=body)

    assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(AwardType)) == 0


def test_award_types_belong_to_an_awarding_body() -> None:
    commune = UnitFactory(name="Xã Sơn Định")

    assert refusal(save_award_type, None, data(), awarding_body=commune) == (
        "Xã Sơn Định is not an awarding body.",
        None,
    )
    assert db.session.scalar(select(func.count(AwardType.id))) == 0


def test_codes_are_unique_within_a_catalogue_whatever_the_case(body: Unit) -> None:
    save_award_type(None, data(code="LDTT"), awarding_body=body)
    other_body = UnitFactory(name="Huyện Mỏ Cày", kind=UnitKind.DISTRICT, is_awarding_body=True)

    duplicate = refusal(save_award_type, None, data(code=" ldtt "), awarding_body=body)
    elsewhere = save_award_type(None, data(code="LDTT"), awarding_body=other_body)

    assert duplicate == ("The code LDTT is already used in this catalogue.", "code")
    assert elsewhere.code == "LDTT"


def test_editing_an_award_type_keeps_its_own_code(body: Unit) -> None:
    award = save_award_type(None, data(), awarding_body=body)

    save_award_type(award, data(name="Lao động tiên tiến (sửa)"), awarding_body=body)

    assert (award.code, award.name) == ("LDTT", "Lao động tiên tiến (sửa)")
    assert db.session.scalar(select(func.count(AwardType.id))) == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"vote_threshold_percent": Decimal(0)},
            ("The threshold must be between 1 and 100 %.", "vote_threshold_percent"),
        ),
        (
            {"vote_threshold_percent": Decimal("100.01")},
            ("The threshold must be between 1 and 100 %.", "vote_threshold_percent"),
        ),
        (
            {"quorum_numerator": 4, "quorum_denominator": 3},
            ("The quorum must be a fraction such as 2/3 (at most 1).", "quorum_numerator"),
        ),
        (
            {"quorum_numerator": 0},
            ("The quorum must be a fraction such as 2/3 (at most 1).", "quorum_numerator"),
        ),
        (
            {"cap_percent": Decimal(15)},
            ("A cap needs both a percentage and the title it is counted on.", "cap_percent"),
        ),
        (
            {"history_years": 3},
            (
                "A history rule needs both the earlier title and the number of years.",
                "history_years",
            ),
        ),
    ],
)
def test_award_rules_are_checked(
    body: Unit, changes: dict[str, object], expected: tuple[str, str]
) -> None:
    assert refusal(save_award_type, None, data(**changes), awarding_body=body) == expected


CSTDCS_AT_THE_LAW = {
    "standard": AwardStandard.CSTD_CO_SO,
    "vote_method": VoteMethod.SECRET_BALLOT,
    "vote_threshold_percent": Decimal(80),
    "vote_base": VoteBase.ALL_MEMBERS,
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"vote_threshold_percent": Decimal(30)},
            (
                "The law in force requires at least 80 % in favour for this title: the "
                "threshold cannot be lower.",
                "vote_threshold_percent",
            ),
        ),
        (
            {"vote_base": VoteBase.PRESENT},
            (
                "The law in force counts the votes for this title on: All members of the council.",
                "vote_base",
            ),
        ),
        (
            {"vote_method": VoteMethod.SHOW_OF_HANDS},
            ("The law in force requires a secret ballot for this title.", "vote_method"),
        ),
    ],
)
def test_a_title_the_law_requires_a_vote_for_keeps_at_least_the_law_s_rule(
    body: Unit, changes: dict[str, object], expected: tuple[str, str]
) -> None:
    """NĐ 98/2023 art. 30(7): Chiến sĩ thi đua cơ sở needs 80 % of all members, by secret
    ballot; a body may ask more, never less."""
    stricter = save_award_type(
        None,
        data(**{**CSTDCS_AT_THE_LAW, "vote_threshold_percent": Decimal(90)}),
        awarding_body=body,
    )

    refused = refusal(
        save_award_type, stricter, data(**{**CSTDCS_AT_THE_LAW, **changes}), awarding_body=body
    )
    # A title the law asks no vote for keeps whatever rule the body chooses.
    own = save_award_type(
        None, data(code="RIENG", vote_threshold_percent=Decimal(30)), awarding_body=body
    )

    assert refused == expected
    assert (stricter.vote_threshold_percent, own.vote_threshold_percent) == (90, 30)


def test_a_cap_counted_on_another_title(body: Unit) -> None:
    base = save_award_type(None, data(), awarding_body=body)

    elite = save_award_type(
        None,
        data(code="CSTDCS", name="Chiến sĩ thi đua cơ sở", cap_percent=Decimal(15), cap_base=base),
        awarding_body=body,
    )

    assert (elite.cap_percent, elite.cap_base_id) == (Decimal(15), base.id)


def test_a_title_cannot_be_capped_by_itself(body: Unit) -> None:
    award = save_award_type(None, data(), awarding_body=body)

    assert refusal(
        save_award_type, award, data(cap_percent=Decimal(15), cap_base=award), awarding_body=body
    ) == ("A title cannot be capped by itself.", "cap_base_id")


# --- criteria ------------------------------------------------------------------------------


def test_criteria_are_numbered_in_order_and_cleaned(body: Unit) -> None:
    award = AwardTypeFactory(awarding_body=body)

    first = save_criterion(award, None, CriterionData(code=" TC1 ", text="Hoàn thành\r\ntốt"))
    second = save_criterion(
        award,
        None,
        CriterionData(
            code="TC2",
            text="Tỷ lệ hộ",
            group=" Kinh tế ",
            measure=MeasureKind.NUMBER,
            target=Decimal(60),
            unit_label="%",
            required=False,
            evidence_required=True,
        ),
    )

    db.session.expire_all()
    saved = [
        (
            c.code,
            c.text,
            c.group,
            c.position,
            c.measure,
            c.target,
            c.unit_label,
            c.required,
            c.evidence_required,
        )
        for c in db.session.get(AwardType, award.id).criteria
    ]
    assert (first.position, second.position) == (1, 2)
    assert saved == [
        ("TC1", "Hoàn thành\ntốt", "", 1, "yes_no", None, "", True, False),
        ("TC2", "Tỷ lệ hộ", "Kinh tế", 2, "number", Decimal("60.00"), "%", False, True),
    ]


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        (
            CriterionData(code="TC1", text="Khác"),
            ("The code TC1 is already used by another criterion.", "code"),
        ),
        (
            CriterionData(code="tc1", text="Khác"),
            ("The code tc1 is already used by another criterion.", "code"),
        ),
        (CriterionData(code=" ", text="Khác"), ("A criterion needs a code and a text.", "code")),
        (
            CriterionData(code="TC9", text="\u200b"),
            ("A criterion needs a code and a text.", "code"),
        ),
        (
            CriterionData(code="TC9", text="Có", target=Decimal(1)),
            ("Only a numeric criterion has a target.", "target"),
        ),
        *(
            # Numeric(14, 2): PostgreSQL refuses more digits (it was a 500) and no number
            # compares with NaN.
            (
                CriterionData(code="TC9", text="Số", measure=MeasureKind.NUMBER, target=target),
                (
                    "The target must be a number of at most 12 digits before the decimal point.",
                    "target",
                ),
            )
            for target in (Decimal("1000000000000"), Decimal("NaN"), Decimal("-Infinity"))
        ),
    ],
)
def test_criterion_refusals(
    body: Unit, criterion: CriterionData, expected: tuple[str, str]
) -> None:
    award = AwardTypeFactory(awarding_body=body)
    CriterionFactory(award_type=award, code="TC1")

    assert refusal(save_criterion, award, None, criterion) == expected
    assert len(award.criteria) == 1


def test_edit_a_criterion_in_place(body: Unit) -> None:
    award = AwardTypeFactory(awarding_body=body)
    criterion = CriterionFactory(award_type=award, code="TC1")

    save_criterion(award, criterion, CriterionData(code="TC1", text="Đã sửa", required=False))

    assert [(c.code, c.text, c.required) for c in award.criteria] == [("TC1", "Đã sửa", False)]


def test_delete_an_unused_criterion(body: Unit) -> None:
    award = AwardTypeFactory(awarding_body=body)
    first = CriterionFactory(award_type=award, code="TC1")
    CriterionFactory(award_type=award, code="TC2")

    delete_criterion(first)

    assert [c.code for c in award.criteria] == ["TC2"]
    assert db.session.scalar(select(func.count(Criterion.id))) == 1


def test_a_criterion_answered_by_a_dossier_cannot_be_deleted(body: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=body)
    nominator = user_with(Role.NOMINATOR, commune)
    award = AwardTypeFactory(awarding_body=body)
    criterion = CriterionFactory(award_type=award, code="TC1")
    campaign = CampaignFactory(awarding_body=body, awards=[award], status=S.OPEN)
    nomination = NominationFactory(
        campaign=campaign, award_type=award, actor=nominator, nominee_unit=commune
    )
    update_nomination(nomination, Report(), {criterion.id: Answer(met=True)}, actor=nominator)

    assert refusal(delete_criterion, criterion) == (
        "Dossiers have already answered this criterion; it cannot be deleted. Mark it as not "
        "required instead.",
        None,
    )
    assert [c.code for c in award.criteria] == ["TC1"]


# --- campaigns -----------------------------------------------------------------------------


def test_save_campaign_starts_as_a_draft(body: Unit) -> None:
    campaign = save_campaign(
        None,
        CampaignData(
            name=" Cao điểm   “Đồng khởi mới” ",
            opens_on=date(2025, 3, 4),
            closes_on=date(2025, 3, 4),
            directive_reference="Chỉ thị 01-CT/TU",
            description="Học tập điển hình",
            period_start=date(2024, 1, 1),
            period_end=date(2025, 12, 31),
        ),
        awarding_body=body,
    )

    assert (
        campaign.status,
        campaign.name,
        campaign.name_folded,
        campaign.opens_on,
        campaign.closes_on,
        campaign.directive_reference,
        campaign.period_end,
    ) == (
        "draft",
        "Cao điểm “Đồng khởi mới”",
        "cao diem “dong khoi moi”",
        date(2025, 3, 4),
        date(2025, 3, 4),
        "Chỉ thị 01-CT/TU",
        date(2025, 12, 31),
    )


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            {"opens_on": date(2025, 3, 5), "closes_on": date(2025, 3, 4)},
            ("The window must close on or after the day it opens.", "closes_on"),
        ),
        (
            {"period_start": date(2025, 1, 2), "period_end": date(2025, 1, 1)},
            ("The period must end after it starts.", "period_end"),
        ),
    ],
)
def test_campaign_dates_are_checked(
    body: Unit, dates: dict[str, date], expected: tuple[str, str]
) -> None:
    values = {
        "name": "Đợt 1",
        "opens_on": date(2025, 3, 1),
        "closes_on": date(2025, 3, 31),
        **dates,
    }

    assert refusal(save_campaign, None, CampaignData(**values), awarding_body=body) == expected
    assert db.session.scalar(select(func.count(Campaign.id))) == 0


def test_campaigns_belong_to_an_awarding_body() -> None:
    commune = UnitFactory(name="Xã Sơn Định")

    assert refusal(
        save_campaign,
        None,
        CampaignData(name="Đợt 1", opens_on=date(2025, 3, 1), closes_on=date(2025, 3, 31)),
        awarding_body=commune,
    ) == ("Xã Sơn Định is not an awarding body.", None)


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        (S.OPEN, date(2025, 5, 31), False),
        (S.OPEN, date(2025, 6, 1), True),
        (S.OPEN, date(2025, 6, 30), True),
        (S.OPEN, date(2025, 7, 1), False),
        (S.DRAFT, date(2025, 6, 15), False),
        (S.CLOSED, date(2025, 6, 15), False),
        (S.ARCHIVED, date(2025, 6, 15), False),
    ],
)
def test_the_window_is_inclusive_and_only_while_open(
    body: Unit, status: S, today: date, expected: bool
) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(
        awarding_body=body,
        awards=[award],
        status=status,
        opens_on=date(2025, 6, 1),
        closes_on=date(2025, 6, 30),
    )

    assert campaign.is_window_open(today) is expected


def test_extend_the_window(body: Unit) -> None:
    campaign = CampaignFactory(awarding_body=body, closes_on=date(2025, 6, 30))

    extend_window(campaign, closes_on=date(2025, 7, 15))

    assert campaign.closes_on == date(2025, 7, 15)


@pytest.mark.parametrize("closes_on", [date(2025, 6, 30), date(2025, 6, 29)])
def test_an_extension_must_move_the_day_later(body: Unit, closes_on: date) -> None:
    campaign = CampaignFactory(awarding_body=body, closes_on=date(2025, 6, 30))

    assert refusal(extend_window, campaign, closes_on=closes_on) == (
        "The new closing day must be after 30/06/2025.",
        "closes_on",
    )
    assert campaign.closes_on == date(2025, 6, 30)


# --- award types on offer ------------------------------------------------------------------


def test_offer_an_award_with_a_quota_and_change_it(body: Unit) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body)

    offer_award(campaign, award, quota=2)
    offer_award(campaign, award, quota=None)

    assert [(o.award_type_id, o.quota) for o in campaign.offers] == [(award.id, None)]
    assert db.session.scalar(select(func.count(CampaignAward.id))) == 1


def test_an_award_of_another_body_cannot_be_offered(body: Unit) -> None:
    other = UnitFactory(name="Huyện Khác", kind=UnitKind.DISTRICT, is_awarding_body=True)
    foreign = AwardTypeFactory(awarding_body=other)
    campaign = CampaignFactory(awarding_body=body)

    assert refusal(offer_award, campaign, foreign, quota=None) == (
        "That award type belongs to another awarding body.",
        None,
    )
    assert campaign.offers == []


@pytest.mark.parametrize("quota", [0, -1])
def test_a_quota_is_at_least_one(body: Unit, quota: int) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body)

    assert refusal(offer_award, campaign, award, quota=quota) == (
        "A quota must be at least 1, or empty for no quota.",
        "quota",
    )


def test_withdraw_an_unused_offer(body: Unit) -> None:
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body, awards=[award])

    withdraw_offer(campaign.offers[0])

    assert campaign.offers == []
    assert db.session.scalar(select(func.count(CampaignAward.id))) == 0


def test_an_offer_in_use_cannot_be_withdrawn(body: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=body)
    nominator = user_with(Role.NOMINATOR, commune)
    award = AwardTypeFactory(awarding_body=body)
    campaign = CampaignFactory(awarding_body=body, awards=[award], status=S.OPEN)
    NominationFactory(campaign=campaign, award_type=award, actor=nominator, nominee_unit=commune)

    assert refusal(withdraw_offer, campaign.offers[0]) == (
        f"{award.name} cannot be removed from the campaign: 1 dossier already proposes it.",
        None,
    )
    assert len(campaign.offers) == 1


# --- who sees which campaign ---------------------------------------------------------------


def test_campaigns_each_user_sees(body: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=body)
    other_body = UnitFactory(name="Huyện Khác", kind=UnitKind.DISTRICT, is_awarding_body=True)
    award = AwardTypeFactory(awarding_body=body)
    foreign_award = AwardTypeFactory(awarding_body=other_body)
    made = {
        status: CampaignFactory(
            awarding_body=body,
            name=f"Đợt {status.value}",
            awards=[award],
            status=status,
            closes_on=date(2025, 6, 30),
        )
        for status in S
    }
    CampaignFactory(
        awarding_body=other_body, name="Đợt nơi khác", awards=[foreign_award], status=S.OPEN
    )
    nominator = user_with(Role.NOMINATOR, commune)
    secretariat = user_with(Role.SECRETARIAT, body)
    council = user_with(Role.COUNCIL_MEMBER, body)
    nobody = user_with(Role.NOMINATOR, other_body)

    def seen(user) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted(c.name for c in campaigns_for_user(user))

    everything = sorted(c.name for c in made.values())
    assert seen(nominator) == ["Đợt closed", "Đợt open"]
    assert seen(secretariat) == everything
    assert seen(council) == everything
    assert seen(nobody) == ["Đợt nơi khác"]
    assert [c.name for c in open_campaigns_for_nominator(nominator)] == ["Đợt open"]
    assert managed_bodies(secretariat) == [body]
    assert managed_bodies(nominator) == []
    assert [a.id for a in award_types_of(body)] == [award.id]
