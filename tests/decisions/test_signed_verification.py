"""The public verification of signed files: the stored certificate's signature is validated
against the trust roots; an uploaded PDF is recognised when it is exactly the file issued, and
a changed, re-saved or foreign one is reported as such; revocation prevails over the signature."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from flask import Flask

from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from tests.conftest import Client
from tests.decisions.helpers import certificates_of, client_for, in_english, page_text
from tests.decisions.test_signed_issue import ready, signing_app, use_key  # noqa: F401
from tests.support.signing_ca import SIGNER_NAME
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


@pytest.fixture
def signed(signing_app: Flask, scene: Scene, test_ca: Any) -> Decision:  # noqa: F811
    secret = use_key(scene, test_ca, "pkcs12")
    decision = ready(scene)
    client_for(signing_app, scene.chair).post_form(
        f"/decisions/{decision.id}/issue", {"pin": secret}
    )
    db.session.expire_all()
    assert decision.state == "issued"
    return decision


@pytest.fixture
def visitor(client: Client) -> Client:
    return in_english(client)


def stored_pdf(certificate: Certificate) -> bytes:
    return storage.read_bytes(certificate.pdf_key or "")


def upload(client: Client, pdf: bytes, name: str = "giay-khen.pdf") -> str:
    response = client.post_form("/verify/file", {"file": (io.BytesIO(pdf), name)})
    assert response.status_code == 200
    return page_text(response.get_data(as_text=True))


def test_the_verification_page_says_who_signed_and_that_the_file_is_unchanged(
    visitor: Client, signed: Decision
) -> None:
    certificate = certificates_of(signed)[0]
    code = public_code(certificate.key_id, certificate.code)
    page = page_text(
        visitor.get(f"/verify/{certificate.public_serial}", query_string={"c": code}).get_data(
            as_text=True
        )
    )
    assert f"Signed digitally by {SIGNER_NAME}" in page
    assert "The file is unchanged since it was signed" in page


def test_the_file_issued_is_genuine(visitor: Client, signed: Decision) -> None:
    certificate = certificates_of(signed)[0]
    page = upload(visitor, stored_pdf(certificate))
    assert ("Genuine and unaltered" in page, certificate.line.recipient in page) == (True, True)


def test_the_signed_decision_is_genuine(visitor: Client, signed: Decision) -> None:
    page = upload(visitor, storage.read_bytes(signed.pdf_key or ""), "quyet-dinh.pdf")
    assert ("Genuine and unaltered" in page, signed.reference in page) == (True, True)


def test_a_changed_byte_is_reported(visitor: Client, signed: Decision) -> None:
    pdf = stored_pdf(certificates_of(signed)[0])
    at = pdf.index(b"\n") + 2  # in the binary comment after the header: signed, never parsed
    changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    page = upload(visitor, changed)
    assert ("Changed after signing" in page, "Genuine" in page) == (True, False)


def test_a_resaved_file_is_reported(visitor: Client, signed: Decision) -> None:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(stored_pdf(certificates_of(signed)[0]))) as pdf:
        pdf.save(out)
    page = upload(visitor, out.getvalue())
    assert ("Changed after signing" in page, "Genuine" in page) == (True, False)


def test_an_unsigned_pdf_is_not_ours(visitor: Client) -> None:
    out = io.BytesIO()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(out)
    page = upload(visitor, out.getvalue())
    assert "carries no digital signature" in page


def test_a_file_that_is_no_pdf_is_refused_on_the_field(visitor: Client) -> None:
    response = visitor.post_form(
        "/verify/file", {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "x.pdf")}
    )
    html = response.get_data(as_text=True)
    assert (response.status_code, "is-invalid" in html, 'id="verdict"' in html) == (
        200,
        True,
        False,
    )


@pytest.mark.parametrize(
    "name, content",
    [("virus.exe", b"MZ\x90\x00" + b"0" * 64), ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)],
)
def test_a_file_that_is_no_pdf_is_asked_for_as_a_pdf(
    visitor: Client, name: str, content: bytes
) -> None:
    # The page checks PDFs only: the refusal names no other type of file.
    page = upload(visitor, content, name)
    assert (
        "Please upload the certificate as a PDF file." in page,
        "DOCX" in page,
    ) == (True, False)


def test_an_annulled_decisions_certificate_is_revoked_whatever_its_signature(
    visitor: Client, signed: Decision, scene: Scene
) -> None:
    certificate = certificates_of(signed)[0]
    services.annul_decision(signed, actor=scene.chair, reason="Hồ sơ không trung thực")
    db.session.commit()
    page = upload(visitor, stored_pdf(certificate))
    code = public_code(certificate.key_id, certificate.code)
    verify_page = page_text(
        visitor.get(f"/verify/{certificate.public_serial}", query_string={"c": code}).get_data(
            as_text=True
        )
    )
    assert ("Revoked" in page, "Genuine and unaltered" in page) == (True, False)
    assert ("Revoked" in verify_page, "Genuine and valid" in verify_page) == (True, False)
