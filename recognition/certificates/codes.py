"""Verification codes of certificates: HMAC-SHA256 with a key id, 128 bits shown.

The code covers the serial and the certificate's essential fields, so a forged or altered
serial, name, title, decision or date is reported as not valid. Keys live in the instance
folder (or RECOGNITION_CERT_KEYS="id:hexkey,…"; the first is used to sign) and old keys keep
verifying the certificates they signed.
"""

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app

from recognition.certificates.models import Certificate


@dataclass(frozen=True)
class Essentials:
    serial: str
    recipient: str
    award: str
    decision: str
    issued_on: str


def _keys() -> dict[str, bytes]:
    configured = os.environ.get("RECOGNITION_CERT_KEYS") or current_app.config.get("CERT_KEYS")
    if configured:
        pairs = [item.split(":", 1) for item in str(configured).split(",") if ":" in item]
        return {key_id.strip(): bytes.fromhex(value.strip()) for key_id, value in pairs}
    path = Path(current_app.instance_path) / "certificate_keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(f"k1:{secrets.token_hex(32)}\n")
    lines = [line.split(":", 1) for line in path.read_text().split() if ":" in line]
    return {key_id: bytes.fromhex(value) for key_id, value in lines}


def signing_key() -> tuple[str, bytes]:
    keys = _keys()
    key_id = next(iter(keys))
    return key_id, keys[key_id]


def _message(essentials: Essentials) -> bytes:
    fields = [
        essentials.serial,
        essentials.recipient,
        essentials.award,
        essentials.decision,
        essentials.issued_on,
    ]
    return "\x1f".join(fields).encode("utf-8")


def make_code(essentials: Essentials) -> tuple[str, str]:
    """(key id, code): the first 128 bits of the HMAC, in hex."""
    key_id, key = signing_key()
    digest = hmac.new(key, _message(essentials), hashlib.sha256).hexdigest()[:32]
    return key_id, digest


def public_code(key_id: str, code: str) -> str:
    return f"{key_id}.{code}"


def check_code(essentials: Essentials, given: str) -> bool:
    """Whether `given` ("keyid.code") is the code of these essentials (constant time)."""
    key_id, _, code = given.partition(".")
    key = _keys().get(key_id)
    if key is None or len(code) != 32:
        return False
    expected = hmac.new(key, _message(essentials), hashlib.sha256).hexdigest()[:32]
    return hmac.compare_digest(expected, code)


def essentials(certificate: Certificate) -> Essentials:
    line = certificate.line
    decision = line.decision
    return Essentials(
        serial=certificate.public_serial,
        recipient=line.recipient,
        award=line.award_type.name,
        decision=decision.reference or "",
        issued_on=(decision.issued_on or date.min).isoformat(),
    )
