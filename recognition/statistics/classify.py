"""How an award is counted: its kind (title or commendation) and its level. A decision issued
here carries its award type (kind, legal standard) and its body (level); an imported award
carries only its name and the awarding body's name, read against the lists below.

The lists are data: a body whose imported spreadsheets name awards otherwise adds its words
here. Names are compared folded (without diacritics, lower case)."""

from __future__ import annotations

from recognition.campaigns.enums import AwardKind
from recognition.common.text import fold
from recognition.law.enums import AwardStandard
from recognition.statistics.enums import AwardLevel
from recognition.units.enums import UnitKind

# Standards conferred above the commune whatever the body that records them.
STANDARD_LEVELS = {
    AwardStandard.BANG_KHEN_TINH: AwardLevel.PROVINCE,
    AwardStandard.CSTD_TINH: AwardLevel.PROVINCE,
    AwardStandard.TAP_THE_LDXS: AwardLevel.PROVINCE,
    AwardStandard.CO_THI_DUA_TINH: AwardLevel.PROVINCE,
}

BODY_LEVELS = {
    UnitKind.PROVINCE: AwardLevel.PROVINCE,
    UnitKind.DEPARTMENT: AwardLevel.PROVINCE,
    UnitKind.DISTRICT: AwardLevel.DISTRICT,
}

# Words of an award's name (folded), first match wins: the state's awards (Law 06/2022
# art. 8-9: orders, medals, honorary titles, the Prime Minister's diploma, the national
# emulation fighter, the Government's flag), then the province's.
NAME_LEVELS: tuple[tuple[str, AwardLevel], ...] = (
    ("huan chuong", AwardLevel.STATE),
    ("huy chuong", AwardLevel.STATE),
    ("anh hung", AwardLevel.STATE),
    ("danh hieu vinh du", AwardLevel.STATE),
    ("giai thuong ho chi minh", AwardLevel.STATE),
    ("giai thuong nha nuoc", AwardLevel.STATE),
    ("thu tuong", AwardLevel.STATE),
    ("toan quoc", AwardLevel.STATE),
    ("chinh phu", AwardLevel.STATE),
    ("cap tinh", AwardLevel.PROVINCE),
    ("cap bo", AwardLevel.PROVINCE),
    ("bang khen", AwardLevel.PROVINCE),
    ("co thi dua", AwardLevel.PROVINCE),
    ("lao dong xuat sac", AwardLevel.PROVINCE),
)

# Words of the awarding body's name (folded) that give the level of what it confers.
BODY_NAME_LEVELS: tuple[tuple[str, AwardLevel], ...] = (
    ("chinh phu", AwardLevel.STATE),
    ("chu tich nuoc", AwardLevel.STATE),
    ("thu tuong", AwardLevel.STATE),
    ("tinh", AwardLevel.PROVINCE),
    ("bo", AwardLevel.PROVINCE),
    ("huyen", AwardLevel.DISTRICT),
    ("quan", AwardLevel.DISTRICT),
    ("thi xa", AwardLevel.DISTRICT),
)

# Words that make an imported award a form of commendation; any other name is a title.
COMMENDATION_WORDS = ("giay khen", "bang khen", "huan chuong", "huy chuong", "ky niem chuong")


def level_of_decision(standard: AwardStandard | None, body_kind: UnitKind) -> AwardLevel:
    """The level of an award in a decision of a body of `body_kind`."""
    if standard in STANDARD_LEVELS:
        return STANDARD_LEVELS[standard]
    return BODY_LEVELS.get(body_kind, AwardLevel.COMMUNE)


def level_of_import(award_name: str, body_name: str) -> AwardLevel:
    """The level of an imported award: by its name, else by its awarding body's name."""
    for words, level in NAME_LEVELS:
        if has_words(award_name, words):
            return level
    for words, level in BODY_NAME_LEVELS:
        if has_words(body_name, words):
            return level
    return AwardLevel.COMMUNE


def has_words(text: str, words: str) -> bool:
    """Whether `text` holds `words` (folded) as whole words."""
    return f" {words} " in f" {fold(text)} "


def kind_of_import(award_name: str) -> AwardKind:
    if any(has_words(award_name, words) for words in COMMENDATION_WORDS):
        return AwardKind.COMMENDATION
    return AwardKind.TITLE
