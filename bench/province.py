"""A province's worth of data for the page benchmark (bench/pages.py).

The demo (Vĩnh Long and the four communes of former Chợ Lách district) is loaded through the
services; then `grow_to(n)` adds communes with hamlets and teams, their accounts, councils,
catalogues (through `seed_level_catalogue`) and campaigns, and dossiers in every state with
their criteria answers, snapshots, attachment rows, audit events (a chain that verifies),
notifications, decisions and certificates, written in bulk with explicit ids so that 100,000
dossiers take minutes, not hours. About 40 % of the dossiers go to the province's campaigns
(the province secretariat's inbox), the rest to the communes' own.

Certificates carry random verification codes (the bench reads lists; it does not verify) and no
stored PDF.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.auth.passwords import hash_password
from recognition.campaigns.defaults import seed_level_catalogue
from recognition.campaigns.models import Campaign, CampaignAward
from recognition.certificates.models import Certificate
from recognition.common.audit import GENESIS, AuditEvent, AuditHead, ObjectKind, event_digest
from recognition.common.numbering import Counter
from recognition.common.text import fold, sort_string
from recognition.council.models import CouncilMember
from recognition.decisions.models import Decision, DecisionLine
from recognition.extensions import db
from recognition.nominations.models import (
    Attachment,
    CriterionAnswer,
    Nomination,
    NominationReport,
    NominationSnapshot,
)
from recognition.notifications.models import Notification
from recognition.ops.demo import DEMO_PASSWORD, seed_demo
from recognition.units.models import Unit
from recognition.units.settings import stored_settings

HAMLETS_PER_COMMUNE = 15
COMMUNES = 124
MEMBERS_PER_COUNCIL = 7
PROVINCE_SHARE = 0.4
BATCH = 5_000
REPORT_TEXTS = (
    "summary",
    "report_general",
    "report_achievements",
    "report_criteria",
    "report_commendations",
)
UTC_START = datetime(2025, 7, 1, tzinfo=UTC)

FIRST = [
    "Tân",
    "Phú",
    "An",
    "Long",
    "Bình",
    "Hòa",
    "Mỹ",
    "Thạnh",
    "Hưng",
    "Phước",
    "Vĩnh",
    "Đông",
    "Tây",
    "Nhơn",
    "Lương",
    "Hiếu",
    "Trung",
    "Thành",
    "Quới",
    "Song",
]
SECOND = [
    "Hòa",
    "Thuận",
    "Lợi",
    "Định",
    "Phú",
    "Khánh",
    "Thới",
    "Hiệp",
    "Xuân",
    "Lộc",
    "An",
    "Bình",
    "Mỹ",
    "Đức",
    "Nghĩa",
    "Tín",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Thị Kim", "Hữu", "Thị Thu"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Em",
    "Giang",
    "Hà",
    "Hùng",
    "Khoa",
    "Lan",
    "Mai",
    "Nam",
    "Oanh",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
]

# Open campaign (2026): where each dossier stands; closed campaign (2025): how it ended.
OPEN_STATES = [
    ("draft", 20),
    ("submitted", 18),
    ("in_review", 10),
    ("returned", 6),
    ("accepted", 10),
    ("on_agenda", 6),
    ("passed", 10),
    ("awarded", 15),
    ("rejected", 3),
    ("withdrawn", 2),
]
CLOSED_STATES = [
    ("awarded", 70),
    ("rejected", 10),
    ("failed", 8),
    ("withdrawn", 7),
    ("annulled", 5),
]
# The transitions each final state went through, for the audit log.
PATHS = {
    "draft": ["create"],
    "submitted": ["create", "submit"],
    "in_review": ["create", "submit", "take"],
    "returned": ["create", "submit", "take", "send_back"],
    "accepted": ["create", "submit", "take", "accept"],
    "rejected": ["create", "submit", "take", "reject"],
    "withdrawn": ["create", "submit", "withdraw"],
    "on_agenda": ["create", "submit", "take", "accept", "schedule"],
    "passed": ["create", "submit", "take", "accept", "schedule", "pass"],
    "failed": ["create", "submit", "take", "accept", "schedule", "fail"],
    "awarded": ["create", "submit", "take", "accept", "schedule", "pass", "award"],
    "annulled": ["create", "submit", "take", "accept", "schedule", "pass", "award", "annul"],
}
STATE_AFTER = {
    "create": "draft",
    "submit": "submitted",
    "take": "in_review",
    "send_back": "returned",
    "accept": "accepted",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "schedule": "on_agenda",
    "pass": "passed",
    "fail": "failed",
    "award": "awarded",
    "annul": "annulled",
}
REPORT = (
    "Năm {year}, {name} đã hoàn thành xuất sắc nhiệm vụ được giao, tích cực tham gia phong trào "
    "thi đua “Vĩnh Long chung sức xây dựng nông thôn mới”, hướng dẫn người dân sử dụng dịch vụ "
    "công trực tuyến, thanh toán không dùng tiền mặt và ứng dụng VNeID. "
)


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([s for s, _ in weighted], [w for _, w in weighted])[0]


def _next_id(model: Any) -> int:
    return int(db.session.scalar(select(func.coalesce(func.max(model.id), 0)))) + 1


def _bulk(model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


@dataclass
class Body:
    """An awarding body of the grown province and what its dossiers need."""

    unit_id: int
    code: str
    name: str
    secretariat_id: int
    chair_id: int
    nominators: list[tuple[int, int]]  # (user id, hamlet id)
    awards: list[tuple[int, bool, list[int]]] = field(default_factory=list)
    campaigns: dict[int, int] = field(default_factory=dict)  # year -> campaign id


class Province:
    """The grown province, kept between sizes so that each size adds to the last."""

    def __init__(self, seed: int = 20261205) -> None:
        self.rng = random.Random(seed)
        self.bodies: list[Body] = []
        self.province: Body | None = None
        self.dossiers = 0
        self.head = GENESIS
        self.clock = UTC_START
        self._pending_counters: dict[tuple[int, int, str], int] = {}

    # --- the tree, the people and the catalogues ---------------------------------------------

    def build_base(self) -> None:
        """The demo through the services, then the other communes of the province."""
        seed_demo()
        db.session.commit()
        province = db.session.scalars(select(Unit).where(Unit.code == "86")).one()
        password = hash_password(DEMO_PASSWORD)
        existing = list(
            db.session.scalars(
                select(Unit).where(
                    Unit.parent_id == province.id, Unit.is_awarding_body, Unit.is_active
                )
            )
        )
        names = [f"{a} {b}" for a in FIRST for b in SECOND]
        self.rng.shuffle(names)
        unit_id, user_id, grant_id, member_id = (
            _next_id(Unit),
            _next_id(User),
            _next_id(RoleGrant),
            _next_id(CouncilMember),
        )
        units: list[dict[str, Any]] = []
        users: list[dict[str, Any]] = []
        grants: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        new_bodies: list[Body] = []

        def person(username: str, role: Role, unit: int) -> int:
            nonlocal user_id, grant_id
            name = self._person_name()
            users.append(
                {
                    "id": user_id,
                    "username": username,
                    "full_name": name,
                    "full_name_folded": fold(name),
                    "full_name_sort": sort_string(name),
                    "password_hash": password,
                    "locale": "vi",
                    "email": f"{username}@bench.vinhlong.gov.vn",
                }
            )
            grants.append({"id": grant_id, "user_id": user_id, "unit_id": unit, "role": role.value})
            user_id += 1
            grant_id += 1
            return user_id - 1

        def unit(
            name: str,
            kind: str,
            parent: Unit | dict[str, Any],
            code: str | None,
            body: bool = False,
        ) -> dict[str, Any]:
            nonlocal unit_id
            parent_path = parent.path if isinstance(parent, Unit) else parent["path"]
            parent_depth = parent.depth if isinstance(parent, Unit) else parent["depth"]
            row = {
                "id": unit_id,
                "name": name,
                "name_folded": fold(name),
                "name_sort": sort_string(name),
                "kind": kind,
                "code": code,
                "parent_id": parent.id if isinstance(parent, Unit) else parent["id"],
                "path": f"{parent_path}{unit_id}/",
                "depth": parent_depth + 1,
                "valid_from": date(2025, 7, 1),
                "is_awarding_body": body,
            }
            units.append(row)
            unit_id += 1
            return row

        for number in range(COMMUNES - len(existing)):
            commune = unit(f"Xã {names[number]}", "commune", province, f"{29000 + number}", True)
            hamlets = [
                unit(
                    f"Ấp {names[(number + h * 7 + 1) % len(names)].split()[1]} {h + 1}",
                    "hamlet",
                    commune,
                    None,
                )
                for h in range(HAMLETS_PER_COMMUNE)
            ]
            unit(f"Tổ công nghệ số cộng đồng {commune['name']}", "team", commune, None)
            tag = f"x{commune['code']}"
            secretariat = person(f"{tag}.thuky", Role.SECRETARIAT, commune["id"])
            chair = person(f"{tag}.chutich", Role.CHAIR, commune["id"])
            for seat in range(MEMBERS_PER_COUNCIL):
                member = person(f"{tag}.hoidong{seat + 1}", Role.COUNCIL_MEMBER, commune["id"])
                members.append(
                    {
                        "id": member_id,
                        "awarding_body_id": commune["id"],
                        "user_id": member,
                        "term_start": date(2025, 7, 1),
                    }
                )
                member_id += 1
            nominators = [
                (person(f"{tag}.ap{i + 1}", Role.NOMINATOR, h["id"]), h["id"])
                for i, h in enumerate(hamlets)
            ]
            new_bodies.append(
                Body(
                    commune["id"], commune["code"], commune["name"], secretariat, chair, nominators
                )
            )
        _bulk(Unit, units)
        _bulk(User, users)
        _bulk(RoleGrant, grants)
        _bulk(CouncilMember, members)
        db.session.flush()

        # The demo's communes and the province, with the people the demo gave them.
        for body_unit in [*existing, province]:
            holders = self._holders(body_unit)
            hamlets = list(
                db.session.scalars(
                    select(Unit.id).where(
                        Unit.path.startswith(body_unit.path), Unit.kind == "hamlet", Unit.is_active
                    )
                )
            )
            nominator_grants = db.session.execute(
                select(RoleGrant.user_id, RoleGrant.unit_id)
                .join(Unit, Unit.id == RoleGrant.unit_id)
                .where(RoleGrant.role == Role.NOMINATOR.value, Unit.path.startswith(body_unit.path))
            ).all()
            nominators = [(u, h) for u, h in nominator_grants] or [
                (holders[Role.SECRETARIAT], h) for h in hamlets
            ]
            body = Body(
                body_unit.id,
                body_unit.code or "",
                body_unit.name,
                holders[Role.SECRETARIAT],
                holders[Role.CHAIR],
                nominators,
            )
            if body_unit.id == province.id:
                self.province = body
            else:
                new_bodies.insert(0, body)
        self.bodies = new_bodies
        # Every commune's hamlet heads also nominate to the province.
        assert self.province is not None
        self.province.nominators = [n for b in self.bodies for n in b.nominators]

        for body in [*self.bodies, self.province]:
            body_unit = db.session.get(Unit, body.unit_id)
            assert body_unit is not None
            stored_settings(body_unit)
            catalogue = seed_level_catalogue(body_unit, on=date(2025, 7, 1))
            for award in catalogue.values():
                criteria = [c.id for c in award.criteria]
                body.awards.append((award.id, award.for_units, criteria))
        db.session.flush()
        self._campaigns()
        self.head = (
            db.session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1)) or GENESIS
        )
        db.session.commit()

    def _holders(self, body_unit: Unit) -> dict[Role, int]:
        found: dict[Role, int] = {}
        for role in (Role.SECRETARIAT, Role.CHAIR):
            user = db.session.scalar(
                select(RoleGrant.user_id)
                .where(RoleGrant.unit_id == body_unit.id, RoleGrant.role == role.value)
                .limit(1)
            )
            found[role] = user or 1
        return found

    def _campaigns(self) -> None:
        rows: list[dict[str, Any]] = []
        offers: list[dict[str, Any]] = []
        campaign_id = _next_id(Campaign)
        offer_id = _next_id(CampaignAward)
        for body in [*self.bodies, self.province]:
            assert body is not None
            for year, status, opens, closes in (
                (2025, "closed", date(2025, 8, 1), date(2025, 11, 30)),
                (2026, "open", date(2026, 3, 1), date(2027, 3, 5)),
            ):
                name = f"Phong trào thi đua “Chung sức xây dựng nông thôn mới” năm {year}"
                rows.append(
                    {
                        "id": campaign_id,
                        "awarding_body_id": body.unit_id,
                        "name": name,
                        "name_folded": fold(name),
                        "name_sort": sort_string(name),
                        "period_start": date(year, 1, 1),
                        "period_end": date(year, 12, 31),
                        "opens_on": opens,
                        "closes_on": closes,
                        "status": status,
                    }
                )
                for award_id, _, _ in body.awards:
                    offers.append(
                        {"id": offer_id, "campaign_id": campaign_id, "award_type_id": award_id}
                    )
                    offer_id += 1
                body.campaigns[year] = campaign_id
                campaign_id += 1
        _bulk(Campaign, rows)
        _bulk(CampaignAward, offers)

    def _person_name(self) -> str:
        rng = self.rng
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    # --- dossiers and everything around them ---------------------------------------------------

    def _tick(self) -> datetime:
        self.clock += timedelta(seconds=self.rng.randint(20, 200))
        return self.clock

    def _audit(self, rows: list[dict[str, Any]], event: dict[str, Any]) -> None:
        digest_input = _Event(**event, prev_hash=self.head)
        event["prev_hash"] = self.head
        event["hash"] = event_digest(digest_input)  # type: ignore[arg-type]
        event["subject_folded"] = fold(event["subject"])[:300]
        event["object_kind"] = event["object_kind"].value
        self.head = event["hash"]
        rows.append(event)

    def grow_to(self, total: int) -> int:
        """Add dossiers until the province holds `total`; returns how many were added."""
        assert self.province is not None
        wanted = total - self.dossiers
        if wanted <= 0:
            return 0
        rng = self.rng
        ids = {
            m: _next_id(m)
            for m in (
                Nomination,
                CriterionAnswer,
                NominationSnapshot,
                Attachment,
                AuditEvent,
                Notification,
                Decision,
                DecisionLine,
                Certificate,
            )
        }
        rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in ids}
        awarded: dict[tuple[int, int, bool], list[dict[str, Any]]] = {}
        for _ in range(wanted):
            body = self.province if rng.random() < PROVINCE_SHARE else rng.choice(self.bodies)
            year = 2026 if rng.random() < 0.55 else 2025
            state = _pick(rng, OPEN_STATES if year == 2026 else CLOSED_STATES)
            award_id, for_units, criteria = rng.choice(body.awards)
            nominator, hamlet = rng.choice(body.nominators)
            nid = ids[Nomination]
            ids[Nomination] += 1
            created = self._tick()
            if for_units:
                nominee = f"Ấp {rng.choice(SECOND)} {rng.randint(1, 15)}"
                person: dict[str, Any] = {"nominee_unit_id": hamlet}
            else:
                nominee = self._person_name()
                person = {
                    "person_name": nominee,
                    "person_position": "Hội viên",
                    "person_unit_id": hamlet,
                    "person_birth_year": rng.randint(1960, 2000),
                    "person_gender": rng.choice(["male", "female"]),
                }
            report = REPORT.format(year=year, name=nominee)
            submitted = state != "draft"
            row = {
                "id": nid,
                "campaign_id": body.campaigns[year],
                "award_type_id": award_id,
                "nominating_unit_id": hamlet,
                **person,
                "nominee_name": nominee,
                "nominee_folded": fold(nominee),
                "nominee_sort": sort_string(nominee),
                "nominee_key": f"{fold(nominee)}|{hamlet}|{nid}",
                "summary": report[:300],
                "report_general": report,
                "report_achievements": report * 3,
                "report_criteria": report * 2,
                "report_commendations": "Giấy khen của Chủ tịch UBND xã năm 2024.",
                "state": state,
                "version": len(PATHS[state]),
                "created_by_id": nominator,
                "created_at": created,
                "updated_at": created,
                "reference": f"HS-{year}-{nid:06d}" if submitted else None,
                "submitted_at": created + timedelta(days=1) if submitted else None,
                "withdrawn_at": created + timedelta(days=2) if state == "withdrawn" else None,
            }
            rows[Nomination].append(row)
            answers = {}
            for criterion in criteria:
                rows[CriterionAnswer].append(
                    {
                        "id": ids[CriterionAnswer],
                        "nomination_id": nid,
                        "criterion_id": criterion,
                        "met": True,
                        "text": "Đạt",
                        "evidence_note": "Báo cáo tổng kết năm",
                    }
                )
                answers[str(criterion)] = {"met": True, "evidence_note": "Báo cáo tổng kết năm"}
                ids[CriterionAnswer] += 1
            sha = hashlib.sha256(f"{nid}".encode()).hexdigest()
            rows[Attachment].append(
                {
                    "id": ids[Attachment],
                    "nomination_id": nid,
                    "original_name": "Báo cáo thành tích.pdf",
                    "storage_key": f"bench/{sha[:32]}",
                    "content_type": "application/pdf",
                    "size_bytes": 245_760,
                    "sha256": sha,
                    "uploaded_by_id": nominator,
                    "created_at": created,
                }
            )
            ids[Attachment] += 1
            rounds = (2 if state != "returned" and rng.random() < 0.1 else 1) if submitted else 0
            for number in range(rounds):
                rows[NominationSnapshot].append(
                    {
                        "id": ids[NominationSnapshot],
                        "nomination_id": nid,
                        "round": number + 1,
                        "data": {
                            "version": 2,
                            "fields": {"nominee_name": nominee, "summary": row["summary"]},
                            "answers": answers,
                            "files": [],
                        },
                        "created_at": created + timedelta(days=1),
                    }
                )
                ids[NominationSnapshot] += 1
            before = ""
            subject = " · ".join(p for p in (row["reference"], nominee) if p)
            for step, action in enumerate(PATHS[state]):
                after = STATE_AFTER[action]
                actor = (
                    nominator if action in ("create", "submit", "withdraw") else body.secretariat_id
                )
                self._audit(
                    rows[AuditEvent],
                    {
                        "id": ids[AuditEvent],
                        "object_kind": ObjectKind.NOMINATION,
                        "object_id": nid,
                        "subject": subject,
                        "actor_id": actor,
                        "action": action,
                        "from_state": before,
                        "to_state": after,
                        "comment": "Đề nghị bổ sung số liệu theo từng quý."
                        if action == "send_back"
                        else "",
                        "version": step + 1,
                        "created_at": self._tick(),
                    },
                )
                ids[AuditEvent] += 1
                before = after
                if action in ("submit", "send_back", "accept", "award"):
                    told = body.secretariat_id if action == "submit" else nominator
                    rows[Notification].append(
                        {
                            "id": ids[Notification],
                            "user_id": told,
                            "text": f"Hồ sơ {subject}: {action}",
                            "link": f"/nominations/{nid}",
                            "created_at": self.clock,
                            "read_at": self.clock if rng.random() < 0.7 else None,
                        }
                    )
                    ids[Notification] += 1
            if state in ("awarded", "annulled"):
                awarded.setdefault((body.unit_id, year, state == "annulled"), []).append(row)
        self._decisions(awarded, ids, rows)
        # The report's texts go in their own table, one row per dossier.
        rows[NominationReport] = [
            {"nomination_id": row["id"], **{name: row.pop(name) for name in REPORT_TEXTS}}
            for row in rows[Nomination]
        ]
        for model in (
            Nomination,
            NominationReport,
            CriterionAnswer,
            NominationSnapshot,
            Attachment,
            AuditEvent,
            Notification,
            Decision,
            DecisionLine,
            Certificate,
        ):
            _bulk(model, rows[model])
        db.session.execute(
            update(AuditHead)
            .where(AuditHead.id == 1)
            .values(last_hash=self.head, last_event_id=ids[AuditEvent] - 1)
        )
        self._counters()
        db.session.commit()
        self.dossiers = total
        return wanted

    def _decisions(
        self,
        awarded: dict[tuple[int, int, bool], list[dict[str, Any]]],
        ids: dict[Any, int],
        rows: dict[Any, list[dict[str, Any]]],
    ) -> None:
        """Awarded dossiers in issued decisions of up to 60 lines, each line with its
        certificate; annulled dossiers in annulled decisions, their certificates revoked."""
        for (body_id, year, annulled), dossiers in sorted(awarded.items()):
            number = self._counter(body_id, year, "decision")
            serial = self._counter(body_id, year, "golden_book")
            code = next(b.code for b in [*self.bodies, self.province] if b and b.unit_id == body_id)
            for start in range(0, len(dossiers), 60):
                number += 1
                did = ids[Decision]
                ids[Decision] += 1
                issued = date(year, 12, 1) if year == 2025 else date(2026, 11, 20)
                moment = datetime(issued.year, issued.month, issued.day, tzinfo=UTC)
                rows[Decision].append(
                    {
                        "id": did,
                        "awarding_body_id": body_id,
                        "title": "Về việc tặng Giấy khen",
                        "signer_title": "CHỦ TỊCH",
                        "signer_name": "Trần Văn Minh",
                        "state": "annulled" if annulled else "issued",
                        "year": year,
                        "number": number,
                        "reference": f"{number}/QĐ-UBND",
                        "issued_on": issued,
                        "created_at": moment,
                        "issued_at": moment,
                        "annulled_at": moment + timedelta(days=30) if annulled else None,
                        "annul_reason": "Hồ sơ kê khai không trung thực." if annulled else "",
                    }
                )
                for position, dossier in enumerate(dossiers[start : start + 60], start=1):
                    lid = ids[DecisionLine]
                    ids[DecisionLine] += 1
                    rows[DecisionLine].append(
                        {
                            "id": lid,
                            "decision_id": did,
                            "nomination_id": dossier["id"],
                            "award_type_id": dossier["award_type_id"],
                            "position": position,
                            "recipient": dossier["nominee_name"],
                            "detail": "Hội viên",
                            "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua",
                        }
                    )
                    serial += 1
                    rows[Certificate].append(
                        {
                            "id": ids[Certificate],
                            "line_id": lid,
                            "awarding_body_id": body_id,
                            "year": year,
                            "serial": serial,
                            "public_serial": f"{code or body_id}-{year}-{serial:05d}",
                            "key_id": "bench",
                            "code": hashlib.md5(f"{lid}".encode()).hexdigest(),
                            "state": "revoked" if annulled else "valid",
                            "created_at": moment,
                            "revoked_at": moment + timedelta(days=30) if annulled else None,
                        }
                    )
                    ids[Certificate] += 1
            self._pending_counters[(body_id, year, "decision")] = number
            self._pending_counters[(body_id, year, "golden_book")] = serial

    def _counter(self, unit_id: int, year: int, kind: str) -> int:
        if (unit_id, year, kind) in self._pending_counters:
            return self._pending_counters[(unit_id, year, kind)]
        counter = db.session.get(Counter, (unit_id, year, kind))
        return counter.value if counter else 0

    def _counters(self) -> None:
        for (unit_id, year, kind), value in self._pending_counters.items():
            counter = db.session.get(Counter, (unit_id, year, kind))
            if counter is None:
                db.session.add(Counter(unit_id=unit_id, year=year, kind=kind, value=value))
            else:
                counter.value = value
        self._pending_counters = {}
        db.session.flush()


@dataclass
class _Event:
    """What `event_digest` reads of an audit event."""

    id: int
    object_kind: ObjectKind
    object_id: int
    subject: str
    actor_id: int | None
    action: str
    from_state: str
    to_state: str
    comment: str
    version: int | None
    created_at: datetime
    prev_hash: str


def analyse() -> None:
    """Fresh planner statistics after a bulk load."""
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))


def sizes(spec: str) -> Iterator[int]:
    for part in spec.split(","):
        part = part.strip().lower()
        yield (
            int(float(part[:-1]) * 1000)
            if part.endswith("k")
            else int(float(part[:-1]) * 1_000_000)
            if part.endswith("m")
            else int(part)
        )


__all__ = ["Province", "analyse", "sizes"]
