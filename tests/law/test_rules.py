"""The law in force on a day: the registry's dated defaults side by side before and after
1-7-2025, the council's vote rules as the law sets them, and an administrator's dated value
that applies from its day only, audited."""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.database import local_today
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.law.enums import AwardStandard, VoteBase, VoteMethod
from recognition.law.models import LawValue
from recognition.law.registry import RULES, Rule
from recognition.law.rules import Entry, VoteRule, merged, rules_on, typed
from recognition.law.services import (
    ValueInput,
    delete_law_value,
    input_for,
    parse_value,
    save_law_value,
)
from recognition.units.enums import UnitKind
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration

A = AwardStandard
BEFORE, AFTER = date(2024, 3, 4), date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


def test_the_bases_a_decision_cites_before_and_after_the_reform(app: Flask) -> None:
    assert (rules_on(BEFORE).bases, rules_on(AFTER).bases) == (
        (
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ "
            "chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ),
        (
            "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định "
            "chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
        ),
    )


def test_who_awards_what_before_and_after_the_reform(app: Flask) -> None:
    before, after = rules_on(BEFORE), rules_on(AFTER)

    assert {
        level: (before.authority(level), after.authority(level))
        for level in ("province", "district", "commune")
    } == {
        "province": (
            {A.BANG_KHEN_TINH, A.CSTD_TINH, A.TAP_THE_LDXS, A.CO_THI_DUA_TINH},
            {A.BANG_KHEN_TINH, A.CSTD_TINH, A.TAP_THE_LDXS, A.CO_THI_DUA_TINH},
        ),
        "district": (
            {A.GIAY_KHEN, A.LAO_DONG_TIEN_TIEN, A.CSTD_CO_SO, A.TAP_THE_LDTT, A.THON_AP_VAN_HOA},
            set(),
        ),
        "commune": (
            {A.GIAY_KHEN, A.GIA_DINH_VAN_HOA},
            {
                A.GIAY_KHEN,
                A.LAO_DONG_TIEN_TIEN,
                A.CSTD_CO_SO,
                A.TAP_THE_LDTT,
                A.GIA_DINH_VAN_HOA,
                A.THON_AP_VAN_HOA,
            },
        ),
    }
    # A ward and a township are communes for the law.
    assert (
        after.authority(UnitKind.WARD)
        == after.authority(UnitKind.TOWNSHIP)
        == after.authority("commune")
    )


def test_the_last_day_of_the_district_and_the_first_of_two_levels(app: Flask) -> None:
    assert (
        rules_on(date(2025, 6, 30)).authority("district") != frozenset(),
        rules_on(date(2025, 7, 1)).authority("district"),
    ) == (True, frozenset())


def _voted(threshold: int) -> VoteRule:
    return VoteRule(True, VoteMethod.SECRET_BALLOT, Decimal(threshold), VoteBase.ALL_MEMBERS, True)


def test_votes_follow_the_law_80_and_90_percent_of_all_members(app: Flask) -> None:
    for day in (BEFORE, AFTER):
        rules = rules_on(day)
        assert {standard: rules.vote(standard) for standard in AwardStandard} == {
            A.CSTD_CO_SO: _voted(80),
            A.CO_THI_DUA_TINH: _voted(80),
            A.CSTD_TINH: _voted(90),
            **{
                standard: VoteRule(
                    False, VoteMethod.SHOW_OF_HANDS, Decimal("50.01"), VoteBase.PRESENT, False
                )
                for standard in AwardStandard
                if standard not in (A.CSTD_CO_SO, A.CO_THI_DUA_TINH, A.CSTD_TINH)
            },
        }
        assert rules.quorum == (2, 3)
        assert rules.entries["vote.quorum"].uncertain is True


def test_processing_money_and_caps_by_date(app: Flask) -> None:
    before, after = rules_on(BEFORE), rules_on(AFTER)

    assert (
        (before.processing_days, after.processing_days),
        (before.base_salary, after.base_salary, rules_on(date(2024, 7, 1)).base_salary),
        (before.cstdcs_cap_percent, after.cstdcs_cap_percent),
        (
            after.coefficient(A.GIAY_KHEN),
            after.coefficient(A.GIAY_KHEN, collective=True),
            after.coefficient(A.CSTD_CO_SO),
            after.coefficient(A.TAP_THE_LDXS, collective=True),
            after.coefficient(A.BANG_KHEN_TINH),
            after.coefficient(A.BANG_KHEN_TINH, collective=True),
        ),
        after.entries["coefficient.giay_khen.individual"].uncertain,
        after.entries["coefficient.bang_khen_tinh.individual"].uncertain,
        after.posting_days,
    ) == (
        (None, 20),
        (1_800_000, 2_340_000, 2_340_000),
        (None, None),
        (
            Decimal("0.3"),
            Decimal("0.6"),
            Decimal("1.0"),
            Decimal("1.5"),
            Decimal("1.5"),
            Decimal("3.0"),
        ),
        True,
        True,
        5,
    )


@pytest.fixture
def admin(app: Flask):  # type: ignore[no-untyped-def]
    return user_with(Role.ADMIN, UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE))


def _events() -> list[tuple[str, str, str]]:
    return [
        (e.action, e.subject, e.comment)
        for e in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == ObjectKind.LAW_RULE)
            .order_by(AuditEvent.id)
        )
    ]


def test_an_added_value_applies_from_its_day_only_and_is_audited(app: Flask, admin) -> None:  # type: ignore[no-untyped-def]
    save_law_value(
        "base_salary",
        ValueInput(valid_from=date(2026, 7, 1), text="2.530.000", source="Nghị định mới"),
        actor=admin,
    )
    save_law_value(
        "base_salary",
        ValueInput(valid_from=date(2026, 7, 1), text="2 540 000", source="Nghị định mới"),
        actor=admin,
    )

    assert (
        rules_on(date(2026, 6, 30)).base_salary,
        rules_on(date(2026, 7, 1)).base_salary,
        db.session.scalars(select(LawValue.value)).all(),
        _events(),
    ) == (
        2_340_000,
        2_540_000,
        [2_540_000],
        [
            ("added", "base_salary · 01/07/2026", "2.530.000 đ (Nghị định mới)"),
            ("corrected", "base_salary · 01/07/2026", "2.540.000 đ (Nghị định mới)"),
        ],
    )


def test_a_value_not_yet_in_force_is_deleted_and_the_deletion_audited(app: Flask, admin) -> None:  # type: ignore[no-untyped-def]
    # Entered with a wrong year: it would have taken effect on that day.
    wrong = local_today() + timedelta(days=1)
    row = save_law_value(
        "base_salary",
        ValueInput(valid_from=wrong, text="2.530.000", source="Nghị định mới"),
        actor=admin,
    )

    delete_law_value(row, actor=admin)

    assert (
        db.session.scalars(select(LawValue)).all(),
        rules_on(wrong).base_salary,
        _events()[-1],
    ) == (
        [],
        2_340_000,
        ("deleted", f"base_salary · {wrong:%d/%m/%Y}", "2.530.000 đ (Nghị định mới)"),
    )


@pytest.mark.parametrize("days", [0, -1, -400])
def test_a_value_in_force_is_not_deleted_and_says_why(app: Flask, admin, days: int) -> None:  # type: ignore[no-untyped-def]
    # From its day on, documents (a decision's bases, a reward's amount) were made with it.
    day = local_today() + timedelta(days=days)
    row = save_law_value(
        "base_salary", ValueInput(valid_from=day, text="2.530.000", source="Nghị định"), actor=admin
    )

    with pytest.raises(InvalidTransition) as refused:
        delete_law_value(row, actor=admin)

    assert (
        refused.value.message,
        db.session.scalars(select(LawValue.valid_from)).all(),
        [action for action, _, _ in _events()],
    ) == (
        f"This value has been in force since {day:%d/%m/%Y}: documents dated since then were "
        "made with it, so it cannot be deleted. To change it from a later day, add a value from "
        "that day.",
        [day],
        ["added"],
    )


def test_a_value_of_a_defaults_day_replaces_it(app: Flask, admin) -> None:  # type: ignore[no-untyped-def]
    save_law_value(
        "vote.cstd_co_so",
        ValueInput(
            valid_from=date(2024, 1, 1),
            source="Quy chế của tỉnh",
            required=True,
            method="secret_ballot",
            threshold="85,5",
            base="all_members",
            absentees_in_writing=True,
            uncertain=True,
        ),
        actor=admin,
    )
    save_law_value(
        "cap.cstdcs_percent",
        ValueInput(valid_from=date(2026, 1, 1), text="15", source="Quy chế của cơ quan"),
        actor=admin,
    )

    save_law_value(
        "cap.cstdcs_percent",
        ValueInput(valid_from=date(2027, 1, 1), text="", source="Quy chế của cơ quan"),
        actor=admin,
    )
    db.session.expire_all()  # read back what was stored

    rules = rules_on(BEFORE)
    assert (
        rules.vote(A.CSTD_CO_SO).threshold,
        rules.entries["vote.cstd_co_so"].uncertain,
        rules.cstdcs_cap_percent,
        rules_on(AFTER).cstdcs_cap_percent,
        rules_on(date(2027, 6, 1)).cstdcs_cap_percent,
    ) == (Decimal("85.5"), True, None, Decimal(15), None)


@pytest.mark.parametrize(
    ("key", "typed", "field", "message"),
    [
        (
            "base_salary",
            "hai triệu",
            "text",
            "Type a whole amount in đồng from 1 to 1,000,000,000,000.",
        ),
        ("processing_days.commune", "-3", "text", "Type a whole number from 1 to 3,650."),
        ("coefficient.cstd_co_so", "1,2,3", "text", "Type a number, such as 0.3."),
        ("cap.cstdcs_percent", "150", "text", "A percentage is more than 0 and at most 100."),
        ("vote.quorum", "3/2", "text", "Type a fraction such as 2/3 (at most 1)."),
        # Values that were saved although they make no sense: no salary, no rounding step,
        # no day to process a dossier, a reward of nothing, a decision citing no legal basis.
        (
            "base_salary",
            "0",
            "text",
            "Type a whole amount in đồng from 1 to 1,000,000,000,000.",
        ),
        (
            "money.rounding",
            "0",
            "text",
            "Type a whole amount in đồng from 1 to 1,000,000,000,000.",
        ),
        ("processing_days.commune", "0", "text", "Type a whole number from 1 to 3,650."),
        ("posting_days.default", "400", "text", "Type a whole number from 0 to 365."),
        (
            "coefficient.cstd_co_so",
            "0",
            "text",
            "Type a number greater than 0 and at most 1,000.",
        ),
        (
            "money.household_multiplier",
            "-1,5",
            "text",
            "Type a number greater than 0 and at most 1,000.",
        ),
        ("fund.movement_percent", "0", "text", "A percentage is more than 0 and at most 100."),
        ("fund.movement_percent", " ", "text", "Type a percentage."),
        ("vote.quorum", "0/3", "text", "Type a fraction such as 2/3 (at most 1)."),
        ("decision.bases", "", "text", "Type at least one line."),
        ("decision.bases", " \n\t\n ", "text", "Type at least one line."),
    ],
)
def test_a_bad_value_is_refused_with_its_reason(
    app: Flask,
    admin,
    key: str,
    typed: str,
    field: str,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(DomainError) as refused:
        save_law_value(key, ValueInput(valid_from=AFTER, text=typed, source="Nguồn"), actor=admin)

    assert (refused.value.field, refused.value.message, _events()) == (field, message, [])


def test_an_empty_list_of_standards_is_refused_but_where_the_law_empties_it(
    app: Flask,
    admin,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(DomainError) as refused:
        save_law_value(
            "authority.commune", ValueInput(valid_from=AFTER, source="Nguồn"), actor=admin
        )
    # The district's chairman awards nothing since 1-7-2025; no posting time and no cap.
    kept = [
        save_law_value(key, ValueInput(valid_from=AFTER, source="Nguồn", text=text), actor=admin)
        for key, text in (
            ("authority.district", ""),
            ("posting_days.default", "0"),
            ("cap.cstdcs_percent", ""),
        )
    ]

    assert (
        refused.value.field,
        refused.value.message,
        [row.value for row in kept],
    ) == ("standards", "Choose at least one award standard.", [[], 0, None])


def test_every_value_the_law_sets_can_be_entered_again_as_it_is(app: Flask) -> None:
    # The bounds refuse nonsense, never the law's own values ("1.0" is read back as 1).
    entries = [(RULES[key], entry) for key, dated in merged([]).items() for entry in dated]

    assert [
        (rule.key, entry.valid_from, typed(rule.kind, parse_value(rule, _typed_again(rule, entry))))
        for rule, entry in entries
    ] == [(rule.key, entry.valid_from, typed(rule.kind, entry.value)) for rule, entry in entries]


def _typed_again(rule: Rule, entry: Entry) -> ValueInput:
    """The form's values for `entry`, as the rule's page fills them in."""
    return ValueInput(valid_from=entry.valid_from, **input_for(rule, entry))


def test_standards_outside_the_list_and_a_missing_source_are_refused(app: Flask, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as unknown:
        save_law_value(
            "authority.commune",
            ValueInput(valid_from=AFTER, source="Nguồn", standards=["giay_khen", "huan_chuong"]),
            actor=admin,
        )
    with pytest.raises(DomainError) as unsourced:
        save_law_value(
            "authority.commune",
            ValueInput(valid_from=AFTER, source="  ", standards=["giay_khen"]),
            actor=admin,
        )

    assert (unknown.value.field, unsourced.value.field) == ("standards", "source")


@pytest.mark.no_database
def test_a_majority_reads_as_more_than_half_and_other_shares_as_at_least(app: Flask) -> None:
    from recognition.law.enums import VoteBase, vote_share

    with app.test_request_context(), force_locale("en"):
        shares = [
            vote_share(Decimal("50.01"), VoteBase.PRESENT),
            vote_share(Decimal("80"), VoteBase.ALL_MEMBERS),
            vote_share(Decimal("66.67"), VoteBase.PRESENT),
        ]

    assert shares == [
        "more than half (50 %) of the members present",
        "at least 80 % of the council's members",
        "at least 66.67 % of the members present",
    ]
