"""Forms of reward money: a line's amount and a body's fund of a year."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from recognition.common.forms import FiniteDecimalField, Form, Length

_SEPARATORS = re.compile(r"[\s.,đ]", re.IGNORECASE)


class AmountField(StringField):
    """An amount in đồng as people type it (1.080.000, 1 080 000 đ); empty is None."""

    data: Any

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        text = _SEPARATORS.sub("", str(self.raw_text or ""))
        if not text:
            self.data = None
            return
        if not text.isdigit() or len(text) > 15:
            self.data = None
            raise ValueError(self.gettext("Enter a whole amount in đồng, e.g. 1.080.000."))
        self.data = int(text)

    def _value(self) -> str:
        raw = getattr(self, "raw_text", None)
        if raw is not None:
            return str(raw)
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")


class AmountForm(Form):
    amount = AmountField(
        _l("Amount to pay (đồng)"),
        description=_l("Leave empty to pay the computed amount again."),
    )
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 3}
    )


class FundForm(Form):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2200)])
    budget = AmountField(_l("Budget of the year (đồng)"), validators=[InputRequired()])
    movement_percent = FiniteDecimalField(
        _l("Share for organising movements (percent)"),
        places=2,
        validators=[Optional(), NumberRange(0, 100)],
        description=_l("Empty: the share the law sets."),
    )
