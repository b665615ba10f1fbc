"""Issue 14's last findings: a refused decision on the appraisal page keeps the verdicts, notes
and comment typed (D); the nominator sees what changed since the dossier came back (7); a
dossier's report needs the sections its award type requires, said before the click (8)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.services import Report, update_nomination
from recognition.nominations.workflow import apply_transition
from tests.review.test_offered_actions import button, in_review, list_items
from tests.workflow.helpers import (
    Scene,
    build_scene,
    complete_answers,
    draft,
    flashes,
    open_around_today,
    unescape,
)

pytestmark = pytest.mark.integration


def checked(html: str, name: str) -> list[str]:
    """The values of the ticked radio buttons called `name`."""
    tags = re.findall(r'<input[^>]*name="' + name + r'"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', t).group(1) for t in tags if " checked" in t]  # type: ignore[union-attr]


def textarea(html: str, name: str) -> str:
    found = re.search(r'<textarea[^>]*name="' + name + r'"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no textarea {name}"
    return unescape(found.group(1))


def appraisal_post(scene: Scene, nomination: Nomination, decide: str, comment: str) -> dict:
    """Verdicts typed on the appraisal page: one criterion judged, one only noted."""
    return {
        f"v{scene.yes_no.id}": "disagree",
        f"n{scene.yes_no.id}": "Thiếu số liệu năm 2025",
        f"n{scene.text.id}": "Xem lại biên bản",
        "version": nomination.version,
        "comment": comment,
        "decide": decide,
    }


@pytest.mark.parametrize(
    ("decide", "comment", "message"),
    [
        ("accept", "", "Record a verdict for every criterion before accepting"),
        ("send_back", "", "Please give a reason."),
    ],
)
def test_a_refused_decision_keeps_what_was_typed_on_the_appraisal_page(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client, decide: str, comment: str, message: str
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/review/{nomination.id}", appraisal_post(scene, nomination, decide, comment)
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    if decide == "send_back":  # the missing reason is said under the comment box
        under = re.search(
            r'<div class="invalid-feedback d-block" id="comment-error">([^<]*)<', html
        )
        assert (under.group(1) if under else None, 'aria-describedby="comment-error"' in html) == (
            message,
            True,
        )
    else:
        assert [c for c, text in flashes(html) if text.startswith(message)] == ["danger"]
    assert checked(html, f"v{scene.yes_no.id}") == ["disagree"]
    assert textarea(html, f"n{scene.yes_no.id}") == "Thiếu số liệu năm 2025"
    assert textarea(html, f"n{scene.text.id}") == "Xem lại biên bản"
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id)
    assert stored.state == NominationState.IN_REVIEW
    # The judged criterion is kept as the appraisal draft.
    assert [(a.criterion_id, a.verdict, a.note) for a in stored.appraisals] == [
        (scene.yes_no.id, "disagree", "Thiếu số liệu năm 2025")
    ]


def test_the_typed_comment_is_kept_when_a_decision_is_refused(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/review/{nomination.id}",
        appraisal_post(scene, nomination, "accept", "Hồ sơ đạt yêu cầu"),
    )

    assert response.status_code == 400
    assert textarea(response.get_data(as_text=True), "comment") == "Hồ sơ đạt yêu cầu"


def test_sending_back_from_the_appraisal_page_records_the_notes_with_it(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)
    here = f"/review/{nomination.id}"

    response = client.post_form(here, appraisal_post(scene, nomination, "send_back", "Bổ sung"))

    assert (response.status_code, response.headers["Location"]) == (302, here)
    db.session.expire_all()
    stored = db.session.get(Nomination, nomination.id)
    assert stored.state == NominationState.RETURNED
    assert [(a.verdict, a.note) for a in stored.appraisals] == [
        ("disagree", "Thiếu số liệu năm 2025")
    ]


def test_an_unknown_decision_is_a_bad_request(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/review/{nomination.id}", appraisal_post(scene, nomination, "award", "")
    )

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).appraisals == []


# --- what changed since the dossier came back -----------------------------------------------


def changes(html: str) -> tuple[str, list[tuple[str, str, str]]] | None:
    """The changes card: its title and its (field, before, now) rows."""
    card = re.search(r'<section class="card[^"]*"[^>]*id="changes">(.*?)</section>', html, re.S)
    if card is None:
        return None
    title = re.search(r'id="changes-title">(.*?)</div>', card.group(1), re.S)
    rows = re.findall(
        r"<tr><th scope=\"row\"[^>]*>([^<]*)</th>"
        r"<td><del[^>]*>(.*?)</del></td><td><ins[^>]*>(.*?)</ins>",
        card.group(1),
        re.S,
    )
    assert title
    return (
        unescape(re.sub(r"<[^>]+>", "", title.group(1))),
        [(unescape(a), unescape(b), unescape(c)) for a, b, c in rows],
    )


def test_the_nominator_sees_what_changed_since_the_dossier_came_back(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene, summary="Tóm tắt cũ")
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator)
        db.session.commit()
    as_user(scene.nominator)
    detail, edit = f"/nominations/{nomination.id}", f"/nominations/{nomination.id}/edit"

    assert changes(client.get(detail).get_data(as_text=True)) is None

    with app.test_request_context(), force_locale("en"):
        nomination = db.session.get(Nomination, nomination.id)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Sửa")
        update_nomination(
            nomination,
            Report(summary="Tóm tắt mới"),
            complete_answers(scene),
            actor=scene.nominator,
        )
        db.session.commit()

    since_return = (
        "Changed since it was sent back",
        [("Summary of achievements", "Tóm tắt cũ", "Tóm tắt mới")],
    )
    assert changes(client.get(detail).get_data(as_text=True)) == since_return
    assert changes(client.get(edit).get_data(as_text=True)) == since_return

    client.post_form(f"/nominations/{nomination.id}/do/resubmit", {"version": nomination.version})

    assert changes(client.get(detail).get_data(as_text=True)) == (
        "Changed in the last resubmission",
        [("Summary of achievements", "Tóm tắt cũ", "Tóm tắt mới")],
    )


# --- the report sections, before the click --------------------------------------------------


def test_submit_is_disabled_naming_each_missing_report_section(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        scene.award.required_report_sections = ["report_achievements", "report_commendations"]
        nomination = draft(scene)
        db.session.commit()
        award = scene.award.name
    as_user(scene.nominator)

    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    assert " disabled" in button(html, "submit")
    assert list_items(html, "blocked-submit") == [
        f"Write section “II. Achievements” of the report: {award} requires it.",
        f"Write section “IV. Titles and commendations already received” of the report: "
        f"{award} requires it.",
    ]
