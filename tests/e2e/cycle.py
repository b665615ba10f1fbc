"""The whole story through the pages, in a real browser, as the demo users: the head of Ấp Sơn
Qui nominates the hamlet's community digital-technology team with evidence for Xã Phú Phụng's
Giấy khen, the secretariat sends back, the nominator fixes and resubmits, the secretariat accepts
and puts the dossier on a council session, seven members vote on their phones (secret ballot),
the secretariat closes the vote, the chair issues the decision, the certificate's QR link opens
the public verification page (valid), the chair annuls and the page says revoked.

`walk_the_cycle(base, …)` walks it against any base URL: one live server
(tests/e2e/test_full_cycle.py) or nginx in front of two app servers
(tests/e2e/test_two_servers.py). Selectors use ids, names and form actions, not visible text,
so the walk does not depend on the interface language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy import select

from recognition.campaigns.models import AwardType
from recognition.extensions import db
from recognition.ops.demo import DEMO_PASSWORD
from recognition.units.models import Unit
from tests.e2e.conftest import screenshot
from tests.e2e.world import open_campaign

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# One page: the upload check opens the PDF and refuses a document without pages.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def prepare_story() -> dict[str, int]:
    """Ids of Xã Phú Phụng, its open campaign and its collective Giấy khen, whose rule this story
    follows whatever the catalogue says: a secret ballot passed by 70 % of those present,
    issued without public posting. Inside an app context on the demo data; commits."""
    body = db.session.scalars(select(Unit).where(Unit.code == "28879", Unit.is_active)).one()
    campaign = open_campaign(body)
    award = db.session.scalars(
        select(AwardType).where(AwardType.awarding_body_id == body.id, AwardType.code == "GK-TT")
    ).one()
    award.vote_method, award.vote_base = "secret_ballot", "present"
    award.vote_threshold_percent, award.chair_must_approve = 70, False
    award.quorum_numerator, award.quorum_denominator = 2, 3
    award.public_posting_days = 0
    ids = {"body": body.id, "campaign": campaign.id, "award": award.id}
    db.session.commit()
    return ids


@contextmanager
def page_opener(browser: Any) -> Iterator[Callable[..., Any]]:
    """`open_page(viewport)`: a page in its own context; confirmation dialogs are accepted, and
    no response may be a server error."""
    contexts = []
    errors: list[str] = []

    def make(viewport: dict[str, int] = DESKTOP) -> Any:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []


class Story:
    def __init__(
        self,
        base: str,
        open_page: Any,
        artifacts: Path,
        on_step: Callable[[str], None] | None = None,
    ) -> None:
        self.base = base
        self.open_page = open_page
        self.artifacts = artifacts
        self.on_step = on_step
        self.step = 0

    def login(self, username: str, viewport: dict[str, int] = DESKTOP) -> Any:
        page = self.open_page(viewport)
        page.goto(f"{self.base}/login")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r".*/(dashboard|account/password)$"))
        return page

    def shot(self, page: Any, name: str) -> None:
        """The end of a step: its screenshot when asked for, and `on_step(name)`."""
        self.step += 1
        screenshot(page, self.artifacts / f"cycle-{self.step:02d}-{name}.png")
        if self.on_step is not None:
            self.on_step(name)

    @staticmethod
    def submit(page: Any, selector: str) -> None:
        with page.expect_navigation():
            page.click(selector)

    @staticmethod
    def flash(page: Any) -> str:
        return page.locator(".alert").first.inner_text()


def _option_value(page: Any, select: str, text: str) -> str:
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def walk_the_cycle(
    base: str,
    open_page: Any,
    artifacts: Path,
    folder: Path,
    demo: dict[str, int],
    on_step: Callable[[str], None] | None = None,
) -> None:
    """The whole story against the server at `base` (demo data, `prepare_story` done);
    `on_step(name)` is called at the end of each step."""
    story = Story(base, open_page, artifacts, on_step)
    evidence = folder / "Biên bản họp ấp Sơn Qui.pdf"
    evidence.write_bytes(PDF)

    # The head of Ấp Sơn Qui prepares and submits a dossier with evidence.
    nominator = story.login("ap.sonqui")
    nominator.goto(f"{base}/nominations/new/{demo['campaign']}")
    nominator.select_option("#award_type_id", str(demo["award"]))
    nominator.select_option(
        "#nominee_unit_id",
        _option_value(nominator, "#nominee_unit_id", "Tổ công nghệ số cộng đồng ấp Sơn Qui"),
    )
    story.shot(nominator, "new-dossier")
    story.submit(nominator, "main form button[type=submit]")
    edit_url = nominator.url
    nomination_id = int(re.search(r"/nominations/(\d+)/edit", edit_url).group(1))
    nominator.fill("#summary", "Tổ hướng dẫn hơn 600 lượt người dân dùng dịch vụ công trực tuyến.")
    nominator.fill(
        "#report_achievements",
        "Năm 2026, Tổ công nghệ số cộng đồng ấp Sơn Qui hướng dẫn 612 lượt người dân.",
    )
    for radio in nominator.locator("input[type=radio][value=yes]").all():
        radio.check()
    for area in nominator.locator("textarea[name$='_text']").all():
        area.fill("Mô hình “Ấp số - Dân thông thái”")
    for area in nominator.locator("textarea[name$='_note']").all():
        area.fill("Báo cáo của Ban nhân dân ấp")
    nominator.locator("input[type=file][name$='_files']").first.set_input_files(str(evidence))
    story.shot(nominator, "dossier-form")
    story.submit(nominator, "button[name=then][value=submit]")
    assert "Biên bản họp ấp Sơn Qui.pdf" in nominator.content()
    story.submit(nominator, "button[formaction$='/do/submit']")
    story.shot(nominator, "submitted")
    assert nominator.locator(".badge", has_text=re.compile("Đã gửi|Submitted")).count() >= 1

    # The secretariat opens its inbox, starts the appraisal and sends the dossier back.
    secretariat = story.login("thuky")
    secretariat.goto(f"{base}/review/")
    story.shot(secretariat, "inbox")
    secretariat.goto(f"{base}/review/{nomination_id}")
    story.submit(secretariat, "form[action$='/do/take'] button[type=submit]")
    secretariat.fill("#comment", "Đề nghị bổ sung số liệu cụ thể theo từng quý.")
    story.submit(secretariat, "button[name=decide][value=send_back]")
    story.shot(secretariat, "sent-back")

    # The nominator fixes the report and resubmits.
    nominator.goto(edit_url)
    nominator.fill(
        "#summary",
        "Tổ hướng dẫn 612 lượt người dân (quý I: 120, quý II: 151, quý III: 160, quý IV: 181).",
    )
    story.submit(nominator, "#save-draft")
    nominator.goto(f"{base}/nominations/{nomination_id}")
    story.submit(nominator, "button[formaction$='/do/resubmit']")
    story.shot(nominator, "resubmitted")

    # The secretariat sees what changed, appraises every criterion and accepts.
    secretariat.goto(f"{base}/review/{nomination_id}")
    story.submit(secretariat, "form[action$='/do/take'] button[type=submit]")
    assert "quý I: 120" in secretariat.content()
    for radio in secretariat.locator("input[type=radio][value=agree]").all():
        radio.check()
    story.submit(secretariat, "form:has(input[value=agree]) button[type=submit]:not([name])")
    story.shot(secretariat, "appraisal")
    story.submit(secretariat, "button[name=decide][value=accept]")

    # …and schedules it on a council session, records attendance and opens the vote.
    secretariat.goto(f"{base}/council/sessions/new/{demo['body']}")
    secretariat.fill("#title", "Phiên họp xét tặng Giấy khen tập thể")
    secretariat.select_option("#kind", "meeting")
    secretariat.fill("#held_on", "2026-11-25")
    secretariat.fill("#place", "Hội trường UBND xã Phú Phụng")
    story.submit(secretariat, "main form button[type=submit]")
    session_url = secretariat.url
    story.submit(secretariat, "form[action$='/agenda'] button[type=submit]")
    for radio in secretariat.locator("input[type=radio][value=present]").all():
        radio.check()
    story.submit(secretariat, "form[action$='/attendance'] button[type=submit]")
    story.submit(secretariat, "form[action$='/open'] button[type=submit]")
    story.shot(secretariat, "session-open")

    # Seven council members vote on their phones, each confirming the choice.
    for number in range(1, 8):
        member = story.login(f"hoidong{number}", PHONE)
        member.goto(session_url)
        story.submit(member, "a[href$='/vote']")
        member.click("label[for=choice-agree]")
        story.submit(member, "main form button[type=submit]")
        if number == 1:
            story.shot(member, "vote-confirm-phone")
        story.submit(member, "input[name=step][value=cast] ~ div button[type=submit]")
        if number == 1:
            story.shot(member, "voted-phone")
            # The receipt of the ballot, kept by the member's phone until the vote closes.
            receipt = member.locator("#receipt").inner_text().strip()
            assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt), receipt
            # Back from the receipt (and from there forward again) asks for the ballot afresh:
            # it says the vote was cast, with no "Confirm Form Resubmission" (ERR_CACHE_MISS).
            for move in (member.go_back, member.go_forward):
                move()
                assert member.url.endswith("/vote")
                assert member.locator("main .alert-success").count() == 1
                assert member.locator("main form").count() == 0
            first_member = member
            continue
        member.context.close()

    # The secretariat closes the vote; the dossier is passed.
    secretariat.goto(session_url)
    assert re.search(r"7 of 9 have voted|Đã biểu quyết: 7/9", secretariat.content())
    story.submit(secretariat, "form[action$='/close'] button[type=submit]")
    story.shot(secretariat, "vote-closed")

    # The first member finds their receipt among the counted ballots, counted as cast.
    first_member.goto(session_url)
    mine = first_member.locator("tr[data-mine]")
    assert mine.count() == 1
    assert receipt in mine.inner_text() and re.search(r"Đồng ý|Agree", mine.inner_text())
    assert first_member.locator("details[data-counted-item] tbody tr").count() == 7
    story.shot(first_member, "receipt-counted-phone")
    # The device keeps the member's receipts under their own name, forgets anyone else's
    # (a phone or a meeting-room computer used by several members), and forgets them all when
    # the member logs out.
    kept = "() => Object.keys(localStorage).filter(k => k.startsWith('recognition.receipt.'))"
    (own,) = first_member.evaluate(kept)
    first_member.evaluate(
        f"() => localStorage.setItem('recognition.receipt.0.{own.split('.', 3)[3]}', 'X')"
    )
    first_member.reload()
    assert first_member.evaluate(kept) == [own]
    assert first_member.locator("tr[data-mine]").count() == 1
    with first_member.expect_navigation():
        first_member.locator("form[data-forget-receipts]").evaluate("form => form.requestSubmit()")
    assert first_member.evaluate(kept) == []
    first_member.context.close()
    minutes = secretariat.request.get(f"{session_url}/minutes.pdf")
    assert minutes.status == 200
    assert "BIÊN BẢN" in PdfReader(io.BytesIO(minutes.body())).pages[0].extract_text()

    # The secretariat drafts the decision; the chair signs and issues it.
    secretariat.goto(f"{base}/decisions/")
    story.submit(secretariat, f"form[action$='/decisions/new/{demo['body']}'] button[type=submit]")
    decision_url = secretariat.url
    chair = story.login("chutich")
    chair.goto(decision_url)
    # Xã Phú Phụng signs with the demo's key: the chair types its passphrase.
    chair.fill("#pin", DEMO_PASSWORD)
    story.submit(chair, "form[action$='/issue'] button[type=submit]")
    story.shot(chair, "decision-issued")

    # The certificate PDF is downloaded; its QR link opens the verification page: valid.
    link = chair.locator("a[href^='/certificates/']").first.get_attribute("href")
    certificate = chair.request.get(f"{base}{link}")
    assert certificate.status == 200
    assert b"/ByteRange" in certificate.body()  # signed with the decision
    reader = PdfReader(io.BytesIO(certificate.body()))
    text = reader.pages[0].extract_text()
    assert "GIẤY KHEN" in text and "Tổ công nghệ số cộng đồng ấp Sơn Qui" in text
    annotations = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    urls = [a["/A"]["/URI"] for a in annotations if "/A" in a and "/URI" in a["/A"]]
    assert len(set(urls)) == 1 and "/verify/" in urls[0]
    citizen = open_page(PHONE)
    citizen.goto(urls[0])
    assert citizen.locator(".alert-success").count() == 1
    story.shot(citizen, "verify-valid")

    # The chair annuls the decision: the same link now says revoked.
    chair.fill("#reason", "Hồ sơ kê khai số liệu không trung thực.")
    story.submit(chair, "form[action$='/annul'] button[type=submit]")
    citizen.goto(urls[0])
    assert citizen.locator(".alert-warning").count() == 1
    assert citizen.locator(".alert-success").count() == 0
    story.shot(citizen, "verify-revoked")
