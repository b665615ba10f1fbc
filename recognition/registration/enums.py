"""What is done to an emulation registration (đăng ký thi đua) and its call."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class RegistrationAction(LabelledEnum):
    OPEN = "open_registration"
    CHANGE = "change_registration"
    REGISTER = "register"
    SIGN = "sign_pledge"
    REMIND = "remind"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.OPEN: _l("Open the year's registration"),
            cls.CHANGE: _l("Change the year's deadline or pledge"),
            cls.REGISTER: _l("Register for emulation"),
            cls.SIGN: _l("Sign the pledge"),
            cls.REMIND: _l("Remind the units not registered"),
        }
