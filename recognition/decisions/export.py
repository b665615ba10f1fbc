"""Decisions as XLSX: the list (the decisions a user may see, newest first) and one decision
with its lines and their reward money (decisions/money), formula-safe (common/xlsxfiles.py)."""

from collections.abc import Iterator

from flask_babel import force_locale
from sqlalchemy import Select, select

from recognition.common.xlsxfiles import Column, Value, export_note, list_xlsx
from recognition.decisions.models import Decision
from recognition.decisions.money.queries import DecisionMoney
from recognition.decisions.queries import line_counts
from recognition.extensions import db

# Decisions loaded at a time.
CHUNK = 500

LIST_COLUMNS = (
    Column("STT", 6),
    Column("Số quyết định", 20),
    Column("Trích yếu", 70),
    Column("Số dòng", 8),
    Column("Ngày ký", 12),
    Column("Trạng thái", 24),
)

LINE_COLUMNS = (
    Column("STT", 6),
    Column("Đối tượng được khen thưởng", 40),
    Column("Chức vụ, đơn vị", 50),
    Column("Danh hiệu/Hình thức", 40),
    Column("Số giấy chứng nhận", 20),
    Column("Hệ số", 8),
    Column("Mức lương cơ sở (đ)", 14),
    Column("Số tiền (đ)", 14),
)


def _list_rows(query: Select[Decision]) -> Iterator[list[Value]]:
    ids = list(db.session.scalars(query.with_only_columns(Decision.id)))
    number = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found = {d.id: d for d in db.session.scalars(select_decisions(chunk))}
        decisions = [found[i] for i in chunk if i in found]
        counts = line_counts(decisions)
        for decision in decisions:
            number += 1
            yield [
                number,
                decision.reference or "",
                decision.title,
                counts[decision.id],
                decision.issued_on,
                decision.state.label,
            ]


def select_decisions(ids: list[int]) -> Select[Decision]:
    return select(Decision).where(Decision.id.in_(ids))


def decisions_xlsx(query: Select[Decision]) -> bytes:
    """The decisions `query` selects, in its order."""
    with force_locale("vi"):
        return list_xlsx(
            title="DANH SÁCH QUYẾT ĐỊNH KHEN THƯỞNG",
            subtitle=export_note(),
            columns=LIST_COLUMNS,
            rows=_list_rows(query),
        )


def _line_rows(money: DecisionMoney) -> Iterator[list[Value]]:
    for item in money.lines:
        line = item.line
        yield [
            line.position,
            line.recipient,
            line.detail,
            line.award_type.name,
            line.certificate.public_serial if line.certificate else "",
            float(item.computed.coefficient) if item.computed.coefficient is not None else None,
            item.computed.base,
            item.amount,
        ]
    yield ["", "Tổng cộng", "", "", "", None, None, money.total]


def decision_xlsx(decision: Decision, money: DecisionMoney) -> bytes:
    """One decision's annex: its lines and what each is paid."""
    with force_locale("vi"):
        name = decision.reference or "Dự thảo"
        return list_xlsx(
            title=f"QUYẾT ĐỊNH {name}: {decision.title}",
            subtitle=export_note(
                f"Trạng thái: {decision.state.label}",
                f"Tiền thưởng theo quy định tại ngày {money.day:%d/%m/%Y}",
            ),
            columns=LINE_COLUMNS,
            rows=_line_rows(money),
        )
