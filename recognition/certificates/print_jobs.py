"""Printing many certificates in the background, with progress the page can show.

A job renders the certificates in chunks (each chunk spread over the render workers), records
its progress after each chunk, joins the chunks and stores the result. With
RECOGNITION_REDIS_URL set it is queued on RQ (run `rq worker recognition`); otherwise it runs
in a thread of the web process. Either way the request that starts it returns at once.
"""

import threading

from flask import Flask, current_app, request
from sqlalchemy import select

from recognition.auth.models import User
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.rendering import join_pdfs, render_batch
from recognition.common import storage
from recognition.database import utcnow
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.units.settings import settings_for

CHUNK = 200


def start_print_job(
    decision: Decision, *, actor: User, line_ids: set[int] | None = None
) -> PrintJob:
    """Record a job for the decision's certificates (or the chosen lines); flushes."""
    certificates = [
        line.certificate
        for line in decision.lines
        if line.certificate is not None and (not line_ids or line.id in line_ids)
    ]
    job = PrintJob(
        decision_id=decision.id,
        requested_by_id=actor.id,
        total=len(certificates),
        line_ids=sorted(c.line_id for c in certificates),
        base_url=request.host_url if request else "",
    )
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(job_id: int) -> None:
    """Run the job elsewhere, after the transaction that created it committed."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        Queue("recognition", connection=Redis.from_url(redis_url)).enqueue(
            run_print_job_in_new_app, job_id, job_timeout=3600
        )
        return
    threading.Thread(
        target=_run_in_app, args=(app, job_id), name=f"print-{job_id}", daemon=True
    ).start()


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        job = db.session.get(PrintJob, job_id)
        base_url = (job.base_url if job else "") or "http://localhost/"
        db.session.remove()
        # A request context for that address, so the QR links point where the user came from.
        with app.test_request_context("/", base_url=base_url):
            try:
                run_print_job(job_id)
            finally:
                db.session.remove()


def run_print_job_in_new_app(job_id: int) -> None:
    """The RQ entry point: a worker process builds its own app."""
    from recognition import create_app

    _run_in_app(create_app({"OUTBOX_WORKER": False}), job_id)


def job_certificates(job: PrintJob) -> list[Certificate]:
    """The job's certificates in the order of its pages."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(DecisionLine)
            .where(Certificate.line_id.in_(job.line_ids))
            .order_by(DecisionLine.position)
        )
    )


def run_print_job(job_id: int) -> None:
    """Render, join and store the job's certificates, committing progress per chunk."""
    job = db.session.get(PrintJob, job_id)
    if job is None or job.state not in ("queued", "running"):
        return
    job.state = "running"
    db.session.commit()
    try:
        certificates = job_certificates(job)
        decision = db.session.get(Decision, job.decision_id)
        paper = settings_for(decision.awarding_body).paper if decision else "A4"
        parts = []
        for start in range(0, len(certificates), CHUNK):
            parts.append(render_batch(certificates[start : start + CHUNK], paper=paper))
            job.done = min(start + CHUNK, len(certificates))
            db.session.commit()
        job.result_key = storage.store_bytes(join_pdfs(parts), "application/pdf").storage_key
        job.state = "done"
    except Exception as error:  # a failed job is shown on its page, never lost silently
        db.session.rollback()
        job = db.session.get(PrintJob, job_id)
        if job is None:
            raise
        job.state = "failed"
        job.error = f"{type(error).__name__}: {error}"[:1000]
        current_app.logger.exception("print job %s failed", job_id)
    job.finished_at = utcnow()
    db.session.commit()
