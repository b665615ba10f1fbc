"""Kinds of emulation grouping, the officers' roles, the tie-break keys and the audited actions."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class ClusterKind(LabelledEnum):
    """A cluster (cụm) groups units of one level by area; a block (khối) by field of work."""

    CLUSTER = "cluster"
    BLOCK = "block"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.CLUSTER: _l("Emulation cluster"), cls.BLOCK: _l("Emulation block")}


class OfficerRole(LabelledEnum):
    """Who leads the cluster in turn (cụm trưởng) and who deputises (cụm phó)."""

    LEAD = "lead"
    DEPUTY = "deputy"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.LEAD: _l("Lead unit"), cls.DEPUTY: _l("Deputy unit")}


class TieBreak(LabelledEnum):
    """What decides between members with the same total, in the body's order. A key
    `criterion:<code>` (more points in that criterion first) may stand among them."""

    DEDUCTIONS = "deductions"
    VOTES = "votes"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.DEDUCTIONS: _l("Fewer deduction points"),
            cls.VOTES: _l("More votes of the cluster meeting"),
        }


# The default order when the body has set none: fewer deductions, then the cluster's vote.
DEFAULT_TIE_BREAKS = [TieBreak.DEDUCTIONS.value, TieBreak.VOTES.value]
CRITERION_PREFIX = "criterion:"


class ClusterAction(LabelledEnum):
    """What the audit log records of a cluster."""

    CREATE = "create"
    EDIT = "edit"
    ADD_MEMBER = "add_member"
    REMOVE_MEMBER = "remove_member"
    ROTATE = "rotate"
    EDIT_TABLE = "edit_table"
    SELF_SCORE = "self_score"
    AGREE_SCORE = "agree_score"
    LOCK = "lock"
    NOMINATE = "nominate"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.CREATE: _l("Create"),
            cls.EDIT: _l("Edit"),
            cls.ADD_MEMBER: _l("Add a member unit"),
            cls.REMOVE_MEMBER: _l("Remove a member unit"),
            cls.ROTATE: _l("Appoint the lead or deputy unit"),
            cls.EDIT_TABLE: _l("Change the scoring table"),
            cls.SELF_SCORE: _l("Self-score"),
            cls.AGREE_SCORE: _l("Record the agreed score"),
            cls.LOCK: _l("Lock the year's result"),
            cls.NOMINATE: _l("Propose for awards"),
        }


def tie_break_label(key: str) -> str:
    """A tie-break key as people read it."""
    if key.startswith(CRITERION_PREFIX):
        return str(_l("More points in criterion %(code)s", code=key.removeprefix(CRITERION_PREFIX)))
    if key in TieBreak.values():
        return TieBreak(key).label
    return key


def tie_break_labels(keys: list[str]) -> str:
    return "; ".join(tie_break_label(k) for k in keys) or str(
        _l("none (equal totals share a rank)")
    )
