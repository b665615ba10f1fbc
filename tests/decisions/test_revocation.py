"""A revoked certificate's PDF: every download, batch and print that holds it carries the red
"ĐÃ THU HỒI" stamp with the day of revocation and the annulled decision; the stored original
and its SHA-256 stay as they were (they are evidence); a valid certificate is served as stored."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime

import pytest
from flask import Flask

from recognition.certificates import print_jobs as jobs
from recognition.certificates.models import Certificate
from recognition.certificates.rendering import render_batch
from recognition.certificates.revocation import stamp_revoked
from recognition.common import lifecycle, storage
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from tests.conftest import Client
from tests.decisions.helpers import (
    certificates_of,
    client_for,
    fonts,
    issued,
    one_line,
    page_sizes,
    page_texts,
    pdftotext,
    stored,
)
from tests.workflow.helpers import Scene, flashes

pytestmark = pytest.mark.integration

# 01:30 on 20 March 2026 in Việt Nam, still the 19th in UTC: the stamp gives the local day.
REVOKED_AT = datetime(2026, 3, 19, 18, 30, tzinfo=UTC)
STAMP = "ĐÃ THU HỒI"
REVOKED_LINE = "Ngày thu hồi: 20/03/2026"
DECISION_LINE = "Quyết định số 01/QĐ-UBND ngày 04/03/2026 đã bị hủy bỏ"


@pytest.fixture
def secretariat(app: Flask, scene: Scene) -> Client:
    return client_for(app, scene.secretariat)


@pytest.fixture
def decision(scene: Scene) -> Decision:
    """Decision 01/QĐ-UBND of 4 March 2026, two certificates stored."""
    decision = issued(scene, 2, names=["Ấp Phú Hữu Mới", "Ấp Tân Thiềng"])
    stored(decision)
    db.session.commit()
    return decision


def annul(scene: Scene, decision: Decision, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lifecycle, "utcnow", lambda: REVOKED_AT)
    services.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")
    db.session.commit()


def original(certificate: Certificate) -> bytes:
    return storage.read_bytes(certificate.pdf_key or "")


def stamped(page: str) -> bool:
    text = one_line(page)
    return STAMP in text and REVOKED_LINE in text and DECISION_LINE in text


def test_a_revoked_certificate_is_downloaded_with_the_stamp_and_its_original_kept(
    scene: Scene, decision: Decision, secretariat: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificate = certificates_of(decision)[0]
    before = original(certificate)
    annul(scene, decision, monkeypatch)

    response = secretariat.get(f"/certificates/{certificate.id}.pdf")

    pages = page_texts(response.data, raw=True)
    after = original(certificate)
    assert (response.status_code, response.mimetype, len(pages), stamped(pages[0])) == (
        200,
        "application/pdf",
        1,
        True,
    )
    assert ("Ấp Phú Hữu Mới" in one_line(pages[0]), certificate.public_serial in pages[0]) == (
        True,
        True,
    )
    assert page_sizes(response.data) == page_sizes(before)
    assert set(fonts(response.data).values()) == {True}
    assert (after, hashlib.sha256(after).hexdigest()) == (before, certificate.pdf_sha256)


def test_a_valid_certificate_is_served_as_stored_without_a_stamp(
    decision: Decision, secretariat: Client
) -> None:
    certificate = certificates_of(decision)[0]

    response = secretariat.get(f"/certificates/{certificate.id}.pdf")

    assert (response.status_code, response.data == original(certificate)) == (200, True)
    assert "THU HỒI" not in one_line(pdftotext(response.data, raw=True))


def test_every_kept_copy_of_an_annulled_decision_is_stamped_on_every_page(
    scene: Scene, decision: Decision, secretariat: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A print job finished before the annulment: its stored result is stamped when served.
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    jobs.run_print_job(job.id)
    annul(scene, decision, monkeypatch)
    base = f"/decisions/{decision.id}"

    pdfs = {
        f"/decisions/print-jobs/{job.id}/certificates.pdf": secretariat.get(
            f"/decisions/print-jobs/{job.id}/certificates.pdf"
        ).data
    }
    with zipfile.ZipFile(io.BytesIO(secretariat.get(f"{base}/certificates.zip").data)) as archive:
        pdfs |= {name: archive.read(name) for name in archive.namelist()}

    assert {
        name: [stamped(p) for p in page_texts(pdf, raw=True)] for name, pdf in pdfs.items()
    } == {
        f"/decisions/print-jobs/{job.id}/certificates.pdf": [True, True],
        **{f"{c.public_serial}.pdf": [True] for c in certificates_of(decision)},
    }


def test_an_annulled_decision_offers_no_printing_and_refuses_it(
    scene: Scene, decision: Decision, secretariat: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = f"/decisions/{decision.id}"
    before = secretariat.get(base).get_data(as_text=True)
    annul(scene, decision, monkeypatch)
    jobs_before = db.session.query(jobs.PrintJob).count()

    page = secretariat.get(base).get_data(as_text=True)
    refused = [
        secretariat.get(f"{base}/certificates.pdf"),
        secretariat.get(f"{base}/certificates-blank.pdf"),
        secretariat.post_form(f"{base}/print-jobs", {}),
    ]
    message = flashes(secretariat.get(base).get_data(as_text=True))

    assert "certificates.pdf" in before and "certificates.pdf" not in page
    assert "print-jobs" not in page
    assert "certificates-blank.pdf" not in page
    assert [(r.status_code, r.headers["Location"]) for r in refused] == [(302, base)] * 3
    assert (
        "danger",
        "These certificates were revoked when the decision was annulled: they cannot be printed.",
    ) in message
    assert db.session.query(jobs.PrintJob).count() == jobs_before


def test_only_the_pages_of_revoked_certificates_are_stamped(
    scene: Scene, decision: Decision, monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = certificates_of(issued(scene, 1, names=["Ấp Còn Hiệu Lực"]))[0]
    annul(scene, decision, monkeypatch)
    revoked = certificates_of(decision)[0]
    batch = render_batch([valid, revoked, valid])

    pages = page_texts(stamp_revoked(batch, [valid, revoked, valid]), raw=True)

    assert [stamped(page) for page in pages] == [False, True, False]
    assert "THU HỒI" not in one_line(pages[0] + pages[2])
    assert stamp_revoked(batch, [valid, valid, valid]) == batch
