"""A dossier's evidence files: add (checked by content, within the dossier's size limit) and
remove (deleted once the transaction commits while the dossier was never submitted, else only
marked removed, for the record)."""

import os
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.auth.models import User
from recognition.campaigns.models import Criterion
from recognition.common import storage
from recognition.common.text import clean
from recognition.database import utcnow
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.models import Attachment, Nomination
from recognition.nominations.services import check_editable, flush_or_conflict, record_edit


def dossier_size(nomination: Nomination) -> int:
    return (
        db.session.scalar(
            select(func.coalesce(func.sum(Attachment.size_bytes), 0)).where(
                Attachment.nomination_id == nomination.id, Attachment.removed_at.is_(None)
            )
        )
        or 0
    )


class AlreadyAttached(DomainError):
    """The same file is already attached in the same place (the dossier, or the criterion)."""


def add_attachment(
    nomination: Nomination,
    data: BinaryIO,
    filename: str,
    *,
    actor: User,
    criterion: Criterion | None = None,
) -> Attachment:
    """Check and store an evidence file, then add its row (the file is durable first)."""
    check_editable(nomination, actor, None)
    original = clean(filename).replace("/", "_").replace("\\", "_") or "file"
    if len(original) > 255:
        # Shorten the name, not the extension: the type check and the reader both need it.
        stem, extension = os.path.splitext(original)
        original = (stem[: max(0, 255 - len(extension))] + extension)[:255]
    content_type = storage.check_upload(data, original)
    data.seek(0, 2)
    limit = current_app.config["MAX_DOSSIER_MB"] * 1024 * 1024
    if dossier_size(nomination) + data.tell() > limit:
        raise DomainError(
            _(
                "The dossier's files would exceed %(mb)d MB in all. Remove a file "
                "or make the files smaller.",
                mb=current_app.config["MAX_DOSSIER_MB"],
            )
        )
    if criterion is not None and criterion.award_type_id != nomination.award_type_id:
        raise DomainError(_("That criterion does not belong to this dossier."))
    sha256, _size = storage.digest_of(data)
    already = db.session.scalar(
        select(Attachment.original_name)
        .where(
            Attachment.nomination_id == nomination.id,
            Attachment.criterion_id == criterion.id
            if criterion is not None
            else Attachment.criterion_id.is_(None),
            Attachment.sha256 == sha256,
            Attachment.removed_at.is_(None),
        )
        .limit(1)
    )
    if already is not None:
        raise AlreadyAttached(
            _(
                "The file %(name)s is already attached here (as %(existing)s); it was not "
                "added again.",
                name=original,
                existing=already,
            )
        )
    stored = storage.store(data, content_type)
    attachment = Attachment(
        nomination_id=nomination.id,
        criterion=criterion,
        original_name=original,
        storage_key=stored.storage_key,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    db.session.add(attachment)
    if nomination.submitted_at is not None:
        record_edit(nomination, actor, [f"+file:{original}"])
    nomination.updated_at = utcnow()
    flush_or_conflict()
    return attachment


def remove_attachment(attachment: Attachment, *, actor: User) -> None:
    """Remove an evidence file. A file of a dossier never submitted is deleted (its file is
    discarded once the transaction commits); afterwards it is only marked removed."""
    nomination = attachment.nomination
    check_editable(nomination, actor, None)
    nomination.updated_at = utcnow()
    if nomination.submitted_at is None:
        storage.discard_after_commit(attachment.storage_key)
        db.session.delete(attachment)
        flush_or_conflict()
        return
    attachment.removed_at = utcnow()
    record_edit(nomination, actor, [f"-file:{attachment.original_name}"])
    flush_or_conflict()
