"""The administrator's changes to the law's dated values: checked by the rule's kind, stored
over the registry's defaults, deleted while not yet in force, audited."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.numbers import format_number, parse_number
from recognition.common.text import clean, clean_multiline
from recognition.database import local_today
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.law.enums import (
    AwardStandard,
    LawAction,
    RuleKind,
    VoteBase,
    VoteMethod,
    vote_share,
)
from recognition.law.models import LawValue
from recognition.law.registry import RULES, Bounds, Rule, vote_value
from recognition.law.rules import Entry, VoteRule, typed

register_vocabulary(ObjectKind.LAW_RULE, LawAction)

EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)
LINE_LENGTH = 1000


@dataclass(frozen=True)
class ValueInput:
    """What the administrator typed for a dated value; which parts count depends on the
    rule's kind."""

    valid_from: date
    source: str
    text: str = ""
    standards: list[str] = field(default_factory=list)
    required: bool = False
    method: str = ""
    threshold: str = ""
    base: str = ""
    absentees_in_writing: bool = False
    note: str = ""
    uncertain: bool = False


def _number(text: str, *, field_name: str = "text") -> Decimal:
    """A decimal typed as the user's language writes it ("0,3", "1.490.000" in Vietnamese;
    recognition.common.numbers)."""
    try:
        return parse_number(text)
    except ValueError:
        raise DomainError(
            _("Type a number, such as %(example)s.", example=format_number(Decimal("0.3"))),
            field=field_name,
        ) from None


def _inside(number: Decimal, bounds: Bounds) -> bool:
    above = number > bounds.least if bounds.above_least else number >= bounds.least
    return above and number <= bounds.most


def _whole(text: str, bounds: Bounds, *, money: bool = False) -> int:
    """A whole number (days, or an amount in đồng) typed as the user's language writes it
    ("1.490.000" in Vietnamese), within the rule's bounds."""
    try:
        number = parse_number(text)
    except ValueError:
        number = Decimal(-1)
    if number != number.to_integral_value() or not _inside(number, bounds):
        least, most = format_number(bounds.least), format_number(bounds.most)
        if money:
            message = _(
                "Type a whole amount in đồng from %(least)s to %(most)s.", least=least, most=most
            )
        else:
            message = _("Type a whole number from %(least)s to %(most)s.", least=least, most=most)
        raise DomainError(message, field="text")
    return int(number)


def _decimal(text: str, bounds: Bounds) -> Decimal:
    number = _number(text)
    if not _inside(number, bounds):
        least, most = format_number(bounds.least), format_number(bounds.most)
        if bounds.above_least:
            message = _(
                "Type a number greater than %(least)s and at most %(most)s.",
                least=least,
                most=most,
            )
        else:
            message = _("Type a number from %(least)s to %(most)s.", least=least, most=most)
        raise DomainError(message, field="text")
    return number


def _percent(text: str, bounds: Bounds, *, field_name: str = "text") -> Decimal:
    number = _number(text, field_name=field_name)
    if not _inside(number, bounds):
        raise DomainError(
            _(
                "A percentage is more than %(least)s and at most %(most)s.",
                least=format_number(bounds.least),
                most=format_number(bounds.most),
            ),
            field=field_name,
        )
    return number.quantize(Decimal("0.01"))


def _fraction(text: str, bounds: Bounds) -> list[int]:
    found = re.fullmatch(r"\s*([0-9]{1,3})\s*/\s*([0-9]{1,3})\s*", text)
    if not found or int(found[2]) == 0 or not _inside(Decimal(found[1]) / int(found[2]), bounds):
        raise DomainError(_("Type a fraction such as 2/3 (at most 1)."), field="text")
    return [int(found[1]), int(found[2])]


def _lines(text: str, bounds: Bounds) -> list[str]:
    lines = [line for line in clean_multiline(text).split("\n") if line]
    if any(len(line) > LINE_LENGTH for line in lines):
        raise DomainError(
            _("A line may have at most %(count)d characters.", count=LINE_LENGTH), field="text"
        )
    if not lines and not bounds.may_be_empty:
        raise DomainError(_("Type at least one line."), field="text")
    return lines


def _standards(values: list[str], bounds: Bounds) -> list[str]:
    unknown = [v for v in values if v not in AwardStandard.values()]
    if unknown:
        raise DomainError(_("Choose award standards from the list."), field="standards")
    if not values and not bounds.may_be_empty:
        raise DomainError(_("Choose at least one award standard."), field="standards")
    return [s.value for s in AwardStandard if s.value in values]


def _vote(data: ValueInput, bounds: Bounds) -> dict[str, Any]:
    if data.method not in VoteMethod.values():
        raise DomainError(_("Choose a vote method."), field="method")
    if data.base not in VoteBase.values():
        raise DomainError(_("Choose what the threshold is counted on."), field="base")
    threshold = _percent(data.threshold, bounds, field_name="threshold")
    return vote_value(
        required=data.required,
        method=VoteMethod(data.method),
        threshold=_plain(threshold),
        base=VoteBase(data.base),
        absentees_in_writing=data.absentees_in_writing,
    )


def _plain(number: Decimal) -> str:
    """A decimal without trailing zeros or an exponent ("0.3", "80", "50.01")."""
    return format(number.normalize(), "f")


def parse_value(rule: Rule, data: ValueInput) -> Any:
    """The value typed for `rule` in its stored form, within the rule's bounds; raises
    DomainError on its field."""
    kind, text, bounds = rule.kind, data.text, rule.bounds
    if kind == RuleKind.TEXT_LINES:
        return _lines(text, bounds)
    if kind in (RuleKind.INTEGER, RuleKind.MONEY):
        return _whole(text, bounds, money=kind == RuleKind.MONEY)
    if kind == RuleKind.DECIMAL:
        return _plain(_decimal(text, bounds))
    if kind == RuleKind.PERCENT:
        if not text.strip():
            if bounds.may_be_empty:
                return None
            raise DomainError(_("Type a percentage."), field="text")
        return _plain(_percent(text, bounds))
    if kind == RuleKind.FRACTION:
        return _fraction(text, bounds)
    if kind == RuleKind.STANDARDS:
        return _standards(data.standards, bounds)
    return _vote(data, bounds)


def _check(data: ValueInput) -> tuple[str, str]:
    if not EARLIEST <= data.valid_from <= LATEST:
        raise DomainError(_("Choose a date between 1990 and 2100."), field="valid_from")
    source = clean(data.source)
    if not source:
        raise DomainError(_("Name the legal text this value comes from."), field="source")
    if len(source) > 300:
        raise DomainError(_("At most %(count)d characters.", count=300), field="source")
    note = clean_multiline(data.note)
    if len(note) > 2000:
        raise DomainError(_("At most %(count)d characters.", count=2000), field="note")
    return source, note


def save_law_value(key: str, data: ValueInput, *, actor: Any) -> LawValue:
    """Add a rule's value from a day, or correct the administrator's value of that day;
    audited with the value and its source."""
    rule = RULES.get(key)
    if rule is None:
        raise DomainError(_("There is no such rule."))
    source, note = _check(data)
    value = parse_value(rule, data)
    row = db.session.scalar(
        select(LawValue).where(LawValue.key == key, LawValue.valid_from == data.valid_from)
    )
    action = LawAction.CORRECTED if row is not None else LawAction.ADDED
    if row is None:
        row = LawValue(key=key, valid_from=data.valid_from)
        db.session.add(row)
    row.value = value
    row.source = source
    row.note = note
    row.uncertain = data.uncertain
    row.entered_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(
        ObjectKind.LAW_RULE,
        row.id,
        action,
        actor=actor,
        subject=f"{key} · {data.valid_from:%d/%m/%Y}",
        comment=f"{display(rule.kind, value)} ({source})",
    )
    return row


def is_deletable(row: LawValue, *, today: date) -> bool:
    """A value may be deleted until its day comes: from then on, documents of its days (a
    decision's bases, a reward's amount, a vote's threshold) were made with it."""
    return row.valid_from > today


def delete_law_value(row: LawValue, *, actor: Any) -> None:
    """Delete an administrator's value that is not yet in force (entered with a wrong date,
    say): the value before it, or the registry's of that day, applies again. Audited with the
    value and its source; a value in force is refused (409)."""
    if not is_deletable(row, today=local_today()):
        raise InvalidTransition(
            _(
                "This value has been in force since %(date)s: documents dated since then were "
                "made with it, so it cannot be deleted. To change it from a later day, add a "
                "value from that day.",
                date=row.valid_from.strftime("%d/%m/%Y"),
            )
        )
    rule = RULES[row.key]
    record(
        ObjectKind.LAW_RULE,
        row.id,
        LawAction.DELETED,
        actor=actor,
        subject=f"{row.key} · {row.valid_from:%d/%m/%Y}",
        comment=f"{display(rule.kind, row.value)} ({row.source})",
    )
    db.session.delete(row)
    db.session.flush()


def display(kind: RuleKind, value: Any) -> str:
    """A stored value as one line of text (for the audit log and the page)."""
    shown = typed(kind, value)
    if shown is None:
        return "—"
    if kind == RuleKind.TEXT_LINES:
        return " / ".join(shown)
    if kind == RuleKind.INTEGER:
        return str(shown)
    if kind == RuleKind.MONEY:
        return f"{shown:,} đ".replace(",", ".")
    if kind in (RuleKind.DECIMAL, RuleKind.PERCENT):
        text = _plain(shown).replace(".", ",")
        return f"{text} %" if kind == RuleKind.PERCENT else text
    if kind == RuleKind.FRACTION:
        return f"{shown[0]}/{shown[1]}"
    if kind == RuleKind.STANDARDS:
        return ", ".join(s.label for s in AwardStandard if s in shown) or "—"
    return describe_vote(shown)


def describe_vote(rule: VoteRule) -> str:
    text = f"{rule.method.label}, {vote_share(rule.threshold, rule.base)}"
    if rule.absentees_in_writing:
        text += "; " + _("absent members vote in writing")
    return (_("Vote required") if rule.required else _("No vote required")) + ": " + text


# The rules whose value is a number, shown back as the user's language writes it.
NUMBER_KINDS = frozenset({RuleKind.INTEGER, RuleKind.MONEY, RuleKind.DECIMAL, RuleKind.PERCENT})


def input_for(rule: Rule, entry: Entry | None) -> dict[str, Any]:
    """The form's initial values for a rule from the value in force (to be corrected)."""
    if entry is None:
        return {}
    value = entry.value
    values: dict[str, Any] = {
        "source": entry.source,
        "note": entry.note,
        "uncertain": entry.uncertain,
    }
    if rule.kind == RuleKind.TEXT_LINES:
        values["text"] = "\n".join(value)
    elif rule.kind == RuleKind.STANDARDS:
        values["standards"] = list(value)
    elif rule.kind == RuleKind.VOTE:
        values.update(
            required=value["required"],
            method=value["method"],
            threshold=format_number(Decimal(str(value["threshold"]))),
            base=value["base"],
            absentees_in_writing=value["absentees_in_writing"],
        )
    elif rule.kind == RuleKind.FRACTION:
        values["text"] = f"{value[0]}/{value[1]}"
    elif value is not None and rule.kind in NUMBER_KINDS:
        # As the user's language writes numbers, as they are read back (1.490.000; 0,3).
        values["text"] = format_number(Decimal(str(value)))
    elif value is not None:
        values["text"] = str(value)
    return values
