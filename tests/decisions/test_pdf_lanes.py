"""The render pool under load: the chair's and the secretariat's documents never wait behind
dossiers, waiting for a worker is not render time and has a bound of its own, a user has one
render in flight at a time, and gets the slot back however a render ends.

The renders that fill the pool are `held_until_released` jobs (tests/render_stand_ins.py): they
last until the test opens their gate, so nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_login import login_user

from recognition.auth.models import User
from recognition.common.pdf import Lane, RenderBusy, RenderFailed, render_queue, run_bounded
from recognition.extensions import db
from tests.decisions.helpers import certificates_of, client_for, drafted, passed
from tests.render_stand_ins import InThread, gate, held_until_released, wait_until
from tests.workflow.helpers import Scene, error_page

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _lanes(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slots are lease files in the test's folder (no Redis)."""
    monkeypatch.setitem(app.config, "LEASE_DIR", str(tmp_path / "leases"))
    monkeypatch.setitem(app.config, "REDIS_URL", None)


def workers(app: Flask, monkeypatch: pytest.MonkeyPatch, processes: int, **settings: Any) -> None:
    """`processes` render workers with `settings`, started (their start is in no test's way)."""
    monkeypatch.setitem(app.config, "PDF_PROCESSES", processes)
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    assert run_bounded(abs, -1) == 1


@contextmanager
def as_user(app: Flask, user: User) -> Iterator[None]:
    """A request of `user` (renders count against their slot)."""
    with app.test_request_context():
        login_user(user)
        yield


def committed(value: Any) -> Any:
    db.session.commit()
    return value


# --- the lanes ------------------------------------------------------------------------------------


def test_the_chairs_documents_are_produced_while_the_dossier_lane_is_full(
    app: Flask, scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 2)
    decision = committed(drafted(scene, [passed(scene), passed(scene)]))
    chair = client_for(app, scene.chair)

    with gate(tmp_path) as path:
        dossier = InThread(app, run_bounded, held_until_released, path, lane=Lane.SHARED)
        wait_until(lambda: render_queue()["shared_running"] == 1)
        waiting = InThread(app, run_bounded, abs, -2, lane=Lane.SHARED)
        wait_until(lambda: render_queue()["shared_waiting"] == 1)
        shown = chair.get(f"/decisions/{decision.id}/decision.pdf")
        issued = chair.post_form(f"/decisions/{decision.id}/issue")
        lane_still_full = (dossier.alive, waiting.alive)

    db.session.expire_all()
    assert (shown.status_code, shown.mimetype, issued.status_code, lane_still_full) == (
        200,
        "application/pdf",
        302,
        (True, True),
    )
    assert [c.pdf_key is not None for c in certificates_of(decision)] == [True, True]
    assert (dossier.result(), waiting.result()) == (True, 2)


@pytest.mark.no_database
def test_with_one_worker_an_official_document_goes_before_a_waiting_dossier(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 1)

    with gate(tmp_path) as path:
        first = InThread(app, run_bounded, held_until_released, path, lane=Lane.SHARED)
        wait_until(lambda: render_queue()["shared_running"] == 1)
        dossier = InThread(app, run_bounded, time.monotonic, lane=Lane.SHARED)
        wait_until(lambda: render_queue()["shared_waiting"] == 1)
        official = InThread(app, run_bounded, time.monotonic)
        wait_until(lambda: render_queue()["official_waiting"] == 1)

    # CLOCK_MONOTONIC is one clock for every process: the values say which render ran first.
    assert first.result() is True
    assert official.result() < dossier.result()


# --- waiting is not rendering ---------------------------------------------------------------------


@pytest.mark.no_database
def test_waiting_for_a_worker_is_not_counted_as_render_time(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 1, PDF_TIMEOUT_SECONDS=4)

    with gate(tmp_path) as path:
        first = InThread(app, run_bounded, held_until_released, path)
        wait_until(lambda: render_queue()["official_running"] == 1)
        queued = InThread(app, run_bounded, time.sleep, 2.5)
        wait_until(lambda: render_queue()["official_waiting"] == 1)
        # Queued for 2.5 s, then 2.5 s of work: 5 s in all, each part within the 4 s bound.
        time.sleep(2.5)

    assert (first.result(), queued.result()) == (True, None)


def test_waiting_past_the_queue_bound_is_a_page_saying_so(
    app: Flask, scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 1, PDF_QUEUE_SECONDS=0.5, PDF_TIMEOUT_SECONDS=30)
    decision = committed(drafted(scene, [passed(scene)]))
    secretariat = client_for(app, scene.secretariat)

    with gate(tmp_path) as path:
        first = InThread(app, run_bounded, held_until_released, path)
        wait_until(lambda: render_queue()["official_running"] == 1)
        response = secretariat.get(f"/decisions/{decision.id}/decision.pdf")

    assert (response.status_code, error_page(response.get_data(as_text=True))) == (
        503,
        (
            "The document could not be produced now",
            "Every PDF worker stayed busy for too long, so the document was not produced. "
            "Nothing was lost; try again in a few minutes.",
        ),
    )
    assert first.result() is True  # the render in the way was not disturbed


# --- one render in flight per user ----------------------------------------------------------------


def test_a_user_with_a_render_in_flight_is_told_to_wait_instead_of_queueing(
    app: Flask, scene: Scene, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 2, PDF_RENDERS_PER_USER=1)

    def render_as(user: User, *args: Any, **kwargs: Any) -> Any:
        with as_user(app, user):
            return run_bounded(*args, **kwargs)

    with gate(tmp_path) as path:
        first = InThread(
            app, render_as, scene.nominator, held_until_released, path, lane=Lane.SHARED
        )
        wait_until(lambda: render_queue()["shared_running"] == 1)
        refused = []
        for lane in (Lane.SHARED, Lane.OFFICIAL):
            with as_user(app, scene.nominator), pytest.raises(RenderBusy) as busy:
                run_bounded(abs, -1, lane=lane)
            refused.append((busy.value.status_code, busy.value.message))
        another_user = render_as(scene.secretariat, abs, -3)

    wait = "You already have a PDF being produced. Please wait until it is ready, then try again."
    assert refused == [(429, wait)] * 2
    assert (another_user, first.result()) == (3, True)


def test_the_slot_comes_back_however_a_render_ends(
    app: Flask, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    workers(app, monkeypatch, 1, PDF_RENDERS_PER_USER=1, PDF_TIMEOUT_SECONDS=1)

    with as_user(app, scene.nominator):
        with pytest.raises(ValueError, match="invalid literal"):
            run_bounded(int, "không phải số", lane=Lane.SHARED)
        with pytest.raises(RenderFailed, match="took too long"):
            run_bounded(time.sleep, 30, lane=Lane.SHARED)
        after = run_bounded(abs, -4, lane=Lane.SHARED)

    assert (after, render_queue()["shared_running"]) == (4, 0)
