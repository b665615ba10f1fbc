"""The scheduled jobs, for RQ's scheduler: `rq cron recognition.cron --url $RECOGNITION_REDIS_URL`
beside `rq worker recognition`. Without Redis, run `flask send-reminders` from cron instead.

The reminders job runs every hour: a missed run (a restart, a stopped scheduler) is caught up
by the next one, and a reminder already sent is not sent again (`notifications.reminders`).
"""

from rq import cron

from recognition.worker import send_reminders

QUEUE = "recognition"
REMINDERS_SCHEDULE = "7 * * * *"

cron.register(
    send_reminders,
    QUEUE,
    cron=REMINDERS_SCHEDULE,
    job_timeout=1800,
    name="send-reminders",
)
