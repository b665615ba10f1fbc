"""Printing a large batch in the background: chunks, progress, the joined PDF, failures."""

from __future__ import annotations

import io
import re
import threading
from datetime import timedelta
from urllib.parse import unquote

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from recognition.campaigns.enums import AwardKind
from recognition.campaigns.services import offer_award
from recognition.certificates import print_jobs as jobs
from recognition.certificates.enums import PrintJobAction, PrintJobState
from recognition.certificates.models import PrintJob
from recognition.common import storage
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.database import utcnow
from recognition.decisions import services
from recognition.extensions import db
from tests.conftest import ON_POSTGRES
from tests.decisions.helpers import ISSUE_DAY, drafted, issued, passed
from tests.support.factories import AwardTypeFactory
from tests.workflow.helpers import Scene, build_scene, race_database

pytestmark = pytest.mark.integration


@pytest.fixture
def request_locale() -> str:
    return "vi"


@pytest.fixture
def request_base_url() -> str:
    return "http://thidua.example.vn/"


def test_a_job_renders_in_chunks_records_progress_and_stores_one_pdf(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "CHUNK", 2)
    decision = issued(scene, 5)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    assert (job.state, job.done, job.total) == ("queued", 0, 5)

    jobs.run_print_job(job.id)

    job = db.session.get(PrintJob, job.id)
    assert (job.state, job.done, job.percent, job.error) == ("done", 5, 100, "")
    reader = PdfReader(io.BytesIO(storage.read_bytes(job.result_key)))
    recipients = [line.recipient for line in decision.lines]
    assert len(reader.pages) == 5
    assert [next(r for r in recipients if r in page.extract_text()) for page in reader.pages] == (
        recipients
    )


def test_a_failing_job_is_marked_failed_with_its_error(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = issued(scene, 1)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "render_batch", broken)
    jobs.run_print_job(job.id)

    job = db.session.get(PrintJob, job.id)
    assert (job.state, job.error, job.result_key) == ("failed", "OSError: disk full", None)
    assert job.finished_at is not None


def test_the_job_page_refreshes_while_running_and_links_the_pdf_when_done(
    scene: Scene,
    as_user,
    app: Flask,  # type: ignore[no-untyped-def]
) -> None:
    decision = issued(scene, 2)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    client = as_user(scene.chair)

    running = client.get(f"/decisions/print-jobs/{job.id}").get_data(as_text=True)
    jobs.run_print_job(job.id)
    done = client.get(f"/decisions/print-jobs/{job.id}").get_data(as_text=True)
    pdf = client.get(f"/decisions/print-jobs/{job.id}/certificates.pdf")

    assert ('http-equiv="refresh"' in running, 'http-equiv="refresh"' in done) == (True, False)
    assert (pdf.status_code, pdf.mimetype, len(PdfReader(io.BytesIO(pdf.data)).pages)) == (
        200,
        "application/pdf",
        2,
    )


def file_name(response: object) -> str:
    """The file's name a download gives (its UTF-8 form when it has one)."""
    disposition = response.headers["Content-Disposition"]  # type: ignore[attr-defined]
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    return unquote(utf8.group(1)) if utf8 else disposition.split("filename=", 1)[1]


@pytest.mark.parametrize(
    ("certificate_title", "kind", "named"),
    [
        ("BẰNG KHEN", AwardKind.COMMENDATION, "bang-khen"),
        ("GIẤY KHEN", AwardKind.COMMENDATION, "giay-khen"),
        ("LAO ĐỘNG TIÊN TIẾN", AwardKind.TITLE, "chung-nhan"),
    ],
)
def test_a_batch_is_named_after_its_kind_of_award_and_the_decision_s_number(
    scene: Scene,
    as_user,  # type: ignore[no-untyped-def]
    certificate_title: str,
    kind: AwardKind,
    named: str,
) -> None:
    award = AwardTypeFactory(
        awarding_body=scene.body, certificate_title=certificate_title, kind=kind
    )
    offer_award(scene.campaign, award, quota=None)
    decision = drafted(scene, [passed(scene, award=award) for _ in range(2)])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    jobs.run_print_job(job.id)
    client = as_user(scene.chair)
    base = f"/decisions/{decision.id}"

    names = [
        file_name(client.get(f"{base}/certificates.pdf")),
        file_name(client.get(f"{base}/certificates.zip")),
        file_name(client.get(f"/decisions/print-jobs/{job.id}/certificates.pdf")),
        file_name(client.get(f"{base}/certificates-blank.pdf")),
    ]

    assert names == [
        f"{named}-01-QĐ-UBND.pdf",
        f"{named}-01-QĐ-UBND.zip",
        f"{named}-01-QĐ-UBND.pdf",
        f"phoi-{named}-01-QĐ-UBND.pdf",
    ]


def test_a_batch_of_several_kinds_has_a_neutral_name(scene: Scene, as_user) -> None:  # type: ignore[no-untyped-def]
    other = AwardTypeFactory(awarding_body=scene.body, certificate_title="BẰNG KHEN")
    offer_award(scene.campaign, other, quota=None)
    decision = drafted(scene, [passed(scene), passed(scene, award=other)])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    db.session.commit()

    response = as_user(scene.chair).get(f"/decisions/{decision.id}/certificates.pdf")

    assert file_name(response) == "chung-nhan-01-QĐ-UBND.pdf"


def test_other_units_cannot_see_a_job(scene: Scene, as_user) -> None:  # type: ignore[no-untyped-def]
    decision = issued(scene, 1)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    client = as_user(scene.nominator)

    assert client.get(f"/decisions/print-jobs/{job.id}").status_code == 403


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL")
def test_a_job_dispatched_to_two_workers_at_once_runs_once() -> None:
    """Two servers' workers handed the same job (a thread and a retried RQ job): the row lock
    lets one render it; the other finds it started and leaves it."""
    with race_database("print_job") as race_app:
        with race_app.app_context():
            decision = issued(build_scene(), 3)
            job = jobs.start_print_job(decision, actor=decision.issued_by)
            db.session.commit()
            job_id = job.id
            stored_before = len(list(storage.stored_objects()))
            db.session.remove()
        barrier = threading.Barrier(2)
        errors: list[str] = []

        def worker() -> None:
            with race_app.app_context():
                try:
                    barrier.wait(timeout=30)
                    jobs.run_print_job(job_id)
                except Exception as error:  # reported by the assertion below
                    errors.append(repr(error))
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with race_app.app_context():
            job = db.session.get(PrintJob, job_id)
            started = db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.object_kind == ObjectKind.PRINT_JOB, AuditEvent.object_id == job_id
                )
            ).all()
            stored_after = len(list(storage.stored_objects()))
            pages = len(PdfReader(io.BytesIO(storage.read_bytes(job.result_key))).pages)
            db.session.remove()

    assert errors == []
    assert (job.state, job.done, pages) == ("done", 3, 3)
    assert sorted(started) == ["finish", "start"]
    assert stored_after - stored_before == 1


def test_a_job_that_cannot_be_claimed_is_marked_failed_not_left_queued(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = issued(scene, 1)
    job = jobs.start_print_job(decision, actor=scene.chair)
    db.session.commit()
    monkeypatch.setattr(jobs, "CLAIM_PAUSE_SECONDS", 0)
    start = jobs.PRINT_JOB_LIFECYCLE.apply

    def busy(obj: object, action: PrintJobAction, **kwargs: object) -> object:
        if action == PrintJobAction.START:  # the database busy at every try
            raise OperationalError("UPDATE print_jobs", {}, Exception("database is locked"))
        return start(obj, action, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs.PRINT_JOB_LIFECYCLE, "apply", busy)
    jobs.run_print_job(job.id)

    db.session.expire_all()
    job = db.session.get(PrintJob, job.id)
    assert (job.state, job.error) == ("failed", "the job could not be started")


@pytest.mark.parametrize("state", ["stuck", "failed"])
def test_a_stopped_job_s_page_offers_to_print_again(  # type: ignore[no-untyped-def]
    scene: Scene, as_user, state: str
) -> None:
    decision = issued(scene, 1)
    job = jobs.start_print_job(decision, actor=scene.chair)
    if state == "stuck":  # queued long ago by a process that ended with it
        job.created_at = utcnow() - jobs.STUCK_AFTER - timedelta(minutes=1)
    else:
        job.state, job.error = PrintJobState.FAILED, "OSError: disk full"
    db.session.commit()

    page = as_user(scene.chair).get(f"/decisions/print-jobs/{job.id}").get_data(as_text=True)

    assert f'action="/decisions/{decision.id}/print-jobs"' in page
    assert 'http-equiv="refresh"' not in page
    if state == "stuck":
        assert "has not finished after 65 minutes" in page


def test_a_failed_claim_leaves_a_job_another_worker_runs_alone(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision = issued(scene, 1)
    job = jobs.start_print_job(decision, actor=scene.chair)
    job.state = PrintJobState.RUNNING  # started by another worker
    db.session.commit()
    monkeypatch.setattr(jobs, "CLAIM_PAUSE_SECONDS", 0)
    get = db.session.get

    def locked(*args: object, **kwargs: object) -> object:
        if kwargs.get("with_for_update"):  # the other worker holds the row
            raise OperationalError("SELECT … FOR UPDATE", {}, Exception("lock timeout"))
        return get(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(db.session, "get", locked)
    jobs.run_print_job(job.id)
    monkeypatch.undo()

    db.session.expire_all()
    job = db.session.get(PrintJob, job.id)
    assert (job.state, job.error) == ("running", "")
