"""Forms of reward money: a line's amount and a body's fund of a year."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from recognition.common.forms import Form, Length, LocalDecimalField, NumberRange, YearRange
from recognition.common.numbers import format_number, parse_number

_CURRENCY = re.compile(r"\s*(đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)


class AmountField(StringField):
    """An amount in đồng as people type it (1.080.000, 1 080 000 đ); empty is None."""

    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        text = _CURRENCY.sub("", str(self.raw_text or "")).strip()
        if not text:
            self.data = None
            return
        try:
            amount = parse_number(text)
        except ValueError:
            amount = None
        if amount is None or amount < 0 or amount != amount.to_integral_value() or amount >= 10**15:
            self.data = None
            raise ValueError(
                self.gettext("Enter a whole amount in đồng, e.g. %(example)s.")
                % {"example": format_number(1080000)}
            )
        self.data = int(amount)

    def _value(self) -> str:
        raw = getattr(self, "raw_text", None)
        if raw is not None:
            return str(raw)
        return "" if self.data is None else format_number(self.data)


class AmountForm(Form):
    amount = AmountField(
        _l("Amount to pay (đồng)"),
        description=_l("Leave empty to pay the computed amount again."),
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )


class FundForm(Form):
    year = IntegerField(_l("Year"), validators=[InputRequired(), YearRange(2000, 2200)])
    budget = AmountField(_l("Budget of the year (đồng)"), validators=[InputRequired()])
    movement_percent = LocalDecimalField(
        _l("Share for organising movements (percent)"),
        places=2,
        validators=[Optional(), NumberRange(0, 100)],
        description=_l("Empty: the share the law sets."),
    )
