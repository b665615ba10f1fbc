"""The file name of a decision's certificates sent as one file (a batch PDF, a ZIP)."""

import re
from collections.abc import Sequence

from recognition.campaigns.enums import AwardKind
from recognition.certificates.models import Certificate
from recognition.common.numbering import file_stem
from recognition.common.text import fold

# A batch of titles (a certificate "TẶNG DANH HIỆU …") or of several kinds.
NEUTRAL = "chung-nhan"


def batch_file_name(
    decision_id: int, reference: str | None, certificates: Sequence[Certificate], extension: str
) -> str:
    """Named after what the certificates are and the decision's number, as the decision's own
    file is ("quyet-dinh-05-QĐ-UBND.pdf"): "bang-khen-05-QĐ-UBND.pdf" for Bằng khen,
    "giay-khen-…" for Giấy khen, "chung-nhan-…" for titles or a mix."""
    return f"{batch_kind(certificates)}-{file_stem(decision_id, reference)}.{extension}"


def batch_kind(certificates: Sequence[Certificate]) -> str:
    """The printed name the certificates share when they are all one form of commendation
    ("BẰNG KHEN" → "bang-khen"), else the neutral "chung-nhan"."""
    awards = {c.line.award_type for c in certificates}
    titles = {fold(award.certificate_title) for award in awards}
    if len(titles) != 1 or any(award.kind != AwardKind.COMMENDATION for award in awards):
        return NEUTRAL
    return re.sub(r"[^a-z0-9]+", "-", titles.pop()).strip("-") or NEUTRAL
