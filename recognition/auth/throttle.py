"""Failed log-ins, throttled per (user name, client address) pair with growing delays.

A limit per account alone lets anyone who knows a user name lock its owner out, and council
user names are predictable. So failures count per pair (OWASP, Authentication Cheat Sheet):
after LOGIN_FREE_ATTEMPTS failures the pair is refused for 1 minute, then 2, 4 … up to
LOGIN_MAX_DELAY_MINUTES after each further failure, whatever the password, until a success
or a day without failures. Other addresses are not affected: the owner's own address opens for
the right password. The per-address limit (LOGIN_LIMIT_PER_IP, Flask-Limiter) bounds what one
address tries over all names. An account failing LOGIN_ACCOUNT_ALERT times within an hour
from all addresses together is under attack from many: each address failing on it is then
refused from its first failure, and a security event is logged.

The pairs live in a table rather than in Flask-Limiter's storage: the administrators' page
must list them (the storage cannot enumerate its keys), every worker sees the same counts
with or without Redis, and the row lock serialises concurrent guesses of one pair.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from recognition.auth.models import LoginThrottle, User
from recognition.auth.services import normalise_username
from recognition.database import utcnow
from recognition.extensions import db

# A pair without failures for a day starts afresh (its delays too).
FORGET_AFTER = timedelta(hours=24)
# How far back the failures of an account are summed to tell an attack from many addresses.
ATTACK_WINDOW = timedelta(hours=1)
FIRST_DELAY = timedelta(minutes=1)
# Stale rows removed at each recorded failure, at most (the rest go with the next ones).
_PRUNE_BATCH = 100


def client_network(address: str | None) -> str:
    """The client as throttled: an IPv4 address, or the /64 network of an IPv6 one (a single
    IPv6 host usually holds a whole /64 and could take a new address for every guess)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return (address or "unknown")[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            # A dual-stack socket reports IPv4 clients so: their /64 would be every one of them.
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def start_attempt(*, username: str, address: str) -> LoginThrottle:
    """The pair's row, created if missing and locked until the transaction ends.

    The lock makes concurrent attempts of one pair wait for each other, so a burst of parallel
    guesses cannot all pass the check before the first failure is counted. `username` is
    normalised (longer ones are no account's: the admin form allows 60 ASCII characters).
    """
    values = {"username": username[:60], "address": address}
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginThrottle).values(failures=0, **values)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["username", "address"]))
    pair = db.session.scalars(
        select(LoginThrottle)
        .filter_by(**values)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if pair.last_failed_at is not None and pair.last_failed_at < utcnow() - FORGET_AFTER:
        pair.failures, pair.last_failed_at, pair.locked_until = 0, None, None
    return pair


def refused_until(pair: LoginThrottle, *, now: datetime | None = None) -> datetime | None:
    """When the pair may try again, if it is refused now."""
    if pair.locked_until is not None and pair.locked_until > (now or utcnow()):
        return pair.locked_until
    return None


def record_failure(pair: LoginThrottle) -> None:
    """Count a failure of the pair and refuse it for the next delay once it has used its free
    attempts (one only while the account is under attack); logs it."""
    now = utcnow()
    pair.failures += 1
    pair.last_failed_at = now
    db.session.flush()
    recent = db.session.scalar(
        select(recent_failures(now)).where(LoginThrottle.username == pair.username)
    )
    attacked = is_under_attack(recent or 0)
    free = 1 if attacked else current_app.config["LOGIN_FREE_ATTEMPTS"]
    if pair.failures >= free:
        pair.locked_until = now + delay_after(pair.failures - free)
    if attacked:
        # Every failure while under attack, with its address: the event names each attacker,
        # and no count of concurrent requests can make it skip one.
        current_app.logger.warning(
            "login attack on %r: %d failed log-ins within %s from all addresses; %s refused "
            "until %s",
            pair.username,
            recent,
            ATTACK_WINDOW,
            pair.address,
            _moment(pair.locked_until),
        )
    elif pair.locked_until is not None and pair.locked_until > now:
        current_app.logger.info(
            "login throttled: %r from %s until %s after %d failures",
            pair.username,
            pair.address,
            _moment(pair.locked_until),
            pair.failures,
        )
    _prune(now)
    db.session.flush()


def _moment(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "-"


def record_success(pair: LoginThrottle) -> None:
    """Forget the pair: its owner has proved who they are from there."""
    db.session.delete(pair)
    db.session.flush()


def delay_after(extra_failures: int) -> timedelta:
    """The wait after `extra_failures` failures beyond the free ones: 1, 2, 4 … minutes."""
    longest = timedelta(minutes=current_app.config["LOGIN_MAX_DELAY_MINUTES"])
    return min(FIRST_DELAY * 2 ** min(extra_failures, 20), longest)


def recent_failures(now: datetime) -> ColumnElement[int]:
    """The failures of the pairs that failed within ATTACK_WINDOW, summed (per user name when
    grouped by it)."""
    recent = LoginThrottle.last_failed_at >= now - ATTACK_WINDOW
    return func.coalesce(func.sum(case((recent, LoginThrottle.failures), else_=0)), 0)


def is_under_attack(recent: int) -> bool:
    """Whether an account with `recent` failures (see `recent_failures`) is under attack."""
    return recent >= current_app.config["LOGIN_ACCOUNT_ALERT"]


def live_pairs(now: datetime) -> ColumnElement[bool]:
    """The pairs that have failed and are not yet forgotten."""
    return (LoginThrottle.failures > 0) & (LoginThrottle.last_failed_at >= now - FORGET_AFTER)


def clear_throttles(username: str, *, actor: User) -> int:
    """Forget every pair of `username` (an administrator's decision); logs it. Returns how
    many addresses were throttled or counting."""
    # As the pairs were stored: a NUL or other control character (which PostgreSQL refuses in
    # a query) cannot be part of one.
    username = normalise_username(username)
    result = db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == username))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    current_app.logger.warning(
        "login throttle of %r cleared by %r (addresses: %d)", username, actor.username, count
    )
    return count


def _prune(now: datetime) -> None:
    """Remove rows forgotten for a while, a batch at a time; rows another attempt holds are
    skipped (SKIP LOCKED), so that two pruning requests never wait for each other."""
    stale = (
        select(LoginThrottle.id)
        .where(LoginThrottle.last_failed_at < now - FORGET_AFTER)
        .limit(_PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.id.in_(stale.scalar_subquery())))
