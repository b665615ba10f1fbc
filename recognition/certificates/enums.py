"""States of a certificate and of a print job, and the actions between them."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class CertificateState(LabelledEnum):
    VALID = "valid"
    REVOKED = "revoked"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.VALID: _l("Valid"), cls.REVOKED: _l("Revoked")}

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.VALID: "success", cls.REVOKED: "dark"}


class CertificateAction(LabelledEnum):
    REVOKE = "revoke"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.REVOKE: _l("Revoke")}


class PrintJobState(LabelledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.QUEUED: _l("Queued"),
            cls.RUNNING: _l("Printing"),
            cls.DONE: _l("Done"),
            cls.FAILED: _l("Failed"),
        }

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {
            cls.QUEUED: "secondary",
            cls.RUNNING: "info",
            cls.DONE: "success",
            cls.FAILED: "danger",
        }


class PrintJobAction(LabelledEnum):
    START = "start"
    FINISH = "finish"
    FAIL = "fail"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.START: _l("Start"), cls.FINISH: _l("Finish"), cls.FAIL: _l("Fail")}


# While a job is in one of these states its page refreshes itself.
PENDING_JOB_STATES = frozenset({PrintJobState.QUEUED, PrintJobState.RUNNING})
