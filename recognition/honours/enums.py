"""States of an honour board entry and the actions on it."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from recognition.common.enums import LabelledEnum


class HonourState(LabelledEnum):
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {cls.PUBLISHED: _l("On the honour board"), cls.UNPUBLISHED: _l("Taken down")}

    @classmethod
    def colours(cls) -> Mapping[Any, str]:
        return {cls.PUBLISHED: "success", cls.UNPUBLISHED: "secondary"}


class HonourAction(LabelledEnum):
    """How the audit log names what was done to an entry."""

    PUBLISH = "publish"
    EDIT = "edit"
    UNPUBLISH = "unpublish"

    @classmethod
    def labels(cls) -> Mapping[Any, Any]:
        return {
            cls.PUBLISH: _l("Publish on the honour board"),
            cls.EDIT: _l("Edit the honour board entry"),
            cls.UNPUBLISH: _l("Take down from the honour board"),
        }
