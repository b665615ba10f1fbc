"""PAdES B-T: with a time-stamping server the signature carries its time-stamp token (a local
RFC 3161 server answers with pyHanko's test time-stamper and the test CA's TSA certificate);
an unreachable server fails the batch with its own message. A configured CRL that revokes the
signer's certificate makes the signature invalid."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from recognition.common import signing
from recognition.common.signature_checks import load_crls, validate_pdf
from tests.signatures.test_signing import _pdf
from tests.support.signing_ca import PASSPHRASE, REVOKED_SIGNER_NAME, SIGNER_NAME
from tests.support.tsa import serving_tsa, unused_url

pytestmark = pytest.mark.unit

TSA_NAME = "Test TSA (recognition)"


def _sign(ca: Any, *, tsa_url: str = "", key: Path | None = None) -> bytes:
    (signed,) = signing.sign_batch(
        [signing.Document(_pdf())],
        config=signing.SignerConfig(
            signing.SignerKind.PKCS12, pkcs12_path=str(key or ca.pkcs12_path)
        ),
        secret=PASSPHRASE,
        reason="Ký ban hành",
        trust_roots=signing.load_trust_roots([str(ca.root_pem)]),
        tsa_url=tsa_url,
    )
    return signed


def _unsigned_attributes(pdf: bytes) -> list[str]:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[-1]
    attributes = signature.signer_info["unsigned_attrs"]
    return [a["type"].native for a in attributes] if attributes.native else []


def test_with_a_tsa_the_signature_carries_its_timestamp_token(app, test_ca):
    with serving_tsa(test_ca) as (url, answered):
        pdf = _sign(test_ca, tsa_url=url)

    report = validate_pdf(pdf, trust_roots=signing.load_trust_roots([str(test_ca.root_pem)]))
    assert answered != []
    assert "signature_time_stamp_token" in _unsigned_attributes(pdf)
    assert (report.valid, report.signer, report.timestamped_by) == (True, SIGNER_NAME, TSA_NAME)


def test_without_a_tsa_there_is_no_timestamp_token(app, test_ca):
    pdf = _sign(test_ca)

    report = validate_pdf(pdf, trust_roots=signing.load_trust_roots([str(test_ca.root_pem)]))
    assert "signature_time_stamp_token" not in _unsigned_attributes(pdf)
    assert (report.valid, report.timestamped_by) == (True, "")


def test_pdfsig_validates_the_timestamped_signature(app, test_ca, tmp_path):
    with serving_tsa(test_ca) as (url, _answered):
        pdf = _sign(test_ca, tsa_url=url)
    path = tmp_path / "b-t.pdf"
    path.write_bytes(pdf)

    out = subprocess.run(  # noqa: S603
        ["/usr/bin/pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False
    ).stdout

    assert ("Signature is Valid." in out, SIGNER_NAME in out) == (True, True)


def test_an_unreachable_tsa_fails_the_batch_with_its_message(app, test_ca):
    with pytest.raises(signing.SigningFailed) as refused:
        _sign(test_ca, tsa_url=unused_url())

    assert refused.value.field == "pin"
    assert refused.value.message.startswith("Không kết nối được máy chủ cấp dấu thời gian")


def test_a_crl_that_revokes_the_signer_makes_the_signature_invalid(app, test_ca):
    pdf = _sign(test_ca, key=test_ca.revoked_pkcs12_path)
    roots = signing.load_trust_roots([str(test_ca.root_pem)])

    without = validate_pdf(pdf, trust_roots=roots)
    checked = validate_pdf(pdf, trust_roots=roots, crls=load_crls([str(test_ca.crl_der)]))

    assert (without.signer, without.valid, without.revoked) == (REVOKED_SIGNER_NAME, True, False)
    assert (checked.signer, checked.valid, checked.revoked) == (REVOKED_SIGNER_NAME, False, True)


def test_a_crl_that_does_not_name_the_signer_leaves_the_signature_valid(app, test_ca):
    pdf = _sign(test_ca)
    roots = signing.load_trust_roots([str(test_ca.root_pem)])

    report = validate_pdf(pdf, trust_roots=roots, crls=load_crls([str(test_ca.crl_der)]))

    assert (report.valid, report.revoked) == (True, False)
