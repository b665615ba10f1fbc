"""The background worker's entry points (RQ: `rq worker recognition`): each builds its own
application, as a worker process has none. `rq cron recognition.cron` enqueues the scheduled
ones."""

from recognition import create_app
from recognition.certificates.print_jobs import run_in_app
from recognition.common.outbox import deliver_pending
from recognition.extensions import db
from recognition.notifications.reminders import send_due_reminders


def run_print_job(job_id: int) -> None:
    """Print a job's certificates (queued by `certificates.print_jobs.dispatch`)."""
    run_in_app(create_app({"OUTBOX_WORKER": False}), job_id)


def send_reminders() -> dict[str, int]:
    """Send the deadline reminders due now, commit, then deliver the mail (scheduled by
    `recognition.cron`; several workers or a rerun remind nobody twice)."""
    app = create_app({"OUTBOX_WORKER": False})
    with app.app_context():
        try:
            counts = send_due_reminders()
            db.session.commit()
            deliver_pending(limit=1000)
        finally:
            db.session.remove()
    return counts
