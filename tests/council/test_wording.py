"""Words on the council's pages read as Vietnamese sentences: the session form asks for the
session's name (not "Danh hiệu"), and a vote threshold reads "tối thiểu 70 % số thành viên …"."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from recognition.extensions import db
from recognition.law.enums import VoteBase
from tests.conftest import Client, logged_in_client
from tests.decisions.helpers import page_text
from tests.workflow.helpers import Scene, build_scene

pytestmark = pytest.mark.integration


@pytest.fixture
def scene(app: Flask) -> Scene:
    with app.test_request_context():
        return build_scene()


def in_vietnamese(app: Flask, user: object) -> Client:
    client = logged_in_client(app, user)
    assert client.post_form("/language/vi").status_code == 302
    return client


def test_the_session_form_asks_for_the_sessions_name(app: Flask, scene: Scene) -> None:
    client = in_vietnamese(app, scene.secretariat)

    page = client.get(f"/council/sessions/new/{scene.body.id}").get_data(as_text=True)

    label = re.search(r'<label[^>]*for="title"[^>]*>([^<]*)', page)
    assert label is not None
    assert label.group(1).strip() == "Tên phiên họp"


@pytest.mark.parametrize(
    ("base", "phrase"),
    [
        (VoteBase.PRESENT, "tối thiểu 70 % số thành viên dự họp"),
        (VoteBase.ALL_MEMBERS, "tối thiểu 70 % tổng số thành viên Hội đồng"),
        (VoteBase.CONSULTED, "tối thiểu 70 % số thành viên được lấy ý kiến"),
    ],
)
def test_the_vote_threshold_reads_as_a_sentence(
    app: Flask, scene: Scene, base: VoteBase, phrase: str
) -> None:
    scene.award.vote_base = base
    scene.award.vote_threshold_percent = 70
    db.session.commit()
    client = in_vietnamese(app, scene.secretariat)

    text = page_text(client.get(f"/catalogue/{scene.award.id}").get_data(as_text=True))

    assert phrase in text
    assert "70% Số" not in text
