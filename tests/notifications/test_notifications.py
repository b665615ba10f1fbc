"""Who is told what when a dossier moves, the bell in the navigation bar, and "mark all read"."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.database import utcnow
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.notifications.enums import NotificationKind
from recognition.notifications.models import Notification
from recognition.notifications.services import mark_all_read
from tests.support.factories import grant, user_with
from tests.workflow.helpers import INSIDE, Scene, build_scene, dossier_in, draft, flashes

pytestmark = pytest.mark.integration

S = NominationState


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


def told(after_id: int = 0) -> list[tuple[int, str, str]]:
    """(user id, text, link) of each notification made after `after_id`, by user then id."""
    return [
        (n.user_id, n.text, n.link)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.id > after_id)
            .order_by(Notification.user_id, Notification.id)
        )
    ]


def last_notification_id() -> int:
    return max(db.session.scalars(select(Notification.id)), default=0)


def nominators_of_unit_a(scene: Scene) -> dict[str, User]:
    """Besides the dossier's author: a colleague in Xã Sơn Định, a nominator of the district above
    it, one in another commune, and a disabled colleague."""
    disabled = user_with(Role.NOMINATOR, scene.commune_a, locale="en", full_name="Ngô Văn Nghỉ")
    disabled.disabled_at = utcnow()
    return {
        "colleague": user_with(
            Role.NOMINATOR, scene.commune_a, locale="en", full_name="Bùi Thị Cúc"
        ),
        "district": user_with(Role.NOMINATOR, scene.body, locale="en", full_name="Mai Văn Huyện"),
        "disabled": disabled,
    }


@pytest.mark.usefixtures("_in_request")
def test_submit_tells_the_bodys_secretariat() -> None:
    scene = build_scene()
    colleague = user_with(Role.SECRETARIAT, scene.body, locale="en", full_name="Đỗ Thị Mai")
    nomination = draft(scene)
    before = last_notification_id()

    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)

    text = f"New dossier to appraise: {nomination.nominee_name} — Tập thể tiêu biểu."
    link = f"/nominations/{nomination.id}"
    assert told(before) == sorted([(scene.secretariat.id, text, link), (colleague.id, text, link)])


@pytest.mark.usefixtures("_in_request")
@pytest.mark.parametrize(
    ("action", "comment", "message"),
    [
        (
            Action.SEND_BACK,
            "Bổ sung biên bản",
            "The dossier of {nominee} (Tập thể tiêu biểu) was sent back for changes. "
            "Comment: Bổ sung biên bản",
        ),
        (Action.ACCEPT, "", "The dossier of {nominee} (Tập thể tiêu biểu) was accepted."),
        (
            Action.REJECT,
            "Không đủ điều kiện",
            "The dossier of {nominee} (Tập thể tiêu biểu) was rejected. "
            "Comment: Không đủ điều kiện",
        ),
    ],
)
def test_a_decision_tells_the_nominators(action: Action, comment: str, message: str) -> None:
    scene = build_scene()
    others = nominators_of_unit_a(scene)
    nomination = dossier_in(scene, S.IN_REVIEW)
    before = last_notification_id()

    apply_transition(nomination, action, actor=scene.secretariat, comment=comment)

    text = message.format(nominee=nomination.nominee_name)
    link = f"/nominations/{nomination.id}"
    # Not the district's own nominator: the district is the awarding body, and its nominator
    # proposes the district's own dossiers, not each of its communes'.
    assert told(before) == sorted(
        [(scene.nominator.id, text, link), (others["colleague"].id, text, link)]
    )


@pytest.mark.usefixtures("_in_request")
def test_the_actor_is_not_told_of_their_own_action() -> None:
    scene = build_scene()
    # A secretariat officer who also nominates for Xã Sơn Định sends its dossier back.
    both = user_with(Role.SECRETARIAT, scene.body, locale="en", full_name="Lý Thị Hai")
    grant(both, Role.NOMINATOR, scene.commune_a)
    nomination = dossier_in(scene, S.IN_REVIEW)
    before = last_notification_id()

    apply_transition(nomination, Action.SEND_BACK, actor=both, comment="Bổ sung")

    assert [user_id for user_id, _text, _link in told(before)] == [scene.nominator.id]


@pytest.mark.usefixtures("_in_request")
def test_steps_that_concern_nobody_else_tell_nobody() -> None:
    scene = build_scene()
    nomination = dossier_in(scene, S.SUBMITTED)
    before = last_notification_id()

    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    after_send_back = last_notification_id()
    apply_transition(nomination, Action.WITHDRAW, actor=scene.nominator)

    assert (len(told(before)), told(after_send_back)) == (1, [])


@pytest.mark.usefixtures("_in_request")
def test_each_person_is_told_in_their_own_language() -> None:
    scene = build_scene()
    scene.secretariat.locale = "vi"
    english = user_with(Role.SECRETARIAT, scene.body, locale="en", full_name="Đỗ Thị Mai")
    nomination = draft(scene)
    before = last_notification_id()

    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)

    texts = {user_id: text for user_id, text, _link in told(before)}
    assert texts == {
        scene.secretariat.id: (
            f"Hồ sơ mới cần thẩm định: {nomination.nominee_name} — Tập thể tiêu biểu."
        ),
        english.id: f"New dossier to appraise: {nomination.nominee_name} — Tập thể tiêu biểu.",
    }


# --- the bell -------------------------------------------------------------------------------


def bell(html: str) -> int:
    found = re.search(
        r'<span class="badge rounded-pill text-bg-warning">(\d+)<span class="visually-hidden">',
        html,
    )
    return int(found.group(1)) if found else 0


def unread_on_page(html: str) -> list[bool]:
    return [
        "fw-semibold" in classes
        for classes in re.findall(
            r'<button type="submit" class="list-group-item-action([^"]*)"', html
        )
    ]


def test_the_bell_counts_unread_notifications_until_marked_read(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        dossiers: list[Nomination] = [draft(scene), draft(scene)]
        for nomination in dossiers:
            apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.commit()
    as_user(scene.secretariat)

    dashboard = client.get("/dashboard").get_data(as_text=True)
    before = bell(dashboard)
    listing = client.get("/notifications/").get_data(as_text=True)
    # On a phone the menu folds away: a second bell, with the same count, stays beside it.
    folded = dashboard.split('id="nav-main"')
    assert (bell(folded[0]), bell(folded[1])) == (2, 2)
    assert "rc-bell-narrow" in folded[0]
    marked = client.post_form("/notifications/read")
    after = client.get(marked.headers["Location"]).get_data(as_text=True)

    assert (
        before,
        unread_on_page(listing),
        flashes(after),
        bell(after),
        unread_on_page(after),
    ) == (
        2,
        [True, True],
        [("success", "2 notifications marked as read.")],
        0,
        [False, False],
    )


def test_opening_a_notification_marks_it_read_and_shows_its_page(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        dossiers: list[Nomination] = [draft(scene), draft(scene)]
        for nomination in dossiers:
            apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        other = Notification(
            user_id=scene.nominator.id, kind=NotificationKind.GENERAL, text="Not yours", link="/x"
        )
        odd = Notification(
            user_id=scene.secretariat.id,
            kind=NotificationKind.GENERAL,
            text="Elsewhere",
            link="//example.com/",
        )
        db.session.add_all([other, odd])
        db.session.commit()
        mine = db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == scene.secretariat.id, Notification.link != "//example.com/"
            )
            .order_by(Notification.id)
        ).all()
        first, first_link, others_id, odd_id = mine[0].id, mine[0].link, other.id, odd.id
    as_user(scene.secretariat)

    opened = client.post_form("/notifications/open", {"notification": str(first)})
    listing = client.get("/notifications/").get_data(as_text=True)
    theirs = client.post_form("/notifications/open", {"notification": str(others_id)})
    outside = client.post_form("/notifications/open", {"notification": str(odd_id)})
    nonsense = client.post_form("/notifications/open", {"notification": "99999999999999"})
    with app.app_context():
        still_unread = db.session.get(Notification, others_id).read_at is None  # type: ignore[union-attr]

    assert (opened.status_code, opened.headers["Location"]) == (302, first_link)
    assert first_link.startswith("/nominations/")
    # Newest first: the second dossier's notice and the odd one stay unread.
    assert unread_on_page(listing) == [True, True, False]
    assert bell(listing) == 2
    assert theirs.headers["Location"].endswith("/notifications/") and still_unread
    assert outside.headers["Location"].endswith("/notifications/")
    assert (nonsense.status_code, nonsense.headers["Location"].endswith("/notifications/")) == (
        302,
        True,
    )


def test_the_nominators_bell_after_a_send_back(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = dossier_in(scene, S.IN_REVIEW)
        mark_all_read(scene.secretariat)  # the submission's notice, read
        db.session.commit()
    as_user(scene.secretariat)
    client.post_form(
        f"/nominations/{nomination.id}/do/send_back",
        {"version": str(nomination.version), "comment": "Bổ sung"},
    )
    secretariat_bell = bell(client.get("/dashboard").get_data(as_text=True))
    client.post_form("/logout")

    as_user(scene.nominator)
    page = client.get("/dashboard").get_data(as_text=True)

    assert (secretariat_bell, bell(page)) == (0, 1)


def test_the_bell_says_99_plus_beyond_99_unread(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        db.session.add_all(
            Notification(
                user_id=scene.secretariat.id, kind=NotificationKind.GENERAL, text=f"Thông báo {n}"
            )
            for n in range(100)
        )
        db.session.commit()
    as_user(scene.secretariat)

    crowded = client.get("/dashboard").get_data(as_text=True)
    with app.test_request_context():
        for notification in db.session.scalars(
            select(Notification).where(Notification.user_id == scene.secretariat.id).limit(2)
        ):
            notification.read_at = utcnow()
        db.session.commit()
    fewer = client.get("/dashboard").get_data(as_text=True)

    # The bell of the wide menu and the one beside the folded menu's button.
    badge = r'text-bg-warning">([^<]+)<span class="visually-hidden"> unread'
    assert (re.findall(badge, crowded), re.findall(badge, fewer)) == (["99+"] * 2, ["98"] * 2)


@pytest.mark.parametrize(
    ("kind", "to_state", "comment", "said"),
    [
        (
            "title",
            "awarded",
            "Quyết định số 1189/QĐ-UBND",
            "Ấp Sơn Qui đã được công nhận danh hiệu “Ấp văn hóa” (Quyết định số 1189/QĐ-UBND).",
        ),
        (
            "commendation",
            "awarded",
            "Quyết định số 1189/QĐ-UBND",
            "Ấp Sơn Qui đã được tặng Ấp văn hóa (Quyết định số 1189/QĐ-UBND).",
        ),
        (
            "title",
            "passed",
            "9 đồng ý, 0 không đồng ý",
            "Hội đồng đã thông qua đề nghị công nhận danh hiệu “Ấp văn hóa” cho Ấp Sơn Qui. "
            "Kết quả biểu quyết: 9 đồng ý, 0 không đồng ý",
        ),
    ],
)
def test_a_title_is_recognised_and_a_vote_s_count_is_its_result(
    app: Flask, kind: str, to_state: str, comment: str, said: str
) -> None:
    from types import SimpleNamespace

    from recognition.nominations.effects import _message

    nomination = SimpleNamespace(
        nominee_name="Ấp Sơn Qui", award_type=SimpleNamespace(name="Ấp văn hóa", kind=kind)
    )
    action = {"awarded": "award", "passed": "close_vote"}[to_state]
    event = SimpleNamespace(to_state=to_state, comment=comment, action=action)

    with app.test_request_context(), force_locale("vi"):
        assert _message(event, nomination) == said  # type: ignore[arg-type]


def test_a_dossier_passed_without_a_vote_keeps_its_comment_a_comment(app: Flask) -> None:
    from types import SimpleNamespace

    from recognition.nominations.effects import _message

    nomination = SimpleNamespace(
        nominee_name="Ấp Sơn Qui", award_type=SimpleNamespace(name="Giấy khen", kind="commendation")
    )
    event = SimpleNamespace(to_state="passed", comment="Hồ sơ đầy đủ", action="pass_simplified")

    with app.test_request_context(), force_locale("en"):
        said = _message(event, nomination)  # type: ignore[arg-type]

    assert said.endswith("Comment: Hồ sơ đầy đủ")
