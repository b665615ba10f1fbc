"""Passwords: argon2id hashing and checking, and the strength rules (length and a block list,
as NIST SP 800-63B advises)."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from recognition.common.text import fold

if TYPE_CHECKING:
    from recognition.auth.models import User

# A hash of a random password, verified when the user is unknown so that both failures cost
# the same time and cannot be told apart.
_DUMMY_HASH: dict[tuple[int, int], str] = {}


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password in constant work whether or not the user exists; rehash if outdated."""
    hasher = _hasher()
    if user is None:
        key = (hasher.time_cost, hasher.memory_cost)
        if key not in _DUMMY_HASH:
            _DUMMY_HASH[key] = hasher.hash("not-a-real-password")
        with suppress(VerificationError):
            hasher.verify(_DUMMY_HASH[key], password)
        return False
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


# The most used passwords and local favourites; extend as needed.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "123456789a",
        "0123456789",
        "1111111111",
        "0000000000",
        "password123",
        "password1234",
        "matkhau123",
        "matkhau1234",
        "qwertyuiop",
        "1q2w3e4r5t",
        "abc1234567",
        "iloveyou123",
        "admin12345",
        "administrator",
        "vietnam123",
        "anhyeuem123",
        "123456789@",
        "abcd123456",
        "a123456789",
        "qwerty1234",
        "passw0rd123",
        "changeme123",
    }
)


# Written without marks, the middle names most people carry are everyday words: not a sign of
# the user's name in a password.
COMMON_MIDDLE_NAMES = frozenset({"van", "thi"})


def _uses_name(password: str, *, username: str, full_name: str) -> bool:
    """The password holds the user name, the whole name run together, or a word of the name
    as a word of its own ("Mai-1990"). Not a word that only contains a part of the name
    ("vàng" holds "văn", "Thạnh" holds "Hạnh"), nor "Văn" or "Thị", which most names hold and
    which written without marks are everyday words ("toi van yeu", "di thi")."""
    folded = fold(password)
    words = re.findall(r"[a-z]+", folded)
    name = re.findall(r"[a-z]+", fold(full_name))
    whole = "".join(name)
    distinctive = set(name) - COMMON_MIDDLE_NAMES
    return (
        (len(username) >= 3 and username.lower() in folded.replace(" ", ""))
        or (len(whole) >= 6 and whole in "".join(words))
        or any(len(w) >= 3 and w in words for w in distinctive)
    )


def password_problems(password: str, *, username: str = "", full_name: str = "") -> list[str]:
    """Every reason `password` is too weak, as messages for the user (empty when strong)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("Use at least %(count)d characters.", count=minimum))
    if len(password) > 128:
        problems.append(_("Use at most 128 characters."))
    folded = fold(password).replace(" ", "")
    if folded in COMMON_PASSWORDS or password.lower() in COMMON_PASSWORDS:
        problems.append(_("This password is too common; choose another."))
    if len(set(password)) < 4:
        problems.append(_("Use more different characters."))
    if password.isdigit():
        problems.append(_("Do not use digits only."))
    if _uses_name(password, username=username, full_name=full_name):
        problems.append(_("Do not use your name or user name in the password."))
    return problems
