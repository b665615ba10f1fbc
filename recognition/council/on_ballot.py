"""What a member's ballot reads, as plain values (`voting.voter_on`).

A hundred members cast their votes on one item at the same moment; each of them reads the
item, its session, their seat, their line on the roll and the title's rule. Read as columns
into these values, that read costs a third of the same rows built as mapped objects. The
ballot's rules (`counting`, `voting`) read the same attributes of these values as of the
mapped objects, so one set of rules decides both.
"""

from dataclasses import dataclass
from datetime import date

from recognition.campaigns.enums import VoteMethod
from recognition.council.enums import ItemState, SessionKind, SessionState


@dataclass(frozen=True, slots=True)
class TitleOnBallot:
    """The dossier's title: its name and the rule of its vote."""

    name: str
    vote_method: VoteMethod
    abstain_allowed: bool
    absentees_vote_in_writing: bool


@dataclass(frozen=True, slots=True)
class UnitOnBallot:
    name: str


@dataclass(frozen=True, slots=True)
class DossierOnBallot:
    nominee_name: str
    award_type: TitleOnBallot
    nominating_unit: UnitOnBallot


@dataclass(frozen=True, slots=True)
class SessionOnBallot:
    id: int
    awarding_body_id: int
    title: str
    kind: SessionKind
    state: SessionState
    held_on: date
    consultation_closes_on: date | None
    ballot_key_id: str | None
    ballot_key_fingerprint: str | None


@dataclass(frozen=True, slots=True)
class ItemOnBallot:
    id: int
    nomination_id: int
    state: ItemState
    session: SessionOnBallot
    nomination: DossierOnBallot


@dataclass(frozen=True, slots=True)
class SeatOnBallot:
    """The user's seat on the session's council (only its id: the ballot's rows name it)."""

    id: int


@dataclass(frozen=True, slots=True)
class LineOnRoll:
    """The seat's line on the session's roll."""

    present: bool
    in_writing: bool
