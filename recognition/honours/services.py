"""Publishing awarded nominees on the public honour board, and taking them down: audited."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps

from recognition.auth.models import User
from recognition.certificates.enums import CertificateState
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.text import clean, clean_multiline, fold, sort_string
from recognition.database import string_length, utcnow
from recognition.decisions.enums import DecisionState
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.honours.enums import HonourAction, HonourState
from recognition.honours.models import HonourEntry, HonourPhoto
from recognition.honours.permissions import can_manage_honours

register_vocabulary(ObjectKind.HONOUR_ENTRY, HonourAction, HonourState)

STORY_MAX = 6000
MAX_PHOTOS = 4
CAPTION_MAX = string_length(HonourPhoto.caption)
NAME_MAX = string_length(HonourPhoto.original_name)
SEARCH_MAX = string_length(HonourEntry.search_folded)
SORT_MAX = 510


@dataclass(frozen=True)
class PhotoUpload:
    """A photo sent with the form: its content, its name and what it shows."""

    stream: BinaryIO
    filename: str
    caption: str
    field: str  # the form field it came from, for the message


def photo_limit_mb() -> int:
    """The largest photo accepted, in MB (at most the uploads' general limit)."""
    return min(
        int(current_app.config.get("HONOUR_PHOTO_MB", 5)), int(current_app.config["MAX_FILE_MB"])
    )


def _awarded(certificate: Certificate) -> None:
    """Only an issued, valid award is published: an annulled decision revokes its certificates."""
    decision = certificate.line.decision
    if certificate.state != CertificateState.VALID or decision.state != DecisionState.ISSUED:
        raise DomainError(
            _("Only the awards of an issued decision, not revoked, can be on the honour board.")
        )


def _unit_of(certificate: Certificate) -> tuple[int | None, str]:
    nomination = certificate.line.nomination
    unit = nomination.nominee_unit or nomination.person_unit or nomination.nominating_unit
    return (unit.id, unit.name) if unit is not None else (None, "")


def publish_entry(
    certificate: Certificate,
    *,
    actor: User,
    story: str,
    photos: list[PhotoUpload] | None = None,
    remove_photo_ids: set[int] | None = None,
) -> HonourEntry:
    """Put an awarded nominee on the honour board, or edit its entry there: the certificate's
    own wording, the story written for the public and the photos. Records "publish" (first
    time, or again after a take-down) or "edit"; flushes."""
    line = certificate.line
    decision = line.decision
    if not can_manage_honours(actor, decision.awarding_body):
        raise NotAllowed(_("Only the awarding body's secretariat publishes on the honour board."))
    _awarded(certificate)
    text = clean_multiline(story)
    if not text:
        raise DomainError(_("Write the achievement story for the public."), field="story")
    if len(text) > STORY_MAX:
        raise DomainError(
            _("The story is longer than %(max)d characters.", max=STORY_MAX), field="story"
        )
    entry = db.session.scalar(
        db.select(HonourEntry).where(HonourEntry.certificate_id == certificate.id)
    )
    before = entry.state if entry is not None else None
    unit_id, unit_name = _unit_of(certificate)
    if entry is None:
        entry = HonourEntry(certificate=certificate, awarding_body_id=decision.awarding_body_id)
    issued_on, reference = decision.issued_on, decision.reference
    if issued_on is None or reference is None:  # an issued decision has both
        raise DomainError(
            _("Only the awards of an issued decision, not revoked, can be on the honour board.")
        )
    entry.award_type_id = line.award_type_id
    entry.unit_id = unit_id
    entry.year = issued_on.year
    entry.recipient = line.recipient
    entry.detail = line.detail
    entry.title = line.award_type.name
    entry.unit_name = unit_name
    entry.decision_reference = reference
    entry.decision_on = issued_on
    entry.position = line.position
    entry.story = text
    entry.search_folded = fold(" ".join([line.recipient, line.detail, entry.title, unit_name]))[
        :SEARCH_MAX
    ]
    entry.recipient_sort = sort_string(line.recipient)[:SORT_MAX]
    if before != HonourState.PUBLISHED:
        entry.state = HonourState.PUBLISHED
        entry.published_at = utcnow()
        entry.published_by_id = actor.id
    db.session.add(entry)
    db.session.flush()
    _change_photos(entry, photos or [], remove_photo_ids or set())
    record(
        ObjectKind.HONOUR_ENTRY,
        entry.id,
        HonourAction.EDIT if before == HonourState.PUBLISHED else HonourAction.PUBLISH,
        actor=actor,
        subject=f"{certificate.public_serial} · {line.recipient}",
        from_state=before or "",
        to_state=HonourState.PUBLISHED,
    )
    return entry


def _change_photos(entry: HonourEntry, photos: list[PhotoUpload], remove: set[int]) -> None:
    """Remove the photos asked for (their files go once the change commits), then check and
    store the new ones."""
    for photo in [p for p in entry.photos if p.id in remove]:
        entry.photos.remove(photo)
        storage.discard_after_commit(photo.storage_key)
    db.session.flush()
    if len(entry.photos) + len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("An entry has at most %(max)d photos.", max=MAX_PHOTOS), field=photos[0].field
        )
    position = max((p.position for p in entry.photos), default=0)
    for upload in photos:
        caption = clean(upload.caption)
        if not caption:
            raise DomainError(
                _("Say in a few words what the photo shows (read out to blind visitors)."),
                field=upload.field,
            )
        if len(caption) > CAPTION_MAX:
            raise DomainError(
                _("The caption is longer than %(max)d characters.", max=CAPTION_MAX),
                field=upload.field,
            )
        stored = _store_photo(upload)
        position += 1
        entry.photos.append(
            HonourPhoto(
                position=position,
                caption=caption,
                original_name=clean(upload.filename)[:NAME_MAX] or "photo",
                storage_key=stored.storage_key,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
            )
        )
    db.session.flush()


def _store_photo(upload: PhotoUpload) -> storage.StoredFile:
    name = clean(upload.filename) or "photo"
    data = upload.stream
    data.seek(0, 2)
    size = data.tell()
    data.seek(0)
    limit = photo_limit_mb()
    if size > limit * 1024 * 1024:
        raise DomainError(
            _("The file %(name)s is larger than %(mb)d MB.", name=name, mb=limit),
            field=upload.field,
        )
    try:
        content_type = storage.check_image(data, name)
    except DomainError as error:
        raise DomainError(error.message, field=upload.field) from None
    return storage.store_bytes(without_metadata(data, content_type), content_type)


def without_metadata(data: BinaryIO, content_type: str) -> bytes:
    """The photo drawn again without what its file says beside the picture: a phone's photo
    carries where it was taken (GPS), when and with which device (EXIF, XMP, comments), which
    a public board must not publish. Turned upright first, as the EXIF orientation asked; the
    colour profile is kept."""
    data.seek(0)
    with Image.open(data) as opened:
        picture = ImageOps.exif_transpose(opened)
        icc = opened.info.get("icc_profile")
        picture.info = {}  # Pillow writes a JPEG's comment again from there
        out = io.BytesIO()
        if content_type == "image/jpeg":
            picture.save(out, "JPEG", quality=90, optimize=True, icc_profile=icc)
        else:
            picture.save(out, "PNG", optimize=True, icc_profile=icc)
    return out.getvalue()


def unpublish_entry(entry: HonourEntry, *, actor: User, reason: str = "") -> HonourEntry:
    """Take an entry down from the public board (its photos are kept, for a later
    re-publication); records "unpublish" with the reason; flushes."""
    if not can_manage_honours(actor, entry.awarding_body):
        raise NotAllowed(_("Only the awarding body's secretariat publishes on the honour board."))
    if entry.state != HonourState.PUBLISHED:
        raise InvalidTransition(_("This entry is not on the honour board."))
    entry.state = HonourState.UNPUBLISHED
    entry.unpublished_at = utcnow()
    db.session.flush()
    record(
        ObjectKind.HONOUR_ENTRY,
        entry.id,
        HonourAction.UNPUBLISH,
        actor=actor,
        subject=f"{entry.certificate.public_serial} · {entry.recipient}",
        from_state=HonourState.PUBLISHED,
        to_state=HonourState.UNPUBLISHED,
        comment=clean_multiline(reason)[:3000],
    )
    return entry
