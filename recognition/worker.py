"""The background worker's entry points (RQ: `rq worker recognition`): each builds its own
application, as a worker process has none."""

from recognition import create_app
from recognition.certificates.print_jobs import run_in_app


def run_print_job(job_id: int) -> None:
    """Print a job's certificates (queued by `certificates.print_jobs.dispatch`)."""
    run_in_app(create_app({"OUTBOX_WORKER": False}), job_id)
