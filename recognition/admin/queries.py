"""Reading accounts for the administration pages."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from recognition.auth.enums import Role
from recognition.auth.models import API_ACCOUNT_PREFIX, LoginThrottle, RoleGrant, User
from recognition.auth.throttle import is_under_attack, live_pairs, recent_failures, refused_until
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.text import fold, search_text
from recognition.database import local_midnight
from recognition.extensions import db
from recognition.units.models import Unit


def users_for_admin(*, text: str = "", status: str = "all") -> Select[User]:
    """People's accounts matching `text` (name or user name, diacritics ignored), in
    Vietnamese order."""
    query = (
        select(User)
        .where(~User.is_api_account)  # the API clients' page lists those
        .options(selectinload(User.grants).joinedload(RoleGrant.unit))
    )
    text = search_text(text)
    needle = fold(text)
    if needle:
        query = query.where(
            User.full_name_folded.contains(needle, autoescape=True)
            | User.username.contains(needle.replace(" ", ""), autoescape=True)
        )
    if status == "active":
        query = query.where(User.disabled_at.is_(None))
    elif status == "disabled":
        query = query.where(User.disabled_at.is_not(None))
    return query.order_by(User.full_name_sort, User.id)


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


@dataclass(frozen=True)
class ThrottledPair:
    """The failed log-ins of a user name from one address, and until when it is refused."""

    address: str
    failures: int
    last_failed_at: datetime | None
    refused_until: datetime | None


@dataclass(frozen=True)
class ThrottledAccount:
    """A user name with recent failed log-ins, the account that has it (if any) and its
    pairs, the latest failure first."""

    username: str
    user: User | None
    pairs: list[ThrottledPair]
    under_attack: bool

    @property
    def failures(self) -> int:
        return sum(pair.failures for pair in self.pairs)


def throttled_usernames(now: datetime) -> Select[str]:
    """The user names with failed log-ins not yet forgotten, the latest failure first."""
    return (
        select(LoginThrottle.username)
        .where(live_pairs(now))
        .group_by(LoginThrottle.username)
        .order_by(func.max(LoginThrottle.last_failed_at).desc(), LoginThrottle.username)
    )


def throttled_accounts_for(usernames: list[str], now: datetime) -> list[ThrottledAccount]:
    """The pairs, accounts and attack state of `usernames` (three queries, whatever the count)."""
    pairs = db.session.scalars(
        select(LoginThrottle)
        .where(live_pairs(now), LoginThrottle.username.in_(usernames))
        .order_by(LoginThrottle.last_failed_at.desc(), LoginThrottle.address)
    ).all()
    users = {
        user.username: user
        for user in db.session.scalars(select(User).where(User.username.in_(usernames)))
    }
    recent: dict[str, int] = {
        name: count
        for name, count in db.session.execute(
            select(LoginThrottle.username, recent_failures(now))
            .where(LoginThrottle.username.in_(usernames))
            .group_by(LoginThrottle.username)
        )
    }
    return [
        ThrottledAccount(
            username=name,
            user=users.get(name),
            pairs=[
                ThrottledPair(
                    address=pair.address,
                    failures=pair.failures,
                    last_failed_at=pair.last_failed_at,
                    refused_until=refused_until(pair, now=now),
                )
                for pair in pairs
                if pair.username == name
            ],
            under_attack=is_under_attack(recent.get(name, 0)),
        )
        for name in usernames
    ]


def audit_events(
    *,
    text: str = "",
    kind: ObjectKind | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Select[AuditEvent]:
    """The audit log, newest first: every object's events, or one kind's; `text` matches the
    object's name as it was (a dossier's reference or nominee) or the actor's name; `since`
    and `until` are local days, both included."""
    query = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    needle = fold(search_text(text))
    if needle:
        # The actors are found first: both conditions then stay on the events' own indexes
        # (the subject's trigrams on PostgreSQL, the actor), without a join to every user.
        actors = select(User.id).where(User.full_name_folded.contains(needle, autoescape=True))
        query = query.where(
            AuditEvent.subject_folded.contains(needle, autoescape=True)
            | AuditEvent.actor_id.in_(list(db.session.scalars(actors)))
        )
    if kind is not None:
        query = query.where(AuditEvent.object_kind == kind)
    if since is not None:
        query = query.where(AuditEvent.created_at >= local_midnight(since))
    if until is not None:
        query = query.where(AuditEvent.created_at < local_midnight(until + timedelta(days=1)))
    return query


# Where each kind of object is shown, by endpoint and the name of its id argument.
_OBJECT_PAGES = {
    ObjectKind.NOMINATION: ("nominations.detail", "nomination_id"),
    ObjectKind.DECISION: ("decisions.detail", "decision_id"),
    ObjectKind.COUNCIL_SESSION: ("council.session", "session_id"),
    ObjectKind.CAMPAIGN: ("campaigns.detail", "campaign_id"),
    ObjectKind.AWARD_TYPE: ("campaigns.award_type", "award_type_id"),
    ObjectKind.PRINT_JOB: ("certificates.print_job", "job_id"),
    ObjectKind.ACCOUNT: ("admin.user_detail", "user_id"),
    # A role grant's events are filed under the account that held it (a revoked grant is gone).
    ObjectKind.ROLE_GRANT: ("admin.user_detail", "user_id"),
    ObjectKind.UNIT: ("units.detail", "unit_id"),
    # A legal rule's value: the law page opens the rule it belongs to.
    ObjectKind.LAW_RULE: ("law.index", "value"),
    ObjectKind.CLUSTER: ("clusters.detail", "cluster_id"),
    ObjectKind.TARGET: ("targets.detail", "target_id"),
    ObjectKind.HONOUR_ENTRY: ("honours.entry_record", "entry_id"),
    ObjectKind.REGISTRATION: ("registration.record", "registration_id"),
    # An award record opens its person's history (a collective's: its unit's).
    ObjectKind.AWARD_RECORD: ("history.person", "record_id"),
    # A fund's events are filed under its awarding body (the year is in the subject).
    ObjectKind.EMULATION_FUND: ("money.fund", "body_id"),
}


_ACCOUNTS = frozenset({ObjectKind.ACCOUNT, ObjectKind.ROLE_GRANT})


def audit_link(event: AuditEvent) -> str | None:
    """The page of the event's object, where there is one."""
    page = _OBJECT_PAGES.get(event.object_kind)
    if page is None:
        return None
    endpoint, argument = page
    if event.object_kind in _ACCOUNTS and f"({API_ACCOUNT_PREFIX}" in (event.subject or ""):
        # A registered system's account has no page of its own: its client's list has it.
        return url_for("api_clients.index")
    values: dict[str, Any] = {argument: event.object_id}
    return url_for(endpoint, **values)


# A body has one chair: a second grant is allowed (a deputy signs "KT. CHỦ TỊCH" under the
# chair's authority) but said.
SINGLE_HOLDER_ROLES = frozenset({Role.CHAIR})


def other_holders(role: Role, unit: Unit, user: User) -> list[User]:
    """The other active accounts holding `role` on exactly `unit`."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(
                RoleGrant.role == role,
                RoleGrant.unit_id == unit.id,
                User.id != user.id,
                User.disabled_at.is_(None),
            )
            .order_by(User.full_name_sort)
        )
    )
