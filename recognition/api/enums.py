"""What an API client may do (its scopes), and what the audit log records of clients."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class Scope(LabelledEnum):
    """A permission given to a client; the client acts within its unit's reach."""

    READ = "read"
    NOMINATIONS_WRITE = "nominations:write"
    HISTORY_READ = "history:read"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.READ: _l("Read units, campaigns, the catalogue, decisions and its dossiers"),
            cls.NOMINATIONS_WRITE: _l("Create, complete and submit dossiers for its unit"),
            cls.HISTORY_READ: _l("Read the award history of nominees in its unit"),
        }


class ClientAction(LabelledEnum):
    """What the audit log records of a client: its registration and revocation by an
    administrator, and every change it makes through the API."""

    CREATE = "create"
    REVOKE = "revoke"
    CREATE_DOSSIER = "create_dossier"
    EDIT_DOSSIER = "edit_dossier"
    ATTACH = "attach"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CREATE: _l("Register an API client"),
            cls.REVOKE: _l("Revoke an API client"),
            cls.CREATE_DOSSIER: _l("Create a dossier through the API"),
            cls.EDIT_DOSSIER: _l("Change a dossier through the API"),
            cls.ATTACH: _l("Attach a file through the API"),
            cls.SUBMIT: _l("Submit a dossier through the API"),
            cls.RESUBMIT: _l("Resubmit a dossier through the API"),
        }
