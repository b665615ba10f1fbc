"""The public verification page: a genuine certificate is shown with its essentials and the
fingerprint of its stored PDF; a revoked one says so; a forged or altered code, serial or
essential field is reported plainly as not valid; the page is rate-limited."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

import pytest
from flask import current_app

from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.common import storage
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from tests.conftest import Client
from tests.decisions.helpers import certificate_by_serial, in_english, issued, page_text, stored
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration

NOT_VALID = "No genuine certificate matches number {serial} with this code."


@pytest.fixture
def decision(scene: Scene) -> Decision:
    decision = issued(scene, 2, names=["Ấp Phú Hữu Mới", "Ấp Tân Thiềng"])
    stored(decision)
    db.session.commit()
    return decision


@pytest.fixture
def certificates(decision: Decision) -> list[Certificate]:
    return [line.certificate for line in decision.lines if line.certificate is not None]


@pytest.fixture
def visitor(client: Client) -> Client:
    return in_english(client)


def verify(client: Client, serial: str, code: str | None) -> Any:
    query = {} if code is None else {"c": code}
    return client.get(f"/verify/{serial}", query_string=query)


def code_of(certificate: Certificate) -> str:
    return public_code(certificate.key_id, certificate.code)


def test_a_genuine_certificate_is_shown_with_its_pdf_fingerprint(
    visitor: Client, certificates: list[Certificate]
) -> None:
    certificate = certificates[0]
    stored_pdf = storage.read_bytes(certificate.pdf_key or "")

    response = verify(visitor, certificate.public_serial, code_of(certificate))

    text = page_text(response.get_data(as_text=True))
    assert (
        response.status_code,
        "Genuine and valid" in text,
        "Recipient Ấp Phú Hữu Mới Xã Sơn Định" in text,
        "Title or commendation Tập thể tiêu biểu" in text,
        "Decision 01/QĐ-UBND — 4 March 2026" in text,
        "Issued by Huyện Chợ Lách" in text,
        f"Golden-book number {certificate.line.position} Lookup code "
        f"{certificate.public_serial}" in text,
        f"PDF fingerprint (SHA-256) {hashlib.sha256(stored_pdf).hexdigest()}" in text,
        "Not valid" in text,
    ) == (200, True, True, True, True, True, True, True, False)


@pytest.mark.parametrize(("before", "after"), [(" ", ""), ("", " "), ("%20", "%20"), ("\t", "")])
def test_spaces_a_copy_adds_around_the_number_or_the_code_do_not_make_it_a_forgery(
    visitor: Client, certificates: list[Certificate], before: str, after: str
) -> None:
    certificate = certificates[0]

    response = verify(
        visitor, f"{before}{certificate.public_serial}{after}", f" {code_of(certificate)} "
    )

    text = page_text(response.get_data(as_text=True))
    assert (response.status_code, "Genuine and valid" in text) == (200, True)


def test_in_vietnamese_the_issuer_is_the_people_s_committee(
    client: Client, certificates: list[Certificate]
) -> None:
    certificate = certificates[0]

    text = page_text(
        verify(client, certificate.public_serial, code_of(certificate)).get_data(as_text=True)
    )

    assert (
        "Cơ quan ban hành Ủy ban nhân dân huyện Chợ Lách" in text,
        "Huyện Chợ Lách" in text,
    ) == (
        True,
        False,
    )


def test_the_page_shows_what_the_qr_code_on_the_pdf_points_to(
    visitor: Client, certificates: list[Certificate]
) -> None:
    from recognition.certificates.rendering import verify_url

    url = verify_url(certificates[1])

    response = visitor.get(url.removeprefix(current_app.config["PUBLIC_URL"]))

    assert (
        response.status_code,
        "Ấp Tân Thiềng" in page_text(response.get_data(as_text=True)),
    ) == (
        200,
        True,
    )


def test_a_revoked_certificate_says_it_was_revoked(
    scene: Scene, visitor: Client, decision: Decision, certificates: list[Certificate]
) -> None:
    services.annul_decision(decision, actor=scene.chair, reason="Hồ sơ không trung thực")
    db.session.commit()

    response = verify(visitor, certificates[0].public_serial, code_of(certificates[0]))

    text = page_text(response.get_data(as_text=True))
    assert (
        response.status_code,
        "Revoked" in text,
        "This certificate was genuine but has been revoked" in text,
        "Genuine and valid" in text,
    ) == (200, True, True, False)


def tampered(code: str) -> str:
    """The code with its last hex digit changed."""
    last = code[-1]
    return code[:-1] + ("0" if last != "0" else "1")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda own, other: tampered(own), id="one-hex-digit-changed"),
        pytest.param(lambda own, other: "k9." + own.split(".", 1)[1], id="unknown-key-id"),
        pytest.param(lambda own, other: "." + own.split(".", 1)[1], id="no-key-id"),
        pytest.param(lambda own, other: own.split(".", 1)[1], id="code-without-key-id"),
        pytest.param(lambda own, other: own[:-1], id="truncated"),
        pytest.param(lambda own, other: own.upper(), id="upper-case"),
        pytest.param(lambda own, other: other, id="code-of-another-certificate"),
    ],
)
def test_a_forged_code_is_not_valid(
    visitor: Client, certificates: list[Certificate], forge: Any
) -> None:
    mine, other = certificates
    serial = mine.public_serial

    response = verify(visitor, serial, forge(code_of(mine), code_of(other)))

    text = page_text(response.get_data(as_text=True))
    assert (
        response.status_code,
        "Not valid" in text,
        NOT_VALID.format(serial=serial) in text,
        "Genuine" in text,
        mine.line.recipient in text,
    ) == (404, True, True, False, False)


@pytest.mark.parametrize("code", ["", None], ids=["empty", "missing"])
def test_the_printed_number_alone_says_how_to_check_it(
    visitor: Client, certificates: list[Certificate], code: str | None
) -> None:
    # The number under the QR code, typed by hand: not a forgery, but not enough to show
    # whose certificate it is (nor whether it exists: an unknown number reads the same).
    mine, _other = certificates
    known = verify(visitor, mine.public_serial, code)
    unknown = verify(visitor, "28879-2099-99999", code)

    for response in (known, unknown):
        text = page_text(response.get_data(as_text=True))
        assert (response.status_code, "scan the QR code" in text, "Not valid" in text) == (
            200,
            True,
            False,
        )
        assert mine.line.recipient not in text and "Genuine" not in text


def test_an_unknown_serial_is_not_valid(visitor: Client, certificates: list[Certificate]) -> None:
    serial = certificates[0].public_serial[:-1] + "9"

    response = verify(visitor, serial, code_of(certificates[0]))

    assert (
        response.status_code,
        NOT_VALID.format(serial=serial) in page_text(response.get_data(as_text=True)),
    ) == (404, True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recipient", "Ấp Phú Hữu Mởi"),
        ("reference", "02/QĐ-UBND"),
        ("issued_on", date(2026, 3, 5)),
    ],
)
def test_altering_an_essential_field_in_the_database_breaks_the_code(
    visitor: Client, certificates: list[Certificate], field: str, value: Any
) -> None:
    certificate = certificates[0]
    code = code_of(certificate)
    before = verify(visitor, certificate.public_serial, code).status_code
    line = certificate.line
    setattr(line if field == "recipient" else line.decision, field, value)
    db.session.commit()

    after = verify(visitor, certificate.public_serial, code)

    assert (before, after.status_code, "Not valid" in page_text(after.get_data(as_text=True))) == (
        200,
        404,
        True,
    )


def test_a_certificate_renamed_in_the_golden_book_is_not_found_by_its_old_serial(
    visitor: Client, certificates: list[Certificate]
) -> None:
    certificate = certificates[0]
    old_serial, code = certificate.public_serial, code_of(certificate)
    certificate.public_serial = old_serial.replace("-00001", "-00099")
    db.session.commit()

    assert (
        verify(visitor, old_serial, code).status_code,
        verify(visitor, certificate.public_serial, code).status_code,
        certificate_by_serial(old_serial),
    ) == (404, 404, None)


def _renamed(award: Any, name: str) -> Any:
    from recognition.campaigns.services import AwardTypeData

    fields = {field: getattr(award, field) for field in AwardTypeData.__dataclass_fields__}
    return AwardTypeData(**{**fields, "name": name})


def test_a_title_awarded_by_an_issued_decision_keeps_its_name(
    visitor: Client, certificates: list[Certificate], decision: Decision
) -> None:
    """Its certificates' codes cover the name: renamed, every one would read as forged."""
    from recognition.campaigns.services import save_award_type
    from recognition.errors import DomainError

    certificate = certificates[0]
    award = certificate.line.award_type
    before = award.name

    with pytest.raises(DomainError) as refused, db.session.begin_nested():
        save_award_type(
            award, _renamed(award, before + " (sửa)"), awarding_body=award.awarding_body
        )
    db.session.expire_all()

    assert (refused.value.field, award.name, decision.reference in refused.value.message) == (
        "name",
        before,
        True,
    )
    assert verify(visitor, certificate.public_serial, code_of(certificate)).status_code == 200


def test_a_title_awarded_only_in_drafts_may_be_renamed(scene: Scene) -> None:
    from recognition.campaigns.services import save_award_type
    from tests.decisions.helpers import drafted, passed

    draft = drafted(scene, [passed(scene, name="Ấp Đổi Tên")])
    award = draft.lines[0].award_type

    save_award_type(
        award, _renamed(award, "Ấp văn hóa kiểu mẫu"), awarding_body=award.awarding_body
    )
    db.session.flush()

    assert (award.name, draft.lines[0].award_type.name) == ("Ấp văn hóa kiểu mẫu",) * 2


def test_the_page_is_rate_limited(visitor: Client, certificates: list[Certificate]) -> None:
    certificate = certificates[0]
    codes = [code_of(certificate)] * 20 + [tampered(code_of(certificate))] * 10

    statuses = [verify(visitor, certificate.public_serial, code).status_code for code in codes]
    blocked = verify(visitor, certificate.public_serial, code_of(certificate))

    assert (
        statuses,
        blocked.status_code,
        "Too many attempts" in blocked.get_data(as_text=True),
    ) == (
        [200] * 20 + [404] * 10,
        429,
        True,
    )
