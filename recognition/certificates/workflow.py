"""The lives of a certificate (valid → revoked) and of a print job (queued → running → done
or failed): one transition table each, applied through `Lifecycle.apply`."""

from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from recognition.certificates.enums import (
    CertificateAction,
    CertificateState,
    PrintJobAction,
    PrintJobState,
)
from recognition.certificates.models import Certificate, PrintJob
from recognition.certificates.permissions import can_revoke_certificate, can_run_print_job
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.common.lifecycle import Lifecycle, Transition
from recognition.common.links import app_path
from recognition.nominations.effects import nominators_of
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify_once

C = CertificateState
J = PrintJobState


def _certificate_entered(
    certificate: Certificate, source: CertificateState, target: CertificateState, now: datetime
) -> None:
    if target == C.REVOKED:
        certificate.revoked_at = now


def _certificate_effects(certificate: Certificate, event: AuditEvent) -> None:
    """The nominators of a revoked certificate's dossier are told, with the reason."""
    if certificate.state != C.REVOKED:
        return
    nomination = certificate.line.nomination
    link = app_path("nominations.detail", nomination_id=nomination.id)
    for user in nominators_of(nomination):
        if user.id == event.actor_id:
            continue
        with force_locale(user.locale or "vi"):
            text = _(
                "Certificate %(serial)s (%(nominee)s, %(award)s) was revoked. Reason: %(reason)s",
                serial=certificate.public_serial,
                nominee=nomination.nominee_name,
                award=nomination.award_type.name,
                reason=event.comment,
            )
        notify_once(user, kind=NotificationKind.CERTIFICATE_REVOKED, text=text, link=link)


CERTIFICATE_LIFECYCLE: Lifecycle[CertificateState, CertificateAction] = Lifecycle(
    kind=ObjectKind.CERTIFICATE,
    states=CertificateState,
    actions=CertificateAction,
    transitions=[
        Transition(
            CertificateAction.REVOKE,
            frozenset({C.VALID}),
            C.REVOKED,
            can_revoke_certificate,
            needs_comment=True,
        ),
    ],
    describe=lambda certificate: certificate.public_serial,
    on_enter=_certificate_entered,
    effects=_certificate_effects,
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the certificate is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
)


def _job_entered(
    job: PrintJob, source: PrintJobState, target: PrintJobState, now: datetime
) -> None:
    if target in (J.DONE, J.FAILED):
        job.finished_at = now


def describe_job(job: PrintJob) -> str:
    """How the audit log names a print job: its number and the decision's."""
    decision = job.decision.reference or ""
    return " · ".join(part for part in (f"#{job.id}", decision) if part)


PRINT_JOB_LIFECYCLE: Lifecycle[PrintJobState, PrintJobAction] = Lifecycle(
    kind=ObjectKind.PRINT_JOB,
    states=PrintJobState,
    actions=PrintJobAction,
    transitions=[
        Transition(PrintJobAction.START, frozenset({J.QUEUED}), J.RUNNING, can_run_print_job),
        Transition(PrintJobAction.FINISH, frozenset({J.RUNNING}), J.DONE, can_run_print_job),
        Transition(
            PrintJobAction.FAIL, frozenset({J.QUEUED, J.RUNNING}), J.FAILED, can_run_print_job
        ),
    ],
    describe=describe_job,
    on_enter=_job_entered,
    not_possible=lambda action, state: _(
        "“%(action)s” is not possible while the print job is “%(state)s”.",
        action=action.label,
        state=state.label,
    ),
)
