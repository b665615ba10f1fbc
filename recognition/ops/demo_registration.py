"""The demo's emulation registration: Xã Phú Phụng's year 2026, its pledge, three units
registered (their titles and nominees, the pledge signed) and Ấp Vĩnh Chính not yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from recognition.auth.models import User
from recognition.campaigns.models import AwardType
from recognition.extensions import db
from recognition.registration.models import RegistrationCall
from recognition.registration.services import Line, open_registration, register_unit
from recognition.units.models import Unit

YEAR = 2026
PLEDGE = (
    "Thực hiện phong trào thi đua “Vĩnh Long chung sức xây dựng nông thôn mới” năm 2026, các "
    "ấp, đoàn thể xã Phú Phụng cùng giao ước:\n"
    "1. Hoàn thành và vượt các chỉ tiêu kinh tế - xã hội năm 2026 được giao.\n"
    "2. Giữ vững chuẩn nông thôn mới; mỗi ấp có Tổ công nghệ số cộng đồng hoạt động hiệu quả.\n"
    "3. Phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến; “Học tập điển hình, bắt kịp "
    "điển hình, vượt qua điển hình”."
)
# unit → its nominator, and its lines (award code, nominee; "" is the unit itself)
REGISTRATIONS = {
    "Ấp Sơn Qui": (
        "ap.sonqui",
        [
            ("AP-NTM-TM", ""),
            ("GK-TT", "Tổ công nghệ số cộng đồng ấp Sơn Qui"),
            ("GK-CN", "Lê Văn Tâm"),
        ],
    ),
    "Hội Nông dân xã Phú Phụng": (
        "hnd.phuphung",
        [("GK-TT", "Chi hội Nông dân ấp Phú Thuận"), ("GK-CN", "Nguyễn Văn Lực")],
    ),
    "Ấp Phú Hòa": ("ap.phuhoa", [("APVH", ""), ("GK-CN", "Nguyễn Thị Mai")]),
}


def register_2026(body: Unit, people: dict[str, User]) -> None:
    """Open Xã Phú Phụng's registration for 2026 and register three of its units."""
    if db.session.scalar(
        select(RegistrationCall.id).where(
            RegistrationCall.awarding_body_id == body.id, RegistrationCall.year == YEAR
        )
    ):
        return
    call = open_registration(
        body, actor=people["thuky"], year=YEAR, deadline=date(YEAR, 1, 31), pledge=PLEDGE
    )
    awards = {
        award.code: award
        for award in db.session.scalars(
            select(AwardType).where(AwardType.awarding_body_id == body.id)
        )
    }
    units = {unit.name: unit for unit in body.children if unit.is_active}
    for day, (name, (username, lines)) in enumerate(REGISTRATIONS.items(), start=12):
        registration = register_unit(
            call,
            units[name],
            actor=people[username],
            lines=[Line(awards[code], nominee) for code, nominee in lines if code in awards],
            sign=True,
        )
        # Registered in January, before the deadline (the data is loaded later in the year).
        registered = datetime(YEAR, 1, day, 2, 30, tzinfo=UTC)
        registration.registered_at = registration.updated_at = registered
        registration.signed_at = registered
    db.session.flush()
