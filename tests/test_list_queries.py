"""Every list page sends as many queries with 3 rows as with 9: what a list shows is loaded
eagerly (docs/style.md, Data), so an N+1 breaks one of these tests.

The nominations list, the user list and the login throttles are counted beside their other
tests (tests/nominations/test_lists.py, tests/admin/).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from itertools import count

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.auth.enums import Role
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.services import offer_award
from recognition.certificates.rendering import store_certificates
from recognition.common.outbox import OutboxMessage
from recognition.council import services as council
from recognition.council.enums import CouncilRole
from recognition.database import local_today
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.workflow import apply_transition
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify
from recognition.units.enums import UnitKind
from tests.conftest import Client
from tests.council.helpers import TERM_START, accepted, client_for, new_session, seat_council
from tests.decisions.helpers import ISSUE_DAY, drafted, passed, posting_award
from tests.support.factories import (
    AwardTypeFactory,
    CampaignFactory,
    UnitFactory,
    UserFactory,
    grant,
)
from tests.workflow.helpers import INSIDE, Scene, build_scene, dossier_in, new_hamlet

FEW, MORE = 3, 6  # 3 rows, then 9


@pytest.fixture(autouse=True)
def _in_request(app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def scene() -> Scene:
    return build_scene()


Grow = Callable[[int], list[str]]


def assert_flat(client: Client, count_queries, url: str | Callable[[], str], grow: Grow) -> int:  # type: ignore[no-untyped-def]
    """The queries of `url` after `grow(3)` and again after `grow(6)` more rows are the same;
    `grow` returns what each new row shows on the page. Returns the count."""
    counts = []
    for rows in (FEW, MORE):
        shown = grow(rows)
        db.session.commit()
        address = url() if callable(url) else url
        client.get(address)  # warm up: the client's first request loads its session
        with count_queries() as queries:
            response = client.get(address)
        assert response.status_code == 200
        page = html.unescape(response.get_data(as_text=True))
        assert [text for text in shown if text not in page] == []
        counts.append(queries)
    few, many = counts
    assert few() == many(), "\n\n".join(many.statements)  # the statements say what grew
    assert few() > 0
    return few()


def hamlets(prefix: str) -> Iterator[str]:
    """Names for new hamlets: "Ấp <prefix> 1", "Ấp <prefix> 2" …"""
    return (f"Ấp {prefix} {number}" for number in count(1))


# --- council ----------------------------------------------------------------------------


def test_council_index(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    seat_council(scene, 3)

    def grow(rows: int) -> list[str]:
        return [f"/council/sessions/{new_session(scene, []).id}" for _ in range(rows)]

    assert_flat(client_for(app, scene.secretariat), count_queries, "/council/", grow)


def test_council_members(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    seat_council(scene, 2)
    names = (f"Thành Viên Đếm {n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        shown = []
        for _ in range(rows):
            user = UserFactory(full_name=next(names))
            council.add_member(scene.body, user, role=CouncilRole.MEMBER, term_start=TERM_START)
            shown.append(user.full_name)
        return shown

    url = f"/council/members/{scene.body.id}"
    assert_flat(client_for(app, scene.secretariat), count_queries, url, grow)


def test_council_session_agenda(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    seat_council(scene, 3)
    session = new_session(scene, [])
    names = hamlets("Nghị Sự")

    def grow(rows: int) -> list[str]:
        dossiers = [accepted(scene, nominee=new_hamlet(scene, next(names))) for _ in range(rows)]
        council.add_to_agenda(session, dossiers, actor=scene.secretariat)
        return [d.nominee_unit.name for d in dossiers]

    url = f"/council/sessions/{session.id}"
    assert_flat(client_for(app, scene.secretariat), count_queries, url, grow)


# --- decisions --------------------------------------------------------------------------


def test_decisions_index(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    names = hamlets("Quyết Định")

    def grow(rows: int) -> list[str]:
        made = [drafted(scene, [passed(scene, name=next(names))]) for _ in range(rows)]
        waiting = [passed(scene, name=next(names)) for _ in range(rows)]  # passed, no decision
        return [f"/decisions/{d.id}" for d in made] + [n.nominee_unit.name for n in waiting]

    assert_flat(client_for(app, scene.secretariat), count_queries, "/decisions/", grow)


def test_decision_detail_lines(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    names = hamlets("Dòng")
    made: list[Decision] = []

    def grow(rows: int) -> list[str]:
        # A new draft each time, with 3 lines and then 9.
        nominations = [passed(scene, name=next(names)) for _ in range(rows + 3 * len(made))]
        made.append(drafted(scene, nominations))
        return [n.nominee_unit.name for n in nominations]

    client = client_for(app, scene.secretariat)
    assert_flat(client, count_queries, lambda: f"/decisions/{made[-1].id}", grow)


def test_golden_book(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    names = hamlets("Sổ Vàng")

    def grow(rows: int) -> list[str]:
        decision = drafted(scene, [passed(scene, name=next(names)) for _ in range(rows)])
        decisions.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
        store_certificates(decision)
        return [line.nomination.nominee_unit.name for line in decision.lines]

    url = f"/decisions/golden-book/{scene.body.id}"
    assert_flat(client_for(app, scene.secretariat), count_queries, url, grow)


def test_public_posting(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    award = posting_award(scene)
    names = hamlets("Công Khai")
    made: list[Decision] = []

    def grow(rows: int) -> list[str]:
        # A new posted draft each time, with 3 lines and then 9.
        size = rows + 3 * len(made)
        nominations = [passed(scene, name=next(names), award=award) for _ in range(size)]
        decision = drafted(scene, nominations)
        decisions.start_posting(decision, actor=scene.secretariat, today=local_today())
        made.append(decision)
        return [n.nominee_unit.name for n in nominations]

    app.test_client_class = Client
    anonymous: Client = app.test_client()  # type: ignore[assignment]
    assert_flat(anonymous, count_queries, lambda: f"/posted/{made[-1].id}", grow)


# --- campaigns --------------------------------------------------------------------------


def test_campaign_list(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    names = (f"Phong trào đếm {n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        made = [
            CampaignFactory(
                awarding_body=scene.body,
                name=next(names),
                awards=[scene.award],
                status=CampaignStatus.OPEN,
            )
            for _ in range(rows)
        ]
        return [c.name for c in made]

    assert_flat(client_for(app, scene.nominator), count_queries, "/campaigns/", grow)
    assert_flat(client_for(app, scene.secretariat), count_queries, "/campaigns/", grow)


def test_campaign_page(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    numbers = iter(range(100))

    def grow(rows: int) -> list[str]:
        awards = []
        for _ in range(rows):
            number = next(numbers)
            awards.append(
                AwardTypeFactory(
                    awarding_body=scene.body, code=f"DEM{number}", name=f"Danh hiệu {number}"
                )
            )
        AwardTypeFactory(awarding_body=scene.body, code=f"CHO{number}")  # one more to offer
        for award in awards:
            offer_award(scene.campaign, award, quota=None)
        for _ in awards:  # and as many dossiers
            dossier_in(scene, NominationState.SUBMITTED)
        return [a.name for a in awards]

    url = f"/campaigns/{scene.campaign.id}"
    assert_flat(client_for(app, scene.secretariat), count_queries, url, grow)
    assert_flat(client_for(app, scene.nominator), count_queries, url, grow)


def test_catalogue(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    codes = (f"MUC{n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        awards = [
            AwardTypeFactory(awarding_body=scene.body, code=next(codes), name=f"Mục {n}")
            for n in range(rows)
        ]
        return [a.code for a in awards]

    assert_flat(client_for(app, scene.secretariat), count_queries, "/catalogue/", grow)


# --- units, logs, notifications -----------------------------------------------------------


def test_unit_tree(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    names = (f"Xã Đếm {n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        made = []
        for _ in range(rows):
            commune = UnitFactory(name=next(names), kind=UnitKind.COMMUNE, parent=scene.body)
            UnitFactory(name=f"Ấp của {commune.name}", kind=UnitKind.HAMLET, parent=commune)
            made.append(commune.name)
        return made

    assert_flat(client_for(app, scene.admin), count_queries, "/admin/units/", grow)
    search = "/admin/units/?q=%C4%90%E1%BA%BFm"  # ?q=Đếm
    assert_flat(client_for(app, scene.admin), count_queries, search, grow)


def test_audit_log(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    def grow(rows: int) -> list[str]:
        dossiers = [dossier_in(scene, NominationState.DRAFT) for _ in range(rows)]
        for dossier in dossiers:
            apply_transition(dossier, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        return [d.reference for d in dossiers]

    assert_flat(client_for(app, scene.admin), count_queries, "/admin/audit", grow)


def test_mail_log(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    numbers = count(1)

    def grow(rows: int) -> list[str]:
        messages = [
            OutboxMessage(
                recipient=f"nguoi{n}@example.org", subject="Thử", body="", last_error="timeout"
            )
            for n in (next(numbers) for _ in range(rows))
        ]
        db.session.add_all(messages)
        db.session.flush()
        return [m.recipient for m in messages]

    assert_flat(client_for(app, scene.admin), count_queries, "/admin/mail", grow)


def test_notifications(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    texts = (f"Thông báo {n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        made = [
            notify(
                scene.nominator,
                kind=NotificationKind.GENERAL,
                text=next(texts),
                link="/nominations/",
            )
            for _ in range(rows)
        ]
        return [n.text for n in made]

    url = "/notifications/"
    assert_flat(client_for(app, scene.nominator), count_queries, url, grow)


# --- review and dashboard ---------------------------------------------------------------


def test_review_inbox(app: Flask, scene: Scene, count_queries) -> None:  # type: ignore[no-untyped-def]
    def grow(rows: int) -> list[str]:
        made = [dossier_in(scene, NominationState.SUBMITTED) for _ in range(rows)]
        made += [dossier_in(scene, NominationState.IN_REVIEW) for _ in range(rows)]
        return [n.reference for n in made]

    assert_flat(client_for(app, scene.secretariat), count_queries, "/review/", grow)


@pytest.mark.parametrize("role", ["nominator", "secretariat", "council_member", "chair", "admin"])
def test_dashboard(app: Flask, scene: Scene, count_queries, role: str) -> None:  # type: ignore[no-untyped-def]
    names = (f"Xã Bảng {n}" for n in range(100))

    def grow(rows: int) -> list[str]:
        communes = []
        for _ in range(rows):
            dossier_in(scene, NominationState.SUBMITTED)
            dossier_in(scene, NominationState.DRAFT)
            communes.append(UnitFactory(name=next(names), kind=UnitKind.COMMUNE, parent=scene.body))
            grant(scene.users[role], Role.NOMINATOR, communes[-1])  # a unit more on the page
        return [c.name for c in communes]

    assert_flat(client_for(app, scene.users[role]), count_queries, "/dashboard", grow)
