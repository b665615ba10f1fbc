"""A secret kept for a while in the user's session cookie, sealed so that only the server reads
it (the cookie itself is signed, not encrypted).

A temporary password is shown on a page of its own after the form that made it: reloading that
page, or coming Back to it, shows it again instead of sending the form a second time. The
password travels in the administrator's cookie sealed with AES-GCM under a key derived from the
app's secret key, bound to its purpose and the account, and is shown for a limited time.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, session

from recognition.database import utcnow


def _key() -> bytes:
    secret = current_app.secret_key
    material = secret.encode() if isinstance(secret, str) else bytes(secret or b"")
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"recognition sealed session value"
    ).derive(material)


def _bound(purpose: str, subject: int, until: int) -> bytes:
    return f"{purpose}|{subject}|{until}".encode()


def keep_sealed(purpose: str, subject: int, secret: str, *, seconds: int) -> None:
    """Keep `secret` in the session for `seconds`, readable only for this purpose and subject."""
    until = int(utcnow().timestamp()) + seconds
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(_key()).encrypt(nonce, secret.encode(), _bound(purpose, subject, until))
    session[purpose] = {
        "subject": subject,
        "until": until,
        "sealed": base64.urlsafe_b64encode(sealed).decode(),
    }


def read_sealed(purpose: str, subject: int) -> str | None:
    """The secret kept for this purpose and subject, if it is still to be shown."""
    kept = session.get(purpose)
    if not isinstance(kept, dict) or kept.get("subject") != subject:
        return None
    until = kept.get("until")
    if not isinstance(until, int) or until < utcnow().timestamp():
        session.pop(purpose, None)
        return None
    try:
        sealed = base64.urlsafe_b64decode(str(kept.get("sealed", "")))
        opened = AESGCM(_key()).decrypt(sealed[:12], sealed[12:], _bound(purpose, subject, until))
    except (InvalidTag, ValueError, binascii.Error):
        session.pop(purpose, None)
        return None
    return opened.decode()


def forget_sealed(purpose: str) -> None:
    session.pop(purpose, None)
