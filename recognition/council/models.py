"""Councils, their sessions, agendas, attendance, and the secret ballot.

Secrecy (docs/reliability.md, "Secret ballot"; docs/secret-ballot.md): a Participation row says that
a member voted on an item (unique per item and member). During the vote the choice exists only
as a SealedBallot, encrypted under the vote's own key, which is kept outside the database. When
the vote closes the box is opened and the ballots are published as Ballot rows (tracker and
choice) in a random order, inserted by the closing transaction; the sealed rows and the key are
destroyed.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recognition.auth.models import User
from recognition.council.enums import Choice, CouncilRole, ItemState, SessionKind, SessionState
from recognition.database import Base, enum_check, enum_column, utcnow
from recognition.nominations.models import Nomination
from recognition.units.models import Unit


class CouncilMember(Base):
    """A user's seat on an awarding body's emulation and commendation council."""

    __tablename__ = "council_members"
    __table_args__ = (
        UniqueConstraint("awarding_body_id", "user_id"),
        CheckConstraint(enum_check("role", [r.value for r in CouncilRole]), name="role"),
        CheckConstraint("term_end IS NULL OR term_end >= term_start", name="term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[CouncilRole] = enum_column(CouncilRole, 20, default=CouncilRole.MEMBER)
    term_start: Mapped[date]
    term_end: Mapped[date | None]

    awarding_body: Mapped[Unit] = relationship()
    user: Mapped[User] = relationship(lazy="joined")

    def serves_on(self, day: date) -> bool:
        return serves_on(self.term_start, self.term_end, day)

    @property
    def council_order(self) -> tuple[int, str]:
        """Where the seat comes in the council's lists: by role (chair, vice-chairs, standing
        members, members, the secretary), then by name in Vietnamese order."""
        return (list(CouncilRole).index(CouncilRole(self.role)), self.user.full_name_sort)


def serves_on(term_start: date, term_end: date | None, day: date) -> bool:
    """Whether a seat's term holds `day`."""
    return term_start <= day and (term_end is None or day <= term_end)


class CouncilSession(Base):
    """A meeting, or a written consultation window, that votes on an agenda."""

    __tablename__ = "council_sessions"
    __table_args__ = (
        CheckConstraint(enum_check("kind", [k.value for k in SessionKind]), name="kind"),
        CheckConstraint(enum_check("state", [s.value for s in SessionState]), name="state"),
        CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name="closed_at"),
        CheckConstraint(
            "NOT chair_approved OR (chair_approved_by_id IS NOT NULL "
            "AND chair_approved_at IS NOT NULL)",
            name="chair_approval",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    awarding_body_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[SessionKind] = enum_column(SessionKind, 10, default=SessionKind.MEETING)
    title: Mapped[str] = mapped_column(String(300))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(300), default="")
    consultation_closes_on: Mapped[date | None]
    # Assigned only by workflow.SESSION_LIFE (open, close).
    state: Mapped[SessionState] = enum_column(SessionState, 10, default=SessionState.PLANNED)
    chair_approved: Mapped[bool] = mapped_column(default=False)
    # The chair's own action, recorded with the actor (never a form field another role posts).
    chair_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    chair_approved_at: Mapped[datetime | None]
    # The vote's key lives in a file under BALLOT_KEY_DIR; the database knows only its id and
    # fingerprint (recognition.council.ballot_box).
    ballot_key_id: Mapped[str | None] = mapped_column(String(16))
    ballot_key_fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who keeps the minutes (thư ký phiên họp), as the secretariat chose among those who may
    # (council.secretary); NULL: nobody chosen, the minutes name the default.
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id"))

    awarding_body: Mapped[Unit] = relationship()
    secretary: Mapped[CouncilMember | None] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title

    @property
    def roll_in_order(self) -> list[Attendance]:
        """The roll in the council's order, as the session page and the minutes list it."""
        return sorted(self.attendance, key=lambda a: a.member.council_order)


class Attendance(Base):
    """Whether a member is present at the meeting, or takes part in writing."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_sessions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"))
    present: Mapped[bool] = mapped_column(default=False)
    in_writing: Mapped[bool] = mapped_column(default=False)

    session: Mapped[CouncilSession] = relationship(back_populates="attendance")
    member: Mapped[CouncilMember] = relationship(lazy="joined")


_OPEN_ITEM = "outcome IS NULL"


class AgendaItem(Base):
    """One dossier on a session's agenda, with its result once the vote is closed."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("outcome IS NULL OR outcome IN ('passed', 'failed')", name="outcome"),
        Index(
            "uq_agenda_items_open_nomination",
            "nomination_id",
            unique=True,
            sqlite_where=text(_OPEN_ITEM),
            postgresql_where=text(_OPEN_ITEM),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("council_sessions.id", ondelete="CASCADE"), index=True
    )
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Counts entered by the secretary for a show of hands (secret ballots are counted).
    hands_agree: Mapped[int | None]
    hands_disagree: Mapped[int | None]
    hands_abstain: Mapped[int | None]
    # The result, frozen when the vote closes (NULL while pending); see `state`.
    outcome: Mapped[ItemState | None] = enum_column(ItemState, 10)
    members_count: Mapped[int | None]
    participants_count: Mapped[int | None]
    agree_count: Mapped[int | None]
    disagree_count: Mapped[int | None]
    abstain_count: Mapped[int | None]
    written_count: Mapped[int | None]  # of the participants, how many voted in writing
    base_count: Mapped[int | None]
    required_count: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(String(30))

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    nomination: Mapped[Nomination] = relationship()
    conflicts: Mapped[list[Conflict]] = relationship(cascade="all, delete-orphan")

    @property
    def state(self) -> ItemState:
        """The item's life (workflow.ITEM_LIFE): pending until the vote closes, then its
        outcome. Stored as `outcome`, NULL while pending (the open-item index relies on it)."""
        return item_state(self.outcome)

    @state.setter
    def state(self, value: ItemState) -> None:
        self.outcome = None if value == ItemState.PENDING else ItemState(value)


def item_state(outcome: ItemState | None) -> ItemState:
    """An item's state from its stored outcome (NULL while the vote is pending)."""
    return outcome or ItemState.PENDING


class Conflict(Base):
    """A member who does not vote on an item (belongs to, nominated, or is the nominee)."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"))
    reason: Mapped[str] = mapped_column(Text)
    declared: Mapped[bool] = mapped_column(default=False)

    member: Mapped[CouncilMember] = relationship(lazy="joined")

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (automatic reasons are stored as codes)."""
        if self.declared:
            return self.reason or _("declared by the member")
        return {
            "prepared": _("prepared the dossier"),
            "unit": _("belongs to or nominates for the nominee's unit"),
            "nominee": _("is the nominee"),
        }.get(self.reason, self.reason)


class Participation(Base):
    """That a member voted on an item — never how. At most one per item and member."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"))
    in_writing: Mapped[bool] = mapped_column(default=False)


def _ballot_id() -> str:
    return secrets.token_hex(16)


class SealedBallot(Base):
    """A ballot while the vote is open: a ciphertext of fixed length, nothing else readable."""

    __tablename__ = "sealed_ballots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_id)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary)

    @staticmethod
    def new_id() -> str:
        return _ballot_id()


class Ballot(Base):
    """A counted ballot, published when the vote closes: its tracker and its choice.

    No member, no timestamp, a random id; all of an item's ballots are inserted by the closing
    transaction in a random order, so neither system columns nor physical order link them.
    """

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint(enum_check("choice", [c.value for c in Choice]), name="choice"),
        UniqueConstraint("item_id", "tracker"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_id)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    tracker: Mapped[str] = mapped_column(String(12))
    choice: Mapped[Choice] = enum_column(Choice, 10)
