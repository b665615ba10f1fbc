"""Printing many certificates in the background, with progress the page can show.

A job renders the certificates in chunks (each chunk spread over the render workers), records
its progress after each chunk, joins the chunks and stores the result. With
RECOGNITION_REDIS_URL set it is queued on RQ (run `rq worker recognition`, which calls
`recognition.worker.run_print_job`); otherwise it runs in a thread of the web process. Either
way it is dispatched once the transaction that created it has committed, and the request
that starts it returns at once. The worker acts as the application (no user).
"""

import threading
import time
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from recognition.auth.models import User
from recognition.certificates.enums import PENDING_JOB_STATES, PrintJobAction, PrintJobState
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.rendering import join_pdfs, render_batch
from recognition.certificates.workflow import PRINT_JOB_LIFECYCLE
from recognition.common import storage
from recognition.common.after_commit import after_commit
from recognition.extensions import db
from recognition.units.settings import settings_for

CHUNK = 200
CLAIM_ATTEMPTS, CLAIM_PAUSE_SECONDS = 3, 1.0
# A thousand certificates take seconds, and RQ lets a job run an hour at most (dispatch): a job
# pending longer than that is not coming back.
STUCK_AFTER = timedelta(minutes=65)
# What RQ runs: a function path, so that this module does not import the application.
RQ_ENTRY_POINT = "recognition.worker.run_print_job"


def start_print_job(decision: Any, *, actor: User, line_ids: set[int] | None = None) -> PrintJob:
    """Record a job for the decision's certificates (or the chosen lines) and dispatch it once
    the transaction commits; flushes."""
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
    )
    db.session.add(job)
    db.session.flush()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    job_id = job.id
    after_commit(lambda: dispatch(app, job_id))
    return job


def dispatch(app: Flask, job_id: int) -> None:
    """Run the job elsewhere: on RQ when configured, else in a thread of this process."""
    redis_url = app.config.get("REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        Queue("recognition", connection=Redis.from_url(redis_url)).enqueue(
            RQ_ENTRY_POINT, job_id, job_timeout=3600
        )
        return
    threading.Thread(
        target=run_in_app, args=(app, job_id), name=f"print-{job_id}", daemon=True
    ).start()


def run_in_app(app: Flask, job_id: int) -> None:
    """Run the job in an application context of its own (a thread, a worker process)."""
    with app.app_context():
        try:
            run_print_job(job_id)
        finally:
            db.session.remove()


def job_certificates(job: PrintJob) -> list[Certificate]:
    """The job's certificates in the order of its pages."""
    found = db.session.scalars(
        select(Certificate)
        .where(Certificate.line_id.in_(job.line_ids))
        .options(selectinload(Certificate.line))
    )
    return sorted(found, key=lambda certificate: certificate.line.position)


def run_print_job(job_id: int) -> None:
    """Render, join and store the job's certificates, committing progress per chunk."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        certificates = job_certificates(job)
        paper = settings_for(job.decision.awarding_body).paper
        parts = []
        for start in range(0, len(certificates), CHUNK):
            parts.append(render_batch(certificates[start : start + CHUNK], paper=paper))
            job.done = min(start + CHUNK, len(certificates))
            db.session.commit()
        job.result_key = storage.store_bytes(join_pdfs(parts), "application/pdf").storage_key
        PRINT_JOB_LIFECYCLE.apply(job, PrintJobAction.FINISH, actor=None)
        db.session.commit()
    except Exception as error:  # a failed job is shown on its page, never lost silently
        db.session.rollback()
        current_app.logger.exception("print job %s failed", job_id)
        _fail(job_id, f"{type(error).__name__}: {error}")


def _claim(job_id: int) -> PrintJob | None:
    """The job, started, or None when it is not to run here.

    Claimed under a row lock: a job dispatched twice (a thread and a retried RQ job) runs once;
    whoever finds it started leaves it. A claim that fails (the database busy or away for a
    moment) is tried again, then the job is marked failed: never left queued for ever."""
    for attempt in range(CLAIM_ATTEMPTS):
        try:
            job = db.session.get(PrintJob, job_id, with_for_update=True)
            if job is None or job.state != PrintJobState.QUEUED:
                db.session.rollback()
                return None
            PRINT_JOB_LIFECYCLE.apply(job, PrintJobAction.START, actor=None)
            db.session.commit()
            return job
        except DBAPIError:  # the database busy or away for a moment: try again
            db.session.rollback()
            current_app.logger.exception("print job %s: claim %d failed", job_id, attempt + 1)
            time.sleep(CLAIM_PAUSE_SECONDS * (attempt + 1))
    _fail(job_id, "the job could not be started", only_if=PrintJobState.QUEUED)
    return None


def _fail(job_id: int, error: str, *, only_if: PrintJobState | None = None) -> None:
    """Mark the job failed with its error (shown on its page, which offers to print again);
    `only_if` a state, when another worker may have it (a claim that failed here leaves a job
    another worker started alone)."""
    try:
        failed = db.session.get(PrintJob, job_id)
        if failed is None or failed.state not in PENDING_JOB_STATES:
            return
        if only_if is not None and failed.state != only_if:
            return
        failed.error = error[:1000]
        PRINT_JOB_LIFECYCLE.apply(failed, PrintJobAction.FAIL, actor=None, comment=failed.error)
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("print job %s could not be marked failed", job_id)


def looks_stuck(job: PrintJob, now: datetime) -> bool:
    """A job still waiting or running long after any batch finishes (its process ended with
    it, say): its page says so and offers to print again."""
    return job.state in PENDING_JOB_STATES and now - job.created_at > STUCK_AFTER
