"""Scenery for the workflow, review, audit and notification tests.

A province (an awarding body) above Huyện Chợ Lách (the awarding body of the campaign), with Xã
Sơn Định (the nominating unit, with hamlets as nominees) and Xã Vĩnh Bình (another unit); one
user per role the design names; a collective award type whose guards can all be satisfied.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.campaigns.enums import MeasureKind
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.common.audit import AuditEvent
from recognition.database import local_today
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import CriterionAppraisal, Nomination
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from tests.support.advance import advance_to, appraise, path_to
from tests.support.factories import (
    NominationFactory,
    UnitFactory,
)
from tests.support.worlds import (
    AwardSpec,
    CriterionSpec,
    UnitSpec,
    UserSpec,
    WorldSpec,
    build_world,
)

# The campaign's window for tests that pass `today=` to the workflow themselves.
OPENS = date(2025, 6, 1)
CLOSES = date(2025, 6, 30)
INSIDE = date(2025, 6, 15)

# The roles of the matrix, in the order the design lists them.
ROLES = (
    "nominator",  # nominator of the nominating unit
    "other_nominator",  # nominator of another unit
    "secretariat",  # secretariat of the awarding body
    "other_secretariat",  # secretariat of another awarding body (the province above)
    "council_member",
    "chair",
    "admin",  # administrator and nothing else
)

# A minimal valid PDF (the upload check sniffs the content).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_hamlets = count(1)


@dataclass
class Scene:
    province: Unit
    body: Unit
    commune_a: Unit
    hamlet_a: Unit
    commune_b: Unit
    award: AwardType
    campaign: Campaign
    yes_no: Criterion
    text: Criterion
    optional: Criterion
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def build_scene(
    *,
    opens_on: date = OPENS,
    closes_on: date = CLOSES,
    simplified: bool = True,
    locale: str = "en",
) -> Scene:
    """The province and district, two communes, one user per role and an open campaign."""
    world = build_world(
        WorldSpec(
            units=(
                UnitSpec("province", "Tỉnh Bến Tre", UnitKind.PROVINCE, awarding_body=True),
                UnitSpec(
                    "body", "Huyện Chợ Lách", UnitKind.DISTRICT, "province", awarding_body=True
                ),
                UnitSpec("commune_a", "Xã Sơn Định", UnitKind.COMMUNE, "body"),
                UnitSpec("hamlet_a", "Ấp Phú Hữu", UnitKind.HAMLET, "commune_a"),
                UnitSpec("commune_b", "Xã Vĩnh Bình", UnitKind.COMMUNE, "body"),
            ),
            body="body",
            awards=(
                AwardSpec(
                    "award",
                    "TTTB",
                    "Tập thể tiêu biểu",
                    criteria=(
                        CriterionSpec("yes_no", "TB1", "Hoàn thành xuất sắc nhiệm vụ"),
                        CriterionSpec(
                            "text",
                            "TB2",
                            "Có mô hình hay",
                            measure=MeasureKind.TEXT,
                            evidence_required=True,
                        ),
                        CriterionSpec("optional", "TB3", "Lắp camera an ninh", required=False),
                    ),
                    options={"simplified_allowed": simplified},
                ),
            ),
            users=(
                UserSpec("nominator", Role.NOMINATOR, "commune_a", "Trần Thị Ánh"),
                UserSpec("other_nominator", Role.NOMINATOR, "commune_b", "Lê Văn Bình"),
                UserSpec("secretariat", Role.SECRETARIAT, "body", "Phạm Văn Đức"),
                UserSpec("other_secretariat", Role.SECRETARIAT, "province", "Võ Thị Hoa"),
                UserSpec("council_member", Role.COUNCIL_MEMBER, "body", "Huỳnh Văn Lợi"),
                UserSpec("chair", Role.CHAIR, "body", "Nguyễn Văn Chủ"),
                UserSpec("admin", Role.ADMIN, "province", "Đặng Quản Trị"),
            ),
            campaign_name="Phong trào thi đua “Đồng khởi mới”",
            opens_on=opens_on,
            closes_on=closes_on,
            locale=locale,
        )
    )
    units, criteria = world.units, world.criteria
    return Scene(
        province=units["province"],
        body=units["body"],
        commune_a=units["commune_a"],
        hamlet_a=units["hamlet_a"],
        commune_b=units["commune_b"],
        award=world.awards["award"],
        campaign=world.campaign,
        yes_no=criteria["yes_no"],
        text=criteria["text"],
        optional=criteria["optional"],
        users=world.users,
    )


def open_around_today(days_before: int = 10, days_after: int = 30) -> dict[str, date]:
    """A window that includes the real local date (for tests going through HTTP)."""
    today = local_today()
    return {
        "opens_on": today - timedelta(days=days_before),
        "closes_on": today + timedelta(days=days_after),
    }


def complete_answers(scene: Scene) -> dict[int, Answer]:
    return {
        scene.yes_no.id: Answer(met=True),
        scene.text.id: Answer(text="Mô hình “Ấp thông minh”", evidence_note="Biên bản số 12"),
    }


def new_hamlet(scene: Scene, name: str | None = None) -> Unit:
    return UnitFactory(
        name=name or f"Ấp Thử {next(_hamlets)}", kind=UnitKind.HAMLET, parent=scene.commune_a
    )


def draft(
    scene: Scene,
    *,
    nominee: Unit | None = None,
    answered: bool = True,
    summary: str = "Tóm tắt thành tích",
) -> Nomination:
    """A draft made by the nominator, with every required criterion answered (by default)."""
    nomination = NominationFactory(
        campaign=scene.campaign,
        award_type=scene.award,
        actor=scene.nominator,
        nominee_unit=nominee or new_hamlet(scene),
    )
    update_nomination(
        nomination,
        Report(summary=summary),
        complete_answers(scene) if answered else {},
        actor=scene.nominator,
    )
    return nomination


def appraise_all(nomination: Nomination, reviewer: User, verdict: str = "agree") -> None:
    """Test setup: a verdict on every criterion (the service needs the in_review state)."""
    done = {a.criterion_id for a in nomination.appraisals}
    for criterion in nomination.award_type.criteria:
        if criterion.id not in done:
            nomination.appraisals.append(
                CriterionAppraisal(
                    criterion_id=criterion.id, verdict=verdict, note="", reviewer_id=reviewer.id
                )
            )
    db.session.flush()


def dossier_in(scene: Scene, state: NominationState, **kwargs: Any) -> Nomination:
    """A complete dossier taken to `state` through the workflow (`advance_to`); once in
    review, the secretariat has agreed with every criterion."""
    nomination = draft(scene, **kwargs)
    if NominationState.IN_REVIEW in path_to(state):
        advance_to(nomination, NominationState.IN_REVIEW, secretariat=scene.secretariat)
        appraise(nomination, scene.secretariat)
    return advance_to(
        nomination,
        state,
        nominator=scene.nominator,
        secretariat=scene.secretariat,
        chair=scene.chair,
    )


def events_of(nomination: Nomination) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_kind == "nomination", AuditEvent.object_id == nomination.id)
            .order_by(AuditEvent.id)
        )
    )


def events_from(nomination: Nomination, state: NominationState) -> list[AuditEvent]:
    """The dossier's events after it (last) reached `state`: what a test did to a dossier
    that its set-up took there."""
    events = events_of(nomination)
    reached = [i for i, e in enumerate(events) if e.to_state == state.value]
    return events[reached[-1] + 1 :] if reached else events


def event_count(action: str | None = None) -> int:
    query = select(func.count(AuditEvent.id))
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return db.session.scalar(query) or 0


def pdf_upload() -> io.BytesIO:
    return io.BytesIO(PDF)


# --- reading pages ---------------------------------------------------------------------------


def flashes(html: str) -> list[tuple[str, str]]:
    """The flashed messages of a page as (category, text)."""
    found = re.findall(
        r'<div class="alert alert-(\w+) alert-dismissible[^>]*>\s*(.*?)\s*<button', html, re.S
    )
    return [(category, unescape(text)) for category, text in found]


def unescape(text: str) -> str:
    import html

    return html.unescape(re.sub(r"\s+", " ", text).strip())


def offered_actions(html: str, nomination_id: int) -> set[str]:
    """The workflow actions a page offers as buttons for one dossier."""
    return set(re.findall(rf"/nominations/{nomination_id}/do/(\w+)\"", html))


def error_page(html: str) -> tuple[str, str]:
    """(title, message) of the readable error page."""
    title = re.search(r'<h1 class="h3 fw-bold">(.*?)</h1>', html, re.S)
    message = re.search(r'<p class="fs-5">(.*?)</p>', html, re.S)
    return (
        unescape(title.group(1)) if title else "",
        unescape(message.group(1)) if message else "",
    )


# --- a database of its own, for races that must commit (PostgreSQL) ---------------------------


@contextmanager
def race_database(tag: str) -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database beside the test database, dropped afterwards.

    The per-test rollback cannot hold a race: each thread needs its own connection and real
    commits, and the audit log is append-only, so what a race writes can only be thrown away
    with its database.
    """
    from tests.conftest import app_on_throwaway_postgres

    with app_on_throwaway_postgres(f"recognition_race_{tag}") as race_app:
        yield race_app
