"""The unit tree pages, driven as an administrator through the test client."""

import html
import io
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.common.audit import AuditEvent, ObjectKind
from recognition.extensions import db
from recognition.units import services as unit_services
from recognition.units import views as unit_views
from recognition.units.enums import UnitKind, UnitState
from recognition.units.models import Unit
from tests.conftest import Client
from tests.support.factories import UnitFactory, dissolve, user_with

pytestmark = pytest.mark.integration

HEADER = "code,name,kind,parent_code,valid_from,valid_to,awarding_body,successor_code"


class Page(HTMLParser):
    """The values a form shows, the field errors, and the unit links of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self.errors: dict[str, list[str]] = {}
        self.links: list[str] = []
        self._select: str | None = None
        self._error: str | None = None
        self._link = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("hidden", "file"):
            if a.get("type") == "checkbox":
                self.values[name] = "checked" in a
            else:
                self.values[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.values[name] = None
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value")
        elif tag == "div" and (a.get("id") or "").endswith("-error"):
            self._error = (a.get("id") or "").removesuffix("-error")
            self.errors[self._error] = [""]
        elif tag == "br" and self._error:
            self.errors[self._error].append("")
        elif tag == "a" and re.fullmatch(r"/admin/units/\d+", a.get("href") or ""):
            self._link = True
            self.links.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "div":
            self._error = None
        elif tag == "a":
            self._link = False

    def handle_data(self, data: str) -> None:
        if self._error:
            self.errors[self._error][-1] += data.strip()
        if self._link:
            self.links[-1] += data.strip()


def page(response: Any) -> Page:
    return Page(response.get_data(as_text=True))


def flashes(client: Client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return [tuple(item) for item in session.get("_flashes", [])]


def count_units() -> int:
    return db.session.scalar(select(func.count(Unit.id))) or 0


def fresh(unit: Unit) -> Unit:
    db.session.expire_all()
    return db.session.get(Unit, unit.id)


@pytest.fixture
def root() -> Unit:
    return UnitFactory(
        name="Tỉnh Bến Tre", kind=UnitKind.PROVINCE, code="83", is_awarding_body=True
    )


@pytest.fixture
def admin(as_user, root: Unit) -> Client:  # type: ignore[no-untyped-def]
    """A client logged in as an administrator who reads the pages in English."""
    return as_user(user_with(Role.ADMIN, root, locale="en"))


# --- the tree and search -------------------------------------------------------------------


def test_tree_lists_units_in_vietnamese_order(admin: Client, root: Unit) -> None:
    for name in ["Xã Đông Thành", "Xã Dương Hòa", "Xã Ăn Sâu", "Xã Bình Hòa", "Xã An Hiệp"]:
        UnitFactory(name=name, parent=root)
    dong = db.session.scalar(select(Unit).where(Unit.name == "Xã Đông Thành"))
    UnitFactory(name="Ấp Vĩnh", parent=dong)
    UnitFactory(name="Ấp Ân", parent=dong)
    UnitFactory(name="Tỉnh An Giang", kind=UnitKind.PROVINCE)

    response = admin.get("/admin/units/")

    assert response.status_code == 200
    assert page(response).links == [
        "Tỉnh An Giang",
        "Tỉnh Bến Tre",
        "Xã An Hiệp",
        "Xã Ăn Sâu",
        "Xã Bình Hòa",
        "Xã Dương Hòa",
        "Xã Đông Thành",
        "Ấp Ân",
        "Ấp Vĩnh",
    ]


def test_a_large_tree_is_drawn_down_to_the_communes(
    admin: Client, root: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    commune = UnitFactory(name="Xã Đông Thành", parent=root)
    UnitFactory(name="Ấp Vĩnh", parent=commune)
    monkeypatch.setattr(unit_views, "WHOLE_TREE_AT_MOST", 2)

    response = admin.get("/admin/units/")

    assert page(response).links == ["Tỉnh Bến Tre", "Xã Đông Thành"]
    assert "1 unit at the levels below" in response.get_data(as_text=True)
    # The commune's own page lists the hamlet.
    assert "Ấp Vĩnh" in admin.get(f"/admin/units/{commune.id}").get_data(as_text=True)


def test_the_tree_counts_every_level_below_a_unit_and_says_so(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Phú Phụng", parent=root)
    hamlet = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    UnitFactory(name="Tổ công nghệ số cộng đồng ấp Phú Hòa", kind=UnitKind.TEAM, parent=hamlet)

    text = html.unescape(admin.get("/admin/units/").get_data(as_text=True))

    counts = re.findall(r"· (\d+ units? [a-z ]+)", text)
    assert counts == [
        "3 units at the levels below",
        "2 units at the levels below",
        "1 unit at the levels below",
    ]


def test_tree_hides_deactivated_units_unless_asked(admin: Client, root: Unit) -> None:
    closed = UnitFactory(name="Xã Đã Giải Thể", parent=root)
    UnitFactory(name="Xã Còn", parent=root)
    dissolve(closed, on=date(2025, 7, 1))

    assert page(admin.get("/admin/units/")).links == ["Tỉnh Bến Tre", "Xã Còn"]
    assert page(admin.get("/admin/units/?inactive=1")).links == [
        "Tỉnh Bến Tre",
        "Xã Còn",
        "Xã Đã Giải Thể",
    ]


@pytest.mark.parametrize("query", ["son dinh", "DINH", "Sơn Định", "sƠn   đỊnh", "28816"])
def test_search_ignores_diacritics_and_case(admin: Client, root: Unit, query: str) -> None:
    UnitFactory(name="Xã Sơn Định", code="28816", parent=root)
    UnitFactory(name="Xã Sơn Hòa", code="28817", parent=root)
    UnitFactory(name="Xã Vĩnh Bình", code="28819", parent=root)

    response = admin.get("/admin/units/", query_string={"q": query})

    assert response.status_code == 200
    assert page(response).links == ["Xã Sơn Định"]


def test_search_lists_matches_in_vietnamese_order(admin: Client, root: Unit) -> None:
    for name in ["Ấp Định Bình", "Xã Sơn Định", "Ấp An Định", "Xã Đinh"]:
        UnitFactory(name=name, parent=root)

    response = admin.get("/admin/units/", query_string={"q": "dinh"})

    assert page(response).links == ["Ấp An Định", "Ấp Định Bình", "Xã Đinh", "Xã Sơn Định"]


# --- create --------------------------------------------------------------------------------


def test_create_unit(admin: Client, root: Unit) -> None:
    response = admin.post_form(
        "/admin/units/new",
        {
            "name": "Xã Sơn Định",
            "kind": "commune",
            "code": "28816",
            "parent_id": str(root.id),
            "valid_from": "2020-01-01",
            "successor_id": "",
            "is_awarding_body": "y",
        },
    )

    unit = db.session.scalar(select(Unit).where(Unit.code == "28816"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/units/{unit.id}"
    assert flashes(admin) == [("success", "The unit Xã Sơn Định has been created.")]
    assert (unit.name, unit.kind, unit.parent_id, unit.path, unit.depth) == (
        "Xã Sơn Định",
        "commune",
        root.id,
        f"{root.path}{unit.id}/",
        1,
    )
    assert (unit.valid_from, unit.is_awarding_body) == (date(2020, 1, 1), True)


def test_the_same_code_saved_twice_at_the_same_moment_is_refused_without_an_error(
    admin: Client, root: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    UnitFactory(name="Xã Sơn Định", kind=UnitKind.COMMUNE, code="28816", parent=root)
    # Two requests both checked that the code was free before either wrote it: the database's
    # unique index refuses the second.
    monkeypatch.setattr(unit_services, "_check_code_free", lambda code, *, unit=None: None)
    before = count_units()

    response = admin.post_form(
        "/admin/units/new",
        {
            "name": "Xã Sơn Định Mới",
            "kind": "commune",
            "code": "28816",
            "parent_id": str(root.id),
            "valid_from": "2020-01-01",
            "successor_id": "",
        },
    )

    assert response.status_code == 409
    text = html.unescape(response.get_data(as_text=True))
    assert (
        "Someone else saved the same thing at the same moment: nothing of this request was "
        "saved. Reload the page to see what is there now, and try again if needed." in text
    )
    assert "The item changed in the meantime" not in text  # said once, not twice
    assert count_units() == before


def test_create_form_preselects_the_parent(admin: Client, root: Unit) -> None:
    response = admin.get(f"/admin/units/new?parent={root.id}")

    assert response.status_code == 200
    assert page(response).values["parent_id"] == str(root.id)


def test_no_unit_is_added_under_a_unit_no_longer_in_use(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Cũ", kind=UnitKind.COMMUNE, parent=root)
    dissolve(commune, on=date(2025, 6, 30))
    db.session.commit()

    detail = admin.get(f"/admin/units/{commune.id}").get_data(as_text=True)
    form = admin.get(f"/admin/units/new?parent={commune.id}")
    shown = admin.get(form.headers["Location"]).get_data(as_text=True)

    assert f"/admin/units/new?parent={commune.id}" not in detail
    assert (form.status_code, form.headers["Location"]) == (302, f"/admin/units/{commune.id}")
    assert "Xã Cũ is no longer in use: no unit can be added under it." in html.unescape(shown)


TYPED = {
    "name": "Xã Sơn Định",
    "kind": "commune",
    "code": "28816",
    "valid_from": "2024-05-01",
    "valid_to": "2024-04-30",
    "successor_id": "",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({}, "valid_to", "“Valid to” cannot be before “valid from”."),
        ({"name": ""}, "name", "This field is required."),
        ({"valid_to": "31/02/2024"}, "valid_to", "The date must be a date written dd/mm/yyyy."),
        ({"kind": "village"}, "kind", "Not a valid choice."),
    ],
    ids=["dates", "no-name", "bad-date", "bad-kind"],
)
def test_create_with_invalid_input_keeps_what_was_typed(
    admin: Client, root: Unit, change: dict[str, str], field: str, message: str
) -> None:
    before = count_units()
    typed = {**TYPED, "parent_id": str(root.id), **change}

    response = admin.post_form("/admin/units/new", typed)

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {field: [message]}
    assert shown.values["name"] == typed["name"]
    assert shown.values["code"] == "28816"
    assert shown.values["valid_from"] == "2024-05-01"
    assert shown.values["valid_to"] == typed["valid_to"]
    assert shown.values["parent_id"] == str(root.id)
    assert count_units() == before


def test_create_with_a_used_code_shows_a_field_error(admin: Client, root: Unit) -> None:
    UnitFactory(code="28816", parent=root)
    before = count_units()

    response = admin.post_form(
        "/admin/units/new",
        {**TYPED, "valid_to": "", "parent_id": str(root.id), "name": "Xã Trùng Mã"},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {
        "code": ["The administrative code 28816 is already used by another unit."]
    }
    assert shown.values["name"] == "Xã Trùng Mã"
    assert count_units() == before


def test_a_province_under_an_association_is_refused_on_the_form(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Chợ Lách", parent=root)
    youth = UnitFactory(
        name="Đoàn Thanh niên xã Chợ Lách", kind=UnitKind.ASSOCIATION, parent=commune
    )
    before = count_units()

    response = admin.post_form(
        "/admin/units/new",
        {"name": "Tỉnh Vĩnh Long", "kind": "province", "code": "86", "parent_id": str(youth.id)},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {
        "parent_id": [
            "A unit of kind “Province” cannot belong to Đoàn Thanh niên xã Chợ Lách "
            "(Association): an administrative unit belongs only to an administrative unit of "
            "a higher level."
        ]
    }
    assert (shown.values["name"], shown.values["kind"], shown.values["parent_id"]) == (
        "Tỉnh Vĩnh Long",
        "province",
        str(youth.id),
    )
    assert count_units() == before


def test_a_second_unit_of_the_same_name_under_a_parent_is_refused_on_the_form(
    admin: Client, root: Unit
) -> None:
    commune = UnitFactory(name="Xã Phú Phụng", parent=root)
    UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    before = count_units()

    response = admin.post_form(
        "/admin/units/new",
        {"name": "ấp  phu hoa", "kind": "hamlet", "code": "", "parent_id": str(commune.id)},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {"name": ["Xã Phú Phụng already has a unit in use named Ấp Phú Hòa."]}
    assert (shown.values["name"], shown.values["kind"]) == ("ấp  phu hoa", "hamlet")
    assert count_units() == before


def test_renaming_or_moving_onto_a_name_in_use_is_refused_on_the_form(
    admin: Client, root: Unit
) -> None:
    commune = UnitFactory(name="Xã Phú Phụng", parent=root)
    UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    hamlet = UnitFactory(name="Ấp Phú Thuận", kind=UnitKind.HAMLET, parent=commune)
    other = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    namesake = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=other)

    edited = admin.post_form(
        f"/admin/units/{hamlet.id}/edit", {"name": "Ấp Phú Hoà", "kind": "hamlet", "code": ""}
    )
    moved = admin.post_form(f"/admin/units/{namesake.id}/move", {"parent_id": str(commune.id)})

    message = "Xã Phú Phụng already has a unit in use named Ấp Phú Hòa."
    assert (edited.status_code, page(edited).errors) == (200, {"name": [message]})
    assert page(edited).values["name"] == "Ấp Phú Hoà"
    assert (moved.status_code, page(moved).errors) == (200, {"parent_id": [message]})
    assert (fresh(hamlet).name, fresh(namesake).parent_id) == ("Ấp Phú Thuận", other.id)


def test_moving_a_commune_under_a_hamlet_is_refused_on_the_form(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Phú Phụng", parent=root)
    hamlet = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    other = UnitFactory(name="Xã Vĩnh Thành", parent=root)

    response = admin.post_form(f"/admin/units/{other.id}/move", {"parent_id": str(hamlet.id)})

    assert response.status_code == 200
    assert page(response).errors == {
        "parent_id": [
            "A unit of kind “Commune” cannot belong to Ấp Phú Hòa (Hamlet): an administrative "
            "unit belongs only to an administrative unit of a higher level."
        ]
    }
    assert fresh(other).parent_id == root.id


# --- detail and edit -----------------------------------------------------------------------


def test_detail_shows_the_successor(admin: Client, root: Unit) -> None:
    merged = UnitFactory(name="Xã Chợ Lách Mới", parent=root)
    old = UnitFactory(name="Xã Sơn Định", parent=root)
    old.successor = merged
    db.session.flush()

    response = admin.get(f"/admin/units/{old.id}")

    assert response.status_code == 200
    # Breadcrumb root, then the successor link.
    assert page(response).links == ["Tỉnh Bến Tre", "Xã Chợ Lách Mới"]


def test_edit_unit(admin: Client, root: Unit) -> None:
    unit = UnitFactory(name="Xã Cũ", code="28816", parent=root)
    merged = UnitFactory(name="Xã Mới", parent=root)
    form = page(admin.get(f"/admin/units/{unit.id}/edit"))
    assert (form.values["name"], form.values["code"]) == ("Xã Cũ", "28816")
    assert "parent_id" not in form.values  # moving has its own page

    response = admin.post_form(
        f"/admin/units/{unit.id}/edit",
        {
            "name": "Xã Sơn Định",
            "kind": "commune",
            "code": "28816",
            "valid_from": "2020-01-01",
            "valid_to": "2025-06-30",
            "successor_id": str(merged.id),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/units/{unit.id}"
    assert flashes(admin) == [("success", "The changes have been saved.")]
    stored = fresh(unit)
    assert (stored.name, stored.valid_to, stored.successor_id, stored.parent_id) == (
        "Xã Sơn Định",
        date(2025, 6, 30),
        merged.id,
        root.id,
    )


def test_edit_with_a_used_code_keeps_what_was_typed(admin: Client, root: Unit) -> None:
    UnitFactory(code="28819", parent=root)
    unit = UnitFactory(name="Xã Cũ", code="28816", parent=root)

    response = admin.post_form(
        f"/admin/units/{unit.id}/edit",
        {"name": "Xã Tên Mới", "kind": "commune", "code": "28819", "successor_id": ""},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {
        "code": ["The administrative code 28819 is already used by another unit."]
    }
    assert (shown.values["name"], shown.values["code"]) == ("Xã Tên Mới", "28819")
    assert (fresh(unit).name, fresh(unit).code) == ("Xã Cũ", "28816")


def test_edit_cannot_make_a_unit_its_own_successor(admin: Client, root: Unit) -> None:
    unit = UnitFactory(name="Xã Cũ", parent=root)

    response = admin.post_form(
        f"/admin/units/{unit.id}/edit",
        {"name": "Xã Cũ", "kind": "commune", "successor_id": str(unit.id)},
    )

    # The unit is not offered (the service refuses it too, see test_services).
    assert response.status_code == 200
    assert page(response).errors == {"successor_id": ["Not a valid choice."]}


# --- move ----------------------------------------------------------------------------------


def test_move_unit_with_its_subtree(admin: Client, root: Unit) -> None:
    old_district = UnitFactory(name="Huyện Cũ", parent=root)
    new_district = UnitFactory(name="Huyện Mới", parent=root)
    commune = UnitFactory(name="Xã", parent=old_district)
    hamlet = UnitFactory(name="Ấp", parent=commune)

    response = admin.post_form(
        f"/admin/units/{commune.id}/move", {"parent_id": str(new_district.id)}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/units/{commune.id}"
    assert flashes(admin) == [("success", "The unit and its sub-units have been moved.")]
    assert fresh(hamlet).path == f"{root.path}{new_district.id}/{commune.id}/{hamlet.id}/"
    assert fresh(hamlet).depth == 3


def test_move_does_not_offer_the_unit_s_own_sub_units(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã", parent=root)
    hamlet = UnitFactory(name="Ấp", parent=commune)
    other = UnitFactory(name="Xã Khác", parent=root)

    offered = admin.get(f"/admin/units/{commune.id}/move").get_data(as_text=True)
    response = admin.post_form(f"/admin/units/{commune.id}/move", {"parent_id": str(hamlet.id)})

    options = set(re.findall(r'<option[^>]*value="(\d+)"', offered))
    assert (str(root.id) in options, str(other.id) in options) == (True, True)
    assert (str(commune.id) in options, str(hamlet.id) in options) == (False, False)
    # Sent anyway, it is refused on the form (the service refuses the cycle too).
    assert response.status_code == 200
    assert page(response).errors == {"parent_id": ["Not a valid choice."]}
    assert fresh(commune).parent_id == root.id


def test_move_under_itself_or_a_deactivated_unit_is_not_a_choice(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã", parent=root)
    closed = UnitFactory(name="Xã Đóng", parent=root)
    dissolve(closed, on=date(2025, 7, 1))

    for target in (commune, closed):
        response = admin.post_form(f"/admin/units/{commune.id}/move", {"parent_id": str(target.id)})
        assert response.status_code == 200
        assert page(response).errors == {"parent_id": ["Not a valid choice."]}
    assert fresh(commune).parent_id == root.id


# --- deactivate / reactivate ---------------------------------------------------------------


class FrozenClock(datetime):
    """20:00 UTC on 3 March 2024 is already 4 March in Việt Nam."""

    @classmethod
    def now(cls, tz: Any = None) -> "FrozenClock":
        instant = cls(2024, 3, 3, 20, 0, tzinfo=UTC)
        return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)


def test_deactivate_subtree_on_the_local_date(
    admin: Client, root: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    commune = UnitFactory(name="Xã", parent=root)
    hamlet = UnitFactory(name="Ấp", parent=commune)
    UnitFactory(name="Tổ", parent=hamlet)
    monkeypatch.setattr("recognition.database.datetime", FrozenClock)

    response = admin.post_form(f"/admin/units/{commune.id}/deactivate")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/units/{commune.id}"
    assert flashes(admin) == [("success", "3 units deactivated. Their records are kept.")]
    assert (fresh(hamlet).is_active, fresh(hamlet).valid_to) == (False, date(2024, 3, 4))
    assert fresh(root).is_active is True


def test_deactivate_without_csrf_token_is_refused(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã", parent=root)

    response = admin.post(f"/admin/units/{commune.id}/deactivate")

    assert response.status_code == 400
    assert fresh(commune).is_active is True


def test_reactivate_unit(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã", parent=root)
    dissolve(commune, on=date(2025, 7, 1))

    response = admin.post_form(f"/admin/units/{commune.id}/reactivate")

    assert response.status_code == 302
    assert flashes(admin) == [("success", "The unit is active again.")]
    assert (fresh(commune).is_active, fresh(commune).valid_to) == (True, None)


def confirmations(response: Any) -> list[str]:
    text = response.get_data(as_text=True)
    return [html.unescape(found) for found in re.findall(r'data-confirm="([^"]*)"', text)]


def test_deactivate_says_how_many_units_it_ends(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    hamlet = UnitFactory(name="Ấp Vĩnh Phú", kind=UnitKind.HAMLET, parent=commune)
    UnitFactory(name="Tổ công nghệ số ấp Vĩnh Phú", kind=UnitKind.TEAM, parent=hamlet)
    closed = UnitFactory(name="Ấp Thành An", kind=UnitKind.HAMLET, parent=commune)
    dissolve(closed, on=date(2025, 3, 1))

    assert confirmations(admin.get(f"/admin/units/{commune.id}"))[0] == (
        "Deactivate 3 units, this one and every unit below it? Their records are kept."
    )
    assert confirmations(admin.get(f"/admin/units/{hamlet.id}"))[0] == (
        "Deactivate 2 units, this one and every unit below it? Their records are kept."
    )


def test_reactivate_brings_back_the_sub_units_deactivated_with_it(
    admin: Client, root: Unit
) -> None:
    commune = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    hamlet = UnitFactory(name="Ấp Vĩnh Phú", kind=UnitKind.HAMLET, parent=commune)
    team = UnitFactory(name="Tổ công nghệ số ấp Vĩnh Phú", kind=UnitKind.TEAM, parent=hamlet)
    earlier = UnitFactory(name="Ấp Thành An", kind=UnitKind.HAMLET, parent=commune)
    dissolve(earlier, on=date(2025, 3, 1))
    admin.post_form(f"/admin/units/{commune.id}/deactivate")
    flashes(admin)

    assert confirmations(admin.get(f"/admin/units/{commune.id}")) == [
        "Reactivate this unit and the 2 units below it that were deactivated with it?"
    ]
    response = admin.post_form(f"/admin/units/{commune.id}/reactivate")

    assert response.status_code == 302
    assert flashes(admin) == [
        ("success", "3 units are active again: this one and the units deactivated with it.")
    ]
    assert [fresh(u).is_active for u in (commune, hamlet, team, earlier)] == [
        True,
        True,
        True,
        False,
    ]


def test_reactivate_under_a_deactivated_parent_is_refused(admin: Client, root: Unit) -> None:
    district = UnitFactory(name="Huyện Chợ Lách", parent=root)
    commune = UnitFactory(name="Xã", parent=district)
    dissolve(district, on=date(2025, 7, 1))
    detail = f"/admin/units/{commune.id}"

    response = admin.post_form(f"{detail}/reactivate", headers={"Referer": detail})

    assert response.status_code == 302
    assert response.headers["Location"] == detail
    assert flashes(admin) == [("danger", "Reactivate the parent unit Huyện Chợ Lách first.")]
    assert fresh(commune).is_active is False


# --- import and export ---------------------------------------------------------------------


def upload(client: Client, raw: bytes) -> Any:
    return client.post_form(
        "/admin/units/import",
        {"file": (io.BytesIO(raw), "đơn vị.csv")},
        content_type="multipart/form-data",
    )


def test_import_page(admin: Client) -> None:
    response = admin.get("/admin/units/import")

    assert response.status_code == 200
    assert page(response).errors == {}


def test_the_import_page_says_it_adds_new_units_only(admin: Client) -> None:
    text = html.unescape(admin.get("/admin/units/import").get_data(as_text=True))

    assert (
        "The import adds new units only: units already in the tree are not changed, and a row "
        "whose code a unit in use already has is refused." in text
    )


def test_import_good_file(admin: Client, root: Unit) -> None:
    raw = "\n".join(
        [HEADER, "SL1,Ấp Sơn Lân,Ấp,28816,,,,", "28816,Xã Sơn Định,Xã,83,01/01/2020,,1,"]
    ).encode("utf-8-sig")

    response = upload(admin, raw)

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/units/"
    assert flashes(admin) == [("success", "2 units imported.")]
    hamlet = db.session.scalar(select(Unit).where(Unit.code == "SL1"))
    assert hamlet.depth == 2


def test_import_names_the_codes_given_to_rows_without_one(admin: Client, root: Unit) -> None:
    raw = "\n".join(
        [
            HEADER,
            "28816,Xã Sơn Định,Xã,83,,,1,",
            ",Ấp Sơn Lân,Ấp,28816,,,,",
            ",Ấp Sơn Qui,Ấp,28816,,,,",
        ]
    ).encode("utf-8-sig")

    response = upload(admin, raw)

    assert response.status_code == 302
    assert flashes(admin) == [
        (
            "success",
            "3 units imported. 2 rows had no code and were given one: Ấp Sơn Lân (28816-AP01), "
            "Ấp Sơn Qui (28816-AP02).",
        )
    ]


def test_import_names_ten_given_codes_and_counts_the_rest(admin: Client, root: Unit) -> None:
    hamlets = [f",Ấp Số {number},Ấp,28816,,,," for number in range(1, 13)]
    raw = "\n".join([HEADER, "28816,Xã Sơn Định,Xã,83,,,1,", *hamlets]).encode("utf-8")

    upload(admin, raw)

    [(category, message)] = flashes(admin)
    assert category == "success"
    assert message.startswith("13 units imported. 12 rows had no code and were given one: Ấp Số 1 ")
    assert message.endswith("Ấp Số 10 (28816-AP10) and 2 more.")


def test_import_with_errors_lists_the_line_numbers(admin: Client, root: Unit) -> None:
    before = count_units()
    raw = "\n".join(
        [
            HEADER,
            "A1,Ấp Một,Ấp,83,,,,",
            "A2,,Ấp,83,,,,",
            "A3,Ấp Ba,Ấp,ZZ,,,,",
            "83,Trùng,Tỉnh,,,,,",
            "A5,Ấp Năm,Ấp,83,,,maybe,",
        ]
    ).encode("utf-8")

    response = upload(admin, raw)

    assert response.status_code == 200
    text = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", text)
    assert [(int(line), html.unescape(message)) for line, message in rows] == [
        (3, "The name is empty."),
        (4, "parent_code ZZ is neither in the file nor in the tree."),
        (5, "The code 83 is already used by Tỉnh Bến Tre: the import adds new units only."),
        (6, "awarding_body must be 1 or 0, not “maybe”."),
    ]
    assert "The file has 4 errors. Nothing was imported." in html.unescape(text)
    assert count_units() == before


def test_import_with_cells_longer_than_their_columns_lists_them(admin: Client, root: Unit) -> None:
    before = count_units()
    raw = "\n".join([HEADER, f"{'K' * 21},{'N' * 201},Ấp,{'P' * 21},,,,{'S' * 21}"]).encode("utf-8")

    response = upload(admin, raw)

    text = response.get_data(as_text=True)
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", text)
    assert response.status_code == 200
    assert [(int(line), html.unescape(message)) for line, message in rows] == [
        (2, f"The code “{'K' * 21}” is longer than 20 characters."),
        (2, f"The name “{'N' * 30}…” is longer than 200 characters."),
        (2, f"The parent_code “{'P' * 21}” is longer than 20 characters."),
        (2, f"The successor_code “{'S' * 21}” is longer than 20 characters."),
    ]
    assert count_units() == before


def test_an_error_of_the_whole_file_names_no_line(admin: Client) -> None:
    # The encoding is the file's fault, not a line's: no "line 0" in the table.
    response = upload(admin, b"code,name,kind\n\x81,\x81,\x81\n")

    rows = re.findall(r"<tr><td>([^<]*)</td><td>(.*?)</td></tr>", response.get_data(as_text=True))
    assert [(line, html.unescape(message)) for line, message in rows] == [
        ("—", "The file is not UTF-8 text. Save it as “CSV UTF-8”.")
    ]


def test_import_without_a_file(admin: Client) -> None:
    response = admin.post_form("/admin/units/import", content_type="multipart/form-data")

    assert response.status_code == 200
    assert page(response).errors == {"file": ["This field is required."]}


def test_export_csv(admin: Client, root: Unit) -> None:
    UnitFactory(name="=HYPERLINK(1)", code="X1", parent=root)

    response = admin.get("/admin/units/export.csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=units.csv"
    assert response.get_data(as_text=True).splitlines() == [
        "\ufeff" + HEADER,
        "83,Tỉnh Bến Tre,province,,,,1,",
        "X1,'=HYPERLINK(1),commune,83,,,0,",
    ]


# --- access --------------------------------------------------------------------------------

UNIT_PAGES = ["/admin/units/{id}", "/admin/units/{id}/edit", "/admin/units/{id}/move"]
UNIT_ACTIONS = ["/admin/units/{id}/deactivate", "/admin/units/{id}/reactivate"]


@pytest.mark.parametrize("url", UNIT_PAGES)
def test_unknown_unit_page_is_404(admin: Client, url: str) -> None:
    assert admin.get(url.format(id=999_999)).status_code == 404


@pytest.mark.parametrize("url", [*UNIT_ACTIONS, "/admin/units/{id}/edit"])
def test_unknown_unit_action_is_404(admin: Client, url: str) -> None:
    assert admin.post_form(url.format(id=999_999)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/units/",
        "/admin/units/new",
        "/admin/units/import",
        "/admin/units/export.csv",
        *UNIT_PAGES,
    ],
)
def test_non_admin_gets_403(as_user, root: Unit, url: str) -> None:  # type: ignore[no-untyped-def]
    client = as_user(user_with(Role.NOMINATOR, root))

    assert client.get(url.format(id=root.id)).status_code == 403


@pytest.mark.parametrize("url", ["/admin/units/new", *UNIT_ACTIONS, "/admin/units/{id}/move"])
def test_non_admin_cannot_post(as_user, root: Unit, url: str) -> None:  # type: ignore[no-untyped-def]
    client = as_user(user_with(Role.SECRETARIAT, root))
    before = count_units()

    response = client.post_form(url.format(id=root.id), {"name": "Xã Lạ", "kind": "commune"})

    assert response.status_code == 403
    assert count_units() == before
    assert fresh(root).is_active is True


@pytest.mark.no_database
def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/admin/units/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/units/"


# --- merging, and the audit of edits ---------------------------------------------------------


def test_merge_unit(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    hamlet = UnitFactory(name="Ấp Phú Hòa", kind=UnitKind.HAMLET, parent=commune)
    successor = UnitFactory(name="Xã Vĩnh Thành", parent=root)

    response = admin.post_form(
        f"/admin/units/{commune.id}/merge", {"successor_id": str(successor.id)}
    )

    assert response.status_code == 302
    assert flashes(admin) == [
        ("success", "The unit has been merged; its sub-units now belong to its successor.")
    ]
    assert (fresh(commune).state, fresh(commune).successor_id) == (UnitState.MERGED, successor.id)
    assert fresh(hamlet).parent_id == successor.id
    assert "Merged" in admin.get(f"/admin/units/{commune.id}").get_data(as_text=True)


def options(response: Any, name: str) -> list[str]:
    """The labels a select box offers, as shown (indentation trimmed), without the empty one."""
    text = response.get_data(as_text=True)
    select_box = re.search(rf'<select[^>]*name="{name}".*?</select>', text, re.S)
    assert select_box is not None
    found = re.findall(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>', select_box[0])
    return [html.unescape(label).strip("\u2003 ") for _value, label in found]


def test_merge_offers_neither_the_unit_nor_the_units_below_it(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    hamlet = UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)
    UnitFactory(name="Tổ công nghệ số cộng đồng ấp Sơn Qui", kind=UnitKind.TEAM, parent=hamlet)
    UnitFactory(name="Xã Vĩnh Thành", parent=root)

    response = admin.get(f"/admin/units/{commune.id}")

    assert options(response, "successor_id") == ["Tỉnh Bến Tre", "Xã Vĩnh Thành"]


def test_merging_into_a_unit_below_is_refused_on_the_page(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    hamlet = UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)

    response = admin.post_form(f"/admin/units/{commune.id}/merge", {"successor_id": str(hamlet.id)})

    assert response.status_code == 200
    assert page(response).errors == {"successor_id": ["Not a valid choice."]}
    assert fresh(commune).state == UnitState.ACTIVE


def test_the_successor_field_offers_neither_the_unit_nor_the_units_below_it(
    admin: Client, root: Unit
) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    UnitFactory(name="Ấp Sơn Qui", kind=UnitKind.HAMLET, parent=commune)
    UnitFactory(name="Xã Vĩnh Thành", parent=root)

    response = admin.get(f"/admin/units/{commune.id}/edit")

    assert options(response, "successor_id") == ["Tỉnh Bến Tre", "Xã Vĩnh Thành"]


def test_the_merge_form_proposes_today_and_takes_the_date_given(
    admin: Client, root: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root, valid_from=date(2020, 1, 1))
    successor = UnitFactory(name="Xã Phú Phụng", parent=root)
    monkeypatch.setattr("recognition.database.datetime", FrozenClock)

    assert page(admin.get(f"/admin/units/{commune.id}")).values["merged_on"] == "2024-03-04"
    response = admin.post_form(
        f"/admin/units/{commune.id}/merge",
        {"successor_id": str(successor.id), "merged_on": "29/02/2024"},
    )

    assert response.status_code == 302
    assert (fresh(commune).state, fresh(commune).valid_to) == (UnitState.MERGED, date(2024, 2, 29))


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("31/12/2019", "The unit cannot end before it started (01/01/2020)."),
        (
            "05/03/2024",
            "A merger is recorded once it has taken effect: its date cannot be after today.",
        ),
        ("2024-13-01", "The date must be a date written dd/mm/yyyy."),
    ],
)
def test_a_merge_date_out_of_the_units_life_is_refused_on_the_page(
    admin: Client, root: Unit, monkeypatch: pytest.MonkeyPatch, typed: str, error: str
) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root, valid_from=date(2020, 1, 1))
    successor = UnitFactory(name="Xã Phú Phụng", parent=root)
    monkeypatch.setattr("recognition.database.datetime", FrozenClock)

    response = admin.post_form(
        f"/admin/units/{commune.id}/merge",
        {"successor_id": str(successor.id), "merged_on": typed},
    )

    assert response.status_code == 200
    shown = page(response)
    assert shown.errors == {"merged_on": [error]}
    assert (shown.values["successor_id"], shown.values["merged_on"]) == (str(successor.id), typed)
    assert (fresh(commune).state, fresh(commune).valid_to) == (UnitState.ACTIVE, None)


def test_merge_without_a_successor_says_why(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)

    response = admin.post_form(f"/admin/units/{commune.id}/merge", {"successor_id": ""})

    assert response.status_code == 302
    assert flashes(admin) == [("danger", "Choose the unit it is merged into.")]
    assert fresh(commune).state == UnitState.ACTIVE


def test_merging_a_dissolved_unit_is_a_conflict(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    successor = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    dissolve(commune, on=date(2025, 7, 1))

    response = admin.post_form(
        f"/admin/units/{commune.id}/merge", {"successor_id": str(successor.id)}
    )

    assert response.status_code == 409
    assert "“Merge into a successor” is not possible while the unit is “Deactivated”." in (
        response.get_data(as_text=True)
    )
    assert (fresh(commune).state, fresh(commune).successor_id) == (UnitState.DISSOLVED, None)


def test_only_administrators_merge(as_user, root: Unit) -> None:  # type: ignore[no-untyped-def]
    commune = UnitFactory(name="Xã Sơn Định", parent=root)
    successor = UnitFactory(name="Xã Vĩnh Thành", parent=root)
    clerk = as_user(user_with(Role.NOMINATOR, root, locale="en"))

    response = clerk.post_form(
        f"/admin/units/{commune.id}/merge", {"successor_id": str(successor.id)}
    )

    assert response.status_code == 403
    assert fresh(commune).state == UnitState.ACTIVE


def test_edits_and_moves_are_in_the_audit_log(admin: Client, root: Unit) -> None:
    commune = UnitFactory(name="Xã Sơn Định", code="28888", parent=root)
    other = UnitFactory(name="Huyện Chợ Lách", kind=UnitKind.DISTRICT, parent=root)

    admin.post_form(
        f"/admin/units/{commune.id}/edit",
        {"name": "Xã Sơn Định Mới", "kind": "commune", "code": "28888"},
    )
    admin.post_form(f"/admin/units/{commune.id}/move", {"parent_id": str(other.id)})

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_kind == ObjectKind.UNIT, AuditEvent.object_id == commune.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.subject, e.comment) for e in events] == [
        ("edit", "Xã Sơn Định Mới (28888)", ""),
        ("move", "Xã Sơn Định Mới (28888)", "Huyện Chợ Lách"),
    ]
