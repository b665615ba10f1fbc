"""Actions are offered only when they would succeed, a refusal keeps the user where they were,
and the nominator sees why a dossier came back."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.campaigns.services import offer_award
from recognition.extensions import db
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination
from recognition.nominations.workflow import apply_transition
from recognition.review.services import Verdict, record_appraisal
from tests.support.factories import AwardTypeFactory, NominationFactory
from tests.workflow.helpers import (
    INSIDE,
    Scene,
    build_scene,
    draft,
    flashes,
    open_around_today,
    unescape,
)

pytestmark = pytest.mark.integration


def in_review(scene: Scene) -> Nomination:
    nomination = draft(scene)
    apply_transition(nomination, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    return nomination


def button(html: str, action: str) -> str:
    """The opening tag of the button that posts `action` (to the dossier's action URL, or as
    the appraisal form's decision)."""
    found = re.search(
        r"<button[^>]*(formaction=\"[^\"]*/do/"
        + action
        + r"\"|name=\"decide\" value=\""
        + action
        + r"\")[^>]*>",
        html,
    )
    assert found, f"no {action} button"
    return found.group(0)


def list_items(html: str, element_id: str) -> list[str]:
    block = re.search(r'id="' + element_id + r'".*?</div>', html, re.S)
    assert block, f"no #{element_id}"
    return [
        unescape(re.sub(r"<[^>]+>", "", li))
        for li in re.findall(r"<li>(.*?)</li>", block.group(0), re.S)
    ]


def test_submit_is_disabled_with_each_reason_listed_before_the_click(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene, answered=False)
        db.session.commit()
    as_user(scene.nominator)

    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    tag = button(html, "submit")
    assert " disabled" in tag and 'aria-describedby="blocked-submit"' in tag
    reasons = list_items(html, "blocked-submit")
    assert len(reasons) >= 2
    assert all(r.startswith("Criterion ") and r.endswith(".") for r in reasons)


def test_a_complete_dossier_offers_an_enabled_submit(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene)
        db.session.commit()
    as_user(scene.nominator)

    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    assert " disabled" not in button(html, "submit")
    assert 'id="blocked-submit"' not in html


def test_submit_is_disabled_when_the_window_is_closed(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()  # a window in 2025, closed today
        nomination = draft(scene)
        db.session.commit()
    as_user(scene.nominator)

    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)

    assert " disabled" in button(html, "submit")
    reasons = list_items(html, "blocked-submit")
    assert len(reasons) == 1 and "closed on" in reasons[0]


def test_accept_is_disabled_until_every_criterion_has_a_verdict(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    html = client.get(f"/review/{nomination.id}").get_data(as_text=True)
    tag = button(html, "accept")
    note = re.search(r'id="accept-blocked">(.*?)</p>', html, re.S)

    assert " disabled" in tag
    assert note and unescape(note.group(1)).startswith("Record a verdict for every criterion")

    with app.test_request_context(), force_locale("en"):
        nomination = db.session.get(Nomination, nomination.id)
        record_appraisal(
            nomination,
            {c.id: Verdict(agree=True) for c in nomination.award_type.criteria},
            actor=scene.secretariat,
        )
        db.session.commit()

    html = client.get(f"/review/{nomination.id}").get_data(as_text=True)
    assert " disabled" not in button(html, "accept")
    assert 'id="accept-blocked"' not in html


def test_send_back_without_a_comment_returns_to_the_appraisal_page(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)
    here = f"/review/{nomination.id}"

    response = client.post_form(
        f"/nominations/{nomination.id}/do/send_back",
        {"version": nomination.version, "comment": "", "next": here},
    )

    assert (response.status_code, response.headers["Location"]) == (302, here)
    page = client.get(here).get_data(as_text=True)
    assert [c for c, _ in flashes(page)] == ["danger"]
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.IN_REVIEW


def test_a_returned_dossier_shows_the_comment_and_the_criterion_notes(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene)
        apply_transition(nomination, Action.SUBMIT, actor=scene.nominator)
        apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
        record_appraisal(
            nomination,
            {scene.text.id: Verdict(agree=False, note="Thiếu biên bản nghiệm thu")},
            actor=scene.secretariat,
        )
        apply_transition(
            nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung biên bản"
        )
        db.session.commit()
        code = scene.text.code
    as_user(scene.nominator)

    for url in (f"/nominations/{nomination.id}", f"/nominations/{nomination.id}/edit"):
        html = unescape(client.get(url).get_data(as_text=True))
        section = re.search(r'<section class="alert alert-warning".*?</section>', html, re.S)
        assert section, url
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section.group(0)))
        assert "The secretariat's comment: Bổ sung biên bản" in text
        assert f"{code} " in text and "Not agreed: Thiếu biên bản nghiệm thu" in text
        assert "Fix the dossier and submit it again." in text


def test_the_same_nominee_in_the_same_campaign_is_warned_before_and_after_submitting(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        commendation = AwardTypeFactory(awarding_body=scene.body, code="GK", name="Giấy khen")
        offer_award(scene.campaign, commendation, quota=None)
        nomination = draft(scene)
        elsewhere = draft(scene)  # another hamlet: no warning for it
        other = NominationFactory(
            campaign=scene.campaign,
            award_type=commendation,
            actor=scene.nominator,
            nominee_unit=nomination.nominee_unit,
        )
        db.session.commit()
        expected = (
            f"{nomination.nominee_name} also has the dossier #{other.id} for Giấy khen "
            f"this year ({scene.campaign.name}, Draft). One achievement is rewarded once: "
            "make sure this dossier reports a different achievement."
        )
    as_user(scene.nominator)

    html = unescape(client.get(f"/nominations/{nomination.id}").get_data(as_text=True))
    quiet = client.get(f"/nominations/{elsewhere.id}").get_data(as_text=True)
    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": nomination.version}
    )
    after = flashes(client.get(response.headers["Location"]).get_data(as_text=True))

    warning = re.search(r'id="same-achievement">(.*?)</p>', html, re.S)
    assert warning and warning.group(1) == expected
    assert 'id="same-achievement"' not in quiet
    assert " disabled" not in button(html, "submit")  # a warning, not a refusal
    assert ("warning", expected) in after
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.SUBMITTED


def test_a_dossier_without_a_summary_is_not_submitted(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene(**open_around_today())
        nomination = draft(scene, summary="  ")
        db.session.commit()
    as_user(scene.nominator)
    message = "Write the summary of achievements in the report before submitting."

    html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
    response = client.post_form(
        f"/nominations/{nomination.id}/do/submit", {"version": nomination.version}
    )
    after = flashes(client.get(response.headers["Location"]).get_data(as_text=True))

    assert " disabled" in button(html, "submit")
    assert list_items(html, "blocked-submit") == [message]
    assert after == [("danger", message)]
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.DRAFT


def sent_back_once(scene: Scene) -> Nomination:
    """A dossier sent back (the one time the settings allow), resubmitted and in review again."""
    nomination = in_review(scene)
    apply_transition(nomination, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
    apply_transition(nomination, Action.RESUBMIT, actor=scene.nominator, today=INSIDE)
    apply_transition(nomination, Action.TAKE, actor=scene.secretariat)
    return nomination


def test_send_back_is_disabled_with_the_reason_once_the_allowed_returns_are_used(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = sent_back_once(scene)
        first = in_review(scene)  # never sent back: nothing to say
        db.session.commit()
    as_user(scene.secretariat)
    reason = (
        "This dossier was already sent back 1 time, the most the settings allow. "
        "Accept or reject it."
    )

    for url, note_id in (
        (f"/review/{nomination.id}", "send-back-blocked"),
        (f"/nominations/{nomination.id}", "blocked-send_back"),
    ):
        html = client.get(url).get_data(as_text=True)
        tag = button(html, "send_back")
        note = re.search(rf'id="{note_id}">(.*?)</p>', html, re.S)
        assert " disabled" in tag and f'aria-describedby="{note_id}"' in tag, url
        assert note and unescape(note.group(1)) == reason, url

    for url in (f"/review/{first.id}", f"/nominations/{first.id}"):
        html = client.get(url).get_data(as_text=True)
        assert " disabled" not in button(html, "send_back"), url
        assert ('id="send-back-blocked"' in html, 'id="blocked-send_back"' in html) == (
            False,
            False,
        ), url


def test_reject_asks_first_on_both_pages(app: Flask, as_user, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    for url in (f"/review/{nomination.id}", f"/nominations/{nomination.id}"):
        tag = button(client.get(url).get_data(as_text=True), "reject")
        assert 'data-confirm="Reject this dossier?"' in tag, url


def test_a_missing_reason_on_the_dossier_page_is_said_under_the_comment_box(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        nomination = in_review(scene)
        db.session.commit()
    as_user(scene.secretariat)

    response = client.post_form(
        f"/nominations/{nomination.id}/do/reject", {"version": nomination.version, "comment": " "}
    )

    html = response.get_data(as_text=True)
    under = re.search(r'<div class="invalid-feedback d-block" id="comment-error">([^<]*)<', html)
    assert response.status_code == 400
    assert under and unescape(under.group(1)) == "Please give a reason."
    assert 'aria-describedby="comment-error comment-help"' in html
    assert [c for c, _ in flashes(html)] == []  # not at the top of the page
    db.session.expire_all()
    assert db.session.get(Nomination, nomination.id).state == NominationState.IN_REVIEW


def test_the_comment_box_of_a_returned_dossier_says_it_goes_with_the_resubmission(  # type: ignore[no-untyped-def]
    app: Flask, as_user, client
) -> None:
    with app.test_request_context(), force_locale("en"):
        scene = build_scene()
        returned = in_review(scene)
        apply_transition(returned, Action.SEND_BACK, actor=scene.secretariat, comment="Bổ sung")
        submitted = draft(scene)
        apply_transition(submitted, Action.SUBMIT, actor=scene.nominator, today=INSIDE)
        db.session.commit()
    as_user(scene.nominator)

    def help_text(nomination: Nomination) -> str:
        html = client.get(f"/nominations/{nomination.id}").get_data(as_text=True)
        found = re.search(r'id="comment-help">(.*?)</div>', html, re.S)
        assert found, nomination.state
        return unescape(found.group(1))

    assert help_text(returned) == (
        "Optional: a comment sent with the resubmission (e.g. what you changed), or the reason "
        "if you withdraw the dossier. It is kept in the dossier’s history."
    )
    # Where withdrawing is all the nominator can do, the box is for its reason alone.
    assert help_text(submitted) == (
        "Optional: why the dossier is withdrawn; it is kept in the dossier’s history."
    )
