"""Scenery for the council tests: a seated council, accepted dossiers, sessions ready to vote.

Built on tests.workflow.helpers' scene (a province above Huyện Chợ Lách, two communes, one user
per role). The scene's chair and council member take seats, and further members are added
through `services.add_member`, so every seat also carries the council-member role.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from recognition.auth.models import User
from recognition.campaigns.enums import NomineeKind, VoteBase, VoteMethod
from recognition.campaigns.models import AwardType
from recognition.campaigns.services import offer_award
from recognition.council import ballot_box, services
from recognition.council.enums import Choice, CouncilRole, SessionKind
from recognition.council.models import (
    AgendaItem,
    Ballot,
    CouncilMember,
    CouncilSession,
    Participation,
    SealedBallot,
)
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.units.models import Unit
from tests.conftest import Client, logged_in_client
from tests.support.advance import advance_to, answers_to
from tests.support.factories import AwardTypeFactory, NominationFactory, UserFactory
from tests.workflow.helpers import Scene, dossier_in, new_hamlet

TERM_START = date(2021, 7, 1)
HELD_ON = date(2025, 7, 10)
PLACE = "Hội trường UBND huyện Chợ Lách"


# --- the council ----------------------------------------------------------------------------


def seat_council(
    scene: Scene, size: int = 9, *, term_start: date = TERM_START, locale: str = "en"
) -> list[CouncilMember]:
    """The scene's chair (as chair) and council member, then `size - 2` new members."""
    seats = [
        services.add_member(scene.body, scene.chair, role=CouncilRole.CHAIR, term_start=term_start),
        services.add_member(
            scene.body, scene.council_member, role=CouncilRole.MEMBER, term_start=term_start
        ),
    ]
    for number in range(1, size - 1):
        user = UserFactory(full_name=f"Lê Thị Thành Viên {number}", locale=locale)
        role = CouncilRole.SECRETARY if number == 1 else CouncilRole.MEMBER
        seats.append(services.add_member(scene.body, user, role=role, term_start=term_start))
    return seats


def award_with(
    scene: Scene,
    *,
    code: str,
    name: str,
    method: VoteMethod = VoteMethod.SECRET_BALLOT,
    threshold: Decimal = Decimal(70),
    base: VoteBase = VoteBase.PRESENT,
    quorum: tuple[int, int] = (2, 3),
    chair_must_approve: bool = False,
    abstain_allowed: bool = False,
    nominee_kind: NomineeKind = NomineeKind.COLLECTIVE,
) -> AwardType:
    """An award type of the scene's body with this vote rule, offered by the scene's campaign."""
    award = AwardTypeFactory(
        awarding_body=scene.body,
        code=code,
        name=name,
        nominee_kind=nominee_kind,
        vote_method=method,
        vote_threshold_percent=threshold,
        vote_base=base,
        quorum_numerator=quorum[0],
        quorum_denominator=quorum[1],
        chair_must_approve=chair_must_approve,
        abstain_allowed=abstain_allowed,
    )
    offer_award(scene.campaign, award, quota=None)
    return award


def accepted(
    scene: Scene,
    award: AwardType | None = None,
    *,
    nominee: Unit | None = None,
    person_name: str = "",
    actor: User | None = None,
) -> Nomination:
    """A dossier taken to accepted through the workflow."""
    if award is None and actor is None:
        return dossier_in(scene, NominationState.ACCEPTED, nominee=nominee)
    award = award or scene.award
    if person_name:
        nomination = NominationFactory(
            campaign=scene.campaign,
            award_type=award,
            actor=actor or scene.nominator,
            person_name=person_name,
            person_position="Trưởng ấp",
            person_unit=nominee or scene.hamlet_a,
        )
    else:
        nomination = NominationFactory(
            campaign=scene.campaign,
            award_type=award,
            actor=actor or scene.nominator,
            nominee_unit=nominee or new_hamlet(scene),
        )
    update_nomination(
        nomination,
        Report(summary="Tóm tắt thành tích"),
        answers_to(nomination.award_type),
        actor=actor or scene.nominator,
    )
    return advance_to(
        nomination,
        NominationState.ACCEPTED,
        nominator=actor or scene.nominator,
        secretariat=scene.secretariat,
        chair=scene.chair,
    )


def new_session(
    scene: Scene,
    nominations: list[Nomination],
    *,
    kind: SessionKind = SessionKind.MEETING,
    held_on: date = HELD_ON,
    present: int | None = None,
) -> CouncilSession:
    """A session with `nominations` on its agenda and the first `present` members present
    (everyone by default; in writing for a written consultation)."""
    session = services.create_session(
        scene.body,
        services.SessionData(
            title="Phiên họp xét khen thưởng đợt 1 năm 2025",
            kind=kind,
            held_on=held_on,
            place=PLACE if kind == SessionKind.MEETING else "",
            consultation_closes_on=held_on if kind == SessionKind.WRITTEN else None,
        ),
    )
    if nominations:
        services.add_to_agenda(session, nominations, actor=scene.secretariat)
    status = "present" if kind == SessionKind.MEETING else "writing"
    roll = session.attendance if present is None else session.attendance[:present]
    services.set_attendance(session, {a.member_id: status for a in roll})
    return session


def voting_session(scene: Scene, nominations: list[Nomination], **kwargs: Any) -> CouncilSession:
    session = new_session(scene, nominations, **kwargs)
    services.open_vote(session, actor=scene.secretariat)
    return session


def seat(session: CouncilSession, user: User) -> CouncilMember:
    member = services.member_of(user, session)
    assert member is not None, user.full_name
    return member


def roll(session: CouncilSession) -> list[CouncilMember]:
    return [a.member for a in session.attendance]


def vote_all(item: AgendaItem, choices: list[Choice], members: list[CouncilMember]) -> None:
    """The first len(choices) members cast these choices (on the day the session is held, so
    that a written consultation's window is open)."""
    for member, choice in zip(members, choices, strict=False):
        services.cast_vote(item, member, choice, today=item.session.held_on)


# --- what is stored -------------------------------------------------------------------------


def participants_of(item: AgendaItem) -> list[int]:
    return sorted(
        db.session.scalars(select(Participation.member_id).where(Participation.item_id == item.id))
    )


def ballots_of(item: AgendaItem) -> list[str]:
    """The choices in the item's ballot box: the published ballots after the close, and
    during the vote the sealed ones, opened here with the vote's key as only a trustee can."""
    published = list(db.session.scalars(select(Ballot.choice).where(Ballot.item_id == item.id)))
    return sorted(published + [b.choice.value for b in unsealed(item)])


def unsealed(item: AgendaItem) -> list[ballot_box.OpenedBallot]:
    session = item.session
    sealed = db.session.scalars(select(SealedBallot.sealed).where(SealedBallot.item_id == item.id))
    rows = list(sealed)
    if not rows:
        return []
    key = ballot_box.load_key(
        session.id, str(session.ballot_key_id), str(session.ballot_key_fingerprint)
    )
    return [ballot_box.unseal(key, row, session_id=session.id, item_id=item.id) for row in rows]


def ballot_count() -> int:
    """Ballots in every box: published, and sealed during a vote."""
    published = db.session.scalar(select(func.count(Ballot.id))) or 0
    return published + (db.session.scalar(select(func.count(SealedBallot.id))) or 0)


def participation_count() -> int:
    return db.session.scalar(select(func.count(Participation.id))) or 0


def frozen(item: AgendaItem) -> tuple[Any, ...]:
    """The result stored on an item when its vote closed."""
    return (
        item.outcome,
        item.members_count,
        item.participants_count,
        item.agree_count,
        item.disagree_count,
        item.abstain_count,
        item.base_count,
        item.required_count,
        item.reason,
    )


def close_comment(agree: int, disagree: int, abstain: int, required: int, base: int) -> str:
    """The audit comment of a closed item: counts only, in the default language (Vietnamese)
    whoever closes."""
    return (
        f"{agree} đồng ý, {disagree} không đồng ý, {abstain} không biểu quyết "
        f"(cần tối thiểu {required} trên {base} phiếu)"
    )


# --- HTTP ----------------------------------------------------------------------------------


def client_for(app: Flask, user: User) -> Client:
    """A client of its own, logged in as `user`."""
    return logged_in_client(app, user)


def vote_url(session_id: int, item_id: int) -> str:
    return f"/council/sessions/{session_id}/items/{item_id}/vote"


def text_of_page(html: str) -> str:
    """The visible text of a page (tags and scripts removed, white space squeezed)."""
    import html as html_module

    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html_module.unescape(body)).strip()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF (NFC), as pypdf extracts it."""
    import unicodedata

    from pypdf import PdfReader

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))


def xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = [tuple(row) for row in book.active.iter_rows(values_only=True)]
    book.close()
    return rows


# --- a database of its own, for the vote race (PostgreSQL) ----------------------------------


@contextmanager
def vote_race_database(**overrides: Any) -> Iterator[Flask]:
    """An app on a fresh PostgreSQL database (`throwaway_postgres`), dropped at the end of the run:
    each thread of the race needs its own connection and real commits."""
    from tests.conftest import app_on_throwaway_postgres

    name = "recognition_vote_race"
    with app_on_throwaway_postgres(name, **overrides) as race_app:
        yield race_app
