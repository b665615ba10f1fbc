"""The generated texts of an award decision: its title, its articles and the annex's order.

They are Vietnamese whatever the interface language: they are the official document, worded
as commune and provincial award decisions are (Decree 30/2020 layout): one clause per award in
Điều 1 with the right counts of collectives and individuals, the reward money in Điều 2, who
executes the decision in Điều 3.
"""

from dataclasses import dataclass

from recognition.campaigns.enums import AwardKind, NomineeKind
from recognition.campaigns.models import AwardType
from recognition.campaigns.wording import achievement_of, achievements_year
from recognition.common.i18n import locale_name
from recognition.common.text import achievement_sentence
from recognition.common.text import unit_in_sentence as in_sentence
from recognition.nominations.models import Nomination
from recognition.units.models import Unit

# Forms of commendation named after who gives them ("Giấy khen của Chủ tịch …").
_FORMS = ("giấy khen", "bằng khen")


def issuing_body(body: Unit) -> str:
    """Who issues a body's decisions, as a Vietnamese page names them: its People's Committee
    for an administrative unit ("Ủy ban nhân dân xã Phú Phụng"), else the body itself; an
    English page names the body."""
    named = in_sentence(body.name)
    if named == body.name or locale_name() != "vi":
        return body.name
    return f"Ủy ban nhân dân {named}"


def nominee_group(nomination: Nomination) -> int:
    """Collectives first, then households, then individuals (the annex's order in a group)."""
    if not nomination.is_person:
        return 0
    return 1 if nomination.award_type.nominee_kind == NomineeKind.HOUSEHOLD else 2


# What a catalogue adds to tell apart one award for collectives and for individuals.
_NOMINEE_SUFFIXES = (" (tập thể)", " (cá nhân)", " (hộ gia đình)")


def award_name(award: AwardType) -> str:
    """The award's name as a decision says it: "Giấy khen của Chủ tịch UBND xã (tập thể)" →
    "Giấy khen của Chủ tịch UBND xã" (the clause counts the collectives and individuals)."""
    name = award.name.strip()
    for suffix in _NOMINEE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def award_key(award: AwardType) -> tuple[str, str]:
    """Awards of one kind and name are one award in a decision: a catalogue may hold "Giấy
    khen" once for collectives and once for individuals."""
    return (award.kind.value, award_name(award))


def annex_order(nominations: list[Nomination]) -> list[Nomination]:
    """Awards in catalogue order; within an award, collectives before individuals, each in
    Vietnamese alphabetical order. The position in this order is the golden-book number."""
    rank: dict[tuple[str, str], tuple[int, int]] = {}
    for n in nominations:
        key, place = award_key(n.award_type), (n.award_type.position, n.award_type.id)
        rank[key] = min(rank.get(key, place), place)
    return sorted(
        nominations,
        key=lambda n: (rank[award_key(n.award_type)], nominee_group(n), n.nominee_sort),
    )


_GROUP_WORDS = {0: "tập thể", 1: "hộ gia đình", 2: "cá nhân"}


def counted(nominations: list[Nomination]) -> str:
    """ "3 tập thể và 2 cá nhân", "1 tập thể", "2 hộ gia đình, 1 tập thể và 4 cá nhân"."""
    counts: dict[int, int] = {}
    for nomination in nominations:
        group = nominee_group(nomination)
        counts[group] = counts.get(group, 0) + 1
    parts = [f"{counts[g]} {_GROUP_WORDS[g]}" for g in sorted(counts)]
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} và {parts[-1]}"


def awarder(body: Unit) -> str:
    """Who gives a form of commendation: "Chủ tịch Ủy ban nhân dân xã Chợ Lách"."""
    return f"Chủ tịch Ủy ban nhân dân {in_sentence(body.name)}"


def award_phrase(award: AwardType, body: Unit) -> str:
    """ "Tặng Giấy khen của Chủ tịch …" or "Công nhận danh hiệu “Lao động tiên tiến”"."""
    if award.kind in (AwardKind.TITLE, AwardKind.MODEL):
        return f"Công nhận danh hiệu “{award_name(award)}”"
    name = award_name(award)
    if name.lower().startswith(_FORMS) and " của " not in name:
        name = f"{name} của {awarder(body)}"
    return f"Tặng {name}"


def achievement_phrase(nominations: list[Nomination]) -> str:
    """What the recipients of one award did (`achievement_sentence`), from their campaign."""
    campaigns = {n.campaign for n in nominations}
    award = nominations[0].award_type
    title = award.kind in (AwardKind.TITLE, AwardKind.MODEL)
    if len(campaigns) == 1:
        return achievement_of(campaigns.pop(), award)
    years = {achievements_year(c) for c in campaigns}
    if title and len(years) == 1:
        return achievement_sentence("", years.pop(), recognises_a_title=True)
    return "đã có thành tích xuất sắc trong phong trào thi đua"


@dataclass(frozen=True)
class AwardGroup:
    award: AwardType
    nominations: list[Nomination]


def award_groups(nominations: list[Nomination]) -> list[AwardGroup]:
    """The decision's awards in annex order, each with its dossiers in annex order."""
    groups: dict[tuple[str, str], AwardGroup] = {}
    for nomination in annex_order(nominations):
        award = nomination.award_type
        groups.setdefault(award_key(award), AwardGroup(award, [])).nominations.append(nomination)
    return list(groups.values())


def clause(group: AwardGroup, body: Unit) -> str:
    return (
        f"{award_phrase(group.award, body)} cho {counted(group.nominations)} "
        f"(có danh sách kèm theo) {achievement_phrase(group.nominations)}"
    )


def title_of(nominations: list[Nomination]) -> str:
    """ "Về việc tặng Giấy khen và công nhận danh hiệu “Lao động tiên tiến”"."""
    phrases = []
    for group in award_groups(nominations):
        award = group.award
        if award.kind in (AwardKind.TITLE, AwardKind.MODEL):
            phrase = f"công nhận danh hiệu “{award_name(award)}”"
        else:
            name = award_name(award)
            if name.lower().startswith(_FORMS):  # the decision says who gives it
                name = name.split(" của ")[0]
            phrase = f"tặng {name}"
        if phrase not in phrases:
            phrases.append(phrase)
    return (
        f"Về việc {', '.join(phrases[:-1])} và {phrases[-1]}"
        if len(phrases) > 1
        else (f"Về việc {phrases[0]}")
    )


def named_in_article_1(nominations: list[Nomination]) -> str:
    """Who Điều 1 names, as Điều 3 says it: "các tập thể, cá nhân", "cá nhân", "tập thể"…"""
    groups = {nominee_group(n) for n in nominations}
    words = [_GROUP_WORDS[g] for g in sorted(groups)]
    one = len(nominations) == 1
    return ("" if one else "các ") + ", ".join(words)


def articles_of(nominations: list[Nomination], body: Unit, *, proposer: str) -> str:
    """Điều 1 (one clause per award), Điều 2 (reward money), Điều 3 (who executes), one per
    line."""
    groups = award_groups(nominations)
    if len(groups) == 1:
        first = [f"Điều 1. {clause(groups[0], body)}."]
    else:
        first = ["Điều 1. Khen thưởng các tập thể, cá nhân sau:"]
        last = len(groups)
        first += [
            f"{i}. {clause(g, body)}{'.' if i == last else ';'}"
            for i, g in enumerate(groups, start=1)
        ]
    executors = ", ".join(p for p in ("Chánh Văn phòng", proposer) if p)
    return "\n".join(
        [
            *first,
            "Điều 2. Tiền thưởng kèm theo được chi theo quy định hiện hành về thi đua, khen "
            "thưởng, từ Quỹ thi đua, khen thưởng của cấp ra quyết định.",
            f"Điều 3. {executors}, Thủ trưởng các cơ quan, đơn vị có liên quan và "
            f"{named_in_article_1(nominations)} có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này kể từ ngày ký./.",
        ]
    )
