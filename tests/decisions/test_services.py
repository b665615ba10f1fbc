"""Decision services: draft from passed dossiers, public posting and comments, issue (numbers,
awards through the workflow, certificates with serials and codes), annulment."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from recognition.certificates import codes
from recognition.certificates.services import _public_serial
from recognition.common.numbering import document_reference
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.notifications.enums import NotificationKind
from recognition.notifications.models import Notification
from recognition.units.settings import stored_settings
from recognition.units.workflow import merge_unit
from tests.decisions.helpers import (
    ACHIEVEMENT,
    ISSUE_DAY,
    certificates_of,
    drafted,
    issued,
    passed,
    passed_person,
    person_award,
    posting_award,
)
from tests.support.factories import UnitFactory
from tests.workflow.helpers import Scene, dossier_in, events_from, events_of

pytestmark = pytest.mark.integration
S = NominationState


def texts(**changes: str) -> services.DecisionTexts:
    values = {
        "title": "Về việc tặng Giấy khen",
        "legal_bases": "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "articles": "Điều 1. Tặng Giấy khen.\nĐiều 2. Quyết định có hiệu lực kể từ ngày ký.",
        "recipients": "- Như Điều 3;\n- Lưu: VT.",
        "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Chủ",
    }
    return services.DecisionTexts(**{**values, **changes})


# --- draft ----------------------------------------------------------------------------------------


def test_a_draft_lists_the_passed_dossiers_with_prefilled_texts(scene: Scene) -> None:
    first = passed(scene, name="Ấp Tân Thạnh")
    second = passed(scene, name="Ấp An Hòa")

    decision = drafted(scene, [first, second])

    assert (
        decision.state,
        decision.number,
        decision.reference,
        decision.title,
        [(line.position, line.recipient, line.detail) for line in decision.lines],
        [line.achievement for line in decision.lines],
        decision.legal_bases.splitlines()[0],
        decision.articles.splitlines()[0],
    ) == (
        "draft",
        None,
        None,
        "Về việc tặng Tập thể tiêu biểu",
        [(1, "Ấp An Hòa", "Xã Sơn Định"), (2, "Ấp Tân Thạnh", "Xã Sơn Định")],
        [ACHIEVEMENT, ACHIEVEMENT],
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;",
        # The count names what the decision awards, never "tập thể, cá nhân" for collectives.
        "Điều 1. Tặng Tập thể tiêu biểu cho 2 tập thể (có danh sách kèm theo) đã có thành "
        "tích xuất sắc trong phong trào thi đua “Đồng khởi mới”.",
    )


def test_a_person_s_position_that_names_the_unit_is_not_followed_by_it_again(
    scene: Scene,
) -> None:
    from tests.decisions.helpers import passed_person, person_award

    award = person_award(scene)
    team = scene.hamlet_a.name
    lines = drafted(
        scene,
        [
            passed_person(scene, award, name="Lê Văn Một", position=f"Tổ viên {team.lower()}"),
            passed_person(scene, award, name="Lê Văn Hai", position="Trưởng ấp"),
        ],
    ).lines

    # "Trưởng ấp" and "Ấp Phú Hữu" read as one; below the district (the awarding body) the
    # person's commune is named too.
    assert sorted(line.detail for line in lines) == [
        f"Trưởng ấp {team.removeprefix('Ấp ')}, xã Sơn Định",
        f"Tổ viên {team.lower()}, xã Sơn Định",
    ]


@pytest.mark.parametrize(
    "state",
    [S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.ON_AGENDA, S.FAILED, S.AWARDED, S.REJECTED],
)
def test_only_passed_dossiers_can_be_drafted(scene: Scene, state: NominationState) -> None:
    good = passed(scene)
    other = dossier_in(scene, state)

    with pytest.raises(DomainError) as error:
        drafted(scene, [good, other])

    assert error.value.message == f"{other.nominee_name} has not been passed by the council."


def test_a_draft_needs_at_least_one_dossier(scene: Scene) -> None:
    with pytest.raises(DomainError) as error:
        drafted(scene, [])

    assert error.value.message == "Choose at least one passed dossier."


def test_only_the_secretariat_drafts(scene: Scene) -> None:
    with pytest.raises(NotAllowed):
        services.draft_decision(scene.body, [passed(scene)], actor=scene.chair)


@pytest.mark.parametrize("first_state", ["draft", "posted"])
def test_a_dossier_in_a_live_decision_is_refused(scene: Scene, first_state: str) -> None:
    award = posting_award(scene)
    nomination = passed(scene, name="Ấp Hai Quyết Định", award=award)
    first = drafted(scene, [nomination])
    if first_state == "posted":
        services.start_posting(first, actor=scene.secretariat, today=ISSUE_DAY)

    with pytest.raises(DomainError) as error:
        drafted(scene, [nomination])

    assert error.value.message == "Ấp Hai Quyết Định is already in another decision."


# --- update_draft ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "posted"])
def test_the_secretariat_edits_a_draft_or_posted_decision(scene: Scene, state: str) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    if state == "posted":
        services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)

    services.update_draft(
        decision,
        # NFD input and stray spaces: stored NFC and trimmed.
        texts(title="  Về việc tặng Giấy khen  ", signer_name="Nguye\u0302\u0303n Văn Chủ"),
        actor=scene.secretariat,
    )

    assert (decision.title, decision.signer_name, decision.articles.splitlines()) == (
        "Về việc tặng Giấy khen",
        "Nguyễn Văn Chủ",
        ["Điều 1. Tặng Giấy khen.", "Điều 2. Quyết định có hiệu lực kể từ ngày ký."],
    )
    # Signing for the chair: the two lines Decree 30 sets, kept as two.
    assert decision.signer_title == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"


def test_article_3_names_whom_article_1_names(scene: Scene) -> None:
    one_person = drafted(scene, [passed_person(scene, person_award(scene), name="Lê Văn Bình")])
    collectives = drafted(scene, [passed(scene, name="Ấp Tân Thạnh"), passed(scene, name="Ấp An")])

    assert (
        "Thủ trưởng các cơ quan, đơn vị có liên quan và cá nhân có tên tại Điều 1"
        in (one_person.articles.splitlines()[-1])
    )
    assert "có liên quan và các tập thể có tên tại Điều 1" in collectives.articles.splitlines()[-1]


@pytest.mark.parametrize("role", ["chair", "council_member", "other_secretariat", "nominator"])
def test_only_the_secretariat_edits(scene: Scene, role: str) -> None:
    decision = drafted(scene, [passed(scene)])

    with pytest.raises(NotAllowed):
        services.update_draft(decision, texts(title="Đổi"), actor=scene.users[role])

    assert decision.title == "Về việc tặng Tập thể tiêu biểu"


@pytest.mark.parametrize("annul", [False, True])
def test_an_issued_or_annulled_decision_cannot_be_edited(scene: Scene, annul: bool) -> None:
    decision = issued(scene, 1)
    if annul:
        services.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")

    with pytest.raises(InvalidTransition) as error:
        services.update_draft(decision, texts(title="Đổi"), actor=scene.secretariat)

    assert (error.value.message, decision.title) == (
        "An issued decision cannot be changed.",
        "Về việc tặng Tập thể tiêu biểu",
    )


# --- public posting and comments ------------------------------------------------------------------


def test_posting_lasts_as_long_as_the_longest_title_requires(scene: Scene) -> None:
    seven = posting_award(scene, days=7, code="LDTT", name="Lao động tiên tiến")
    ten = posting_award(scene, days=10, code="TTLDTT", name="Tập thể lao động tiên tiến")
    decision = drafted(scene, [passed(scene, award=seven), passed(scene, award=ten)])

    services.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 2))

    assert (decision.state, decision.posting_starts_on, decision.posting_ends_on) == (
        "posted",
        date(2026, 3, 2),
        date(2026, 3, 12),
    )


def test_titles_without_posting_cannot_be_posted(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene)])

    with pytest.raises(DomainError) as error:
        services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)

    assert (error.value.message, decision.state) == (
        "None of these titles requires public posting.",
        "draft",
    )


def test_only_the_secretariat_posts_and_only_a_draft(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    with pytest.raises(NotAllowed):
        services.start_posting(decision, actor=scene.chair, today=ISSUE_DAY)
    services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)

    with pytest.raises(InvalidTransition) as error:
        services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)

    assert error.value.message == "Only a draft can be posted."


def feedback(decision: Decision, day: date, text: str = "Ấp này chưa xứng đáng") -> int:
    return services.add_feedback(
        decision, name=" Người  dân ", contact="0909 000 000", text=text, today=day
    ).id


def test_comments_are_taken_only_while_the_list_is_posted(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene, days=7))])
    start = date(2026, 3, 2)
    with pytest.raises(DomainError) as before:
        feedback(decision, start)
    services.start_posting(decision, actor=scene.secretariat, today=start)

    feedback(decision, start)
    feedback(decision, start + timedelta(days=7), text="Ngày cuối\r\ncòn nhận")
    with pytest.raises(DomainError) as after:
        feedback(decision, start + timedelta(days=8))
    services.issue_decision(decision, actor=scene.chair, today=start + timedelta(days=8))
    with pytest.raises(DomainError) as issued_error:
        feedback(decision, start + timedelta(days=8))

    closed = "This list is not open for comments."
    assert (
        [(f.name, f.text) for f in decision.feedback],
        before.value.message,
        after.value.message,
        issued_error.value.message,
    ) == (
        [("Người dân", "Ấp này chưa xứng đáng"), ("Người dân", "Ngày cuối\ncòn nhận")],
        closed,
        closed,
        closed,
    )


def test_the_secretariat_is_told_of_each_comment_quoted_to_200_characters(
    scene: Scene,
) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene, days=7))])
    services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)
    long_text = "Đề nghị xem lại " + "thành tích " * 40

    feedback(decision, ISSUE_DAY)
    services.add_feedback(decision, name="", contact="", text=long_text, today=ISSUE_DAY)

    told = db.session.scalars(
        select(Notification)
        .where(Notification.kind == NotificationKind.POSTING_COMMENT)
        .order_by(Notification.id)
    ).all()
    assert {n.user_id for n in told} == {scene.secretariat.id}
    assert [n.link for n in told] == [f"/decisions/{decision.id}"] * 2
    assert told[0].text == (
        f"A comment on the publicly posted list of “{decision.title}”, from Người dân: "
        "“Ấp này chưa xứng đáng”"
    )
    quoted = long_text[:200].rstrip() + "…"
    assert told[1].text.endswith(f"from anonymous: “{quoted}”")


def test_an_empty_comment_is_refused(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    services.start_posting(decision, actor=scene.secretariat, today=ISSUE_DAY)

    with pytest.raises(DomainError) as error:
        feedback(decision, ISSUE_DAY, text=" \u200b \n ")

    assert (error.value.message, error.value.field) == ("Please write your comment.", "text")


# --- issue ----------------------------------------------------------------------------------------


def test_issue_is_refused_until_the_posting_has_ended(scene: Scene) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene, days=7))])
    with pytest.raises(DomainError) as unposted:
        services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    services.start_posting(decision, actor=scene.secretariat, today=date(2026, 3, 2))

    with pytest.raises(DomainError) as last_day:
        services.issue_decision(decision, actor=scene.chair, today=date(2026, 3, 9))
    services.issue_decision(decision, actor=scene.chair, today=date(2026, 3, 10))

    assert (unposted.value.message, last_day.value.message, decision.reference) == (
        "These titles must first be posted publicly for 7 days.",
        "The public posting runs until 09/03/2026; the decision can be issued after that.",
        "01/QĐ-UBND",
    )


@pytest.mark.parametrize("role", ["secretariat", "council_member", "other_secretariat", "admin"])
def test_only_the_chair_issues(scene: Scene, role: str) -> None:
    decision = drafted(scene, [passed(scene)])

    with pytest.raises(NotAllowed):
        services.issue_decision(decision, actor=scene.users[role], today=ISSUE_DAY)
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)

    # The refusal took no number: the chair's issuing is number 1.
    assert (decision.state, decision.reference) == ("issued", "01/QĐ-UBND")


def test_decision_numbers_are_gapless_per_year(scene: Scene) -> None:
    this_year = [issued(scene, 1, names=[f"Ấp Số {i}"]) for i in range(1, 4)]
    next_year = issued(scene, 1, today=date(2027, 1, 2), names=["Ấp Năm Sau"])

    assert [(d.year, d.number, d.reference, d.issued_on) for d in [*this_year, next_year]] == [
        (2026, 1, "01/QĐ-UBND", ISSUE_DAY),
        (2026, 2, "02/QĐ-UBND", ISSUE_DAY),
        (2026, 3, "03/QĐ-UBND", ISSUE_DAY),
        (2027, 1, "01/QĐ-UBND", date(2027, 1, 2)),
    ]


def test_a_number_below_ten_is_written_with_a_leading_zero() -> None:
    # Decree 30/2020/NĐ-CP, Appendix I: "01/QĐ-UBND", never "1/QĐ-UBND".
    assert [document_reference(n, "QĐ-UBND") for n in (1, 9, 10, 125, 1189)] == [
        "01/QĐ-UBND",
        "09/QĐ-UBND",
        "10/QĐ-UBND",
        "125/QĐ-UBND",
        "1189/QĐ-UBND",
    ]


def test_the_number_suffix_comes_from_the_settings(scene: Scene) -> None:
    stored_settings(scene.body).number_suffix = "QĐ-HĐTĐKT"

    assert issued(scene, 1).reference == "01/QĐ-HĐTĐKT"


def test_issue_awards_every_dossier_through_the_workflow(scene: Scene) -> None:
    decision = issued(scene, 3)

    nominations = [line.nomination for line in decision.lines]
    assert [
        (
            n.state,
            [
                (e.action, e.from_state, e.to_state, e.actor_id, e.comment)
                for e in events_from(n, NominationState.PASSED)
            ],
        )
        for n in nominations
    ] == [
        (
            "awarded",
            [("award", "passed", "awarded", scene.chair.id, "Decision 01/QĐ-UBND")],
        )
    ] * 3


def test_issue_creates_one_certificate_per_line_with_consecutive_serials(scene: Scene) -> None:
    first = issued(scene, 3)
    second = issued(scene, 2, names=["Ấp Đợt Hai 1", "Ấp Đợt Hai 2"])
    later = issued(scene, 1, today=date(2027, 2, 1))

    code = scene.body.code
    assert [
        (c.line.recipient, c.year, c.serial, c.public_serial, c.state)
        for d in (first, second, later)
        for c in certificates_of(d)
    ] == [
        ("Ấp Khen Thưởng 2026-1", 2026, 1, f"{code}-2026-00001", "valid"),
        ("Ấp Khen Thưởng 2026-2", 2026, 2, f"{code}-2026-00002", "valid"),
        ("Ấp Khen Thưởng 2026-3", 2026, 3, f"{code}-2026-00003", "valid"),
        ("Ấp Đợt Hai 1", 2026, 4, f"{code}-2026-00004", "valid"),
        ("Ấp Đợt Hai 2", 2026, 5, f"{code}-2026-00005", "valid"),
        ("Ấp Khen Thưởng 2027-1", 2027, 1, f"{code}-2027-00001", "valid"),
    ]


def test_a_body_sharing_its_code_with_another_gets_serials_of_its_own(scene: Scene) -> None:
    # The body's predecessor had the same code until the body took it up, and awarded in 2026.
    code = scene.body.code
    predecessor = UnitFactory(name="Xã Trước Sáp Nhập", parent=scene.province)
    predecessor.is_awarding_body = True
    merge_unit(predecessor, successor=scene.body, actor=scene.admin, on=date(2026, 6, 30))
    predecessor.code = code
    first = certificates_of(issued(scene, 1))[0]

    assert first.public_serial == f"{code}-2026-00001"
    assert _public_serial(predecessor, 2026, 1) == f"{code}.{predecessor.id}-2026-00001"
    assert _public_serial(predecessor, 2026, 2) == f"{code}-2026-00002"
    assert _public_serial(scene.body, 2026, 2) == f"{code}-2026-00002"


def test_each_certificate_carries_a_verifying_hmac_code(scene: Scene) -> None:
    certificates = certificates_of(issued(scene, 3))

    given = [codes.public_code(c.key_id, c.code) for c in certificates]
    checks = [[codes.check_code(codes.essentials(c), code) for code in given] for c in certificates]
    assert (
        all(re.fullmatch(r"[0-9a-f]{32}", c.code) for c in certificates),
        len(set(given)),
        checks,
    ) == (
        True,
        3,
        [[True, False, False], [False, True, False], [False, False, True]],
    )


def test_an_issued_decision_cannot_be_issued_again(scene: Scene) -> None:
    decision = issued(scene, 1)

    with pytest.raises(InvalidTransition) as error:
        services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)

    assert (error.value.message, decision.number) == (
        "This decision has already been issued or annulled.",
        1,
    )


# --- annul ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\n"])
def test_annulment_needs_a_reason(scene: Scene, reason: str) -> None:
    decision = issued(scene, 1)

    with pytest.raises(DomainError) as error:
        services.annul_decision(decision, actor=scene.chair, reason=reason)

    assert (error.value.message, decision.state) == ("Please give a reason.", "issued")


@pytest.mark.parametrize("role", ["secretariat", "council_member", "admin"])
def test_only_the_chair_annuls(scene: Scene, role: str) -> None:
    decision = issued(scene, 1)

    with pytest.raises(NotAllowed):
        services.annul_decision(decision, actor=scene.users[role], reason="Sai sót")

    assert decision.state == "issued"


def test_annulment_annuls_the_awards_and_revokes_the_certificates(scene: Scene) -> None:
    decision = issued(scene, 2)

    services.annul_decision(decision, actor=scene.chair, reason="Hồ sơ khai không trung thực")

    nominations = [line.nomination for line in decision.lines]
    certificates = certificates_of(decision)
    assert (
        decision.state,
        decision.annul_reason,
        decision.annulled_at is not None,
        [n.state for n in nominations],
        [[e.action for e in events_from(n, NominationState.PASSED)] for n in nominations],
        [events_of(n)[-1].comment for n in nominations],
        [(c.state, c.revoked_at == decision.annulled_at) for c in certificates],
    ) == (
        "annulled",
        "Hồ sơ khai không trung thực",
        True,
        ["annulled", "annulled"],
        [["award", "annul"], ["award", "annul"]],
        ["Hồ sơ khai không trung thực"] * 2,
        [("revoked", True), ("revoked", True)],
    )


def test_only_an_issued_decision_can_be_annulled(scene: Scene) -> None:
    draft = drafted(scene, [passed(scene)])
    annulled = issued(scene, 1)
    services.annul_decision(annulled, actor=scene.chair, reason="Sai sót")

    with pytest.raises(InvalidTransition) as of_draft:
        services.annul_decision(draft, actor=scene.chair, reason="Sai sót")
    with pytest.raises(InvalidTransition) as twice:
        services.annul_decision(annulled, actor=scene.chair, reason="Lần nữa")

    assert (of_draft.value.message, twice.value.message) == (
        "Only an issued decision can be annulled.",
        "Only an issued decision can be annulled.",
    )
