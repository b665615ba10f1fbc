"""Publishing on the honour board and taking an entry down: only the awarding body's
secretariat, only awards of an issued decision whose certificate is valid, every step in the
audit log, and the photos checked like every upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.errors import DomainError, InvalidTransition, NotAllowed
from recognition.extensions import db
from recognition.honours.enums import HonourState
from recognition.honours.services import MAX_PHOTOS, publish_entry, unpublish_entry
from tests.honours.conftest import image, photo
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

STORY = "Ấp Sơn Qui: 96 % hộ có internet cáp quang."


def events(entry_id: int) -> list[tuple[str, str, str, int | None]]:
    rows = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.HONOUR_ENTRY, AuditEvent.object_id == entry_id)
        .order_by(AuditEvent.id)
    )
    return [(e.action, e.from_state, e.to_state, e.actor_id) for e in rows]


def test_publishing_copies_the_certificate_and_is_audited(
    scene: Scene, certificates: list[Certificate]
) -> None:
    certificate = next(c for c in certificates if c.line.recipient == "Ấp Sơn Qui")
    line = certificate.line

    entry = publish_entry(certificate, actor=scene.secretariat, story=f"  {STORY}  ")

    assert (
        entry.state,
        entry.recipient,
        entry.detail,
        entry.title,
        entry.decision_reference,
        entry.decision_on,
        entry.year,
        entry.story,
    ) == (
        HonourState.PUBLISHED,
        line.recipient,
        line.detail,
        line.award_type.name,
        line.decision.reference,
        line.decision.issued_on,
        line.decision.issued_on.year,  # type: ignore[union-attr]
        STORY,
    )
    assert entry.search_folded.startswith("ap son qui ")
    assert events(entry.id) == [("publish", "", "published", scene.secretariat.id)]


def test_editing_and_taking_down_and_publishing_again_are_each_recorded(
    scene: Scene, certificates: list[Certificate]
) -> None:
    entry = publish_entry(certificates[0], actor=scene.secretariat, story=STORY)
    publish_entry(certificates[0], actor=scene.secretariat, story="Câu chuyện mới")
    unpublish_entry(entry, actor=scene.secretariat, reason="Ảnh chưa được đồng ý")
    with pytest.raises(InvalidTransition):
        unpublish_entry(entry, actor=scene.secretariat)
    publish_entry(certificates[0], actor=scene.secretariat, story="Câu chuyện mới")

    assert [e[:3] for e in events(entry.id)] == [
        ("publish", "", "published"),
        ("edit", "published", "published"),
        ("unpublish", "published", "unpublished"),
        ("publish", "unpublished", "published"),
    ]
    assert entry.story == "Câu chuyện mới"
    comments = db.session.scalars(
        select(AuditEvent.comment).where(AuditEvent.action == "unpublish")
    ).all()
    assert comments == ["Ảnh chưa được đồng ý"]


@pytest.mark.parametrize(
    "who", ["chair", "council_member", "nominator", "other_secretariat", "admin"]
)
def test_only_the_bodys_secretariat_publishes(
    scene: Scene, certificates: list[Certificate], who: str
) -> None:
    with pytest.raises(NotAllowed):
        publish_entry(certificates[0], actor=getattr(scene, who), story=STORY)
    entry = publish_entry(certificates[0], actor=scene.secretariat, story=STORY)
    with pytest.raises(NotAllowed):
        unpublish_entry(entry, actor=getattr(scene, who))
    assert entry.state == HonourState.PUBLISHED


def test_a_revoked_award_is_refused_and_leaves_the_board(
    scene: Scene, decision: Decision, certificates: list[Certificate]
) -> None:
    entry = publish_entry(certificates[0], actor=scene.secretariat, story=STORY)
    decisions.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")
    db.session.flush()

    with pytest.raises(DomainError, match="issued decision, not revoked"):
        publish_entry(certificates[1], actor=scene.secretariat, story=STORY)
    with pytest.raises(DomainError, match="issued decision, not revoked"):
        publish_entry(certificates[0], actor=scene.secretariat, story="Sửa")
    assert entry.story == STORY


def test_an_empty_story_is_refused_on_its_field(
    scene: Scene, certificates: list[Certificate]
) -> None:
    with pytest.raises(DomainError) as refused:
        publish_entry(certificates[0], actor=scene.secretariat, story=" \u200b \n ")
    assert refused.value.field == "story"


def test_photos_are_stored_checked_and_removed(
    scene: Scene, certificates: list[Certificate]
) -> None:
    entry = publish_entry(
        certificates[0],
        actor=scene.secretariat,
        story=STORY,
        photos=[photo(), photo(image("JPEG"), "họp.jpg", "Buổi họp tổ")],
    )
    assert [(p.position, p.caption, p.content_type, p.original_name) for p in entry.photos] == [
        (1, "Tổ công nghệ số", "image/png", "ảnh ấp.png"),
        (2, "Buổi họp tổ", "image/jpeg", "họp.jpg"),
    ]
    first = entry.photos[0].id
    publish_entry(certificates[0], actor=scene.secretariat, story=STORY, remove_photo_ids={first})
    assert [p.caption for p in entry.photos] == ["Buổi họp tổ"]


def test_a_photo_is_published_without_where_and_how_it_was_taken(
    scene: Scene, certificates: list[Certificate]
) -> None:
    # A phone's photo: turned on its side by the EXIF orientation, with GPS, the device and
    # a comment in its file.
    picture = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x010F] = "SECRETCAM"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show it upright
    exif[0x8825] = {1: "N", 2: (10.0, 20.0, 30.0), 3: "E", 4: (106.0, 1.0, 2.0)}  # GPS
    taken = io.BytesIO()
    picture.save(taken, "JPEG", exif=exif, comment=b"Nha ong Tam")

    entry = publish_entry(
        certificates[0],
        actor=scene.secretariat,
        story=STORY,
        photos=[photo(taken.getvalue(), "ảnh.jpg", "Lễ trao giấy khen")],
    )

    stored = storage.read_bytes(entry.photos[0].storage_key)
    with Image.open(io.BytesIO(stored)) as published:
        assert published.format == "JPEG"
        assert dict(published.getexif()) == {}
        assert "comment" not in published.info and "exif" not in published.info
        assert published.size == (20, 40)  # upright
    assert b"SECRETCAM" not in stored and b"Nha ong Tam" not in stored
    assert entry.photos[0].size_bytes == len(stored)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (photo(b"%PDF-1.4\n%%EOF\n", "ảnh.png"), "not a PNG or JPEG image"),
        (photo(b"<html><script>alert(1)</script></html>", "ảnh.png"), "not a PNG or JPEG image"),
        (photo(image("JPEG"), "ảnh.png"), "Rename it"),
        (photo(caption="  "), "what the photo shows"),
    ],
)
def test_a_bad_photo_is_refused_on_its_field(
    scene: Scene,
    certificates: list[Certificate],
    upload,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(DomainError, match=message) as refused:
        publish_entry(certificates[0], actor=scene.secretariat, story=STORY, photos=[upload])
    assert refused.value.field == "photo_1"


def test_a_photo_over_the_limit_is_refused(
    app,
    scene: Scene,
    certificates: list[Certificate],
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setitem(app.config, "HONOUR_PHOTO_MB", 1)
    big = image("PNG", (1400, 1400))
    big += b"\0" * (1024 * 1024)  # past the limit, whatever the encoder's compression
    with pytest.raises(DomainError, match="larger than 1 MB"):
        publish_entry(certificates[0], actor=scene.secretariat, story=STORY, photos=[photo(big)])


def test_at_most_four_photos(scene: Scene, certificates: list[Certificate]) -> None:
    publish_entry(
        certificates[0], actor=scene.secretariat, story=STORY, photos=[photo(), photo(), photo()]
    )
    with pytest.raises(DomainError, match=f"at most {MAX_PHOTOS} photos"):
        publish_entry(
            certificates[0], actor=scene.secretariat, story=STORY, photos=[photo(), photo()]
        )
