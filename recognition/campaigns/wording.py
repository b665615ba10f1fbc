"""What a campaign makes documents say: the year of its achievements and the sentence naming
them, shared by decisions and certificates."""

from recognition.campaigns.enums import AwardKind
from recognition.campaigns.models import AwardType, Campaign
from recognition.common.text import achievement_sentence


def campaign_year(campaign: Campaign) -> int:
    """The year a campaign's achievements are of: its period's end, else its window's."""
    return (campaign.period_end or campaign.closes_on).year


def achievement_of(campaign: Campaign, award: AwardType) -> str:
    """ "đã đạt tiêu chuẩn danh hiệu năm 2026", "đã có thành tích xuất sắc trong phong trào thi
    đua …" (`recognition.common.text.achievement_sentence`)."""
    return achievement_sentence(
        campaign.name,
        campaign_year(campaign),
        recognises_a_title=award.kind in (AwardKind.TITLE, AwardKind.MODEL),
    )
