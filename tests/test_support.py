"""The test-support package: factories with defaults, and advance_to through the real path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.extensions import db
from recognition.nominations.enums import NominationState
from recognition.units.models import Unit
from tests.support.advance import advance_to, path_to
from tests.support.factories import NominationFactory, user_with
from tests.workflow.helpers import build_scene, events_of, new_hamlet

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


def test_a_nomination_factory_alone_makes_a_valid_draft() -> None:
    nomination = NominationFactory()

    assert (
        nomination.state,
        nomination.nominee_unit.parent_id == nomination.nominating_unit_id,
        nomination.award_type in [offer.award_type for offer in nomination.campaign.offers],
        nomination.created_by.holds(Role.NOMINATOR, nomination.nominating_unit),
    ) == ("draft", True, True, True)


def test_given_parts_make_no_hidden_units() -> None:
    scene = build_scene()
    hamlet = new_hamlet(scene)
    before = db.session.scalar(select(func.count(Unit.id)))

    NominationFactory(
        campaign=scene.campaign, award_type=scene.award, actor=scene.nominator, nominee_unit=hamlet
    )

    assert db.session.scalar(select(func.count(Unit.id))) == before


@pytest.mark.parametrize("state", list(NominationState))
def test_advance_to_takes_the_real_path_to_every_state(state: NominationState) -> None:
    nomination = NominationFactory()
    body = nomination.campaign.awarding_body
    user_with(Role.SECRETARIAT, body)
    user_with(Role.CHAIR, body)

    advance_to(nomination, state)

    # Without the simplified procedure a council's vote passes it (through on_agenda).
    steps = [s.value for s in path_to(state)[1:]]
    reached = [e.to_state for e in events_of(nomination)]
    assert (nomination.state, [s for s in reached if s in steps]) == (state.value, steps)
