"""An emulation cluster scored end to end in a real browser, on the demo's cluster of Chợ
Lách's communes in 2026: a member scores itself (a point over the maximum is refused on its
field, what was typed is kept), the lead records the cluster's agreed score and locks the year,
and the province's nominator turns the ranking into draft dossiers with the scoring table
attached. Screenshots go to tests/artifacts/clusters-*.png when asked for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from recognition.campaigns.models import Campaign
from recognition.clusters.models import Cluster
from recognition.extensions import db
from recognition.nominations.models import Attachment, Nomination
from recognition.ops.demo import DEMO_PASSWORD
from recognition.ops.demo_clusters import CAMPAIGN_CLUSTERS, CLUSTER_NAME
from tests.conftest import ON_POSTGRES
from tests.e2e.conftest import screenshot
from tests.e2e.cycle import page_opener

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(ON_POSTGRES, reason="the browser walk runs in the SQLite run"),
]

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    with page_opener(browser) as make:
        yield make


def _login(open_page: Any, base: str, username: str) -> Any:
    page = open_page(DESKTOP)
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    return page


def _to_the_cluster(page: Any) -> None:
    """From any page, through the navbar's "Công tác thi đua" menu, to the demo cluster's page."""
    page.get_by_role("button", name="Công tác thi đua", exact=True).click()
    page.get_by_role("link", name="Cụm, khối thi đua", exact=True).click()
    page.wait_for_url(re.compile(r".*/clusters/$"))
    page.get_by_role("link", name=CLUSTER_NAME).click()
    page.wait_for_url(re.compile(r".*/clusters/\d+$"))


def _flash(page: Any) -> str:
    return page.locator(".alert").first.inner_text().strip()


def test_a_cluster_is_scored_into_nominations(
    live_app: Flask, live_server: str, open_page: Any, artifacts: Path
) -> None:
    # A member scores itself: a point over the maximum is refused, then corrected.
    member = _login(open_page, live_server, "hkt.thuky")
    _to_the_cluster(member)
    screenshot(member, artifacts / "clusters-1-cluster.png")
    member.get_by_role("link", name="Chấm điểm Xã Hưng Khánh Trung").click()
    over = member.get_by_label("Điểm tự chấm, IV", exact=True)
    over.fill("12")
    member.get_by_role("button", name="Lưu điểm tự chấm").click()
    error = member.locator(".invalid-feedback").first.inner_text()
    kept = member.get_by_label("Điểm tự chấm, IV", exact=True).input_value()
    assert (error, kept) == ("Tối đa 10,0 điểm.", "12")
    screenshot(member, artifacts / "clusters-2-refused.png")
    member.get_by_label("Điểm tự chấm, IV", exact=True).fill("9,5")
    member.get_by_label("Minh chứng, IV", exact=True).fill("Biên bản họp cụm ngày 20/11/2026")
    member.get_by_role("button", name="Lưu điểm tự chấm").click()
    assert _flash(member) == "Đã lưu 1 dòng."

    # The lead records the agreed score of the member and locks the year's result.
    lead = _login(open_page, live_server, "thuky")
    _to_the_cluster(lead)
    lead.get_by_role("link", name="Xếp hạng").first.click()
    lead.get_by_role("link", name="Xã Hưng Khánh Trung", exact=True).click()
    agreed = lead.locator('input[form="agree-form"][name^="a"]')
    for index in range(agreed.count()):
        agreed.nth(index).fill("4,5" if index < agreed.count() - 1 else "0,5")
    lead.get_by_label("Số phiếu bầu tại cuộc họp cụm").fill("1")
    screenshot(lead, artifacts / "clusters-3-score.png")
    lead.get_by_role("button", name="Ghi điểm thống nhất").click()
    assert _flash(lead) == "Đã lưu 11 dòng."
    lead.get_by_role("link", name="Xếp hạng").click()
    lead.get_by_role("button", name="Khóa kết quả năm").click()
    assert _flash(lead) == "Đã khóa kết quả năm."
    ranks = lead.locator("table tbody tr td:nth-child(2)").all_inner_texts()
    assert ranks == ["Xã Phú Phụng", "Xã Chợ Lách", "Xã Vĩnh Thành", "Xã Hưng Khánh Trung"]

    # The province's nominator proposes: Cờ thi đua for the first, Bằng khen for the next two.
    proposer = _login(open_page, live_server, "tinh.cumkhoi")
    _to_the_cluster(proposer)
    proposer.get_by_role("link", name="Xếp hạng").first.click()
    screenshot(proposer, artifacts / "clusters-4-ranking.png")
    assert proposer.get_by_label("Phong trào đang mở").input_value() != ""
    # The titles offered follow the chosen campaign: each one shown names it.
    chosen = proposer.get_by_label("Phong trào đang mở").input_value()
    shown = proposer.locator("#first_award_id option:not([disabled])")
    assert shown.count() > 0
    assert all(
        chosen in (shown.nth(i).get_attribute("data-campaigns") or "").split()
        for i in range(shown.count())
    )
    proposer.get_by_label("Số đơn vị tiếp theo").fill("2")
    proposer.get_by_role("button", name="Tạo hồ sơ đề nghị").click()
    assert _flash(proposer) == "Đã tạo 3 hồ sơ dự thảo."
    screenshot(proposer, artifacts / "clusters-5-proposed.png")
    proposer.get_by_role("link", name="Hồ sơ Xã Phú Phụng", exact=True).click()
    proposer.wait_for_url(re.compile(r".*/nominations/\d+$"))
    assert "bang-cham-diem-2026-" in proposer.locator("main").inner_text()

    with live_app.app_context():
        cluster = db.session.scalars(select(Cluster).where(Cluster.name == CLUSTER_NAME)).one()
        campaign = db.session.scalars(
            select(Campaign).where(Campaign.name == CAMPAIGN_CLUSTERS)
        ).one()
        made = db.session.scalars(
            select(Nomination).where(Nomination.campaign_id == campaign.id).order_by(Nomination.id)
        ).all()
        files = [
            db.session.scalars(select(Attachment).where(Attachment.nomination_id == n.id)).one()
            for n in made
        ]
        assert cluster.is_locked is True
        assert [(n.nominee_name, n.award_type.code, n.state.value) for n in made] == [
            ("Xã Phú Phụng", "CO-THI-DUA", "draft"),
            ("Xã Chợ Lách", "BK-TT", "draft"),
            ("Xã Vĩnh Thành", "BK-TT", "draft"),
        ]
        assert [f.original_name.startswith("bang-cham-diem-2026-") for f in files] == [True] * 3
        db.session.remove()
