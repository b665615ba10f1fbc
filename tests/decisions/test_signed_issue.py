"""Issuing a decision with the body's signing key: the decision and its certificates are signed
in one step (PKCS#12 file or PKCS#11 token); a wrong PIN issues nothing; without a key nothing
changes."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from recognition.common import storage
from recognition.common.signature_checks import validate_pdf
from recognition.common.signing import SignerKind, load_trust_roots
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.units.settings import stored_settings
from tests.conftest import Client
from tests.decisions.helpers import certificates_of, client_for, drafted, passed
from tests.support.signing_ca import PASSPHRASE, PIN, SIGNER_NAME
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


@pytest.fixture
def signing_app(app: Flask, test_ca: Any, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setitem(app.config, "SIGNATURE_KEY_DIR", str(test_ca.folder))
    monkeypatch.setitem(app.config, "SIGNATURE_PKCS11_MODULES", [test_ca.module_path])
    monkeypatch.setitem(app.config, "SIGNATURE_TRUST_ROOTS", [str(test_ca.root_pem)])
    return app


def use_key(scene: Scene, test_ca: Any, kind: str) -> str:
    settings = stored_settings(scene.body)
    if kind == "pkcs12":
        settings.signing_kind = SignerKind.PKCS12
        settings.signing_key_file = Path(test_ca.pkcs12_path).name
        return PASSPHRASE
    settings.signing_kind = SignerKind.PKCS11
    settings.signing_module = test_ca.module_path
    settings.signing_token_label = test_ca.token_label
    settings.signing_key_label = test_ca.key_label
    return PIN


def ready(scene: Scene) -> Decision:
    decision = drafted(scene, [passed(scene), passed(scene)])
    db.session.commit()
    return decision


@pytest.mark.parametrize("kind", ["pkcs12", "pkcs11"])
def test_the_decision_and_its_certificates_are_signed_in_one_step(
    signing_app: Flask, scene: Scene, test_ca: Any, kind: str
) -> None:
    secret = use_key(scene, test_ca, kind)
    decision = ready(scene)
    chair = client_for(signing_app, scene.chair)

    response = chair.post_form(f"/decisions/{decision.id}/issue", {"pin": secret})

    db.session.expire_all()
    roots = load_trust_roots([str(test_ca.root_pem)])
    pdfs = [storage.read_bytes(decision.pdf_key or "")] + [
        storage.read_bytes(c.pdf_key or "") for c in certificates_of(decision)
    ]
    reports = [validate_pdf(pdf, trust_roots=roots) for pdf in pdfs]
    assert (response.status_code, decision.state) == (302, "issued")
    assert [(r.signer, r.valid) for r in reports] == [(SIGNER_NAME, True)] * 3
    served = chair.get(f"/decisions/{decision.id}/decision.pdf")
    assert served.get_data() == pdfs[0]


def test_pdfsig_validates_the_issued_decision(
    signing_app: Flask, scene: Scene, test_ca: Any, tmp_path: Path
) -> None:
    secret = use_key(scene, test_ca, "pkcs12")
    decision = ready(scene)
    client_for(signing_app, scene.chair).post_form(
        f"/decisions/{decision.id}/issue", {"pin": secret}
    )
    db.session.expire_all()
    path = tmp_path / "decision.pdf"
    path.write_bytes(storage.read_bytes(decision.pdf_key or ""))
    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False
    ).stdout
    assert ("Signature is Valid." in out, SIGNER_NAME in out) == (True, True)


@pytest.mark.parametrize("kind", ["pkcs12", "pkcs11"])
def test_a_wrong_pin_issues_nothing_and_says_so_on_the_field(
    signing_app: Flask, scene: Scene, test_ca: Any, kind: str
) -> None:
    use_key(scene, test_ca, kind)
    decision = ready(scene)
    chair = client_for(signing_app, scene.chair)

    response = chair.post_form(f"/decisions/{decision.id}/issue", {"pin": "000000"})

    db.session.expire_all()
    page = response.get_data(as_text=True)
    assert (response.status_code, decision.state, decision.reference, decision.pdf_key) == (
        200,
        "draft",
        None,
        None,
    )
    assert certificates_of(decision) == []
    assert 'id="pin"' in page and "is-invalid" in page
    assert "000000" not in page


def test_wrong_pins_are_tried_a_few_times_only_and_logged(
    signing_app: Flask, scene: Scene, test_ca: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from recognition.extensions import limiter

    limiter.reset()
    secret = use_key(scene, test_ca, "pkcs12")
    decision = ready(scene)
    chair = client_for(signing_app, scene.chair)

    with caplog.at_level(logging.WARNING, logger=signing_app.logger.name):
        tries = [
            chair.post_form(f"/decisions/{decision.id}/issue", {"pin": f"sai{n}"}).status_code
            for n in range(5)
        ]
    # Even the right one waits now: the passphrase is not guessed faster than this.
    blocked = chair.post_form(f"/decisions/{decision.id}/issue", {"pin": secret})

    db.session.expire_all()
    assert tries == [200] * 5
    assert (blocked.status_code, decision.state) == (429, "draft")
    refusals = [r.getMessage() for r in caplog.records if "signing refused" in r.getMessage()]
    assert len(refusals) == 5
    assert f"decision {decision.id} by user {scene.chair.id}" in refusals[0]
    assert not any("sai" in message for message in refusals)
    limiter.reset()


def test_an_empty_pin_is_refused(signing_app: Flask, scene: Scene, test_ca: Any) -> None:
    use_key(scene, test_ca, "pkcs12")
    decision = ready(scene)
    response = client_for(signing_app, scene.chair).post_form(
        f"/decisions/{decision.id}/issue", {"pin": ""}
    )
    db.session.expire_all()
    assert (response.status_code, decision.state) == (200, "draft")


def test_the_pin_field_is_offered_only_with_a_key(
    signing_app: Flask, scene: Scene, test_ca: Any
) -> None:
    decision = ready(scene)
    chair: Client = client_for(signing_app, scene.chair)
    without = chair.get(f"/decisions/{decision.id}").get_data(as_text=True)
    use_key(scene, test_ca, "pkcs12")
    db.session.commit()
    with_key = chair.get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert ('name="pin"' in without, 'name="pin"' in with_key) == (False, True)
