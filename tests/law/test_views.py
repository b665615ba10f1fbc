"""The administrator's page of the law: every rule with its value today, its source and the
"uncertain" mark; a rule's page with its history and the form; a bad value keeps what was
typed and says why; others may not see it."""

import html
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.database import local_today
from recognition.extensions import db
from recognition.law.models import LawValue
from recognition.law.rules import rules_on
from recognition.units.enums import UnitKind
from tests.conftest import Client
from tests.support.factories import AwardingBodyFactory, UnitFactory, user_with

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    with force_locale("vi"):
        yield


@pytest.fixture
def admin(as_user) -> Client:  # type: ignore[no-untyped-def]
    root = UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE)
    return as_user(user_with(Role.ADMIN, root, locale="vi"))


def page(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def test_the_page_shows_each_rule_today_with_its_source_and_marks(admin: Client) -> None:
    text = page(admin.get("/admin/law"))

    assert [
        phrase in text
        for phrase in (
            "Luật 72/2025/QH15; Nghị định số 152/2025/NĐ-CP",
            "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025",
            "Quyết định số 638/QĐ-BNV năm 2025",
            "2.340.000 đ",
            "chưa chắc chắn — là một thiết lập",
            "01/07/2026",
            'href="/admin/law/base_salary"',
            "Gia đình văn hóa</a>",
        )
    ] == [True] * 8
    assert "Cultured family" not in text


def _expected_salary(*, passed: bool) -> str:
    """The notice of the newer base salary reported from 01/07/2026, before or after it."""
    if passed:
        return _(
            "A new value of “%(rule)s” was expected from %(date)s and none has been entered: "
            "until it is, the earlier value applies. If its legal text has been published, add "
            "the value with it.",
            rule="Mức lương cơ sở",
            date="01/07/2026",
        )
    return _(
        "A new value of “%(rule)s” may apply from %(date)s: add it with its legal text when "
        "it is published.",
        rule="Mức lương cơ sở",
        date="01/07/2026",
    )


@pytest.mark.parametrize(
    ("today", "announced", "overdue"),
    [
        (date(2026, 3, 4), True, False),
        (date(2026, 6, 30), True, False),
        # The walk's day: "may apply from 01/07/2026" was still shown five months after it.
        (date(2026, 7, 1), False, True),
        (date(2026, 12, 7), False, True),
    ],
)
def test_a_reported_change_is_announced_before_its_day_and_overdue_after(
    admin: Client, monkeypatch: pytest.MonkeyPatch, today: date, announced: bool, overdue: bool
) -> None:
    monkeypatch.setattr("recognition.law.views.local_today", lambda: today)

    text = page(admin.get("/admin/law"))

    assert (
        _expected_salary(passed=False) in text,
        _expected_salary(passed=True) in text,
        'href="/admin/law/base_salary#new-value"' in text,
    ) == (announced, overdue, True)


@pytest.mark.parametrize(
    ("entered", "answered"),
    [
        ("2026-07-01", True),
        ("2026-08-15", True),  # the decree's day may differ from the one reported
        ("2030-07-01", False),  # a year typed wrongly does not hide the reminder
        ("2026-01-01", False),
    ],
)
@pytest.mark.parametrize("today", [date(2026, 3, 4), date(2026, 12, 7)])
def test_a_reported_change_once_entered_is_no_longer_announced(
    admin: Client, monkeypatch: pytest.MonkeyPatch, today: date, entered: str, answered: bool
) -> None:
    admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": entered, "text": "2.530.000", "source": "Nghị định mới"},
    )
    monkeypatch.setattr("recognition.law.views.local_today", lambda: today)

    text = page(admin.get("/admin/law"))

    passed = today >= date(2026, 7, 1)
    assert (
        _expected_salary(passed=False) in text,
        _expected_salary(passed=True) in text,
        "#new-value" in text,
    ) == (
        not answered and not passed,
        not answered and passed,
        not answered,
    )


def test_the_rules_are_named_in_the_readers_language(app: Flask, as_user) -> None:  # type: ignore[no-untyped-def]
    root = UnitFactory(name="Tỉnh Vĩnh Long", kind=UnitKind.PROVINCE)
    english = as_user(user_with(Role.ADMIN, root, locale="en"))

    with force_locale("en"):
        text = page(english.get("/admin/law"))

    assert (
        "Cultured family (Gia đình văn hóa)" in text,
        "Certificate of merit, individual" in text,
        "Provincial emulation fighter (Chiến sĩ thi đua cấp tỉnh)" in text,
    ) == (True, True, True)


def test_a_rule_page_lists_its_dated_values_newest_first(admin: Client) -> None:
    text = page(admin.get("/admin/law/base_salary"))

    assert (
        text.index("01/07/2024") < text.index("01/07/2023"),
        "Nghị định số 73/2024/NĐ-CP" in text,
        "Nghị định số 24/2023/NĐ-CP" in text,
    ) == (True, True, True)


def test_an_amount_keeps_its_unit_and_a_long_source_breaks_in_its_cell(
    app: Flask, admin: Client
) -> None:
    # "2.340.000 / đ" wrapped in the history, and a source typed without spaces widened the
    # table past the page.
    unbroken = "Nghị_định_số_999/2030/NĐ-CP_" * 8
    admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": "2030-01-01", "text": "2.530.000", "source": unbroken},
    )

    history = page(admin.get("/admin/law/base_salary"))
    bases = page(admin.get("/admin/law/decision.bases"))
    index = page(admin.get("/admin/law"))
    css = (Path(app.static_folder or "") / "css" / "app.css").read_text()

    assert (
        '<span class="text-nowrap">2.530.000 đ</span>' in history,
        '<span class="text-nowrap">2.340.000 đ</span>' in index,
        f'<td class="small cell-long-text">{unbroken}</td>' in history,
        '<td class="pre-line cell-long-text">Căn cứ Luật Tổ chức' in bases,
        '<td class="small cell-long-text">Nghị định số 73/2024/NĐ-CP</td>' in index,
        ".cell-long-text { overflow-wrap: anywhere;" in css,
    ) == (True,) * 6


def test_a_bad_value_keeps_what_was_typed_and_says_why(admin: Client) -> None:
    response = admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": "2026-07-01", "text": "hai triệu rưỡi", "source": "Nghị định mới"},
    )

    text = page(response)
    assert (
        response.status_code,
        "hai triệu rưỡi" in text,
        whole_amount() in text,
        db.session.scalars(select(LawValue)).all(),
    ) == (200, True, True, [])


def whole_amount() -> str:
    """The refusal of an amount, in the page's language (Vietnamese once translated)."""
    return _(
        "Type a whole amount in đồng from %(least)s to %(most)s.",
        least="1",
        most="1.000.000.000.000",
    )


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("base_salary", "0", whole_amount),
        ("money.rounding", "0", whole_amount),
        ("decision.bases", "   \n  ", lambda: _("Type at least one line.")),
    ],
)
def test_a_value_that_makes_no_sense_is_refused_under_its_field(
    admin: Client, key: str, typed: str, message: Callable[[], str]
) -> None:
    # A salary or a rounding step of 0 đ, and a decision citing no legal basis, were saved
    # with "Đã lưu giá trị.".
    response = admin.post_form(
        f"/admin/law/{key}",
        {"valid_from": "2026-07-01", "text": typed, "source": "Nguồn gõ nhầm", "note": "Ghi chú"},
    )

    text = page(response)
    assert (
        response.status_code,
        f'<div class="invalid-feedback d-block" id="text-error">{message()}</div>' in text,
        'value="Nguồn gõ nhầm"' in text,
        "\nGhi chú</textarea>" in text,
        "Đã lưu giá trị." in text,
        db.session.scalars(select(LawValue)).all(),
    ) == (200, True, True, True, False, [])


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("1.490.000,00", 1_490_000), ("1 490 000", 1_490_000), ("2,53", None), ("1.49", None)],
)
def test_the_base_salary_is_read_as_vietnamese_write_it(
    admin: Client, typed: str, saved: int | None
) -> None:
    # "1.490.000,00" was saved as 149.000.000 đ and "2,53" as 253 đ, each with a success.
    response = admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": "2019-07-01", "text": typed, "source": "Nghị định 38/2019/NĐ-CP"},
    )

    stored = db.session.scalars(select(LawValue)).all()
    assert (response.status_code, len(stored)) == ((302, 1) if saved else (200, 0))
    if saved:
        assert rules_on(date(2019, 7, 1)).base_salary == saved
    else:
        assert whole_amount() in page(response)


def test_a_good_value_is_saved_and_applies_from_its_day(admin: Client) -> None:
    response = admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": "2026-07-01", "text": "2.530.000", "source": "Nghị định mới"},
    )

    stored = db.session.scalars(select(LawValue)).one()
    assert (
        response.status_code,
        response.headers["Location"],
        rules_on(date(2026, 7, 1)).base_salary,
        admin.get(f"/admin/law?value={stored.id}").headers["Location"],
    ) == (302, "/admin/law/base_salary", 2_530_000, "/admin/law/base_salary")


def _value(admin: Client, day: date) -> LawValue:
    admin.post_form(
        "/admin/law/base_salary",
        {"valid_from": day.isoformat(), "text": "2.530.000", "source": "Nghị định mới"},
    )
    return db.session.scalars(select(LawValue).where(LawValue.valid_from == day)).one()


def test_only_a_value_not_yet_in_force_has_a_delete_button_that_asks_first(
    admin: Client,
) -> None:
    today = local_today()
    future, current = _value(admin, today + timedelta(days=1)), _value(admin, today)

    text = page(admin.get("/admin/law/base_salary"))

    assert (
        f'action="/admin/law/values/{future.id}/delete"' in text,
        f'data-confirm="{_delete_question(future.valid_from)}"' in text,
        f'action="/admin/law/values/{current.id}/delete"' in text,
        text.count("/delete"),
    ) == (True, True, False, 1)


def _delete_question(day: date) -> str:
    return _(
        "Delete the value from %(date)s? It is not yet in force; the earlier value goes on "
        "applying.",
        date=day.strftime("%d/%m/%Y"),
    )


def test_a_value_not_yet_in_force_is_deleted(admin: Client) -> None:
    # Entered with a wrong date (01/01/2030), it would take effect that day.
    wrong = _value(admin, date(2030, 1, 1))

    response = admin.post_form(f"/admin/law/values/{wrong.id}/delete")

    assert (
        response.status_code,
        response.headers["Location"],
        db.session.scalars(select(LawValue)).all(),
        rules_on(date(2030, 1, 1)).base_salary,
        _("The dated value has been deleted.") in page(admin.get("/admin/law/base_salary")),
    ) == (302, "/admin/law/base_salary", [], 2_340_000, True)


def test_a_value_in_force_is_not_deleted_and_the_page_says_why(admin: Client) -> None:
    current = _value(admin, local_today())

    response = admin.post_form(f"/admin/law/values/{current.id}/delete")

    assert (
        response.status_code,
        _(
            "This value has been in force since %(date)s: documents dated since then were "
            "made with it, so it cannot be deleted. To change it from a later day, add a "
            "value from that day.",
            date=f"{local_today():%d/%m/%Y}",
        )
        in page(response),
        db.session.scalars(select(LawValue.id)).all(),
    ) == (409, True, [current.id])


def test_a_deletion_needs_the_forms_token_and_an_existing_value(admin: Client) -> None:
    wrong = _value(admin, date(2030, 1, 1))

    assert (
        admin.post(f"/admin/law/values/{wrong.id}/delete").status_code,
        admin.post_form(f"/admin/law/values/{wrong.id + 1}/delete").status_code,
        db.session.scalars(select(LawValue.id)).all(),
    ) == (400, 404, [wrong.id])


def test_a_vote_rule_is_entered_with_its_fields(admin: Client) -> None:
    response = admin.post_form(
        "/admin/law/vote.cstd_tinh",
        {
            "valid_from": "2026-01-01",
            "source": "Quy chế",
            "method": "secret_ballot",
            "threshold": "abc",
            "base": "all_members",
            "required": "y",
        },
    )

    assert (response.status_code, "Nhập một số, ví dụ 0,3." in page(response)) == (200, True)


def test_an_unknown_rule_is_not_found(admin: Client) -> None:
    assert admin.get("/admin/law/no.such.rule").status_code == 404


def test_others_may_not_see_or_change_the_law(app: Flask, as_user) -> None:  # type: ignore[no-untyped-def]
    body = AwardingBodyFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE)
    future = LawValue(
        key="base_salary", valid_from=date(2030, 1, 1), value=2_530_000, source="Nghị định"
    )
    db.session.add(future)
    db.session.flush()
    client = as_user(user_with(Role.SECRETARIAT, body))

    assert (
        client.get("/admin/law").status_code,
        client.get("/admin/law/base_salary").status_code,
        client.post_form(
            "/admin/law/base_salary",
            {"valid_from": "2026-07-01", "text": "1", "source": "x"},
        ).status_code,
        client.post_form(f"/admin/law/values/{future.id}/delete").status_code,
        db.session.scalars(select(LawValue.id)).all(),
    ) == (403, 403, 403, 403, [future.id])


@pytest.mark.no_database
def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/admin/law")

    assert (response.status_code, response.headers["Location"].startswith("/login")) == (
        302,
        True,
    )


def test_a_bodys_settings_show_the_laws_bases_before_its_own(app: Flask, as_user) -> None:  # type: ignore[no-untyped-def]
    body = AwardingBodyFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE)
    client = as_user(user_with(Role.SECRETARIAT, body, locale="vi"))

    text = page(client.get(f"/decisions/settings/{body.id}"))

    assert (
        "Căn cứ pháp lý hiện hành (ghi trước)" in text,
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025" in text,
        "Căn cứ bổ sung của cơ quan" in text,
    ) == (True, True, True)
