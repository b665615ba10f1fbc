"""API clients and their tokens: 401 without a live token, 403 outside the scopes or the
unit, every refusal a problem document in the caller's language, every write audited."""

import io

import pytest
from flask import Flask
from pypdf import PdfWriter
from sqlalchemy import select

from recognition.api.models import ApiClient
from recognition.api.services import revoke_client, token_digest
from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from tests.api.world import ApiWorld, build_world
from tests.conftest import Client
from tests.support.factories import user_with

pytestmark = pytest.mark.integration


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = blank_pdf()


@pytest.fixture
def world(app: Flask) -> ApiWorld:
    return build_world()


@pytest.fixture
def api(app: Flask):  # type: ignore[no-untyped-def]
    """A client whose every request has an application context of its own (as in
    production): nothing cached in `g` leaks from one request to the next."""
    app.test_client_class = Client
    return app.test_client()


def _problem(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    return body


def test_the_token_is_stored_as_its_digest_only(world: ApiWorld) -> None:
    stored = db.session.get(ApiClient, world.client_a.id)
    assert stored is not None
    assert stored.token_hash == token_digest(world.token_a)
    assert world.token_a not in (stored.token_hash, stored.token_hint)
    assert world.token_a.startswith(stored.token_hint)
    assert len(world.token_a) >= 40


def test_no_token_is_401_in_vietnamese_by_default_and_english_on_request(
    world: ApiWorld, api
) -> None:  # type: ignore[no-untyped-def]
    vi = _problem(api.get("/api/v1/units"), 401)
    en = _problem(api.get("/api/v1/units", headers={"Accept-Language": "en"}), 401)
    assert en["title"] == "A valid API token is needed"
    assert vi["title"] != en["title"]
    assert vi["title"] == "Cần mã truy cập API hợp lệ"
    bad = api.get("/api/v1/units", headers=world.headers("rk_not-a-token"))
    assert _problem(bad, 401)["title"] == vi["title"]
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_live_token_reads_its_units_and_no_session_cookie_or_cors(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    response = api.get("/api/v1/units", headers=world.headers(world.token_a))
    assert response.status_code == 200
    ids = [item["id"] for item in response.get_json()["items"]]
    assert ids == [world.unit_a.id, world.hamlet_a.id]
    assert "Set-Cookie" not in response.headers
    assert not [h for h, _value in response.headers if h.lower().startswith("access-control")]


def test_a_revoked_token_is_401(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    admin = user_with(Role.ADMIN, world.body)
    revoke_client(world.client_a, actor=admin)
    db.session.flush()
    _problem(api.get("/api/v1/units", headers=world.headers(world.token_a)), 401)
    assert not world.client_a.user.is_active


def test_wrong_scope_is_403(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    body = {"campaign_id": world.campaign.id, "award_type_id": world.award.id}
    response = api.post(
        "/api/v1/nominations", json=body, headers=world.headers(world.token_reader_a)
    )
    _problem(response, 403)
    _problem(api.get("/api/v1/history", headers=world.headers(world.token_reader_a)), 403)
    assert db.session.scalars(select(Nomination)).all() == []


def test_a_client_whose_account_was_given_more_is_refused(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    # A role given to the client's account since its registration (a council seat on the
    # body above) would widen its reach: the client is refused instead, until it is undone.
    headers = world.headers(world.token_b)
    assert api.get(f"/api/v1/units/{world.unit_b.id}", headers=headers).status_code == 200
    db.session.add(RoleGrant(user=world.client_b.user, unit=world.body, role=Role.COUNCIL_MEMBER))
    db.session.flush()
    _problem(api.get(f"/api/v1/units/{world.unit_b.id}", headers=headers), 403)
    _problem(api.get(f"/api/v1/units/{world.unit_a.id}/history", headers=headers), 403)


def test_another_units_objects_are_403(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers(world.token_b)
    _problem(api.get(f"/api/v1/units/{world.unit_a.id}", headers=headers), 403)
    _problem(api.get(f"/api/v1/units/{world.unit_a.id}/history", headers=headers), 403)
    created = api.post(
        "/api/v1/nominations",
        json={
            "campaign_id": world.campaign.id,
            "award_type_id": world.award.id,
            "nominee_unit_id": world.hamlet_a.id,
        },
        headers=headers,
    )
    _problem(created, 403)
    mine = _create(api, world)
    _problem(api.get(f"/api/v1/nominations/{mine['id']}", headers=headers), 403)
    _problem(api.post(f"/api/v1/nominations/{mine['id']}/submit", json={}, headers=headers), 403)


def _create(api, world: ApiWorld, **more) -> dict:  # type: ignore[no-untyped-def,type-arg]
    response = api.post(
        "/api/v1/nominations",
        json={
            "campaign_id": world.campaign.id,
            "award_type_id": world.award.id,
            "nominee_unit_id": world.hamlet_a.id,
            **more,
        },
        headers=world.headers(world.token_a),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()  # type: ignore[no-any-return]


def _answers(world: ApiWorld) -> list[dict]:  # type: ignore[type-arg]
    return [{"criterion_id": c.id, "met": True, "text": "Đạt"} for c in world.award.criteria]


def test_a_dossier_is_created_attached_submitted_and_audited(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers(world.token_a)
    created = _create(
        api, world, report={"summary": "Tóm tắt thành tích của ấp"}, answers=_answers(world)
    )
    assert created["state"] == "draft"
    assert created["nominating_unit_id"] == world.unit_a.id
    file = api.post(
        f"/api/v1/nominations/{created['id']}/attachments",
        data={"file": (io.BytesIO(PDF), "Báo cáo thành tích.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert file.status_code == 201, file.get_data(as_text=True)
    assert file.get_json()["original_name"] == "Báo cáo thành tích.pdf"
    # The file changed the dossier: the version to send is the one read now.
    version = api.get(f"/api/v1/nominations/{created['id']}", headers=headers).get_json()["version"]
    assert version > created["version"]
    submitted = api.post(
        f"/api/v1/nominations/{created['id']}/submit",
        json={"version": version},
        headers=headers,
    )
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    assert submitted.get_json()["state"] == "submitted"
    nomination = db.session.get(Nomination, created["id"])
    assert nomination is not None and nomination.state == NominationState.SUBMITTED
    assert nomination.created_by_id == world.client_a.user_id
    writes = db.session.scalars(
        select(AuditEvent.action)
        .where(
            AuditEvent.object_kind == ObjectKind.API_CLIENT,
            AuditEvent.object_id == world.client_a.id,
            AuditEvent.subject.startswith("Cổng A"),
        )
        .order_by(AuditEvent.id)
    ).all()
    assert writes == ["create", "create_dossier", "attach", "submit"]
    transition = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_kind == ObjectKind.NOMINATION,
            AuditEvent.object_id == nomination.id,
            AuditEvent.action == Action.SUBMIT.value,
        )
    ).one()
    assert transition.actor is not None and "Cổng A" in transition.actor.full_name


def test_the_submit_guard_refuses_with_a_409_problem(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    created = _create(api, world)  # no summary, no answers
    response = api.post(
        f"/api/v1/nominations/{created['id']}/submit",
        json={},
        headers=world.headers(world.token_a, **{"Accept-Language": "en"}),
    )
    body = _problem(response, 409)
    assert "summary" in body["detail"]


def test_a_duplicate_and_a_bad_field_are_problems(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    _create(api, world)
    headers = world.headers(world.token_a, **{"Accept-Language": "en"})
    twin = api.post(
        "/api/v1/nominations",
        json={
            "campaign_id": world.campaign.id,
            "award_type_id": world.award.id,
            "nominee_unit_id": world.hamlet_a.id,
        },
        headers=headers,
    )
    _problem(twin, 409)
    invalid = api.post(
        "/api/v1/nominations", json={"campaign_id": "x", "colour": 1}, headers=headers
    )
    body = _problem(invalid, 422)
    assert body["errors"]["campaign_id"] == ["Not a whole number."]
    assert body["errors"]["award_type_id"] == ["This field is required."]
    assert body["errors"]["colour"] == ["This field is not known."]


def test_answering_a_send_back(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers(world.token_a)
    created = _create(api, world, report={"summary": "Tóm tắt"}, answers=_answers(world))
    api.post(f"/api/v1/nominations/{created['id']}/submit", json={}, headers=headers)
    nomination = db.session.get(Nomination, created["id"])
    assert nomination is not None
    secretariat = user_with(Role.SECRETARIAT, world.body)
    apply_transition(nomination, Action.TAKE, actor=secretariat)
    apply_transition(nomination, Action.SEND_BACK, actor=secretariat, comment="Bổ sung số liệu")
    db.session.commit()
    read = api.get(f"/api/v1/nominations/{created['id']}", headers=headers).get_json()
    assert read["state"] == "returned"
    assert read["returned"]["comment"] == "Bổ sung số liệu"
    assert read["actions"] == ["resubmit", "withdraw"]
    again = api.post(
        f"/api/v1/nominations/{created['id']}/resubmit",
        json={"version": read["version"], "report": {"summary": "Tóm tắt, có số liệu"}},
        headers=headers,
    )
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["state"] == "submitted"
    assert again.get_json()["summary"] == "Tóm tắt, có số liệu"


def test_http_errors_under_api_are_problems(world: ApiWorld, api, app: Flask) -> None:  # type: ignore[no-untyped-def]
    headers = world.headers(world.token_a)
    _problem(api.get("/api/v1/nowhere"), 404)
    _problem(api.get("/api/v1/nominations/2147483647", headers=headers), 404)
    assert _problem(api.delete("/api/v1/units", headers=headers), 405)
    big = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    created = _create(api, world)
    _problem(
        api.post(
            f"/api/v1/nominations/{created['id']}/attachments",
            data={"file": (io.BytesIO(big), "big.pdf")},
            headers=headers,
            content_type="multipart/form-data",
        ),
        413,
    )


def test_a_bad_file_is_a_422_on_its_field_and_a_file_attached_twice_a_409(
    world: ApiWorld, api
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import AwardTypeFactory, CriterionFactory

    headers = world.headers(world.token_a)
    created = _create(api, world)
    url = f"/api/v1/nominations/{created['id']}/attachments"

    def send(content: bytes, name: str, **query: int):  # type: ignore[no-untyped-def]
        return api.post(
            url,
            query_string=query,
            data={"file": (io.BytesIO(content), name)},
            headers=headers,
            content_type="multipart/form-data",
        )

    other = CriterionFactory(award_type=AwardTypeFactory(awarding_body=world.award.awarding_body))
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    not_a_file = _problem(send(svg, "hinh.svg"), 422)
    elsewhere = _problem(send(PDF, "Biên bản.pdf", criterion_id=other.id), 422)
    assert send(PDF, "Biên bản.pdf").status_code == 201
    twice = _problem(send(PDF, "Biên bản (1).pdf"), 409)

    assert (
        list(not_a_file["errors"]),
        list(elsewhere["errors"]),
        "Biên bản.pdf" in twice["detail"],
    ) == (
        ["file"],
        ["criterion_id"],
        True,
    )


def test_the_client_is_rate_limited(world: ApiWorld, api, app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    headers = world.headers(world.token_a)
    codes = [api.get("/api/v1/units", headers=headers).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    _problem(api.get("/api/v1/units", headers=headers), 429)
    # Another client has a budget of its own.
    assert api.get("/api/v1/units", headers=world.headers(world.token_b)).status_code == 200


def test_certificate_verification_is_public(world: ApiWorld, api) -> None:  # type: ignore[no-untyped-def]
    _problem(api.get("/api/v1/certificates/NO-SUCH?c=abc"), 404)
    _problem(api.get("/api/v1/certificates/NO-SUCH"), 422)
