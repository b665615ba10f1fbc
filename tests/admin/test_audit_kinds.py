"""The administrators' audit log lists every kind of object's events, filtered by kind and
linked to the object's page where it has one; `flask audit verify` checks every kind."""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale

from recognition.admin.queries import _OBJECT_PAGES
from recognition.auth.enums import Role
from recognition.common.audit import ObjectKind, record
from recognition.extensions import db
from recognition.units.enums import UnitKind
from tests.conftest import Client
from tests.support.factories import UnitFactory, user_with

pytestmark = pytest.mark.integration

# The page each kind links to, spelled out (a kind missing here has no page of its own).
PAGES = {
    ObjectKind.NOMINATION: "/nominations/7",
    ObjectKind.DECISION: "/decisions/7",
    ObjectKind.COUNCIL_SESSION: "/council/sessions/7",
    ObjectKind.CAMPAIGN: "/campaigns/7",
    ObjectKind.PRINT_JOB: "/decisions/print-jobs/7",
    ObjectKind.ACCOUNT: "/admin/users/7",
    ObjectKind.ROLE_GRANT: "/admin/users/7",
    ObjectKind.UNIT: "/admin/units/7",
    ObjectKind.AWARD_TYPE: "/catalogue/7",
    ObjectKind.LAW_RULE: "/admin/law?value=7",
    ObjectKind.CLUSTER: "/clusters/7",
    ObjectKind.TARGET: "/targets/7",
    ObjectKind.HONOUR_ENTRY: "/honours/entries/7",
    ObjectKind.REGISTRATION: "/registration/records/7",
    ObjectKind.AWARD_RECORD: "/history/people/7",
    ObjectKind.EMULATION_FUND: "/money/funds/7",
}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with force_locale("en"):
        yield


@pytest.fixture
def admin(as_user) -> Client:  # type: ignore[no-untyped-def]
    root = UnitFactory(name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE)
    return as_user(user_with(Role.ADMIN, root, locale="en"))


@pytest.mark.parametrize("kind", list(ObjectKind))
def test_each_kind_is_listed_under_its_filter_and_linked(
    app: Flask, admin: Client, kind: ObjectKind
) -> None:
    record(kind, 7, "edit", actor=None, subject=f"Đối tượng {kind.value}")
    record(
        ObjectKind.UNIT if kind != ObjectKind.UNIT else ObjectKind.ACCOUNT,
        8,
        "edit",
        actor=None,
        subject="Khác",
    )
    db.session.commit()

    page = admin.get(f"/admin/audit?kind={kind.value}").get_data(as_text=True)

    assert f"Đối tượng {kind.value}" in page
    assert "Khác" not in page
    expected = PAGES.get(kind)
    linked = expected is not None and f'href="{expected}"' in page
    assert (kind in _OBJECT_PAGES, linked) == (expected is not None, expected is not None)


def test_the_command_verifies_events_of_every_kind(app: Flask) -> None:
    for number, kind in enumerate(ObjectKind, start=1):
        record(kind, number, "edit", actor=None, subject=kind.value)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert (result.exit_code, result.stdout) == (
        0,
        f"audit chain intact: {len(ObjectKind)} events\n",
    )
