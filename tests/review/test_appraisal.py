"""Appraisal: verdicts per criterion by the secretariat, the page beside the evidence, and what
changed since the dossier was sent back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from recognition.errors import DomainError, NotAllowed
from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.nominations.attachments import add_attachment, remove_attachment
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Attachment, CriterionAppraisal, Nomination
from recognition.nominations.services import Answer, Report, update_nomination
from recognition.nominations.workflow import apply_transition
from recognition.review.services import Verdict, record_appraisal, unappraised_criteria
from recognition.units.enums import UnitKind
from recognition.units.workflow import merge_unit
from tests.support.factories import UnitFactory, an_admin
from tests.workflow.helpers import (
    INSIDE,
    ROLES,
    Scene,
    build_scene,
    dossier_in,
    draft,
    flashes,
    pdf_upload,
    unescape,
)

pytestmark = pytest.mark.integration

S = NominationState


@pytest.fixture
def _in_request(app: Flask) -> Iterator[None]:
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.fixture
def uploads(app: Flask, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    return tmp_path


def stored(nomination: Nomination) -> list[tuple[int, str, str, int]]:
    return [
        (a.criterion_id, a.verdict, a.note, a.reviewer_id)
        for a in db.session.scalars(
            select(CriterionAppraisal)
            .where(CriterionAppraisal.nomination_id == nomination.id)
            .order_by(CriterionAppraisal.criterion_id)
        )
    ]


def in_review(scene: Scene) -> Nomination:
    nomination = draft(scene)
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    return nomination


# --- the service ------------------------------------------------------------------------------


@pytest.mark.usefixtures("_in_request")
def test_verdicts_and_notes_are_stored_per_criterion() -> None:
    scene = build_scene()
    nomination = in_review(scene)

    changed = record_appraisal(
        nomination,
        {
            scene.yes_no.id: Verdict(agree=True),
            scene.text.id: Verdict(agree=False, note="  Chưa có biên bản\r\nnghiệm thu "),
            scene.optional.id: Verdict(agree=None, note="bỏ qua"),
        },
        actor=scene.secretariat,
    )

    assert (changed, stored(nomination), unappraised_criteria(nomination)) == (
        2,
        [
            (scene.yes_no.id, "agree", "", scene.secretariat.id),
            (scene.text.id, "disagree", "Chưa có biên bản\nnghiệm thu", scene.secretariat.id),
        ],
        # TB3 left blank stays without a verdict; optional and not claimed by the dossier, it
        # needs none.
        [],
    )


@pytest.mark.usefixtures("_in_request")
def test_a_verdict_can_be_changed_or_cleared() -> None:
    scene = build_scene()
    nomination = in_review(scene)
    record_appraisal(
        nomination,
        {scene.yes_no.id: Verdict(agree=True), scene.text.id: Verdict(agree=True)},
        actor=scene.secretariat,
    )

    changed = record_appraisal(
        nomination,
        {
            scene.yes_no.id: Verdict(agree=True),  # unchanged
            scene.text.id: Verdict(agree=None),  # cleared
            scene.optional.id: Verdict(agree=False, note="Không có camera"),
        },
        actor=scene.secretariat,
    )

    assert (changed, stored(nomination)) == (
        2,
        [
            (scene.yes_no.id, "agree", "", scene.secretariat.id),
            (scene.optional.id, "disagree", "Không có camera", scene.secretariat.id),
        ],
    )


@pytest.mark.usefixtures("_in_request")
def test_verdicts_only_while_in_review() -> None:
    scene = build_scene()
    found = {}
    for state in S:
        nomination = dossier_in(scene, state)
        try:
            record_appraisal(
                nomination, {scene.yes_no.id: Verdict(agree=False)}, actor=scene.secretariat
            )
        except DomainError as error:
            found[state.value] = error.message
        else:
            found[state.value] = "recorded"

    refused = "Start the appraisal before recording verdicts."
    assert found == {s.value: "recorded" if s == S.IN_REVIEW else refused for s in S}


@pytest.mark.usefixtures("_in_request")
def test_verdicts_only_by_the_bodys_secretariat() -> None:
    scene = build_scene()
    nomination = in_review(scene)
    found = {}
    for role in ROLES:
        try:
            record_appraisal(
                nomination, {scene.yes_no.id: Verdict(agree=True)}, actor=scene.users[role]
            )
        except NotAllowed as error:
            found[role] = error.message
        else:
            found[role] = "recorded"

    refused = "Only the secretariat of the awarding body appraises dossiers."
    assert found == {role: "recorded" if role == "secretariat" else refused for role in ROLES}


# --- the page ---------------------------------------------------------------------------------


def criterion_blocks(html: str) -> dict[str, dict[str, object]]:
    """Per criterion code: the self-assessment, evidence note and files shown on the left, and
    the verdict inputs on the right of the same row."""
    blocks = {}
    for block in html.split('<div class="list-group-item">')[1:]:
        code = re.search(r"<code>(\w+)</code>", block)
        assert code is not None
        left, _sep, right = block.partition('<div class="col-lg-5">')
        assessment = re.search(r"<strong>Self-assessment:</strong>(.*?)</div>", left, re.S)
        evidence = re.search(r"<strong>Evidence:</strong>(.*?)</div>", left, re.S)
        blocks[code.group(1)] = {
            "self-assessment": unescape(re.sub(r"<[^>]+>", " ", assessment.group(1)))
            if assessment
            else None,
            "evidence": unescape(evidence.group(1)) if evidence else None,
            "files": re.findall(r'files/\d+">(.*?)</a>', left),
            "verdict inputs": sorted(set(re.findall(r'name="([vn]\d+)"', right))),
        }
    return blocks


def test_the_page_shows_self_assessment_and_evidence_beside_the_verdict(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client, uploads
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = draft(scene)
        add_attachment(
            nomination,
            pdf_upload(),
            "Biên bản nghiệm thu.pdf",
            actor=scene.nominator,
            criterion=scene.text,
        )
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        db.session.commit()
    as_user(scene.secretariat)

    page = client.get(f"/review/{nomination.id}").get_data(as_text=True)

    y, t, o = scene.yes_no.id, scene.text.id, scene.optional.id
    assert criterion_blocks(page) == {
        "TB1": {
            "self-assessment": "Met",
            "evidence": None,
            "files": [],
            "verdict inputs": [f"n{y}", f"v{y}"],
        },
        "TB2": {
            "self-assessment": "Mô hình “Ấp thông minh”",
            "evidence": "Biên bản số 12",
            "files": ["Biên bản nghiệm thu.pdf"],
            "verdict inputs": [f"n{t}", f"v{t}"],
        },
        "TB3": {
            "self-assessment": "not answered",
            "evidence": None,
            "files": [],
            "verdict inputs": [f"n{o}", f"v{o}"],
        },
    }


def test_saving_the_form_records_the_verdicts(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)
    y, t, o = scene.yes_no.id, scene.text.id, scene.optional.id

    response = client.post_form(
        f"/review/{nomination.id}",
        {f"v{y}": "agree", f"n{y}": "", f"v{t}": "disagree", f"n{t}": "Thiếu ảnh", f"n{o}": ""},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    db.session.expire_all()
    assert (response.status_code, flashes(page), stored(nomination)) == (
        302,
        [("success", "The appraisal has been saved.")],
        [
            (y, "agree", "", scene.secretariat.id),
            (t, "disagree", "Thiếu ảnh", scene.secretariat.id),
        ],
    )


def test_another_secretariat_cannot_save_verdicts(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.other_secretariat)

    response = client.post_form(f"/review/{nomination.id}", {f"v{scene.yes_no.id}": "agree"})

    assert (response.status_code, stored(nomination)) == (403, [])


# --- after a send-back: the diff and the kept first submission -----------------------------------


def diff_table(html: str) -> list[tuple[str, str, str]]:
    rows = re.findall(
        r'<th scope="row" class="fw-semibold">(.*?)</th><td><del[^>]*>(.*?)</del></td>'
        r"<td><ins[^>]*>(.*?)</ins></td>",
        html,
        re.S,
    )
    return [tuple(unescape(cell) for cell in row) for row in rows]  # type: ignore[misc]


def file_lines(html: str) -> dict[str, str]:
    return {
        label: unescape(names)
        for label, names in re.findall(
            r"<strong>(Files added|Files removed):</strong>(.*?)</p>", html, re.S
        )
    }


def round_page(html: str) -> dict[str, object]:
    fields = re.findall(r'<h2 class="h6 fw-bold mt-2">(.*?)</h2><p[^>]*>(.*?)</p>', html, re.S)
    files = re.findall(
        r"<li>([^<]*?) <span class=\"small text-body-secondary font-monospace\">", html
    )
    answers = re.findall(r"<li><code>(\w+)</code>: (.*?)</li>", html, re.S)
    return {
        "fields": [(unescape(k), unescape(v)) for k, v in fields],
        "answers": [(code, unescape(text)) for code, text in answers],
        "files": [unescape(f) for f in files],
    }


def test_after_a_send_back_the_page_shows_what_changed_and_round_one_is_kept(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client, uploads
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = draft(scene, summary="Năm 2025 ấp đạt 9/10 chỉ tiêu.")
        old_file = add_attachment(
            nomination, pdf_upload(), "Biên bản cũ.pdf", actor=scene.nominator, criterion=scene.text
        )
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        apply_transition(
            nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung biên bản mới"
        )
        update_nomination(
            nomination,
            Report(summary="Năm 2025 ấp đạt 10/10 chỉ tiêu."),
            {
                scene.yes_no.id: Answer(met=True),
                scene.text.id: Answer(
                    text="Mô hình “Ấp thông minh”", evidence_note="Biên bản số 15"
                ),
            },
            actor=scene.nominator,
        )
        remove_attachment(old_file, actor=scene.nominator)
        add_attachment(
            nomination,
            pdf_upload(),
            "Biên bản mới.pdf",
            actor=scene.nominator,
            criterion=scene.text,
        )
        apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=INSIDE)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        db.session.commit()
    as_user(scene.secretariat)

    page = client.get(f"/review/{nomination.id}").get_data(as_text=True)
    first = client.get(f"/review/{nomination.id}/rounds/1").get_data(as_text=True)
    second = client.get(f"/review/{nomination.id}/rounds/2").get_data(as_text=True)

    assert (diff_table(page), file_lines(page)) == (
        [
            (
                "Summary of achievements",
                "Năm 2025 ấp đạt 9/10 chỉ tiêu.",
                "Năm 2025 ấp đạt 10/10 chỉ tiêu.",
            ),
            ("TB2 — evidence", "Biên bản số 12", "Biên bản số 15"),
        ],
        {"Files added": "Biên bản mới.pdf", "Files removed": "Biên bản cũ.pdf"},
    )
    assert round_page(first) == {
        "fields": [
            ("Nominee", nomination.nominee_name),
            ("Summary of achievements", "Năm 2025 ấp đạt 9/10 chỉ tiêu."),
        ],
        "answers": [("TB1", "Met"), ("TB2", "Mô hình “Ấp thông minh” — Biên bản số 12")],
        "files": ["Biên bản cũ.pdf"],
    }
    assert round_page(second)["files"] == ["Biên bản mới.pdf"]
    # the old file is kept (marked removed), not deleted: round 1 still refers to it
    assert [
        (a.original_name, a.removed_at is not None)
        for a in db.session.scalars(
            select(Attachment)
            .where(Attachment.nomination_id == nomination.id)
            .order_by(Attachment.id)
        )
    ] == [("Biên bản cũ.pdf", True), ("Biên bản mới.pdf", False)]


def test_the_first_round_is_only_for_those_who_see_the_dossier(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    found = {}
    for role in ROLES:
        as_user(scene.users[role])
        found[role] = (
            client.get(f"/review/{nomination.id}/rounds/1").status_code,
            client.get(f"/review/{nomination.id}/rounds/2").status_code,
        )
        client.post_form("/logout")

    assert found == {
        "nominator": (200, 404),
        "other_nominator": (403, 403),
        "secretariat": (200, 404),
        "other_secretariat": (403, 403),
        "council_member": (403, 403),
        "chair": (200, 404),
        "admin": (200, 404),
    }


def earlier_section(page: str) -> list[str]:
    """The rows of the "Earlier awards" table, each as its cells' text."""
    section = page.split('id="earlier-title"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)[1:]
    return [
        " | ".join(
            " ".join(re.sub(r"<[^>]+>", " ", unescape(cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        for row in rows
    ]


def test_the_page_lists_the_nominees_earlier_awards(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        old = UnitFactory(name="Ấp Cũ", kind=UnitKind.HAMLET, parent=scene.commune_a)
        hamlet = UnitFactory(name="Ấp Mới", kind=UnitKind.HAMLET, parent=scene.commune_a)
        rows = [
            EarlierAward(2, "", "", old, "Ấp văn hóa", "12/QĐ-UBND", date(2023, 12, 1)),
            EarlierAward(3, "", "", hamlet, "Giấy khen", "30/QĐ-UBND", date(2024, 11, 5)),
            EarlierAward(4, "", "", scene.commune_b, "Giấy khen", "31/QĐ-UBND", date(2024, 1, 1)),
        ]
        import_awards(rows, body_name="UBND huyện Chợ Lách", actor=scene.chair, file_name="a")
        merge_unit(old, successor=hamlet, actor=an_admin(scene.body), on=date(2025, 7, 1))
        nomination = draft(scene, nominee=hamlet)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.commit()
    as_user(scene.secretariat)

    page = client.get(f"/review/{nomination.id}").get_data(as_text=True)

    assert earlier_section(page) == [
        "Ấp Mới Collective | Giấy khen Certificate of merit (Giấy khen) | 30/QĐ-UBND · "
        "05/11/2024 Imported | UBND huyện Chợ Lách | 2024",
        "Ấp Cũ Collective | Ấp văn hóa Cultured hamlet or residential group (Thôn, ấp văn hóa) "
        "| 12/QĐ-UBND · 01/12/2023 Imported | UBND huyện Chợ Lách | 2023",
    ]


def test_the_page_says_when_the_history_holds_nothing(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = draft(scene)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.commit()
    as_user(scene.secretariat)

    page = client.get(f"/review/{nomination.id}").get_data(as_text=True)

    assert "The award history holds no earlier award of this nominee." in page


def test_a_submitted_dossier_s_page_says_what_starting_the_appraisal_means(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    # It said the nominator could no longer "quietly" withdraw ("lặng lẽ" in Vietnamese).
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = draft(scene)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.commit()
    as_user(scene.secretariat)

    page = unescape(client.get(f"/review/{nomination.id}").get_data(as_text=True))

    assert re.findall(r"<span>(Start the appraisal to record verdicts\.[^<]*)</span>", page) == [
        "Start the appraisal to record verdicts. While it is under appraisal, the nominator "
        "cannot withdraw the dossier, and every step is recorded."
    ]
