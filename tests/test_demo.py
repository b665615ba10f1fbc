"""The demo data as it stands in December 2026: Vĩnh Long province and the four communes that
replaced Chợ Lách district, the district's 2024 campaign kept as history; safe to load twice.

The demo is loaded once for the module (some 2,500 statements), in an outer transaction; each
test runs in a savepoint of it, rolled back afterwards (`_isolated` below replaces the
conftest's)."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import User
from recognition.auth.services import authenticate
from recognition.campaigns.enums import CampaignStatus
from recognition.campaigns.models import AwardType, Campaign
from recognition.certificates.codes import public_code
from recognition.certificates.models import Certificate
from recognition.clusters.models import Cluster
from recognition.clusters.permissions import lead_unit
from recognition.clusters.queries import history_of, ranking_of, table_maximum
from recognition.clusters.services import missing_agreed
from recognition.common.audit import AuditEvent
from recognition.council.models import CouncilMember
from recognition.database import local_today
from recognition.decisions.models import Decision
from recognition.decisions.services import legal_bases_for
from recognition.extensions import db
from recognition.history.queries import unit_records
from recognition.honours.models import HonourEntry
from recognition.nominations.models import Nomination
from recognition.ops.demo import ACCOUNTS, CAMPAIGN_2026, DEMO_PASSWORD, PHU_PHUNG, seed_demo
from recognition.ops.demo_clusters import CAMPAIGN_CLUSTERS, CLUSTER_NAME
from recognition.registration.models import RegistrationCall
from recognition.registration.queries import call_overview
from recognition.units.models import Unit
from recognition.units.services import unit_by_code
from recognition.units.settings import settings_for
from tests.conftest import Client, in_savepoint, log_in, shared_transaction
from tests.decisions.helpers import in_english, page_text

pytestmark = pytest.mark.integration

# DOMAIN.md, "The law in force": each old unit and the unit that took it over.
SUCCESSORS = {
    ("83", "Tỉnh Bến Tre"): "Tỉnh Vĩnh Long",
    ("832", "Huyện Chợ Lách"): "Xã Chợ Lách",
    ("28870", "Thị trấn Chợ Lách"): "Xã Chợ Lách",
    ("28882", "Xã Hòa Nghĩa"): "Xã Chợ Lách",
    ("28885", "Xã Long Thới"): "Xã Chợ Lách",
    ("28873", "Xã Phú Phụng"): "Xã Phú Phụng",
    ("28876", "Xã Sơn Định"): "Xã Phú Phụng",
    ("28879", "Xã Vĩnh Bình"): "Xã Phú Phụng",
    ("28894", "Xã Vĩnh Thành"): "Xã Vĩnh Thành",
    ("28891", "Xã Tân Thiềng"): "Xã Vĩnh Thành",
    ("28888", "Xã Phú Sơn"): "Xã Vĩnh Thành",
    ("28900", "Xã Hưng Khánh Trung B"): "Xã Hưng Khánh Trung",
    ("28897", "Xã Vĩnh Hòa"): "Xã Hưng Khánh Trung",
}
NEW_COMMUNES = {
    "28870": "Xã Chợ Lách",
    "28879": "Xã Phú Phụng",
    "28894": "Xã Vĩnh Thành",
    "28901": "Xã Hưng Khánh Trung",
}
COMMUNE_CATALOGUE = {
    "GK-TT",
    "GK-CN",
    "LDTT",
    "CSTDCS",
    "TTLDTT",
    "GDVH",
    "APVH",
    "XA-NTM-KM",
    "XA-NTM-TM",
    "AP-NTM-TM",
    "DP-TCNSCD",
}
PROVINCE_CATALOGUE = {"BK-TT", "BK-CN", "CSTD-TINH", "TTLDXS", "CO-THI-DUA"}


def counts() -> dict[str, int]:
    models = {
        "units": Unit,
        "users": User,
        "campaigns": Campaign,
        "award_types": AwardType,
        "nominations": Nomination,
        "decisions": Decision,
        "certificates": Certificate,
        "council_members": CouncilMember,
        "audit_events": AuditEvent,
    }
    return {
        name: db.session.scalar(select(func.count()).select_from(m)) or 0
        for name, m in models.items()
    }


def active(code: str) -> Unit:
    return db.session.scalars(select(Unit).where(Unit.code == code, Unit.is_active)).one()


def old(code: str, name: str) -> Unit:
    """The unit that had this code and name until the reorganisation (Xã Vĩnh Thành kept
    both)."""
    return db.session.scalars(
        select(Unit).where(Unit.code == code, Unit.name == name, Unit.valid_to.is_not(None))
    ).one()


@pytest.fixture(scope="module")
def demo(app: Flask) -> Iterator[dict[str, Any]]:
    """The demo, loaded once for the module; what the first load reported."""
    with shared_transaction(app) as connection:
        with app.app_context():
            first = seed_demo()
            db.session.commit()
        yield {"connection": connection, "first": first}


@pytest.fixture(autouse=True)
def _isolated(app: Flask, demo: dict[str, Any]) -> Iterator[None]:
    with in_savepoint(app, demo["connection"]):
        yield


def test_seed_twice_changes_nothing_the_second_time(demo: dict[str, Any]) -> None:
    first = demo["first"]
    after_first = counts()

    second = seed_demo()

    # Old: province, district, 3 offices, 11 communes, 23 hamlets each with its team. New:
    # province, its office, 4 communes with 3 offices each.
    assert first == {"units_created": 2 + 3 + 11 + 23 * 2 + 2 + 4 * 4, "accounts": 27}
    assert second == {"units_created": 0, "accounts": 27}
    assert counts() == after_first
    # Decisions: the district's of 2024, Xã Phú Phụng's year-end review of 2025 (10 awards),
    # its sudden awards of this year (2) and its year-end decision of 2026 (6 lines).
    assert (after_first["users"], after_first["decisions"], after_first["certificates"]) == (
        28,
        4,
        20,
    )


def test_every_old_unit_was_merged_into_its_successor_on_30_june_2025() -> None:
    db.session.expire_all()

    merged = {
        (code, name): (
            unit.state,
            unit.valid_to,
            unit.successor.name if unit.successor else None,
            unit.successor.is_active if unit.successor else None,
        )
        for (code, name) in SUCCESSORS
        for unit in [old(code, name)]
    }

    assert merged == {
        key: ("merged", date(2025, 6, 30), successor, True) for key, successor in SUCCESSORS.items()
    }


def test_the_reorganisation_is_in_the_audit_log() -> None:

    merges = db.session.scalars(
        select(AuditEvent.subject).where(AuditEvent.action == "merge").order_by(AuditEvent.id)
    ).all()

    assert sorted(merges) == sorted(f"{name} ({code})" for code, name in SUCCESSORS)
    assert merges[-2:] == ["Huyện Chợ Lách (832)", "Tỉnh Bến Tre (83)"]


def test_reused_codes_resolve_to_the_unit_in_use() -> None:

    found = {code: (unit_by_code(code).name, unit_by_code(code).state) for code in NEW_COMMUNES}

    assert found == {code: (name, "active") for code, name in NEW_COMMUNES.items()}
    # 28870, 28879 and 28894 were also the codes of units now merged.
    assert unit_by_code("28876").name == "Xã Sơn Định"
    assert [
        u.name
        for u in db.session.scalars(select(Unit).where(Unit.code == "28879").order_by(Unit.id))
    ] == ["Xã Vĩnh Bình", "Xã Phú Phụng"]


def test_the_new_communes_are_awarding_bodies_of_vinh_long() -> None:
    db.session.expire_all()
    province = active("86")

    communes = sorted(
        (c.code, c.name, c.is_awarding_body, c.valid_from)
        for c in province.children
        if c.kind == "commune"
    )

    assert (province.name, province.is_awarding_body) == ("Tỉnh Vĩnh Long", True)
    assert communes == sorted(
        (code, name, True, date(2025, 7, 1)) for code, name in NEW_COMMUNES.items()
    )


def test_phu_phung_has_its_hamlets_teams_offices_settings_and_catalogue() -> None:
    db.session.expire_all()
    phu_phung = active("28879")

    below = {c.name: sorted(t.name for t in c.children) for c in phu_phung.children}
    settings = settings_for(phu_phung)
    catalogue = {
        a.code
        for a in db.session.scalars(
            select(AwardType).where(AwardType.awarding_body_id == phu_phung.id)
        )
    }

    # The hamlets of the three old communes, each still with its team.
    assert below == {
        "Ấp Phú Hòa": ["Tổ công nghệ số cộng đồng ấp Phú Hòa"],
        "Ấp Phú Thuận": ["Tổ công nghệ số cộng đồng ấp Phú Thuận"],
        "Ấp Sơn Lân": ["Tổ công nghệ số cộng đồng ấp Sơn Lân"],
        "Ấp Sơn Qui": ["Tổ công nghệ số cộng đồng ấp Sơn Qui"],
        "Ấp Định Bình": ["Tổ công nghệ số cộng đồng ấp Định Bình"],
        "Ấp Vĩnh Hưng": ["Tổ công nghệ số cộng đồng ấp Vĩnh Hưng"],
        "Ấp Vĩnh Chính": ["Tổ công nghệ số cộng đồng ấp Vĩnh Chính"],
        "Phòng Văn hóa - Xã hội xã Phú Phụng": [],
        "Hội Nông dân xã Phú Phụng": [],
        "Đoàn Thanh niên xã Phú Phụng": [],
    }
    assert (
        settings.issuer_name,
        settings.superior_name,
        settings.place_name,
        settings.signer_name,
    ) == ("ỦY BAN NHÂN DÂN XÃ PHÚ PHỤNG", "TỈNH VĨNH LONG", "Phú Phụng", "Trần Văn Minh")
    # The law's bases come from the law of the decision's date; the body adds none of its own,
    # so a decision cites each text once.
    assert settings.legal_bases == ""
    bases = legal_bases_for(phu_phung, date(2026, 12, 5))
    assert (bases.count("152/2025/NĐ-CP"), bases.count("72/2025/QH15")) == (1, 1)
    assert catalogue == COMMUNE_CATALOGUE


def test_every_body_of_today_has_a_council_and_its_catalogue() -> None:
    db.session.expire_all()

    councils = {
        code: sorted(
            (m.role, m.user.username)
            for m in db.session.scalars(
                select(CouncilMember).where(CouncilMember.awarding_body_id == active(code).id)
            )
        )
        for code in ["86", *NEW_COMMUNES]
    }
    province_catalogue = {
        a.code
        for a in db.session.scalars(
            select(AwardType).where(AwardType.awarding_body_id == active("86").id)
        )
    }

    assert councils["86"] == [("chair", "tinh.chutich"), ("standing", "tinh.thuky")]
    assert councils["28870"] == [("chair", "cholach.chutich"), ("standing", "cholach.thuky")]
    assert councils["28879"] == sorted(
        [
            ("chair", "chutich"),
            ("vice_chair", "hoidong1"),
            ("standing", "thuky"),
            *(("member", f"hoidong{n}") for n in range(2, 7)),
            ("secretary", "hoidong7"),
        ]
    )
    assert province_catalogue == PROVINCE_CATALOGUE


def test_demo_accounts_hold_the_roles_of_today() -> None:
    db.session.expire_all()

    accounts = {
        user.username: sorted((grant.role, grant.unit.name) for grant in user.grants)
        for user in db.session.scalars(select(User))
    }

    phu_phung = "Xã Phú Phụng"
    assert accounts == {
        "admin": [("admin", "Tỉnh Vĩnh Long")],
        "tinh.chutich": [("chair", "Tỉnh Vĩnh Long")],
        "tinh.thuky": [("secretariat", "Tỉnh Vĩnh Long")],
        "tinh.cumkhoi": [("nominator", "Tỉnh Vĩnh Long")],
        "thuky": [("secretariat", phu_phung)],
        "chutich": [("chair", phu_phung)],
        **{f"hoidong{n}": [("council_member", phu_phung)] for n in range(1, 8)},
        "ap.sonqui": [("nominator", "Ấp Sơn Qui")],
        "hnd.phuphung": [("nominator", "Hội Nông dân xã Phú Phụng")],
        "ap.phuhoa": [("nominator", "Ấp Phú Hòa")],
        "ap.vinhchinh": [("nominator", "Ấp Vĩnh Chính")],
        "cholach.chutich": [("chair", "Xã Chợ Lách")],
        "cholach.thuky": [("secretariat", "Xã Chợ Lách")],
        "vinhthanh.chutich": [("chair", "Xã Vĩnh Thành")],
        "vinhthanh.thuky": [("secretariat", "Xã Vĩnh Thành")],
        "hkt.chutich": [("chair", "Xã Hưng Khánh Trung")],
        "hkt.thuky": [("secretariat", "Xã Hưng Khánh Trung")],
        # Each commune's proposals to the province.
        "vp.phuphung": [("nominator", phu_phung)],
        "vp.cholach": [("nominator", "Xã Chợ Lách")],
        "vp.vinhthanh": [("nominator", "Xã Vĩnh Thành")],
        "vp.hkt": [("nominator", "Xã Hưng Khánh Trung")],
        # Xã Sơn Định's nominator of 2024: the role ended with the commune.
        "xa.sondinh": [],
    }
    assert len(ACCOUNTS) == 27


def test_the_demo_password_works_for_every_account() -> None:

    for spec in ACCOUNTS:
        user = authenticate(username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        assert (user.full_name, user.is_active) == (spec.full_name, True)
    assert authenticate(username="thuky", password="not-demo") is None


def test_roles_are_effective() -> None:
    db.session.expire_all()
    by_name = {u.username: u for u in db.session.scalars(select(User))}
    son_qui = db.session.scalars(select(Unit).where(Unit.name == "Ấp Sơn Qui")).one()
    team = son_qui.children[0]

    assert by_name["admin"].is_admin is True
    assert by_name["ap.sonqui"].has_role(Role.NOMINATOR, team) is True
    assert by_name["ap.sonqui"].has_role(Role.NOMINATOR, active("28879")) is False
    assert by_name["chutich"].roles == {Role.CHAIR}
    assert by_name["xa.sondinh"].roles == set()


def test_the_district_campaign_of_2024_is_closed_with_its_decision() -> None:
    district = old("832", "Huyện Chợ Lách")

    campaign = db.session.scalars(
        select(Campaign).where(Campaign.awarding_body_id == district.id)
    ).one()
    decision = db.session.scalars(
        select(Decision).where(Decision.awarding_body_id == district.id)
    ).one()

    assert (campaign.name, campaign.status) == (
        "Cao điểm thi đua “Đồng khởi mới” năm 2024 - 2025",
        CampaignStatus.CLOSED,
    )
    # Submitted on 21 October 2024: the dossiers' references carry that year.
    dossiers = db.session.scalars(
        select(Nomination).where(Nomination.campaign_id == campaign.id).order_by(Nomination.id)
    ).all()
    assert [(n.reference, n.submitted_at.date(), n.state) for n in dossiers] == [
        (f"HS-2024-{n.id:06d}", date(2024, 10, 21), "awarded") for n in dossiers
    ]
    assert (decision.reference, decision.issued_on, decision.state) == (
        "15/QĐ-UBND",
        date(2024, 12, 2),
        "issued",
    )
    assert [
        (line.recipient, line.detail, line.certificate.public_serial) for line in decision.lines
    ] == [
        ("Ấp Sơn Qui", "Xã Sơn Định", "832-2024-00001"),
        # A unit nominated by itself is not named twice: the detail stays empty.
        ("Xã Sơn Định", "", "832-2024-00002"),
    ]


def test_a_2024_certificate_verifies_under_the_names_it_had(client: Client) -> None:
    db.session.commit()
    certificate = db.session.scalars(
        select(Certificate).where(Certificate.public_serial == "832-2024-00001")
    ).one()
    visitor = in_english(client)

    response = visitor.get(
        f"/verify/{certificate.public_serial}",
        query_string={"c": public_code(certificate.key_id, certificate.code)},
    )
    text = page_text(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "Genuine and valid" in text
    assert "Recipient Ấp Sơn Qui Xã Sơn Định" in text
    assert "Issued by Huyện Chợ Lách" in text
    assert "15/QĐ-UBND" in text


def test_the_open_campaign_is_xa_phu_phungs_of_2026() -> None:
    today = local_today()

    open_campaigns = db.session.scalars(
        select(Campaign).where(Campaign.status == CampaignStatus.OPEN)
    ).all()

    assert [(c.name, c.awarding_body.name, c.awarding_body.code) for c in open_campaigns] == [
        (CAMPAIGN_2026, "Xã Phú Phụng", "28879"),
        (CAMPAIGN_CLUSTERS, "Tỉnh Vĩnh Long", "86"),
    ]
    campaign = open_campaigns[0]
    assert (campaign.opens_on, campaign.closes_on) == (today, today + timedelta(90))
    assert campaign.is_window_open(today) is True
    assert sorted(o.award_type.code for o in campaign.offers) == sorted(
        ["AP-NTM-TM", "DP-TCNSCD", "APVH", "GK-TT", "GK-CN"]
    )


def test_the_cluster_of_chợ_lách_s_communes_is_scored_for_2026() -> None:
    cluster = db.session.scalars(select(Cluster).where(Cluster.name == CLUSTER_NAME)).one()
    rows = ranking_of(cluster)

    assert (cluster.year, cluster.awarding_body.code, cluster.is_locked) == (2026, "86", False)
    assert lead_unit(cluster, date(2026, 12, 1)).name == "Xã Phú Phụng"  # type: ignore[union-attr]
    assert table_maximum(cluster) == Decimal("100.0")
    # Xã Hưng Khánh Trung's agreed score is still to be recorded by the lead.
    assert missing_agreed(cluster) == ["Xã Hưng Khánh Trung"]
    # Equal totals: more points in criterion II puts Xã Phú Phụng first (the body's rule).
    assert [
        (r.ranked.rank, r.member.unit_name, r.ranked.standing.total, r.ranked.decided_by)
        for r in rows
    ] == [
        (1, "Xã Phú Phụng", Decimal("96.0"), ""),
        (2, "Xã Chợ Lách", Decimal("96.0"), "criterion:II"),
        (3, "Xã Vĩnh Thành", Decimal("91.0"), ""),
        (4, "Xã Hưng Khánh Trung", Decimal("0.0"), ""),
    ]


def test_the_merged_communes_carry_their_2024_cluster_results_to_their_successor() -> None:
    phu_phung = active("28879")

    results = history_of(phu_phung)

    # Under the names they had, in the district's cluster of 2024, locked before the merger.
    assert [(r.cluster.year, r.member.unit_name, r.rank, r.of_count, r.total) for r in results] == [
        (2024, "Xã Phú Phụng", 2, 4, Decimal("91.5")),
        (2024, "Xã Sơn Định", 1, 4, Decimal("94.0")),
        (2024, "Xã Vĩnh Bình", 4, 4, Decimal("88.5")),
    ]


def test_the_honour_board_shows_the_district_models_of_2024(client: Client) -> None:
    db.session.commit()
    visitor = in_english(client)

    board = visitor.get("/honours/", query_string={"year": "2024"})
    text = page_text(board.get_data(as_text=True))

    assert board.status_code == 200
    assert "2 models" in text
    assert "Ấp Sơn Qui" in text and "Xã Sơn Định" in text
    entries = db.session.scalars(select(HonourEntry).order_by(HonourEntry.position)).all()
    assert [(e.recipient, e.decision_reference, e.state, len(e.photos)) for e in entries] == [
        ("Ấp Sơn Qui", "15/QĐ-UBND", "published", 1),
        ("Xã Sơn Định", "15/QĐ-UBND", "published", 0),
    ]
    photo = visitor.get(f"/honours/photos/{entries[0].photos[0].id}")
    assert (photo.status_code, photo.mimetype) == (200, "image/jpeg")


def test_phu_phung_registered_for_2026_but_for_one_hamlet() -> None:
    call = db.session.scalars(select(RegistrationCall).where(RegistrationCall.year == 2026)).one()

    rows = call_overview(call)

    assert (call.awarding_body.name, call.deadline) == ("Xã Phú Phụng", date(2026, 1, 31))
    assert [(row.unit.name, row.registration is not None) for row in rows] == [
        ("Ấp Phú Hòa", True),
        ("Ấp Sơn Qui", True),
        ("Ấp Vĩnh Chính", False),
        ("Hội Nông dân xã Phú Phụng", True),
    ]
    assert all(row.registration.signed_at for row in rows if row.registration)


def test_the_unit_trees_search_example_finds_a_unit_of_the_demo(client: Client) -> None:
    db.session.commit()
    assert log_in(client, "admin", DEMO_PASSWORD).status_code == 302
    tree = client.get("/admin/units/").get_data(as_text=True)
    example = re.search(r'id="q"[^>]*placeholder="(?:e\.g\.|ví dụ:) ([^"]+)"', tree)
    assert example is not None

    found = client.get("/admin/units/", query_string={"q": example[1]}).get_data(as_text=True)

    assert "Xã Phú Phụng" in found


def test_phu_phungs_award_history_holds_the_merged_communes_past(client: Client) -> None:
    db.session.commit()
    officer = in_english(client)
    assert log_in(officer, "thuky", DEMO_PASSWORD).status_code == 302
    officer = in_english(officer)
    phu_phung = active("28879")
    collective, people = unit_records(phu_phung)
    assert [(r.unit_name, r.award_name, r.decision_reference) for r in collective] == [
        (
            "Xã Sơn Định",
            "Tập thể tiêu biểu 3 năm thực hiện phong trào thi đua “Đồng khởi mới”",
            "15/QĐ-UBND",
        ),
        ("Xã Phú Phụng", "Giấy khen", "77/QĐ-UBND"),
        ("Xã Sơn Định", "Tập thể lao động tiên tiến", "412/QĐ-UBND"),
    ]
    # The merged communes' past (Xã Phú Phụng's own awards since are on the page too).
    past = [r for r in people if r.year is not None and r.year < 2025]
    assert [(r.nominee_name, r.unit_name, r.year) for r in past] == [
        ("Ấp Sơn Qui", "Ấp Sơn Qui", 2024),
        ("Lê Văn Phúc", "Ấp Phú Hòa", 2023),
        ("Trương Thị Mỹ Linh", "Ấp Sơn Qui", 2023),
        ("Trương Thị Mỹ Linh", "Ấp Sơn Qui", 2022),
        ("Ấp Sơn Qui", "Ấp Sơn Qui", 2022),
    ]
    page = officer.get(f"/history/units/{phu_phung.id}")
    text = page_text(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Xã Sơn Định Collective Tập thể tiêu biểu 3 năm" in text
    assert (
        "Merged into this unit: Xã Phú Phụng (until 30/06/2025), Xã Sơn Định (until 30/06/2025)"
        in text
    )


def test_phu_phung_has_its_emulation_fund_of_2026_and_the_2024_decision_its_amounts() -> None:
    from recognition.decisions.money.compute import MoneyRule
    from recognition.decisions.money.queries import decision_money, fund_status

    status = fund_status(active("28879"), 2026)
    assert status.fund is not None
    assert (status.budget, status.movement_percent, status.reserved) == (
        180_000_000,
        Decimal(20),
        36_000_000,
    )
    district = old("832", "Huyện Chợ Lách")
    decision = db.session.scalars(
        select(Decision).where(Decision.awarding_body_id == district.id)
    ).one()
    money = decision_money(decision)
    # Frozen at issue: the district's own titles carry no reward the decree sets.
    assert money.frozen
    assert [line.amount for line in decision.lines] == [0, 0]
    assert [m.computed.rule for m in money.lines] == [MoneyRule.NO_COEFFICIENT] * 2


def test_the_secretariat_s_dashboard_says_a_reported_target_value_waits(client: Client) -> None:
    db.session.commit()
    officer = in_english(client)
    assert log_in(officer, "thuky", DEMO_PASSWORD).status_code == 302
    officer = in_english(officer)

    text = page_text(officer.get("/dashboard").get_data(as_text=True))

    # CT11's newer value, reported by the commune and left for the secretariat.
    assert "1 reported value of a target waits for your confirmation" in text


def test_phu_phungs_yearly_statistics_have_figures(client: Client) -> None:
    from recognition.statistics.queries import year_statistics

    phu_phung = active("28879")
    stats = year_statistics(phu_phung, 2025)
    own = stats.own  # the commune's own decisions
    tally = own.tally
    assert (own.total, tally.collective, tally.individual, tally.household) == (10, 3, 5, 2)
    assert (own.women.known, own.women.women, own.women.percent) == (5, 3, 60)
    assert (stats.below.total, stats.above.total) == (0, 0)
    assert [(row.name, row.tally.total) for row in own.by_unit] == [
        ("Ấp Phú Hòa", 5),
        ("Ấp Sơn Qui", 4),
        ("Hội Nông dân xã Phú Phụng", 1),
    ]
    # The earlier years hold the dissolved district's awards to the merged communes' units:
    # a higher level's, not the commune's own (imported 2021 - 2023, issued here in 2024).
    assert [(f.year, f.total, f.below, f.above) for f in stats.trend] == [
        (2021, 0, 0, 1),
        (2022, 0, 0, 2),
        (2023, 0, 0, 3),
        (2024, 0, 0, 2),
        (2025, 10, 0, 0),
    ]
    assert stats.amount > 0
    assert [c.name for c in stats.campaigns] == [
        "Tổng kết phong trào thi đua 6 tháng cuối năm 2025"
    ]
    db.session.commit()
    officer = in_english(client)
    assert log_in(officer, "thuky", DEMO_PASSWORD).status_code == 302
    page = officer.get(f"/statistics/bodies/{phu_phung.id}?year=2025")
    assert page.status_code == 200
    text = page_text(page.get_data(as_text=True))
    assert "Emulation and commendation in 2025 Xã Phú Phụng" in text
    current = year_statistics(phu_phung, local_today().year)
    assert current.total == 2 + 6  # the sudden awards and the year-end decision


def test_phu_phungs_decision_of_2026_pays_by_the_decree(client: Client) -> None:
    from recognition.decisions.models import DecisionLine
    from recognition.decisions.money.compute import MoneyRule
    from recognition.decisions.money.payments import payment_list
    from recognition.decisions.money.queries import decision_money, fund_status
    from recognition.ops.demo_decision_2026 import CAMPAIGN

    phu_phung = active("28879")
    # The year-end decision: found by its campaign (the body may issue others in the year).
    decision = db.session.scalars(
        select(Decision)
        .join(DecisionLine)
        .join(Nomination, Nomination.id == DecisionLine.nomination_id)
        .join(Campaign, Campaign.id == Nomination.campaign_id)
        .where(Decision.awarding_body_id == phu_phung.id, Campaign.name == CAMPAIGN)
        .distinct()
    ).one()
    money = decision_money(decision)

    assert (decision.reference.endswith("/QĐ-UBND"), decision.issued_on, decision.state) == (
        True,
        date(2026, 12, 1),
        "issued",
    )
    assert [
        (m.line.recipient, m.line.award_type.code, m.amount, m.computed.rule) for m in money.lines
    ] == [
        ("Lê Văn Phúc", "LDTT", 710_000, MoneyRule.PAID),
        # Two titles of 2026: only the higher is paid.
        ("Trương Thị Mỹ Linh", "LDTT", 0, MoneyRule.NOT_HIGHEST),
        ("Trương Thị Mỹ Linh", "CSTDCS", 2_340_000, MoneyRule.PAID),
        ("Hội Nông dân xã Phú Phụng", "TTLDTT", 1_880_000, MoneyRule.PAID),
        # The decree sets no reward for Gia đình văn hóa: the list says so.
        ("Hộ ông Nguyễn Văn Sáu", "GDVH", 0, MoneyRule.NO_COEFFICIENT),
        ("Ấp Sơn Qui", "APVH", 3_510_000, MoneyRule.PAID),
    ]
    assert [line.amount for line in decision.lines] == [m.amount for m in money.lines]
    assert money.total == 8_440_000
    assert fund_status(phu_phung, 2026).paid >= 8_440_000
    notes = [row.note for row in payment_list(decision).rows]
    assert notes[1] == (
        "Không chi: cùng kỳ đã được thưởng danh hiệu cao hơn (chỉ chi mức cao nhất)"
    )
    assert notes[4] == "Không có mức tiền thưởng theo quy định"

    db.session.commit()
    officer = in_english(client)
    assert log_in(officer, "thuky", DEMO_PASSWORD).status_code == 302
    officer = in_english(officer)
    text = page_text(officer.get(f"/money/funds/{phu_phung.id}?year=2026").get_data(as_text=True))
    paid = fund_status(phu_phung, 2026).paid
    assert f"{paid:,} đ" in text  # in English: 10,560,000 đ


def test_a_persons_history_joins_the_imported_past_and_the_2026_decision(
    client: Client,
) -> None:
    from recognition.history.models import AwardRecord

    record = db.session.scalars(
        select(AwardRecord).where(
            AwardRecord.nominee_name == "Trương Thị Mỹ Linh", AwardRecord.year == 2026
        )
    ).first()
    assert record is not None
    db.session.commit()
    officer = in_english(client)
    assert log_in(officer, "thuky", DEMO_PASSWORD).status_code == 302
    officer = in_english(officer)

    text = page_text(officer.get(f"/history/people/{record.id}").get_data(as_text=True))

    for award in (record.decision_reference, "1604/QĐ-UBND", "1520/QĐ-UBND"):
        assert award in text


def test_phu_phungs_chair_signs_with_the_demo_key() -> None:
    from pathlib import Path

    from flask import current_app

    from recognition.common.signing import SignerKind
    from recognition.ops.demo_signing import DEMO_KEY_FILE

    body = active(PHU_PHUNG)
    settings = settings_for(body)
    folder = Path(current_app.config["SIGNATURE_KEY_DIR"])
    assert (settings.signing_kind, settings.signing_key_file) == (SignerKind.PKCS12, DEMO_KEY_FILE)
    assert (folder / DEMO_KEY_FILE).exists()


def test_the_decision_of_2026_and_its_certificates_are_signed_and_validate(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from flask import current_app

    from recognition.common import storage
    from recognition.common.signature_checks import validate_pdf
    from recognition.common.signing import load_trust_roots
    from recognition.ops.demo_decision_2026 import ISSUED_ON
    from recognition.ops.demo_signing import DEMO_ROOT_FILE

    body = active(PHU_PHUNG)
    decision = db.session.scalars(
        select(Decision).where(
            Decision.awarding_body_id == body.id, Decision.issued_on == ISSUED_ON
        )
    ).one()
    certificates = [line.certificate for line in decision.lines]
    root = Path(current_app.config["SIGNATURE_KEY_DIR"]) / DEMO_ROOT_FILE
    roots = load_trust_roots([str(root)])
    pdfs = [decision.pdf_key] + [c.pdf_key for c in certificates if c is not None]
    reports = [validate_pdf(storage.read_bytes(key or ""), trust_roots=roots) for key in pdfs]

    assert len(pdfs) == 1 + len(decision.lines) == 7
    assert {(r.signer, r.valid, r.revoked) for r in reports} == {
        ("Chủ tịch UBND xã Phú Phụng", True, False)
    }
    first = certificates[0]
    assert first is not None
    db.session.commit()
    monkeypatch.setitem(current_app.config, "SIGNATURE_TRUST_ROOTS", [str(root)])
    page = client.get(
        f"/verify/{first.public_serial}",
        query_string={"c": public_code(first.key_id, first.code)},
    ).get_data(as_text=True)

    assert 'data-signature="valid"' in page
    assert "Chủ tịch UBND xã Phú Phụng" in page_text(page)


def test_phu_phungs_decisions_of_2026_follow_its_register_in_the_order_of_their_dates() -> None:
    """The register goes on from the 1,186 decisions made outside the system, and a later
    number never carries an earlier date."""
    from recognition.ops.demo_decision_2026 import EARLIER_DECISIONS_2026

    phu_phung = active("28879")
    issued = db.session.execute(
        select(Decision.number, Decision.issued_on)
        .where(Decision.awarding_body_id == phu_phung.id, Decision.year == 2026)
        .where(Decision.number.is_not(None))
        .order_by(Decision.number)
    ).all()
    assert issued, "the demo issues decisions of 2026"
    assert issued[0].number == EARLIER_DECISIONS_2026 + 1
    days = [row.issued_on for row in issued]
    assert days == sorted(days), issued
