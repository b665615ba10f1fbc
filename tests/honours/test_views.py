"""The honour board's pages: anyone reads the published entries (never an unpublished one,
never more of a dossier than its certificate shows), filters and searches them without
diacritics in a constant number of queries, shares an entry and prints a year's poster; the
body's secretariat publishes through the form, with photos, and takes entries down."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.decisions import services as decisions
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.honours.enums import HonourState
from recognition.honours.models import HonourEntry
from recognition.honours.services import MAX_PHOTOS, publish_entry, unpublish_entry
from tests.conftest import Client
from tests.decisions.helpers import (
    drafted,
    fonts,
    in_english,
    page_text,
    passed_person,
    pdftotext,
    person_award,
)
from tests.honours.conftest import image, photo
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

STORY = "Ấp Sơn Qui: 96 % hộ có internet cáp quang, Tổ công nghệ số cộng đồng hướng dẫn 612 lượt."


@pytest.fixture
def visitor(client: Client) -> Client:
    return in_english(client)


def _by_name(certificates: list[Certificate], name: str) -> Certificate:
    return next(c for c in certificates if c.line.recipient == name)


@pytest.fixture
def published(scene: Scene, certificates: list[Certificate]) -> HonourEntry:
    """Ấp Sơn Qui on the board with a photo; Ấp Phú Hữu Mới published, then taken down."""
    entry = publish_entry(
        _by_name(certificates, "Ấp Sơn Qui"), actor=scene.secretariat, story=STORY, photos=[photo()]
    )
    other = publish_entry(
        _by_name(certificates, "Ấp Phú Hữu Mới"),
        actor=scene.secretariat,
        story="Câu chuyện đã gỡ xuống",
    )
    unpublish_entry(other, actor=scene.secretariat)
    db.session.commit()
    return entry


def test_the_board_shows_published_entries_only(visitor: Client, published: HonourEntry) -> None:
    response = visitor.get("/honours/")

    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Ấp Sơn Qui" in text
    assert "Ấp Phú Hữu Mới" not in text
    assert "Câu chuyện đã gỡ xuống" not in text
    assert "1 model" in text


def test_an_entry_has_its_story_photo_verification_and_share_tags(
    visitor: Client, published: HonourEntry
) -> None:
    certificate = published.certificate
    html = visitor.get(f"/honours/{published.id}").get_data(as_text=True)

    code = public_code(certificate.key_id, certificate.code)
    assert f"/verify/{certificate.public_serial}?c={code}" in html
    assert STORY in html
    assert f'<meta property="og:title" content="Ấp Sơn Qui — {published.title}">' in html
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    assert f'<link rel="canonical" href="{base}/honours/{published.id}">' in html
    photo_id = published.photos[0].id
    assert f'<meta property="og:image" content="{base}/honours/photos/{photo_id}">' in html
    assert 'alt="Tổ công nghệ số"' in html


def test_a_photo_is_served_by_the_app_while_its_entry_is_published(
    visitor: Client, scene: Scene, published: HonourEntry
) -> None:
    url = f"/honours/photos/{published.photos[0].id}"
    response = visitor.get(url)
    assert (response.status_code, response.mimetype) == (200, "image/png")
    # The picture uploaded (drawn again without its metadata when it was published).
    assert response.data == storage.read_bytes(published.photos[0].storage_key)
    with Image.open(BytesIO(response.data)) as served, Image.open(BytesIO(image())) as sent:
        assert served.tobytes() == sent.convert(served.mode).tobytes()
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    unpublish_entry(published, actor=scene.secretariat)
    db.session.commit()
    assert visitor.get(url).status_code == 404
    assert visitor.get(f"/honours/{published.id}").status_code == 404


def test_a_revoked_award_leaves_the_board(
    visitor: Client, scene: Scene, decision: Decision, published: HonourEntry
) -> None:
    decisions.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")
    db.session.commit()

    assert "Ấp Sơn Qui" not in page_text(visitor.get("/honours/").get_data(as_text=True))
    assert visitor.get(f"/honours/{published.id}").status_code == 404


def test_a_person_shows_only_what_the_certificate_shows(visitor: Client, scene: Scene) -> None:
    award = person_award(scene)
    nomination = passed_person(scene, award, name="Nguyễn Thị Lan", position="Trưởng ấp Sơn Qui")
    nomination.person_birth_year = 1979
    nomination.summary = "Số điện thoại riêng 0909 123 456"
    decision = drafted(scene, [nomination])
    decisions.issue_decision(decision, actor=scene.chair, today=decision.created_at.date())
    certificate = decision.lines[0].certificate
    assert certificate is not None
    entry = publish_entry(certificate, actor=scene.secretariat, story="Gương mẫu, tận tụy.")
    db.session.commit()

    for page in (f"/honours/{entry.id}", "/honours/"):
        text = page_text(visitor.get(page).get_data(as_text=True))
        assert "Nguyễn Thị Lan" in text
        assert "Trưởng ấp Sơn Qui" in text
        assert "1979" not in text
        assert "0909" not in text


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "son qui"}, True),
        ({"q": "SƠN   QUI"}, True),
        ({"q": "phu huu"}, False),  # taken down
        ({"q": "100%_"}, False),
        ({"year": "2025"}, False),
        ({"year": "99999999999999999999"}, True),  # not a year: ignored
        ({"title": "x", "unit": "-1", "page": "10" * 20}, True),
    ],
)
def test_filters_and_search_without_diacritics(
    visitor: Client, published: HonourEntry, query: dict[str, str], found: bool
) -> None:
    response = visitor.get("/honours/", query_string=query)
    assert response.status_code == 200
    assert (f'href="/honours/{published.id}"' in response.get_data(as_text=True)) is found


def test_filters_by_year_unit_and_title(visitor: Client, published: HonourEntry) -> None:
    query = {
        "year": str(published.year),
        "unit": str(published.unit_id),
        "title": str(published.award_type_id),
    }
    link = f'href="/honours/{published.id}"'
    assert link in visitor.get("/honours/", query_string=query).get_data(as_text=True)
    query["year"] = str(published.year - 1)
    assert link not in visitor.get("/honours/", query_string=query).get_data(as_text=True)


def test_the_board_reads_in_the_same_number_of_queries_whatever_its_size(
    visitor: Client, scene: Scene, count_queries: Any
) -> None:
    from tests.decisions.helpers import certificates_of, issued

    def board_queries() -> int:
        visitor.get("/honours/")  # the session's first request loads more than the others
        with count_queries() as count:
            assert visitor.get("/honours/").status_code == 200
        return int(count())

    first = issued(scene, 1, names=["Ấp Một"])
    publish_entry(certificates_of(first)[0], actor=scene.secretariat, story="A", photos=[photo()])
    db.session.commit()
    small = board_queries()
    more = issued(scene, 5, names=[f"Ấp Số {i}" for i in range(5)])
    for certificate in certificates_of(more):
        publish_entry(certificate, actor=scene.secretariat, story="B", photos=[photo()])
    db.session.commit()

    assert board_queries() == small


def test_the_poster_is_a_real_pdf_of_the_years_models(
    visitor: Client, published: HonourEntry
) -> None:
    response = visitor.get("/honours/poster.pdf", query_string={"year": published.year})

    assert (response.status_code, response.mimetype) == (200, "application/pdf")
    text = " ".join(pdftotext(response.data).split())
    assert f"GƯƠNG ĐIỂN HÌNH TIÊN TIẾN NĂM {published.year}" in text
    assert "Ấp Sơn Qui" in text
    assert "Ấp Phú Hữu Mới" not in text
    embedded = fonts(response.data)
    # Only the bundled fonts, embedded (no glyph falls back to a font of the system).
    assert embedded and all(embedded.values())
    assert all("Liberation-Serif" in name for name in embedded)


# --- the secretariat's pages -------------------------------------------------------------------


def test_the_secretariat_publishes_through_the_form(
    login: Any, scene: Scene, certificates: list[Certificate]
) -> None:
    staff = in_english(login(scene.secretariat))
    certificate = _by_name(certificates, "Ấp Phú Hữu Mới")
    assert "Not published" in staff.get("/honours/manage").get_data(as_text=True)

    response = staff.post_form(
        f"/honours/certificates/{certificate.id}/publish",
        data={
            "story": "Ấp văn hóa\u0301 tiêu biểu",
            "photo_1": (BytesIO(image("JPEG")), "lễ.jpg"),
            "caption_1": "Lễ công nhận",
        },
    )

    assert response.status_code == 302
    entry = db.session.scalar(
        select(HonourEntry).where(HonourEntry.certificate_id == certificate.id)
    )
    assert entry is not None
    assert (entry.state, [p.caption for p in entry.photos]) == (
        HonourState.PUBLISHED,
        ["Lễ công nhận"],
    )
    assert response.headers["Location"] == f"/honours/{entry.id}"
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.object_kind == ObjectKind.HONOUR_ENTRY, AuditEvent.object_id == entry.id
            )
        )
        == "publish"
    )


def test_the_form_offers_as_many_photos_as_an_entry_may_have_and_takes_them_all(
    login: Any, scene: Scene, certificates: list[Certificate]
) -> None:
    staff = in_english(login(scene.secretariat))
    certificate = _by_name(certificates, "Ấp Phú Hữu Mới")
    address = f"/honours/certificates/{certificate.id}/publish"

    html = staff.get(address).get_data(as_text=True)
    slots = re.findall(r'<input[^>]*type="file"[^>]*name="(photo_\d+)"', html) or re.findall(
        r'<input[^>]*name="(photo_\d+)"[^>]*type="file"', html
    )
    said = re.search(r"at most (\d+) per entry", html)
    response = staff.post_form(
        address,
        data={
            "story": "Ấp văn hóa tiêu biểu",
            **{f"photo_{n}": (BytesIO(image("JPEG")), f"ảnh {n}.jpg") for n in range(1, 5)},
            **{f"caption_{n}": f"Ảnh {n}" for n in range(1, 5)},
        },
    )
    entry = db.session.scalar(
        select(HonourEntry).where(HonourEntry.certificate_id == certificate.id)
    )

    assert (
        slots,
        said.group(1) if said else "",
        ("Photo 4 (JPEG or PNG)" in html, "What photo 4 shows" in html),
        MAX_PHOTOS,
        response.status_code,
        [p.caption for p in entry.photos] if entry else [],
    ) == (
        ["photo_1", "photo_2", "photo_3", "photo_4"],
        "4",
        (True, True),
        4,
        302,
        ["Ảnh 1", "Ảnh 2", "Ảnh 3", "Ảnh 4"],
    )


def test_a_bad_photo_is_shown_on_its_field_and_keeps_the_story(
    login: Any, scene: Scene, certificates: list[Certificate]
) -> None:
    staff = in_english(login(scene.secretariat))
    certificate = certificates[0]

    response = staff.post_form(
        f"/honours/certificates/{certificate.id}/publish",
        data={
            "story": "Câu chuyện đã gõ",
            "photo_2": (BytesIO(b"%PDF-1.4\n%%EOF\n"), "ảnh.png"),
            "caption_2": "Ảnh",
        },
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="photo_2-error">[^<]*not a PNG or JPEG image', html)
    assert "Câu chuyện đã gõ" in html
    assert db.session.scalar(select(HonourEntry.id)) is None


def test_a_photo_chosen_beside_a_refused_story_is_asked_for_again(
    login: Any, scene: Scene, certificates: list[Certificate]
) -> None:
    staff = in_english(login(scene.secretariat))

    response = staff.post_form(
        f"/honours/certificates/{certificates[0].id}/publish",
        data={"story": "", "photo_1": (BytesIO(image("JPEG")), "lễ.jpg"), "caption_1": "Lễ"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="photo_1-error">[^<]*The file you chose was not saved: “lễ.jpg”', html)
    assert db.session.scalar(select(HonourEntry.id)) is None


def test_the_secretariat_takes_an_entry_down(
    login: Any, scene: Scene, published: HonourEntry
) -> None:
    staff = in_english(login(scene.secretariat))

    response = staff.post_form(
        f"/honours/{published.id}/unpublish", data={"reason": "Chưa xin phép dùng ảnh"}
    )

    assert response.status_code == 302
    db.session.refresh(published)
    assert published.state == HonourState.UNPUBLISHED
    again = staff.post_form(f"/honours/{published.id}/unpublish", data={"reason": ""})
    assert again.status_code == 409


@pytest.mark.parametrize("who", ["chair", "nominator", "other_secretariat", "admin"])
def test_others_may_not_publish(
    login: Any, scene: Scene, certificates: list[Certificate], published: HonourEntry, who: str
) -> None:
    other = login(getattr(scene, who))
    certificate = certificates[0]
    assert other.get(f"/honours/certificates/{certificate.id}/publish").status_code == 403
    assert other.post_form(f"/honours/{published.id}/unpublish", data={}).status_code == 403
    expected = 200 if who == "other_secretariat" else 403  # the province's own board
    assert other.get("/honours/manage").status_code == expected
    if who == "other_secretariat":
        assert "Ấp Sơn Qui" not in other.get("/honours/manage").get_data(as_text=True)


def test_the_audit_logs_link_opens_the_form_or_the_public_page(
    login: Any, scene: Scene, published: HonourEntry
) -> None:
    record = f"/honours/entries/{published.id}"
    staff = login(scene.secretariat).get(record)
    public = login(scene.nominator).get(record)

    assert (staff.status_code, staff.headers["Location"]) == (
        302,
        f"/honours/certificates/{published.certificate_id}/publish",
    )
    assert (public.status_code, public.headers["Location"]) == (302, f"/honours/{published.id}")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(["q", "year", "unit", "title", "body", "page"]),
        st.one_of(
            st.text(max_size=300),
            st.sampled_from(["9" * 40, "-1", "0", "2024", "²", "Sơn\u0301 Qui", "%", "_"]),
        ),
    )
)
def test_the_boards_query_string_never_fails(
    visitor: Client, published: HonourEntry, query: dict[str, str]
) -> None:
    response = visitor.get("/honours/", query_string=query)
    # A NUL anywhere in a request is refused before any view (recognition/security.py).
    has_nul = any("\x00" in value for value in query.values())
    assert response.status_code == (400 if has_nul else 200)
    poster = visitor.get("/honours/poster.pdf", query_string={"year": query.get("year", "")})
    assert poster.status_code in (200, 302, 400, 429)
