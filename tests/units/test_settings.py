"""An awarding body's settings: saved through one service, audited with the fields that
changed, a replaced emblem's file deleted once the change is committed."""

from dataclasses import replace
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from recognition.auth.enums import Role
from recognition.common import storage
from recognition.common.audit import AuditEvent, ObjectKind, verify_chain
from recognition.extensions import db
from recognition.units.enums import UnitKind
from recognition.units.settings import SettingsData, save_settings, settings_for
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration


def _png() -> BytesIO:
    out = BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    out.seek(0)
    return out


def _data(body_settings) -> SettingsData:  # type: ignore[no-untyped-def]
    return SettingsData(
        **{
            name: getattr(body_settings, name)
            for name in (
                "superior_name",
                "issuer_name",
                "signer_office",
                "signer_title",
                "signer_name",
                "place_name",
                "number_suffix",
                "legal_bases",
                "recipients",
                "paper",
                "proposer",
            )
        }
    )


def test_saving_the_settings_is_audited_with_the_fields_that_changed(app) -> None:  # type: ignore[no-untyped-def]
    body = UnitFactory(name="Xã Phú Phụng", kind=UnitKind.COMMUNE, is_awarding_body=True)
    secretariat = user_with(Role.SECRETARIAT, body)
    data = _data(settings_for(body))

    save_settings(body, data, actor=secretariat)  # nothing changed: nothing to record
    save_settings(body, replace(data, signer_name="Võ Văn Tâm", paper="A3"), actor=secretariat)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_kind == ObjectKind.BODY_SETTINGS)
    ).all()
    assert [(e.object_id, e.actor_id, e.subject, e.comment) for e in events] == [
        (body.id, secretariat.id, "Xã Phú Phụng", "signer_name, paper")
    ]
    assert verify_chain()[1] == []


def test_a_replaced_emblem_is_deleted_once_the_change_is_committed(app) -> None:  # type: ignore[no-untyped-def]
    body = UnitFactory(name="Xã Vĩnh Thành", kind=UnitKind.COMMUNE, is_awarding_body=True)
    data = _data(settings_for(body))
    save_settings(body, data, emblem=_png(), emblem_name="quoc-huy.png")
    db.session.commit()
    first = settings_for(body).emblem_key
    assert first is not None

    save_settings(body, data, emblem=_png(), emblem_name="quoc-huy-moi.png")
    kept_until_commit = storage.exists(first)
    db.session.commit()

    assert (kept_until_commit, storage.exists(first)) == (True, False)
    assert storage.exists(settings_for(body).emblem_key or "")
