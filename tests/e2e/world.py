"""Objects for browser tests, made through the services in the live server's database: the
open demo campaign's dossiers from Ấp Sơn Qui (people of the hamlet, and the hamlet as a model
smart hamlet) at every stage a page shows, with their council sessions, decisions, a certificate
and a print job. Nominees are chosen apart from test_full_cycle's, which runs on the same
server; the rules the stages rely on are set on the award types, whatever the catalogue says.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.enums import CampaignStatus, MeasureKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.certificates.codes import public_code
from recognition.certificates.models import PrintJob
from recognition.certificates.print_jobs import run_print_job, start_print_job
from recognition.clusters.models import Cluster
from recognition.council import services as council
from recognition.council.enums import Choice, SessionKind
from recognition.council.models import CouncilSession
from recognition.database import local_today
from recognition.decisions import services as decisions
from recognition.extensions import db
from recognition.history.models import AwardRecord
from recognition.honours.services import PhotoUpload, publish_entry
from recognition.nominations.attachments import add_attachment
from recognition.nominations.enums import Action, HoldKind
from recognition.nominations.holds import hold_nomination
from recognition.nominations.models import Nomination
from recognition.nominations.queries import snapshots_of
from recognition.nominations.services import (
    Answer,
    Nominee,
    Report,
    create_nomination,
    update_nomination,
)
from recognition.nominations.workflow import apply_transition
from recognition.ops.demo_clusters import CLUSTER_NAME
from recognition.ops.demo_honours import illustration
from recognition.registration.models import RegistrationCall
from recognition.review.services import Verdict, record_appraisal
from recognition.targets.models import Target
from recognition.units.models import Unit

HAMLET = "Ấp Sơn Qui"
# Giấy khen for a person: the commendation most dossiers of the world are for.
PERSON = "GK-CN"
# A model title, posted publicly before its decision.
MODEL = "AP-NTM-TM"

# One page: the upload check opens the PDF and refuses a document without pages.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _unit(name: str, *, active: bool = False) -> Unit:
    """The unit of this name (the one in use, when a merged unit had the same name)."""
    query = select(Unit).where(Unit.name == name)
    unit = db.session.scalars(query.where(Unit.is_active) if active else query).one()
    assert unit is not None
    return unit


def open_campaign(body: Unit) -> Campaign:
    """The body's one open campaign in the demo."""
    return db.session.scalars(
        select(Campaign).where(
            Campaign.awarding_body_id == body.id, Campaign.status == CampaignStatus.OPEN
        )
    ).one()


def _answer(measure: str) -> Answer:
    if measure == MeasureKind.YES_NO.value:
        return Answer(met=True, evidence_note="Báo cáo tổng kết năm")
    if measure == MeasureKind.NUMBER.value:
        return Answer(value=Decimal(100), evidence_note="Báo cáo tổng kết năm")
    return Answer(text="Mô hình “Ấp số - Dân thông thái”", evidence_note="Báo cáo tổng kết năm")


def _award(campaign: Campaign, code: str) -> AwardType:
    award = db.session.scalar(
        select(AwardType).where(
            AwardType.awarding_body_id == campaign.awarding_body_id, AwardType.code == code
        )
    )
    assert award is not None
    return award


def _dossier(campaign: Campaign, code: str, nominee: str, nominator: User) -> Nomination:
    """A draft for `nominee` (the hamlet, for a collective award, or a person of it), its report
    and every criterion answered."""
    award = _award(campaign, code)
    hamlet = _unit(HAMLET)
    who = (
        Nominee(unit=_unit(nominee))
        if award.for_units
        else Nominee(person_name=nominee, person_position="Hội viên", person_unit=hamlet)
    )
    nomination = create_nomination(campaign, award, who, actor=nominator)
    answers = {c.id: _answer(c.measure) for c in award.criteria}
    report = Report(
        summary="Hoàn thành xuất sắc nhiệm vụ năm 2024.",
        general="Ấp có 412 hộ, Chi bộ và Ban nhân dân ấp hoạt động đều.",
        achievements="Hướng dẫn 612 lượt người dân dùng dịch vụ công trực tuyến.",
        criteria="Đạt toàn bộ tiêu chí của danh hiệu.",
        commendations="Năm 2023: Giấy khen của Chủ tịch UBND xã.",
    )
    update_nomination(nomination, report, answers, actor=nominator)
    return nomination


def _accept(nomination: Nomination, nominator: User, secretariat: User) -> None:
    apply_transition(nomination, Action.SUBMIT, actor=nominator)
    apply_transition(nomination, Action.TAKE, actor=secretariat)
    verdicts = {c.id: Verdict(agree=True) for c in nomination.award_type.criteria}
    record_appraisal(nomination, verdicts, actor=secretariat)
    apply_transition(nomination, Action.ACCEPT, actor=secretariat)


def _session(
    body: Unit, nominations: list[Nomination], secretariat: User, title: str
) -> CouncilSession:
    """A meeting today with `nominations` on its agenda, every member present, vote open."""
    session = council.create_session(
        body, council.SessionData(title=title, kind=SessionKind.MEETING, held_on=local_today())
    )
    council.add_to_agenda(session, nominations, actor=secretariat)
    council.set_attendance(session, {a.member_id: "present" for a in session.attendance})
    council.open_vote(session, actor=secretariat)
    return session


@dataclass(frozen=True)
class Cast:
    nominator: User
    secretariat: User
    chair: User
    body: Unit
    campaign: Campaign


def _in_review(cast: Cast) -> Nomination:
    """Submitted, sent back, corrected, resubmitted and taken again: in its second round."""
    nomination = _dossier(cast.campaign, PERSON, "Trần Thị Bích", cast.nominator)
    apply_transition(nomination, Action.SUBMIT, actor=cast.nominator)
    apply_transition(nomination, Action.TAKE, actor=cast.secretariat)
    apply_transition(
        nomination,
        Action.SEND_BACK,
        actor=cast.secretariat,
        comment="Đề nghị bổ sung số liệu cụ thể theo từng quý.",
    )
    update_nomination(
        nomination,
        Report(
            summary="Hướng dẫn 612 lượt người dân (quý I: 120, quý II: 151).",
            achievements="Hướng dẫn 612 lượt người dân dùng dịch vụ công trực tuyến.",
        ),
        {},
        actor=cast.nominator,
    )
    apply_transition(nomination, Action.RESUBMIT, actor=cast.nominator)
    apply_transition(nomination, Action.TAKE, actor=cast.secretariat)
    return nomination


def _held(cast: Cast) -> Nomination:
    """In appraisal, held while the nominee's work is inspected (NĐ 152/2025/NĐ-CP art. 4)."""
    nomination = _dossier(cast.campaign, PERSON, "Võ Văn Hùng", cast.nominator)
    apply_transition(nomination, Action.SUBMIT, actor=cast.nominator)
    apply_transition(nomination, Action.TAKE, actor=cast.secretariat)
    hold_nomination(
        nomination,
        kind=HoldKind.INSPECTION,
        reason="Thông báo số 15/TB-TTr về thanh tra công tác quản lý tài chính của ấp.",
        actor=cast.secretariat,
    )
    return nomination


def _closed_session(cast: Cast) -> tuple[CouncilSession, Nomination, Nomination]:
    """A session whose two dossiers (a commendation, and a model title that must be posted
    publicly) every member passed."""
    issued = _dossier(cast.campaign, PERSON, "Phạm Thị Dung", cast.nominator)
    posted = _dossier(cast.campaign, MODEL, HAMLET, cast.nominator)
    for nomination in (issued, posted):
        _accept(nomination, cast.nominator, cast.secretariat)
    session = _session(cast.body, [issued, posted], cast.secretariat, "Phiên họp điển hình")
    for item in session.items:
        for attendance in session.attendance:
            council.cast_vote(item, attendance.member, Choice.AGREE)
    council.close_vote(session, actor=cast.chair, chair_approved=True)
    return session, issued, posted


def _decisions(cast: Cast, issued: Nomination, posted: Nomination) -> dict[str, Any]:
    """A draft (of a dossier passed by the simplified procedure), a posted and an issued
    decision with its certificate, and a print job of that certificate (not yet run)."""
    simplified = _dossier(cast.campaign, PERSON, "Võ Văn Em", cast.nominator)
    _accept(simplified, cast.nominator, cast.secretariat)
    apply_transition(simplified, Action.PASS_SIMPLIFIED, actor=cast.chair)
    today = local_today()
    draft = decisions.draft_decision(cast.body, [simplified], actor=cast.secretariat)
    on_posting = decisions.draft_decision(cast.body, [posted], actor=cast.secretariat)
    decisions.start_posting(on_posting, actor=cast.secretariat, today=today)
    decision = decisions.draft_decision(cast.body, [issued], actor=cast.secretariat)
    decisions.issue_decision(decision, actor=cast.chair, today=today)
    certificate = decision.lines[0].certificate
    assert certificate is not None
    entry = publish_entry(
        certificate,
        actor=cast.secretariat,
        story="Ấp Sơn Qui hoàn thành xuất sắc các chỉ tiêu năm; mô hình “Ấp số - Dân thông thái”.",
        photos=[
            PhotoUpload(io.BytesIO(illustration()), "ấp sơn qui.jpg", "Nhà văn hóa ấp", "photo_1")
        ],
    )
    return {
        "certificate": certificate.id,
        "honour_entry": entry.id,
        "draft_decision": draft.id,
        "posted_decision": on_posting.id,
        "issued_decision": decision.id,
        "print_job": start_print_job(decision, actor=cast.chair).id,
        "serial": certificate.public_serial,
        "code": public_code(certificate.key_id, certificate.code),
    }


def _set_rules(campaign: Campaign) -> None:
    """What the stages rely on: a secret ballot by 70 % of those present, the simplified
    procedure for the person's Giấy khen, and public posting for the model title."""
    for code in (PERSON, MODEL):
        award = _award(campaign, code)
        award.vote_method, award.vote_base = "secret_ballot", "present"
        award.vote_threshold_percent, award.chair_must_approve = Decimal(70), False
        award.quorum_numerator, award.quorum_denominator = 2, 3
    _award(campaign, PERSON).simplified_allowed = True
    model = _award(campaign, MODEL)
    model.public_posting_days = max(model.public_posting_days, 5)
    db.session.flush()


def _cluster(commune: Unit) -> dict[str, int]:
    """The demo's cluster of Chợ Lách's communes: its id, the commune's membership in it, a
    line of its scoring table and its awarding body."""
    cluster = db.session.scalars(select(Cluster).where(Cluster.name == CLUSTER_NAME)).one()
    member = next(m for m in cluster.members if m.unit_id == commune.id)
    return {
        "cluster": cluster.id,
        "cluster_member": member.id,
        "line": cluster.criteria[0].id,
        "province": cluster.awarding_body_id,
    }


def build_world() -> dict[str, Any]:
    """Make the objects (committed; needs a request context for the certificates' links) and
    return their ids by name, with the certificate's serial and public code."""
    body = _unit("Xã Phú Phụng", active=True)
    campaign = open_campaign(body)
    _set_rules(campaign)
    cast = Cast(_user("ap.sonqui"), _user("thuky"), _user("chutich"), body, campaign)

    draft = _dossier(campaign, PERSON, "Nguyễn Văn An", cast.nominator)
    add_attachment(draft, io.BytesIO(PDF), "Biên bản họp ấp Sơn Qui.pdf", actor=cast.nominator)
    in_review = _in_review(cast)
    held = _held(cast)
    voting = _dossier(campaign, PERSON, "Lê Văn Cường", cast.nominator)
    _accept(voting, cast.nominator, cast.secretariat)
    voting_session = _session(body, [voting], cast.secretariat, "Phiên họp xét khen thưởng")
    closed_session, issued, posted = _closed_session(cast)
    registration_call = db.session.scalars(
        select(RegistrationCall).where(RegistrationCall.awarding_body_id == body.id)
    ).one()
    world = {
        "registration_call": registration_call.id,
        "son_qui": _unit("Ấp Sơn Qui", active=True).id,
        "body": body.id,
        "commune": body.id,
        "nominator": cast.nominator.id,
        "campaign": campaign.id,
        "award": draft.award_type_id,
        "criterion": draft.award_type.criteria[0].id,
        "draft": draft.id,
        "in_review": in_review.id,
        "held": held.id,
        "round": snapshots_of(in_review)[0].round,
        "voting_session": voting_session.id,
        "voting_item": voting_session.items[0].id,
        "closed_session": closed_session.id,
        # The demo's smart-hamlet target: Ấp Sơn Qui's newer value waits for the secretariat.
        "target": db.session.scalars(
            select(Target.id).where(Target.campaign_id == campaign.id, Target.code == "CT11")
        ).one(),
        **_decisions(cast, issued, posted),
        **_cluster(body),
        # An earlier award the demo imported: its person's history page.
        "history_person": db.session.scalars(
            select(AwardRecord.id).where(AwardRecord.person_name == "Trương Thị Mỹ Linh")
        ).first(),
    }
    # The job runs here, and its first commit commits the world: the thread dispatched by
    # that commit finds it started and leaves it.
    run_print_job(world["print_job"])
    job = db.session.get(PrintJob, world["print_job"])
    assert job is not None and job.state == "done", job and job.error
    return world
