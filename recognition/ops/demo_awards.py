"""The demo's earlier awards: what Chợ Lách district's officers kept in Excel before the
system (2021 to 2023), imported into the award history as an officer would."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from recognition.auth.models import User
from recognition.extensions import db
from recognition.history.services import EarlierAward, import_awards
from recognition.units.models import Unit

BODY_NAME = "UBND huyện Chợ Lách"
# (person, position, commune code, hamlet or "", award, decision number, date)
EARLIER = [
    ("", "", "28876", "", "Tập thể lao động tiên tiến", "412/QĐ-UBND", date(2021, 12, 20)),
    ("", "", "28876", "Ấp Sơn Qui", "Giấy khen", "98/QĐ-UBND", date(2022, 2, 14)),
    (
        "Trương Thị Mỹ Linh",
        "Bí thư Chi bộ ấp",
        "28876",
        "Ấp Sơn Qui",
        "Lao động tiên tiến",
        "1520/QĐ-UBND",
        date(2022, 12, 26),
    ),
    (
        "Trương Thị Mỹ Linh",
        "Bí thư Chi bộ ấp",
        "28876",
        "Ấp Sơn Qui",
        "Chiến sĩ thi đua cơ sở",
        "1604/QĐ-UBND",
        date(2023, 12, 22),
    ),
    (
        "Lê Văn Phúc",
        "Trưởng ấp",
        "28873",
        "Ấp Phú Hòa",
        "Giấy khen",
        "1604/QĐ-UBND",
        date(2023, 12, 22),
    ),
    ("", "", "28873", "", "Giấy khen", "77/QĐ-UBND", date(2023, 1, 30)),
]


def _unit(old: dict[str, Unit], code: str, hamlet: str) -> Unit:
    commune = old[code]
    if not hamlet:
        return commune
    return db.session.scalars(
        select(Unit).where(Unit.parent_id == commune.id, Unit.name == hamlet)
    ).one()


def import_earlier_awards(old: dict[str, Unit], actor: User) -> None:
    """The district secretariat's import of its spreadsheet of earlier awards."""
    rows = [
        EarlierAward(
            line=number,
            person_name=name,
            position=position,
            unit=_unit(old, code, hamlet),
            award_name=award,
            reference=reference,
            decided_on=day,
        )
        for number, (name, position, code, hamlet, award, reference, day) in enumerate(
            EARLIER, start=2
        )
    ]
    import_awards(rows, body_name=BODY_NAME, actor=actor, file_name="khen-thuong-2021-2023.xlsx")
