"""The signature shown where a decision is: its page says who signed its stored file and when
(or that it is not signed), the list marks signed decisions; with a time-stamping server the
signature is PAdES B-T, and an unreachable server issues nothing; a signer's certificate that a
configured CRL revokes is reported as revoked on the certificate's verification page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from recognition.certificates.codes import public_code
from recognition.common import storage
from recognition.common.signature_checks import validate_pdf
from recognition.common.signing import load_trust_roots
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.units.settings import stored_settings
from tests.conftest import Client
from tests.decisions.helpers import certificates_of, client_for, in_english, issued, page_text
from tests.decisions.test_signed_issue import ready, signing_app, use_key  # noqa: F401
from tests.support.signing_ca import REVOKED_SIGNER_NAME, SIGNER_NAME
from tests.support.tsa import serving_tsa, unused_url
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

BADGE = 'title="Signed digitally at issue"'


def _issue(app: Flask, scene: Scene, secret: str) -> tuple[Decision, str]:
    decision = ready(scene)
    chair = in_english(client_for(app, scene.chair))
    response = chair.post_form(f"/decisions/{decision.id}/issue", {"pin": secret})
    db.session.expire_all()
    return decision, response.get_data(as_text=True)


def _signature_card(html: str) -> str:
    found = re.search(r'<div[^>]*id="signature".*?</div></div>', html, flags=re.S)
    return page_text(found.group(0)) if found else ""


def _row_of(listing: str, reference: str) -> str:
    """The list's row of the decision numbered `reference`."""
    found = re.search(rf"<tr>(?:(?!</tr>).)*?{re.escape(reference)}.*?</tr>", listing, re.S)
    return found.group(0) if found else ""


def test_the_decision_page_says_who_signed_and_when(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
) -> None:
    decision, _page = _issue(signing_app, scene, use_key(scene, test_ca, "pkcs12"))
    chair = in_english(client_for(signing_app, scene.chair))

    card = _signature_card(chair.get(f"/decisions/{decision.id}").get_data(as_text=True))

    assert decision.state == "issued"
    assert card.startswith(
        f"Digital signature of the issued file Signed digitally by {SIGNER_NAME} on "
    )
    assert "The file is unchanged since it was signed" in card


def test_an_unsigned_decision_says_so_and_the_list_marks_only_the_signed_one(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
) -> None:
    plain = issued(scene)
    db.session.commit()
    signed, _page = _issue(signing_app, scene, use_key(scene, test_ca, "pkcs12"))
    chair = in_english(client_for(signing_app, scene.chair))

    card = _signature_card(chair.get(f"/decisions/{plain.id}").get_data(as_text=True))
    listing = chair.get("/decisions/").get_data(as_text=True)
    rows = {d.reference or "": _row_of(listing, d.reference or "") for d in (plain, signed)}

    assert card == (
        "Digital signature of the issued file The issued file carries no digital signature."
    )
    assert {number: BADGE in row for number, row in rows.items()} == {
        plain.reference: False,
        signed.reference: True,
    }
    assert page_text(rows[signed.reference or ""]).endswith("Signed")


def test_with_a_tsa_the_issued_decision_is_timestamped(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = use_key(scene, test_ca, "pkcs12")
    with serving_tsa(test_ca) as (url, answered):
        monkeypatch.setitem(signing_app.config, "SIGNATURE_TSA_URL", url)
        decision, _page = _issue(signing_app, scene, secret)
    report = validate_pdf(
        storage.read_bytes(decision.pdf_key or ""),
        trust_roots=load_trust_roots([str(test_ca.root_pem)]),
    )
    chair = in_english(client_for(signing_app, scene.chair))

    card = _signature_card(chair.get(f"/decisions/{decision.id}").get_data(as_text=True))

    assert (decision.state, report.valid, report.timestamped_by) == (
        "issued",
        True,
        "Test TSA (recognition)",
    )
    assert len(answered) >= 3  # the decision and its two certificates, each time-stamped
    assert "certified by the time-stamping authority Test TSA (recognition)" in card


def test_an_unreachable_tsa_issues_nothing_and_says_so_on_the_form(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = use_key(scene, test_ca, "pkcs12")
    monkeypatch.setitem(signing_app.config, "SIGNATURE_TSA_URL", unused_url())

    decision, page = _issue(signing_app, scene, secret)

    assert (decision.state, decision.reference, decision.pdf_key) == ("draft", None, None)
    assert certificates_of(decision) == []
    assert "The time-stamping server cannot be reached" in page_text(page)
    assert 'id="pin"' in page and "is-invalid" in page


def test_a_revoked_signing_certificate_is_reported_on_the_verification_page(
    signing_app: Flask,  # noqa: F811
    scene: Scene,
    test_ca: Any,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = use_key(scene, test_ca, "pkcs12")
    stored_settings(scene.body).signing_key_file = test_ca.revoked_pkcs12_path.name
    decision, _page = _issue(signing_app, scene, secret)
    certificate = certificates_of(decision)[0]
    address = f"/verify/{certificate.public_serial}"
    code = {"c": public_code(certificate.key_id, certificate.code)}
    visitor = in_english(client)
    before = _signature_card(visitor.get(address, query_string=code).get_data(as_text=True))
    monkeypatch.setitem(signing_app.config, "SIGNATURE_CRLS", [str(test_ca.crl_der)])

    after = _signature_card(visitor.get(address, query_string=code).get_data(as_text=True))

    assert decision.state == "issued"
    assert f"Signed digitally by {REVOKED_SIGNER_NAME}" in before
    assert "revoked" not in before
    assert "the signer's certificate has been revoked by its certification authority" in after
    assert "The file is unchanged since it was signed" not in after
