"""What a campaign makes documents say: the year of its achievements and the sentence naming
them, shared by decisions and certificates."""

from recognition.campaigns.enums import AwardKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.common.text import achievement_sentence


def achievements_year(campaign: Campaign) -> int:
    """The year a document says the achievements are of: the end of the period the campaign
    reviews, else the year its window opened ("Bình xét … năm 2025" opened in November 2025
    and closing in January 2026 is of 2025)."""
    return (campaign.period_end or campaign.opens_on).year


def achievement_of(campaign: Campaign, award: AwardType) -> str:
    """ "đã đạt tiêu chuẩn danh hiệu năm 2026", "đã có thành tích xuất sắc trong phong trào thi
    đua …" (`recognition.common.text.achievement_sentence`)."""
    return achievement_sentence(
        campaign.name,
        achievements_year(campaign),
        recognises_a_title=award.kind in (AwardKind.TITLE, AwardKind.MODEL),
    )
