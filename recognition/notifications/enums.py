"""What a notification is about."""

from recognition.common.enums import LabelledEnum


class NotificationKind(LabelledEnum):
    """The step a notification reports or the deadline it reminds of (stored on each
    notification and on each reminder sent; `general` for rows older than the kinds)."""

    GENERAL = "general"
    # A dossier's steps (nominations/effects.py).
    DOSSIER_SUBMITTED = "dossier_submitted"
    DOSSIER_RETURNED = "dossier_returned"
    DOSSIER_ACCEPTED = "dossier_accepted"
    DOSSIER_REJECTED = "dossier_rejected"
    DOSSIER_PASSED = "dossier_passed"
    DOSSIER_FAILED = "dossier_failed"
    DOSSIER_AWARDED = "dossier_awarded"
    AWARD_ANNULLED = "award_annulled"
    DOSSIER_HELD = "dossier_held"
    DOSSIER_RELEASED = "dossier_released"
    # The council (council/effects.py).
    VOTE_OPENED = "vote_opened"
    CONSULTATION_OPENED = "consultation_opened"
    VOTE_CLOSED = "vote_closed"
    # Decisions and certificates.
    DECISION_TO_SIGN = "decision_to_sign"
    ANNULMENT_REQUESTED = "annulment_requested"
    ANNULMENT_DISMISSED = "annulment_dismissed"
    POSTING_COMMENT = "posting_comment"
    CERTIFICATE_REVOKED = "certificate_revoked"
    # Reminders, sent by the scheduled job (notifications/reminders.py).
    CONSULTATION_CLOSING = "consultation_closing"
    POSTING_ENDED = "posting_ended"
    APPRAISAL_DUE = "appraisal_due"
    WINDOW_CLOSING = "window_closing"
    # Emulation registration (registration/services.py): sent by the secretariat.
    REGISTRATION_REMINDER = "registration_reminder"
