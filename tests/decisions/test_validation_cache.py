"""The validations of stored signatures are kept for a few minutes: a second view of a signed
decision's page or of its certificate's verification page does not validate again; a changed
trust root or revocation list file validates again at once and shows the new result; an entry
lasts no longer than RECOGNITION_SIGNATURE_CACHE_SECONDS (the clock is set, never slept on)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import pem
from flask import Flask

from recognition.certificates.codes import public_code
from recognition.common import signature_cache
from recognition.common.signature_cache import ValidationCache, validation_cache
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.units.settings import stored_settings
from tests.conftest import Client
from tests.decisions.helpers import certificates_of, client_for, in_english, page_text
from tests.decisions.test_signed_issue import ready, signing_app, use_key  # noqa: F401
from tests.support.signing_ca import REVOKED_SIGNER_NAME
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

# The start of a time bucket of 300 seconds (5 December 2026, 21:00 UTC).
START = 5_930_622 * 300.0


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = START
        monkeypatch.setattr(signature_cache, "clock", lambda: self.now)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each call of pyHanko's validation of a PDF signature, counted (and made as usual)."""
    from pyhanko.sign import validation

    made: list[int] = []
    real = validation.validate_pdf_signature

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "validate_pdf_signature", counted)
    return made


@pytest.fixture
def clock(signing_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Clock:  # noqa: F811
    set_clock = Clock(monkeypatch)
    with signing_app.app_context():
        validation_cache().clear()
    return set_clock


def _issued(app: Flask, scene: Scene, secret: str) -> Decision:
    decision = ready(scene)
    chair = client_for(app, scene.chair)
    assert chair.post_form(f"/decisions/{decision.id}/issue", {"pin": secret}).status_code == 302
    db.session.expire_all()
    assert decision.state == "issued"
    return decision


def _card(html: str) -> str:
    found = re.search(r'<div[^>]*id="signature".*?</div></div>', html, flags=re.S)
    return page_text(found.group(0)) if found else ""


def _state(html: str) -> str:
    found = re.search(r'data-signature="([a-z]+)"', html)
    return found.group(1) if found else ""


def _verification(client: Client, decision: Decision) -> Callable[[], str]:
    certificate = certificates_of(decision)[0]
    address = f"/verify/{certificate.public_serial}"
    code = {"c": public_code(certificate.key_id, certificate.code)}
    visitor = in_english(client)
    return lambda: visitor.get(address, query_string=code).get_data(as_text=True)


def test_a_second_view_of_either_page_does_not_validate_again(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    client: Client,
    clock: Clock,
    validations: list[int],
) -> None:
    decision = _issued(signing_app, scene, use_key(scene, test_ca, "pkcs12"))
    chair = in_english(client_for(signing_app, scene.chair))
    verify = _verification(client, decision)
    made = []

    for _view in range(2):
        page = chair.get(f"/decisions/{decision.id}").get_data(as_text=True)
        made.append(len(validations))
        assert _state(page) == "valid"
    for _view in range(2):
        clock.now += 60
        assert _state(verify()) == "valid"
        made.append(len(validations))

    assert made == [1, 1, 2, 2]


def test_a_changed_trust_root_validates_again_and_shows_the_new_result(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    client: Client,
    clock: Clock,
    validations: list[int],
    tmp_path: Path,
) -> None:
    decision = _issued(signing_app, scene, use_key(scene, test_ca, "pkcs12"))
    verify = _verification(client, decision)
    roots = tmp_path / "roots.pem"
    shutil.copyfile(test_ca.root_pem, roots)
    signing_app.config["SIGNATURE_TRUST_ROOTS"] = [str(roots)]
    seen = [(_state(verify()), len(validations))]

    shutil.copyfile(test_ca.other_root_pem, roots)  # the same file name, another CA
    seen.append((_state(verify()), len(validations)))
    seen.append((_state(verify()), len(validations)))
    signing_app.config["SIGNATURE_TRUST_ROOTS"] = []  # the setting itself
    seen.append((_state(verify()), len(validations)))

    assert seen == [("valid", 1), ("untrusted", 2), ("untrusted", 2), ("untrusted", 3)]


def test_a_replaced_crl_file_validates_again_and_the_revoked_signer_stays_revoked(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    client: Client,
    clock: Clock,
    validations: list[int],
    tmp_path: Path,
) -> None:
    secret = use_key(scene, test_ca, "pkcs12")
    stored_settings(scene.body).signing_key_file = test_ca.revoked_pkcs12_path.name
    decision = _issued(signing_app, scene, secret)
    verify = _verification(client, decision)
    crl = tmp_path / "sub-ca.crl"
    shutil.copyfile(test_ca.earlier_crl_der, crl)
    signing_app.config["SIGNATURE_CRLS"] = [str(crl)]
    before = _card(verify())
    assert len(validations) == 1

    shutil.copyfile(test_ca.crl_der, crl)  # the authority publishes its next list
    views = [_card(verify()) for _view in range(3)]
    # The same list, now PEM-armoured: another file's bytes, the same revocation.
    crl.write_bytes(pem.armor("X509 CRL", test_ca.crl_der.read_bytes()))
    views += [_card(verify()) for _view in range(2)]

    assert before.startswith(
        f"Digital signature of the issued file Signed digitally by {REVOKED_SIGNER_NAME}"
    )
    assert "The file is unchanged since it was signed" in before
    assert len(validations) == 3
    assert len(set(views)) == 1
    assert "the signer's certificate has been revoked by its certification authority" in views[0]
    assert "The file is unchanged since it was signed" not in views[0]


def test_a_validation_is_kept_no_longer_than_the_setting(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    client: Client,
    clock: Clock,
    validations: list[int],
) -> None:
    decision = _issued(signing_app, scene, use_key(scene, test_ca, "pkcs12"))
    verify = _verification(client, decision)
    made = []

    for elapsed in (0, 120, 299, 300, 301, 599, 600):
        clock.now = START + elapsed
        assert _state(verify()) == "valid"
        made.append((elapsed, len(validations)))

    assert signing_app.config["SIGNATURE_CACHE_SECONDS"] == 300
    assert made == [(0, 1), (120, 1), (299, 1), (300, 2), (301, 2), (599, 2), (600, 3)]


@pytest.mark.unit
def test_an_entry_expires_within_its_bucket_and_zero_seconds_keeps_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock(monkeypatch)
    clock.now = START + 250  # late in a bucket: the entry lasts until the bucket ends
    made: list[float] = []

    def make() -> float:
        made.append(clock.now)
        return clock.now

    kept, off = ValidationCache(300), ValidationCache(0)
    answers = [kept.get_or_make("pdf", make), kept.get_or_make("pdf", make)]
    clock.now = START + 300
    answers.append(kept.get_or_make("pdf", make))
    answers += [off.get_or_make("pdf", make), off.get_or_make("pdf", make)]

    assert answers == [START + 250, START + 250, START + 300, START + 300, START + 300]
    assert len(made) == 4
