"""The sealed ballot box: how a secret ballot is kept unlinkable from its member.

The design and its reasons are in docs/secret-ballot.md. In short:
- When a session's vote opens, a fresh 256-bit key is written to the key store (a file under
  BALLOT_KEY_DIR, or an object in a bucket of its own: ballot_keys.py), outside the database
  and outside backups; the database keeps only a random key id and a fingerprint.
- A cast vote writes the member's Participation and a SealedBallot in one transaction. The
  sealed ballot is AES-256-GCM over a fixed-length plaintext (the tracker and a one-character
  choice code), bound to its item: every sealed ballot has the same length, and the database,
  its system columns (xmin, ctid, rowid), its WAL, dumps and backups only ever link a member to
  a ciphertext that nobody can open without the key.
- When the vote closes, the box is opened: every sealed ballot is decrypted, the ballots are
  shuffled with the operating system's random generator and inserted as published Ballot rows
  (tracker and choice) in that order, in the closing transaction; the sealed rows are deleted
  and, after the commit, the key is overwritten and removed. From then on the
  member → ciphertext links that the storage keeps cannot be opened by anyone.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from functools import partial
from threading import Lock
from typing import Any

from cachetools import TTLCache
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from flask_babel import gettext as _

from recognition.common.after_commit import after_commit
from recognition.council.ballot_keys import KeyStoreError, key_store
from recognition.council.enums import Choice
from recognition.errors import DomainError

# A tracker is 12 characters of Crockford's base-32 alphabet (60 bits): unique within an item
# by a wide margin, short enough to copy from a phone screen.
TRACKER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKER_LENGTH = 12
# One character per choice, so that every plaintext (and every ciphertext) has one length.
CHOICE_CODES = {Choice.AGREE: "A", Choice.DISAGREE: "D", Choice.ABSTAIN: "B"}
CHOICES_BY_CODE = {code: choice for choice, code in CHOICE_CODES.items()}


class BallotKeyMissing(DomainError):
    status_code = 409


@dataclass(frozen=True)
class OpenedBallot:
    tracker: str
    choice: Choice


def new_tracker() -> str:
    """Twelve characters drawn from the operating system's random generator in one read: a
    byte modulo 32 is uniform, since 256 is a multiple of the alphabet's 32 characters."""
    return "".join(TRACKER_ALPHABET[byte % 32] for byte in secrets.token_bytes(TRACKER_LENGTH))


def format_tracker(tracker: str) -> str:
    """The tracker as members read it: three groups of four (K7Q2-M9XD-3F0A)."""
    return "-".join(tracker[i : i + 4] for i in range(0, len(tracker), 4))


def _key_name(session_id: int, key_id: str) -> str:
    return f"session-{session_id}-{key_id}.key"


def fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"recognition ballot key\x00" + key).hexdigest()


def create_key(session_id: int) -> tuple[str, str]:
    """Write a new key for a session's vote; return its (key id, fingerprint).

    The key is durably in the key store (ballot_keys.py) before the vote's opening is
    committed, so that a ballot is never sealed with a key that was not kept.
    """
    key = AESGCM.generate_key(bit_length=256)
    key_id = secrets.token_hex(8)
    key_store().put(_key_name(session_id, key_id), key)
    return key_id, fingerprint(key)


# The key as the casts read it, kept a few seconds per process: a hundred members casting at
# once read it once, not a hundred times from the store (a file, or an object in a bucket on
# another machine). Only a key whose fingerprint matched is kept; destroying it here forgets
# it, and another server's copy lapses within the seconds. The count never takes it from here:
# it reads the store, so a key lost from the store still stops the count with its message.
CAST_KEY_KEPT_SECONDS = 30
_cast_keys: TTLCache[tuple[Any, ...], bytes] = TTLCache(maxsize=64, ttl=CAST_KEY_KEPT_SECONDS)
_cast_keys_lock = Lock()


def _store_of_app() -> tuple[Any, ...]:
    config = current_app.config
    return (
        config.get("BALLOT_KEY_BACKEND"),
        config.get("BALLOT_KEY_DIR"),
        config.get("BALLOT_KEY_S3_BUCKET"),
        config.get("BALLOT_KEY_S3_PREFIX"),
    )


def load_key(
    session_id: int, key_id: str, expected_fingerprint: str, *, for_casting: bool = False
) -> bytes:
    """The vote's key from the key store, checked against its fingerprint; `for_casting`, as
    kept by this process for a few seconds."""
    name = _key_name(session_id, key_id)
    kept_as = (_store_of_app(), name, expected_fingerprint) if for_casting else ()
    if for_casting:
        with _cast_keys_lock:
            kept = _cast_keys.get(kept_as)
        if kept is not None:
            return kept
    try:
        key = key_store().get(name)
    except KeyStoreError as error:
        current_app.logger.error("ballot key %s of session %s: %s", name, session_id, error)
        key = b""
    if len(key) != 32 or not secrets.compare_digest(fingerprint(key), expected_fingerprint):
        current_app.logger.error("ballot key %s of session %s missing or wrong", name, session_id)
        raise BallotKeyMissing(
            _(
                "The ballot key of this vote is missing on this server (it is kept outside the "
                "database and its backups). Ask the administrator to put it back; no ballot "
                "can be cast or counted without it."
            )
        )
    if for_casting:
        with _cast_keys_lock:
            _cast_keys[kept_as] = key
    return key


def _forget_cast_key(name: str | None = None) -> None:
    """Forget the kept copies of the key `name` (of every key: None)."""
    with _cast_keys_lock:
        for kept_as in [k for k in _cast_keys if name is None or k[1] == name]:
            _cast_keys.pop(kept_as, None)


def forget_cast_keys() -> None:
    """Forget every key kept for the casts (a test's casts start from the store)."""
    _forget_cast_key()


def _associated_data(session_id: int, item_id: int) -> bytes:
    return f"recognition ballot|{session_id}|{item_id}".encode()


def seal(key: bytes, *, session_id: int, item_id: int, tracker: str, choice: Choice) -> bytes:
    """The ciphertext of one ballot; its length is the same for every tracker and choice."""
    plaintext = json.dumps({"t": tracker, "c": CHOICE_CODES[choice]}, separators=(",", ":"))
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(
        nonce, plaintext.encode(), _associated_data(session_id, item_id)
    )


def unseal(key: bytes, sealed: bytes, *, session_id: int, item_id: int) -> OpenedBallot:
    try:
        plaintext = AESGCM(key).decrypt(
            sealed[:12], sealed[12:], _associated_data(session_id, item_id)
        )
    except InvalidTag as error:
        raise DomainError(
            _("A sealed ballot of this vote has been altered; the vote cannot be counted.")
        ) from error
    content = json.loads(plaintext)
    return OpenedBallot(tracker=content["t"], choice=CHOICES_BY_CODE[content["c"]])


def shuffled(ballots: list[Any]) -> list[Any]:
    """The ballots in an order drawn from the operating system's random generator."""
    result = list(ballots)
    secrets.SystemRandom().shuffle(result)
    return result


# Destroying the key once the close is committed ----------------------------------------------


def destroy_after_commit(session_id: int, key_id: str) -> None:
    """Queue the key's destruction; a rolled-back close keeps it (the vote stays countable)."""
    after_commit(partial(destroy_key, session_id, key_id))


def destroy_key(session_id: int, key_id: str) -> None:
    """Overwrite the key with zeros, then remove it (and this process's copy for the casts)."""
    name = _key_name(session_id, key_id)
    _forget_cast_key(name)
    key_store().destroy(name)


def destroy_spent_keys(open_sessions: set[tuple[int, str]]) -> list[str]:
    """Remove the keys of votes that are no longer open (a crash between the close's commit
    and the key's destruction leaves one behind); return the names of those removed."""
    store = key_store()
    removed: list[str] = []
    for name in store.names():
        _, session_id, key_id = name.removesuffix(".key").split("-", 2)
        if (int(session_id), key_id) not in open_sessions:
            _forget_cast_key(name)
            store.destroy(name)
            removed.append(name)
    return removed
