"""A commune nominated by itself is named once on the decision's annex line and the public
verification page ("Xã Sơn Định", not "Xã Sơn Định / Xã Sơn Định"); the decisions list calls
its subject column "Trích yếu"; a decision page draws no empty action card."""

from __future__ import annotations

import pytest
from flask import Flask

from recognition.certificates.codes import public_code
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.nominations.services import Report, update_nomination
from tests.conftest import Client
from tests.decisions.helpers import (
    ACHIEVEMENT,
    ISSUE_DAY,
    client_for,
    page_text,
    passed,
    stored,
)
from tests.support.advance import advance_to, answers_to
from tests.support.factories import NominationFactory
from tests.workflow.helpers import Scene

pytestmark = pytest.mark.integration


def self_nominated(scene: Scene) -> Decision:
    """Xã Sơn Định proposing itself, passed, beside a hamlet, in one issued decision."""
    commune = NominationFactory(
        campaign=scene.campaign,
        award_type=scene.award,
        actor=scene.nominator,
        nominee_unit=scene.commune_a,
    )
    update_nomination(
        commune, Report(summary=ACHIEVEMENT), answers_to(scene.award), actor=scene.nominator
    )
    advance_to(commune, NominationState.PASSED)
    hamlet = passed(scene, name="Ấp Phú Hữu Mới")
    decision = services.draft_decision(scene.body, [commune, hamlet], actor=scene.secretariat)
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    stored(decision)
    db.session.commit()
    return decision


def test_the_annex_names_a_self_nominated_unit_once(scene: Scene) -> None:
    decision = self_nominated(scene)

    details = {line.recipient: line.detail for line in decision.lines}

    assert details == {"Xã Sơn Định": "", "Ấp Phú Hữu Mới": "Xã Sơn Định"}


def test_the_verification_page_names_the_unit_once(scene: Scene, client: Client) -> None:
    decision = self_nominated(scene)
    line = next(line for line in decision.lines if line.recipient == "Xã Sơn Định")
    line.detail = line.recipient  # a line drafted before the annex named the unit once
    db.session.commit()
    certificate = line.certificate
    assert certificate is not None

    response = client.get(
        f"/verify/{certificate.public_serial}",
        query_string={"c": public_code(certificate.key_id, certificate.code)},
    )

    assert response.status_code == 200
    assert page_text(response.get_data(as_text=True)).count("Xã Sơn Định") == 1


def test_the_decisions_list_calls_the_subject_trich_yeu(scene: Scene, app: Flask) -> None:
    self_nominated(scene)
    client = client_for(app, scene.secretariat)
    assert client.post_form("/language/vi").status_code == 302

    text = page_text(client.get("/decisions/").get_data(as_text=True))

    assert "Số Trích yếu" in text
    assert "Danh hiệu" not in text


def test_an_issued_decision_draws_no_empty_action_card(scene: Scene, app: Flask) -> None:
    decision = self_nominated(scene)

    secretariat = client_for(app, scene.secretariat).get(f"/decisions/{decision.id}")
    chair = client_for(app, scene.chair).get(f"/decisions/{decision.id}")

    # The secretariat has nothing left to do on an issued decision: no "What you can do" card.
    assert "What you can do" not in secretariat.get_data(as_text=True)
    assert "What you can do" in chair.get_data(as_text=True)  # the chair may annul it
