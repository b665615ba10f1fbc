"""Taking an award type off a campaign and creating a dossier for it at the same moment (on
PostgreSQL): one waits for the other, so that either the dossier is made and the award type
stays on offer, or the award type is taken off and the dossier is refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

import tests.conftest
from recognition.auth.models import User
from recognition.campaigns.models import AwardType, Campaign, CampaignAward
from recognition.campaigns.services import withdraw_offer
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.nominations.services import Nominee, create_nomination
from recognition.units.models import Unit
from tests.workflow.helpers import build_scene, race_database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not tests.conftest.ON_POSTGRES,
        reason="races need PostgreSQL (RECOGNITION_TEST_ON_POSTGRES=1)",
    ),
]

# How long the first transaction keeps its work uncommitted: the second one has started by
# then, and waits for it (or, without the lock, has read what was there before).
PAUSE = 0.5

Job = Callable[[], Callable[[], Any]]


@pytest.fixture(scope="module")
def race_app() -> Iterator[Flask]:
    if not tests.conftest.ON_POSTGRES:
        pytest.skip("races need PostgreSQL")
    with race_database("offers") as built:
        yield built


def _one_after_the_other(race_app: Flask, first: Job, second: Job) -> list[str]:
    """Run `first` and `second` each in its own thread, session and connection: `second` acts
    once `first` has acted, and `first` commits a moment later. Returns what each did: "ok",
    or the refusal's message."""
    acted = threading.Event()
    results = ["not run", "not run"]

    def worker(index: int, job: Job) -> None:
        with race_app.test_request_context(), force_locale("en"):
            try:
                act = job()  # everything loaded before acting, as a request would
                if index == 1:
                    acted.wait(timeout=30)
                act()
                if index == 0:
                    acted.set()
                    time.sleep(PAUSE)
                db.session.commit()
                results[index] = "ok"
            except DomainError as error:
                db.session.rollback()
                results[index] = error.message
            except Exception as error:  # reported, so that the assertion shows it
                db.session.rollback()
                results[index] = repr(error)
            finally:
                acted.set()
                db.session.remove()

    threads = [
        threading.Thread(target=worker, args=(i, job)) for i, job in enumerate((first, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _withdraw(offer_id: int, user_id: int) -> Job:
    def prepare() -> Callable[[], Any]:
        offer = db.session.get_one(CampaignAward, offer_id)
        actor = db.session.get_one(User, user_id)
        list(offer.campaign.offers)
        return lambda: withdraw_offer(offer, actor=actor)

    return prepare


def _create(campaign_id: int, award_id: int, unit_id: int, user_id: int) -> Job:
    def prepare() -> Callable[[], Any]:
        campaign = db.session.get_one(Campaign, campaign_id)
        award = db.session.get_one(AwardType, award_id)
        unit = db.session.get_one(Unit, unit_id)
        actor = db.session.get_one(User, user_id)
        list(campaign.offers)
        return lambda: create_nomination(campaign, award, Nominee(unit=unit), actor=actor)

    return prepare


@pytest.mark.parametrize("first", ["create", "withdraw"])
def test_taking_an_award_off_and_a_dossier_for_it_happen_one_after_the_other(
    race_app: Flask, first: str
) -> None:
    with race_app.test_request_context(), force_locale("en"):
        scene = build_scene()
        campaign_id, offer_id = scene.campaign.id, scene.campaign.offers[0].id
        create = _create(campaign_id, scene.award.id, scene.hamlet_a.id, scene.nominator.id)
        withdraw = _withdraw(offer_id, scene.secretariat.id)
        db.session.commit()

    jobs = (create, withdraw) if first == "create" else (withdraw, create)
    results = _one_after_the_other(race_app, *jobs)

    with race_app.app_context():
        found = (
            db.session.scalar(
                select(func.count(Nomination.id)).where(Nomination.campaign_id == campaign_id)
            ),
            db.session.get(CampaignAward, offer_id) is not None,
            list(
                db.session.scalars(
                    select(AuditEvent.action).where(
                        AuditEvent.object_kind == ObjectKind.CAMPAIGN,
                        AuditEvent.object_id == campaign_id,
                        AuditEvent.action == "withdraw_offer",
                    )
                )
            ),
        )
        count, problems = verify_chain()
        total = db.session.scalar(select(func.count(AuditEvent.id)))
        db.session.remove()

    if first == "create":
        assert results == [
            "ok",
            "Tập thể tiêu biểu cannot be removed from the campaign: 1 dossier already proposes it.",
        ]
        assert found == (1, True, [])
    else:
        assert results == ["ok", "This campaign does not offer Tập thể tiêu biểu."]
        assert found == (0, False, ["withdraw_offer"])
    assert (count, problems) == (total, [])
