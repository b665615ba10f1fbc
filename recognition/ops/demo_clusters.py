"""Demo data of the emulation clusters: Chợ Lách's four communes in 2026 (the province's
cluster with its scoring table, each commune's self-score, the scores the cluster meeting agreed,
Xã Hưng Khánh Trung's still to record, and the province's open campaign that the result is
proposed in), and the district's cluster of 2024, locked before its communes merged. Fictional
figures."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignAction
from recognition.campaigns.models import AwardType, Campaign
from recognition.campaigns.services import CampaignData, offer_award, save_campaign
from recognition.campaigns.workflow import apply_campaign_action
from recognition.clusters.enums import OfficerRole
from recognition.clusters.models import Cluster
from recognition.clusters.services import (
    ClusterData,
    CriterionData,
    ScoreEntry,
    add_member,
    appoint_officer,
    lock_result,
    save_agreed_scores,
    save_cluster,
    save_criterion,
    save_self_scores,
)
from recognition.extensions import db
from recognition.units.models import Unit

CLUSTER_NAME = "Cụm thi đua số 5 – các xã khu vực Chợ Lách"
CLUSTER_YEAR = 2026
CAMPAIGN_CLUSTERS = "Phong trào thi đua của các cụm, khối thi đua tỉnh Vĩnh Long năm 2026"

# The table: (code, text, maximum or None for the sum of its sub-items, evidence, sub-items).
TABLE = [
    (
        "I",
        "Công tác tổ chức phong trào thi đua",
        None,
        "",
        [
            ("1.1", "Ban hành kế hoạch phát động thi đua năm", "5", "Kế hoạch, văn bản phát động"),
            ("1.2", "Đăng ký và ký kết giao ước thi đua của cụm", "5", "Bản giao ước có chữ ký"),
            ("1.3", "Sơ kết, tổng kết, nhân rộng điển hình tiên tiến", "10", "Báo cáo sơ kết"),
        ],
    ),
    (
        "II",
        "Thực hiện nhiệm vụ phát triển kinh tế - xã hội",
        None,
        "",
        [
            (
                "2.1",
                "Hoàn thành các chỉ tiêu kinh tế theo nghị quyết",
                "20",
                "Báo cáo kinh tế - xã hội",
            ),
            ("2.2", "Xây dựng nông thôn mới, nông thôn mới kiểu mẫu", "20", "Quyết định công nhận"),
            ("2.3", "Chuyển đổi số, Tổ công nghệ số cộng đồng", "10", "Danh sách tổ, kết quả"),
        ],
    ),
    (
        "III",
        "Công tác khen thưởng",
        None,
        "",
        [
            ("3.1", "Phát hiện, bồi dưỡng, nhân rộng điển hình", "10", "Danh sách điển hình"),
            ("3.2", "Hồ sơ khen thưởng đúng quy định, đúng thời hạn", "10", ""),
        ],
    ),
    ("IV", "Tham gia hoạt động chung của cụm", "10", "Biên bản họp cụm", []),
]
DEDUCTION = ("TR", "Điểm trừ: chậm báo cáo, để xảy ra vi phạm", "5", "Văn bản nhắc nhở")

# The agreed points per line, per commune; the self-scores are a little higher.
AGREED = {
    "28879": ["5", "5", "9.5", "18.5", "19", "9.5", "9.5", "10", "10", "0"],
    "28870": ["5", "5", "10", "19", "18.5", "9", "10", "9.5", "10", "0"],
    "28894": ["5", "4.5", "9", "18", "18", "9", "9", "9", "10", "0.5"],
    "28901": ["5", "5", "8.5", "18", "18.5", "9.5", "9", "9.5", "9.5", "0"],
}
SELF_EXTRA = {"28879": "0", "28870": "0.5", "28894": "0.5", "28901": "0.5"}
VOTES = {"28879": 4, "28870": 3, "28894": 2}


def _table(cluster: Cluster, actor: User) -> list[str]:
    lines = []
    for code, text, maximum, evidence, items in TABLE:
        data = CriterionData(
            code=code, text=text, max_points=Decimal(maximum or 0), evidence_note=evidence
        )
        criterion = save_criterion(cluster, None, data, actor=actor)
        if not items:
            lines.append(code)
        for item_code, item_text, item_max, item_evidence in items:
            item = CriterionData(
                code=item_code,
                text=item_text,
                max_points=Decimal(item_max),
                evidence_note=item_evidence,
                parent=criterion,
            )
            save_criterion(cluster, None, item, actor=actor)
            lines.append(item_code)
    code, text, maximum, evidence = DEDUCTION
    deduction = CriterionData(
        code=code, text=text, max_points=Decimal(maximum), evidence_note=evidence, is_deduction=True
    )
    save_criterion(cluster, None, deduction, actor=actor)
    return [*lines, code]


def _self_points(agreed: str, line_max: Decimal, extra: str) -> str:
    return str(min(Decimal(agreed) + Decimal(extra), line_max)) if agreed != "0" else "0"


def seed_cluster(province: Unit, people: dict[str, User], communes: dict[str, Unit]) -> Cluster:
    """The cluster of Chợ Lách's four communes in 2026, led by Xã Phú Phụng."""
    found = db.session.scalar(
        select(Cluster).where(Cluster.awarding_body_id == province.id, Cluster.name == CLUSTER_NAME)
    )
    if found is not None:
        return found
    secretariat = people["tinh.thuky"]
    cluster = save_cluster(
        None,
        ClusterData(
            name=CLUSTER_NAME, year=CLUSTER_YEAR, tie_breaks=("criterion:II", "deductions", "votes")
        ),
        awarding_body=province,
        actor=secretariat,
    )
    for code in AGREED:
        add_member(cluster, communes[code], actor=secretariat)
    # Appointed from the start of the year until the next rotation.
    for code, role in (("28879", OfficerRole.LEAD), ("28870", OfficerRole.DEPUTY)):
        appoint_officer(
            cluster,
            communes[code],
            role,
            valid_from=date(CLUSTER_YEAR, 1, 1),
            valid_to=None,
            actor=secretariat,
        )
    codes = _table(cluster, secretariat)
    lines = {line.code: line for line in cluster.criteria}
    scorers = {
        "28879": "thuky",
        "28870": "cholach.thuky",
        "28894": "vinhthanh.thuky",
        "28901": "hkt.thuky",
    }
    members = {m.unit.code: m for m in cluster.members}
    for unit_code, points in AGREED.items():
        member = members[unit_code]
        own = {
            lines[c].id: ScoreEntry(
                points=_self_points(p, lines[c].max_points, SELF_EXTRA[unit_code]),
                note="Theo báo cáo kết quả năm 2026",
                evidence=lines[c].evidence_note,
            )
            for c, p in zip(codes, points, strict=True)
        }
        save_self_scores(member, own, actor=people[scorers[unit_code]])
        if unit_code in VOTES:  # Xã Hưng Khánh Trung's scores are still to be agreed
            agreed = {lines[c].id: ScoreEntry(points=p) for c, p in zip(codes, points, strict=True)}
            save_agreed_scores(member, agreed, votes=VOTES[unit_code], actor=people["thuky"])
    return cluster


def seed_cluster_campaign(
    province: Unit, awards: dict[str, AwardType], secretariat: User, today: date
) -> Campaign:
    """The province's open campaign in which the clusters propose their leading units."""
    campaign = db.session.scalar(
        select(Campaign).where(
            Campaign.awarding_body_id == province.id, Campaign.name == CAMPAIGN_CLUSTERS
        )
    )
    if campaign is not None:
        return campaign
    campaign = save_campaign(
        None,
        CampaignData(
            name=CAMPAIGN_CLUSTERS,
            directive_reference="Hướng dẫn tổ chức hoạt động các cụm, khối thi đua năm 2026 của "
            "Hội đồng Thi đua - Khen thưởng tỉnh Vĩnh Long",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            opens_on=today,
            closes_on=today + timedelta(60),
        ),
        awarding_body=province,
    )
    for code in ("CO-THI-DUA", "BK-TT"):
        offer_award(campaign, awards[code], quota=None)
    apply_campaign_action(campaign, CampaignAction.OPEN, actor=secretariat)
    return campaign


CLUSTER_2024 = "Cụm thi đua số 2 – các xã phía Đông huyện Chợ Lách"
# The district's 2024 table and the agreed points of its four communes (old codes).
TABLE_2024 = [
    ("1", "Tổ chức phong trào thi đua “Đồng khởi mới”", "40"),
    ("2", "Thực hiện chỉ tiêu nghị quyết năm 2024", "40"),
    ("3", "Công tác khen thưởng và nhân rộng điển hình", "20"),
]
AGREED_2024 = {
    "28873": ["37", "36.5", "18"],
    "28876": ["38", "37", "19"],
    "28879": ["35", "36", "17.5"],
    "28888": ["36", "35.5", "18"],
}


def seed_cluster_2024(old: dict[str, Unit], secretariat: User) -> Cluster:
    """Chợ Lách district's cluster of 2024, scored and locked before the district ended: the
    communes merged in 2025 carry these results to their successors."""
    district = old["832"]
    found = db.session.scalar(
        select(Cluster).where(Cluster.awarding_body_id == district.id, Cluster.name == CLUSTER_2024)
    )
    if found is not None:
        return found
    cluster = save_cluster(
        None, ClusterData(name=CLUSTER_2024, year=2024), awarding_body=district, actor=secretariat
    )
    for code in AGREED_2024:
        add_member(cluster, old[code], actor=secretariat)
    appoint_officer(
        cluster,
        old["28876"],
        OfficerRole.LEAD,
        valid_from=date(2024, 1, 1),
        valid_to=date(2024, 12, 31),
        actor=secretariat,
    )
    lines = [
        save_criterion(
            cluster,
            None,
            CriterionData(code=code, text=text, max_points=Decimal(maximum)),
            actor=secretariat,
        )
        for code, text, maximum in TABLE_2024
    ]
    members = {m.unit.code: m for m in cluster.members}
    for code, points in AGREED_2024.items():
        entries = {line.id: ScoreEntry(points=p) for line, p in zip(lines, points, strict=True)}
        save_agreed_scores(members[code], entries, votes=None, actor=secretariat)
    lock_result(cluster, actor=secretariat)
    return cluster
