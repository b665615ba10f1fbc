"""The blanks form: a row per field (x, y, width, font size, alignment, printed or not), the
printer's calibration offset and the scan of the blank."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, SelectChoice, SelectField
from wtforms.validators import InputRequired

from recognition.blanks.documents import Placement
from recognition.blanks.services import FIELDS, FieldBox, LayoutChanges, Upload
from recognition.common.forms import Form

TEXT_ONLY = ("size", "align")  # the QR code has neither a font size nor an alignment


class MillimetreField(FloatField):
    """A number written with a decimal point or, as Vietnamese write it, a comma."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = [str(valuelist[0]).strip().replace(",", ".")]
        super().process_formdata(valuelist)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return f"{self.data:g}" if isinstance(self.data, float | int) else ""


def _number(label: Any) -> MillimetreField:
    return MillimetreField(label, validators=[InputRequired()], render_kw={"inputmode": "decimal"})


class BlankLayoutForm(Form):
    offset_x = _number(_l("Printer calibration dx (mm)"))
    offset_y = _number(_l("Printer calibration dy (mm)"))
    scan = FileField(
        _l("Scanned blank (PNG or JPEG)"),
        description=_l("Scan the whole empty blank, landscape; it is shown behind the preview."),
    )
    remove_scan = BooleanField(_l("Remove the scanned blank"))

    def changes(self, current: dict[str, FieldBox]) -> LayoutChanges:
        """The typed values as the service takes them (the QR code keeps its size and
        alignment)."""
        boxes = {}
        for name in FIELDS:
            text = name != "qr"
            boxes[name] = FieldBox(
                x=float(self[f"{name}_x"].data),
                y=float(self[f"{name}_y"].data),
                width=float(self[f"{name}_width"].data),
                size=float(self[f"{name}_size"].data) if text else current[name].size,
                align=str(self[f"{name}_align"].data) if text else current[name].align,
                shown=bool(self[f"{name}_shown"].data),
            )
        scan = self.scan.data
        return LayoutChanges(
            boxes=boxes,
            offset_x=float(self.offset_x.data or 0),
            offset_y=float(self.offset_y.data or 0),
            scan=Upload(scan.stream, scan.filename or "") if scan else None,
            remove_scan=bool(self.remove_scan.data),
        )


for _name in FIELDS:
    setattr(BlankLayoutForm, f"{_name}_x", _number(_l("x (mm)")))
    setattr(BlankLayoutForm, f"{_name}_y", _number(_l("y (mm)")))
    setattr(BlankLayoutForm, f"{_name}_width", _number(_l("Width (mm)")))
    if _name != "qr":
        setattr(BlankLayoutForm, f"{_name}_size", _number(_l("Font size (pt)")))
        setattr(
            BlankLayoutForm,
            f"{_name}_align",
            SelectField(
                _l("Alignment"),
                choices=[
                    SelectChoice("left", _l("left")),
                    SelectChoice("center", _l("centre")),
                    SelectChoice("right", _l("right")),
                ],
            ),
        )
    setattr(BlankLayoutForm, f"{_name}_shown", BooleanField(_l("Print")))


def initial_data(boxes: dict[str, Placement], offset_x: float, offset_y: float) -> dict[str, Any]:
    """The form's values for a layout (positions without the offset)."""
    data: dict[str, Any] = {"offset_x": offset_x, "offset_y": offset_y}
    for name, box in boxes.items():
        data.update(
            {
                f"{name}_x": box.left,
                f"{name}_y": box.top,
                f"{name}_width": box.width,
                f"{name}_size": box.size,
                f"{name}_align": box.align,
                f"{name}_shown": box.shown,
            }
        )
    return data
